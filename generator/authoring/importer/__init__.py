"""``python -m generator import FILE``: a draft policies/<id>.yml from a Word, PDF, web page, text or Markdown policy.

One reader per format (read_docx, read_pdf, read_html, read_text) produces the neutral document (document.py);
draft.py turns it into the policy's sections and clauses; write_yaml.py writes the commented
YAML. Before anything is written the draft is loaded back with the project's strict loader,
validated against the Policy model, and compared sentence by sentence with the source
(faithfulness.py): any failure means nothing is written.
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from generator.load.diagnostics import DiagnosticError
from generator.authoring.importer import faithfulness
from generator.authoring.importer.document import Document
from generator.authoring.importer.draft import Context, Draft, build_draft
from generator.authoring.importer.errors import ImportFailure
from generator.authoring.importer.guard import check_file
from generator.authoring.importer.read_text import decode, read_text
from generator.authoring.importer.write_yaml import policy_yaml
from generator.load.strict_yaml import load_yaml
from generator.authoring.scaffold import ID_PATTERN, MAX_ID_LENGTH, _ids_in_use

__all__ = ["ImportFailure", "ImportResult", "import_policy", "read_document"]


@dataclass
class ImportResult:
    path: Path
    policy_id: str
    report: faithfulness.Report
    draft: Draft
    clauses: int = 0
    sections: int = 0
    notes: list[str] = field(default_factory=list)


def read_document(path: Path) -> Document:
    """Check the file and read it with the reader for its format."""
    kind = check_file(path)
    if kind == "docx":
        from generator.authoring.importer.read_docx import read_docx

        document = read_docx(path)
    elif kind == "pdf":
        from generator.authoring.importer.read_pdf import read_pdf

        document = read_pdf(path)
    elif kind == "html":
        from generator.authoring.importer.read_html import read_html

        document = read_html(decode(path.read_bytes(), path.name), path.name)
    else:
        document = read_text(decode(path.read_bytes(), path.name), path.name)
    document.name = path.name
    if not document.blocks:
        raise ImportFailure(f"{path.name} has no text to import: if it holds pictures of the text (a scanned "
                            "document), ask for the original Word file; the text cannot be read from pictures")
    return document


def import_policy(path: Path, root: Path, today: date, policy_id: str | None = None,
                  force: bool = False) -> ImportResult:
    """Write root/policies/<id>.yml from the policy document at path; raise ImportFailure if nothing was written."""
    if policy_id is not None:
        _check_id(policy_id)
    document = read_document(path)
    context = _context(path, root, today, policy_id)
    draft = build_draft(document, context)
    policy_id = draft.data["id"]
    _check_id(policy_id)
    folder = root / "policies"
    target = folder / f"{policy_id}.yml"
    if not force:
        for existing in (target, folder / f"{policy_id}.yaml"):
            if existing.exists():
                raise ImportFailure(f"policies/{existing.name} already exists: choose another id with --id, or "
                                    "replace it with --force")
        taken = _ids_in_use(folder)
        if policy_id in taken:
            raise ImportFailure(f"the id '{policy_id}' is already used by policies/{taken[policy_id]}: choose "
                                "another id with --id")
    header = _header(path, today, policy_id)
    text = policy_yaml(draft, header)
    folder.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{policy_id}.", suffix=".import", dir=folder)
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as out:
            out.write(text)
        data = _validated(Path(temporary), f"policies/{policy_id}.yml", draft)
        report = faithfulness.compare(document.source_text, draft_texts(data), draft.elsewhere)
        if not report.ok:
            raise ImportFailure("\n".join([f"{path.name}: some of the text would be lost."]
                                          + report.lines()
                                          + ["This is a fault in the importer: please report it with the document "
                                             "(or copy those sentences into the draft by hand)."]))
        os.replace(temporary, target)
    finally:
        if os.path.exists(temporary):
            os.unlink(temporary)
    sections, clauses = _count(data["sections"])
    return ImportResult(target, policy_id, report, draft, clauses, sections, draft.notes)


def draft_texts(data: dict) -> list[str]:
    """Every text of the draft a reader sees on the policy's pages, for the faithfulness comparison."""
    texts = [str(data.get(key, "")) for key in ("title", "period")]

    def items(values):
        for item in values:
            if isinstance(item, str):
                texts.append(item)
            else:
                texts.append(item["text"])
                items(item.get("items", []))

    def sections(values):
        for section in values:
            texts.append(f"{section['number']} {section['title']}")
            for clause in section.get("clauses", []):
                if clause.get("text"):
                    texts.append(clause["text"])
                items(clause.get("items", []))
                matrix = clause.get("matrix")
                if matrix:
                    texts.extend(matrix["columns"])
                    for row in matrix["rows"]:
                        texts.append(row["heading"])
                        texts.extend(row["cells"])
                        # as the site prints a cell: 'Commercial (tracking, …).'
                        texts.extend(f"{c} ({cell})." for c, cell in zip(matrix["columns"], row["cells"]))
            sections(section.get("sections", []))

    sections(data["sections"])
    return texts


def _validated(path: Path, display: str, draft: Draft) -> dict:
    from generator.checks.policies import check_policy_source

    try:
        source = load_yaml(path, display)
    except DiagnosticError as error:
        raise ImportFailure("the draft could not be written as valid YAML (a fault in the importer):\n"
                            + "\n".join(str(d) for d in error.diagnostics)) from None
    problems = check_policy_source(source)
    if problems:
        raise ImportFailure("some of the document's text would not pass `check` (the lines are those of the draft "
                            "that would have been written); change it in the document and import again:\n"
                            + "\n".join(str(d) for d in problems))
    if source.data != _expected(draft.data):
        raise ImportFailure("the draft's YAML does not read back as the text imported (a fault in the importer); "
                            "nothing was written")
    return source.data


def _expected(data: dict) -> dict:
    """The draft's data as the loader reads it back: empty lists left out, numbers as text."""
    def clean(value):
        if isinstance(value, dict):
            return {k: clean(v) for k, v in value.items() if not (isinstance(v, list) and not v)}
        if isinstance(value, list):
            return [clean(v) for v in value]
        return value

    expected = clean(data)
    _add_audiences(expected["sections"])
    return expected


def _add_audiences(sections: list) -> None:
    for section in sections:
        for index, clause in enumerate(section.get("clauses", [])):
            section["clauses"][index] = {"id": clause["id"], "audiences": ["staff"],
                                         **{k: v for k, v in clause.items() if k != "id"}}
        _add_audiences(section.get("sections", []))


def _count(sections: list) -> tuple[int, int]:
    total_sections = total_clauses = 0
    for section in sections:
        inner_sections, inner_clauses = _count(section.get("sections", []))
        total_sections += 1 + inner_sections
        total_clauses += len(section.get("clauses", [])) + inner_clauses
    return total_sections, total_clauses


def _check_id(policy_id: str) -> None:
    if not ID_PATTERN.match(policy_id) or len(policy_id) > MAX_ID_LENGTH:
        raise ImportFailure(f"'{policy_id}' is not a valid id: use lower-case letters, digits and single hyphens, "
                            f"at most {MAX_ID_LENGTH} characters (e.g. 'anti-bullying')")


def _context(path: Path, root: Path, today: date, policy_id: str | None) -> Context:
    school_name, school_text = None, ""
    school_file = root / "school.yml"
    if school_file.is_file():
        try:
            source = load_yaml(school_file, "school.yml")
            school_text = school_file.read_text(encoding="utf-8")
            if isinstance(source.data, dict) and isinstance(source.data.get("name"), str):
                school_name = source.data["name"]
        except DiagnosticError:
            pass  # `check` reports a broken school.yml; the import only loses the comparison
    policies = (root / "policies").resolve()
    resolved = path.resolve()
    # The build compares a policy with its `source:` document, which it reads as text: only a text or
    # Markdown original can be named there (a .docx is named in a comment instead).
    source = resolved.relative_to(policies).as_posix() \
        if resolved.is_relative_to(policies) and path.suffix.lower() in (".txt", ".md", ".markdown", ".text") else None
    return Context(today=today, policy_id=policy_id, source=source, school_name=school_name,
                   school_text=school_text)


def _header(path: Path, today: date, policy_id: str) -> list[str]:
    return [
        f"DRAFT imported from {path.name} by `python -m generator import` on {today.isoformat()}.",
        "The wording below is the document's own: do not correct it here (the approved text is what is",
        "published). Before publishing:",
        "  1. read it side by side with the approved document;",
        "  2. confirm each value under 'placeholders' and remove it from that list;",
        "  3. decide each clause's audiences (every clause starts as 'staff': see the AUDIENCE notes);",
        "  4. add a 'summary' and the 'related_policies';",
        "  5. run `python -m generator check`, then `make serve` to see the pages.",
        "Ids come from each clause's first words: change them now if you like, but never once published",
        f"(trees cite clauses as '{policy_id}#clause-id').",
    ]
