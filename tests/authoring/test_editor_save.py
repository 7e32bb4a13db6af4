"""Saving through the browser editor (issue 29, items 3-4): the file stays the source of truth and stays
reviewable (round trip: nothing changed -> no byte changed; one field -> one line), and nothing is written until
``check`` passes on the project with the change, each diagnostic at its form field. All on copies of
tests/fixtures/wexham."""

from __future__ import annotations

import difflib
import io
import shutil
import subprocess

import pytest

from editor_support import Client, copy_example, running_editor
from generator import pipeline
from generator.authoring.editor.roundtrip import Parsed
from support import TODAY, WEXHAM

GUIDE = "decision_trees/asked-for-photos.yml"


@pytest.fixture
def editor(tmp_path):
    project = copy_example(tmp_path)
    with running_editor(project) as server:
        yield Client(server), project


def _open(client, path):
    status, _, opened = client.get(f"/api/document?path={path}")
    assert status == 200, opened
    return opened["data"]


def test_every_file_of_the_example_school_dumps_back_byte_for_byte():
    # Bug: indentation, quoting, a comment or a folded block rewritten on the way out, so that a change of one
    # field would also rewrite lines nobody touched.
    files = sorted(WEXHAM.rglob("*.yml"))
    assert len(files) == 32  # counted by hand: 4 at the top, 1 policy, 25 guides, 2 shared groups of steps
    for path in files:
        parsed = Parsed(path.read_text(encoding="utf-8"))
        out = io.StringIO()
        parsed._yaml().dump(parsed.data, out)
        assert out.getvalue() == path.read_text(encoding="utf-8"), path


def test_opening_and_saving_every_file_unchanged_changes_no_byte(editor):
    client, project = editor
    before = {path: path.read_bytes() for path in project.rglob("*") if path.is_file()}
    _, _, documents = client.get("/api/documents")
    editable = [d for d in documents if d["schema"]]
    assert len(editable) == 31  # counted by hand: school.yml, glossary.yml, sources.yml, 1 policy, 25 guides, 2 shared
    #                             groups (mkdocs.yml, edited as text, has no form)
    for document in editable:
        status, _, saved = client.post("/api/save", {"path": document["path"], "data": _open(client, document["path"])})
        assert status == 200 and saved["ok"] and saved["written"] == [], (document, saved)
    assert {path: path.read_bytes() for path in project.rglob("*") if path.is_file()} == before


def test_changing_one_field_changes_one_line(editor):
    client, project = editor
    before = (project / GUIDE).read_text(encoding="utf-8")
    data = _open(client, GUIDE)
    data["nodes"][1]["answers"][3]["label"] = "Not sure who it is"
    status, _, saved = client.post("/api/save", {"path": GUIDE, "data": data})
    assert status == 200 and saved["written"] == [GUIDE], saved
    after = (project / GUIDE).read_text(encoding="utf-8")
    changed = [line[0] + line[2:] for line in difflib.ndiff(before.splitlines(), after.splitlines())
               if line[:2] in ("- ", "+ ")]
    # Line 56 of the fixture, found by hand: `        label: "I'm not sure"` (its double quotes kept).
    assert changed == ['-        label: "I\'m not sure"', '+        label: "Not sure who it is"']


def test_an_unsafe_instruction_is_not_written_and_is_shown_at_its_field(editor):
    # Bug: a save written before (or without) the safety rules, or a diagnostic shown only as file:line.
    client, project = editor
    before = (project / GUIDE).read_bytes()
    data = _open(client, GUIDE)
    data["nodes"][2]["actions"][0]["text"] = "Take a screenshot of the image and send it to the DSL."
    status, _, saved = client.post("/api/save", {"path": GUIDE, "data": data})
    assert status == 200 and not saved["ok"] and saved["written"] == []
    assert (project / GUIDE).read_bytes() == before
    errors = [f for f in saved["findings"] if f["error"]]
    assert [(f["code"], f["field"]) for f in errors] == [("S201", ["nodes", 2, "actions", 0, "text"])]
    assert "criminal offence" in errors[0]["explanation"] and "UKCIS" in errors[0]["explanation"]


def test_a_broken_link_is_shown_at_the_answer_with_the_codes_explanation(editor):
    client, project = editor
    data = _open(client, GUIDE)
    data["nodes"][1]["answers"][0]["next"] = "no_such_step"
    _, _, checked = client.post("/api/check", {"path": GUIDE, "data": data})
    errors = [f for f in checked["findings"] if f["error"]]
    assert [(f["code"], f["field"]) for f in errors] == [("E407", ["nodes", 1, "answers", 0, "next"])]
    assert errors[0]["explanation"].startswith("An answer (or a follow-up step) leads to a step id that does not exist")


def _codes_check_gives(tmp_path, path: str, edit) -> set[str]:
    """The error codes `check` gives the same change made in a file (a second copy, edited as text)."""
    project = tmp_path / "by-hand"
    shutil.copytree(WEXHAM, project)
    parsed = Parsed((project / path).read_text(encoding="utf-8"))
    data = parsed.as_json()
    edit(data)
    (project / path).write_text(parsed.updated(data), encoding="utf-8")
    return {d.code for d in pipeline.render(project, TODAY).diagnostics if d.is_error}


def _set(path_in_data, value):
    def edit(data):
        target = data
        for key in path_in_data[:-1]:
            target = target[key]
        target[path_in_data[-1]] = value
    return edit


HOSTILE = {
    "a script in a label": (GUIDE, ["nodes", 1, "answers", 0, "label"], "<script>alert(1)</script>"),
    "a javascript: link": (GUIDE, ["use_when"], "See [the form](javascript:alert(document.cookie))."),
    "an event handler": (GUIDE, ["title"], '<img src=x onerror="alert(1)">'),
    "a huge value": (GUIDE, ["title"], "a" * 2_100_000),
    "an id with odd characters": (GUIDE, ["nodes", 1, "id"], "who is<asking>"),
    "a policy's source outside the project": ("policies/social-media.yml", ["source"], "../../../../etc/passwd"),
}


@pytest.mark.parametrize("case", sorted(HOSTILE))
def test_hostile_input_is_refused_as_check_refuses_it_in_a_file(editor, tmp_path, case):
    client, project = editor
    path, where, value = HOSTILE[case]
    expected = _codes_check_gives(tmp_path, path, _set(where, value))
    assert expected, f"check accepts {case} in a file"
    before = (project / path).read_bytes()
    data = _open(client, path)
    _set(where, value)(data)
    status, _, saved = client.post("/api/save", {"path": path, "data": data})
    assert status == 200 and not saved["ok"] and saved["written"] == [], case
    assert {f["code"] for f in saved["findings"] if f["error"]} == expected
    assert (project / path).read_bytes() == before


def test_a_changed_clause_asks_first_then_records_a_deviation(editor):
    client, project = editor
    path = "policies/social-media.yml"
    before = (project / path).read_bytes()
    data = _open(client, path)
    clause = data["sections"][0]["clauses"][1]
    assert clause["id"] == "social-media-definition"
    clause["text"] = clause["text"].replace("web 2.0", "Web 2.0")
    status, _, refused = client.post("/api/save", {"path": path, "data": data})
    assert status == 409 and "governors approved the old wording of 'social-media-definition'" in refused["error"]
    assert (project / path).read_bytes() == before
    status, _, saved = client.post("/api/save", {"path": path, "data": data, "wording": {
        "record": "deviation", "reason": "capital letter, as the product is named"}})
    assert status == 200 and saved["ok"] and saved["written"] == [path], saved["findings"]
    written = Parsed((project / path).read_text(encoding="utf-8")).as_json()
    assert written["deviations"][-1]["clause"] == "social-media-definition"
    assert written["deviations"][-1]["reason"] == "capital letter, as the product is named"
    # Only the sentence that changed is recorded, as the house records a deviation (written by hand from the clause).
    assert written["deviations"][-1]["original"] == ("For the purposes of this policy, social media refers to any "
                                                     "interactive web 2.0 platform, including social networks, "
                                                     "internet forums and blogs.")
    assert written["deviations"][-1]["published"] == written["deviations"][-1]["original"].replace("web", "Web")


def test_a_save_in_a_git_repository_is_committed_when_asked_and_never_pushed(editor):
    client, project = editor
    git = lambda *args: subprocess.run(["git", "-C", str(project), *args], capture_output=True, text=True, check=True)
    git("init", "-q")
    git("-c", "user.name=Set Up", "-c", "user.email=setup@example.invalid", "add", ".")
    git("-c", "user.name=Set Up", "-c", "user.email=setup@example.invalid", "commit", "-q", "-m", "start")
    data = _open(client, GUIDE)
    data["title"] = "Someone asked a pupil for photos"
    status, _, saved = client.post("/api/save", {"path": GUIDE, "data": data, "commit": True,
                                                 "message": "Shorter title", "author": "Ann Bursar"})
    assert status == 200 and saved["commit"].startswith("committed "), saved
    log = git("log", "-1", "--format=%an|%s").stdout.strip()
    assert log == "Ann Bursar|Shorter title"
    assert git("status", "--porcelain").stdout == ""
    assert git("remote").stdout == ""


def test_the_preview_shows_the_page_as_checked_with_the_change_and_runs_no_script(editor):
    # Bug: the preview showing the file as saved instead of the change being checked, or allowing script.
    client, project = editor
    data = _open(client, GUIDE)
    data["nodes"][1]["question"] = "Who is asking the pupil for photos?"
    _, _, checked = client.post("/api/check", {"path": GUIDE, "data": data})
    assert checked["ok"]
    status, headers, page = client.get(f"/preview?path={GUIDE}")
    assert status == 200 and "Who is asking the pupil for photos?" in page
    assert "script-src" not in headers["Content-Security-Policy"]
    assert "default-src 'none'" in headers["Content-Security-Policy"]
    assert "Who is asking the pupil for photos?" not in (project / GUIDE).read_text(encoding="utf-8")
    status, _, _ = client.get("/preview?path=../school.yml")
    assert status == 404


def test_a_school_of_a_trust_is_checked_with_its_trust(tmp_path):
    # Bug: only the school's folder copied, so its check and preview lost trust.yml and the trust-wide policies
    # above it (the school's pages then lack the trust's policies, and its overrides are never checked).
    import sys

    from generator.authoring.editor.checking import check_with
    from support import REPO

    sys.path.insert(0, str(REPO / "bench"))
    from trust import make_trust

    make_trust(tmp_path / "trust", 2)
    school = tmp_path / "trust" / "schools" / "school-02"
    (school / "trust-overrides.yml").write_text(
        "overrides:\n  - policy: trust-phones\n    clause: out-of-sight\n"
        "    text: Staff hand personal phones to the school office at the start of the day.\n"
        "    reason: Approved by the local governing board on 3 March 2026.\n", encoding="utf-8")
    expected = [str(d) for d in pipeline.render(school, TODAY).diagnostics]
    assert not any(" E" in line.split(":", 3)[3][:3] for line in expected)  # the school checks in place
    checked = check_with(school, {}, TODAY)
    assert [str(finding.diagnostic) for finding in checked.findings] == expected
    # The trust-wide policy is checked and previewed with the school's own wording of its clause.
    page = checked.result.rendered["staff"].docs["policies/trust-phones/phones.md"]
    assert "Staff hand personal phones to the school office at the start of the day." in page


def test_a_hand_written_page_with_a_script_is_refused_as_check_refuses_it(editor, tmp_path):
    client, project = editor
    page = "docs/parents/online-safety.md"
    hostile = (project / page).read_text(encoding="utf-8") + "\n<script>alert(1)</script>\n[x](javascript:alert(1))\n"
    by_hand = tmp_path / "by-hand"
    shutil.copytree(WEXHAM, by_hand)
    (by_hand / page).write_text(hostile, encoding="utf-8")
    expected = {d.code for d in pipeline.render(by_hand, TODAY).diagnostics if d.is_error}
    assert expected
    before = (project / page).read_bytes()
    status, _, saved = client.post("/api/save", {"path": page, "text": hostile})
    assert status == 200 and not saved["ok"] and saved["written"] == []
    assert {f["code"] for f in saved["findings"] if f["error"]} == expected
    assert (project / page).read_bytes() == before


@pytest.mark.parametrize("old, new, expected", [
    # Each expected diff written by hand from lines 48-52 of the fixture's social-media-definition clause.
    ("interactive web 2.0 platform", "interactive Web 2.0 platform",
     ["-          For the purposes of this policy, social media refers to any interactive web 2.0 platform, including",
      "+          For the purposes of this policy, social media refers to any interactive Web 2.0 platform, including"]),
    ("Given the rapid expansion", "Given the very rapid and continuing expansion",
     ["-          social networks, internet forums and blogs. Given the rapid expansion of social media, it is",
      "+          social networks, internet forums and blogs. Given the very rapid and continuing expansion of social",
      "+          media, it is"]),
])
def test_a_word_changed_in_a_folded_clause_changes_only_its_lines(old, new, expected):
    # Bug: a changed folded block (>-) written back as one long line, or the whole paragraph wrapped again.
    text = (WEXHAM / "policies" / "social-media.yml").read_text(encoding="utf-8")
    parsed = Parsed(text)
    data = parsed.as_json()
    clause = data["sections"][0]["clauses"][1]
    clause["text"] = clause["text"].replace(old, new)
    after = parsed.updated(data)
    changed = [line[0] + line[2:] for line in difflib.ndiff(text.splitlines(), after.splitlines())
               if line[:2] in ("- ", "+ ")]
    assert changed == expected
    assert Parsed(after).as_json() == data  # the words read back are exactly the words sent


def test_a_hand_written_page_is_previewed_from_the_site_that_shows_it(editor):
    client, project = editor
    page = "docs/parents/online-safety.md"
    text = (project / page).read_text(encoding="utf-8").replace("\n\n", "\n\nA sentence added in the editor.\n\n", 1)
    _, _, checked = client.post("/api/check", {"path": page, "text": text})
    assert checked["ok"], checked["findings"]
    _, _, preview = client.get(f"/preview?path={page}")
    assert "<p>A sentence added in the editor.</p>" in preview


def test_the_sources_and_the_sites_settings_are_edited_under_check_like_any_file(editor):
    # Bug: sources.yml (where a DSL records the local safeguarding partnership's procedure) or the school's
    # mkdocs.yml not offered, or offered without check, so a plugin or a script could be saved from the browser.
    client, project = editor
    (project / "mkdocs.yml").write_text("# This school's own site settings.\n", encoding="utf-8")  # as init writes
    _, _, documents = client.get("/api/documents")
    kinds = {d["path"]: (d["kind"], d["schema"]) for d in documents}
    assert kinds["sources.yml"] == ("sources", "sources") and kinds["mkdocs.yml"] == ("site", None)

    data = _open(client, "sources.yml")
    data["sources"] = [{"id": "local-partnership", "title": "Local safeguarding partnership procedures",
                        "kind": "nonsense-kind"}]
    status, _, saved = client.post("/api/save", {"path": "sources.yml", "data": data})
    assert status == 200 and not saved["ok"] and saved["written"] == [], saved
    assert any(f["path"] == "sources.yml" and f["error"] for f in saved["findings"]), saved["findings"]

    before = (project / "mkdocs.yml").read_bytes()
    text = before.decode() + "plugins:\n  - search\n"
    status, _, saved = client.post("/api/save", {"path": "mkdocs.yml", "text": text})
    assert status == 200 and not saved["ok"] and saved["written"] == [], saved
    assert "E390" in {f["code"] for f in saved["findings"]}, saved["findings"]
    assert (project / "mkdocs.yml").read_bytes() == before

    text = before.decode() + "theme:\n  palette:\n    primary: teal\n"
    status, _, saved = client.post("/api/save", {"path": "mkdocs.yml", "text": text})
    assert status == 200 and saved["ok"] and saved["written"] == ["mkdocs.yml"], saved
