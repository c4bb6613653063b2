"""Read marked-up documents (Markdown, HTML) into blocks of plain words, with source lines.

`FORMATS` maps a file suffix to a format name; `parse(format, source)` gives the title the
document states (or None) and its blocks, markup removed; `render(blocks)` lays the blocks out
as the document's text (blocks separated by a blank line) and records where each one sits, so
every passage is an exact span of `Document.text`. "Verbatim" for a marked-up document means the
document's own words in their order with the markup removed: entities decoded, whitespace folded.
`skip_reason(suffix)` is the one line `check` shows for a file Verbatim cannot read.
"""

from __future__ import annotations

from dataclasses import replace

from ..models import Block
from ..sanitize import clean

FORMATS = {".txt": "text", ".md": "markdown", ".markdown": "markdown", ".html": "html", ".htm": "html"}
LABELS = {"text": "plain text", "markdown": "Markdown", "html": "HTML"}

_WORD = "a Word or word-processor file is not read - save it as a Web Page (.html) or copy its text into a .md file"
_CONVERT = {
    ".pdf": "a PDF is not read - save or export it as HTML (.html) or Markdown (.md), or copy its text into a .md file",
    ".doc": _WORD, ".docx": _WORD, ".odt": _WORD, ".rtf": _WORD, ".pages": _WORD,
}


def skip_reason(suffix: str) -> str:
    """Why a file of this type is skipped, and how to convert it (one line)."""
    how = _CONVERT.get(suffix.lower())
    if how:
        return f"unsupported file type: {how}"
    shown = suffix.lower() or "no extension"
    return f"unsupported file type ({shown}) - Verbatim reads .txt, .md and .html: save it as HTML or Markdown"


def fold(text: str) -> str:
    """Whitespace folded to single spaces, control characters removed (entities can hide them)."""
    return " ".join(clean(text).split())


def parse(fmt: str, source: str) -> tuple[str | None, list[Block]]:
    """(title the document states or None, its blocks) for "markdown" or "html"."""
    if fmt == "markdown":
        from .markdown import parse_markdown

        return parse_markdown(source)
    if fmt == "html":
        from .html import parse_html

        return parse_html(source)
    raise ValueError(f"unknown format {fmt!r}; choose from: markdown, html")


def render(blocks: list[Block]) -> tuple[str, tuple[Block, ...]]:
    """The document text (blocks apart by a blank line) and the blocks with their offsets."""
    out: list[Block] = []
    parts: list[str] = []
    at = 0
    for b in blocks:
        if out:
            # A list follows the sentence that introduces it on the next line, as on the page.
            intro = out[-1].kind == "paragraph" and out[-1].text[-1:] not in ".!?" and b.kind == "list"
            parts.append("\n" if intro else "\n\n")
            at += len(parts[-1])
        out.append(replace(b, char_start=at, char_end=at + len(b.text)))
        parts.append(b.text)
        at += len(b.text)
    return "".join(parts), tuple(out)


def row_block(cells: list[str], labels: list[str], first: int, last: int, caption: str) -> Block | None:
    """A table row: its non-empty cells joined by spaces, each labelled by its header cell."""
    texts = [c for c in cells if c]
    if not texts:
        return None
    pairs = tuple((label, c) for label, c in zip(labels, cells, strict=False) if label and c)
    return Block("table_row", " ".join(texts), first, last, cells=pairs, caption=caption)
