"""Split a document into passages a patient can read on their own.

Plain text: blocks are runs of non-blank lines. A short title-like block is a heading and
becomes the section path of what follows; staff may add a heading the document lost (manifest
`added_headings`); a block after "Table N." is a table whose first line is the column header
(the labels of each row's cells, never a section) and then one passage per row; a bulleted list
joins the sentence that introduces it; web boilerplate lines are dropped.
Marked-up documents (Markdown, HTML) arrive as parsed blocks (see `bot.formats`).
For every format, a sentence that only points at a lost link is trimmed from the passage
(`boilerplate_sentences.txt`), exact duplicates are kept once, and every passage's text is
the document's own characters: `doc.text[char_start:char_end]`.
"""

from __future__ import annotations

import re
from functools import cache
from typing import NamedTuple

from . import datafiles
from .formats.cells import labels_in, spaced_labels, split_row
from .models import Document, Passage

BULLET = re.compile(r"^\s*(?:[•·▪◦●○■□►▸‣⁃*+]|[-–—](?=\s)|\d{1,2}[.)](?=\s))\s*")
TABLE_TITLE = re.compile(r"^\s*table\s+\d+[.:]?", re.IGNORECASE)
SENTENCE_END = re.compile(r"(?<=[.!?])[\"'”’)]?\s+(?=[\"'“‘(]?[A-Z0-9])")
MAX_CHARS = 2000


class Unit(NamedTuple):
    """A passage before trimming and ids: a span of the document's text and where it sits."""

    start: int
    end: int
    line_start: int
    line_end: int
    section: tuple[str, ...]
    kind: str
    cells: tuple[tuple[str, str], ...] = ()
    added: tuple[int, ...] = ()


@cache
def boilerplate_patterns() -> re.Pattern[str]:
    """Every line pattern of boilerplate.txt as one expression (one pass per line)."""
    return _union(datafiles.lines("boilerplate.txt"))


@cache
def sentence_patterns() -> re.Pattern[str]:
    """Every sentence pattern of boilerplate_sentences.txt as one expression."""
    return _union(datafiles.lines("boilerplate_sentences.txt"))


@cache
def _sentence_starts() -> re.Pattern[str]:
    """A quick test of lower-cased text: could any of its sentences match a pattern?"""
    spaced = sentence_patterns().pattern.replace(" ", r"\s+")
    return re.compile(r"(?:^\s*|[.!?][\"'”’)]?\s+)(?:" + spaced + ")")


def _union(patterns: list[str]) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{p})" for p in patterns) or r"(?!)", re.IGNORECASE)


def is_boilerplate(line: str) -> bool:
    return boilerplate_patterns().fullmatch(" ".join(line.split())) is not None


def is_boilerplate_sentence(sentence: str) -> bool:
    return sentence_patterns().fullmatch(" ".join(sentence.split())) is not None


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


def _chunks(text: str) -> list[tuple[int, int]]:
    """Cut an over-long line at sentence ends, else at spaces, else hard, under MAX_CHARS."""
    pieces, at = [], 0
    while len(text) - at > MAX_CHARS:
        window = text[at : at + MAX_CHARS]
        cut = max(window.rfind(". "), window.rfind("? "), window.rfind("! "))
        cut = cut + 2 if cut > MAX_CHARS // 4 else window.rfind(" ") + 1
        if cut <= MAX_CHARS // 4:
            cut = MAX_CHARS
        pieces.append((at, at + cut))
        at += cut
    pieces.append((at, len(text)))
    return [(a, b) for a, b in pieces if text[a:b].strip()]


def _sentences(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence of a paragraph, closing quote kept, spaces after dropped."""
    out, at = [], 0
    for m in SENTENCE_END.finditer(text):
        out.append((at, m.start() + len(m.group().rstrip())))
        at = m.end()
    out.append((at, len(text.rstrip())))
    return [(a, b) for a, b in out if text[a:b].strip()]


def _trim(text: str) -> list[tuple[int, int]]:
    """Spans of `text` left when sentences that only point at a lost link are dropped."""
    if not _sentence_starts().search(text.lower()):
        return [(0, len(text))]  # no sentence can match: skip splitting into sentences
    spans, keep = [], None
    for a, b in _sentences(text):
        if is_boilerplate_sentence(text[a:b]):
            if keep:
                spans.append(keep)
            keep = None
        else:
            keep = (keep[0], b) if keep else (a, b)
    if keep:
        spans.append(keep)
    return spans


def split(doc: Document) -> list[Passage]:
    """The passages of one document, in document order, duplicates dropped."""
    units = _text_units(doc) if doc.format == "text" else _block_units(doc)
    passages: list[Passage] = []
    seen: set[str] = set()
    ids: set[str] = set()
    for u in units:
        text = doc.text[u.start : u.end]
        spans = [(0, len(text))] if u.kind == "table_row" else _trim(text)
        parts = []
        for a, b in spans:
            if b - a > MAX_CHARS and "\n" not in text[a:b]:
                parts.extend((a + x, a + y) for x, y in _chunks(text[a:b]))
            else:
                parts.append((a, b))
        for n, (a, b) in enumerate(parts):
            part = text[a:b]
            key = " ".join(part.split()).casefold()
            if not key or key in seen:
                continue
            seen.add(key)
            start, end = u.start + a, u.start + b
            if doc.format == "text":  # a trimmed or cut passage may cover fewer lines than its unit
                first = u.line_start + text.count("\n", 0, a)
                last = u.line_start + text.count("\n", 0, max(a, b - 1))
            else:
                first, last = u.line_start, u.line_end
            pid = f"{doc.doc_id}:{u.line_start}" + (f".{n + 1}" if len(parts) > 1 else "")
            base, k = pid, 2
            while pid in ids:
                pid, k = f"{base}.{k}", k + 1
            ids.add(pid)
            passages.append(Passage(pid, doc.doc_id, u.section, part, first, last, len(passages),
                                    u.kind, u.cells, start, end, u.added))
    return passages


def _introduces(text: str) -> bool:
    """A paragraph that leads into the list after it: it ends with ":" or stops mid-sentence."""
    end = text.rstrip()[-1:]
    return end == ":" or (end.isalnum() and len(text) <= 300)


def _block_units(doc: Document) -> list[Unit]:
    """Units of a parsed (marked-up) document: headings make the section path by level."""
    units: list[Unit] = []
    stack: list[tuple[int, str]] = []
    blocks = list(doc.blocks)
    i = 0
    while i < len(blocks):
        b = blocks[i]
        i += 1
        if b.kind == "heading":
            while stack and stack[-1][0] >= b.level:
                stack.pop()
            if not (b.level == 1 and not units and b.text.casefold() == doc.title.casefold()):
                stack.append((b.level, b.text))
            continue
        if is_boilerplate(b.text):
            continue
        section = tuple(s for _, s in stack)
        if b.kind == "table_row":
            units.append(Unit(b.char_start, b.char_end, b.line_start, b.line_end,
                              section + ((b.caption,) if b.caption else ()), "table_row", b.cells))
            continue
        if b.kind == "paragraph" and _introduces(b.text) and i < len(blocks) and blocks[i].kind == "list":
            nxt = blocks[i]
            i += 1
            units.append(Unit(b.char_start, nxt.char_end, b.line_start, nxt.line_end, section, "list"))
            continue
        units.append(Unit(b.char_start, b.char_end, b.line_start, b.line_end, section, b.kind))
    return units


def _text_units(doc: Document) -> list[Unit]:
    """Units of a plain-text document (see the module docstring)."""
    lines = doc.lines
    offsets = [0]
    for line in lines:
        offsets.append(offsets[-1] + len(line) + 1)
    added = {" ".join(a.split()).casefold(): h for a, h in doc.added_headings}
    columns = {" ".join(t.split()).casefold(): cols for t, cols in doc.table_columns}
    units: list[Unit] = []
    stack: list[str] = []
    staff: list[bool] = []
    table: str | None = None  # the title while the next block is a table
    last_was_heading = False
    first_block = True

    def unit(first: int, last: int, kind: str, section: tuple[str, ...] | None = None,
             cells: tuple[tuple[str, str], ...] = ()) -> Unit:
        sec = tuple(stack) if section is None else section
        marks = tuple(n for n, s in enumerate(staff) if s) if section is None else ()
        return Unit(offsets[first], offsets[last] + len(lines[last]), first + 1, last + 1, sec, kind,
                    cells, marks)

    def push(heading: str, by_staff: bool) -> None:
        nonlocal last_was_heading
        if last_was_heading or not stack:
            stack.append(heading)
            staff.append(by_staff)
        else:
            stack[-1] = heading
            staff[-1] = by_staff
        last_was_heading = True

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
                table = heading
                last_was_heading = True
            else:
                push(heading, False)
            continue
        first_block = False
        if table is not None:
            header = lines[body[0]]
            declared = columns.get(" ".join(table.split()).casefold())
            labels = labels_in(header, tuple(declared)) if declared else None
            spaced = labels is None
            labels = labels or spaced_labels(header)
            section = (*stack, table)
            marks = tuple(n for n, s in enumerate(staff) if s)
            for n in body[1:]:
                cells = split_row(lines[n], labels, spaced) if labels else ()
                units.append(unit(n, n, "table_row", section, cells)._replace(added=marks))
            table = None
            last_was_heading = False
            continue
        if added:
            opening = " ".join(lines[body[0]].split()).casefold()
            for anchor, heading in added.items():
                if opening.startswith(anchor):
                    last_was_heading = False
                    push(heading, True)
                    break
        last_was_heading = False
        runs = _runs(lines, body)
        # A paragraph ending with ":" introduces the list in the next block.
        if (
            i < len(blocks)
            and lines[body[-1]].rstrip().endswith(":")
            and BULLET.match(lines[blocks[i][0]])
        ):
            nxt_last = blocks[i][1]
            i += 1
            units.append(unit(runs[-1][0], nxt_last, "list"))
            runs = runs[:-1]
            units[-1:] = [*(unit(a, b, kind) for a, b, kind in runs), units[-1]]
            continue
        units.extend(unit(a, b, kind) for a, b, kind in runs)
    return units


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
