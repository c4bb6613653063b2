"""An on-disk cache of a large corpus's passages and index, so start-up stays quick.

Keyed by the documents' contents and the analyser/lexicon version: any change rebuilds it.
Layout: one folder per key holding `meta.json` and one `.npy` file per array. Arrays are
memory-mapped read-only (`np.load(mmap_mode="r")`), so several processes over the same library
(one per browser tab in web mode) share their pages instead of each holding a copy.
Safe to load: JSON and plain numpy arrays with `allow_pickle=False`, nothing is unpickled.
Kept in the user's cache folder (never inside the corpus folder), owner-only, written
atomically (a temporary folder renamed into place), and used only for corpora of more than
`index.FAST_ABOVE` passages. It holds document text and index data, never questions.
VERBATIM_NO_CACHE=1 turns it off; VERBATIM_CACHE_DIR moves it.

Passages are stored column by column over every `Passage` field: whole numbers as int64
arrays, the text as offsets into its document, anything else (strings, tuples) as a JSON
table of distinct values plus an int32 code per passage.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from collections import Counter
from importlib import resources
from pathlib import Path

import numpy as np

from . import index as index_module
from .analyzer import Analyzer
from .index import FastIndex
from .models import Document, Passage

FORMAT = 4
MIN_CHARS_PER_PASSAGE = 20  # no corpus with more than FAST_ABOVE passages is smaller than this
META = "meta.json"


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
    return folder / key(documents, analyzer)[:32]


def _tuples(value):
    """JSON lists back to tuples (Passage fields are immutable)."""
    return tuple(_tuples(v) for v in value) if isinstance(value, list) else value


def _array(folder: Path, name: str) -> np.ndarray:
    """One stored array, mapped read-only; a pickled (object) array is refused."""
    array = np.load(folder / f"{name}.npy", mmap_mode="r", allow_pickle=False)
    if array.dtype.hasobject:
        raise ValueError(f"object array {name}")
    return array.view(np.ndarray)  # plain ndarray over the same read-only mapping


def load(root: Path, documents: list[Document], analyzer: Analyzer):
    """(passages, index, mined) from the cache, or None when absent, stale or unreadable."""
    if sum(len(d.text) for d in documents) < index_module.FAST_ABOVE * MIN_CHARS_PER_PASSAGE:
        return None  # too small to have been cached: skip hashing at every start
    folder = _path(root, documents, analyzer)
    if folder is None or not (folder / META).is_file():
        return None
    try:
        meta = json.loads((folder / META).read_text(encoding="utf-8"))
        if meta.get("format") != FORMAT or meta.get("fields") != list(Passage._fields):
            return None
        n = int(meta["size"])
        texts = {d.doc_id: d.text for d in documents}
        columns: dict[str, list] = {}
        for name, spec in meta["columns"].items():
            if spec == "int":
                values = _array(folder, f"passage.{name}")
                if values.shape != (n,):
                    return None
                columns[name] = values.tolist()
            elif spec == "table":
                table = [_tuples(v) for v in meta["tables"][name]]
                codes = _array(folder, f"passage.{name}")
                if codes.shape != (n,):
                    return None
                columns[name] = [table[c] for c in codes.tolist()]
        starts, ends = _array(folder, "text_start").tolist(), _array(folder, "text_end").tolist()
        if len(starts) != n or len(ends) != n:
            return None
        columns["text"] = [texts[d][a:b] for d, a, b in zip(columns["doc_id"], starts, ends, strict=True)]
        passages = list(map(Passage._make, zip(*(columns[f] for f in Passage._fields), strict=True)))
        arrays = {name: _array(folder, name) for name in FastIndex.ARRAYS}
        index = FastIndex(passages, analyzer, meta["vocab"], arrays)
        mined = ([tuple(g) for g in meta["aliases"]], Counter(meta["counts"]))
        return passages, index, mined
    except (OSError, ValueError, KeyError, TypeError, IndexError, AttributeError):
        return None


def _columns(passages: list[Passage]) -> tuple[dict[str, str], dict[str, list], dict[str, np.ndarray]]:
    """Every Passage field but the text, as a column: (kinds, JSON tables, arrays)."""
    kinds: dict[str, str] = {}
    tables: dict[str, list] = {}
    arrays: dict[str, np.ndarray] = {}
    for name in Passage._fields:
        if name == "text":
            continue
        values = [getattr(p, name) for p in passages]
        if all(type(v) is int for v in values):
            kinds[name] = "int"
            arrays[f"passage.{name}"] = np.asarray(values, dtype=np.int64)
            continue
        distinct: dict = {}
        codes = np.fromiter((distinct.setdefault(v, len(distinct)) for v in values), dtype=np.int32,
                            count=len(values))
        kinds[name] = "table"
        tables[name] = list(distinct)
        arrays[f"passage.{name}"] = codes
    return kinds, tables, arrays


def save(root: Path, documents: list[Document], analyzer: Analyzer, passages: list[Passage],
         index: FastIndex, mined: tuple[list[tuple[str, ...]], Counter[str]]) -> Path | None:
    """Write the cache atomically (owner-only); any failure just means no cache."""
    target = _path(root, documents, analyzer)
    if target is None:
        return None
    # Passage texts are not stored: each is a slice of its document, which is read anyway.
    texts = {d.doc_id: d.text for d in documents}
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
    try:
        kinds, tables, columns = _columns(passages)
        meta = json.dumps({
            "format": FORMAT,
            "size": len(passages),
            "fields": list(Passage._fields),
            "columns": kinds,
            "tables": tables,
            "vocab": index.vocab,
            "aliases": [list(g) for g in mined[0]],
            "counts": dict(mined[1]),
        })
    except (TypeError, ValueError):
        return None  # a field JSON cannot hold: no cache rather than a lossy one
    arrays = {"text_start": np.asarray(starts, dtype=np.int64), "text_end": np.asarray(ends, dtype=np.int64),
              **columns, **{name: np.ascontiguousarray(index.arrays[name]) for name in FastIndex.ARRAYS}}
    tmp: Path | None = None
    try:
        target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        if (target / META).is_file():
            return target  # another process wrote the same key
        tmp = Path(tempfile.mkdtemp(dir=target.parent, prefix=".tmp-"))  # mode 0700
        for name, array in arrays.items():
            _write(tmp / f"{name}.npy", lambda f, a=array: np.save(f, a, allow_pickle=False))
        _write(tmp / META, lambda f: f.write(meta.encode("utf-8")))  # last: marks a complete folder
        if target.exists():
            shutil.rmtree(target)  # an incomplete folder (no meta.json) from an older crash
        os.rename(tmp, target)
        tmp = None
    except OSError:
        return None
    finally:
        if tmp is not None:
            shutil.rmtree(tmp, ignore_errors=True)
    return target


def _write(path: Path, write) -> None:
    """Create a file readable by the owner only, write it and flush it to disk."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as f:
        write(f)
        f.flush()
        os.fsync(f.fileno())
