"""Markdown read with markdown-it-py (CommonMark with GFM tables), using its line maps.

Headings, paragraphs, lists (one line per item, nested items included) and table rows become
blocks; front matter (a leading `---` block) gives only a title; code blocks keep their text;
horizontal rules, raw HTML blocks and images are dropped; links keep their text.
"""

from __future__ import annotations

import re

from markdown_it import MarkdownIt
from markdown_it.token import Token

from ..models import Block
from . import fold, row_block

_TEXT = ("text", "text_special", "code_inline")
_BREAKS = ("softbreak", "hardbreak")


def _parser() -> MarkdownIt:
    return MarkdownIt("commonmark").enable("table")


def _inline(tok: Token) -> str:
    parts = []
    for child in tok.children or []:
        if child.type in _TEXT:
            parts.append(child.content)
        elif child.type in _BREAKS:
            parts.append(" ")
    return fold("".join(parts))


def _front_matter(lines: list[str]) -> str | None:
    """Blank out a leading front-matter block in place (line numbers kept); its title, if any."""
    if not lines or lines[0].strip() != "---":
        return None
    for end in range(1, min(len(lines), 200)):
        if lines[end].strip() in ("---", "..."):
            title = None
            for line in lines[1:end]:
                m = re.match(r"\s*title\s*:\s*(.+)", line)
                if m:
                    title = fold(m.group(1).strip().strip("'\""))
            lines[: end + 1] = [""] * (end + 1)
            return title or None
    return None


def _lines(tok: Token) -> tuple[int, int]:
    a, b = tok.map or (0, 1)
    return a + 1, max(a + 1, b)


def parse_markdown(source: str) -> tuple[str | None, list[Block]]:
    """(title, blocks) of a Markdown document."""
    lines = source.split("\n")
    title = _front_matter(lines)
    tokens = _parser().parse("\n".join(lines))
    blocks: list[Block] = []
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        if tok.type == "heading_open":
            text = _inline(tokens[i + 1])
            if text:
                a, b = _lines(tok)
                blocks.append(Block("heading", text, a, b, level=int(tok.tag[1])))
                if title is None and tok.tag == "h1":
                    title = text
            i += 3
        elif tok.type == "paragraph_open":
            text = _inline(tokens[i + 1])
            if text:
                blocks.append(Block("paragraph", text, *_lines(tok)))
            i += 3
        elif tok.type in ("fence", "code_block"):
            text = fold(tok.content)
            if text:
                blocks.append(Block("paragraph", text, *_lines(tok)))
            i += 1
        elif tok.type in ("bullet_list_open", "ordered_list_open"):
            i = _list(tokens, i, blocks)
        elif tok.type == "table_open":
            i = _table(tokens, i, blocks)
        else:
            i += 1
    return title, blocks


def _list(tokens: list[Token], i: int, blocks: list[Block]) -> int:
    """One list block from tokens[i] to its matching close: a line per item paragraph."""
    first, last = _lines(tokens[i])
    depth, items = 0, []
    while i < len(tokens):
        tok = tokens[i]
        if tok.type in ("bullet_list_open", "ordered_list_open"):
            depth += 1
        elif tok.type in ("bullet_list_close", "ordered_list_close"):
            depth -= 1
            if depth == 0:
                break
        elif tok.type == "inline":
            text = _inline(tok)
            if text:
                items.append(text)
        elif tok.type in ("fence", "code_block") and fold(tok.content):
            items.append(fold(tok.content))
        i += 1
    if items:
        blocks.append(Block("list", "\n".join(items), first, last))
    return i + 1


def _table(tokens: list[Token], i: int, blocks: list[Block]) -> int:
    """One block per body row, cells labelled by the header row's cells."""
    labels: list[str] = []
    row: list[str] = []
    row_lines = (0, 0)
    in_head = False
    while i < len(tokens) and tokens[i].type != "table_close":
        tok = tokens[i]
        if tok.type == "thead_open":
            in_head = True
        elif tok.type == "thead_close":
            in_head = False
        elif tok.type == "tr_open":
            row, row_lines = [], _lines(tok)
        elif tok.type == "inline":
            row.append(_inline(tok))
        elif tok.type == "tr_close":
            if in_head:
                labels = row
            else:
                block = row_block(row, labels, *row_lines, "")
                if block:
                    blocks.append(block)
        i += 1
    return i + 1
