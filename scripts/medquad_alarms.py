#!/usr/bin/env python3
"""Count the red-flag replies over MedQuAD's consumer questions: a change to the red-flag rules,
the speller or the learned model must not make this count grow.

MedQuAD's questions are general ("What are the symptoms of seizures?"); the few that do flag name
an emergency in their own words ("What to do for an overdose of X?"). Run before and after a
change and compare; --list prints the questions that flag, --diff FILE the ones not in FILE (a
--list output saved before the change).

Source: MedQuAD (Ben Abacha & Demner-Fushman 2019), CC BY 4.0, via ../shared/data/.
Usage:  python scripts/medquad_alarms.py [../shared/data/medquad_questions.jsonl] [--list | --diff FILE]
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot import safety  # noqa: E402

DEFAULT = ROOT.parent / "shared" / "data" / "medquad_questions.jsonl"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("path", nargs="?", default=str(DEFAULT))
    ap.add_argument("--list", action="store_true", help="print each flagged question with its kind")
    ap.add_argument("--diff", metavar="FILE", help="print flagged questions not in a saved --list")
    a = ap.parse_args()
    questions = dict.fromkeys(json.loads(line)["question"].strip()
                              for line in Path(a.path).read_text(encoding="utf-8").splitlines() if line.strip())
    before = set(Path(a.diff).read_text(encoding="utf-8").splitlines()) if a.diff else None
    kinds: Counter[str] = Counter()
    for q in questions:
        flag = safety.check(q)
        if flag is None:
            continue
        kinds[flag.kind] += 1
        line = f"{flag.kind}\t{q}"
        if a.list or (before is not None and line not in before):
            print(line)
    alarms = sum(n for k, n in kinds.items() if k != "advice")
    print(f"# {len(questions)} questions: {alarms} alarms "
          + " ".join(f"{k} {kinds[k]}" for k in ("emergency", "crisis", "urgent", "advice")),
          file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
