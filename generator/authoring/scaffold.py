"""Starting files for a new policy or decision tree: ``python -m generator new policy|tree <id>``.

Each file is valid as written (``check`` passes straight away) and commented for an author
who has not seen the format before. An existing file is never overwritten.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

from generator.load.diagnostics import DiagnosticError
from generator.load.loader import load_project
from generator.load.strict_yaml import load_yaml

ID_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
"""The same rule as the models' Slug: lower-case words joined by hyphens."""
MAX_ID_LENGTH = 60

KINDS = {"policy": "policies", "tree": "decision_trees"}
"""Kind of file -> the folder it goes in."""


class ScaffoldError(Exception):
    """Why a file was not written; the message is for the author."""


def new_file(root: Path, kind: str, file_id: str, today: date) -> Path:
    """Write policies/<id>.yml or decision_trees/<id>.yml under root and return its path."""
    if kind not in KINDS:
        raise ScaffoldError(f"unknown kind '{kind}': use 'policy' or 'tree'")
    _check_id(file_id, kind)
    folder = root / KINDS[kind]
    path = folder / f"{file_id}.yml"
    for existing in (path, folder / f"{file_id}.yaml"):
        if existing.exists():
            raise ScaffoldError(f"{KINDS[kind]}/{existing.name} already exists: edit that file, or choose another id")
    taken = _ids_in_use(folder)
    if file_id in taken:
        raise ScaffoldError(f"the id '{file_id}' is already used by {KINDS[kind]}/{taken[file_id]}: choose another id")
    if kind == "policy":
        text = policy_text(file_id, today)
    else:
        text = tree_text(file_id, today, _first_citation(root))
    folder.mkdir(parents=True, exist_ok=True)
    # 'x' mode: fails rather than overwrite a file created since the check above.
    with path.open("x", encoding="utf-8", newline="\n") as handle:
        handle.write(text)
    return path


def _check_id(file_id: str, kind: str) -> None:
    example = "anti-bullying" if kind == "policy" else "pupil-discloses-abuse"
    if not ID_PATTERN.match(file_id):
        suggestion = re.sub(r"[^a-z0-9]+", "-", file_id.lower()).strip("-")
        hint = f" (e.g. '{suggestion}')" if suggestion and ID_PATTERN.match(suggestion) else f" (e.g. '{example}')"
        raise ScaffoldError(f"'{file_id}' is not a valid id: use lower-case letters, digits and single hyphens"
                            + hint)
    if len(file_id) > MAX_ID_LENGTH:
        raise ScaffoldError(f"'{file_id}' is {len(file_id)} characters long: keep ids to {MAX_ID_LENGTH} or fewer, "
                            "they appear in web addresses")


def _ids_in_use(folder: Path) -> dict[str, str]:
    """id -> file name, for the files in folder that can be read (a broken file is reported by `check`)."""
    used = {}
    for path in sorted(folder.glob("*.yml")) if folder.is_dir() else []:
        try:
            data = load_yaml(path, path.name).data
        except DiagnosticError:
            continue
        if isinstance(data, dict) and isinstance(data.get("id"), str):
            used.setdefault(data["id"], path.name)
    return used


def _first_citation(root: Path) -> str:
    """'policy-id#clause-id' of the first clause of the first policy: a new tree must cite something real."""
    loaded = load_project(root)
    for source in loaded.policies:
        data = source.data
        if not isinstance(data, dict) or not isinstance(data.get("id"), str):
            continue
        clause = _first_clause(data.get("sections"))
        if clause:
            return f"{data['id']}#{clause}"
    raise ScaffoldError("a tree must cite a clause of a policy, and no policy with a clause was found in "
                        "policies/: add the policy first (`python -m generator new policy <id>`)")


def _first_clause(sections) -> str | None:
    for section in sections if isinstance(sections, list) else []:
        if not isinstance(section, dict):
            continue
        for clause in section.get("clauses") or []:
            if isinstance(clause, dict) and isinstance(clause.get("id"), str):
                return clause["id"]
        found = _first_clause(section.get("sections"))
        if found:
            return found
    return None


def _title(file_id: str) -> str:
    return file_id.replace("-", " ").capitalize()


def policy_text(file_id: str, today: date) -> str:
    title = _title(file_id)
    review = today.replace(year=today.year + 1) if not (today.month == 2 and today.day == 29) \
        else date(today.year + 1, 2, 28)
    return f"""\
# yaml-language-server: $schema=../schemas/policy.schema.json
#
# A new policy, started with `python -m generator new policy {file_id}` on {today.isoformat()}.
# Replace each value with the policy's own, then run `python -m generator check` to check it
# and `python -m generator serve` to see it (from the school's folder, or add --project FOLDER). "Editing policies and trees" on the staff site explains every key.
# Lines starting with '#' are notes like this one: they never appear on the site.

# Used in the web address (policies/{file_id}/) and in citations ('{file_id}#clause-id'):
# keep it once the policy is published. It must match the file name.
id: {file_id}
title: {title} policy
# A shorter name for menus and the policy register.
short_title: {title}
# One sentence saying what the policy covers.
summary: What this policy covers, in one sentence.
# A term ("Autumn 2025") or a date written year-month-day ("2025-12-31").
approved: {today.isoformat()}
approved_by: Governing Body
review_due: {review.isoformat()}
owner: Head Teacher
# The four details above are stand-ins: until a name is taken off this list, the sites show
# that detail as "to be confirmed" and `check` reminds you (W505). Put in the real value,
# then remove its name here; when none is left, remove 'placeholders:' too.
placeholders: [approved, approved_by, review_due, owner]
# Who the policy is for: staff, governors, volunteers, pupils, parents or dsl.
# A section or a clause can set its own 'audiences:' instead. Only what is for
# parents appears on the parents' site.
audiences:
  - staff
sections:
  - id: introduction
    # The number printed in the policy; a sub-section would be "1.1".
    number: "1"
    title: Introduction
    clauses:
      # One clause per paragraph, in the approved wording. A tree cites it as
      # '{file_id}#purpose'; once published, keep the id even if the wording changes.
      - id: purpose
        text: >-
          Replace this with the first paragraph of the policy, word for word as approved.
          A long paragraph can carry on over several lines like this, indented the same.
"""


def tree_text(file_id: str, today: date, citation: str) -> str:
    title = _title(file_id)
    return f"""\
# yaml-language-server: $schema=../schemas/tree.schema.json
#
# A new "What do I do if…" tree, started with `python -m generator new tree {file_id}`
# on {today.isoformat()}. Replace each value with your own, then run `python -m generator check`
# to check it and `python -m generator serve` to see it (from the school's folder, or add --project FOLDER). "Editing policies and trees" on the staff site explains every key.
# Lines starting with '#' are notes like this one: they never appear on the site.

# Used in the web address (what-to-do/{file_id}/): keep it once published. It must match the file name.
id: {file_id}
# Phrased as the situation, e.g. "A pupil tries to contact me on social media".
title: {title}
use_when: Describe in one sentence when a member of staff should use this guide.
# Who the tree is for: staff, governors, volunteers, pupils, parents or dsl.
# A tree for parents may only cite clauses that are published to parents.
audiences:
  - staff
owner: Designated Safeguarding Lead
# The date the tree was last checked against the policy, year-month-day.
last_reviewed: {today.isoformat()}
version: "1.0"
# true for a guide about a child's safety: it then starts with the shared step "Is a child in
# immediate danger?" (make the first entry of nodes '- use: immediate-danger' with 'continue:'
# naming your first step), every ending reaches the DSL, and every step shows the
# "In an emergency" panel. See "Add a 'What do I do if…' tree" on the staff site.
safeguarding: false
# The steps. The first one is where the reader starts. Every question's answers lead
# ('next:') to another step's id, and every path must end at an outcome.
nodes:
  - kind: question
    id: first_question
    question: Write the first question here?
    answers:
      - id: "yes"
        label: "Yes"
        next: tell_the_dsl
      - id: "no"
        label: "No"
        next: no_further_action
  - kind: outcome
    id: tell_the_dsl
    title: Tell the DSL now
    summary: One line saying what happens next.
    actions:
      - text: Write what the reader does, one action per entry.
        # who: a role such as you, dsl, deputy_dsl, head_teacher, lado, police (or one from school.yml roles:).
        who: you
        # when: immediately, within 1 hour, same day, within 24 hours, within N working days; or the source's
        # own words with their kind, e.g. {{kind: working_days, n: 1, says: "by the end of the next working day"}}.
        # Telling the DSL about a concern is always 'immediately' (safety rule S402).
        when: immediately
    # Contact ids from school.yml.
    contacts:
      - dsl
    # CHANGE THIS: the clause(s) this outcome rests on, as 'policy-id#clause-id'.
    # It starts as the first clause of the first policy so that the file is valid.
    cites:
      - {citation}
  - kind: outcome
    id: no_further_action
    title: No further action
    summary: One line saying why nothing more is needed.
    actions:
      - text: Write what the reader does, if anything.
        who: you
    # CHANGE THIS, as above.
    cites:
      - {citation}
"""
