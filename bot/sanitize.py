"""Strip terminal control sequences and invisible formatting from untrusted text.

Applied once at the boundary (corpus load and question input) so that nothing that reaches the
index, the JSON or a terminal can move the cursor, write the clipboard or reorder text.
"""

from __future__ import annotations

import re
import unicodedata

# CSI, OSC (terminated by BEL or ST), other 2-byte ESC sequences, and 8-bit C1 CSI/OSC.
_ESCAPES = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]"
    r"|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?"
    r"|\x1b[PX^_][^\x1b]*(?:\x1b\\)?"
    r"|\x1b[@-Z\\-_]?"
    r"|\x9b[0-?]*[ -/]*[@-~]"
    r"|\x9d[^\x07\x9c]*(?:\x07|\x9c)?"
)
_BIDI = {chr(c) for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A), 0x200E, 0x200F, 0x061C)}
_ZERO_WIDTH = {"\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad"}


# C0/C1 controls but tab and newline, DEL, bidi controls, surrogates and private use.
_UNSAFE = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
    "\ud800-\udfff\ue000-\uf8ff\U000f0000-\U0010ffff]"
)


def clean(text: str) -> str:
    """Remove escape sequences, control, surrogate, private-use and bidi characters.

    Newlines and tabs stay; U+200D (zero-width joiner) stays so emoji survive.
    """
    if not _UNSAFE.search(text):  # every escape sequence starts with a character in _UNSAFE
        return text
    return _UNSAFE.sub("", _ESCAPES.sub("", text))


_QUOTES = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201b": "'", "\u2032": "'",
                         "\u201c": '"', "\u201d": '"', "\u00b4": "'", "`": "'"})
_DASHES = re.compile(r"[\u2010-\u2015\u2212\u00a0]")


def normalise(text: str) -> str:
    """NFKC, casefold, no zero-width or bidi characters, straight quotes, one space between words."""
    text = clean(text)
    text = unicodedata.normalize("NFKC", text)
    text = "".join(ch for ch in text if ch not in _ZERO_WIDTH and ch not in _BIDI)
    text = text.translate(_QUOTES)
    text = _DASHES.sub(lambda m: " " if m.group() == "\u00a0" else "-", text)
    text = text.casefold()
    return re.sub(r"\s+", " ", text).strip()
