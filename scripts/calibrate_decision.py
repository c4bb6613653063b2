#!/usr/bin/env python3
"""Fit the answer/decline model (bot/data/decision_model.json) on the DEV questions only.

DEV = tests/data/questions.jsonl (the team's questions), tests/data/dev_questions_extra.jsonl,
tests/data/dev_patient_questions.jsonl (patient language and out-of-scope questions sharing the
guide's words), tests/data/dev_blind_questions.jsonl, dev_blind2_questions.jsonl, dev_blind3_questions.jsonl,
dev_blind4_questions.jsonl, dev_blind5_questions.jsonl, dev_blind6_questions.jsonl and
dev_blind7_questions.jsonl, dev_blind8_questions.jsonl (the previous blind sets,
now DEV) and, when present, the shared dev set (../shared/eval/dev_questions.jsonl). The frozen TEST
split (tests/data/test_questions.jsonl) is never read here. A logistic regression over the
few features of bot/decision.py predicts "quoting the top passages is right" (in scope, and a
gold passage in the top 3); the threshold is the one with the lowest cost on DEV: in-scope
declined + 1.25 x out-of-scope answered. The sweep is written to
benchmarks/decision_sweep.txt so staff can see the trade-off.

    python scripts/calibrate_decision.py
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import bot  # noqa: E402
from bot.decision import FEATURES  # noqa: E402
from bot.evaluate import curve, decision_points  # noqa: E402

WRONG_ANSWER_COST = 1.25
ADVICE_SHARE = 0.6
L2 = 0.01
TYPE_THRESHOLD = 0.95


def rows_of(path: Path) -> list[dict]:
    return [json.loads(x) for x in path.read_text(encoding="utf-8").splitlines() if x.strip()]


def choose_threshold(points: list[dict], conf: np.ndarray, every: list[dict]) -> float:
    """The threshold with the lowest cost on DEV: in-scope declined + WRONG_ANSWER_COST x
    out-of-scope answered (a wrong quote is worse than a decline, SAFETY.md section 5)."""
    n_in = sum(p["in_scope"] for p in every)
    n_out = sum(not p["in_scope"] for p in every)
    best = (float("inf"), 0.5)
    for t in np.arange(0.05, 0.96, 0.01):
        answered = [(p, c) for p, c in zip(points, conf, strict=True)
                    if c >= t and not p["type_declined"]]
        declined = (n_in - sum(p["in_scope"] for p, _ in answered)) / n_in
        wrong = sum(not p["in_scope"] for p, _ in answered) / n_out
        cost = declined + WRONG_ANSWER_COST * wrong
        if cost < best[0] - 1e-9:
            best = (cost, float(round(t, 2)))
    return best[1]


def fit(x: np.ndarray, y: np.ndarray) -> tuple[float, np.ndarray]:
    w, b = np.zeros(x.shape[1]), 0.0
    for _ in range(20000):
        p = 1 / (1 + np.exp(-(x @ w + b)))
        g = p - y
        w -= 0.1 * (x.T @ g / len(y) + L2 * w)
        b -= 0.1 * g.mean()
    return b, w


def main() -> None:
    dev = (rows_of(ROOT / "tests/data/questions.jsonl") + rows_of(ROOT / "tests/data/dev_questions_extra.jsonl")
           + rows_of(ROOT / "tests/data/dev_patient_questions.jsonl")
           + rows_of(ROOT / "tests/data/dev_blind_questions.jsonl")
           + rows_of(ROOT / "tests/data/dev_blind2_questions.jsonl")
           + rows_of(ROOT / "tests/data/dev_blind3_questions.jsonl")
           + rows_of(ROOT / "tests/data/dev_blind4_questions.jsonl")
           + rows_of(ROOT / "tests/data/dev_blind5_questions.jsonl")
           + rows_of(ROOT / "tests/data/dev_blind6_questions.jsonl")
           + rows_of(ROOT / "tests/data/dev_blind7_questions.jsonl")
           + rows_of(ROOT / "tests/data/dev_blind8_questions.jsonl"))
    shared = ROOT.parent / "shared/eval/dev_questions.jsonl"
    if not shared.exists():
        shared = Path("/work/shared/eval/dev_questions.jsonl")
    if shared.exists():
        dev += rows_of(shared)
    b = bot.load()
    model_path = ROOT / "bot/data/decision_model.json"
    model = json.loads(model_path.read_text(encoding="utf-8"))
    model["type_threshold"] = TYPE_THRESHOLD
    model_path.write_text(json.dumps(model) + "\n", encoding="utf-8")
    bot.decision.decision_model.cache_clear()
    points = [p for p in decision_points(b, dev) if p["features"] is not None]
    x = np.array([[min(max(p["features"][f], -5.0), 5.0) for f in FEATURES] for p in points])
    y = np.array([1.0 if p["right"] else 0.0 for p in points])
    bias, w = fit(x, y)
    conf = 1 / (1 + np.exp(-(x @ w + bias)))
    threshold = choose_threshold(points, conf, decision_points(b, dev))
    model = {
        "_about": ("Answer/decline model, fitted by scripts/calibrate_decision.py on the DEV "
                   "questions only (tests/data/questions.jsonl, dev_questions_extra.jsonl, "
                   "dev_patient_questions.jsonl, dev_blind_questions.jsonl, dev_blind2_questions.jsonl, "
                   "dev_blind3_questions.jsonl, dev_blind4_questions.jsonl, dev_blind5_questions.jsonl, "
                   "dev_blind6_questions.jsonl, dev_blind7_questions.jsonl, dev_blind8_questions.jsonl and "
                   "the shared dev set); do not "
                   "edit by hand. P(quote is right) = logistic(bias + sum(weights * features)); "
                   "quote at or above threshold (advice questions: advice_threshold). "
                   "type_threshold: a type the document does not answer is declined when the "
                   "type model gives it at least this probability. Sweep: "
                   "benchmarks/decision_sweep.txt."),
        "bias": round(float(bias), 4),
        "weights": {f: round(float(v), 4) for f, v in zip(FEATURES, w, strict=True)},
        "threshold": threshold,
        # Advice questions carry decision words ("stop", "switch") that no passage holds, and
        # their quotes come under the advice message as general information: a lower bar.
        "advice_threshold": round(threshold * ADVICE_SHARE, 2),
        "type_threshold": TYPE_THRESHOLD,
        "fitted_on": {"questions": len(points), "positives": int(y.sum())},
    }
    model_path.write_text(json.dumps(model, indent=1) + "\n", encoding="utf-8")
    bot.decision.decision_model.cache_clear()
    b = bot.load()
    table = curve(decision_points(b, dev))
    (ROOT / "benchmarks/decision_sweep.txt").write_text(
        "Risk-coverage sweep on the DEV questions (scripts/calibrate_decision.py).\n"
        f"Chosen threshold: {threshold} (lowest cost on DEV: in-scope declined + "
        f"{WRONG_ANSWER_COST} x out-of-scope answered).\n\n" + table + "\n", encoding="utf-8")
    print(json.dumps(model, indent=1))
    print(table)


if __name__ == "__main__":
    main()
