"""The one place that decides: quote the best passages, or decline (and say why honestly).

Quote when the question's focus is in the documents, its type is one the document answers,
and the best passage covers the remaining keywords. Concretely, in order:

1. a question whose type (bot/question.py) every loaded document declares it does not answer
   (manifest `does_not_answer`), with a confident type guess, is declined as "the guide doesn't
   cover <type>";
2. a question matching a `not_covered` pattern every document declares is declined (fallback);
3. otherwise a small logistic model over a few features of the best passage - coverage of the
   focus and remaining keywords, whether the focus is found (a named thing in the best passage,
   or every topic word in the heading of its section: a clinic page's "Scalp cooling"), score ratios top1/top2 and
   top1/mean, how much of the type guess is on types the document does not answer, whether a
   named thing or guide topic of the question is left out of the best passage - gives the
   probability that quoting is right. It was calibrated on the DEV questions only
   (scripts/calibrate_decision.py, bot/data/decision_model.json); at or above its threshold the
   passages are quoted, below it the reply is "I couldn't find a passage that answers that";
4. a type with `evidence` words (side effects) is answered only by passages holding one: a
   table row naming tamoxifen does not answer "what are the side effects of tamoxifen?".

Declines carry the best candidates as `related` pointers, never presented as answers.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources

from . import question as qmodel
from .lexicon import Concept, Expansion, is_that_a, is_that_step
from .models import Document, Hit, Passage
from .passages import BULLET

# The types asking how much of a drug is taken: a guess split between them asks a dose.
_DOSE_TYPES = frozenset({"dose", "missed_dose", "overdose"})
# The asker speaks of their own care ("right for me", "my tamoxifen"): a personal question.
_PERSONAL = re.compile(r"\b(?:i|i'm|im|i've|ive|i'd|me|my|mine|myself|we|our|us)\b")
# A question that only checks a claim told before it ("Is that true?", "Does it work?", "Does
# the guide mention it?"): what it is about is said in the sentences before it.
_CHECKS_CLAIM = re.compile(
    r"(?:is|isn't|was) (?:that|this|it|any of (?:that|this)) (?:really |actually )?(?:true|right|correct|real|"
    r"so|a myth|legit)"
    r"|(?:does|do|did|can|could|will|would) (?:it|that|this|these|those|they) (?:really |actually )?"
    r"(?:work|help|do anything)"
    r"|(?:does|do|did) (?:the guide|it) (?:say|mention|cover|talk about|discuss) (?:so|that|it|this|them|these|"
    r"those|anything about (?:it|that|this|them))"
    r"|(?:are|is) (?:these|those|they|it|that|this) (?:covered|mentioned|discussed)(?: in (?:the|your) guide)?"
    r"|should i (?:stop|keep) (?:taking |using )?(?:it|them|that|this)"
)


# A bare request for help after a story ("Is there any help out there for people like us?", "what
# help is there for us?", "who can help us?"): what it needs help with is said before it
_ASKS_HELP = re.compile(
    r"(?:is|are) there (?:any |some )?(?:help|support|assistance)(?: (?:out there|available|anywhere))?"
    r"|what (?:help|support|assistance) (?:is|are) there(?: out there| available)?"
    r"|(?:where|how) (?:can|could|do|should) (?:i|we|she|he|they) (?:get|find) (?:any |some )?"
    r"(?:help|support|assistance)"
    r"|(?:who|can anyone|can anybody|can someone|is there anyone|is there anybody) (?:can |could )?help"
    r"(?: (?:me|us|her|him|them))?")
_FOR_US = re.compile(r"(?: for (?:people|families|someone|somebody|folks|us|me|her|him|them)"
                     r"(?: (?:like|in) (?:us|me|her|him|them|our situation|my situation|this situation))?)?")


# A thing the story introduces by its name ("I might be offered something called SIRT or liver
# ablation"), and a question pointing back at it ("Can you explain how that works?")
_CALLED = re.compile(r"\b(?:something|a thing|an? (?:new )?(?:drug|treatment|procedure|tablet|pill|injection|therapy|"
                     r"operation|option|medicine|medication))\s+(?:called|named|known as)\s+([^.?!,;]+)")
_POINTS = re.compile(r"\b(?:that|this|it|its|it's|they|them|those|these)\b")


def _called(normalised: str, asked: str) -> list[str]:
    """The names the story introduces as "something called X", when the question points back."""
    story = qmodel.split_story(normalised)[1]
    return [m.group(1) for m in _CALLED.finditer(story)] if _POINTS.search(asked) else []


def _checks_claim(asked: str) -> bool:
    """Every sentence of the question only checks something said before it ("Is that true?"),
    or only asks for help with it ("Is there any help out there for people like us?")."""
    parts = [p.strip(" ?!.,") for p in qmodel.split_sentences(asked)]
    return bool(parts) and all(_CHECKS_CLAIM.fullmatch(p) or _bare_help(p) for p in parts)


def _bare_help(part: str) -> bool:
    m = _ASKS_HELP.match(part)
    return bool(m) and _FOR_US.fullmatch(part, m.end()) is not None


# A dose already missed: what to do now, which no row of the drug says ("forgot my pill")
_MISSED = re.compile(r"\b(?:miss|missed|missing|misses|forgot|forget|forgotten|forgetting|skip|skipped|"
                     r"skipping|skips)\b(?:\W+\w+){0,4}?\W+(?:doses?|pills?|tablets?|injections?|"
                     r"shots?|capsules?|infusions?)\b")
# A question asking which drugs or options there are, answered by a list of them
_LISTED = r"(?:drugs|medicines|medications|options|treatments|therapies|pills|tablets|blockers)"
_ASKS_LIST = re.compile(
    rf"\bwhich\b(?: \w+){{0,3}}? {_LISTED}\b|\blists? of\b(?: \w+){{0,3}}? {_LISTED}\b"
    rf"|\bwhat are the (?:usual|common|main|standard|typical) (?:\w+ ){{0,2}}?{_LISTED}\b"
    rf"|\bwhat (?:other |different |kinds? of |types? of |sorts? of )(?:\w+ ){{0,2}}?{_LISTED}\b"
    rf"|\bwhat (?:\w+ ){{0,2}}?{_LISTED} (?:are|is) "
    r"(?:there|available|used|commonly|usually|given|offered|on offer)\b")
# "What things / factors does the doctor weigh up?": a bulleted list of them answers first
_ASKS_FACTORS = re.compile(r"\bwhat (?:sort of |sorts of |kinds? of |types? of |other )?(?:things|factors)\b")
# "What kinds of treatment are there?": answered by the passage naming the kinds, the sections
_ASKS_KINDS = re.compile(r"\bwhat (?:other |different |main )?(?:kinds?|sorts?|types?) of (?:treatments?|"
                         r"therap(?:y|ies)|options?)\b"
                         r"|\bwhat (?:treatments?|therapies|options) (?:are|is) (?:there|available|possible)\b")
# "Why did my letrozole stop working?": asks for a cause
# (asked outright, not "is anyone researching why drugs stop working?")
_ASKS_WHY = re.compile(r"(?:^|[.?!,;:]\s*|\b(?:and|but|so|just)\s+)why\b|\bwhy\s*[?.!]*\s*$")
# A question setting one treatment against another: "instead of", "rather than", "versus"
_CONTRAST = re.compile(r"\b(?:instead of|rather than|versus|vs\.?|compared (?:to|with)|in place of)\b")
# A staff look-up asking for a table itself ("which table lists the targeted drugs?", "where is
# the hormone drug table?"): the table's rows answer, printed under its caption
_ASKS_TABLE = re.compile(r"\b(?:tables?|charts?)\b")
# Words quoted in the question ("checking a quote: 'the best doctors may have different
# opinions'"): a passage holding them word for word is where they are
_QUOTE = re.compile(r"(?:^|(?<=[\s:(\[-]))[\"'\u2018\u201c](.{12,240}?)[\"'\u2019\u201d](?!\w)")
QUOTE_WORDS = 4  # a quotation this long is one passage's own words, not a common phrase
TIE_RATIO, TIE_GAP = 0.9, 0.25  # near tie: score within 10%, coverage a quarter higher
KEEP_SHARE = 0.5  # answers besides the best cover at least half as much of the question
RELATED = 3
KINDS_NAMED = 4  # a passage naming this many treatment sections says what kinds there are
HOW_LONG_SURE = 0.9  # a "how long" type guess this sure asks a duration
FEATURES = ("coverage", "focus_found", "log_top1_top2", "log_top1_mean", "not_answered_type",
            "absent_topic", "absent_general", "uncovered_focus")


def _enumerates(h: Hit, tables: frozenset[str] | None = None) -> bool:
    """A passage that lists things: a bulleted list, or one pointing to a table of them (one of
    `tables`, when given: the tables whose rows answer)."""
    text = h.passage.text
    return _is_list(h) or ("(see Table" in text and (
        tables is None or any(f"(see {t})" in text for t in tables)))


def _is_row(h: Hit) -> bool:
    return h.passage.kind == "table_row"


def _is_list(h: Hit) -> bool:
    return h.passage.kind == "list"


def _near_ties_by_coverage(hits: list[Hit]) -> list[Hit]:
    """Of two neighbours scoring nearly alike, the one covering clearly more of the question
    comes first ("does it matter how fast it grows when choosing treatment?": the list of what
    decides, which names growth speed, before the paragraph on receptor tests). Ratio and gap
    chosen by a sweep on DEV (benchmarks/decision_sweep.txt)."""
    out = list(hits)
    for i in range(len(out) - 1):
        a, b = out[i], out[i + 1]
        if b.coverage >= a.coverage + TIE_GAP and b.score >= TIE_RATIO * a.score:
            out[i], out[i + 1] = b, a
    return out


def _named_by_a_cell_first(exp: Expansion, hits: list[Hit]) -> list[Hit]:
    """A table row one of whose cells is exactly what the question names ("is estrogen itself
    used as a treatment?": the row whose category is "Estrogen") answers it first."""
    names = {c.label.casefold() for c in exp.focus}

    def named(h: Hit) -> bool:
        # not the row's own name (its first cell): a drug's row is ranked by its section's rules
        return any(cell.strip().casefold() in names for _, cell in h.passage.cells[1:])
    return sorted(hits, key=lambda h: not named(h))


def _asked_tables(exp: Expansion, hits: list[Hit]) -> frozenset[str]:
    """The tables ("Table 1") whose rows answer a question asking which drugs: those in the
    section of the treatment the question names ("hormone therapy": Table 1, not the targeted
    therapy rows that mention it), or, when it names no section, every table with rows here."""
    rows = [h for h in hits if _is_row(h) and len(h.passage.section) > 1]

    def named(heading: str) -> bool:
        return any(_names_heading(c, heading) for c in exp.focus)
    if any(h.passage.section and named(h.passage.section[-1]) for h in hits) or \
            any(named(h.passage.section[-2]) for h in rows):
        rows = [h for h in rows if named(h.passage.section[-2])]
    return frozenset(h.passage.section[-1].split(".")[0] for h in rows)


def _lists_first(exp: Expansion, hits: list[Hit]) -> list[Hit]:
    """A question asking which drugs there are is answered first by the passages that list
    them: each list moves ahead of the passages before it that cover no more of the question;
    then each table row ahead of the prose passages before it, behind the lists ("what hormone
    therapy drugs are commonly used?": Table 1's rows, not the paragraph on targeted therapy)."""
    # a passage pointing to another table ("see Table 2", targeted therapy) lists no drug asked
    tables = _asked_tables(exp, hits)

    def enumerates(h: Hit) -> bool:
        return _enumerates(h, tables)
    return _ahead(_ahead(hits, enumerates), _is_row, behind=enumerates)


def _ahead(hits: list[Hit], moves, behind=lambda h: False) -> list[Hit]:
    """Each hit that `moves` goes ahead of the hits before it that neither move nor are ones it
    stays `behind`, and cover no more of the question."""
    out: list[Hit] = []
    for h in hits:
        i = len(out)
        if moves(h):
            while (i > 0 and not moves(out[i - 1]) and not behind(out[i - 1])
                   and out[i - 1].coverage <= h.coverage):
                i -= 1
        out.insert(i, h)
    return out



def _words(text: str) -> list[str]:
    return re.findall(r"[^\W_]+", text.casefold())


def _holding_quote(text: str, hits: list[Hit]) -> list[Hit]:
    """The passages holding, word for word, a quotation of at least QUOTE_WORDS words that the
    question quotes ("is 'the best doctors may have different opinions' in there?"), in order."""
    quotes = [w for q in _QUOTE.findall(text) if len(w := _words(q)) >= QUOTE_WORDS]
    if not quotes:
        return []

    def holds(h: Hit) -> bool:
        words = _words(h.passage.text)
        return any(words[i:i + len(q)] == q for q in quotes for i in range(len(words) - len(q) + 1))
    return [h for h in hits if holds(h)]


def _table_rows_first(exp: Expansion, hits: list[Hit]) -> list[Hit]:
    """A question asking for a table ("where is the hormone drug table?") is answered by that
    table's rows, the table of the treatment it names ("hormone drug": Table 1), ahead of the
    passages covering no more of it (the paragraph saying "see Table 1")."""
    rows = [h for h in hits if _is_row(h) and len(h.passage.section) > 1]
    named = [h for h in rows if any(_names_heading(c, h.passage.section[-2], kind_word=True)
                                    for c in exp.focus)]
    tables = {h.passage.section[-1] for h in named or rows}
    return _ahead(hits, lambda h: _is_row(h) and h.passage.section[-1] in tables)


def _own_row_before_others(c: Concept, exp: Expansion, hits: list[Hit]) -> list[Hit]:
    """The drug's own row, moved ahead of the rows before it that do not name any drug the
    question names (another drug of its class)."""
    own = next((h for h in hits if _own_row(c, h)), None)
    if own is None:
        return hits
    i = hits.index(own)
    others = [h for h in hits[:i] if _is_row(h) and not _names_drug(exp, h)]
    if not others:
        return hits
    return [h for h in hits[:i] if h not in others] + [own] + others + hits[i + 1:]


def _own_topic(exp: Expansion, asked: str) -> set[str]:
    """The guide topics the question sentence itself names (lexicon phrases: "pause")."""
    said = asked.casefold()
    return {c.label for c in exp.focus if c.source == "lexicon" and c.label.casefold() in said}


def _story_names_only(exp: Expansion, asked: str) -> bool:
    """The named things of the question are all in its story, and the question sentence asks
    about a guide topic of its own (a lexicon phrase: "stay on", "hormone treatment")."""
    named = [c for c in exp.focus if c.source in ("alias", "word")]
    said = asked.casefold()
    if is_that_a(said):  # "The nurse mentioned fluoxymesterone. Is that a hormone treatment?"
        return False
    return (bool(exp.story) and bool(named) and not any(c.label.casefold() in said for c in named)
            and bool(_own_topic(exp, asked)))


@cache
def _stem():
    """The Snowball stemmer the analyzer uses, loaded once."""
    from nltk.stem.snowball import SnowballStemmer

    return SnowballStemmer("english").stem


@cache
def _heading_stems(heading: str) -> frozenset[str]:
    """The stems of a heading's words of four letters or more ("Resistance to Treatment")."""
    return frozenset(_stem()(w) for w in re.findall(r"[^\W\d_]{4,}", heading.casefold()))


_KIND_STEMS = frozenset({"treatment", "therapi"})  # words of any treatment section's heading


def _names_heading(c: Concept, heading: str, kind_word: bool = False) -> bool:
    """The concept names what a section is about: every word of its heading (but "therapy"
    with `kind_word`: "hormone treatment" names the section "Hormone Therapy")."""
    stems = _heading_stems(heading) - ({_stem()("therapy")} if kind_word else set())
    return bool(stems) and stems <= c.terms


def _names_drug_and_class(exp: Expansion, asked: str, kinds: frozenset[str]) -> bool:
    """The question sentence names a drug and its class ("Lupron - what category of hormone
    therapy is it?", "is tamoxifen a hormone therapy?"): the drug's row says what it is, so
    the passages naming the drug come before its class's paragraphs (a drug named only in
    the story leaves the class asked about)."""
    said = asked.casefold()
    # a drug's name as spelled in the question ("is zolodex a hormone treatment?"), or the one a
    # demonstrative points at ("The nurse mentioned fluoxymesterone. Is that a hormone treatment?")
    said += " " + " ".join(new for old, new in exp.corrections if old.casefold() in said)
    pointed = is_that_a(said)
    named = [c for c in exp.focus if c.family and (pointed or c.label.casefold() in said)
             and not _an_example(c, said)]
    if any(_names_heading(c, d.family) for c in exp.focus for d in named):
        return True
    # "is Afinitor a hormone treatment?": whether it is of another kind, which its row says
    return any(_asks_is_a(d, said) for d in named) and any(
        _names_heading(c, k, kind_word=True) for c in exp.focus if not c.family for k in kinds)


def _an_example(c: Concept, said: str) -> bool:
    """The (lower-case) question names the drug `c` only as an example of its class ("how do
    hormone pills like letrozole shrink the cancer?"): the class is asked about."""
    label = re.escape(c.label.casefold())
    return (bool(re.search(rf"\b(?:like|such as|e\.?g\.?,?|for example|for instance)\s+{label}\b", said))
            and said.count(c.label.casefold()) == 1)


def _asks_is_a(c: Concept, said: str) -> bool:
    """The (lower-case) question asks whether the drug `c` is of a kind: "is tamoxifen a ...",
    "are ... an ..."."""
    return bool(re.search(rf"\b(?:is|are)\s+{re.escape(c.label.casefold())}\s+(?:a|an)\b", said))


def _asks_what_is(c: Concept, said: str) -> bool:
    """The (lower-case) question asks what the drug `c` is: "what is Faslodex and how is it
    different from tamoxifen?"."""
    label = re.escape(c.label.casefold())
    return bool(re.search(rf"\bwhat(?:'s|s| is| are)\s+{label}\b", said)) or _asks_which_drug(c, said)


def _asks_which_drug(c: Concept, said: str) -> bool:
    """The (lower-case) question asks only which drug the name `c` stands for: "what drug is
    Taxol?", "Taxol is which drug?", "what is Gemzar?"."""
    label = re.escape(c.label.casefold())
    return bool(re.search(rf"\b(?:what|which) (?:drug|medicine|medication|one) is\s+{label}\s*\??\s*$"
                          rf"|\bwhat(?:'s|s| is)\s+{label}\s*\??\s*$"
                          rf"|\b{label} is (?:what|which)(?: drug| medicine| medication| one)?\s*\??\s*$",
                          said))


def _is_drug_a(exp: Expansion, asked: str) -> Concept | None:
    """The drug a question asks whether it is of a kind ("is tamoxifen an aromatase inhibitor
    or something different", "Is Faslodex a SERM like tamoxifen?") or what it is, beside
    another ("what is Faslodex and how is it different from tamoxifen?"), if it asks that, its
    name as spelled in the question or as corrected ("is tamoxifin an ...")."""
    said = asked.casefold()
    for typed, fixed in exp.corrections:
        said = re.sub(rf"\b{re.escape(typed.casefold())}\b", fixed.casefold(), said)
    drugs = [c for c in exp.focus if c.family]
    if len(drugs) == 1 and is_that_step(said):
        # "The doctor says Kadcyla next. Is that the usual next step?": the one drug pointed at,
        # whose row says who it is for
        return drugs[0]
    return next((c for c in drugs if _asks_is_a(c, said) or _asks_what_is(c, said)), None)


def _own_row(c: Concept, h: Hit) -> bool:
    """The passage is the table row of the drug `c` (its first cell names it), not a row
    naming it among another drug's companions."""
    if not h.passage.cells:
        return False
    stems = _heading_stems(h.passage.cells[0][1])
    return any(p and set(p) <= stems for p, _ in c.alts)


_WHAT_IS = re.compile(r"^\s*(?:what(?:'s|s| is| are)|define|meaning of)\s+(?:an? |the )?([a-z][a-z -]*?)\s*\??\s*$")
_DEFINING = r" (?:is|are|occurs|occur|refers|means)\b"


def _asks_what_a_topic_is(exp: Expansion, asked: str) -> str:
    """The guide topic a bare "what is X?" asks about (not a drug: its row says what it is)."""
    m = _WHAT_IS.match(asked.casefold())
    if not m or any(c.family for c in exp.focus) or not exp.focus:
        return ""
    return m.group(1).strip()


def _says_what(subject: str, text: str) -> bool:
    """A sentence of `text` opens with `subject` and says what it is ("Resistance occurs
    when"), or `subject` is followed by a clause saying so ("hospice care, where your care is")."""
    t = re.escape(subject)
    return bool(re.search(rf"(?:^|[.!?]\s+){t}{_DEFINING}|\b{t},? (?:which|where)\b[^.;]{{0,25}}?{_DEFINING}",
                          text))


def _defines(topic: str, h: Hit, hits: list[Hit]) -> bool:
    """The passage says what `topic` is; by its last word ("Resistance occurs when" for "drug
    resistance") only when no passage says it of the whole topic."""
    def text(x: Hit) -> str:
        return " ".join(x.passage.text.casefold().split())
    if _says_what(topic, text(h)):
        return True
    if " " not in topic or any(_says_what(topic, text(o)) for o in hits):
        return False
    return _says_what(topic.split()[-1], text(h))


def _own_item(c: Concept, h: Hit) -> bool:
    """The passage is a bulleted list one of whose items is the drug `c` ("• paclitaxel
    (Taxol)"): its own place in the guide, as a table row is for a drug in a table."""
    if not _is_list(h):
        return False
    items = [_heading_stems(line) for line in h.passage.text.splitlines() if BULLET.match(line)]
    return any(p and set(p) <= stems for stems in items for p, _ in c.alts)


def _own_section_first(exp: Expansion, hits: list[Hit]) -> list[Hit]:
    """A question about a treatment the guide has a section on ("how long does chemo carry
    on for?") is answered first by that section's passages, ahead of those covering no more
    of the question in another treatment's section that mention it in passing (the Hormone
    Therapy paragraph ending "Chemotherapy may be added")."""
    if any(c.family for c in exp.focus):  # a named drug: its rows and class rule the order
        return hits

    def own(h: Hit) -> bool:  # "chemo added to hormone treatment": both sections are its own
        heading = h.passage.section[-1] if h.passage.section else ""
        return any(_names_heading(c, heading, kind_word=True) for c in exp.focus)
    return _ahead(hits, own, behind=_is_list)


def _kinds_first(exp: Expansion, hits: list[Hit], kinds: frozenset[str]) -> list[Hit]:
    """A question asking what kinds of treatment there are, naming none ("what sorts of
    treatments are there for cancer that has spread?"), is answered first by the passage
    naming the most kinds, the headings of the guide's treatment sections ("Your treatment plan
    may include ... hormone therapy, chemotherapy and targeted therapy"), ahead of those
    covering no more of the question (a list of what decides, a list of chemotherapy drugs)."""
    if any(c.family for c in exp.focus) or any(
            _names_heading(c, h.passage.section[-1], kind_word=True)
            for c in exp.focus for h in hits if len(h.passage.section) > 1):
        return hits  # "what kinds of chemotherapy are there?": its own section answers

    def named(h: Hit) -> int:
        text = " ".join(h.passage.text.casefold().split())
        return sum(k in text for k in kinds)
    most = max((named(h) for h in hits), default=0)
    if most < KINDS_NAMED:
        return hits
    return _ahead(hits, lambda h: named(h) == most)


@cache
def _symptom_stems() -> frozenset[str]:
    """Stems of the words naming a side effect (question_types.json side_effects `evidence`)."""
    stem = _stem()
    words = qmodel.question_types().get("side_effects", {}).get("evidence", ())
    # "tolerable", "tolerated" say how long treatment goes on ("as long as side effects are tolerable")
    return frozenset(stem(w) for w in words if " " not in w and not w.startswith("toler"))


def _lasts_a_symptom(exp: Expansion) -> bool:
    """A confident "how long" question whose topic is a side effect (numbness, fatigue): how
    long the symptom lasts, not how long treatment goes on."""
    t = exp.types
    if t.qtype != "how_long" or t.prob < HOW_LONG_SURE:
        return False
    return any(c.terms & _symptom_stems() for c in exp.concepts if c.role in ("focus", "content"))


# How much of a side effect is normal, or whether it goes away ("how much neuropathy is normal
# with taxol and does it go away"): what the symptom is like, which no passage says
_SYMPTOM_COURSE = re.compile(
    r"\b(?:is|it's|its|be) (?:normal|expected|usual|typical)\b"
    r"|\b(?:go|goes|going|went) away\b|\bwears? off\b|\bclears? up\b")


def _course_of_symptom(exp: Expansion, asked: str) -> bool:
    """A question whether a side effect (numbness, fatigue) is normal or goes away."""
    if not _SYMPTOM_COURSE.search(asked.casefold()):
        return False
    return any(c.terms & _symptom_stems() for c in exp.concepts if c.role in ("focus", "content"))


@cache
def decision_model() -> dict:
    text = resources.files("bot.data").joinpath("decision_model.json").read_text(encoding="utf-8")
    return json.loads(text)


@dataclass(frozen=True)
class Decision:
    """What to quote (answers) or point to (related), and why."""

    answers: tuple[Hit, ...]
    related: tuple[Hit, ...]
    reason: str  # answer | uncertain | type_not_covered | not_covered | none
    qtype: str | None = None
    confidence: float = 0.0


def features(exp: Expansion, hits: list[Hit], declined_types: frozenset[str],
             vocab: frozenset[str] | set[str] = frozenset()) -> dict[str, float]:
    """The few numbers the decision model weighs, for the best passage."""
    top = hits[0]
    scores = [h.score for h in hits[:10]]
    second = scores[1] if len(scores) > 1 else 0.0
    mean = sum(scores) / len(scores)
    focus = exp.focus
    # Found: the focus is in the best passage, or the question is about what the whole
    # document is about ("how is stage 4 breast cancer treated?").
    about_document = not focus and any(c.role == "background" for c in exp.concepts)
    found = float(about_document or any(c.label in top.matched for c in focus)
                  or _named_by_heading(exp, top))
    not_answered = 0.0
    if exp.types.evidence:
        said = exp.types.qtype if any(_says_type(exp, h) for h in hits[:3]) else None
        not_answered = sum(p for t, p in exp.types.probs if t in declined_types and t != said)
    def absent(c: Concept) -> bool:
        return not any(t in vocab for t in c.terms)

    def strength(c: Concept) -> float:  # a word no topic list knows ("turmeric") counts fully
        known = [qmodel.topic_strength(t) for t in c.terms if qmodel.is_topical(t)]
        return max(known) if known else 1.0

    return {
        "coverage": top.coverage,
        "focus_found": found,
        "log_top1_top2": math.log((top.score + 1e-9) / (second + 1e-9)) if second else 2.0,
        "log_top1_mean": math.log((top.score + 1e-9) / (mean + 1e-9)),
        "not_answered_type": not_answered,
        # a topic the documents never mention ("tattoo", "turmeric"): no passage covers it
        "absent_topic": max((strength(c) for c in exp.remaining if absent(c)), default=0.0),
        # common words the documents never use ("cure", "forever"): weak evidence
        "absent_general": float(min(2, sum(absent(c) for c in exp.concepts if c.role == "general"))),
        # a named thing or guide topic of the question that the best passage leaves out
        # ("will radiation make me tired?": a passage on radiation, none on tiredness with it)
        "uncovered_focus": float(any(c.label not in top.matched for c in exp.focus
                                     if c.source in ("alias", "lexicon"))),
    }


def _says_type(exp: Expansion, hit: Hit) -> bool:
    """The passage covers all of a question about a guide topic and says what its type asks in
    the type's own words ("Resistance may be caused by several factors" for "what causes drug
    resistance?"; "what causes breast cancer?" names no topic but the document's own)."""
    words = exp.types.said_by()
    text = hit.passage.text.casefold()
    return (bool(words) and bool(exp.focus) and hit.coverage >= 1.0
            and any(w in text for w in words))


def _says_cause(exp: Expansion, hit: Hit, kinds: frozenset[str]) -> bool:
    """The passage says what causes the thing a "why" question asks about, in the causes
    type's own words ("Resistance may be caused by several factors" for "why did my letrozole
    stop working?"), naming every topic of the question but the drugs and kinds of treatment
    (what it says of treatment in general holds for them)."""
    topics = [c for c in exp.focus if not c.family
              and not any(_names_heading(c, k, kind_word=True) for k in kinds)]
    text = hit.passage.text.casefold()
    # the section is about what the question asks ("Resistance to Treatment": "stop working")
    about = _heading_stems(hit.passage.section[-1] if hit.passage.section else "") - _KIND_STEMS
    return (bool(topics) and all(c.label in hit.matched for c in topics)
            and any(t in c.terms for c in topics for t in about)
            and any(w in text for w in qmodel.TypeGuess("causes", 1.0).said_by()))


def _names_drug(exp: Expansion, hit: Hit) -> bool:
    """The passage names a drug the question names (not only the drug's class)."""
    return any(c.label.casefold() in hit.passage.text.casefold() for c in exp.focus if c.family)


def _named_by_heading(exp: Expansion, top: Hit) -> bool:
    """The question's topic words are all in the heading of the best passage's section: it
    names what that section is about ("how does scalp cooling work?" and a section headed
    "Scalp cooling"), as a table row or list item names a drug."""
    topic = [c for c in exp.concepts if c.role in ("focus", "content", "general")]
    heading = top.passage.section[-1].casefold() if top.passage.section else ""
    if not topic or not heading or heading.startswith("table "):
        return False
    words = set(re.findall(r"[^\W\d_]+", heading))
    return all(set(c.label.casefold().split()) <= words for c in topic)


def confidence(feats: dict[str, float], model: dict | None = None) -> float:
    """P(quoting is right) from the calibrated logistic model."""
    m = model or decision_model()
    z = m["bias"] + sum(m["weights"].get(f, 0.0) * min(max(feats[f], -5.0), 5.0) for f in FEATURES)
    return 1.0 / (1.0 + math.exp(-z))


class Decider:
    """Answer or decline, for the documents loaded."""

    def __init__(self, documents: dict[str, Document], vocab: frozenset[str] = frozenset(),
                 passages: Sequence[Passage] = ()):
        self.vocab = vocab
        docs = list(documents.values())
        declared = [set(d.does_not_answer) for d in docs]
        self.declined_types = frozenset(set.intersection(*declared) if declared else set())
        scopes = [set(d.not_covered) for d in docs]
        common = set.intersection(*scopes) if scopes else set()
        self.not_covered = [re.compile(p) for p in sorted(common)]
        # the headings of the documents' subsections ("Hormone Therapy", "Chemotherapy"): the
        # kinds of treatment a guide has a section on, read from the passages already split
        self.kinds = frozenset(p.section[-1].casefold() for p in passages
                               if len(p.section) > 1 and p.kind != "table_row")

    def out_of_scope(self, normalised: str) -> bool:
        """The question matches a topic every loaded document says it does not cover."""
        return any(rx.search(normalised) for rx in self.not_covered)

    def declined_type(self, exp: Expansion, hits: list[Hit] = ()) -> str | None:
        """The question's type, when every document declares it does not answer it and no
        passage covering the whole question says it in the type's own words."""
        t = exp.types
        # "what dose of capecitabine do people usually take?": a guess split between the dose
        # types (dose, missed dose, overdose) no document answers asks a dose all the same
        sure = t.prob
        if t.qtype in _DOSE_TYPES:
            sure = sum(p for q, p in t.probs if q in _DOSE_TYPES and q in self.declined_types)
        if t.qtype in self.declined_types and max(t.prob, sure) >= decision_model()["type_threshold"]:
            if not any(_says_type(exp, h) for h in hits[:3]):
                return t.qtype
        return None

    def decide(self, exp: Expansion, hits: list[Hit], k: int, offset: int = 0,
               normalised: str = "", advice: bool = False,
               threshold: float | None = None) -> Decision:
        """Answers only when the evidence says the best passages answer the question."""
        if not hits:
            return Decision((), (), "none", exp.types.qtype)
        related = tuple(self.related(exp, hits))
        declined = self.declined_type(exp, hits)
        asked = qmodel.split_story(normalised)[0]
        if "missed_dose" in self.declined_types and _MISSED.search(asked):
            # "I forgot my letrozole pill": what to do now, personal or not, which no row of
            # the drug says (the type model cannot tell a missed dose from a dose; the words can)
            return Decision((), related, "type_not_covered", "missed_dose")
        if declined and advice and not _PERSONAL.search(asked):
            # "What is the usual dose of tamoxifen?": a general question of a type the guide
            # does not answer - the advice message alone; the tamoxifen row answers nothing
            return Decision((), related, "type_not_covered", declined)
        if declined and advice and not self.out_of_scope(asked):
            # "What dose of tamoxifen is right for me?": the advice message, then what the
            # guide says about the drug named, never about the dose (not of a topic the guide
            # never covers: "how much does Kisqali cost, will my insurance cover it?")
            about = self._on_focus(exp, hits, named_only=True)
            return Decision(tuple(about[:k]), () if about else related, "type_not_covered",
                            declined)
        if declined:
            return Decision((), related, "type_not_covered", declined)
        if self.out_of_scope(asked) or (_checks_claim(asked) and self.out_of_scope(normalised)) or any(
                self.out_of_scope(name) for name in _called(normalised, asked)):
            # the question, not the story - unless the question only checks what the story claims
            # ("My aunt says soy makes it grow. Is that true?") or asks of a thing the story
            # introduced by its name ("...something called SIRT. Can you explain how that works?")
            return Decision((), related, "not_covered", exp.types.qtype)
        if _lasts_a_symptom(exp) or _course_of_symptom(exp, asked):
            # "How long does numbness from Taxol last?": how long a side effect lasts, which
            # no passage says (the guide's "how long" is how long treatment goes on)
            return Decision((), related, "uncertain", exp.types.qtype)
        conf = confidence(features(exp, hits, self.declined_types, self.vocab))
        need = decision_model()["threshold"] if threshold is None else threshold
        if advice:  # decision words ("switch", "stop") no passage holds: general quotes
            need = min(need, decision_model()["advice_threshold"])
        # words the question quotes that a passage holds word for word are found, however few
        # other words of the question it shares
        quoting = _holding_quote(normalised, hits)
        if conf < need and quoting:  # what else the question shares with passages is no answer
            return Decision(tuple(quoting[offset : offset + k]), (), "answer", exp.types.qtype, conf)
        if conf < need:
            return Decision((), related, "uncertain", exp.types.qtype, conf)
        floor = hits[0].coverage * KEEP_SHARE
        kept = [h for h in hits if h.coverage >= floor]
        if advice:
            # Decision words ("stop", "switch") no passage holds: the passages about the
            # focus come first, then the passages that cover the rest of the question.
            about = self._on_focus(exp, hits)
            # the passages naming the drug itself before those on its class (but how long
            # one stays on a drug is said by its class's paragraph, not by its row: "how long
            # will I have to keep taking my letrozole tablets?")
            asks_how_long = exp.types.qtype == "how_long"
            if any(_names_drug(exp, h) for h in about) and not asks_how_long:
                about.sort(key=lambda h: not _names_drug(exp, h))
            rest = [h for h in kept if h not in about]
            first = about[: max(1, k - 1)] if rest else about
            kept = first + rest + [h for h in about if h not in first]
        else:
            # "She has been on Ibrance with letrozole. Do people stay on hormone treatment for
            # years like this?": the drugs the story names are context for a question that
            # names its own guide topic; the passage on that topic comes first, not their rows
            story_only = _story_names_only(exp, asked)
            on_focus = [] if story_only else self._on_focus(exp, kept)
            rows = [h for h in hits if _names_drug(exp, h)]
            if on_focus and rows and not any(h in rows for h in on_focus):
                on_focus += rows  # the passages on the drug's class, then the drug's rows
            section = self._focus_section(exp, kept, hits)
            if story_only and not is_that_step(asked.casefold()):
                # "... 8 months of capecitabine. Is it allowed to just pause it?": the passage on
                # the question's own topic, outside the drug's section, before the drug's rows
                # (not "is that a normal next step?", which asks about the drugs themselves)
                topic = _own_topic(exp, asked)
                if not any(topic <= set(h.matched) for h in section):
                    section = [h for h in kept if topic <= set(h.matched)] + section
            kept = on_focus or list(dict.fromkeys(section))
            if _CONTRAST.search(asked):
                kept = self._naming_all_first(exp, kept)
            kept = _near_ties_by_coverage(kept)
            if on_focus and _names_drug_and_class(exp, asked, self.kinds):
                # "is Lupron a hormone therapy?": its row says, even beside rows covering more
                kept.sort(key=lambda h: not _names_drug(exp, h))
            if subject := _is_drug_a(exp, asked):
                # "is Faslodex a SERM like tamoxifen?": the row of the drug asked about says
                # what it is, before the row of the kind it is set against
                # (or its list item, when which drug the name stands for is all it asks: "Taxol
                # is which drug?", not the trastuzumab row naming paclitaxel as its companion)
                item = _asks_which_drug(subject, asked.casefold())
                kept.sort(key=lambda h: not (_own_row(subject, h) or (item and _own_item(subject, h))))
            named = [c for c in exp.focus if c.family]
            if len(named) == 1:
                # "what drugs is lapatinib combined with": the drug's own row goes ahead of
                # the rows naming it as another drug's companion ("or with lapatinib")
                kept = _ahead(kept, lambda h: _own_row(named[0], h),
                              behind=lambda h: not _is_row(h))
                # ...and ahead of another drug's row that holds it only by its class, however
                # much more of the question that row covers ("Is palbociclib used as a first
                # treatment for women after menopause?": not ribociclib's first-line row)
                kept = _own_row_before_others(named[0], exp, kept)
            kept = _own_section_first(exp, kept)
            kept = _named_by_a_cell_first(exp, kept)
            if _ASKS_LIST.search(asked) and not any(c.family for c in exp.focus):
                # "which chemotherapy drugs are used?" (not "which drugs is Tykerb used with?")
                kept = _lists_first(exp, kept)
            elif _ASKS_FACTORS.search(asked):
                kept = _ahead(kept, _is_list)
            if _ASKS_TABLE.search(asked) and not any(c.family for c in exp.focus):
                # not "is lupron in the hormone table?"; "which table shows the side effects?":
                # no table's row covers half as much of the question as the best passage (as an
                # answer beside the best must), so no table answers it
                if not any(_is_row(h) and h.coverage >= floor for h in hits):
                    return Decision((), related, "uncertain", exp.types.qtype, conf)
                kept = _table_rows_first(exp, kept)
            if _ASKS_KINDS.search(asked):
                kept = _kinds_first(exp, kept, self.kinds)
            if exp.types.qtype in self.declined_types:  # "what causes drug resistance?"
                kept = _ahead(kept, lambda h: _says_type(exp, h))
            if defined := _asks_what_a_topic_is(exp, asked):
                # "what is hospice care?": the passage saying what it is ("hospice care, which
                # is focused on..."), not one naming it beside another ("mistaken for hospice care")
                kept = _ahead(kept, lambda h: _defines(defined, h, kept))
        if not advice and _ASKS_WHY.search(asked):  # "why did my letrozole stop working?"
            cause = [h for h in hits if _says_cause(exp, h, self.kinds)]
            kept = cause + [h for h in kept if h not in cause]
        kept = quoting + [h for h in self._with_evidence(exp, kept) if h not in quoting]
        if not kept:
            return Decision((), related, "uncertain", exp.types.qtype, conf)
        return Decision(tuple(kept[offset : offset + k]), (), "answer", exp.types.qtype, conf)

    @staticmethod
    def _on_focus(exp: Expansion, hits: list[Hit], named_only: bool = False) -> list[Hit]:
        """Passages about the named thing the question is about (a drug the documents name):
        "should I stop taking letrozole?" quotes the letrozole rows, not any passage on stopping.
        Without a named focus: all hits, or none when `named_only`."""
        named = {c.label for c in exp.focus if c.source in ("alias", "word")}
        if not named:
            return [] if named_only else hits
        return [h for h in hits if named & set(h.matched)]

    @staticmethod
    def _naming_all_first(exp: Expansion, hits: list[Hit]) -> list[Hit]:
        """A question setting things against each other ("chemo instead of hormone therapy")
        is answered first by the passages naming them all, then by those naming some."""
        focus = {c.label for c in exp.focus}
        if len(focus) < 2:
            return hits
        return sorted(hits, key=lambda h: not focus <= set(h.matched))

    @staticmethod
    def _focus_section(exp: Expansion, kept: list[Hit], hits: list[Hit]) -> list[Hit]:
        """When no covering passage names the drug asked about, the covering passages of the
        section that lists it ("how long do people stay on tamoxifen?": the Hormone Therapy
        paragraph on staying on treatment, above Table 1's tamoxifen row), then its rows."""
        named = {c.label for c in exp.focus if c.source in ("alias", "word")}
        rows = [h for h in hits if named & set(h.matched)]
        homes = {(h.passage.doc_id, h.passage.section[:n]) for h in rows
                 for n in (len(h.passage.section) - 1, len(h.passage.section)) if n > 1}
        near = [h for h in kept if (h.passage.doc_id, h.passage.section) in homes]
        return near + [h for h in rows if h not in near] if near else []

    def _with_evidence(self, exp: Expansion, hits: list[Hit]) -> list[Hit]:
        """Passages holding the words a type's answer needs (side effects), if it needs any."""
        words = exp.types.answer_words()
        if not words:
            return hits
        return [h for h in hits if any(w in h.passage.text.casefold() for w in words)]

    @staticmethod
    def related(exp: Expansion, hits: list[Hit]) -> list[Hit]:
        """Pointers for a question the guide does not answer: the best passage for each of the
        question's words ("the guide mentions tamoxifen here"), most covering first."""
        out: list[Hit] = []
        for concept in sorted(exp.concepts, key=lambda c: -max(
                (h.coverage for h in hits if c.label in h.matched), default=0.0)):
            best = next((h for h in hits if concept.label in h.matched), None)
            if best is not None and best not in out:
                out.append(best)
        for h in hits:
            if len(out) >= RELATED:
                break
            if h not in out:
                out.append(h)
        return out[:RELATED]
