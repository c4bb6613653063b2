from __future__ import annotations

from pathlib import Path

import pytest

import bot

ROOT = Path(__file__).resolve().parent.parent
GUIDE = ROOT / "corpus" / "advanced-breast-cancer.txt"


@pytest.fixture(scope="session")
def guide_bot():
    return bot.load()


@pytest.fixture()
def tiny_corpus(tmp_path: Path) -> Path:
    """Five short passages under two headings: enough for BM25 IDF to mean something."""
    (tmp_path / "leaflet.txt").write_text(
        "Leaflet\n\nSleep\n\nGood sleep helps recovery after surgery.\n\n"
        "A short walk in the afternoon can improve sleep.\n\n"
        "Caffeine late in the day keeps people awake.\n\nNutrition\n\n"
        "Protein supports wound healing.\n\nWater intake matters when it is hot.\n",
        encoding="utf-8",
    )
    return tmp_path
