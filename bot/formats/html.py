"""HTML read with lxml.html (libxml2's forgiving HTML parser), using each element's `sourceline`.

The main content is `<main>`, else a single `<article>`, else `<body>`; page furniture (nav,
footer, aside, a page header outside the main content, scripts, styles, forms, cookie banners,
share and print bars, by tag, role, or class/id words) is left out. The title is `<title>`
without a " | Site" suffix, or the first `<h1>` when the title is that heading plus a site name.
`h1`-`h6` become headings; `p` and text directly in a container become paragraphs; `ul`/`ol`/`dl`
become one list block (one line per item, nested items included); each table row becomes a block
whose cells are labelled by the header row (a table whose cells hold paragraphs or headings lays
out a page and is read as its contents). Entities are decoded by the parser. A block's lines run
from its first to its last line of text.
"""

from __future__ import annotations

import re

import lxml.html
from lxml import etree

from ..models import Block
from . import fold, row_block

HEADINGS = {"h1": 1, "h2": 2, "h3": 3, "h4": 4, "h5": 5, "h6": 6}
LISTS = {"ul", "ol", "dl", "menu"}
PARAGRAPHS = {"p", "pre", "address", "figcaption", "summary"}
INLINE = {"a", "abbr", "b", "bdi", "bdo", "cite", "code", "data", "del", "dfn", "em", "font", "i", "ins",
          "kbd", "mark", "q", "s", "samp", "small", "span", "strong", "sub", "sup", "time", "u", "var",
          "label", "nobr", "wbr", "big", "tt"}
DROPPED = {"script", "style", "noscript", "template", "form", "button", "select", "textarea", "input",
           "iframe", "svg", "canvas", "object", "embed", "dialog", "nav", "aside", "footer", "img",
           "picture", "video", "audio", "map", "head", "title", "meta", "link"}
FURNITURE_WORDS = {"cookie", "cookies", "consent", "gdpr", "share", "sharing", "social", "breadcrumb",
                   "breadcrumbs", "skip", "skiplink", "navbar", "nav", "menu", "sidebar", "newsletter",
                   "subscribe", "advert", "advertisement", "ads", "banner", "popup", "print", "toolbar",
                   "navigation", "masthead", "topbar", "toc", "pagination", "feedback"}
PAGE_WORDS = {"header", "footer"}  # furniture by class or id only outside the main content
FURNITURE_ROLES = {"navigation", "banner", "contentinfo", "complementary", "search", "dialog", "alertdialog"}
_SPLIT = re.compile(r"[\s_\-]+")


def _furniture(el, in_main: bool) -> bool:
    tag = el.tag
    if tag == "form" or el.get("hidden") is not None or el.get("aria-hidden") == "true":
        # Some sites wrap the whole page in a form or hide accordion text until opened.
        return not _holds_content(el)
    if tag in DROPPED or (tag == "header" and not in_main):
        return True
    if (el.get("role") or "").lower() in FURNITURE_ROLES:
        return True
    words = set(_SPLIT.split(f"{el.get('class') or ''} {el.get('id') or ''}".lower()))
    return bool(words & FURNITURE_WORDS) or (not in_main and bool(words & PAGE_WORDS))


def _holds_content(el) -> bool:
    """Whether an element holds a page's own text (headings, paragraphs, main content)."""
    return any(isinstance(d.tag, str) and (d.tag in HEADINGS or d.tag in ("p", "main", "article"))
               for d in el.iterdescendants())


def _end(el) -> int:
    """The line where an element's content ends."""
    while len(el):
        tail = (el[-1].tail or "").count("\n")
        if tail:
            return _end(el[-1]) + tail
        el = el[-1]
    return (el.sourceline or 1) + (el.text or "").count("\n")


class _Text:
    """Pieces of text with the line each starts on; folded into a block's text and line range."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.first = 0
        self.last = 0

    def add(self, text: str | None, line: int) -> None:
        if not text:
            return
        self.parts.append(text)
        if text.strip():
            first = line + text[: len(text) - len(text.lstrip())].count("\n")
            last = line + text.rstrip().count("\n")
            self.first = min(self.first or first, first)
            self.last = max(self.last, last)

    def collect(self, el, in_main: bool, skip: set[str] = frozenset()) -> None:
        """Every piece of text inside `el`, furniture and `skip` tags left out."""
        self.add(el.text, el.sourceline or 1)
        for child in el:
            if isinstance(child.tag, str) and child.tag not in skip and not _furniture(child, in_main):
                block = child.tag not in INLINE
                if block or child.tag == "br":
                    self.add(" ", child.sourceline or 1)
                self.collect(child, in_main, skip)
                if block:
                    self.add(" ", _end(child))
            self.add(child.tail, _end(child))

    @property
    def text(self) -> str:
        return fold("".join(self.parts))


def _content(root):
    """The element holding the page's own content, and whether it is main/article."""
    main = root.find(".//main")
    if main is None:
        main = root.find(".//*[@role='main']")
    if main is not None:
        return main, True
    articles = root.findall(".//article")
    if len(articles) == 1:
        return articles[0], True
    body = root.find(".//body")
    return (body if body is not None else root), False


def parse_html(source: str) -> tuple[str | None, list[Block]]:
    """(title, blocks) of an HTML document."""
    source = re.sub(r"^\s*<\?xml[^>]*\?>", lambda m: re.sub(r"[^\n]", " ", m.group()), source)
    try:
        root = lxml.html.document_fromstring(source)
    except (etree.LxmlError, ValueError):
        return None, []
    content, in_main = _content(root)
    blocks: list[Block] = []
    _walk(content, in_main, blocks)
    h1 = next((b.text for b in blocks if b.kind == "heading" and b.level == 1), None)
    node = root.find(".//title")
    title = fold(node.text_content()).split(" | ")[0].strip() if node is not None else ""
    if h1 and (not title or re.match(re.escape(h1) + r"\s+[-–—:|]+\s", title)):
        title = h1  # "Chemotherapy - Treatment - Site": the page's own heading, without the site
    return title or None, blocks


def _walk(el, in_main: bool, blocks: list[Block]) -> None:
    """Blocks of a container element, in document order."""
    run = _Text()

    def flush() -> None:
        nonlocal run
        if run.text:
            blocks.append(Block("paragraph", run.text, run.first, run.last))
        run = _Text()

    run.add(el.text, el.sourceline or 1)
    for child in el:
        tag = child.tag if isinstance(child.tag, str) else ""
        if tag and not _furniture(child, in_main):
            if tag == "br":
                run.add(" ", child.sourceline or 1)
            elif tag in INLINE:
                run.collect(child, in_main)
            else:
                flush()
                _block(child, tag, in_main or tag in ("main", "article"), blocks)
        run.add(child.tail, _end(child))
    flush()


def _block(el, tag: str, in_main: bool, blocks: list[Block]) -> None:
    if tag in HEADINGS or tag in PARAGRAPHS:
        t = _Text()
        t.collect(el, in_main)
        if t.text:
            kind = "heading" if tag in HEADINGS else "paragraph"
            blocks.append(Block(kind, t.text, t.first, t.last, level=HEADINGS.get(tag, 0)))
    elif tag in LISTS:
        items: list[_Text] = []
        _items(el, in_main, items)
        items = [t for t in items if t.text]
        if items:
            blocks.append(Block("list", "\n".join(t.text for t in items), min(t.first for t in items),
                                max(t.last for t in items)))
    elif tag == "table" and not _layout(el):
        _table(el, in_main, blocks)
    else:
        _walk(el, in_main, blocks)


def _items(el, in_main: bool, out: list[_Text]) -> None:
    """A line per list item (li, dt, dd), nested lists' items after their parent's line."""
    for child in el.iter("li", "dt", "dd"):
        if any(a.tag in ("li", "dt", "dd") for a in _ancestors(child, el)):
            continue  # handled with its parent item
        _item(child, in_main, out)


def _item(li, in_main: bool, out: list[_Text]) -> None:
    t = _Text()
    t.collect(li, in_main, skip=LISTS)
    out.append(t)
    for nested in li.iter(*LISTS):
        if nested is not li and not any(a.tag in LISTS for a in _ancestors(nested, li)):
            _items(nested, in_main, out)


def _ancestors(el, stop):
    """Ancestors of el strictly below `stop`."""
    node = el.getparent()
    while node is not None and node is not stop:
        yield node
        node = node.getparent()


def _table(table, in_main: bool, blocks: list[Block]) -> None:
    caption = table.find("caption")
    cap = ""
    if caption is not None:
        t = _Text()
        t.collect(caption, in_main)
        cap = t.text
    labels: list[str] = []
    for n, tr in enumerate(r for r in table.iter("tr") if _owner(r) is table):
        cells = [c for c in tr if isinstance(c.tag, str) and c.tag in ("th", "td")]
        texts = []
        first, last = 0, 0
        for c in cells:
            t = _Text()
            t.collect(c, in_main)
            texts.append(t.text)
            if t.text:
                first, last = min(first or t.first, t.first), max(last, t.last)
        is_head = tr.getparent().tag == "thead" or (n == 0 and cells and all(c.tag == "th" for c in cells))
        if is_head:
            labels = labels or texts
            continue
        block = row_block(texts, labels, first, last, cap)
        if block:
            blocks.append(block)


def _layout(table) -> bool:
    """A table used to lay out a page (its cells hold headings, paragraphs or lists), not data."""
    return any(isinstance(el.tag, str) and (el.tag in HEADINGS or el.tag in LISTS or el.tag in ("p", "table"))
               for cell in table.iter("td", "th") for el in cell.iterdescendants())


def _owner(tr):
    """The table a row belongs to (rows of nested tables belong to those)."""
    node = tr.getparent()
    while node is not None and node.tag != "table":
        node = node.getparent()
    return node
