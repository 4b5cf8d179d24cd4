"""Names in answers written in Chinese, Japanese or Korean.

These scripts put no spaces between words (Korean between phrases only), so the capitalised
runs and articles the other modules read names by are not there. The cues here are the
languages' copulas and verdict phrases: Chinese "这是一只X" / "应该是X", Japanese "この鳥はXです"
/ "Xと判断します", Korean "이 새는 X입니다" / "X일 가능성이 높습니다", and answer labels ("结论：X",
"最終回答：X", "최종 답변: X"). A name the answer first took and then dropped ("我一开始以为这是X",
"最初はXかと思いましたが", "처음에는 X으로 보였지만") is no verdict; when the answer corrects itself,
the last verdict wins, else the first.

The name a person files the image under is the English one where the answer glosses the
chosen name with it ("德牧（德国牧羊犬，英文 German Shepherd）", "白鹭，英文叫 little egret",
"狆（ちん／Japanese Chin）"), else the name in the answer's language. A Latin name or an
abbreviation in the gloss is not an English name.
"""

from __future__ import annotations

import re

from near_core.mllm.parse.hygiene import (
    _BOXED,
    _CJK,
    _CJK_MEASURE,
    _LATIN_RUN,
    _TABLE_LINE,
    _is_binomial,
    _plain_latex,
    after_thoughts,
)

#: characters that end a name: punctuation, brackets, quotes, markdown
_STOP = r"\s，。、；：！？,.;:!?（）()「」『』“”\"'*#\n吗"  # and a question's "吗"
_NAME = rf"[^{_STOP}]{{1,16}}(?: [A-Za-z0-9][\w'’-]*)*"  # "宝马 X6", "Border Collie"
_MEASURE = rf"(?:[一两几]?{_CJK_MEASURE})?"  # "一只", "一碗", "只"
#: answer labels: "结论：X", "最终答案：X", "結論：X", "최종 답변: X"
_LABEL = re.compile(
    r"(?:结论|最终答案|最终判断|综合判断|综上所述|答案是?|最可能|最有可能|结論|結論|最終回答|答え|최종\s*답변|최종\s*판단|정답|결론|中文名|"
    r"[^\s：:，。]{0,4}名称|品种|品種|犬种|犬種|猫种|猫種|车型|車種|类别|類別|种类|種類)"  # name fields: "花卉名称：X",
    # "品种：X", "类别：X"
    rf"\s*[:：]\s*(?:#+\s*)?(?P<name>{_NAME})"
)
#: a Chinese copula; not inside 但是, 还是, 只是, 不是, 也是 ...
_ZH = re.compile(
    r"(?:(?P<strong>答案|应该|更像|更可能|最可能|最有可能|确定|判断|判定|一定|具体|具体来说|具体地说|确切地说|准确地说|更准确地说)[，,]?[是为]"  # "具体来说，是 X"
    r"|(?<![但还只总于要可凡不也都否])(?<=\S)是)"
    rf"\s*{_MEASURE}\s*(?P<name>{_NAME})"
)
_JA = re.compile(  # a name may be quoted: "護衛艦「いずも」（JS Izumo）です"
    rf"(?![だでの])(?P<name>[^{_STOP}]{{1,20}}?(?: [A-Za-z0-9][\w'’-]*)*(?: [^{_STOP}]{{1,8}}?)?)"  # "キャデラック CTS-V セダン"
    r"[」』]?\s*(?:[（(][^（）()]{0,60}[）)]\s*)?"
    r"(?:(?P<strong>(?:だ|である)?と(?:判断|考えられ|思われ|見られ)|で間違いな|の可能性が(?:高|大き))"
    r"|です|でしょう|だ[。\s]|(?:だ|か)?と思(?:います|う))"
)
_KO = re.compile(  # a name may hold spaces: "러시안 블루로 보입니다"
    rf"(?<![A-Za-z'’-])(?P<name>(?:(?:[A-Za-z0-9][\w'’-]*|[^{_STOP}]{{1,8}}?(?<![는은이가을를에의고며면서인])(?<!므로)) ){{0,2}}"
    rf"[^{_STOP}]{{1,16}}?)"  # no particle
    r"\s*(?:[（(][^（）()]{0,60}[）)]\s*)?"  # ends a word of it: not "고양이는 러시안 블루"
    r"(?:(?P<strong>일\s*가능성이\s*높|으로\s*판단|로\s*판단|이\s*확실|임이\s*확실|(?:으로|로)\s*보는\s*것이\s*맞)|(?<!보)입니다|이에요|예요|이다|으로\s*보입|로\s*보입)"
)
_VERSION = re.compile(  # "第7世代", "北米仕様", "2012年式", "2012年モデル前後": a generation, market or year; "セダン": a body
    r"(?:车型|車型|款|版本|型号|型號|世代|代目|タイプ|仕様|年式|年モデル|年頃|前後|[\d一二三四五六七八九十]代)$|^(?:セダン|クーペ|ワゴン|ミニバン|ハッチバック|轿车|跑车|旅行车)$"
)
#: a Korean verdict that says only the body or the generation of a car
_BODY_OR_GENERATION = re.compile(r"(?:\S*(?:세대|년형)\s+)?(?:세단|쿠페|왜건|해치백|컨버터블|미니밴|픽업트럭|모델)")
_INTERROGATIVE = re.compile(r"什么|哪|何の|なに|무엇|어떤|어느|以下|如下|下列")  # nor "以下两种之一": a list follows
_CJK_SENTENCE_END = re.compile(r"[。！？\n]")  # where a Chinese or Japanese sentence ends
_SENTENCE_START = re.compile(r"[。！？\n]|[.!?](?=\s)")  # Korean ends sentences with "."
#: a name the answer took and then drops: "我一开始以为X", "最初はX", "처음에는 X" before it;
#: "X……不对", "Xかと思いましたが", "X으로 보였지만", "是X吗？" (a question) after it
_TOOK = re.compile(r"以为|乍一看|一开始|起初|初步判断|最初は|一見すると|처음에는|얼핏")
_DROPS = re.compile(r"^[^。！？\n]{0,12}?(?:かと思いましたが|と思いましたが|였지만|보였지만|不对|のようにも|吗[？?])")
_DECLINE = re.compile(
    r"很难确定|难以确定|无法确定|不能确定|难以判断|无法判断|很难判断|难以辨认|看不清|无法识别|认不出|"
    r"特定できません|判断できません|見えません|断定できません|わかりません|"
    r"분간하기\s*어렵|확정하기\s*어렵|알\s*수\s*없|판단하기\s*어렵|구분하기\s*어렵"
)
_SELF_CORRECTION = re.compile(  # not the "-하지만" of a verb ("강하지만": strong, but)
    r"不对|修正|但仔细|不过仔细|仔细看|再看|よく見ると|再度|다시 보니|(?<![가-힣])(?:하지만|실은)"
)
_NEGATED = re.compile(r"(?:不是|並不是|并非|ではなく|ではありません|가 아니|이 아니)\s*$")
#: an English gloss after a name: "英文名 X", "英文叫 X", "English: X", "영어로 X"
_ENGLISH = re.compile(
    r"(?:英文名?(?:字)?(?:常|通常|一般|俗)?(?:为|是|叫做?|称)?|英语(?:名)?|英名|英語名?(?:では|で|は)?|영어(?:로는|로|명은?|\s*이름은?)?|"
    r"영문명|English\s+name|English(?=\s*[:：]))\s*[:：]?\s*[「『“\"]?(?P<name>[A-Za-z][A-Za-z0-9'’ -]{1,60}[A-Za-z0-9])"
)
_CLOSED = re.compile(r"^[」』]\*?(?:です|でした|だ)?[。.]?")
_COPULA_START = re.compile(r"^(?:这|它|那)?(?:就是|应该是|是)")
_COPULA_END = re.compile(r"(?:です|でした|だ|입니다|이에요|예요|이다)$")
_PARTS = frozenset(
    ["オス", "メス", "雄", "雌", "幼鳥", "成鳥", "若鳥", "花", "仲間", "一種", "子犬", "群れ", "群",
     "雄鸟", "雌鸟", "幼鸟", "成鸟", "亚成鸟", "雄性", "雌性", "幼犬", "幼猫", "수컷", "암컷", "유조", "성조"]
)
#: a Japanese clause that ends in a nominaliser says how things are, not what: "赤褐色のはずです",
#: "リアガラスが特徴です", "オレンジ色が決め手です";
#: a Korean one that ends in "feature" or "look" says what a name has: "집굴뚝새의 특징입니다"
_NOMINAL_END = re.compile(r"(?:はず|わけ|こと|もの|ため|よう|そう|みたい|ところ|特徴的?|決め手|특징|모습|때문)$")
#: words that point back at a name given before: "...のモデルと判断できます" (the model)
_POINTERS = frozenset(["モデル"])
_REFERRING = _PARTS | _POINTERS  # a verdict that is a part, the sex or the model of a name given before
#: a turn within a sentence: the name taken before it is dropped, not the one after it
_TURN = re.compile(r"が、|けど|けれど|しかし|但是?|不过|可是|然而|지만|하지만|그러나")
_QUALIFIER = re.compile(  # also a generation: "初代リーフ", "第2世代", "3代目"
    r"^(?:雄性|雌性|成年|幼年|未成年|亚成体|一只|一道|一种|(?:19|20)\d\d\s*款|初代|第?[一二三四五六七八九十\d]+(?:代目?|世代))\s*"
)
#: Korean category words, no name: "어린 강아지일 가능성이 높아요" (Chinese and Japanese ones lead
#: to the name that owns them: "**ハス**の花です")
_CATEGORY_WORDS = frozenset(["강아지", "고양이", "개", "새", "꽃", "자동차", "차"])
_LATIN_SCRIPT = re.compile(r"[A-Za-zÀ-ÖØ-öø-ž][A-Za-zÀ-ÖØ-öø-ž0-9'’.& -]{0,60}[A-Za-zÀ-ÖØ-öø-ž0-9]")  # "Reventón"
_NOT_ENGLISH = re.compile(r"学名|拉丁|简称|縮写|缩写|略称|学名|약칭|학명")


def mainly_cjk(text: str) -> bool:
    """True when most letters of ``text`` are Chinese, Japanese or Korean characters."""
    if _CJK.search(text) is None:
        return False  # most answers: no CJK script at all
    cjk = len(_CJK.findall(text))
    latin = len(re.findall(r"[A-Za-z]", text))
    return cjk >= 2 and 2 * cjk >= latin  # a Chinese character is about a word


def parse_cjk(text: str) -> list[str] | None:
    """Candidate names of an answer written in Chinese, Japanese or Korean, best first:
    the English gloss of the verdict, then the verdict itself; [] for an answer that says it
    cannot tell; None when no verdict phrase is found (the caller then reads the answer as any
    other)."""
    text = after_thoughts(text)  # "<think>…应该是东亚的种群…</think> 这是一只大山雀"
    text = "\n".join(  # "| 中文名 | X |" read as the field "中文名：X"
        f"{row['key'].strip()}：{row['value'].strip()}" if (row := _TABLE_LINE.fullmatch(line)) else line
        for line in text.split("\n")
    )
    verdict, committed = _verdict(text.replace("*", ""))
    if _DECLINE.search(text) and not committed:
        return []
    if verdict is None:  # "이 꽃은 뻐꾹나리의 일종으로, 영어로는 toad lily라고 부릅니다": no copula, but
        english = _english_label(_CJK_SENTENCE_END.split(text))  # an English name, labelled
        return [english] if english else None
    owner = _bold_owner(text, verdict) or _glossed_owner(text.replace("*", ""), verdict)
    if owner is None and _BODY_OR_GENERATION.fullmatch(verdict):
        return None  # "닛산 리프(Nissan Leaf) 해치백입니다", "2세대 모델로 판단됩니다": the name is elsewhere
    verdict = owner or verdict
    english = _english_gloss(text, verdict)
    return [english, verdict] if english else [verdict]


def _verdict(text: str) -> tuple[str | None, bool]:
    """The name the answer commits to, and whether it said so by a label or a strong phrase
    ("应该是", "と判断します")."""
    labelled = [name for m in _LABEL.finditer(text) if _usable(name := _trimmed(m["name"]))]
    labelled += [  # a box after the thoughts: "**最終回答**\n\n\\[ \\boxed{\\text{ツノメドリ}} \\]"
        name for m in _BOXED.finditer(_plain_latex(text)) if _usable(name := _trimmed(m["inner"]))
    ]
    if labelled:
        return labelled[-1], True
    found: list[tuple[bool, int, str]] = []  # (strong, position, name)
    for pattern in (_ZH, _JA, _KO):
        for m in pattern.finditer(text):
            name = _trimmed(m["name"])
            before = text[: m.start()]
            clause = _TURN.split(_SENTENCE_START.split(before)[-1])[-1]
            if not _usable(name) or _NEGATED.search(before) or _NOMINAL_END.search(m["name"]):
                continue
            if name in _REFERRING and _glossed_owner(text, name) is None and _bold_owner(text, name) is None:
                continue  # "...ので、オスだと思われます", "北米仕様のモデルと判断": the sex or the model of a
                # name given before, in a sentence of its own
            if _TOOK.search(clause) or _DROPS.match(text[m.end() :]):
                continue
            found.append((m["strong"] is not None, m.start(), name))
    if not found:
        return None, False
    strong = [f for f in found if f[0]]
    if strong:
        return max(strong, key=lambda f: f[1])[2], True
    found.sort(key=lambda f: f[1])
    turns = [m.end() for pattern in (_SELF_CORRECTION, _TOOK) for m in pattern.finditer(text)]  # "最初はツグミかと…"
    if not turns:
        return found[0][2], False
    after = [f for f in found if f[1] >= max(turns)]  # "乍一看有点像林肯，但…它其实是一辆X…是常见的家用MPV":
    return (after[0] if after else found[-1])[2], False  # the verdict right after the last turn


#: a name glossed in Latin script before の: "トヨタ・カローラ（Toyota Corolla）のセダン"
_GLOSSED_OWNER = re.compile(  # also "シオカラトンボ（学名：Orthetrum albistylum）のオス"
    rf"(?P<name>[^{_STOP}]{{1,20}}(?: [^{_STOP}]{{1,12}}){{0,3}})\s*[（(](?=[^（）()]*[A-Za-z])[^（）()]{{1,60}}[）)]\s*"
    r"(?:の|で[、,]|[、,]\s*(?=(?:19|20)\d\d\s*年))"  # "日産リーフ（Nissan Leaf）、2012年モデルのハッチバックです"
)


def _glossed_owner(text: str, verdict: str) -> str | None:
    """The name the verdict's sentence glosses in Latin script and then says the verdict is
    a kind of ("この車はトヨタ・カローラ（Toyota Corolla）のセダンで、...のモデルだと思われます",
    "サントリー 伊右衛門（Suntory Iyemon）の緑茶のペットボトルです"); None when there is none.
    Every place the verdict is written is tried: "オス" is also inside "アオスジアゲハ"."""
    for at in (m.start() for m in re.finditer(re.escape(verdict), text)):
        start = max((m.end() for m in _SENTENCE_START.finditer(text, 0, at)), default=0)
        owner = _GLOSSED_OWNER.search(text, start, at)
        name = _trimmed(owner["name"]) if owner is not None else ""
        if _usable(name):
            return name
    return None


def _bold_owner(text: str, verdict: str) -> str | None:
    """The bold name the verdict word follows, maybe past a bracket: the verdict says what it
    is a kind of, or the verdict holds it ("**현대 제네시스** 세단으로 보입니다": a Hyundai Genesis sedan; "**루비목벌새**(Ruby-throated
    Hummingbird) 수컷입니다": a male); None when no bold name leads it."""
    for bold in re.finditer(r"\*\*(?P<name>[^*\n]{1,30}?)\*\*", text):  # spans in order, not the
        # text between one span's end and the next one's start
        if bold["name"].rstrip().endswith((":", "：")):
            continue  # "**品種：** メインクーン": a label, not a name
        rest = verdict[len(bold["name"]) :] if verdict.startswith(bold["name"] + " ") else verdict
        if re.match(r"\s*(?:[（(][^（）()\n]{0,80}[）)])?\s*" + re.escape(rest.strip()), text[bold.end() :]):
            name = _trimmed(re.sub(r"\s*[（(][^（）()]*[）)]$", "", bold["name"]))  # "**현대 그랜저(Hyundai
            return name if _usable(name) else None  # Azera)**": the gloss is read after the name
    return None


def _trimmed(name: str) -> str:
    """A verdict span without what describes it: "东北的锅包肉" -> "锅包肉" (the name after the
    last 的; Japanese "関西風のお好み焼き" after the last の), "雄性鸳鸯" -> "鸳鸯", "梅です" -> "梅"."""
    name = _COPULA_END.sub("", name.strip())
    for mark in ("ため", "ので", "から", "は", "的", "の"):  # "この料理は肉じゃが", "东北的锅包肉", "関西風のお好み焼き",
        # "体が小さいため柴犬と判断", "以上の点からキザシと判断": the name after the reason
        head, _, tail = name.rpartition(mark)
        if head and tail in _PARTS:
            name = head  # "ジョウビタキのオス": the male of the name
        elif head and len(tail) >= (1 if mark == "は" else 2):  # not "菜の花" -> "花"
            name = tail
    head, _, tail = name.rpartition(" ")
    if head and tail in _PARTS:
        name = head  # "청둥오리 수컷": the male of the name
    name = _COPULA_START.sub("", name)  # "综合判断：这是一只X"
    return _QUALIFIER.sub("", name).strip()


def _usable(name: str) -> bool:
    """True for a span that can be a name: CJK or Latin letters, not a question word ("什么动物")
    nor a version of what was named ("这应该是1999年之后的改款车型": a facelifted model)."""
    return (bool(_CJK.search(name) or re.search(r"[A-Za-z]{2}", name)) and name.split()[-1] not in _CATEGORY_WORDS
            and not _INTERROGATIVE.match(name) and not _VERSION.search(name))


def _english_gloss(text: str, name: str) -> str | None:
    """The English name the answer gives ``name`` right after it: in the bracket that
    follows it (not an italic Latin name, an abbreviation or a part labelled as either), or by
    an English label in the same sentence."""
    for m in re.finditer(re.escape(name), text):
        after = _CLOSED.sub("", text[m.end() :].lstrip("*"), count=1)  # "「いずも」（JS Izumo）",
        # "「はやぶさ」です。(E5 Series Shinkansen)": a quoted name, glossed after its sentence
        bracket = re.match(r"\s*[（(\[【](?P<inside>[^（）()\[\]【】]{1,120})[）)\]】]", after)  # "X [Y, *Z*]"
        if bracket:
            parts = re.split(r"[，,、／/;；]", bracket["inside"])
            labelled = next((m for part in parts if (m := _ENGLISH.search(part.replace("*", "")))), None)
            if labelled is not None:  # "（Guzmania，英文常称 Scarlet Star）": the part said to be English
                return labelled["name"].strip()
            for part in parts:
                if re.fullmatch(r"\s*\*[^*]+\*\s*", part) or _NOT_ENGLISH.search(part):
                    continue  # "*Prunus mume*", "学名 Nelumbo nucifera", "简称 GSD"
                part = part.replace("*", "").strip()
                if _LATIN_SCRIPT.fullmatch(part) and not re.fullmatch(r"[A-Z]{2,6}", part) \
                        and not _is_binomial(part):  # not an abbreviation ("GSD")
                    model = _LATIN_RUN.match(after[bracket.end() :].lstrip())  # "卡西欧（Casio）G-Shock"
                    return f"{part} {model.group(0).strip()}" if model else part
        sentence = _CJK_SENTENCE_END.split(after, maxsplit=1)[0].replace("*", "")
        labelled = _ENGLISH.search(sentence) or _ALIAS_GLOSS.search(sentence)
        if labelled and not _is_binomial(labelled["name"].strip()):
            return labelled["name"].strip()
    return _later_english_label(text, name)


#: an alias of the name glossed in English in its sentence: "鹤望兰，又名天堂鸟（Bird of Paradise）"
_ALIAS_GLOSS = re.compile(
    r"(?:又名|又称|也叫|也称|亦称|俗称|别名|別名|通称|とも呼ばれ)[^，。（(]{1,12}[（(]\s*"
    r"(?P<name>[A-Za-z][A-Za-z'’ -]{1,60}[A-Za-z])\s*[）),，]"
)
_LIKENESS = re.compile(r"像|似|区别|區別|不同|違い|と比べ|비슷|달리")


def _later_english_label(text: str, name: str) -> str | None:
    """The English name a later sentence gives the answer's verdict with a label ("この花は
    キキョウです。...英語では「Balloon Flower」と呼ばれます。"); not one given a look-alike in a
    comparison ("和煤山雀（英文名 Coal Tit）很像")."""
    at = text.find(name)
    return _english_label(_CJK_SENTENCE_END.split(text[at + len(name) :] if at >= 0 else "")[1:])


def _english_label(sentences: list[str]) -> str | None:
    """The first English name one of ``sentences`` gives with a label, outside a comparison."""
    for sentence in sentences:
        labelled = _ENGLISH.search(sentence.replace("*", ""))
        if labelled and not _LIKENESS.search(sentence) and not _is_binomial(labelled["name"].strip()):
            return labelled["name"].strip()
    return None
