"""Spelling for red flags: rewrite a hurried message towards the red-flag vocabulary.

"cant breth", "feaver", "siezure", "cantbreathe" and "feverr" become "can't breath", "fever",
"seizure", "can't breathe" and "fever", "cofing" (as it sounds) becomes "coughing", and "head
ache" becomes "headache", so the rules in red_flags.txt can be written once with the right
words. Dictation and sound-alike spellings are read by how they sound: "ceasure" and two words
that sound like one ("having a seas your") become "seizure"; real words typed for a red-flag
word ("chess pain", "feinted") are listed phrases of flag_words.txt. Conservative by
construction: only words of data/flag_words.txt are ever produced, or, for a non-word one
slip of the finger from just one common English word ("nothhing", "arond"), that word; a
word that is common English (data/english_words.txt) is never changed, so "never", "fewer"
and "breath" stay as typed; short words need a closer match than long ones. Words typed
without a space are read apart into words ("afever", "mylife"); unglue() does it to the text
as typed where the reading is sure ("faintline" -> "faint line"), so a rule's exceptions read
the same words as the rule. A lone digit typed for a word ("hard 2 breathe") is read as its
word only between two words and never as a count.
"""

from __future__ import annotations

import re
from collections import Counter
from functools import cache

from nltk.metrics.distance import edit_distance

from . import datafiles
from .spelling import english_words

_WORD = re.compile(r"[a-z]+(?:'[a-z]+)?")
_SPLIT_CONTRACTION = re.compile(
    r"\b(can|don|won|isn|doesn|didn|couldn|wouldn|shouldn|wasn|weren|aren|haven|hasn)[ ;`]t\b")
# An apostrophe typed as a space: "mom s breathing", "she s fitting", "i m bleeding"
_SPLIT_S = re.compile(r"\b([a-z]{2,}) s (?=[a-z])")
_SPLIT_I = re.compile(r"\bi (m|ve|ll|d) (?=[a-z])")
_VOWELS = re.compile(r"[aeiouy]")
# A lone digit typed for a word between two words ("hard 2 breathe", "want 2 die"); not as a
# count ("took 2 pills", "for 2 days", "at 2 am"): after a verb of taking or a preposition, or
# before a plural or a unit.
_DIGIT_WORD = re.compile(r"\b([a-z]+) (\d)(?= (?![a-z]*s\b)(?!(?:mg|ml|mins?|hrs?|am|pm|x|and|or|of)\b)[a-z])")
_COUNT_BEFORE = frozenset("took take takes taken had have ate swallowed at for about only just another "
                          "every last past over than of or and the my x".split())


# Words under three letters (the English list starts at three) a run-together phrase may hold;
# "a" and "i" only as its first piece ("afever", "iwant").
_SHORT = frozenset("a i am an as at be by do go he if in is it me my no od of oh ok on or so to up us "
                   "we".split())


@cache
def vocabulary() -> tuple[frozenset[str], dict[str, str]]:
    """(the red-flag words, the chat spellings typed -> meant) from data/flag_words.txt."""
    words, chat = set(), {}
    for line in datafiles.lines("flag_words.txt"):
        typed, bar, meant = line.partition("|")
        if bar and " " in typed.strip():
            continue  # a sound-alike phrase: phrases()
        if bar:
            chat[typed.strip()] = meant.strip()
        elif " " in line:  # a red-flag phrase, typed run together ("portsite" -> "port site")
            chat[line.replace(" ", "")] = line
        else:
            words.add(line)
    return frozenset(words), chat


@cache
def phrases() -> tuple[tuple[re.Pattern[str], str], ...]:
    """Real words typed for red-flag words, as whole phrases ("chess pain" -> "chest pain"):
    each word is English on its own, so only the phrase says what was meant."""
    out = []
    for line in datafiles.lines("flag_words.txt"):
        typed, bar, meant = (part.strip() for part in line.partition("|"))
        if bar and " " in typed:
            out.append((re.compile(rf"\b{re.escape(typed)}\b"), meant))
    return tuple(out)


def sound(word: str) -> str:
    """A sound key that keeps the vowels' rough quality: "seizure", "ceasure", "seesure" and
    "seasyour" share one key, "saysyour" does not. Soft c and z are s, ph is f, doubled letters
    count once, "ch" is its own sound (k at the end: "ache"), "ci" / "ti" before a vowel is sh,
    a silent final e and an h after a vowel are dropped, and each run of vowels is A (as in
    "say"), O (any o or u sound) or E (the rest)."""
    w = word[:-1] if len(word) > 4 and word.endswith("e") and word[-2] not in "aeiouy" else word
    w = re.sub(r"ch$", "k", w)  # "ache", "stomach"
    w = re.sub(r"(?:s?c|t)i(?=[aeou])", "sh", w)  # "conscious", "reaction"
    for typed, said in (("ph", "f"), ("ck", "k"), ("wh", "w"), ("gh", ""), ("tch", "X"), ("ch", "X")):
        w = w.replace(typed, said)
    w = re.sub(r"c(?=[eiy])", "s", w).replace("c", "k").replace("q", "k").replace("z", "s")
    w = re.sub(r"(?<=[bdfgjklmnpqrvwxz])h|(?<=[aeiouy])h(?![aeiouy])", "", w.replace("x", "ks"))
    w = re.sub(r"([^aeiouy])\1+", r"\1", w)
    return re.sub(r"[aeiouy]+", lambda m: "A" if m.group() in ("a", "ai", "ay", "ae")
                  else "O" if re.search("[ou]", m.group()) else "E", w)


@cache
def _sounds() -> dict[str, str]:
    """Sound key -> the one red-flag word of five letters or more with that key."""
    keys: dict[str, set[str]] = {}
    for w in vocabulary()[0]:
        if len(w) >= 5 and len(sound(w)) >= 3:
            keys.setdefault(sound(w), set()).add(w)
    return {k: next(iter(ws)) for k, ws in keys.items() if len(ws) == 1}


def _sounds_like(word: str) -> str | None:
    """The red-flag word a typed word sounds like ("ceasure", "shivvers"), if just one does."""
    meant = _sounds().get(sound(word)) if len(word) >= 5 else None
    return meant if meant and abs(len(meant) - len(word)) <= 3 else None


def skeleton(word: str) -> str:
    """A rough sound key: first letter, then consonants without h, doubled letters once."""
    w = word.replace("ph", "f").replace("ck", "k")
    rest = _VOWELS.sub("", w[1:]).replace("h", "")
    return re.sub(r"(.)\1+", r"\1", w[0] + rest)


def _limit(word: str) -> int:
    """How many edits a typed word of this length may be from the word meant (a three-letter
    word only one, and only to a word that sounds the same: "stp", "nmb")."""
    if len(word) <= 2:
        return 0
    return 1 if len(word) <= 7 else 2


def _edits1(word: str) -> set[str]:
    letters = "abcdefghijklmnopqrstuvwxyz"
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    return ({a + b[1:] for a, b in splits if b}
            | {a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1}
            | {a + c + b[1:] for a, b in splits if b for c in letters}
            | {a + c + b for a, b in splits for c in letters})


def _known(word: str) -> bool:
    flags, _ = vocabulary()
    return word in flags or word in english_words()


def _distance(a: str, b: str, cap: int) -> int:
    """nltk's edit_distance(a, b, transpositions=True) when it is at most `cap`, else more
    than cap. The letters one word has and the other lacks (the bag distance) never exceed the
    edit distance, so a pair they already put beyond `cap` skips the slow full count: a long
    unknown word stays quick to check."""
    ca, cb = Counter(a), Counter(b)
    if max(sum((ca - cb).values()), sum((cb - ca).values())) > cap:
        return cap + 1
    return edit_distance(a, b, transpositions=True)


def _nearest(word: str) -> str | None:
    """The red-flag word a typed word most likely meant, or None when none is close enough."""
    flags, _ = vocabulary()
    limit = _limit(word)
    if not limit or word in _SHORT:
        return None
    near: dict[int, list[str]] = {}
    for cand in sorted(flags):
        if cand[0] != word[0] or abs(len(cand) - len(word)) > 2:
            continue
        d = _distance(word, cand, max(limit, 3))
        if len(word) == 3 and (d > 1 or skeleton(word) != skeleton(cand)):
            continue
        same_sound = skeleton(word) == skeleton(cand)
        if (d <= limit or (d == 2 and len(word) >= 5 and same_sound)
                or (d == 3 and len(cand) >= 8 and word[:2] == cand[:2] and same_sound)):
            near.setdefault(d, []).append(cand)
    if not near:
        return None
    best_d = min(near)
    best = _tie_break(word, near[best_d])
    if best is None and len({cand[:6] for cand in near[best_d]}) == 1:
        best = min(near[best_d])  # "diarrhea" and "diarrhoea" are one word
    if best is None:
        return None  # two red-flag words equally near: do not guess
    english = english_words()
    if best_d > 1 and any(w[0] == word[0] and w in english and w not in flags
                          and (skeleton(w) == skeleton(word) or skeleton(best) != skeleton(word))
                          for w in _edits1(word)):
        return None  # an ordinary English word is nearer than the red-flag one, unless only
        # the red-flag word has the typed word's consonants ("feavr" is fever, not fear)
    return best


def _tie_break(word: str, near: list[str]) -> str | None:
    """One of several equally near red-flag words, if one stands out: the one that sounds the
    same ("faintd" is fainted, not faint), then one as long ("breateh" is breathe, not breath,
    two letters swapped), then one a letter longer (a letter left out)."""
    for keep in (lambda c: skeleton(c) == skeleton(word), lambda c: len(c) == len(word),
                 lambda c: len(c) == len(word) + 1):
        if len(near) > 1 and len(narrowed := [c for c in near if keep(c)]) >= 1:
            near = narrowed
    return near[0] if len(near) == 1 else None


def _undouble(word: str) -> str | None:
    """A red-flag word reached by typing one letter once instead of twice ("feverr", "chesst")."""
    flags, chat = vocabulary()
    for i in range(1, len(word)):
        if word[i] == word[i - 1]:
            shorter = word[:i] + word[i + 1 :]
            if shorter in flags:
                return shorter
            if shorter in chat:  # "feinnted", "dossnt"
                return chat[shorter]
    return None


def _phonetic(word: str) -> str | None:
    """A red-flag word typed as it sounds: "f" for "gh" ("cofing", "coffed", "cof" -> coughing,
    coughed, cough), "a" for a final "er" ("feeva"), or without its vowels ("brthing"). Only a
    red-flag word is produced."""
    flags, _ = vocabulary()
    for m in re.finditer(r"f+", word):
        for sound in ("gh", "ugh", "ough"):
            cand = word[: m.start()] + sound + word[m.end() :]
            if cand in flags:
                return cand
    if re.search(r"[^aeiouy]ah?$", word):  # "feeva", "fevah": "er" said without its r
        meant = _said_er(re.sub(r"ah?$", "er", word))
        if meant:
            return meant
    return _consonants(word)


def _said_er(said: str) -> str | None:
    """The red-flag word ending in "er" that a typed word with its "er" put back is, if any."""
    flags, _ = vocabulary()
    meant = said if said in flags else _undouble(said) or _nearest(said)
    return meant if meant and meant.endswith("er") else None


def _said(word: str) -> str | None:
    """A whole typed word spelt as it sounds, read only as a whole word, never as a piece of
    a run-together one ("femara" is no "femar a"): a final "er" written "or", "ur" or "ar"
    ("feavor", "fevur"), "ight" written "ite" ("tite", "titeness")."""
    if re.search(r"[^aeiouy](?:or|ur|ar)$", word):
        meant = _said_er(word[:-2] + "er")
        if meant:
            return meant
    said = word.replace("ite", "ight")
    return said if said != word and said in vocabulary()[0] else None


def _consonants(word: str) -> str | None:
    """A red-flag word typed without its vowels ("brthing", "chst"): the one red-flag word with
    the same consonants in the same order, for a typed word with at most one vowel."""
    if len(word) < 4 or len(_VOWELS.findall(word)) > 1:
        return None
    bare = _VOWELS.sub("", word)
    fits = [w for w in vocabulary()[0] if w[0] == word[0] and _VOWELS.sub("", w) == bare]
    return fits[0] if len(fits) == 1 else None


@cache
def _part(typed: str, first: bool) -> tuple[str, int] | None:
    """How a piece of a run-together word reads, and how sure that is (2 a word as typed, 1 a
    red-flag word reached through a typo), or None when it is no word."""
    flags, chat = vocabulary()
    if typed in chat:
        return chat[typed], 2
    if typed in _SHORT and (len(typed) > 1 or first or typed == "a"):
        return typed, 2
    if len(typed) >= 3 and _known(typed):
        return typed, 2
    if len(typed) >= 4 and typed.isalpha():
        fixed = _undouble(typed) or _phonetic(typed) or _nearest(typed)
        if fixed:
            return fixed, 1
    return None


def _part_as_typed(typed: str, first: bool) -> bool:
    """The piece reads as a word as typed (a `_part` of sureness 2), without looking for a typo."""
    _, chat = vocabulary()
    return (typed in chat or (typed in _SHORT and (len(typed) > 1 or first or typed == "a"))
            or (len(typed) >= 3 and _known(typed)))


SPLIT_MAX = 40  # letters: two or three words typed together are shorter


@cache
def _split(word: str) -> tuple[str, bool] | None:
    """Two or three words typed without a space ("afever", "cantbreathe", "mylife",
    "cheastpain", "shortnessofbreath"), and whether every piece is a word as typed. Every piece
    must be a word, a chat spelling or a red-flag word reached through a typo. Two pieces are
    preferred to three, then pieces as typed to corrected ones, then red-flag pieces ("is
    having", not "i shaving"), then small joining words ("legs and", not "leg sand"; "is hot",
    not "i shot"), then no one-letter and no chat pieces ("up in", not "u pin"), then long
    pieces to short ones ("want it", not "wan tit")."""
    flags, chat = vocabulary()
    if len(word) < 4 or len(word) > SPLIT_MAX or not word.isalpha():
        return None  # a longer run of words is _run_together's (three pieces cost n squared)
    cuts = [(word[:i], word[i:]) for i in range(1, len(word))]
    cuts += [(word[:i], word[i:j], word[j:]) for i in range(1, len(word) - 2)
             for j in range(i + 2, len(word) - 1)]
    best: tuple[tuple[int, ...], str, bool] | None = None
    for typed in cuts:
        if typed[-1] in chat and len(typed[-1]) <= 3:
            continue  # "recessive" is no "recess i've", "dicer" no "dice are"
        if len(typed) == 3 and not all(_part_as_typed(t, n == 0) for n, t in enumerate(typed)):
            continue  # three pieces need every piece a word as typed (below): no typo search
        read = [_part(t, n == 0) for n, t in enumerate(typed)]
        if any(r is None for r in read):
            continue
        parts = [r for r in read if r is not None]
        sure = all(q == 2 for _, q in parts)
        if not _person_ok([w for w, _ in parts], sure):
            continue
        if len(typed) == 3 and not sure:
            continue  # three pieces with a typo: too easy to find
        score = (-len(typed), int(sure), sum(w in flags for w, _ in parts),
                 sum(t in _JOINING for t in typed), -sum(len(t) == 1 for t in typed),
                 -sum(t in chat for t in typed), sum(len(t) ** 2 for t in typed))
        if best is None or score > best[0]:
            best = (score, " ".join(w for w, _ in parts), sure)
    if best is None and len(word) >= 9:
        # an unknown word glued to a red-flag word ("unusalbleeding"): the red-flag word is
        # read on its own, the rest left as typed
        for i in range(4, len(word) - 4):
            if word[i:] in flags and len(word) - i >= 5:
                return f"{word[:i]} {word[i:]}", False
            if word[:i] in flags and i >= 5 and len(word) - i >= 4 and not _known(word[i:]):
                return f"{word[:i]} {word[i:]}", False
    return (best[1], best[2]) if best else None


_GLUED = re.compile(r"[a-z]+'?[a-z]*")
_CONTRACTION_GLUED = re.compile(r"([a-z]+'(?:t|s|m|re|ve|ll|d))([a-z]{2,})")
# Letters typed against a number ("temp38.3", "fevr39", "10times", "2breathe"); names with a
# number (her2, cdk4, b12, 5fu, t dm1) are kept, and so are units ("38c", "10mg", "2am").
_LETTERS_DIGITS = re.compile(r"\b([a-z]{3,})(\d)")
_DIGITS_LETTERS = re.compile(
    r"(\d)(?!(?:st|nd|rd|th|mg|ml|mcg|kg|cm|mm|am|pm|hrs?|mins?|secs?|fu|c|f|x|g|s|h|d|k)\b)([a-z]{3,})\b")
_BEFORE_NUMBER = frozenset("for at of is was about over since than around".split())


def _digit_glue(m: re.Match[str]) -> str:
    letters, digit = m.groups()
    read = correct_word(letters)
    if letters in _BEFORE_NUMBER or read in vocabulary()[0] or letters in vocabulary()[1]:
        return f"{letters} {digit}"
    return m.group()


# Words that make a message a report (a person, a time): a run-together word is read with one
# only in two pieces as typed, and only where people glue them: next to a red-flag word
# ("herspeech", "bloodthis", "nownumb"), "i" before a short word ("iwant", "imdying"), "she"
# or "he" first, "my" first or last, "me", "his", "her" last ("mylife", "endmy", "confusedme",
# "endinghis"), a time or "help" after a word ("timestoday", "dyinghelp", "metoday"); never
# "us" or "we". So "heparin" is no "he
# pain", "insipidus" no "insipid us", "hispanic" no "his panic", "stillbirth" no "still birth",
# "imperforate" no "i'm perforate".
_PERSON = frozenset("i i'm i've me my we us he she his her him they them our".split())
_WHEN = frozenset("this that these now today still again since help".split())


def _person_ok(words: list[str], sure: bool) -> bool:
    flags, _ = vocabulary()
    said = [w for w in words if w in _PERSON or w in _WHEN]
    if not said:
        return True
    if not sure or len(words) != 2 or {"us", "we"} & set(said):
        return False
    first, second = words
    if len(said) == 2:
        return first in _PERSON and second in _WHEN  # "metoday"
    other = second if first in said else first
    if other in flags:
        return True
    if first in ("i", "i'm", "i've"):
        return len(second) <= 7
    return first in ("she", "he", "my") or second in ("my", "me", "his", "her") or second in _WHEN


_JOINING = frozenset("a an and as at for from he her his i in is it me my of on she the this that to "
                     "up when where with".split())
_CONTRACTION = re.compile(r"([a-z]+?)((?:can|don|won|isn|doesn|didn|couldn|wouldn|wasn|aren|haven|"
                          r"hasn)'t|i'm|i've|it's|she's|he's|they're)")


def _unglue_word(m: re.Match[str], words: bool = True) -> str:
    word = m.group()
    before = _CONTRACTION.fullmatch(word)
    if before and (_known(before[1]) or before[1] in _SHORT):  # "mumdoesn't", "ican't"
        return f"{before[1]} {before[2]}"
    glued = _CONTRACTION_GLUED.fullmatch(word)
    if glued:  # the apostrophe ending shows where the first word ends ("can'tbreathe")
        rest = _GLUED.fullmatch(glued[2])
        return f"{glued[1]} {_unglue_word(rest, words) if rest else glued[2]}"
    if words and word.endswith("'s") and "'" not in word[:-2]:  # "entiremonth's"
        stem = _GLUED.fullmatch(word[:-2])
        return _unglue_word(stem, words) + "'s" if stem else word
    if not words or "'" in word or _known(word) or word in vocabulary()[1] or _undouble(word) or _phonetic(word):
        return word
    split = _split(word)
    if not split or not split[1] or split[0].count(" ") != 1:
        return word
    return split[0] if _sure_apart(word, split[0]) else word


def _sure_apart(word: str, pieces: str) -> bool:
    """Two words read apart as sure as the text itself: each piece typed as it is read (no chat
    spelling: "recessive" is no "recess i've"), no one-letter piece ("atrophy" is no "a
    trophy") but "a" after a leading word, and one piece a red-flag word or a leading small
    word that starts no word of medicine (the English list misses many words: "dosage" is no
    "do sage", "infertility" no "in fertility")."""
    flags, _ = vocabulary()
    first, second = pieces.split(" ")
    return (word == first + second and len(first) > 1
            and (first in flags or second in flags or first in _LEADING)
            and (len(second) > 1 or first in _LEADING))


# Small words that start no word of medicine ("thenausea", "withchemo", "athome", "mylife",
# "wherea"); "in", "is", "as", "a" do ("infertility", "islet", "ascites", "atrophy").
_LEADING = frozenset("the with and this that from when where at my".split())


def unglue(text: str, words: bool = True) -> str:
    """Normalised text with words typed without a space written apart where every piece is a
    word as typed, in two pieces, one a red-flag word ("ishaving" -> "is having", "can'tbreathe" -> "can't breathe",
    "temp38.3" -> "temp 38.3"): a reading as sure as the text itself, so rules and their exceptions read it
    instead of the glued text ("faintline" is "faint line", not a faint). With words=False only
    a number and an apostrophe ending show where a word ends."""
    text = _LETTERS_DIGITS.sub(_digit_glue, text)
    text = _DIGITS_LETTERS.sub(r"\1 \2", text)
    return _GLUED.sub(lambda m: _unglue_word(m, words), text)


@cache
def correct_word(word: str) -> str:
    """The word as the red-flag rules should read it (often the word itself)."""
    _, chat = vocabulary()
    if word in chat:
        return chat[word]
    if word.endswith("'s") and word[:-2].isalpha() and not _known(word):  # "entiremonth's"
        return correct_word(word[:-2]) + "'s"
    if _known(word):
        return word
    head, apostrophe, tail = word.partition("'")
    if apostrophe and head.isalpha() and tail.isalpha():  # "cann't"
        return _contraction(head, tail) or word
    if not word.isalpha():
        return word
    if len(word) > 3 and word.endswith("in") and _known(word + "g") and word[:-2] not in vocabulary()[0]:
        return word + "g"  # a dropped g ("runnin", "gettin", "feelin"), not "run in"; "painin" is "pain in"
    if len(word) > 4 and word.endswith("in") and word[:-2] not in vocabulary()[0]:
        dropped = _undouble(word + "g") or _nearest(word + "g")  # and a letter typed once
        if dropped and dropped.endswith("ing") and _distance(word + "g", dropped, 1) <= 1:
            return dropped  # "swelin" is swelling
    squeezed = re.sub(r"(.)\1\1+", r"\1\1", word)  # "feverrr", "fittting"
    if squeezed != word and (_known(squeezed) or squeezed in chat):
        return chat.get(squeezed, squeezed)
    fixed = _undouble(squeezed) or _phonetic(squeezed) or _said(squeezed)
    near = None if fixed else _nearest(squeezed)
    if near and edit_distance(squeezed, near, transpositions=True) <= 1:
        return near  # "brathe" is breathe, not "bra the"
    split = None if fixed else _split(squeezed)
    clean = split and split[0].replace(" ", "") == squeezed and min(map(len, split[0].split())) > 1
    slip = None if fixed or near or not split or clean else _slip(squeezed)
    if slip and (sorted(slip) == sorted(squeezed) or slip in {
            squeezed[:i] + squeezed[i + 1 :] for i in range(1, len(squeezed)) if squeezed[i] == squeezed[i - 1]}):
        return slip  # a swap or a letter typed twice beats pieces read through a chat spelling
        # or a one-letter piece: "nohting" is no "n oh ting" ("toend" is still "to end")
    heard = _sounds_like(squeezed) if split and len(squeezed) >= 6 else None
    if (heard and len(heard) >= 6 and not set(split[0].split()) & vocabulary()[0]
            and _distance(squeezed, heard, 2) <= 2):
        return heard  # "seasure" is seizure said aloud, not "sea sure" ("fiveyears" is no fevers)
    if split and split[1]:
        return split[0]  # "faintline" is "faint line", not fainting
    return (_run_together(squeezed) or fixed or near or _sounds_like(squeezed)
            or (split[0] if split else None) or _split_undoubled(squeezed) or _slip(squeezed)
            or word)


# A whole message typed without spaces ("shesfittingnowwhatdoido", "iamshortofbreathandmylips
# areblue"): read apart into words when nearly all of it is words and it holds a red-flag word.
RUN_MIN = 14  # letters: shorter glued words are the two- and three-piece reading's, and a
# long word of medicine the English list lacks ("immunotherapy") is no "i'm mu no therapy"
_RUN_UNKNOWN_SHARE = 0.25  # of the letters, at most, in pieces that are no word ("heip")


_ESCAPE = re.compile(r"\\[a-zA-Z]")  # "\bfever": the escape is no part of the word


@cache
def _rule_words() -> frozenset[str]:
    """The words red_flags.txt's rules are written with ("end", "die", "fitting", "blue")."""
    return frozenset(w for line in datafiles.lines("red_flags.txt")
                     for w in re.findall(r"\b[a-z]{3,}\b", _ESCAPE.sub(" ", line.partition("|")[2])))



def _run_together(word: str) -> str | None:
    """The fewest pieces that read as words (as typed, or a chat spelling), a piece that is no
    word costing more the longer it is; None unless there are four pieces or more, at most a
    quarter of the letters sit in pieces that are no word, and some piece is a word the rules
    are written with or a chat spelling. Those words win a tie ("to end it", not "toe and it")."""
    if len(word) < RUN_MIN or not word.isalpha():
        return None
    flags, chat = vocabulary()
    n = len(word)
    best: list[tuple[float, int, int] | None] = [None] * (n + 1)  # cost, start, unknown letters
    best[0] = (0.0, 0, 0)
    for end in range(1, n + 1):
        for start in range(max(0, end - 20), end):
            if best[start] is None:
                continue
            piece = word[start:end]
            if piece == "i" or (_part_as_typed(piece, start == 0) and (len(piece) > 1 or piece == "a")):
                # a red-flag word or a chat spelling first ("cant wee", not "can twee"), then
                # long pieces ("tired on", not "tire don")
                said = chat.get(piece, piece)
                cost = (0.8 if piece in flags or piece in chat or said in _rule_words()
                        else 1.0 if len(piece) > 1 else 1.5) - 0.001 * len(piece) ** 2
                unknown = 0
            elif 3 <= len(piece) <= 6:  # a typo ("heip"); a one- or two-letter scrap is a bad reading
                cost, unknown = 3.0 + len(piece), len(piece)
            else:
                continue
            total = best[start][0] + cost
            if best[end] is None or total < best[end][0]:
                best[end] = (total, start, best[start][2] + unknown)
    if best[n] is None or best[n][2] > n * _RUN_UNKNOWN_SHARE:
        return None
    pieces, end = [], n
    while end:
        start = best[end][1]
        pieces.append(word[start:end])
        end = start
    pieces.reverse()
    if len(pieces) < 4 or not any(p in flags or p in chat or p in _rule_words() for p in pieces):
        return None
    return " ".join(chat.get(p, p) for p in pieces)


_NOT_STEMS = frozenset("can don won isn doesn didn couldn wouldn shouldn wasn weren aren haven hasn hadn "
                       "ain mustn needn".split())


def _contraction(head: str, tail: str) -> str | None:
    """A contraction with a slip in its first part ("cann't", "cna't", "havn't", "chesst's"); None when
    the first part is already right ("doesn't") or nothing fits."""
    if tail == "t":
        if head in _NOT_STEMS:
            return None
        single = re.sub(r"(.)\1+", r"\1", head)
        swaps = {head[:i] + head[i + 1] + head[i] + head[i + 2 :] for i in range(len(head) - 1)}
        dropped = {head[:i] + c + head[i:] for i in range(1, len(head) + 1) for c in "aeiou"}
        fits = ({single} | swaps | dropped) & _NOT_STEMS
        return f"{fits.pop()}'t" if len(fits) == 1 else None
    if _known(head):
        return None
    fixed = correct_word(head)
    return f"{fixed}'{tail}" if fixed != head and fixed.isalpha() else None


def _split_undoubled(word: str) -> str | None:
    """Words typed run together with a letter typed twice ("chesttpain", "shortoffbreath")."""
    for i in range(1, len(word)):
        if word[i] != word[i - 1]:
            continue
        once = word[:i] + word[i + 1 :]
        if once in english_words():
            return None  # "nothhing" is nothing, not "no thing": _slip
        if split := _split(once):
            return split[0]
    return None


def _slip(word: str) -> str | None:
    """The one common English word a non-word is a slip of the finger from: two letters swapped
    ("nohting", "cna't"), a letter typed twice ("nothhing", "feelling"), or, from five letters
    on, one letter dropped ("seeng", "sinle"), added or mistyped. The rules need their context
    words too ("can't keep nothing down"); a word with two English neighbours is left as typed."""
    english = english_words()
    flags, chat = vocabulary()
    swaps = {word[:i] + word[i + 1] + word[i] + word[i + 2 :] for i in range(len(word) - 1)}
    swapped = {w for w in swaps if w in english or w in flags or w in chat}
    if len(word) >= 3 and len(swapped) == 1:  # two letters swapped, the commonest slip
        return chat.get(w := swapped.pop(), w)
    single = re.sub(r"(.)\1+", r"\1", word)
    for i in range(len(word) - 1, 0, -1):  # the last double first: "feelling" is "feeling"
        if word[i] == word[i - 1] and word[:i] + word[i + 1 :] in english:
            return word[:i] + word[i + 1 :]
    if single != word and single in english:
        return single
    if len(word) < 5:
        return None
    doubled = {word[:i] + word[i - 1] + word[i:] for i in range(2, len(word))
               if word[i - 1] not in "aeiouy" and word[i - 2] in "aeiouy" and word[i] in "aeiouy"}
    doubled &= english
    if len(doubled) == 1:  # a consonant typed once where it is said once but spelled twice ("stoping")
        return doubled.pop()
    letters = "abcdefghijklmnopqrstuvwxyz"
    dropped = {word[:i] + c + word[i:] for i in range(1, len(word) + 1) for c in letters}
    restored = {w for w in dropped if w in english or w in flags}
    if len(restored) == 1:  # one letter dropped ("seeng", "sinle")
        return restored.pop()
    near = {w for w in _edits1(word) if w[0] == word[0] and w in english}
    return near.pop() if len(near) == 1 else None


def _join(text: str) -> str:
    """Two or three words that make one red-flag word when written together ("head ache",
    "nose bleed", "port a cath"): the mirror of _split. Only a red-flag word is ever produced."""
    flags, _ = vocabulary()
    words = text.split(" ")
    out, i = [], 0
    while i < len(words):
        for n in (3, 2):
            parts = words[i : i + n]
            if len(parts) == n and all(p.isalpha() for p in parts) and "".join(parts) in flags:
                out.append("".join(parts))
                i += n
                break
        else:
            out.append(words[i])
            i += 1
    return " ".join(out)


_BEFORE_NOUN = frozenset("a an the another my her his their our having had has of".split())


def _join_sounds(text: str) -> str:
    """Two words said as one red-flag word, as dictation writes them ("having a seas your",
    "a see sure" -> "a seizure"): the two together must sound like a red-flag word of six
    letters or more, and stand where a noun would ("a", "her", "having" before them), so "she
    sees your nurse" stays as typed."""
    words = text.split(" ")
    out, i = [], 0
    while i < len(words):
        pair = words[i : i + 2]
        if (len(pair) == 2 and i and words[i - 1] in _BEFORE_NOUN
                and all(p.isalpha() and p not in vocabulary()[0] for p in pair)):
            meant = _sounds().get(sound("".join(pair)))
            if meant and len(meant) >= 6 and abs(len(meant) - len("".join(pair))) <= 3:
                out.append(meant)
                i += 2
                continue
        out.append(words[i])
        i += 1
    return " ".join(out)


def _sound_alikes(text: str) -> str:
    for rx, meant in phrases():
        text = rx.sub(meant, text)
    return text


# "my chest's tight", "her throats swelling": a sign noun with "'s" (or an "s" for it) before a
# word is the noun and "is"; plural sign nouns ("legs", "arms") are left alone.
_NOUN_IS = re.compile(r"\b(chest|throat|tongue|face|breathing|speech|heart|head|temp|temperature|tummy|stomach)"
                      r"(?:'s|s)(?= (?!(?:x ?rays?|scans?|ct|wall|port|infection|drain|physio)\b)[a-z])")


def _digit_word(m: re.Match[str]) -> str:
    word, digit = m.groups()
    meant = vocabulary()[1].get(digit) if word not in _COUNT_BEFORE else None
    return f"{word} {meant or digit}"


def correct(text: str) -> str:
    """Normalised text with each word corrected towards the red-flag vocabulary."""
    text = _SPLIT_CONTRACTION.sub(r"\1't", text)
    text = _SPLIT_I.sub(r"i'\1 ", _SPLIT_S.sub(r"\1's ", text))
    text = _DIGIT_WORD.sub(_digit_word, text)
    text = _join(_WORD.sub(lambda m: correct_word(m.group()), text))
    text = _NOUN_IS.sub(r"\1 is", text)
    return _join_sounds(_sound_alikes(text))
