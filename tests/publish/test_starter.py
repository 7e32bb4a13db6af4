"""Example content is never published by accident (issue 28, item 5): every policy, guide, shared group and page
`init` copies from the starter says `starter: true`; `check` warns at that line (W520), and the build is a preview
that `publish` refuses without --preview until the school deletes the line.

The bug each test exists to catch:
- a kind of starter file (a page, a shared group) not warned about, so its example words go live unnoticed;
- the warning not going away once the school confirms a file (the school could never publish);
- W520 not making the build a preview, so `publish` sends the example policy to parents;
- an unchanged build (nothing loaded) forgetting that it is a preview, or calling the starter's warning S701.
"""

from __future__ import annotations

import json
from pathlib import Path

from generator import cli
from generator.authoring.init import init_school
from generator.pipeline import check, unchanged_preview
from support import TODAY

# Counted by hand in generator/starter/: the line of each file's `starter: true`.
STARTER_LINES = [
    "decision_trees/shared/immediate-danger-parents.yml:10:10: W520",
    "decision_trees/shared/immediate-danger.yml:8:10: W520",
    "decision_trees/worried-about-a-child.yml:7:10: W520",
    "docs/parents/report-a-concern.md:4:1: W520",
    "docs/shared/accessibility.md:4:1: W520",
    "policies/child-protection.yml:6:10: W520",
]


def _new_school(folder: Path, dsl_filled: bool = True) -> Path:
    """A school made by `init`; with ``dsl_filled``, its DSL contacts are real (so only W520 makes a preview)."""
    init_school(folder)
    if dsl_filled:
        school = folder / "school.yml"
        text = school.read_text(encoding="utf-8")
        for role in ("Designated Safeguarding Lead (DSL)", "Deputy Designated Safeguarding Lead"):
            text = text.replace(f"    role: {role}\n    placeholder: true\n",
                                f"    role: {role}\n    name: Ms A. Example\n    phone: \"01234 567890\"\n")
        school.write_text(text, encoding="utf-8")
    return folder


def _confirm(path: Path) -> None:
    """What a school does to confirm a file: delete its `starter: true` line."""
    text = path.read_text(encoding="utf-8")
    assert text.count("starter: true\n") == 1
    path.write_text(text.replace("starter: true\n", ""), encoding="utf-8")


def _starter_warnings(root: Path) -> list[str]:
    result = check(root, TODAY)
    assert result.project is not None, [str(d) for d in result.diagnostics if d.is_error]
    return [str(d).split(" warning:")[0] for d in result.diagnostics if d.code == "W520"]


def test_every_file_copied_from_the_starter_is_warned_about_at_its_line(tmp_path):
    root = _new_school(tmp_path / "new")
    assert _starter_warnings(root) == STARTER_LINES
    message = next(str(d) for d in check(root, TODAY).diagnostics if d.code == "W520" and d.path.endswith(".md"))
    assert message == ("docs/parents/report-a-concern.md:4:1: W520 warning: this page is the starter's example, not "
                       "yet confirmed by the school: the site can be built as a preview but not published (make it "
                       "the school's own, then delete the line 'starter: true')")


def test_deleting_the_line_confirms_that_file_only(tmp_path):
    root = _new_school(tmp_path / "new")
    _confirm(root / "docs" / "shared" / "accessibility.md")
    _confirm(root / "decision_trees" / "shared" / "immediate-danger.yml")
    assert _starter_warnings(root) == [STARTER_LINES[0], STARTER_LINES[2], STARTER_LINES[3], STARTER_LINES[5]]


def test_a_page_saying_starter_false_or_in_quotes_is_refused(tmp_path):
    root = _new_school(tmp_path / "new")
    page = root / "docs" / "shared" / "accessibility.md"
    page.write_text(page.read_text(encoding="utf-8").replace("starter: true", 'starter: "yes"'), encoding="utf-8")
    errors = [str(d) for d in check(root, TODAY).diagnostics if d.is_error]
    assert errors == ["docs/shared/accessibility.md:4:10: E209 'starter' must be true, without quotes, not 'yes'"]


def _build(root: Path, out: Path, capsys) -> str:
    assert cli.main(["build", "--project", str(root), "--output", str(out), "--today", TODAY.isoformat()]) == 0
    return capsys.readouterr().err


def _publish(site: Path, target: Path, *extra: str) -> int:
    return cli.main(["publish", "--expect-school", "example-school", "--expect-site", "parents", *extra,
                     "--from", str(site), "--to", str(target)])


def test_a_build_with_starter_content_is_a_preview_publish_refuses_until_confirmed(tmp_path, capsys):
    root = _new_school(tmp_path / "new")
    out = tmp_path / "site"
    err = _build(root, out, capsys)
    assert "This is a preview build" in err
    recorded = json.loads((out / "parents" / "version.json").read_text(encoding="utf-8"))["preview_only"]
    assert recorded == [f"{line.split(':')[0]}: this {kind} is the starter's example, not yet confirmed by the "
                        "school: the site can be built as a preview but not published"
                        for line, kind in zip(STARTER_LINES, ("shared group of steps", "shared group of steps", "guide",
                                                              "page", "page", "policy"))]
    # Built again from the same files: nothing is loaded, and it is still the starter's warning, at its file.
    assert "This is a preview build" in _build(root, out, capsys)
    assert [str(d).split(" warning:")[0] for d in unchanged_preview(out, ("parents",))] == \
        [line.split(":")[0] + ":1:1: W520" for line in STARTER_LINES]

    assert _publish(out / "parents", tmp_path / "www") == 1
    refused = capsys.readouterr().err
    assert ("  - this build is a preview only: policies/child-protection.yml: this policy is the starter's example, "
            "not yet confirmed by the school") in refused
    assert not (tmp_path / "www" / "current").exists()
    assert _publish(out / "parents", tmp_path / "review", "--preview") == 0
    assert (tmp_path / "review" / "current" / "index.html").is_file()
    assert "This release is a preview for review only" in capsys.readouterr().out
    assert cli.main(["rollback", "--to", str(tmp_path / "review"), "--list"]) == 0
    assert ", a preview for review only)   <- live" in capsys.readouterr().out

    for line in STARTER_LINES:
        _confirm(root / line.split(":")[0])
    assert "This is a preview build" not in _build(root, out, capsys)
    assert "preview_only" not in json.loads((out / "parents" / "version.json").read_text(encoding="utf-8"))
    assert _publish(out / "parents", tmp_path / "www") == 0
    assert "preview" not in capsys.readouterr().out
