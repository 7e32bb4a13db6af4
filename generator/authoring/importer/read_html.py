"""A school website's policy page, saved as .html -> neutral document, with lxml.

Only the page's main content is read: the <main> element (or role="main", or the <article>
holding the most text), else the element whose paragraphs hold most of the page's text. Inside
it, menus, headers and footers of the site, cookie and consent banners, forms, sharing buttons
and scripts are left out. A page that is mostly navigation (little text outside links) is
refused: it is not the policy.

lxml's HTML parser is used with the network off; HTML has no external entities to expand, and
no script is ever run. Links are kept only when they are https://, mailto: or tel: addresses; a relative link
(/policies/x.pdf) is made whole from the page's own address (its <base>, canonical link or og:url) where the page
gives one, else its words are kept without the link and the import's notes say so.
"""

from __future__ import annotations

import re
from urllib.parse import urljoin

from lxml import etree, html

from generator.authoring.importer.document import Bullet, Document, Heading, Paragraph, Table, list_marker
from generator.authoring.importer.errors import ImportFailure

MIN_TEXT = 200
"""Fewer characters of text than this outside links: not a policy page."""
MAX_LINK_SHARE = 0.5
"""A 'main content' whose text is more than half link text is a menu or an index of documents."""
_NOISE_TAGS = ("script", "style", "noscript", "template", "iframe", "object", "embed", "svg", "canvas", "form",
               "button", "input", "select", "textarea", "nav", "aside", "dialog", "video", "audio", "img",
               "picture")
_NOISE_ROLES = {"navigation", "banner", "contentinfo", "complementary", "search", "dialog", "alertdialog",
                "menu", "menubar"}
_NOISE_WORDS = {"cookie", "cookies", "consent", "gdpr", "menu", "navbar", "nav", "navigation", "breadcrumb",
                "breadcrumbs", "sidebar", "share", "sharing", "social", "skip", "popup", "modal", "newsletter",
                "search", "masthead", "site-footer", "site-header", "footer", "meta", "byline", "posted",
                "comments", "tags", "pagination", "related"}
"""Words in a class or id that mark a site's furniture, not the policy: menus, banners, a post's date line."""
_BLOCKS = {"p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "td", "th", "dt", "dd", "blockquote", "pre", "div",
           "section", "article", "main", "ul", "ol", "table", "tr", "tbody", "thead", "header", "caption"}
_SAFE_URL = re.compile(r"^(?:https://|mailto:|tel:)[^\s<>\"'`\\]+$", re.I)
_TYPED_NUMBER = re.compile(r"^(\d{1,2}(?:\.\d{1,2})*)\.?\s+(\S.*)$")


def read_html(text: str, name: str) -> Document:
    try:
        parser = html.HTMLParser(no_network=True, remove_comments=True, remove_pis=True)
        page = html.document_fromstring(text.encode("utf-8"), parser=parser)
    except (etree.ParserError, etree.XMLSyntaxError, ValueError):
        raise ImportFailure(f"{name} could not be read as a web page: save the page again from the browser "
                            "(File > Save Page As > 'Web Page, HTML only') and import that") from None
    title = _page_title(page)
    address = _page_address(page)  # read before the page's head and menus are dropped as noise
    for element in list(page.iter()):
        if isinstance(element.tag, str) and _is_noise(element) and element.getparent() is not None:
            element.drop_tree()
    main = _main_content(page)
    words = " ".join(main.text_content().split()) if main is not None else ""
    linked = sum(len(" ".join(a.text_content().split())) for a in main.iter("a")) if main is not None else 0
    if len(words) - linked < MIN_TEXT or linked > MAX_LINK_SHARE * max(len(words), 1):
        raise ImportFailure(f"{name} is mostly a menu or a list of links, not a policy's text: open the policy's own "
                            "page (or its PDF or Word document) and save that")
    source = _source_text(main)
    dropped = _resolve_links(main, address)
    walker = _Walker()
    walker.walk(main, 0)
    document = Document(blocks=walker.blocks, source_text=source)
    if dropped:
        shown = ", ".join(f"'{words}'" for words in dropped[:5]) + (" …" if len(dropped) > 5 else "")
        document.notes.append(f"{len(dropped)} link(s) kept as words only: the page links them by an address of "
                              f"its own website that it does not name ({shown}); add the full https:// address "
                              "in the draft if readers need it")
    if title and not any(isinstance(b, Heading) and b.level == 1 and b.number is None for b in walker.blocks[:1]):
        document.title = title
        document.blocks.insert(0, Paragraph(title))
        document.source_text.insert(0, title)
    return document


def _page_address(page) -> str | None:
    """The https:// address the page says it was saved from: <base href>, <link rel=canonical>, or og:url."""
    candidates = [element.get("href") for element in page.iter("base", "link")
                  if element.tag == "base" or "canonical" in (element.get("rel") or "").lower().split()]
    candidates += [element.get("content") for element in page.iter("meta") if element.get("property") == "og:url"]
    for address in candidates:
        address = (address or "").strip()
        if _SAFE_URL.match(address) and address.lower().startswith("https://"):
            return address
    return None


def _resolve_links(main, address: str | None) -> list[str]:
    """Make each relative link of the content whole from the page's address (kept only if the result is a safe
    https:// address); return the words of the links that could not be kept that way (a '#' link to a place
    on the same page is not a loss, and a script link is not reported: it was never a link to keep)."""
    dropped = []
    for link in main.iter("a"):
        href = (link.get("href") or "").strip()
        if not href or href.startswith("#") or _SAFE_URL.match(href) or re.match(r"^[a-z][a-z0-9+.-]*:", href, re.I):
            continue
        whole = urljoin(address, href) if address else ""
        if _SAFE_URL.match(whole) and whole.lower().startswith("https://"):
            link.set("href", whole)
        else:
            dropped.append(" ".join(link.text_content().split()) or href)
    return dropped


def _page_title(page) -> str | None:
    """The page's <title> without the site's name after it ('Mobile Phones | Oak School' -> 'Mobile Phones')."""
    found = page.find(".//title")
    if found is None:
        return None
    text = " ".join((found.text_content() or "").split())
    text = re.split(r"\s+[|–—-]\s+", text)[0].strip()
    return text or None


def _is_noise(element) -> bool:
    tag = element.tag.lower()
    if tag in _NOISE_TAGS:
        return True
    if (element.get("role") or "").lower() in _NOISE_ROLES or element.get("aria-hidden") == "true":
        return True
    if tag in ("header", "footer") and not _inside(element, ("main", "article")):
        return True
    tokens = set()
    for value in (element.get("class") or "", element.get("id") or ""):
        for token in value.lower().split():
            tokens.add(token)
            tokens.update(re.split(r"[-_]", token))
    return bool(tokens & _NOISE_WORDS)


def _inside(element, tags: tuple[str, ...]) -> bool:
    return any(isinstance(a.tag, str) and a.tag.lower() in tags for a in element.iterancestors())


def _main_content(page):
    for path in (".//main", ".//*[@role='main']"):
        found = page.find(path)
        if found is not None and _text_length(found):
            return found
    articles = page.findall(".//article")
    if articles:
        return max(articles, key=_text_length)
    # The element whose own paragraphs hold the most text: where the page's body copy is.
    scores: dict = {}
    for paragraph in page.iter("p", "li", "h1", "h2", "h3"):
        parent = paragraph.getparent()
        if parent is not None:
            scores[parent] = scores.get(parent, 0) + _text_length(paragraph)
    if not scores:
        return page.find(".//body")
    best = max(scores, key=scores.get)
    # Climb while the parent holds more of the text in blocks (sections of one article).
    while best.getparent() is not None and best.getparent().tag != "html" \
            and _text_length(best.getparent()) < 1.3 * _text_length(best):
        best = best.getparent()
    return best


def _text_length(element) -> int:
    return len(" ".join(element.text_content().split()))


def _source_text(main) -> list[str]:
    """Each block element's own text (not its nested blocks'), read apart from the walker below."""
    out = []
    for element in main.iter():
        if not isinstance(element.tag, str) or element.tag.lower() not in _BLOCKS:
            continue
        parts = [element.text or ""]
        for child in element:
            if isinstance(child.tag, str) and child.tag.lower() in _BLOCKS:
                parts.append(" ")
            elif isinstance(child.tag, str):
                parts.append("\n" if child.tag.lower() == "br" else child.text_content())
            parts.append(child.tail or "")
        for line in "".join(parts).split("\n"):  # a <br> ends a line, as on the page
            text = " ".join(line.split())
            if text:
                out.append(text)
    return out


class _Walker:
    def __init__(self):
        self.blocks: list = []

    def walk(self, element, depth: int) -> None:
        for child in element:
            if not isinstance(child.tag, str):
                continue
            tag = child.tag.lower()
            if re.fullmatch(r"h[1-6]", tag):
                self._heading(child, int(tag[1]))
            elif tag in ("ul", "ol"):
                self._list(child, depth)
            elif tag == "table":
                self._table(child)
            elif tag in ("p", "dt", "dd", "blockquote", "pre", "caption"):
                self._paragraph(child)
            elif any(isinstance(c.tag, str) and c.tag.lower() in _BLOCKS for c in child):
                if _inline(child.text):
                    self.blocks.append(Paragraph(_inline(child.text)))
                self.walk(child, depth)
            else:
                self._paragraph(child)
            if _inline(child.tail):
                self.blocks.append(Paragraph(_inline(child.tail)))

    def _heading(self, element, level: int) -> None:
        text = " ".join(element.text_content().split())
        if not text:
            return
        typed = _TYPED_NUMBER.match(text)
        if typed and not re.search(r"[.;!?]$", typed.group(2)):
            self.blocks.append(Heading(typed.group(1).count(".") + 1, typed.group(2), typed.group(1)))
        else:
            self.blocks.append(Heading(level, text))

    def _paragraph(self, element) -> None:
        lines = [line for line in _markdown_lines(element) if line]
        for line in lines:
            self.blocks.append(Paragraph(line))

    def _list(self, element, depth: int) -> None:
        ordered = element.tag.lower() == "ol"
        start = int(element.get("start")) if (element.get("start") or "").isdigit() else 1
        kind = element.get("type") or "1"
        number = start
        for item in element:
            if not isinstance(item.tag, str) or item.tag.lower() != "li":
                continue
            nested = [c for c in item if isinstance(c.tag, str) and c.tag.lower() in ("ul", "ol")]
            text = " ".join(_markdown_lines(item))
            if ordered and text:
                text = f"{list_marker(_marker(number, kind))} {text}"
            if text:
                self.blocks.append(Bullet(text, depth))
            number += 1
            for sub in nested:
                self._list(sub, depth + 1)

    def _table(self, element) -> None:
        rows = []
        for row in element.iter("tr"):
            cells = [" ".join(_markdown_lines(cell)) for cell in row if isinstance(cell.tag, str)
                     and cell.tag.lower() in ("td", "th")]
            rows.append(tuple(cells))
        if any(any(row) for row in rows):
            self.blocks.append(Table(tuple(rows)))


def _marker(number: int, kind: str) -> str:
    """The number a browser shows before an <ol> item of this type."""
    if kind in ("a", "A"):
        letter = chr(ord("a") + (number - 1) % 26)
        return (letter.upper() if kind == "A" else letter) + "."
    if kind in ("i", "I"):
        from generator.authoring.importer.read_docx import _roman

        roman = _roman(number)
        return (roman if kind == "I" else roman.lower()) + "."
    return f"{number}."


def _inline(text: str | None) -> str:
    return " ".join((text or "").split())


def _markdown_lines(element) -> list[str]:
    """An element's text as Markdown (bold, italic, safe links), split at <br> into lines."""
    lines: list[list[str]] = [[]]

    def add(node, bold=False, italic=False, link=None):
        tag = node.tag.lower() if isinstance(node.tag, str) else ""
        if tag == "br":
            lines.append([])
        else:
            bold = bold or tag in ("b", "strong")
            italic = italic or tag in ("i", "em")
            if tag == "a":
                href = (node.get("href") or "").strip()
                link = href if _SAFE_URL.match(href) else None
            if node.text:
                lines[-1].append((node.text, bold, italic, link))
            for child in node:
                if isinstance(child.tag, str) and child.tag.lower() in ("ul", "ol", "table"):
                    pass  # a nested list or table is read as blocks of its own, after this text
                elif isinstance(child.tag, str):
                    add(child, bold, italic, link)
                if child.tail:
                    lines[-1].append((child.tail, bold, italic, link))

    add(element)
    from generator.authoring.importer.read_docx import _markdown

    return [_markdown(pieces) for pieces in lines]
