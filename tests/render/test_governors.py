"""Issue 15: the policy as one signed document (PDF), approval history, `generator diff`, review calendar.

The example school tests/fixtures/wexham is built once (the session's ``wexham_sites``); the tool's own behaviour
is also tested on the small school in tests/fixtures/governors/ ("old", and "new" with one change of each kind).
"""

from __future__ import annotations

import re
import shutil
import socket
import subprocess
from datetime import date
from pathlib import Path

import icalendar
import pytest
from pypdf import PdfReader

from support import REPO, TODAY, WEXHAM, run_generator
from generator import pipeline
from generator.checks.faithfulness import missing_sentences, normalise, source_sentences
from generator.load.models import Audience
from generator.build.pdf import pdf_text

FIXTURES = REPO / "tests" / "fixtures" / "governors"
APPENDIX = "Appendix: notes from the site's editors"
SEED = WEXHAM / "policies" / "source" / "social-media-policy.txt"
pdf_pages = pdf_text


def first_text(ref) -> str:
    """A clause's first piece of wording: its text, or its first list item."""
    clause = ref.clause
    if clause.text:
        return clause.text
    item = clause.items[0]
    return item if isinstance(item, str) else item.text


def pdf_body_and_appendix(path: Path) -> tuple[str, str]:
    text = "\n".join(pdf_pages(path))
    body, _, appendix = text.partition(APPENDIX)
    return body, appendix


@pytest.fixture(scope="module")
def staff_pdf(wexham_sites: Path) -> Path:
    return wexham_sites / "staff" / "policies" / "social-media" / "social-media.pdf"


@pytest.fixture(scope="module")
def parents_pdf(wexham_sites: Path) -> Path:
    return wexham_sites / "parents" / "policies" / "social-media" / "social-media-for-parents.pdf"


# --- the PDF ---------------------------------------------------------------------------------------


def test_each_policy_has_a_pdf_on_each_site_and_pages_link_to_it(wexham_sites: Path, wexham_project):
    for policy in wexham_project.policies:
        staff = wexham_sites / "staff" / "policies" / policy.id
        assert (staff / f"{policy.id}.pdf").read_bytes().startswith(b"%PDF-")
        for page in ("index.html", "whole/index.html"):
            assert f'href="../{policy.id}.pdf"' in (staff / page).read_text() or \
                f'href="{policy.id}.pdf"' in (staff / page).read_text(), page
        for section in policy.sections:
            assert f'href="../{policy.id}.pdf"' in (staff / section.id / "index.html").read_text(), section.id
        register = (wexham_sites / "staff" / "policies" / "index.html").read_text()
        assert f'href="{policy.id}/{policy.id}.pdf"' in register
        parents = wexham_sites / "parents" / "policies" / policy.id
        assert (parents / f"{policy.id}-for-parents.pdf").read_bytes().startswith(b"%PDF-")
        assert f"{policy.id}-for-parents.pdf" in (parents / "index.html").read_text()


def test_staff_pdf_contains_every_sentence_of_the_approved_document(staff_pdf: Path, wexham_project):
    """Bug caught: a clause (or the cover's approval lines) left out of the printed policy."""
    sentences = source_sentences(SEED.read_text(encoding="utf-8"))
    deviations = [(d.original, d.published) for d in wexham_project.policies_by_id["social-media"].deviations]
    missing = [s.text for s in missing_sentences(sentences, " ".join(pdf_pages(staff_pdf)), deviations)]
    assert len(sentences) > 120
    assert not missing, f"{len(missing)} of {len(sentences)} sentences of the source missing from the PDF: {missing}"


def test_pdf_is_a4_with_page_numbers(staff_pdf: Path):
    reader = PdfReader(staff_pdf)
    width, height = (float(v) for v in reader.pages[0].mediabox.upper_right)
    assert (round(width / 72 * 25.4), round(height / 72 * 25.4)) == (210, 297)
    total = len(reader.pages)
    assert f"Page 2 of {total}" in reader.pages[1].extract_text()


def test_pdf_title_page_says_what_was_approved(staff_pdf: Path):
    title = normalise(PdfReader(staff_pdf).pages[0].extract_text())
    for expected in ("Wexham Court Primary School", "Social Media Policy", "2021-2024", "Date approved: Autumn 2021",
                     "Approved by: Head Teacher", "Date for review: Autumn 2024"):
        assert normalise(expected) in title, expected


def test_pdf_sections_are_numbered_as_approved(staff_pdf: Path, wexham_project):
    lines = [line.strip() for line in "\n".join(pdf_pages(staff_pdf)).splitlines()]
    policy = wexham_project.policies_by_id["social-media"]
    expected = [f"{s.number}. {s.title}" if not parents else f"{s.number} {s.title}"
                for s, parents in policy.walk_sections()]
    headings = [line for line in lines if line in expected]
    assert headings == expected


def test_one_signature_and_date_line_per_signatory(staff_pdf: Path, wexham_project):
    """Bug caught: a signatory without a line to sign on (the overview's old 'Signed' list)."""
    body, _ = pdf_body_and_appendix(staff_pdf)
    lines = [line.strip() for line in body.splitlines()]
    signatories = wexham_project.policies_by_id["social-media"].signatories
    # Hand-written from the source document's last page.
    assert [f"{p.name}, {p.role}" for p in signatories] == ["Mr J. Reekie, Chair of Governors",
                                                            "Miss N Mehat, Headteacher"]
    for person in signatories:
        at = lines.index(f"{person.name}, {person.role}")
        assert lines[at + 1: at + 3] == ["Signed:", "Date:"], lines[at: at + 3]
    assert lines.count("Signed:") == lines.count("Date:") == len(signatories)


def test_fixture_policy_with_three_signatories_gets_three_lines(tmp_path):
    from generator.render.document import policy_document
    from generator.build.pdf import html_to_pdf

    project = pipeline.check(FIXTURES / "old", TODAY).project
    path = tmp_path / "phones.pdf"
    path.write_bytes(html_to_pdf(policy_document(project, project.policies[0], "staff")))
    lines = [line.strip() for line in "\n".join(pdf_pages(path)).splitlines()]
    assert lines.count("Signed:") == lines.count("Date:") == 3
    for name in ("Mrs C. Example, Chair of Governors", "Mr B. Example, Headteacher",
                 "Ms D. Example, Clerk to the Governors"):
        assert lines[lines.index(name) + 1] == "Signed:"


def test_editors_notes_are_only_in_the_appendix(staff_pdf: Path, wexham_project):
    """Bug caught: an orange 'Out of date' editors' box printed among the approved wording."""
    body, appendix = pdf_body_and_appendix(staff_pdf)
    notes = [note.text for ref in wexham_project.clauses.values() for note in ref.clause.notes]
    assert len(notes) >= 5 and appendix
    body, appendix = normalise(body), normalise(appendix)
    for text in notes:
        # The first sentence of each note (links shown as their text in the PDF).
        first = normalise(re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text).split(". ")[0])
        assert first not in body, f"editors' note in the body of the policy: {text[:60]}"
        assert first in appendix, f"editors' note missing from the appendix: {text[:60]}"
    assert normalise("Out of date") not in body and normalise("editors") not in body


def test_parents_pdf_has_the_parents_clauses_and_no_staff_only_clause(parents_pdf: Path, wexham_project):
    """Bug caught: the parents' PDF (public) carrying a staff-only clause."""
    text = normalise(" ".join(pdf_pages(parents_pdf)))
    refs = [ref for ref in wexham_project.clauses.values() if ref.policy.id == "social-media"]
    for ref in refs:
        first = normalise(first_text(ref))
        if Audience.parents in ref.audiences:
            assert first in text, ref.citation
        elif len(first.split()) >= 6:
            assert first not in text, f"staff-only clause {ref.citation} in the parents' PDF"
    assert "signed" not in text.split()  # no signature block in the extract for parents


def test_pdf_renderer_requests_nothing_from_other_hosts(monkeypatch):
    """Bug caught: an image, stylesheet or font fetched from another host while making a PDF."""
    from generator.build.pdf import FetchLog, html_to_pdf

    def no_network(*args, **kwargs):
        raise AssertionError(f"network connection attempted: {args}")

    monkeypatch.setattr(socket.socket, "connect", no_network)
    monkeypatch.setattr(socket, "create_connection", no_network)
    log = FetchLog([])
    html = ('<html><head><link rel="stylesheet" href="https://example.org/a.css">'
            '<style>@import url("https://example.org/b.css"); @font-face { font-family: X; '
            'src: url("https://example.org/x.woff2"); } p { font-family: X; }</style></head>'
            '<body><p>Hello</p><img src="http://example.org/tracker.png" alt=""></body></html>')
    assert html_to_pdf(html, log).startswith(b"%PDF-")
    assert set(log.refused) == {"https://example.org/a.css", "https://example.org/b.css",
                                "https://example.org/x.woff2", "http://example.org/tracker.png"}


def test_print_documents_reference_no_resource(wexham_project):
    from generator.render.document import policy_document

    for policy in wexham_project.policies:
        for edition in ("staff", "parents"):
            html = policy_document(wexham_project, policy, edition)
            assert not re.search(r"<(img|link|script|iframe|object)\b|\bsrc=|url\(|@import", html, re.I)


def test_pdfs_are_reused_when_their_html_is_unchanged(tmp_path, monkeypatch):
    from generator.build import pdf

    made = []
    monkeypatch.setattr(pdf, "html_to_pdf", lambda html: made.append(html) or b"%PDF-fake " + html.encode())
    first = pdf.make_pdfs({"a.pdf": "<p>A</p>", "b.pdf": "<p>B</p>"}, tmp_path)
    second = pdf.make_pdfs({"a.pdf": "<p>A</p>", "b.pdf": "<p>B changed</p>"}, tmp_path)
    assert made == ["<p>A</p>", "<p>B</p>", "<p>B changed</p>"]
    assert second["a.pdf"] == first["a.pdf"] and second["b.pdf"] == b"%PDF-fake <p>B changed</p>"
    assert len(list(tmp_path.glob("*.pdf"))) == 2  # the stale 'B' entry was removed


# --- approval history ------------------------------------------------------------------------------


def _rendered(root: Path, today: date = TODAY):
    result = pipeline.render(root, today)
    assert result.ok, [str(d) for d in result.diagnostics]
    return result.rendered


def test_approval_history_newest_first_on_register_and_policy_page():
    docs = _rendered(FIXTURES / "old")["staff"].docs
    expected = ("| Autumn 2024 (current) | Full Governing Body | FGB 2024/11 item 9 | Smart watches included. |\n"
                "| Autumn 2021 | Resources Committee | RC 2021/10 item 4 | Added the rules for trips. |\n"
                "| Autumn 2018 | Full Governing Body | FGB 2018/11 item 6 | First version. |\n")
    assert expected in docs["policies/index.md"]
    assert expected in docs["policies/phones/index.md"]
    assert expected in docs["policies/phones/whole.md"]
    assert "| Autumn 2021 (current) | Head Teacher | not recorded | not recorded |" in \
        _rendered(WEXHAM)["staff"].docs["policies/index.md"]


def _copy(root: Path, tmp_path: Path) -> Path:
    shutil.copytree(root, tmp_path / "project")
    return tmp_path / "project"


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_versions_must_be_oldest_first(tmp_path):
    project = _copy(FIXTURES / "old", tmp_path)
    _edit(project / "policies" / "phones.yml", "  - approved: Autumn 2018", "  - approved: Summer 2022")
    errors = [str(d) for d in pipeline.check(project, TODAY).diagnostics if d.is_error]
    assert errors == ["policies/phones.yml:23:15: E308 versions must be listed oldest first: 'Autumn 2021' comes "
                      "after 'Summer 2022'"]


def test_latest_version_must_be_the_current_approval(tmp_path):
    project = _copy(FIXTURES / "old", tmp_path)
    _edit(project / "policies" / "phones.yml", "minute_ref: FGB 2024/11 item 9", "minute_ref: x")
    _edit(project / "policies" / "phones.yml", "approved_by: Full Governing Body\nreview_due",
          "approved_by: Resources Committee\nreview_due")
    errors = [str(d) for d in pipeline.check(project, TODAY).diagnostics if d.is_error]
    assert errors == ["policies/phones.yml:27:15: E309 the last version (approved Autumn 2024 by Full Governing "
                      "Body) must be the current one: approved Autumn 2024 by Resources Committee (add the new "
                      "approval to the end of versions, or correct approved/approved_by)"]


# --- register and calendar -------------------------------------------------------------------------


def _add_policy_due(project: Path, policy_id: str, review_due: str) -> None:
    text = (project / "policies" / "phones.yml").read_text(encoding="utf-8")
    text = text.replace("id: phones", f"id: {policy_id}", 1).replace("title: Mobile Phones Policy",
                                                                     f"title: {policy_id.title()} Policy", 1)
    text = text.replace("review_due: Autumn 2027", f"review_due: {review_due}")
    text = re.sub(r"versions:.*?(?=sections:)", "", text, flags=re.S)
    (project / "policies" / f"{policy_id}.yml").write_text(text, encoding="utf-8")


def test_register_sorts_by_review_date_and_flags_due_within_60_days(tmp_path):
    project = _copy(FIXTURES / "old", tmp_path)
    _add_policy_due(project, "visitors", "2027-01-20")  # 57 days after 24 November 2026
    _add_policy_due(project, "lettings", "2027-01-25")  # 62 days after
    register = _rendered(project)["staff"].docs["policies/index.md"]
    rows = [line for line in register.splitlines() if line.startswith("| [")]
    assert [re.match(r"\| \[([^\]]+)\]", row).group(1) for row in rows] == [
        "Visitors Policy", "Lettings Policy", "Mobile Phones Policy"]
    assert "| Due within 60 days |" in rows[0]
    assert "| In date |" in rows[1] and "| In date |" in rows[2]


def test_review_calendar_parses_and_is_stable(tmp_path):
    """Bug caught: an .ics that calendar programs reject (unfolded long lines, LF endings, unescaped text)."""
    project = _copy(FIXTURES / "old", tmp_path)
    _add_policy_due(project, "visitors", "2027-01-20")
    _edit(project / "policies" / "visitors.yml", "title: Visitors Policy",
          "title: Visitors, contractors; and “lettings” policy — a deliberately long title to need folding")
    first = _rendered(project)["staff"].files["policies/review-dates.ics"]
    later = _rendered(project, date(2026, 12, 1))["staff"].files["policies/review-dates.ics"]
    text = first.decode("utf-8")
    assert text.endswith("\r\n") and "\n" not in text.replace("\r\n", "")
    assert all(len(line.encode("utf-8")) <= 75 for line in text.split("\r\n"))
    calendar = icalendar.Calendar.from_ical(first)
    events = {str(e["UID"]): e for e in calendar.walk("VEVENT")}
    assert {uid: (e.decoded("DTSTART"), str(e["SUMMARY"])) for uid, e in events.items()} == {
        "policy-review-visitors-20270120@fixture-school": (
            date(2027, 1, 20), "Policy review due: Visitors, contractors; and “lettings” policy — "
                               "a deliberately long title to need folding"),
        "policy-review-phones-20271231@fixture-school": (date(2027, 12, 31), "Policy review due: Mobile Phones Policy"),
    }
    assert all(e.decoded("DTSTAMP").date() == TODAY for e in events.values())
    later_uids = {str(e["UID"]) for e in icalendar.Calendar.from_ical(later).walk("VEVENT")}
    assert later_uids == set(events)


def test_review_calendar_has_no_reminder_for_a_review_date_still_to_be_confirmed(tmp_path):
    """Bug caught: a policy whose review date is a stand-in (placeholders: [review_due]) given a reminder on that
    made-up day. Two policies, one of them with the stand-in: one event, the other's."""
    project = _copy(FIXTURES / "old", tmp_path)
    _add_policy_due(project, "visitors", "2027-01-20")
    _edit(project / "policies" / "visitors.yml", "review_due: 2027-01-20", "review_due: 2027-01-20\nplaceholders: [review_due]")
    ics = _rendered(project)["staff"].files["policies/review-dates.ics"]
    uids = [str(event["UID"]) for event in icalendar.Calendar.from_ical(ics).walk("VEVENT")]
    assert uids == ["policy-review-phones-20271231@fixture-school"]


def test_fold_never_splits_a_character():
    from generator.render.ical import _fold

    line = "SUMMARY:" + "é" * 40  # 8 + 80 octets
    folded = _fold(line)
    assert folded == "SUMMARY:" + "é" * 33 + "\r\n " + "é" * 7
    assert all(len(part.encode()) <= 75 for part in folded.split("\r\n"))


def test_the_example_schools_calendar_is_published_and_linked(wexham_sites: Path):
    ics = wexham_sites / "staff" / "policies" / "review-dates.ics"
    events = icalendar.Calendar.from_ical(ics.read_bytes()).walk("VEVENT")
    assert [(e.decoded("DTSTART"), str(e["UID"])) for e in events] == [
        (date(2024, 12, 31), "policy-review-social-media-20241231@wexham-court")]
    assert 'href="review-dates.ics"' in (wexham_sites / "staff" / "policies" / "index.html").read_text()


# --- what changed ----------------------------------------------------------------------------------


def _changes():
    from generator.authoring.diff import compare

    old, new = (pipeline.check(FIXTURES / name, TODAY).project for name in ("old", "new"))
    return compare(old, new, "old", "new")


def test_diff_finds_one_change_of_each_kind():
    """Expected results written by hand from the edits that make tests/fixtures/governors/new."""
    changes = _changes()
    assert [(title, c.kind, c.clause_id) for title, c in changes.newly_public] == [
        ("Mobile Phones Policy", "audience", "parents-on-site")]
    assert changes.no_longer_public == []
    (policy,) = changes.policies
    summary = [(c.kind, c.clause_id, c.old.label if c.old else None, c.new.label if c.new else None)
               for c in policy.clauses]
    assert sorted(summary) == sorted([
        ("added", "charging", None, "2 ¶5"),
        ("removed", "smart-watches", "1 ¶2", None),
        ("moved", "lockers", "1 ¶3", "2 ¶4"),
        ("reworded", "no-photos", "2 ¶1", "2 ¶1"),
        ("audience", "parents-on-site", "2 ¶2", "2 ¶2"),
        ("audience", "emergency-calls", "2 ¶3", "2 ¶3"),
    ])
    (reworded,) = policy.of_kind("reworded")
    assert [(w.op, w.text) for w in reworded.words] == [
        ("same", "Staff must never use a personal"), ("removed", "phone"), ("added", "device"),
        ("same", "to photograph"), ("added", "or film"), ("same", "pupils.")]
    assert policy.details == []
    assert [(t.id, t.status, [(d.name, d.old, d.new) for d in t.details]) for t in changes.trees] == [
        ("found-a-phone", "changed", [("version", "1.0", "1.1"),
                                      ("step “Keep the phone in the school office until home time”",
                                       "as before", "changed")])]
    assert [(c.id, c.status, [(d.name, d.old, d.new) for d in c.details]) for c in changes.contacts] == [
        ("dsl", "changed", [("phone", "01632 960001", "01632 960002")])]


def test_diff_report_puts_newly_public_clauses_first(tmp_path):
    result = pipeline.diff(FIXTURES / "old", FIXTURES / "new", tmp_path, TODAY, "old", "new")
    assert not result.diagnostics
    md = (tmp_path / "changes.md").read_text()
    assert md.index("## Now visible to parents") < md.index("## Mobile Phones Policy")
    assert "personal ~~phone~~ **device** to photograph **or film** pupils." in md
    html = (tmp_path / "changes.html").read_text()
    assert "personal <del>phone</del> <ins>device</ins> to photograph <ins>or film</ins> pupils." in html
    text = normalise(" ".join(pdf_pages(tmp_path / "changes.pdf")))
    assert text.index(normalise("Now visible to parents")) < text.index(normalise("Clauses added"))


def test_diff_between_git_revisions(tmp_path):
    repo = tmp_path / "repo"
    shutil.copytree(FIXTURES / "old", repo)
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@example.org"]
    subprocess.run(git + ["init", "-q"], cwd=repo, check=True)
    subprocess.run(git + ["add", "."], cwd=repo, check=True)
    subprocess.run(git + ["commit", "-qm", "approved"], cwd=repo, check=True)
    shutil.rmtree(repo / "policies"), shutil.rmtree(repo / "decision_trees")
    shutil.copytree(FIXTURES / "new", repo, dirs_exist_ok=True)
    subprocess.run(git + ["commit", "-qam", "proposed"], cwd=repo, check=True)
    out = tmp_path / "report"
    result = run_generator("diff", "--project", str(repo), "--git", "HEAD~1", "HEAD", "--out", str(out),
                           "--today", TODAY.isoformat())
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("1 clause(s) newly visible to parents, 1 policy(ies), 1 decision tree(s) "
                                    "and 1 contact(s) changed")
    md = (out / "changes.md").read_text()
    assert "# What changed: HEAD\\~1 → HEAD" in md and "`lockers`: from 1 ¶3 (1 Scope) to 2 ¶4 (2 Use in school)" in md


def test_diff_of_an_unknown_revision_is_a_message(tmp_path):
    result = run_generator("diff", "--git", "no-such-revision", "--out", str(tmp_path))
    assert result.returncode == 1 and "git cannot read revision 'no-such-revision'" in result.stderr
    assert "Traceback" not in result.stderr


def test_live_preview_never_prints_a_pdf_but_keeps_the_last_one(tmp_path, monkeypatch):
    """Bug caught: every save in `generator serve` waiting seconds for WeasyPrint."""
    from generator.build import pdf

    project = _copy(FIXTURES / "old", tmp_path)
    work = tmp_path / "build"
    pipeline.generate(project, work, TODAY)  # a real generate prints the PDFs once
    staff_pdf = work / "staff" / "docs" / "policies" / "phones" / "phones.pdf"
    printed = staff_pdf.read_bytes()
    monkeypatch.setattr(pdf, "html_to_pdf", lambda html: pytest.fail("the preview printed a PDF"))
    _edit(project / "policies" / "phones.yml", "Staff keep their phones", "Staff always keep their phones")
    result = pipeline.generate(project, work, TODAY, preview=True)
    assert result.ok and staff_pdf.read_bytes() == printed  # kept (stale) until the next real build
    assert "Staff always keep" in (work / "staff" / "docs" / "policies" / "phones" / "whole.md").read_text()
