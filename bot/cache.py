"""An on-disk cache of a large corpus's passages and index, so start-up stays quick.

Keyed by the documents' contents and the analyser/lexicon version: any change rebuilds it.
Safe to load: JSON and numpy arrays with `allow_pickle=False`, nothing is unpickled. Kept in
the user's cache folder (never inside the corpus folder), owner-only, written atomically, and
used only for corpora of more than `index.FAST_ABOVE` passages. It holds document text and
index data, never questions. VERBATIM_NO_CACHE=1 turns it off; VERBATIM_CACHE_DIR moves it.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import tempfile
import zipfile
from collections import Counter
from importlib import resources
from pathlib import Path

import numpy as np

from . import index as index_module
from .analyzer import Analyzer
from .index import FastIndex
from .models import Document, Passage

FORMAT = 3
MIN_CHARS_PER_PASSAGE = 20  # no corpus with more than FAST_ABOVE passages is smaller than this


def cache_dir() -> Path | None:
    """Where the cache lives, or None when caching is off."""
    if os.environ.get("VERBATIM_NO_CACHE"):
        return None
    if os.environ.get("VERBATIM_CACHE_DIR"):
        return Path(os.environ["VERBATIM_CACHE_DIR"])
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "verbatim"


def key(documents: list[Document], analyzer: Analyzer) -> str:
    """A digest of everything the cached data depends on."""
    h = hashlib.sha256(f"verbatim-cache-{FORMAT}-{analyzer.stemmer_name}".encode())
    for name in sorted(p.name for p in resources.files("bot.data").iterdir()):
        if name.endswith((".txt", ".json")):
            h.update(name.encode())
            h.update(resources.files("bot.data").joinpath(name).read_bytes())
    for py in sorted(Path(__file__).parent.glob("*.py")):
        h.update(py.read_bytes())
    for d in documents:
        h.update(f"\0{d.doc_id}\0{d.name}\0{d.title}\0".encode("utf-8", "replace"))
        h.update(d.text.encode("utf-8", "surrogatepass"))
        # Structure that shapes passages beyond the text: manifest notes, source lines of parsed blocks.
        h.update(repr((d.format, d.table_columns, d.added_headings,
                       [(b.line_start, b.line_end) for b in d.blocks])).encode("utf-8", "surrogatepass"))
    return h.hexdigest()


def _path(root: Path, documents: list[Document], analyzer: Analyzer) -> Path | None:
    folder = cache_dir()
    if folder is None:
        return None
    try:
        if folder.resolve().is_relative_to(root.resolve()):
            return None  # never inside the corpus folder
    except OSError:
        return None
    return folder / f"{key(documents, analyzer)[:32]}.npz"


def load(root: Path, documents: list[Document], analyzer: Analyzer):
    """(passages, index, mined) from the cache, or None when absent, stale or unreadable."""
    if sum(len(d.text) for d in documents) < index_module.FAST_ABOVE * MIN_CHARS_PER_PASSAGE:
        return None  # too small to have been cached: skip hashing at every start
    path = _path(root, documents, analyzer)
    if path is None or not path.is_file():
        return None
    try:
        with np.load(path, allow_pickle=False) as data:
            meta = json.loads(bytes(data["meta"]).decode("utf-8"))
            arrays = {name: data[name] for name in FastIndex.ARRAYS}
            data_offsets = (data["text_start"].tolist(), data["text_end"].tolist())
        if meta.get("format") != FORMAT:
            return None
        texts = {d.doc_id: d.text for d in documents}
        sections = [tuple(x) for x in meta["sections"]]
        starts, ends = data_offsets
        passages = [Passage(p[0], p[1], sections[p[2]], texts[p[1]][starts[i]:ends[i]], p[3], p[4], i, p[5],
                            tuple((c, t) for c, t in p[6]), starts[i], ends[i], tuple(p[7]))
                    for i, p in enumerate(meta["passages"])]
        index = FastIndex(passages, analyzer, meta["vocab"], arrays)
        mined = ([tuple(g) for g in meta["aliases"]], Counter(meta["counts"]))
        return passages, index, mined
    except (OSError, ValueError, KeyError, TypeError, IndexError, zipfile.BadZipFile):
        return None


def save(root: Path, documents: list[Document], analyzer: Analyzer, passages: list[Passage],
         index: FastIndex, mined: tuple[list[tuple[str, ...]], Counter[str]]) -> Path | None:
    """Write the cache atomically (owner-only); any failure just means no cache."""
    path = _path(root, documents, analyzer)
    if path is None:
        return None
    # Passage texts are not stored: each is a slice of its document, which is read anyway.
    texts = {d.doc_id: d.text for d in documents}
    sections: dict[tuple[str, ...], int] = {}
    starts, ends = [], []
    cursor: dict[str, int] = {}
    for p in passages:
        text = texts[p.doc_id]
        a = p.char_start if text[p.char_start:p.char_end] == p.text else text.find(p.text, cursor.get(p.doc_id, 0))
        if a < 0:
            a = text.find(p.text)
        if a < 0:
            return None  # not a slice of its document: do not cache what cannot be checked
        starts.append(a)
        ends.append(a + len(p.text))
        cursor[p.doc_id] = a
    meta = {
        "format": FORMAT,
        "passages": [[p.id, p.doc_id, sections.setdefault(p.section, len(sections)), p.line_start,
                      p.line_end, p.kind, [list(c) for c in p.cells], list(p.added_headings)] for p in passages],
        "sections": [list(k) for k in sections],
        "vocab": index.vocab,
        "aliases": [list(g) for g in mined[0]],
        "counts": dict(mined[1]),
    }
    buf = io.BytesIO()
    np.savez(buf, meta=np.frombuffer(json.dumps(meta).encode("utf-8"), dtype=np.uint8),
             text_start=np.asarray(starts, dtype=np.int64), text_end=np.asarray(ends, dtype=np.int64),
             **{name: index.arrays[name] for name in FastIndex.ARRAYS})
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=".npz")
        try:
            os.fchmod(fd, 0o600)
            with os.fdopen(fd, "wb") as f:
                f.write(buf.getvalue())
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    except OSError:
        return None
    return path
