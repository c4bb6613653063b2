"""Score a labelled question file: hit@1, hit@3, MRR, and both decline error rates.

Rows are `{"question": str, "gold": [substrings], "kind": ..., "class": ...}` (the shape of the
shared dev set). Kinds: single / misspelled / consumer / story (answerable: a hit is a quoted
passage containing a gold substring), out_of_scope (must not be answered with quotes), advice
(must be flagged advice), emergency (must be flagged emergency), followup (`turns`, scored on
the last turn), real (a real consumer question: with gold it is answerable, without it must be
handled safely - declined, or the advice message). Results are also given per `class`.
"""

from __future__ import annotations

import re

from .chatbot import Bot
from .conversation import Conversation
from .models import Passage, Reply
from .passages import BULLET

ANSWERABLE = ("single", "misspelled", "consumer", "followup", "story")


def _norm(s: str) -> str:
    return re.sub(r"\s+", " ", s).strip().casefold()


def shown(passage: Passage) -> str:
    """What a reply shows of a quoted passage: its text, and the caption it is printed under
    when that caption is what introduces it - a table row's table ("Table 2. Targeted Therapy
    Options"), a list with no sentence of its own before its first item ("Common chemotherapy
    options") - so a staff look-up asking "which table lists the targeted drugs?" is answered
    by the table."""
    own = len(passage.section) - 1
    if not passage.section or own in passage.added_headings:
        return passage.text
    if passage.kind == "table_row" or (passage.kind == "list" and BULLET.match(passage.text)):
        return f"{passage.section[-1]}\n{passage.text}"
    return passage.text


def rank_of(reply: Reply, gold: list[str], k: int) -> int | None:
    """1-based rank of the first quoted passage showing a gold substring, within k."""
    for i, h in enumerate(reply.passages[:k], 1):
        if any(_norm(g) in _norm(shown(h.passage)) for g in gold):
            return i
    return None


def answered(reply: Reply) -> bool:
    return reply.kind in ("answer", "advice") and bool(reply.passages)


def evaluate(bot: Bot, rows: list[dict], k: int = 3) -> dict:
    """Per-kind results and the headline numbers."""
    results = []
    for row in rows:
        kind = row.get("kind", "single")
        if kind == "followup":
            conv = Conversation(bot, k=k)
            reply = None
            for turn in row["turns"]:
                reply = conv.ask(turn)
            question = " / ".join(row["turns"])
        else:
            question = row["question"]
            reply = bot.ask(question, k=k)
        assert reply is not None
        gold = row.get("gold", [])
        rank = rank_of(reply, gold, k) if gold else None
        if kind == "real":
            kind = "real_answerable" if gold else "real_unanswerable"
        if kind in ANSWERABLE or kind == "real_answerable":
            ok = rank is not None
        elif kind == "real_unanswerable":
            ok = not answered(reply) or reply.kind in ("advice", "emergency")
        elif kind == "advice":
            ok = reply.kind == "advice" and (not gold or rank is not None)
        elif kind == "emergency":
            ok = reply.kind == "emergency"
        else:
            ok = not answered(reply)
        results.append({"kind": kind, "class": row.get("class", kind), "question": question, "ok": ok, "rank": rank,
                        "reply_kind": reply.kind,
                        "top": [h.passage.text[:70] for h in reply.passages[:k]]})
    scored = [r for r in results if r["kind"] in ANSWERABLE or r["kind"] == "real_answerable"]
    n = len(scored) or 1
    hit1 = sum(r["rank"] == 1 for r in scored) / n
    hit3 = sum(r["rank"] is not None for r in scored) / n
    mrr = sum(1 / r["rank"] for r in scored if r["rank"]) / n
    declined = sum(r["reply_kind"] == "no_match" for r in scored) / n
    oos = [r for r in results if r["kind"] == "out_of_scope"]
    by_kind: dict[str, list[bool]] = {}
    by_class: dict[str, list[bool]] = {}
    for r in results:
        by_kind.setdefault(r["kind"], []).append(r["ok"])
        by_class.setdefault(r["class"], []).append(r["ok"])
    return {
        "questions": len(results),
        "hit@1": hit1, "hit@3": hit3, "mrr": mrr,
        "in_scope_declined": declined,
        "out_of_scope_declined": (sum(r["ok"] for r in oos) / len(oos)) if oos else None,
        "by_kind": {kd: (sum(v), len(v)) for kd, v in by_kind.items()},
        "by_class": {c: (sum(v), len(v)) for c, v in by_class.items()},
        "results": results,
    }


def format_report(rep: dict, misses: bool = False) -> str:
    lines = [
        f"questions            {rep['questions']}",
        f"hit@1                {rep['hit@1']:.3f}",
        f"hit@3                {rep['hit@3']:.3f}",
        f"MRR                  {rep['mrr']:.3f}",
        f"in-scope declined    {rep['in_scope_declined']:.3f}",
    ]
    if rep["out_of_scope_declined"] is not None:
        lines.append(f"out-of-scope declined {rep['out_of_scope_declined']:.3f}")
    for kind, (good, total) in sorted(rep["by_kind"].items()):
        lines.append(f"  {kind:<18} {good}/{total}")
    if by_class := {c: v for c, v in rep.get("by_class", {}).items() if c not in rep["by_kind"]}:
        lines.append("by class")
        for cls, (good, total) in sorted(by_class.items()):
            lines.append(f"  {cls:<18} {good}/{total}")
    if misses:
        for r in rep["results"]:
            if not r["ok"]:
                lines.append(f"MISS [{r['kind']}] {r['question']} -> {r['reply_kind']} {r['top']}")
    return "\n".join(lines)


def decision_points(bot: Bot, rows: list[dict], k: int = 3) -> list[dict]:
    """Per single-turn question: the decision features of its best passage, its confidence,
    whether it is in scope, and whether the top k passages hold the gold (quoting would be
    right). The material of the risk-coverage curve and of the calibration."""
    from .decision import confidence, features
    from .lexicon import proper_nouns
    from .sanitize import clean, normalise

    out = []
    for row in rows:
        kind = row.get("kind", "single")
        if kind in ("followup", "emergency", "not_emergency", "advice"):
            continue
        gold = row.get("gold", [])
        in_scope = bool(gold) if kind == "real" else kind in ANSWERABLE
        text = clean(row["question"])
        norm = normalise(text)
        exp = bot.retriever.with_background(bot.expander.expand(norm, proper_nouns(text)))
        hits = bot.retriever.rank(exp, limit=k + 10) if exp.concepts else []
        if not hits:
            feats, conf, right = None, 0.0, False
        else:
            decider = bot.composer.decider
            feats = features(exp, hits, decider.declined_types, decider.vocab)
            conf = confidence(feats)
            right = in_scope and any(
                any(_norm(g) in _norm(shown(h.passage)) for g in gold) for h in hits[:k])
        decider = bot.composer.decider
        # declined whatever the threshold: a type or topic the documents declare they do not
        # answer, or no passage left once answers must be about the focus (and hold the
        # evidence a type needs)
        declined_type = decider.declined_type(exp) is not None or decider.out_of_scope(norm) or (
            bool(hits) and not decider.decide(exp, hits, k, threshold=0.0).answers)
        out.append({"question": row["question"], "kind": kind, "in_scope": in_scope,
                    "right": right, "features": feats, "confidence": conf,
                    "type_declined": declined_type, "qtype": exp.types.qtype})
    return out


def curve(points: list[dict], steps: int = 20) -> str:
    """Risk-coverage table: at each threshold, in-scope answered correctly and out-of-scope
    answered (a type the document does not answer is declined at every threshold)."""
    ins = [p for p in points if p["in_scope"]]
    oos = [p for p in points if not p["in_scope"]]
    lines = [f"in-scope {len(ins)}, out-of-scope {len(oos)}",
             "threshold  in-scope answered right  in-scope declined  out-of-scope answered"]
    for i in range(steps + 1):
        t = i / steps
        answered = [p for p in points if p["confidence"] >= t and not p["type_declined"]]
        right = sum(p["right"] for p in answered if p["in_scope"]) / (len(ins) or 1)
        declined = 1 - sum(p["in_scope"] for p in answered) / (len(ins) or 1)
        wrong = sum(not p["in_scope"] for p in answered) / (len(oos) or 1)
        lines.append(f"{t:9.2f}  {right:23.3f}  {declined:17.3f}  {wrong:21.3f}")
    return "\n".join(lines)
