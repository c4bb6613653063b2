"""Split a document into passages a patient can read on their own.

Blocks are runs of non-blank lines. A short title-like block is a heading and becomes the
section path of what follows; a block after "Table N." is a table (first line the column
header, then one passage per row); a bulleted list joins the sentence that introduces it;
web boilerplate is dropped; exact duplicates are kept once. Every passage's text is the
document's own characters, from line_start to line_end.
"""

from __future__ import annotations

import re
from functools import cache

from . import datafiles
from .models import Document, Passage

BULLET = re.compile(r"^\s*(?:[•·▪◦●○■□►▸‣⁃*+]|[-–—](?=\s)|\d{1,2}[.)](?=\s))\s*")
TABLE_TITLE = re.compile(r"^\s*table\s+\d+[.:]?", re.IGNORECASE)
MAX_CHARS = 2000


@cache
def boilerplate_patterns() -> tuple[re.Pattern[str], ...]:
    return tuple(re.compile(line, re.IGNORECASE) for line in datafiles.lines("boilerplate.txt"))


def is_boilerplate(line: str) -> bool:
    s = line.strip()
    return any(p.fullmatch(s) for p in boilerplate_patterns())


def is_heading(line: str) -> bool:
    """A short title line: few words, no sentence punctuation at the end, not a bullet."""
    s = line.strip()
    if not s or len(s) > 80 or BULLET.match(line) or is_boilerplate(s):
        return False
    if TABLE_TITLE.match(s):
        return True
    words = s.split()
    return (
        len(words) <= 9
        and s[-1] not in ".?!:;,"
        and (s[0].isupper() or s[0].isdigit())
        and sum(c.isalpha() for c in s) >= 3
    )


def _blocks(lines: list[str]) -> list[tuple[int, int]]:
    """(first, last) 0-based indexes of runs of non-blank lines."""
    out, start = [], None
    for i, line in enumerate(lines):
        if line.strip():
            if start is None:
                start = i
        elif start is not None:
            out.append((start, i - 1))
            start = None
    if start is not None:
        out.append((start, len(lines) - 1))
    return out


def _chunks(text: str) -> list[str]:
    """Cut an over-long line at sentence ends, else at spaces, else hard, under MAX_CHARS."""
    pieces, rest = [], text
    while len(rest) > MAX_CHARS:
        window = rest[:MAX_CHARS]
        cut = max(window.rfind(". "), window.rfind("? "), window.rfind("! "))
        cut = cut + 2 if cut > MAX_CHARS // 4 else window.rfind(" ") + 1
        if cut <= MAX_CHARS // 4:
            cut = MAX_CHARS
        pieces.append(rest[:cut])
        rest = rest[cut:]
    pieces.append(rest)
    return [p for p in pieces if p.strip()]


def split(doc: Document) -> list[Passage]:
    """The passages of one document, in document order, duplicates dropped."""
    lines = doc.lines
    passages: list[Passage] = []
    seen: set[str] = set()
    stack: list[str] = []
    table: list[str] | None = None  # [title] while the next block is a table
    last_was_heading = False
    first_block = True

    def add(first: int, last: int, section: tuple[str, ...], kind: str) -> None:
        text = "\n".join(lines[first : last + 1])
        parts = [text] if len(text) <= MAX_CHARS or first != last else _chunks(text)
        for n, part in enumerate(parts):
            key = " ".join(part.split()).casefold()
            if key in seen:
                continue
            seen.add(key)
            pid = f"{doc.doc_id}:{first + 1}" + (f".{n + 1}" if len(parts) > 1 else "")
            passages.append(
                Passage(pid, doc.doc_id, section, part, first + 1, last + 1, len(passages), kind)
            )

    blocks = _blocks(lines)
    i = 0
    while i < len(blocks):
        first, last = blocks[i]
        i += 1
        body = [n for n in range(first, last + 1) if not is_boilerplate(lines[n])]
        if not body:
            continue
        if len(body) == 1 and is_heading(lines[body[0]]):
            heading = lines[body[0]].strip()
            if first_block and heading.casefold() == doc.title.casefold():
                first_block = False
                continue
            first_block = False
            if TABLE_TITLE.match(heading):
                table = [heading]
            elif last_was_heading or not stack:
                stack.append(heading)
            else:
                stack[-1] = heading
            last_was_heading = True
            continue
        first_block = False
        last_was_heading = False
        if table is not None:
            header = lines[body[0]].strip()
            section = (*stack, *table, header)
            for n in body[1:]:
                add(n, n, section, "table_row")
            table = None
            continue
        section = tuple(stack)
        runs = _runs(lines, body)
        # A paragraph ending with ":" introduces the list in the next block.
        if (
            i < len(blocks)
            and lines[body[-1]].rstrip().endswith(":")
            and BULLET.match(lines[blocks[i][0]])
        ):
            nxt_first, nxt_last = blocks[i]
            i += 1
            add(runs[-1][0], nxt_last, section, "list")
            runs = runs[:-1]
            _ = nxt_first
        for a, b, kind in runs:
            add(a, b, section, kind)
    return passages


def _runs(lines: list[str], body: list[int]) -> list[tuple[int, int, str]]:
    """A block's lines grouped into paragraphs (one per line) and lists (bullets together)."""
    runs: list[tuple[int, int, str]] = []
    for n in body:
        bullet = bool(BULLET.match(lines[n]))
        if bullet and runs and runs[-1][1] == n - 1 and (
            runs[-1][2] == "list" or lines[runs[-1][0]].rstrip().endswith(":")
        ):
            runs[-1] = (runs[-1][0], n, "list")
        else:
            runs.append((n, n, "list" if bullet else "paragraph"))
    return runs
