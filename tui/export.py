"""The conversation as text: Markdown transcripts, citations for people, table cells.

No Textual here: the chat, plain mode and exports share these so they say the same thing.
The file starts with the fixed disclaimer; every quote keeps its full citation (lines and
content date) for staff. The patient's own words are escaped so a Markdown viewer shows them
exactly as typed. Written atomically (temporary file, then rename) with owner-only permissions.
"""

from __future__ import annotations

import os
import re
import tempfile
from pathlib import Path

from bot.messages import Messages
from bot.models import Reply, citation, short_label

SEP = " > "

# Fixed texts of the export window (what went wrong with a path; no medical text).
NOT_A_FILE = "That name is a folder, not a file. Type a file name, for example verbatim-conversation.md."
NO_PERMISSION = "Verbatim may not write there. Choose another folder, for example your home folder."
NO_FOLDER = "That folder does not exist. Check the name, or save in the current folder."


class ExportPathError(OSError):
    """The export path cannot be written; `reason` is a fixed text to show."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def fit_words(text: str, width: int) -> str:
    """Text cut to `width` at a word boundary (with "…"), never mid-word."""
    text = " ".join(text.split())
    if len(text) <= width:
        return text
    cut = text.rfind(" ", 0, max(1, width - 1))
    return (text[:cut] if cut > 0 else text.split(" ", 1)[0]) + "…"


def cells_of(d: dict) -> list[tuple[str, str]]:
    """A table row's (column label, cell text) pairs from a passage dict; empty for prose."""
    return [(str(c.get("column", "")), str(c.get("text", ""))) for c in d.get("cells") or []]


def show_dates(ds: list[dict]) -> bool:
    """Whether a quote's content date is worth repeating beside it: known, or differing."""
    dates = {d.get("content_date", "undated") for d in ds}
    return len(dates) > 1 or dates != {"undated"}


def source_for_people(d: dict, with_date: bool = False, section: str | None = None,
                      width: int = 70, sep: str = " · ") -> str:
    """Title and section in `width` characters, as a patient reads them: no line numbers,
    ids or scores."""
    title = d.get("doc_title") or d.get("doc") or ""
    if with_date:
        title = f"{title}, content date: {d.get('content_date', 'undated')}"
    section = d.get("section") or "" if section is None else section
    room = max(24, width - len(title) - len(sep))
    return f"{title}{sep}{short_label(section, room)}" if section else title


def text_lines(d: dict) -> list[str]:
    """The quoted text as lines: a table row as "column: cell" lines, prose as written."""
    cells = cells_of(d)
    if cells:
        return [f"{label}: {text.strip()}" if label else text.strip() for label, text in cells]
    return [line.strip() for line in d["text"].strip("\n").split("\n")]


_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()<>#+\-.!|~&])")


def md_escape(text: str) -> str:
    """Text a Markdown viewer shows literally: every Markdown punctuation mark backslashed."""
    return _MD_SPECIAL.sub(r"\\\1", " ".join(text.split()))


def _quote(lines: list[str]) -> str:
    return "\n".join("> " + line if line else ">" for line in lines)


def transcript(replies: list[Reply], messages: Messages) -> str:
    """Markdown for a list of replies, in order."""
    out = ["# Verbatim conversation", "", f"*{messages.get('disclaimer')}*", ""]
    for reply in replies:
        d = reply.to_dict()
        out += [f"## You: {md_escape(d['question'])}", ""]
        if d["query_used"] and d["query_used"] != d["question"].strip().casefold():
            out += [f"Searched as: {md_escape(d['query_used'])}", ""]
        if d["message"]:
            out += [d["message"], ""]
        out += [n for n in reply.general_notices() if n != d["message"]]
        for p in d["passages"]:
            out += [f"**{md_escape(p['section'] or 'Quote')}**", "", _quote(text_lines(p)), "",
                    f"Source: {citation(p)}", ""]
            if p["notice"]:
                out += [f"Note: {p['notice']}", ""]
        if d["related"]:
            out += [messages.get("related_note"), ""]
            out += [f"- {md_escape(p['section'])} ({citation(p)})" for p in d["related"]]
            out.append("")
    return "\n".join(out).rstrip() + "\n"


def write_private(path: str | Path, text: str, overwrite: bool = False) -> Path:
    """Write text atomically, readable by the owner only; refuse to replace unless asked.

    Raises FileExistsError for an existing file (ask first), ExportPathError with a fixed
    reason for a folder, a missing folder or a place Verbatim may not write. Nothing is left
    half-written: the text goes to a temporary file that is renamed only when complete.
    """
    target = Path(path).expanduser()
    if target.is_dir() or str(path).endswith(("/", os.sep)):
        raise ExportPathError(NOT_A_FILE)
    folder = target.parent
    if not folder.is_dir():
        raise ExportPathError(NO_FOLDER)
    if target.exists() and not overwrite:
        raise FileExistsError(str(target))
    try:
        fd, tmp = tempfile.mkstemp(prefix=".verbatim-", suffix=".tmp", dir=folder)
    except PermissionError:
        raise ExportPathError(NO_PERMISSION) from None
    try:
        os.fchmod(fd, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, target)
    except PermissionError:
        Path(tmp).unlink(missing_ok=True)
        raise ExportPathError(NO_PERMISSION) from None
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return target
