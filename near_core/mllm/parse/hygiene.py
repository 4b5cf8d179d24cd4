"""Text hygiene and name cleaning of the answer parser: the text examined (printable, NFKC,
chat-template debris dropped), a name cleaned of markdown, quotes, trailing categories and
glosses, ``name_key`` for comparing names, and the limits on what is returned."""

from __future__ import annotations

import re
import unicodedata

from near_core.mllm.lexicon import (
    ADJECTIVE_ENDINGS,
    ADJECTIVES,
    BODY_STYLES,
    CATEGORY_WORDS,
    CLASS_WORDS,
    COAT_ONLY,
    COAT_PATTERNS,
    COAT_WORDS,
    CONTINENTS,
    DEMONYMS,
    DESCRIPTIVE,
    FOREIGN_SEX_WORDS,
    FUNCTION_WORDS,
    GENERIC,
    HEDGES,
    KIND_MODIFIERS,
    KIND_NOUNS,
    LIVING_COLOURS,
    NAME_FORMING,
    NAME_LIKE_ENDINGS,
    NATIONALITIES,
    OPENERS,
    PART_NOUNS,
    PARTICLES,
    PORTRAIT_WORDS,
    RANGE_NOUNS,
    SERVICE_WORDS,
    TINTS,
)

NAME_MAX = 80
"""Longest name returned, in characters (longer names are cut at a word boundary)."""

MAX_CANDIDATES = 5
"""Most candidates returned per answer."""

TEXT_MAX = 20_000
"""Characters of an answer that are examined (the head and tail of longer answers)."""

_NAME_WORDS_MAX = 8  # most words in a name (other modules read it here: hygiene._NAME_WORDS_MAX)

_LOOSE_EPITHET = re.compile(
    r"(?:a|ae|i|ii|us|um|is|es|ens|ans|ns|or|ax|ix|ex|ys|oides|ides|ops|ei|eus|as|ceps|"  # "podiceps"
    r"(?:^nig|^rub|^pulch|^glab|^asp|^ten|^lib|campest|silvest|palust|alpest|equest)er|"  # "niger",
    r"aule|ense|enne|inale|iforme|une|igne|lgare|estre)$"  # "nudicaule", "officinale", "cupressiforme",
    # "commune", "insigne", "vulgare", "sylvestre"
)
_LATIN_EPITHET = re.compile(  # a strictly Latin epithet ("vulgaris", "davidii"; not "panda")
    r"^(?:[a-z]{3,}(?:us|um|ae|ii|ensis|atus|ata|atum|ina|inus|ana|anus|alis|aris|icus|ica|"
    r"oides|ops|orum|arum|is|ax|ix|or|ilus|ulus|ula|ella|folia|folius|folium|phylla|phyllum|"
    r"flora|florus|florum|ia|ea|[a-z]ans|[a-z]ens|aule|inale|iforme|iformis|une|plex|"
    r"eri)|[a-z]{2,}(?:rta|rtus|rtum)|(?:nig|rub|pulch|glab|asp)er)$"  # "lindheimeri", "hirta"
)
_ALIAS_LABEL = re.compile(
    r"(?i)^\s*(?:common name|english name|also known as|also called|commonly known as|"
    r"known(?: to \w+)? as|aka|or)\b\s*[:：-]?\s*(?:the\s+)?"
)

_ARROW = r"→|⇒|=>|->"  # "features → name": a verdict of terse reasoning
_MODEL_CODE = re.compile(  # "737-800", "747-8F", "767-300ER"; not a range ("100-200", "150-300")
    r"[1-9]\d[1-9]-\d{1,3}[A-Z]{0,3}"
)
_YEAR = r"(?:19|20)\d\d"  # a model year: "2012 Audi S4", "Audi S4 Sedan 2012"
_OF_THE_KIND = (  # "a dog of the breed Shiba Inu", "a dog of breed Newfoundland", "a cat of the Birman breed"
    r"(?-i:(?:[a-z][\w-]*\s+){1,2}of(?:(?:\s+the)?\s+(?:breed|species|type|model|variety|cultivar|"
    r"kind|make)(?=\s+[*_'\"]*[A-Z])|\s+the(?=\s+[*_'\"]*[A-Z][^\n.,;]{0,60}?(?<=[a-z])\s+(?:breed|"
    r"species|variety|cultivar|type|model)\b)|"
    r"\s+the(?=\s+[a-z][a-z' -]{2,40}?\s+(?:breed|species|variety|cultivar)\b)))"  # "of the x breed"
)
# kinds that no name ends in after a nationality ("Japanese curry", "Greek salad", "Irish stew" do)
_KINDS_ONLY = frozenset(
    ["dish", "dessert", "pastry", "bread", "snack", "soup", "breed", "species",
     "variety", "cultivar", "dishes", "desserts", "pastries", "snacks", "breeds"]
)
_PARTICLES = frozenset(["up", "out", "off", "down", "about", "upon", "into", "onto", "away"])
_BELOW_SPECIES = frozenset(["form", "morph", "race", "phase", "subspecies", "population", "group"])
_MARK_NOUNS = frozenset(
    ["logo", "badge", "badges", "emblem", "grille", "design", "lettering", "hallmark", "hallmarks", "trademark"]
)
_ORDINAL = r"(?:first|second|third|fourth|fifth|sixth|\d+(?:st|nd|rd|th))"
_GENERATION = re.compile(rf"(?i)\bgeneration$|^{_ORDINAL}-gen")
_GENERATION_WORD = re.compile(rf"(?:the\s+)?{_ORDINAL}[- ]gen(?:eration)?", re.IGNORECASE)  # "the 4th-gen"
_GENERATION_AFTER = re.compile(rf"(?i),\s*(?:the\s+)?{_ORDINAL}[\s-]gen(?:eration)?\.?\s*$")
_GENERATION_BEFORE = re.compile(  # "2nd-gen Ford Focus", "W221 Mercedes-Benz S-Class", "Mk6 VW Golf",
    # "C6-generation Chevrolet Corvette"
    rf"^(?:{_ORDINAL}[- ]gen(?:eration)?|"
    r"(?![VW](?:6|8|10|12|16)\b)[A-Z]{1,2}\d{1,3}(?:-gen(?:eration)?)?|Mk ?(?:\d{1,2}|[IVX]{1,4}))\s+"
    r"(?!Series\b|Class\b)(?=[A-Z][\w-]*\s+\S)"  # not an engine ("V8 Vantage"), not "N700 Series"
)
_DEMONSTRATIVES = frozenset(["These", "Those", "This", "That"])
_PRONOUNS = frozenset(
    ["i", "i'd", "i'm", "i'll", "i've", "we", "we'd", "we're", "you", "you'd", "it's", "that's", "they're"]
)
_JSON_META_KEY = re.compile(
    # fields that hold no name: how sure, why, what else
    r"(?i)reason|explan|descri|confiden|note|why|comment|evidence|feature|rational|detail|"
    r"justif|summary|analysis|year|generation|probab|score|certain|observ|caption|location|"
    r"colou?r|size|shape|habitat|pattern|texture|count|age|sex|gender|setting|background|view|angle|orientation"
)

_TRAILING_GENERIC = re.compile(
    r"(?:\s+(?:breed|breeds|species|family|genus|mix|puppy|puppies|variety|"
    r"fossil|crystal|stem|tooth))+$"  # the part or form a specimen shows: "crinoid stem"
    r"|\s+or\s+(?:something\s+)?(?:similar|equivalent|alike)$"  # "Isuzu Ascender or similar"
)
_BREED_CROSS = re.compile(r"^(?P<breed>[A-Z][\w'-]*)\s+cross$")
_ANIMAL_PART = re.compile(  # "a boxer dog's face": the animal's part, the name before it
    r"\s+(?:dog|cat|bird|puppy|kitten|horse)'s\s+(?:" + "|".join(sorted(PART_NOUNS)) + r")$",
    re.IGNORECASE,
)
_COMPASS = frozenset(["north", "south", "east", "west", "central"])
_CATEGORY_NOUN = re.compile(r"\s+(?:" + "|".join(sorted(CATEGORY_WORDS)) + r")$")
_SEX_AGE = r"adult|female|male|juvenile|immature|breeding|non-breeding"  # not part of a name
_SEX_AGE_AFTER = re.compile(  # "Belted Kingfisher (*Megaceryle alcyon*), female"
    r"(?:\s*(?:,|\s[—–-]|[—–])\s*(?:an?\s+)?"  # "Hooded Merganser — female, non-breeding"
    rf"(?:{_SEX_AGE}|young)"
    r"(?:\s+(?:male|female|plumage))?)+\W*$"
    r"|[ \t]+drakes?\W*$"  # "a Gadwall drake": the male, as "hen Wood Duck" before the name
)
_SEX_AGE_BEFORE = re.compile(  # "Adult male Painted Bunting", "immature White-crowned Sparrow"
    rf"(?i)^(?:(?:an?|the)\s+)?(?:(?:{_SEX_AGE}|first-year|subadult|senior|elderly|"
    r"[a-z]+-morph|(?:first|second|third|fourth)-(?:cycle|winter|summer|year)|"  # "dark-morph",
    r"(?:long|short)-haired|"  # "Long-haired Chihuahua": its coat; but "Long-Coated Chihuahua", a variety
    r"(?:breeding|non-breeding|winter|summer|eclipse|juvenile)-plumage|"  # "second-cycle"
    r"(?-i:hen|drake|neonate|hatchling|nestling|fledgling))\s+)+"  # "hen Wood Duck"
    r"(?=(?-i:[A-Z])\S*(?:\s+(?-i:[A-Z])\S*)*$)"  # a name in title case follows
)
_REPORT_CUES = r"concerning for|suspicious for|compatible with"  # a report's "concerning for melanoma"
_LIKENESS_BEFORE = re.compile(  # "**consistent with melanoma**", "signs of pleural effusion"
    r"(?i)^(?:[\w-]+\s+){0,2}?(?:consistent with|suggestive of|indicative of|characteristic of|"
    + _REPORT_CUES + "|"
    r"typical of|(?:clear |classic |early )?(?:signs|evidence|features) of|"
    r"(?:most |more |very )?(?:likely|probably|possibly|perhaps|maybe)\s+(?:an?|the)(?=\s))\s+(?=\S)"
)  # "It is **most likely a Bombay**"
_SIDE_BEFORE = re.compile(  # "left-sided pneumothorax", "bilateral pleural effusions": where
    r"(?i)^(?:(?:left|right)-sided|bilateral|unilateral|"
    r"(?-i:left|right)(?:\s+(?:upper|middle|lower))?\s+(?:lobe|zone|lung)|"  # "right lower lobe pneumonia"
    r"(?-i:left|right)(?=\s+(?!ventric|atri|bundle|heart|coronary)[a-z]+\s+[a-z]))"  # "left pleural effusion";
    r"\s+(?=(?-i:[a-z]))"  # not "right whale", "left ventricular hypertrophy"
)
_YEAR_CHOICE = rf"{_YEAR}\s*(?:[-–/]|or(?:\s+an?\b)?|to)\s*(?:19|20)?\d\d"  # "2011 or (a) 2012", "2010-2012"
_YEARS_AFTER = re.compile(
    rf"(?:(?:\s*,|\s+[—–]|\s+from)\s*(?:c\.\s*|circa\s+|ca\.\s*|~|(?:about|around)\s+)?{_YEAR}s?|"
    rf"\s*,?\s*{_YEAR}\s*[–-]\s*"
    r"(?:(?:19|20)?\d\d|present|today))\W*$"
)
_CAPITALISED_COAT = re.compile(  # coat words before a name, the first or all capitalised
    r"[A-Z][a-z]+\s+(?:(?:[a-z]+\s+)+|(?:[A-Z][a-z]+\s+)+)(?=[A-Z])"
)
_LATIN_IN_BRACKETS = re.compile(  # a genus or binomial in brackets: " (*Nymphaea alba*)", a hybrid
    r"[*_]*\s*\(\s*[*_]*[A-Z][a-z]{2,}(?:[*_]*\s+(?:[×x][*_]*\s+[*_]*)?[a-z][a-z-]+)?[*_]*\s*[,;)]"  # "(*Gaillardia* × *grandiflora*)"
)
HEDGE = "(?:" + "|".join(sorted(HEDGES)) + ")"  # one hedge word, as a pattern
_GLOSS_AFTER = re.compile(  # a spaced dash or slash and what follows; not "X — likely Y"
    r"\s+(?:[—–]\s+(?!(?:" + HEDGE + r"|specifically|either)\b)"
    r"|/\s+)\S.*$"
)
_PARENS = re.compile(r"\([^()]*\)|\[[^\[\]]*\]")
_EDGE_PUNCT = " \"'.,;:!?-–—。，、！？"  # and the CJK full stop, commas and marks
_LABEL_PREFIX = re.compile(r"^[A-Za-z]+(?: [A-Za-z]+)?\s*[:：]\s+(?=\S)")


def _printable(text: str) -> str:
    """``text`` with every non-printable character except newline turned into a space."""
    if text.replace("\n", "").isprintable():
        return text
    return "".join(ch if ch.isprintable() or ch == "\n" else " " for ch in text)


_CAPTIONER_NOISE = re.compile(  # BLIP captioners' artefact words, Qwen2-VL's "addCriterion" glitch
    r"(?i)\b(?:araf+(?:ed|e|ly)?|arafe)\b\s*|(?<=\S)addCriterion\b|\baddCriterion\b\s*"
)
_WRAPPED = re.compile(  # a line broken inside a phrase: a word, a line break, a word
    r"(?P<left>\b[^\W\d_][\w'-]*)[ \t]*\n[ \t]*(?P<right>[^\W\d_][\w'-]*\b)"
)


def _unwrapped(text: str) -> str:
    """``text`` with the two words of a wrapped line joined by a space where the answer
    writes them together elsewhere ("Species: Great Crested\n   Grebe ... a Great Crested
    Grebe"); other line breaks stay."""
    if "\n" not in text:
        return text
    lowered = text.casefold()

    def written_together(joined: str) -> bool:
        at = lowered.find(joined)
        while at >= 0:
            before, after = lowered[at - 1 : at], lowered[at + len(joined) : at + len(joined) + 1]
            if not (before.isalnum() or after.isalnum()):
                return True
            at = lowered.find(joined, at + 1)
        return False

    def join(match: re.Match) -> str:
        joined = f"{match.group('left')} {match.group('right')}"
        return joined if written_together(joined.casefold()) else match.group(0)

    return _WRAPPED.sub(join, text)


_TABLE_LINE = re.compile(r"[ \t]*\|(?P<key>[^|\n]+)\|(?P<value>[^|\n]+)\|?[ \t]*")  # "| Species | X |"
_PALIGEMMA_TOKENS = re.compile(r"(?:<(?:loc\d{4}|seg\d{3})>)+[ \t]*")
_KIN_OF_LATIN = re.compile(  # "(*Iris germanica* and its hybrids)": the Latin name's kin, no name
    r"(?<=[*_])[ \t]+(?:and|or|&)[ \t]+(?:its|their|related)[ \t]+"
    r"(?:hybrids|cultivars|varieties|relatives|allies|forms)(?=[ \t]*\))"
)
_INTERJECTION = re.compile(
    r"(?i)\A\s*(?:yep|yes|yeah|yup|oh|ah|ha(?:ha)*|hah|lol|hey|aww+|wow|whoa|ooh|"
    r"(?:oh\s+)?(?:holy|my)\s+(?:hell|cow|god|goodness|moly))"
    r"\s*[,!.]+\s+(?=(?:an?|the)\s)"  # "Holy hell, a Spyker C8!"
)
_USER_TURN = re.compile(  # the chat transcript's first turns: "User:<image>What breed is this cat?
    r"\A\s*(?:(?:User|USER|Human)\s*:[^\n]{0,300}?(?:<end_of_utterance>|<\|im_end\|>|<\|eot_id\|>|</s>|"  # <end_of_
    r"<end_of_turn>)?\s*\n\s*)?(?:Assistant|ASSISTANT)\s*:\s*(?=\S)"  # utterance>\nAssistant: ..."
)
_ECHOED_PROMPT = re.compile(  # the question repeated on a line of its own before the answer, maybe
    r"(?i)\A\s*(?:(?:answer|caption|describe)\s+[a-z]{2}\s+)?(?:What|Which)\b[^\n?]{0,200}\?"  # after PaliGemma's task
    r"(?:[ \t]*(?:Answer|Reply|Respond|Give|Please)\b[^\n]{0,120})?[ \t]*\n(?=\s*\S)"
)
_PICTOGRAPH = re.compile(  # an emoji anywhere, a symbol that opens a line ("✅ Answer: X")
    r"(?m)[ \t]*[\U0001F000-\U0001FAFF]\uFE0F?|^[ \t]*[\u2600-\u27BF]\uFE0F?[ \t]*"
)
_FENCE_OPEN = r"```[ \t]*(?:[A-Za-z][\w+-]{0,15})?[ \t]*"  # a code fence, its language tag if any
_FENCE_LINE = re.compile(r"(?m)^[ \t]*" + _FENCE_OPEN + "$")
_MARKDOWN_LINK = re.compile(r"\[(?P<label>[^\[\]\n]{1,80})\]\((?:https?://|www\.)[^()\s]{1,300}\)")
_THINKING_END = re.compile(r"◁/think▷|</(?:thinking|reasoning)>", re.IGNORECASE)
_THINKING_START = re.compile(r"(?i)<think(?:ing)?>|◁think▷")
_SO_NAME = re.compile(  # "... Harrier is bigger. So beagle. Next I'll": a verdict in a word or three
    r"(?im)(?:^|[.!?]\s+)so,? (?:an? |the )?(?P<name>[\w'-]+(?: [\w'-]+){0,2})\.(?=\s|$)"
)
_SETTLED = re.compile(  # the thoughts reached a verdict before they were cut off
    r"(?im)\b(?:the answer (?:is|should be|would be)|lean(?:ing|s)? towards?|(?:i'll|i will|i'm going to) (?:go with|say)|"
    r"that fits|it must be|so (?:i think )?(?:it|this) (?:is|must be)|my (?:final |best )?(?:answer|guess) is|"
    r"so,? (?:the )?(?:final|answer|final answer)(?=\s*:)|so (?:it's|it is|this is) (?:(?:most |very )?(?:probably|likely)|the|an?\s(?=(?-i:[A-Z])))\b|"
    r"(?:i'm|i am) (?:settling on|going with|(?:fairly |pretty )?settled|"
    r"(?:fairly |pretty |quite |very )?(?:confident|sure|certain)\W+(?:it's|it is|this is|that))|"
    r"(?:therefore|thus|hence),? (?:it|this) (?:is|must be)|i'll answer|(?:(?:this|it|that)(?:'s| is) "
    r"(?:definitely|clearly|certainly)|(?:this|that) must be|(?:this|that|it) has to be|(?:that|which) makes (?:it|this))"
    r" (?:an? |the )?(?=(?-i:[A-Z])))\b"  # "This must be a Tufted Titmouse"; not "which makes it a bit hard"
    r"|(?:^|[.!?]\s)\W*(?:final answer|answer|conclusion|identification)\s*:"  # "... Conclusion: X"
    r"|所以(?:应该|应当|就)?是|答案(?:应该)?是"  # "……所以应该是萨摩耶。"
)


def _cut_thoughts(text: str) -> bool:
    """True for a reasoning model's answer that stops inside its thoughts, mid-sentence."""
    head = text[:TEXT_MAX]
    if not head.rstrip()[-1:].isalnum() or _THINKING_START.search(head[:2000]) is None:
        return False  # most answers: checked without reading the whole text
    return _THINKING_END.search(head) is None and "</think>" not in head.casefold()


def _so_settled(text: str) -> re.Match[str] | None:
    """The last "So X." of thoughts a token limit cut off, where the thoughts named X before
    ("Beagle, obviously? ... Harrier is bigger. So beagle. Next I'll"), its group "name" the
    name; None otherwise."""
    if not _cut_thoughts(text):
        return None
    last = next(reversed(list(_SO_NAME.finditer(text[:TEXT_MAX]))), None)
    if last is None or not any(w.isalpha() and w not in FUNCTION_WORDS | GENERIC for w in last["name"].casefold().split()):
        return None  # none, or "So 2008-2011.", "So far.": a year or no name
    before = re.search(rf"(?i)(?<![\w-]){re.escape(last['name'])}(?![\w-])", text[: last.start("name")])
    doubted = _DOUBT.search(text, last.end())  # "So ash. ... Wait, let me reconsider."
    return last if before is not None and doubted is None else None


_DOUBT = re.compile(r"(?i)\b(?:wait|reconsider|actually|hmm+|hold on|on second thought)\b")


def _cut_off_thoughts(text: str) -> bool:
    """True for a reasoning model's answer that stops inside its thoughts, mid-sentence, before
    they settled on a name ("<think>\n... The grille in this image: I think I can see horiz"):
    no answer was given. Not "<think> ... So the answer is Nashville Warbler. Let me also"."""
    return _cut_thoughts(text) and _SETTLED.search(text[:TEXT_MAX]) is None and _so_settled(text) is None


_AUTHOR = (  # "L.", "P.Kumm.", "Soó", "L. f.", "hort."; in a lower-case answer "l.", "mill."
    r"(?:[A-Z][^\s(),;:!?&*_—–\[\]'-]*|hort\.|(?!(?:syn|var|subsp|ssp|cv|spp?|cf|aff|agg|nom|non)\.)"
    r"[a-z]{1,6}\.)(?:[ \t]+f\.)?"
)
_AUTHOR_LIST = rf"{_AUTHOR}(?:[ \t]*(?:&|,|\bex\b|\bet\b)[ \t]*{_AUTHOR})*"
_AUTHORS = (  # "(L.) Clairv.", "(l.) lloyd", "Mill.", "Donn ex D.Don"
    rf"[ \t]+(?:\({_AUTHOR_LIST}\)(?:[ \t]*(?:{_AUTHOR_LIST}|[a-z]{{3,12}}\b))?|{_AUTHOR_LIST})"
)
_AUTHORITY = re.compile(  # a botanist's author citation after a binomial: "Silene dioica (L.) Clairv."
    r"(?P<name>\b[A-Za-z][a-z]{2,}[ \t]+(?:[×x][ \t]+)?(?:(?:cf|aff)\.[ \t]+)?[a-z][a-z-]{2,}[*_]{0,2})"
    rf"(?P<authors>{_AUTHORS})?"
    r"(?:(?P<rank>[ \t]+(?:subsp|ssp|var|f)\.[ \t]+[*_]{0,2}[a-z][a-z-]{2,}[*_]{0,2})"  # "var. depressa"
    rf"(?P<rank_authors>{_AUTHORS})?)?"
    r"(?:,?[ \t]+(?:s\.[ \t]?l\.|s\.[ \t]?str\.|agg\.|cv\.[ \t]?indet\.))?"  # "s.l.", "cv. indet."
    r"(?:(?P<comma>[ \t]*,(?=[ \t]+(?!(?:an?|the|which|that|it|this|is|are|was|were|also|commonly|"
    r"known|called|or|and|but|growing|found|see|i|you|we|syn|formerly|now|previously)\b)[A-Za-z]))"  # ", European ash"
    r"|(?=[ \t]*(?:[—–:;,()\[\]?']|-[ \t]|\.?[ \t]*$|\.[ \t]|\n)))",
    re.MULTILINE,
)
_FAMILY = re.compile(r"[A-Z][a-z]+(?:aceae|idae|inae|oideae|ales)")  # "(Nyctaginaceae)": no common name
_FAMILY_LABEL = re.compile(  # a herbarium label's family before the name: "Asteraceae — Rudbeckia"
    r"(?m)^[ \t]*[*_]{0,2}" + _FAMILY.pattern + r"[*_]{0,2}[ \t]*[—–:,][ \t]*(?=[*_]{0,2}[A-Za-z])"
)
_GENUS_ONLY = re.compile(  # "Castilleja sp. — Indian paintbrush", "Salix sp. (willow)": a genus
    r"[*_]{0,2}\b(?P<genus>[A-Z][a-z]{3,})[*_]{0,2}[ \t]+spp?\.(?=[ \t]*[—–:,(]|[ \t]+-[ \t])"
)
_CALLED = re.compile(  # "a Japanese dish called okonomiyaki", "the fungus sold as reishi": the name
    r"\b(?P<article>an?|the)\s+(?:[A-Z][a-z]+\s+)?(?:"
    + "|".join(sorted(KIND_NOUNS))
    + r")\s+(?:called|named|known\s+as|sold\s+as)\s+(?=[*_\w])"
)
_CONFER = re.compile(r"\b[Cc]f\.[ \t]+(?=[*_]{0,2}[A-Z][a-z])")  # "Cf. Heuchera 'Palace Purple'"


def _without_authority(m: re.Match[str]) -> str:
    """A binomial without its author citation, in italics ("Lactarius deliciosus (L.) Gray" ->
    "*Lactarius deliciosus*": a citation marks a Latin name as surely as italics do); a rank
    below the species stays ("*Juniperus communis* var. depressa"), a comma after the citation
    becomes the dash of a gloss ("Fraxinus excelsior L., European ash").

    Whatever the epithet, a citation in the botanists' shapes: a bracketed author followed by
    another ("(L.) Clairv."), an initial ("L.", "P.Kumm."), joined authors ("Tul. & C.Tul.",
    "hort. ex Vilm."), or an abbreviation before a gloss or cultivar ("Lam.: oxeye daisy").
    With a Latin-looking epithet, an abbreviation before a gloss or any author before a dash or
    colon ("Lupinus arboreus Sims — tree lupin"); with a strictly Latin one, an abbreviation
    that ends the sentence ("Buddleja davidii Franch."). Not a name's last word at a sentence
    end or in brackets ("a Fiat panda Cross.", "Vantage convertible (Roadster)"), nor a Title
    Case common name after a binomial ("Papaver rhoeas Corn Poppy"). In a lower-case answer,
    lower-case abbreviations with "l." (Linnaeus), a bracket or a gloss after them
    ("lupinus perennis l. - sundial lupine"; not "a white toyota prius.")."""
    name = m.group("name")
    authors = " ".join(g.strip() for g in (m["authors"], m["rank_authors"]) if g and g.strip())
    plain = re.sub(r"(?:cf|aff)\.[ \t]+|[*_]", "", name)
    if not authors or plain.split()[-1] in PARTICLES:  # "Bouvier des Flandres"
        return m.group(0)
    after = m.string[m.end() :]
    glossed = re.match(r"[ \t]*(?:[—–:,(?'\[]|-[ \t])", after) is not None
    abbreviated = authors.endswith(".")
    if plain[:1].islower():
        strong = False
        cited = re.fullmatch(r"(?:\(?[a-z]{1,6}\.\)?[ \t]*)+(?:[a-z]{3,12})?", authors) is not None and (
            re.search(r"(?:^|[\s(])l\.|\(", authors) is not None or glossed
        )
    else:
        strong = (
            re.match(r"\([^()]+\)[ \t]*\S", authors) is not None
            or re.search(r"(?<![^\W\d_])[A-Z]\.|&|\b(?:ex|et)\b", authors) is not None
            or (glossed and re.search(r"\b[A-Z][a-z]{1,8}\.$", authors) is not None)
        )
        dashed = re.match(r"[ \t]*[—–:]", after) is not None
        cited = (glossed and (abbreviated or dashed)) or (
            abbreviated and _LATIN_EPITHET.match(plain.split()[-1]) is not None
        )
    if not ((strong or cited) and _is_binomial(plain[:1].upper() + plain[1:], marked=strong)):
        return m.group(0)
    rank = re.sub(r"[*_]", "", m["rank"] or "")
    marked = re.sub(r"(?:cf|aff)\.[ \t]+", "", name) if name[-1] in "*_" else f"*{plain}*"
    return marked + rank + (" —" if m["comma"] else "")


_ABBREVIATED_GENUS = re.compile(  # "E. coli", "*H. pylori*": a genus cut to its initial (the
    # epithet's endings looser than _LATIN_EPITHET's, which rejects the genitives "coli", "pylori")
    r"(?<![\w.])(?P<initial>[A-Z])\.[ \t]+(?P<epithet>[a-z]{2,}(?:a|ae|i|ii|is|us|um|es|ns|ax|ix|or|er))\b"
    r"(?!\.\w)"
)
_JOINED_GENUS = re.compile(r"\b(?P<initial>[A-Z])\.(?=[a-z]{3,})")


def _joined_genera(text: str) -> str:
    """``text`` with each abbreviated genus ("E. coli") joined into one word ("E.coli") that
    no full stop splits, or written as the binomial the answer spells out after it ("H.
    pylori (Helicobacter pylori)"). One after a word its initial may abbreviate is left as
    it is: a re-mention ("... favours *M. didyma*" after "bee balm (*Monarda didyma*)") or
    a sibling named in passing ("*Telopea* ... *T. speciosissima* (New South Wales)", "the
    North American *C. parviflorum*" after "*Cypripedium calceolus*"), from which no verdict
    is read. :func:`spaced_genera` restores the space in the names found."""

    def joined(m: re.Match[str]) -> str:
        initial = m["initial"]
        if m["epithet"] in FUNCTION_WORDS | OPENERS or re.search(
            rf"\b{initial}[a-z]{{3,}}", text[: m.start()]
        ):  # "plan B. however"; a genus named before
            return m.group(0)
        after = re.compile(rf"\b{initial}[a-z]+[*_]*[ \t]+[*_]*{m['epithet']}\b").search(text, m.end())
        return re.sub(r"[*_]", "", after.group(0)) if after else f"{initial}.{m['epithet']}"

    return _ABBREVIATED_GENUS.sub(joined, text)


def spaced_genera(name: str) -> str:
    """``name`` with a joined abbreviated genus spaced again ("E.coli" -> "E. coli")."""
    return _JOINED_GENUS.sub(r"\g<initial>. ", name)


_BREED = r"(?-i:[A-Z])[\w'-]*(?:\s+(?-i:[A-Z])[\w'-]*){0,2}"  # one to three capitalised words
_MIX_WORD = r"(?:mix|cross|crossbreed|hybrid)"
_LOWER_BREED = r"(?-i:[a-z])[\w'-]*(?:\s+(?-i:[a-z])[\w'-]*){0,2}?"  # "pit bull"
_TWO_BREED_MIX = re.compile(  # "a Chihuahua and Miniature Pinscher cross", "a Beagle/Basset Hound
    rf"\b(?P<first>{_BREED})(?:\s+and\s+(?:an?\s+)?|\s*/\s*)(?=(?P<second>{_BREED})\s+{_MIX_WORD}\b)|"  # cross",
    rf"\b(?P<crossed>{_BREED}|{_LOWER_BREED})\s+[x×]\s+(?=(?P<parent>{_BREED}|{_LOWER_BREED})\s+{_MIX_WORD}\b)",
    re.IGNORECASE,  # "a beagle x basset hound mix": either breed
)
_PARENT = rf"(?:{_BREED}|{_LOWER_BREED})"
_MIX_BETWEEN = re.compile(  # "a mix between a Labrador Retriever and a German Shepherd"
    rf"\b(?:an?\s+)?{_MIX_WORD}\s+(?:between|of)\s+(?:an?\s+)?(?P<first>{_PARENT})\s+and\s+"
    rf"(?P<second>(?:an?\s+)?{_PARENT})(?=[\s.,;:!?)]|$)",
    re.IGNORECASE,
)
_CROSS = (  # "Labrador-Poodle mix", "Golden Retriever x Poodle cross", "X and Y mix", "X × Y"
    rf"[*_]*{_BREED}(?:(?:\s+(?:and|x|×|&)\s+(?:an?\s+)?{_BREED})?\s+{_MIX_WORD}|\s+[x×]\s+{_BREED})[*_]*"
)
_CROSS_GLOSSED = re.compile(  # "a Labrador-Poodle mix, i.e. a Labradoodle": the cross's name
    _CROSS + r"(?:,?\s+(?:i\.e\.,?|that is,?|better known as|(?:(?:often|sometimes|commonly|also|"
    r"popularly|usually)\s+)?(?:called|known as|referred to as|nicknamed)|aka)\s+(?:an?\s+)?"
    r"(?=[*_]*(?-i:[A-Z]))|\s*\(\s*(?:an?\s+)?[\"“]?(?=[*_]*(?-i:[A-Z])[\w'-]*(?:[ -](?-i:[A-Z])[\w'-]*)?[*_]*[\"”]?\s*\)))",
    re.IGNORECASE,
)
_PARENTS_IN_BOLD = re.compile(  # "a **Bernedoodle**, a cross between a **Bernese Mountain Dog**
    rf"(?<=[,—–-]\s)(?P<lead>(?:an?\s+)?{_MIX_WORD}\s+(?:between|of)\s+(?:an?\s+)?)"  # and a
    r"\*\*(?P<first>[^*\n]{1,60})\*\*(?P<join>\s+and\s+(?:an?\s+)?)\*\*(?P<second>[^*\n]{1,60})\*\*",
    re.IGNORECASE,
)  # **Poodle**": the parents that gloss a name, unmarked
_KIND_OF_BREED = re.compile(  # "a cat of Bombay breed", "a dog of the Akita breed"
    rf"\b(?P<kind>dog|cat|puppy|kitten|horse)\s+of\s+(?:the\s+)?(?!the\b|breed\b)(?P<name>{_PARENT})\s+(?:breed|variety)\b"
)
_MIX_VERDICT = re.compile(  # what makes the mix the answer: "is", "looks like", "probably"
    r"(?i)(?:\b(?:is|be|like|resembles?|probably|likely|possibly|perhaps|maybe)|^)\s*$"
)
_MIX_GLOSSES = re.compile(r"(?i)\b(?:which|that|who)\s+(?:is|are|was|were)\s*$")
_BACK_TO_MIX = re.compile(r"(?i)(?:this|such a|that)\s+(?:type|kind|sort|mix|cross)\b")  # a later sentence, on the mix
_CROSS_NAMED = re.compile(r"(?i)\b(?:known as|called|referred to as|nicknamed|aka|a\.k\.a\.)")


_SCORE_FIRST = re.compile(  # "87% Hydrangea macrophylla" on a line of its own, maybe labelled
    r"(?m)^[ \t]*(?:[^\n:%]{1,40}:[ \t]*)?(?P<score>\d{1,3}(?:\.\d+)?[ \t]*%)[ \t]+"
    r"(?P<name>(?-i:[A-Z])[^\n%]{1,80}?)[ \t]*$"
)
_INLINE_SCORED = re.compile(  # "Top-3: Turkey tail (0.74), False turkey tail (0.18), ..."
    r"(?im)^[ \t]*(?P<label>top[- ]?\d+|candidates|predictions|matches)[ \t]*:[ \t]*"
    r"(?P<items>[^\n,]+?\(\s*(?:0?\.\d+|\d{1,3}(?:\.\d+)?\s*%)\s*\)(?:,[ \t]*[^\n,]+?\(\s*"
    r"(?:0?\.\d+|\d{1,3}(?:\.\d+)?\s*%)\s*\))+)[ \t.]*$"
)


def _scored_lines(text: str) -> str:
    """Candidates with scores, one form: "87% X" lines (two or more) as "X 87%", and a line
    of candidates with scores in brackets ("Top-3: X (0.74), Y (0.18)") as a list."""
    if len(_SCORE_FIRST.findall(text)) >= 2:
        text = _SCORE_FIRST.sub(r"\g<name> \g<score>", text)
    return _INLINE_SCORED.sub(
        lambda m: m["label"] + ":\n" + "\n".join(
            f"- {item.strip()}" for item in re.split(r"(?<=\)),", m["items"])), text)


_EMPTY_TAG = re.compile(r"<(\w{1,30})>\s*</\1>")


def _field_key(key: str) -> str:
    """A field's key in snake case ("Likely ID" -> "likely_id", "year-range" -> "year_range")."""
    return re.sub(r"[\s-]+", "_", key.strip(" \t*_").casefold())  # "**Identification**" too


def _coloured(m: re.Match[str]) -> bool:
    """True when a mix's first "breed" opens with a colour ("Black and Tan"): no mix."""
    return (m["first"] or m["crossed"]).split()[0].casefold() in TINTS | COAT_WORDS


def _either_parent(m: re.Match[str]) -> str:
    """"looks like a mix of X and Y" as "looks like a X or Y", where the mix is the verdict:
    not where X opens with a colour, the mix glosses a name ("a Bernedoodle, a cross between
    ...", "which is a cross ..."), or a name follows ("..., commonly known as a Labradoodle")."""
    before = m.string[max(0, m.start() - 40) : m.start()]
    sentence_after, *later = re.split(r"[.!?\n]\s*", m.string[m.end() : m.end() + 400], maxsplit=3)
    sentence_after += "".join(f" {s}" for s in later[:2] if _BACK_TO_MIX.match(s))  # "... a mix of a
    # Labrador Retriever and a Poodle. It has curly fur. This type of dog is usually called a Labradoodle."
    if (
        _coloured(m)
        or _MIX_GLOSSES.search(before) is not None
        or _MIX_VERDICT.search(before) is None
        or _CROSS_NAMED.search(sentence_after) is not None
    ):
        return m.group(0)
    return f"a {m['first']} or {m['second']}"


def _either_breed(m: re.Match[str]) -> str:
    """"X and " or "X x " before "Y mix" as "X or ", unless X opens with a colour ("Black and
    Tan") or either is a colour in lower case ("a brindle x white mix")."""
    first, second = m["first"] or m["crossed"], m["second"] or m["parent"]
    tinted = {first.split()[-1].casefold(), second.split()[0].casefold()} & (TINTS | COAT_WORDS)
    return m.group(0) if _coloured(m) or tinted else f"{first} or "


_BOLD_EITHER = re.compile(  # "a **Cairn Terrier or Norfolk Terrier**": two bold names; not a
    r"(?:(?<=\ba )|(?<=\ban )|(?<=\bthe )|(?<=\bis ))"  # heading, "1. **Sad or Droopy Expression**"
    r"\*\*(?P<first>[A-Z][\w'-]*(?:\s+[A-Z][\w'-]*){0,3})\s+or\s+(?P<second>[A-Z][^*\n]{1,60}?)\*\*"
)


def after_thoughts(text: str) -> str:
    """The answer a reasoning model gives after its closed thoughts ("<think>...</think> X",
    Kimi-VL's "◁/think▷", "</thinking>"); the whole text when there is none."""
    text = _THINKING_END.sub("</think>", text)
    _, closed, after_thinking = text.rpartition("</think>")
    return after_thinking if closed and after_thinking.strip() else text


def _prepare(text: str) -> str:
    text = text.replace("（", " (").replace("）", ") ")  # "Morning glory（朝顔）": spaced as in Latin script
    text = unicodedata.normalize("NFKC", text).replace("\u2010", "-")  # "love‑in‑a‑mist" with
    if len(text) > TEXT_MAX:  # non-breaking hyphens (NFKC makes them U+2010)
        half = TEXT_MAX // 2
        text = text[:half] + "\n" + text[-half:]
    text = after_thoughts(text)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = re.sub(r"(?<=\S) -- (?=\S)", " — ", text)  # "Warbler -- yellow crown": a typed dash
    text = _THOUGHT_FOR.sub("", text, count=1)  # o1's "Thought for 7 seconds" line
    text = _INTERJECTION.sub("", text, count=1)  # "Yep, a Russian Blue!"
    text = _USER_TURN.sub("", text.replace("<pad>", ""), count=1)  # Florence-2's padding too
    for end_of_turn in _END_OF_TURN.finditer(text):  # "Takoyaki</s>", "X<|im_end|>\n### User:";
        if _END_OF_TURN.sub("", text[: end_of_turn.start()]).strip():  # not "</s><s>a pug ..."
            text = text[: end_of_turn.start()]
            break
    text = _END_OF_TURN.sub(" ", text)  # a leading "<|im_start|>"
    text = _EMPTY_TAG.sub(" ", text)  # "<answer></answer>": no answer given
    text = _BOX_TOKENS.sub(r"\\boxed{\g<inner>}", text)  # GLM-4.1V's answer box
    text = re.sub(r"<\|[\w▁]{1,30}\|>", " ", text)  # any other special token
    text = _PALIGEMMA_TOKENS.sub("", text)  # PaliGemma's boxes and masks
    text = _ECHOED_PROMPT.sub("", text, count=1)  # "What is the exact ...? Answer with the name.\n"
    text = _FENCE_LINE.sub("", text)  # "```\nHooded Merganser\n```": the block's text stays
    text = _PICTOGRAPH.sub("", text)  # "🌺 Morning glory", "Sphynx 🐱"
    text = _CAPTIONER_NOISE.sub("", text)  # BLIP's "arafed sunflower in a field"
    text = _POINT_TAG.sub(_pointed, text)  # Molmo's '<point x="52" y="48" alt="Beagle">Beagle</point>'
    text = _MARKDOWN_LINK.sub(r"\g<label>", text)  # "[Eurasian Hoopoe](https://...)"
    text = _CONFER.sub("", text)  # "cf." (compare) before a Latin name: a hedge
    text = _KIN_OF_LATIN.sub("", text)  # "(*Iris germanica* and its hybrids)": the Latin name
    text = _FAMILY_LABEL.sub("", text)  # "Lamiaceae, Monarda fistulosa L. ..."
    text = _CALLED.sub(r"\g<article> ", text)  # "a Georgian dish called khachapuri"
    text = _AUTHORITY.sub(_without_authority, text)  # "Trametes versicolor (L.) Lloyd"
    text = _GENUS_ONLY.sub(r"*\g<genus>*", text)  # "Mycena sp. — a bonnet"
    text = _joined_genera(text)  # "E. coli" one word; "H. pylori (Helicobacter pylori)"
    text = _ABBREVIATION.sub(_expanded_abbreviation, text)  # "a CZ (cubic zirconia)": the name spelled out
    text = _scored_lines(text)  # "87% X\n9% Y", "Top-3: X (0.74), Y (0.18)"
    text = _CROSS_GLOSSED.sub("", text)  # "a X-Y mix, i.e. a Labradoodle": a Labradoodle
    text = _PARENTS_IN_BOLD.sub(r"\g<lead>\g<first>\g<join>\g<second>", text)
    text = _TWO_BREED_MIX.sub(_either_breed, text)  # "an X and Y mix": X or Y
    text = _MIX_BETWEEN.sub(_either_parent, text)  # "a mix of an X and a Y": X or Y
    text = _KIND_OF_BREED.sub(r"\g<name> \g<kind>", text)  # "a cat of Bombay breed": a Bombay cat
    text = _BOLD_EITHER.sub(r"**\g<first>** or **\g<second>**", text)
    text = _REPEATED.sub(_said_once, text)
    text = _unwrapped(text)  # "an Alpine Sea\nHolly ... The Alpine Sea Holly"
    text = re.sub(r"(?<=\w)—(?=\w)", " — ", text)  # "a Whippet—or possibly ..."
    text = re.sub(r"\b(is|are|be)(?:\.{2,}|…)[ \t]*(?=[\w*_])", r"\1 ", text)  # "is... the X"
    text = text.replace("’", "'").replace("‘", "'").replace("“", '"').replace("”", '"').replace("„", '"')
    text = _plain_latex(text)
    text = re.sub(r"(" + _ARROW + r")[ \t]*\n\s*", r"\1 ", text)  # "ears →\nFawn Boxer."
    text = re.sub(r"\*\*\*([^*\n]{1,120}?)\*\*\*", r"**\1**", text)  # "***Cautleya spicata***"
    return _printable(text)


_ABBREVIATION = re.compile(r"\b(?P<short>[A-Z]{2,6})\s*\((?P<long>[A-Za-z][A-Za-z' -]{3,80})\)")


def _expanded_abbreviation(m: re.Match[str]) -> str:
    """An abbreviation glossed by the words it abbreviates ("PTC (papillary thyroid
    carcinoma)"), as those words; not one inside a name ("Hummer H2 SUT (Sport Utility
    Truck)") nor any other bracket after capitals ("SUV (2012)")."""
    before = m.string[: m.start()].split()
    if before and (before[-1][:1].isupper() or before[-1][:1].isdigit()):
        return m.group(0)
    initials = "".join(w[0] for w in re.split(r"[\s-]+", m["long"].strip()) if w)  # exactly its
    # initials: the text is rewritten for every reader (_acronym_of, looser, ranks only)
    return m["long"] if initials.upper() == m["short"] else m.group(0)


def _acronym_of(short: str, full: str) -> bool:
    """True when ``short`` is in capitals (or both are in lower case: "rbwo" of "red-bellied
    woodpecker") and the initials of ``full``'s words that it does not repeat appear in it in
    order, the first one first ("RBNU" of "Red-breasted Nuthatch", "VW GTI" of "Volkswagen Golf
    GTI"; not "SUT" of "Sport Utility Truck" for "HUMMER H2 SUT")."""
    if not (short.replace(" ", "").isupper() or (short.isalpha() and short.islower() and full.islower())):
        return False
    letters = iter(short.replace(" ", "").upper())
    initials = [w[0].upper() for w in re.split(r"[\s-]+", full) if w and w not in short.split()]
    return bool(initials) and initials[0] == short[0].upper() and all(c in letters for c in initials)


_THOUGHT_FOR = re.compile(  # also in other languages: "Pensou por 7 segundos", "Думал 5 секунд"
    r"(?i)^\s*(?:(?:thought|reasoned|thinking)\s+for|pensou\s+por|pensó(?:\s+(?:por|durante))?|"
    r"a\s+réfléchi\s+pendant|ha\s+pensato\s+per|(?:dachte|nachgedacht)(?:\s+für)?|думал[аи]?|"
    r"düşündü|suy\s+nghĩ(?:\s+trong)?|berpikir(?:\s+selama)?)\s+[\d.]+\s*[^\W\d_]{1,10}[ \t.]*\n"
)
_END_OF_TURN = re.compile(
    # a chat template's end-of-turn token, or the model running on into a next turn: what
    # follows is not the answer
    r"<\|(?:im_end|im_start|endoftext|end_of_text|eot_id|eom_id|end|eos|end_of_turn|user|"
    r"assistant|start_header_id|end▁of▁sentence)\|>|</?s>|<eos>|<end_of_turn>|<start_of_turn>|"
    r"<end_of_utterance>|"
    r"^[ \t]*(?:#{2,3}[ \t]*(?:Instruction|Human|User|Input|Question)|USER|Human)[ \t]*:",
    re.MULTILINE,
)
_POINT_TAG = re.compile(r"<(?P<tag>points?)\b[^<>\n]{0,300}>(?P<inner>[^<>\n]{0,200})</(?P=tag)>")


def _pointed(m: re.Match[str]) -> str:
    """The text of a Molmo point tag, set in bold: the model points at what it names
    ("Counting the <points ...>bank swallows</points> shows a total of 4")."""
    inner = m["inner"].strip()
    return f"**{inner}**" if inner and "*" not in inner else m["inner"]


_BOX_TOKENS = re.compile(r"<\|begin_of_box\|>(?P<inner>[^<>\n]{0,200}?)<\|end_of_box\|>")
_REPEATED = re.compile(
    # a degenerate repetition: a phrase of 2+ words said twice or more in a row, one word
    # three times or more, or a long one in lower case twice, not after a genus ("a bobolink
    # bobolink"; "Bora Bora", "mahi mahi", "chow chow", "Iguana iguana", "Terrapene carolina
    # carolina" stay)
    r"(?i)\b(?P<word>[^\W\d_][\w'-]{2,})(?:\s+(?P=word)\b){2,}|"
    r"\b(?P<long>(?-i:[a-z])[a-z'-]{5,})\s+(?-i:(?P=long))\b|"
    r"\b(?P<unit>[^\W\d_][\w'-]*(?:\s+[\w'-]+){1,5}?)(?:\s+(?P=unit)\b)+(?P<tail>[^\n.!?]*)"
)


def _said_once(m: re.Match[str]) -> str:
    """A repetition (:data:`_REPEATED`) said once, without a last round cut short ("the dog is
    a beagle the dog is a beagle the dog is a"); a word said twice after a genus stays (a
    nominate subspecies: "Terrapene carolina carolina")."""
    if m["long"] and re.search(r"\b[A-Z][a-z]+\s+$", m.string[max(0, m.start() - 40) : m.start()]):
        return m.group(0)
    if m["unit"] is None:
        return m["word"] or m["long"]
    cut_short = m["tail"].strip() and m["unit"].startswith(m["tail"].strip())
    return m["unit"] + ("" if cut_short else m["tail"])


_LATEX_TEXT = re.compile(
    r"\\(?P<command>text|textbf|textit|mathrm|mathbf|emph)\{(?P<inner>[^{}\n]{0,200})\}"
)


_BOXED = re.compile(r"\\boxed\{(?P<inner>[^{}\n]{0,200})\}")  # "\\boxed{X}": a reasoning model's answer


def _plain_latex(text: str) -> str:
    """``text`` with LaTeX spacing, escapes and text commands as plain text, inside out
    ("\\boxed{\\text{X (\\textit{Y z})}}" -> "\\boxed{X (*Y z*)}"); the box stays."""
    text = re.sub(r"\\[ ,;:!](?=\S)", " ", text)  # LaTeX spacing: "\\boxed{Sialia\\ currucoides}"
    text = re.sub(r"\\([&%$#_])", r"\1", text)  # LaTeX escapes: "\\text{Town \\& Country}"
    for _ in range(3):
        text, found = _LATEX_TEXT.subn(_unlatexed, text)
        if not found:
            break
    return text


def _unlatexed(m: re.Match[str]) -> str:
    """A LaTeX text command as plain text; italics stay italics ("\\textit{Ophrys apifera}")."""
    italic = m.group("command") in ("textit", "emph") and m.group("inner").strip()
    return f"*{m.group('inner').strip()}*" if italic else m.group("inner")


def name_key(name: str) -> str:
    """Comparison key of a name: case-folded letters and digits only ("Black-footed
    Albatross", "black footed albatross" and "BlackFooted Albatross" share a key)."""
    return re.sub(r"[\W_]+", "", unicodedata.normalize("NFKC", name).casefold())


def _strip_markdown(text: str) -> str:
    text = re.sub(r"[*`]+", "", text)
    text = re.sub(r"(?<!\w)_+|_+(?!\w)", " ", text)
    return re.sub(r"^[\s#>]+", "", text)


_DANGLING = frozenset(["of", "and", "or", "with", "for", "to", "from", "by", "the", "a", "an"])


def _coat_or_tint(word: str) -> bool:
    """True for a lower-case word of colour or coat before a name: "brindle and white", "yellow",
    "long-haired", "wire-coated", "long-coat"; the strict form of ``spans._coat_word``, which also takes
    adjectives ("fluffy") where a capitalised name must follow."""
    parts = word.split("-")
    return all(p in COAT_WORDS | TINTS or p == "and" for p in parts) or (
        len(parts) == 2 and parts[1] in ("haired", "coated", "furred", "coat", "hair")
    )  # "long-coat Chihuahua", "smooth-coat", "wire-hair"


_SIZE_PHRASE = re.compile(
    r"(?i)(?:[\d.,]+\s*|(?:a\s+)?(?:few|couple(?:\s+of)?)\s+)?(?:meters?|metres?|centimet(?:er|re)s?|cm|mm|m|"
    r"feet|foot|ft|inch(?:es)?|in|yards?)\s+(?:high|tall|long|wide|across|deep|in\s+\w+)"
)


_COMPANION_WORD = re.compile(r"(?i)-(?:only|specific|exclusive|style|like|based|inspired)$")  # "SRT8-only"


def _without_description(text: str) -> str:
    """``text`` without the words on how the one pictured looks that open it, when it is in lower
    case and a word is left ("fluffy white persian" -> "white persian", "cute beagle" ->
    "beagle"; not "fluffy", nor sizes: "small tortoiseshell", "tall bearded iris")."""
    words = text.split()
    if text != text.lower():
        return text
    run = 0
    while run < len(words) - 1 and words[run] in PORTRAIT_WORDS:
        run += 1
    return " ".join(words[run:]) if run else text


def _without_coat(text: str) -> str:
    """``text`` without the run of coat words that opens it: before a capitalised name when the
    run names a pattern ("Blue Merle Australian Shepherd" -> "Australian Shepherd"; not "Blue
    Jay") or has a word no name opens with ("Blenheim Cavalier King Charles Spaniel"), in a
    lower-case name when the run has such a word ("fawn pug" -> "pug", "brown tabby maine coon"
    -> "maine coon"; not "black lab", "golden retriever", "brindle x white")."""
    lower = text == text.lower()
    words = text.split() or [""]
    run = 0
    while run < len(words) - 1 and (_coat_or_tint(words[run]) if lower else words[run].casefold() in COAT_WORDS):
        run += 1
    coat = {part for w in words[:run] for part in w.casefold().split("-" if lower else " ")}
    if lower:
        coated = bool(coat & COAT_ONLY) and words[run] not in ("x", "×", "&", "/", "or", "and")
    else:
        coated = (run >= 2 and bool(coat & COAT_PATTERNS) or bool(coat & COAT_ONLY)) and words[run][:1].isupper()
    return " ".join(words[run:]) if coated else text


_CJK_CHAR = r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]"  # kana, hanzi, hangul
_CJK = re.compile(_CJK_CHAR)
_LATIN_WORD = r"[A-Za-z\u00c0-\u024f0-9][A-Za-z\u00c0-\u024f0-9'.&-]*"
_LATIN_RUN = re.compile(rf"{_LATIN_WORD}(?:[ \t]+{_LATIN_WORD})*")
_CJK_MEASURE = r"[只道种朵株条头匹辆架款个盘碗杯簇棵片份群对枝笼把台部件双块张座艘盆束丛串]"  # "一只", "一辆"
_CJK_COPULA = re.compile(rf".*是(?:一{_CJK_MEASURE})?")  # "这只狗是", "这是一只": "it is"
_CJK_NAME_MAX = 10  # CJK characters of a name at most, but for one written in katakana


_CJK_STOPS = re.compile(r"[。！？]")


def _without_cjk_clause(text: str) -> str | None:
    """``text`` that holds CJK script as a name: the name after a CJK subject and copula ("这只狗是
    金毛寻回犬" -> "金毛寻回犬", "这是一只Border Collie"), the name in Latin letters of several words
    such a clause wraps ("图中的汽车是一辆2012款 Toyota Corolla 轿车"), or None for a sentence in
    CJK script alone (clause punctuation, or longer than a name that is not katakana: "抱歉，图片太
    模糊了，..."); a name in mixed script stays ("日産 GT-R", "Mapo Tofu (麻婆豆腐)")."""
    if not _CJK.search(text):
        return text
    clause = _CJK_COPULA.match(text)
    if clause is not None:
        text = text[clause.end() :].strip()
        latin = [run for run in _LATIN_RUN.findall(text) if run[:1].isupper() and " " in run]
        if latin and _CJK.search(text):
            return latin[0]
    if re.search(r"[A-Za-z]", text) and not _CJK_STOPS.search(text.rstrip("。！？ ")):
        return text  # "Mapo Tofu (麻婆豆腐)"; not "この車はスズキ SX4 のハッチバックです。2012年式...", sentences
    katakana = re.fullmatch(r"[\u30a0-\u30ff\s]+", text) is not None
    if re.search(r"[,.!?;:、。]", text) or (len(text) > _CJK_NAME_MAX and not katakana):
        return None
    return text or None


_DEGREE_BEFORE = re.compile(r"(?i)^(?:mostly|mainly|largely|predominantly|primarily)\s+(?=[A-Z])")
_DESIGNATION = re.compile(r"(?i)(?:class|type)\s+\d{2,4}[A-Z]?")  # "class 70", "Type 055"
_BUILD_WORDS = (DESCRIPTIVE | ADJECTIVES) - TINTS - LIVING_COLOURS  # "heavy" of "Heavy-boned"


_COLOURED_BEFORE = re.compile(  # a colour said before a name of two words or more; not the
    r"^[A-Za-z]+-colou?red\s+(?=\S+\s+\S)"  # "Cream-colored Courser" of one word after it
)


def _clean_name(raw: str) -> str | None:
    """A candidate span as a plain name, or None when it is no usable name.

    Drops markdown, brackets, a parenthesised (Latin) name when something else remains,
    leading articles, trailing generic words ("breed"), a quoted nickname at the end, quotes
    and trailing punctuation; caps the length at NAME_MAX.
    """
    text = _strip_markdown(_printable(raw).replace("\n", " ")).split("?", 1)[0]  # "X? No"
    text = _without_cjk_clause(text)
    if text is None:
        return None
    text = text.split(";", 1)[0]  # "Blue passionflower; Passiflora caerulea."
    text = re.sub(r"\s*\([^()]*$", "", text)  # "Edelweiss (*Leontopodium nivale* subsp.": cut off
    text = re.sub(r'(?<=\S)\s+"[^"]{1,40}"[\s.,;:!?]*$', "", text)  # 'X "Chicago"': a nickname
    without = _PARENS.sub(" ", text)
    inner = _PARENS.findall(text)
    text = inner[0][1:-1] if inner and not without.strip(_EDGE_PUNCT) else without
    if inner and _is_binomial(" ".join(without.split()).strip(_EDGE_PUNCT)):
        # "X y (common name)", "X y (comet moth, also called ...)": the gloss's first name
        common = re.split(r"\s*[,;]\s+", _ALIAS_LABEL.sub("", inner[0][1:-1]), maxsplit=1)[0].strip(_EDGE_PUNCT)
        if common and not _is_binomial(common) and len(common.split()) <= 5:
            text = common
    text = re.sub(r"^\s*[A-Z]{4}\s+[—–-]\s+(?=[A-Z][\w'-]*\s)", "", text)  # "**BTBW — Black-throated Blue
    # Warbler**": a bird-banding code, then the name
    gloss = _GLOSS_AFTER.search(text)  # "X — a hairless breed", "Calla lily / arum lily"
    if gloss is not None and "(" not in text[: gloss.start()]:  # not "X (*A. b* / *A."
        text = text[: gloss.start()]
    text = " ".join(re.sub(r"[()\[\]{}<>]", " ", text).split())
    text = _YEARS_AFTER.sub("", text)  # "Jeep Wrangler (JK), 2007–2018": the years it was built
    text = re.sub(r"\s*[≈~]\s*(?:\d{1,3}(?:\.\d+)?\s*%)?$", "", text)  # "Acadian Flycatcher ≈ 55%": a score
    text = _GENERATION_AFTER.sub("", text)  # "Toyota 4Runner, 5th gen (2010–2013)"
    said = re.match(  # "this is a X", "The bird is a X" (a verdict written as a sentence)
        r"(?i)(?:this|it|that|the\s+[a-z]+(?:\s+in\s+the\s+(?:image|photo|picture))?)"
        r"(?:\s+is|'s|\s+must be|\s+appears to be)\s+(?=\S)", text
    )
    if said is not None:  # "**Final answer: this is a Boeing 767-300.**"
        text = text[said.end() :].strip(_EDGE_PUNCT)
    text = _SIDE_BEFORE.sub("", _SEX_AGE_BEFORE.sub("", _SEX_AGE_AFTER.sub("", text)))
    text = _LIKENESS_BEFORE.sub("", text)  # "**consistent with melanoma**"
    text = re.split(r"\s+and\s+(?:an?|the)\s+", text, maxsplit=1)[0]  # "a Pug and a black cat"
    text = re.split(r"(?i),?\s+or\s+(?:possibly|perhaps|maybe|potentially)\s+", text, maxsplit=1)[0]  # "**Pelagic
    # Cormorant or possibly a Red-faced Cormorant**": the first, the hedge's second is a candidate of its own
    text = _LABEL_PREFIX.sub("", text)  # "Aircraft: Cessna 172" from "**Aircraft:** Cessna 172"
    text = re.sub(r"^(?:19|20)\d\d\+\s+(?=\S)", "", text)  # "**2010+ Toyota 4Runner**": the years since
    text = re.sub(rf"^{_YEAR_CHOICE}(?:\s+(?:generation|era))?\s+(?=\S)", "", text)  # "**2011 or 2012 Ford
    # Ranger**", "**2007–2012 generation Dodge Caliber**"
    code = _GENERATION_BEFORE.match(text)
    if code is not None and text[code.end() :].split()[0].casefold() not in BODY_STYLES | CLASS_WORDS:
        text = text[code.end() :]  # the generation, not part of the class name
    text = re.sub(r"^(?:(?:an?|the|another)\s+)+", "", text, flags=re.IGNORECASE)  # "another blue breed"
    text = _DEGREE_BEFORE.sub("", text)  # "**mostly Samoyed**": a mix that is mainly one breed
    text = re.sub(r"^" + _OF_THE_KIND + r"\s+", "", text)  # "cat of the Birman breed"
    text = _ANIMAL_PART.sub("", text.strip(_EDGE_PUNCT))
    text = _TRAILING_GENERIC.sub("", text).strip(_EDGE_PUNCT)
    text = _BREED_CROSS.sub(r"\g<breed>", text)  # "a Staffy cross": the breed; not "a designer cross"
    if re.search(r"(?:^|\s)'[A-Z][^']*$", text):  # "Dahlia 'Bishop of Llandaff'": the
        text += "'"  # cultivar's closing quote, stripped with the edge punctuation
    elif re.match(r"[A-Z][^']*[^s\s']'\s+[a-z]", text):  # "'Red Lion' amaryllis": its opening
        text = "'" + text  # quote; not "Hunters' Moon"
    text = _without_category_noun(text)  # "Ragdoll cat", "fly agaric mushroom"
    text = re.sub(r"(?<=\w)-type$", "", text)  # "a Siamese-type cat", "a pit bull-type dog"
    text = re.sub(r"(?<=[a-z])\s+spp?\.?$", "", text)  # "*Gladiolus* spp.": the genus
    text = _without_description(text)  # "fluffy white persian", "cute beagle"
    coat = re.match(r"(?:[a-z][\w-]*\s+)+(?=[A-Z])", text)  # "brindle and white Saint Bernard"
    words = coat.group(0).replace("-", " ").split() if coat is not None else []
    if words and all(_coat_or_tint(w) for w in coat.group(0).split()):  # not "female Mallard"
        text = text[coat.end() :]
    elif _CAPITALISED_COAT.match(text) is not None:  # "Seal Point Siamese", "Blue point
        text = _without_coat(text)  # bicolor Birman", "Blue Merle Australian Shepherd"; not
        # "Blue Jay"
    elif text == text.lower():
        text = _without_coat(text)  # "fawn pug", "blue merle australian shepherd"
    text = _COLOURED_BEFORE.sub("", text)  # "Blenheim-coloured Cavalier King Charles Spaniel"
    words = text.split()
    body = len(words) == 2 and words[1].casefold() in BODY_STYLES and not words[1].istitle()
    if body and words[0][:1].isupper():  # "a GMC pickup truck", "a BMW SUV": the make, no model
        text, words = words[0], words[:1]
    if len(words) == 2 and words[0].casefold() in _COMPASS and words[1].casefold() in NATIONALITIES:
        return None  # "three North American species": where, not what
    if len(words) == 2 and words[0].casefold() in DEMONYMS and words[1].casefold() in _KINDS_ONLY:
        return None  # "an Italian dessert", "a Japanese breed": where from and what kind
    if len(words) == 2 and words[1] in ("type", "sized", "shaped"):
        return None  # "fit the English type", "the classic Persian type", "house-cat sized": a build
    if text == text.lower() and re.search(r"(?:^|[\s-])colou?red$", text):
        return None  # "The car is dark colored": a colour
    if _SIZE_PHRASE.fullmatch(text):
        return None  # "maybe a meter high", "a few inches long": a size
    if re.fullmatch(r"[VW](?:6|8|10|12|16)", text):
        return None  # "It's a V6 car rather than a GT": the engine; not "Volvo V40"
    if words and _COMPANION_WORD.search(words[-1]):
        return None  # "are SRT8-only", "DB9-style", "Japan-specific": what goes with a name
    if len(words) > 1 and words[-1].casefold() in COAT_PATTERNS and all(_coat_or_tint(w) for w in words[:-1]):
        return None  # "an orange tabby", "a blue-cream tortie": a coat, no breed
    if len(words) == 1 and (
        words[0].casefold() in (DESCRIPTIVE | ADJECTIVES | COAT_PATTERNS | NATIONALITIES | FOREIGN_SEX_WORDS)
        - LIVING_COLOURS or (words[0].islower() and words[0] in PART_NOUNS)
    ):  # "**Male** plumage", "- Small ...", "a tuxedo cat", "a shiba inu, a Japanese breed",
        return None  # "the red 'petals' are actually bracts": a description; not "**Lilac**";
        # "vermutlich ein Männchen": a bird's sex
    if len(text.strip(_EDGE_PUNCT)) < 2:
        return None  # "P" of "favors P. commune": an initial
    model_code = _MODEL_CODE.fullmatch(text) is not None  # "737-800": a name without letters
    if not words or len(words) > _NAME_WORDS_MAX or not (any(ch.isalpha() for ch in text) or model_code):
        return None
    designation = _DESIGNATION.fullmatch(text) is not None  # a class of locomotives by its number
    if all(w.casefold() in GENERIC for w in words if not w[:1].isdigit()) and not (model_code or designation):
        return None
    if _described_kind(words) or re.match(r"(?i)(?:one|any|some|each|either) of\b", text):
        return None  # "SUV", "American muscle car", "one of the following": no name
    trim = [w.casefold() in BODY_STYLES | CLASS_WORDS for w in words]
    if trim[0] and all(t or w.isupper() for t, w in zip(trim, words, strict=True)):
        return None  # "a Crew Cab LTZ", "Extended Cab": a trim of a model named elsewhere
    if len(words) > 1 and words[-1].casefold() in _MARK_NOUNS:
        return None  # "the Jeep logo", "a Bugatti hallmark": a mark of the make, no model
    if re.search(r",[A-Za-z]|\w=", text):
        return None  # "Colour,red Shape,round", "MAKE=Spyker": fields, not a name
    if re.fullmatch(rf"(?i)(?:(?:{_SEX_AGE}|young|first-year|subadult)s?\s*)+", text):
        return None  # "Adult male", "female", "several males": the bird's sex and age, no name
    if re.match(r"(?i)series\s+(?:\d+|[ivx]+)\b", text):
        return None  # "likely a Series 2 (2001-2011)": a generation of a model named before
    if any(w.casefold() in ("subspecies", "subsp", "ssp") for w in words):
        return None  # "the eastern subspecies B. j. borealis": below the class
    if len(words) > 1 and words[-1].casefold() in _BELOW_SPECIES:
        return None  # 'the "Oregon" form', "the white morph": a form of a species, no name
    if _GENERATION.search(text):
        return None  # "the E92 generation", "the first-generation R8": a description
    if any(w.casefold() in ("called", "named", "termed") for w in words[1:]):
        return None  # "modified leaves called bracts": the span ran over a naming verb
    if len(words) > 1 and words[-1].casefold() in _DANGLING:
        return None  # "a garden hybrid of *Aquilegia*": the span stopped inside a phrase
    if words[-1].casefold() in CONTINENTS or (len(words) > 1 and words[-1] in RANGE_NOUNS):
        return None  # "suggests eastern North America", "fits the Texas–Oklahoma range": a range
    if words[0].casefold() == "not":
        return None  # "It's **not a Papillon**": ruled out
    if words[0] in _PARTICLES:
        return None  # "I should say up front that ...": an adverb, no name
    if any(w.casefold().rstrip(".") in ("vs", "versus") for w in words):
        return None  # "Western vs. Clark's Grebe": a comparison of two names
    if words[0].casefold() in _PRONOUNS or (len(words) > 1 and words[0] in _DEMONSTRATIVES):
        return None  # "..., I'd be happy to help", "These features": a clause
    if len(words) == 1 and text.count("-") == 1 and _adjective_like(text.rsplit("-", 1)[1]):
        return None  # "V-shaped", "Gram-positive": an attribute
    if len(words) == 1 and re.fullmatch(r"[A-Za-z]+-[a-z]+ed", text) and text.split("-")[0].casefold() in _BUILD_WORDS:
        return None  # "**Heavy-boned** with a deep chest", "Short-legged": a build, no name
    if len(words) == 1 and text.casefold().endswith("-like"):
        return None  # "Beagle-like"
    if len(text) > NAME_MAX:
        cut = text[:NAME_MAX]
        text = (cut.rsplit(" ", 1)[0] if " " in cut else cut).rstrip(_EDGE_PUNCT)
    return text or None


_NOT_LATIN = OPENERS | FUNCTION_WORDS | GENERIC | DESCRIPTIVE  # English words, neither genus nor epithet
_NOT_GENUS = NATIONALITIES | DEMONYMS | TINTS  # "European mantis", "Chinese wisteria", "Yellow iris": common names


def _is_binomial(name: str, *, marked: bool = False) -> bool:
    """True for a Latin species name: "Astrantia major", "Auricularia auricula-judae", a
    hybrid "Magnolia × soulangeana"; ``marked`` (the text marks it Latin, by an author
    citation): any epithet ("Leucanthemum vulgare")."""
    m = re.fullmatch(
        r"[A-Z][a-z]{2,} (?:[×x] )?(?P<epithet>[a-z][a-z-]{2,})(?: [a-z][a-z-]{2,})?", name
    )
    if m is None or not (marked or _LOOSE_EPITHET.search(m.group("epithet"))):
        return False
    genus, epithet = name.split()[0].casefold(), m.group("epithet")
    return not ({genus, epithet} & _NOT_LATIN) and genus not in _NOT_GENUS


def _described_kind(words: list[str]) -> bool:
    """True for adjectives before a category noun or a body style and nothing else: a
    description of the kind of thing ("blue sedan", "red sports car", "classy car")."""
    kinds = CATEGORY_WORDS | BODY_STYLES | KIND_MODIFIERS
    kind = [  # "SUV" or "sedan", not the "Van" of "Turkish Van"
        w.casefold() for w in words if w.casefold() in kinds and (w.islower() or w.isupper())
    ]
    others = [w.casefold() for w in words if w.casefold() not in kind]
    described = all(
        (_adjective_like(w) and not _MARKED.fullmatch(w))  # "a golden-ringed dragonfly": a name
        or w in NATIONALITIES or re.fullmatch(r"[\w]+-(?:doors?|seaters?)", w)
        for w in others  # "five-door hatchback", "two-seater convertible"
    ) and not (  # "an olive tree", "a lilac bush": a plant
        len(others) == 1 and others[0] in LIVING_COLOURS and words[-1].casefold() in CATEGORY_WORDS
    )
    return bool(kind) and words[-1].casefold() in kind and described


_MARKED = re.compile(  # a mark that names a kind: "golden-ringed", "four-spotted", "red-veined";
    r"[a-z]+-(?!(?:haired|coated|furred|sized|shaped|colou?red|eyed|engined|bodied|looking)$)[a-z]+ed"
)  # not a coat, a size or a look ("long-haired", "medium-sized")


def _without_category_noun(name: str) -> str:
    """``name`` without a category noun after it ("Ragdoll cat" -> "Ragdoll"), unless the
    noun belongs to the name: one adjective before it that opens common names ("common
    frog", "giant mushroom", "blue-tailed damselfly")."""
    if len(name.split()) < 2:
        return name
    stripped = _CATEGORY_NOUN.sub("", name)
    if stripped != name and (stripped.casefold() in NAME_FORMING or _MARKED.fullmatch(stripped)
                             or re.fullmatch(r"[A-Za-z]+-[a-z]+ed", stripped)):
        return name  # "Blue-tailed damselfly": an "-ed" compound alone names nothing
    if _plant_compound(name):
        return name  # "passion flower", "pitcher plant": the noun alone names something else
    if stripped != name:  # "Tern GSD cargo e-bike", "ikarus 280 articulated bus": a model's
        words = stripped.split()  # name, then words that describe the kind
        last = max((i for i, w in enumerate(words) if re.search(r"\d|[A-Z].*[A-Z]", w)), default=-1)
        tail = words[last + 1 :]
        if last >= 0 and tail and all(w.islower() for w in tail) and not (
            set(tail) & (BODY_STYLES | CLASS_WORDS)  # not "silverado 1500 hybrid crew cab"
        ):
            return " ".join(words[: last + 1])
        if len(words) > 2 and words[-1] in SERVICE_WORDS:
            return " ".join(words[:-1])  # "a dodge charger police car": the model, in service
    return stripped


def _kind_name(name: str) -> str:
    """``name`` without a category noun after it, as the kind it names ("jade plant" ->
    "jade", "Passion Flower" -> "Passion"), for comparing it with a more specific name."""
    return _CATEGORY_NOUN.sub("", name)


def _plant_compound(name: str) -> bool:
    """True for a noun and "flower" ("passion flower", "Balloon flower" opening a sentence) or
    a lower-case noun and "plant" ("pitcher plant"): a plant's name, not a category after one;
    not "pink flower" (and, with a word before, the category goes: "a pink hibiscus flower")."""
    noun, _, kind = name.partition(" ")
    return (kind == "flower" or (kind == "plant" and noun.islower())) and re.fullmatch(
        r"[A-Za-z][a-z]+", noun
    ) is not None and not _adjective_like(noun.lower())


def _adjective_like(word: str) -> bool:
    """True for a lower-case word that reads as an adjective ("small", "brown", "fluffy",
    "visible", "difficult"), by the lists above and by its ending; a noun ("quartz",
    "basil", "tiramisu") gives False."""
    low = word.casefold()
    if low in DESCRIPTIVE or low in ADJECTIVES or low in NAME_FORMING:
        return True
    if re.fullmatch(r"[a-z]+-(?:form|shaped|sized|style)", low):
        return True  # "ball-form", "cup-shaped"; not "boxer-type" (a name)
    return low.endswith(ADJECTIVE_ENDINGS) and len(low) > 5 and not low.endswith(NAME_LIKE_ENDINGS)


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
