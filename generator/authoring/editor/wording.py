"""The approved wording of a policy is the governors': a clause whose words change is either a deviation (the site
publishes other words than the approved document, with the reason: the model's ``deviations``) or a new version
(approved again: a ``versions`` entry, and the policy's ``approved``/``approved_by`` with it, E308/E309).
The editor asks which before it writes anything."""

from __future__ import annotations

import re
from dataclasses import dataclass

_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")


@dataclass(frozen=True)
class WordingChoice:
    record: str
    """'deviation' or 'version'."""
    reason: str = ""
    approved: str = ""
    approved_by: str = ""


def _clauses(sections) -> dict[str, dict]:
    found = {}
    for section in sections or []:
        if not isinstance(section, dict):
            continue
        for clause in section.get("clauses") or []:
            if isinstance(clause, dict) and isinstance(clause.get("id"), str):
                found[clause["id"]] = clause
        found.update(_clauses(section.get("sections")))
    return found


def _words(clause: dict) -> tuple:
    return clause.get("text"), clause.get("items")


def reworded_clauses(old: dict, new: dict) -> list[dict]:
    """Clauses of ``old`` whose approved words (text or list items) differ in ``new``, each
    {clause, original, published} (texts; a list's items joined one per line)."""
    before, after = _clauses(old.get("sections")), _clauses(new.get("sections"))
    changed = []
    for clause_id, clause in before.items():
        if clause_id in after and _words(clause) != _words(after[clause_id]):
            changed.append({"clause": clause_id, "original": _text(clause), "published": _text(after[clause_id])})
    return changed


def _text(clause: dict) -> str:
    parts = [str(clause.get("text") or "")]
    parts += [str(item if not isinstance(item, dict) else item.get("text", "")) for item in clause.get("items") or []]
    return "\n".join(part for part in parts if part)


def apply_wording_choice(policy: dict, changed: list[dict], choice: WordingChoice) -> dict:
    """The policy with the author's choice recorded; the checks then say whether it holds (a deviation must
    match the approved document, a version needs its date and approver)."""
    policy = dict(policy)
    if choice.record == "deviation":
        recorded = [dict(entry) for entry in policy.get("deviations") or []]
        for change in changed:
            original, published = narrowed(change["original"], change["published"])
            recorded.append({"clause": change["clause"], "original": original, "published": published,
                             "reason": choice.reason})
        policy["deviations"] = recorded
    else:
        versions = [dict(entry) for entry in policy.get("versions") or []]
        versions.append({"approved": choice.approved, "approved_by": choice.approved_by})
        policy["versions"] = versions
        policy["approved"], policy["approved_by"] = choice.approved, choice.approved_by
    return policy


def narrowed(original: str, published: str) -> tuple[str, str]:
    """Only the sentences that differ (as the house records a deviation: 'It supports the schools visions and
    values.'), keeping one sentence of context when a sentence was only added or taken away."""
    before, after = _SENTENCE_END.split(original), _SENTENCE_END.split(published)
    start = 0
    while start < min(len(before), len(after)) - 1 and before[start] == after[start]:
        start += 1
    end = 0
    while end < min(len(before), len(after)) - start - 1 and before[-1 - end] == after[-1 - end]:
        end += 1
    old, new = before[start:len(before) - end], after[start:len(after) - end]
    return " ".join(old), " ".join(new)
