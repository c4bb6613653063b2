"""The on-disk cache for large corpora: used when valid, rebuilt on change, never unsafe."""

from __future__ import annotations

import os
from pathlib import Path

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


def test_cache_is_written_owner_only_and_gives_the_same_answers(large):
    folder, cache = large
    first = bot.load(folder)
    files = list(cache.glob("*.npz"))
    assert len(files) == 1 and (files[0].stat().st_mode & 0o077) == 0
    second = bot.load(folder)
    assert answer(first) == answer(second) and answer(second)
    assert [p.text for p in first.passages] == [p.text for p in second.passages]


def test_changed_document_rebuilds(large):
    folder, cache = large
    bot.load(folder)
    (folder / "extra.txt").write_text("Extra\n\nA new leaflet about walking.\n", encoding="utf-8")
    b = bot.load(folder)
    assert len(list(cache.glob("*.npz"))) == 2
    assert any("walking" in p.text for p in b.passages)


class LeavesATrace:
    """Unpickling this calls os.mkdir(marker): proof that the loader ran pickle."""

    def __init__(self, marker: Path):
        self.marker = marker

    def __reduce__(self):
        return (os.mkdir, (str(self.marker),))


def test_a_tampered_cache_is_ignored_not_unpickled(large, tmp_path):
    folder, cache = large
    first = answer(bot.load(folder))
    target = next(cache.glob("*.npz"))
    marker = tmp_path / "unpickled"
    evil = np.empty(1, dtype=object)
    evil[0] = LeavesATrace(marker)
    with np.load(target) as data:
        arrays = {name: data[name] for name in data.files}
    arrays["meta"] = evil  # every other array intact: only the pickle stands in the way
    np.savez(target, **arrays)
    b = bot.load(folder)
    assert not marker.exists(), "the cache loader unpickled an object"
    assert answer(b) == first


def test_the_trace_would_show_if_pickle_were_allowed(large, tmp_path):
    """The tampered-cache test can fail: loading the same file with pickle leaves the trace."""
    folder, cache = large
    bot.load(folder)
    target = next(cache.glob("*.npz"))
    marker = tmp_path / "unpickled"
    evil = np.empty(1, dtype=object)
    evil[0] = LeavesATrace(marker)
    np.savez(target, meta=evil)
    with np.load(target, allow_pickle=True) as data:
        data["meta"]
    assert marker.exists()


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
