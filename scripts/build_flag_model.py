"""Train, evaluate and ship the learned red-flag model (bot/flagmodel.py).

    .venv/bin/python scripts/build_flag_model.py            # sweep, choose, write the model
    .venv/bin/python scripts/build_flag_model.py --no-write # sweep only

Data: every labelled battery tests/data/safety_*.tsv (dev rows, the red team, each blind set) and
MedQuAD questions
(/work/shared/data/medquad_questions.jsonl, CC BY 4.0) as ordinary negatives. advice counts as
none; 'either' rows are left out. tests/data/safety_test.tsv is FROZEN: never trained or tuned
on, only reported (and its messages are removed from every training set).

Honest evaluation: leave-one-source-out over the blind sets (train on everything else, test on
that blind set), three deciders per fold (rules only; rules OR model; rules + model veto, and
both together), swept over t_add and t_veto into benchmarks/flag_model_sweep.txt. Thresholds are
chosen from the folds only: no fold may lose recall against rules only, at the chosen t_veto nor
at the next lower one on the grid (a margin: missing an alarm is far worse than a false alarm);
among those, fewest false alarms summed over the folds, then most recall; among candidates the
folds cannot tell apart, t_veto >= 0.9 and the fewest alarms on the MedQuAD training half (the
final model's), then the lowest t_add (a miss is far worse than a false alarm), then the highest
t_veto.
"""

from __future__ import annotations

import argparse
import datetime
import json
import sys
import zlib
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot import flagmodel, safety  # noqa: E402

DATA = ROOT / "tests" / "data"
MEDQUAD = Path("/work/shared/data/medquad_questions.jsonl")
# Each blind set is one fold: written by one tester who never saw the rules.
FOLDS = tuple(sorted(p.stem.removeprefix("safety_") for p in DATA.glob("safety_blind*.tsv")))
ALARMS = ("emergency", "crisis", "urgent")
LABEL = {"emergency": 1, "crisis": 2, "urgent": 3, "none": 0, "advice": 0}
T_ADD = (0.5, 0.6, 0.7, 0.8, 0.85, 0.9, 0.93, 0.95, 0.97, 0.98, 0.99, 2.0)
T_VETO = (0.5, 0.6, 0.7, 0.8, 0.85, 0.9, 0.93, 0.95, 0.97, 0.98, 0.99, 2.0)
L2, ALARM_WEIGHT = 1e-4, 3.0  # training settings (command-line options)
VETO_FLOOR = 0.9  # the veto side is never chosen below this (it withdraws only when very sure)
MEDQUAD_TRAIN = 6000  # MedQuAD training negatives (those sharing red-flag words first)


def battery(path: Path, columns: int) -> list[tuple[str, str]]:
    """(kind, message) rows of a tab-separated battery; 'either' rows are left out."""
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        parts = line.split("\t")
        kind, text = parts[0], parts[columns - 1]
        if kind in LABEL:
            rows.append((kind, text))
    return rows


def sources() -> dict[str, list[tuple[str, str]]]:
    """Every labelled battery in tests/data (safety_<name>.tsv), by name; "test" is the frozen one."""
    return {path.stem.removeprefix("safety_"): battery(path, 3)
            for path in sorted(DATA.glob("safety_*.tsv"))}


def medquad() -> tuple[list[str], list[str]]:
    """Distinct MedQuAD questions split in two halves by a hash: (training pool, held out)."""
    seen: dict[str, None] = {}
    for line in MEDQUAD.read_text(encoding="utf-8").splitlines():
        seen.setdefault(json.loads(line)["question"].strip(), None)
    train, held = [], []
    for q in seen:
        (train if zlib.crc32(q.encode()) % 2 == 0 else held).append(q)
    return train, held


class Item:
    """One message: its rule matches and its feature ids, computed once."""

    __slots__ = ("text", "y", "found", "ids", "forms")

    def __init__(self, text: str, y: int):
        self.text, self.y = text, y
        self.forms, self.found = safety.matches(text)
        self.ids = flagmodel.feature_ids(self.forms)


def design(items: list[Item]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """CSR (indptr, ids, values) with each row scaled to unit length."""
    lens = np.array([len(it.ids) for it in items])
    indptr = np.concatenate([[0], np.cumsum(lens)])
    ids = np.concatenate([it.ids for it in items])
    vals = np.repeat(1.0 / np.sqrt(np.maximum(lens, 1)), lens).astype(np.float32)
    return indptr, ids, vals


def train(items: list[Item], weights: np.ndarray, l2: float = 1e-4, steps: int = 300,
          lr: float = 0.05) -> tuple[np.ndarray, np.ndarray]:
    """Multinomial logistic regression by full-batch Adam on weighted cross-entropy + L2."""
    indptr, ids, vals = design(items)
    n, k = len(items), len(flagmodel.KINDS)
    rows = np.repeat(np.arange(n), np.diff(indptr))
    y = np.zeros((n, k), dtype=np.float32)
    y[np.arange(n), [it.y for it in items]] = 1.0
    sw = (weights / weights.sum()).astype(np.float32)[:, None]
    used = np.unique(ids)
    W = np.zeros((len(used), k), dtype=np.float32)
    col = np.searchsorted(used, ids)
    b = np.zeros(k, dtype=np.float32)
    mW, vW, mb, vb = np.zeros_like(W), np.zeros_like(W), np.zeros_like(b), np.zeros_like(b)
    b1, b2, eps = 0.9, 0.999, 1e-8
    for t in range(1, steps + 1):
        z = np.add.reduceat(W[col] * vals[:, None], indptr[:-1]) + b
        z -= z.max(axis=1, keepdims=True)
        p = np.exp(z)
        p /= p.sum(axis=1, keepdims=True)
        g = (p - y) * sw
        gW = np.stack([np.bincount(col, weights=vals * g[rows, c], minlength=len(used))
                       for c in range(k)], axis=1).astype(np.float32) + l2 * W
        gb = g.sum(axis=0)
        for param, grad, m, v in ((W, gW, mW, vW), (b, gb, mb, vb)):
            m *= b1
            m += (1 - b1) * grad
            v *= b2
            v += (1 - b2) * grad * grad
            param -= lr * (m / (1 - b1**t)) / (np.sqrt(v / (1 - b2**t)) + eps)
    full = np.zeros((flagmodel.DIM, k), dtype=np.float32)
    full[used] = W
    return full, b.astype(np.float64)


def probs(W: np.ndarray, b: np.ndarray, items: list[Item]) -> np.ndarray:
    m = flagmodel.FlagModel(W, b, 2.0, 2.0)
    return np.array([[m.probabilities(it.forms)[kd] for kd in flagmodel.KINDS] for it in items])


def decided(it: Item, p: np.ndarray | None, t_add: float, t_veto: float) -> str:
    """The kind safety.decide would show (as safety.check: crisis matches skip the model)."""
    pr = None if p is None or "crisis" in it.found else dict(zip(flagmodel.KINDS, p, strict=True))
    flag = safety.decide(it.found, pr, t_add, t_veto)
    return flag.kind if flag else "none"


def score(items: list[Item], P: np.ndarray | None, t_add: float, t_veto: float) -> dict:
    """Alarm rows flagged (any alarm kind), of them the wrong kind, and false alarms."""
    s = {"alarms": 0, "hit": 0, "wrong": 0, "ordinary": 0, "fa": 0, "missed": [], "false": []}
    for i, it in enumerate(items):
        got = decided(it, None if P is None else P[i], t_add, t_veto)
        truth = flagmodel.KINDS[it.y]
        if it.y:
            s["alarms"] += 1
            if got in ALARMS:
                s["hit"] += 1
                s["wrong"] += got != truth
            else:
                s["missed"].append(it.text)
        else:
            s["ordinary"] += 1
            if got in ALARMS:
                s["fa"] += 1
                s["false"].append(f"[{got}] {it.text}")
    return s


def fit(train_items: list[Item], mq_items: list[Item]) -> tuple[np.ndarray, np.ndarray]:
    """A model from labelled rows (alarm rows weighted up) plus MedQuAD negatives."""
    items = train_items + mq_items
    w = np.array([ALARM_WEIGHT if it.y else 1.0 for it in train_items] + [0.5] * len(mq_items))
    return train(items, w, l2=L2)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--no-write", action="store_true", help="sweep only, write no model")
    ap.add_argument("--l2", type=float, default=1e-4, help="L2 penalty on the weights")
    ap.add_argument("--alarm-weight", type=float, default=3.0, help="weight of an alarm row")
    ap.add_argument("--out", default="benchmarks/flag_model_sweep.txt", help="where the sweep goes")
    args = ap.parse_args()
    global L2, ALARM_WEIGHT
    L2, ALARM_WEIGHT = args.l2, args.alarm_weight

    src = sources()
    test_texts = {safety.flag_text(t) for _, t in src["test"]}
    items = {name: [Item(t, LABEL[k]) for k, t in rows] for name, rows in src.items()}
    for name in items:  # the frozen test's messages never train
        if name != "test":
            items[name] = [it for it in items[name] if safety.flag_text(it.text) not in test_texts]
    mq_pool, mq_held = medquad()
    pool = [Item(q, 0) for q in mq_pool]
    rng = np.random.default_rng(0)
    shared = [it for it in pool if it.found or len(it.forms) > 1]
    rest = [pool[i] for i in rng.permutation(len(pool)) if not (pool[i].found or len(pool[i].forms) > 1)]
    mq_train = (shared + rest)[:MEDQUAD_TRAIN]
    print(f"MedQuAD: {len(pool)} pool, {len(shared)} sharing red-flag words, {len(mq_train)} used",
          file=sys.stderr)

    fold_P: dict[str, np.ndarray] = {}
    for fold in FOLDS:
        held = {safety.flag_text(it.text) for it in items[fold]}
        tr = [it for name in items if name not in (fold, "test") for it in items[name]
              if safety.flag_text(it.text) not in held]
        W, b = fit(tr, mq_train)
        fold_P[fold] = probs(W, b, items[fold])
        print(f"fold {fold}: trained on {len(tr)} + {len(mq_train)}", file=sys.stderr)

    base = {f: score(items[f], None, 2.0, 2.0) for f in FOLDS}
    table = {}
    for ta in T_ADD:
        for tv in T_VETO:
            table[ta, tv] = {f: score(items[f], fold_P[f], ta, tv) for f in FOLDS}

    def ok(ta: float, tv: float) -> bool:
        """No fold loses recall, here nor one veto step more permissive (a margin)."""
        looser = T_VETO[max(T_VETO.index(tv) - 1, 0)]
        return all(table[ta, v][f]["hit"] >= base[f]["hit"] for f in FOLDS for v in (tv, looser))

    def key(ta: float, tv: float) -> tuple:
        r = table[ta, tv]
        return (sum(r[f]["fa"] for f in FOLDS), -sum(r[f]["hit"] for f in FOLDS))

    final_tr = [it for name in items if name != "test" for it in items[name]]
    W, b = fit(final_tr, mq_train)
    mq_pool_P = probs(W, b, pool)
    # Among the candidates the folds cannot tell apart: fewest alarms on the MedQuAD training half
    # (ordinary questions the folds have few of), with the veto floored at VETO_FLOOR (the model
    # withdraws an alarm only when very sure); then the lowest t_add (the rules were fixed on every
    # fold's misses, so the folds no longer show what adding catches, and a miss is far worse than
    # a false alarm), then the highest t_veto.
    allowed = [c for c in table if ok(*c) and c[1] >= VETO_FLOOR]
    best = min(key(*c) for c in allowed)
    tied = [c for c in allowed if key(*c) == best]
    chosen = min(tied, key=lambda c: (score(pool, mq_pool_P, *c)["fa"], c[0], -c[1]))

    test_P = probs(W, b, items["test"])
    mq_held_items = [Item(q, 0) for q in mq_held]
    mq_P = probs(W, b, mq_held_items)

    lines = report(items, base, table, chosen, fold_P, test_P, mq_held_items, mq_P, pool, mq_pool_P,
                   len(final_tr), len(mq_train))
    (ROOT / args.out).write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines[:60]))
    if not args.no_write:
        write(W, b, chosen, src, len(final_tr), len(mq_train))
    return 0


def fmt(s: dict) -> str:
    return f"{s['hit']}/{s['alarms']} (wrong kind {s['wrong']}), FA {s['fa']}/{s['ordinary']}"


def report(items, base, table, chosen, fold_P, test_P, mq_items, mq_P, pool, pool_P, n_train, n_mq) -> list[str]:
    ta, tv = chosen
    L = ["# Learned red-flag model: leave-one-source-out sweep (scripts/build_flag_model.py)",
         f"# {datetime.date.today()}; l2={L2}, alarm row weight={ALARM_WEIGHT}; folds = {', '.join(FOLDS)};",
         f"# each fold's model is trained on every other labelled source + {n_mq} MedQuAD negatives;",
         f"# the final model on {n_train} labelled rows + the same MedQuAD negatives.",
         "# recall = alarm rows given any alarm (wrong kind counted apart); FA = ordinary rows",
         "# (none/advice) given an alarm. t = 2.0 means that side of the model is off.",
         "# Rule: no fold may lose recall against rules only, at the chosen t_veto nor at the next lower",
         "# one on the grid (a margin); among those, fewest FA over the folds, then most recall; among",
         "# ties, t_veto >= 0.9 and fewest MedQuAD training-half alarms, then lowest t_add, highest t_veto.",
         "",
         f"CHOSEN t_add={ta} t_veto={tv}", ""]
    rows = [("rules only", (2.0, 2.0)), (f"rules OR model (t_add={ta})", (ta, 2.0)),
            (f"rules + veto (t_veto={tv})", (2.0, tv)), ("rules OR model + veto (chosen)", (ta, tv))]
    L.append("## Per fold")
    for f in FOLDS:
        for name, c in rows:
            s = base[f] if c == (2.0, 2.0) else table[c][f]
            L.append(f"{f:8s} {name:34s} {fmt(s)}")
    L.append("")
    L.append("## Frozen tests/data/safety_test.tsv (final model; never trained or tuned on)")
    for name, c in rows:
        L.append(f"test     {name:34s} {fmt(score(items['test'], test_P, *c))}")
    L.append("")
    L.append("## MedQuAD questions raising an alarm (held-out half / training half)")
    for name, c in rows:
        h = score(mq_items, mq_P, *c)["fa"]
        p = score(pool, pool_P, *c)["fa"]
        L.append(f"medquad  {name:34s} held-out {h}/{len(mq_items)}, training half {p}/{len(pool)}")
    L.append("")
    L.append("## Sweep: per t_add, t_veto: recall summed over folds, FA summed, folds losing recall")
    tot_base = sum(base[f]["hit"] for f in FOLDS), sum(base[f]["fa"] for f in FOLDS)
    L.append(f"rules only: recall {tot_base[0]}/{sum(base[f]['alarms'] for f in FOLDS)}, FA {tot_base[1]}")
    for (a, v), r in sorted(table.items()):
        lost = [f for f in FOLDS if r[f]["hit"] < base[f]["hit"]]
        L.append(f"t_add={a:<5} t_veto={v:<5} recall {sum(r[f]['hit'] for f in FOLDS):4d} "
                 f"FA {sum(r[f]['fa'] for f in FOLDS):3d} wrong {sum(r[f]['wrong'] for f in FOLDS):3d}"
                 f" lost:{','.join(lost) or '-'}")
    L.append("")
    L.append("## Veto margin: alarm rows with an emergency/urgent rule alarm and the highest p(none)"
             " (rows a report rule matches are listed too, though never withdrawn)")
    for f in FOLDS + ("test",):
        P = test_P if f == "test" else fold_P[f]
        risk = sorted(((P[i][0], it.text) for i, it in enumerate(items[f])
                       if it.y and "crisis" not in it.found
                       and any(k in it.found for k in ("emergency", "urgent"))), reverse=True)
        L += [f"{f} p(none)={p:.3f} {t}" for p, t in risk[:3]]
    L.append("")
    L.append("## Chosen decider, per fold: misses and false alarms")
    for f in FOLDS:
        s = table[chosen][f]
        L += [f"{f} missed: {m}" for m in s["missed"]] + [f"{f} false: {m}" for m in s["false"]]
    return L


def write(W, b, chosen, src, n_train, n_mq) -> None:
    rows = np.flatnonzero(np.abs(W).max(axis=1) > 1e-3)
    np.savez_compressed(ROOT / "bot" / "data" / "flag_model.npz", rows=rows.astype(np.int32),
                        weights=W[rows].astype(np.float16), bias=b,
                        t_add=np.float64(chosen[0]), t_veto=np.float64(chosen[1]))
    meta = {"_about": "Provenance of flag_model.npz (bot/flagmodel.py), written by "
                      "scripts/build_flag_model.py; thresholds chosen on leave-one-source-out folds "
                      "(benchmarks/flag_model_sweep.txt).",
            "date": str(datetime.date.today()), "script": "scripts/build_flag_model.py",
            "kinds": list(flagmodel.KINDS), "dim": flagmodel.DIM, "nonzero_rows": int(len(rows)),
            "t_add": chosen[0], "t_veto": chosen[1],
            "sources": {name: len(rows_) for name, rows_ in src.items() if name != "test"},
            "labelled_rows": n_train,
            "medquad": {"rows": n_mq, "source": "MedQuAD questions (Ben Abacha and Demner-Fushman, "
                        "BMC Bioinformatics 20, 511, 2019), https://github.com/abachaa/MedQuAD",
                        "licence": "CC BY 4.0"},
            "held_out": "tests/data/safety_test.tsv (never trained or tuned on)"}
    (ROOT / "bot" / "data" / "flag_model.json").write_text(json.dumps(meta, indent=1) + "\n",
                                                            encoding="utf-8")


if __name__ == "__main__":
    raise SystemExit(main())
