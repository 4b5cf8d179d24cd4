"""The identifying phrases of answers written in other languages, put into English.

The parser reads names by English cues: "This is a X", "more precisely a X", "(in English:
X)". An answer written mainly in another language with Latin or Cyrillic letters ("Это
большая синица", "Das ist ein **Rotkehlchen**", "É um gato da raça Persa", "To jest szpak",
"Bu bir saka kuşu", "Đây là cây bàng", "Ini adalah anjing Kintamani") has those cues in its
own words; :func:`english_cues` rewrites them (a copula, with the category word and the
"breed" or "species" word after it; a refinement; an English-gloss label; an answer label; a
refusal) and nothing else, so that a name stays as the answer wrote it and the rest of the
parser reads the answer as any other.

An answer is read as foreign by its function words (:func:`foreign`); English answers, and the
names in them, are never rewritten.
"""

from __future__ import annotations

import re

from near_core.mllm.lexicon import FOREIGN_SEX_WORDS
from near_core.mllm.parse.hygiene import _is_binomial, after_thoughts

#: function words of English, and of the other languages here: an answer is foreign when it has
#: more than twice as many of theirs as of English ones ("Это большая синица": one to none);
#: neither holds a word both spell alike ("a", "to", "die", "is" (Dutch), "do", "i", "van")
_ENGLISH_WORDS = frozenset(
    ["the", "an", "of", "and", "this", "it", "its", "with", "in", "are", "that", "which", "for",
     "on", "has", "be"]
)
_FOREIGN_TEXT = (
    "и в не на что с это у как по она он его её "  # Russian
    "der das und ist ein eine einen nicht mit den dem sich auf es ich "  # German
    "os um uma com não é são do da dos das em de "  # Portuguese
    "jest się że nie oraz jak po od przy przez są lub albo dla na ma w ze "  # Polish
    "bir ve bu ile için çok olan "  # Turkish
    "là và của có này một không được những các với cho khi thì đây nhiều rất từ trên "  # Vietnamese
    "dan yang ini adalah dengan untuk tidak itu "  # Indonesian
    "el los las y es una con que la "  # Spanish
    "le les et est un une des du avec sont sur dans pour au aux en "  # French
    "il è della di che sono nel nei nella dei degli delle alla questo questa anche molto "  # Italian
    "het een dit niet "  # Dutch
    "hai hain mein aur yeh ka ki ke se ko"  # Hindi in Latin letters
)
_FOREIGN_WORDS = frozenset(_FOREIGN_TEXT.split())
_WORD = re.compile(r"[^\W\d_]+")

_COPULA = (  # "this is (a)" in Russian, German, Portuguese, Polish, Turkish, Vietnamese,
    # Indonesian, Spanish, French, Italian, Dutch
    r"это|на (?:изображении|фото(?:графии)?|снимке)(?:\s+(?:изображ[её]н[аоы]?|видна|виден|видно|"
    r"представлен[аоы]?|показан[аоы]?))?|"
    r"das ist(?: ein(?:e|en)?)?|es ist ein(?:e|en)?|ist (?:das|es)(?: ein(?:e|en)?)?|"
    r"es handelt sich (?:hier )?um(?: ein(?:e|en)?)?|"
    r"(?:isso |este |esta )?é (?:um|uma)|(?:essa|esta|esse|este) (?:planta|flor|ave|cão|gato|carro) é (?:o|a)|"
    r"trata-se de (?:um|uma)|to jest|na zdjęciu (?:jest|widać|widzimy|znajduje się|widoczn[aye] jest)|"
    r"(?:ptak|pies|kot|kwiat|roślina|samochód|zwierzę) na zdjęciu to|"  # "Ptak na zdjęciu to X"
    r"bu bir|bu (?:köpek|kedi|kuş|çiçek|bitki|araba) bir|(?:resimdeki|fotoğraftaki) [^\W\d_]+ bir|"
    r"đây là một|đây là|ini adalah|(?:tampaknya|sepertinya|kemungkinan(?: besar)?) adalah|"  # "seems to be"
    r"es (?:un|una)|se trata de (?:un|una|um|uma)|en la (?:imagen|foto) (?:se ven?|hay|aparecen?) (?:un|una|unos|unas|varios|varias|dos|tres)|"
    r"la (?:imagen|foto) muestra (?:un|una)(?: pareja de)?|"  # "La imagen muestra una pareja de X"
    r"c['’]est (?:un|une)|est (?:un|une)|ce sont (?:des|deux)|il s['’]agit (?:d['’](?:un|une)|de (?:la |l['’]|le |les )?|du |des )|è (?:un|una|uno|il|la|lo)|si tratta di (?:un|una|uno)|"
    r"dit is(?:\s+een)?|het is(?:\s+een)?|is een|op (?:de|deze) (?:foto|afbeelding) (?:staat|zie je|zien we|zie ik) (?:een)?|"
    r"parece(?: ser)? (?:un|una|um|uma)|sembra(?: essere)? (?:un|una|uno)|"  # "looks like a"
    r"sieht aus wie (?:ein|eine|einen)|"  # "Das sieht aus wie ein"
    r"(?:si vede|se ve|vê-se|on voit) (?:un|una|uno|um|uma|une)"  # "one sees a"
)
#: Hindi (in Latin letters) closes "this is X" with its copula: "Yeh **rajma chawal** hai!"
_HINDI_COPULA = re.compile(  # "Is tasveer mein **dal makhani** dikh rahi hai" ("... is to be seen")
    r"(?i)(?<![\w-])(?:yeh|(?:is\s+)?(?:tasveer|photo|image|picture|chitra)\s+mein)\s+"
    r"(?P<name>[^.!?\n]{1,60}?)\s+(?:dikh\s+rah[aie]\s+)?hain?(?=[\s.!?,—–-]|$)"
)
#: the category a name's class belongs to, in those languages (nominative and the forms a
#: noun takes before or after a name: Turkish "kuşu", "ağacı", "köpeği")
_CATEGORIES = {
    "dog": "собака пёс пес hund cão cachorro pies psa köpek köpeği chó anjing perro chien cane hond",
    "cat": "кошка кот katze gato kot kota kedi kedisi mèo kucing chat gatto kat",
    "bird": "птица vogel ave pássaro ptak ptaka kuş kuşu chim burung pájaro oiseau uccello",
    "tree": "дерево baum árvore drzewo ağaç ağacı cây pohon árbol arbre albero boom",
    "mushroom": "гриб pilz cogumelo grzyb mantar mantarı nấm jamur hongo seta fungo paddenstoel",
    "flower": "цветок blume flor kwiat çiçek çiçeği hoa bunga fleur fiore bloem",
    "car": "автомобиль машина carro coche voiture samochód otomobil",
}
#: Turkish puts the category after the name, in a form of its own ("saka kuşu", "çınar ağacı")
_TURKISH_CATEGORY = re.compile(
    r"(?i)(?<=\w)(?P<end>[*_]*)\s+(?P<category>ağacı|kuşu|mantarı|çiçeği)(?![\w-])"
)
#: Turkish "is" as a suffix after an apostrophe: "Bu köpek bir Saint Bernard'dır"
_TURKISH_COPULA = re.compile(r"(?<=\w)['’][dt][ıiuü]r(?![\w-])")
_CATEGORY = {word: english for english, words in _CATEGORIES.items() for word in words.split()}
#: "of the breed / species / genus" after a category word: "собака породы X", "gato da raça X",
#: "cogumelo do gênero X"
_KIND = (
    r"(?:породы|вида|der rasse|(?:da |de la |della |di )?(?:raça|raza|race|razza|espécie|especie|"
    r"espèce|specie)|rasy|gatunku|ırkı|giống|ras|jenis|van het ras|"
    r"рода|der gattung|do gênero|del género|du genre|del genere|z rodzaju|cinsi)"
)
#: "probably" and "surely" in those languages, also between a copula and its article ("dit is
#: vrijwel zeker een X")
_PROBABLY = (
    r"вероятно|wahrscheinlich|vermutlich|waarschijnlijk|provavelmente|prawdopodobnie|muhtemelen|"
    r"có lẽ|mungkin|probablemente|probablement|probabilmente"
)
_SURELY = r"zeker|sicher|sicuramente|certamente|segur[oa]mente|sûrement|certainement"
_FOREIGN_ARTICLE = r"(?:uma|um|einen|eine|ein|une|una|uno|un|een|bir|một)(?!\w)"  # the longest first
_LEAD = re.compile(  # not negated: "No es un Jeep Cherokee", "non è un", "não é um"
    rf"(?i)(?<![\w-])(?<!no )(?<!non )(?<!não )(?:{_COPULA})(?![\w-])\s*(?:[—–]\s*)?"  # "На изображении — X"
    rf"(?:(?:(?:vrijwel|bijna|heel|ganz|quasi|casi|quase)\s+)?(?:{_PROBABLY}|{_SURELY})\s+{_FOREIGN_ARTICLE}?\s*)?"
    r"(?:(?:seekor|sebatang|sebuah|sejenis|một|con|chú|chiếc)\s+)?"  # classifiers: "con mèo"
    rf"(?:(?:{'|'.join(sorted(FOREIGN_SEX_WORDS))})\s+(?:(?:de|du|des|di|del|della|d['’])\s*)?)?"  # "uma fêmea de X", "самец X"
    rf"(?:(?P<mark>\*\*|__)?(?P<category>[^\W\d_]+)(?:\s+{_KIND})?(?P<gap>\s*[—–]\s*|\s+)(?=[*_\"'„«]*\w)"
    r"(?!(?:de|di|du|do|da|des|del|della|dos|das)\s))?"  # not "flor de la pasión": the name's own word
)  # "adalah **burung Goldfinch Eropa**": the category word inside the bold too
#: the plain name a copula gives before a comma: the words after it are no English the parser
#: could tell from more of the name ("Yeh aloo paratha hai, saath mein dahi")
_COMPLEMENT = re.compile(
    r"This is a (?!(?:más|menos|muy|plus|moins|très|più|meno|molto|mais|muito|mehr|sehr)\s)"  # "es un
    r"(?P<name>[^\W\d_][^\W\d]*(?:[ -][^\W\d]+){0,3})(?P<stop>,|\s+:)"  # coche más pequeño,": a comparison
    r"(?=\s)(?!\s*(?:more precisely|specifically|most likely|probably|but|possibly|or)\b)"
)
#: a refinement ("more precisely a X") or a hedge, in those languages
_REFINEMENTS = {
    "more precisely": r"genauer(?: gesagt)?|точнее|а именно|daha kesin söylemek gerekirse|"
    r"cụ thể là|tepatnya|más precisamente|plus précisément|più precisamente|dokładniej",
    "specifically": r"especificamente|konkretnie|spezifisch|específicamente",
    "most likely": r"скорее всего|büyük olasılıkla|kemungkinan besar|muy probablemente|"
    r"höchstwahrscheinlich|najprawdopodobniej|nhiều khả năng",
    "probably": _PROBABLY,
    "but": r"sondern|ale|ancak|tuy nhiên|namun|pero|mais",
    "points to the": r"(?:sprechen|spricht) für (?:den|die|das)|apuntan? (?:al|a la)|plaident? pour (?:le|la)",
    "typical of a": r"(?:característic|típic|tipic|caratteristic)[oa] d[ei] (?:un|una|uno)|"  # "característico de un
    r"(?:caractéristique|typique) d['’](?:un|une)|compatible (?:con|avec) (?:un|una|une)",  # **nevo de Spitz**"
}
#: "at first it looked like a" (the name a revision drops): "Al principio parecía un", "À primeira
#: vista parece um", "Au début, on aurait dit un"
_AT_FIRST = re.compile(
    r"(?i)(?<![\w-])(?:al principio|a primera vista|à primeira vista|a princípio|no início|au (?:début|départ)|"
    r"au premier abord|à première vue|all'inizio|a prima vista|zunächst|auf den ersten blick)\s*,?\s*"
    r"(?:parecía|parece|parecia|on aurait dit|(?:il |elle )?(?:semblait|ressemblait à)|sembrava|sembra|"
    r"sah es aus wie|sieht es aus wie|wirkte es wie|pensei que (?:fosse|era)|pensé que (?:era|sería)|"
    r"j['’]ai (?:cru|pensé) (?:voir|que c['’]était|à)|pensavo (?:che )?fosse|dachte ich an)"
    r"(?:\s+(?:ser\s+|être\s+|essere\s+)?(?:un|una|uno|um|uma|une|ein|eine|einen)(?![\w-]))?"
)
_FOREIGN_REFINEMENT = re.compile(
    r"(?i)(?<![\w-])(?:" + "|".join(f"(?P<r{i}>{p})" for i, p in enumerate(_REFINEMENTS.values()))
    + rf")(?![\w-])(?P<article>,?\s+{_FOREIGN_ARTICLE}(?!\w))?"
)
#: "I cannot tell": "не могу определить", "kann ich nicht sicher bestimmen", "tôi không thể xác định"
_CANNOT_TELL = re.compile(
    r"(?i)(?<![\w-])(?:не могу (?:точно |с уверенностью )?(?:определить|сказать|распознать)|"
    r"(?:kann|lässt sich)(?:\s+[^\W\d_]+){0,6}?\s+(?:nicht|kein\w*)\s+(?:sicher\s+|genau\s+|eindeutig\s+)?"
    r"(?:bestimmen|sagen|erkennen|identifizieren)|"
    r"não (?:é possível|consigo|posso) (?:identificar|determinar|dizer)|"
    r"(?:nie (?:mogę|da się)|trudno) (?:jednoznacznie |dokładnie )?(?:określić|rozpoznać|ustalić)|"
    r"belirleyemiyorum|tespit edemiyorum|(?:tôi )?không thể xác định|"
    r"tidak (?:dapat|bisa) (?:memastikan|menentukan|mengidentifikasi)|"
    r"no (?:puedo|es posible) (?:identificar|determinar)|je ne peux pas (?:identifier|déterminer)|"
    r"non (?:posso|è possibile) (?:identificare|determinare|indicare|dire))"
    r"(?![^.\n]{0,24}?\b(?:variet[àéy]|variedad|variedade|cultivar|sorte|sesso|sexo|sexe|geschlecht)\b)"  # a finer
)  # level than the name: "non posso indicare la varietà" declines no name
#: what it cannot tell is the model: "no puedo determinar el modelo exacto"
_MODEL_AFTER = re.compile(r"(?i)\s+(?:(?:el|la|le|il|o|a|das|den|het|the)\s+)?(?:modelo|modèle|modello|modell|model)\b")
#: an answer label: "Итак, ответ:", "Fazit:", "Resposta:", "Odpowiedź:", "Kết luận:", "Jawaban:"
_ANSWER_LABEL = re.compile(
    r"(?i)(?<![\w-])(?:(?:итак,\s*)?(?:ответ|итог|вывод)|(?:endgültige\s+)?antwort|fazit|ergebnis|"
    r"(?:resposta|respuesta|réponse|risposta)(?:\s+final)?|conclusão|conclusión|odpowiedź|wniosek|"
    r"cevap|sonuç|kết luận|câu trả lời|jawaban|kesimpulan|antwoord|conclusie|identificação|identificación|"
    r"especie|espèce|espécie|specie|raza|raça|razza|rasse)\s*(?=[:：])"  # "**Especie:** reinita amarilla"
)
#: a category word that labels the answer's line: "Oiseau : **Paruline azurée**", "Hund: Mops"
_CATEGORY_LABEL = re.compile(
    r"(?im)^(?P<lead>[ \t>*_-]*)(?:" + "|".join(sorted(_CATEGORY, key=len, reverse=True)) + r")(?=[*_]*[ \t]*[:：])"
)
#: a name in title case in brackets after a name in another script or language: the English
#: one ("собака породы **немецкая овчарка** (German Shepherd)", "une **Sturnelle de l'Ouest**
#: (Western Meadowlark, *Sturnella neglecta*)")
_TITLED_GLOSS = re.compile(  # after a Latin name in italics too: "(*Setophaga cerulea*, Cerulean Warbler)"
    r"(?P<lead>[^\W\d_][*_»\"']*)\s*\((?P<latin>\s*[*_]+[A-Z][a-z]+\s+[a-z-]+[*_]+\s*[,;]\s*)?(?=\s*[*_]*(?P<name>[A-Z][\w'’-]*(?:[ -][A-Z][\w'’-]*){0,4})[*_]*"
    r"\s*(?:[,;]\s*(?:[*_][^()\n]*|[A-Z][a-z]+\s+[a-z]+))?\))"  # "(Northern Cardinal, Cardinalis cardinalis)"
)


def _titled_gloss(m: re.Match[str]) -> str:
    """The bracket of :data:`_TITLED_GLOSS` as an English gloss; not a Latin name ("(Parus
    major)"), an abbreviation ("(PBGV)") nor the words of one. After a name in Latin letters,
    one word ("(Helmspecht)", "(Männchen)") may be the answer's own language and italics may
    mark a Latin name: :func:`verdict._round_gloss` and the Latin-name rules weigh those."""
    name = m["name"]
    word = m.string[: m.end("lead")].replace("*", "").split()[-1]
    initials = "".join(w[0] for w in re.split(r"[\s-]+", name) if w)
    cyrillic = re.match(r"[\u0400-\u04ff]", m["lead"]) is not None
    plain = m["latin"] is not None or re.match(r"\(\s*[A-Z]", m.string[m.end("lead") :].lstrip()) is not None  # no italics
    words = len(re.split(r"[ -](?=[A-Z])", name))
    if _is_binomial(name) or name.isupper() or foreign(name) or (word.isupper() and initials == word) or (
        not cyrillic and (words < 2 or not plain)
    ):  # not "**Ford F-150 SVT** (Special Vehicle Team)": an acronym spelled out
        return m.group(0)
    latin = f"{m['latin'].strip()} " if m["latin"] else ""  # "(*Setophaga cerulea*, in English: X)"
    return f"{m['lead']} ({latin}in English: "


#: an English-gloss label: "по-английски", "engl.", "em inglês", "ang.", "İngilizce",
#: "tiếng Anh là", "dalam bahasa Inggris disebut"
_GLOSS = re.compile(
    r"(?i)(?<![\w-])(?:по-английски|по-англ\.|англ\.|auf englisch|englisch|engl\.|engels(?=\s*:)|em inglês|"
    r"po angielsku|ang\.|i̇ngilizce(?:['’]?de|['’]si)?|ingilizce(?:['’]?de|['’]si)?|"
    r"(?:tên\s+)?tiếng anh(?:\s+là)?|nome inglese|(?:dalam\s+)?bahasa inggris(?:nya)?(?:\s+(?:disebut|adalah))?|"
    r"(?:conocid[oa]s?|conosciut[oa]|not[oa]|connue?s?|appel[ée]e?s?|conhecid[oa]s?|chamad[oa]s?|known)\s+"
    r"(?:en inglés|in inglese|en anglais|em inglês|in english)"
    r"(?:\s+(?:como|come|comme|sous le nom de|de|as))?|im englischen(?:\s+(?:einfach|auch))?|"
    r"english\s+mein(?:\s+(?:isse|ise|inhe|ko))?|"
    r"en inglés|en anglais|in inglese|in het engels)(?:\s*[:：—–,-])?"
    r"(?:\s*(?:se\s+(?:l[aeo]s?\s+)?(?:conoce|llama|denomina|dice)|si\s+chiama|s['’]appelle|on\s+(?:dit|l['’]appelle)|"
    r"(?:se\s+)?chama(?:-se)?|é\s+chamad[oa]|hei(?:ß|ss)t\s+(?:sie|er|es|die\s+pflanze|der\s+vogel)|"
    r"(?:(?:её|его|их)\s+)?называют|heet\s+(?:hij|ze|het)|ook(?:\s+wel)?)"  # "in het Engels ook wel X genoemd"
    r"(?:\s+(?:como|de|comme))?\b)?"  # "en inglés se conoce como X", "auf Englisch heißt sie X"
)
#: a gloss after the name it gives: "também chamado de Great Kiskadee em inglês",
#: "dikenal juga sebagai *wood ear* dalam bahasa Inggris", "atau *X* dalam bahasa Inggris"
_GLOSS_BEFORE_LABEL = re.compile(
    r"(?i)(?<![\w-])(?:(?:também|tambem)\s+(?:chamad|conhecid)[oa]\s+(?:de|como)|"
    r"dikenal(?:\s+juga)?\s+sebagai|juga\s+disebut|atau|ou|también\s+llamad[oa]|appel[ée]e?s?|"
    r"chiamat[oa]|llamad[oa]|genannt|(?<=[—–]))\s+(?P<name>[*_]*[A-Za-z][A-Za-z' -]{1,60}?[*_]*)"
    r"(?:\s+(?:ou|o|oder|atau|or)\s+[*_]*[A-Za-z][A-Za-z' -]{1,60}?[*_]*)?\s+"
    r"(?:em inglês|dalam bahasa inggris|en inglés|en anglais|in inglese)"
)

#: German puts the verb of naming after the name: "in English: sword lily genannt"
_NAMED_AFTER = re.compile(r"(?i)(?P<gloss>in English:\s*[*_]*[A-Za-z][A-Za-z' -]{1,60}?[*_]*)\s+genannt\b")

#: a second English name after the first, joined by the answer's own "or"
_GLOSS_ALTERNATIVE = re.compile(
    r"(?P<gloss>in English:\s*[*_]*[A-Za-z][A-Za-z' -]{1,60}?[*_]*)\s+(?:o|ou|oder|lub|veya|atau|hoặc)\s+(?=[*_]*[A-Za-z])"
)


#: "in the picture" opening an answer: "Sur la photo, on voit ...", "En la imagen, ..."
_PICTURE_LEAD = re.compile(
    r"(?i)^(?:sur|dans) (?:la|cette) (?:photo|image)|^d['’]après (?:la|cette) (?:photo|image)|"
    r"^en (?:la|esta) (?:imagen|foto)(?! (?:se ven?|hay|aparecen?) )|^según (?:la|esta) (?:imagen|foto)|"  # a copula follows
    r"^auf (?:dem|diesem) (?:foto|bild)|^(?:nella|in questa) (?:foto|immagine)|^nell['’]immagine|^n(?:a|esta) (?:foto|imagem)"
)

#: "by its features" opening an answer: "Por sus características, este gato parece un X"
_FEATURES_LEAD = re.compile(
    r"(?i)^(?:por (?:sus|su) (?:características|rasgos|aspecto)|pel[ao]s? (?:suas )?(?:características|aspecto)|"
    r"(?:vu|d['’]après) ses (?:caractéristiques|traits)|dalle (?:sue )?caratteristiche|"
    r"aufgrund (?:der|seiner|ihrer) merkmale|gezien de kenmerken)(?=\s*,)"
)


#: the English that :func:`english_cues` writes in, which :func:`foreign` does not count
_CUES = re.compile(r"This is a |In the picture|Based on its features|in English:|Final answer|more precisely a|I cannot determine the species")


def foreign(text: str) -> bool:
    """True when ``text`` reads as written in a language other than English: more than twice
    as many of its words are function words of the languages here as English ones, and one at
    least is ("To jest szpak."; not "Golden Retriever", not "the Bouvier des Flandres")."""
    words = _WORD.findall(_CUES.sub(" ", text[:2000]).casefold())  # read as before english_cues
    theirs = sum(w in _FOREIGN_WORDS for w in words)
    return theirs > 2 * sum(w in _ENGLISH_WORDS for w in words)


def foreign_name(name: str) -> bool:
    """True for a name written with letters English does not use ("cardenal norteño",
    "goélands de Californie"); not "Bouvier des Flandres", an English class name."""
    return re.search(r"[^\x00-\x7f]", name) is not None


def english_cues(text: str) -> str:
    """``text`` with the identifying phrases of its language in English (``text`` itself when
    it is written in English): "Ini adalah anjing Kintamani" -> "This is a Kintamani", "To
    jest **kowalik** (*Sitta europaea*), ang. Eurasian Nuthatch" -> "This is a **kowalik**
    (*Sitta europaea*), in English: Eurasian Nuthatch"."""
    if not foreign(after_thoughts(text)):  # the answer's language, not its English thoughts
        return text
    text = _GLOSS_BEFORE_LABEL.sub(lambda m: f"in English: {m['name']}", text)
    text = _GLOSS.sub("in English:", text)
    text = _NAMED_AFTER.sub(r"\g<gloss>", text)  # "im Englischen auch sword lily genannt": the verb last
    text = _GLOSS_ALTERNATIVE.sub(r"\g<gloss> or ", text)  # "in English: fire lily o flame lily"
    text = _TITLED_GLOSS.sub(_titled_gloss, text)
    text = _ANSWER_LABEL.sub("Final answer", text)
    text = _CATEGORY_LABEL.sub(r"\g<lead>Final answer", text)
    text = _PICTURE_LEAD.sub("In the picture", text.lstrip(), count=1)
    text = _FEATURES_LEAD.sub("Based on its features", text, count=1)
    text = _HINDI_COPULA.sub(r"This is a \g<name>", text, count=1)
    text = _AT_FIRST.sub("At first it looked like a", text)
    text = _LEAD.sub(_lead, text)
    text = _TURKISH_CATEGORY.sub(lambda m: f"{m['end']} {_CATEGORY[m['category'].casefold()]}", text)
    text = _TURKISH_COPULA.sub("", text)
    text = _CANNOT_TELL.sub(_cannot_tell, text)
    text = _FOREIGN_REFINEMENT.sub(_refinement, text)
    first = text.find("This is a ")  # the answer's first copula
    if first >= 0 and (plain := _COMPLEMENT.match(text, first)) is not None:
        text = f"{text[:first]}This is a **{plain['name']}**{plain['stop']}{text[plain.end():]}"  # read as bold
    return text


def _cannot_tell(m: re.Match[str]) -> str:
    """The English of "I cannot tell": of the model where the model is what it cannot name ("no
    puedo determinar el modelo exacto", after a make), else of the species."""
    return f"I cannot determine the {'model' if _MODEL_AFTER.match(m.string, m.end()) else 'species'}"


def _refinement(m: re.Match[str]) -> str:
    """The English of a refinement, with its article: "genauer gesagt ein" -> "more precisely a"."""
    english = next(e for i, e in enumerate(_REFINEMENTS) if m[f"r{i}"] is not None)
    return f"{english} a" if m["article"] else english


def _lead(m: re.Match[str]) -> str:
    """"This is a", without the category word before the name ("cây bàng" -> "bàng", "собака
    породы X" -> "X"; "Это дерево — X" -> "a tree — X"); a word that is no category is the
    name's own ("Это большая синица")."""
    category = _CATEGORY.get((m["category"] or "").casefold())
    if category is None:
        return "This is a " + (m.group(0)[m.start("mark" if m["mark"] else "category") - m.start() :] if m["category"] else "")
    mark = m["mark"] or ""
    return f"This is a {category} — {mark}" if m["gap"].strip() else f"This is a {mark}"
