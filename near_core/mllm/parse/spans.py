"""Name spans of the answer parser: the name that follows an identifying phrase ("is a X",
"appears to be X") -- capitalised runs, lower-case names, hedges ("either A or B"),
refinements ("more precisely, X"), plurals -- and the word-shape tests they rest on."""

from __future__ import annotations

import re

from near_core.mllm.lexicon import (
    ABBREVIATIONS,
    ADJECTIVES,
    ANIMAL_EPITHETS,
    BODY_STYLES,
    CATEGORY_WORDS,
    CLASS_WORDS,
    CLAUSE_WORDS,
    COAT_WORDS,
    COLLECTIVE_NOUNS,
    COMPOUND_FORMING,
    CONNECTORS,
    CONTAINER_NOUNS,
    COUNT_WORDS,
    DESCRIPTIVE,
    FUNCTION_WORDS,
    GENERIC,
    GROWTH_FORMS,
    IRREGULAR_PARTICIPLES,
    KIND_NOUNS,
    LIVING_COLOURS,
    NAME_FORMING,
    NAME_LIKE_ENDINGS,
    OPENERS,
    PART_NOUNS,
    PARTICLES,
    PLACE_WORDS,
    POINTER_NOUNS,
    PORTRAIT_WORDS,
    QUANTITY_NOUNS,
    ROLE_NOUNS,
    SERVING_NOUNS,
    TAIL_END_WORDS,
    TINTS,
    VENUE_NOUNS,
)
from near_core.mllm.parse.hygiene import (
    _BELOW_SPECIES,
    _DESIGNATION,
    _GENERATION_WORD,
    _LATIN_EPITHET,
    _LATIN_IN_BRACKETS,
    _MODEL_CODE,
    _OF_THE_KIND,
    _SIDE_BEFORE,
    _TRAILING_GENERIC,
    _YEAR,
    _YEAR_CHOICE,
    MAX_CANDIDATES,
    _acronym_of,
    _adjective_like,
    _clean_name,
    _described_kind,
    _is_binomial,
    _kind_name,
    _plant_compound,
    _without_category_noun,
    name_key,
)

# Words skipped between an identifying phrase and the name ("is most likely a young X").
_PREFIX = re.compile(
    r"^(?:(?:(?-i:two|three|several)\s+(?:animals|pets)\s*:|"  # "contains two animals: an X ..."
    r"most|more|very|(?:(?<=\ba )|(?<=\ban ))really|highly|quite|likely|probably|possibly|definitely|clearly|actually|"
    r"accurately|identified\s+as|"  # "is identified as X"
    r"(?:unmistakabl|undeniabl|evidentl|obviousl|unquestionabl|unambiguousl|plainl)y"
    r"(?=\s+(?:an?|the)\s+[*_]*(?-i:[A-Z]))|"  # "is unmistakably a King Protea"
    r"indeed|specifically|certainly|almost|perhaps|maybe|either|rather|also|of|an?|the|ein|eine|"
    r"(?:mostly|mainly|largely|predominantly|primarily)(?=\s+(?-i:[A-Z]))|"  # "It is probably mostly
    # Boxer"; not "it's mostly a garden bed"
    r"einen|classic|typical|"
    r"\d(?:st|nd|rd|th)-gen(?:eration)?|"  # "a 2nd-gen X"
    r"many|numerous|lots of|a lot of|a few|"  # "there are many yellow daffodils"
    r"(?:(?:large|small|big|huge|dense|thick|tight|loose|single|delicious|tasty|hearty|generous|"
    r"steaming|appetizing|mouth-?watering|glass|plastic|paper|cardboard|wooden|metal)\s+)?"  # "a large cluster of", "a delicious plate of"
    r"(?:" + "|".join(sorted(SERVING_NOUNS)) + r"|"  # "a bowl of", "a platter of"
    + "|".join(sorted(CONTAINER_NOUNS)) + r"|"  # "a can of", "a slice of"
    r"field|bunch|cluster|group|flock|herd|patch|"
    r"close[- ]up|stand|row|picture|photo|photograph|image|fruit|fruits|flower|"
    r"bloom|blooms|blossom|blossoms|sprig|stem|stems|twig|bouquet|spray|pod|pods|clump|"
    r"flowers|leaf|leaves|seed|seeds|bark|cone|cones|nest|egg|eggs|shell|feather|skull|"
    r"tracks?|head|wing|school|swarm|colony|"
    r"larva|larvae|caterpillar|caterpillars|chrysalis|pupa|nymph|cocoon|exuvia)\s+of|"
    r"(?-i:un|une|una|uno|el|le|la|il)|"
    # lower case only: "Three-toed", "Male Mallard Duck" may be (part of) a name
    r"(?-i:some|both|all|" + "|".join(COUNT_WORDS) + r"|several|male|female|drake|hen(?!\s+of\b)|young|juvenile|adult|"
    r"immature|baby|"
    r"breeding|non-breeding|purebred)|"
    r"(?:(?:early|mid|late)[- ])?(?:19|20|')?\d0s|(?:19|20)\d\d\+|"  # "a 1990s Eagle Talon", "a 2010+
    # Toyota 4Runner": an era, no name
    r"\d{1,2}-(?:year|month|week)s?-old|"  # "a 2-year-old beagle": an age
    + _YEAR_CHOICE
    + r"(?:\s+(?:generation|era))?|"  # "a 2010-2012 Hyundai Genesis Coupe", "a 2011 or 2012 Ford
    # Ranger", "a 2007–2012 generation Dodge Caliber": years
    r"(?:member|type|kind|species|breed|variety|form|sort|pair|example|specimen)\s+of|"
    + _OF_THE_KIND
    + r"|"
    r"(?:species|subspecies|cultivar|variety)(?=\s+[*_'\"]*[A-Z]))\s+)*",
    re.IGNORECASE,
)
_FORMER_NAME = re.compile(  # "(formerly *Sedum spectabile*)", "(now classified as *Oenothera x*)"
    r"(?i)\s*(?:(?:formerly|previously|once|synonym|old name|now|(?:re)?(?:classified|placed|treated)"
    r"\s+(?:as|in))\b|syn\.|=)"
)
_RANK_WORD = re.compile(r"^(?:genus|family|subfamily|order|suborder|tribe|group)\b", re.IGNORECASE)
_ADVERBS_ONLY = re.compile(  # "is actually calcite", "is most likely pad thai"
    r"(?i)(?:(?:most|more|very|highly|quite|likely|probably|possibly|definitely|clearly|"
    r"actually|indeed|certainly|almost|perhaps|maybe|specifically)\s+)*"
)
_REFINEMENT = re.compile(
    r"^\s*(?:,|\s[-–—]|[—–])?\s*(?:and\s+)?(?:more\s+)?(?:specifically|namely|precisely|formally|properly)\s*,?\s+"
    r"(?:(?:it|this)(?:'s|\s+is|\s+looks\s+like|\s+appears\s+to\s+be|\s+seems\s+to\s+be)\s+)?",  # "X, and
    # specifically it looks like the Y"
    re.IGNORECASE,
)
_ALTERNATIVE = re.compile(
    r"^\s*(?:,\s*|\s)(?:or|and/or|and|oder|ou|o)\s+(?:possibly\s+|perhaps\s+|maybe\s+)?|"
    r"^\s*,\s+(?=\S)",
    re.IGNORECASE,
)
_DASH_APPOSITIVE = re.compile(  # " — a West Highland White Terrier", " - that is, a X", " — the common X"
    r"\s+[—–-]\s+(?:(?:that is|i\.e\.),?\s+)?(?:(?:an?\s+|the\s+)?(?=[*_]*[A-Z])|(?:an?|the)\s+(?=[*_]*[a-z]))"
)
_CONCESSIVE = r"(?:although|though|even though|while|whilst|whereas|despite)"  # open a caveat
_CAVEAT_AFTER = re.compile(rf"(?i)(?:{_CONCESSIVE}|but)\b")  # ", although Y cannot be excluded"
_APPOSITIVE = re.compile(r"(?i)^\s*,\s+(?:an?\s|(?:the\s+|(?-i:[A-Z])\w*\s+){0,2}\w+['’]s\s)")  # ", a ...", ", Arizona's ..."
_AFTER_NAME = re.compile(r"^\s*(?:\([^()\n]{0,200}\)|\*[^*\n]{1,80}\*|_[^_\n]{1,80}_(?!\w))")
_PREPOSITION_WORDS = (
    "out", "up", "on", "in", "at", "through", "over", "along", "across", "by", "near", "under", "from", "off",
    "down", "into", "onto", "against", "among", "around", "beside", "toward", "towards", "with",
)
_PREPOSITIONS = "(?:" + "|".join(_PREPOSITION_WORDS) + ")"
_DESCRIBED_NAME = re.compile(  # "a vintage Volkswagen", "a liver and white Springer Spaniel"
    r"(?:(?:(?:[a-z][a-z0-9'’-]{2,}\s+)?[a-z][a-z0-9'’-]{2,}\s+and\s+)?"  # "a small black and white X"
    r"(?:(?!(?:and|or|of|with|in|on|the)\s)[a-z][a-z0-9'’-]{2,}\s+){1,2}"
    r"|(?:(?!(?:and|or|of|with|in|on|the)\W)[a-z][a-z0-9'’-]{2,},\s+){1,2}(?:[a-z][a-z0-9'’-]{2,}\s+and\s+)?"
    r"[a-z][a-z0-9'’-]{2,}\s+)"  # "a large, fluffy, black", "a large, brown and white"
    r"(?=\*\*['\"]?[A-Z0-9]|['\"]?[A-Z]|(?:19|20)\d\d\s+[A-Z])"  # "a silver 2012 Hyundai Elantra"
)  # a decade among the words: "a small, early-'90s Geo Metro"
_COLOURS = "(?:" + "|".join(sorted(TINTS | COAT_WORDS)) + ")"
_SIZES = "(?:small|large|tiny|big|little|medium-sized)"  # a size that opens a gloss after a name
_POSED_VERBS = (  # where the subject of a caption is: "the mini cooper is parked by the curb"
    r"(?:parked|sitting|standing|lying|laying|lounging|perched|resting|sleeping|napping|driving|swimming|"
    r"flying|growing|blooming|displayed|shown|singing|feeding|foraging|eating|drinking|bathing|preening|"
    r"walking|running|moving|playing|hunting|wading|diving|climbing|clinging|hovering|soaring|"
    r"floating|nesting|hiding|peeking|posing|grazing|chewing|wearing|holding|carrying|waiting|leaning|"
    r"in the (?:center|centre|middle|foreground|background|front|corner) of|"  # "A daffodil is in the
    r"the (?:centerpiece|centrepiece|focus|focal point|main subject|star) of)\b"  # center of the image",
)  # "A lime-green X is the centerpiece of this image"; "laying": captioners' "is laying on a couch"
_VERB_PARTICLES = frozenset(["away", "up", "down", "out", "off", "back", "around", "aside", "forward", "ahead"])
_EMPHATIC = (  # what stresses a name after a comma: "a pug, plain and simple", "Bengal, full stop."
    r"(?:plain and simple|full stop|no doubt|for sure|hands down|without (?:a |any )?doubt|definitely|clearly|"
    r"certainly|obviously|unmistakably|undoubtedly)"
)
_LOWERCASE_SPAN = re.compile(
    r"(?P<span>(?:\d{1,2}-(?!(?:year|month|week|day|inch|foot|door|seat|engine|speed|wheel|piece)s?\b)(?=[a-z]))?(?:(?:st|mt)\.\s+(?=[a-z]))?[^\W\d_][\w' -]{0,60}?)"  # "a 7-spot ladybird",
    # "a st. bernard"
    r"(?=\s*(?:[.!?(\[\n;:]|$)|\s+[-–—/]\s|\s*[—–]|\*|"  # sentence end, dash, bracket, slash
    r",\s*(?:(?:which|that|who|specifically|namely|commonly|more|also|known|native|probably|genus|"
    r"likely|possibly|perhaps|maybe|most likely(?! the cultivar)|or|and|but|though|although|even|a|an|the|its|it|"
    r"un|una|une|uno|um|uma|ein|eine|"  # "una fideuà, un plato típico"
    r"given|judging|based|around|circa|(?:19|20)\d\d|common|found|widespread|abundant|"
    + _SIZES + r"|"  # "crested auklets, small dark gray seabirds"
    r"breeding|adult|male|female|juvenile|immature|cultivars?|variety|trim|"  # ", cultivar unknown"
    + _COLOURS  # ", liver and white colour", ", yellow flower with"
    + r"(?:[ -]and[ -]"
    + _COLOURS
    + r")?(?:\s+(?:colou?r|colou?red|coat|fur|markings|flower|with)\b|\s*[.;]|$)|"  # ", orange with"
    r"as|from|with|sometimes|often|recogni[sz]able|identifiable|distinguished|is|are|was|you|we|"
    r"i|I|they|this|these|do|don't|leaning|not|one|both|each|(?:[a-z-]+\s+){1,3}(?:flowers|plants|blooms)|"
    r"nobody|no one|nothing|everyone|everybody|"  # "a honda element, nobody else makes"
    r"in|on|at|near|next to|beside|against|under|[a-z]{3,}ing(?=\s+(?:in|on|at|by|near|along|against|under|from|over)\b))\b|[a-z]+(?:ed|en)\s+(?:by|in|on|from|with|as|inside|over|alongside|atop|to)\b|"  # ", sliced to show"
    r"(?:[a-z]+(?:ed|en)|cut|shot)\s+[a-z]{3,}ly\b|"  # "skeletal muscle, cut longitudinally"
    r"[a-z]{2,}ing\b|\*|"  # ", eating berries"
    r"[a-z]{2,}(?:us|um|a|is|ii|ae|ops|on|ia|es)\s+[a-z]{3,}\s*(?:[,.;)]|$)|"  # ", echinops ritro,"
    r"[A-Z][a-z]{2,}\s+(?:[×x]\s+)?[a-z][a-z-]{2,}\s*(?:[,.;(]|\s[-–—]\s|$)|"  # ", Anemone blanda,"
    r"[a-z]{3,}(?:ops|us|um|ia|is|ae|ea|a|es|on|ii)[.;])|"  # a genus ends the sentence: ", echinops."
    r",\s*(?-i:[A-Z][a-z]+(?:ese|an|ian|ish|ic|i))\s+[a-z]|"  # "har gow, Cantonese shrimp dumplings"
    r",\s*(?:the\s+|(?-i:[A-Z])\w*\s+){0,2}[A-Za-z]+['’]s\s+[a-z]|"  # "a cactus wren, Arizona's state bird"
    r",\s*" + _EMPHATIC + r"\b|"  # "That's a pug, plain and simple."
    r"\s+(?:for sure|for certain|no doubt|hands down|without (?:a |any )?doubt)\b|"  # "a blue jay for sure lol"
    r"\s+(?:with|which|whose|that|because|judging|given|based|to me|due to|or|from|in (?:the|this|these)|here|belonging|"
    r"genoemd|"  # Dutch "called", after the name: "in het Engels ook wel corn poppy genoemd"
    r"lol|lmao|haha|imo|tbh|"  # chat: "def a poinsettia lol."
    r"instead|(?:and )?not (?:an?|the)|"  # "a common raven and not a crow"
    r"[iI] (?:think|believe|guess|suppose|reckon)|"  # "its a canna lily i think."
    r"(?:made|grown|found|seen|bred|built|caught|kept|worn|taken)\s+(?:of|from|by|in|with|on|for)|"
    r"and (?:an?|the|some|two|three|is|are|was|were|has|have|had|it|its|they|their)|"
    r"(?:it|they|he|she)\s+(?:is|are|was|were|has|have|had|looks?|seems?|appears?)|"  # "a horned lark it has"
    r"swimming|flying|sitting|standing|perched|perching|resting|walking|feeding|foraging|"
    r"grazing|growing|lying|laying|lounging|sleeping|napping|eating|hovering|running|climbing|crawling|floating|"
    r"hanging|blooming|parked|driving|taking off|landing|wearing|holding|carrying|playing|"
    r"posing|chewing|looking|collecting|gathering|sipping|drinking|rolling|on (?:a|an|the)|in (?:a|an)|"
    r"visible|pictured|present|"  # "there are five dolphins visible"
    r"stands|sits|rests|perches|grows|floats|hangs|blooms|lies|feeds|crawls|hovers|climbs|swims|"
    r"[a-z]{3,}ed\s+(?:together|up|in|on|against|around|under|beside|atop|inside))\b|"  # "pugs snuggled together"
    r"\s+(?:at|against|beside|near|next to|under|beneath|for sale|on display|asleep|in " + _COLOURS + r")\b|"  # captions
    r"\s+(?:on|in|under|inside)\s+(?:it|them)\b|"  # "a couch with a pug on it"
    r"\s+(?:on|in|under)\s+[a-z]{3,}\s*(?:[.,;!]|$)|"  # "a border collie on grass", "a rose in bloom"
    r"\s+(?:on|in|under)\s+(?!(?:the|this|that|your|my|our|its|his|her|their)\s)[a-z]{3,}\s+[a-z]{3,}\s*$|"
    # a caption that ends on where: "brown creeper on tree bark"
    r"\s+in\s+(?:the\s+)?(?-i:[A-Z])|"  # a place: "the black trumpet in North America"
    r"\s+in\s+(?:various|many|different|several|shades|full|bright|vivid)\b|"  # "in various colors"
    r"\s+in\s+(?:[a-z-]+\s+){1,2}(?:colou?r|colou?rway|finish)\b|"  # "in midnight color"
    r"\s+in\s+(?:[a-z-]+\s+){0,2}plumage\b|"  # "common loon in (its) breeding plumage"
    r"\s+(?![a-z]*(?:ling|king|wing|ring|morning|evening)\s)[a-z]{3,}ing\s+"  # "forming a ball",
    r"(?:an?|the|its|their|sheep|cattle|geese|[a-z]{3,}s(?=[\s.,;!]))\s|"  # "herding sheep", "chasing ducks"
    r"\s+(?:is|are)\s+" + _POSED_VERBS + "|"
    # any participle with a preposition: "a harbor seal hauled out on the rocks"
    r"\s+(?![a-z]*(?:" + "|".join(NAME_LIKE_ENDINGS) + r")\s)[a-z]+(?:(?:ing|ed)\s+" + _PREPOSITIONS + r"|ing\s+to\s+(?:an?|the|its|their))\b|"  # "clinging to a stem"
    # (not "a snow bunting on a rock")
    # "... wading." (not a name ending in -ing: "starling", "bunting", "herring", "kingling")
    r"\s+(?![a-z]*(?:ling|king|wing|ring)\b|bunting\b)[a-z]{3,}ing\s*(?:[.!?;,]|$))"
)
_POSSESSIVES = frozenset(["my", "your", "our", "their", "his", "her"])
_RUN_BREAKS = frozenset(["however", "although", "though", "because", "is", "are", "was"])
_ADVERB_PARTICLES = frozenset(["back", "up", "down", "out", "off", "away", "over", "open", "aside", "together", "apart"])
_FORM_AFTER = re.compile(  # a rank below the species after a name: ' "Audubon's" form'
    r"""[\s'"*_]*(?:""" + "|".join(sorted(_BELOW_SPECIES)) + r")\b"
)
_TYPE_AFTER = re.compile(r"""[\s'"*_]*(?:\([^()\n]{1,40}\)\s*)?type\b""")  # '"doll-face" (traditional) type'
_VERSIONS = "version|variant|trim|edition|colou?rway|size|layout|configuration"  # nouns for a version of a model
_TRIM_AFTER = re.compile(  # a version of a name: ' IPL version', ' "British Blue" color variety',
    r"""[\s'"*_]*(?:\([^()\n]{1,40}\)\s*)?(?:colou?r(?:\s+(?:variety|variant|form))?|package|""" + _VERSIONS + r")\b"
)
_PARTICIPLES = frozenset(  # irregular ones, which no ending marks
    ["set", "seen", "found", "shown", "taken", "held", "kept", "made", "built", "grown", "worn", "hidden"]
)
_CODE_NOUNS = frozenset(["model", "reference", "ref", "ref.", "number", "sku", "part", "item"])
_QUANTITY_OF_BOLD = re.compile(r"(?:an?\s+)?(?:[a-z][\w-]*\s+){1,3}of\s+(?:an?\s+|the\s+)?(?=\*\*|__)")
_LOWERCASE_BEFORE_BOLD = re.compile(r"(?:[a-z][\w'-]*\s+){1,3}(?=\*\*[^*\n]|__[^_\n])")
_BOLD = re.compile(r"\*\*(?P<a>(?:[^*\n]|\*(?!\*)){1,300}?)\*\*|__(?P<b>[^_\n]{1,300}?)__")
_QUOTED = re.compile(  # '"wheaten terrier"', "« desert rose »", "“sweet pea”"
    r'^(?:"(?P<name>[^"\n]{2,60})"|«\s*(?P<guillemets>[^»\n]{2,60}?)\s*»|“(?P<curly>[^”\n]{2,60})”)(?!\w)'
)
_QUOTED_CULTIVAR = re.compile(r"""[ \t]+['‘"](?P<cultivar>[A-Z][^'’"\n]{1,40})['’"]""")
_CULTIVAR_OF = re.compile(  # "'Tête-à-tête' daffodils": a cultivar in quotes and the plant it is
    # of, in the plural; not "a 'Bishop of Llandaff' dahlia" (references keep the cultivar alone)
    r"""^['‘](?P<cultivar>[A-Z][^'’"\n]{1,40})['’]\s+(?P<noun>[a-z][a-z-]{2,}s)"""
    r"(?=\s*(?:[.,;:!?)*\n]|$)|\s+(?:with|in|on|from|that|which|and|or|is|are|growing|blooming)\b)"
)
_ITALIC_START = re.compile(r"^\*(?P<a>[^*\n]{1,120}?)\*|^_(?P<b>[^_\n]{1,120}?)_(?!\w)")
_TOKEN = re.compile(  # "SRT8.**": a full stop inside a closing bold ends the name too
    r"^[\"'(]*(?P<core>.*?)(?P<tail>[\"'),.;:!?]*(?<=[.,;:!?])[*_]*|[\"'),.;:!?]*)$", re.DOTALL
)


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
    if len(word) == 2 and word[0].islower() and word[1].isupper():
        return True  # "Scion xD", "Toyota iQ": a model written with a lower-case first letter
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
        following = _split_token(tokens[i + 2])[0] if i + 2 < len(tokens) else ""
        initial = (not words and len(token) == 2 and token[1] == "." and token[0].isupper()
                   and _is_capitalised(following))
        # "N. Mockingbird": an initial opens the name
        core, tail = (token, "") if token in ABBREVIATIONS or initial else _split_token(token)
        if tail == "'" and core.endswith("in") and _is_capitalised(following):
            core, tail = token, ""  # "Cheetos Flamin' Hot": a dropped g, no closing quote
        after_next = _split_token(tokens[i + 4])[0] if i + 4 < len(tokens) else ""
        two_names = (  # "Horned Grebe and Eared Grebe": two names of one kind, not "Black and Tan"
            core in ("and", "or") and len(words) > 1 and after_next.casefold() == words[-1].casefold()
        )
        connects = (  # "Black and Tan", "Chicken of the Woods": connectors between capitals
            bool(words)
            and not tail
            and not two_names
            and (
                (core in CONNECTORS and _is_capitalised(following)
                 and not (core == "and" and len(words) > 1 and _is_capitalised(after_next)
                          and after_next.casefold() not in BODY_STYLES | CLASS_WORDS))
                # "Black and Tan", "Town and Country", "Laugh & Learn Smart Stages"; not "Indigo
                # Bunting and Blue Grosbeak"
                or (
                    core == "of"
                    and following == "the"
                    and _is_capitalised(after_next)
                    and not _below_species(tokens[i + 6 :])  # not "X of the Oregon group"
                )
                or (core == "the" and words[-1] == "of" and _is_capitalised(following))
                or (_UNHYPHENATED_PART.fullmatch(core) is not None and _is_capitalised(following)
                    and (_adjective_like(words[-1]) or words[-1].casefold() in _COLOUR_WORDS
                         or (len(words) == 1 and _UNHYPHENATED_FEATURE.fullmatch(core) is not None)))
            )
        )
        particle = (  # "de Havilland"
            not words and core in PARTICLES and not tail and _is_capitalised(following)
        )
        epithet = (  # "Larus argentatus": a Latin binomial
            (len(words) == 1 or words[1:] == ["×"]) and _LATIN_EPITHET.match(core)
            and tail[:1] in ("", *".,;:)!?")
        )
        epithet = epithet or (  # "Helleborus × hybridus": a hybrid's sign before its epithet
            len(words) == 1 and core == "×" and not tail
            and _LATIN_EPITHET.match(_split_token(tokens[i + 2])[0] if i + 2 < len(tokens) else "")
        )
        sized = (  # "2-slice toaster", "5-quart mixer": a size of a kind, no model number; but
            re.fullmatch(r"\d+-[a-z]+", core) is not None  # "Dualit Classic 2-slice with ..."
            and following.islower() and following.casefold() not in FUNCTION_WORDS | CLAUSE_WORDS
        )
        model_number = bool(words) and (  # "Boeing 747-400", "Audi A6 2012", a lens's "f/2.8",
            (core[:1].isdigit() and not sized)
            or re.fullmatch(r"[fF]/?\d+(?:\.\d+)?[A-Z]{0,2}", core) is not None
            or re.fullmatch(r"[a-z]{1,3}\d+[a-z0-9-]*", core) is not None  # "Sony Alpha a7 III"
        )
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
        code = (  # "it's a 737-800, possibly a -900": a model code alone, no make before it
            not words
            and _MODEL_CODE.fullmatch(core) is not None
            and (tail or _is_capitalised(following) or not following)
        )
        if not (_is_capitalised(core) or connects or particle or epithet or model_number or year or code):
            break
        if words and all(w.isupper() and w.isalpha() for w in words) and core[1:].islower() and _is_binomial(
            f"{core} {following}"
        ):
            break  # "CACTUS WREN Campylorhynchus brunneicapillus": a name in capitals, then its Latin name
        if words and core.casefold() in _RUN_BREAKS and not (
            core.isupper() and following.isupper() and len(following) > 1  # a lens's "IS USM"
        ):  # "Least Flycatcher However, given ...": a sentence begins, unpunctuated;
            break  # "The Car Is A Ford F-150": Title Case verbs
        words.append(core)
        consumed = i + 1
        if tail:
            ended = tail
            break
    while words and not ended and words[-1] in CONNECTORS | {"the"}:
        words.pop()  # 'a Northern Flicker of the "Yellow-shafted" form': the run stopped at a quote
        consumed -= 2
    if not any(_is_capitalised(w) for w in words) and not (words and _MODEL_CODE.fullmatch(words[0])):
        return None, rest
    if (len(words) == 1 or words[-1].endswith("'s")) and not ended:  # "King Alfred's cakes"
        extra = _sentence_case_tail(tokens[consumed + 1 :], possessive=words[-1].endswith("'s"))
        if extra:
            words += extra
            consumed += 2 * len(extra)
        elif words[-1].endswith("'s") and tokens[consumed + 1 : consumed + 2] and tokens[consumed + 1][:1].islower():
            return None, rest  # "the Veloster's real giveaway": whose, no name; but "a Cassin's."
    elif not ended and len(words) == 2 and _glossed_tail(tokens[consumed + 1 :]):
        words.append(_split_token(tokens[consumed + 1])[0])  # "an Old World swallowtail,
        consumed += 2  # Papilio machaon": the common name the Latin one glosses
    elif not ended and (body := _body_style_after(tokens[consumed + 1 :])):
        words += body  # "a 2012 Honda Odyssey minivan.", "a Nissan NV passenger van."
        consumed += 2 * len(body)
    comma = "," if ended.startswith(",") else ""  # "A, B, or C" goes on at the comma
    return " ".join(words), comma + "".join(tokens[consumed:])


def _word_code(code: str, words: list[str]) -> bool:
    """True when ``code`` is the opening letters of each of ``words`` in turn, at least one
    of each ("GSD" of GERMAN SHEPHERD DOG, "WBNU" of WHITE BREASTED NUTHATCH)."""
    if not words:
        return not code
    return any(
        words[0].startswith(code[:n]) and _word_code(code[n:], words[1:])
        for n in range(1, min(len(code) - len(words) + 1, len(words[0])) + 1)
    )


def _spelled_in_full(short: str, full: str) -> bool:
    """True when ``full`` is ``short`` with its leading abbreviation spelled out ("VW Golf
    hatchback" / "Volkswagen Golf Hatchback")."""
    head, *tail = short.split()
    words = full.split()
    spelled = len(words) - len(tail)
    return (bool(tail) and spelled >= 1 and [w.casefold() for w in tail] == [w.casefold() for w in words[spelled:]]
            and _acronym_of(head, " ".join(words[:spelled])))


def _nickname_of(short: str, full: str) -> bool:
    """True when ``short`` reads as a nickname of ``full`` ("Yorkie" of "Yorkshire Terrier",
    "Min Pin" of "Miniature Pinscher", "GSP" of "German Shorthaired Pointer", "Pyr" of "Great
    Pyrenees"): much shorter, the same first three letters as ``full`` or as a later word of
    it, or its initials, or its words with some cut to an initial ("N. Mockingbird" of "Northern
    Mockingbird"); ``full`` a name in title case (in any case when ``short`` is its
    initials: "SK" of "seborrheic keratosis"), not a Latin one (but initials may stand for a
    name of three words that reads as one: "SAE" of "Siamese algae eater")."""
    initials = short.isupper() and _word_code(short, re.split(r"[\s-]+", full.upper()))  # "GSD",
    # "WBNU" (a bird's banding code: White-breasted NUthatch)
    if len(short.split()) == len(full.split()) > 1 and "." in short:  # "N. Mockingbird"
        return all(s == f or (len(s) == 2 and s[1] == "." and f.startswith(s[0]))
                   for s, f in zip(short.split(), full.split(), strict=True))
    shortened = short[:3].casefold() == full[:3].casefold() or (" " not in short and any(
        short[:3].casefold() == w[:3].casefold() and len(short) < len(w) - 2 for w in full.split()[1:]
    )) or (" " not in short and short.casefold() in (w.casefold() for w in full.split()[1:-1])
           and not full.split()[-1].isupper())  # "Wheaten" of "Soft Coated Wheaten Terrier": the word that
    # names it among the others; not "Gruyère" of "Le Gruyère AOP"
    return (
        len(short) <= 0.7 * len(full)
        and (shortened or initials)
        and (len(full.split()) > 1
             or (full.casefold().startswith(short.casefold()) and len(short) < 0.5 * len(full))  # "Aby";
             # not "Pug" of "Puggle", a breed of its own
             or (short.endswith("ie") and len(short) > 5  # "Newfie" of "Newfoundland"
                 and full.casefold().startswith(short[:-2].casefold())))
        and (_title_case(full) or initials)
        and (not _is_binomial(full) or (initials and len(full.split()) > 2))  # not "ZZ" of
        # "Zamioculcas zamiifolia"
    )


def _below_name(rest: str, *, refined: bool) -> bool:
    """True when ``rest``, the text after a name, says it is a form or a version of a name
    rather than one (' "Audubon's" form', " IPL version"); after a refinement ("specifically")
    also a type (' "doll-face" (traditional) type')."""
    return bool(_FORM_AFTER.match(rest) or _TRIM_AFTER.match(rest) or (refined and _TYPE_AFTER.match(rest)))


def _below_species(tokens: list[str]) -> bool:
    """True when ``tokens`` (words and the spaces between) open with a few capitalised or
    hyphenated words and a rank below the species ("Slate-colored group", "Myrtle
    subspecies group")."""
    for token in tokens[: 8 : 2]:
        core = _split_token(token)[0]
        if core.casefold() in _BELOW_SPECIES:
            return True
        if not (_is_capitalised(core) or "-" in core or core.casefold() == "subspecies"):
            return False
    return False


def _participle(word: str) -> bool:
    """True for a lower-case participle that is no name's last word: one ending in -ed or
    -ing ("parked", "breaching"; not "bunting", "seed") or an irregular one ("taken")."""
    if word in IRREGULAR_PARTICIPLES:
        return True
    return word.endswith(("ed", "ing")) and len(word) > 4 and (
        word.endswith("ribed") or not word.endswith(NAME_LIKE_ENDINGS)  # "described" is no "seabed"
    )


def _body_style_after(tokens: list[str]) -> list[str]:
    """The body style in lower case, with the class words before it, that opens ``tokens``
    (the words after a name of several capitalised words, and the spaces between), when it
    ends the noun phrase and so belongs to the name ("Honda Civic sedan.", "Nissan NV
    passenger van.", "BMW 3 Series sedan of the E90 generation"); [] for other nouns
    ("Granny Smith apple", "Gothic Revival architecture")."""
    words: list[str] = []
    for i in range(0, min(len(tokens), 6), 2):
        core, tail = _split_token(tokens[i])
        low = core.casefold()
        if core != low or low not in BODY_STYLES | CLASS_WORDS or tokens[i].startswith("("):
            return []  # nor an aside in brackets: "Escalade EXT (crew cab pickup)"
        words.append(core)
        token = tokens[i + 2] if i + 2 < len(tokens) else ""
        following, after = _split_token(token) if token else ("", "")
        following = following.casefold()
        year_ends = (after[:1] in tuple(".,;:!?)") and bool(after)) or i + 3 >= len(tokens)
        if low in BODY_STYLES and not tail and re.fullmatch(_YEAR, token[:4]) and year_ends:
            return [*words, following]  # "Hyundai Genesis sedan 2012, it is black"
        if (low in BODY_STYLES or low == "cab") and (
            bool(tail[:1] in tuple(".,;:!?)") and tail)
            or not following
            or tokens[i + 2].startswith(("(", "—", "–", "-"))  # "SUV (first generation)", "sedan —"
            or following in ("of", "from", "with", "that", "which", "in", "built", "made")
            or _participle(following)  # "a Chevrolet Express van parked ..."
            or (low == "cab" and following in ("pickup", "truck"))  # "crew cab pickup truck"
        ):
            return words
        if tail:
            return []
    return []


_NAMING_COMPOUND = re.compile(  # "fire-bellied", "blue-tongued", "black-capped"; not "oriented"
    r"[a-z]+-(?!(?:orient|bas|shap|siz|colou?r|relat|inspir|focus)ed$)[a-z]+ed"
)


_COLOUR_WORDS = TINTS | COAT_WORDS | {"chestnut", "ruby", "rose", "bay", "lemon", "sulphur", "cinnamon"}
_FIELD_MARK_PARTS = "throat|bill|wing|crown|belli|breast|tail|foot|cheek|chinn|rump|crest|shaft|tuft"
_UNHYPHENATED_PART = re.compile(  # "Black throated Blue Warbler", "Yellow billed Cuckoo": a part
    r"(?:" + _FIELD_MARK_PARTS + r"|head|back|ey|sid|neck|capp|shoulder|legg|nap|fac|front|collar|ear|"
    r"vent|mask)ed"  # and its look, unhyphenated
)
_UNHYPHENATED_FEATURE = re.compile(r"(?:" + _FIELD_MARK_PARTS + r")ed")  # after any one word: "Groove
# billed Ani", "Scissor tailed Flycatcher"; not the parts that are verbs too ("The Robin headed North")
_BINOMIAL_GLOSS = re.compile(  # ", Papilio machaon.", " (*Acer palmatum* 'Bloodgood')"
    r"(?:,\s+|\s+\(\s*)[*_]*[A-Z][a-z]+\s+[a-z]{3,}[*_]*(?:\s+['‘][^'’\n]{1,30}['’])?\s*[,.;)]"
)


def _glossed_tail(tokens: list[str]) -> bool:
    """True when ``tokens`` (the words and spaces after a name of two capitalised words) open
    with one lower-case word, then a Latin binomial in apposition or brackets: the lower-case
    word ends the name ("Old World [swallowtail], Papilio machaon.")."""
    tail = _sentence_case_tail(tokens)
    if len(tail) != 1:
        return False
    after = _split_token(tokens[0])[1]
    return _BINOMIAL_GLOSS.match(after + "".join(tokens[1:])) is not None


def _sentence_case_tail(tokens: list[str], *, possessive: bool = False) -> list[str]:
    """One or two lower-case words that continue a one-word capitalised name up to a clause
    boundary ("[Peruvian] lily.", "[Tiger] lily, ...", "[Fly] agaric (Amanita ...)",
    "[Jackson's] chameleon**") or a participle ("[Humpback] whale breaching"); [] when they
    read as the start of a description ("[Cardinal] perched on ...", "[Cardinal] with ...").
    After a possessive, up to three, a participle among them, where a bracket or the end of
    a bold span closes them ("[Kemp's] ridley sea turtle (...)", "[Cranwell's] horned frog
    (...)"; not "[Porsche's] first four-door sedan.").
    ``tokens``: the words and separating spaces after the capitalised word."""
    words = _lowercase_run(tokens, most=2, marked=False, placed=not possessive)
    if not (words or possessive):
        words = _lowercase_run(tokens, most=3, marked=False, placed=True)
        ends = len(tokens) <= 5 or _split_token(tokens[4])[1][:1] in (".", "!", "?")
        foreign = (  # "[Viréo] aux yeux rouges (Red-eyed Vireo)": a name in French, glossed
            bool(words) and words[0].casefold() in CONNECTORS - {"and", "of"} and tokens[6:7] != []
            and tokens[6].startswith("(")
        )
        plain = ends and not {w.casefold() for w in words} & CONNECTORS
        return words if len(words) == 3 and (plain or foreign) else []
    if words and possessive and words[0].casefold() in (ADJECTIVES | DESCRIPTIVE) - NAME_FORMING:
        return []  # "the Veloster's real giveaway": what it has, not a name like "Kemp's ridley"
    if words or not possessive:
        return words
    return _lowercase_run(tokens, most=3, marked=True)


_KINDS = CATEGORY_WORDS | KIND_NOUNS  # nouns of a kind, not of a name ("[Discus] fish in an aquarium")


def _lowercase_run(tokens: list[str], *, most: int, marked: bool, placed: bool = False) -> list[str]:
    """The words of :func:`_sentence_case_tail`: at most ``most``; with ``marked``,
    participles allowed and only a bracket or a bold or italic mark ends them; with ``placed``
    a place ("in a field") ends them too."""
    words: list[str] = []
    for i in range(0, min(len(tokens), 2 * most), 2):
        core, tail = _split_token(tokens[i])
        if re.fullmatch(r"[a-z][\w'-]*(?:\*\*|__)", core):  # "a **Jackson's chameleon** (...)"
            core, tail = core[:-2], core[-2:] + tail
        if not tokens[i][:1].islower() or not re.fullmatch(r"[^\W\d_][\w'-]*", core):
            return []
        low = core.casefold()
        following = tokens[i + 2] if i + 2 < len(tokens) else ""
        if low in CONNECTORS and low not in ("and", "of") and not tail and following[:1].islower():
            words.append(core)  # "Pão de queijo", "Coq au vin"
            continue
        if i == 0 and low == "of" and not tail and (of_tail := _of_tail(tokens[2:])):
            return [core, *of_tail]  # "Lily of the valley (...)", "Hen of the woods."
        if low in FUNCTION_WORDS or low in CONNECTORS or low in CLAUSE_WORDS:
            return []
        if low in POINTER_NOUNS or low in ("breed", "breeds"):
            return words  # "[SuperCrew] model": the name ends before the pointer noun, as it
            # does before "breed" ("Dog is [Newfoundland] breed black.")
        if _participle(low) and not _NAMING_COMPOUND.fullmatch(low) and not marked and not (
            i == 0 and not tail and _noun_ends_clause(tokens[2:5])
        ):
            return words  # "[Cardinal] perched ...", "[Humpback] whale breaching"; but a
            # compound of a part and its look names: "[Oriental] fire-bellied toad", and so
            # does a participle before the noun that ends the clause: "[Siamese] fighting fish."
        words.append(core)
        if marked:
            if tail[:1] in ("*", "_") or (not tail and following.startswith(("(", "*", "_"))):
                return words
            if tail:
                return []
            continue
        if tail[:1] in tuple(".,;:!?)*_") or not following:
            return words
        if following.startswith(("(", "[", "*", "_", "—", "–", "-", "/")) or following in TAIL_END_WORDS:
            return words
        at_place = following in ("in", "on", "at") and tokens[i + 4 : i + 5] in (
            ["a"], ["an"], ["the"], ["its"], ["their"], ["his"], ["her"])  # "[American] goldfinch in its"
        if placed and at_place and not (_plural_word(core) or _adjective_like(core) or low in _KINDS):
            # not "[Makita] tools on a workbench", "[Beagle] visible in the", "[Discus] fish in an"
            return words  # "[Shetland] pony in a field", "[Pileated] woodpecker on a tree trunk"
        if _participle(following) and not _NAMING_COMPOUND.fullmatch(following) and not any(
            _coat_word(w) or _adjective_like(w) or _plural_word(w) for w in words
        ):  # "[Eastern] fence lizard sitting on a log"; not "[Audi] sports car parked ..." or
            return words  # "[X-shaped] black spots found ..."
        if re.match(r"['\"][A-Z]", following):  # "[Japanese] maple 'Bloodgood'": a cultivar
            return words
    return []


def _noun_ends_clause(tokens: list[str]) -> bool:
    """True when ``tokens`` (a word, the space and the word after it) are one singular
    lower-case noun that ends the clause: "fish." or "dove (...)" after "[Eurasian] collared";
    not "on", "quietly", "worms", "perched", a word that runs on or a kind of product ("bicycle")."""
    if not tokens:
        return False
    core, tail = _split_token(tokens[0])
    low = core.casefold()
    ends = tail[:1] in tuple(".,;:!?)") or len(tokens) < 3 or tokens[2].startswith("(")
    return (
        ends and re.fullmatch(r"[a-z][a-z'-]{2,}", core) is not None
        and low not in _NO_NOUNS
        and not low.endswith("ly") and not _participle(low) and not _plural_word(low)
        and (low not in CATEGORY_WORDS or low in ANIMAL_EPITHETS)  # not "[Strida] folding bicycle"
    )


_NO_NOUNS = (  # words that follow "[Cardinal] perched" and are no noun of a name
    FUNCTION_WORDS | CONNECTORS | CLAUSE_WORDS | PLACE_WORDS | frozenset(_PREPOSITION_WORDS)
    | {"outside", "inside", "there"}
)


def _of_tail(tokens: list[str]) -> list[str]:
    """"the valley" or "thorns" after "[Lily] of" when a clause boundary follows the lower-case
    word (punctuation, a bracket, a dash, the end): the rest of a name in sentence case;
    [] otherwise. ``tokens``: the words and spaces after "of"."""
    cores = [_split_token(t) for t in tokens[0:4:2]]
    words = cores[:2] if cores and cores[0][0] == "the" and not cores[0][1] else cores[:1]
    if not words:
        return []
    core, tail = words[-1]
    following = tokens[2 * len(words)] if 2 * len(words) < len(tokens) else ""
    ends = tail[:1] in tuple(".,;:!?)") or not following or following.startswith(("(", "—", "–", "-"))
    if not re.fullmatch(r"[a-z][a-z'-]+", core) or core in FUNCTION_WORDS or not ends:
        return []
    return [w for w, _ in words]


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
    head = stripped.split()
    named_tint = (
        len(head) == 2 and head[0].isalpha() and not _adjective_like(head[0])
        and head[0].casefold() not in _SHADES
    )
    if stripped != span and _adjective_like(head[-1]) and not named_tint and head[-1] not in LIVING_COLOURS:
        return ""  # "a brown mushroom", "a twin-engine regional jet": a description; but a
        # noun and a colour name a kind: "a cabbage white butterfly"; "an olive tree" a plant
    if _described_kind(span.split()):
        return ""  # "a blue sedan", "a red sports car", "a classy car"
    span = stripped
    if _DESIGNATION.fullmatch(span):
        return span  # "a class 70": a class of locomotives by its number
    words = span.split()
    if not 0 < len(words) <= (6 if _vehicle(words) else 4) + (re.fullmatch(_YEAR, words[-1]) is not None):
        return ""  # "chevrolet silverado 1500 hybrid crew cab 2012": six words and the year
    if words[-1].casefold() in GENERIC | FUNCTION_WORDS | GROWTH_FORMS and not _plant_compound(span):
        return ""  # "a large dog", "an aquatic perennial"; not "a passion flower"
    if words[-1].casefold() in _VERB_PARTICLES:
        return ""  # "is facing away from the camera", "is looking up": a verb, no name
    if _describes(words) or _HUES.fullmatch(span.casefold()):
        return ""  # "is pale pink"
    if words[0].endswith("-like"):
        return ""  # "a daisy-like bloom": a likeness, no name
    if words[0].casefold() in CLAUSE_WORDS or words[-1].casefold() in POINTER_NOUNS:
        return ""  # ", but here ...": a clause; "the smaller model": a description
    if words[0].casefold() in _POSSESSIVES:
        return ""  # "2007 is my estimate": whose, not what
    if len(words) == 1 and words[0].casefold() in CATEGORY_WORDS:
        return ""  # "a tree in a field": a category, no name
    inner = [w.casefold() for w in words[:-1]]
    if any(w in FUNCTION_WORDS for w in inner):
        return ""
    animal_epithet = len(words) == 2 and (  # "dog rose", "bird cherry", "food court"
        inner[0] in ANIMAL_EPITHETS or words[-1].casefold() in VENUE_NOUNS)
    if words[0].casefold() in GENERIC and [w.casefold() for w in words[1:3]] == ["of", "the"]:
        return ""  # "a hallmark of the buttercup family": what marks a kind; not "bird of paradise"
    generic = [w for w in inner if w in GENERIC and w not in NAME_FORMING]  # not "false morel"
    if generic and not set(inner) & CONNECTORS and not animal_epithet:
        return ""  # "bird with ..." is no name, "bird of paradise" is
    first, last = words[0].casefold(), words[-1].casefold()
    pet = re.search(r"\s(?:dog|cat|puppy|kitten)$", m.group("span").rstrip()) is not None
    if pet and first in DESCRIPTIVE and first not in NAME_FORMING and words[1:2] != ["mixed"]:
        name = _lowercase_span(rest.lstrip().split(None, 1)[1])  # "a small havanese dog":
        return "" if name in ROLE_NOUNS else name  # the breed, without its size; not "a
        # small lap dog"
    if first in PORTRAIT_WORDS and len(words) > 1:  # "a fluffy pomeranian": the breed, not how it looks
        return _lowercase_span(rest.lstrip().split(None, 1)[1])
    if last in DESCRIPTIVE or (first in DESCRIPTIVE and not _name_forming([w.casefold() for w in words])):
        return ""  # "a small songbird"; but "a great tit", "a little egret", "a hybrid tea rose"
    if first not in NAME_FORMING and _comparative(first):
        return ""  # "the lighter frame", "is larger"; but "a lesser scaup"
    if first in DESCRIPTIVE and first not in NAME_FORMING and _plural_word(last):
        return ""  # "a cluster of dark berries"; not "a great pyrenees"
    if len(words) == 1 and (first in NAME_FORMING or _participle(first) or _adverb(first)):
        return ""  # "a working (dog)", "a spotted ...", "a friendly ..."; not "a starling"
    if first in IRREGULAR_PARTICIPLES and not (_SIDE_BEFORE.match(span) and not set(inner[1:]) & FUNCTION_WORDS):
        return ""  # "the photo was taken outdoors": a state, no name; not "a left pleural effusion"
    if first.endswith("ed") and last in _ADVERB_PARTICLES:
        return ""  # "which is rolled back", "is folded up": a state, no name
    if _participle(first) and len(words) > 1 and words[1].casefold() in (
        "as", "by", "into", "from", "with", "after", "before", "since", "until"
    ):
        return ""  # "can be analyzed as follows", "was discontinued after 1998": what is done, no name
    return span


def _colour_described(words: list[str]) -> bool:
    """True for a colour with words that shade or describe it ("dark sooty brown", "mottled
    brown", "cherry red"): a description, no name; not "cabbage white" (a noun before the
    colour)."""
    low = [w.casefold() for w in words]
    return len(low) > 1 and low[-1] in TINTS and all(
        w in _SHADES or w in TINTS or _adjective_like(w) or w.endswith("y") for w in low[:-1]
    )


def _vehicle(words: list[str]) -> bool:
    """True for lower-case words that read as a vehicle's name: a number or a body style in
    them ("dodge ram pickup 3500 quad cab", "jeep grand cherokee suv")."""
    if {w.casefold() for w in words} & {"of", "the"}:
        return False  # "the wagon version of the Audi 100": a description
    return any(ch.isdigit() for w in words for ch in w) or words[-1].casefold() in BODY_STYLES


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


#: endings of adjectives and participles that nouns seldom have (not "-ly", "-ing", "-ant",
#: "-est": "hoverfly", "spring", "cormorant", "goldcrest")
_ADJECTIVE_SUFFIXES = ("ed", "ous", "ful", "ive", "able", "ible", "ish", "ical")
_CLAUSE_END = FUNCTION_WORDS | CLAUSE_WORDS  # words no name ends in
_MODIFIERS = FUNCTION_WORDS | TINTS | DESCRIPTIVE | ADJECTIVES  # listed words that modify a name
_ADJECTIVE_HEADS = (DESCRIPTIVE | ADJECTIVES) - TINTS  # a tint may head a name ("Small White")
#: participles that say how a thing is placed: "it is positioned head-down", "turned sideways"
_POSTURES = frozenset(["positioned", "oriented", "situated", "located", "placed", "angled", "turned", "tilted"])


def _description(name: str) -> bool:
    """True for a lower-case phrase of adjectives, tints and function words that ends in an
    adjective ("barred", "Mostly large", "painted white"; a capital only on a first word that
    a word list knows), or a phrase that ends in a function word ("one traded as"): a
    description or a piece of a sentence, not a name. Not "hoverfly", "spotted lanternfly",
    "green-veined white" (nouns, and a tint that heads a name)."""
    raw = re.findall(r"[\w'’-]+", name)
    words = [w.casefold() for w in raw]
    if not words:
        return False
    if words[-1] in _CLAUSE_END or (words[0] in _POSTURES and raw[0].islower()):
        return True  # "one traded as", "cookie being", "positioned head-down"
    if "," in name and name.islower():
        return True  # "bright red, shiny, dome-shaped bump": a list of traits
    if len(raw) > 1 and raw[-1] in ("type", "types"):
        return True  # "most likely a Japanese evergreen type": a group of what it named
    if any(not w.islower() for w in raw[1:]) or (not raw[0].islower() and words[0] not in _MODIFIERS):
        return False  # "Boeing 737", "Bearded Reedling"
    if _describes(words):
        return True  # "broad and flat", "entirely glossy black"
    *before, head = words
    if set(before) & NAME_FORMING or head in LIVING_COLOURS:
        return False  # "common blue violet", "little blue"; "Lilac", "olive" name living things
    if not all(w in _MODIFIERS or _adjective_like(w) or _compound_adjective(w) for w in before):
        return False
    participle = any(re.fullmatch(r"[a-z]+(?:ed|ing)", w) for w in before)  # "painted white"
    superlative = head.endswith("est") and any(  # "strongest"; not "goldcrest"
        stem in ADJECTIVES or stem in DESCRIPTIVE for stem in (head[:-3], head[:-2], head[:-4])
    )
    return (
        head in _ADJECTIVE_HEADS
        or superlative
        or (head.endswith(_ADJECTIVE_SUFFIXES) and not head.endswith(NAME_LIKE_ENDINGS))
        or _compound_adjective(head)
        or (head in TINTS and (not before or participle))
    )


def _compound_adjective(word: str) -> bool:
    """True for a hyphenated adjective: "brain-like", "brownish-blue", "blue-grey"."""
    parts = word.split("-")
    return len(parts) > 1 and (
        parts[-1] == "like" or all(p in TINTS or p.endswith(("ish", "ed")) for p in parts)
    )


_NOUNS_IN_LY = ("lily", "fly", "holly", *NAME_LIKE_ENDINGS)  # "water lily", "cardiomegaly"


def _adverb(word: str) -> bool:
    """True for a lower-case word ending in "-ly" that is not a name ("lily", "butterfly",
    "cardiomegaly")."""
    return word.endswith("ly") and not word.endswith(_NOUNS_IN_LY)


def _comparative(word: str) -> bool:
    """True for a comparative of a listed adjective ("greyer", "larger", "bigger") or of a time
    ("a later car", "an earlier model")."""
    return word in ("later", "earlier", "newer", "older") or (word.endswith("er") and any(
        stem in ADJECTIVES or stem in DESCRIPTIVE for stem in (word[:-2], word[:-1], word[:-3])
    ))


def _bare_name(rest: str, *, one_word: bool, plural: bool) -> bool:
    """True when ``rest`` opens with a lower-case name without an article: two to four words
    ("is pad thai"), or with ``one_word`` one noun that ends the sentence or is glossed ("is
    amethyst, a purple variety of quartz", "looks like quartz."; not "is difficult.")."""
    words = _lowercase_span(rest).split()
    raw = _LOWERCASE_SPAN.match(rest)
    glossed = words and _LATIN_IN_BRACKETS.match(rest.lstrip()[len(" ".join(words)) :]) is not None
    if words and re.fullmatch(_POSED_VERBS, words[0]) and not glossed:
        return False  # "it's clinging head-down on the trunk": a verb, no name without its article;
        # but "This is walking fern (*Asplenium rhizophyllum*)"
    if words and raw is not None and len(raw.group("span").split()) >= 2:
        return not _colour_described(words)  # "is pad thai", "snake plant (...)"; not "is dark
        # sooty brown", a colour (but "is a marbled white", with its article, names one)
    after = rest.lstrip()[len(words[0]) :] if words else ""
    one_word = one_word or _LATIN_IN_BRACKETS.match(after) is not None  # "the orange flowers in the
    # picture are wallflowers (Erysimum cheiri)": a Latin name glosses the word
    if not one_word or len(words) != 1 or _adjective_like(words[0]) or words[0] in _PARTICIPLES:
        return False  # not "it's set in a mixed background"
    invariant = words[0].casefold().endswith(("us", "is", "a", "i"))  # "these are gladiolus",
    # "the flowers are bougainvillea", "... are gaura", "they are arancini"
    glossed = re.match(r"\s*(?:\(|[,—–]|-\s)", after) is not None  # "are gyoza (dumplings)"
    if _plural_word(words[0]) != plural and not (invariant or glossed):
        return False  # "these are tulips."; not "the leaves are spiny." or "like sideburns."
    return (
        re.match(
            r"\s*(?:[.!?;(]|$|[-–—]\s|,\s+(?:an?|the|also|commonly|or|and|though|not|one|both|which|they|with)\s|"
            r",\s+" + _COLOURS + r"\b|"  # "these are daffodils, yellow with ..."
            r",\s+(?:sometimes|often|usually)\s+(?:called|known\s+as)\s|"  # "this is gaura, sometimes called ..."
            r"\s+to me\b|\s+rather than\b|\s+or\s+(?:an?\s+)?[a-z]{3,}(?:[.!?;]|$)|"  # "might be melanoma or a mole."
            r",\s+(?:[a-z-]+\s+){1,3}(?:flowers|plants|blooms)\b|"  # "forget-me-nots, small blue flowers"
            r",\s+" + _SIZES + r"\s|"  # "crested auklets, small seabirds"
            r",\s+[*_]*[A-Z][a-z]+\s+[a-z]{3,}[*_]*\s*(?:[.;,(]|$)|"  # "this is foxglove, Digitalis purpurea."
            r",\s+[a-z]{3,}\s+[a-z]{3,}(?:us|um|is|ae|ii)\s*(?:[.;,(]|$)|"  # "are monkshood, aconitum napellus."
            r",\s+[a-z]{3,}ing\s+(?:in|on|at|by|near|along|under|among|over)\s|"  # "buttercups, growing in a field"
            r",\s+(?:[a-z]{3,}(?:ed|en)\s+(?:in|on|at|with|over|by)|as\s+(?:seen|found)\s+in)\s|"  # "is guacamole,
            # served in a molcajete", "are lymphocytes, as seen in lymph nodes"
            r"\s(?:but|with|[a-z]+ing)\b|\s(?:in|on)\s+an?\s)",  # "quartz but ...", "rosemary
            # growing in a pot", "petunias in a hanging basket"
            after,
        )
        is not None
    )


def _plural_word(word: str) -> bool:
    """True for a lower-case word that reads as a plural ("berries", "white-eyes")."""
    low = word.casefold()
    return len(low) > 3 and low.endswith("s") and not low.endswith(("ss", "us", "is"))


def _leading_name(rest: str, *, allow_lowercase: bool) -> tuple[str | None, str]:
    """The name at the start of ``rest`` (bold or italic span, capitalised words, or with
    ``allow_lowercase`` a short lower-case phrase) and the text after it."""
    m = _BOLD.match(rest) or _ITALIC_START.match(rest)
    if m is None and (quantity := _QUANTITY_OF_BOLD.match(rest)) is not None:
        m = _BOLD.match(rest, quantity.end())  # "a dense cluster of **grape hyacinths**"
    if m is not None:  # the bold span is the name: "**Toyota Camry** sedan" (the model's mark)
        bold = m.group("a") or m.group("b") or ""
        if bold.islower() and len(bold.split()) > 5 and re.search(r"\s(?:an?|the)\s", bold):
            return None, rest[m.end() :]  # "**rounded opacity containing an air-fluid level**": a finding described
        counted = _COUNT.match(bold)  # "shows **four wild boars**": one wild boar; "**three
        if counted is not None:  # red deer**": red deer; but "**Three Toed Woodpecker**"
            one = _one_of(bold[counted.end() :])
            if one.casefold() in KIND_NOUNS:
                return None, rest[m.end() :]  # "**six moths**": a count of a kind, no name
            bold = one if one != bold[counted.end() :] or bold[:1].islower() else bold
        genus = re.fullmatch(r"[A-Z][a-z]{2,}", bold.strip("*_ ")) is not None  # "*Dahlia* 'Bishop of Llandaff'"
        cultivar = _QUOTED_CULTIVAR.match(rest, m.end()) if genus or _is_binomial(bold.strip("*_ ")) else None
        if cultivar is not None:  # "a *Hoya carnosa* 'Krimson Queen'": the cultivar is part of the name
            return _clean_name(f"{bold} {cultivar['cultivar']}"), rest[cultivar.end() :]
        return _clean_name(bold), rest[m.end() :]
    quoted = _QUOTED.match(rest)  # 'a "wheaten terrier"': quotes mark a name as bold does
    quote = quoted and (quoted["name"] or quoted["guillemets"] or quoted["curly"])
    if quote and not _described_kind(quote.split()):
        name = _clean_name(quote)
        if name is not None and (_title_case(name) or _plain_name(name)):
            return name, rest[quoted.end() :]
    cultivar = _CULTIVAR_OF.match(rest)
    if cultivar is not None and cultivar["noun"] not in FUNCTION_WORDS | CLAUSE_WORDS | GENERIC | DESCRIPTIVE | PART_NOUNS:
        return f"'{cultivar['cultivar']}' {cultivar['noun']}", rest[cultivar.end() :]
    if (example := _EXAMPLE_OF.match(rest)) is not None:  # "a fine example of Palladian architecture"
        rest = rest[example.end() :]
    run, after = _capitalised_run(rest)
    if run is not None:
        bold = _BOLD.match(after, 1) if after.startswith(" **") else None
        inner = bold.group("a") if bold is not None else ""
        if re.match(_YEAR + r"\s+[A-Z]", inner):  # "a Palladium Silver **2012 Mercedes-Benz
            return _clean_name(inner), after[bold.end() :]  # C-Class**": a paint, then the name
        if len(run.split()) <= 2 and re.match(r"[A-Z0-9][^:]*$", inner):
            return _clean_name(f"{run} {inner}"), after[bold.end() :]  # "a Ferrari **458 Italia**"
        return _clean_name(run), after
    described = _DESCRIBED_NAME.match(rest)  # "a vintage Volkswagen Beetle"
    if described is not None:
        coat = all(_coat_word(w) for w in described.group(0).replace(",", " ").split())
        bold = _BOLD.match(rest, described.end())
        if bold is not None:  # "a brown tabby **Maine Coon**", "the standard **Mitsubishi Lancer**"
            return _clean_name(bold.group("a") or bold.group("b") or ""), rest[bold.end() :]
        run, after = _capitalised_run(rest[described.end() :])
        name = _clean_name(run) if run is not None else None
        several = run is not None and len(run.split()) > 1 and _title_case(" ".join(run.split()[:2]))
        painted = _HUES.fullmatch(described.group(0)) is not None and _plain_name(name or "")
        if name is not None and (several or (coat and (_title_case(name) or painted))):
            return name, after  # "a brindle Boxer", "a fluffy white Persian cat", "a bright
            # orange California poppy"
    lead = _LOWERCASE_BEFORE_BOLD.match(rest)  # "a hardy **geranium**": the model's mark
    if lead is not None and not set(lead.group(0).split()) & (FUNCTION_WORDS | CLAUSE_WORDS):
        bold = _BOLD.match(rest, lead.end())
        name = _clean_name(bold.group("a") or bold.group("b") or "") if bold else None
        words = name.split() if name is not None else []
        if (  # not "a bright **lemon yellow**", "fine **dark streaks**"
            0 < len(words) <= 3
            and _plain_name(name)
            and (not _plural_word(words[-1]) or _participle(lead.group(0).split()[-1]))  # "pan-seared **foie gras**"
            and not any(_coat_word(w) or _adjective_like(w) for w in words)
        ):
            return name, rest[bold.end() :]
    if allow_lowercase:
        return _lowercase_name(rest)
    return None, rest


_CATEGORY_AFTER = re.compile(  # "a white lotus flower with ...": the colour of one flower; not
    r"\s+(?:"  # "a blue passion flower (*Passiflora caerulea*)" (a name, glossed) or "a red
    + "|".join(sorted(CATEGORY_WORDS - {"plant", "plants", "tree", "trees"}))  # ginger plant", "a red
    + r")\b(?!\s*\()"  # oak tree" (the names of foliage and trees carry their colour)
)
_SCENE_AFTER = re.compile(  # where a cut or garden flower stands: "in a glass vase", "on a
    r"\s+(?:(?:growing|planted|blooming)\s+)?(?:in|on|against)\s+(?:an?|the)\s+(?:[a-z]+\s+)?"  # fence";
    r"(?:garden|pot|vase|bed|border|field|meadow|bouquet|planter|container|greenhouse|trellis|"
    r"fence|windowsill|arrangement)s?\b|\s+in full bloom\b"  # not "a blue jay on a branch"
)
_AGES = frozenset(  # "an old mercedes benz 300ce cabriolet", "a potted geranium", "a male stag beetle"
    ["new", "old", "vintage", "classic", "potted", "dried", "wilted", "withered", "faded"]
    + ["male", "female", "juvenile", "immature", "adult", "senior", "elderly"]
)
_TINT = re.compile(  # a colour or an age before a lower-case name: "a pink japanese anemone"
    r"(?:" + "|".join(sorted(TINTS | _AGES)) + r")\s+(?!(?:and|or|with|in|on|of)\b)(?=[a-z])"
)
_SHADES = frozenset(  # words that shade a colour: "dark blue", "solid black", "jet black"
    ["dark", "light", "bright", "pale", "deep", "vivid", "vibrant", "metallic", "solid", "pure", "jet"]
)
_SHADE = r"(?:(?:" + "|".join(sorted(_SHADES)) + r")[ -])?"
_PAINT = _SHADE + _COLOURS + r"(?:-colou?red)?"  # "red", "dark blue", "cream-coloured"
_HUES = re.compile(  # colours and nothing else: "pale pink", "red and yellow"; not "red ginger"
    rf"(?:{_SHADE}(?:{'|'.join(sorted(TINTS))})(?:\s+and\s+|\s+|$))+"
)
_PAINTED = re.compile(  # several words of description before a lower-case name: "a bright
    r"(?:(?:"  # green lamborghini", "a thin white and tan whippet", "a red and yellow columbine"
    + "|".join(sorted((DESCRIPTIVE | ADJECTIVES) - NAME_FORMING))
    + r"|old|single|lone|shiny)\s+)*"
    + _PAINT
    + r"(?:(?:,\s*|\s+and\s+|\s+)(?:"
    + _PAINT
    + r"|striped|spotted|speckled|variegated|mottled))*\s+(?=[a-z])"  # "pink and white striped"
)
_QUANTITY = (  # "a bunch of", "a field of", "a textbook example of"
    r"(?:(?:fine|classic|clear|textbook|typical|good|perfect|prime|striking|unmistakable|beautiful|"
    r"quintessential|great|excellent|mild|severe|advanced|early)\s+)?"
    r"(?:" + "|".join(sorted(QUANTITY_NOUNS)) + r")(?:e?s)?\s+of"  # "clumps of", "patches of"
)
_QUANTITY_OF = re.compile(_QUANTITY + r"\s+(?=[a-z])")  # "a bunch of sweet williams"
_EXAMPLE_OF = re.compile(_QUANTITY + r"\s+(?:the\s+)?(?=[A-Z])")  # "a clear example of Pointillism"
_QUANTITY_PREFIX = re.compile(r"(?i)\b" + _QUANTITY + r"\s*$")  # what precedes a counted name
_COLLECTIVE_PREFIX = re.compile(  # "a flock of", "a pair of": many of the name that follows
    r"(?i)\b(?:" + "|".join(sorted(COLLECTIVE_NOUNS)) + r")s?\s+of\s*$"
)
_HELD_OF = re.compile(  # "can of Pepsi Max", "glass bottle of Coca-Cola", "large pan of paella"
    r"(?:[a-z][\w-]*\s+){0,2}?(?:" + "|".join(sorted(SERVING_NOUNS | CONTAINER_NOUNS)) + r")\s+of\s+(?=\S)"
    r"|(?:[a-z][\w-]*\s+){1,3}?(?:filled|stuffed|packed|loaded|heaped|piled)\s+(?:high\s+)?with\s+(?=\S)"
)  # "a molcajete filled with guacamole", "a paper cone filled with french fries"


_LISTED_LOOKS = re.compile(  # words on how the one pictured looks, each before a comma, then
    r"(?:(?:" + "|".join(sorted(DESCRIPTIVE | PORTRAIT_WORDS)) + r"),\s+)+"  # one of its looks
    r"(?=(?:" + "|".join(sorted(PORTRAIT_WORDS)) + r")\s)"  # ("a small, fluffy pomeranian"; not
)  # "a small, slim sparrow")


def _lowercase_name(rest: str) -> tuple[str | None, str]:
    """A lower-case name at the start of ``rest`` and the text after it, past a quantity
    ("a bunch of sweet williams") and past a colour where the two would read as a description
    ("a red poppy in a field": poppy; but "a purple coneflower" keeps its colour) and past
    a vehicle's paint ("a white dodge sprinter cargo van"), and past what holds it ("a
    molcajete filled with guacamole")."""
    quantity = _QUANTITY_OF.match(rest) or _HELD_OF.match(rest)
    start = quantity.end() if quantity is not None else 0
    listed = _LISTED_LOOKS.match(rest, start)  # "a small, fluffy pomeranian": looks, listed before the name
    if listed is not None and _lowercase_span(rest[listed.end() :]):
        start = listed.end()
    year = re.match(_YEAR + r"\s+(?=[a-z])", rest[start:])  # "a 2012 audi s5 coupe"
    if year is not None and (span := _lowercase_span(rest[start + year.end() :])):
        return _clean_name(f"{year.group(0)}{span}"), rest[start + year.end() + len(span) :]
    span = _lowercase_span(rest[start:])
    coat = re.match(r"[a-z]+-(?:haired|coated)\s+(?=[a-z])", span)  # "a long-haired chihuahua"
    if coat is not None and _lowercase_span(span[coat.end() :]):
        start, span = start + coat.end(), _lowercase_span(span[coat.end() :])
    painted = _PAINTED.match(rest, start)
    if painted is not None and len(painted.group(0).split()) > 1:  # "a dark blue lamborghini"
        inner = _lowercase_span(rest[painted.end() :])
        if inner and inner.casefold() not in PART_NOUNS:  # not "a small purple bloom"
            return _clean_name(inner), rest[painted.end() + len(inner) :]
    if (tint := _TINT.match(rest, start)) is not None:
        inner = _lowercase_span(rest[tint.end() :])
        after = rest[tint.end() + len(inner) :] if inner else ""
        described = (  # "a white lotus flower", "a red poppy in a field": one flower's colour;
            _CATEGORY_AFTER.match(after) is not None or _SCENE_AFTER.match(after) is not None
            or (_plant_compound(inner) and inner.endswith(" flower") and not after.lstrip(" *_").startswith("("))
        ) and not (inner and _adjective_like(inner.split()[0]))  # "a purple passion flower"; not "a
        # blue passion flower (*Passiflora caerulea*)", glossed, nor "a red hot poker in a bed"
        dated = tint.group(0).split()[0] in _AGES - {"new", "old"}  # never part of a name
        described = described and tint.group(0).split()[0] != "golden"  # "a golden retriever
        # puppy": the one colour word that opens many names of animals (eagle, pheasant, jackal)
        if inner and _UNHYPHENATED_PART.fullmatch(inner.split()[0]):
            inner = ""  # "black eyed susans": the colour opens the name, unhyphenated
        if inner and (not span or _vehicle(inner.split()) or described or dated):
            start, span = tint.end(), inner
    if not span or (" " not in span and re.match(r"\s+[*_][A-Z]", rest[start + len(span) :])):
        return None, rest  # "a hardy *Nymphaea* hybrid": a word that describes the Latin name after it
    return _clean_name(span), rest[start + len(span) :]


def _described_refinement(refined: str, name: str) -> bool:
    """True when the words ``refined`` adds before ``name`` only describe it ("a **tulip** —
    specifically a red-and-white striped tulip"): a coat or an adjective, no name."""
    added = refined.split()[: len(refined.split()) - len(name.split())]
    return all(_coat_word(w) or _adjective_like(w) for w in added)


def _coat_word(word: str) -> bool:
    """True for a word that describes a coat, plumage or paint before a name ("brindle",
    "brown tabby", "black-and-rust", "smooth-coat", "wire-haired"); not "black-eyed"."""
    parts = [p for p in word.casefold().split("-") if p != "and"]
    return all(
        p in ADJECTIVES or p in DESCRIPTIVE or p in COAT_WORDS for p in parts
    ) or word.endswith(("-haired", "-coated", "-coat", "colored", "coloured"))


def _word_keys(name: str) -> list[str]:
    return [k for k in (name_key(w) for w in re.split(r"[\s\-]+", name)) if k]


def _specialises(specific: str, generic: str) -> bool:
    """True when ``specific`` ends with all of ``generic``'s words and has more
    ("Short-tailed Shearwater" specialises "Shearwater"; a look-alike does not: "false
    chanterelle", "mock orange")."""
    s, g = _word_keys(specific), _word_keys(_kind_name(generic) or generic)  # "jade plant"
    return (
        len(s) > len(g) > 0 and s[-len(g) :] == g and s[0] not in ("false", "mock", "pseudo")
        and s[-len(g) - 1] not in ("and", "or")  # "between Ragdoll and Birman": two names
    )


_PLURAL_NAME_ENDS = frozenset(["bells", "feathers", "breeches", "butterflies"])  # names written in the plural
_SINGULAR_IN_S = frozenset(["cosmos", "amaryllis", "pyrenees", "flandres", "mercedes"])  # one, ending in "s"
_IRREGULAR_PLURALS = {"keeshonden": "keeshond"}  # "two Keeshonden": a Dutch plural
_IE_NOUNS = frozenset(  # nouns in "-ie", whose plural reads like one in "-y": "Yorkies", "Westies"
    ["yorkie", "westie", "frenchie", "aussie", "collie", "beardie", "sheltie", "staffie", "scottie",
     "doxie", "kelpie", "budgie"]
)


def _singular(name: str, words_used: frozenset[str]) -> str:
    """``name`` with its last word made singular ("Clumber Spaniels" -> "Clumber Spaniel"),
    preferring the form that the answer uses (``words_used``: its words in lower case;
    "Collies" -> "Collie")."""
    words = name.split()
    last = words[-1]
    low = last.lower()
    if _is_binomial(name) or low.endswith(("series", "species")):
        return name  # "are *Primula vulgaris*": a Latin epithet is no plural; "Ford E-Series"
    if (len(words) > 1 and low in _PLURAL_NAME_ENDS) or low in _SINGULAR_IN_S:
        return name  # "These are Canterbury bells", "Prince of Wales feathers": plural names;
        # "garden cosmos", "Great Pyrenees": one of them
    if low in _IRREGULAR_PLURALS:
        one = _IRREGULAR_PLURALS[low]
        return " ".join([*words[:-1], one.capitalize() if last[:1].isupper() else one])
    if low.endswith("ies") and len(low) > 4:
        variants = [last[:-3] + "y", last[:-1]][:: -1 if low[:-1] in _IE_NOUNS else 1]
    elif low.endswith(("ches", "shes", "sses", "xes", "uses", "ises")):  # "Crocuses" -> "Crocus"
        variants = [last[:-2]]
    elif low.endswith("s") and not low.endswith("ss") and len(low) > 3:
        variants = [last[:-1]]
    else:
        return name
    for variant in variants:
        if variant.lower() in words_used:
            return " ".join([*words[:-1], variant])
    if low.endswith(("us", "sis", "tis", "ais", "ois", "iris")):  # "Platypus", "keratosis",
        # "Charolais", "iris": singular unless the text says so; but "Basenjis", "Corgis"
        return name
    return " ".join([*words[:-1], variants[0]])


_COUNT = re.compile(
    r"(?i)\s*(?:" + "|".join(COUNT_WORDS) + r"|several|a few|a pair of|a couple of)\s+(?=\S)"
)


def _one_of(name: str) -> str:
    """The singular of a counted name ("two Basenjis" -> "Basenji"), not of a name whose
    last word only looks plural ("Bouvier des Flandres")."""
    words = name.casefold().split()
    linked = set(words) & (PARTICLES | {"of"})
    if len(words) > 3 or linked or len(words[-1]) < 4 or not re.search(r"[^su]s$", words[-1]):
        return name
    *head, last = name.split()  # the last word alone: "two Komodo dragons" is no binomial
    return " ".join([*head, _singular(last, frozenset())])


_ATTRIBUTIVE = re.compile(
    r"[*_]*\s+(?:birds|dogs|cats|breeds|species|flowers|plants|cars|vehicles|animals|lines|"
    r"forms|populations|types|varieties|models|ones)\b"
)


_VARIANT = re.compile(r"[*_]*\s+(?:model|" + _VERSIONS + r")\b")


_ASIDE = re.compile(  # an aside in brackets after a word that describes the subject
    r"^(?P<lead>\s*(?:an?\s+|the\s+)?[a-z][a-z-]*)\s*\((?:or|and|possibly|probably|likely|maybe)\s[^()\n]{1,40}\)"
)


_TYPE_ASIDE = re.compile(  # "a traditional (old-style) siamese": the type within the breed, glossed
    r"^((?:an?|the)\s+)?(?:modern|traditional|contemporary|old-style|old-fashioned)\s*\([^()\n]{1,30}\)\s+"
)
_ONE_OF = re.compile(
    r"(?i)\s*one of the\s+(?:(?:first|second|third|fourth|fifth|sixth|\d(?:st|nd|rd|th))[- ]gen(?:eration)?\s+)?"
)


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
    rest = _ASIDE.sub(r"\g<lead>", rest, count=1)  # "a female (or first-year male) American Redstart"
    rest = _TYPE_ASIDE.sub(r"\1", rest.lstrip(), count=1)  # "a modern (show-type) **Siamese**"
    one_of = _ONE_OF.match(rest)  # "one of the (second-gen) Toyota Sequoias": one, named in the plural
    rest = rest[one_of.end() :] if one_of else rest
    prefix = _PREFIX.match(rest.lstrip())
    prefix_text = prefix.group(0) if prefix else ""
    rest = rest.lstrip()[len(prefix_text) :]
    if _RANK_WORD.match(rest):
        return []  # "a member of the genus Zosterops" names a genus, not the class
    article = one_of is not None or (  # "one of the X", "is a keeshond", "is a bowl of shakshuka"
        re.search(
            r"(?i)(?:^|\s)(?:an?|the|ein|eine|einen|un|une|una|uno|el|le|la|il)\s",
            " " + prefix_text,
        )
        is not None
    ) or (  # "these are two mallards", "both are tulips": a count stands for the article
        plural and re.search(r"(?:^|\s)(?:both|all|" + "|".join(COUNT_WORDS) + r"|several|many|numerous|of|few)\s",
                             " " + prefix_text)
    )
    allow_lowercase = allow_lowercase and (
        article
        or (
            _ADVERBS_ONLY.fullmatch(prefix_text) is not None
            and not (  # "is very slight—it might ...": a degree of an adjective
                re.search(r"(?i)\b(?:very|quite|highly|more)\s+$", prefix_text)
                and re.match(r"[a-z-]+\s*(?:[.,;:!?—–]|$)", rest)
            )
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
            elif inner_name is not None and _nickname_of(name, inner_name) and not re.search(
                r"\s[×x]\s|\bcross\b|\bmix\b", paren.group(1)  # "(Labrador Retriever × Poodle)"
            ) and not _FORMER_NAME.match(paren.group(1)):  # "(formerly the Brittany Spaniel)"
                name = inner_name  # "a **Yorkie** (Yorkshire Terrier)": the full name
            elif inner_name is not None and _spelled_in_full(name, inner_name):
                name = inner_name  # "a VW Golf hatchback (Volkswagen Golf Hatchback, 2012)"
        dash = None if paren is not None else _DASH_APPOSITIVE.match(after) or (
            re.match(r"\s*,\s+(?:i\.\s?e\.,?\s+)?(?:an?\s+|the\s+)?(?=[*_]*[A-Z])", after) if name.isupper() else None
        )  # "a WBNU, a White-breasted Nuthatch", "a GSP, i.e. a German ...": a code, then its name
        if dash is not None:  # "a Westie — a West Highland White Terrier": the full name; "a
            # dandelion — the common dandelion": the specific one
            full, full_after = _leading_name(after[dash.end() :], allow_lowercase=name == name.lower())
            if full is not None and (_nickname_of(name, full) or _specialises(full, name)):
                name, after = full, full_after
        after = _AFTER_NAME.sub("", after, count=1)
        kind = re.match(r"[*_]*\s+(?P<kind>[a-z]+)(?=\s*,|\s+[-–—]|[—–])", after)  # "**Cattleya** orchid —
        if kind is not None and _REFINEMENT.match(after[kind.end() :]):  # specifically the ruby-lipped
            after = after[kind.end() :]  # cattleya": a kind's word, then the refinement
        refinement = _REFINEMENT.match(after)
        if refinement is not None and _GENERATION_WORD.match(after, refinement.end()):
            names.append(_singular(name, words_used) if plural else name)  # "a Toyota Supra —
            break  # specifically the fourth-generation Mk4 (A80)": a generation of it, no other name
        if refinement is not None:
            tail = _PREFIX.sub("", after[refinement.end() :], count=1)
            refined, tail = _leading_name(tail, allow_lowercase=True)  # "sushi — specifically nigiri"
            if _below_name(tail, refined=True):  # "X, specifically the "Audubon's" form": X
                names.append(name)
                break
            lowercase = refined is not None and refined == refined.lower()
            if lowercase and not (name == name.lower() and allow_lowercase):
                described = _described_refinement(refined, name)
                tail_word = re.match(r"\s*[a-z]+(?=\s*\()", tail)  # "[passion] flower (*P.*)"
                glossed = _LATIN_IN_BRACKETS.match(tail, tail_word.end() if tail_word else 0)
                base = _kind_name(name.lower())  # "Passion Flower" as cleaned
                named = _specialises(refined, base) and (glossed is not None or not described)
                refined = refined if named else None  # "a **Fritillary**,
            latin = (  # specifically the snake's head fritillary"; the common name stays
                refined is not None  # before its Latin: "the **Fly Agaric** – specifically
                and _is_binomial(refined)  # *Amanita muscaria* var. *guessowii*"
                and not _is_binomial(name)
                and name != name.lower()  # (but "a columbine, specifically *Aquilegia vulgaris*")
                and refined.split()[0].casefold() != name.casefold()
            )
            code = refined is not None and refined.split()[0].casefold() in _CODE_NOUNS  # "X,
            # specifically the model 8926OB": a reference number of X
            if refined is not None and not latin and not code:
                name, after = refined, _AFTER_NAME.sub("", tail, count=1)
        counted = _QUANTITY_PREFIX.search(prefix_text) is not None and name == name.lower()
        if not plural and not counted and _ATTRIBUTIVE.match(after):
            break  # "among North American birds": an adjective before a plural noun; but
            # "a cluster of pink cyclamen flowers" names the cyclamen
        if names and _VARIANT.match(after):
            break  # "X, most likely an Extended Cab model": a variant of X, not another name
        if one_of and not (_title_case(name) and re.search(r"[^su]s$", name)):
            break  # "one of the Swiss mountain dog breeds", "one of the *Empidonax* flycatchers": a group
        if one_of or (_COLLECTIVE_PREFIX.search(prefix_text) and _title_case(name)):
            name = _one_of(name)  # "one of the Honda Pilots", "a flock of Brown Pelicans"
        names.append(_singular(name, words_used) if plural else name)
        alternative = _ALTERNATIVE.match(after)
        if alternative is None or _CAVEAT_AFTER.match(after, alternative.end()):
            break  # "X, although Y cannot be excluded": a caveat, not a second name
        if _APPOSITIVE.match(after) and not re.match(r"[^.;!?\n]*\bor\b", after):
            break  # "a Viceroy, a Müllerian mimic of ...", "a cactus wren, Arizona's state bird": a
            # description, not an alternative
        rest = _PREFIX.sub("", after[alternative.end() :], count=1)
    return names


def _name_forming(words: list[str]) -> bool:
    """True when the first of ``words`` (lower case) opens a name with the words after it
    although it describes alone ("great tit", "hybrid tea rose"; not "hybrid magnolia")."""
    return words[0] in NAME_FORMING or (words[0] in COMPOUND_FORMING and len(words) > 2)


def _plain_name(name: str) -> bool:
    """True for a short name in lower or sentence case that reads as a name, not as a
    description or a clause ("bird of paradise", "Giant puffball"; not "small and fluffy")."""
    words = name.casefold().split()
    opener = words[:1] and words[0] in OPENERS and not (words[0] in NAME_FORMING and len(words) > 1)
    if not 0 < len(words) <= 5 or opener or "," in name:  # "common frog" is a name, "common
        # traits" and "sloping, coupe-like roofline" not
        return False
    if words[0] in DESCRIPTIVE and (not _name_forming(words) or len(words) == 1):
        return False
    if any(w in FUNCTION_WORDS or w in CLAUSE_WORDS for w in words):
        return False
    return not all(w in GENERIC for w in words)
