#!/usr/bin/env python3
"""Rebuild bot/data/question_model.json: framing words and a question-type model, learnt from data.

Reads MedQuAD's questions (../shared/data/medquad_questions.jsonl: question, focus, qtype) and
scripts/patient_type_examples.tsv (patient wordings for types MedQuAD lacks). For each question
the words outside its annotated focus are its *framing*. We learn
- `framing`: words that are mostly framing (outside the focus) across MedQuAD - evidence of
  what is asked, never of another topic - with the share of their uses that were framing,
  plus the words that frame patient wordings of several types and head no MedQuAD topic;
- `topical`: Snowball stems of the words that head MedQuAD's foci (the last word of a noun
  phrase, in at least HEAD_SHARE of the foci holding the word: "pain", "alcohol", "biopsy";
  not "help", "make", which foci hold only inside a longer phrase), or in at least
  MIN_TOPIC_FOCI foci ("heart", "breast"): a question word
  that is one of these is a topic; a common word that is not ("sold", "called") frames;
- `modifiers`: words that follow a drug's name in many MedQuAD drug foci ("injection",
  "oral", "implant"): the form of the drug, part of the focus, not another topic;
- a multinomial naive Bayes model of our question types (bot/data/question_types.json maps
  MedQuAD's 37 types to ours) over framing words and word pairs, the focus replaced by "X".

Held out: questions whose focus is a drug or topic of the bundled guide (the foci of the frozen
test split, scripts/sample_medquad_test.py) are not trained on.
The app reads only the JSON this writes; it never needs ../shared.

    python scripts/build_question_model.py [../shared/data/medquad_questions.jsonl]
"""

from __future__ import annotations

import json
import math
import re
import sys
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))
from nltk.stem.snowball import SnowballStemmer  # noqa: E402
from sample_medquad_test import GUIDE_DRUGS  # noqa: E402

WORD = re.compile(r"[a-z][a-z'-]*[a-z]|[a-z]")
MIN_FRAMING_USES = 4
MIN_FRAMING_SHARE = 0.75
MIN_FEATURE_COUNT = 3
PER_TYPE_CAP = 1500  # MedQuAD's big types would otherwise swamp the prior
MIN_MODIFIER_FOCI = 15
HEAD_SHARE = 0.3
MIN_HEADS = 1  # at least one focus headed by the word
MIN_TOPIC_FOCI = 10
# "Where to find support for people with X": who has the focus is part of it, not evidence of
# the type (MedQuAD writes it only in its support-groups template, so any question about
# "people with X" would ask for support groups)
POPULATION = ("people", "with")
# A focus split into its noun phrases: "Back pain - when you see the doctor" -> "back pain", ...
CHUNK = re.compile(r"[,:;()/]| - | and | or | with | of | for | in | to | from | after | during "
                   r"| when ")


def words(text: str) -> list[str]:
    return WORD.findall(text.casefold().replace("\u2019", "'"))


STOP = {ln.strip() for ln in (ROOT / "bot/data/stopwords.txt").read_text(encoding="utf-8").splitlines()
        if ln.strip() and not ln.startswith("#")} | {"x"}


def features(framed: list[str]) -> list[str]:
    """Unigrams and adjacent pairs of a question whose focus is X, each holding a word that is
    neither a stopword nor X: "what is" says nothing about the type, "brand names" does."""
    out = [w for w in framed if w not in STOP]
    out += [f"{a} {b}" for a, b in zip(framed, framed[1:], strict=False)
            if a not in STOP or b not in STOP]
    return out


def strip_focus(question: str, focus: str) -> tuple[list[str], list[str]] | None:
    """(framing words with X where the focus was, focus words), or None if the focus is absent."""
    q, f = words(question), words(focus)
    if not f:
        return None
    n = len(f)
    for i in range(len(q) - n + 1):
        if q[i : i + n] == f:
            if q[max(0, i - len(POPULATION)) : i] == list(POPULATION):
                i, f = i - len(POPULATION), list(POPULATION) + f
            return q[:i] + ["x"] + q[i + len(f) :], f
    return None


def held_out(focus: str) -> bool:
    f = focus.strip().casefold()
    return f in GUIDE_DRUGS or "breast" in f


def main(path: str) -> None:
    types = json.loads((ROOT / "bot/data/question_types.json").read_text(encoding="utf-8"))
    ours = {mq: t for t, spec in types.items() if not t.startswith("_") for mq in spec["medquad"]}
    stem = SnowballStemmer("english").stem
    in_focus: Counter[str] = Counter()
    heads: Counter[str] = Counter()
    modifier_foci: dict[str, set[str]] = defaultdict(set)
    framing_uses: Counter[str] = Counter()
    focus_uses: Counter[str] = Counter()
    examples: list[tuple[str, list[str]]] = []
    seen: set[str] = set()
    per_type: Counter[str] = Counter()
    for line in open(path, encoding="utf-8"):
        r = json.loads(line)
        for chunk in CHUNK.split(r["focus"].casefold()):
            ws = [w for w in words(chunk) if len(w) > 2]
            if ws:
                in_focus.update(stem(w) for w in set(ws))
                heads[stem(ws[-1])] += 1
        if "Drugs" in r["collection"]:
            for w in words(r["focus"])[1:]:
                modifier_foci[w].add(r["focus"].casefold())
        q = r["question"].strip()
        if q in seen or held_out(r["focus"]):
            continue
        seen.add(q)
        got = strip_focus(q, r["focus"])
        if got is None:
            continue
        framed, focus = got
        framing_uses.update(set(framed) - {"x"})
        focus_uses.update(set(focus))
        t = ours.get(r["qtype"])
        if t and per_type[t] < PER_TYPE_CAP:
            per_type[t] += 1
            examples.append((t, features(framed)))
    patient_words: dict[str, set[str]] = defaultdict(set)  # word -> the types it frames
    for line in (ROOT / "scripts/patient_type_examples.tsv").read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        t, q = line.split("\t", 1)
        framed = ["x" if w == "x" else w for w in words(q)]
        for w in set(framed) - STOP:
            if len(w) > 2:
                patient_words[w].add(t)
        for _ in range(3):  # a few hand examples weigh like a few template questions
            examples.append((t, features(framed)))
    framing = {}
    for w, n in framing_uses.items():
        share = n / (n + focus_uses[w])
        if n >= MIN_FRAMING_USES and share >= MIN_FRAMING_SHARE:
            framing[w] = round(share, 3)
    topical = {t: min(heads[t], 9) for t, n in sorted(in_focus.items())
               if heads[t] >= max(MIN_HEADS, HEAD_SHARE * n) or n >= MIN_TOPIC_FOCI}
    # Patients frame questions in words MedQuAD's templates never use ("what happens if",
    # "is there something else"): a word of the patient wordings that frames questions of
    # several types and heads no medical topic frames too ("beer" in one diet wording does not).
    for w, its_types in sorted(patient_words.items()):
        if len(its_types) >= 2 and w not in framing and stem(w) not in topical:
            framing[w] = 1.0
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    doc_freq: Counter[str] = Counter()
    for t, feats in examples:
        counts[t].update(feats)
        doc_freq.update(set(feats))
    vocab = sorted(f for f, n in doc_freq.items() if n >= MIN_FEATURE_COUNT)
    keep = set(vocab)
    n_types = Counter(t for t, _ in examples)
    total = sum(n_types.values())
    model_types = sorted(n_types)
    loglik: dict[str, dict[str, float]] = {}
    default: dict[str, float] = {}
    for t in model_types:
        c = counts[t]
        denom = sum(v for f, v in c.items() if f in keep) + len(vocab)
        default[t] = round(math.log(1 / denom), 3)
        for f in vocab:
            if c[f]:
                loglik.setdefault(f, {})[t] = round(math.log((c[f] + 1) / denom), 3)
    model = {
        "_about": ("Learnt by scripts/build_question_model.py from MedQuAD questions (Ben Abacha & "
                   "Demner-Fushman, BMC Bioinformatics 2019; https://github.com/abachaa/MedQuAD; "
                   "CC BY 4.0) and scripts/patient_type_examples.tsv. Do not edit by hand: rerun "
                   "the script. framing: word -> share of its MedQuAD uses outside the question's "
                   "focus. types: multinomial naive Bayes over framing words and word pairs "
                   "(focus = 'x'). topical: stems of MedQuAD focus words -> how many foci they head (capped at 9)."),
        "framing": dict(sorted(framing.items())),
        "topical": topical,
        "modifiers": sorted(w for w, f in modifier_foci.items()
                            if len(f) >= MIN_MODIFIER_FOCI and len(w) > 3 and w not in ("and", "with")),
        "prior": {t: round(math.log(n_types[t] / total), 3) for t in model_types},
        "default": default,
        "loglik": loglik,
        "trained_on": {t: n_types[t] for t in model_types},
    }
    out = ROOT / "bot/data/question_model.json"
    out.write_text(json.dumps(model, ensure_ascii=False, separators=(",", ":")) + "\n", encoding="utf-8")
    print(f"{len(framing)} framing words, {len(vocab)} features, {len(model_types)} types, "
          f"{total} examples -> {out} ({out.stat().st_size // 1024} KB)")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else str(ROOT.parent / "shared/data/medquad_questions.jsonl"))
