"""Red flags and advice-seeking, checked on the raw question before retrieval.

Matching runs on the normalised text before any stopword removal, so "can't breathe" and
"no" survive, and again on that text corrected towards the red-flag vocabulary
(flagspell.py), so "cant breth" and "feaver" are caught too. The rules live in
data/red_flags.txt for clinical review; its header states what earns a flag.

A sign is flagged when it is reported, not when it is asked about in general: a general question
("can chemo cause bleeding gums?", "what is febrile neutropenia?") matches a `question` line of
red_flags.txt and no `report` line (a person, a reading, "is it serious", "what do I do"), and
then the emergency and urgent rules are not applied. Crisis wording always flags,
unless it is only told as a story someone else wrote or said in a blog, a film, a forum (a
`story` line).

A small learned model (flagmodel.py) sits beside the rules: it may add an alarm the rules missed
when it is very sure, and withdraw an emergency or urgent alarm that no `report` rule supports
when it is very sure the message is ordinary; never a crisis alarm. Its thresholds ship with it,
chosen on held-out blind sets (benchmarks/flag_model_sweep.txt).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from . import datafiles, flagmodel
from .flagspell import correct, unglue
from .prefilter import LazyRule, shipped_needs
from .sanitize import normalise

PRECEDENCE = ("emergency", "crisis", "urgent", "advice")
GENERAL = ("question", "report", "aside", "story", "context")  # not flags: the general-question test, asides
SIGNS = ("emergency", "urgent")  # the kinds a general question does not raise
_DEFINE = re.compile(r"\{([A-Z]+)\}")


@dataclass(frozen=True)
class Flag:
    """The highest-precedence rule a question matched."""

    kind: str  # emergency | crisis | urgent | advice
    pattern: str


@cache
def rules() -> tuple[tuple[str, LazyRule], ...]:
    """(kind, rule) in file order, with every {NAME} replaced by its definition; each rule is
    compiled the first time a text holds one of the strings it needs (prefilter.py)."""
    patterns = expanded()
    needs = shipped_needs([p for _, p in patterns])
    return tuple((kind, LazyRule(p, n)) for (kind, p), n in zip(patterns, needs, strict=True))


def warm() -> None:
    """Compile every rule now (a long-running process, before its first questions), so no
    question pays for compiling the rules it is the first to need."""
    for _, rule in rules():
        rule.compile()


@cache
def expanded() -> tuple[tuple[str, str], ...]:
    """(kind, pattern) of every rule in file order, each {NAME} replaced by its definition."""
    defines: dict[str, str] = {}

    def expand(m: re.Match[str]) -> str:
        if m.group(1) not in defines:
            raise ValueError(f"red_flags.txt: {{{m.group(1)}}} is used before it is defined")
        return defines[m.group(1)]

    out = []
    for kind, pattern in datafiles.table("red_flags.txt"):
        if kind == "define":
            name, _, body = pattern.partition("|")
            defines[name.strip()] = _DEFINE.sub(expand, body.strip())
            continue
        if kind not in PRECEDENCE + GENERAL:
            valid = ", ".join(("define",) + PRECEDENCE + GENERAL)
            raise ValueError(f"red_flags.txt: unknown kind {kind!r}; valid: {valid}")

        out.append((kind, _DEFINE.sub(expand, pattern)))
    return tuple(out)


def flag_text(question: str) -> str:
    """The form red flags are matched on: normalised, hyphens as spaces, one space, and words
    typed without a space between them written apart where every piece is a word."""
    return unglue(normalise_spacing(question))


def flag_forms(question: str) -> tuple[str, ...]:
    """The texts every rule is tried on: as typed (words typed together written apart), and
    spelled towards the red-flag words, where a near red-flag word is read before a missed
    space ("brathe" is breathe, not "bra the"; "headacheso" is headaches, and "headache so"
    as typed), so both readings are tried; and, when a symbol or digit stands for a letter
    inside a word ("k!ll myself"), both readings again with the letter read in. The symbol
    reading is an extra form, never the only one: "pain!cant breathe" keeps its words."""
    spaced = normalise_spacing(question)
    lettered = _LEET.sub(lambda m: _LEET_LETTER[m.group()], spaced)
    return tuple(dict.fromkeys(form for text in dict.fromkeys((spaced, lettered))
                               for form in (unglue(text), correct(unglue(text, words=False)))))


# A symbol or digit typed for a letter inside a word, as people write round filters ("k!ll
# myself", "su1c1de", "d3ad"): read as the letter, only between two letters, so readings and
# doses ("38.5", "x2", "b12") stay as typed; tried as an extra form (flag_forms).
_LEET = re.compile(r"(?<=[a-z])[!1|3@0$](?=[a-z])")
_LEET_LETTER = {"!": "i", "1": "i", "|": "i", "3": "e", "@": "a", "0": "o", "$": "s"}
# The marks that part the entries of a log or a list ("06:00 temp 36.9 | 09:15 coughed up blood",
# "• bloods fine • clinic cancelled"): each entry is its own clause, as after a full stop, so
# a rule about one entry never runs on into the next. A bar between two letters is a letter
# typed for "i" (_LEET) and stays.
_ENTRY_MARK = re.compile(r"\s*(?:(?<![a-z])\|(?![a-z])|[\u2022\u2023\u25aa\u25e6\u2043\u00b7])\s*")
# Emoji, typed between a story and its question as a full stop or comma would be ("i'm fine now
# 👍 can chemo still go ahead?"): read as a comma, a clause's end (rules that look within a
# sentence still look across it).
_EMOJI = re.compile(r"\s*[\U0001F000-\U0001FAFF\u2600-\u27BF\u2B00-\u2BFF\uFE0F\u200D]+\s*")
# A reading said aloud or typed as said: "38 point 5" is 38.5.
_SAID_POINT = re.compile(r"\b(\d{2,3}) point (\d)\b")


def normalise_spacing(question: str) -> str:
    """Normalised, hyphens as spaces, one space, a reading said aloud as written ("38 point 5"):
    the text before any word is written apart."""
    text = _SAID_POINT.sub(r"\1.\2", normalise(question))
    text = _ENTRY_MARK.sub("; ", text)
    text = _EMOJI.sub(", ", text)
    text = re.sub(r"[-_/]+", " ", text)
    return re.sub(r"\s+", " ", text).strip()


def _general(forms: tuple[str, ...]) -> bool:
    return _asked(forms) and _report(forms) is None


def _asked(forms: tuple[str, ...]) -> bool:
    """A `question` rule matches: a question word first, and cause / side effect / common..."""
    return any(rx.search(t) for kind, rx in rules() if kind == "question" for t in forms)


def _report(forms: tuple[str, ...]) -> str | None:
    """The first `report` rule a form matches (someone has the sign, a reading, "what do I do")."""
    return next((rx.pattern for kind, rx in rules() if kind == "report"
                 for t in forms if rx.search(t)), None)


_CLAUSE = re.compile(r"\s*(?:[.?!;]+|,)\s*")


def _general_by_clause(text: str) -> bool:
    """Every clause naming a sign is a general question on its own, and every other clause is
    plain context (a `context` rule: no person, state, time or worry word; a relative's
    diagnosis; a wish to be prepared): "what is the first aid for a seizure, my mum has brain
    mets and I want to be prepared"."""
    clauses = [c for c in _CLAUSE.split(text) if c]
    sign = [c for c in clauses if any(rx.search(c) for kind, rx in rules() if kind in SIGNS)]
    if not sign and not any(rx.search(text) for kind, rx in rules() if kind in SIGNS):
        return True  # this form names no sign at all (a speller's split word), so reports none
    if len(clauses) < 2 or not sign:
        return False
    if not all(_asked((c,)) and _report((c,)) is None for c in sign):
        return False
    context = [rx for kind, rx in rules() if kind == "context"]
    return all(any(rx.search(c) for rx in context) for c in clauses if c not in sign)


def is_general_question(question: str) -> bool:
    """A question about a sign in general with no one reported as having it: it matches a
    `question` rule on one of its forms ("wat is" spelled "what is" counts), and no `report`
    rule on any of them. Stories and asides ("we're writing a care plan") are set aside first."""
    return _general(tuple(_set_aside(_set_aside(t, "story")) for t in flag_forms(question)))


def _set_aside(text: str, which: str = "aside") -> str:
    """The text without the `aside` group of each rule of kind `which`: an `aside` (a sign named
    as a hypothetical) is set aside for the sign rules, a `story` (someone else's words read or
    watched: "I read a blog where a woman said she wanted to die") for every rule."""
    for kind, rx in rules():
        if kind == which:
            while (m := rx.search(text)) and m.group("aside").strip():
                rest = text[m.end("aside") :]
                # An aside that opens the text leaves the rest to begin it, so a question
                # after a story set aside is read as the question it is.
                text = text[: m.start("aside")] + " " + rest if m.start("aside") else rest.lstrip(" ,;:.")
    return text


def matches(question: str) -> tuple[tuple[str, ...], dict[str, str]]:
    """The forms rules are tried on, and {kind: first matching rule} over every flag kind, plus
    "report" when a `report` rule matches (someone has the sign, a reading, "what do I do"). A
    general question raises no sign rule, and a sign named only in an aside ("in case of
    bleeding") raises none either; words told only as someone else's story raise no rule."""
    forms = flag_forms(question)
    told = tuple(_set_aside(t, "story") for t in forms)
    sign_forms = tuple(_set_aside(t) for t in told)
    report = _report(sign_forms)
    by_clause = report is not None and all(_general_by_clause(t) for t in sign_forms)
    if by_clause:
        report = None  # the words that read as a report sit in a clause of plain context
    # A general question after a clause of plain context ("Platelets were fine. Is nosebleeding
    # common on bevacizumab?") is asked clause by clause, not from the first word.
    general = report is None and (by_clause or _asked(sign_forms)
                                  or all(_general_by_clause(t) for t in sign_forms))
    skip = SIGNS if general else ()
    found: dict[str, str] = {}
    if report:
        found["report"] = report
    for kind, rx in rules():
        if kind in GENERAL or kind in skip:
            continue
        texts = sign_forms if kind in SIGNS else told
        if kind not in found and any(rx.search(t) for t in texts):
            found[kind] = rx.pattern
    return forms, found


def decide(found: dict[str, str], probs: dict[str, float] | None,
           t_add: float, t_veto: float) -> Flag | None:
    """The flag shown, from the rules' matches and the learned model's probabilities.

    The model may withdraw an emergency or urgent rule alarm (never crisis) when p(none) >=
    t_veto and no `report` rule matched (a reported sign is never withdrawn), and may add an
    alarm when the rules raise none (advice is no alarm) and 1 - p(none) >= t_add; the added
    kind is the model's most likely alarm kind."""
    if probs is not None and probs["none"] >= t_veto and "report" not in found:
        found = {k: v for k, v in found.items() if k not in SIGNS}
    top = next((k for k in PRECEDENCE if k in found), None)
    if probs is not None and top in (None, "advice") and 1.0 - probs["none"] >= t_add:
        kind = max(("emergency", "crisis", "urgent"), key=lambda k: probs[k])
        return Flag(kind, f"model:{1.0 - probs['none']:.2f}")
    return Flag(top, found[top]) if top else None


def check(question: str) -> Flag | None:
    """The most urgent rule that matches, or None, adjusted by the learned model
    (flagmodel.py) within the thresholds it ships with."""
    forms, found = matches(question)
    model = flagmodel.model()
    if model is None or "crisis" in found:
        return decide(found, None, 1.0, 1.0)
    return decide(found, model.probabilities(forms), model.t_add, model.t_veto)
