"""A guide's steps as a DSL reads them on a phone (issue 27 items 4 and 5): citations gathered once per step,
a contact still to be confirmed as a short token, the emergency panel where it belongs, the record box's keeper
and words from the guide, role labels that read as sentences, and a guide's jurisdiction.

On the small fixture project of the trees-v2 tests (tests/fixtures/trees-v2), edited per test; expected HTML and
messages are written out by hand.
"""

from __future__ import annotations

import pytest
from markupsafe import Markup

from generator.render import guide_wording
from test_trees_v2 import ALLEGATION, CONCERN, edit, errors, page, warnings
from test_trees_v2 import project  # noqa: F401 - the fixture

SCHOOL = "school.yml"


def step_of(text: str, step_id: str) -> str:
    """One step's <section> of a rendered guide."""
    start = text.index(f'<section class="tree-step" id="{step_id}"')
    return text[start: text.index("</section>", start)]


# --- 1. citations: one "This rests on" per step, every citation of the step and its actions once --------

def test_citations_are_gathered_once_per_step(project):
    # The step cites the LADO procedure that its second action cites too: named once.
    edit(project, CONCERN, "cites: [safety#tell-the-dsl, kcsie-2025#para-55]",
         "cites: [safety#tell-the-dsl, kcsie-2025#para-55, local-lado#step-1]")
    edit(project, CONCERN, "        when: same day\n",
         "        when: same day\n        cites: [kcsie-2025#para-55]\n")
    step = step_of(page(project, "concern"), "tell_the_dsl")
    assert step.count("This rests on") == 1
    assert step.count("<details") == 1 and "tree-action-cites" not in step
    assert ('<details class="tree-cites">\n<summary>This rests on</summary>\n<p>School policy: '
            '<a href="../../policies/safety/reporting/#tell-the-dsl">Safety policy, 1 ¶1</a>. Statutory guidance: '
            '<a href="https://www.gov.uk/government/publications/keeping-children-safe-in-education--2">Keeping '
            "children safe in education 2025</a>, What staff do when they have a concern. Local procedure: Local "
            "LADO procedure, Contact the LADO within one working day</p>\n</details>") in step


def test_an_action_only_citation_reaches_the_step_list(project):
    # The LADO procedure is cited by an action alone: it is still listed, in the step's one block.
    step = step_of(page(project, "concern"), "tell_the_dsl")
    cites = step[step.index('<details class="tree-cites">'):]
    assert "Local LADO procedure, Contact the LADO within one working day" in cites
    assert step.index('<details class="tree-cites">') > step.index("Decide whether to refer.")


# --- 2. a placeholder contact inside a sentence -----------------------------------------------------------

def test_placeholder_contact_in_a_sentence_is_a_short_token(project):
    edit(project, SCHOOL, "contacts:\n",
         "contacts:\n  front_door:\n    role: Children's services front door\n    placeholder: true\n")
    edit(project, CONCERN, "      - text: Decide whether to refer.",
         '      - text: Ring the front door ({{ contact("front_door") }}) before you refer.')
    step = step_of(page(project, "concern"), "tell_the_dsl")
    assert ("<p>Ring the front door (<strong>Children&#39;s services front door</strong> <span class=\"tree-tbc\" "
            'title="The school has not yet added these details">to be confirmed</span>) before you refer.</p>') in step
    assert "to be confirmed —" not in step  # bug: the contact line's long parenthesis mid-sentence


def test_placeholder_dsl_in_the_emergency_panel_is_a_token_and_in_full_under_contacts(project):
    edit(project, SCHOOL, '    name: Ms A Example\n    phone: "01234 567890"\n', "    placeholder: true\n")
    step = step_of(page(project, "concern"), "tell_the_dsl")
    panel = step[step.index('<div class="tree-emergency"'):]
    panel = panel[: panel.index("</div>")]
    assert panel.endswith("then tell the\n<strong>Designated Safeguarding Lead (DSL)</strong> <span class=\"tree-tbc\" "
                          'title="The school has not yet added these details">to be confirmed</span></p>\n')
    contacts = step[step.index('<ul class="tree-contacts">'):]
    assert ("<li><strong>Designated Safeguarding Lead (DSL)</strong>: <em>to be confirmed — the school has not yet "
            "added these details</em></li>") in contacts


def test_placeholder_token_escapes_the_role():
    html = guide_wording.placeholder_tokens(Markup("<p>Ring " + guide_wording.placeholder_mark("x") + ".</p>"),
                                            lambda key: '<img src=x onerror="alert(1)">')
    assert "<img" not in html
    assert "&lt;img src=x onerror=&#34;alert(1)&#34;&gt;" in html


# --- 3. the emergency panel: where the guide or the step asks for it ---------------------------------------

PANEL = 'class="tree-emergency"'


def test_the_guides_panel_shows_on_its_steps_by_default(project):
    text = page(project, "concern")
    assert PANEL in step_of(text, "tell_the_dsl") and PANEL in step_of(text, "what_happened")


def test_a_step_can_turn_the_panel_off(project):
    edit(project, CONCERN, "    title: Tell the DSL now\n", "    title: Tell the DSL now\n    emergency_panel: false\n")
    text = page(project, "concern")
    assert PANEL not in step_of(text, "tell_the_dsl")
    assert PANEL in step_of(text, "what_happened")


def test_a_step_can_turn_the_panel_on_in_a_guide_without_it(project):
    edit(project, ALLEGATION, "    title: Tell the head teacher\n",
         "    title: Tell the head teacher\n    emergency_panel: true\n")
    text = page(project, "allegation")
    assert PANEL in step_of(text, "report_allegation")
    assert PANEL not in step_of(text, "who_is_it_about")


def test_a_step_about_an_adult_has_no_panel_unless_it_asks(project):
    title = "    title: Raise a concern about how a concern was handled\n"
    edit(project, CONCERN, title, title + "    concern_about: other_adult\n")
    text = page(project, "concern")
    assert PANEL not in step_of(text, "whistleblowing")
    assert PANEL in step_of(text, "tell_the_dsl")
    edit(project, CONCERN, "    concern_about: other_adult\n", "    concern_about: other_adult\n    emergency_panel: true\n")
    assert PANEL in step_of(page(project, "concern"), "whistleblowing")


def test_a_guide_about_adults_has_no_panel_on_its_steps(project):
    edit(project, CONCERN, "safeguarding: true\n", "safeguarding: true\nconcern_about: other_adult\n")
    text = page(project, "concern")
    assert PANEL not in step_of(text, "tell_the_dsl") and PANEL not in step_of(text, "what_happened")


def test_emergency_panel_of_a_step_must_be_true_or_false(project):
    edit(project, CONCERN, "    title: Tell the DSL now\n", "    title: Tell the DSL now\n    emergency_panel: maybe\n")
    found = errors(project)
    assert len(found) == 1 and found[0].startswith("decision_trees/concern.yml:34:22: E205 ")
    assert "emergency_panel" in found[0]


# --- 4. the record box: the guide's keeper and words, else the DSL's -----------------------------------------

def test_record_true_is_the_dsls_log(project):
    step = step_of(page(project, "concern"), "tell_the_dsl")
    assert '<p class="admonition-title">Make a record for the DSL\'s log</p>' in step
    assert "Give it to the DSL the same day" in step


def test_record_keeper_and_words_come_from_the_guide(project):
    edit(project, CONCERN, "    record: true\n", '    record:\n      keeper: case_manager\n      says: "Keep a '
         'confidential record; give it only to the person you told."\n')
    step = step_of(page(project, "concern"), "tell_the_dsl")
    assert ('<div class="admonition note tree-record-box">\n<p class="admonition-title">Make a record for the case '
            "manager</p>\n<p>Keep a confidential record; give it only to the person you told.</p>\n</div>") in step
    assert "DSL's log" not in step and "Give it to the DSL" not in step  # bug: the box contradicted the step


def test_record_keeper_alone_keeps_the_default_words_for_that_keeper(project):
    edit(project, CONCERN, "    record: true\n", "    record: {keeper: case_manager}\n")
    step = step_of(page(project, "concern"), "tell_the_dsl")
    assert "Give it to the case manager, and to no one else.</p>" in step
    assert "DSL" not in step[step.index("tree-record-box"):step.index("</div>", step.index("tree-record-box"))]


def test_unknown_record_keeper(project):
    edit(project, CONCERN, "    record: true\n", "    record: {keeper: case_manger}\n")
    assert errors(project) == ["decision_trees/concern.yml:51:22: E415 unknown role 'case_manger' (did you mean "
                               "'case_manager'?)"]


# --- 7. role labels that read as sentences ---------------------------------------------------------------

def test_words_that_read_on_from_the_role_make_one_sentence(project):
    edit(project, SCHOOL, "roles:\n", "roles:\n  referrer: The person who made the referral\n")
    edit(project, ALLEGATION, "        when: immediately\n",
         "        when: immediately\n      - text: Is informed of the decision.\n        who: referrer\n")
    step = step_of(page(project, "allegation"), "report_allegation")
    assert ('<li class="tree-action"><p><strong class="tree-who">The person who made the referral</strong> is '
            "informed of the decision.</p>\n</li>") in step
    assert "referral:</strong>" not in step  # bug: "The person who made the referral: Is informed of …"
    # An instruction keeps its role as a label.
    assert '<strong class="tree-who">The head teacher; the chair of governors if' in step


def test_a_sentence_keeps_its_time_limit_and_condition(project):
    edit(project, SCHOOL, "roles:\n", "roles:\n  referrer: The person who made the referral\n")
    edit(project, ALLEGATION, "        when: immediately\n",
         "        when: immediately\n      - text: Is informed of the decision.\n        who: referrer\n"
         "        when: within 1 working day\n        if: the referral was made by staff\n")
    step = step_of(page(project, "allegation"), "report_allegation")
    assert ('<li class="tree-action"><p class="tree-action-head"><strong class="tree-when" data-when="within 1 '
            'working day" data-when-kind="working_days" data-when-n="1" data-when-limit="within 1 working day">'
            'Within 1 working day</strong> · <em class="tree-if">If the referral was made by '
            'staff:</em></p>\n<p><strong class="tree-who">The person who made the referral</strong> is informed '
            "of the decision.</p>") in step


@pytest.mark.parametrize("text, expected", [
    ("Is informed of the decision.", "is informed of the decision."),
    ("Must be told the outcome.", "must be told the outcome."),
    ("Tell the DSL.", None),
    ("Isolate the device.", None),  # a word that starts like "is" is not "is"
])
def test_which_words_read_on_from_the_role(text, expected):
    assert guide_wording.continues_role(text) == expected


# --- item 4: sources of new kinds, and a guide's jurisdiction ---------------------------------------------

def test_new_source_kinds_are_labelled(project):
    edit(project, "sources.yml", "    kind: local_procedure\n", "    kind: partnership_procedure\n")
    step = step_of(page(project, "concern"), "tell_the_dsl")
    assert ("Local authority or safeguarding partnership procedure: Local LADO procedure, Contact the LADO within "
            "one working day") in step
    edit(project, "sources.yml", "    kind: partnership_procedure\n", "    kind: other_organisation_policy\n")
    step = step_of(page(project, "concern"), "tell_the_dsl")
    assert "Another organisation&#39;s policy: Local LADO procedure" in step


def test_jurisdiction_is_shown(project):
    edit(project, CONCERN, "guidance: [kcsie-2025]\n", "guidance: [kcsie-2025]\njurisdiction: england\n")
    assert warnings(project) == []
    assert '<p class="tree-jurisdiction">This procedure applies in England.</p>' in page(project, "concern")


def test_jurisdiction_of_another_nation_is_a_warning(project):
    edit(project, CONCERN, "guidance: [kcsie-2025]\n", "guidance: [kcsie-2025]\njurisdiction: wales\n")
    assert warnings(project) == [
        "decision_trees/concern.yml:11:15: W414 warning: the guide's jurisdiction is 'wales', but the school is in England "
        "(school.yml 'nation') (follow the procedure that applies where the school is, or correct 'jurisdiction')",
        "decision_trees/concern.yml:10:12: W415 warning: the guide follows 'kcsie-2025', which applies in England, "
        "not in Wales (the guide's jurisdiction is 'wales')",
    ]


def test_a_uk_guide_following_english_guidance_is_a_warning(project):
    edit(project, CONCERN, "guidance: [kcsie-2025]\n", "guidance: [kcsie-2025]\njurisdiction: uk\n")
    assert warnings(project) == [
        "decision_trees/concern.yml:10:12: W415 warning: the guide follows 'kcsie-2025', which applies in England, "
        "not in Wales, Scotland, Northern Ireland (the guide's jurisdiction is 'uk')",
    ]


def test_unknown_jurisdiction(project):
    edit(project, CONCERN, "guidance: [kcsie-2025]\n", "guidance: [kcsie-2025]\njurisdiction: france\n")
    found = errors(project)
    assert len(found) == 1 and found[0].startswith("decision_trees/concern.yml:11:15: E205 ")
    assert "england" in found[0] and "northern_ireland" in found[0]
