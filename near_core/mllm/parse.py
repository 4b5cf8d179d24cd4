"""Parse raw multimodal-LLM answers into candidate class names.

MLLM output is untrusted text: the parser never evaluates it, never raises on a string, and
returns plain printable names of at most NAME_MAX characters, at most MAX_CANDIDATES of them.

Answers come as JSON (structured output, possibly fenced, possibly with raw control characters
inside strings) or as free text in any domain: a preamble ("The bird in the image is a
**Horned Puffin** (*Fratercula corniculata*)..."), step-by-step reasoning with headings that
ends in a verdict, lists and tables of candidates, hedges ("either A or B", "similar to A or
B"), Latin names, names in lower case ("a globe thistle"), refusals. Candidates, best first:

1. an explicit final answer ("Final answer: X", "**Answer:** X", an "Answer" / "Verdict"
   heading with the name under it, "<answer>X</answer>");
2. names introduced by an identifying phrase ("is a X", "appears to be X", "similar to X",
   "I'd go with X", "ist ein X"), bold names, candidate-list items and a name that opens the
   answer, in order of appearance. Section headings ("**Step 1: ...**", "**Overall
   Impression:**", a bold line of its own in a structured answer), look-alikes the answer sets
   aside ("unlike the X", "the X is unlikely") and higher taxa ("the flycatcher family") rank
   last. When the answer opens with reasoning, the last verdict sentence ("Therefore, it is a
   X", "I can confidently identify it as a **X**") comes first; a correction ("is actually a
   X", "I lean towards X", "more precisely, X") replaces an earlier name; a more specific later
   name ("a Shearwater, specifically a Short-tailed Shearwater") replaces a generic one; a
   verdict on a hedge ("either A or B; the stripe suggests B", "most likely B", "on balance,
   B") puts B first, then A; a likeness is overridden by a plain statement after "but" ("it
   resembles X, but the nape shows it is Y"); a name the answer rules out anywhere ("the
   leaves rule out the X", "Not a X") is not first; a look-alike in a hedged or concessive
   clause gives way to the plain statement after it in the sentence ("Although it resembles
   a X, the line identifies it as a Y", "might suggest a X, but ..., so this is a Y"); a
   committed specific name after a generic one ("Stag beetle — most likely the European stag
   beetle") comes first; a labelled field that opens the answer ("Style: Chippendale.") is
   the answer;
3. for a one-line answer without such phrases, the answer itself ("Horned Puffin"), or its
   synonyms between slashes in order ("Hen of the woods / maitake").

Names are cleaned: markdown, quotes and trailing punctuation dropped; a parenthesised (Latin)
name dropped when a common name is present, and a Latin name glossed with a common name
("*Astrantia major*, commonly known as greater masterwort", "Echinops ritro (globe thistle)")
gives the common name first; category nouns after a name ("a Ragdoll cat", "the cheese in the
image ... a Stilton cheese") dropped, not the nouns that end common names ("poison dart frog",
"a common frog"); plurals after "are" made singular ("these are two mallards" -> "mallard"); a
brand that opens lower-case before a capital ("iPhone 15 Pro") is a capitalised name; a
description that points back at a name ("the smaller model", "the former one") is none.
Lower-case names are read after an article ("a great tit"), as several words ("is pad
thai") or as one noun after a short subject ("The mineral in the photo is amethyst.",
"looks like quartz"; not "is tricky.").
An answer that names nothing (a refusal, "unknown", "I cannot determine...", a description
of the picture: "shows a cluster of dark berries on a branch", or a declined species
followed by a category: "I can't identify the specific dish. It is a bowl of noodle soup")
gives []. No rule is tied to a domain's vocabulary: the cues are phrases, layout, the
binomial form, category nouns and word shapes (plurals, adjective endings).
"""

from __future__ import annotations

import bisect
import functools
import json
import re
import unicodedata
from dataclasses import dataclass, replace
from typing import Any

from near_core.mllm.lexicon import (
    ABBREVIATIONS,
    ADJECTIVE_ENDINGS,
    ADJECTIVES,
    BODY_STYLES,
    CATEGORY_WORDS,
    CLASS_WORDS,
    CLAUSE_WORDS,
    COAT_WORDS,
    CONNECTORS,
    DESCRIBING_VERBS,
    DESCRIPTIVE,
    FUNCTION_WORDS,
    GENERIC,
    ING_NAMES,
    KIND_MODIFIERS,
    NAME_FORMING,
    NAME_LIKE_ENDINGS,
    NATIONALITIES,
    OPENERS,
    PART_NOUNS,
    PARTICLES,
    PLACE_WORDS,
    PLANT_COLOURS,
    PLURAL_VERBS,
    POINTER_NOUNS,
    SCENE_WORDS,
    SECTION_NOUNS,
    TAIL_END_WORDS,
)

NAME_MAX = 80
"""Longest name returned, in characters (longer names are cut at a word boundary)."""

MAX_CANDIDATES = 5
"""Most candidates returned per answer."""

TEXT_MAX = 20_000
"""Characters of an answer that are examined (the head and tail of longer answers)."""

_NAME_WORDS_MAX = 8
_HEADING_WORDS_MAX = 8  # a line ending in ":" with at most this many words is a heading
_WINDOW = 300  # characters around an identifying phrase that are examined

_JSON_NAME_KEYS = (
    "label",
    "name",
    "species",
    "breed",
    "answer",
    "final_answer",
    "class",
    "class_name",
    "common_name",
    "prediction",
    "category",
    "top_candidates",
    "candidates",
    "predictions",
    "guesses",
    "top_k",
    "identification",
    "result",
    "guess",
    "best_guess",
    "top_prediction",
    "predicted_class",
    "predicted_label",
    "classification",
)

_JSON_COMMON_KEYS = ("common_name", "english_name", "common", "vernacular_name")
_JSON_META_KEY = re.compile(
    # fields that hold no name: how sure, why, what else
    r"(?i)reason|explan|descri|confiden|note|why|comment|evidence|feature|rational|detail|"
    r"justif|summary|analysis|year|generation|probab|score|certain|observ|caption|location|"
    r"colou?r|size|shape|habitat|pattern|texture|count|age|sex|gender|setting|background"
)


_REFUSAL = re.compile(
    r"\b(?:can ?not|can't|cannot|unable to|not able to|impossible to|not possible to|"
    r"don't know|do not know|not sure|unsure|unknown|unidentifiable|no (?:bird|dog|animal)s?\b|"
    r"sorry|i apologi[sz]e|not clear enough|insufficient)",
    re.IGNORECASE,
)

_LOOSE_EPITHET = re.compile(
    r"(?:a|ae|i|ii|us|um|is|es|ens|ans|ns|or|ax|ix|ex|ys|oides|ides|ops|ei|eus|as)$"
)
_ALIAS_LABEL = re.compile(
    r"(?i)^\s*(?:common name|english name|also known as|also called|commonly known as|"
    r"known(?: to \w+)? as|aka|or)\s*[:：-]?\s*(?:the\s+)?"
)
_ALIAS = re.compile(
    # what joins a Latin name to its common name: "*X y*, commonly known as Z", "X y - the Z"
    r"(?i)^[*_]*\s*(?:(?P<sep>,|;|:|\s[-–—]|[-–—])\s*)?"
    r"(?P<alias>(?:(?:which is|also|more|better|commonly|popularly|often)\s+)*"
    r"(?:known|called|referred to)(?:\s+to\s+\w+)?(?:\s+as)?|aka|common name\s*[:：-]?|"
    r"(?:most |many )?(?:people|birders|gardeners|growers|one|we|you) (?:call|calls) (?:it|them)|(?<=[,;:\-–—]\s)(?:or|the)\s)?\s*"
)
_LATIN_EPITHET = re.compile(
    r"^[a-z]{3,}(?:us|um|ae|ii|ensis|atus|ata|atum|ina|inus|ana|anus|alis|aris|icus|ica|"
    r"oides|ops|orum|arum|is|ax|ix|or|ilus|ulus|ula|ella|folia|folius|folium|phylla|phyllum|"
    r"flora|florus|florum|ia|ea|[a-z]ans|[a-z]ens)$"
)

_ARROW = r"→|⇒|=>|->"  # "features → name": a verdict of terse reasoning
_YEAR = r"(?:19|20)\d\d"  # a model year: "2012 Audi S4", "Audi S4 Sedan 2012"
_FITS_WITH = r"fits? (?:best |better |well )?with"
_OF_THE_KIND = (  # "a dog of the breed Shiba Inu", "a cat of the Birman breed"
    r"(?-i:(?:[a-z][\w-]*\s+){1,2}of\s+the(?:\s+(?:breed|species|type|model|variety|cultivar|"
    r"kind|make)(?=\s+[*_'\"]*[A-Z])|(?=\s+[*_'\"]*[A-Z][^\n.,;]{0,60}?(?<=[a-z])\s+(?:breed|"
    r"species|variety|cultivar|type|model)\b)))"
)
# Words skipped between an identifying phrase and the name ("is most likely a young X").
_PREFIX = re.compile(
    r"^(?:(?:(?-i:two|three|several)\s+(?:animals|pets)\s*:|"  # "contains two animals: an X ..."
    r"most|more|very|highly|quite|likely|probably|possibly|definitely|clearly|actually|"
    r"accurately|"
    r"indeed|specifically|certainly|almost|perhaps|maybe|either|rather|also|of|an?|the|ein|eine|"
    r"einen|classic|typical|"
    r"(?:field|bowl|plate|bunch|cluster|group|flock|pack|herd|patch|slice|piece|serving|"
    r"close-up|portion|cup|glass|stand|row|picture|photo|photograph|image|fruit|fruits|flower|"
    r"bloom|blooms|blossom|blossoms|sprig|stem|stems|twig|bouquet|spray|pod|pods|clump|"
    r"flowers|leaf|leaves|seed|seeds|bark|cone|cones|nest|egg|eggs|shell|feather|skull|"
    r"tracks?|head|wing|bottle|can|box|jar|tin|pack|packet|bag|carton|mug|loaf|basket|tray|"
    r"crate|jug|pot|bar|tube|roll|set|kit)\s+of|"
    r"(?-i:un|une|una|uno|el|le|la|il)|"
    # lower case only: "Three-toed", "Male Mallard Duck" may be (part of) a name
    r"(?-i:some|both|all|two|three|four|several|male|female|young|juvenile|adult|immature|baby|"
    r"breeding|non-breeding|purebred)|"
    r"(?:(?:early|mid|late)[- ])?(?:19|20|')?\d0s|"  # "a 1990s Eagle Talon": an era, no name
    + _YEAR
    + r"\s*[-–]\s*(?:19|20)?\d\d|"  # "a 2010-2012 Hyundai Genesis Coupe": years
    r"(?:member|type|kind|species|breed|variety|form|sort|pair|example|specimen)\s+of|"
    + _OF_THE_KIND
    + r"|"
    r"(?:species|subspecies|cultivar|variety)(?=\s+[*_'\"]*[A-Z]))\s+)*",
    re.IGNORECASE,
)
_IDENT = re.compile(
    r"(?<![\w'])(?P<verb>is|are|was|were|be|being|it's|that's|looks? (?:most |more )?like|"
    r"(?:looks? |is |very |quite )?similar to|belongs? to|"
    r"resembles?|resembling|reminds? me of|think of|(?:can |could )?see|(?:(?:identif|classif|recogni[sz]|distinguish)\w*"
    r"(?: (?:it|this|that|them|the)(?: \w+)?)?|known|described) as|called|named|"
    r"consistent with|indicative of|suggestive of|characteristics? of|typical of|matches|like|"
    r"specifically|namely|rather|instead|precisely|shows?|depicts?|features|contains|suggests?|"
    r"indicates?|confirms?|either|definitely|certainly|surely|undoubtedly|probably|"
    r"(?<=\s)but(?: rather)?|possibly|perhaps|maybe|(?:most |more )?likely|guess|say|"
    r"(?:go|going) with|towards?|points? to|match(?:es)? is|answer is|identification is|"
    r"in my (?:opinion|view),|on balance,|settl(?:e|ing) on|(?:torn|choosing|deciding) between|"
    r"call(?:ed)? (?:it|them)|leaning|makes? (?:it|this|that)|marks? (?:it|this|that) as|"
    r"identifies(?= an? )|"
    r"(?:photo|photograph|picture|image) of|(?:answer|identification|verdict|result|is)\s*:|"
    r"(?<![\w,] )(?:so|thus|hence|therefore|overall|in conclusion|in summary|to conclude|"
    r"all things considered|in short|bottom line)\s*:|(?:candidates?|options|possibilities)\s*:|"
    r"(?:settles?|decides?|clinch(?:es)?) it\s*:|(?:i'd|i would|i'll|i will) (?:pick|choose|opt for)|"
    + _FITS_WITH
    + r"|fits?(?= (?:the|an?|\*\*|_|(?-i:[A-Z])))|"
    + _ARROW
    + r"|=(?!=)|"  # "red bracts → **bee balm**"
    r"ist|est|es|è|é)(?:(?<=precisely),|(?<=specifically),)?\s+",
    re.IGNORECASE,
)
_PLURAL_PREFIX = re.compile(r"\s*(?:both|all|two|three|four|several|pair of)\s", re.IGNORECASE)
_CORRECTION = re.compile(
    r"\b(?:actually|more likely|more accurately|more precisely|rather|instead)\s+\S*\s*$",
    re.IGNORECASE,
)
_RANK_WORD = re.compile(r"^(?:genus|family|subfamily|order|suborder|tribe|group)\b", re.IGNORECASE)
_ADVERBS_ONLY = re.compile(  # "is actually calcite", "is most likely pad thai"
    r"(?i)(?:(?:most|more|very|highly|quite|likely|probably|possibly|definitely|clearly|"
    r"actually|indeed|certainly|almost|perhaps|maybe|specifically)\s+)*"
)
_SHORT_SUBJECT = re.compile(
    # the subject of "is" in a naming sentence: "this", "this dish", "the mineral in the
    # photo", "the mineral appears to"
    r"(?i)\s*(?:\w+\s+){0,3}?(?:this|that|it|the|its|these|those|they|my|our)"
    r"(?:\s+[\w']+){0,5}?\s*"
)
_SETTING = re.compile(r"(?i)\b(?:in|on|at|under|near|against|from|by|inside|beside)\s+what\s+$")
_APPOSITION = re.compile(
    # a description, then the name in apposition: "a large container ship, the Ever Given"
    r"^\s*(?:an?|the)\s+[a-z][a-z\s-]{0,50}?,\s+(?:the\s+|an?\s+)?(?=[*_]*[A-Z])"
)
_SPECIES_REFUSAL = re.compile(
    # the answer declines the fine-grained name: what it says after is a category at most
    r"(?i)\b(?:can ?not|can't|unable to|not able to|couldn't|could not)\s+(?:\w+\s+){0,2}?"
    r"(?:identify|determine|tell|name|pin down|confirm)\s+(?:\w+\s+){0,2}?"
    r"(?:species|breed|dish|variety|cultivar|model|make|type|kind|specific|exact|precise)\b|"
    r"\b(?:exact|specific|precise)\s+(?:species|breed|variety|cultivar|model)\s+(?:can ?not|"
    r"can't|could not|couldn't)\s+be\s+(?:determined|identified|confirmed|told|pinned down)"
)
_CONCESSION = re.compile(  # "Although it resembles a Raven, it is ...": the main clause
    r"(?i)^\W*(?:although|though|even though|while|whilst|despite)\b[^.;]*,\s*(?:\w+\s+){0,4}$"
)
_HEDGED = re.compile(  # "While the long hair might suggest a X": no verdict
    r"(?i)\b(?:might|may|could|would|can|while|although|though|if|whether)\b[^,;.]*$"
)
_LEANING = re.compile(r"(?i)\b(?:lean\w*|point\w*|tend\w*|tilt\w*)\s+(?:\w+\s+)?$")
_CONTRAST = re.compile(
    # "..., but the grey nape shows it": a plain statement that contradicts what came before
    r"(?i)(?:\bbut|\bhowever|\byet)\b(?![^.]*\b(?:could|might|may|also|possibly|perhaps|"
    r"probably|likely|if|whether|not|n't)\b)[^.]*$"
)
_DECISIVE = re.compile(
    # a phrase that weighs the evidence and picks a name ("the stripe suggests X")
    r"(?i)^(?:suggests?|indicates?|points? to|confirms?|(?:most |more )?likely|probably|"
    r"(?:go|going) with|settl(?:e|ing) on|towards?|leaning|answer is|identification is|"
    r"on balance,|in my (?:opinion|view),|say|guess|match(?:es)? is|"
    r"(?:settles?|decides?|clinch(?:es)?) it\s*:|(?:i'd|i would|i'll|i will) (?:pick|choose|opt for)|"
    r"fits?|" + _FITS_WITH + "|" + _ARROW + r"|=)$"
)
_NEGATION = re.compile(r"(?:\bnot|n't|\bnever)\s+(?:\w+\s+){0,2}$", re.IGNORECASE)
_REFINEMENT = re.compile(
    r"^\s*(?:,|\s[-–—]|[—–])?\s*(?:and\s+)?(?:more\s+)?(?:specifically|namely|precisely|formally|properly)\s*,?\s+",
    re.IGNORECASE,
)
_ALTERNATIVE = re.compile(
    r"^\s*(?:,\s*|\s)(?:or|and/or|and|oder|ou|o)\s+(?:possibly\s+|perhaps\s+|maybe\s+)?|"
    r"^\s*,\s+(?=\S)",
    re.IGNORECASE,
)
_APPOSITIVE = re.compile(r"(?i)^\s*,\s+(?:an?)\s")
_AFTER_NAME = re.compile(r"^\s*(?:\([^()\n]{0,200}\)|\*[^*\n]{1,80}\*|_[^_\n]{1,80}_(?!\w))")
_PREPOSITIONS = (
    r"(?:out|up|on|in|at|through|over|along|across|by|near|under|from|off|down|into|onto|"
    r"against|among|around|beside|toward|towards)"
)
_PARTICIPLE_TAIL = re.compile(
    # what an animal or thing does, after its name: " breaching.", " hauled out on the rocks"
    r"\s+[a-z]+(?:ing|ed)(?:\s+" + _PREPOSITIONS + r"\b.*)?\W*"
)
_DESCRIBED_NAME = re.compile(
    r"(?:(?!(?:and|or|of|with|in|on|the)\s)[a-z][a-z-]{2,}\s+){1,2}(?=(?:\*\*)?[A-Z])"
)
_LOWERCASE_SPAN = re.compile(
    r"(?P<span>[^\W\d_][\w' -]{0,60}?)"
    r"(?=\s*(?:[.!?(\n;:]|$)|\s+[-–—]\s|\s*[—–]|\*|"  # sentence end, dash, parenthesis
    r",\s*(?:(?:which|that|who|specifically|namely|commonly|more|also|known|native|probably|genus|"
    r"likely|possibly|perhaps|or|and|but|though|although|a|an|the|its|it|given|judging|based|"
    r"breeding|adult|male|female|juvenile|immature|"
    r"as|from|with|sometimes|often|recogni[sz]able|identifiable|distinguished|is|are|was|you|we|"
    r"i|they|this|these|do|don't|leaning|not)\b|[a-z]+(?:ed|en)\s+(?:by|in|on|from|with|as)\b|"
    r"[a-z]{2,}ing\b|\*)|"  # ", eating berries"
    r"\s+(?:with|which|that|because|judging|given|based|to me|due to|or|from|in the|here|"
    r"and (?:an?|the|some|two|three)|"
    r"swimming|flying|sitting|standing|perched|perching|resting|walking|feeding|foraging|"
    r"grazing|growing|lying|sleeping|eating|hovering|running|climbing|crawling|floating|"
    r"hanging|blooming|parked|driving|taking off|landing|on (?:a|an|the)|in (?:a|an))\b|"
    # any participle with a preposition: "a harbor seal hauled out on the rocks"
    r"\s+[a-z]+(?:ing|ed)\s+" + _PREPOSITIONS + r"\b|"
    # "... wading." (not a name ending in -ing: "starling", "bunting", "herring", "kingling")
    r"\s+(?![a-z]*(?:ling|king|wing|ring)\b|bunting\b)[a-z]{3,}ing\s*(?:[.!?;,]|$))"
)
_MARK_NOUNS = frozenset(["logo", "badge", "badges", "emblem", "grille", "design", "lettering"])
_SENTENCE_OPENERS = frozenset(["however", "although", "though", "because"])
_REMARK_NOUNS = frozenset(["question", "shot", "challenge", "case", "view", "angle", "picture"])
_GENERATION = re.compile(r"(?i)\bgeneration$|^(?:first|second|third|fourth|fifth|sixth|\d+(?:st|nd|rd|th))-gen")
_DEMONSTRATIVES = frozenset(["These", "Those", "This", "That"])
_PRONOUNS = frozenset(["i", "i'd", "i'm", "i'll", "i've", "we", "we'd", "we're", "you", "you'd"])
_ADVERB_PARTICLES = frozenset(["back", "up", "down", "out", "off", "away", "over", "open", "aside"])
_QUANTITY_OF_BOLD = re.compile(r"(?:an?\s+)?(?:[a-z][\w-]*\s+){1,3}of\s+(?:an?\s+|the\s+)?(?=\*\*|__)")
_TRAILING_GENERIC = re.compile(
    r"(?:\s+(?:breed|breeds|species|family|genus|mix|puppy|puppies|variety))+$"
)
_CATEGORY_NOUN = re.compile(r"\s+(?:" + "|".join(sorted(CATEGORY_WORDS)) + r")$")
_FINAL = re.compile(
    r"(?im)^[ \t>#*_-]*+(?:\d+[.)]\s*+)?[*_]*+"
    r"(?:(?:most likely|likely|probable|predicted|best|my|the|top|final)\s+)*"
    r"(?:final answer|answer|final|conclusion|identification|identified|id|common name|verdict|"
    r"(?<=best )match|(?<=closest )match|"
    r"(?:identified )?(?:species|breed)"
    r"(?: identified| identification| name)?|prediction|result|label|classification|guess|"
    r"(?<![\w ])most likely)"
    r"\s*[*_]*\s*(?:[:：→=]|->|\s[-–—]\s|[–—])\s*(?:[*_]+(?![*_]*\w))?\s*(?P<rest>[^\n]*)"
)
_ANSWER_TAG = re.compile(
    r"<(?P<tag>answer|conclusion|final_answer|final)>\s*(?P<rest>[^<]{0,500}?)\s*</(?P=tag)>|"
    r"\\boxed\{(?P<boxed>[^{}\n]{0,200})\}",
    re.IGNORECASE,
)
_SUBJECT = re.compile(r"^\W*(?P<name>[^\n]{1,100}?)\s+(?:is|appears|looks|seems)\b")
_CONCLUSION = re.compile(
    r"(?i)^\W*(?:therefore|thus|hence|so|in conclusion|in summary|to summari[sz]e|to conclude|"
    r"overall(?=\s*,)|consequently|all in all|my answer|the answer|based on|given|considering|"
    r"after|taking|combining|putting|all things considered|finally|in this case)\b"
)
_VERDICT = re.compile(
    # a sentence that gives the answer's verdict, wherever the cue sits in it
    r"(?i)\b(?:identif(?:y|ies|ied) (?:it|this|them)? ?as|marks? (?:it|this|that) as|"
    r"identification(?: is|(?=:))|(?:in )?conclusion|"
    r"conclude|verdict|best (?:match|fit|guess|answer)|points? (?:to|towards)|"
    r"my (?:final |best )?(?:answer|guess|pick|choice)|the answer is|final|i (?:believe|think|can confidently)|"
    r"(?:i'm|i am) (?:\w+ )?(?:confident|certain|sure)(?! whether| if)|"
    r"(?:give|say|name|identify) confidently|confidently (?:identify|say|name|call)|ultimately|"
    r"i(?:'d| would| will|'m going to) (?:say|go with|guess|identify)|lean(?:ing|s)? towards?|"
    r"go with|settle on|more likely|on closer inspection|all things considered|"
    r"taking (?:all|everything)|putting (?:it|this|everything)|to summari[sz]e|in summary|"
    r"so my answer|weighing everything|in this case|reckon|settl(?:e|ing) on|all in all|"
    r"rather than|instead of|(?:settles?|decides?|clinch(?:es)?) it|(?:that|this) fits|"
    r"fits? best|makes? (?:it|this))\b|\s(?:" + _ARROW + r"|=)\s"
)
_SENTENCE_REVISION = re.compile(  # a sentence that takes back what came before
    r"(?i)^\W*(?:(?:however|but|no)\W+)?(?:actually|correction|on second (?:look|thought|glance)|looking (?:again|closer)|"
    r"(?:up)?on (?:a )?closer (?:inspection|look)|after a closer look|wait|scratch that)\b"
)
_TAKING_BACK = re.compile(  # a sentence that opens by doubting what came before
    r"(?i)^\W*(?:however|hmm+|but|wait|actually|correction|on second (?:look|thought|glance)|"
    r"(?:looking|examining|on|upon)(?: at)?(?: \w+){0,3} (?:again|more closely|closer)|"
    r"(?:up)?on (?:a )?closer (?:inspection|look))\b"
)
_POSSIBILITY = re.compile(r"(?i)\b(?:it is|it's) (?:also )?possible\b|\b(?:could|might|may) also\b")
_CORRECTION_AFTER = re.compile(
    r"(?i)\s*(?:more likely|actually|rather|more precisely|precisely|more specifically|"
    r"more accurately)\b"
)
_RULED_OUT_BEFORE = re.compile(
    r"(?i)(?:rules? out|ruling out|unlike|compared (?:with|to)|mistaken? (?:it )?for|"
    r"confused with|rather than|instead of|separates? it from|distinguish\w* (?:it )?from|"
    r"differs? from|other than|excluding|except)\s+(?:[^\s,;:]+\s+){0,4}$"
)
_TAXON_AFTER = re.compile(r"(?i)^[*_]*\s*(?:family|subfamily|genus|order|group|clade)\b")
"""After a name: it names a higher group ("the flycatcher family"), not the class."""
_RULED_OUT_AFTER = re.compile(
    r"(?i)^[*_]*\s*(?:\([^()]*\)\s*)?,?\s*(?:is|would be|seems|are|would look)?\s*"
    r"(?:unlikely|ruled out|a close look-?alike|less likely|also possible|cannot be ruled out|"
    r"similar, but|lacks|is excluded)"
)
_BOLD = re.compile(r"\*\*(?P<a>(?:[^*\n]|\*(?!\*)){1,300}?)\*\*|__(?P<b>[^_\n]{1,300}?)__")
_QUOTED = re.compile(r'^"(?P<name>[^"\n]{2,60})"(?!\w)')
_SEX_AGE_AFTER = re.compile(  # "Belted Kingfisher (*Megaceryle alcyon*), female"
    r"\s*,\s*(?:an?\s+)?(?:adult|female|male|juvenile|immature|young|breeding|non-breeding)"
    r"(?:\s+(?:male|female|plumage))?\W*$"
)
_YEARS_AFTER = re.compile(
    rf"(?:\s*,\s*(?:c\.\s*|circa\s+|ca\.\s*|~)?{_YEAR}s?|\s*,?\s*{_YEAR}\s*[–-]\s*"
    r"(?:(?:19|20)?\d\d|present|today))\W*$"
)
_ITALIC_START = re.compile(r"^\*(?P<a>[^*\n]{1,120}?)\*|^_(?P<b>[^_\n]{1,120}?)_(?!\w)")
_LIST_ITEM = re.compile(r"(?m)^[ \t]*(?:[-*+•]|\d+[.)]|\d{1,2}[ \t]*[-–])[ \t]+(?P<item>[^\n]+)$")
_SENTENCE_END = re.compile(r"(?<!\bSt)(?<!\bMt)(?<!\bSte)[.!?](?=\s|$)|\n")
_PARENS = re.compile(r"\([^()]*\)|\[[^\[\]]*\]")
_FENCE = re.compile(r"```[ \t]*(?:json|JSON)?[ \t]*\n?(?P<body>.*?)```", re.DOTALL)
_TOKEN = re.compile(r"^[\"'(]*(?P<core>.*?)(?P<tail>[\"'),.;:!?]*)$", re.DOTALL)
_EDGE_PUNCT = " \"'.,;:!?-–—"
_LABEL_PREFIX = re.compile(r"^[A-Za-z]+(?: [A-Za-z]+)?\s*[:：]\s+(?=\S)")


@dataclass(frozen=True)
class _Mention:
    """A candidate name found at ``pos`` in the answer, in sentence number ``sentence``;
    ``conclusion``: its sentence gives a verdict ("Therefore, ...", "I can confidently
    identify it as ...", a closing bold line); ``correction``: the name corrects an earlier
    one ("... is actually a X", "I lean towards X"); ``ruled_out``: the answer sets it aside
    ("unlike the X", "the X is unlikely"); ``heading``: a bold line that heads a section of
    a structured answer ("**Initial Observations**"); ``described``: found after a verb
    that describes the image rather than names it ("it shows a T-tail"); ``decisive``: found
    after a phrase that weighs the evidence ("the stripe suggests X", "most likely X", "on
    balance, X"); ``alternatives``: the names of the hedge it is part of ("either A or B"),
    () when it stands alone; ``resembles``: found after a likeness verb ("it resembles a X");
    ``contrast``: stated plainly after "but" / "however" ("..., but the nape shows it is a
    Y"), which overrides a likeness; ``listed``: an item of a list of names; ``conceded``:
    found in a hedged or concessive clause ("Although it resembles a X, ...", "might suggest
    a X, but ..."), which a plain statement later in the sentence overrides; ``opener``: the
    words that open the answer, without an identifying phrase ("Harbor seal hauled out")."""

    pos: int
    name: str
    sentence: int = -1
    conclusion: bool = False
    correction: bool = False
    ruled_out: bool = False
    heading: bool = False
    described: bool = False
    decisive: bool = False
    alternatives: tuple[str, ...] = ()
    resembles: bool = False
    contrast: bool = False
    listed: bool = False
    conceded: bool = False
    opener: bool = False


# ----------------------------------------------------------------------------- text hygiene


def _printable(text: str) -> str:
    """``text`` with every non-printable character except newline turned into a space."""
    if text.replace("\n", "").isprintable():
        return text
    return "".join(ch if ch.isprintable() or ch == "\n" else " " for ch in text)


def _prepare(text: str) -> str:
    text = unicodedata.normalize("NFKC", text)
    if len(text) > TEXT_MAX:
        half = TEXT_MAX // 2
        text = text[:half] + "\n" + text[-half:]
    text = text.replace("◁/think▷", "</think>")  # Kimi-VL's thinking marks
    _, closed, after_thinking = text.rpartition("</think>")
    if closed and after_thinking.strip():  # a reasoning model's answer follows its thoughts
        text = after_thinking
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    for end_of_turn in _END_OF_TURN.finditer(text):  # "Takoyaki</s>", "X<|im_end|>\n### User:"
        if text[: end_of_turn.start()].strip():
            text = text[: end_of_turn.start()]
            break
    text = _END_OF_TURN.sub(" ", text)  # a leading "<|im_start|>"
    text = _BOX_TOKENS.sub(r"\\boxed{\g<inner>}", text)  # GLM-4.1V's answer box
    text = re.sub(r"<\|[\w▁]{1,30}\|>", " ", text)  # any other special token
    text = _REPEATED.sub(lambda m: m.group("unit") or m.group("word"), text)
    text = text.replace("’", "'").replace("‘", "'").replace("“", '"').replace("”", '"')
    text = _LATEX_TEXT.sub(r"\g<inner>", text)  # "\\boxed{\\text{X}}" -> "\\boxed{X}"
    text = re.sub(r"(" + _ARROW + r")[ \t]*\n\s*", r"\1 ", text)  # "ears →\nFawn Boxer."
    return _printable(text)


_END_OF_TURN = re.compile(
    # a chat template's end-of-turn token, or the model running on into a next turn: what
    # follows is not the answer
    r"<\|(?:im_end|im_start|endoftext|end_of_text|eot_id|eom_id|end|eos|end_of_turn|user|"
    r"assistant|start_header_id|end▁of▁sentence)\|>|</?s>|<eos>|<end_of_turn>|<start_of_turn>|"
    r"^[ \t]*(?:#{2,3}[ \t]*(?:Instruction|Human|User|Input|Question)|USER|Human)[ \t]*:",
    re.MULTILINE,
)
_BOX_TOKENS = re.compile(r"<\|begin_of_box\|>(?P<inner>[^<>\n]{0,200}?)<\|end_of_box\|>")
_REPEATED = re.compile(
    # a degenerate repetition: a phrase of 2+ words said twice or more in a row, or one word
    # three times or more ("Bora Bora", "mahi mahi" stay)
    r"(?i)\b(?P<word>[^\W\d_][\w'-]{2,})(?:\s+(?P=word)\b){2,}|"
    r"\b(?P<unit>[^\W\d_][\w'-]*(?:\s+[\w'-]+){1,5}?)(?:\s+(?P=unit)\b)+"
)
_LATEX_TEXT = re.compile(
    r"\\(?:text|textbf|textit|mathrm|mathbf|emph)\{(?P<inner>[^{}\n]{0,200})\}"
)


def name_key(name: str) -> str:
    """Comparison key of a name: case-folded letters and digits only ("Black-footed
    Albatross", "black footed albatross" and "BlackFooted Albatross" share a key)."""
    return re.sub(r"[\W_]+", "", unicodedata.normalize("NFKC", name).casefold())


def _strip_markdown(text: str) -> str:
    text = re.sub(r"[*`]+", "", text)
    text = re.sub(r"(?<!\w)_+|_+(?!\w)", " ", text)
    return re.sub(r"^[\s#>]+", "", text)


def _clean_name(raw: str) -> str | None:
    """A candidate span as a plain name, or None when it is no usable name.

    Drops markdown, brackets, a parenthesised (Latin) name when something else remains,
    leading articles, trailing generic words ("breed"), a quoted nickname at the end, quotes
    and trailing punctuation; caps the length at NAME_MAX.
    """
    text = _strip_markdown(_printable(raw).replace("\n", " ")).split("?", 1)[0]  # "X? No"
    text = re.sub(r'(?<=\S)\s+"[^"]{1,40}"[\s.,;:!?]*$', "", text)  # 'X "Chicago"': a nickname
    without = _PARENS.sub(" ", text)
    inner = _PARENS.findall(text)
    text = inner[0][1:-1] if inner and not without.strip(_EDGE_PUNCT) else without
    if inner and _is_binomial(" ".join(without.split()).strip(_EDGE_PUNCT)):
        common = _ALIAS_LABEL.sub("", inner[0][1:-1]).strip(_EDGE_PUNCT)  # "X y (common name)"
        if common and not _is_binomial(common) and len(common.split()) <= 5:
            text = common
    text = " ".join(re.sub(r"[()\[\]{}<>]", " ", text).split())
    text = _YEARS_AFTER.sub("", text)  # "Jeep Wrangler (JK), 2007–2018": the years it was built
    text = _SEX_AGE_AFTER.sub("", text)
    text = _LABEL_PREFIX.sub("", text)  # "Aircraft: Cessna 172" from "**Aircraft:** Cessna 172"
    text = re.sub(r"^(?:(?:an?|the)\s+)+", "", text, flags=re.IGNORECASE)
    text = re.sub(r"^" + _OF_THE_KIND + r"\s+", "", text)  # "cat of the Birman breed"
    text = _TRAILING_GENERIC.sub("", text.strip(_EDGE_PUNCT)).strip(_EDGE_PUNCT)
    text = _without_category_noun(text)  # "Ragdoll cat", "fly agaric mushroom"
    coat = re.match(r"(?:[a-z][\w-]*\s+)+(?=[A-Z])", text)  # "brindle and white Saint Bernard"
    words = coat.group(0).replace("-", " ").split() if coat is not None else []
    if words and all(w in COAT_WORDS or w == "and" for w in words):  # not "female Mallard"
        text = text[coat.end() :]
    words = text.split()
    if len(words) == 1 and (words[0].casefold() in (DESCRIPTIVE | ADJECTIVES) - PLANT_COLOURS):
        return None  # "**Male** plumage", "- Small ...": a description; not "**Lilac**"
    if not words or len(words) > _NAME_WORDS_MAX or not any(ch.isalpha() for ch in text):
        return None
    if all(w.casefold() in GENERIC for w in words if not w[:1].isdigit()):
        return None
    if _described_kind(words) or re.match(r"(?i)(?:one|any|some|each|either) of\b", text):
        return None  # "SUV", "American muscle car", "one of the following": no name
    if len(words) > 1 and words[-1].casefold() in _MARK_NOUNS:
        return None  # "the Jeep logo", "the Chevrolet design": a mark of the make, no model
    if _GENERATION.search(text):
        return None  # "the E92 generation", "the first-generation R8": a description
    if words[0].casefold() in _PRONOUNS or (len(words) > 1 and words[0] in _DEMONSTRATIVES):
        return None  # "..., I'd be happy to help", "These features": a clause
    if len(words) == 1 and "-" in text and _adjective_like(text.rsplit("-", 1)[1]):
        return None  # "V-shaped", "Gram-positive": an attribute
    if len(words) == 1 and text.casefold().endswith("-like"):
        return None  # "Beagle-like"
    if len(text) > NAME_MAX:
        cut = text[:NAME_MAX]
        text = (cut.rsplit(" ", 1)[0] if " " in cut else cut).rstrip(_EDGE_PUNCT)
    return text or None


# ----------------------------------------------------------------------------- name spans


def _is_binomial(name: str) -> bool:
    """True for a Latin species name: "Astrantia major", "Auricularia auricula-judae"."""
    m = re.fullmatch(r"[A-Z][a-z]{2,} (?P<epithet>[a-z][a-z-]{2,})(?: [a-z][a-z-]{2,})?", name)
    if m is None or _LOOSE_EPITHET.search(m.group("epithet")) is None:
        return False
    genus, epithet = name.split()[0].casefold(), m.group("epithet")
    return not ({genus, epithet} & (OPENERS | FUNCTION_WORDS | GENERIC | DESCRIPTIVE))


def _split_token(token: str) -> tuple[str, str]:
    m = _TOKEN.match(token)
    return (m.group("core"), m.group("tail")) if m else (token, "")


def _title_case(name: str) -> bool:
    """True for names written as proper names: "Horned Puffin", "Black and Tan Coonhound",
    "Audi A6 2012"."""
    words = name.split()
    return any(_is_capitalised(w) for w in words) and all(
        _is_capitalised(w) or w[:1].isdigit() or w in CONNECTORS for w in words
    )


def _is_capitalised(word: str) -> bool:
    """True for words that can start or continue a name: "Puffin", "Wood-Pewee", "角海鹦"."""
    if len(word) > 2 and word[0].islower() and word[1].isupper() and word[2:3].islower():
        return True  # "iPhone", "eBay", "iMac": a brand written with a lower-case first letter
    return bool(word) and word[0].isalpha() and not word[0].islower()


def _capitalised_run(rest: str) -> tuple[str | None, str]:
    """The leading run of capitalised words of ``rest`` (a name in running text, or a Latin
    binomial) and the text after it. A name particle may lead ("de Havilland Canada DHC-8"),
    and a single capitalised word may go on in lower case up to a clause boundary ("Peruvian
    lily.", "Greater masterwort, ...": names in sentence case)."""
    tokens = re.split(r"(\s+)", rest.lstrip())
    words: list[str] = []
    consumed = 0
    ended = ""  # the punctuation the run ended at
    for i in range(0, len(tokens), 2):
        token = tokens[i]
        if token.startswith("(") or (words and token.startswith('"')):
            break  # a parenthesis, a quoted nickname ('Air Jordan 1 "Chicago"')
        core, tail = (token, "") if token in ABBREVIATIONS else _split_token(token)
        following = _split_token(tokens[i + 2])[0] if i + 2 < len(tokens) else ""
        after_next = _split_token(tokens[i + 4])[0] if i + 4 < len(tokens) else ""
        connects = (  # "Black and Tan", "Chicken of the Woods": connectors between capitals
            bool(words)
            and not tail
            and (
                (core in CONNECTORS and _is_capitalised(following))
                or (core == "of" and following == "the" and _is_capitalised(after_next))
                or (core == "the" and words[-1] == "of" and _is_capitalised(following))
            )
        )
        particle = (  # "de Havilland"
            not words and core in PARTICLES and not tail and _is_capitalised(following)
        )
        epithet = (  # "Larus argentatus": a Latin binomial
            len(words) == 1 and _LATIN_EPITHET.match(core) and tail[:1] in ("", *".,;:)!?")
        )
        model_number = bool(words) and core[:1].isdigit()  # "Boeing 747-400", "Audi A6 2012"
        model_number = model_number or (  # "Smart fortwo Convertible": a model in lower case
            len(words) == 1
            and not tail
            and re.fullmatch(r"[a-z][a-z0-9-]{2,}", core) is not None
            and core not in FUNCTION_WORDS | CLAUSE_WORDS | OPENERS | CONNECTORS
            and re.fullmatch(_PREPOSITIONS + r"|[a-z]+(?:ing|ed|ly)", core) is None
            and not _adjective_like(core)
            and _title_case(following)
            and _split_token(tokens[i + 2])[1] in ("", ".", ",")
        )
        year = not words and re.fullmatch(_YEAR, core) is not None  # "a 2012 Audi"
        if not (_is_capitalised(core) or connects or particle or epithet or model_number or year):
            break
        if words and core.casefold() in _SENTENCE_OPENERS:
            break  # "Least Flycatcher However, given ...": a sentence begins, unpunctuated
        words.append(core)
        consumed = i + 1
        if tail:
            ended = tail
            break
    if not any(_is_capitalised(w) for w in words):
        return None, rest
    if (len(words) == 1 or words[-1].endswith("'s")) and not ended:  # "King Alfred's cakes"
        extra = _sentence_case_tail(tokens[consumed + 1 :])
        if extra:
            words += extra
            consumed += 2 * len(extra)
    elif not ended and _body_style_after(tokens[consumed + 1 : consumed + 4]):
        words.append(_split_token(tokens[consumed + 1])[0])  # "a 2012 Honda Odyssey minivan."
        consumed += 2
    comma = "," if ended.startswith(",") else ""  # "A, B, or C" goes on at the comma
    return " ".join(words), comma + "".join(tokens[consumed:])


def _body_style_after(tokens: list[str]) -> bool:
    """True when ``tokens`` (the word after a name of several capitalised words, a space,
    the next word) open with a body style in lower case that ends the noun phrase and
    belongs to the name ("Honda Civic sedan.", "BMW 3 Series sedan of the E90 generation");
    not other nouns ("Granny Smith apple", "Gothic Revival architecture")."""
    if not tokens:
        return False
    core, tail = _split_token(tokens[0])
    if core.casefold() not in BODY_STYLES:
        return False
    following = _split_token(tokens[2])[0].casefold() if len(tokens) > 2 else ""
    return (
        bool(tail[:1] in tuple(".,;:!?)") and tail)
        or not following
        or tokens[2].startswith("(")  # "**Buick Enclave** SUV (first generation)"
        or following in ("of", "from", "with", "that", "which", "in", "built", "made")
    )


def _sentence_case_tail(tokens: list[str]) -> list[str]:
    """One or two lower-case words that continue a one-word capitalised name up to a clause
    boundary ("[Peruvian] lily.", "[Tiger] lily, ...", "[Fly] agaric (Amanita ...)") or a
    participle ("[Humpback] whale breaching"); [] when they read as the start of a
    description ("[Cardinal] perched on ...", "[Cardinal] with ...").
    ``tokens``: the words and separating spaces after the capitalised word."""
    words: list[str] = []
    for i in range(0, min(len(tokens), 4), 2):
        core, tail = _split_token(tokens[i])
        if not tokens[i][:1].islower() or not re.fullmatch(r"[^\W\d_][\w'-]*", core):
            return []
        low = core.casefold()
        following = tokens[i + 2] if i + 2 < len(tokens) else ""
        if low in CONNECTORS and low not in ("and", "of") and not tail and following[:1].islower():
            words.append(core)  # "Pão de queijo", "Coq au vin"
            continue
        if low in FUNCTION_WORDS or low in CONNECTORS or low in CLAUSE_WORDS:
            return []
        if low in POINTER_NOUNS:
            return words  # "[SuperCrew] model": the name ends before the pointer noun
        if low.endswith(("ing", "ed")) and low not in NAME_LIKE_ENDINGS:
            return words  # "[Cardinal] perched ...", "[Humpback] whale breaching"
        words.append(core)
        if tail[:1] in tuple(".,;:!?)") or not following:
            return words
        if following.startswith(("(", "*", "_", "—", "–", "-")) or following in TAIL_END_WORDS:
            return words
    return []


def _lowercase_span(rest: str) -> str:
    """A name written in lower case at the start of ``rest``: one to four words that end
    the sentence or precede a parenthesis ("is a keeshond.", "a member of the cormorant
    family (Phalacrocoracidae)"); "" for descriptions ("a small, fluffy dog", "a bird with
    ...", "a medium-sized dog")."""
    m = _LOWERCASE_SPAN.match(rest)
    if m is None:
        return ""
    span = _TRAILING_GENERIC.sub("", m.group("span").rstrip())  # "an english setter puppy"
    stripped = _without_category_noun(span)  # "a ragdoll cat"; "a common frog" stays
    if stripped != span and _adjective_like(stripped.split()[-1]):
        return ""  # "a brown mushroom", "a twin-engine regional jet": a description
    if _described_kind(span.split()):
        return ""  # "a blue sedan", "a red sports car", "a classy car"
    span = stripped
    words = span.split()
    if not 0 < len(words) <= 4 or words[-1].casefold() in GENERIC | FUNCTION_WORDS:
        return ""
    if _describes(words):
        return ""
    if words[0].casefold() in CLAUSE_WORDS or words[-1].casefold() in POINTER_NOUNS:
        return ""  # ", but here ...": a clause; "the smaller model": a description
    if len(words) == 1 and words[0].casefold() in CATEGORY_WORDS:
        return ""  # "a tree in a field": a category, no name
    inner = [w.casefold() for w in words[:-1]]
    if any(w in FUNCTION_WORDS for w in inner):
        return ""
    if any(w in GENERIC for w in inner) and not set(inner) & CONNECTORS:
        return ""  # "bird with ..." is no name, "bird of paradise" is
    first, last = words[0].casefold(), words[-1].casefold()
    if last in DESCRIPTIVE or (first in DESCRIPTIVE and first not in NAME_FORMING):
        return ""  # "a small songbird"; but "a great tit", "a little egret"
    if first in DESCRIPTIVE and _plural_word(last):
        return ""  # "a cluster of dark berries"
    if len(words) == 1 and (first in NAME_FORMING or first.endswith(("ing", "ed")) or _adverb(first)):
        return ""  # "a working (dog)", "a spotted ...", "a friendly ..."
    if first.endswith("ed") and last in _ADVERB_PARTICLES:
        return ""  # "which is rolled back", "is folded up": a state, no name
    return span


def _describes(words: list[str]) -> bool:
    """True for lower-case words that describe rather than name: an adverb ("entirely glossy
    black"), adjectives joined by "and" / "or" ("broad and flat", "greyer and larger"), a
    place ("hidden behind leaves", "white all over")."""
    low = [w.casefold() for w in words]
    adverb = any(len(w) > 5 and _adverb(w) for w in low)
    joined = any(
        w in ("and", "or")
        and 0 < i < len(low) - 1
        and any(_adjective_like(x) or _comparative(x) for x in (low[i - 1], low[i + 1]))
        for i, w in enumerate(low)
    )
    return adverb or joined or bool(set(low) & PLACE_WORDS)


def _described_kind(words: list[str]) -> bool:
    """True for adjectives before a category noun or a body style and nothing else: a
    description of the kind of thing ("blue sedan", "red sports car", "classy car")."""
    kinds = CATEGORY_WORDS | BODY_STYLES | KIND_MODIFIERS
    kind = [  # "SUV" or "sedan", not the "Van" of "Turkish Van"
        w.casefold() for w in words if w.casefold() in kinds and (w.islower() or w.isupper())
    ]
    others = [w.casefold() for w in words if w.casefold() not in kind]
    described = all(_adjective_like(w) or w in NATIONALITIES for w in others)
    return bool(kind) and words[-1].casefold() in kind and described


def _adverb(word: str) -> bool:
    """True for a lower-case word ending in "-ly" that is not a name ("lily", "butterfly")."""
    return word.endswith("ly") and not word.endswith(("lily", "fly", "holly"))


def _comparative(word: str) -> bool:
    """True for a comparative of a listed adjective ("greyer", "larger", "bigger")."""
    return word.endswith("er") and any(
        stem in ADJECTIVES or stem in DESCRIPTIVE for stem in (word[:-2], word[:-1], word[:-3])
    )


def _without_category_noun(name: str) -> str:
    """``name`` without a category noun after it ("Ragdoll cat" -> "Ragdoll"), unless the
    noun belongs to the name: one adjective before it that opens common names ("common
    frog", "giant mushroom")."""
    if len(name.split()) < 2:
        return name
    stripped = _CATEGORY_NOUN.sub("", name)
    if stripped != name and stripped.casefold() in NAME_FORMING:
        return name
    return stripped


def _bare_name(rest: str, *, one_word: bool, plural: bool) -> bool:
    """True when ``rest`` opens with a lower-case name without an article: two to four words
    ("is pad thai"), or with ``one_word`` one noun that ends the sentence or is glossed ("is
    amethyst, a purple variety of quartz", "looks like quartz."; not "is difficult.")."""
    words = _lowercase_span(rest).split()
    raw = _LOWERCASE_SPAN.match(rest)
    if words and raw is not None and len(raw.group("span").split()) >= 2:
        return True  # "is pad thai", "snake plant (...)"
    if not one_word or len(words) != 1 or _adjective_like(words[0]):
        return False
    invariant = words[0].casefold().endswith(("us", "is"))  # "these are gladiolus"
    if _plural_word(words[0]) != plural and not invariant:
        return False  # "these are tulips."; not "the leaves are spiny."
    after = rest.lstrip()[len(words[0]) :]
    return (
        re.match(
            r"\s*(?:[.!?;(]|$|[-–—]\s|,\s+(?:an?|the|also|commonly|or|not)\s|\s+to me\b|"
            r"\s(?:but|with|[a-z]+ing)\b)",  # "quartz but ...", "rosemary growing in a pot"
            after,
        )
        is not None
    )


def _plural_word(word: str) -> bool:
    """True for a lower-case word that reads as a plural ("berries", "white-eyes")."""
    low = word.casefold()
    return len(low) > 3 and low.endswith("s") and not low.endswith(("ss", "us", "is"))


def _adjective_like(word: str) -> bool:
    """True for a lower-case word that reads as an adjective ("small", "brown", "fluffy",
    "visible", "difficult"), by the lists above and by its ending; a noun ("quartz",
    "basil", "tiramisu") gives False."""
    low = word.casefold()
    if low in DESCRIPTIVE or low in ADJECTIVES or low in NAME_FORMING:
        return True
    return low.endswith(ADJECTIVE_ENDINGS) and len(low) > 5


def _leading_name(rest: str, *, allow_lowercase: bool) -> tuple[str | None, str]:
    """The name at the start of ``rest`` (bold or italic span, capitalised words, or with
    ``allow_lowercase`` a short lower-case phrase) and the text after it."""
    m = _BOLD.match(rest) or _ITALIC_START.match(rest)
    if m is None and (quantity := _QUANTITY_OF_BOLD.match(rest)) is not None:
        m = _BOLD.match(rest, quantity.end())  # "a dense cluster of **grape hyacinths**"
    if m is not None:  # the bold span is the name: "**Toyota Camry** sedan" (the model's mark)
        return _clean_name(m.group("a") or m.group("b") or ""), rest[m.end() :]
    quoted = _QUOTED.match(rest)  # 'a "wheaten terrier"': quotes mark a name as bold does
    if quoted is not None and not _described_kind(quoted.group("name").split()):
        name = _clean_name(quoted.group("name"))
        if name is not None and (_title_case(name) or _plain_name(name)):
            return name, rest[quoted.end() :]
    run, after = _capitalised_run(rest)
    if run is not None:
        return _clean_name(run), after
    described = _DESCRIBED_NAME.match(rest)  # "a vintage Volkswagen Beetle"
    if described is not None:
        coat = all(_coat_word(w) for w in described.group(0).split())
        bold = _BOLD.match(rest, described.end())
        if coat and bold is not None:  # "a brown tabby **Maine Coon**"
            return _clean_name(bold.group("a") or bold.group("b") or ""), rest[bold.end() :]
        run, after = _capitalised_run(rest[described.end() :])
        name = _clean_name(run) if run is not None else None
        several = run is not None and len(run.split()) > 1 and _title_case(run)
        if name is not None and (several or (coat and _title_case(name))):
            return name, after  # "a brindle Boxer", "a fluffy white Persian cat"
    if allow_lowercase and (span := _lowercase_span(rest)):
        return _clean_name(span), rest[len(span) :]
    return None, rest


def _coat_word(word: str) -> bool:
    """True for a word that describes a coat, plumage or paint before a name ("brindle",
    "brown tabby", "black-and-rust", "smooth-coat", "wire-haired"); not "black-eyed"."""
    parts = [p for p in word.casefold().split("-") if p != "and"]
    return all(
        p in ADJECTIVES or p in DESCRIPTIVE or p in COAT_WORDS for p in parts
    ) or word.endswith(("-haired", "-coated", "-coat"))


def _word_keys(name: str) -> list[str]:
    return [k for k in (name_key(w) for w in re.split(r"[\s\-]+", name)) if k]


def _specialises(specific: str, generic: str) -> bool:
    """True when ``specific`` ends with all of ``generic``'s words and has more
    ("Short-tailed Shearwater" specialises "Shearwater")."""
    s, g = _word_keys(specific), _word_keys(generic)
    return len(s) > len(g) > 0 and s[-len(g) :] == g


def _extends(specific: str, make: str) -> bool:
    """True when ``specific`` opens with the one word ``make`` and has more, a model of that
    make or a species of that genus ("Ford F-150" extends "Ford")."""
    s, m = _word_keys(specific), _word_keys(make)
    added = specific.split()[1:]
    return (
        len(m) == 1
        and len(s) > 1
        and s[0] == m[0]
        and all(w[:1].isupper() or w[:1].isdigit() for w in added)  # not "Whippet include"
    )


def _restates(later: str, first: str) -> bool:
    """True when ``later`` names what ``first`` named: the same words or fewer ("the 3500
    Crew Cab" after "Dodge Ram Pickup 3500 Crew Cab"), or a variety of it that adds words in
    front ("Long-Haired German Shepherd" after "German Shepherd Dog")."""
    named = first.split()
    core = " ".join(named[:-1]) if len(named) > 1 and named[-1].casefold() in CATEGORY_WORDS else first
    return set(_word_keys(later)) <= set(_word_keys(first)) or _specialises(later, core)


def _with_class_words(full: str, name: str) -> bool:
    """True when ``full`` is ``name`` with a model year in front and/or words after it that a
    vehicle class name carries: a body style, a cab or trim word, a code with a digit or in
    capitals ("2012 Toyota Sequoia SUV", "Chevrolet Silverado 1500 Extended Cab",
    "Jeep Grand Cherokee SRT8"); not a variety in front ("Harlequin Great Dane")."""
    f, n = full.split(), name.split()
    keys = [name_key(w) for w in f]
    at = next((i for i in range(len(f)) if keys[i : i + len(n)] == [name_key(w) for w in n]), -1)
    if at < 0 or len(f) == len(n):
        return False
    before, after = f[:at], f[at + len(n) :]
    year = all(re.fullmatch(_YEAR, w) for w in before)
    return year and all(
        w.casefold() in BODY_STYLES | CLASS_WORDS or any(c.isdigit() for c in w) or w.isupper()
        for w in after
    )


def _names_model(full: str, model: str) -> bool:
    """True when ``full`` is ``model`` with its make or model year in front ("Aston Martin
    V8 Vantage" for "V8 Vantage", "2011 Mazda Tribute" for "Mazda Tribute"); not a variety
    ("Harlequin Great Dane" for "Great Dane")."""
    added = full.split()[: len(full.split()) - len(model.split())]
    year = len(added) == 1 and re.fullmatch(_YEAR, added[0]) is not None
    with_digit = any(ch.isdigit() for ch in model)
    return _specialises(full, model) and _title_case(full) and (year or with_digit)


def _singular(name: str, words_used: frozenset[str]) -> str:
    """``name`` with its last word made singular ("Clumber Spaniels" -> "Clumber Spaniel"),
    preferring the form that the answer uses (``words_used``: its words in lower case;
    "Collies" -> "Collie")."""
    words = name.split()
    last = words[-1]
    low = last.lower()
    if _is_binomial(name):
        return name  # "are *Primula vulgaris*": a Latin epithet is no plural
    if low.endswith("ies") and len(low) > 4:
        variants = [last[:-3] + "y", last[:-1]]
    elif low.endswith(("ches", "shes", "sses", "xes", "uses")):  # "Crocuses" -> "Crocus"
        variants = [last[:-2]]
    elif low.endswith("s") and not low.endswith("ss") and len(low) > 3:
        variants = [last[:-1]]
    else:
        return name
    for variant in variants:
        if variant.lower() in words_used:
            return " ".join([*words[:-1], variant])
    if low.endswith("us"):  # "Platypus": singular unless the text says otherwise
        return name
    return " ".join([*words[:-1], variants[0]])


_ATTRIBUTIVE = re.compile(
    r"[*_]*\s+(?:birds|dogs|cats|breeds|species|flowers|plants|cars|vehicles|animals|lines|"
    r"forms|populations|types|varieties|models|ones)\b"
)


_VARIANT = re.compile(r"[*_]*\s+(?:model|version|variant|trim|edition|configuration)\b")


def _span_names(
    rest: str,
    *,
    allow_lowercase: bool,
    plural: bool,
    words_used: frozenset[str],
    bare_word: bool = False,
) -> list[str]:
    """Names at the start of ``rest``, the text right after an identifying phrase: the name,
    refined by a more specific one ("X (most likely the Common X)", "X, specifically Y"), then
    alternatives ("A or B", "A, B, or C"). A lower-case name is taken only with
    ``allow_lowercase`` and after an article ("is a frigatebird"), or without one when it has
    several words ("is pad thai") or, with ``bare_word`` (a short subject before the verb),
    is one noun ending the sentence ("this is basil.")."""
    names: list[str] = []
    prefix = _PREFIX.match(rest.lstrip())
    prefix_text = prefix.group(0) if prefix else ""
    rest = rest.lstrip()[len(prefix_text) :]
    if _RANK_WORD.match(rest):
        return []  # "a member of the genus Zosterops" names a genus, not the class
    article = (  # "is a keeshond", "is a bowl of shakshuka"
        re.search(
            r"(?i)(?:^|\s)(?:an?|the|ein|eine|einen|un|une|una|uno|el|le|la|il)\s",
            " " + prefix_text,
        )
        is not None
    ) or (  # "these are two mallards", "both are tulips": a count stands for the article
        plural and re.search(r"(?:^|\s)(?:both|all|two|three|four|several)\s", " " + prefix_text)
    )
    allow_lowercase = allow_lowercase and (
        article
        or (
            _ADVERBS_ONLY.fullmatch(prefix_text) is not None
            and _bare_name(rest, one_word=bare_word, plural=plural)
        )
    )
    while len(names) < MAX_CANDIDATES:
        name, after = _leading_name(rest, allow_lowercase=allow_lowercase)
        if name is None:
            break
        paren = re.match(r"^\s*\(([^()\n]{0,200})\)", after)
        if paren is not None:
            inner = _PREFIX.sub("", paren.group(1).strip(" *_"), count=1)
            inner_name, _ = _leading_name(inner, allow_lowercase=False)
            if inner_name is not None and _specialises(inner_name, name):
                latin = _is_binomial(inner_name) or paren.group(1).strip()[:1] in "*_"
                name = name if latin else inner_name  # not "**Oleander** (*Nerium oleander*)"
        after = _AFTER_NAME.sub("", after, count=1)
        refinement = _REFINEMENT.match(after)
        if refinement is not None:
            tail = _PREFIX.sub("", after[refinement.end() :], count=1)
            refined, tail = _leading_name(tail, allow_lowercase=True)  # "sushi — specifically nigiri"
            lowercase = refined is not None and refined == refined.lower()
            if lowercase and not (name == name.lower() and allow_lowercase):
                added = refined.split()[: len(refined.split()) - len(name.split())]
                described = all(_coat_word(w) or _adjective_like(w) for w in added)
                named = _specialises(refined, name) and not described
                refined = refined if named else None  # "a **Fritillary**,
            if refined is not None:  # specifically the snake's head fritillary"
                name, after = refined, _AFTER_NAME.sub("", tail, count=1)
        if not plural and _ATTRIBUTIVE.match(after):
            break  # "among North American birds": an adjective before a plural noun
        if names and _VARIANT.match(after):
            break  # "X, most likely an Extended Cab model": a variant of X, not another name
        names.append(_singular(name, words_used) if plural else name)
        alternative = _ALTERNATIVE.match(after)
        if alternative is None:
            break
        if _APPOSITIVE.match(after) and not re.match(r"[^.;!?\n]*\bor\b", after):
            break  # "a Viceroy, a Müllerian mimic of ...": a description, not an alternative
        rest = _PREFIX.sub("", after[alternative.end() :], count=1)
    return names


# ----------------------------------------------------------------------------- candidates


@functools.lru_cache(maxsize=32)
def _sentences(text: str) -> tuple[tuple[int, str], ...]:
    """(offset, sentence) pairs of ``text``; line breaks also end sentences (cached: one
    answer is split several times)."""
    out = []
    start = 0
    for m in _SENTENCE_END.finditer(text):
        if text[start : m.end()].strip():
            out.append((start, text[start : m.end()]))
        start = m.end()
    if text[start:].strip():
        out.append((start, text[start:]))
    return tuple(out)


def _words_used(text: str) -> frozenset[str]:
    return frozenset(re.findall(r"[^\W_][\w'-]*", text.lower()))


def _identified(text: str, *, allow_lowercase: bool, described: bool = False) -> list[_Mention]:
    """Names that follow identifying phrases, in order of appearance. In a sentence that
    gives a verdict, names in lower case are taken too ("Therefore, this is a foxglove");
    after a describing verb ("the image shows a rainbow trout") only with ``described`` (the
    last resort, when the answer names nothing else)."""
    mentions = []
    words_used = _words_used(text)
    for index, (start, sentence) in enumerate(_sentences(text)):
        plain = _strip_markdown(sentence)
        revises = _SENTENCE_REVISION.match(plain) is not None  # "Actually, ... this is X"
        verdict = bool(_CONCLUSION.match(plain) or _VERDICT.search(plain)) or revises
        for m in _IDENT.finditer(sentence):
            before = sentence[max(0, m.start() - _WINDOW) : m.start()]
            after = sentence[m.end() : m.end() + _WINDOW]
            verb = m.group("verb").lower()
            negated = _NEGATION.search(before) and not verb.startswith("but")
            if negated or re.match(r"\s*(?:not|n't)\b", after, re.IGNORECASE):
                continue
            if verb.startswith("but") and not re.search(r"(?i)(?:\bnot|n't)\s[^,;]{1,80}$", before):
                continue  # "not a Dachshund but a Basset Hound"; any other "but" names nothing
            if verb in ("instead", "rather") and re.match(r"\s*(?:of|than)\b", after):
                continue  # "on the hood instead of a traditional grille": set aside, no verdict
            if verb in ("toward", "towards") and not _LEANING.search(before):
                continue  # "widens toward the cab windows" names nothing
            if _SETTING.search(before):
                continue  # "hanging in what looks like a hedgerow": the setting
            plural = (
                verb in PLURAL_VERBS
                or (verb == "be" and re.search(r"\b(?:appear|seem)\s+to\s+$", before) is not None)
                or _PLURAL_PREFIX.match(after) is not None
            )
            correction = (
                verb in ("precisely", "specifically", "rather", "instead")
                or _CORRECTION.search(before[-40:] + m.group(0)) is not None
                or _CORRECTION_AFTER.match(after) is not None
                or re.search(r"(?i)\blean(?:ing|s)?\s+towards?\s+$", before + m.group(0))
                is not None
            ) and _POSSIBILITY.search(before) is None  # not "it is possible that it is actually"
            correction = correction or revises
            ruled_out = _RULED_OUT_BEFORE.search(before[-60:]) is not None
            clause = re.split(r"[,;:—–]|\s-\s", before)[-1]
            head = re.sub(r"[^\w'-]", " ", clause).casefold().split()[-1:]
            part = verb in ("is", "are", "was", "were") and bool(head) and head[0] in PART_NOUNS
            bare_word = verb in (
                "it's",
                "that's",
                "answer is",
                "identification is",
            ) or verb.startswith(("look", "like", "resembl"))
            bare_word = bare_word or re.fullmatch(_ARROW, verb) is not None  # "→ frangipani."
            bare_word = bare_word or (described and verb in DESCRIBING_VERBS)
            bare_word = bare_word or (  # "The mineral in the photo is amethyst."
                verb in ("is", "was", "be", "are", "were")
                and (
                    _SHORT_SUBJECT.fullmatch(clause) is not None
                    or re.search(r"(?i)\b(?:this|it)\s*$", clause) is not None
                )
                and not part
            )
            names = _span_names(
                after,
                allow_lowercase=(
                    allow_lowercase or verdict or (correction and verb != "specifically")
                )
                and (described or verb not in DESCRIBING_VERBS)
                and not part,
                plural=plural,
                words_used=words_used,
                bare_word=bare_word,
            )
            apposition = None if names else _APPOSITION.match(after)
            if apposition is not None:  # "a large container ship, the Ever Given, ..."
                after = after[apposition.end() :]
                names = _span_names(
                    after, allow_lowercase=False, plural=plural, words_used=words_used
                )
            for name in names:
                found = after.lower().find(name.lower())
                rest = after[found + len(name) :] if found >= 0 else ""
                mentions.append(
                    _Mention(
                        start + m.start(),
                        name,
                        index,
                        verdict,
                        correction,
                        ruled_out
                        or _RULED_OUT_AFTER.match(rest) is not None
                        or _TAXON_AFTER.match(rest) is not None,
                        described=verb in DESCRIBING_VERBS,
                        decisive=_DECISIVE.match(verb) is not None
                        and _HEDGED.search(before) is None,
                        alternatives=tuple(names) if len(names) > 1 else (),
                        resembles=verb.startswith(
                            ("resembl", "look", "like", "similar", "consistent", "remind")
                        ),
                        conceded=_HEDGED.search(before) is not None
                        or verb in ("possibly", "perhaps", "maybe"),
                        contrast=(verb in ("is", "it's", "that's") or _DECISIVE.match(verb))
                        and (
                            _CONTRAST.search(before) is not None
                            or _CONCESSION.search(before) is not None
                        ),
                    )
                )
    return mentions


_HEADING_LINE = re.compile(
    r"(?im)^[ \t>]*(?:#{1,6}\s|(?:\d+[.)]\s*)?\*\*[^*\n]+\*\*[ \t]*:?[ \t]*$|"
    r"(?:[-*+•]\s+|\d+[.)]\s*)?\*\*[^*\n]{1,60}?:\s*\*\*|(?:[-*+•]\s+|\d+[.)]\s*)?"
    r"\*\*[^*\n]{1,60}\*\*\s*:|\W*step\s*\d+\b)"
)


def _is_structured(text: str) -> bool:
    """True for an answer laid out in sections (two or more heading lines: "### Tail",
    "**Step 1: ...**", "**Coat:** ...", a bold line of its own): its verdict comes last."""
    return len(_HEADING_LINE.findall(text)) >= 2


_ANSWER_HEADING = re.compile(
    r"(?im)^[ \t#>*_]*(?:step\s*\d+\s*[:.)-]?\s*)?(?:final answer|answer|verdict|conclusion|"
    r"final identification|final verdict|result|(?:final )?assessment|final thoughts|summary)[ \t*_:：]*\n\s*"
    r"(?P<rest>[^\n]+)"
)


_LABELLED_LINE = re.compile(  # a bold line of its own: "**Aircraft: Boeing 737-800**"
    r"(?m)^[ \t>#]*\*\*(?:[A-Z][a-z]+ )?(?P<label>[A-Za-z][a-z]+)\s*:\s*(?P<rest>[^*\n]{2,80}?)"
    r"\*\*[ \t]*(?:\([^()\n]{0,40}\))?[ \t.]*$"
)
_ARTICLE = re.compile(r"(?i)^\s*(?:an?|the)\s+")
_CLOSING_COLON = re.compile(  # the answer's last line: features, a colon, the name
    r"(?:^|(?<=[.!?])[ \t]|\n)(?P<lead>[^\n:：.!?]{1,200})[:：][ \t]*(?P<rest>(?:the |an? )?[*_]*[A-Z][^\n:.!?]{1,60}?)"
    r"[*_]*[.!]?[ \t]*\Z"
)
_BOLD_LABEL_REST = re.compile(r"(?P<name>[^*\n]{1,80}?)\s*\*\*(?!\w)")
_CORRECTING = re.compile(r"(?i)[—–-]\s*(?:no|wait|sorry|actually)\b(?:[,:]?\s*(?:no|wait|sorry|actually|correct\w*)\b)*[,:]?\s*")
_BOXED = re.compile(r"\\boxed\{(?P<inner>[^{}\n]{0,200})\}")
_ASKED_AND_ANSWERED = re.compile(  # "So, what is it? It's a Cedar Waxwing."
    r"(?i)\bwhat (?:is (?:it|this)|(?:species|bird|breed|kind|flower|car|model)\b[^?\n]{0,30})"
    r"\?[*_]*[ \t]*(?P<rest>[^\n]+)"
)


def _final_answer(text: str) -> tuple[list[str], bool]:
    """Names after the last explicit answer marker that has content ("Final answer: X",
    "<answer>X</answer>", "\\boxed{X}"), and whether it gives a refusal ("Final answer:
    unknown")."""
    tagged = [
        (m.group("rest") or m.group("boxed") or "", False) for m in _ANSWER_TAG.finditer(text)
    ]
    marked = [(m.start(), m.group("rest"), False) for m in _FINAL.finditer(text)]
    marked += [(m.start(), m.group("rest"), False) for m in _ASKED_AND_ANSWERED.finditer(text)]
    marked += [(m.start(), m.group("rest"), True) for m in _ANSWER_HEADING.finditer(text)]
    closing = _CLOSING_COLON.search(text.rstrip())  # "Gray head, white eye ring: Nashville X."
    if closing is not None and len(closing.group("lead").split()) >= 3:
        marked.append((closing.start("rest"), closing.group("rest"), False))
    marked += [
        (m.start(), m.group("rest"), False)
        for m in _LABELLED_LINE.finditer(text)
        if m.group("label").casefold() in CATEGORY_WORDS | {"breed", "species"}
    ]
    ordered = [(rest, heading) for _, rest, heading in sorted(marked)] + tagged
    for rest, heading in reversed(ordered):  # a tag outranks a marker; the last one first
        boxed = _BOXED.search(rest)  # "<answer>Male \\boxed{X}</answer>": the box
        rest = (boxed.group("inner") if boxed is not None else rest).strip()
        if not rest:
            continue
        names = [x.name for x in _identified(rest, allow_lowercase=True)]
        names.sort(  # "Verdict: the solid red coat ... a Redbone"; not "a **morning glory**"
            key=lambda n: n == n.lower() and f"**{n.casefold()}**" not in rest.casefold()
        )
        if not names and _REFUSAL.match(rest):
            return [], True  # "**Identification:** Unable to determine"
        if not names and not re.search(r",|\bor\b", _PARENS.sub(" ", rest)):
            whole = _short_answer(_PREFIX.sub("", rest, count=1))  # "Final answer: X"
            names = [whole] if whole is not None else []
        head = re.split(r"\s*[(,;—–]|\s-\s", rest, maxsplit=1)[0]
        hedged = re.match(  # "X (*Genus*), possibly Y", "X, probably Y": X, then a refinement
            r"\s*(?:\(|[,;—–-]\s*(?:possibly|probably|likely|perhaps|maybe|most likely)\b)",
            rest[len(head) :],
        )
        pointed = re.match(r"(?i)\W*(?:the|this|these|its)\b", head)  # "The dark back, ..."
        lead = _short_answer(head) if hedged and not pointed else None
        if names and head != rest and lead and _plain_name(lead) and not _section_title(lead):
            names = _dedupe([lead, *names])  # "Tree mallow (*Lavatera*), possibly 'Barnsley'"
        closed = _BOLD_LABEL_REST.match(rest)  # "**Answer: X** (*Latin*) — caveat naming Y"
        if closed is not None and (lead := _clean_name(closed.group("name"))) is not None:
            names = _dedupe([lead, *names])
        article = _ARTICLE.sub("", rest)
        described = _DESCRIBED_NAME.match(article)
        if _BOLD.match(article, described.end() if described else 0) is not None:
            lead, _ = _leading_name(article, allow_lowercase=False)  # "a **X** SUV, c. 2012"
            names = _dedupe([lead, *names]) if lead else names  # "**X** (*G*), likely *G s*"
        correcting = _CORRECTING.search(rest)  # "Answer: **A** — no, correcting: **B**."
        if correcting is not None and names:
            later, _ = _leading_name(rest[correcting.end() :].lstrip(), allow_lowercase=False)
            names = _dedupe([later, *names]) if later else names
        if heading:  # the line under an "Answer" heading: a name or a sentence naming one
            if names:
                return names, False
            continue
        names = names or _span_names(  # "Final answer: A or B"
            rest, allow_lowercase=True, plural=False, words_used=frozenset()
        )
        if names:
            return names, False
        words = _strip_markdown(rest).strip(_EDGE_PUNCT).casefold().split()
        if _REFUSAL.search(rest) or (words and all(w in GENERIC for w in words)):
            return [], True
    return [], False


_FIELD = re.compile(
    r"[\s#>*_]*(?P<label>[A-Z][a-z]+(?: [A-Za-z][a-z]+)?)[*_]*\s*[:：][*_]*[ \t]+(?P<value>[^\n]+)"
)
_TITLE_LINES = re.compile(r"(?:\s*(?:#{1,6}[ \t]+[^:\n]+|\*\*[^*:\n]+\*\*)[ \t]*\n)+")


_CAR_FIELD = re.compile(  # labelled make / model / year fields, on lines or inline
    r"(?im)(?:^|[*_]{2}|\s)[ \t]*[-*]?[ \t]*[*_]*(?P<label>make|brand|manufacturer|model|year)"
    r"[*_]*[ \t]*:[*_]*[ \t]*(?P<value>[^*_\n(]{1,60}?)[ \t]*(?=[*_]{2}|\(|\n|$)"
)


def _make_and_model(fields: dict[str, Any]) -> str | None:
    """The car named by make (or brand, manufacturer), model and year fields, keyed in lower
    case ({"make": "Porsche", "model": "911", "year": 2019} -> "Porsche 911 2019"; the make
    once when the model repeats it); None without a make and a model given as text."""
    make = next((fields[k] for k in ("make", "brand", "manufacturer") if k in fields), None)
    model = fields.get("model")
    if not (isinstance(make, str) and isinstance(model, str)):
        return None
    whole = model if name_key(make) in name_key(model) else f"{make} {model}"
    year = str(fields.get("year", ""))
    return f"{whole} {year}" if re.fullmatch(_YEAR, year) else whole


def _field_answer(text: str) -> list[str]:
    """The name in a labelled field that opens the answer ("Style: Chippendale. The ...",
    "Model: Canon AE-1"): a label that is no note about the subject (not "Colour:",
    "Habitat:", "Reasoning:"), then a Title-Case name or a Latin one; [] otherwise."""
    fields = {
        f.group("label").casefold(): f.group("value").strip() for f in _CAR_FIELD.finditer(text)
    }
    car = _make_and_model(fields)  # "**Make:** Ford **Model:** Mustang ..."
    if car is not None:
        return _parse_text(car)
    heading = _TITLE_LINES.match(text)  # "## Vehicle Identification\n\n**Model:** X"
    m = _FIELD.match(text, heading.end() if heading is not None else 0)
    if m is None or _JSON_META_KEY.search(m.group("label")) or m.group("label") in ("Step",):
        return []
    value = _SENTENCE_END.split(m.group("value"), maxsplit=1)[0]
    if _REFUSAL.search(value):
        return []  # "**Identification:** Unable to determine"
    name = _short_answer(value)
    if name is None or not (_title_case(name) or _is_binomial(name)):
        return []
    return [] if len(name.split()) == 1 and _adjective_like(name) else [name]


def _bold_names(text: str, *, structured: bool) -> list[_Mention]:
    """Bold spans that are names; headings ("**Coloration**:", "### **Key Features**",
    "**Step 1: ...**") and lower-case phrases are skipped. In a structured answer a bold
    line of its own is a heading unless it closes the answer (then it is the verdict)."""
    mentions = []
    last_line = text.rstrip().rsplit("\n", 1)[-1].strip()
    for m in _BOLD.finditer(text):
        inner = m.group("a") or m.group("b") or ""
        line_start = text.rfind("\n", 0, m.start()) + 1
        line_end = text.find("\n", m.end())
        line = text[line_start : len(text) if line_end < 0 else line_end]
        if text[m.end() : m.end() + 4].lstrip(" *_").startswith((":", "：")) and not re.search(
            r"(?i)(?:^|\s)(?:an?|the)(?:\s+[\w-]+){0,3}\s+$", text[line_start : m.start()]
        ):  # "**Coloration**:" labels; "A solid black **Newfoundland**: giant size" names
            continue
        if ":" in inner or re.match(r"(?i)\W*(?:step\s*)?\d+\b", inner):
            continue
        if text[line_start : m.start()].lstrip().startswith("#"):
            continue
        if re.search(
            r"\b(?:genus|family|subfamily|order)\s+$", text[max(0, m.start() - 12) : m.start()]
        ):
            continue
        name = _clean_name(inner)
        if name is None:
            continue
        own_line = line.strip(" \t*_.-#") == inner.strip(" *_.")
        if _section_title(name):
            continue  # "**Analyzing the Dog's Build**", "**Initial Observations**"
        opens = (  # "**California poppy** (*Eschscholzia californica*) — ...": the answer
            text[: m.start()].strip(" \t\n#>*_") == ""
            and re.match(r"[*_]*\s*(?:[(—–.,;]|\s[-–]\s|$)", text[m.end() :]) is not None
        )
        plain_name = (own_line or opens) and _plain_name(name)
        if not (_title_case(name) or _is_binomial(name) or plain_name):
            continue
        closing = (  # the answer's last line, maybe with the Latin name: "**X** (*Y z*)"
            _PARENS.sub("", line).strip(" \t*_.-#") == inner.strip(" *_.")
            and line.strip() == last_line
            and not _LIST_ITEM.match(line)
        )
        next_line = text[len(text) if line_end < 0 else line_end :].lstrip("\n").split("\n", 1)[0]
        heads_list = own_line and _LIST_ITEM.match(next_line) is not None
        heading = own_line and not closing and (structured or heads_list)
        candidate = (  # "**Connecticut Warbler** – Gray hood, ...": one candidate of several
            text[line_start : m.start()].strip(" \t-*+•") == ""
            and re.match(r"[*_]*\s*(?:[–—]|-\s|:)", text[m.end() :]) is not None
        )
        mentions.append(
            _Mention(m.start(), name, conclusion=closing, heading=heading, listed=candidate)
        )
    return mentions


def _section_title(name: str) -> bool:
    """True for a bold span that titles a section: it opens with a gerund ("Analyzing the
    Dog's Build", "Ruling Out Options", "Combining") or ends with a section noun ("Initial
    Observations")."""
    words = name.casefold().split()
    gerund = len(words[0]) > 5 and words[0].endswith("ing") and words[0] not in ING_NAMES
    return gerund or words[-1] in SECTION_NOUNS


_CANDIDATE_HEADER = re.compile(
    r"(?i)\b(?:candidates?|guess(?:es)?|predictions?|possibilit(?:y|ies)|options?|matches|"
    r"top[- ]?\d|top (?:three|five|choices|picks)|ranked|ranking|possible|alternatives?)\b"
)
_CONFIDENCE = re.compile(r"(?i)\d\s*%|\bconfidence\b|\bprobability\b")


def _plain_name(name: str) -> bool:
    """True for a short name in lower or sentence case that reads as a name, not as a
    description or a clause ("bird of paradise", "Giant puffball"; not "small and fluffy")."""
    words = name.casefold().split()
    opener = words[:1] and words[0] in OPENERS and not (words[0] in NAME_FORMING and len(words) > 1)
    if not 0 < len(words) <= 5 or opener:  # "common frog" is a name, "common traits" not
        return False
    if words[0] in DESCRIPTIVE and (words[0] not in NAME_FORMING or len(words) == 1):
        return False
    if any(w in FUNCTION_WORDS or w in CLAUSE_WORDS for w in words):
        return False
    return not all(w in GENERIC for w in words)


def _list_mentions(text: str) -> list[_Mention]:
    """List items that are short names ("1. Horned Puffin", "- Tufted Puffin - less
    likely"). Items that are headings ("1. Coloration: ...") are skipped, unless the list is
    one of candidates (its header says so, or items carry a confidence): then "Name: why"
    and names in lower case count too."""
    mentions = []
    header = ""
    previous_end = -2
    for m in _list_items(text):
        gap = text[previous_end + 1 : m.start()] if previous_end >= 0 else text[: m.start()]
        if previous_end < 0 or gap.strip():
            header = gap.strip().rsplit("\n", 1)[-1]
        previous_end = m.end()
        item = _strip_markdown(m.group("item"))
        parts = re.split(r"(\s[-–—]\s|[:：]|\s\(|,\s|;)", item, maxsplit=1)
        candidates = (
            m.re is _TABLE_ROW
            or _CANDIDATE_HEADER.search(header) is not None
            or bool(_CONFIDENCE.search(item))
        )
        labelled = re.match(r"[^:：(]{1,60}(?:\([^()]{0,40}\))?\s*[:：]", item) is not None
        if len(parts) > 1 and labelled and not candidates:
            continue  # "1. **Throat (Gorget)**: ruby-red": a field mark, not a candidate
        name = _clean_name(parts[0])
        if name is None or len(name.split()) > _NAME_WORDS_MAX:
            continue
        if _title_case(name) or _is_binomial(name) or (candidates and _plain_name(name)):
            mentions.append(_Mention(m.start(), name, listed=True))
    return mentions


_TABLE_ROW = re.compile(r"(?m)^[ \t]*\|[ \t]*#?\d+[.)]?[ \t]*\|[ \t]*(?P<item>[^|\n]+?)[ \t]*\|")


def _list_items(text: str) -> list[re.Match[str]]:
    """List items and ranked table rows ("| 1 | Horned Puffin |"), in order."""
    items = list(_LIST_ITEM.finditer(text)) + list(_TABLE_ROW.finditer(text))
    return sorted(items, key=lambda m: m.start())


def _short_answer(text: str) -> str | None:
    """The whole answer as a name, when it is one short line that reads as a name: Title
    Case ("Horned Puffin", "Fratercula corniculata" too) or a few plain words
    ("golden retriever"), not a sentence."""
    lines = [ln for ln in text.strip().splitlines() if ln.strip()]
    if len(lines) != 1 or len(_PARENS.sub(" ", lines[0]).split()) > 6:
        return None
    name = _clean_name(lines[0])
    if name is None or ":" in name or re.search(_ARROW, name):
        return None  # "Star petals → frangipani": features, then the name
    words = name.split()
    run, after = _capitalised_run(name)
    if run == name or (run and _PARTICIPLE_TAIL.fullmatch(after)):
        return run  # "Horned Puffin", "Humpback whale breaching"
    plain = len(words) <= 4 and not any(w.casefold() in FUNCTION_WORDS for w in words)
    return name if plain else None


def _slash_names(text: str) -> list[str]:
    """The names of a one-line answer that gives synonyms between slashes ("Hen of the woods
    / maitake (Grifola frondosa)"), in order; [] unless every part reads as a short name."""
    lines = [ln for ln in text.strip().splitlines() if ln.strip()]
    if len(lines) != 1 or _IDENT.search(lines[0]):
        return []
    parts = re.split(r"\s+/\s+", lines[0])
    names = [_short_answer(part) for part in parts] if 1 < len(parts) <= 4 else []
    return _dedupe([n for n in names if n is not None]) if names and all(names) else []


def _subject_name(text: str) -> str | None:
    """A Title-Case name that opens the answer: "Horned Puffin - a seabird...", "Horned
    Puffin\n\n...", "Horned Puffin is the bird in this image."."""
    first_line = text.strip().split("\n", 1)[0]
    parts = re.split(r"(\s[-–—]\s|[:.;!?]\s|[:.;!?]$)", first_line, maxsplit=1)
    if len(parts) > 1 and parts[1].strip().startswith(":"):
        return None  # a heading ("Possible species:", "Step 1:")
    head = parts[0]
    subject = _SUBJECT.match(head)
    name = _clean_name(subject.group("name") if subject else head)
    if name is None or len(name.split()) > 5 or name.split()[0].casefold() in OPENERS:
        return None  # "There is a tree ...": a sentence, no name
    return name if _title_case(name) else None


def _dedupe(names: list[str]) -> list[str]:
    seen: set[str] = set()
    out = []
    for name in names:
        key = name_key(name)
        if key and key not in seen:
            seen.add(key)
            out.append(name)
            if len(out) == MAX_CANDIDATES:
                break
    return out


def _annotate(mentions: list[_Mention], text: str) -> list[_Mention]:
    """Mentions sorted by position, each with its sentence number and verdict flag (a verdict
    cue, or the closing statement of a multi-paragraph answer: "The dog is likely an X");
    a candidate put as a question and answered "No" ("**Could it be a X?** No.") and a
    first guess taken back later ("Initially I thought X. However, ...") are ruled out."""
    sentences = _sentences(text)
    starts = [start for start, _ in sentences]
    last_paragraph = text.rstrip().rfind("\n\n")
    out = []
    for m in sorted(mentions, key=lambda m: m.pos):
        index = max(0, bisect.bisect_right(starts, m.pos) - 1)
        plain = _strip_markdown(sentences[index][1]) if sentences else ""
        revises = _SENTENCE_REVISION.match(plain) is not None  # "Actually, ... the **X**"
        verdict = bool(_CONCLUSION.match(plain) or _VERDICT.search(plain)) or revises
        verdict = verdict or (  # "... \n\nThe dog is likely an X.": the closing statement
            0 < last_paragraph <= sentences[index][0] and _closes(plain, m.name)
        )
        line_start = text.rfind("\n", 0, m.pos) + 1
        line_end = text.find("\n", m.pos)
        line = text[line_start : len(text) if line_end < 0 else line_end].strip(" *_")
        heading = (
            m.heading
            or line.startswith("#")
            or (line.endswith((":", "：")) and len(line.split()) <= _HEADING_WORDS_MAX)
        )
        end = sentences[index][0] + len(sentences[index][1])
        question = _QUESTION.search(text, m.pos, end + 1)
        asked = question is not None
        rejected = asked and _NO.match(text, question.end()) is not None  # "**Is it X?** No."
        retracted = (  # "Initially I thought X. However, ...": a first guess taken back
            _FIRST_GUESS.search(plain) is not None and _REVISION.search(text, m.pos) is not None
        )
        out.append(
            replace(
                m,
                sentence=index,
                conclusion=(m.conclusion or verdict) and not asked,
                heading=heading,
                ruled_out=m.ruled_out or rejected or retracted,
            )
        )
    return out


_CLOSING = re.compile(
    r"^\W*(?:(?:[Ss]o|[Tt]hus|[Tt]herefore|[Hh]ence|[Oo]verall)\W+)?(?:[Tt]his|[Ii]t|[Tt]he"
    r"(?: [a-z-]+){1,5}?) (?:is|are|must|can|appears|looks|seems)\b"
)


def _closes(sentence: str, name: str) -> bool:
    """True when ``sentence`` states what the subject is and names ``name`` after the verb
    ("The dog is likely an X", "So this is a Y"), not "The X is known for".
    """
    m = _CLOSING.match(sentence)
    return m is not None and name_key(name) in name_key(sentence[m.end() :])


_QUESTION = re.compile(r"\?[*_]*")
_NO = re.compile(r"(?i)[\s*_]*(?:also\s+)?(?:no|nope|not|unlikely|doesn't|does not)\b")
_FIRST_GUESS = re.compile(
    r"(?i)\b(?:initially|at first(?: glance| sight)?|my (?:first|initial) (?:impression|thought|"
    r"instinct|guess|reaction)|first (?:impression|thought|instinct)|i first thought)\b"
)
_REVISION = re.compile(
    r"(?i)\b(?:however|but|on closer (?:inspection|look)|(?:looking|examining) (?:it )?more "
    r"closely|revise|change (?:that|my)|(?:does|do)(?: not|n't) (?:fit|match)|actually)\b"
)


def _as_specific(later: _Mention, first: _Mention) -> bool:
    """False for a later lower-case word after a capitalised name in another sentence, a
    group rather than a class ("This is an Ovenbird. ... it's actually a warbler")."""
    return (
        later.name != later.name.lower()
        or first.name == first.name.lower()
        or later.sentence == first.sentence
    )


def _best_mention(mentions: list[_Mention], text: str, *, structured: bool) -> _Mention:
    """The mention to rank first: the first one that is neither ruled out nor a heading,
    unless a later one corrects it ("is actually a X", "I lean towards X"), contradicts a
    likeness ("it resembles X, but ... it is Y"), or picks one name of a hedge ("either A or
    B; the stripe suggests B"), or, when the answer opens with reasoning or is laid out in
    sections, a later sentence gives the verdict ("Therefore, it is a X"); then the first
    name of the last such sentence. A lower-case opening ("is a high-speed electric unit")
    gives way to a later weighed verdict in capitals ("All of this points to the N700")."""
    pool = [m for m in mentions if not m.ruled_out and not m.heading]
    pool = pool or [m for m in mentions if not m.ruled_out] or mentions
    first = pool[0]
    corrections = [m for m in pool if m.correction and m.pos > first.pos and _as_specific(m, first)]
    if corrections:  # the first name of the last correcting sentence
        last = corrections[-1].sentence
        return next(m for m in corrections if m.sentence == last)
    sentences = _sentences(text)
    taken_back = [  # "It is a X. Hmm, but the dual wheels ... Therefore, it is a **Y**"
        m
        for m in pool
        if m.sentence > first.sentence
        and m.conclusion
        and not (m.conceded or m.resembles or m.alternatives or m.listed)
        and not _POSSIBILITY.search(sentences[m.sentence][1])  # "it could also be a Y"
        and any(
            _TAKING_BACK.match(_strip_markdown(sentences[i][1]))
            for i in range(first.sentence + 1, m.sentence + 1)
        )
    ]
    if taken_back:
        last = next(m for m in taken_back if m.sentence == taken_back[-1].sentence)
        if not _restates(last.name, first.name):
            return last
    attribute = first.sentence < len(sentences) and re.search(  # "characteristic of the X"
        r"(?i)\b(?:characteristic|typical|indicative|suggestive) of\b", sentences[first.sentence][1]
    )
    if attribute:  # "... characteristic of the Abarth version. Therefore, this is a **Y**."
        concluded = [
            m
            for m in pool
            if m.sentence > first.sentence
            and m.name != m.name.lower()
            and _CONCLUSION.match(_strip_markdown(sentences[m.sentence][1]))
            and not (m.conceded or m.resembles or m.alternatives or m.listed)
        ]
        if concluded:
            return concluded[-1]
    if first.resembles or first.conceded:  # "it resembles a X, but the nape shows it is a Y"
        contrasts = [m for m in pool if m.pos > first.pos and m.contrast and _as_specific(m, first)]
        if contrasts:
            return contrasts[0]
    if first.conceded:  # "Although it resembles a X, the line identifies it as a Y"
        plain = (
            m
            for m in pool
            if m.pos > first.pos
            and m.sentence == first.sentence
            and not (m.conceded or m.resembles or m.alternatives)
            and m.name not in first.alternatives  # "could be an **A** or a **B**": the hedge
        )
        stated = next(plain, None)
        if stated is not None:
            return stated
    if first.alternatives:  # "either A or B; the stripe suggests B": the verdict on the hedge
        picks = [
            m
            for m in pool
            if m.pos > first.pos
            and not m.alternatives
            and (m.decisive or m.conclusion)
            and any(_restates(n, m.name) for n in first.alternatives)  # "it's a 2012 B sedan"
            and not _italic(m.name, text)  # "a Dahlia (...), probably a *Dahlia pinnata*"
        ]
        if picks:
            return picks[-1]
    features = first.opener and (  # "Fawn coat, black mask → Pug.", "Toy dog, ... → X."
        not _title_case(first.name) or re.search(_ARROW, text.split("\n", 1)[0]) is not None
    )
    if features:
        weighed = [m for m in pool if m.pos > first.pos and (m.decisive or m.conclusion)]
        if weighed:
            return weighed[-1] if weighed[-1].decisive else weighed[0]
        marked = (  # "Smallish dark bird, ... — that's **Tree Swallow**": the bold name
            m for m in pool if m.pos > first.pos and _bold_in(m.name, text)
        )
        return next(marked, first)
    opens_with_reasoning = first.described or first.listed or first.pos >= sentences[0][0] + len(sentences[0][1])
    verdicts = [m for m in pool if m.conclusion and m.sentence > first.sentence]
    if first.name == first.name.lower() and not opens_with_reasoning:
        verdicts = [
            m
            for m in pool
            if m.pos > first.pos
            and (m.decisive or m.conclusion)
            and not m.resembles
            and m.name != m.name.lower()
        ]
        opens_with_reasoning = True
        pool = verdicts  # "a twin-engine regional jet, probably an X": X
    if verdicts and opens_with_reasoning:
        last = max(m.sentence for m in verdicts)
        return next(m for m in pool if m.sentence == last)
    return first


def _common_name(text: str, latin: str) -> str | None:
    """The common name the answer gives right after the Latin name ``latin`` ("*Astrantia
    major*, commonly known as greater masterwort", "X y (fly agaric)", "X y - the Z")."""
    for m in re.finditer(re.escape(latin), text, flags=re.IGNORECASE):
        after = text[m.end() : m.end() + _WINDOW]
        paren = re.match(r"^[*_]*\s*\(([^()\n]{1,80})\)", after)
        if paren is not None:
            name = _clean_name(_ALIAS_LABEL.sub("", paren.group(1)))
            if name is not None and not _is_binomial(name) and len(name.split()) <= 5:
                return name
        alias = _ALIAS.match(after)
        if alias is None or not (alias.group("sep") or alias.group("alias")):
            continue
        dash = (alias.group("sep") or "").strip() in ("-", "–", "—")
        if (
            not alias.group("alias")
            and not dash
            and not re.match(r"(?i)(?:the|or)\s", after[alias.end() - 4 :].lstrip())
        ):
            continue
        if re.match(r"(?i)(?:possibly|perhaps|maybe|probably)\b", after[alias.end() :]):
            continue  # "X y, or possibly Z": a second guess, not a gloss
        rest = _PREFIX.sub("", after[alias.end() :], count=1)
        name, _ = _leading_name(rest, allow_lowercase=True)
        if name is not None and not _is_binomial(name):
            return name
    return None


_FINER_LEVEL = re.compile(
    r"(?i)\b(?:cultivars?|variet(?:y|ies)|trim|model year|generation|subspecies|hybrid|sex|age)\b"
)


def _declines(text: str) -> bool:
    """True when the answer says it cannot name the subject ("I'm not sure", "unknown"), not
    only a finer level of it ("The specific cultivar cannot be determined")."""
    return any(
        _REFUSAL.search(sentence) and not _FINER_LEVEL.search(sentence)
        for _, sentence in _sentences(text)
    )


def _parse_text(text: str) -> list[str]:
    """Candidate names in a free-text answer, best first."""
    text = _prepare(text)
    if not text.strip():
        return []
    final, refused = _final_answer(text)
    if refused:
        return []
    final = final or _field_answer(text)
    structured = _is_structured(text)
    identified = _identified(text, allow_lowercase=False)
    listed = _list_mentions(text)
    identified += _likeliest(text)
    mentions = sorted(
        identified + _bold_names(text, structured=structured) + listed, key=lambda m: m.pos
    )
    opening = [  # "The dog in the image is a keeshond." before any capitalised name
        m
        for m in _identified(text, allow_lowercase=True)
        if m.sentence <= 1
        and m.name == m.name.lower()
        and (not mentions or m.pos < mentions[0].pos)
    ]
    if _SPECIES_REFUSAL.search(text):  # "I can't identify the specific dish. It is a bowl of
        opening = []  # noodle soup ...": a lower-case description names no class
    identified += opening
    mentions = sorted(mentions + opening, key=lambda m: m.pos)
    latin = _opening_binomial(text)
    if latin is not None and not final:
        mentions.insert(0, _Mention(0, latin))
    elif (opener := _opening_name(text)) is not None and (not mentions or mentions[0].pos > 0):
        mentions.insert(0, opener)
    if not final and not identified:
        if _declines(text) and not listed and latin is None:
            return []
        if not mentions:
            synonyms = _slash_names(text)
            if synonyms:
                return synonyms
            short = None if _IDENT.search(text) else _short_answer(text)
            if short is not None:
                return _with_common_name([short], text)
            subject = _subject_name(text)
            if subject is not None:
                return [subject]
            mentions = [  # the last resort: "The image shows a rainbow trout."
                m
                for m in _identified(text, allow_lowercase=True, described=True)
                if not (m.described and (_UNSURE.search(text) or _describes_scene(m.name)))
            ]
    mentions = _annotate(mentions, text)
    excluded = _excluded_keys(text)
    mentions = [replace(m, ruled_out=True) if name_key(m.name) in excluded else m for m in mentions]
    names = [m.name for m in mentions]
    if mentions:
        chosen = _best_mention(mentions, text, structured=structured)
        best = chosen.name
        specific = (  # "a Poodle ... a Standard Poodle", "Stag beetle — most likely the
            m.name  # European stag beetle": the specific one
            for m in mentions
            if not (m.listed and chosen.listed)
            and (len(_word_keys(best)) == 1 or (m.decisive and m.pos > chosen.pos))
            and not _italic(m.name, text)  # "a Gazania, probably a *Gazania rigens*": common
            and _ALIAS_VERB.match(text, m.pos) is None  # "X, also known as the Meadow X"
        )
        best = next(  # "a **Ford** pickup, most likely a **Ford F-150**": make, then model
            (n for n in specific if _specialises(n, best) or _extends(n, best)), best
        )
        sentences = _sentences(text)
        fuller = (  # "a Toyota Sequoia. ... This one looks like a 2012 Toyota Sequoia SUV."
            m.name
            for m in mentions
            if m.pos > chosen.pos
            and (m.conclusion or m.decisive or _bold_in(m.name, text))  # or the model's mark
            and not (m.conceded or m.alternatives or m.ruled_out or m.listed)
            and not _POSSIBILITY.search(sentences[m.sentence][1])  # "it could also be the X"
            and _with_class_words(m.name, best)
        )
        best = next(fuller, best)
        names.insert(0, best)
    nouns = _subject_nouns(text)
    names = [_without_subject_noun(n, nouns) for n in final + names]
    if not names and (genus := _GENUS.search(text)) is not None:
        names = [genus.group("name")]  # "belongs to the genus **Gaura**": the most specific
    if names and (fuller := _fuller_name(names[0], text)) is not None:
        names.insert(0, fuller)  # "... so it is a Cassin's." -> "Cassin's Vireo"
    elif names and len(names[0].split()) > 1:  # "A or B ... more likely the V8 Vantage"
        named = (n for n in names[1:] if _names_model(n, names[0]))
        names.insert(0, next(named, names[0]))  # -> "Aston Martin V8 Vantage", named before
    names = [n for n in names if not all(w.casefold() in GENERIC for w in n.split())]
    return _with_common_name(_dedupe(names), text)


_ALIAS_VERB = re.compile(r"(?i)(?:known|described) as|called|named")
_LIKELIEST = re.compile(
    r"(?P<name>(?:[A-Z][\w'-]*\s+){0,4}[A-Z][\w'-]*)[*_]*\s+(?:seems|is|looks|appears)\s+"
    r"(?:the\s+)?(?:most likely|likeliest|most probable|best (?:fit|match))\b"
)


def _likeliest(text: str) -> list[_Mention]:
    """Names the answer weighs as the likeliest after naming them ("..., American Crow seems
    most likely."): decisive verdicts."""
    out = []
    for m in _LIKELIEST.finditer(text):
        words = m.group("name").split()
        while words and words[0].casefold() in OPENERS | FUNCTION_WORDS:
            words = words[1:]  # "Overall American Crow ..."
        name = _clean_name(" ".join(words)) if words else None
        if name is not None:
            out.append(_Mention(m.start("name"), name, decisive=True, conclusion=True))
    return out


def _fuller_name(name: str, text: str) -> str | None:
    """The full name that ``name`` abbreviates, when ``name`` reads as the modifier of a name
    ("Cassin's", "Olive-sided", "Downy") and the answer writes that name out elsewhere
    ("Cassin's Vireo"); None otherwise."""
    last = name.casefold().rsplit("-", 1)[-1]
    if " " in name or not (last.endswith(("'s", "ed")) or _adjective_like(last)):
        return None
    keys = _word_keys(name)
    for m in re.finditer(r"(?<![\w'-])" + re.escape(name) + r"(?=[*_]*\s+[*_]*[A-Z])", text):
        run, _ = _capitalised_run(_strip_markdown(text[m.start() : m.start() + 120]))
        full = _clean_name(run) if run is not None else None
        if (
            full is not None
            and _word_keys(full)[: len(keys)] == keys
            and len(_word_keys(full)) > len(keys)
        ):
            return full
    return None


_GENUS = re.compile(r"\bgenus\s+[*_]*(?P<name>[A-Z][a-z]{2,})\b")


_EXCLUSION = re.compile(
    # a name the answer sets aside wherever it stands: "the leaves rule out the ZZ", "Not a
    # sugar maple — ..."
    r"(?i)(?:\brul(?:e|es|ed|ing) out|\bexclud(?:e|es|ed|ing)|\beliminat(?:e|es|ed|ing)|"
    r"(?:^|[.!?]\s+)not|\bisn't|\bis not|\bit's not)\s+(?:the\s+|an?\s+)?"
)


def _excluded_keys(text: str) -> frozenset[str]:
    """Keys (``name_key``) of the names the answer rules out ("rule out the ZZ")."""
    keys = set()
    for m in _EXCLUSION.finditer(text):
        name, _ = _leading_name(text[m.end() : m.end() + _WINDOW], allow_lowercase=True)
        if name is not None:
            keys.add(name_key(name))
    return frozenset(keys)


_UNSURE = re.compile(
    r"(?i)\b(?:unclear|uncertain|ambiguous|indistinct|(?:hard|difficult|tricky) to (?:say|tell|"
    r"determine|identify|pin down)|can't tell|not (?:entirely |completely )?certain)\b"
)


def _describes_scene(name: str) -> bool:
    """True for a lower-case phrase that describes the picture rather than names its subject:
    a plural ("dark berries", "a group of ducks") or a scene word ("a wooden bench", "a
    close-up of ...")."""
    if name != name.lower():
        return False
    words = name.split()
    return _plural_word(words[-1]) or any(w in SCENE_WORDS for w in words)


_SUBJECT_NOUN = re.compile(
    r"(?i)\b(?:the|this|that)\s+(?P<noun>[a-z]{3,})\s+(?:in|on|shown|pictured|here|is|appears|"
    r"looks|seems|depicted)\b"
)


def _subject_nouns(text: str) -> frozenset[str]:
    """The nouns the first sentence calls the subject by ("The cheese in the image", "this
    tree is"): the category words of this answer's domain, whatever the domain ("the cap is
    white" further on names a part, not the subject)."""
    sentences = _sentences(text[: _WINDOW * 4])
    first = _strip_markdown(sentences[0][1]) if sentences else ""
    nouns = {m.group("noun").lower() for m in _SUBJECT_NOUN.finditer(first)}
    return frozenset(nouns - FUNCTION_WORDS - {"image", "photo", "picture", "one", "answer"})


def _without_subject_noun(name: str, nouns: frozenset[str]) -> str:
    """``name`` without a trailing lower-case subject noun after a capitalised name
    ("Stilton cheese" -> "Stilton" in an answer about "the cheese in the image"; but "corn
    snake" in one about "the snake" keeps its noun)."""
    words = name.split()
    if len(words) > 1 and words[-1] in nouns and _is_capitalised(words[-2]):
        return " ".join(words[:-1])
    return name


def _opening_name(text: str) -> _Mention | None:
    """A name that opens the answer without an identifying phrase ("Douglas DC-3 aircraft,
    or possibly ...", "Fly agaric mushroom, ..."): a run of capitalised words, not a sentence
    opener, followed by a clause boundary (not a heading colon)."""
    first_line = text.lstrip(" \t\n#>*_").split("\n", 1)[0]
    first_line = re.sub(r"^(?:An?|The)\s+(?=[*_]*[A-Z0-9])", "", first_line)  # "A Boeing 777, ..."
    if first_line.rstrip(" *_").endswith((":", "：")):
        return None
    if first_line.split(" ", 1)[0].casefold().strip(_EDGE_PUNCT) in OPENERS:
        return None
    sentence = re.match(r"^(?P<name>[^.!?\n:]{1,60}?)[*_]*[.!](?:\s|$)", first_line)
    if sentence is not None and (name := _short_answer(sentence.group("name"))) is not None:
        first, last = name.split()[0].casefold(), name.split()[-1].casefold()
        if first in OPENERS or last in GENERIC | POINTER_NOUNS | _REMARK_NOUNS:
            return None  # "Good question.", "Tricky one."
        return _Mention(0, name, opener=True)  # "Bougainvillea. It is a type of flowering vine."
    run, after = _capitalised_run(first_line)
    if run is None or len(run.split()) > _NAME_WORDS_MAX or re.search(r"[*_]", run):
        return None
    after = _CATEGORY_NOUN.sub("", re.sub(r"^(\s+\w+)(?=[\s,.;]|$)", r"\1", after, count=1))
    follow = re.match(
        r"^[*_]*\s*(?:(?:cat|dog|bird|flower|plant|mushroom|fungus|car|aircraft|dish)\b)?\s*"
        r'(?:"[^"\n]{1,40}"\s*)?'  # a quoted nickname: 'Air Jordan 1 "Chicago"'
        r"(?:[,;.!?(—–]|\s[-–—]\s|\s+or\b|$)",
        after,
    )
    several = len(run.split()) > 1  # one word before a comma is an adverb: "First, ..."
    if not several and after.startswith(","):
        return None
    if follow is None and several:  # "Harbor seal hauled out on the rocks."
        follow = _PARTICIPLE_TAIL.match(after)
    if (
        follow is None
        and several
        and re.search(re.escape(run.split()[-1]) + r"[,;.!?]", first_line)
    ):
        follow = re.match("", after)  # the run ended at punctuation: "X, judging by ..."
    name = _clean_name(run)
    first = name.split()[0] if name else ""
    if follow is None or name is None or not (_is_capitalised(first) or _title_case(name)):
        return None
    low = first.casefold()
    if not _title_case(name) and low in DESCRIPTIVE and low not in NAME_FORMING:
        return None  # "Large paddle leaves (bronze), ... → **canna lily**": a description
    return _Mention(0, name, opener=True)


def _opening_binomial(text: str) -> str | None:
    """A Latin name that opens the answer ("*Echinops ritro* - globe thistle ...")."""
    m = re.match(r"^[\s#>*_]*(?P<name>[A-Z][a-z]{2,} [a-z][a-z-]{2,})(?=[*_]*(?:\W|$))", text)
    if m is None or not _is_binomial(m.group("name")):
        return None
    if re.search(_ARROW, text.split("\n", 1)[0]):
        return None  # "Oval leaves, waxy petals → frangipani": features, not a Latin name
    more = re.match(r"[*_]*\s+(?P<word>[a-z][a-z-]*)\b", text[m.end() :])
    loose = _LATIN_EPITHET.match(m.group("name").split()[1]) is None
    if loose and more is not None and _LATIN_EPITHET.match(more.group("word")) is None:
        return None  # "Chicken tikka masala": a name in sentence case, not a binomial
    return m.group("name")


def _bold_in(name: str, text: str) -> bool:
    """True when ``text`` writes ``name`` in bold ("**Tree Swallow**"): the model's mark."""
    return f"**{name}**" in text


def _italic(name: str, text: str) -> bool:
    """True when ``text`` writes ``name`` in italics ("*Gazania rigens*"): a Latin name."""
    return re.search(r"(?<![*\w])[*_]" + re.escape(name) + r"[*_](?![*\w])", text) is not None


def _is_latin(name: str, text: str) -> bool:
    """True for a Latin species name in ``text``: marked up ("*Echinops ritro*"), opening
    the answer, glossed with a common name ("Quercus robur, commonly called ...", an opening
    "Papilio machaon (Old World swallowtail)"), or with a Latin epithet ("Astrantia major")."""
    italic = _italic(name, text)
    if italic and re.fullmatch(r"[A-Z][a-z]{3,}", name):
        return True  # a genus in italics: "*Primula* (primrose)"
    if not re.fullmatch(r"[A-Z][a-z]{2,} [a-z][a-z-]{2,}(?: [a-z][a-z-]{2,})?", name):
        return False
    bold = re.search(r"[*_]" + re.escape(name) + r"[*_]", text) and _is_binomial(name)
    glossed = re.search(  # "Quercus robur, commonly called English oak"
        re.escape(name) + r"[*_]*\s*,?\s*(?:which is\s+)?(?:(?:also|more|commonly|popularly|"
        r"often|better)\s+)*(?:known|called|referred to)\b",
        text,
    )
    opening_gloss = re.match(  # "Papilio machaon (Old World swallowtail)": an unusual epithet
        r"[\s#>*_]*" + re.escape(name) + r"[*_]*\s*\((?:the\s+)?(?P<gloss>[A-Z][^()\n]*)\)", text
    )
    if opening_gloss is not None and re.fullmatch(  # "Bearded dragon (Pogona vitticeps)"
        r"[A-Z][a-z]+(?: [a-z][a-z-]+){1,2}|[A-Z][\w'-]*", opening_gloss.group("gloss")
    ):
        opening_gloss = None  # the gloss is the Latin name (or one word), not a common name
    if italic or bold or glossed or opening_gloss or _opening_binomial(text) == name:
        return not (set(name.casefold().split()) & (OPENERS | FUNCTION_WORDS | GENERIC))
    epithet = name.split()[1]
    return _is_binomial(name) and _LATIN_EPITHET.match(epithet) is not None


def _with_common_name(names: list[str], text: str) -> list[str]:
    """``names`` with the common name first when the best one is a Latin name that the
    answer glosses with a common name, or a binomial whose genus the answer used before
    as a common noun ("a hibiscus, probably Hibiscus rosa-sinensis")."""
    if not names:
        return names
    common = _common_name(text, names[0]) if _is_latin(names[0], text) else None
    if common is None and _is_binomial(names[0]):  # "a hibiscus, probably Hibiscus x"
        genus = names[0].split()[0].casefold()
        before = text[: max(0, text.find(names[0]))]
        if re.search(r"\b(?:an?|the)\s+[*_]*" + re.escape(genus) + r"[*_]*\s*[,(—–-]", before):
            common = genus
    return names if common is None else _dedupe([common, *names])


# ----------------------------------------------------------------------------- JSON


def _json_candidates(text: str) -> list[Any]:
    """JSON values found in ``text``: the whole text, fenced blocks, or the outermost
    braces. Strict parsing first, then lenient (raw control characters inside strings)."""
    stripped = text.strip()
    bodies = [m.group("body") for m in _FENCE.finditer(stripped)]
    if stripped[:1] in "{[":
        bodies.insert(0, stripped)
    elif not bodies and (start := stripped.find("{")) >= 0:
        end = stripped.rfind("}")
        if end > start:
            bodies.append(stripped[start : end + 1])
    values = []
    for body in bodies[:4]:
        body = body.strip()
        for strict in (True, False):
            try:
                values.append(json.loads(body, strict=strict))
                break
            except (ValueError, RecursionError):
                continue
    return values


def _json_regex_value(text: str, key: str) -> str | None:
    """The string value of ``key`` in JSON-like text that no parser accepts."""
    m = re.search(r'"' + re.escape(key) + r'"\s*:\s*"((?:[^"\\]|\\.){0,2000})"', text)
    if m is None:
        return None
    raw = m.group(1)
    try:
        return str(json.loads('"' + raw + '"', strict=False))
    except ValueError:
        return raw


def _names_from_value(value: Any, *, depth: int = 0) -> list[str] | None:
    """Names held by a JSON value (None when the value holds no name-like field)."""
    if depth > 3:
        return None
    if isinstance(value, str):
        return _parse_text(value)
    if isinstance(value, list):
        names: list[str] = []
        for item in value[: MAX_CANDIDATES * 2]:
            names.extend(_names_from_value(item, depth=depth + 1) or [])
        return _dedupe(names)
    if isinstance(value, dict):
        lowered = {str(k).casefold(): v for k, v in value.items()}
        named = any(k in lowered for k in _JSON_NAME_KEYS)
        car = None if named else _make_and_model(lowered)
        if car is not None:
            return _parse_text(car)
        for key in _JSON_NAME_KEYS:
            if key in lowered:
                names = _names_from_value(lowered[key], depth=depth + 1)
                if names is not None:
                    common = next(
                        (lowered[k] for k in _JSON_COMMON_KEYS if isinstance(lowered.get(k), str)),
                        None,
                    )
                    if names and common and _is_binomial(names[0]):  # "species": Latin
                        names = _parse_text(common) + names
                    for other in ("alternatives", "candidates"):
                        names += _names_from_value(lowered.get(other), depth=depth + 1) or []
                    return _dedupe(names)
        strings = [v for v in value.values() if isinstance(v, str)]
        if len(strings) == 1:
            return _parse_text(strings[0])
        fields = [  # {"vehicle": "Skoda Octavia", "years": "2013-2020"}: the first field
            v for k, v in value.items() if isinstance(v, str) and not _JSON_META_KEY.search(str(k))
        ]
        if fields:
            return _parse_text(fields[0])
        nested = [v for v in value.values() if isinstance(v, dict | list)]
        if len(nested) == 1:
            return _names_from_value(nested[0], depth=depth + 1)
    return None


def parse_structured(text: str, *, key: str = "label") -> list[str] | None:
    """Names in a structured-output (JSON) answer: the value of ``key``.

    Returns the cleaned names (``[]`` when the value is empty, a refusal or "unknown"), or
    None when ``text`` holds no JSON object with ``key`` (the caller then falls back to
    :func:`parse_answer`). Tolerates code fences and raw control characters in strings.
    """
    if not isinstance(text, str):
        return None
    text = text[:TEXT_MAX]
    for value in _json_candidates(text):
        if isinstance(value, dict) and key in value:
            return _names_from_value(value[key]) or []
    raw = _json_regex_value(text, key)
    return None if raw is None else _parse_text(raw)


def parse_answer(text: str) -> list[str]:
    """Candidate names in a raw MLLM answer, best first; [] when it names nothing.

    Accepts JSON answers (any common name key, or a single string value) and free text.
    Each name is plain printable text of at most NAME_MAX characters; at most
    MAX_CANDIDATES names. Never raises on a string; a non-string gives [].
    """
    if not isinstance(text, str):
        return []
    for value in _json_candidates(text[:TEXT_MAX]):
        names = _names_from_value(value)
        if names is not None:
            return names
    if "{" in text[:TEXT_MAX]:  # JSON that no parser accepts (truncated, say)
        for key in _JSON_NAME_KEYS[:5]:
            raw = _json_regex_value(text[:TEXT_MAX], key)
            if raw is not None:
                return _parse_text(raw)
    return _parse_text(text)
