"""Trees v2 (the format: generator/guide/data-format.md): each new field validated and rendered.

A small fixture project (tests/fixtures/trees-v2/) with its own built-in data folder
(tests/fixtures/trees-v2-data/: sources.yml and services.yml) stands in for the tool's data, so
these tests do not depend on the real school's trees or the built-in registry's contents.
Expected messages are written out by hand.
"""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest

from generator.load.loader import load_project
from generator.load.models.roles import BUILTIN_ROLES, describe_roles
from generator.load.models.roles import ConditionalRole
from generator.render.renderer import _SiteRenderer
from support import guide_page
from generator.checks.validate import validate_project

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
PROJECT = FIXTURES / "trees-v2"
DATA = FIXTURES / "trees-v2-data"
TODAY = date(2026, 11, 24)
CONCERN = "decision_trees/concern.yml"
ALLEGATION = "decision_trees/allegation.yml"
GROUP = "decision_trees/shared/danger.yml"


@pytest.fixture
def project(tmp_path) -> Path:
    shutil.copytree(PROJECT, tmp_path / "p")
    return tmp_path / "p"


def edit(project: Path, name: str, old: str, new: str) -> None:
    path = project / name
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def run(project: Path, data: Path = DATA, today: date = TODAY):
    return validate_project(load_project(project, data), today)


def errors(project: Path, **kwargs) -> list[str]:
    return [str(d) for d in run(project, **kwargs)[1] if d.is_error]


def warnings(project: Path, **kwargs) -> list[str]:
    return [str(d) for d in run(project, **kwargs)[1] if not d.is_error]


def page(project: Path, tree_id: str, site: str = "staff", **kwargs) -> str:
    validated, diagnostics = run(project, **kwargs)
    assert validated is not None, [str(d) for d in diagnostics if d.is_error]
    renderer = _SiteRenderer(validated, site)
    out = type("Out", (), {"docs": {}, "includes": {}})()
    renderer._render_trees(out)
    return guide_page(out, tree_id)


# --- the fixture is valid, and the shared group is expanded ---------------------------------

def test_fixture_project_is_valid_with_no_warnings(project):
    validated, diagnostics = run(project)
    assert [str(d) for d in diagnostics] == []
    concern = validated.trees_by_id["concern"]
    # The group's steps come first (where `use:` stood), with `next: continue` pointed at the tree's step.
    assert [n.id for n in concern.nodes] == ["is_child_in_danger", "call_999", "what_happened", "tell_the_dsl",
                                             "nothing_more", "whistleblowing"]
    assert [a.next for a in concern.nodes[0].answers] == ["call_999", "what_happened"]


def test_missing_builtin_data_files_are_empty_not_errors(project, tmp_path):
    # Without the built-in sources, kcsie-2025 is unknown; nothing complains about the missing files themselves.
    assert errors(project, data=tmp_path / "no-data") == [
        f"{CONCERN}:28:13: E403 cites 'kcsie-2025#para-55', which is neither a clause in policies/ nor a part of "
        "a source in sources.yml",
        f"{CONCERN}:50:34: E403 cites 'kcsie-2025#para-55', which is neither a clause in policies/ nor a part of "
        "a source in sources.yml",
        f"{CONCERN}:49:21: E405 unknown contact 'nspcc_helpline': it is not in school.yml nor the built-in services "
        "(did you mean 'childline'?)",
        f"{CONCERN}:10:12: E414 unknown source 'kcsie-2025': it is not in sources.yml",
    ]


# --- roles ----------------------------------------------------------------------------------

def test_role_labels_for_each_form():
    labels = {**BUILTIN_ROLES, "trust_lead": "The trust's safeguarding lead"}
    assert describe_roles("dsl", labels) == "The DSL"
    assert describe_roles(["you", "dsl"], labels) == "You or the DSL"
    assert describe_roles(["you", "dsl", "lado"], labels) == "You, the DSL or The LADO".replace("The LADO", "the LADO")
    conditional = ["head_teacher", ConditionalRole.model_validate({"role": "chair_of_governors",
                                                                   "if": "the concern is about the head teacher"})]
    assert describe_roles(conditional, labels) == \
        "The head teacher; the chair of governors if the concern is about the head teacher"
    assert describe_roles(["police"], labels) == "The police"


def test_unknown_role_with_did_you_mean(project):
    edit(project, ALLEGATION, "who: [head_teacher,", "who: [head_teachr,")
    assert errors(project) == [f"{ALLEGATION}:25:15: E415 unknown role 'head_teachr' (did you mean 'head_teacher'?)"]


def test_unknown_role_in_a_condition_and_school_roles(project):
    edit(project, CONCERN, "role: trust_lead", "role: trust_leader")
    assert errors(project) == [f"{CONCERN}:43:19: E415 unknown role 'trust_leader' (did you mean 'trust_lead'?)"]


def test_unknown_decider_without_a_close_match(project):
    edit(project, CONCERN, "decided_by: [you, dsl]", "decided_by: [you, zebra]")
    assert errors(project) == [f"{CONCERN}:17:23: E415 unknown role 'zebra' (add it to school.yml under 'roles:')"]


def test_unknown_contact_without_a_close_match_says_where_contacts_come_from(project):
    # Bug: no hint at all, though the guide's table of codes says "see the hint".
    edit(project, CONCERN, '{{ contact("childline") }}', '{{ contact("safeguarding_governor") }}')
    assert errors(project) == [
        f"{CONCERN}:37:15: E405 unknown contact 'safeguarding_governor': it is not in school.yml nor the built-in "
        "services (add it to school.yml under 'contacts:', or name one of school.yml's: dsl, deputy_dsl, "
        "staff_line, childline)"]


# --- time limits ----------------------------------------------------------------------------

@pytest.mark.parametrize("value", ["immediately", "within 1 hour", "same day", "within 24 hours",
                                   "within 1 working day", "within 2 working days", "within 10 working days"])
def test_time_limits_accepted(project, value):
    edit(project, CONCERN, "when: same day", f"when: {value}")
    assert errors(project) == []


def test_bad_time_limit_with_did_you_mean(project):
    edit(project, CONCERN, "when: same day", "when: the same day")
    assert errors(project) == [
        f"{CONCERN}:39:15: E205 'when': 'the same day' is not a time limit (did you mean 'same day'?): write one of "
        "immediately, within 1 hour, same day, within 24 hours, within 1 working day, within N working days, "
        "or the source's own words with their kind, e.g. {kind: working_days, n: 1, says: 'next working day'}"]


def test_time_limit_of_one_working_days_is_refused(project):
    # 'within 1 working days' would read wrongly; the singular has its own spelling.
    edit(project, CONCERN, "when: same day", "when: within 1 working days")
    assert len(errors(project)) == 1 and "is not a time limit" in errors(project)[0]


# --- citations and sources ------------------------------------------------------------------

def test_unknown_source_part_with_did_you_mean(project):
    edit(project, CONCERN, "cites: [kcsie-2025#para-55]", "cites: [kcsie-2025#para-56]")
    assert errors(project) == [f"{CONCERN}:28:13: E413 cites 'kcsie-2025#para-56': the source 'kcsie-2025' has no "
                               "part 'para-56' (did you mean 'kcsie-2025#para-55'?)"]


def test_unknown_policy_clause_keeps_its_message(project):
    edit(project, CONCERN, "cites: [safety#tell-the-dsl, kcsie", "cites: [safety#tell-the-dls, kcsie")
    assert errors(project) == [f"{CONCERN}:50:13: E403 cites 'safety#tell-the-dls', which is not a clause in "
                               "policies/ (did you mean 'safety#tell-the-dsl'?)"]


def test_action_citation_checked(project):
    edit(project, CONCERN, "cites: [local-lado#step-1]", "cites: [local-lado#step-2]")
    assert errors(project) == [f"{CONCERN}:47:17: E413 cites 'local-lado#step-2': the source 'local-lado' has no "
                               "part 'step-2' (did you mean 'local-lado#step-1'?)"]


def test_superseded_source_is_a_warning_and_a_note(project):
    edit(project, CONCERN, "cites: [kcsie-2025#para-55]", "cites: [kcsie-2024#para-55]")
    assert warnings(project) == [
        f"{CONCERN}:28:13: W410 warning: cites 'kcsie-2024', which is superseded by 'kcsie-2025' "
        "(cite 'kcsie-2025' instead)",
        f"{CONCERN}:28:13: W412 warning: cites 'kcsie-2024', which is not in force on 2026-11-24",
    ]
    text = page(project, "concern")
    assert "Check the guidance this guide rests on" in text
    assert "it has been replaced by a newer edition." in text
    assert "it is not in force on the date this site was built" in text


def test_wrong_jurisdiction_is_a_warning(project):
    edit(project, CONCERN, "guidance: [kcsie-2025]", "guidance: [kcsie-2025, wales-guidance]")
    assert warnings(project) == [f"{CONCERN}:10:24: W411 warning: cites 'wales-guidance', which applies in Wales, "
                                 "not in England (school.yml 'nation')"]
    edit(project, "school.yml", "nation: England", "nation: Wales")
    assert f"{CONCERN}:28:13: W411 warning: cites 'kcsie-2025', which applies in England, not in Wales " \
           "(school.yml 'nation')" in warnings(project)


def test_not_yet_in_force_is_a_warning(project):
    assert warnings(project, today=date(2025, 8, 1)) == [
        f"{CONCERN}:28:13: W412 warning: cites 'kcsie-2025', which is not in force on 2025-08-01"]


def test_school_sources_override_builtin(project):
    (project / "sources.yml").write_text(
        (project / "sources.yml").read_text(encoding="utf-8")
        + "  - id: kcsie-2025\n    title: KCSIE as the school records it\n    kind: statutory_guidance\n"
          "    publisher: DfE\n    jurisdiction: [England]\n    parts:\n      - id: para-55\n"
          "        title: Concerns\n", encoding="utf-8")
    assert "KCSIE as the school records it" in page(project, "concern")


def test_unknown_superseded_by(project, tmp_path):
    data = tmp_path / "data"
    shutil.copytree(DATA, data)
    edit(data, "sources.yml", "superseded_by: kcsie-2025", "superseded_by: kcsie-2026")
    assert errors(project, data=data) == [
        f"{data / 'sources.yml'}:20:20: E421 superseded_by 'kcsie-2026' is not a source id "
        "(did you mean 'kcsie-2025'?)"]


# --- links between trees --------------------------------------------------------------------

def test_cross_tree_target_unknown_tree(project):
    edit(project, CONCERN, 'next: "allegation#report_allegation"', 'next: "allegations#report_allegation"')
    assert errors(project) == [f"{CONCERN}:26:56: E416 unknown tree 'allegations' in "
                               "'allegations#report_allegation' (did you mean 'allegation'?)"]


def test_cross_tree_target_unknown_step(project):
    edit(project, CONCERN, 'also_follow: ["allegation#report_allegation"]',
         'also_follow: ["allegation#report_alegation"]')
    assert errors(project) == [f"{CONCERN}:48:19: E407 unknown step 'report_alegation' in tree 'allegation' "
                               "(did you mean 'report_allegation'?)"]


def test_cross_tree_target_must_be_on_every_site_of_the_source(project):
    edit(project, CONCERN, "audiences: [staff]", "audiences: [staff, parents]")
    assert errors(project) == [
        f"{CONCERN}:26:56: E417 tree 'allegation' is not published on the parents' site, where this tree is "
        "(add 'parents' to the audiences of 'allegation', or link to a tree published there)",
        f"{CONCERN}:48:19: E417 tree 'allegation' is not published on the parents' site, where this tree is "
        "(add 'parents' to the audiences of 'allegation', or link to a tree published there)",
    ]


def test_cross_tree_links_render_relative(project):
    text = page(project, "concern")
    assert ('<a href="../allegation/#report_allegation" class="tree-answer" data-answer="adult" '
            'data-tree="allegation">It is about an adult</a>') in text
    assert ('<strong>Also follow:</strong> <a href="../allegation/#report_allegation" class="tree-follow" '
            'data-tree="allegation">A concern about an adult who works here: Tell the head teacher</a>') in text


def test_a_step_other_guides_lead_to_guesses_no_origin(project):
    """Bug caught (issue 27): "You may have come from: …" on a step reached directly, naming a guide the reader
    never visited. Only the page's script, which knows the walk, says where the reader came from."""
    text = page(project, "allegation")
    assert "come from" not in text and "tree-came-from" not in text


# --- shared groups --------------------------------------------------------------------------

def test_unknown_shared_group(project):
    edit(project, CONCERN, "- use: danger", "- use: dangr")
    assert errors(project) == [f"{CONCERN}:12:10: E410 unknown shared step group 'dangr': there is no "
                               "decision_trees/shared/dangr.yml (did you mean 'danger'?)"]


def test_continue_missing_when_the_group_uses_it(project):
    edit(project, CONCERN, "    continue: what_happened\n", "")
    assert errors(project)[0] == (f"{CONCERN}:12:10: E411 the shared group 'danger' leads on to 'continue', but "
                                  "this 'use:' names no 'continue:' step (add 'continue: <step id>', the step of "
                                  "this tree that comes next)")


def test_continue_to_unknown_step(project):
    edit(project, CONCERN, "continue: what_happened", "continue: what_happend")
    assert errors(project) == [f"{CONCERN}:13:15: E407 unknown step 'what_happend' (did you mean 'what_happened'?)"]


def test_step_id_clash_between_group_and_tree(project):
    edit(project, CONCERN, "id: nothing_more", "id: call_999")
    edit(project, CONCERN, "next: nothing_more", "next: call_999")
    assert errors(project) == [f"{CONCERN}:53:9: E412 step id 'call_999' is also a step of the shared group 'danger' "
                               f"({GROUP}) (give this tree's step another id)"]


def test_group_error_reported_once_in_the_group_file(project):
    shutil.copy(project / CONCERN, project / "decision_trees" / "concern-two.yml")
    edit(project, "decision_trees/concern-two.yml", "id: concern", "id: concern-two")
    edit(project, GROUP, "next: call_999", "next: call_99")
    assert errors(project) == [f"{GROUP}:8:41: E407 unknown step 'call_99' (did you mean 'call_999'?)"]


def test_group_changed_once_changes_every_tree(project):
    shutil.copy(project / CONCERN, project / "decision_trees" / "concern-two.yml")
    edit(project, "decision_trees/concern-two.yml", "id: concern", "id: concern-two")
    edit(project, GROUP, "Call **999**, then", "Call **999** at once, then")
    for tree_id in ("concern", "concern-two"):
        assert "Call <strong>999</strong> at once, then" in page(project, tree_id)


# --- contacts in text -----------------------------------------------------------------------

def test_contact_in_text_is_substituted_never_evaluated(project):
    text = page(project, "concern")
    assert ("Call <strong>999</strong>, then tell <strong>Designated Safeguarding Lead (DSL)</strong>: Ms A Example, "
            '<a href="tel:01234567890">01234 567890</a>') in text
    # The school's entry overrides the built-in service of the same id.
    assert ("ring <strong>Childline (the school's own entry)</strong>, "
            '<a href="tel:08001111">0800 1111</a>') in text


def test_template_code_in_text_is_shown_not_run(project):
    edit(project, CONCERN, "Never investigate yourself.", "Never {{ 7*7 }} {% if true %}x{% endif %}.")
    text = page(project, "concern")
    assert "Never {{ 7*7 }} {% if true %}x{% endif %}." in text
    assert "Never 49" not in text and "Never x" not in text


def test_unknown_contact_in_text(project):
    edit(project, GROUP, 'contact("dsl")', 'contact("dls")')
    assert errors(project) == [f"{GROUP}:16:15: E405 unknown contact 'dls': it is not in school.yml nor the "
                               "built-in services (did you mean 'dsl'?)"]


def test_private_contact_on_a_parents_tree(project):
    edit(project, ALLEGATION, "audiences: [staff]", "audiences: [staff, parents]")
    edit(project, CONCERN, "audiences: [staff]", "audiences: [staff, parents]")
    edit(project, CONCERN, 'contact("childline")', 'contact("staff_line")')
    assert errors(project) == [f"{CONCERN}:37:15: E418 contact 'staff_line' is 'public: false', but this tree is "
                               "published on the parents' site (name a public contact, or make the tree staff-only)"]


def test_services_directory_supplies_contacts(project):
    assert "NSPCC helpline" in page(project, "concern")


# --- richer steps ---------------------------------------------------------------------------

def test_outcome_needs_actions_or_no_further_action(project):
    edit(project, CONCERN, "    no_further_action: true\n", "")
    assert errors(project) == [f"{CONCERN}:52:5: E205 an outcome needs at least one action, or "
                               "'no_further_action: true'"]


def test_select_many_needs_criteria(project):
    edit(project, ALLEGATION, "    question: Who is the concern about?\n",
         "    question: Who is the concern about?\n    select: many\n")
    assert errors(project) == [f"{ALLEGATION}:16:13: E420 'select: many' needs criteria to tick "
                               "(add the items under 'criteria:', or remove 'select')"]


def test_duplicate_criterion_id(project):
    edit(project, CONCERN, "      - You saw something.", "      - id: told_by_child\n        text: You saw it.")
    assert errors(project) == [f"{CONCERN}:23:13: E419 duplicate criterion id 'told_by_child' (first used at line 21)"]


def test_always_available_step_counts_as_reachable(project):
    edit(project, CONCERN, "    always_available: true\n", "")
    assert errors(project) == [f"{CONCERN}:59:9: E408 step 'whistleblowing' cannot be reached from the first step "
                               "'is_child_in_danger'"]


def test_a_guidance_edition_the_title_does_not_name_is_shown(project, tmp_path):
    """Bug caught: naming the edition only when the title holds it, or never (a reader cannot tell which
    edition of 'Keeping children safe in education' a guide follows)."""
    data = tmp_path / "data"
    shutil.copytree(DATA, data)
    sources = data / "sources.yml"
    sources.write_text(sources.read_text(encoding="utf-8").replace(
        "title: Keeping children safe in education 2025", "title: Keeping children safe in education", 1),
        encoding="utf-8")
    text = page(project, "concern", data=data)
    assert ("<strong>This guide follows:</strong> Keeping children safe in education (2025 edition), "
            "applies in England.") in text


def test_rendering_of_the_new_fields(project):
    text = page(project, "concern")
    assert "Also called: disclosure, worried" in text
    # The edition is named once (bug caught: "Keeping children safe in education 2025 (2025 edition)").
    assert ("<strong>This guide follows:</strong> Keeping children safe in education 2025, "
            "applies in England.") in text
    assert "You or the DSL decides this." in text
    assert "<strong>Tick each one that applies (more than one may apply):</strong>" in text
    assert '<li data-criterion="told_by_child">A child told you something.</li>' in text
    # A time limit is shown first and marked for the eye; a condition is in italics before the action.
    assert ('<p class="tree-action-head"><strong class="tree-when" data-when="within 1 working day" '
            'data-when-kind="working_days" data-when-n="1" data-when-limit="within 1 working day">Within 1 '
            "working day</strong> · <strong class=\"tree-who\">The DSL; the trust's safeguarding lead if the "
            "DSL is away:</strong> <em class=\"tree-if\">If the child is already known to children's social "
            "care:</em></p>\n<p>Decide whether to refer.</p>") in text
    assert "<p class=\"tree-nfa\"><strong>No further action is needed.</strong></p>" in text
    assert ('<a class="tree-always-link" href="#whistleblowing">Raise a concern about how a concern was '
            "handled</a>") in text
    assert "Local procedure: Local LADO procedure, Contact the LADO within one working day" in text
    assert ('School policy: <a href="../../policies/safety/reporting/#tell-the-dsl">Safety policy, 1 ¶1</a>'
            in text)
    assert ('Statutory guidance: <a href="https://www.gov.uk/government/publications/keeping-children-safe-in-'
            'education--2">Keeping children safe in education 2025</a>') in text
    # never comes before the actions on an outcome and before the answers on a question
    step = text[text.index('id="tell_the_dsl"'):]
    assert step.index("Never investigate yourself.") < step.index(">What to do</h3>")
    question = text[text.index('id="what_happened"'):]
    assert question.index("Never promise the child secrecy.") < question.index('class="tree-answers"')


@pytest.mark.parametrize("decided_by, expected", [
    ("[you]", "You decide this."),  # bug: a list of one 'you' read "You decides this."
    ("you", "You decide this."),
    ("[dsl, you]", "The DSL or you decide this."),  # bug: "The DSL or you decides this."
    ("[staff]", "Staff decide this."),  # bug: "Staff decides this."
    ("[you, dsl]", "You or the DSL decides this."),  # the verb agrees with the nearer role
])
def test_who_decides_agrees_with_its_verb(project, decided_by, expected):
    edit(project, ALLEGATION, "    question: Who is the concern about?\n",
         f"    question: Who is the concern about?\n    decided_by: {decided_by}\n")
    text = page(project, "allegation")
    assert f'<p class="tree-decider"><strong>{expected}</strong></p>' in text  # the step
    assert f"<p>{expected}</p>" in text  # the whole tree at the end of the page


def test_editor_notes_are_never_rendered(project):
    for site in ("staff",):
        text = page(project, "concern", site)
        assert "EDITOR-NOTE-SECRET" not in text
        assert "KCSIE 2025 paras 55-70, paraphrased" not in text


def test_emergency_panel_follows_the_tree_setting(project):
    assert 'class="tree-emergency"' in page(project, "concern")
    assert 'class="tree-emergency"' not in page(project, "allegation")  # emergency_panel: false


# --- editors' notes: the staff site's review page and the preview, never elsewhere -----------

def rendered_sites(project: Path, preview: bool = False):
    from generator.pipeline import BASE_CONFIG, THEME_DIR
    from generator.render.renderer import render_project

    validated, diagnostics = run(project)
    assert validated is not None, [str(d) for d in diagnostics if d.is_error]
    return render_project(validated, BASE_CONFIG, THEME_DIR, preview=preview)


NOTES = ("EDITOR-NOTE-SECRET", "KCSIE 2025 paras 55-70, paraphrased")


def test_editors_page_lists_every_note_by_tree_and_step(project):
    edit(project, ALLEGATION, "    question: Who is the concern about?\n",
         "    question: Who is the concern about?\n    editor_note: Check the LADO's number\n")
    sites = rendered_sites(project)
    page_text = sites["staff"].docs["editors/index.md"]
    assert "## A concern about an adult who works here" in page_text
    assert "- [Who is the concern about?](../what-to-do/allegation/index.md#who_is_it_about)" in page_text
    assert "    - **Editor's note:** Check the LADO's number" in page_text
    assert "## I am worried about a child" in page_text
    assert "- [What has happened?](../what-to-do/concern/index.md#what_happened)" in page_text
    assert "    - **Source:** KCSIE 2025 paras 55-70, paraphrased" in page_text
    assert "    - **Editor's note:** EDITOR-NOTE-SECRET: check the local timescale" in page_text
    # Issue 28: the editors' pages are not in every staff member's menu (tests/render/test_editors_menu.py).
    assert {"Editors' notes": "editors/index.md"} not in sites["staff"].config["nav"]


def test_editors_notes_never_reach_the_parents_site_nor_normal_staff_pages(project):
    edit(project, ALLEGATION, "audiences: [staff]", "audiences: [staff, parents]")
    edit(project, CONCERN, "audiences: [staff]", "audiences: [staff, parents]")
    for preview in (False, True):
        sites = rendered_sites(project, preview=preview)
        assert "editors/index.md" not in sites["parents"].docs
        for path, text in sites["parents"].docs.items():
            for note in NOTES:
                assert note not in text, f"parents' {path} (preview={preview}) shows an editors' note"
    staff = rendered_sites(project)["staff"].docs
    for path, text in staff.items():
        if path != "editors/index.md":
            for note in NOTES:
                assert note not in text, f"staff {path} shows an editors' note outside preview"


def test_preview_shows_the_editors_notes_inline_on_the_staff_guides(project):
    text = guide_page(rendered_sites(project, preview=True)["staff"], "concern")
    step = text[text.index('id="what_happened"'):]
    step = step[: step.index("</section>")]
    assert "For editors (shown in preview only)" in step
    assert "<strong>Source:</strong> KCSIE 2025 paras 55-70, paraphrased" in step
    assert "<strong>Editor&#39;s note:</strong> EDITOR-NOTE-SECRET: check the local timescale" in step \
        or "<strong>Editor's note:</strong> EDITOR-NOTE-SECRET: check the local timescale" in step


def test_a_list_inside_an_action_keeps_the_action_numbering(project):
    """Bug caught (issue 11 item 7): a list in an action's text merged into the numbered actions (5 shown as 17)."""
    edit(project, CONCERN, "Decide whether to refer.", "|\n          Decide whether to refer:\n\n"
                                                        "          - to children's social care;\n"
                                                        "          - to early help.")
    text = page(project, "concern")
    step = text[text.index('id="tell_the_dsl"'):]
    actions = step[step.index('<div class="tree-actions">'): step.index("</ol>\n</div>")]
    assert actions.count('<li class="tree-action">') == 2
    assert "<p>Decide whether to refer:</p>\n<ul>\n<li>to children's social care;</li>\n<li>to early help.</li>" \
        in actions
