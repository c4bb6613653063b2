"""Benchmark Verbatim at library scale, beside plain rank_bm25 and bm25s, in one run.

    python benchmarks/run.py                 # 1k, 10k and 100k passages
    python benchmarks/run.py --sizes 1000    # quicker
    python benchmarks/run.py --startup       # cold start ratio only

Each size runs in its own process (so peak memory is that size's own) and prints: build time
(split, analyse, index, write the cache), load time from the cache, peak memory (max RSS of
Verbatim alone, before the baselines are built), and warm latency p50/p95 over 250 varied
questions for: Verbatim's whole reply (safety, expansion, ranking, quotes), Verbatim's ranking
alone, rank_bm25 `BM25Okapi.get_scores` on the same tokens, and bm25s on the same tokens.
Needs the bench extra: pip install -e '.[bench]'.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
QUESTIONS = 250


def pct(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(q * len(values)))] * 1000


def one(n: int) -> dict:
    import numpy as np
    from library import generate, questions

    import bot

    work = Path(tempfile.mkdtemp(prefix="verbatim-bench-"))
    os.environ["VERBATIM_CACHE_DIR"] = str(work / "cache")
    generate(work / "corpus", n, seed=1)
    t = time.perf_counter()
    b = bot.load(work / "corpus")
    build = time.perf_counter() - t
    t = time.perf_counter()
    b = bot.load(work / "corpus")
    load = time.perf_counter() - t
    cached = any((work / "cache").glob("*/meta.json"))
    qs = questions(QUESTIONS, seed=11)
    exps = [b.expand(q) for q in qs]
    b.warm()  # warm latency: the red-flag rules compiled, as in a running app
    for q in qs[:20]:
        b.ask(q)
    whole, ranking = [], []
    for q, exp in zip(qs, exps, strict=True):
        t = time.perf_counter()
        b.ask(q)
        whole.append(time.perf_counter() - t)
        t = time.perf_counter()
        b.retriever.rank(exp, limit=13)
        ranking.append(time.perf_counter() - t)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    tokens = [sorted({t for c in e.concepts for p, _ in c.alts for t in p}) for e in exps]

    # the same passages' tokens, for the baselines
    idx = b.index
    if hasattr(idx, "doc_terms"):
        corpus = idx.doc_terms
    else:
        corpus = [[idx.vocab[j] for j in idx.doc_ids[idx.doc_ptr[i]:idx.doc_ptr[i + 1]].tolist()]
                  for i in range(idx.size)]
    from rank_bm25 import BM25Okapi

    plain = BM25Okapi(corpus)
    rb = []
    for tok in tokens:
        t = time.perf_counter()
        scores = plain.get_scores(tok)
        np.argsort(-scores)[:3]
        rb.append(time.perf_counter() - t)
    import bm25s

    ref = bm25s.BM25()
    ref.index(corpus, show_progress=False)
    known = [[t for t in tok if t in ref.vocab_dict] or ["the"] for tok in tokens]
    bs = []
    for tok in known:
        t = time.perf_counter()
        ref.retrieve([tok], k=3, show_progress=False)
        bs.append(time.perf_counter() - t)
    return {
        "passages": len(b.passages), "index": type(idx).__name__,
        "build_s": round(build, 2), "load_s": round(load, 2) if cached else None,
        "peak_mb": round(peak), "reply_p50": pct(whole, .5), "reply_p95": pct(whole, .95),
        "rank_p50": pct(ranking, .5), "rank_p95": pct(ranking, .95),
        "rank_bm25_p50": pct(rb, .5), "rank_bm25_p95": pct(rb, .95),
        "bm25s_p50": pct(bs, .5), "bm25s_p95": pct(bs, .95),
    }


def startup(runs: int = 11) -> None:
    """Cold start: `python -m bot ask` against `python -c "import rank_bm25, nltk"`, runs
    alternating, median of each (the ratio is what the target is about: same machine, same
    moment)."""
    ask = [sys.executable, "-m", "bot", "ask", "what is herceptin used for"]
    base = [sys.executable, "-c", "import rank_bm25, nltk"]
    times: dict[str, list[float]] = {"ask": [], "base": []}
    for _ in range(runs):
        for name, cmd in (("ask", ask), ("base", base)):
            t = time.perf_counter()
            subprocess.run(cmd, capture_output=True, check=True, cwd=HERE.parent)
            times[name].append(time.perf_counter() - t)
    ask_s = sorted(times["ask"])[runs // 2]
    base_s = sorted(times["base"])[runs // 2]
    print(f"cold start, median of {runs} alternating runs: python -m bot ask {ask_s * 1000:.0f} ms, "
          f"import rank_bm25, nltk {base_s * 1000:.0f} ms, ratio {ask_s / base_s:.2f}")


def glued() -> None:
    """The red-flag check of a message typed without spaces (eye-gaze or switch typing), from 50
    letters to the longest message read (2000): reading it apart must stay quick at any length."""
    from bot import safety
    from bot.sanitize import clean
    words = ("please help my mum is on chemo and she cannot breathe properly her lips look blue "
             "and she is very sleepy what do i do").split()
    text = "".join(words * 40)
    for n in (50, 200, 800, 2000):
        t = time.perf_counter()
        safety.check(clean(text[:n]))
        print(f"red flags, {n} letters without a space: {(time.perf_counter() - t) * 1000:.0f} ms")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000, 100000])
    ap.add_argument("--startup", action="store_true",
                    help="only the cold start ratio (python -m bot ask vs import rank_bm25, nltk)")
    ap.add_argument("--glued", action="store_true",
                    help="only the red-flag check of messages typed without spaces")
    ap.add_argument("--one", type=int, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.one:
        print(json.dumps(one(args.one)))
        return
    if args.startup:
        startup()
        return
    if args.glued:
        glued()
        return
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}")
    head = ("| passages | index | build s | load s (cache) | peak MB | reply p50/p95 ms | "
            "ranking p50/p95 ms | rank_bm25 p50/p95 ms | bm25s p50/p95 ms | speed-up vs rank_bm25 (p95) |")
    print(head)
    print("|---" * (head.count("|") - 1) + "|")
    for n in args.sizes:
        out = subprocess.run([sys.executable, __file__, "--one", str(n)], capture_output=True,
                             text=True, check=True)
        r = json.loads(out.stdout.strip().splitlines()[-1])
        load = f"{r['load_s']:.2f}" if r["load_s"] is not None else "n/a (small: no cache)"
        print(f"| {r['passages']:,} | {r['index']} | {r['build_s']:.1f} | {load} | {r['peak_mb']} | "
              f"{r['reply_p50']:.1f} / {r['reply_p95']:.1f} | {r['rank_p50']:.1f} / {r['rank_p95']:.1f} | "
              f"{r['rank_bm25_p50']:.1f} / {r['rank_bm25_p95']:.1f} | "
              f"{r['bm25s_p50']:.1f} / {r['bm25s_p95']:.1f} | "
              f"{r['rank_bm25_p95'] / max(r['reply_p95'], 1e-9):.1f}x |", flush=True)
    startup()


if __name__ == "__main__":
    main()
