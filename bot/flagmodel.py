"""A small learned red-flag classifier that sits beside the hand-written rules.

The rules (safety.py, data/red_flags.txt) decide; this model may only add an alarm the rules
missed when it is very sure, or withdraw an emergency or urgent rule alarm (never crisis) when it
is very sure the message is ordinary. Its thresholds were chosen on held-out blind sets
(scripts/build_flag_model.py, benchmarks/flag_model_sweep.txt).

Features are robust to hurried typing: hashed character n-grams (3-5, each word padded with
spaces) and word unigrams and bigrams of the forms the rules see (the normalised text and its
red-flag-spelled form, safety.flag_forms). A multinomial logistic regression over
none / emergency / crisis / urgent turns them into probabilities. The weights ship as
data/flag_model.npz (plain arrays, loaded with allow_pickle=False); the training provenance is
in data/flag_model.json.
"""

from __future__ import annotations

import re
import zlib
from dataclasses import dataclass
from functools import cache
from importlib import resources

import numpy as np

KINDS = ("none", "emergency", "crisis", "urgent")
DIM = 1 << 18
_WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")


def feature_ids(forms: tuple[str, ...]) -> np.ndarray:
    """The sorted, distinct hashed feature ids of a message's forms."""
    grams: set[str] = set()
    for text in forms:
        words = _WORD.findall(text)
        grams.update("w " + w for w in words)
        grams.update("b " + a + " " + b for a, b in zip(words, words[1:], strict=False))
        for w in words:
            padded = f" {w} "
            for n in (3, 4, 5):
                grams.update("c " + padded[i : i + n] for i in range(max(1, len(padded) - n + 1)))
    ids = {zlib.crc32(g.encode("utf-8")) % DIM for g in grams}
    return np.fromiter(sorted(ids), dtype=np.int64, count=len(ids))


@dataclass(frozen=True)
class FlagModel:
    """Weights (DIM x kinds), bias and the two decision thresholds."""

    weights: np.ndarray
    bias: np.ndarray
    t_add: float
    t_veto: float

    def probabilities(self, forms: tuple[str, ...]) -> dict[str, float]:
        """p(kind) for none, emergency, crisis and urgent."""
        ids = feature_ids(forms)
        scale = 1.0 / np.sqrt(max(len(ids), 1))
        z = self.bias + self.weights[ids].sum(axis=0) * scale
        z = np.exp(z - z.max())
        p = z / z.sum()
        return {k: float(v) for k, v in zip(KINDS, p, strict=True)}


def from_arrays(arrays) -> FlagModel:
    """A model from the arrays build_flag_model.py saves: the non-zero rows and their ids."""
    weights = np.zeros((DIM, len(KINDS)), dtype=np.float32)
    weights[arrays["rows"]] = arrays["weights"].astype(np.float32)
    return FlagModel(weights, arrays["bias"].astype(np.float64),
                     float(arrays["t_add"]), float(arrays["t_veto"]))


@cache
def model() -> FlagModel | None:
    """The shipped model, or None when data/flag_model.npz is absent."""
    path = resources.files("bot.data").joinpath("flag_model.npz")
    if not path.is_file():
        return None
    with path.open("rb") as f, np.load(f, allow_pickle=False) as arrays:
        return from_arrays(arrays)
