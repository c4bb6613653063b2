"""The on-disk cache for large corpora: used when valid, rebuilt on change, never unsafe."""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import NamedTuple

import numpy as np
import pytest
from conftest import GUIDE

import bot
import bot.index


@pytest.fixture()
def large(monkeypatch, tmp_path):
    """Make the guide count as a large corpus and point the cache at a temporary folder."""
    monkeypatch.setattr(bot.index, "FAST_ABOVE", 10)
    cache = tmp_path / "cache"
    monkeypatch.setenv("VERBATIM_CACHE_DIR", str(cache))
    monkeypatch.delenv("VERBATIM_NO_CACHE", raising=False)
    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "guide.txt").write_bytes(GUIDE.read_bytes())
    return folder, cache


def answer(b):
    return [h.passage.id for h in b.ask("What is Herceptin used for?").passages]


def from_cache(b) -> bool:
    """Its index arrays are the read-only mapped files, not arrays built in memory."""
    return not b.index.arrays["post_tf"].flags.writeable


def entries(cache):
    """The complete cache folders (a meta.json marks one as complete)."""
    return sorted(p.parent for p in cache.glob("*/meta.json"))


def test_cache_is_written_owner_only_and_gives_the_same_answers(large):
    folder, cache = large
    first = bot.load(folder)
    (entry,) = entries(cache)
    assert (entry.stat().st_mode & 0o077) == 0
    files = list(entry.iterdir())
    assert files and all((f.stat().st_mode & 0o077) == 0 for f in files)
    assert not [p for p in cache.iterdir() if p.name.startswith(".tmp-")]  # nothing half-written left
    second = bot.load(folder)
    assert from_cache(second) and not from_cache(first)
    assert answer(first) == answer(second) and answer(second)
    assert first.passages == second.passages  # every Passage field survives the round trip


def test_the_index_is_memory_mapped_read_only(large):
    folder, _ = large
    bot.load(folder)
    b = bot.load(folder)
    arrays = b.index.arrays
    assert all(isinstance(a.base, np.memmap) or isinstance(getattr(a.base, "base", None), np.memmap)
               for a in arrays.values() if a.size)
    assert not arrays["post_tf"].flags.writeable
    with pytest.raises(ValueError):
        arrays["post_tf"][0] = 1.0  # a session can never change what other sessions map


class Wider(NamedTuple):
    """Passage with fields another change might add: a tuple, a number, a flag."""

    id: str
    doc_id: str
    section: tuple[str, ...]
    text: str
    line_start: int
    line_end: int
    order: int
    kind: str = "paragraph"
    cells: tuple[tuple[str, str], ...] = ()
    char_start: int = 0
    char_end: int = 0
    added_headings: tuple[int, ...] = ()
    flagged: bool = False
    extra_note: str | None = None


def test_every_passage_field_round_trips(large, monkeypatch):
    """New Passage fields are stored without changing the cache code, and come back as they were."""
    import bot.cache
    import bot.chatbot

    real_split = bot.chatbot.split

    def split(doc):
        return [Wider(*p)._replace(flagged=p.kind == "list", extra_note="row" if p.kind == "table_row" else None)
                for p in real_split(doc)]

    monkeypatch.setattr(bot.chatbot, "split", split)
    folder, _ = large
    shutil.copy(GUIDE.parent.parent / "tests" / "fixtures" / "clinic" / "radiotherapy.html", folder)  # cells
    monkeypatch.setattr(bot.cache, "Passage", Wider)
    first = bot.load(folder)
    second = bot.load(folder)
    assert from_cache(second) and first.passages == second.passages
    assert all(type(p) is Wider for p in second.passages)
    assert any(p.cells for p in second.passages) and any(p.flagged is True for p in second.passages)
    assert {p.extra_note for p in second.passages} == {"row", None}
    assert all(isinstance(p.cells, tuple) and isinstance(p.section, tuple) for p in second.passages)


def test_changed_document_rebuilds(large):
    folder, cache = large
    bot.load(folder)
    (folder / "extra.txt").write_text("Extra\n\nA new leaflet about walking.\n", encoding="utf-8")
    b = bot.load(folder)
    assert len(entries(cache)) == 2
    assert any("walking" in p.text for p in b.passages)


class LeavesATrace:
    """Unpickling this calls os.mkdir(marker): proof that the loader ran pickle."""

    def __init__(self, marker: Path):
        self.marker = marker

    def __reduce__(self):
        return (os.mkdir, (str(self.marker),))


def plant(entry: Path, marker: Path) -> Path:
    """Replace one array of a cache entry with a pickled object that leaves a trace."""
    evil = np.empty(1, dtype=object)
    evil[0] = LeavesATrace(marker)
    target = entry / "post_tf.npy"
    target.unlink()
    np.save(target, evil, allow_pickle=True)
    return target


def test_a_tampered_cache_is_ignored_not_unpickled(large, tmp_path):
    folder, cache = large
    first = answer(bot.load(folder))
    (entry,) = entries(cache)
    marker = tmp_path / "unpickled"
    plant(entry, marker)  # every other file intact: only the pickle stands in the way
    b = bot.load(folder)
    assert not marker.exists(), "the cache loader unpickled an object"
    assert answer(b) == first and not from_cache(b)


def test_the_trace_would_show_if_pickle_were_allowed(large, tmp_path):
    """The tampered-cache test can fail: loading the same file with pickle leaves the trace."""
    folder, cache = large
    bot.load(folder)
    (entry,) = entries(cache)
    marker = tmp_path / "unpickled"
    np.load(plant(entry, marker), allow_pickle=True)
    assert marker.exists()


def test_a_truncated_array_is_ignored(large):
    folder, cache = large
    first = bot.load(folder)
    (entry,) = entries(cache)
    np.save(entry / "text_start.npy", np.zeros(3, dtype=np.int64))
    b = bot.load(folder)
    assert answer(b) == answer(first) and not from_cache(b)


def test_never_inside_the_corpus_folder(large, monkeypatch):
    folder, _ = large
    monkeypatch.setenv("VERBATIM_CACHE_DIR", str(folder / ".cache"))
    bot.load(folder)
    assert not (folder / ".cache").exists()


def test_small_corpora_write_nothing(tmp_path, monkeypatch):
    monkeypatch.setenv("VERBATIM_CACHE_DIR", str(tmp_path / "c"))
    bot.load()
    assert not (tmp_path / "c").exists()


def test_no_cache_switch(large, monkeypatch):
    folder, cache = large
    monkeypatch.setenv("VERBATIM_NO_CACHE", "1")
    bot.load(folder)
    assert not cache.exists()
