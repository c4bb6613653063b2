"""Split a flattened table row into labelled cells.

A row is cut where its columns meet: at runs of two or more spaces or tabs when the header row
is spaced that way, else, when the manifest names the table's columns, at the places a reader
would cut: before a word that starts with a capital letter, outside brackets, not continuing a
list ("ER+/PR+, HER2-" stays one cell) and not after a joining word such as "and" or "with".
A row that does not give exactly one cut per column boundary gets no cells, so a wrong split is
never shown. Every cell is an exact
substring of its row and every label an exact substring of the header row.
"""

from __future__ import annotations

import re

SPACED = re.compile(r"\t+| {2,}")
WORD = re.compile(r"\S+")


def labels_in(header: str, columns: tuple[str, ...]) -> tuple[str, ...] | None:
    """The declared column names, if they occur in the header row in order (else None)."""
    pos = 0
    for name in columns:
        at = header.find(name, pos)
        if not name or at < 0:
            return None
        pos = at + len(name)
    return columns


def spaced_labels(header: str) -> tuple[str, ...] | None:
    """Column names of a header row whose columns are separated by tabs or 2+ spaces."""
    parts = tuple(p for p in SPACED.split(header.strip()) if p)
    return parts if len(parts) >= 2 else None


def _cut_points(row: str) -> list[int]:
    """Offsets in `row` where a new cell may start (see the module docstring)."""
    joining = ("and", "or", "with", "of", "the", "a", "an", "for", "to")
    cuts: list[int] = []
    depth = 0
    prev = ""
    for m in WORD.finditer(row):
        word = m.group()
        if depth == 0 and prev and word[0].isupper() and not prev.endswith((",", ";", "/", "-", "&")) \
                and prev.casefold() not in joining:
            cuts.append(m.start())
        depth = max(0, depth + word.count("(") + word.count("[") - word.count(")") - word.count("]"))
        prev = word
    return cuts


def split_row(row: str, labels: tuple[str, ...], spaced: bool) -> tuple[tuple[str, str], ...]:
    """(label, cell) pairs for one row, or () when the columns cannot be found with certainty."""
    if len(labels) < 2:
        return ()
    if spaced:
        parts = [p for p in SPACED.split(row.strip()) if p]
        if len(parts) != len(labels):
            return ()
        return tuple(zip(labels, parts, strict=True))
    cuts = _cut_points(row)
    if len(cuts) != len(labels) - 1:
        return ()
    bounds = [0, *cuts, len(row)]
    cells = tuple(row[a:b].strip() for a, b in zip(bounds, bounds[1:], strict=False))
    if not all(cells):
        return ()
    return tuple(zip(labels, cells, strict=True))
