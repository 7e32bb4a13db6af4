"""Validation: YAML's typing traps, unsafe text, warnings, --strict, and every problem reported at once.

Most tests use a small project: the real school.yml and glossary.yml with the corpus's sample
policy and tree (tests/broken/_valid), so they do not depend on the school's other trees.
"""

from __future__ import annotations

import json
import random
import re
import shutil
import textwrap
from datetime import date
from pathlib import Path

import jsonschema
import pytest
import yaml

from generator import cli, pipeline
from generator.load.diagnostics import Diagnostic
from generator.load.source import Source
from generator.load.models import DecisionTree
from generator.authoring.schema import load_as_editor
from generator.checks.schema_messages import _schema_diagnostics
from generator.checks.texts import _check_text
from support import copy_valid_project

REPO = Path(__file__).resolve().parents[2]
WEXHAM = REPO / "tests" / "fixtures" / "wexham"
TREE = "decision_trees/sample-tree.yml"
POLICY = "policies/sample-policy.yml"
TODAY = date(2026, 11, 24)


@pytest.fixture
def project(tmp_path) -> Path:
    return copy_valid_project(tmp_path)


def edit(project: Path, name: str, old: str, new: str) -> None:
    path = project / name
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def errors(project: Path, today: date = TODAY) -> list[str]:
    return [str(d) for d in pipeline.check(project, today).diagnostics if d.is_error]


def warnings(project: Path, today: date = TODAY) -> list[str]:
    return [str(d) for d in pipeline.check(project, today).diagnostics if not d.is_error]


def test_sample_project_is_valid(project):
    result = pipeline.check(project, TODAY)
    assert result.ok, [str(d) for d in result.diagnostics]


# --- YAML's implicit typing: a value means what the author wrote -------------------------------

def test_yaml_traps_keep_their_meaning(project):
    """'No' as a label, 1.0 as a version, 'yes' as a flag and an 'on' text all mean what was written."""
    edit(project, TREE, "        label: No\n", "        label: No\n")
    edit(project, TREE, "title: Call 999, then tell the DSL", "title: on")
    edit(project, TREE, "urgent: true", "urgent: no")
    result = pipeline.check(project, TODAY)
    assert result.ok, [str(d) for d in result.diagnostics]
    tree = result.project.trees_by_id["sample-tree"]
    assert tree.version == "1.0" and tree.safeguarding is True
    # by id: the tree starts with the shared danger group's steps (`use: sample-danger`)
    steps = {node.id: node for node in tree.nodes if hasattr(node, "id")}
    assert [a.label for a in steps["is_child_in_danger"].answers] == ["Yes", "No"]
    assert steps["call_999"].title == "on" and steps["call_999"].urgent is False


def test_the_key_on_stays_on(project):
    edit(project, TREE, "owner: Designated Safeguarding Lead\n", "owner: Designated Safeguarding Lead\non: yes\n")
    assert errors(project) == [f"{TREE}:8:1: E201 unknown key 'on' (allowed keys: id, title, use_when, also_called, audiences, "
                               "owner, last_reviewed, version, safeguarding, emergency_panel, jurisdiction, guidance, "
                               "nodes, concern_about, waive, starter)"]


@pytest.mark.parametrize("written, expected", [
    ("2024-09", "'last_reviewed': '2024-09' is not a valid date (write it as YYYY-MM-DD, e.g. 2025-09-01)"),
    ("2024-9-1", "'last_reviewed': '2024-9-1' is not a valid date (write it as YYYY-MM-DD: did you mean 2024-09-01?)"),
    # bug: a date written the British way got only the general example, not the date it meant
    ("20/11/2026", "'last_reviewed': '20/11/2026' is not a valid date (write it as YYYY-MM-DD: did you mean 2026-11-20?)"),
    ("1 September 2026",
     "'last_reviewed': '1 September 2026' is not a valid date (write it as YYYY-MM-DD: did you mean 2026-09-01?)"),
    ("20240901", "'last_reviewed': '20240901' is not a valid date (write it as YYYY-MM-DD: did you mean 2024-09-01?)"),
    ("September 2024", "'last_reviewed': 'September 2024' is not a valid date (write it as YYYY-MM-DD, e.g. 2025-09-01)"),
])
def test_dates_must_be_whole_dates(project, written, expected):
    edit(project, TREE, "last_reviewed: 2026-09-01", f"last_reviewed: {written}")
    assert errors(project) == [f"{TREE}:8:16: E204 {expected}"]


@pytest.mark.parametrize("written, hint", [
    ("14/10/2025", "did you mean 2025-10-14?"),  # bug: no hint at all
    ("autumn term 2025", "did you mean Autumn 2025?"),
    ("next year", None),
])
def test_a_policy_date_in_another_form_says_which_it_means(project, written, hint):
    edit(project, POLICY, "approved: Autumn 2025", f"approved: {written}")
    message = (f"{POLICY}:6:11: E204 'approved': '{written}' is not a date: write a term such as 'Autumn 2024' "
               "or a date such as '2024-12-31'")
    assert errors(project) == [message + (f" ({hint})" if hint else "")]


def test_quoted_and_unquoted_dates_are_the_same(project):
    edit(project, TREE, "last_reviewed: 2026-09-01", 'last_reviewed: "2026-09-01"')
    assert pipeline.check(project, TODAY).project.trees_by_id["sample-tree"].last_reviewed == date(2026, 9, 1)


# --- text that must never reach a page ------------------------------------------------------------

def _text_problems(value: str, key: str = "text") -> list[str]:
    source = Source(Path("x.yml"), "x.yml", {key: value}, {(key,): (1, 7)})
    return [f"{d.code} {d.message}" for d in _check_text(source)]


@pytest.mark.parametrize("value", [
    "Plain text with **bold**, *italic* and a [link](https://example.org/a?b=1&c=2).",
    "A [mail link](mailto:office@example.sch.uk), a [phone](tel:01234567890) and [an anchor](#clause).",
    "An autolink <https://www.ceop.police.uk/Safety-Centre/> and <mailto:office@example.sch.uk>.",
    "Children under 13 (age < 13) and a -> b, 3 > 2.",
    "A relative [page link](../policies/index.md).",
    "Curly {brackets} without attributes, and {: .class-only } lists.",
    "Entities such as &amp; and &lt;script&gt; are shown as text.",
])
def test_safe_text(value):
    assert _text_problems(value) == []


@pytest.mark.parametrize("value, found", [
    ("Hello <script>alert(1)</script>", "E206 raw HTML is not allowed in text (found '<script>alert(1)</sc')"),
    ("<b>bold</b>", "E206 raw HTML is not allowed in text (found '<b>bold</b>')"),
    ("<!-- hidden -->", "E206 raw HTML is not allowed in text (found '<!-- hidden -->')"),
    ("<img src=x onerror=alert(1)>", "E206 raw HTML is not allowed in text (found '<img src=x onerror=a')"),
    ("<javascript:alert(1)>", "E206 raw HTML is not allowed in text (found '<javascript:alert(1)')"),
    ("Read this.\n{: onclick=\"alert(1)\" }", "E206 HTML attributes are not allowed in text "
                                              "(found '{: onclick=\"alert(1)\" }')"),
    ("*word*{ onmouseover=alert(1) }", "E206 HTML attributes are not allowed in text (found '{ onmouseover=alert(1) }')"),
    ("[x](javascript:alert(1))", "E206 'javascript:' links are not allowed (found 'javascript:alert(1)')"),
    ("[x](JavaScript:alert(1))", "E206 'javascript:' links are not allowed (found 'JavaScript:alert(1)')"),
    ("[x]( <javascript:alert(1)>)", "E206 raw HTML is not allowed in text (found '<javascript:alert(1)')"),
    ("[x](data:text/html;base64,PHNjcmlwdD4=)", "E206 'data:' links are not allowed (found 'data:text/html;base64,PHNjcmlwdD4=')"),
    ("[x](javascript&#58;alert(1))", "E206 'javascript:' links are not allowed (found 'javascript&#58;alert(1)')"),
    ("[x][1]\n[1]: javascript:alert(1)", "E206 'javascript:' links are not allowed (found 'javascript:alert(1)')"),
])
def test_unsafe_text(value, found):
    assert _text_problems(value) == [found]


@pytest.mark.parametrize("key, value, ok", [
    ("url", "https://www.ceop.police.uk/Safety-Centre/", True),
    ("url", "www.ceop.police.uk", False),
    ("url", "javascript:alert(1)", False),
    ("website", "https://example.sch.uk", True),
    ("email", "office@example.sch.uk", True),
    ("email", "office at example", False),
    ("phone", "+44 (0)1753 123 456", True),
    ("phone", "999", True),
    ("phone", "01753 123456 (option 2)", False),
])
def test_addresses(key, value, ok):
    found = _text_problems(value, key)
    assert (found == []) is ok, found
    if not ok:
        assert found[0].startswith("E207 ")


def test_html_in_any_field_fails_once(project):
    edit(project, TREE, "title: Tell the DSL now", "title: Tell the DSL <b>now</b>")
    edit(project, POLICY, "It applies to all staff, governors and volunteers.", "It <i>applies</i> to all staff.")
    assert errors(project) == [
        f"{TREE}:39:25: E206 raw HTML is not allowed in text (found '<b>now</b>') "
        "(write plain Markdown: **bold**, *italic*, [link text](https://…))",
        f"{POLICY}:21:18: E206 raw HTML is not allowed in text (found '<i>applies</i> to al') "
        "(write plain Markdown: **bold**, *italic*, [link text](https://…))",
    ]


def test_html_is_located_on_its_own_line_of_a_folded_paragraph(project):
    """Bug caught: E206 pointed at the 'text: >-' line, so an editor had to hunt through a long paragraph
    for the tag. Positions written out by hand from the edited file."""
    edit(project, POLICY, "        text: It applies to all staff, governors and volunteers.",
         "        text: >-\n          It applies to all staff,\n          governors <u>and</u> volunteers.")
    assert [line.split(" (found")[0] for line in errors(project)] == [
        f"{POLICY}:23:21: E206 raw HTML is not allowed in text"]


def test_html_after_an_escape_is_located_at_its_value(project):
    # The words before the tag are not written as they read ("caf\\u00e9"): the value's own position.
    edit(project, POLICY, "        text: It applies to all staff, governors and volunteers.",
         '        text: "It applies to caf\\u00e9 <u>staff</u>."')
    assert [line.split(" (found")[0] for line in errors(project)] == [
        f"{POLICY}:21:15: E206 raw HTML is not allowed in text"]


# --- messages ------------------------------------------------------------------------------------

def test_every_problem_in_every_file_is_reported(project):
    edit(project, TREE, "        next: call_999", "        nxet: call_999")
    edit(project, TREE, "audiences:\n  - staff", "audiences:\n  - teachers")
    edit(project, POLICY, "owner: Head Teacher\n", "")
    edit(project, "glossary.yml", "terms:", "terms:\n  - term: X\n    defintion: typo\n")
    found = errors(project)
    assert [line.split(" ")[0:2] for line in found] == [
        ["decision_trees/sample-tree.yml:6:5:", "E205"],
        ["decision_trees/sample-tree.yml:17:9:", "E202"],
        ["decision_trees/sample-tree.yml:19:9:", "E201"],
        ["glossary.yml:3:5:", "E202"],
        ["glossary.yml:4:5:", "E201"],
        ["policies/sample-policy.yml:3:1:", "E202"],
    ]
    assert "glossary.yml:4:5: E201 unknown key 'defintion' (did you mean 'definition'?)" in found


def test_text_with_a_colon_read_as_a_mapping(project):
    edit(project, TREE, "    contacts:\n      - dsl\n      - childrens_social_care\n    cites",
         "    never:\n      - Never tell the parent: leave it to the DSL.\n    contacts:\n      - dsl\n"
         "      - childrens_social_care\n    cites")
    assert errors(project) == [
        f"{TREE}:46:9: E205 'never': expected text, but the ': ' after 'Never tell the parent' made YAML read it as "
        "'key: value' (put the whole text in double quotes, or write '>-' and the text on the next line, indented)"]


def test_a_step_field_named_like_the_union_tag_is_located(project):
    # 'question' is both a step's kind and a key of a question step: errors inside it must not be lost.
    edit(project, TREE, "        next: call_999", "        nxet: call_999")
    assert errors(project)[1] == f"{TREE}:19:9: E201 unknown key 'nxet' (did you mean 'next'?)"


def test_an_error_that_cannot_be_placed_is_still_reported():
    try:
        DecisionTree.model_validate({"id": "x"})
    except Exception as error:  # noqa: BLE001 - a ValidationError
        validation_error = error
    other_data = Source(Path("t.yml"), "t.yml", ["not", "the", "same", "data"], {(): (1, 1)})
    found = _schema_diagnostics(other_data, DecisionTree, validation_error)
    assert found and all(isinstance(d, Diagnostic) and d.is_error for d in found)


# --- warnings and --strict -----------------------------------------------------------------------

def test_review_warnings(project):
    edit(project, POLICY, "review_due: Autumn 2027", "review_due: 2027-01-10")
    edit(project, TREE, "last_reviewed: 2026-09-01", "last_reviewed: 2025-09-01")
    found = [w for w in warnings(project) if "sample" in w]
    assert sorted(found) == [
        f"{TREE}:8:16: W503 warning: tree last reviewed 2025-09-01, over a year ago",
        f"{POLICY}:8:13: W502 warning: review is due 2027-01-10, within 60 days",
    ]


def test_check_exit_codes(project, capsys):
    edit(project, POLICY, "review_due: Autumn 2027", "review_due: 2027-01-10")
    args = ["check", "--project", str(project), "--today", TODAY.isoformat()]
    assert cli.main(args) == 0
    out = capsys.readouterr().err
    assert "W502 warning: review is due 2027-01-10" in out and "All data files are valid." in out
    assert cli.main(args + ["--strict"]) == 1
    assert "Aborted: 0 error(s)" in capsys.readouterr().err
    edit(project, TREE, "id: sample-tree", "id: Sample")
    assert cli.main(args) == 1
    assert f"{TREE}:2:5: E205 'id': 'Sample' is not a valid id" in capsys.readouterr().err


def test_bad_today_is_a_message_not_a_traceback(project, capsys):
    with pytest.raises(SystemExit) as exited:
        cli.main(["check", "--project", str(project), "--today", "2026-13-01"])
    assert "'2026-13-01' is not a date" in str(exited.value.code)


# --- hand-written pages ---------------------------------------------------------------------------

def page(project: Path, text: str, folder: str = "staff") -> None:
    path = project / "docs" / folder / "page.md"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text), encoding="utf-8")


def test_page_citations_inside_raw_blocks_are_not_checked(project):
    page(project, """\
        # Page
        {% raw %}Write {{ cite("policy-id#clause-id") }} to cite a clause.{% endraw %}
        {# {{ contact("nobody") }} #}
        Real: {{ cite("social-media#teachers-standards") }} and {{ contact("dsl") }}.
    """)
    assert errors(project) == []


def test_page_template_errors_are_located(project):
    page(project, "# Page\n\nLine three\n{% raw %}\nunclosed\n")
    found = errors(project)
    assert len(found) == 1
    assert found[0].startswith("docs/staff/page.md:4:1: E306 template error: Missing end of raw directive")
    assert found[0].endswith("(write {% raw %}…{% endraw %} around text that should show curly brackets as they are)")


def test_page_template_code_other_than_the_allowed_calls_is_refused(project):
    # Pages were rendered as full Jinja: {{ cycler.__init__.__globals__.os.popen('id').read() }} ran a command.
    page(project, "# Page\n\nFine.\n\n{{ school.nmae }} {% if site == 'staff' %}x{% endif %}\n"
                  "{{ cycler.__init__.__globals__ }}\n{% raw %}{{ shown }}{% endraw %} {{ school.name }}\n")
    assert errors(project) == [
        "docs/staff/page.md:5:1: E208 template code '{{ school.nmae }}' is not allowed in a page" + _E208_HINT,
        "docs/staff/page.md:5:19: E208 template code '{% if site == 'staff' %}' is not allowed in a page" + _E208_HINT,
        "docs/staff/page.md:5:44: E208 template code '{% endif %}' is not allowed in a page" + _E208_HINT,
        "docs/staff/page.md:6:1: E208 template code '{{ cycler.__init__.__globals__…' is not allowed in a page"
        + _E208_HINT,
    ]


_E208_HINT = (' (use {{ contact("id") }}, {{ cite("policy#clause") }} or {{ school.name }}; '
              "write {% raw %}…{% endraw %} around text that shows curly brackets)")


# --- the authors' guide (generator/guide/authoring.md, part of the tool) -------------------------------------------------

GUIDE = REPO / "generator" / "guide" / "authoring.md"
# The policy the guide's examples cite: any school's, so the guide names no real school's clauses.
EXAMPLE_POLICY = """id: child-protection
title: Child Protection Policy
short_title: Child protection
period: 2025-2027
approved: 2025-09-01
approved_by: Governing board
review_due: 2027-09-01
owner: Head teacher
audiences: [staff, parents]
sections:
  - id: reporting
    number: 1
    title: Reporting
    clauses:
      - id: report-concerns
        text: Staff report every concern about a child to the DSL at once.
      - id: immediate-danger
        text: If a child is in immediate danger, staff call 999 first and then tell the DSL.
"""
_EXAMPLE = re.compile(r"<!-- example: (\w+) -->\n```yaml\n(.*?)\n```", re.S)


def guide_examples() -> list[tuple[str, str]]:
    return _EXAMPLE.findall(GUIDE.read_text(encoding="utf-8"))


def test_guide_has_examples_of_each_kind():
    assert {kind for kind, _ in guide_examples()} == {"clause", "policy", "tree"}


@pytest.mark.parametrize("index", range(len(guide_examples())))
def test_guide_example_is_valid(project, index):
    kind, text = guide_examples()[index]
    (project / "policies" / "child-protection.yml").write_text(EXAMPLE_POLICY, encoding="utf-8")
    if kind == "clause":
        # A clause as it sits in a policy's list: put it into the sample policy in place of its last clause.
        indented = textwrap.indent(text, "      ")
        path = project / POLICY
        body = path.read_text(encoding="utf-8")
        start = body.index("      - id: scope")
        path.write_text(body[:start] + indented + "\n", encoding="utf-8")
    else:
        data = yaml.safe_load(text)
        folder = "policies" if kind == "policy" else "decision_trees"
        (project / folder / f"{data['id']}.yml").write_text(text + "\n", encoding="utf-8")
        if kind == "tree":  # a safeguarding guide starts with the school's shared immediate-danger step
            shutil.copytree(WEXHAM / "decision_trees" / "shared", project / "decision_trees" / "shared",
                            dirs_exist_ok=True)
    result = pipeline.render(project, TODAY)
    assert result.ok, [str(d) for d in result.diagnostics if d.is_error]
    if kind != "clause":
        editor = load_as_editor(text)
        schema = json.loads((REPO / "schemas" / f"{kind}.schema.json").read_text(encoding="utf-8"))
        assert list(jsonschema.Draft7Validator(schema).iter_errors(editor)) == []


def test_guide_explains_every_code_the_generator_uses():
    used = set()
    for path in (REPO / "generator").rglob("*.py"):
        used |= set(re.findall(r"\"([EWI]\d{3})\"", path.read_text(encoding="utf-8")))
    documented = set(re.findall(r"^\| ([EWI]\d{3}) \|", GUIDE.read_text(encoding="utf-8"), re.M))
    assert used - documented == set(), "add these codes to the table in generator/guide/authoring.md"
    assert documented - used == set(), "the guide explains codes the generator no longer uses"


def test_guide_is_on_the_staff_site_only(project):
    """The tool adds its guide to every staff site, without the school's docs/ holding a copy."""
    assert not (project / "docs").exists()
    result = pipeline.render(project, TODAY)
    assert result.ok, [str(d) for d in result.diagnostics if d.is_error]
    staff = result.rendered["staff"].docs["authoring.md"]
    assert '{{ cite("child-protection#report-concerns") }}' in staff  # shown, not run
    assert "authoring.md" not in result.rendered["parents"].docs
    assert "authoring.md" in result.rendered["staff"].published["pages"]


def test_a_school_page_of_the_same_name_replaces_the_guide(project):
    (project / "docs" / "staff").mkdir(parents=True)
    (project / "docs" / "staff" / "authoring.md").write_text("# Our own guide\n\nAsk the office.\n")
    result = pipeline.render(project, TODAY)
    assert result.ok, [str(d) for d in result.diagnostics if d.is_error]
    assert result.rendered["staff"].docs["authoring.md"].startswith("{% from") is False
    assert "Ask the office." in result.rendered["staff"].docs["authoring.md"]
    assert "Editing policies and trees" not in result.rendered["staff"].docs["authoring.md"]


# --- no traceback for any input --------------------------------------------------------------------

_MANGLES = list(":*&!{}[]\"'\t#<>|-?%@`~\\,\n ") + ["- ", ": ", "\n  - ", "---", "null", "{{", "}}", "{%",
                                                   "\u2028", "\x00", "é", "<script>", "](javascript:x)"]


def test_mangled_files_never_crash(project):
    """Random damage (seeded, so repeatable) to every kind of file: located messages, never an exception."""
    page(project, '# Page\n\n{{ cite("social-media#teachers-standards") }} {{ contact("dsl") }}\n')
    targets = [TREE, POLICY, "school.yml", "glossary.yml", "docs/staff/page.md"]
    originals = {name: (project / name).read_text(encoding="utf-8") for name in targets}
    rng = random.Random(20261124)
    for _ in range(30):
        name = rng.choice(targets)
        text = originals[name]
        for _ in range(rng.randint(1, 3)):
            lines = text.split("\n")
            roll = rng.random()
            if roll < 0.25 and len(lines) > 2:
                del lines[rng.randrange(len(lines))]
                text = "\n".join(lines)
            elif roll < 0.4:
                lines.insert(rng.randrange(len(lines)), rng.choice(lines))
                text = "\n".join(lines)
            else:
                at = rng.randrange(len(text) + 1)
                text = text[:at] + (rng.choice(_MANGLES) if rng.random() < 0.6 else "") + text[at + rng.randint(0, 4):]
        (project / name).write_text(text, encoding="utf-8")
        result = pipeline.render(project, TODAY)
        for diagnostic in result.diagnostics:
            assert diagnostic.line >= 1 and diagnostic.column >= 1 and diagnostic.path
        (project / name).write_text(originals[name], encoding="utf-8")


# --- graph and dates (issue 10) --------------------------------------------------------------------

def test_an_answer_leading_to_its_own_step_is_refused(project):
    # Bug caught: "No -> is_child_in_danger" on is_child_in_danger was accepted (another answer led out).
    edit(project, TREE, "        label: No\n        next: tell_the_dsl\n", "        label: No\n        next: is_child_in_danger\n")
    assert errors(project) == [
        "decision_trees/sample-tree.yml:22:15: E422 answer 'no' leads back to its own step 'is_child_in_danger': "
        "the reader would be stuck on it (point 'next' at the step that should follow)"]


@pytest.mark.parametrize("approved, review_due, refused", [
    ("Autumn 2025", "2025-09-01", True),       # a date inside the approval term, before its end
    ("2025-10-01", "2025-09-30", True),
    ("Summer 2026", "Spring 2026", True),
    ("2025-10-01", "2025-10-01", False),
    ("Autumn 2025", "Autumn 2025", False),
    ("2025-10-01", "Autumn 2027", False),
])
def test_a_review_due_before_approval_is_refused(project, approved, review_due, refused):
    edit(project, POLICY, "approved: Autumn 2025", f"approved: {approved}")
    edit(project, POLICY, "review_due: Autumn 2027", f"review_due: {review_due}")
    expected = [f"policies/sample-policy.yml:8:13: E307 review_due '{review_due}' is before approved '{approved}' "
                "(a review falls after the approval: check both dates)"]
    assert errors(project) == (expected if refused else [])


@pytest.mark.parametrize("look_alike, name, index", [
    ("\u0430", "CYRILLIC SMALL LETTER A", 4),
    ("\u00a0", "NO-BREAK SPACE", 4),
    ("\u200b", "ZERO WIDTH SPACE", 4),
])
def test_a_look_alike_character_in_an_id_is_named_at_its_column(project, look_alike, name, index):
    edit(project, TREE, "    id: call_999\n", f"    id: cal{look_alike}l_999\n")
    found = [line for line in errors(project) if ":24:" in line]
    assert len(found) == 1, errors(project)
    assert found[0].startswith(f"decision_trees/sample-tree.yml:24:{9 + index - 1}: E205 'id': ")
    assert f"(character {index} is U+{ord(look_alike):04X} {name}, which looks like a letter or space" in found[0]


@pytest.mark.parametrize("setting, refused", [(None, True), ("false", True), ("true", False), ("yes", False)])
def test_http_links_only_where_school_yml_allows_them(project, setting, refused):
    edit(project, POLICY, "It applies to all staff, governors and volunteers.",
         "It applies to all staff ([see](http://example.org/)).")
    if setting is not None:
        (project / "school.yml").write_text((project / "school.yml").read_text(encoding="utf-8")
                                            + f"site:\n  allow_http_links: {setting}\n", encoding="utf-8")
    found = [line for line in errors(project) if " E206 " in line]
    assert found == (["policies/sample-policy.yml:21:46: E206 'http:' links are not allowed (use https://, or set "
                      "'allow_http_links: true' under 'site' in school.yml) (found 'http://example.org/') "
                      "(links must start with https://, mailto: or tel:, or be a page of this site)"]
                     if refused else [])


def test_curly_brackets_do_not_hide_html_in_data_text():
    # Bug caught: data text was scanned with '{{ … }}' blanked (as in pages), so '{{ <script> }}' got through.
    assert _text_problems("Hi {{ <script>alert(1)</script> }}")[0].startswith("E206 raw HTML is not allowed in text")
