"""A guide's own cross-file checks kept between runs (issue 30): `guides._check_tree` on one expanded guide.

What `_check_tree` reads besides the guide: the files its steps are written in (the guide's, and the shared groups'
it uses), and of the project the contacts (which exist, which are public, and the school's own for the hint), the
roles, the sources (their parts, status, nations, dates, what supersedes them) with the date and the school's nation,
the policies' clauses (with their audiences), and every guide's id and step ids (a hand-over to another guide's
step). The guide's findings are kept under a key of its files and of a digest of all that project-wide part
(:func:`project_digest`): a change to any contact, source, clause or guide's step ids checks every guide again,
an edit of a guide's words checks that guide alone. The graph across guides (traps) runs again every time.
"""

from __future__ import annotations

import hashlib
import json
from typing import Callable

from generator.load.diagnostics import Diagnostic
from generator.load.file_cache import ResultCache, diagnostic_from, diagnostic_json, key_of
from generator.load.project import Project
from generator.load.source import Source


def _identity(source: Source) -> list[str]:
    return [source.display, source.text, json.dumps(source.data, ensure_ascii=False)]


def project_digest(project: Project, by_id: dict) -> str:
    """Everything of the project (not of the guide itself) that `_check_tree` reads, as one text."""
    return json.dumps({
        "today": project.today.isoformat(),
        "nation": project.school.nation.value,
        "contacts": [[key, bool(contact.public)] for key, contact in project.contacts.items()],
        "school_contacts": list(project.school.contacts),
        "roles": list(project.roles),
        "sources": [entry.model_dump(mode="json") for entry in project.external_sources.values()],
        "clauses": [[key, sorted(str(a) for a in ref.audiences)] for key, ref in project.clauses.items()],
        "policies": sorted(project.policies_by_id),
        "guides": [[tree_id, [node.id for node in tree.nodes]] for tree_id, tree in by_id.items()],
    }, ensure_ascii=False, sort_keys=True)


def kept_tree_check(check_tree: Callable, cache: ResultCache | None) -> Callable:
    """`check_tree` (guides._check_tree), its findings and reachable steps read back from ``cache`` when the guide's
    files and the project's digest are unchanged. Made anew for each check (the digest is that check's)."""
    if cache is None:
        return check_tree
    digest: list[str] = []  # made at the first guide: one check's guides share the project and its index
    identities: dict[int, list[str]] = {}  # each file's identity, made once a check: a shared group is in many keys

    def identity(source: Source) -> list[str]:
        if id(source) not in identities:  # the Sources outlive the check, so no id is reused within it
            identities[id(source)] = _identity(source)
        return identities[id(source)]

    def check(project, source, tree, placed, by_id, found: list[Diagnostic], check_graph: bool = True):
        if not digest:  # hashed once: at 10x the project's part is hundreds of kilobytes, in every guide's key
            digest.append(hashlib.sha256(project_digest(project, by_id).encode("utf-8")).hexdigest())
        files = [source] + list({id(p.source): p.source for p in placed if p.source is not source}.values())
        key = key_of("check_tree", "graph" if check_graph else "no graph", digest[0],
                     *[part for file in files for part in identity(file)])
        kept = cache.get(key)
        if kept is None:
            own: list[Diagnostic] = []
            reachable = check_tree(project, source, tree, placed, by_id, own, check_graph=check_graph)
            cache.put(key, {"found": [diagnostic_json(d) for d in own],
                            "reachable": None if reachable is None else sorted(reachable)})
            found.extend(own)
            return reachable
        found.extend(diagnostic_from(d) for d in kept["found"])
        return None if kept["reachable"] is None else set(kept["reachable"])

    return check
