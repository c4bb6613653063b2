"""A synthetic library of patient leaflets, for benchmarks and scale tests.

`generate(folder, passages=N)` writes .txt leaflets whose passages look like the guide's:
headings, paragraphs of realistic length, bulleted lists with an introducing sentence, and
tables flattened one row per line. Words follow a Zipf-like law over a vocabulary built around
the guide's own words, so real questions still find real-looking passages. Deterministic.
"""

from __future__ import annotations

import random
import re
from pathlib import Path

GUIDE = Path(__file__).resolve().parent.parent / "corpus" / "advanced-breast-cancer.txt"
FUNCTION = ("the of and to in is for with that your may be are or as can by this it on "
            "an if you from have which will when not but".split())
SYLLABLES = ("ba be bi bo ca ce ci co da de di do fa fe fi ga ge go la le li lo ma me mi mo "
             "na ne ni no pa pe pi po ra re ri ro sa se si so ta te ti to va ve vi zo").split()


def vocabulary(size: int, rng: random.Random) -> list[str]:
    """Guide words first (most frequent), then invented medical-sounding words."""
    text = GUIDE.read_text(encoding="utf-8").lower()
    guide = list(dict.fromkeys(w for w in re.findall(r"[a-z][a-z-]{2,}", text)))
    rng.shuffle(guide)
    words = list(dict.fromkeys(guide))
    seen = set(words)
    while len(words) < size:
        w = "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4)))
        w += rng.choice(["", "ne", "mab", "nib", "tide", "sis", "al", "ic", "ine"])
        if w not in seen:
            seen.add(w)
            words.append(w)
    return words


class Writer:
    def __init__(self, rng: random.Random, words: list[str]):
        self.rng = rng
        self.words = words
        weights = [1.0 / (r + 10) ** 1.05 for r in range(len(words))]
        self.cum = []
        total = 0.0
        for w in weights:
            total += w
            self.cum.append(total)

    def word(self, content: bool = False) -> str:
        if not content and self.rng.random() < 0.35:
            return self.rng.choice(FUNCTION)
        return self.rng.choices(self.words, cum_weights=self.cum)[0]

    def sentence(self, lo: int = 8, hi: int = 20) -> str:
        ws = [self.word() for _ in range(self.rng.randint(lo, hi))]
        return ws[0].capitalize() + " " + " ".join(ws[1:]) + "."

    def paragraph(self) -> str:
        return " ".join(self.sentence() for _ in range(self.rng.randint(2, 6)))

    def heading(self) -> str:
        return " ".join(self.word().capitalize() for _ in range(self.rng.randint(1, 4)))


def leaflet(w: Writer, number: int) -> tuple[str, int]:
    """One document and how many passages it should split into."""
    rng = w.rng
    lines = [f"Leaflet {number}: {w.heading()}", ""]
    count = 0
    for _ in range(rng.randint(3, 7)):
        lines += [w.heading(), ""]
        for _ in range(rng.randint(1, 4)):
            lines += [w.paragraph(), ""]
            count += 1
        roll = rng.random()
        if roll < 0.3:
            lines += [w.sentence(6, 12)[:-1] + ":", ""]
            lines += [f"  • {w.word(True)} ({w.word(True).capitalize()})" for _ in range(rng.randint(3, 8))]
            lines.append("")
            count += 1
        elif roll < 0.45:
            rows = rng.randint(4, 10)
            lines += [f"Table {number % 9 + 1}. {w.heading()}", "", "Drug Category"]
            lines += [f"{w.word(True)} ({w.word(True).capitalize()}) {w.sentence(3, 9)[:-1]}" for _ in range(rows)]
            lines.append("")
            count += rows
    return "\n".join(lines) + "\n", count


def generate(folder: Path | str, passages: int, seed: int = 0) -> int:
    """Write leaflets into `folder` until about `passages` passages; returns the estimate."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    w = Writer(rng, vocabulary(max(5000, passages // 2), rng))
    total, n = 0, 0
    while total < passages:
        text, count = leaflet(w, n)
        (folder / f"leaflet-{n:05d}.txt").write_text(text, encoding="utf-8")
        total += count
        n += 1
    return total


REAL = [
    "What is Herceptin used for?", "What are the hormone therapy options?", "tamoxifin",
    "What is palliative care?", "Can I take a break from treatment?", "brain metastases radiation",
    "What is Kadcyla?", "chemo side effects", "What is a clinical trial?", "hospice at home",
    "How does targeted therapy work?", "What is triple negative breast cancer?",
]


def questions(n: int, seed: int = 0) -> list[str]:
    """Varied questions: real patient questions and word mixes drawn like the library."""
    rng = random.Random(seed)
    w = Writer(rng, vocabulary(5000, random.Random(seed)))
    out = []
    for i in range(n):
        if i % 3 == 0:
            out.append(REAL[(i // 3) % len(REAL)])
        else:
            out.append("what is " + " ".join(w.word() for _ in range(rng.randint(1, 5))) + "?")
    return out
