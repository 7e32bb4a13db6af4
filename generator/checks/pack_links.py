"""E132: a guide of the pack a school adopts links only to guides (and steps) the pack itself has (issue 28).

A pack is every school's: a link from one of its guides to a guide only one school has (the example school's
sharing-nudes, say) works for that school and breaks for every other (E416 on a new school's first `check`).
The school's own files are no help here, so every guide file of the pack is read, those the school replaces
too, and each link another guide's id names is looked up in the pack alone: a step's `next` (and each strand or
condition of it), `next_step`, `also_follow`, `related_trees`. Links within a guide, and the shared groups a
`use:` names (the school's decision_trees/shared/ may hold them), are the ordinary guide checks' to judge.
"""

from __future__ import annotations

from collections.abc import Iterator

from generator.load.diagnostics import Diagnostic, DiagnosticError
from generator.load.pack import LoadedPack, pack_display
from generator.load.source import Source
from generator.load.strict_yaml import load_yaml

CODE = "E132"


def pack_link_diagnostics(pack: LoadedPack | None, cache=None) -> list[Diagnostic]:
    """E132 for each link in a guide of ``pack`` to a guide, or a guide's step, that the pack does not have.

    ``cache`` (:class:`generator.load.file_cache.ResultCache`): each guide file's parse read back, as the loader's
    (the same name, so a pack guide the school uses is parsed once for both)."""
    if pack is None:
        return []
    guides = _read_guides(pack, cache)
    steps = {guide_id: _step_ids(source) for guide_id, source in guides.items()}
    diagnostics = []
    for guide_id, source in guides.items():
        for loc, target in _links(source.data):
            other, _, step = target.partition("#")
            if other == guide_id:
                continue  # a link within the guide: the ordinary checks judge it
            if other not in steps:
                diagnostics.append(source.diagnostic(
                    loc, CODE, f"the '{pack.id}' pack's guide '{guide_id}' links to '{target}', and the pack has "
                               f"no guide '{other}': a school that adopts the pack may have none either",
                    hint=f"add '{other}' to the pack, or link to one of the pack's own guides"))
            elif step and step not in steps[other]:
                diagnostics.append(source.diagnostic(
                    loc, CODE, f"the '{pack.id}' pack's guide '{guide_id}' links to '{target}', and the pack's "
                               f"'{other}' has no step '{step}'",
                    hint=f"link to a step of the pack's '{other}'"))
    return diagnostics


def _read_guides(pack: LoadedPack, cache=None) -> dict[str, Source]:
    """Every guide file of the pack by its id (the file's name, as the loader names guides), replaced or not. A file
    that cannot be read is left out: the loader reports it where the school uses it."""
    folder = pack.folder / "decision_trees"
    guides = {}
    for path in sorted(folder.glob("*.yml")):
        try:
            guides[path.stem] = load_yaml(path, pack_display(pack.id, path, pack.folder), cache)
        except DiagnosticError:
            continue
    return guides


def _step_ids(source: Source) -> set[str]:
    nodes = source.data.get("nodes") if isinstance(source.data, dict) else None
    return {node["id"] for node in nodes or [] if isinstance(node, dict) and isinstance(node.get("id"), str)}


def _links(data: object) -> Iterator[tuple[tuple, str]]:
    """Each link to another guide in a guide's steps, with where it is written: targets holding a '#', and every
    related guide."""
    nodes = data.get("nodes") if isinstance(data, dict) else None
    for index, node in enumerate(nodes if isinstance(nodes, list) else []):
        if not isinstance(node, dict):
            continue
        here = ("nodes", index)
        for a_index, answer in enumerate(node.get("answers") or []):
            if isinstance(answer, dict):
                yield from _targets(answer.get("next"), here + ("answers", a_index, "next"))
        yield from _targets(node.get("next"), here + ("next",))
        if isinstance(node.get("next_step"), dict):
            yield from _targets(node["next_step"].get("next"), here + ("next_step", "next"))
        yield from _targets(node.get("also_follow"), here + ("also_follow",))
        for r_index, related in enumerate(node.get("related_trees") or []):
            if isinstance(related, str):
                yield here + ("related_trees", r_index), related


def _targets(value: object, loc: tuple) -> Iterator[tuple[tuple, str]]:
    """The cross-guide targets of a `next`-like value: 'guide#step', `{to: ...}`, or a list of either."""
    if isinstance(value, list):
        for index, item in enumerate(value):
            yield from _targets(item, loc + (index,))
    elif isinstance(value, dict):
        yield from _targets(value.get("to"), loc + ("to",))
    elif isinstance(value, str) and "#" in value:
        yield loc, value

