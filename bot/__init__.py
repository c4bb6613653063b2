"""Verbatim's engine: answers questions only by quoting the documents it was given.

`bot.load(corpus_dir=None)` returns a `Bot`; nothing here imports a UI toolkit.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .chatbot import Bot

__all__ = ["Bot", "load"]


def load(corpus_dir: Any = None, config: Any = None) -> Bot:
    """Load and index a corpus folder (default: the bundled guide)."""
    from .chatbot import load as _load

    return _load(corpus_dir, config)


def __getattr__(name: str) -> Any:
    if name == "Bot":
        from .chatbot import Bot

        return Bot
    raise AttributeError(name)
