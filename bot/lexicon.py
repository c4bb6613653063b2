"""Vocabulary bridges: aliases mined from the documents, the lay lexicon, spelling correction.

`Expander.expand(question)` turns a question into concepts: each concept is a set of
alternative phrases (term tuples) with a weight, so "Herceptin" also searches "trastuzumab",
"spread" searches "metastatic", and "tamoxifin" is corrected to "tamoxifen" first.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import cache

from nltk.metrics.distance import edit_distance

from . import datafiles
from . import question as qmodel
from .analyzer import Analyzer, Token
from .spelling import Speller, english_words, spelling_variants

ALIAS_WEIGHT = 0.95
MAX_PARTNERS = 6
LEXICON_WEIGHT = 0.8
RELATED_WEIGHT = 0.5
WEAK_TYPE = 0.5  # a type guess below this is asked again with the plain words kept
# A person ("Why did she get Herceptin?"), beside a drug the question names, points nowhere
_PERSON = re.compile(r"\b(?:her|him|she|he)\b")
_PRONOUN = re.compile(r"\b(?:it|its|them|they|her|him|she|he)\b")
_QUOTED = re.compile(r"[\"'\u2018\u201c]([^\"'\u2019\u201d]{2,60})[\"'\u2019\u201d](?!\w)")
# Care staff named in a story ("The nurse explained it") are who spoke, never what "it" or "those
# letters" stand for.
_STAFF = re.compile(r"(?:the |my |her |his |our |a )?(?:breast care |chemo |specialist )?(?:nurses?|doctors?|"
                    r"oncologists?|consultants?|gps?|surgeons?|specialists?|(?:care )?teams?)$")
# "Is this the same drug women take?", "Is that a hormone treatment?": the story's drug is asked about
_IS_THAT_A = re.compile(r"\b(?:is|are|was|were)\s+(?:that|this|these|those)\s+(?:the|a|an)\s+(?:\w+\s+)?"
                        r"(?:drugs?|pills?|tablets?|treatments?|medicines?|medications?|therap(?:y|ies)|"
                        r"injections?|chemo)\b")
# "The doctor says Kadcyla next. Is that the usual next step?", "is this the normal approach?",
# "Is that a usual combination?": whether the story's named thing is the usual course, not a
# topic of its own
_IS_THAT_STEP = re.compile(r"\b(?:is|are|was|were)\s+(?:that|this|these|those)\s+(?:the|a|an)\s+(?:\w+\s+){0,2}"
                           r"(?:steps?|options?|plans?|approach(?:es)?|choices?|routes?|things? to do|"
                           r"combinations?|combos?|pairings?|mix)\b")
# "What's the difference?", "which is better?", "can you explain the difference?": between the
# things the story names
_COMPARES = re.compile(r"\b(?:what(?:'s| is| are)|whats|describes?|explains?|say about|says about|tell me|"
                       r"is there (?:a|any)|put) (?:the )?differences?(?: between (?:them|the two|both|"
                       r"the two of them))?\s*(?:[?.!]|$)"
                       r"|\bwhich (?:one )?(?:is|would be|works) (?:better|best)\s*(?:[?.!]|$)")
# The question sentence points into the story ("What is it usually combined with?", "what
# comes first for that?", "what care is there for her?"): the story names what it is about.
# A demonstrative with a word for a treatment ("that one", "this drug", "those pills") points
# back wherever it stands.
# "one" for a thing named elsewhere ("can I be treated with one?", "should I get one?") is no
# topic of its own: the named thing is
_ONE = re.compile(r"\b(?:get|gets|getting|got|have|has|having|need|needs|want|wants|ask for|asking for|"
                  r"request|requesting|book|booking|arrange|arranging|seek|seeking|try|trying|join|"
                  r"start|take|be on|treated with|treat me with|treat her with|treat him with|put on|"
                  r"put me on|put her on|put him on)\s+(one)\b(?!\s+(?:of|more|day|week|month|year|at|by|"
                  r"too many|tablet|pill|dose|cycle|drug|treatment)s?\b)")
# "what does that actually mean for the cancer?", "what did she mean by that exactly?": what
# the words the story reports mean, the words quoted first ("used the words 'systemic therapy'")
_MEANS_THAT = re.compile(r"\b(?:does|did|do|would|could)\s+(?:that|this)\s+(?:\w+\s+)?mean\b"
                         r"|\bmean\s+by\s+(?:that|this)\b")
_POINTS_BACK = re.compile(_PRONOUN.pattern +
                          r"|\b(?:that|this|these|those)\b(?:\s+\w+)?\s*(?:[?.!]|$)"
                          r"|\b(?:that|this|these|those)\s+(?:new\s+|other\s+)?(?:one|ones|drugs?|pills?|"
                          r"tablets?|treatments?|medicines?|medications?|meds|therap(?:y|ies)|"
                          r"injections?|shots?|jabs?|infusions?|letters|words|numbers|results?|terms?|"
                          r"abbreviations?|initials|codes?|phrases?)\b"
                          # "is getting one normal?": "one" for the thing the story named
                          r"|" + _ONE.pattern +
                          r"|\b(?:about|with|after)\s+(?:this|that)\b"
                          # "what sort of pill that is", "what kind of drug this is": the story's
                          r"|\b(?:pills?|drugs?|tablets?|medicines?|medications?|treatments?|injections?|"
                          r"therap(?:y|ies)|shots?|jabs?)\s+(?:that|this)\s+(?:is|was)\b"
                          # "what does that actually mean for the cancer?", "what did she mean by
                          # that exactly?": the words the story reports are what is asked
                          r"|" + _MEANS_THAT.pattern +
                          r"|" + _COMPARES.pattern + r"|" + _IS_THAT_A.pattern + r"|" + _IS_THAT_STEP.pattern)
# "one" set against a count ("two chemo drugs instead of one", "rather than just one", "her
# friend only got one") is the count, no topic of its own
# "one" after a word for its kind ("is there a targeted one for me?", "a hormone one", "a newer
# one") stands for a drug of that kind, no topic of its own (the kind is)
_KIND_OF_ONE = re.compile(r"\b(?:a|an|any|another|the)\s+(?:targeted|hormone|hormonal|chemo|immunotherapy|"
                          r"newer|new|different|better|stronger|similar|oral|tablet|pill|gentler|milder)\s+"
                          r"(one)\b(?!\s+of\b)")
_COUNTED_ONE = re.compile(r"\b(?:instead\s+of|rather\s+than|only\s+(?:got|gets|get|getting|had|has|have|having))"
                          r"\s+(?:(?:just|only|using|giving|having|taking|getting)\s+)*(one)\b(?!\s+of\b)"
                          # "will I get just one kind of treatment or a mix?": the count, no topic
                          r"|\b(?:just|only)\s+(one)\s+(?:kind|type|sort)\s+of\b")
# Who is asking and how ("clinic admin here", "ward secretary speaking", "need a quick look up"):
# a staff member's preamble, no topic
_ASKER = re.compile(r"\b(?:(?:clinic|ward|oncology|practice|office|hospital|surgery|medical|unit|front\s+desk)\s+)*"
                    r"(?:admin|administrator|secretary|receptionist|coordinator|clerk|scheduler|pharmacist|"
                    r"student|volunteer)\s+(?:here|speaking)\b"
                    r"|\b(?:(?:need|needs|want|doing|just)\s+)?(?:a\s+)?quick\s+(?:look[\s-]?up|check|query)\b")
# A staff look-up's framing ("checking a quote:", "quote check", "where's the list of...",
# "where can I see the list of...",
# "where is the hormone drug table?", "where in the guide", "where does it say", "is that in
# there?", "does the guide put"): how the asker looks something up in the guide, no topic -
# "where" is no place here
_LOOKUP = re.compile(r"\b(?:checking|check|verifying|verify|confirming|confirm)\s+(?:a|the|this|that|one|my)\s+"
                     r"(?:quote|quotation|line|sentence|phrase|wording)\b|\b(?:quote|quotation|wording)\s+check\b"
                     r"|\bwhere(?:'s|s|\s+is|\s+are|\s+(?:do|can|could|would)\s+(?:i|we|you)\s+(?:find|see|look\s+at|view|read))"
                     r"\s+(?:the|a)\b"
                     r"(?=\s+(?:[\w-]+\s+){0,4}?(?:tables?|lists?|charts?|sections?|paragraphs?|passages?|bits?|parts?|"
                     r"pages?|headings?)\b)"
                     r"|\bwhere\s+in\s+(?:the|this|that)\s+(?:guide|leaflet|booklet|document|text|page)\b"
                     r"|\bwhere\s+(?:does|do|did)\s+(?:it|the\s+guide|the\s+leaflet|they)\s+(?:say|says|mention|talk\s+about|"
                     r"list|cover)\b"
                     r"|\bis\s+(?:that|this|it)\s+(?:in\s+there|in\s+the\s+guide|from\s+the\s+guide)\b"
                     # "which chart shows ...": what a table or list does is no topic
                     r"|\b(?:tables?|charts?|lists?|sections?|bits?|parts?|pages?|paragraphs?)\s+"
                     r"(shows?|gives?|contains?|includes?)\b"
                     # "what category does the guide put tamoxifen in?": where the guide files it
                     r"|\b(?:does|do|did|would)\s+the\s+(?:guide|leaflet|booklet|document|table)\s+(?:put|place|file|"
                     r"class|list)\b")
# How usually a thing is done ("normally", "usually", "typically"): asked of a named drug, no
# topic (not "is this diarrhoea normal?", "in normal words")
_HOW_USUAL = re.compile(r"(?:usual|normal|typical|common|general)ly")
# A demonstrative points at the nearest thing named ("Now they've mentioned Kadcyla. Who is
# that one for?"), where a pronoun may stand for anything the story names.
_POINTS_AT = re.compile(r"\b(?:that|this|these|those)\b")
# A story sentence saying something of a thing named before it ("I thought that was for
# dying people", "this was new to me"): what it points at is further back.
_SAYS_OF_IT = re.compile(r"\b(?:that|this)\s+(?:was|is|were|'s|had|has)\b")
# "it" standing for nothing ("is it possible to...", "does it matter", "what does it mean",
# "whose decision is it", "is it up to me"):
# such a question does not point back into the story
_DUMMY_IT = re.compile(r"\b(?:is|was|would|will|does|do|could|can|might|it's)\s+it\s+(?:be\s+|still\s+)?"
                       r"(?:possible|ok|okay|alright|safe|normal|true|worth|too|better|common|usual|"
                       r"wise|sensible|reasonable|prudent|permissible|acceptable|necessary|advisable|a good idea|"
                       r"a bad idea|make sense|matter|mean|help|"
                       r"make a difference)\b"
                       r"|\bit\s+is\s+(?:possible|ok|okay|safe|normal|true|sensible|permissible|acceptable|advisable)\b"
                       r"|\bwhose\s+(?:decision|choice|call)\s+is\s+(?:it|this|that)\b|\bis\s+it\s+up\s+to\b"
                       r"|\bis\s+it\s+(?:my|her|his|their|our|your)\s+(?:decision|choice|call)\b")
# "Who is it given to?", "who is it for?": who a thing is for, the thing the story's nearest
# sentence names ("The doctor mentioned Kadcyla."), not every drug the story tells of
_WHO_FOR = re.compile(r"\bwho\s+(?:is|are|was|would)\s+(?:it|they|that|this)\s+(?:\w+\s+)?(?:for|to)\b")
# Whether a claim told in the story holds ("my friend said X. Is that true?"): the claim is asked
_ASKS_TRUTH = re.compile(r"\b(?:is|was|are)\s+(?:that|this|it|these|those)\s+(?:really\s+)?"
                         r"(?P<word>true|right|correct|accurate|so|a myth|real|a fact)\b")
# Where a result is written ("on my pathology report", "in the letter", "on her results"): no
# topic, as where the asker read something is none
_PAPERS = r"(?:reports?|letters?|results?|paperwork|papers|notes|print-?outs?|summary)"
_WRITTEN_IN = re.compile(r"\b(?:on|in)\s+(?:my|the|her|his|their|your|our|this|that|a)\s+"
                         rf"(?:[\w-]+\s+){{0,2}}?{_PAPERS}\b"
                         # "the pathology report says HER2 positive": what it says is the topic
                         r"|\b(?:(?:pathology|path|biopsy|histology|lab)\s+)?"
                         rf"{_PAPERS}\s+(?:say|says|said|shows?|showed|mentions?|mentioned|reads?|"
                         r"states?|stated)\b"
                         # "the scan showed it grew", "my scans show it has spread": a scan or
                         # blood test reporting what it found (not "what does a bone scan show?")
                         r"|\b(?:the|my|her|his|their|our|last|latest|recent|new)\s+(?:[\w-]+\s+)?"
                         r"(?:scans?|bloods|blood\s+(?:tests?|work|results?))\s+(?:says?|said|shows|showed|"
                         r"showing|found|picked\s+up)\b"
                         # "it's growing again on scans", "bigger on the latest scan": where the
                         # change was seen (not "what does a bone scan show?")
                         r"|\b(?:growing|grown|grows|grew|bigger|smaller|shrinking|shrunk|spread|spreading|"
                         r"progressing|progressed|stable|again|seen|showing|shows|showed)\s+"
                         r"((?:on|in)\s+(?:(?:the|my|her|his|their|our|last|latest|recent|new|a)\s+){0,2}scans?)\b")
# "what are targeted drugs for, how are they different?", "what makes them different?": a
# difference asked of the thing named alone, against nothing named, asks what it is (not "how is it
# different from chemo?"); "like last time", "same as before": the past set beside it, no topic
_HOW_DIFFERENT = re.compile(r"\b(?:how\s+(?:are|is)\s+(?:they|it|these|those|that|this)\s+different|what\s+makes\s+"
                            r"(?:them|it|these|those|that|this)\s+different|how\s+do\s+(?:they|these|those)\s+"
                            r"differ)\b(?!\s+(?:from|than|to|with)\b)"
                            r"|\b(?:like|as|same\s+as)\s+(?:the\s+)?(?:last|first)\s+time\b")
# "...was ER positive. What is the first treatment for that kind?": a kind pointed at, which a
# receptor status told in the story can be
_THAT_KIND = re.compile(r"\b(?:that|this|those|these)\s+(?:kinds?|types?|sorts?|forms?)\b(?!\s+of\b)")
# "my nurse mentioned Halaven, what's that one?": the nurse who spoke, in the question beside a
# thing it names, is who said it, no topic (not "will a nurse be on the team?"; in a story, care
# staff are context already)
_SPOKE = re.compile(r"\b(?:the|my|her|his|our|their|a|mum's|mom's|dad's)\s+(?:breast\s+care\s+|chemo\s+|specialist\s+|"
                    r"cancer\s+|oncology\s+)?(nurses?)\s+(?:has\s+|had\s+|just\s+|also\s+)?(?:mentioned|mentions|said|"
                    r"says|suggested|suggests|told|tells|talked|spoke|brought\s+up|explained|recommended|recommends|"
                    r"wants|thinks|thought|was\s+talking|asked)\b")
# "It feels like the cancer learns", "seems like": a way of saying, no feelings asked about
_SEEMS = re.compile(r"\b(?:feels?|felt|seems?|seemed)\s+(?:like|as\s+if|as\s+though)\b")
# "you stay on chemo for 6 cycles no matter what": an idiom, no "does it matter" asked
_NO_MATTER = re.compile(r"\bno\s+matter\s+(?:what|how|when|which|who|where)\b")
# "pause my treatment for a few months", "a break for a couple of weeks", "stopped working after
# a year": how long an aside lasted is no topic (bare "for years", "for months" stay: the
# lexicon reads them as how long; "alive after five years" asks a survival figure); nor is an
# unnamed time, "could chemo get added at some point?" (not "what's the point of it?")
_FOR_A_SPELL = re.compile(r"\bfor\s+(?:a\s+few|a\s+couple(?:\s+of)?|a|one|some|several|two|three|four|"
                          r"six|\d+)\s+(?:days?|weeks?|months?)\b"
                          r"|\bafter\s+(?:a\s+few|a\s+couple(?:\s+of)?|a|one)\s+(?:weeks?|months?|years?)\b"
                          r"|\bat\s+(?:some|any|one|a\s+later|a\s+certain|that|this)\s+(?:point|stage)\b"
                          # how long a drug worked before it stopped ("after working so well for
                          # 2 years", "it helped for three years"): the years are the aside's
                          r"|\b(?:work|works|worked|working|help|helps|helped|helping|responded|responding)"
                          r"(?:\s+(?:so|really|very|well|fine|great|nicely|for\s+her|for\s+him|for\s+me)){0,3}"
                          r"\s+(for\s+(?:about\s+|nearly\s+|almost\s+|over\s+)?(?:a\s+few|a\s+couple(?:\s+of)?|a|one|two|"
                          r"three|four|five|six|seven|eight|nine|ten|many|several|some|\d+)\s+years?)\b")
# ...but "stop treatment for a few months", "stop for a few weeks" is a treatment break, a lexicon
# phrase whole (not "it worked for a few months")
_STOPPED_FOR = re.compile(r"\b(?:stop|stopping|stopped|come\s+off|coming\s+off)(?:\s+(?:my|her|his|the|all))?"
                          r"(?:\s+(?:treatment|treatments|chemo|tablets|pills))?\s*$")
# "the treatments I had years ago", "a lumpectomy eleven years ago": when something was done
# is no topic (the guide names no span of years)
_AGO = re.compile(r"\b(?:(?:a\s+few|a\s+couple(?:\s+of)?|a|one|two|three|four|five|six|seven|eight|nine|ten|"
                  r"eleven|twelve|fifteen|twenty|many|several|some|\d+)\s+)?(?:days?|weeks?|months?|years?)\s+ago\b")
# A formal letter's courtesies ("I should be most grateful if", "I wish to know whether", "what
# manner of medicine", "whether it is permissible to"): ways of asking, no topic
_COURTESY = re.compile(r"\b(?:i\s+(?:should|would)\s+be\s+(?:most\s+|very\s+|extremely\s+|so\s+)?grateful|"
                       r"i\s+(?:wish|would\s+wish)\s+to\s+(?:know|ask|enquire|inquire)|what\s+manner\s+of|"
                       r"(?:is\s+it|it\s+is|would\s+it\s+be)\s+(?:permissible|permitted))\b")
# Whether asking is polite ("is it rude to ask for...", "is that rude to my oncologist?", "I
# don't want to offend my oncologist", "is getting one a sensible thing?"): a way of asking
# whether to do it, like "is it a good idea", no topic
_MANNERS = re.compile(r"\b(?:(?:is|was|would|will|could|might)\s+(?:it|that|this)\s+(?:be\s+)?)?"
                      r"(?:rude|impolite|disrespectful|insulting|offensive|cheeky|bad\s+manners)"
                      r"(?:\s+(?:to|for|of)\s+(?:my|the|her|his|our|your)\s+(?:\w+\s+)?"
                      r"(?:oncologist|doctor|consultant|specialist|team|nurse)s?)?\b"
                      r"|\b(?:offend|offending|upset|upsetting|insult|insulting|annoy|annoying|hurt)\s+"
                      r"(?:my|the|her|his|our|your)\s+(?:\w+\s+)?(?:oncologist|doctor|consultant|specialist|"
                      r"team|nurse)s?(?:'s\s+feelings)?\b"
                      r"|\b(?:a|the)\s+(?:sensible|wise|reasonable|right|good|done)\s+thing(?:\s+to\s+do)?\b")
# "How long do people usually stay on...", "does it normally": an adverb hedging the verb is
# no topic ("the usual treatment", "what is usually first" keep theirs)
_HEDGE = re.compile(r"\b(?:do|does|did|will|would|can|people|patients|women|you|they|we|she|he|"
                    r"it)\s+(usually|normally|typically|generally)\b")
# "Is navelbine used for breast cancer or just lung?", "is Lupron only for prostate cancer?": the
# other cancer a drug is set against is no topic (the guide speaks of breast cancer only)
_OTHER_CANCER = re.compile(r"\b(?:or\s+)?(?:just|only|mainly|mostly)\s+(?:for\s+|in\s+|used\s+(?:for|in)\s+)?"
                           r"(?:the\s+)?(?:lung|ovarian|ovary|prostate|bowel|colon|stomach|bladder|blood|"
                           r"pancreatic|skin)(?:\s+cancers?|\s+ones?)?\b")
# "I keep hearing Ellence", "we keep seeing ads for", "people keep saying": where a name was met,
# again and again, is no topic (the name is)
_KEEP_HEARING = re.compile(r"\b(?:i|we|you|people|everyone|everybody)\s+(?:keep|kept|keeps)\s+"
                           r"(?:on\s+)?(?:hearing|seeing|reading|saying|getting\s+told|being\s+told)"
                           r"(?:\s+(?:about|of|that))?\b")
# "new drugs being tested that might have fewer side effects", "PARP inhibitors having fewer side
# effects", "something new that might be gentler": the hope given for another drug is no topic
# (the drug is); "do targeted drugs have fewer side effects?" asks it, and keeps it
_GENTLER = re.compile(r"\b(?:with|having|that\s+(?:might|may|would|could|will)\s+have|which\s+(?:might|may|"
                      r"would|could)\s+have)\s+(?:way\s+|far\s+|much\s+|a\s+lot\s+)?(?:fewer|less|milder)\s+"
                      r"side[\s-]effects?\b|\b(?:something|anything|one|drug|treatment)\s+(?:new\s+)?(?:that|which)"
                      r"\s+(?:might|may|would|could)\s+be\s+(?:gentler|milder|kinder|less\s+harsh|easier)\b")
# "we respect that", "I accept her decision", "we support his wishes": the family's stance on a
# decision told in the story is no topic (what happens next is)
_STANCE = re.compile(r"\b(?:we|i)\s+(?:(?:fully|totally|completely|do|all|both)\s+)?(?:respect|accept|support|"
                     r"understand)\s+(?:that|this|it|(?:his|her|their|mum's|mom's|dad's)\s+"
                     r"(?:decision|choice|wishes|wish))\b")
# "we are confused, what is that combo actually for?", "I'm so confused": the writer's puzzlement
# is no topic (what puzzles them is; not "mum is confused", a symptom told of someone); "the usual
# first treatment, hormone stuff or chemo?": a filler noun is none either (not "the red stuff", a
# name of doxorubicin)
_PUZZLED = re.compile(r"\b(?:i|we|i'm|im|we're|were|i\s+am|we\s+are|i\s+feel|we\s+feel)\s+(?:(?:so|really|very|"
                      r"a\s+bit|a\s+little|totally|quite|all|just|still|completely)\s+)?(confused)\b"
                      r"|\bso\s+(confused)\b|(?<!\bred\s)\b(stuff)\b")
# "Thanks in advance" ("advance" is no stage of the disease)
_THANKS = re.compile(r"\b(?:thanks|thank\s+you|thankyou|thx)(?:\s+so\s+much|\s+very\s+much)?\s+in\s+advance\b")

# "What do those words / letters mean?", "what does that term mean?": the words pointed at are the
# topic, the noun pointing at them is none.
_THOSE_WORDS = re.compile(r"\b(?:that|this|these|those)\s+(letters|words?|terms?|phrases?|abbreviations?|"
                          r"initials|codes?)\b")
# A word typed with a capital inside a sentence ("the weather in Lisbon") is a name: spelled
# towards the guide only as a near miss (one edit: "my Oncoligist") or towards a drug's name
# ("Herceptine"), never two edits to another word ("Lisbon" is no "lesion")
_PROPER = re.compile(r"(?<![.!?:\n])(?<![.!?:]\s)(?<![.!?:]\s\s)(?<=\s)([A-Z][a-z]{3,})\b")


def is_that_a(text: str) -> bool:
    """The text asks whether a thing pointed at is of a kind ("Is that a hormone treatment?")."""
    return bool(_IS_THAT_A.search(text))


def is_that_step(text: str) -> bool:
    """The text asks whether a thing pointed at is the usual course ("Is that the usual next
    step?")."""
    return bool(_IS_THAT_STEP.search(text))


def proper_nouns(raw: str) -> frozenset[str]:
    """Lower-case forms of the words typed capitalised inside a sentence of `raw`."""
    return frozenset(m.group(1).casefold() for m in _PROPER.finditer(raw))
# Who a thing is for ("done for men", "given to men", "in a man"): a patient word after it
_FOR_WHOM = re.compile(r"\b(?:for|to|in|with|among|on)\s+(?:a\s+|the\s+)?([a-z]+)\b")
# "how long", "how many", "how often": the question's type, whatever phrase holds the words
_HOW_WHAT_WORDS = frozenset({"long", "many", "much", "often", "soon"})
_HOW_WHAT = re.compile(r"how\s+(?:long|many|much|often|soon)\b", re.IGNORECASE)
_SIGNED = re.compile(r"(her2|er|pr)(pos|neg)")
_WORD = re.compile(r"[^\W_]+(?:['-][^\W_]+)*\+?")


def _signed(c: Concept) -> bool:
    """A receptor status written with its sign ("ER positive", "HER2-negative"): a thing the
    guide names, which "that kind" can point at."""
    return any(_SIGNED.fullmatch(t) for t in c.terms)


def _names_a_thing(c: Concept) -> bool:
    """A story's concept a pronoun can stand for: a name or lexicon phrase, not care staff."""
    return (c.source in ("alias", "lexicon") or c.role == "focus") and not _STAFF.match(c.label.casefold())


# Asking for help with what was noticed: "who deals with it", "anyone who helps", "cope"
_HELP_WITH = re.compile(r"\b(?:help|helps|helping|deal|deals|dealing|cope|coping|manage|managing|care"
                        r"|put up with|support|service|team|relief|ease|easing)\b")

@dataclass(frozen=True)
class Concept:
    """One thing the question asks about, and the phrases that count as mentioning it."""

    label: str
    alts: tuple[tuple[tuple[str, ...], float], ...]
    source: str  # word | alias | lexicon | related (only its own words cover it)
    role: str = "content"  # focus | content | framing | general | context (bot/question.py)
    # The class a named drug belongs to ("hormone therapy" for letrozole): a passage on it
    # answers only together with the rest of the question ("letrozole stopped working").
    family: str = ""  # the heading of the section about that class

    @property
    def terms(self) -> set[str]:
        return {t for phrase, _ in self.alts for t in phrase}


@dataclass(frozen=True)
class Expansion:
    """The question as searched: corrected text, corrections made, concepts."""

    query_used: str
    corrections: tuple[tuple[str, str], ...]
    concepts: tuple[Concept, ...]
    absent_words: tuple[str, ...]
    types: qmodel.TypeGuess = qmodel.TypeGuess(None, 0.0)
    story: str = ""

    @property
    def focus(self) -> tuple[Concept, ...]:
        """The named things the question is about (drugs, treatments the documents name)."""
        return tuple(c for c in self.concepts if c.role == "focus")

    @property
    def remaining(self) -> tuple[Concept, ...]:
        """Topic words that are neither focus nor framing ("alcohol" in "alcohol on chemo")."""
        return tuple(c for c in self.concepts if c.role == "content")

    @property
    def asked(self) -> tuple[Concept, ...]:
        """The concepts a passage must cover to answer: focus and remaining keywords."""
        return tuple(c for c in self.concepts if c.role in ("focus", "content", "background"))


@cache
def lay_lexicon() -> tuple[tuple[tuple[str, ...], tuple[str, ...], bool], ...]:
    """(lay phrases, guide phrases, related?) entries from data/lexicon.txt.

    `a => b`: the same thing in other words (b covers a question asking a); `a ~> b`: related
    (b helps find the passage but does not answer a question about a: "biopsy" ~> "testing").
    """
    entries = []
    for line in datafiles.lines("lexicon.txt"):
        arrow = "=>" if "=>" in line else "~>" if "~>" in line else None
        if arrow is None:
            continue
        left, right = line.split(arrow, 1)
        keys = tuple(k.strip().casefold() for k in left.split("|") if k.strip())
        targets = tuple(t.strip() for t in right.split("|") if t.strip())
        entries.append((keys, targets, arrow == "~>"))
    return tuple(entries)


# --- aliases mined from the documents -------------------------------------------------------

_PAREN = re.compile(r"\(([^()]{1,40})\)")
_ALSO_KNOWN = re.compile(
    r"(?P<x>[A-Za-z][\w-]*(?: [A-Za-z][\w-]*){0,3})\s*(?:,|[-\u2013\u2014])\s*also known as\s+"
    r"(?P<y>[\w+-]+(?: [\w+-]+){0,3})",
    re.IGNORECASE,
)
_KNOWN_OR = re.compile(
    r"known as (?P<x>[a-z][\w-]*(?: [a-z][\w-]*){0,2}),? or (?P<y>[A-Za-z][\w-]*(?: [A-Za-z][\w-]*){0,2})",
    re.IGNORECASE,
)
_BREAK = {"with", "and", "or", "of", "in", "for", "to", "the", "a", "an", "by", "as", "is", "are",
          "on", "after", "from", "such", "than", "which", "that", "be", "include"}


def _words_before(text: str, end: int, limit: int = 3) -> list[str]:
    """Up to `limit` words right before `end`, stopping at punctuation or a linking word."""
    words: list[str] = []
    for tok in reversed(text[:end].rstrip().split(" ")):
        clean = tok.strip()
        if not clean or clean[-1] in ",.;:)(•" or clean.casefold() in _BREAK or len(words) >= limit:
            break
        words.insert(0, clean)
    return words


def _acronym_match(words: list[str], acronym: str) -> list[str] | None:
    letters = re.sub(r"[^a-z]", "", acronym.casefold())
    for n in range(1, len(words) + 1):
        tail = words[-n:]
        initials = "".join(p[0] for w in tail for p in re.split(r"[-\s]", w.casefold()) if p)
        if initials == letters:
            return tail
    return None


def mine_aliases(text: str) -> list[tuple[str, ...]]:
    """Groups of phrases the document itself says mean the same thing."""
    groups: list[tuple[str, ...]] = []
    for line in text.split("\n"):
        if "(" not in line and "known as" not in line:
            continue
        for m in _PAREN.finditer(line):
            inner = m.group(1).strip()
            low = inner.casefold()
            if low.startswith(("see ", "if ")) or " if " in low or not inner[0].isalnum():
                continue
            before = _words_before(line, m.start(), limit=6)
            if not before:
                continue
            is_acronym = bool(re.fullmatch(r"[A-Z][A-Z0-9-]{1,6}", inner))
            if is_acronym:
                phrase = _acronym_match(before, inner)
                if phrase is None and before[-1].isalpha():
                    phrase = before[-1:]
                if phrase:
                    groups.append((" ".join(phrase), inner))
            elif inner[0].isupper():
                # generic (Brand) or generic (Brand ABBR): every name inside is an alternative
                lhs = [w for w in before if w[:1].islower()] if before[-1][:1].islower() else []
                lhs = lhs[-3:]
                if lhs and all(w[:1].islower() for w in lhs):
                    names = [n for n in re.split(r"[\s,/]+", inner) if n]
                    groups.append((" ".join(lhs), *names))
            elif before[-1][:1].isupper() and len(low.split()) <= 3:
                groups.append((before[-1], inner))  # Androgen (male hormone)
        for rx in (_ALSO_KNOWN, _KNOWN_OR) if "known as" in line else ():
            for m in rx.finditer(line):
                x = _words_before(line, m.start("x") + len(m.group("x")), limit=3)
                y = m.group("y").rstrip(".,;")
                if x:
                    groups.append((" ".join(x), y))
    out: list[tuple[str, ...]] = []
    for g in groups:
        group = tuple(dict.fromkeys(p.casefold() for p in g))
        if len(group) > 1 and group not in out:
            out.append(group)
    return out


_SIGN = re.compile(
    r"\b(her-?2|er|pr)\s?(\+|-?\s?positive\b|-?\s?pos\b|-?\s?negative\b|-?\s?neg\b|-(?![^\W_]))"
)


# Whether something bears on the treatment decision, said any way ("does it affect the plan?",
# "will it make a difference to what comes next?", "does that change what they suggest?"): one
# wording, which the lexicon reads as the guide's "factors ... consider" (so lexicon.txt lists only
# that wording, not each of these).
_BEARS_ON_CHOICE = re.compile(
    r"\b(?:affects?|affecting|change|changes|changing|influences?|influencing|alters?|makes? a "
    r"difference to|make any difference to|matters? for|count towards|counts towards|plays? a "
    r"(?:part|role) in|factors? into|feeds? into)\s+(?:the\s+|my\s+|her\s+|his\s+|their\s+|our\s+)?"
    r"(?:(?:treatment\s+)?plan|plans|choice of treatment|treatment choice|choice|decision|decisions|"
    r"next step|next steps|next treatment|what comes next|what happens next|what they (?:suggest|"
    r"recommend|offer|give|do|try|choose|pick)(?: next| now)?|what (?:my |the |her |his |our )?(?:onc|oncologist|"
    r"doctors?|team|specialist|consultant) (?:will |would |might |is going to )?(?:suggest|recommend|offer|"
    r"give|do|try|choose|pick)|what (?:is|gets) (?:suggested|"
    r"recommended|offered)|which (?:treatment|treatments|drug|drugs|option|options)|"
    r"(?:treatment )?options)\b")


# Whether immunotherapy goes on working after treatment ends ("does immunotherapy keep working
# after you finish it?", "immunotherapy drugs keep working even after you stop them"): the
# guide's own words for it, "remain effective ... after the end of treatment". Only immunotherapy:
# the guide says it of no other treatment.
_LASTS_AFTER = re.compile(
    r"\b(immunotherap(?:y|ies)|immuno|immune (?:therapy|treatment)|checkpoint inhibitors?)"
    r"(?:\s+(?:drugs?|treatments?))?\s+(?:\w+\s+){0,2}?(?:keeps?|still|continues?(?:\s+to)?|carry\s+on|"
    r"carries\s+on|goes\s+on|go\s+on|stays?)\s+(?:on\s+)?(?:working|work|works|effective)\s+(?:even\s+)?"
    r"(?:after|once|when)\b(?:\s+(?:you|she|he|they|we|i|the|it|treatment|the\s+treatment))*"
    r"\s+(?:finish|stop|end)\w*(?:\s+(?:it|them|treatment|the\s+treatment))?")


# A question relayed for someone ("she asked me to find out what the ibrance is for because she
# forgot to ask", "can you find out", "I want to find out"): how the asker came to ask, no topic
# and no evidence of a type ("find" frames MedQuAD's "where to find support")
_RELAY = re.compile(r"\b(?:asked|asks|wants|wanted|told)\s+(?:me|us)\s+to\s+find\s+out\b"
                    r"|\b(?:can|could|would)\s+you\s+(?:please\s+)?(?:help\s+(?:me|us)\s+)?find\s+out\b"
                    r"|\bi(?:'m|\s+am)\s+trying\s+to\s+(?:find\s+out|understand)\b"
                    r"|\bi\s+(?:want|need|wanted|needed)\s+to\s+(?:find\s+out|understand)\b"
                    r"|\b(?:(?:because|as|but|since)\s+)?(?:she|he|they|i|we)\s+forgot\s+to\s+ask\b")


# Which drug someone goes on ("who decides which hormone drug I go on?", "what will she go on
# next?"): being put on a drug, said as taking it (not "go on holiday", an everyday activity)
_GOES_ON = re.compile(r"\b((?:which|what)\b[^?.!,;]{0,40}?\b(?:i|you|she|he|we|they|mum|mom|dad)\s+"
                      r"(?:(?:will|would|should|could|might|can|'ll|have\s+to|need\s+to)\s+)?)"
                      r"(?:go|goes|going|went)\s+on\b(?=\s*(?:$|[?.!,;]|next|first|now|with|after|then))")


def canonical_going_on(text: str) -> str:
    """Going on a drug as taking it."""
    return _GOES_ON.sub(r"\1take", text)


def canonical_relay(text: str) -> str:
    """A relayed question without the words relaying it."""
    return _RELAY.sub(" ", text)


def canonical_lasting(text: str) -> str:
    """Immunotherapy working on after treatment ends, in the guide's words."""
    return _LASTS_AFTER.sub(r"\1 remain effective after the end of treatment", text)


def canonical_choice(text: str) -> str:
    """Every wording of "does it bear on the treatment decision" as one ("affect the treatment
    choice")."""
    return _BEARS_ON_CHOICE.sub("affect the treatment choice", text)


def canonical_signs(text: str) -> str:
    """Receptor signs written one way ("her2+", "her2 positive" -> "her2-positive")."""

    def fix(m: re.Match[str]) -> str:
        rec = m.group(1).replace("-", "")
        mark = m.group(2)
        return f"{rec}-positive" if ("+" in mark or "pos" in mark) else f"{rec}-negative"

    return _SIGN.sub(fix, text)


def outer_tokens(tokens: list[Token]) -> list[Token]:
    """Tokens not nested inside an earlier token (the parts of a hyphenated word)."""
    out: list[Token] = []
    for tok in tokens:
        if out and out[-1].start <= tok.start and tok.end <= out[-1].end and (
            out[-1].start, out[-1].end) != (tok.start, tok.end):
            continue
        out.append(tok)
    return out


# --- expansion --------------------------------------------------------------------------------

_PHRASE_WORD = re.compile(r"[^\W_]+(?:[-'/][^\W_]+)*\+?")
_SPLIT_WORD = re.compile(r"\b[^\W\d_]{3,}\b")
MAX_PHRASE = 8


def phrase_words(text: str) -> tuple[str, ...]:
    """The words of a phrase as matched: hyphenated words whole, lower case."""
    return tuple(_PHRASE_WORD.findall(text.casefold()))


def mine(texts: list[str]) -> tuple[list[tuple[str, ...]], Counter[str]]:
    """What the documents teach the expander: alias groups and word counts (for spelling)."""
    counts: Counter[str] = Counter()
    for t in texts:
        counts.update(w.casefold() for w in _WORD.findall(t))
    aliases = [g for t in texts for g in mine_aliases(t)]
    aliases += [v for v in spelling_variants(counts) if v not in aliases]
    return aliases, counts


def _medical_word(word: str, stem: str) -> bool:
    """The word itself (or its plural) is one MedQuAD's topics are made of ("statins"); a word
    that only shares a stem with one ("palative", stem "palat" as in palate) is not."""
    return qmodel.is_topical(stem) and word in (stem, stem + "s", stem + "es")


class Expander:
    """Turns a question into concepts using aliases, the lay lexicon and spelling."""

    def __init__(self, analyzer: Analyzer, vocab_terms: set[str],
                 mined: tuple[list[tuple[str, ...]], Counter[str]],
                 named: frozenset[str] = frozenset(),
                 family_of: Callable[[str], str] | None = None):
        """`mined` is what `mine()` learnt from the documents (or the cache kept); `named`
        the terms of the things they name (table rows, list items); `family_of` the class
        heading of a named thing ("letrozol" -> "Hormone Therapy", "" if none)."""
        self.analyzer = analyzer
        self.named = named
        self.family_of = family_of or (lambda term: "")
        self.vocab_terms = vocab_terms
        self.framing = qmodel._framing()
        self._terms_cache: dict[str, tuple[str, ...]] = {}
        self.aliases, counts = mined
        # phrase -> list of (target phrases, weight, source)
        table: dict[str, list[tuple[tuple[str, ...], float, str]]] = {}
        # A mined phrase made only of common words, or with many different partners, is no
        # name: aliasing it would drag unrelated passages in.
        partners: Counter[str] = Counter(p for g in self.aliases for p in g)
        common = set(analyzer.stopwords) | self.framing
        for group in self.aliases:
            group = tuple(p for p in group if partners[p] <= MAX_PARTNERS
                          and not all(w in common for w in p.split()))
            for phrase in group:
                others = tuple(p for p in group if p != phrase)
                if others:
                    table.setdefault(phrase, []).append((others, ALIAS_WEIGHT, "alias"))
        for keys, targets, related in lay_lexicon():
            for key in keys:
                table.setdefault(key, []).append(
                    (targets, RELATED_WEIGHT if related else LEXICON_WEIGHT,
                     "related" if related else "lexicon"))
        self.table = table
        # word sequence -> key; a hyphenated key also matches with spaces ("anti her2")
        self._phrases: dict[tuple[str, ...], str] = {}
        self._stem_phrases: dict[tuple[str, ...], str] | None = None
        self._stem_first: dict[tuple[str, ...], str] | None = None
        self._family_terms: set[tuple[str, ...]] | None = None
        for key in sorted(table):
            words = phrase_words(key)
            if words:
                self._phrases.setdefault(words, key)
                spaced = tuple(p for w in words for p in w.split("-") if p)
                self._phrases.setdefault(spaced, key)
        known = set(analyzer.stopwords) | self.framing
        for key in table:
            known.update(key.split())
        for keys, targets, _related in lay_lexicon():
            for t in targets:
                counts.update(w.casefold() for w in t.split() if w.isalpha())
            # the lay words themselves are spelled towards too ("radiotherepy" -> radiotherapy),
            # as rare words, so a guide word of the same distance wins
            for key in keys:
                for w in key.split():
                    if w.isalpha() and w not in counts:
                        counts[w] = 1
        # the asker's own longer words ("posible", "wheather") are spelled towards too, as rare
        # words: a stopword typed wrong would otherwise weigh as an absent topic
        for w in analyzer.stopwords:
            if len(w) >= 5 and w.isalpha() and w not in counts:
                counts[w] = 1
        # a drug's form ("injecton", "tablts") typed wrong would weigh as an absent topic beside
        # the drug it names; spelled towards as a rare word too
        for w in qmodel._modifiers():
            if len(w) >= 5 and w.isalpha() and w not in counts:
                counts[w] = 1
        names = {p for g in self.aliases for p in g if p.isalpha() and p in table}
        self.speller = Speller(counts, known, names)
        self._name_words = frozenset(names)

    def _phrase_terms(self, phrase: str) -> tuple[str, ...]:
        """Terms of a phrase, a hyphenated word counted once (as its joined form)."""
        got = self._terms_cache.get(phrase)
        if got is None:
            got = tuple(dict.fromkeys(t.term for t in outer_tokens(self.analyzer.tokens(phrase))))
            self._terms_cache[phrase] = got
        return got

    def expand(self, question: str, proper: frozenset[str] = frozenset()) -> Expansion:
        """Concepts of a normalised (lower-case) question, each with its role; `proper`: the
        words typed as names (`proper_nouns` of the raw question).

        A message of several sentences is asked on its question sentence(s); the concepts of
        the story around them join as weaker context (see `question.split_story`).
        """
        asked, story = qmodel.split_story(question)
        exp = self._expand_part(asked, proper)
        qualified = {m.group(1) for m in _FOR_WHOM.finditer(asked)}
        if any(c.role == "focus" for c in exp.concepts) and qualified:
            # "is the receptor test done for men too?": who the patient is, beside a thing the
            # guide names, is no topic ("can men get breast cancer?" keeps its topic)
            exp = replace(exp, concepts=tuple(c for c in exp.concepts if not (
                qmodel.is_patient_word(c.label) and c.label.casefold() in qualified)))
        spoke = {m.group(1) for m in _SPOKE.finditer(asked)}
        if spoke and any(c.role == "focus" and c.label.casefold() not in spoke for c in exp.concepts):
            exp = replace(exp, concepts=tuple(c for c in exp.concepts if c.label.casefold() not in spoke))
        truth = {m.group("word") for m in _ASKS_TRUTH.finditer(asked)}
        if truth:  # "is that right / correct / a myth?" asks whether it is true: no topic
            exp = replace(exp, concepts=tuple(c for c in exp.concepts
                                              if c.label.casefold() not in truth))
        if any(c.family for c in exp.focus) and not any(c.role == "content" for c in exp.concepts):
            # "When is Kadcyla normally used?", "Is docetaxel usually given with Herceptin?": how
            # usually it is done, asked of a drug, is what its row says - evidence of the type, no
            # topic (not beside a topic of the question's own: "usually given, first or later?")
            exp = replace(exp, concepts=tuple(replace(c, role="framing") if c.role == "focus"
                                              and _HOW_USUAL.fullmatch(c.label.casefold()) else c
                                              for c in exp.concepts))
        if not story:
            return exp
        extra = self._expand_part(story, proper)
        seen = {t for c in exp.concepts for t in c.terms}
        # The story is weaker context, unless the question sentence names nothing itself
        # ("What happens next?"): then the story says what it is about.
        asks_nothing = not any(c.role in ("focus", "content") for c in exp.concepts)
        # ...or a question pointing back into the story by a pronoun: its named things count
        # (those of the nearest story sentence naming any, nearest the pronoun)
        near: set[str] = set()
        pointed: set[str] = set()
        quoted: set[str] = set()
        demonstrative = False
        that_kind = bool(_THAT_KIND.search(asked))
        pointer = _DUMMY_IT.sub(" ", asked)
        if any(c.source in ("alias", "word") for c in exp.focus):
            # "Why did she get Herceptin?": a person, where the question names its own drug
            pointer = _PERSON.sub(" ", pointer)
        if _POINTS_BACK.search(pointer):
            who_for = bool(_WHO_FOR.search(pointer))
            last: Expansion | None = None  # the story's last sentence, nearest the pronoun
            said: Expansion | None = None  # the sentence naming what is pointed at
            for sentence in reversed(qmodel.split_sentences(story)):
                part = self._expand_part(sentence, proper)
                last = last or part
                said = part
                # who a thing is for, where the nearest sentence names a thing the guide never
                # names, typed as a name ("The GP mentioned Eliquis. Who is it for?"): the
                # pronoun stands for it, not for the guide's names further back
                unnamed = {t for c in part.concepts if c.role == "content"
                           and c.label.casefold() in proper and c.label.casefold() not in english_words()
                           and not any(t in self.vocab_terms for t in c.terms) for t in c.terms}
                if unnamed and who_for and not near and not any(_names_a_thing(c) for c in part.concepts):
                    pointed |= unnamed
                    break
                near |= {t for c in part.concepts if _names_a_thing(c) or (that_kind and _signed(c))
                         for t in c.terms}
                # words quoted from a letter or a doctor ("says 'ER+ PR+ HER2-'", "mentioned
                # 'T-D-M-one'") are a thing named, whether or not the guide names them
                for quote in _QUOTED.findall(sentence):
                    quoted |= {t for c in self._expand_part(quote, proper).concepts
                               if c.role in ("focus", "content") for t in c.terms}
                near |= quoted
                # a sentence pointing back itself ("I thought that was for dying people")
                # passes the pointer on to the one before
                if near and not _SAYS_OF_IT.search(sentence):
                    break
            # "Is this the same drug women take?": a demonstrative names the story's nearest
            # named thing, one the guide names in a table too ("tamoxifen")
            demonstrative = bool(_POINTS_AT.search(pointer)) and not _PRONOUN.search(pointer)
            if demonstrative and said and (_IS_THAT_A.search(pointer) or _IS_THAT_STEP.search(pointer)):
                # "My friend has Prolia injections. Is that a hormone treatment?", "The doctor says
                # Enhertu next. Is that the usual next step?": a name the guide never uses in the
                # sentence pointed at is part of what is asked
                pointed = {t for c in said.concepts if c.role == "content"
                           and c.label.casefold().split("'")[0] not in english_words()
                           and not any(t in self.vocab_terms for t in c.terms) for t in c.terms}
            if asks_nothing and near and (_POINTS_AT.search(asked) or _ONE.search(asked)
                                          or who_for):
                asks_nothing = False  # "that one", "those", "get one": the story's nearest named things
                # "...grapefruit juice interferes with it. Is that true?": a claim pointed
                # at is asked about whole, its topic words too
                if _ASKS_TRUTH.search(asked):
                    pointed = {t for c in (said.concepts if said else ()) if c.role == "content"
                               for t in c.terms}
            if (asks_nothing or _COMPARES.search(pointer)) and not near:
                # "I read about checkpoint inhibitors. What are they?": the story names no
                # thing the guide lists, so the topic words of its last sentence are what
                # the pronoun stands for; so with "what's the difference?" ("...two hospitals,
                # one private and one public. Can you explain the difference?")
                pointed = {t for c in (last.concepts if last else ())
                           if c.role in ("content", "general") for t in c.terms}
            if _THOSE_WORDS.search(pointer) or _MEANS_THAT.search(pointer):
                pointed |= quoted  # "...says 'HER2-positive'. What does that term mean?"
        # A side effect told in a story that names the drug ("Numb feet from Ixempra - what's
        # the generic name?") is what the patient noticed, not what is asked: context, unless
        # the question asks about side effects or about help with it ("Is there anyone who
        # helps with this kind of thing?")
        noticed = set() if exp.types.qtype == "side_effects" or _HELP_WITH.search(asked) or not any(
            c.family for c in extra.concepts) else {
            c.label for c in extra.concepts if not c.family and c.terms & self._symptom_terms()}
        # ...its named things and the guide's topics, that is: the story's other words
        # ("liver", "scan") stay context
        context = tuple(replace(c, role="context") if c.label in noticed
                        else c if asks_nothing and c.source in ("alias", "lexicon")
                        or (asks_nothing and c.role == "focus")
                        or ((c.source in ("alias", "lexicon") or (_signed(c) and that_kind)
                             or (c.role == "focus" and demonstrative))
                            and c.terms & near)
                        or c.terms & pointed
                        else replace(c, role="context")
                        for c in extra.concepts
                        if (c.role in ("focus", "content") or c.terms & pointed)
                        and not c.terms & seen
                        # the words a pronoun stands for count even when the guide lacks
                        # them ("proton beam"): no passage covers them
                        and (c.terms & pointed or any(t in self.vocab_terms for t in c.terms)))
        return replace(exp, query_used=f"{exp.query_used} {extra.query_used}".strip(),
                       corrections=exp.corrections + extra.corrections,
                       concepts=exp.concepts + context, story=extra.query_used)

    def _expand_part(self, question: str, proper: frozenset[str] = frozenset()) -> Expansion:
        corrections: list[tuple[str, str]] = []

        def fix(m: re.Match[str]) -> str:
            word = m.group()
            if self._known_word(word):
                return word
            new = self.speller.correct(word)
            if new and (word in proper or _medical_word(word, self.analyzer.stem(word))) \
                    and new not in self._name_words \
                    and edit_distance(word, new, transpositions=True) > 1:
                # a name typed as one, or a word MedQuAD's topics are made of ("statins"),
                # not a word of the guide mistyped
                return word
            if new and new != word:
                corrections.append((word, new))
                return new
            return word

        text = _WORD.sub(fix, self._joined(question, corrections))
        text = canonical_relay(canonical_lasting(canonical_choice(canonical_signs(text))))
        text = canonical_going_on(text)
        taken = [False] * len(text)
        # where a result is written, thanks, another cancer a drug is set against, "I keep
        # hearing", "get one", "instead of one", "a targeted one", a
        # staff look-up's framing, "feels like", "for a few weeks", "years ago", a letter's
        # courtesies, "is it rude to", "do people usually", "we respect that", "we are
        # confused", "hormone stuff", "no matter what": no topic
        for rx in (_WRITTEN_IN, _THANKS, _OTHER_CANCER, _KEEP_HEARING, _ONE, _COUNTED_ONE, _KIND_OF_ONE,
                   _ASKER, _LOOKUP, _THOSE_WORDS, _SEEMS, _NO_MATTER, _FOR_A_SPELL, _AGO, _COURTESY, _MANNERS, _HEDGE,
                   _GENTLER, _STANCE, _PUZZLED, _HOW_DIFFERENT):
            for m in rx.finditer(text):
                if rx is _FOR_A_SPELL and _STOPPED_FOR.search(text[:m.start()]):
                    continue
                start, end = m.span(m.lastindex or 0)
                taken[start:end] = [True] * (end - start)
        concepts: list[Concept] = []
        spans: list[tuple[int, int, str]] = []  # where each concept sits, and its role
        names: list[tuple[int, int]] = []  # where the guide's names and lexicon phrases sit
        words = [(m.group(), m.start(), m.end()) for m in _PHRASE_WORD.finditer(text)
                 if not taken[m.start()]]
        i = 0
        while i < len(words):
            match = self._match_at(words, i)
            if match is None:
                i += 1
                continue
            key, n = match
            start, end = words[i][1], words[i + n - 1][2]
            for j in range(start, end):
                taken[j] = True
            concept = self._concept(text[start:end], key)
            if concept is not None:
                concepts.append(concept)
                spans.append((start, end, self._phrase_span(text[start:end], key)))
                names.append((start, end))
            i += n
        rest = "".join(ch if not taken[i] else " " for i, ch in enumerate(text))
        absent: list[str] = []
        seen: set[str] = {t for c in concepts for t in c.terms}
        tokens = self.analyzer.tokens(rest)
        parts: dict[int, list[str]] = {}
        for tok in tokens:
            if "-" not in tok.surface:
                for outer in tokens:
                    if outer.start <= tok.start and tok.end <= outer.end and outer != tok:
                        parts.setdefault(outer.start, []).append(tok.term)
        for tok in outer_tokens(tokens):
            if tok.term in seen or tok.term == "not":
                continue
            if tok.surface.isdigit():
                continue  # a bare number is no topic ("stage 4" is a lexicon phrase)
            if (tok.term not in self.vocab_terms and len(tok.surface) <= 3
                    and tok.surface.isalpha() and tok.surface not in english_words()
                    and not qmodel.is_topical(tok.term)):
                continue  # "wat", "pls": too short to tell a typo from a topic ("soy" is one)
            seen.add(tok.term)
            alts: list[tuple[tuple[str, ...], float]] = [((tok.term,), 1.0)]
            role = self._role(tok, spans)
            if tok.term not in self.vocab_terms:
                other = self._inflected(tok.surface)
                if other:  # "add" is stemmed apart from "added": try the word's other forms
                    alts.append(((other,), ALIAS_WEIGHT))
                elif role == "content":
                    absent.append(tok.surface)
            if tok.start in parts and tok.term not in self.vocab_terms:
                alts.append((tuple(parts[tok.start]), ALIAS_WEIGHT))  # "5-FU" also as "5 FU"
            sign = _SIGNED.fullmatch(tok.term)
            if sign:  # "HER2 testing is positive" says HER2-positive in other words
                word = "posit" if sign.group(2) == "pos" else "negat"
                alts.append(((sign.group(1), word), LEXICON_WEIGHT))
            family = self.family_of(tok.term) if role == "focus" else ""
            concepts.append(Concept(tok.surface, tuple(alts), "word", role, family))
            spans.append((tok.start, tok.end, role))
            if tok.term in self.named:
                names.append((tok.start, tok.end))
        # A name the documents use (alias) or a lay synonym of a guide phrase is a focus; a
        # merely related lay word ("biopsy" ~> "testing") is a topic the passage must cover.
        concepts = [replace(c, role=self._phrase_role(c)) if c.source != "word" else c
                    for c in concepts]
        # "pills" beside a treatment the question names ("pills to block hormones") is the
        # form it comes in, part of its name, as "carboplatin injection"
        if sum(c.role == "focus" for c in concepts) > 1:
            concepts = [replace(c, role="framing") if c.source == "lexicon" and c.role == "focus"
                        and all(qmodel.is_modifier(w) for w in c.label.split()) else c
                        for c in concepts]
        return Expansion(text, tuple(corrections), tuple(concepts), tuple(absent),
                         self._type_of(text, spans, names))

    def _symptom_terms(self) -> frozenset[str]:
        """Terms of the words naming a side effect (question_types.json side_effects
        `evidence`: "fatigue", "nausea", "neuropathy", "pain")."""
        words = qmodel.question_types().get("side_effects", {}).get("evidence", ())
        return frozenset(t for w in words if " " not in w and not w.startswith("toler")
                         for t in self._phrase_terms(w))

    def _family(self) -> set[tuple[str, ...]]:
        """The terms of what the lexicon says "family" means ("family", "loved ones"), found
        once (the role of every related word of every question asks for them)."""
        if self._family_terms is None:
            self._family_terms = {self._phrase_terms(t) for targets, _w, _s in
                                  self.table.get("family", ()) for t in targets}
        return self._family_terms

    def _phrase_role(self, c: Concept) -> str:
        """A lay word for a framing word ("oncologist" => "doctor") frames; a name the
        documents use (alias) or a synonym of a guide phrase is a focus; a merely related lay
        word ("biopsy" ~> "testing") is a topic the passage must cover."""
        targets = [p for p, w in c.alts if w < 1.0]
        if c.source == "lexicon" and targets and all(
                qmodel.is_framing(t) for p in targets for t in p):
            return "framing"
        if c.source in ("alias", "lexicon"):
            return "focus"
        if c.source == "related" and set(targets) <= self._family():
            return "general"  # "my mother", "her friend": who the story is about, as "family" is
        words = [w.removesuffix("'s").removesuffix("'") for w in c.label.split()]  # "daughter's"
        if all(not qmodel.is_topical(self.analyzer.stem(w)) and w in english_words()
               for w in words):
            return "general"  # "mom", "husband": who the story is about, not a topic
        return "content"

    def _role(self, tok: Token, spans: list[tuple[int, int, str]]) -> str:
        """framing (evidence of type), or content (a topic a passage must cover)."""
        if tok.term in self.named:
            return "focus"
        if qmodel.is_framing(tok.surface):
            return "framing"
        if qmodel.is_modifier(tok.surface) and any(r in ("focus", "name") for _, _, r in spans):
            return "framing"  # "carboplatin injection": the drug's form, part of its name
        if (not qmodel.is_topical(tok.term) and tok.surface in english_words()
                and not qmodel.asks_history(tok.surface)):
            return "general"  # a common word that is no medical topic: "given", "sold"
        return "content"

    def _phrase_span(self, phrase: str, key: str = "") -> str:
        """A phrase holding a word that frames nothing names a thing as a whole ("helps with
        symptoms" is symptom relief, not a question about symptoms): "name", all of it stands
        for the focus; so does a lay phrase the lexicon says means such a phrase ("for
        symptoms" => "relieve symptoms"). A phrase of framing words only ("side effects")
        stays type evidence."""
        stop = self.analyzer.stopwords
        if any(not qmodel.is_framing(w) and w not in stop for w in qmodel.words_of(phrase)):
            return "name"
        lay = [t for targets, _w, source in self.table.get(key, ()) if source == "lexicon"
               for t in targets]
        if lay and all(any(not qmodel.is_framing(w) and w not in stop for w in qmodel.words_of(t))
                       for t in lay):
            return "name"
        return "focus"

    @staticmethod
    def _type_of(text: str, spans: list[tuple[int, int, str]],
                 names: list[tuple[int, int]] = ()) -> qmodel.TypeGuess:  # type: ignore[assignment]
        """The question type from its framing words, focus and topics replaced by "x".

        When those say little (no guess, or a weak one), the question is classified again with its
        plain words kept (only the guide's names and lexicon phrases replaced): patients ask
        a type in content words ("can I keep working full time on it")."""
        words: list[str] = []
        for m in _PHRASE_WORD.finditer(text):
            role = next((r for a, b, r in spans if a <= m.start() < b), "framing")
            if _HOW_WHAT.match(text, m.start()) or (words[-1:] == ["how"] and m.group().casefold()
                                                     in _HOW_WHAT_WORDS):
                words.append(m.group().casefold())  # "how long" asks, even inside a lay phrase
            elif role == "name" or (role in ("focus", "content") and not qmodel.is_framing(m.group())):
                if not words or words[-1] != "x":
                    words.append("x")
            else:
                words.extend(qmodel.words_of(m.group()))
        guess = qmodel.classify(words)
        if guess.prob >= WEAK_TYPE:
            return guess
        plain: list[str] = []
        for m in _PHRASE_WORD.finditer(text):
            if any(a <= m.start() < b for a, b in names):
                if not plain or plain[-1] != "x":
                    plain.append("x")
            else:
                plain.extend(qmodel.words_of(m.group()))
        again = qmodel.classify(plain)
        return again if again.prob >= WEAK_TYPE else guess

    def _inflected(self, word: str) -> str | None:
        """The term of another form of `word` that the corpus holds, if any."""
        if not word.isalpha() or len(word) < 3:
            return None
        for form in (word + "ed", word + "d", word + "ing", word + "s", word + "es",
                     word[:-1] + "ing", word[:-1] + "ed", word + word[-1] + "ed"):
            term = self.analyzer.stem(form)
            if term in self.vocab_terms:
                return term
        return None

    def _match_at(self, words: list[tuple[str, int, int]], i: int) -> tuple[str, int] | None:
        """The longest lexicon or alias phrase starting at word i, and its length in words."""
        for n in range(min(MAX_PHRASE, len(words) - i), 0, -1):
            seq = tuple(w for w, _, _ in words[i : i + n])
            key = self._phrases.get(seq)
            if key is None:
                last = seq[-1]
                for suffix in ("es", "s"):  # plurals: "tumours", "side effectss" never
                    if last.endswith(suffix) and len(last) > len(suffix) + 2:
                        key = self._phrases.get((*seq[:-1], last[: -len(suffix)]))
                        if key is not None:
                            break
                if key is None and n > 1 and last.isalpha() and not last.endswith("s"):
                    key = self._phrases.get((*seq[:-1], last + "s"))  # "hormone pill"
                if key is None and last.endswith(("'s", "s'")) and len(last) > 4:
                    key = self._phrases.get((*seq[:-1], last[:-2]))  # "my mum's": mum
                    if key is None and last.endswith("s'"):
                        key = self._phrases.get((*seq[:-1], last[:-1]))  # "my parents'"
            if key is None and seq[-1].isalpha() and len(seq[-1]) > 4:
                # other inflections of the last word ("decided" for "decide")
                key = self._stemmed().get((*seq[:-1], self.analyzer.stem(seq[-1])))
            if key is None and n > 1 and seq[0].isalpha() and len(seq[0]) > 3:
                # other inflections of a phrase's first word, a verb ("picking a treatment"
                # for "pick a treatment", "weighed up" for "weigh up")
                key = self._stemmed_first().get((self.analyzer.stem(seq[0]), *seq[1:]))
            if key is not None:
                return key, n
        return None

    def _stemmed_first(self) -> dict[tuple[str, ...], str]:
        """Lexicon and alias phrases of two words or more keyed by their first word's stem."""
        if self._stem_first is None:
            self._stem_first = {}
            for words, key in self._phrases.items():
                if len(words) > 1 and words[0].isalpha() and len(words[0]) > 3:
                    self._stem_first.setdefault((self.analyzer.stem(words[0]), *words[1:]), key)
        return self._stem_first

    def _stemmed(self) -> dict[tuple[str, ...], str]:
        """Lexicon and alias phrases keyed by their last word's stem (built on first use)."""
        if self._stem_phrases is None:
            self._stem_phrases = {}
            for words, key in self._phrases.items():
                if words and words[-1].isalpha() and len(words[-1]) > 3:
                    self._stem_phrases.setdefault((*words[:-1], self.analyzer.stem(words[-1])), key)
        return self._stem_phrases

    def _concept(self, label: str, key: str) -> Concept | None:
        own = self._phrase_terms(key)
        alts: dict[tuple[str, ...], float] = {}
        if own:
            alts[own] = 1.0
        sources = set()
        for targets, weight, source in self.table[key]:
            sources.add(source)
            for target in targets:
                terms = self._phrase_terms(target)
                if terms and alts.get(terms, 0) < weight:
                    alts[terms] = weight
        if not alts:
            return None
        source = ("alias" if "alias" in sources else "lexicon" if "lexicon" in sources
                  else "related")
        names = [t for p, w in alts.items() if w >= ALIAS_WEIGHT for t in p]
        family = next((f for t in names if (f := self.family_of(t))), "") if source == "alias" else ""
        return Concept(label, tuple(alts.items()), source, family=family)

    def _joined(self, text: str, corrections: list[tuple[str, str]]) -> str:
        """A word of the guide typed as two ("check point", "chemo therapy") written as one:
        the joined word occurs in the documents at least twice and the pair is no lexicon
        phrase of its own."""
        out: list[str] = []
        last = 0
        words = list(_SPLIT_WORD.finditer(text))
        i = 0
        while i < len(words) - 1:
            a, b = words[i], words[i + 1]
            whole = (a.group() + b.group()).casefold()
            if (text[a.end():b.start()] == " " and len(whole) >= 8
                    and self.speller.counts.get(whole, 0) >= 2
                    and (a.group().casefold(), b.group().casefold()) not in self._phrases
                    and not text[b.end():].startswith(" of ")):  # "point of care"
                corrections.append((f"{a.group()} {b.group()}", whole))
                out.append(text[last:a.start()] + whole)
                last = b.end()
                i += 2
            else:
                i += 1
        return "".join(out) + text[last:]

    def _known_word(self, word: str) -> bool:
        return (
            word in self.speller.known
            or self.analyzer.stem(word) in self.vocab_terms
            or not word.isalpha()
        )
