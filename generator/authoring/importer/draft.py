"""Neutral document -> draft policy data (plain dicts in the order policies/<id>.yml lists them).

What goes where:
* blocks before the first section heading are the cover: the title, period, approval and
  review details become metadata; a vision, values or inclusion statement is suggested for
  school.yml (it belongs to the school, not to one policy) rather than copied;
* each heading opens a section, nested by its number (3.1 inside 3); each paragraph is a
  clause; bullets after a paragraph are its list; a table after a paragraph is its matrix;
* 'This is a true version signed by…' and what follows it are the signatories.
Wording is never changed; every value the cover did not give is a stand-in listed under
``placeholders`` for the author to confirm.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from datetime import date

from generator.checks.cover import LABELS, cover_details, term_date
from generator.load.models.base import due_date
from generator.authoring.importer.document import Bullet, Document, Heading, Paragraph, Table
from generator.authoring.importer.headings import find_headings
from generator.authoring.importer.faithfulness import normalise, plain

PLACEHOLDER_FIELDS = ("title", "short_title", "approved", "approved_by", "review_due", "owner")
EMPTY_CELL = "—"
"""What an empty table cell becomes: every cell of a matrix needs some text."""

_STATEMENT = re.compile(r"^\**(our )?(vision|values|mission|ethos|aims|inclusion statement)\b\**\s*:?\s*(.*)$", re.I)
_STATEMENT_END = re.compile(r"^statement (developed|written|agreed) by\b", re.I)
_SIGNATURE_START = re.compile(r"^(this is a true (version|copy)|signed on behalf of|signatories?\b)", re.I)
_SIGNATURE_LINE = re.compile(r"^(signed|date|name|position)\s*:?\s*$", re.I)
_TITLE_PREFIX = re.compile(r"^(mr|mrs|ms|miss|mx|dr|prof|rev|sir|dame)\.?\s", re.I)
_ROLE_SUFFIX = re.compile(r"\s+((?:executive |acting |deputy )?head ?teacher|head of school|principal|"
                          r"(?:vice[- ])?chair(?: of (?:the )?governors| of (?:the )?governing (?:body|board))?|"
                          r"governor|ceo|business manager)$", re.I)
COVER = "on the cover (kept as the draft's title, dates and approval details)"
SCHOOL = "in the school's own statements (vision, values, inclusion: for school.yml, not this policy)"
SIGNATURE = "in the signature block (kept as the draft's signatories and review date)"


@dataclass
class Context:
    """What the draft needs from outside the document."""

    today: date
    policy_id: str | None = None
    source: str | None = None
    """The value for 'source:' (the original's path relative to policies/), if it is inside policies/."""
    school_name: str | None = None
    school_text: str = ""
    """school.yml's text, to say whether a statement found on the cover is already there."""


@dataclass
class Draft:
    data: dict
    stand_ins: dict[str, str] = field(default_factory=dict)
    """Placeholder field -> why it is a stand-in (shown as a comment)."""
    statements: list[tuple[str, str, bool]] = field(default_factory=list)
    """(kind, text, already in school.yml) for each statement found on the cover."""
    elsewhere: dict[str, list[str]] = field(default_factory=dict)
    """Reason -> source texts deliberately not copied into the clauses, for the faithfulness report."""
    notes: list[str] = field(default_factory=list)


def build_draft(document: Document, context: Context) -> Draft:
    blocks = [_escape_html(block) for block in find_headings(document.blocks)]
    start = next((i for i, b in enumerate(blocks)
                  if isinstance(b, Heading) and not _is_title(b, i, blocks, document.title)), len(blocks))
    draft = Draft(data={}, notes=list(document.notes))
    meta, preamble = _read_cover(blocks[:start], context, draft, document.title)
    body, signature = _split_signature(blocks[start:])
    signatories = _read_signature(signature, meta, draft)
    sections = _Sections(draft).build(preamble, body)
    if not sections:
        raise ValueError("no text")  # the caller checks for text first; a safety net
    _fill_metadata(meta, context, draft, document.name)
    data = draft.data
    data["id"] = context.policy_id or policy_id_from_title(meta["title"])
    for key in ("title", "short_title", "period", "approved", "approved_by", "review_due", "owner"):
        if meta.get(key):
            data[key] = meta[key]
    if draft.stand_ins:
        data["placeholders"] = [f for f in PLACEHOLDER_FIELDS if f in draft.stand_ins]
    if context.source:
        data["source"] = context.source
    data["audiences"] = ["staff"]
    if signatories:
        data["signatories"] = signatories
    data["sections"] = sections
    return draft


def policy_id_from_title(title: str) -> str:
    words = _words(title)
    if len(words) > 1 and words[-1] == "policy":
        words = words[:-1]
    return _join(words, 6, 50) or "policy"


_RAW_HTML = re.compile(r"<(?!(?:https?://|mailto:)[^>\s]+>)(?=[A-Za-z/!?])")


def _escape_html(block):
    """'<b>' in a policy's text is text: written as '&lt;b>' it shows as typed and can never become markup."""
    if isinstance(block, Table):
        return Table(tuple(tuple(_RAW_HTML.sub("&lt;", cell) for cell in row) for row in block.rows))
    if isinstance(block, Heading):
        return Heading(block.level, _RAW_HTML.sub("&lt;", block.title), block.number)
    if isinstance(block, Bullet):
        return Bullet(_RAW_HTML.sub("&lt;", block.text), block.depth, block.starts_list)
    return Paragraph(_RAW_HTML.sub("&lt;", block.text))


# --- the cover ----------------------------------------------------------------------------------

_SECTION_WORDS = re.compile(r"^(?:introduction|purpose|aims?|scope|contents|rationale|background|overview|"
                            r"policy statement|definitions?)$", re.I)


def _is_title(block: Heading, index: int, blocks: list, marked: str | None) -> bool:
    """A leading unnumbered heading naming the policy is its title, not section 1: the one Word's Title style
    marks, one with 'Policy' in it ('# Social Media Policy'), or the document's very first line ('Mobile Phones')
    when only cover details come before it."""
    if block.number is not None:
        return False
    if _school_heading(block):
        return True  # the school's name above the title, in large type: part of the cover, not a section
    if any(isinstance(b, Heading) and not _school_heading(b) for b in blocks[:index]):
        return False
    if marked is not None:
        return normalise(block.title) == normalise(marked)
    before = [b for b in blocks[:index] if not (isinstance(b, Paragraph) and cover_details(plain(b.text).strip()))]
    return "policy" in block.title.lower() or (not before and not _SECTION_WORDS.match(block.title.strip()))


def _same_title(text: str, title: str) -> bool:
    """The title repeated, e.g. in capitals at the top of page 2, with '&' for 'and'."""
    return normalise(text.replace("&", " and ")) == normalise(title.replace("&", " and "))


def _school_heading(block) -> bool:
    return isinstance(block, Heading) and block.number is None and _looks_like_school_name(block.title)


def _read_cover(blocks: list, context: Context, draft: Draft, marked: str | None = None) -> tuple[dict, list]:
    meta: dict = {}
    consumed: list[str] = []
    preamble: list = []
    school = normalise(context.school_name or "")
    statement_kind = None
    if marked:
        meta["title"] = _title_case(marked)
    for block in blocks:
        if isinstance(block, Table):
            rest = _cover_table(block, meta, consumed)
            if rest is not None:
                preamble.append(rest)
            continue
        text = block.title if isinstance(block, Heading) else block.text if isinstance(block, (Paragraph, Bullet)) else None
        if text is None:
            preamble.append(block)
            continue
        bare = plain(text).strip().strip("*").strip()
        bare = re.sub(r"^title\s*:\s*", "", bare, flags=re.I)  # 'Title: Online Safety Policy' on a cover
        if statement_kind:
            draft.statements.append((statement_kind, bare, _in_school_yml(bare, context)))
            draft.elsewhere.setdefault(SCHOOL, []).append(text)
            if _STATEMENT_END.match(bare):
                statement_kind = None
            continue
        statement = _STATEMENT.match(bare)
        if statement:
            kind = statement.group(2).lower()
            rest = statement.group(3).strip().strip("*").strip()
            draft.elsewhere.setdefault(SCHOOL, []).append(text)
            if rest:
                draft.statements.append((kind, rest, _in_school_yml(rest, context)))
            else:
                statement_kind = kind  # the statement is in the paragraphs that follow
            continue
        details = cover_details(bare)
        if details and not set(details) & set(meta):
            meta.update(details)
            consumed.append(text)
        elif school.strip() and normalise(bare) == school:
            consumed.append(text)
        elif _looks_like_school_name(bare) and "school_name" not in meta:
            meta["school_name"] = bare
            consumed.append(text)
        elif "title" not in meta and (_looks_like_title(bare) or (not preamble and _first_line_title(bare))):
            meta["title"] = _title_case(bare)
            consumed.append(text)
        elif meta.get("title") and _same_title(bare, meta["title"]):
            consumed.append(text)  # the title repeated, e.g. in capitals at the top of page 2
        elif meta.get("school_name") and normalise(bare) == normalise(meta["school_name"]):
            consumed.append(text)
        else:
            preamble.append(block)
    if consumed:
        draft.elsewhere.setdefault(COVER, []).extend(consumed)
    return meta, preamble


def _cover_table(table: Table, meta: dict, consumed: list[str]) -> Table | None:
    """A cover laid out as a table ('Reviewed: | October 2011'): each row whose label is a cover detail gives it;
    the rows that are not stay a table for the draft (None when every row was a detail)."""
    kept = []
    for row in table.rows:
        cells = [cell for cell in row if cell.strip()]
        details = {}
        if len(cells) == 2:
            label = plain(cells[0]).strip().strip("*").strip().rstrip(":")
            details = cover_details(f"{label}: {plain(cells[1]).strip().strip('*').strip()}")
        if details and not set(details) & set(meta):
            meta.update(details)
            consumed.extend(cells)
        elif len(cells) == 1 and "title" not in meta and _looks_like_title(plain(cells[0]).strip("* ")):
            meta["title"] = _title_case(plain(cells[0]).strip("* "))
            consumed.extend(cells)
        elif cells:
            kept.append(row)
    return Table(tuple(kept)) if kept else None


def _first_line_title(text: str) -> bool:
    """The document's first line names it when it reads as a title: short, no sentence, not a section's name."""
    return (len(text.split()) <= 12 and not re.search(r"[.:;!?,]$", text) and text[:1].isupper()
            and not _SECTION_WORDS.match(text) and not re.match(r"^\d", text))


def _in_school_yml(text: str, context: Context) -> bool:
    """True when school.yml already says it (a list of values may be there one by one)."""
    known = normalise(context.school_text)
    parts = [p for p in re.split(r",|\band\b", text) if normalise(p).strip()]
    return bool(context.school_text) and (normalise(text) in known or all(normalise(p) in known for p in parts))


def _looks_like_school_name(text: str) -> bool:
    # A name: its last word capitalised ('Oak Lane Primary School'), not 'Bringing phones to school'.
    return bool(re.search(r"\b(School|Academy|College|Centre|SCHOOL|ACADEMY|COLLEGE|CENTRE)$", text)) \
        and len(text.split()) <= 10 and "policy" not in text.lower()


def _looks_like_title(text: str) -> bool:
    return "policy" in text.lower() and len(text.split()) <= 12 and not text.rstrip().endswith((".", ":"))


def _title_case(text: str) -> str:
    if not text.isupper():
        return text
    small = {"and", "of", "the", "for", "in", "on", "to", "a", "an", "with"}
    words = text.lower().split()
    # Two capitals that are not a small word are initials, kept: 'CE', 'RC', 'PE'.
    return " ".join(w.upper() if len(w) == 2 and w.isalpha() and w not in small | {"at", "by", "is", "it", "or"}
                    else w if i and w in small else w[:1].upper() + w[1:] for i, w in enumerate(words))


def _fill_metadata(meta: dict, context: Context, draft: Draft, file_name: str = "") -> None:
    if not meta.get("title"):
        # Never a stand-in that reads like a real title: the file's own name says which document it was.
        stem = re.sub(r"[-_]+", " ", file_name.rsplit(".", 1)[0]).strip() or "Policy"
        meta["title"] = stem[:1].upper() + stem[1:]
        draft.notes.append(f"title: the document gives none on its first lines, so it is taken from the file's "
                           f"name, '{file_name}': check it")
    meta["short_title"] = _short_title(meta["title"])
    for key in ("approved", "review_due"):
        written = meta.get(key)
        value = term_date(written) if written else None
        if value:
            meta[key] = value
            if value != written:
                draft.notes.append(f"{key}: the cover says '{written}', written here as '{value}'")
        else:
            stand_in = context.today if key == "approved" else _next_year(context.today)
            meta[key] = stand_in.isoformat()
            draft.stand_ins[key] = (f"the cover says '{written}', which is not a term or a date" if written
                                    else "not found on the cover")
    if "approved" in draft.stand_ins and "review_due" not in draft.stand_ins:
        # A stand-in must not contradict a date the cover gives: a policy already overdue for review was approved
        # before its review date (today would be after it, and check would refuse the fresh draft with E307).
        review = due_date(meta["review_due"])
        if review < context.today:
            meta["approved"] = _years_before(review, 1).isoformat()
    if not meta.get("approved_by"):
        meta["approved_by"] = "Governing Body"
        draft.stand_ins["approved_by"] = "not found on the cover"
    if not meta.get("owner"):
        meta["owner"] = meta["approved_by"] if "approved_by" not in draft.stand_ins else "Head Teacher"
        draft.stand_ins["owner"] = "not found on the cover: who keeps this policy up to date?"
    if meta.get("period"):
        meta["period"] = re.sub(r"\s*[-–/]\s*", "-", meta["period"])
    for key, what in (("version", "version"), ("review_frequency", "review frequency")):
        if meta.get(key):
            draft.notes.append(f"the cover gives the {what} '{meta[key]}', which a policy's details do not hold: "
                               "record it in 'versions' or the summary if the site should show it")


def _short_title(title: str) -> str:
    words = title.split()
    if len(words) > 1 and words[-1].lower() == "policy":
        words = words[:-1]
    return " ".join(w if i == 0 or (w.isupper() and len(w) <= 5) else w.lower() for i, w in enumerate(words))


def _next_year(today: date) -> date:
    return _years_before(today, -1)


def _years_before(day: date, years: int) -> date:
    return date(day.year - years, day.month, 28 if (day.month, day.day) == (2, 29) else day.day)


# --- the signature block --------------------------------------------------------------------------

def _split_signature(blocks: list) -> tuple[list, list]:
    for index, block in enumerate(blocks):
        if isinstance(block, Paragraph) and _SIGNATURE_START.match(plain(block.text).strip()):
            end = next((i for i in range(index, len(blocks)) if isinstance(blocks[i], Heading)), len(blocks))
            if end == len(blocks):
                return blocks[:index], blocks[index:]
    return blocks, []


def _read_signature(blocks: list, meta: dict, draft: Draft) -> list[dict]:
    signatories = []
    for block in blocks:
        text = plain(block.text).strip() if isinstance(block, (Paragraph, Bullet)) else ""
        if not text:
            continue
        draft.elsewhere.setdefault(SIGNATURE, []).append(block.text)
        review = LABELS["review_due"].match(text)
        if review:
            if "review_due" not in meta:
                meta["review_due"] = review.group(1).strip()
            continue
        if _SIGNATURE_LINE.match(text) or _SIGNATURE_START.match(text) or not _TITLE_PREFIX.match(text):
            continue
        name, _, role = text.rpartition(",")
        if not name:
            suffix = _ROLE_SUFFIX.search(text)
            name, role = (text[:suffix.start()], suffix.group(1)) if suffix else ("", "")
        if name.strip() and role.strip():
            signatories.append({"name": name.strip(), "role": role.strip()})
        else:
            draft.notes.append(f"signature block: could not tell the name from the role in '{text}': add it to "
                               "'signatories' by hand")
    return signatories


# --- sections and clauses -------------------------------------------------------------------------

class _Sections:
    def __init__(self, draft: Draft):
        self.draft = draft
        self.ids = _Ids()
        self.top: list[dict] = []
        self.stack: list[tuple[int, dict]] = []
        self.counters: list[int] = []
        self.levels: list[int] = []
        """The source's heading levels of the sections open now, outermost first."""
        self.clause: dict | None = None
        self.last: type | None = None

    def build(self, preamble: list, body: list) -> list[dict]:
        if preamble:
            self._open(Heading(1, "Before section 1", "0"))
            self.draft.notes.append("section 0 'Before section 1' holds text found before the first heading that is "
                                    "not a cover detail: move it or give it a heading")
            for block in preamble:
                self._add(block)
        for block in body:
            self._add(block)
        return self.top

    def _add(self, block) -> None:
        if isinstance(block, Heading):
            self._open(block)
        elif not self.stack:
            self._open(Heading(1, "Before section 1", "0"))
            self._add(block)
            return
        elif isinstance(block, Paragraph):
            self._new_clause({"text": block.text})
        elif isinstance(block, Bullet):
            self._bullet(block)
        elif isinstance(block, Table):
            self._table(block)
        self.last = type(block)

    def _open(self, heading: Heading) -> None:
        if heading.number:
            parts = [int(p) for p in re.findall(r"\d+", heading.number)] or [0]
            level = len(parts)
            self.counters = parts
            number = heading.number.rstrip(".")
            # Section 0 ('Before section 1') holds the text before the first heading: never a parent.
            self.levels = list(range(1, level + 1)) if number != "0" else []
        else:
            # Unnumbered headings nest by rank, not by their style's number: a page whose headings are all
            # <h3> (or Heading 3) has them side by side at the top, not each inside the one before.
            while self.levels and self.levels[-1] >= heading.level:
                self.levels.pop()
            self.levels.append(heading.level)
            level = max(1, min(len(self.levels), len(self.counters) + 1))
            self.counters = (self.counters + [0] * level)[:level]
            self.counters[-1] += 1
            number = ".".join(str(n) for n in self.counters)
        while self.stack and self.stack[-1][0] >= level:
            self.stack.pop()
        section = {"id": self.ids.new(heading.title, "section"), "number": number, "title": heading.title,
                   "clauses": [], "sections": []}
        (self.stack[-1][1]["sections"] if self.stack else self.top).append(section)
        self.stack.append((level, section))
        self.clause = None

    def _new_clause(self, content: dict) -> dict:
        first = content.get("text") or _first_text(content)
        clause = {"id": self.ids.new(first, "clause"), **content}
        self.stack[-1][1]["clauses"].append(clause)
        self.clause = clause
        return clause

    def _bullet(self, bullet: Bullet) -> None:
        clause = self.clause
        if clause is None or self.last not in (Paragraph, Bullet) or "matrix" in clause \
                or (self.last is Paragraph and clause.get("items")):
            clause = self._new_clause({"items": [bullet.text]})
            return
        items = clause.setdefault("items", [])
        for _ in range(bullet.depth):
            if not items:
                break
            parent = items[-1]
            if isinstance(parent, str):
                parent = items[-1] = {"text": parent, "items": []}
            items = parent["items"]
        items.append(bullet.text)

    def _table(self, table: Table) -> None:
        rows = [list(row) for row in table.rows if any(cell.strip() for cell in row)]
        width = max((len(row) for row in rows), default=0)
        if not rows:
            return
        if len(rows) < 2 or width < 2:
            cells = [cell for row in rows for cell in row if cell.strip()]
            self._new_clause({"items": cells})
            return
        rows = [row + [""] * (width - len(row)) for row in rows]
        if any(not cell.strip() for row in rows for cell in row[1:]) or any(not row[0].strip() for row in rows[1:]):
            self.draft.notes.append(f"a table's empty cells are written as '{EMPTY_CELL}': every cell of a matrix "
                                    "needs text")
        fill = lambda cell: cell.strip() or EMPTY_CELL  # noqa: E731
        matrix = {"columns": [fill(c) for c in rows[0][1:]],
                  "rows": [{"heading": fill(row[0]), "cells": [fill(c) for c in row[1:]]} for row in rows[1:]]}
        corner = rows[0][0].strip()
        clause = self.clause
        if clause is not None and self.last is Paragraph and not clause.get("items") and not corner:
            clause["matrix"] = matrix
        else:
            self._new_clause({"text": corner, "matrix": matrix} if corner else {"matrix": matrix})


def _first_text(content: dict) -> str:
    if content.get("items"):
        first = content["items"][0]
        return first if isinstance(first, str) else first["text"]
    matrix = content.get("matrix")
    return " ".join([matrix["rows"][0]["heading"]] + matrix["columns"][:3]) if matrix else "clause"


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9]+", html.unescape(plain(text)).replace("'", "").replace("’", "").lower())


def _join(words: list[str], most: int, length: int) -> str:
    chosen: list[str] = []
    for word in words[:most]:
        if chosen and len("-".join(chosen + [word])) > length:
            break
        chosen.append(word[:length])
    return "-".join(chosen)


class _Ids:
    """Readable ids from a text's first words, unique within the policy (sections and clauses share one space)."""

    def __init__(self):
        self.taken: set[str] = set()

    def new(self, text: str, fallback: str) -> str:
        words = _words(text) or [fallback]
        candidates = [_join(words, n, 48) for n in range(min(5, len(words)), min(8, len(words)) + 1)]
        chosen = next((c for c in candidates if c not in self.taken), None)
        if chosen is None:
            base = candidates[0]
            chosen = next(f"{base}-{n}" for n in range(2, 10_000) if f"{base}-{n}" not in self.taken)
        self.taken.add(chosen)
        return chosen
