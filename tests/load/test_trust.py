"""A trust: one repository, many schools (trust.yml), trust-wide policies written once, a school's own
wording of a clause with a recorded reason, and `build --school ID` / `--all`.

The bug each test exists to catch:
- a trust-wide policy published with another school's name, or not at all, in one of the schools;
- '{{ school.name }}' in a trust policy run as a template (it is replaced by a pattern only);
- a school's override reaching another school, published without its reason, or failing the faithfulness
  check although it is recorded;
- an override naming a policy or clause that does not exist passing unnoticed;
- `--all` writing schools over each other, or `--school` building more (or less) than the one asked for.
Runs on a small simulated trust made from the starter (bench/trust.py's make_trust).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from generator import pipeline
from support import REPO, TODAY, WEXHAM

sys.path.insert(0, str(REPO / "bench"))
from trust import make_trust  # noqa: E402

OVERRIDE = """\
overrides:
  - policy: trust-phones
    clause: out-of-sight
    text: Staff hand personal phones to the school office at the start of the day.
    reason: Approved by the local governing board on 3 March 2026 after a phones audit.
"""


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "generator", *args], cwd=cwd, capture_output=True, text=True,
                          env={**os.environ, "PYTHONPATH": str(REPO)})


@pytest.fixture(scope="module")
def trust(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("trust") / "trust"
    make_trust(root, 3)
    (root / "schools" / "school-02" / "trust-overrides.yml").write_text(OVERRIDE, encoding="utf-8")
    return root


def staff_text(school: Path) -> str:
    result = pipeline.render(school, TODAY)
    assert result.rendered, [str(d) for d in result.diagnostics if d.is_error]
    # S701: the starter's placeholder DSL; W520: its example content, not yet confirmed
    others = [str(d) for d in result.diagnostics if d.code not in ("S701", "W520")]
    assert not others, others
    return result.rendered["staff"].docs["policies/trust-phones/phones.md"]


def test_a_trust_policy_is_published_by_every_school_with_its_own_name(trust):
    assert "every member of staff at Example School 1." in staff_text(trust)
    page = staff_text(trust / "schools" / "school-03")
    assert "every member of staff at Example School 3." in page and "{{" not in page


def test_an_override_replaces_the_clause_in_its_school_only_and_shows_the_reason(trust):
    page = staff_text(trust / "schools" / "school-02")
    assert "Staff hand personal phones to the school office at the start of the day." in page
    assert "Staff keep personal phones out of sight in classrooms." not in page
    assert "Approved by the local governing board on 3 March 2026 after a phones audit." in page
    other = staff_text(trust / "schools" / "school-03")
    assert "Staff keep personal phones out of sight in classrooms." in other
    assert "phones audit" not in other


def test_an_unrecorded_change_to_a_trust_clause_still_fails_faithfulness(trust, tmp_path):
    """Only an override with its reason accounts for the trust's words; editing the trust policy does not."""
    import shutil

    copy = tmp_path / "trust"
    shutil.copytree(trust, copy, ignore=shutil.ignore_patterns("site"))
    policy = copy / "trust" / "policies" / "trust-phones.yml"
    policy.write_text(policy.read_text().replace("keep personal phones out of sight", "may keep personal phones"))
    found = [str(d) for d in pipeline.render(copy / "schools" / "school-03", TODAY).diagnostics if d.is_error]
    assert len(found) == 1 and "E354 the staff site does not publish this sentence" in found[0], found
    assert found[0].startswith("../../trust/policies/source/trust-phones.txt:5:"), found


@pytest.mark.parametrize("override, expected", [
    (OVERRIDE.replace("policy: trust-phones", "policy: trust-phonez"),
     "trust-overrides.yml:2:13: E370 'trust-phonez' is not a trust-wide policy (the trust's policies are: "
     "trust-phones)"),
    (OVERRIDE.replace("clause: out-of-sight", "clause: out-of-site"),
     "trust-overrides.yml:3:13: E371 policy 'trust-phones' has no clause 'out-of-site'"),
    (OVERRIDE.replace("policy: trust-phones", "policy: child-protection"),
     "trust-overrides.yml:2:13: E370 'child-protection' is not a trust-wide policy (it is the school's own policy: "
     "change its wording in its file)"),
])
def test_an_override_of_something_that_does_not_exist_is_an_error(trust, tmp_path, override, expected):
    import shutil

    copy = tmp_path / "trust"
    shutil.copytree(trust, copy, ignore=shutil.ignore_patterns("site"))
    (copy / "schools" / "school-02" / "trust-overrides.yml").write_text(override, encoding="utf-8")
    found = [str(d) for d in pipeline.check(copy / "schools" / "school-02", TODAY).diagnostics if d.is_error]
    assert found == [expected]


def test_an_override_needs_a_reason(trust, tmp_path):
    import shutil

    copy = tmp_path / "trust"
    shutil.copytree(trust, copy, ignore=shutil.ignore_patterns("site"))
    (copy / "schools" / "school-02" / "trust-overrides.yml").write_text(
        "\n".join(line for line in OVERRIDE.splitlines() if "reason" not in line) + "\n", encoding="utf-8")
    found = [str(d) for d in pipeline.check(copy / "schools" / "school-02", TODAY).diagnostics if d.is_error]
    assert len(found) == 1 and found[0].startswith("trust-overrides.yml:2:5: E202 missing required key 'reason'")


def test_build_all_builds_each_school_into_its_own_folder_and_school_builds_one(trust, tmp_path):
    out = tmp_path / "site"
    built = run("build", "--all", "--project", str(trust), "--output", str(out), "--today", TODAY.isoformat(),
                cwd=tmp_path)
    assert built.returncode == 0, built.stderr
    assert sorted(p.name for p in out.iterdir()) == ["parents", "school-02", "school-03", "staff"]
    for school, folder in (("Example School 1", out), ("Example School 2", out / "school-02"),
                           ("Example School 3", out / "school-03")):
        home = (folder / "staff" / "index.html").read_text(encoding="utf-8")
        assert f"{school} — Staff policies" in home
        assert (folder / "parents" / "index.html").is_file()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]  # no work folders left behind

    one = tmp_path / "one"
    built = run("build", "--school", "school-03", "--project", str(trust), "--output", str(one),
                "--today", TODAY.isoformat(), cwd=tmp_path)
    assert built.returncode == 0, built.stderr
    assert sorted(p.name for p in one.iterdir()) == ["school-03"]


def test_build_school_names_the_schools_when_the_id_is_unknown(trust, tmp_path):
    refused = run("build", "--school", "school-99", "--project", str(trust), cwd=tmp_path)
    assert refused.returncode == 2
    assert refused.stderr == "trust.yml lists no school 'school-99': its schools are school-01, school-02, school-03\n"


def test_schools_lists_the_trust_for_a_ci_matrix(trust, tmp_path):
    listed = run("schools", "--project", str(trust), cwd=tmp_path)
    assert listed.returncode == 0, listed.stderr
    assert json.loads(listed.stdout) == [
        {"id": "school-01", "folder": ".", "output": "site"},
        {"id": "school-02", "folder": "schools/school-02", "output": "site/school-02"},
        {"id": "school-03", "folder": "schools/school-03", "output": "site/school-03"},
    ]


@pytest.mark.parametrize("schools, expected", [
    ("  - id: a\n    folder: ../elsewhere\n",
     "trust.yml:5:13: E205 'folder': write the folder relative to trust.yml, inside it, e.g. 'schools/oakfield'"),
    ("  - id: a\n    folder: .\n  - id: a\n    folder: b\n",
     "trust.yml:3:1: E205 'schools': each school's id must be different: a is listed twice"),
])
def test_trust_yml_refuses_a_folder_outside_it_and_repeated_schools(tmp_path, schools, expected):
    (tmp_path / "trust.yml").write_text("id: t\nname: T\nschools:\n" + schools, encoding="utf-8")
    listed = run("schools", "--project", str(tmp_path), cwd=tmp_path)
    assert listed.returncode == 1
    assert listed.stderr.splitlines()[0] == expected


def test_a_school_written_as_a_folder_alone_gets_one_plain_error_at_its_line(tmp_path):
    """The shape an earlier CI script read (`- folder` or `- path: folder`) is refused, saying how to write it."""
    (tmp_path / "trust.yml").write_text("id: t\nname: T\nschools:\n  - id: a\n    folder: .\n"
                                        "  - schools/elm\n  - path: schools/ash\n", encoding="utf-8")
    listed = run("schools", "--project", str(tmp_path), cwd=tmp_path)
    assert listed.returncode == 1
    assert listed.stderr.splitlines() == [
        "trust.yml:6:5: E205 'schools': each school is written as its id and its folder, not by its folder alone "
        "('schools/elm') (write '- id: <the id in its school.yml>' and, under it, 'folder: schools/elm')",
        "trust.yml:7:5: E205 'schools': each school is written as its id and its folder, not by its folder alone "
        "('schools/ash') (write '- id: <the id in its school.yml>' and, under it, 'folder: schools/ash')",
        "Aborted: 2 error(s), 0 warning(s)",
    ]


def test_without_a_trust_the_folder_is_one_school_built_into_site(tmp_path):
    """A school's folder with no trust.yml is the single school of `schools` and `build --all`."""
    listed = run("schools", "--project", str(WEXHAM), cwd=tmp_path)
    assert listed.returncode == 0, listed.stderr
    assert json.loads(listed.stdout) == [{"id": "wexham-court", "folder": ".", "output": "site"}]


def test_a_schools_problems_in_build_all_are_located_from_the_trust_root(tmp_path):
    # Bug: `build --all`, run at the trust's root, printed 'decision_trees/worried-about-a-child.yml:39:5: …'
    # for school-02's file: Ctrl+click opened the root school's file of that name, and nothing said whose it was.
    root = tmp_path / "trust"
    make_trust(root, 2)
    tree = root / "schools" / "school-02" / "decision_trees" / "worried-about-a-child.yml"
    tree.write_text(tree.read_text(encoding="utf-8").replace("    contacts:\n", "    contactz:\n", 1), encoding="utf-8")
    built = run("build", "--school", "school-02", "--project", str(root), "--output", str(tmp_path / "site"),
                "--today", TODAY.isoformat(), cwd=root)
    assert built.returncode == 1
    assert built.stderr.splitlines()[:2] == [
        "schools/school-02/decision_trees/worried-about-a-child.yml:42:5: E201 unknown key 'contactz' "
        "(did you mean 'contacts'?)",
        "Aborted: 1 error(s), 0 warning(s)"]
