"""Candidate mentions of the answer parser: names after identifying phrases (with what the
sentence around them says: verdict, correction, hedge, likeness, ruled out), bold names,
list and table items, the name that opens the answer, a one-line answer."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from near_core.mllm.lexicon import (
    ABBREVIATIONS,
    ADJECTIVES,
    BODY_STYLES,
    CLAUSE_WORDS,
    COAT_WORDS,
    DESCRIBING_VERBS,
    DESCRIPTIVE,
    FUNCTION_WORDS,
    GENERIC,
    ING_NAMES,
    KIND_NOUNS,
    LINEAGE_NOUNS,
    NAME_FORMING,
    OPENERS,
    PART_NOUNS,
    PLURAL_VERBS,
    POINTER_NOUNS,
    SCENE_WORDS,
    SECTION_NOUNS,
    TINTS,
)
from near_core.mllm.parse import hygiene
from near_core.mllm.parse.hygiene import (
    _ARROW,
    _CATEGORY_NOUN,
    _EDGE_PUNCT,
    _GENERATION_WORD,
    _JSON_META_KEY,
    _LATIN_IN_BRACKETS,
    _PARENS,
    _REPORT_CUES,
    _SEX_AGE,
    _YEAR,
    HEDGE,
    _acronym_of,
    _adjective_like,
    _clean_name,
    _dedupe,
    _field_key,
    _is_binomial,
    _plant_compound,
    _strip_markdown,
)
from near_core.mllm.parse.spans import (
    _BOLD,
    _CATEGORY_AFTER,
    _COLOURS,
    _CONCESSIVE,
    _COUNT,
    _EMPHATIC,
    _HELD_OF,
    _LATIN_EPITHET,
    _PAINTED,
    _POSED_VERBS,
    _PREFIX,
    _PREPOSITIONS,
    _QUANTITY,
    _QUANTITY_OF,
    _TINT,
    _adverb,
    _below_name,
    _capitalised_run,
    _coat_word,
    _is_capitalised,
    _leading_name,
    _lowercase_name,
    _nickname_of,
    _one_of,
    _participle,
    _plain_name,
    _plural_word,
    _singular,
    _span_names,
    _specialises,
    _title_case,
)

_WINDOW = 300  # characters around an identifying phrase that are examined
_FITS_WITH = r"fits? (?:best |better |well )?with"
_SETTLES_IT = r"(?:(?:settles?|decides?|clinch(?:es)?) it|settled)\s*:"  # "That settles it: X", "I'm fairly settled: X"
_GIVES_AWAY = r"gives? (?:it|this|that) away as"  # "the boat-tail deck gives it away as a X"
_POINTS_TO = (  # "... points to a X", "the tail spots lead me to X"
    r"(?:(?:points?|pointing) (?:clearly |strongly |squarely |firmly |instead |rather )?|(?:leads?|leading|led) me )"
    r"(?:to|towards?)(?! (?:conclude|think|believe|suspect|say)\b)"
)
_FEATURES_VERB = (  # "The photo features a X"; not "several features point toward X" (a noun)
    "".join(f"(?<!{w} )" for w in ("the", "key", "several", "many", "some", "these", "those", "other",
                                    "all", "its", "their", "two", "three"))
    + "features"
)
_IN_PICTURE = r"in (?:the|this) (?:image|photo|picture|photograph)(?:\s*,|\s+there (?:is|are))"
_WOULD_CALL = (  # a verdict that revises: "I'd call this a X", "I'd file it under X"; not "I'd
    # simply describe it as a brown tabby" after a decline
    r"(?:i'd|i would|i'll|i will) (?:call (?:it|this|that)|identify (?:it|this|that)(?: \w+)? as)|"  # "So I'd
    r"(?:(?:i'd|i would|i'll|i will) )?"  # identify this as **crème brûlée**"
    r"file (?:it|this|that) (?:under|as)"
)
_FROM_PLANT = (  # "The leaf is from a sugar maple tree", "comes from a black walnut"
    r"(?:comes?|came|is|are|was|were) from(?= an? (?:[a-z'-]+ ){1,3}(?:tree|shrub|bush|plant|vine)s?\b)"
)
_IDENT = re.compile(
    r"(?<![\w'-])(?P<verb>" + _FROM_PLANT + r"|(?:is|are) of (?:the )?(?:breed|species|variety)(?= (?-i:[A-Z]))|"  # "is of breed Persian"
    r"is (?:this|it|that)(?= (?:an?|the) )|(?<![^\s?])yes\s*[—–,:](?=\s*(?:an?|the)\s)|is|are|was|were|be|being|it's|they're|(?:its|thats)(?= an? )|(?<=this |that )one's(?= (?:an?|the) )|"
    r"that's|(?:you're|you are|we're|we are) looking at|(?:you've|you have|we've|we have) got(?= an? )|looks? (?:most |more )?like|"
    + _IN_PICTURE
    + r"|"
    r"(?:looks? |is |very |quite )?similar to|belongs? to|"
    r"resembles?|resembling|reminds? me of|think of|(?:can |could )?(?-i:see)|(?-i:(?<=I )See)|"
    r"(?-i:ID) (?:this|it|that|them) as|(?:(?:identif|classif|recogni[sz]|distinguish)\w*"
    r"(?: (?:it|this|that|them|the)(?: \w+)?)?|known|described|referred to) as|called|named|"
    r"(?:more |most )?consistent with|indicative of|suggestive of|characteristics? of|typical of|classic for|"
    r"diagnostic of|match(?:es)?|like|"
    + _REPORT_CUES
    + r"|specifically|namely|rather|instead|precisely|to be (?:[a-z]+ )?(?:precise|exact|accurate),|shows?|depicts?|showcases?|captures?|portrays?|"
    r"(?<=image )illustrates|muestra|montre|mostra|zeigt|"
    + _FEATURES_VERB
    + r"|contains|displays|presents|suggests?|"
    r"indicates?|confirms?|represents?(?= an? )|favou?rs?|either|definitely|certainly|surely|"
    r"undoubtedly|probably|(?<![\w'])(?:def|prob)(?= (?:an? )?[a-z])|"  # chat shorthand: "def a poinsettia lol"
    r"(?<=\s)but(?: rather)?|possibly|perhaps|maybe|(?:most |more )?likely|guess|say|"
    r"(?:go|going) with|towards?|" + _POINTS_TO + r"|match(?:es)? is|answer (?:is|should be)|identification is|"
    r"my money(?:'s| is) on|going(?<=i'm going)(?= (?-i:[A-Z]))|estimate is(?<=best estimate is)|"  # "I'm going Birman."
    r"(?:(?<![^\n])|(?<=[.!?] ))so,(?= (?-i:[A-Z]))|"  # "... That matches.\n\nSo, Hooded Oriole (...)"
    r"in my (?:opinion|view),|on balance,|settl(?:e|ing) on|(?:torn|choosing|deciding) between|"
    + _WOULD_CALL
    + r"|call(?:ed)? (?:it|them)|call(?= an? )|leaning|(?:makes?|making) (?:it|this|that)(?! one\b)|"
    r"marks? (?:it|this|that) as|" + _GIVES_AWAY + r"|identif(?:y|ies)(?= an? )|"
    r"(?:defining|diagnostic) (?:trait|feature|mark) of(?= an? )|"  # "the defining trait of a X"
    r"(?<=is )what(?= an? [^.\n]{1,40}? looks? like\b)|"  # "That combination is what a X looks like"
    r"(?:unique|diagnostic) (?:to|of)(?= (?:the|an?) )|i believe(?= \*\*)|"
    r"(?:one|single) (?:species|breed|kind)\s*[—–:]|"  # "right for one species — the X"
    r"(?:photo|photograph|picture|image) of|close[- ]?up of(?= an? )|"
    r"(?:knock[- ]?off|replica|clone|dupe|imitation|counterfeit) (?:version )?of|"
    r"(?<!than )those of(?= (?:an?|the) )|(?:answer|identification|verdict|result|is)\s*:|"
    r"(?:if i had to |my best )guess\s*:|"  # "If I had to guess: irish wolfhound."
    r"(?<![\w,] )(?:so|thus|hence|therefore|overall|in conclusion|in summary|to conclude|"
    r"all things considered|in short|bottom line)\s*:|(?:candidates?|options|possibilities|(?:possible|probable|likely|candidate) [a-z]+)\s*:|"
    + _SETTLES_IT
    + r"|(?:i'd|i would|i'll|i will) (?:pick|choose|opt for)|"
    + _FITS_WITH
    + r"|fits?(?= (?:the|an?|\*\*|_|(?-i:[A-Z])))|"
    + _ARROW
    + r"|=(?!=)|"  # "red bracts → **bee balm**"
    r"s['’]agit(?: \w+){0,2} d['’]une?|se trata(?: \w+){0,2} de|trata-se(?: \w+){0,2} de|"
    r"handelt es sich(?: \w+){0,2} um|"
    r"ist|est|es|è|é)(?:(?<=precisely)[,:]|(?<=specifically)[,:])?\s+",
    re.IGNORECASE,
)
_DASH_BEFORE_LATIN = re.compile(  # a dash, then an italic binomial: "... a wet meadow — *Camassia quamash*"
    r"(?<=\s)[—–](?=\s+(?:classic\s+|typical\s+)?[*_]{1,2}[A-Z][a-z]+\s+(?:[×x]\s+)?[a-z-]{3,}[*_])"
)
_FEATURES_BEFORE_DASH = re.compile(  # what is seen, before that dash: thirty characters or more,
    r"\W*[A-Za-z][^A-Z—–:\n]{30,}"  # no capital after the first, no colon
)
_CLAUSE_BREAK = re.compile(r"\s[-–—]\s|[;:]")  # where a clause ends inside a sentence
_LIKENESS_VERB = re.compile(  # "resembles", "looks like", "is very similar to"
    r"(?i)(?:(?:is|very|quite) )*(?:resembl|look|like|similar|consistent|remind)"
)
_AFFIRMED = re.compile(  # "Is this a X? Yes.", not "... Yes, it is a blue X" (restated)
    r"(?i)[^?\n]{1,120}\?[*_]*\s*(?:yes|yep|indeed|correct)\b"
    r"(?![,.;:—–-]?\s*(?:it|this|that)(?:'s|\s+is)\b)"
)
_PLURAL_PREFIX = re.compile(r"\s*(?:both|all|two|three|four|several|(?:a\s+)?pair of)\s", re.IGNORECASE)
_PLACE_WORD = r"(?:on|in|at|with|near|by|under|over|against|among|along|beside|behind)\b"
_QUANTITY_NAMED = re.compile(  # "shows a field of buttercups.": the sentence ends on the name;
    r"\s*(?:an?\s+)?"  # not "a group of ducks on a pond" (a scene)
    + _QUANTITY
    + rf"\s+(?:(?!{_PLACE_WORD})[\w'-]+\s+){{0,3}}(?!{_PLACE_WORD}|[a-z]+ing\b)[\w'-]+\s*"
    r"(?:\([^()\n]{0,80}\)\s*)?(?:[.!]\s*)?$"
)
_BARE_PLURAL = re.compile(  # "The image shows sunflowers.", "shows churros with a cup of ...",
    r"\s*(?![a-z]+ed\s)(?:[a-z][\w'-]+\s+){0,2}[a-z][\w'-]+[^s\W]s"  # "shows spring crocuses emerging
    r"(?:\s*[.!]?\s*$|\s+(?:with|[a-z]{3,}ing|[a-z]{3,}ed)\b)"  # from ...": a plural with no article, two
)  # words before it at most; not "shows flowers in a vase" (a scene), "hyperinflated lungs with ..." (a finding)
_DOING_OR_WHERE = r"(?:[a-z]+ing|in|on|at|near|by|along|against|under|over)\b"  # "swimming", "on a pond"
_ANIMALS_COUNTED = re.compile(  # "shows a group of american white pelicans swimming ...": a name
    r"\s*(?:an?\s+)?(?:(?:large|small|big)\s+)?(?:group|flock|pair|herd|pack|colony|raft|pod)\s+of\s+"
    rf"(?P<first>[\w'-]+)(?:\s+(?!{_DOING_OR_WHERE})[\w'-]+){{1,2}}(?=\s+{_DOING_OR_WHERE})"  # of several words,
)  # whatever follows; not "a group of ducks swimming on a pond"
_PLANTS_COUNTED = re.compile(  # "shows a bunch of purple crocuses growing out of the snow": a
    r"\s*(?:an?\s+)?(?:(?:large|small|dense|big)\s+)?(?:bunch|field|clump|bed|patch|"  # plant's
    r"bouquet|carpet|drift)\s+of\s+(?P<first>[\w'-]+)(?:\s+[\w'-]+){0,3}"  # stand, whatever follows;
    r"(?=\s+(?:growing|blooming|in|on|under|along|by|against|covering|forming|with)\b)"  # not "a
)  # cluster of dark berries on a branch"
_CORRECTION = re.compile(
    r"\b(?:actually|more likely|more accurately|more precisely|more specifically(?: like)?|"
    r"rather(?! like)|instead|"
    r"(?:the )?(?:best|closest) (?:fit|match))"
    r"(?:,?\s+(?:it|this|that)(?:'s)?(?=\s+(?:looks|seems|appears|is)\b))?\s+\S*\s*$",  # "an Empidonax, and the
    # best fit is a X"; "More precisely, it looks like a X"
    re.IGNORECASE,
)
_SHORT_SUBJECT = re.compile(
    # the subject of "is" in a naming sentence: "this", "this dish", "the mineral in the
    # photo", "the mineral appears to", "what you have here"
    r"(?i)\s*(?:what\s+(?:you|we)(?:'ve|\s+have)?\s+(?:have|got|see|(?:are|'re)\s+looking\s+at)(?:\s+here)?\s*|"
    r"(?:\w+\s+){0,3}?(?:this|that|it|the|its|these|those|they|my|our|(?:both|all)(?:\s+(?:of\s+them|[a-z]+)){0,2}(?=\s+(?:appear|seem)))"  # "Both cats appear"
    r"(?:\s+[\w']+){0,5}?\s*)"
)
_BACKGROUND = re.compile(  # a sentence about the setting: "The background is blurred, but it
    r"(?i)\W*(?:(?:the|in the)\s+(?:blurr?(?:ed|y)\s+)?(?:background|backdrop|setting|surroundings)\b"  # appears to be a
    r"|there (?:is|are)\b[^.;]*\bin the background\b|in the background,? there (?:is|are)\b)"  # garden",
    # "There is a blanket in the background"
)
_SETTING = re.compile(
    r"(?i)\b(?:in|on|at|under|near|against|from|by|inside|outside|beside|behind|over|above|below|through|"
    r"into|onto|across|along)\s+what(?:\s+(?:appears|seems)\s+to)?\s+$"
    r"|\bthe\s+(?:setting|background|backdrop|surroundings|habitat)\s+(?:also\s+|itself\s+)?$"  # "The
)  # setting also looks like a fishing port"
_APPOSITION = re.compile(
    # a description, then the name in apposition: "a large container ship, the Ever Given";
    # the marks counted, then the name: "matches all three: a male Painted Bunting"
    r"^\s*(?:(?:an?|the)\s+(?:[a-z][a-z\s-]{0,50}?)?(?:\s?(?:(?-i:[A-Z])[a-z]+\s)?(?-i:[A-Z])[a-z]+(?:an|ese|ish|ch|ic)\s+[a-z]+)?"
    r"[,:]\s+(?:the\s+|an?\s+)?|"  # "a very rare car: a X", "a traditional Spanish dish, X", "a
    # species of North American sparrow, the X"
    r"(?:two|three|four|several)\s+[a-z][a-z\s-]{0,50}?,\s+(?:both|all)\s+|"  # "two small dogs, both Xs"
    r"(?:all|both)(?:\s+(?:two|"
    r"three|four|five|of\s+(?:them|these|those)))?\s*[:—–]\s*(?:(?:an?|the)\s+)?(?:(?:adult|male|"
    r"female|young|juvenile|immature)\s+)?)(?=[*_]*[A-Z])(?![*_]*(?:[A-Z]\w*\s+){0,2}[A-Z]\w*['’]s\s+[a-z])"  # not "a cactus
)  # wren, Arizona's state bird": whose, a description
# A description ending in a category, then the name in apposition: "a small brown dog, a
# chihuahua", "a white bird, maybe a snowy egret", "a group of blue flowers, grape hyacinths,
# growing ...", "a pink flower with many petals, likely a peony, in a garden".
_KIND_APPOSITION = re.compile(
    r"(?i:^\s*(?:there\s+(?:is|are)\s+|(?:an?\s+)?(?:image|photo|picture|close[- ]?up)\s+of\s+)?)"
    r"(?:an?|the|two|three|several|some)\s+"
    r"(?:(?:bunch|group|cluster|field|bouquet|clump|patch|pair)\s+of\s+)?"
    r"(?P<looks>(?:[a-z-]+\s+){0,5}?)(?P<kind>"
    + "|".join(sorted(KIND_NOUNS | BODY_STYLES))  # "a silver minivan, a honda odyssey"
    + r")s?(?:\s+(?P=kind))?"
    r"(?P<detail>\s+(?:with|on|in|that|[a-z]{3,}ing)\b[^,\n]{0,60})?[,:]\s+"  # "a very rare car: a X"
    r"(?P<hedge>(?:maybe|probably|possibly|likely|perhaps|both|all)\s+)?"  # "two small dogs, both Xs"
    r"(?=(?:an?|the)\s+[a-z]|(?!(?:[a-z]{2,}ing|on|in|at|with|near|by|and|or|which|that)\b)"  # not "king"
    r"[a-z][\w'-]*(?:\s+[a-z][\w'-]*){0,2}\s*(?:,(?!\s*(?:and|or)\b)|\.?\s*$))"  # not a list
)


def _kind_apposition(text: str) -> re.Match[str] | None:
    """The opening "a small brown dog, (maybe) " of ``text`` when looks and a category
    describe what a name in apposition then names, or a kind and a category what a name of
    the kind names ("a protea flower, king protea"); not "a porcini mushroom, possibly ..."."""
    m = _KIND_APPOSITION.match(text)
    if m is None:
        return None
    bare = re.match(r"[^,.;:!?\n]*", text[m.end() :]).group(0).casefold().split()
    if bare and bare[0] not in ("a", "an", "the") and (
        {"and", "or"} & set(bare) or bare[-1] in PART_NOUNS or _adjective_like(bare[0])
    ):
        return None  # "a flower with four papery, crinkled petals": more of its features
    if m["detail"] and not m["hedge"] and bare[:1] in (["a"], ["an"], ["the"]):
        return None  # "a bird with a red throat, a green back, and ...": its features
    looks = m.group("looks").replace("-", " ").split()
    if all(w == "and" or _coat_word(w) for w in looks):
        return m
    named = " ".join(w for w in bare if w not in ("a", "an", "the"))  # "a protea flower, king
    return m if looks and named and _specialises(named, " ".join(looks)) else None  # protea":
    # the kind's member; not "a chanterelle mushroom, possibly a false chanterelle"


def _apposed_names(rest: str, *, plural: bool, words_used: frozenset[str]) -> list[str]:
    """The names after a :func:`_kind_apposition`, lower case allowed, with an article or
    without ("two white flowers with purple centers, maybe anemones")."""
    names = _span_names(rest, allow_lowercase=True, plural=plural, words_used=words_used)
    if names:
        return names
    bare, _ = _lowercase_name(rest)
    return [_singular(bare, words_used)] if bare is not None else []


_CONCESSION = re.compile(  # "Although it resembles a Raven, it is ...": the main clause
    rf"(?i)^\W*{_CONCESSIVE}\b[^.;]*,\s*(?:\w+\s+){{0,4}}$"
)
_HEDGED = re.compile(  # "While the long hair might suggest a X": no verdict
    r"(?i)\b(?:might|may|could|would|can|while|although|though|if|whether)\b[^,;.]*$"
)
_CONDITION = re.compile(  # "if it is over 18 inches at the shoulder, it's more likely a X": a
    r"(?i)(?:^|[;:]|[.!?]\s)\s*if\s+(?!i\s+(?:had|have)\s+to\b)"
    r"[^.;!?,]*\b(?:is|are|was|were|has|have|had)\b[^.;!?]*,[^.;!?,]*$"
)  # verdict on a condition, no verdict; not "If pushed, I'd say X", "If I had to name one, X"; the
# condition may list ("If it had been finished with olive oil, rocket and Parmesan, I'd call it X")
_ALIAS_BEFORE = re.compile(  # "It is sometimes called a "sea cow"": another name for it
    r"(?i)\b(?:it|they|this|these)\s+(?:is|are)\s+(?:also\s+|sometimes\s+|often\s+|commonly\s+|"
    r"popularly\s+|colloquially\s+|locally\s+)+(?:called|known as|referred to as)\s+$|"
    r"\b(?:people|some|many|others|fanciers|breeders|growers|gardeners|owners|locals)\s+(?:\w+\s+)?"
    r"call\s+(?:it|them|these|this)\s+$"  # 'people sometimes call them "British Blues"'
)
_LEANING = re.compile(r"(?i)\b(?:lean\w*|point\w*|tend\w*|tilt\w*)\s+(?:\w+\s+)?$")
_CONTRAST = re.compile(
    # "..., but the grey nape shows it": a plain statement that contradicts what came before
    r"(?i)(?:\bbut|\bhowever|\byet)\b(?![^.]*\b(?:could|might|may|also|if|whether|not|n't|"
    + HEDGE
    + r")\b)[^.]*$"
)
_DECISIVE = re.compile(
    # a phrase that weighs the evidence and picks a name ("the stripe suggests X")
    r"(?i)^(?:suggests?|indicates?|" + _POINTS_TO + r"|confirms?|favou?rs?|(?:most |more )?likely|probably|"
    r"(?:go|going) with|settl(?:e|ing) on|towards?|leaning|answer (?:is|should be)|identification is|"
    r"my money(?:'s| is) on|going|estimate is|"
    r"on balance,|in my (?:opinion|view),|say|guess|match(?:es)? is|"
    + _SETTLES_IT
    + r"|(?:i'd|i would|i'll|i will) (?:pick|choose|opt for)|"
    + _WOULD_CALL
    + r"|"
    r"(?:unique|diagnostic) (?:to|of)|"  # "the pattern is diagnostic of the X"
    + _GIVES_AWAY + r"|"
    r"fits?|" + _FITS_WITH + r"|(?:more|most) consistent with|" + _ARROW + r"|=)$"  # "... are more
    # consistent with a X": a comparison weighed
)
_NEGATION = re.compile(r"(?:\bnot|n't|\bnever)\s+(?:\w+\s+){0,2}$", re.IGNORECASE)
_PARTICIPLE_TAIL = re.compile(
    # what an animal or thing does, after its name: " breaching.", " hauled out on the rocks"
    r"\s+[a-z]+(?:ing|ed)(?:\s+" + _PREPOSITIONS + r"\b.*)?\W*"
)
_REMARK_NOUNS = frozenset(  # "Good question.", "Nice find!", "Good eye!"
    ["question", "shot", "challenge", "case", "view", "angle", "picture", "find", "eye", "spot",
     "catch", "photo", "pic", "capture", "snap", "alert"]  # "Fluffy cloud alert."
)
_SUBJECT = re.compile(r"^\W*(?P<name>[^\n]{1,100}?)\s+(?:is|appears|looks|seems)\b")
_CONCLUSION = re.compile(
    r"(?i)^\W*(?:therefore|thus|hence|so|in conclusion|in summary|to summari[sz]e|to conclude|"
    r"overall(?=\s*,)|consequently|all in all|my answer|the answer|based on|given|considering|"
    r"after|taking|taken together|combining|putting|all things considered|finally|in this case)\b"
)
_VERDICT = re.compile(
    # a sentence that gives the answer's verdict, wherever the cue sits in it
    r"(?i)\b(?:identif(?:y|ies|ied) (?:it|this|them)? ?as|marks? (?:it|this|that) as|"
    r"identification(?: is|(?=:))|result(?=:)|(?:in )?conclusion|"
    r"conclude|verdict|decision(?=\W*$|[.:*]+\s)|best (?:match|fit|guess|answer)|points? (?:to|towards)|"
    r"my (?:final |best )?(?:answer|guess|pick|choice)|the answer (?:is|should be)|(?<!writing the )(?<!giving the )final|i (?:believe|think|can confidently)|"
    r"my money(?:'s| is) on|(?:i'm|i am) going(?= (?-i:[A-Z]))|best estimate|"
    r"(?:i'm|i am) (?:\w+ )?(?:confident|certain|sure)(?! whether| if)|"
    r"(?:give|say|name|identify) confidently|confidently (?:identify|say|name|call)|ultimately|"
    r"i(?:'d| would| will|'m going to) (?:say|go with|guess|identify|call (?:it|this))|lean(?:ing|s)? towards?|"
    r"go with|(?:i'm|i am) going with|adds? up to|settle on|more likely|on closer inspection|all things considered|"
    r"taking (?:all|everything)|taken together|putting (?:it|this|everything)|to summari[sz]e|in summary|"
    r"so my answer|weighing everything|in this case|reckon|settl(?:e|ing) on|all in all|"
    r"(?:rather than|instead of)(?=\s+(?:an?\s|the\s|[*_]*(?-i:[A-Z0-9])))|(?:settles?|decides?|clinch(?:es)?) it|(?:that|this) fits|"
    r"fits? best|makes? (?:it|this)|more (?:accurate|precise|likely) (?:identification|answer))\b|"
    r"\s(?:" + _ARROW + r"|=)\s"
)
_NOT_BUT = re.compile(  # "not a Dachshund but", "is not a duck, but": a name set aside for the next
    r"(?i)(?:(?:\bnot|n't)\s[^,;]{1,80}|(?:\b(?:is|are|was|were)\s+not|\b(?:isn't|aren't|wasn't))\s[^,;—–]{1,40},)\s*$"
)
_MANY_OF = re.compile(r"(?i)\s*(?:hundreds|dozens|thousands|scores|lots|plenty|countless)\s+of\b")
_CANDIDATES_SUBJECT = re.compile(  # "The two breeds most often confused", "The main candidates"
    r"(?i)\b(?:(?:two|three|four|main|likely|possible|usual)\s+(?:[a-z]+\s+)?"
    r"(?:breeds|species|candidates|options|possibilities|contenders|suspects|models)|candidates)\b[^.;:]*$"
)
_SUMMED_UP = re.compile(  # "These characteristics indicate that the dog is a X": a verdict on
    r"(?i)\b(?:indicate|suggest|confirm|show)s? that\b"  # the names after it, not one before it
)


def _verdict_before(sentence: str, offset: int) -> bool:
    """True when ``sentence`` sums up the evidence before ``offset`` ("... indicate that")."""
    return " that" in sentence and _SUMMED_UP.search(sentence, 0, offset) is not None


_SENTENCE_REVISION = re.compile(  # a sentence that takes back what came before
    r"(?i)^\W*(?:no\W+(?=(?:it|this|that)(?:'s|\s+is)\b)|"  # "X... no, it's a Y"
    r"(?:(?:however|but|no|though|hmm+)\W+)?(?:actually|correction|(?:i'll|i will|let me) revise|on second (?:look|thought|glance)|looking (?:again|closer)|(?<=however, )looking (?:more )?closely|"
    r"(?:up)?on (?:a )?closer (?:inspection|look)|after a closer look|wait|scratch that)\b)"
)
_POSSIBILITY = re.compile(  # "it could also be", "if ..., it would instead be": no verdict
    r"(?i)\b(?:it is|it's) (?:also )?possible\b|\b(?:could|might|may|would) (?:also|instead|rather)\b|"
    r"\bif\b(?!\s+(?:pushed|forced|pressed|i (?:had|have|must|were) to))[^.?!]{0,160}?,\s*(?:it|this|that|i)"
    r"(?:'d|\s+would)\b"  # "If it was taken in Europe, it would
)  # much more likely be a X", "If the flowers were fuller, I'd suggest X instead": a hypothesis
_CORRECTION_AFTER = re.compile(
    r"(?i)\s*(?:more likely|actually|rather|more precisely|precisely|more specifically|"
    r"more accurately)\b"
)
_REFINING_CLAUSE = re.compile(  # "more specifically, it looks like a X": the refinement is X
    r"(?i)^\s*(?:(?:it|this)(?:'s|\s+(?:is|looks like|looks to be|seems to be|appears to be|resembles))|"
    r"looks like|looks to be|seems to be|appears to be)\s+"  # "it specifically looks like a X"
)
_RULED_OUT_BEFORE = re.compile(
    r"(?i)(?:rules? out|ruling out|unlike|compared (?:with|to)|mistaken? (?:it )?for|"
    r"confused with|rather than|instead of|separates? it from|distinguish\w* (?:it )?from|"
    r"differs? from|other than|excluding|except)\s+(?:[^\s,;:]+\s+){0,4}$"
    r"|\bother\s+(?:[\w-]+\s+){0,2}(?:to\s+consider|worth\s+considering)\s+(?:(?:is|are|would\s+be)\s+"
    r"(?:the\s+|an?\s+)?[*_]*)?$"  # "The other vireo to consider is the **Warbling Vireo**"
)
_TAXON_AFTER = re.compile(r"(?i)^[*_]*\s*(?:(?-i:[a-z]+)\s+\(?)?(?:family|subfamily|genus|order|group|clade)\b")
"""After a name: it names a higher group ("the flycatcher family", "the New World warbler
family", "a New World warbler (family Parulidae)"), not the class."""
_KIND_LIKE = re.compile(r"[*_]*-(?:type|like|style)\b")
"""After a name: a kind like it ("spitz-type", "**Boxer**-like traits"), read only where
nothing else is named."""
_RULED_OUT_AFTER = re.compile(
    r"(?i)^[*_]*\s*(?:\([^()]*\)\s*)?,?\s*(?:is|would be|seems|are|would look)?\s*"
    r"(?:unlikely|ruled out|a close look-?alike|less likely|also possible|cannot be ruled out|"
    r"similar, but|lacks|is excluded)"
)
_LIST_ITEM = re.compile(r"(?m)^[ \t]*(?:[-*+•]|\d+[.)]|\d{1,2}[ \t]*[-–])[ \t]+(?P<item>[^\n]+)$")
_SENTENCE_END = re.compile(  # "St. Bernard", "Dr. Martens": an abbreviation ends no sentence;
    "".join(rf"(?<!\b{re.escape(a[:-1])})" for a in sorted(ABBREVIATIONS))  # "a st. bernard", in
    + r"(?<!\b[sm]t)(?<!\bste)(?<!\bi\.e)(?<!\be\.g)[.!?](?=\s|$)"  # lower case, is the same saint's name;
    # nor does "i.e." or "e.g."
    r"(?!(?<=\ba [A-Z]\.)\s+[A-Z][a-z]|(?<=\ban [A-Z]\.)\s+[A-Z][a-z]|(?<=\bthe [A-Z]\.)\s+[A-Z][a-z])|\n"  # nor a
    # name's initial ("a N. Mockingbird")
)


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


_PAINT_NOUNS = frozenset({"color", "colour", "colorway", "colourway", "finish", "paint", "shade"})


_PART_LABEL = re.compile(r"[\s>*+•-]*\*\*(?P<label>[^*\n]{1,60}?)\s*[:：]?\s*\*\*\s*[:：]?")  # "**The leaves:**"


def _part_label_end(sentence: str) -> int | None:
    """Where the bold label that opens ``sentence`` ends when it names a part of the subject
    ('**The red "petal":**', "**The leaves:**"); None for any other sentence."""
    label = _PART_LABEL.match(sentence)
    if label is None:
        return None
    words = re.sub(r"[^\w\s-]", " ", label["label"]).casefold().split()
    quoted = re.search(r'["“][a-z][\w -]*["”]', label["label"]) is not None
    return label.end() if quoted or (words and words[-1] in PART_NOUNS) else None


_NAMED_KIND = re.compile(  # "shows a dessert called Panna Cotta": a name, not a description
    r"(?i)\s*(?:an?|the)\s+(?:[\w-]+\s+){0,3}?(?:(?:commonly\s+)?(?:called|named|(?:known|referred to)\s+as))\s"
)


def _features_arrow(sentence: str) -> str:
    """``sentence`` with the dash of a terse verdict written as an arrow ("Star-shaped blue
    flowers in a loose raceme — *Camassia quamash*, common camas": features → the Latin name,
    which its gloss follows); unchanged for a name before the dash ("Common bluebell —
    *Hyacinthoides non-scripta*": a name, then its Latin one). Of the same length."""
    dash = _DASH_BEFORE_LATIN.search(sentence)
    lead = _strip_markdown(sentence[: dash.start()]) if dash is not None else ""
    if dash is None or not _FEATURES_BEFORE_DASH.fullmatch(lead) or _IDENT.search(lead):
        return sentence  # nor "..., this is a bleeding heart — *L. s.*": named before the dash
    return f"{sentence[: dash.start()]}→{sentence[dash.end() :]}"


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
        sentence_verdict = bool(_CONCLUSION.match(plain) or _VERDICT.search(plain)) or revises
        if _BACKGROUND.match(plain):
            continue  # "The background is blurred, but it appears to be a garden": the setting
        labelled_part = _part_label_end(sentence)
        sentence = _features_arrow(sentence)
        for m in _IDENT.finditer(sentence):
            before = sentence[max(0, m.start() - _WINDOW) : m.start()]
            after = sentence[m.end() : m.end() + _WINDOW]
            verb = m.group("verb").lower()
            verdict = sentence_verdict or _verdict_before(sentence, m.start())
            origin = verb.endswith("from")  # _FROM_PLANT: "The leaf is from a red oak tree": the
            # plant a part comes from, named in lower case as after "It is a"
            if re.fullmatch(_IN_PICTURE, verb):  # "In the image, a X is sitting": as "shows a X";
                verb = "shows"  # not "in my opinion," nor "in conclusion:"
            negated = _NEGATION.search(before) and not verb.startswith("but")
            if negated or re.match(r"\s*(?:not|n't)\b", after, re.IGNORECASE):
                continue
            if verb in ("are", "were") and _MANY_OF.match(after):
                continue  # "There are hundreds of large-flowered clematis": kinds counted, none named
            candidates = verb in ("are", "were") and _CANDIDATES_SUBJECT.search(before) is not None  # "The
            # two breeds most often confused are the X and the Y": candidates, no verdict
            if verb.startswith("but") and not _NOT_BUT.search(before):
                continue  # "not a Dachshund but a Basset Hound"; any other "but" names nothing
            if verb in ("is this", "is it", "is that") and not _AFFIRMED.match(text, start + m.end()):
                continue  # "Is it a House Finch or a Purple Finch?": a question, unanswered
            if verb in ("instead", "rather") and re.match(r"\s*(?:of|than|like)\b", after):
                continue  # "on the hood instead of a traditional grille": set aside, no verdict;
                # "rather like a X": a likeness, read at "like"
            if verb.endswith(("likely", "probably", "possibly", "perhaps", "maybe")) and re.match(
                r"\s*(?:in|inside|at|on|from|near|taken|located|shot|photographed)\b", after
            ):
                continue  # "a food court, most likely inside a shopping mall": where, not what
            if mentions and _ALIAS_BEFORE.search(before + m.group(0)):
                continue  # "X (...). It is sometimes called a "sea cow"": another name for X
            if verb in ("known as", "called", "named") and _IN_LANGUAGE.match(after):
                continue  # 'known as "padma" in Sanskrit': its name in another language
            if verb in ("toward", "towards") and not _LEANING.search(before):
                continue  # "widens toward the cab windows" names nothing
            if verb in ("specifically", "precisely"):
                after = _REFINING_CLAUSE.sub("", after, count=1)
                if _GENERATION_WORD.match(after.lstrip()):
                    continue  # "X, specifically the fourth-generation ND": a generation of X
            if _SETTING.search(before):
                continue  # "hanging in what looks like a hedgerow": the setting
            plural = (
                verb in PLURAL_VERBS
                or (verb.startswith("to be ") and re.search(r"(?i)\b(?:are|were)\b", before) is not None)
                or (verb == "be" and re.search(r"\b(?:appear|seem)\s+to\s+$", before) is not None)
                or _PLURAL_PREFIX.match(after) is not None
                or _QUANTITY_NAMED.match(after) is not None
                or (verb in DESCRIBING_VERBS and _BARE_PLURAL.match(after) is not None)
                or ((counted := _PLANTS_COUNTED.match(after) or _ANIMALS_COUNTED.match(after)) is not None
                    and counted["first"] not in DESCRIPTIVE)
            )
            correction = (
                verb in ("precisely", "specifically", "rather", "instead") or verb.startswith("to be ")
                or re.fullmatch(_WOULD_CALL, verb) is not None  # "... so I'd call this a X"
                or _CORRECTION.search(before[-40:] + m.group(0)) is not None
                or _CORRECTION_AFTER.match(after) is not None
                or re.search(r"(?i)\blean(?:ing|s)?\s+towards?\s+$", before + m.group(0))
                is not None
            ) and _POSSIBILITY.search(before) is None  # not "it is possible that it is actually"
            correction = correction or (revises and _POSSIBILITY.search(before) is None)
            conditional = _CONDITION.search(before) is not None
            correction = correction and not conditional
            if re.search(r"(?i)\b(?:which|that|those)\s*$", before):
                correction = False  # "the bedding 'geraniums', which are actually *Pelargonium*",
                # "... but those are actually pelargoniums": it corrects the noun before it, not the answer
            ruled_out = (  # not "... rather than plumed over the back point to a X", "... instead of a trunk
                _RULED_OUT_BEFORE.search(before[-60:]) is not None and _DECISIVE.match(verb) is None
                and not verb.casefold().startswith("identif")  # "the streaks rather than spots identify it as a X"
                and _RULED_OUT_BEFORE.search(_CLAUSE_BREAK.split(before[-60:])[-1]) is not None  # - it is a X"
            )
            clause = re.split(r"[,;:—–]|\s-\s", before)[-1]
            subject = re.sub(r"(?i)\s+(?:appears?|seems?)\s+to\s*$", "", clause)  # "The color
            head = re.sub(r"[^\w'-]", " ", subject).casefold().split()[-1:]  # appears to be ..."
            quoted = re.search(r'["“][a-z][\w -]*["”]', clause) is not None  # 'the "flowers" are actually
            # bracts', 'the magenta "petals" you can see are actually papery bracts'
            copula = verb in ("is", "are", "was", "were", "be")
            if re.search(r"(?i)\bif\s+there\b(?:\s+(?:is|are)\b[^,;:]*)?\s*$", clause):
                continue  # "see a doctor if there are symptoms like reflux": a condition, no verdict
            existential = copula and re.fullmatch(r"(?i)(?:\s*|.*\b(?:and|but|so|also|here)\s+)there\s*", clause) is not None  # "There is also
            # a black stripe ...": what the picture holds, named as "shows a X" names it
            looks = verb.startswith(("look", "resembl"))  # "The ears look like ..."; not "the bird with
            likeness = looks or verb == "like"  # white underparts looks like a X"
            owner = re.search(r"(\w+)\s+(?:that|which)\s+$", before) if copula or likeness else None
            part_owner = (head and head[0] in PART_NOUNS and not (looks and len(clause.split()) > 4)) or (
                owner is not None and owner[1].casefold() in PART_NOUNS)  # "stamens that look like pins"
            part_label = labelled_part is not None and m.start() > labelled_part  # '* **The red
            # "petal":** This is actually a spathe': the sentence is about the part its label names
            part = copula and (quoted or bool(part_owner) or part_label)  # "a coat that is steel blue"
            if part and re.match(r"[*_]+[a-z][\w-]*[*_]+", after):
                continue  # "the lobes are **rounded**": a field mark in bold, not a name
            if likeness and part_owner:
                continue  # "a spotted coat like a leopard": a likeness of a part, not of the subject
            bare_word = verb in (
                "it's",
                "that's",
                "answer is",
                "identification is",
                "toward",  # "I'd lean toward nephrite": a leaning (others were passed over)
                "towards",
            ) or verb.startswith(("look", "like", "resembl"))
            bare_word = bare_word or re.fullmatch(_ARROW, verb) is not None  # "→ frangipani."
            bare_word = bare_word or verb.endswith("guess:")  # "If I had to guess: whippet."
            bare_word = bare_word or (  # "... growing in running water. Probably watercress."
                verb.casefold() in ("probably", "likely", "most likely", "possibly", "perhaps", "maybe")
                and not sentence[: m.start()].strip(" *_")  # the hedge opens the sentence
            )
            bare_word = bare_word or (  # "This plant is known as silverbush", "is called gaura"
                verb in ("known as", "called") and re.search(r"(?i)\b(?:is|are)\s+(?:commonly\s+)?$", before) is not None
            )
            bare_word = bare_word or (described and verb in DESCRIBING_VERBS) or origin
            bare_word = bare_word or (  # "The mineral in the photo is amethyst.", "flowers
                verb in ("is", "was", "be", "are", "were")  # which appear to be daffodils"
                and (
                    _SHORT_SUBJECT.fullmatch(clause) is not None
                    or re.search(r"(?i)\b(?:this|it|these|those|which|(?:all|both|each) of which)\s*$", clause)
                    is not None  # "a bunch of small blue flowers, which are forget-me-nots"
                    or re.search(r"(?i)\b(?:which|that)\s+(?:appears?|seems?)\s+to\s+$", clause) is not None
                )
                and not part
            )
            names = _span_names(
                after,
                allow_lowercase=(
                    allow_lowercase or verdict or origin or (correction and verb != "specifically")
                )
                and (described or verb not in DESCRIBING_VERBS)
                and not part,
                plural=plural,
                words_used=words_used,
                bare_word=bare_word,
            )
            if head and head[0] in _PAINT_NOUNS and verb in ("is", "was", "be"):
                names = [n for n in names if n == n.lower()]  # "The color appears to be Titanium
                # Gray": a paint's name; but "The scarlet color is classic **bee balm**"
            apposition = None if names else _APPOSITION.match(after) or _kind_apposition(after)
            if apposition is not None:  # "a large container ship, the Ever Given, ...", "a big
                after = after[apposition.end() :]  # dog, a great dane"
                names = (_apposed_names(after, plural=plural, words_used=words_used)
                         if apposition.re is _KIND_APPOSITION
                         else _span_names(after, allow_lowercase=False, plural=plural,
                                          words_used=words_used))
                names = [  # not "a keeshond, a Dutch spitz breed": a kind the name belongs to
                    n for n in names if not _KIND_AFTER.match(after, max(0, after.find(n)) + len(n))
                ]
            glossed = (  # "a White-winged Crossbill, *Loxia leucoptera*": a name and its Latin
                len(names) == 2 and not _is_binomial(names[0]) and _is_binomial(names[1], marked=True)
                and re.search(r"[*_]" + re.escape(names[1]) + r"[*_]", after) is not None
            )  # name, no hedge; the Latin one keeps the pair, no verdict of its own
            for name in names:
                found = after.lower().find(name.lower())
                rest = after[found + len(name) :] if found >= 0 else ""
                refined = verb.casefold() in ("specifically", "namely", "precisely")
                if _below_name(rest, refined=refined) or re.match(r"[*_]*\s+ones\b", rest):
                    continue  # "specifically the "Audubon's" form", "... the IPL version": a form;
                    # "the taillights are actually the LCI ones": a kind of a part
                lineage = re.match(r"[*_]*\s+([a-z]+)", rest)
                if name.split()[-1] in LINEAGE_NOUNS or (lineage and lineage[1] in LINEAGE_NOUNS):
                    continue  # "typical of the Australian Shepherd side", "the Turkish tradition"
                if copula and re.search(r"(?i)\bthere\s*$", clause) and _described_part(name):
                    continue  # "there is a flat-topped seed pod in the centre": a part, not the subject
                tint = (  # only a coat word needs the words before it looked up
                    name.islower() and name in COAT_WORDS
                    and bool(set(re.findall(r"[a-z]+", before.casefold())) & PART_NOUNS)
                )
                if _patterned_part(name) or tint:
                    continue  # "the giveaway is the **ticked coat**", "the colour is **ruddy**": a
                    # part or its colour, not the subject; but "This is a chinchilla."
                mentions.append(
                    _Mention(
                        start + m.start(),
                        name,
                        index,
                        verdict,
                        correction,
                        ruled_out
                        or (conditional and re.search(r"(?i)(?:'d|\bwould)\s+$", before) is not None)  # "If it
                        # had a Dodge badge, it'd be a X": what it would be, and is not
                        or _RULED_OUT_AFTER.match(rest) is not None
                        or _KIND_LIKE.match(rest) is not None  # "a Japanese spitz-type dog"
                        or _TAXON_AFTER.match(rest) is not None,
                        described=(verb in DESCRIBING_VERBS or existential) and not _NAMED_KIND.match(after),
                        decisive=_DECISIVE.match(verb) is not None
                        and _HEDGED.search(before) is None and not conditional,
                        alternatives=() if glossed and name == names[0] else tuple(names) if len(names) > 1 else (),
                        resembles=_LIKENESS_VERB.match(verb) is not None,
                        conceded=_HEDGED.search(before) is not None or conditional or candidates
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


_QUESTION_WORD = re.compile(r"(?i)\W*(?:why|how|what|which|where|who|when)\b")


def _closes_thoughts(text: str, line_start: int) -> bool:
    """True when only blank space stands between "</think>" and the line at `line_start`."""
    end = text.rfind("</think>", 0, line_start)
    return end >= 0 and text[end + len("</think>") : line_start].isspace()


def _bold_names(text: str, *, structured: bool) -> list[_Mention]:
    """Bold spans that are names; headings ("**Coloration**:", "### **Key Features**",
    "**Step 1: ...**") and lower-case phrases are skipped. In a structured answer a bold
    line of its own is a heading unless it closes the answer (then it is the verdict)."""
    mentions = []
    last_line = text.rstrip().rsplit("\n", 1)[-1].strip()
    key_rows = _key_table_rows(text)
    for m in _BOLD.finditer(text):
        inner = m.group("a") or m.group("b") or ""
        line_start = text.rfind("\n", 0, m.start()) + 1
        line_end = text.find("\n", m.end())
        line = text[line_start : len(text) if line_end < 0 else line_end]
        if text[m.end() : m.end() + 4].lstrip(" *_").startswith((":", "：")) and not re.search(
            r"(?i)(?:^|\s)(?:an?|the)(?:\s+[\w-]+){0,3}\s+$", text[line_start : m.start()]
        ):  # "**Coloration**:" labels; "A solid black **Newfoundland**: giant size" names
            continue
        if ":" in inner or re.match(r"(?i)\W*(?:step\s*\d|\d+(?:\s*[.):\-–]|\s*$))", inner):
            continue  # "**Step 2**", "**1.**", "**3) Bill**"; not "**2012 Buick Verano Sedan**"
        if inner.rstrip(" *_").endswith("?") or _QUESTION_WORD.match(inner):
            continue  # "**Why Merino?**", "**How to tell:**": a question heading
        if _FIELD_MARK_ITEM.match(inner):
            continue  # "**Massive, pale conical bill**": a field mark
        if line_start in key_rows:
            continue  # "| **Common Name** | Crown-of-thorns starfish |": a field's key

        if text[line_start : m.start()].lstrip().startswith("#"):
            continue
        if re.search(
            r"\b(?:genus|family|subfamily|order)\s*\(?\s*$", text[max(0, m.start() - 12) : m.start()]
        ) or _TAXON_AFTER.match(text[m.end() : m.end() + 16]):
            continue  # "the family **Acanthuridae**", "the **Acanthuridae** family", "the cuckoo family (**Cuculidae**)"
        headline = _LATIN_AFTER_DASH.match(inner)  # "**Tree poppy — *Romneya coulteri***"
        name = _clean_name(headline.group("name") if headline else inner)
        if name is None:
            continue
        own_line = line.strip(" \t*_.-#") == inner.strip(" *_.")
        if _section_title(name) and not _LATIN_IN_BRACKETS.match(text, m.end()):
            continue  # "**Analyzing the Dog's Build**"; not "**Bleeding Heart** (*Lamprocapnos*)"
        opens = (  # "**California poppy** (*Eschscholzia californica*) — ...", "**Yellow
            text[: m.start()].strip(" \t\n#>*_") == ""  # flag** iris (*Iris ...*)": the answer
            and re.match(  # "**Pulmonary nodule** in the right mid zone."
                r"[*_]*(?:\s+[a-z]+|\s+(?:in|on|at|near|with|from)\s+[^.!?\n]{1,60})?\s*(?:[(—–.,;]|\s[-–]\s|$)",
                text[m.end() :],
            )
            is not None
        )
        introduced = (  # "A **daffodil** (...)", "I'd call this an **oxeye daisy**."
            line_start == 0 and _ARTICLE_LEAD.fullmatch(text[: m.start()]) is not None
        )
        named = _NAMED_BEFORE.search(text[max(line_start, m.start() - 80) : m.start()]) is not None
        bare_line = _PARENS.sub("", line).strip(" \t*_.-#") == inner.strip(" *_.")
        latin_line = bare_line and _LATIN_IN_BRACKETS.match(text, m.end()) is not None  # "**X** (*Y z*)."
        plain_name = (own_line or latin_line or opens or introduced or named) and _plain_name(name)
        if not (_title_case(name) or _is_binomial(name) or plain_name):
            continue
        closing = (  # the answer's last line, maybe with the Latin name: "**X** (*Y z*)"
            bare_line
            and line.strip() == last_line
            and not _LIST_ITEM.match(line)
        ) or (own_line and _closes_thoughts(text, line_start))  # the answer's first line after
        # a reasoning model's thoughts
        next_line = text[len(text) if line_end < 0 else line_end :].lstrip("\n").split("\n", 1)[0]
        heads_list = own_line and _LIST_ITEM.match(next_line) is not None
        glossed = headline or _LATIN_IN_PARENS.fullmatch(inner)  # "**Sunflower (*Helianthus x*)**"
        heading = own_line and not closing and (structured or heads_list)
        heading = heading and not (  # "**2012 McLaren MP4-12C**\n\n- Swoosh headlights ...": the answer,
            (glossed or (
                _CANDIDATE_HEADER.search(inner) is None  # then its marks; but "**Top-3**\n1. X (44%)"
                and (not structured or (_title_case(name) and re.search(r"\d", name) and not _section_title(name)))
            ))  # heads the candidates; in a structured answer a name with a model number ("**Boeing
            # 777-300ER**") over its marks, not "**Key Features**"
            and text[: m.start()].strip(" \t\n#>") == ""
        )
        candidate = (  # "**Connecticut Warbler** – Gray hood, ...": one candidate of several
            text[line_start : m.start()].strip(" \t-*+•") == ""
            and re.match(r"[*_]*\s*(?:[–—]|-\s|:)", text[m.end() :]) is not None
        )
        clause = re.split(r"[.!?;:—–\n]|\s-\s", text[line_start : m.start()])[-1].replace("*", "")
        negated = (  # "Not a **Summer Tanager** or a **Northern Cardinal** — ...", "rather than a **X**"
            _NOT_A.match(clause) is not None or _RULED_OUT_BEFORE.search(clause[-60:]) is not None
        )
        mentions.append(
            _Mention(m.start(), name, conclusion=closing, heading=heading, listed=candidate,
                     ruled_out=negated or _KIND_LIKE.match(text, m.end()) is not None)
        )
    return mentions


_NOT_A = re.compile(r"(?i)\s*(?:(?:it|this|that)(?:'s|\s+is)\s+)?not\s+(?:an?|the)\s")


_KEY_CELL = re.compile(
    r"^[ \t]*\|[ \t]*\*\*(?P<key>[^*|\n]+)\*\*[ \t]*\|[^|\n]*[^\W\d][^|\n]*\|[ \t]*$", re.MULTILINE
)


def _key_table_rows(text: str) -> frozenset[int]:
    """Where the rows of a two-column table of fields keyed in bold start, in a table one of
    whose keys names ("| **Common Name** | X |", "| **Species** | X |", "| **Model** | X |"): the
    keys are no names, whatever else they key ("| **Group** | Sea star |", "| **Arms** | Many |")."""
    rows: set[int] = set()
    for block in re.finditer(r"(?:^[ \t]*\|[^\n]*(?:\n|$))+", text, re.MULTILINE):
        keyed = list(_KEY_CELL.finditer(block.group(0)))
        keys = [_field_key(m.group("key").rstrip(" :")) for m in keyed]
        if _ATTRIBUTE_HEAD.match(block.group(0)) or any(
            k.endswith(("name", "species", "breed", "model"))
            or k in ("identification", "id", "brand", "make") for k in keys
        ):
            rows |= {block.start() + m.start() for m in keyed}
    return frozenset(rows)


_ATTRIBUTE_HEAD = re.compile(  # "| Attribute | Details |": the first column holds the keys
    r"(?i)[ \t]*\|[ \t*_]*(?:attribute|feature|field|property|characteristic|detail|aspect|key|item)s?"
    r"[ \t*_]*\|"
)


_NAMED_BEFORE = re.compile(  # what says a bold phrase in lower case is the verdict:
    r"(?i)(?:identify (?:this|it) as|(?:revise|change)[sd]? my (?:impression|answer) to|"  # "So I'd
    r"(?:this|it) is (?:most likely |probably |likely )?(?:damage from )?|consistent with|"  # identify
    + _REPORT_CUES
    + r"|caused by|affected by|diagnosis (?:is|of)|"
    r"(?:is|'s|are) (?:actually |really |in fact )?an? [a-z-]+\s*[:—–])"  # "is actually a moth: the"
    r"\s+(?:(?:an?|the)\s+)?$"  # this as **smooth muscle**"
)
_LATIN_AFTER_DASH = re.compile(r"(?P<name>[^*_—–]+?)\s+[—–-]\s+[*_]+[A-Z][a-z]+\b.*", re.DOTALL)
_LATIN_IN_PARENS = re.compile(r"[^*_()]+?\s*\(\s*[*_]+[A-Z][a-z]+\b[^()]*\)\s*")
_ARTICLE_LEAD = re.compile(  # "I'd call this an ", "C'est une ", "Es un ", "Das ist ein ", "Il
    r"(?i)\s*(?:[\w'’]+\s+){0,5}?(?:an?|the|une?|una|ein|eine|einen|d['’]une?|uma?)\s+"  # s'agit d'un "
)


def _section_title(name: str) -> bool:
    """True for a bold span that titles a section: it opens with a gerund ("Analyzing the
    Dog's Build", "Ruling Out Options", "Combining") or ends with a section noun ("Initial
    Observations")."""
    words = name.casefold().split()
    if not words:
        return False  # "#  ": a heading mark with no title
    gerund = len(words[0]) > 5 and words[0].endswith("ing") and words[0] not in ING_NAMES
    return gerund or words[-1] in SECTION_NOUNS


_CANDIDATE_HEADER = re.compile(
    r"(?i)\b(?:candidates?|guess(?:es)?|predictions?|possibilit(?:y|ies)|options?|matches|"
    r"top[- ]?\d|top (?:three|five|choices|picks)|ranked|ranking|possible|alternatives?)\b"
)
_TRAILING_SCORE = re.compile(  # "Brittany 70%", "brittany 0.7", "Brittany (.70)", "Brittany: 0.7"
    r"(?:\s*[:：])?\s+[(\[]?(?:\d{1,3}(?:\.\d+)?\s*%|0?\.\d+|1\.0+)[)\]]?\s*$"
)
_CONFIDENCE = re.compile(r"(?i)\d\s*%|\bconfidence\b|\bprobability\b")


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
        score = _TRAILING_SCORE.search(item)
        label = item[: score.start()].strip() if score is not None else ""
        if label and len(label.split()) <= 2 and _META_LABEL.match(label):
            continue  # "- confidence: 0.55": a field of the answer, no candidate
        candidates = (
            m.re is _TABLE_ROW
            or _CANDIDATE_HEADER.search(header) is not None
            or bool(_CONFIDENCE.search(item) or score)
        )
        item = _TRAILING_SCORE.sub("", item)
        parts = re.split(r"(\s[-–—]\s|[:：]|\s\(|,\s|;)", item, maxsplit=1)
        labelled = re.match(r"[^:：(]{1,60}(?:\([^()]{0,40}\))?\s*[:：]", item) is not None
        if len(parts) > 1 and labelled and not candidates:
            continue  # "1. **Throat (Gorget)**: ruby-red": a field mark, not a candidate
        if labelled and len(parts[0].split()) <= 2 and _META_LABEL.match(parts[0]):
            continue  # "- confidence: 0.55", "- Year range: 2008-2014": a field, not a name
        if _FIELD_MARK_ITEM.match(item) or (_FEATURE_HEADER.search(header) and not candidates):
            continue  # "- Thick-based, deep red bill", "- **Massive, pale conical bill**"; the
            # items under "Key features:" ("4. Red iris")
        name = _clean_name(parts[0])
        if name is None or len(name.split()) > hygiene._NAME_WORDS_MAX:
            continue
        if _title_case(name) or _is_binomial(name) or (candidates and _plain_name(name)):
            mentions.append(_Mention(m.start(), name, listed=True))
    return mentions


_FEATURE_HEADER = re.compile(  # a list's header that says its items are marks, not names
    r"(?i)\b(?:features?|field marks?|key marks?|marks|traits?|characteristics|observations?|clues?|findings)"
    r"(?:\s+(?:present|seen|observed|visible|noted|here))?\s*[:：]?\s*[*_]*$"  # "**Dermoscopic features present:**"
)
_FIELD_MARK_ITEM = re.compile(  # a capitalised word, then the part it describes
    r"\s*[A-Z][\w-]*,\s+(?:[a-z][\w-]*,?\s+){0,4}(?:" + "|".join(sorted(PART_NOUNS)) + r")s?\b"
)
#: an item labelled by a field that holds no name ("Confidence", "Year range"; not "Sage")
_META_LABEL = re.compile(r"(?i)\W*(?:" + _JSON_META_KEY.pattern.removeprefix("(?i)") + ")")
_TABLE_ROW = re.compile(r"(?m)^[ \t]*\|[ \t]*#?\d+[.)]?[ \t]*\|[ \t]*(?P<item>[^|\n]+?)[ \t]*\|")


def _list_items(text: str) -> list[re.Match[str]]:
    """List items and ranked table rows ("| 1 | Horned Puffin |"), in order."""
    items = list(_LIST_ITEM.finditer(text)) + list(_TABLE_ROW.finditer(text))
    return sorted(items, key=lambda m: m.start())


_GLOSSED_LINE = re.compile(r"[\s*_]*(?P<short>[^()*_]+?)[\s*_]*\(\s*(?P<full>[^()*_]+?)\s*\)[\s.!]*")


_TWO_SENTENCES = re.compile(r"[!?]\s+\S|[。！？]\s*\S")


def _short_answer(text: str, *, whole: bool = False) -> str | None:
    """The whole answer as a name, when it is one short line that reads as a name: Title
    Case ("Horned Puffin", "Fratercula corniculata" too) or a few plain words
    ("golden retriever"), not a sentence. ``whole``: ``text`` is the entire answer, whose
    name may be placed ("Pied-billed Grebe in winter plumage"; not a field's value, "Title:
    Jack Russell Terrier at the beach")."""
    lines = [ln for ln in text.strip().splitlines() if ln.strip()]
    if len(lines) != 1 or len(_PARENS.sub(" ", lines[0]).split()) > 6:
        return None
    if lines[0].rstrip(" *_").endswith((":", "：")):
        return None  # "My notes:": a line that leads into what follows
    if _TWO_SENTENCES.search(lines[0]):
        return None  # "A Russian Blue! Lovely cat.", "この車は...です。2012年式...": two sentences
    glossed = _GLOSSED_LINE.fullmatch(lines[0])
    if glossed is not None and _nickname_of(glossed["short"], glossed["full"]):
        return _clean_name(glossed["full"])  # "Yorkie (Yorkshire Terrier)."
    line = lines[0]
    counted = _COUNT.match(line)  # "two Basenjis.": one Basenji; not "Three Toed Woodpecker"
    if counted is not None and _one_of(line[counted.end() :].rstrip(" .!")) != line[counted.end() :].rstrip(" .!"):
        line = line[counted.end() :]
    else:
        counted = None
    bare = re.sub(r"(?i)^\s*(?:an?|the)\s+", "", line)
    if (held := _HELD_OF.match(bare)) is not None:  # "A bowl of pho.", "a bottle of Heineken": what it holds
        line = bare = bare[held.end() :]
    painted = _PAINTED.match(bare) and not _plural_word(bare.rstrip(" .!").split()[-1])  # "a large black
    led = ", " in bare or _TINT.match(bare) or _QUANTITY_OF.match(bare) or painted  # newfoundland dog"
    if line == line.lower() and led:  # "a silver honda accord coupe", "a bunch of sweet
        lower, _ = _leading_name(bare, allow_lowercase=True)  # williams", "pink primrose,
        if lower and _QUANTITY_OF.match(bare) and _plural_word(lower.split()[-1]):  # oenothera
            lower = _singular(lower, frozenset())  # speciosa"; "a field of sunflowers": one
        line = lower or line
    name = _clean_name(line)
    if name is None or ":" in name or re.search(_ARROW, name):
        return None  # "Star petals → frangipani": features, then the name
    words = name.split()
    run, after = _capitalised_run(name)
    before_comma = run is not None and (  # "Border Collie, a herding dog", "Gazania, or
        after.startswith(", or ") or (" " in run and after.startswith(","))  # treasure flower";
    )  # not "Aww, what a cutie"
    placed = whole and run is not None and _PLACED_TAIL.match(after) is not None and _clean_name(run) is not None
    kind = _KIND_TAIL.fullmatch(after)  # "IKEA BILLY bookcase, white", "Estée Lauder Advanced Night Repair serum"
    kinded = whole and run is not None and len(run.split()) > 1 and kind is not None and not (
        set(kind["words"].casefold().split()) & (FUNCTION_WORDS | CLAUSE_WORDS)
    ) and name == run + after  # not "*Pinus nigra* subsp. laricio": the run ended at a full stop
    other = re.fullmatch(r"\s+or\s+(?P<rest>.+?)[.!]?", after) if run is not None else None
    either = other is not None and _title_case(other["rest"]) and _capitalised_run(other["rest"])[0] == other["rest"]
    latin = run is not None and (tail := _capitalised_run(after)[0]) is not None and _is_binomial(tail)  # "CACTUS
    # WREN Campylorhynchus brunneicapillus": the name, then its Latin name
    if run == name or (run and (_PARTICIPLE_TAIL.fullmatch(after) or before_comma or placed or kinded or either or latin)):
        return _one_of(run) if counted is not None else run  # "Horned Puffin", "Humpback
        # whale breaching", "Pied-billed Grebe in winter plumage", "Siamese or Balinese"
    plain = len(words) <= 4 and "," not in name and not any(w.casefold() in FUNCTION_WORDS for w in words)
    acting = re.search(r"\b[a-z]{3,}ing\s+(?:an?|the)\s", name)  # "a pug wearing a sweater"
    return name if plain and (acting is None or not _participle(acting.group(0).split()[0])) else None


_WHERE = r"over|under|among|amid|above|below|beside|behind|along|across|through|atop"  # "... over the tundra"
_PLACED_TAIL = re.compile(r"\s+(?:in|on|at|with|from|near|during|" + _WHERE + r")\s+[a-z]")  # "... in winter plumage"
_KIND_TAIL = re.compile(r"\s+(?P<words>(?:[a-z0-9][\w-]*\s+){0,2}[a-z][\w-]*)(?:\s*,[^,\n]{1,40})?[.!]?\s*")
_BARE_PHRASE = re.compile(
    r"\s*(?P<article>(?:an?|the|A|An|The|(?i:two|three|four|several))\s+)?(?P<rest>[^.!?;:\n]{3,160})"
)


_PLACE_FIRST = re.compile(  # a caption that says where before what: "In the water near some rocks, "
    r"(?:\s*(?:on|in|at|near|against|under|among|beside|along|inside|above|over|behind|atop|amid)\s+"
    r"(?:an?|the|some)\s+[^,.!?:;\n]{1,60},\s+(?=(?:an?|the|two|three|four|several)\s))?",
    re.IGNORECASE,
)
_EXCLAIMED = re.compile(r"[*_]*!")  # a remark on the picture before the answer: "Nice photo!"


def _bare_phrase(text: str) -> str | None:
    """The name of an answer that opens with a noun phrase and no verb: "a red poppy in a
    field", "A black Cadillac Escalade EXT crew cab.", "white garden phlox"; None when the
    name leads a sentence ("a keeshond is ...") or no name leads it."""
    m = _BARE_PHRASE.match(text, _PLACE_FIRST.match(text).end())  # "On a fence post, a male X."
    verb = _IDENT.search(m["rest"].split(",")[0]) if m is not None else None
    if verb is not None and _POSED.match(m["rest"], verb.end()):
        verb = None  # "the mini cooper is parked by the curb": a caption
    if m is None or _FUNCTION_LEAD.match(m.group("rest")) or verb is not None:
        return None  # "The leaves show X": a sentence; but "a X, also called Y" is a phrase
    rest = m.group("rest")
    lead = rest.split()[0] if rest.strip() else ""
    if lead.casefold() in TINTS and rest[len(lead) :] == rest[len(lead) :].lower():
        rest = rest[0].lower() + rest[1:]  # "Yellow and orange snapdragons in a flower bed."
        lead = lead.lower()
    if not m.group("article") and lead[:1].isupper() and lead.casefold() not in FUNCTION_WORDS \
            and rest[1:] == rest[1:].lower():
        lowered, tail = _leading_name(rest.lower(), allow_lowercase=True)  # "Morning glory flowers
        if lowered is not None and (len(lowered.split()) > 1 or _CATEGORY_AFTER.match(tail)):  # on a
            rest, lead = rest[0].lower() + rest[1:], lead.lower()  # fence.", "Tulip flowers in a
            # vase": a name in lower case but for the sentence's capital
    caption = (  # "Pileated woodpecker on a tree trunk.", "Loewe Puzzle bag (small), in tan"
        lead[:1].isupper()
        and lead.casefold() not in FUNCTION_WORDS
        and lead.casefold() not in ("my", "our", "your", "his", "her", "their")  # "My notes:"
        and not (re.search(r"(?:ing|ly|ed)$", lead) and "-" not in lead)
    )  # "Looking at ...", "Perched on ..."; but "Long-tailed jaeger over the tundra" names its bird
    if not lead or not (m.group("article") or lead.islower() or re.fullmatch(_YEAR, lead) or caption):
        return None  # "To determine the species, ...", "At first glance, ...": a sentence
    quantity = _QUANTITY_OF.match(rest) or _HELD_OF.match(rest)  # "a flock of cedar waxwings
    # perched on a branch", "A can of Pepsi Max."
    name, after = _leading_name(rest[quantity.end() :] if quantity else rest, allow_lowercase=True)
    if not (m.group("article") or lead.islower() or re.fullmatch(_YEAR, lead)) and not (
        name is not None and len(name.split()) > 1 and _CAPTION_TAIL.match(after)
    ):
        return None  # a capitalised caption names its subject in words, then places it; not
        # "Sterile rosette only.", "Bracket on hardwood" (field notes that decline)
    if _EXCLAIMED.match(text, m.end("rest")) and text[m.end("rest") :].strip(" *_!") and not (
        name is not None and " " in name and _title_case(name)
    ):
        return None  # "Nice photo! The pale blue flower ... is love-in-a-mist": a remark; not "a
        # Russian Blue! Silvery coat, ...": a name in capitals, exclaimed
    predicate = _PREDICATE.match(after)
    posed = predicate is not None and _POSED.match(after, predicate.end()) is not None
    if predicate is not None and not posed:
        return None  # "a keeshond is ...": a sentence about the name, left to the verdict
        # rules; but "the mini cooper is parked by the curb" is a caption
    appositive = re.match(r"[^,]{0,40},\s+(?:the|an?)\s+(?=[A-Z])", after)
    if appositive is not None:  # "A regional turboprop airliner, the ATR 72."
        run, _ = _capitalised_run(after[appositive.end() :])
        return _clean_name(run) if run is not None else None
    if (kind := _kind_apposition(text)) is not None:  # "a small brown dog, a chihuahua"
        named = _apposed_names(text[kind.end() :], plural=False, words_used=frozenset())
        return named[0] if named else None
    scene = name is not None and " and " not in name and name.split()[-1].casefold() in SCENE_WORDS
    if scene:  # "a vase filled with tulips", "a woman holding a bouquet of peonies": what it holds
        held = _HOLDING.search(after)
        inner = _PREFIX.sub("", after[held.end() :], count=1) if held is not None else ""
        held_name, _ = _leading_name(inner, allow_lowercase=True)
        return _singular(held_name, frozenset()) if held_name is not None else None
    if name is not None and len(name.split()) == 1 and _adjective_like(name):
        return None
    one = quantity is None and (m.group("article") or "").strip().casefold() in ("a", "an")
    if name is not None and name == name.lower() and _plural_word(name.split()[-1]) and not one:
        return _singular(name, frozenset())  # "pink and white sweet peas"; not "a great
        # pyrenees lying in the snow", "a cosmos in a field": one, whatever its last letter
    counted = (m.group("article") is not None and _COUNT.match(text, m.start("article"))) or (
        re.match(_QUANTITY + r"\s", rest, re.IGNORECASE) is not None)  # "A pair of Mallards on a pond"
    return _one_of(name) if name is not None and counted else name  # "two Pugs on a couch"


_CAPTION_TAIL = re.compile(  # what follows a caption's name: a few plain words ("bag", "router combo
    r"\s*(?:[a-z][\w-]*\s+){0,3}?(?:[(,.]|$|(?:in|on|at|with|by|from|near|during|against|" + _WHERE + r")\s)"
)  # kit"), then a bracket, a comma, the end or a place
_CLOSING_BRACKET = re.compile(r"\((?P<name>[^()\n]{2,60})\)[\s.!]*$")
_CLOSING_TAG = re.compile(  # a captioner's one-line caption with the name as a tag after it
    r"^(?:an?|the)\s[^\n]{3,150},\s+(?P<name>[A-Z][\w'-]*(?:\s+[A-Z][\w'-]*){0,2})[\s.!]*$", re.IGNORECASE
)


def _closing_bracket(text: str) -> str | None:
    """The name a one-paragraph description closes with in brackets ("A small brown bird
    spiralling up a trunk (brown creeper).") or, in a one-line caption, after a comma ("A fawn
    and white puppy, Boxer."); None when they hold no plain name."""
    text = text.strip()
    tag = _CLOSING_TAG.match(text)
    m = _CLOSING_BRACKET.search(text) or (tag if tag is not None and _title_case(tag["name"]) else None)
    if m is None or "\n\n" in text or _IDENT.search(text, max(0, m.start() - 60), m.start()):
        return None  # not "... typical of an american redstart (setophaga ruticilla)."
    name = _clean_name(m.group("name"))
    if name is None or not (_title_case(name) or _plain_name(name)) or _is_binomial(name):
        return None
    return None if _adjective_like(name.split()[-1]) or _coat_word(name.split()[-1]) else name


_BRACKETED_BINOMIAL = re.compile(r"\(\s*[*_]*(?P<latin>[A-Z][a-z]{2,} [a-z][a-z-]{2,})[*_]*\s*\)")


def _glossing_binomial(text: str) -> str | None:
    """The lower-case name that a bracketed Latin binomial glosses, where nothing else names
    the subject ("The small white flowers belong to watercress (*Nasturtium officinale*).",
    "That's classic shagbark hickory (Carya ovata)."): up to three lower-case words before
    the bracket, past the words that lead into a name ("classic", "a")."""
    for m in _BRACKETED_BINOMIAL.finditer(text):
        if not _is_binomial(m.group("latin"), marked=True):
            continue
        known = _KNOWN_AS_END.search(text, max(0, m.start() - 80), m.start())
        words = known["name"].split() if known is not None else []
        core = [w for w in words if w not in _JOINING_WORDS]  # "love in the mist", "jack-in-the-pulpit"
        if words and core == [*words[:1], *core[1:-1], *words[-1:]] and _plain_name(" ".join(core)):
            return _clean_name(known["name"])  # "commonly known as love in the mist (Nigella
            # damascena)": the whole name it glosses
        words = re.split(r"\s+", text[max(0, m.start() - 80) : m.start()].strip())
        lead = []
        for word in reversed(words[-3:]):
            if not re.fullmatch(r"[a-z][a-z'-]+", word) or word in FUNCTION_WORDS | CLAUSE_WORDS:
                break
            lead.insert(0, word)
        name = _PREFIX.sub("", " ".join(lead), count=1)
        if name and _plain_name(name) and not _adjective_like(name.split()[-1]):
            return _clean_name(name)
    return None


_KNOWN_AS_END = re.compile(
    r"(?i)\b(?:known|referred to) as\s+(?-i:(?P<name>[a-z][a-z'-]*(?:\s+[a-z][a-z'-]*){0,4}))\s*$"
)
_JOINING_WORDS = frozenset({"in", "on", "at", "of", "the", "a"})  # inside a name: "love in the mist"
_PREDICATE = re.compile(r"[\s*_]*(?:is|are|was|were|looks?|appears?|seems?|has|have|can)\b")
_POSED = re.compile(r"\s*" + _POSED_VERBS)  # "is parked outside", "are sitting on"
_FUNCTION_LEAD = re.compile(r"(?i)(?:i|it|this|these|that|there|here|we|you)\b")


def _slash_names(text: str) -> list[str]:
    """The names of a one-line answer that gives synonyms between slashes ("Hen of the woods
    / maitake (Grifola frondosa)"), in order; [] unless every part reads as a short name."""
    lines = [ln for ln in text.strip().splitlines() if ln.strip()]
    if len(lines) != 1 or _IDENT.search(lines[0]):
        return []
    head = re.split(r"[.!?](?:\s|$)|\s[-–—]\s|[—–]", lines[0], maxsplit=1)[0]  # "A / B — *L*."
    parts = re.split(r"\s+/\s+", head)
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


_LIKELIEST = re.compile(
    r"(?:(?P<name>(?:[A-Z][\w'-]*\s+){0,4}[A-Z][\w'-]*)|\*\*(?P<bold>[a-z][\w' -]{1,50}?)\*\*)[*_]*\s+"  # "**common
    r"(?:seems|is|looks|appears)\s+"  # mallow** is the more likely of the two"
    r"(?:the\s+)?(?:(?:most|more) (?:likely|probable)|likeliest|(?:best|better) (?:fit|match))"
    r"\b(?!\s+to\b)"
)  # "..., the Willow Emerald seems more likely"; not "is more likely to perch"


def _likeliest(text: str) -> list[_Mention]:
    """Names the answer weighs as the likeliest after naming them ("..., American Crow seems
    most likely."): decisive verdicts."""
    out = []
    for m in _LIKELIEST.finditer(text):
        words = (m.group("name") or m.group("bold")).split()
        while words and words[0].casefold() in OPENERS | FUNCTION_WORDS:
            words = words[1:]  # "Overall American Crow ..."
        name = _clean_name(" ".join(words)) if words else None
        if name is not None and any(ch.isdigit() for ch in name):  # "the A340-300 is more
            # likely" after "an Airbus A340-300": the model with its make
            fuller = re.findall(r"(?:[A-Z][\w'-]*\s+){1,3}" + re.escape(name) + r"\b", text[: m.start()])
            name = max(fuller, key=len) if fuller else name
        if name is not None:
            out.append(_Mention(m.start(), name, decisive=True, conclusion=True))
    return out


_KIND_AFTER = re.compile(r"[*_]*\s+(?:breed|species|variety|cultivar|type|kind|family|group)s?\b")
_IN_LANGUAGE = re.compile(  # 'known as "padma" in Sanskrit'
    r"""\s*["“']?[^\s"”',.]+(?:\s+[^\s"”',.]+){0,2}["”']?\s+in\s+"""
    r"(?:[A-Z][a-z]+(?:ese|ish|ian|ic|an|i)|Sanskrit|Latin|Greek|Thai|Dutch|French|Hebrew|Tagalog|Swahili)\b"
)
_HOLDING = re.compile(  # what a scene's person or thing holds or stands by: "a man standing next to a X"
    r"\b(?:with|of|holding|including|full of|next to|beside|in front of|driving|leaning on)\s+(?=\S)"
)
_BODY_TAIL = re.compile(  # a body style in lower case after a make and model, closing the name
    r"[ \t]+(?:station[ \t]+)?(?:" + "|".join(sorted(BODY_STYLES)) + r")(?=[ \t]*(?:[,;.!?]|$))"
)
_ALIAS_AFTER = re.compile(r",\s+(?:also|commonly|or|aka|otherwise)\b")
_QUALIFIER_AFTER = re.compile(  # "Bobolink, breeding male", "Pomeranian, orange coat"
    rf",\s+(?:an?\s+)?(?:{_SEX_AGE}|young|first-(?:year|winter|summer)|{_COLOURS})\b"
)


_NAME_THEN_LATIN = re.compile(  # a name in sentence case, its Latin name after a dash in italics
    r"(?P<name>(?:An?\s+[a-z][a-z'-]+(?:\s+[a-z][a-z'-]+)?|[A-Z][a-z'-]+(?:\s+[a-z][a-z'-]+){0,4}))"  # or in
    r"\s*(?:[—–]\s*[*_]+|\(\s*[*_]*)"  # brackets; "A carnation (*Dianthus caryophyllus*).", not "The
    r"[A-Z][a-z]+\s+[a-z×-]+"  # image shows chaga (Inonotus obliquus)"
)
_ENTRY_HEADING = re.compile(  # a field guide's entry opens on a line of its name, set apart from the
    r"(?P<name>[A-Z][\w'’-]*(?:[ \t]+[A-Za-z][\w'’-]*){0,4}?)(?P<gap>[ \t]+)[A-Z][a-z]+[ \t]+(?P<epithet>[a-z]{3,})"
    r"(?:[ \t]+[^a-z\n]{0,20})?[ \t.]*"  # Latin name by two spaces or in capitals, and a length:
)  # "BROWN CREEPER  Certhia americana  L 5¼\"", "Chuck-will's-widow  Antrostomus carolinensis"


def _patterned_part(name: str) -> bool:
    """True for a part of the subject in lower case after a participle ("ticked coat",
    "tufted ears"); not "shaggy ink cap"."""
    words = name.split()
    return len(words) == 2 and words[-1] in PART_NOUNS and re.fullmatch(r"[a-z]+(?:-[a-z]+)?ed", words[0]) is not None


def _described_part(name: str) -> bool:
    """True for a part of the subject with a shape or size before it ("flat-topped seed pod",
    "large central disc"); not "white nissan leaf" (a paint, then a name)."""
    words = name.split()
    first = words[0].casefold()
    return len(words) > 1 and words[-1] in PART_NOUNS and (
        first in (DESCRIPTIVE | ADJECTIVES) - TINTS or re.fullmatch(r"[a-z]+-[a-z]+ed", first) is not None
    )


_EMPHATIC_AFTER = re.compile(r",\s*" + _EMPHATIC + r"\b")


def _named_before_comma(word: str, after: str) -> bool:
    """True when the comma that opens ``after`` follows a one-word name ``word``, not an
    adverb ("First, ..."): another name of it follows ("Celosia, also known as cockscomb."),
    an emphasis ("Bengal, full stop."), its sex or age ("Bobolink, breeding male: ..."), or the
    words an alpha code stands for ("BTBW, Black-throated Blue Warbler (...)")."""
    if _ALIAS_AFTER.match(after) or _EMPHATIC_AFTER.match(after):
        return True
    if _QUALIFIER_AFTER.match(after):
        return word.casefold() not in OPENERS and not _adverb(word.casefold())  # not "Sadly, ..."
    spelled, _ = _capitalised_run(after[1:].lstrip())
    return spelled is not None and _acronym_of(word, spelled)


def _opening_name(text: str) -> _Mention | None:
    """A name that opens the answer without an identifying phrase ("Douglas DC-3 aircraft,
    or possibly ...", "Fly agaric mushroom, ..."): a run of capitalised words, not a sentence
    opener, followed by a clause boundary (not a heading colon)."""
    heading = re.match(r"\s*#{1,6}[ \t]+(?P<title>[^\n]+)", text)  # "### Candidates Considered"
    title = heading.group("title") if heading is not None else ""
    glossed = _BRACKETED_BINOMIAL.search(title) is not None  # "# Burning bush (*Euonymus alatus*)"
    if title and not glossed and (_section_title(title.strip(" *_")) or _CANDIDATE_HEADER.search(title)):
        return None  # a section heading opens the answer; "## Chrysler 300 SRT-8" is the name
    first_line = text.lstrip(" \t\n#>*_").split("\n", 1)[0]
    first_line = re.sub(r"^(?:An?|The)\s+(?=[*_]*[A-Z0-9])", "", first_line)  # "A Boeing 777, ..."
    if first_line.rstrip(" *_").endswith((":", "：")):
        return None
    glossed_name = _NAME_THEN_LATIN.match(first_line)
    article = glossed_name is not None and re.match(r"An?\s", glossed_name["name"]) is not None
    if first_line.split(" ", 1)[0].casefold().strip(_EDGE_PUNCT) in OPENERS and not article:
        return None  # "The image shows chaga (...)"; not "A carnation (*Dianthus caryophyllus*)."
    if re.match(r"[^.!?\n]{1,80}\sor\s[^.!?\n]{1,40}\?", first_line):
        return None  # "Birman or Ragdoll? I'd go with Ragdoll": a choice asked, answered after it
    entry = _ENTRY_HEADING.fullmatch(first_line) if "\n" in text.strip() else None  # not "X Night Repair serum"
    if (entry is not None and (len(entry["gap"]) > 1 or entry["name"].isupper())
            and _LATIN_EPITHET.match(entry["epithet"]) and (name := _clean_name(entry["name"]))):
        return _Mention(0, name, opener=True)
    if glossed_name is not None and (name := _clean_name(glossed_name["name"])) is not None:
        return _Mention(0, name, opener=True)  # "Giant white arum lily — *Zantedeschia aethiopica*."
    whole = re.fullmatch(r"[^\W\d_](?:[\w .-]|\B'\B|\b'\b){0,59}", text.strip())  # a bare name
    stop = r"(?:[.!](?:\s|$)|$)" if whole else r"[.!](?:\s|$)"
    sentence = re.match(  # "St. Bernard." is one sentence
        r"^(?P<name>(?:[^.!?\n:]|(?<=\bSt)\.){1,60}?)[*_]*(?<!\bSt)" + stop, first_line
    )
    if sentence is not None and (name := _short_answer(sentence.group("name"))) is not None:
        if (counted := _COUNT.match(name)) is not None and _plural_word(name.split()[-1].casefold()):
            name = _one_of(name[counted.end() :])  # "Two Mallards swimming on a pond."; not
            # "Three Toed Woodpecker"
        first, last = name.split()[0].casefold(), name.split()[-1].casefold()
        if first in OPENERS or (last in GENERIC | POINTER_NOUNS | _REMARK_NOUNS and not _plant_compound(name)):
            return None  # "Good question.", "Tricky one."; not "Blanket flower — *Gaillardia* ..."
        exclaimed = _EXCLAIMED.match(first_line, sentence.end("name"))
        latin_after = _LATIN_IN_BRACKETS.match(first_line, exclaimed.end()) if exclaimed else None
        italic_after = exclaimed and not _adjective_like(first) and re.match(  # not "Beautiful bloom!"
            r"\s*([*_])[A-Z][a-z]{2,}\s+[a-z][a-z-]{2,}\1", first_line[exclaimed.end() :]
        )
        titled = (  # "Keeshond! Look at those ..."; not "Old-school! That's a 1998 Eagle Talon"
            _title_case(name) and not _adjective_like(first) and exclaimed is not None
            and re.match(r"(?i)\s*(?:that|this|it|he|she)(?:'s|\s+is|\s+looks)\b", first_line[exclaimed.end() :]) is None
        )
        if exclaimed and not whole and not (latin_after or italic_after or titled):
            return None  # "Beautiful bloom! That is a peony.": a remark on the picture; but
            # "Balloon flower! (*Platycodon grandiflorus*) — ..." and "Sea holly! *Eryngium
            # planum*." gloss their name
        return _Mention(0, name, opener=True)  # "Bougainvillea. It is a type of flowering vine."
    run, after = _capitalised_run(first_line)
    if run is None or len(run.split()) > hygiene._NAME_WORDS_MAX or re.search(r"[*_]", run):
        return None
    counted = _COUNT.match(run) if _plural_word(run.split()[-1].casefold()) else None  # "Two
    run = run[counted.end() :] if counted is not None else run  # Mallards swimming": one Mallard
    if re.match(re.escape(run) + r"[*_]*\s*[:：]", first_line):
        return None  # "Clues: (1) running-horse emblem ...": a label, no name
    if (body := _BODY_TAIL.match(after)) is not None and len(run.split()) > 1:
        run, after = run + body[0], after[body.end() :]  # "Dodge Magnum SRT8 station wagon, around 2008."
    after = _CATEGORY_NOUN.sub("", re.sub(r"^(\s+\w+)(?=[\s,.;]|$)", r"\1", after, count=1))
    follow = re.match(
        r"^[*_]*\s*(?:(?:cat|dog|bird|flower|plant|mushroom|fungus|car|aircraft|dish)\b)?\s*"
        r'(?:"[^"\n]{1,40}"\s*)?'  # a quoted nickname: 'Air Jordan 1 "Chicago"'
        r"(?:[,;.!?(—–\u2600-\u27BF]|\s[-–—]\s|\s+or\b|$)",  # "Land Rover Range Rover SUV 2012 ✅"
        after,
    )
    several = len(run.split()) > 1  # one word before a comma is an adverb: "First, ..."
    if not several and after.startswith(",") and not _named_before_comma(run, after):
        return None  # "First, ..."
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
    if text.lstrip().startswith(("**", "__")) and "\n" in text.strip() and _section_title(name):
        return None  # "**Observing Key Characteristics**\n\n...": a bold heading
    low = first.casefold()
    if not _title_case(name) and low in DESCRIPTIVE and low not in NAME_FORMING:
        return None  # "Large paddle leaves (bronze), ... → **canna lily**": a description
    return _Mention(0, _one_of(name) if counted else name, opener=True)


def _opening_binomial(text: str) -> str | None:
    """A Latin name that opens the answer ("*Echinops ritro* - globe thistle ...")."""
    m = re.match(
        r"^[\s#>]*(?P<mark>[*_]*)(?P<name>[A-Z][a-z]{2,} (?:[×x] )?[a-z][a-z-]{2,})(?=[*_]*(?:\W|$))",
        text,
    )
    if m is None or not _is_binomial(m.group("name"), marked=m.group("mark") in ("*", "_")):
        return None  # in italics (not bold) any epithet: "*Epipactis helleborine* — broad-..."
    if re.search(_ARROW, text.split("\n", 1)[0]):
        return None  # "Oval leaves, waxy petals → frangipani": features, not a Latin name
    more = re.match(r"[*_]*\s+(?P<word>[a-z][a-z-]*)\b", text[m.end() :])
    loose = _LATIN_EPITHET.match(m.group("name").split()[1]) is None
    if loose and more is not None and _LATIN_EPITHET.match(more.group("word")) is None:
        return None  # "Chicken tikka masala": a name in sentence case, not a binomial
    if re.match(r"[*_]*[ \t]+[*_]*[A-Z][a-z]", text[m.end() :]):
        return None  # "Seal bicolor Ragdoll": coat words before a capitalised name
    cultivar = _CULTIVAR.match(text, m.end())  # "Cornus florida 'Cherokee Chief'": the cultivar
    return f"{m['name']} '{cultivar['name']}'" if cultivar is not None else m["name"]


_TITLE_WITH_LATIN = re.compile(  # the answer's first line: a bold name and its Latin name
    r"[\s#>]*[*_]{2}[A-Z][^*_\n]{2,60}[*_]{2}\s*" + _BRACKETED_BINOMIAL.pattern + r"[ \t]*(?:\n|$)"
)  # "**Red-cockaded Woodpecker** (*Dryobates borealis*)\n\n..."
_CULTIVAR = re.compile(r"[*_]*\s+['‘](?P<name>[A-Z][^'’\n]{1,40})['’]")
