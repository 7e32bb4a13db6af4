"""A page's description reaches Material's <meta name="description" content="…">, which mkdocs' templates write
without escaping: a '"' in a guide's `use_when` (allowed: it is plain text) must not end the attribute and add
attributes of its own, and an '&' or an apostrophe must read as written (escaped once, decoded once by the
browser). Found by reading a built page; the gate caught it only when the next word began with 'on'."""

from __future__ import annotations

import shutil
from html.parser import HTMLParser

from generator import pipeline
from support import TODAY, WEXHAM

GUIDE = "decision_trees/pupil-contacts-me.yml"
WORDS = 'A pupil\'s "friend" request & x" data-injected="1'  # written by hand: a quote, an apostrophe, an '&'


class _Metas(HTMLParser):
    def __init__(self):
        super().__init__()
        self.found: list[dict] = []

    def handle_starttag(self, tag, attrs):
        if tag == "meta" and dict(attrs).get("name") == "description":
            self.found.append(dict(attrs))


def test_a_quote_in_a_guide_s_use_when_stays_inside_the_description(tmp_path):
    project = tmp_path / "school"
    shutil.copytree(WEXHAM, project)
    guide = project / GUIDE
    text = guide.read_text(encoding="utf-8")
    start = text.index("use_when:")
    end = text.index("\n", start)
    guide.write_text(text[:start] + "use_when: '" + WORDS.replace("'", "''") + "'" + text[end:], encoding="utf-8")
    result = pipeline.build(project, tmp_path / "site", tmp_path / "work", TODAY, ("staff",))
    assert result.ok, [str(d) for d in result.diagnostics if d.is_error]
    metas = _Metas()
    metas.feed((tmp_path / "site" / "staff" / "what-to-do" / "pupil-contacts-me" / "index.html").read_text("utf-8"))
    assert metas.found == [{"name": "description", "content": WORDS}]
