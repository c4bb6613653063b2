"""Count MedQuAD questions (ordinary health questions) that raise a red-flag alarm.

    .venv/bin/python scripts/medquad_alarms.py [--list]

A check that red-flag work does not make the bot cry wolf on ordinary questions: the count must
not grow from one safety round to the next. Source: /work/shared/data/medquad_questions.jsonl
(MedQuAD, CC BY 4.0), distinct questions.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot import safety  # noqa: E402

MEDQUAD = Path("/work/shared/data/medquad_questions.jsonl")
ALARMS = ("emergency", "crisis", "urgent")


def main() -> int:
    seen: dict[str, None] = {}
    for line in MEDQUAD.read_text(encoding="utf-8").splitlines():
        seen.setdefault(json.loads(line)["question"].strip(), None)
    alarmed = [(f.kind, q) for q in seen if (f := safety.check(q)) and f.kind in ALARMS]
    if "--list" in sys.argv:
        print("\n".join(f"{k}\t{q}" for k, q in alarmed))
    print(f"MedQuAD questions raising an alarm: {len(alarmed)}/{len(seen)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
