"""What the editor does for each request, apart from HTTP: open a document, check a change, save it, commit it.

Nothing is written before ``check`` has passed on the project with the change applied (checking.py); a save
writes only the files whose text changed; a commit is made only when asked, never pushed.
"""

from __future__ import annotations

import difflib
import subprocess
import threading
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from generator.authoring import scaffold
from generator.authoring.serve_cache import SessionCache
from generator.authoring.settle import settle_once
from generator.authoring.editor.checking import Checked, check_with
from generator.authoring.editor.documents import Document, OutsideProject, find_document, list_documents, \
    new_document_path
from generator.authoring.editor.roundtrip import Parsed
from generator.load.loader import PUBLIC_LIST
from generator.render.guide_cache import GuideCache
from generator.authoring.editor.wording import WordingChoice, apply_wording_choice, reworded_clauses

MAX_REQUEST = 8_000_000
"""The largest request the editor reads, in bytes; a file over the loader's own limit (2 MB) gets check's E101."""


class Refused(ValueError):
    """A request the editor will not carry out, with why in plain words."""

    def __init__(self, message: str, status: int = 400, details: dict | None = None):
        super().__init__(message)
        self.status = status
        self.details = details or {}


@dataclass
class Session:
    root: Path
    today: date
    lock: threading.Lock = field(default_factory=threading.Lock)
    last: dict[str, Checked] = field(default_factory=dict)
    """The last check of each document (by path), for its preview."""
    cache: SessionCache = field(default_factory=SessionCache)
    """Each file's parse and checks, kept for the session as ``serve`` keeps them (issue 30): a check beside a field
    parses and checks again only the files the change touches."""
    guides: GuideCache = field(default_factory=GuideCache)
    """Each guide's rendered output, kept while nothing it reads changes."""

    def documents(self) -> list[dict]:
        return [vars(document) for document in list_documents(self.root)]

    def open(self, written: str) -> dict:
        document, path = self._find(written)
        text = path.read_text(encoding="utf-8")
        opened = {"document": vars(document), "text": text}
        if document.schema:
            opened["data"] = Parsed(text).as_json()
        return opened

    def start_new(self, kind: str, new_id: str) -> dict:
        """A new policy or guide as the scaffold writes it (not yet written: the first save writes it)."""
        document, _ = new_document_path(self.root, kind, new_id)
        text = self._new_text(document, new_id)
        return {"document": vars(document), "text": text, "data": Parsed(text).as_json(), "new": True}

    def registries(self) -> dict:
        """What a form may pick from: contacts, citations, guides with their steps (from the last valid check)."""
        with self.lock:
            checked = self._check({})
        project = checked.result.project if checked.result else None
        if project is None:
            return {"contacts": [], "citations": [], "steps": [], "roles": []}
        steps = [f"{tree.id}#{node.id}" for tree in project.trees for node in tree.nodes if getattr(node, "id", None)]
        citations = sorted(project.clauses) + sorted(f"{source}#" for source in project.external_sources)
        return {"contacts": sorted(project.contacts), "citations": citations, "steps": steps,
                "roles": sorted(project.roles)}

    def proposed(self, request: dict) -> tuple[Document, Path, str, str]:
        """(document, file, text now, text with the change) for a request {path, data} or {new: kind, id, data}."""
        if request.get("new"):
            document, path = new_document_path(self.root, request.get("kind", ""), str(request.get("id", "")))
            before = ""
            parsed = Parsed(self._new_text(document, str(request["id"])))
        else:
            document, path = self._find(str(request.get("path", "")))
            if document.schema is None:
                return document, path, path.read_text(encoding="utf-8"), str(request.get("text", ""))
            before = path.read_text(encoding="utf-8")
            parsed = Parsed(before)
        data = request.get("data")
        if not isinstance(data, dict):
            raise Refused("the document must be sent as a JSON object")
        return document, path, before, parsed.updated(data)

    def check(self, request: dict) -> dict:
        document, path, before, after = self.proposed(request)
        changes = self._wording(document, before, after, request)
        with self.lock:
            checked = self._checked(changes, request)
        self.last[document.path] = checked
        return {"ok": checked.ok, "diff": self._diff(changes), "public_changes": checked.public_changes,
                "findings": [finding.as_json() for finding in checked.findings], "changed": before != after}

    def save(self, request: dict) -> dict:
        document, path, before, after = self.proposed(request)
        changes = self._wording(document, before, after, request)
        if all((self.root / relative).is_file() and (self.root / relative).read_text(encoding="utf-8") == text
               for relative, text in changes.items()):
            return {"ok": True, "findings": [], "written": [], "diff": ""}  # nothing to write, nothing to check
        with self.lock:
            checked = self._checked(changes, request)
            self.last[document.path] = checked
            answer = {"ok": checked.ok, "findings": [finding.as_json() for finding in checked.findings],
                      "written": [], "diff": self._diff(changes), "public_changes": checked.public_changes}
            if not checked.ok:
                return answer
            for relative, text in changes.items():
                target = self.root / relative
                if target.exists() and target.read_text(encoding="utf-8") == text:
                    continue
                _write(target, text)
                answer["written"].append(relative)
            if request.get("commit") and answer["written"]:
                answer["commit"] = commit(self.root, answer["written"], str(request.get("message", "")),
                                          str(request.get("author", "")))
        return answer

    def _check(self, changes: dict[str, str], record_public: bool = False) -> Checked:
        """check_with the session's caches (called holding the lock); after the process's first, what they keep is
        settled out of the cycle collector's scans (authoring/settle.py)."""
        try:
            return check_with(self.root, changes, self.today, record_public=record_public, cache=self.cache,
                              guide_cache=self.guides)
        finally:
            self.cache.drop_unasked()
            settle_once()

    def _checked(self, changes: dict[str, str], request: dict) -> Checked:
        """check on the change; with the author's confirmation, the reviewed public list recorded with it."""
        checked = self._check(changes, record_public=bool(request.get("record_public")))
        if checked.public_list is not None:
            changes[PUBLIC_LIST] = checked.public_list
        return checked

    def _diff(self, changes: dict[str, str]) -> str:
        return "".join(diff_text(relative, _text_of(self.root / relative), text) for relative, text in changes.items())

    def _wording(self, document: Document, before: str, after: str, request: dict) -> dict[str, str]:
        """The files to write: the document, with a deviation or a version recorded if its approved wording
        changed (asked first: Refused with status 409 until the author chose)."""
        if document.kind != "policy" or not before:
            return {document.path: after}
        changed = reworded_clauses(Parsed(before).as_json(), Parsed(after).as_json())
        if not changed:
            return {document.path: after}
        choice = request.get("wording")
        if not isinstance(choice, dict) or choice.get("record") not in ("deviation", "version"):
            raise Refused("the governors approved the old wording of " + ", ".join(f"'{c['clause']}'" for c in changed)
                          + ": record the change as a deviation (a typo fixed, with the reason) or as a new version "
                          "(approved again, with when and by whom)", status=409, details={"reworded": changed})
        wording = WordingChoice(choice["record"], str(choice.get("reason", "")), str(choice.get("approved", "")),
                                str(choice.get("approved_by", "")))
        return {document.path: Parsed(after).updated(apply_wording_choice(Parsed(after).as_json(), changed, wording))}

    def preview_of(self, written: str) -> tuple[str, str] | None:
        """(site, HTML) of the document's page as the last check rendered it."""
        from generator.authoring.editor.preview import page_html

        checked = self.last.get(written)
        if checked is None:
            document, _ = self._find(written)
            with self.lock:
                checked = self.last[written] = self._check({})
        else:
            document = next((d for d in list_documents(self.root) if d.path == written), None)
            if document is None:
                document = Document(written, "guide" if written.startswith("decision_trees/") else "policy", None)
        return page_html(checked, document)

    def _find(self, written: str) -> tuple[Document, Path]:
        try:
            return find_document(self.root, written)
        except OutsideProject as refused:
            raise Refused(str(refused), status=404) from None

    def _new_text(self, document: Document, new_id: str) -> str:
        if document.kind == "policy":
            return scaffold.policy_text(new_id, self.today)
        return scaffold.tree_text(new_id, self.today, scaffold._first_citation(self.root))


def _text_of(path: Path) -> str:
    return path.read_text(encoding="utf-8") if path.is_file() else ""


def _write(target: Path, text: str) -> None:
    """Write through a temporary file and a rename, so a failed write never leaves half a file."""
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = target.with_name(f".{target.name}.editor-tmp")
    with staging.open("w", encoding="utf-8", newline="") as handle:
        handle.write(text)
    staging.replace(target)


def diff_text(path: str, before: str, after: str) -> str:
    return "".join(difflib.unified_diff(before.splitlines(keepends=True), after.splitlines(keepends=True),
                                        f"a/{path}", f"b/{path}"))


def commit(root: Path, paths: list[str], message: str, author: str) -> str:
    """Commit the written files (only those) when the project is in a git repository; never push."""
    def git(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run(["git", "-C", str(root), *args], capture_output=True, text=True, timeout=60)

    if git("rev-parse", "--is-inside-work-tree").stdout.strip() != "true":
        return "not committed: the project is not in a git repository"
    message = message.strip() or "Edit " + ", ".join(paths)
    git("add", "--", *paths)
    command = ["commit", "-m", message, "--", *paths]
    if author.strip():
        name = author.strip().replace("<", "").replace(">", "")
        command[1:1] = ["--author", f"{name} <{name.lower().replace(' ', '.')}@editor.invalid>"]
    done = git(*command)
    if done.returncode:
        return "not committed: " + (done.stderr.strip() or done.stdout.strip())
    return "committed " + git("rev-parse", "--short", "HEAD").stdout.strip()
