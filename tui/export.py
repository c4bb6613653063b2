"""The conversation as Markdown, and writing it safely. No Textual here.

The file starts with the fixed disclaimer; every quote keeps its citation and content date.
Written atomically (temporary file, then rename) with owner-only permissions.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from bot.messages import Messages
from bot.models import Reply, citation


def _quote(text: str) -> str:
    return "\n".join("> " + line.strip() if line.strip() else ">" for line in text.strip("\n").split("\n"))


def transcript(replies: list[Reply], messages: Messages) -> str:
    """Markdown for a list of replies, in order."""
    out = ["# Verbatim conversation", "", f"*{messages.get('disclaimer')}*", ""]
    for reply in replies:
        d = reply.to_dict()
        out += [f"## You: {d['question'].strip()}", ""]
        if d["query_used"] and d["query_used"] != d["question"].strip().casefold():
            out += [f"Searched as: {d['query_used']}", ""]
        if d["message"]:
            out += [d["message"], ""]
        out += [n for n in reply.general_notices() if n != d["message"]]
        for p in d["passages"]:
            out += [f"**{p['section'] or 'Quote'}**", "", _quote(p["text"]), "",
                    f"Source: {citation(p)}", ""]
            if p["notice"]:
                out += [f"Note: {p['notice']}", ""]
        if d["related"]:
            out += [messages.get("related_note"), ""]
            out += [f"- {p['section']} ({citation(p)})" for p in d["related"]]
            out.append("")
    return "\n".join(out).rstrip() + "\n"


def write_private(path: str | Path, text: str, overwrite: bool = False) -> Path:
    """Write text atomically, readable by the owner only; refuse to replace unless asked."""
    target = Path(path).expanduser()
    if target.exists() and not overwrite:
        raise FileExistsError(str(target))
    if target.parent and not target.parent.exists():
        raise FileNotFoundError(f"folder does not exist: {target.parent}")
    fd, tmp = tempfile.mkstemp(prefix=".verbatim-", suffix=".tmp", dir=target.parent or ".")
    try:
        os.fchmod(fd, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return target
