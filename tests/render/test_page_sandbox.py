"""Hand-written pages are content, not code: their template calls run in a sandbox.

Two layers: `check` refuses any template code but contact/cite/school.name (E208, see
generator/checks/pages.py); these tests bypass it to show the sandbox holds on its own.

The bug this catches: rendering docs/*.md with a plain jinja2 Environment, where
'{{ cycler.__init__.__globals__.os.system(...) }}' in a page runs any command on the machine that
builds the site (a CI runner holding the publishing secrets).
"""

from __future__ import annotations

import re
import shutil
from datetime import date
from pathlib import Path

from generator import pipeline

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "neutral-school"
TODAY = date(2026, 11, 24)


def page_errors(tmp_path: Path, body: str, monkeypatch=None) -> list[str]:
    if monkeypatch is not None:
        from generator.checks import pages

        monkeypatch.setattr(pages, "_PAGE_TEMPLATE_ALLOWED", re.compile(r".*", re.S))
    school = tmp_path / "school"
    shutil.copytree(FIXTURE, school)
    (school / "docs" / "staff").mkdir(parents=True)
    (school / "docs" / "staff" / "page.md").write_text(f"# A page\n\n{body}\n", encoding="utf-8")
    return [str(d) for d in pipeline.render(school, TODAY).diagnostics if d.is_error]


def test_a_page_cannot_reach_python_internals(tmp_path, monkeypatch):
    marker = tmp_path / "pwned"
    code = f'{{{{ cycler.__init__.__globals__.os.system("touch {marker}") }}}}'
    assert page_errors(tmp_path / "checked", code)[0].startswith("docs/staff/page.md:3:1: E208 template code")
    found = page_errors(tmp_path, code, monkeypatch)
    assert not marker.exists()
    assert found == ["docs/staff/page.md:3:1: E306 template error on the staff site: access to attribute "
                     "'__init__' of 'type' object is unsafe."]


def test_a_page_cannot_change_the_data(tmp_path, monkeypatch):
    found = page_errors(tmp_path, "{{ school.contacts.clear() }}", monkeypatch)
    assert len(found) == 1 and found[0].startswith("docs/staff/page.md:3:1: E306 template error on the staff site:")


def test_pages_still_show_values_and_call_contact_and_cite(tmp_path):
    assert page_errors(tmp_path, '{{ school.name }}: {{ contact("dsl") }}, {{ cite("mobile-phones#out-of-sight") }}') == []
