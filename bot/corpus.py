"""Find, read and decode the documents of a corpus folder, with their manifest entries.

Plain text is used as it is; Markdown and HTML are parsed (`bot.formats`) and their text is the
document's words with the markup removed, with each block's source lines kept.

Never raises for a bad file: a file that cannot be used is skipped with a reason, so good
documents beside bad ones are always indexed. Only a missing or unreadable folder raises
`CorpusError` (one line, naming the path).
"""

from __future__ import annotations

import codecs
import json
import os
import re
import stat
from pathlib import Path

from . import formats
from .formats import FORMATS
from .models import Document, Skipped
from .sanitize import clean

SUFFIXES = tuple(FORMATS)
MAX_BYTES = 5 * 1024 * 1024
MANIFEST = "manifest.json"
OUTDATED = "outdated.json"
META_FILES = (MANIFEST, OUTDATED)


class CorpusError(Exception):
    """The corpus folder itself is unusable."""


def bundled_dir() -> Path:
    """The guide that ships with Verbatim, from a source checkout or an installed wheel."""
    here = Path(__file__).resolve().parent
    source = here.parent / "corpus"
    if (source / MANIFEST).is_file():
        return source
    try:
        import verbatim_corpus  # installed copy of corpus/

        return Path(next(iter(verbatim_corpus.__path__)))
    except (ImportError, StopIteration):
        return source


def safe_name(path: Path | str) -> str:
    """A file name that can always be printed (undecodable bytes replaced)."""
    raw = os.fsencode(str(path))
    return raw.decode("utf-8", errors="replace")


def _ignored(name: str) -> bool:
    return (
        name.startswith(".")
        or name.startswith("~$")
        or name.endswith(("~", ".swp", ".swo", ".tmp"))
        or name.lower() in ("thumbs.db", "desktop.ini")
    )


def decode(data: bytes) -> tuple[str, list[str]]:
    """Bytes to text: BOMs honoured, UTF-8 expected, bad bytes replaced with a warning."""
    warnings: list[str] = []
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        text = data.decode("utf-16", errors="replace")
    elif data.startswith(codecs.BOM_UTF8):
        text = data[len(codecs.BOM_UTF8):].decode("utf-8", errors="replace")
    else:
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            line = data[: exc.start].count(b"\n") + 1
            warnings.append(f"not UTF-8 from line {line}; undecodable bytes replaced")
            text = data.decode("utf-8", errors="replace")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return clean(text), warnings


def _manifest(root: Path) -> dict:
    path = root / MANIFEST
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        docs = data.get("documents", {})
        return docs if isinstance(docs, dict) else {}
    except (OSError, ValueError, AttributeError):
        return {}


def outdated_marks(root: Path | str) -> list[dict]:
    """Staff's list of outdated passages (doc, anchor, reason, marked); empty if none."""
    try:
        data = json.loads((Path(root) / OUTDATED).read_text(encoding="utf-8"))
        marks = data.get("passages", [])
    except (OSError, ValueError, AttributeError):
        return []
    return [m for m in marks if isinstance(m, dict) and isinstance(m.get("anchor"), str)]


def _structure(entry: dict) -> tuple[tuple[tuple[str, tuple[str, ...]], ...], tuple[tuple[str, str], ...]]:
    """Staff's structure notes from a manifest entry: table column names and lost headings.

    `table_columns`: {"Table 1. ...": ["Drug", "Category"]}, names as written in the header row.
    `added_headings`: [{"heading": "Chemotherapy", "before": "Chemotherapy is a treatment"}], a
    heading the document lost, placed before the paragraph that opens with `before`.
    Malformed entries are ignored.
    """
    tables = entry.get("table_columns", {})
    cols = tuple(
        (str(title), tuple(str(c) for c in names))
        for title, names in (tables.items() if isinstance(tables, dict) else ())
        if isinstance(names, list) and all(isinstance(c, str) and c for c in names)
    )
    heads = entry.get("added_headings", [])
    added = tuple(
        (h["before"], h["heading"]) for h in (heads if isinstance(heads, list) else ())
        if isinstance(h, dict) and isinstance(h.get("before"), str) and isinstance(h.get("heading"), str)
        and h["before"].strip() and h["heading"].strip()
    )
    return cols, added


def _title(name: str, text: str) -> str:
    for line in text.split("\n"):
        if line.strip():
            return line.strip()[:80]
    return Path(name).stem


def _walk(root: Path) -> list[Path]:
    """Every file below root; links to folders are not followed, hidden folders skipped."""
    out: list[Path] = []
    for folder, dirs, files in os.walk(root, followlinks=False):
        dirs[:] = [d for d in dirs if not _ignored(d)]
        out.extend(Path(folder) / f for f in files)
    return out


def load_folder(root: Path | str) -> tuple[list[Document], list[Skipped], list[str]]:
    """Every usable document in `root`, the files skipped with reasons, and warnings."""
    root = Path(root)
    if not root.exists():
        raise CorpusError(f"corpus folder not found: {safe_name(root)}")
    if not root.is_dir():
        raise CorpusError(f"corpus path is not a folder: {safe_name(root)}")
    try:
        real_root = root.resolve()
        os.listdir(root)
        entries = sorted(_walk(root), key=lambda p: os.fsencode(str(p)))
    except OSError as exc:
        raise CorpusError(f"cannot read corpus folder {safe_name(root)}: {exc.strerror or exc}") from None
    manifest = _manifest(root)
    docs: list[Document] = []
    skipped: list[Skipped] = []
    warnings: list[str] = []
    seen_ids: set[str] = set()
    for path in entries:
        rel = path.relative_to(root)
        shown = safe_name(rel)
        if any(_ignored(part) for part in rel.parts) or rel.name in META_FILES:
            continue
        try:
            if path.suffix.lower() not in SUFFIXES:
                skipped.append(Skipped(shown, formats.skip_reason(path.suffix)))
                continue
            info = path.lstat()
            if stat.S_ISLNK(info.st_mode):  # folders are never followed; a file link may be
                if not path.resolve().is_relative_to(real_root):
                    skipped.append(Skipped(shown, "link that leads outside the corpus folder"))
                    continue
                info = path.stat()
            if not stat.S_ISREG(info.st_mode):
                skipped.append(Skipped(shown, "not a regular file"))
                continue
            size = info.st_size
            if size > MAX_BYTES:
                skipped.append(Skipped(shown, f"larger than {MAX_BYTES // (1024 * 1024)} MB"))
                continue
            data = path.read_bytes()
        except FileNotFoundError:
            skipped.append(Skipped(shown, "vanished while loading"))
            continue
        except RuntimeError:
            skipped.append(Skipped(shown, "link loop"))
            continue
        except OSError as exc:
            skipped.append(Skipped(shown, f"unreadable ({exc.strerror or exc})"))
            continue
        utf16 = data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE))
        if not utf16 and b"\x00" in data[:8192]:
            skipped.append(Skipped(shown, "binary file"))
            continue
        text, problems = decode(data)
        warnings.extend(f"{shown}: {p}" for p in problems)
        if not text.strip():
            skipped.append(Skipped(shown, "empty"))
            continue
        fmt = FORMATS[path.suffix.lower()]
        stated, blocks = None, ()
        if fmt != "text":
            try:
                stated, parsed = formats.parse(fmt, text)
            except (ValueError, RecursionError):
                skipped.append(Skipped(shown, f"could not be read as {formats.LABELS[fmt]}"))
                continue
            text, blocks = formats.render(parsed)
            if not text.strip():
                skipped.append(Skipped(shown, f"no readable text in this {formats.LABELS[fmt]} file"))
                continue
        entry = manifest.get(rel.as_posix(), manifest.get(rel.name, {}))
        entry = entry if isinstance(entry, dict) else {}
        doc_id = re.sub(r"[^a-z0-9]+", "-", Path(shown).with_suffix("").as_posix().lower()).strip("-")
        doc_id = doc_id or "doc"
        base, n = doc_id, 2
        while doc_id in seen_ids:
            doc_id, n = f"{base}-{n}", n + 1
        seen_ids.add(doc_id)
        not_covered = entry.get("not_covered", [])
        tables, added = _structure(entry)
        docs.append(
            Document(
                doc_id=doc_id,
                name=shown,
                title=str(entry.get("title") or (stated if fmt != "text" else _title(shown, text))
                          or Path(shown).stem),
                source=str(entry.get("source", "")),
                content_date=str(entry.get("content_date", "undated")),
                text=text,
                not_covered=tuple(str(x) for x in not_covered if isinstance(x, str)),
                table_columns=tables,
                added_headings=added,
                format=fmt,
                blocks=blocks,
            )
        )
    return docs, skipped, warnings
