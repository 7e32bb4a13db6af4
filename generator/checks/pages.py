"""Hand-written pages (docs/): the markup and template code a page may hold, its front matter, the contacts
and clauses it names, and a render as the build will do it, so a template error is a located message."""

from __future__ import annotations

import difflib
import re

from generator.checks.markup import find_problems, line_column
from generator.checks.references import _NOT_A_CONTACT, _contact_hint
from generator.load.diagnostics import Diagnostic
from generator.load.front_matter import check_front_matter, settings_text
from generator.load.models import Audience
from generator.load.project import Page, Project
from generator.load.urls import excerpt


# cite('policy#clause') and contact('id') calls in hand-written pages, checked before rendering.
_PAGE_CALL = re.compile(r"""\b(cite|contact)\(\s*["']([^"']*)["']""")
# Jinja text that is shown, not run: {% raw %}…{% endraw %} and {# comments #}.
_PAGE_INERT = re.compile(r"\{%-?\s*raw\s*-?%\}.*?\{%-?\s*endraw\s*-?%\}|\{#.*?#\}", re.S)


# The only template code a hand-written page may hold: contact("id"), cite("policy#clause"),
# the school's name, {% raw %}…{% endraw %} and {# comments #}. Anything else would run
# arbitrary Jinja (the build's Python objects) or print text that skipped every check.
_PAGE_TEMPLATE = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", re.S)
_PAGE_TEMPLATE_ALLOWED = re.compile(
    r"""\{\{-?\s*(?:(?:contact|cite)\(\s*(?:"[^"\\{}<>]*"|'[^'\\{}<>]*')\s*\)|school\.(?:name|website)|today_text)\s*-?\}\}"""
    r"""|\{%-?\s*(?:raw|endraw)\s*-?%\}|\{#.*?#\}""", re.S)


_RAW_TAG_LITERAL = re.compile(r"""\{\{-?\s*(?:"\{% (?:raw|endraw) %\}"|'\{% (?:raw|endraw) %\}')\s*-?\}\}""")


def _check_page_markup(page: Page, allow_http: bool) -> list[Diagnostic]:
    """Raw HTML, unsafe links, attribute lists, snippet includes, template code and front matter settings
    a hand-written page may not have."""
    found = check_front_matter(page)
    blank = lambda m: re.sub(r"[^\n]", " ", m.group())  # noqa: E731
    inert = _PAGE_INERT.sub(blank, _RAW_TAG_LITERAL.sub(blank, page.text))  # {% raw %}…{% endraw %} shows, never runs
    for match in _PAGE_TEMPLATE.finditer(inert):
        if not _PAGE_TEMPLATE_ALLOWED.fullmatch(match.group()):
            line, column = line_column(page.text, match.start())
            found.append(Diagnostic(page.display, line, column, "E208",
                                    f"template code '{excerpt(match.group(), 30)}' is not allowed in a page",
                                    hint='use {{ contact("id") }}, {{ cite("policy#clause") }} or {{ school.name }}; '
                                         "write {% raw %}…{% endraw %} around text that shows curly brackets"))
    for problem in find_problems(page.text, allow_http, page=True):
        line, column = line_column(page.text, problem.offset)
        found.append(Diagnostic(page.display, line, column, "E206", problem.message, hint=problem.hint))
    return found


def _check_pages(project: Project, pages: list[Page], diagnostics: list[Diagnostic]) -> None:
    for page in pages:
        if any(d.is_error and d.path == page.display for d in diagnostics):
            continue  # its markup was refused (see validate_project)
        found = len(diagnostics)
        text = _PAGE_INERT.sub(lambda m: re.sub(r"[^\n]", " ", m.group()), page.text)
        for number, line in enumerate(text.splitlines(), start=1):
            for match in _PAGE_CALL.finditer(line):
                function, argument = match.groups()
                column = match.start() + 1
                if function == "contact" and argument not in project.contacts:
                    diagnostics.append(Diagnostic(page.display, number, column, "E405",
                                                  f"unknown contact '{argument}': {_NOT_A_CONTACT}",
                                                  hint=_contact_hint(project, argument)))
                elif function == "contact" and "parents" in page.sites and not project.contacts[argument].public:
                    diagnostics.append(Diagnostic(page.display, number, column, "E363",
                                                  f"a parents' page names contact '{argument}', which is marked "
                                                  "'public: false' in school.yml",
                                                  hint="name a public contact here, or move the page to docs/staff/"))
                if function == "cite":
                    ref = project.clauses.get(argument)
                    if ref is None:
                        close = difflib.get_close_matches(argument, list(project.clauses), n=1)
                        diagnostics.append(Diagnostic(page.display, number, column, "E403",
                                                      f"cites '{argument}', which is not a clause in policies/",
                                                      hint=f"did you mean '{close[0]}'?" if close else None))
                    elif "parents" in page.sites and Audience.parents not in ref.audiences:
                        diagnostics.append(Diagnostic(page.display, number, column, "E404",
                                                      f"a parents' page cites '{argument}', a clause not published to parents",
                                                      hint="cite a clause whose audiences include 'parents'"))
        if len(diagnostics) == found:
            diagnostics.extend(_try_render(project, page))


def _try_render(project: Project, page: Page) -> list[Diagnostic]:
    """Render a hand-written page as the build will, turning a template error into a located message."""
    import jinja2

    from generator.render.renderer import _SiteRenderer

    problems = []
    for site in page.sites:
        try:
            rendered = _SiteRenderer(project, site)._render_page(page)
        except jinja2.TemplateSyntaxError as error:
            return [Diagnostic(page.display, error.lineno or 1, 1, "E306",
                               f"template error: {error.message}",
                               hint="write {% raw %}…{% endraw %} around text that should show curly brackets as they are")]
        except Exception as error:  # noqa: BLE001 - any failure of the page's own template code is the author's
            line = _template_line(error.__traceback__)
            problems.append(Diagnostic(page.display, line, 1, "E306",
                                       f"template error on the {site} site: {_template_message(error)}"))
            break
        if settings_text(rendered) != settings_text(page.text):
            # mkdocs reads the settings from the rendered page: what check_front_matter read must be all of them.
            line = next((number for number, (written, read) in enumerate(zip(page.text.split("\n"),
                                                                         rendered.split("\n")), start=1)
                         if written != read), 1)
            return [Diagnostic(page.display, line, 1, "E209", "template code here changes the page's front "
                               "matter (the settings mkdocs reads from the page)",
                               hint="keep template code out of the front matter and off the page's first line")]
    return problems


def _template_line(tb) -> int:
    line = 1
    while tb is not None:
        if tb.tb_frame.f_code.co_filename == "<template>":
            line = tb.tb_lineno
        tb = tb.tb_next
    return line


def _template_message(error: Exception) -> str:
    if isinstance(error, KeyError):
        return f"unknown key {error}"
    return str(error) or type(error).__name__
