"""Red flags survive hurried typing, by construction: every row of every safety battery is typed
again the ways a hurried typist does (seeded, so the same typos every run), and an alarm must stay
an alarm of the same or a higher kind while an ordinary question must stay quiet."""

from __future__ import annotations

import random
import re
from collections.abc import Callable
from pathlib import Path

import pytest

from bot import flagspell, safety
from bot.spelling import english_words

DATA = Path(__file__).resolve().parent.parent / "data"
BATTERIES = ("safety_test.tsv", "safety_dev.tsv", "safety_redteam.tsv", "safety_blind2.tsv",
             "safety_blind3.tsv", "safety_blind4.tsv", "safety_blind5.tsv", "safety_blind6.tsv",
             "safety_general.tsv")
ALARMS = ("emergency", "crisis", "urgent")  # highest precedence first
_WORD = re.compile(r"[a-z]+")
WORDS_UNDER_3 = frozenset("a i am an as at be by do go he if in is it me my no of oh ok on or so to up us "
                          "we".split())  # english_words() starts at three letters


def rows() -> list[tuple[str, str]]:
    """(expected kind, message) of every battery row."""
    out = []
    for name in BATTERIES:
        for line in (DATA / name).read_text(encoding="utf-8").splitlines():
            if line.strip() and not line.startswith("#"):
                kind, _, text = line.split("\t")
                out.append((kind, text))
    return out


def _sign_word(text: str, rng: random.Random) -> re.Match[str] | None:
    """A word of the red-flag vocabulary in the text (where a typo matters), else None."""
    flags, _ = flagspell.vocabulary()
    found = [m for m in _WORD.finditer(text.lower()) if len(m.group()) >= 4 and m.group() in flags]
    return rng.choice(found) if found else None


def _a_word(typed: str) -> bool:
    """A slip that makes another real word ("pain" -> "pin", "stop" -> "stoop", "go on" ->
    "goon") cannot be read back by any speller without the sentence's meaning, so the slips
    below never make one: they are drawn among those that leave a non-word."""
    typed = typed.lower()
    return typed in english_words() or typed in flagspell.vocabulary()[0] or typed in WORDS_UNDER_3


def _retype(text: str, rng: random.Random, edit: Callable[[str], list[str]]) -> str:
    m = _sign_word(text, rng)
    if m is None:
        return text
    slips = [w for w in edit(text[m.start() : m.end()]) if not _a_word(w)]
    return text[: m.start()] + rng.choice(slips) + text[m.end() :] if slips else text


def _drop_vowel(word: str) -> list[str]:
    return [word[:i] + word[i + 1 :] for i in range(1, len(word)) if word[i].lower() in "aeiou"]


def _double(word: str) -> list[str]:
    return [word[: i + 1] + word[i] + word[i + 1 :] for i in range(1, len(word))]


def _swap(word: str) -> list[str]:
    return [word[:i] + word[i + 1] + word[i] + word[i + 2 :] for i in range(1, len(word) - 1)
            if word[i] != word[i + 1]]


def _run_together(text: str, rng: random.Random) -> str:
    """Two neighbouring words typed without the space, one of them a sign word if there is one.
    Both are real words: a misspelling run into another word ("shepassd", "pianrly") is two
    slips in one, and a speller that untangled those would also read "heparin" as "he pain"."""
    words = text.split(" ")
    pairs = [i for i in range(len(words) - 1) if not _a_word(words[i] + words[i + 1])
             and _a_word(words[i].strip(",.?!")) and _a_word(words[i + 1].strip(",.?!"))]
    m = _sign_word(text, rng)
    if m is not None:
        at = text[: m.start()].count(" ")
        pairs = [i for i in (at - 1, at) if i in pairs] or pairs
    if not pairs:
        return text
    i = rng.choice(pairs)
    return " ".join(words[:i] + [words[i] + words[i + 1]] + words[i + 2 :])


PERTURBATIONS: dict[str, Callable[[str, random.Random], str]] = {
    "no apostrophes": lambda t, r: t.replace("'", "").replace("\u2019", ""),
    "a vowel dropped": lambda t, r: _retype(t, r, _drop_vowel),
    "a letter doubled": lambda t, r: _retype(t, r, _double),
    "two letters swapped": lambda t, r: _retype(t, r, _swap),
    "all caps": lambda t, r: t.upper(),
    # A point between digits is part of a reading ("38.5"), not punctuation a typist leaves out.
    "no punctuation": lambda t, r: re.sub(r"\s+", " ", re.sub(r"(?!(?<=\d)[.,]\d)[^\w\s'\u2019]", " ",
                                                              t)).strip(),
    "two words run together": _run_together,
}


def perturb(kind: str, text: str) -> str:
    """The message typed with one kind of slip, the same slip every run."""
    return PERTURBATIONS[kind](text, random.Random(f"{kind}\t{text}"))


def kind_of(text: str) -> str:
    flag = safety.check(text)
    return flag.kind if flag else "none"


def at_least(got: str, expected: str) -> bool:
    """An alarm of the expected kind or a more urgent one."""
    return got in ALARMS and ALARMS.index(got) <= ALARMS.index(expected)


ROWS = rows()


@pytest.mark.parametrize("slip", PERTURBATIONS)
def test_a_hurried_alarm_still_raises_the_alarm(slip):
    missed = [(kind, typed, got) for kind, text in ROWS if kind in ALARMS
              for typed in [perturb(slip, text)] if not at_least(got := kind_of(typed), kind)]
    assert not missed, "\n".join(f"{k} -> {g}: {t}" for k, t, g in missed)


@pytest.mark.parametrize("slip", PERTURBATIONS)
def test_a_hurried_ordinary_question_stays_quiet(slip):
    alarmed = [(typed, got) for kind, text in ROWS if kind not in ALARMS
               for typed in [perturb(slip, text)] if (got := kind_of(typed)) in ALARMS]
    assert not alarmed, "\n".join(f"{g}: {t}" for t, g in alarmed)


def test_the_slips_change_the_words_a_rule_reads():
    text = "I can't breathe, my chest hurts!"
    typed = {slip: perturb(slip, text) for slip in PERTURBATIONS}
    assert typed["no apostrophes"] == "I cant breathe, my chest hurts!"
    assert typed["all caps"] == text.upper()
    assert typed["no punctuation"] == "I can't breathe my chest hurts"
    assert all(typed[s] != text for s in PERTURBATIONS)
    assert len(set(typed.values())) == len(PERTURBATIONS)


@pytest.mark.parametrize("slip", [s for s in PERTURBATIONS if s not in ("no apostrophes", "no punctuation")])
def test_each_slip_retypes_most_alarms(slip):
    """Slips that would make a real word are left out by construction; most rows still change."""
    alarms = [text for kind, text in ROWS if kind in ALARMS]
    assert sum(perturb(slip, text) != text for text in alarms) >= 0.6 * len(alarms)
