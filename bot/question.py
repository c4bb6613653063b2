"""The question model: what a question is about (focus), what it asks (type), what else it names.

Everything here is learnt from data (bot/data/question_model.json, rebuilt by
scripts/build_question_model.py from MedQuAD, CC BY 4.0) or reviewed (question_types.json):

- *framing* words ("brand names", "prescribed", "work", "used") are evidence of the question's
  type, never of another topic: they neither count against a passage's coverage nor decide
  the topic;
- a common English word that heads no medical topic in MedQuAD's foci ("sold", "called",
  "given") is *general*: it helps rank but never decides coverage; a topic word ("alcohol",
  "pain") is a *remaining keyword*, and a passage must cover it;
- the *type* comes from a small naive Bayes model over the framing words, the focus replaced
  by "x" as in MedQuAD's templates;
- a message of several sentences is asked on its question sentence(s); the story around them
  is weaker context.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources

TOPIC_HEADS = 3  # foci headed by a word for it to count fully as a topic
# A question concept's role: focus (a thing the documents name), content (a remaining
# keyword), background (what the whole document is about), framing (evidence of the type),
# general (a common word that is no topic), context (the story around the question).
ROLES = ("focus", "content", "background", "framing", "general", "context")
_WORD = re.compile(r"[a-z][a-z'-]*[a-z]|[a-z]")
SHORT_QUESTION = 5  # words: "What do they do?", "Who is that one for?", "Quick answer?"
# A colon before a question word ends a preamble too: "My mum has dementia so I'm asking for
# her: what do the doctors weigh up...?" asks the part after it.
_SENTENCE = re.compile(
    r"(?<=[.!?])\s+(?=\S)|\n+|(?<=:)\s+(?=(?:what|how|why|which|who|when|where|is|are|can|could"
    r"|do|does|should|will|would)\b)", re.IGNORECASE)
_DASH = re.compile(r"\s[-\u2013\u2014]\s+(?=(?:what|whats|what's|how|why|which|who|when|where|is|are"
                   r"|can|could|do|does|should|will|would)\b)", re.IGNORECASE)
# ...and a comma, when what follows is a question ending in "?" and what comes before tells
# rather than sets a condition: "i keep feeling sick after each round, is there any kind of care
# just for the sickness?" (not "If I get the team involved, do I have to stop my chemo?")
LONG_TAIL = 7  # words: a question after a comma long enough to say what it asks of its own
_COMMA = re.compile(r",\s+(?=(?:what|how|who|which|is|are|can|could|do|does|would|will)\b[^,]*\?\s*$)",
                    re.IGNORECASE)
_CONDITION = re.compile(r"(?:if|when|whenever|since|because|as|although|though|while|once|after|before"
                        r"|until|unless|so|and|but|or|what|whats|what's|how|why|which|who|when|where|is|are"
                        r"|can|could|do|does|did|should|will|would)\b", re.IGNORECASE)
# ...but "what kind of drug is that?" points at the drug the story names, not at the symptom
# told beside it: "My bones ache and my oncologist said letrozol - what kind of drug is that?";
# and "does that mean hospice?" names what it asks of the guide treatment the story names
_WHAT_KIND = re.compile(r"what\s+(?:kind|sort|type|class|group)\s+of\s+(?:a\s+)?(?:drug|medicine|medication"
                        r"|treatment|tablet|pill|injection|therapy)\s+is\s+(?:that|it|this)\b"
                        r"|(?:does|do|would|will|did)\s+(?:that|it|this)\s+mean\s+(?:hospice|palliative|chemo\w*"
                        r"|hormone|targeted|immunotherapy|radiation|radiotherapy|surgery)\b", re.IGNORECASE)
_POINTS_BACK = re.compile(r"\b(?:it|its|it's|that|this|these|those|them)\b", re.IGNORECASE)
_ASKS = re.compile(
    r"^(what|whats|what's|which|who|whom|whose|why|how|when|where|is|are|was|were|do|does|did|"
    r"can|could|should|would|will|may|might|has|have|had|any|tell|explain|please)\b"
)
# An indirect question inside a story asks too: "she asked me how those work", "I'm wondering
# whether it is hormone therapy", "we want to know why", "not sure what that means".
_ASKS_INDIRECTLY = re.compile(
    r"\b(?:ask(?:s|ed|ing)?(?:\s+(?:me|us|him|her|them|you|the\s+doctor))?|wonder(?:s|ed|ing)?"
    r"|(?:want|wanted|like|need|needs|wants)\s+to\s+know|not\s+sure|unsure|curious|confused"
    r"|(?:don't|dont|do\s+not|didn't|did\s+not)\s+(?:know|understand))"
    r"\s+(?:about\s+)?(?P<q>how|what|why|whether|if|when|which|who|where)\b"
)


@cache
def _model() -> dict:
    text = resources.files("bot.data").joinpath("question_model.json").read_text(encoding="utf-8")
    return json.loads(text)


@cache
def _framing() -> frozenset[str]:
    return frozenset(_model()["framing"])


@cache
def _topical() -> dict[str, int]:
    return _model()["topical"]


@cache
def _types_file() -> dict:
    """question_types.json as written: the types, and the reviewed word lists ("_drug_forms",
    "_patients", "_history"), read once."""
    text = resources.files("bot.data").joinpath("question_types.json").read_text(encoding="utf-8")
    return json.loads(text)


@cache
def _modifiers() -> frozenset[str]:
    return frozenset(_model()["modifiers"]) | frozenset(_types_file()["_drug_forms"])


@cache
def _stop() -> frozenset[str]:
    from .analyzer import default_stopwords

    return default_stopwords() | {"x"}


@cache
def question_types() -> dict[str, dict]:
    return {k: v for k, v in _types_file().items() if not k.startswith("_")}


def type_name(qtype: str) -> str:
    """The reviewed wording of a type for the fixed 'doesn't cover {type}' message."""
    return str(question_types().get(qtype, {}).get("name", qtype))


@cache
def _asks() -> frozenset[str]:
    return frozenset(w for spec in question_types().values() for w in spec.get("asks", ()))


def is_framing(surface: str) -> bool:
    """A word MedQuAD's questions use mostly outside their focus (singular or plural), or one
    a reviewed question type lists as asking for a form of answer ("list")."""
    w = surface.casefold()
    if w in _asks():
        return True
    f = _framing()
    return w in f or (w.endswith("s") and w[:-1] in f) or (w + "s") in f


def is_topical(term: str) -> bool:
    """A stem of a word MedQuAD's foci are made of: a medical topic, not question framing."""
    return term in _topical()


def topic_strength(term: str) -> float:
    """How clearly a stem names a medical topic: 1.0 when it heads several MedQuAD foci
    ("pain", "alcohol"), less when one or two ("stay", "matter") or when it is only in many
    foci ("dental"), 0 when it is in none."""
    heads = _topical().get(term)
    if heads is None:
        return 0.0
    # a word in many foci that heads none ("dental" in "dental care") is still a topic, weakly
    return min(1.0, max(heads, 1) / TOPIC_HEADS)


@cache
def _patients() -> frozenset[str]:
    return frozenset(_types_file()["_patients"])


def is_patient_word(surface: str) -> bool:
    """A word for who the patient is ("men", "a man"; reviewed in question_types.json)."""
    return surface.casefold() in _patients()


@cache
def _history() -> frozenset[str]:
    return frozenset(_types_file()["_history"])


def asks_history(surface: str) -> bool:
    """A word asking for a treatment's history ("invented", "discovered"; reviewed in
    question_types.json): a topic, not a common word."""
    return surface.casefold() in _history()


def is_modifier(surface: str) -> bool:
    """A drug-form word ("injection", "oral"; lay forms reviewed in question_types.json:
    "jab", "implant") that is part of the drug's name."""
    return surface.casefold() in _modifiers()


def split_sentences(text: str) -> list[str]:
    """The sentences of a message (at least one)."""
    parts = [p.strip() for p in _SENTENCE.split(text) if p.strip()] or [text]
    return [s for p in parts for s in _after_dash(p)]


def _after_dash(sentence: str) -> list[str]:
    """A symptom told first, then a dash (or a comma) and a question of its own, is two
    sentences: "I've lost my appetite and feel sick - would a dietitian be on the team?" asks
    the part after it.
    Not a name set before the question ("Kisqali - is that for...?", fewer than four words), a
    quotation ("'...' - where is it?"), nor a question pointing back at what the dash follows
    ("a metallic taste on chemo - how long does that last?": the taste is what it asks about),
    unless it asks what kind of drug the thing pointed at is."""
    m = _DASH.search(sentence)
    comma = not m
    m = m or _COMMA.search(sentence)
    if not m:
        return [sentence]
    head, tail = sentence[: m.start()].strip(), sentence[m.end() :].strip()
    if len(head.split()) < 4 or head[-1] in "'\"\u2019\u201d":
        return [sentence]
    if _POINTS_BACK.search(tail) and not _WHAT_KIND.match(tail):
        return [sentence]
    if comma and (_CONDITION.match(head) or len(tail.split()) < LONG_TAIL):
        return [sentence]  # "My hip is still sore, what can I do?": the head says what about
    return [head, tail]


def _names_a_thing(sentence: str) -> bool:
    """The sentence holds a word no English word list holds, a stopword aside: a name (a drug,
    a receptor: "HER2", "Kisqali"), not only question words and pronouns."""
    from .spelling import english_words

    stop = _stop()
    return any(w not in stop and not w.isdigit() and w not in english_words()
               for w in re.findall(r"[^\W_]+", sentence.casefold()))


def split_story(text: str) -> tuple[str, str]:
    """(the question sentence(s), the story around them) of a message.

    One sentence is all question. Of several, the question sentences are those ending in "?",
    opening with a question word or asking indirectly ("she asked me how they work"); if none
    does, the last sentence.
    """
    parts = split_sentences(text)
    if len(parts) <= 1:
        return text, ""
    asks = [i for i, p in enumerate(parts) if p.endswith("?") or _ASKS.match(p.casefold())]
    # An indirect question ("she asked me how those work") asks when no direct question does,
    # or when the direct ones are too short to say what they are about ("What do they do?");
    # a short one naming a thing ("What is HER2 exactly?") says what it is about.
    leads: dict[int, str] = {}
    if all(len(parts[i].split()) <= SHORT_QUESTION and not _names_a_thing(parts[i]) for i in asks):
        for i, p in enumerate(parts):
            m = _ASKS_INDIRECTLY.search(p.casefold())
            if i not in asks and m:
                parts[i] = p[m.start("q"):]  # the question itself, not who asked it
                # what the sentence told before it ("I've been reading about the new targeted
                # pills and I want to know why she isn't getting one") stays in the story
                lead = p[:m.start("q")].strip(" ,;:-")
                leads[i] = f"{lead}." if lead else ""
                asks.append(i)
        asks.sort()
    if not asks:
        asks = [len(parts) - 1]
    question = " ".join(parts[i] for i in asks)
    story = " ".join(leads.get(i, "") if i in asks else p for i, p in enumerate(parts)
                     if i not in asks or leads.get(i))
    return question, story


@dataclass(frozen=True)
class TypeGuess:
    """The most likely question type, its probability, and every type's probability."""

    qtype: str | None
    prob: float
    probs: tuple[tuple[str, float], ...] = ()
    evidence: int = 0  # how many of the question's features the model knows

    def said_by(self) -> tuple[str, ...]:
        """Words with which a passage still answers a question of a type the documents do not
        answer ("caused by" for "what causes drug resistance?"; question_types.json `said_by`)."""
        return tuple(question_types().get(self.qtype or "", {}).get("said_by") or ())

    def answer_words(self) -> tuple[str, ...]:
        """Words a passage must hold to answer a question of this type ("side effects"), when
        the guess is confident and the type names any (question_types.json `evidence`)."""
        if self.prob < 0.5:
            return ()
        return tuple(question_types().get(self.qtype or "", {}).get("evidence") or ())


def classify(framed: list[str]) -> TypeGuess:
    """Naive Bayes over framing words and adjacent pairs (the learnt model)."""
    m = _model()
    stop = _stop()
    feats = [w for w in framed if w not in stop]
    feats += [f"{a} {b}" for a, b in zip(framed, framed[1:], strict=False)
              if a not in stop or b not in stop]
    known = [f for f in feats if f in m["loglik"]]
    if not known:
        return TypeGuess(None, 0.0)
    scores = {}
    for t, prior in m["prior"].items():
        d = m["default"][t]
        scores[t] = prior + sum(m["loglik"][f].get(t, d) for f in known)
    top = max(scores.values())
    exp = {t: math.exp(s - top) for t, s in scores.items()}
    total = sum(exp.values())
    probs = sorted(((t, v / total) for t, v in exp.items()), key=lambda x: -x[1])
    return TypeGuess(probs[0][0], probs[0][1], tuple(probs[:5]), len(known))


def words_of(text: str) -> list[str]:
    return _WORD.findall(text.casefold().replace("\u2019", "'"))
