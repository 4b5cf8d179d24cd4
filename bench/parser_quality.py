"""Answer-parser quality on real MLLM answers and on a development corpus of answer styles.

Real answers (tests/data/mllm_answers, from FiNDR) come with the name(s) a second LLM call
extracted from them. Only answers whose first extracted name appears in the raw answer
(compared by ``name_key``: case, hyphens, punctuation and spacing ignored) are counted; on
those, ``parse_answer(text)[0]`` must equal that name after canonical comparison
(``canonical_key``, category words such as "cat" or "dog" at either end ignored). Misses are
sorted into kinds.

The development corpus (tests/data/parser_dev/*.jsonl, written for this project by
tests/data/parser_dev/generate.py) holds answers in 15 styles over 8 domains; the agreement is
reported per style x domain, and per held-out style: every tunable constant of the parser
(TUNABLES) is chosen on the other styles and the held-out style is scored with that choice.

The same answers, rewritten into styles that the files do not contain (a final-answer line
after the reasoning, JSON with the answer as a field, a <think> block, no markdown, CRLF line
ends, names in lower case), show how the parser holds on styles it was not tuned to.

Sets kept apart from development are reported per style, beside the baseline: the held-out
corpus (holdout/), and hand-written sets scored once before any change that followed from
them (blind/, fresh/ ... fresh22/: all but blind/ report only, no test asserts on them).

    python bench/parser_quality.py [--show KIND] [--baseline REV] [--misses]

``--show`` lists the real-answer misses of one kind, ``--misses`` the misses of every corpus,
``--baseline REV`` scores the parser of a git revision (say the previous release: ``ffc95da``,
``main``, ``HEAD~3``) in the same run, exactly as it was: ``near_core`` at REV is extracted
(``git archive``) into a temporary folder and its ``parse_answer`` (its own parse and lexicon,
whatever the module layout at REV) parses every answer in a subprocess whose PYTHONPATH is that
folder, timing the speed column there too; the parses come back as JSON.
"""

from __future__ import annotations

import argparse
import functools
import io
import itertools
import json
import os
import re
import subprocess
import sys
import tarfile
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from near_core.mllm.parse import hygiene, name_key, parse_answer, verdict  # noqa: E402
from near_core.vocabulary import canonical_key, name_variants  # noqa: E402

DATA = REPO / "tests" / "data" / "mllm_answers"
FILES = ("birds_qwen.json", "dogs_qwen.json")
DEV = REPO / "tests" / "data" / "parser_dev"
HOLDOUT = DEV / "holdout"
BLIND = DEV / "blind"
# Blind development sets, report only: tests/data/parser_dev/<folder> (each README says who
# wrote it, in which models' manner, on which domains) -> the title of its section.
FRESH_SETS = {
    "fresh": "fresh hand-written set",
    "fresh2": "second fresh hand-written set",
    "fresh3": "third fresh hand-written set",
    "fresh4": "fourth fresh set: Qwen-style flowers, pets, cars, aircraft",
    "fresh5": "fifth fresh set: reasoning-style answers",
    "fresh6": "sixth fresh set: Qwen-style flowers, pets, cars",
    "fresh7": "seventh fresh set: reasoning-style answers",
    "fresh8": "eighth fresh set: reasoning-style answers",
    "fresh9": "ninth fresh set: Qwen-style flowers, pets, cars",
    "fresh10": "tenth fresh set: reasoning models on birds",
    "fresh11": "eleventh fresh set: markdown step-by-step answers",
    "fresh12": "twelfth fresh set: small open MLLMs",
    "fresh13": "thirteenth fresh set: Qwen-style flowers, pets, cars",
    "fresh14": "fourteenth fresh set: step-by-step reasoning on birds",
    "fresh15": "fifteenth fresh set: reasoning on flowers, pets, cars, aircraft",
    "fresh16": "sixteenth fresh set: Qwen-family and mid-size MLLMs",
    "fresh17": "seventeenth fresh set: Qwen-style flowers and pets",
    "fresh18": "eighteenth fresh set: Qwen-style cars",
    "fresh19": "nineteenth fresh set: reasoning on birds",
    "fresh20": "twentieth fresh set: reasoning on flowers, pets, cars",
    "fresh21": "twenty-first fresh set: reasoning on birds",
    "fresh22": "twenty-second fresh set: Qwen-style flowers, pets, cars",
    "fresh23": "twenty-third fresh set: Qwen-style cars",
    "fresh24": "twenty-fourth fresh set: reasoning on birds",
    "fresh25": "twenty-fifth fresh set: reasoning on flowers, pets, cars",
    "fresh26": "twenty-sixth fresh set: mid-size MLLMs, flowers, pets, cars",
    "fresh27": "twenty-seventh fresh set: Qwen-style flowers",
    "fresh28": "twenty-eighth fresh set: Qwen-style pets",
    "fresh29": "twenty-ninth fresh set: Qwen-style cars",
    "fresh30": "thirtieth fresh set: reasoning on birds",
    "fresh31": "thirty-first fresh set: Qwen-style flowers and pets",
    "fresh32": "thirty-second fresh set: Qwen-style cars",
    "fresh33": "thirty-third fresh set: reasoning on birds",
    "fresh34": "thirty-fourth fresh set: reasoning on flowers, pets, cars",
    "fresh35": "thirty-fifth fresh set: Qwen-style cars",
    "fresh36": "thirty-sixth fresh set: Qwen-style flowers and pets",
    "fresh37": "thirty-seventh fresh set: reasoning on birds",
    "fresh38": "thirty-eighth fresh set: Qwen-style cars",
    "fresh39": "thirty-ninth fresh set: Qwen- and InternVL-style cars",
    "fresh40": "fortieth fresh set: Qwen-style flowers",
    "fresh41": "forty-first fresh set: Qwen-style pets",
    "fresh42": "forty-second fresh set: reasoning MLLMs on birds",
    "fresh43": "forty-third fresh set: small Qwen models on flowers, pets and cars",
    "fresh44": "forty-fourth fresh set: Qwen-style cars",
    "fresh45": "forty-fifth fresh set: Qwen-style flowers",
    "fresh46": "forty-sixth fresh set: Qwen, GPT-4o and LLaVA on pets",
    "fresh47": "forty-seventh fresh set: step-by-step reasoning on birds",
    "fresh48": "forty-eighth fresh set: reasoning MLLMs on flowers, pets and cars",
    "fresh49": "forty-ninth fresh set: aircraft, fungi, food, butterflies",
    "fresh50": "fiftieth fresh set: Qwen-style cars",
    "fresh51": "fifty-first fresh set: reasoning birds (GPT-4o, Claude, Gemini, InternVL3, QVQ)",
    "fresh52": "fifty-second fresh set: flowers (Qwen, LLaVA-OneVision, MiniCPM-V, InternVL)",
    "fresh53": "fifty-third fresh set: short answers of small MLLMs on pets and dogs",
    "fresh54": "fifty-fourth fresh set: reasoning cars",
    "fresh55": "fifty-fifth fresh set: insects, reptiles and amphibians, fish, trees",
    "fresh56": "fifty-sixth fresh set: Qwen-style flowers",
    "fresh57": "fifty-seventh fresh set: GPT-4o and Claude on pets",
    "fresh58": "fifty-eighth fresh set: reasoning flowers (QVQ, Qwen, GPT-4o, InternVL3, think blocks)",
    "fresh59": "fifty-ninth fresh set: InternVL, LLaVA-OneVision and Gemini on cars",
    "fresh60": "sixtieth fresh set: reasoning dogs",
    "fresh61": "sixty-first fresh set: sneakers, packaged products, skin lesions, blood cells",
    "fresh62": "sixty-second fresh set: small MLLMs on birds",
    "fresh63": "sixty-third fresh set: reasoning pets (QVQ, o1/o3 summaries, Gemini, InternVL3, Qwen)",
    "fresh64": "sixty-fourth fresh set: cars as fields, tables and prose",
    "fresh65": "sixty-fifth fresh set: GPT-4o and Claude on flowers",
    "fresh66": "sixty-sixth fresh set: Gemini and Claude on dogs",
    "fresh67": "sixty-seventh fresh set: minerals, apple and pear cultivars, ships, seashells",
    "fresh68": "sixty-eighth fresh set: Qwen-style flowers (72B and 7B)",
    "fresh69": "sixty-ninth fresh set: reasoning birds (QVQ, o1, Kimi-VL-Thinking, Gemini thinking)",
    "fresh70": "seventieth fresh set: Qwen, InternVL and LLaVA-OneVision on cars",
    "fresh71": "seventy-first fresh set: reasoning flowers (QVQ, o1/o3, Gemini thinking, Claude)",
    "fresh72": "seventy-second fresh set: Qwen, InternVL, MiniCPM-V and Llama on pets",
    "fresh73": "seventy-third fresh set: aircraft, dishes, fungi, butterflies, retail products",
    "fresh74": "seventy-fourth fresh set: InternVL, LLaVA-OneVision, MiniCPM-V, Pixtral, Llama on flowers",
    "fresh75": "seventy-fifth fresh set: reasoning cars (QVQ, o1/o3, Gemini thinking, Claude, Kimi)",
    "fresh76": "seventy-sixth fresh set: GPT-4o, Claude, Gemini and Llama on birds",
    "fresh77": "seventy-seventh fresh set: reasoning pets (QVQ, o1/o3, Gemini, Claude, InternVL3)",
    "fresh78": "seventy-eighth fresh set: GPT-4o, GPT-4o-mini, Claude and Gemini Flash on flowers",
    "fresh79": "seventy-ninth fresh set: GPT-4o, Claude, Gemini and Qwen on cars",
    "fresh80": "eightieth fresh set: Qwen2.5-VL at temperature 0.7 on flowers, pets, cars, birds",
    "fresh81": "eighty-first fresh set: Qwen2.5-VL-72B manner on flowers",
    "fresh82": "eighty-second fresh set: Qwen2.5-VL-72B manner on cars",
    "fresh83": "eighty-third fresh set: Qwen2.5-VL-72B manner on pets",
    "fresh84": "eighty-fourth fresh set: reasoning birds (QVQ, Qwen3-VL / GLM-4.1V thinking, InternVL3, DeepSeek-VL2)",
    "fresh85": "eighty-fifth fresh set: Qwen2.5-VL-72B manner on flowers (second writer)",
    "fresh86": "eighty-sixth fresh set: Qwen2.5-VL-72B manner on cars (second writer)",
    "fresh87": "eighty-seventh fresh set: reasoning flowers (o1/o3, Gemini, Claude, QVQ, Qwen3-VL / GLM / Kimi thinking)",
    "fresh88": "eighty-eighth fresh set: open MLLMs' plain prose on cars (lower case, quotes, make only)",
    "fresh89": "eighty-ninth fresh set: reasoning cars (o1/o3, Gemini, Claude, QVQ, Qwen3-VL / GLM / Kimi thinking)",
    "fresh90": "ninetieth fresh set: reasoning and chatty MLLMs on pets and flowers",
    "fresh91": "ninety-first fresh set: reasoning and Qwen / InternVL plain answers on flowers",
    "fresh92": "ninety-second fresh set: reasoning and Qwen / LLaVA / InternVL / MiniCPM plain answers on cars",
    "fresh93": "ninety-third fresh set: Qwen2.5-VL-72B manner and reasoning models on flowers",
    "fresh94": "ninety-fourth fresh set: Qwen2.5-VL-72B manner and reasoning models on cars",
    "fresh95": "ninety-fifth fresh set: Qwen2.5-VL-72B manner and reasoning models on pets",
    "fresh96": "ninety-sixth fresh set: reasoning models on flowers and cars",
    "fresh97": "ninety-seventh fresh set: plain assistants (Qwen, GPT-4o, Claude, Gemini, Llama, InternVL, MiniCPM) on flowers, cars, pets",
    "fresh98": "ninety-eighth fresh set: flowers, Qwen / GPT-4o / Claude / Gemini / LLaVA / InternVL prose, a quarter all lower case from small models, reasoning",
    "fresh99": "ninety-ninth fresh set: cars, Qwen / GPT-4o / Claude / Gemini, lower-case small models, bare noun phrases, 'Best guess:' lines, reasoning",
    "fresh100": "hundredth fresh set: reasoning models (QVQ / o1 / DeepSeek manner) on pets and birds",
    "fresh101": "hundred-and-first fresh set: flowers and pets, mostly Qwen2.5-VL-72B manner, GPT-4o, Claude, Gemini, small models, reasoning",
    "fresh102": "hundred-and-second fresh set: cars and birds, mostly Qwen2.5-VL-72B manner, GPT-4o, Claude, Gemini, small models, reasoning",
    "fresh103": "hundred-and-third fresh set: flowers, mostly Qwen2.5-VL-72B manner, GPT-4o, Claude, Gemini, small models, reasoning",
    "fresh104": "hundred-and-fourth fresh set: pets (cats and dogs), Qwen2.5-VL-72B manner, GPT-4o, Claude, Gemini, lower-case small models, reasoning",
    "fresh105": "hundred-and-fifth fresh set: cars, Qwen2.5-VL-72B manner, GPT-4o, Claude, Gemini, small models, reasoning",
    "fresh106": "hundred-and-sixth fresh set: reasoning models (QVQ / o1 / R1 / Gemini thinking / Claude thinking) on birds",
    "fresh107": "hundred-and-seventh fresh set: flowers, cars, pets; small models in lower case, tables, JSON, 'Answer:' lines",
    "fresh108": "hundred-and-eighth fresh set: flowers, Qwen2.5-VL-72B manner, reasoning, lower-case small models",
    "fresh109": "hundred-and-ninth fresh set: pets, reasoning models, Qwen2.5-VL-72B manner, chat assistants, small models",
    "fresh110": "hundred-and-tenth fresh set: cars, lower-case small-model captions, Qwen2.5-VL-72B manner, chat assistants, reasoning",
    "fresh111": "hundred-and-eleventh fresh set: birds, Qwen2.5-VL-72B manner, InternVL / GLM / Pixtral / Llama and chat assistants, reasoning",
    "fresh112": "hundred-and-twelfth fresh set: flowers, pets, cars from non-Qwen MLLMs (InternVL, GLM, Pixtral, Llama, Gemma, Phi, Kimi, MiniCPM, Molmo, DeepSeek-VL2)",
    "fresh113": "hundred-and-thirteenth fresh set: flowers from small open models, half in lower case (LLaVA, MiniCPM-V, InternVL-2B, Phi-3-vision, moondream)",
    "fresh114": "hundred-and-fourteenth fresh set: cars from small models and captioners (BLIP-2-like captions, LLaVA, moondream, make and model in two sentences)",
    "fresh115": "hundred-and-fifteenth fresh set: cat and dog breeds from chat models (GPT-4o, Claude 3.5, Gemini 1.5, Llama-3.2-Vision, Pixtral)",
    "fresh116": "hundred-and-sixteenth fresh set: birds from reasoning models (QVQ, o1, DeepSeek-R1, Gemini thinking, Claude thinking)",
    "fresh117": "hundred-and-seventeenth fresh set: flowers in the Qwen2.5-VL / InternVL2.5 manner (Latin first, genus only, quoted cultivars)",
    "fresh118": "hundred-and-eighteenth fresh set: cars in the Qwen2.5-VL manner and from reasoning models (trims, generation codes, year ranges)",
    "fresh119": "hundred-and-nineteenth fresh set: flowers, pets, cars from small open models and captioners (lower case, hedges, plurals)",
    "fresh120": "hundred-and-twentieth fresh set: birds from small open models (lower case, captions, sex and plumage words, regional prefixes)",
    "fresh121": "hundred-and-twenty-first fresh set: cat and dog breeds from reasoning models (QVQ, o1, DeepSeek-R1, Claude and Gemini thinking; crosses, changes of mind)",
    "fresh122": "hundred-and-twenty-second fresh set: birds, flowers, pets, cars in terse and structured shapes (JSON, YAML-like, tables, top-3 lists)",
    "fresh123": "hundred-and-twenty-third fresh set: Oxford-102 flowers in four manners (Qwen2.5-VL, GPT-4o / Claude, small models in lower case, reasoning models)",
    "fresh124": "hundred-and-twenty-fourth fresh set: Stanford Cars classes in four manners (Qwen2.5-VL, chat models, small models and captioners, reasoning models)",
    "fresh125": "hundred-and-twenty-fifth fresh set: the 37 Oxford-IIIT Pets breeds in four manners (nicknames, category words, look-alikes)",
    "fresh126": "hundred-and-twenty-sixth fresh set: CUB-200 birds from reasoning models (QVQ, o1, DeepSeek-R1, QwQ, Gemini and Claude thinking; tables, boxed answers)",
    "fresh127": "hundred-and-twenty-seventh fresh set: birds in the Qwen2.5-VL manner and from chat models (GPT-4o, Claude, Gemini, Llama-3.2-Vision)",
    "fresh128": "hundred-and-twenty-eighth fresh set: flowers from reasoning models (QVQ, o1, DeepSeek-R1, Gemini and Claude thinking)",
    "fresh129": "hundred-and-twenty-ninth fresh set: cars and pets from small and mid-size open models (LLaVA-OneVision, Qwen2-VL-7B, InternVL2, MiniCPM-V, Molmo, PaliGemma)",
    "fresh130": "hundred-and-thirtieth fresh set: birds, flowers, pets, cars in awkward answers (look-alikes first, nicknames, glosses, changes of mind, disclaimers)",
    "fresh131": "hundred-and-thirty-first fresh set: flowers from small open models (lower-case captions, bare noun phrases, colours, plurals)",
    "fresh132": "hundred-and-thirty-second fresh set: flowers from reasoning models (think blocks, steps, boxed answers, candidate tables)",
    "fresh133": "hundred-and-thirty-third fresh set: cars in many manners (generation codes, trims, year ranges, nicknames, make and model apart)",
    "fresh134": "hundred-and-thirty-fourth fresh set: cat and dog breeds in many manners (coat colours, mixes, plurals, nicknames)",
    "fresh135": "hundred-and-thirty-fifth fresh set: North American birds from reasoning models (field marks, higher taxa, changes of mind)",
    "fresh136": "hundred-and-thirty-sixth fresh set: flowers from large chat models (genus and common name, cultivars, binomials, family names)",
    "fresh137": "hundred-and-thirty-seventh fresh set: birds, flowers, pets, cars in awkward answers (rejected look-alikes, questions, split names)",
    "fresh138": "hundred-and-thirty-eighth fresh set: birds, flowers, pets, cars in structured answers (JSON, YAML, tables, tags, top-k lists)",
    "fresh139": "hundred-and-thirty-ninth fresh set: flowers from small open models and captioners (lower case, colours, insects on flowers)",
    "fresh140": "hundred-and-fortieth fresh set: flowers from reasoning models (think blocks, steps, genus then species, cultivars)",
    "fresh141": "hundred-and-forty-first fresh set: cars from captioners, chat models and Qwen (lower case, trims, generation codes)",
    "fresh142": "hundred-and-forty-second fresh set: cat and dog breeds from reasoning and small open models",
    "fresh143": "hundred-and-forty-third fresh set: birds from large chat models (hedges, plumage, subspecies, look-alikes)",
    "fresh144": "hundred-and-forty-fourth fresh set: birds, flowers, pets, cars in structured answers (JSON, YAML, XML tags, tables, top-k)",
    "fresh145": "hundred-and-forty-fifth fresh set: flowers from large chat models and Qwen (genus, common names, cultivars)",
    "fresh146": "hundred-and-forty-sixth fresh set: birds, flowers, pets, cars in awkward answers (other languages, split names, headings)",
    "fresh147": "hundred-and-forty-seventh fresh set: flowers from small open models and captioners (scenes, vases, insects, plurals)",
    "fresh148": "hundred-and-forty-eighth fresh set: birds from reasoning models (think blocks, boxed answers, changes of mind)",
    "fresh149": "hundred-and-forty-ninth fresh set: cars from reasoning, chat and small models (generations, trims, variants)",
    "fresh150": "hundred-and-fiftieth fresh set: cat and dog breeds from large chat models and Qwen (coats, mixes, nicknames)",
    "fresh151": "hundred-and-fifty-first fresh set: flowers from reasoning models and terse expert one-liners (binomials, cultivars)",
    "fresh152": "hundred-and-fifty-second fresh set: birds, flowers, pets, cars from small open models in plain imperfect sentences",
    "fresh153": "hundred-and-fifty-third fresh set: birds, flowers, pets, cars in awkward answers (tables, ticks, typos, split names)",
    "fresh154": "hundred-and-fifty-fourth fresh set: birds and flowers in Qwen2.5-VL and InternVL2.5 manners",
    "fresh155": "hundred-and-fifty-fifth fresh set: flowers from small open models and captioners (plurals kept as written)",
    "fresh156": "hundred-and-fifty-sixth fresh set: flowers from reasoning models and terse botanist answers",
    "fresh157": "hundred-and-fifty-seventh fresh set: cars from captioners and chat models (scenes, taxis, police cars, hedges)",
    "fresh158": "hundred-and-fifty-eighth fresh set: cat and dog breeds from small and reasoning models (two animals, mixes)",
    "fresh159": "hundred-and-fifty-ninth fresh set: birds from chat models, Qwen and small models (generic word first)",
    "fresh160": "hundred-and-sixtieth fresh set: birds, flowers, pets, cars in awkward answers (footnotes, ALL CAPS, half-bold names)",
    "fresh161": "hundred-and-sixty-first fresh set: birds, flowers, pets, cars in structured answers (CSV rows, top-k, tags, JSON)",
    "fresh162": "hundred-and-sixty-second fresh set: flowers and pets in Qwen2.5-VL, InternVL2.5 and GPT-4o manners",
    "fresh163": "hundred-and-sixty-third fresh set: flowers in small-model and captioner manners (LLaVA, MiniCPM-V, moondream, BLIP, Phi-3-vision)",
    "fresh164": "hundred-and-sixty-fourth fresh set: cars in chat, small-model and reasoning manners (generations, trims, liveries)",
    "fresh165": "hundred-and-sixty-fifth fresh set: birds in reasoning-model manners (QVQ, o1/o3, DeepSeek-R1, Gemini thinking)",
    "fresh166": "hundred-and-sixty-sixth fresh set: cat and dog breeds in chat manners (mixes, crosses, nicknames, coat colours)",
    "fresh167": "hundred-and-sixty-seventh fresh set: flowers and plants in botanist manners (binomials, cultivars, families)",
    "fresh168": "hundred-and-sixty-eighth fresh set: birds, flowers, pets, cars in awkward shapes (code blocks, YAML, two languages, wrapped lines)",
    "fresh169": "hundred-and-sixty-ninth fresh set: birds, flowers, pets, cars in Qwen2.5-VL-72B and InternVL2.5-78B manners",
    "fresh170": "hundred-and-seventieth fresh set: birds, flowers, pets, cars as terse one-liners",
    "fresh171": "hundred-and-seventy-first fresh set: flowers in Qwen2.5-VL-72B, GPT-4o and Claude manners (cultivars, hedges)",
    "fresh172": "hundred-and-seventy-second fresh set: birds in reasoning-model manners (QVQ, DeepSeek-R1, o1, Gemini thinking, Kimi-VL thinking)",
    "fresh173": "hundred-and-seventy-third fresh set: cars in Qwen2.5-VL-72B and GPT-4o manners (Stanford-Cars-like classes)",
    "fresh174": "hundred-and-seventy-fourth fresh set: cat and dog breeds in Qwen2.5-VL, InternVL and small-model manners",
    "fresh175": "hundred-and-seventy-fifth fresh set: flowers in small-model and captioner manners (LLaVA, moondream, BLIP, Florence-2)",
    "fresh176": "hundred-and-seventy-sixth fresh set: birds, flowers, pets, cars in awkward shapes (tables, JSON, YAML, tags, other languages)",
    "fresh177": "hundred-and-seventy-seventh fresh set: flowers and plants in botanist manners and terse 'Genus species - common name' lines",
    "fresh178": "hundred-and-seventy-eighth fresh set: birds, flowers, pets, cars in Claude 3.5, GPT-4o and Gemini 1.5 chat manners",
    "fresh179": "hundred-and-seventy-ninth fresh set: flowers in small-model captions (moondream, LLaVA, MiniCPM, Phi-3-vision)",
    "fresh180": "hundred-and-eightieth fresh set: garden plants, wild flowers and fungi in terse botanist / mycologist manners (author citations)",
    "fresh181": "hundred-and-eighty-first fresh set: butterflies, moths, dragonflies and beetles in mixed manners",
    "fresh182": "hundred-and-eighty-second fresh set: aircraft types (FGVC-Aircraft-like) in mixed manners",
    "fresh183": "hundred-and-eighty-third fresh set: flowers, cars, cat and dog breeds in reasoning-model manners",
    "fresh184": "hundred-and-eighty-fourth fresh set: birds, flowers, cars, pets, fish in awkward shapes (several subjects, typos, tables)",
    "fresh185": "hundred-and-eighty-fifth fresh set: food dishes and aquarium fish in mixed manners",
    "fresh186": "hundred-and-eighty-sixth fresh set: cat breeds, birds and cars in GPT-4o, Claude 3.5 and Gemini 1.5 chat manners",
    "fresh187": "hundred-and-eighty-seventh fresh set: trees, wild flowers, fungi and lichens as herbarium labels and iNaturalist IDs (citations, ranks)",
    "fresh188": "hundred-and-eighty-eighth fresh set: flowers, insects, mushrooms in small-model and captioner manners (BLIP-2, Florence-2, moondream)",
    "fresh189": "hundred-and-eighty-ninth fresh set: reptiles and amphibians in mixed manners (morphs, life stages, safety notes)",
    "fresh190": "hundred-and-ninetieth fresh set: dermoscopy, histology and microbiology classes (disclaimers, differentials, abbreviations)",
    "fresh191": "hundred-and-ninety-first fresh set: sneakers, watches, handbags, cameras (brand + model, colourways, reference numbers)",
    "fresh192": "hundred-and-ninety-second fresh set: birds, insects, reef fish in reasoning-model manners",
    "fresh193": "hundred-and-ninety-third fresh set: dog breeds, food dishes, aircraft in chat manners with candidate tables",
    "fresh194": "hundred-and-ninety-fourth fresh set: terse one-line answers over eight domains (Latin - Name, confidences, emoji)",
    "fresh195": "hundred-and-ninety-fifth fresh set: flower species in the manners of Qwen, GPT-4o, Gemini and Claude (cultivars in quotes, plurals, colours)",
    "fresh196": "hundred-and-ninety-sixth fresh set: the 37 Oxford pets breeds and look-alikes, thirteen manners (mixes, coat colours, category words)",
    "fresh197": "hundred-and-ninety-seventh fresh set: cars, make / model / body / year in twelve manners (trims, year ranges, tables)",
    "fresh198": "hundred-and-ninety-eighth fresh set: birds by reasoning models only (QVQ boxed answers, R1 think blocks, o1, Gemini thinking)",
    "fresh199": "hundred-and-ninety-ninth fresh set: small open models and captioners on birds, cars, flowers, mushrooms and pets",
    "fresh200": "two-hundredth fresh set: life stages, morphs, sexes and plumages, flocks and schools (birds, insects, reptiles, fish)",
    "fresh201": "two-hundred-and-first fresh set: retail products (brand + line + model) and medical imaging findings",
    "fresh202": "two-hundred-and-second fresh set: Claude- and Gemini-style chat on flowers, pets, cars and aircraft (look-alikes first, changes of mind)",
    "fresh203": "two-hundred-and-third fresh set: Oxford flowers in the production manners of GPT-4o, Qwen, Gemini and LLaVA",
    "fresh204": "two-hundred-and-fourth fresh set: Stanford Cars classes, a third written make + model + body + year in one span",
    "fresh205": "two-hundred-and-fifth fresh set: Oxford pets breeds in production answers (category words, hedges, mixes, coats)",
    "fresh206": "two-hundred-and-sixth fresh set: CUB birds by one step-by-step reasoning MLLM (step headings, changes of mind)",
    "fresh207": "two-hundred-and-seventh fresh set: Oxford flowers in the Qwen2.5-VL-72B manner (italic binomials first, lower-case names in prose)",
    "fresh208": "two-hundred-and-eighth fresh set: Stanford Cars classes in the Qwen2.5-VL-72B manner (body words and years beside the name)",
    "fresh209": "two-hundred-and-ninth fresh set: Oxford pets breeds by Qwen, GPT-4o and Gemini (category words, hedges, mixes, coats)",
    "fresh210": "two-hundred-and-tenth fresh set: CUB birds by five step-by-step reasoning MLLMs (rejected candidates in bold, boxed answers)",
    "fresh211": "two-hundred-and-eleventh fresh set: flowers and cars by eight non-Qwen MLLMs (years, body words and plurals left as written)",
    "fresh212": "two-hundred-and-twelfth fresh set: butterflies, reef fish, mushrooms, trees, aircraft and groceries in six manners",
    "fresh213": "two-hundred-and-thirteenth fresh set: flowers and houseplants in long markdown by GPT-4o, Gemini and Claude (look-alike tables and sections)",
    "fresh214": "two-hundred-and-fourteenth fresh set: Oxford pets breeds by ten small open MLLMs and captioners",
    "fresh215": "two-hundred-and-fifteenth fresh set: Stanford Cars classes by reasoning models (references without years or body words)",
    "fresh216": "two-hundred-and-sixteenth fresh set: birds outside North America by Qwen and GPT-4o",
    "fresh217": "two-hundred-and-seventeenth fresh set: structured answers (JSON, YAML-like lines, XML-like tags, scored tables) in six domains",
    "fresh218": "two-hundred-and-eighteenth fresh set: insects, spiders, reptiles, amphibians and camera-trap mammals in four manners",
    "fresh219": "two-hundred-and-nineteenth fresh set: retail products (sneakers, handbags, snacks, wine, beer, power tools) in two manners",
    "fresh220": "two-hundred-and-twentieth fresh set: aircraft models with variant hedges, in three manners",
    "fresh221": "two-hundred-and-twenty-first fresh set: fungi and trees in markdown with safety caveats and look-alikes",
    "fresh222": "two-hundred-and-twenty-second fresh set: reef and aquarium fish, sharks, nudibranchs and corals in three manners",
    "fresh223": "two-hundred-and-twenty-third fresh set: birds and dogs captioned by small open models",
    "fresh224": "two-hundred-and-twenty-fourth fresh set: dishes and cat and dog breeds by reasoning models with visible thinking",
    "fresh225": "two-hundred-and-twenty-fifth fresh set: insects in terse lines, markdown tables and key-value lines",
    "fresh226": "two-hundred-and-twenty-sixth fresh set: medical and plant-disease findings with disclaimers and differentials",
    "fresh227": "two-hundred-and-twenty-seventh fresh set: minerals, rocks, shells and fossils by small hobbyist-facing models",
    "fresh228": "two-hundred-and-twenty-eighth fresh set: English answers that give names in other languages (references: the English name)",
    "fresh229": "two-hundred-and-twenty-ninth fresh set: structured outputs (JSON, broken JSON, CSV, key-value lines, ranked lists)",
    "fresh230": "two-hundred-and-thirtieth fresh set: cat, horse, cattle, sheep and chicken breeds by chatty assistants (references without colour varieties)",
    "fresh231": "two-hundred-and-thirty-first fresh set: Oxford flowers and pets breeds in the Qwen2.5-VL-72B and GPT-4o manners",
    "fresh232": "two-hundred-and-thirty-second fresh set: Stanford Cars by GPT-4o, Claude and Gemini in markdown (lower-case body words left out)",
    "fresh233": "two-hundred-and-thirty-third fresh set: CUB birds by reasoning models (verdicts inside the reasoning, boxed finals)",
    "fresh234": "two-hundred-and-thirty-fourth fresh set: cat, dog and small-pet breeds by small open VLMs (captions, loops, mixes)",
    "fresh235": "two-hundred-and-thirty-fifth fresh set: wild plants, trees, mosses, lichens and mushrooms in naturalist-app manners",
    "fresh236": "two-hundred-and-thirty-sixth fresh set: birds, dog breeds and garden flowers weighed against look-alikes at length",
    "fresh237": "two-hundred-and-thirty-seventh fresh set: Oxford pets breeds in short Qwen2.5-VL, InternVL2.5 and Gemini Flash answers",
    "fresh238": "two-hundred-and-thirty-eighth fresh set: Stanford Cars in the Qwen2.5-VL-72B manner and short Qwen2-VL-7B answers",
    "fresh239": "two-hundred-and-thirty-ninth fresh set: Oxford flowers by reasoning models",
    "fresh240": "two-hundred-and-fortieth fresh set: Stanford Dogs breeds in GPT-4o, Gemini and Claude markdown",
    "fresh241": "two-hundred-and-forty-first fresh set: retail products (brand, line and model; colourways and codes left out)",
    "fresh242": "two-hundred-and-forty-second fresh set: camera-trap mammals, marine life, frogs, reptiles and butterflies in survey answers",
    "fresh243": "two-hundred-and-forty-third fresh set: butterflies, moths, dragonflies, beetles and bees with common and Latin names",
    "fresh244": "two-hundred-and-forty-fourth fresh set: aircraft types and variants reasoned from engines, winglets and fuselage",
    "fresh245": "two-hundred-and-forty-fifth fresh set: dishes in chatty captions of small open VLMs (references: the most specific dish committed to)",
    "fresh246": "two-hundred-and-forty-sixth fresh set: reef fish, sharks, rays, sea slugs and corals in long markdown with tables",
    "fresh247": "two-hundred-and-forty-seventh fresh set: birds in JSON, YAML, key-value lines, terse lines, ranked lists and tables",
    "fresh248": "two-hundred-and-forty-eighth fresh set: sneakers, handbags and watches (colourways, sizes and reference numbers left out)",
    "fresh249": "two-hundred-and-forty-ninth fresh set: Stanford Cars in prose and markdown (trims, generation codes, make-only declines)",
    "fresh250": "two-hundred-and-fiftieth fresh set: dog and cat breeds in small open VLMs' captions (ages, coats, activities)",
    "fresh251": "two-hundred-and-fifty-first fresh set: Oxford flowers by reasoning models (think blocks, steps, boxed answers)",
    "fresh252": "two-hundred-and-fifty-second fresh set: CUB birds with plumages, sexes and look-alikes ruled out",
    "fresh253": "two-hundred-and-fifty-third fresh set: retail products (electronics, appliances, tools, toys, groceries, cosmetics)",
    "fresh254": "two-hundred-and-fifty-fourth fresh set: fungi, mosses, ferns, trees, mammals, amphibians, reptiles, dragonflies",
    "fresh255": "two-hundred-and-fifty-fifth fresh set: aircraft types and variants (liveries, registrations, manufacturer-only declines)",
    "fresh256": "two-hundred-and-fifty-sixth fresh set: dishes, landmarks, findings, minerals and fish in JSON, YAML, fields and tables",
    # fresh257 - fresh260: held out of round 41 (scored, never tuned on; see BENCHMARKS.md)
    "fresh257": "two-hundred-and-fifty-seventh fresh set: Oxford flowers and pets by six models",
    "fresh258": "two-hundred-and-fifty-eighth fresh set: Stanford Cars by nine models, captions to fielded markdown",
    "fresh259": "two-hundred-and-fifty-ninth fresh set: CUB birds by reasoning models (think blocks, steps, boxed answers)",
    "fresh260": "two-hundred-and-sixtieth fresh set: insects, houseplants, shells, trees, cheeses, breads, instruments",
    "fresh261": "two-hundred-and-sixty-first fresh set: Stanford Cars by small open models (terse, run-on, corrected)",
    "fresh262": "two-hundred-and-sixty-second fresh set: field biodiversity, Latin-led and common-led, cf./aff., authorities",
    "fresh263": "two-hundred-and-sixty-third fresh set: retail products (sneakers, audio, appliances, snacks, watches, bags, toys)",
    "fresh264": "two-hundred-and-sixty-fourth fresh set: Oxford flowers by reasoning models (think blocks, boxed answers)",
    "fresh265": "two-hundred-and-sixty-fifth fresh set: dog and cat breeds, a third in Chinese, Japanese, German, French, ...",
    "fresh266": "two-hundred-and-sixty-sixth fresh set: FGVC aircraft variants and families, liveries and registrations",
    "fresh267": "two-hundred-and-sixty-seventh fresh set: JSON, YAML, XML, CSV, tables and tool calls over six domains",
    "fresh268": "two-hundred-and-sixty-eighth fresh set: dishes, textures, land use, skin and X-ray findings, styles, instruments",
    "fresh269": "two-hundred-and-sixty-ninth fresh set: motorcycles, trains, ships, bicycles, buses, tractors by small open models",
    "fresh270": "two-hundred-and-seventieth fresh set: landmarks and Places365-style scene classes, native names",
    "fresh271": "two-hundred-and-seventy-first fresh set: birds by reasoning models with their thinking kept (cut-off ones too)",
    "fresh272": "two-hundred-and-seventy-second fresh set: fish, marine life, reptiles, amphibians; Latin-led and regional names",
    "fresh273": "two-hundred-and-seventy-third fresh set: dog and cat crosses, mixes, coat colours, look-alike pairs",
    "fresh274": "two-hundred-and-seventy-fourth fresh set: pastries, cheeses, coffee, cocktails, dumplings, noodles in four languages",
    "fresh275": "two-hundred-and-seventy-fifth fresh set: answers to strict-format prompts, obeyed and broken, seven domains",
    "fresh276": "two-hundred-and-seventy-sixth fresh set: garden plants and cultivars, trade names, plant-app style results",
    "fresh277": "two-hundred-and-seventy-seventh fresh set: insects by small open models (terse, all caps, chat debris)",
    "fresh278": "two-hundred-and-seventy-eighth fresh set: fungi, lichens, slime moulds; edibility warnings, Latin-led names",
    "fresh279": "two-hundred-and-seventy-ninth fresh set: retail products (sneakers, watches, bags, cameras, lenses, guitars)",
    "fresh280": "two-hundred-and-eightieth fresh set: dermatology, blood and tissue cells, plant diseases, microbiology",
    "fresh281": "two-hundred-and-eighty-first fresh set: answers in Chinese, Japanese and Korean (birds, flowers, dogs, dishes)",
    "fresh282": "two-hundred-and-eighty-second fresh set: reasoning models with thoughts kept, cut off by the token limit too",
    "fresh283": "two-hundred-and-eighty-third fresh set: minerals, gemstones, rocks, seashells, fossils; trade names",
    "fresh284": "two-hundred-and-eighty-fourth fresh set: trees and houseplants with cultivars, in ranked tables, JSON, YAML",
    # fresh285 - fresh288: held out of round 44 (worked on in round 45)
    "fresh285": "two-hundred-and-eighty-fifth fresh set: dog and cat breeds by ten models in every style",
    "fresh286": "two-hundred-and-eighty-sixth fresh set: aircraft models and variants by twelve models",
    "fresh287": "two-hundred-and-eighty-seventh fresh set: an everyday mix in several languages and strict formats",
    "fresh288": "two-hundred-and-eighty-eighth fresh set: a biodiversity survey batch, common and Latin names, subspecies",
    "fresh289": "two-hundred-and-eighty-ninth fresh set: reef fish, sharks, crabs, nudibranchs and corals by small open models",
    "fresh290": "two-hundred-and-ninetieth fresh set: dishes of seven cuisines, names in their own language and glosses",
    "fresh291": "two-hundred-and-ninety-first fresh set: cars, motorcycles, trucks, trains and boats; make and model in fields",
    "fresh292": "two-hundred-and-ninety-second fresh set: architecture, landmarks, paintings and instruments in essays",
    "fresh293": "two-hundred-and-ninety-third fresh set: crop diseases, pests, weeds and seeds as field reports",
    "fresh294": "two-hundred-and-ninety-fourth fresh set: reasoning models on African, Asian and South American birds and herps",
    "fresh295": "two-hundred-and-ninety-fifth fresh set: answers in Russian, German, Portuguese, Polish, Turkish, Vietnamese, Indonesian",
    "fresh296": "two-hundred-and-ninety-sixth fresh set: retail catalogue items, brand, model and edition names",
    # fresh297 - fresh300: held out of round 45 (worked on in round 46)
    "fresh297": "two-hundred-and-ninety-seventh fresh set: butterflies, moths, dragonflies and beetles by five models",
    "fresh298": "two-hundred-and-ninety-eighth fresh set: trees, shrubs and garden flowers, some in Spanish or French",
    "fresh299": "two-hundred-and-ninety-ninth fresh set: phones, cameras, laptops, consoles, power tools and bicycles",
    "fresh300": "three-hundredth fresh set: wild mammals and horse and cattle breeds in captions, reasoning and reports",
    "fresh301": "three-hundred-and-first fresh set: Oxford-102 flowers, binomials glossed by common names, cultivars",
    "fresh302": "three-hundred-and-second fresh set: Oxford pets cat and dog breeds, nicknames, mixes, category words",
    "fresh303": "three-hundred-and-third fresh set: Stanford Cars make, model, body and year in prose, fields and traces",
    "fresh304": "three-hundred-and-fourth fresh set: reasoning models on North American birds, headings and late verdicts",
    "fresh305": "three-hundred-and-fifth fresh set: fungi, lichens, mosses, ferns and slime moulds, Latin first",
    "fresh306": "three-hundred-and-sixth fresh set: dermoscopy, radiology, histology, blood cells and plankton findings",
    "fresh307": "three-hundred-and-seventh fresh set: retail shoes, bags, watches, furniture, food and cosmetics",
    "fresh308": "three-hundred-and-eighth fresh set: aquarium and sport fish, shrimp and snails, trade names and L-numbers",
    # fresh309 - fresh312: held out of round 46 (worked on in round 47)
    "fresh309": "three-hundred-and-ninth fresh set: aircraft variants, locomotives and ships, operators and liveries",
    "fresh310": "three-hundred-and-tenth fresh set: Food-101 dishes and street food, food-log bots, own-language names",
    "fresh311": "three-hundred-and-eleventh fresh set: Stanford Dogs breeds by captioners, chat and reasoning models",
    "fresh312": "three-hundred-and-twelfth fresh set: houseplants, succulents, cacti and perennials, plant-ID app lists",
    "fresh313": "three-hundred-and-thirteenth fresh set: Oxford-102 garden flowers by chat models and captioners, labels, cultivars",
    "fresh314": "three-hundred-and-fourteenth fresh set: Oxford pets breeds by reasoning models, boxed answers, thinking traces",
    "fresh315": "three-hundred-and-fifteenth fresh set: Stanford Cars by terse VQA models, JSON APIs and chat, trims and years",
    "fresh316": "three-hundred-and-sixteenth fresh set: CUB birds with hedges, look-alikes, mind changes and plumage talk",
    "fresh317": "three-hundred-and-seventeenth fresh set: insects and spiders as iNaturalist-style identifications, own-language glosses",
    "fresh318": "three-hundred-and-eighteenth fresh set: reptiles, amphibians, reef fish, corals, sea slugs and sharks",
    "fresh319": "three-hundred-and-nineteenth fresh set: European and Asian birds in German, French, Spanish, Japanese and Chinese",
    "fresh320": "three-hundred-and-twentieth fresh set: retail and grocery products, brands, models, flavours and editions",
    # fresh321 - fresh324: held out of round 47 (worked on in round 48)
    "fresh321": "three-hundred-and-twenty-first fresh set: Oxford-102 flowers by a wide mix of MLLMs, any manner",
    "fresh322": "three-hundred-and-twenty-second fresh set: Stanford Cars by a wide mix of MLLMs, reasoning and structured",
    "fresh323": "three-hundred-and-twenty-third fresh set: CUB birds by reasoning models, traces, boxed and bold verdicts",
    "fresh324": "three-hundred-and-twenty-fourth fresh set: Oxford pets breeds by a wide mix of MLLMs, mixes and hedges",
    # fresh325 - fresh332: held out of round 48 (worked on in round 49)
    "fresh325": "three-hundred-and-twenty-fifth fresh set: Oxford-102 flowers by small open VLMs and captioners",
    "fresh326": "three-hundred-and-twenty-sixth fresh set: Stanford Cars by chat assistants and structured APIs",
    "fresh327": "three-hundred-and-twenty-seventh fresh set: CUB birds by reasoning and field-guide chat models",
    "fresh328": "three-hundred-and-twenty-eighth fresh set: Oxford pets by chat and reasoning models, mixes and hedges",
    "fresh329": "three-hundred-and-twenty-ninth fresh set: Oxford-102 flowers by reasoning models, Latin names first",
    "fresh330": "three-hundred-and-thirtieth fresh set: Stanford Cars by terse VQA and reasoning models, late verdicts",
    "fresh331": "three-hundred-and-thirty-first fresh set: fungi, trees and shrubs as iNaturalist and forager-app IDs",
    "fresh332": "three-hundred-and-thirty-second fresh set: aircraft, ships and trains by chat, captioners and spotters",
    # fresh333 - fresh336: held out of round 49 (worked on in round 50)
    "fresh333": "three-hundred-and-thirty-third fresh set: Oxford-102 flowers by general chat assistants",
    "fresh334": "three-hundred-and-thirty-fourth fresh set: Oxford pets by small open VLMs and captioners",
    "fresh335": "three-hundred-and-thirty-fifth fresh set: Stanford Cars by reasoning models, traces and final lines",
    "fresh336": "three-hundred-and-thirty-sixth fresh set: CUB birds by chat assistants and small VLMs",
    # fresh337 - fresh340: held out of round 50 (worked on in round 51)
    "fresh337": "three-hundred-and-thirty-seventh fresh set: CUB birds by reasoning models, traces and mind changes",
    "fresh338": "three-hundred-and-thirty-eighth fresh set: Oxford-102 flowers by small open VLMs, several languages",
    "fresh339": "three-hundred-and-thirty-ninth fresh set: Oxford pets by chat and reasoning models, hedges and mixes",
    "fresh340": "three-hundred-and-fortieth fresh set: Stanford Cars by chat assistants, small VLMs and JSON pipelines",
    # fresh341 - fresh344: held out of round 51 at first contact, then worked on in round 51
    "fresh341": "three-hundred-and-forty-first fresh set: Oxford-102 flowers by reasoning models and chat assistants",
    "fresh342": "three-hundred-and-forty-second fresh set: Oxford pets by small open VLMs, captioners, six languages",
    "fresh343": "three-hundred-and-forty-third fresh set: CUB birds by small open VLMs and captioners, four languages",
    "fresh344": "three-hundred-and-forty-fourth fresh set: Stanford Cars by reasoning models and chat assistants",
    # fresh345 - fresh348: held out of round 51, written mid-round (scored at first contact and
    # after the round's rules, then worked on in round 51; see BENCHMARKS.md)
    "fresh345": "three-hundred-and-forty-fifth fresh set: CUB birds by chat assistants and reasoning models",
    "fresh346": "three-hundred-and-forty-sixth fresh set: Oxford-102 flowers by small open VLMs, Florence-2 tasks, five languages",
    "fresh347": "three-hundred-and-forty-seventh fresh set: Oxford pets by chat and reasoning models, nicknames and mixes",
    "fresh348": "three-hundred-and-forty-eighth fresh set: Stanford Cars by small open VLMs, captioners and JSON pipelines",
    # fresh349 - fresh352: held out of round 52 at first contact (registered before any rule of
    # the round, scored after the rules written blind), then worked on in round 52
    "fresh349": "three-hundred-and-forty-ninth fresh set: CUB birds by small open VLMs, captioners, five languages",
    "fresh350": "three-hundred-and-fiftieth fresh set: Oxford-102 flowers by chat assistants, four languages",
    "fresh351": "three-hundred-and-fifty-first fresh set: Oxford pets by small open VLMs, captioners and structured pipelines",
    "fresh352": "three-hundred-and-fifty-second fresh set: Stanford Cars by chat assistants and reasoning models, five languages",
    # fresh353 - fresh356: held out of round 52, written mid-round (registered unread, scored at
    # first contact and after the rules written from fresh349 - fresh352, then worked on in round 52)
    "fresh353": "three-hundred-and-fifty-third fresh set: CUB birds by reasoning models and chat assistants",
    "fresh354": "three-hundred-and-fifty-fourth fresh set: Oxford-102 flowers by small open VLMs, captioners, five languages",
    "fresh355": "three-hundred-and-fifty-fifth fresh set: Oxford pets by chat assistants, four languages",
    "fresh356": "three-hundred-and-fifty-sixth fresh set: Stanford Cars by small open VLMs, captioners and structured pipelines",
    # fresh357 - fresh360: held out of round 52 to its end (registered unread, scored on its last
    # rules), then worked on in round 53
    "fresh357": "three-hundred-and-fifty-seventh fresh set: CUB birds by small open VLMs, captioners, five languages",
    "fresh358": "three-hundred-and-fifty-eighth fresh set: Oxford-102 flowers by reasoning models and chat assistants, three languages",
    "fresh359": "three-hundred-and-fifty-ninth fresh set: Oxford pets by reasoning models and structured pipelines, three languages",
    "fresh360": "three-hundred-and-sixtieth fresh set: Stanford Cars by chat assistants, four languages",
    # fresh361 - fresh364: held out of round 53 at first contact (registered unread, scored on the
    # round's first rules), then worked on in round 53
    "fresh361": "three-hundred-and-sixty-first fresh set: CUB birds by chat assistants and structured pipelines, four languages",
    "fresh362": "three-hundred-and-sixty-second fresh set: Oxford-102 flowers by small open VLMs, captioners and pipelines, five languages",
    "fresh363": "three-hundred-and-sixty-third fresh set: Oxford pets by small open VLMs, captioners, six languages",
    "fresh364": "three-hundred-and-sixty-fourth fresh set: Stanford Cars by reasoning models and structured pipelines, four languages",
    # fresh365 - fresh368: held out of round 53 (registered unread, scored at first contact and
    # on c410352), then worked on in its second part
    "fresh365": "three-hundred-and-sixty-fifth fresh set: CUB birds by reasoning models and small open VLMs, four languages",
    "fresh366": "three-hundred-and-sixty-sixth fresh set: Oxford-102 flowers by chat assistants and structured pipelines, four languages",
    "fresh367": "three-hundred-and-sixty-seventh fresh set: Oxford pets by reasoning models and chat assistants, four languages",
    "fresh368": "three-hundred-and-sixty-eighth fresh set: Stanford Cars by small open VLMs, captioners and chat assistants, four languages",
    # fresh369 - fresh372: held out of round 53's second part to its end (registered unread,
    # scored at first contact and on the last rules), then worked on in round 54
    "fresh369": "three-hundred-and-sixty-ninth fresh set: CUB birds by small open VLMs, captioners and chat assistants, five languages",
    "fresh370": "three-hundred-and-seventieth fresh set: Oxford-102 flowers by reasoning models and pipelines, four languages",
    "fresh371": "three-hundred-and-seventy-first fresh set: Oxford pets by small open VLMs, captioners and pipelines, five languages",
    "fresh372": "three-hundred-and-seventy-second fresh set: Stanford Cars by chat assistants and reasoning models, five languages",
    # fresh373 - fresh380: held out of round 54 to its end (registered unread, scored at first
    # contact and on the round's last rules), then worked on in round 57
    "fresh373": "three-hundred-and-seventy-third fresh set: CUB birds by reasoning models and structured pipelines, four languages",
    "fresh374": "three-hundred-and-seventy-fourth fresh set: Oxford-102 flowers by small open VLMs, captioners and chat assistants, five languages",
    "fresh375": "three-hundred-and-seventy-fifth fresh set: Oxford pets by chat assistants and structured pipelines, four languages",
    "fresh376": "three-hundred-and-seventy-sixth fresh set: Stanford Cars by small open VLMs, captioners and structured pipelines, four languages",
    "fresh377": "three-hundred-and-seventy-seventh fresh set: CUB birds by chat assistants and small open VLMs, four languages",
    "fresh378": "three-hundred-and-seventy-eighth fresh set: Oxford-102 flowers by chat assistants and reasoning models, four languages",
    "fresh379": "three-hundred-and-seventy-ninth fresh set: Oxford pets by reasoning models, small open VLMs and captioners, four languages",
    "fresh380": "three-hundred-and-eightieth fresh set: Stanford Cars by reasoning models and chat assistants, four languages",
    # fresh381 - fresh388: held out of round 57's first part to its end (registered unread, scored
    # at first contact and on the part's last rules), then worked on; English only, in the manners
    # of issue 9's files
    "fresh381": "three-hundred-and-eighty-first fresh set: CUB birds by reasoning models",
    "fresh382": "three-hundred-and-eighty-second fresh set: Oxford-102 flowers by chat assistants and open VLMs",
    "fresh383": "three-hundred-and-eighty-third fresh set: Oxford pets by chat assistants and small open VLMs",
    "fresh384": "three-hundred-and-eighty-fourth fresh set: Stanford Cars by chat assistants and open VLMs",
    "fresh385": "three-hundred-and-eighty-fifth fresh set: Oxford-102 flowers by reasoning models",
    "fresh386": "three-hundred-and-eighty-sixth fresh set: Oxford pets by reasoning models",
    "fresh387": "three-hundred-and-eighty-seventh fresh set: Stanford Cars by reasoning models",
    "fresh388": "three-hundred-and-eighty-eighth fresh set: CUB birds by chat assistants and open VLMs",
    # fresh389 - fresh393: held out of round 57's second part to its end (registered unread,
    # scored at first contact and on the round's last rules); English only
    "fresh389": "three-hundred-and-eighty-ninth fresh set: CUB birds in the manners of Qwen2.5-VL and GPT-4o",
    "fresh390": "three-hundred-and-ninetieth fresh set: Oxford-102 flowers by chat assistants and open VLMs",
    "fresh391": "three-hundred-and-ninety-first fresh set: Oxford pets by chat assistants and open VLMs",
    "fresh392": "three-hundred-and-ninety-second fresh set: CUB birds by reasoning models, step by step",
    "fresh393": "three-hundred-and-ninety-third fresh set: Stanford Cars by chat assistants and open VLMs",
    # fresh394 - fresh401: held out of round 58 to its end (registered unread, scored at first
    # contact and on the round's last rules); English only
    "fresh394": "three-hundred-and-ninety-fourth fresh set: Oxford-102 flowers by chat assistants",
    "fresh395": "three-hundred-and-ninety-fifth fresh set: Oxford-102 flowers by open VLMs, terse and structured",
    "fresh396": "three-hundred-and-ninety-sixth fresh set: Oxford pets by reasoning models, step by step",
    "fresh397": "three-hundred-and-ninety-seventh fresh set: Stanford Cars by reasoning models, step by step",
    "fresh398": "three-hundred-and-ninety-eighth fresh set: CUB birds by open VLMs",
    "fresh399": "three-hundred-and-ninety-ninth fresh set: Oxford-102 flowers by reasoning models, step by step",
    "fresh400": "four-hundredth fresh set: Oxford pets by chat assistants",
    "fresh401": "four-hundred-and-first fresh set: Stanford Cars by chat assistants and open VLMs",
    # fresh402 - fresh409: held out of round 59 to its end (registered unread, scored at first
    # contact and on the round's last rules)
    "fresh402": "four-hundred-and-second fresh set: Oxford-102 flowers by reasoning models, step by step",
    "fresh403": "four-hundred-and-third fresh set: Oxford-102 flowers by open VLMs, terse and odd",
    "fresh404": "four-hundred-and-fourth fresh set: Oxford pets by chat assistants",
    "fresh405": "four-hundred-and-fifth fresh set: Oxford pets by reasoning models and open VLMs",
    "fresh406": "four-hundred-and-sixth fresh set: Stanford Cars by chat assistants",
    "fresh407": "four-hundred-and-seventh fresh set: Stanford Cars by reasoning models and open VLMs",
    "fresh408": "four-hundred-and-eighth fresh set: CUB birds by reasoning models, step by step",
    "fresh409": "four-hundred-and-ninth fresh set: CUB birds and Oxford-102 flowers by chat assistants",
    # fresh410 - fresh417: held out of round 60 to its end (registered unread, scored at first
    # contact and on the round's last rules)
    "fresh410": "four-hundred-and-tenth fresh set: Oxford-102 flowers by chat assistants",
    "fresh411": "four-hundred-and-eleventh fresh set: Oxford-102 flowers by reasoning models, step by step",
    "fresh412": "four-hundred-and-twelfth fresh set: Oxford pets by open VLMs",
    "fresh413": "four-hundred-and-thirteenth fresh set: Oxford pets by reasoning models, step by step",
    "fresh414": "four-hundred-and-fourteenth fresh set: Stanford Cars by chat assistants",
    "fresh415": "four-hundred-and-fifteenth fresh set: Stanford Cars by reasoning models and open VLMs",
    "fresh416": "four-hundred-and-sixteenth fresh set: CUB birds by open VLMs and reasoning models",
    "fresh417": "four-hundred-and-seventeenth fresh set: aircraft, mushrooms, food, insects and houseplants",
    # fresh418 - fresh425: held out of round 61 to its end (registered unread, scored at first
    # contact and on the round's last rules)
    "fresh418": "four-hundred-and-eighteenth fresh set: Oxford-102 flowers by open VLMs",
    "fresh419": "four-hundred-and-nineteenth fresh set: Oxford-102 flowers by reasoning models, step by step",
    "fresh420": "four-hundred-and-twentieth fresh set: Oxford pets by chat assistants",
    "fresh421": "four-hundred-and-twenty-first fresh set: Oxford pets by reasoning models and small open VLMs",
    "fresh422": "four-hundred-and-twenty-second fresh set: Stanford Cars by open VLMs",
    "fresh423": "four-hundred-and-twenty-third fresh set: Stanford Cars by reasoning models and chat assistants",
    "fresh424": "four-hundred-and-twenty-fourth fresh set: CUB birds by chat assistants",
    "fresh425": "four-hundred-and-twenty-fifth fresh set: aquarium fish, trees, butterflies, retail products and skin lesions",
    # fresh426 - fresh433: held out of round 62 to its end (registered unread, scored at first
    # contact and on the round's last rules)
    "fresh426": "four-hundred-and-twenty-sixth fresh set: Oxford-102 flowers by chat assistants and small open VLMs",
    "fresh427": "four-hundred-and-twenty-seventh fresh set: Oxford pets by open VLMs",
    "fresh428": "four-hundred-and-twenty-eighth fresh set: Stanford Cars by reasoning models, step by step",
    "fresh429": "four-hundred-and-twenty-ninth fresh set: CUB birds by reasoning models and open VLMs",
    "fresh430": "four-hundred-and-thirtieth fresh set: FGVC aircraft by chat assistants, open VLMs and reasoning models",
    "fresh431": "four-hundred-and-thirty-first fresh set: Food-101 dishes by chat assistants, open VLMs and reasoning models",
    "fresh432": "four-hundred-and-thirty-second fresh set: reptiles and amphibians, seashells, mushrooms, cheeses and retail products",
    "fresh433": "four-hundred-and-thirty-third fresh set: Stanford Dogs by chat assistants and reasoning models",
    # fresh434 - fresh441: commissioned at the end of round 62 and scored unread on its last rules
    # (first contact of a whole wave on the round's end); held for round 63
    "fresh434": "four-hundred-and-thirty-fourth fresh set: Oxford-102 flowers by reasoning models, step by step",
    "fresh435": "four-hundred-and-thirty-fifth fresh set: Oxford pets by chat assistants",
    "fresh436": "four-hundred-and-thirty-sixth fresh set: Stanford Cars by chat assistants and open VLMs",
    "fresh437": "four-hundred-and-thirty-seventh fresh set: CUB birds by chat assistants and small open VLMs",
    "fresh438": "four-hundred-and-thirty-eighth fresh set: dishes and baked goods by chat assistants and reasoning models",
    "fresh439": "four-hundred-and-thirty-ninth fresh set: insects, spiders, houseplants, minerals and invertebrates",
    "fresh440": "four-hundred-and-fortieth fresh set: retail products and medical images",
    "fresh441": "four-hundred-and-forty-first fresh set: aircraft, ships, trains and motorcycles",
    # fresh442 - fresh445: commissioned during round 63 on the four domains and scored
    # unread on its last rules; held for round 64
    "fresh442": "four-hundred-and-forty-second fresh set: flowers by open VLMs and chat assistants",
    "fresh443": "four-hundred-and-forty-third fresh set: cat and dog breeds by reasoning models",
    "fresh444": "four-hundred-and-forty-fourth fresh set: Stanford Cars by open VLMs, chat assistants and reasoning models",
    "fresh445": "four-hundred-and-forty-fifth fresh set: CUB birds by open VLMs, chat assistants and reasoning models",
    # fresh446 - fresh449: commissioned at the start of round 64 on the four domains and
    # held out, unread, to its end
    "fresh446": "four-hundred-and-forty-sixth fresh set: flowers by open VLMs and reasoning models",
    "fresh447": "four-hundred-and-forty-seventh fresh set: cat and dog breeds by open VLMs and chat assistants",
    "fresh448": "four-hundred-and-forty-eighth fresh set: Stanford Cars by open VLMs and reasoning models",
    "fresh449": "four-hundred-and-forty-ninth fresh set: CUB birds by reasoning models and Qwen",
    # fresh450 - fresh453: commissioned at the end of round 64, the first written to the real
    # files' plural convention (a name given only in the plural has a singular reference);
    # scored unread once, held for round 65
    "fresh450": "four-hundred-and-fiftieth fresh set: flowers by Qwen, open VLMs and chat assistants",
    "fresh451": "four-hundred-and-fifty-first fresh set: cat and dog breeds by Qwen and reasoning models",
    "fresh452": "four-hundred-and-fifty-second fresh set: Stanford Cars by Qwen and chat assistants",
    "fresh453": "four-hundred-and-fifty-third fresh set: CUB birds by reasoning models and Qwen",
    # fresh454 - fresh457: commissioned at the start of round 65, before any of its rules, and
    # held out (unread) to its end
    "fresh454": "four-hundred-and-fifty-fourth fresh set: flowers by reasoning models and Qwen",
    "fresh455": "four-hundred-and-fifty-fifth fresh set: cat and dog breeds by Qwen, open VLMs and chat assistants",
    "fresh456": "four-hundred-and-fifty-sixth fresh set: Stanford Cars by reasoning models and Qwen",
    "fresh457": "four-hundred-and-fifty-seventh fresh set: CUB birds by Qwen, reasoning models and chat assistants",
    # fresh458 - fresh461: commissioned at the start of round 66, before any of its rules, and
    # held out (unread) to its end
    "fresh458": "four-hundred-and-fifty-eighth fresh set: flowers by Qwen, chat assistants and reasoning models",
    "fresh459": "four-hundred-and-fifty-ninth fresh set: cat and dog breeds by reasoning models, Qwen and open VLMs",
    "fresh460": "four-hundred-and-sixtieth fresh set: Stanford Cars by chat assistants, Qwen and open VLMs",
    "fresh461": "four-hundred-and-sixty-first fresh set: CUB birds by chat assistants, reasoning models and open VLMs",
    # fresh462 - fresh465: commissioned at the start of round 67, before any of its rules, and
    # held out (unread) to its end
    "fresh462": "four-hundred-and-sixty-second fresh set: flowers by open VLMs, chat assistants and Qwen",
    "fresh463": "four-hundred-and-sixty-third fresh set: cat and dog breeds by chat assistants, reasoning models and captioners",
    "fresh464": "four-hundred-and-sixty-fourth fresh set: Stanford Cars by reasoning models, Qwen and open VLMs",
    "fresh465": "four-hundred-and-sixty-fifth fresh set: CUB birds by Qwen, open VLMs and chat assistants",
    # fresh466 - fresh469: commissioned at the start of round 68, before any of its rules, and
    # held out (unread) to its end
    "fresh466": "four-hundred-and-sixty-sixth fresh set: flowers by reasoning models, GPT-4o, Gemini, InternVL and MiniCPM-V",
    "fresh467": "four-hundred-and-sixty-seventh fresh set: cat and dog breeds by Qwen (plain and JSON), open VLMs, Claude and Gemini",
    "fresh468": "four-hundred-and-sixty-eighth fresh set: Stanford Cars by chat assistants, reasoning models, Qwen and open VLMs",
    "fresh469": "four-hundred-and-sixty-ninth fresh set: CUB birds by reasoning models, Qwen, LLaVA and chat assistants",
    # fresh470 - fresh473: commissioned at the start of round 69, before any of its rules, and
    # held out (unread) to its end
    "fresh470": "four-hundred-and-seventieth fresh set: flowers by Qwen, Llama, Claude, GPT-4o, reasoning models, Latin-first, lower-case, French and Spanish",
    "fresh471": "four-hundred-and-seventy-first fresh set: cat and dog breeds by GPT-4o-mini, Gemini, Claude, InternVL JSON, Phi-3.5 and reasoning models",
    "fresh472": "four-hundred-and-seventy-second fresh set: Stanford Cars by chat assistants, Qwen, LLaVA-NeXT and reasoning models, generation ranges and trims",
    "fresh473": "four-hundred-and-seventy-third fresh set: CUB birds by Qwen, GPT-4o, Claude, reasoning models and Gemini, Chinese and Japanese",
    # fresh474 - fresh477: commissioned at the start of round 70, before any of its rules, and
    # held out unread to the end of it
    "fresh474": "four-hundred-and-seventy-fourth fresh set: flowers by InternVL2, Llama, Claude, GPT-4o, Gemini, reasoning models, Latin-first, lower-case, German and Italian",
    "fresh475": "four-hundred-and-seventy-fifth fresh set: cat and dog breeds by LLaVA, Qwen2-VL, Claude, GPT-4o-mini, Pixtral, MiniCPM, JSON and reasoning models, Dutch and Spanish",
    "fresh476": "four-hundred-and-seventy-sixth fresh set: Stanford Cars by GPT-4o tables, Gemini, Claude, Qwen, LLaVA and reasoning models, year ranges, French and Korean",
    "fresh477": "four-hundred-and-seventy-seventh fresh set: CUB birds by field-guide prose, GPT-4o, Claude, Gemini tables, reasoning models, Spanish and Chinese",
    # fresh478 - fresh481: commissioned at the start of round 71, before any of its rules, and
    # held out unread to the end of it
    "fresh478": "four-hundred-and-seventy-eighth fresh set: flowers by Qwen, InternVL2, GPT-4o, Gemini, Claude, LLaVA and reasoning models, Latin-first, lower-case, French and Portuguese",
    "fresh479": "four-hundred-and-seventy-ninth fresh set: cat and dog breeds by GPT-4o, Claude, Gemini, Qwen2-VL, LLaVA, Pixtral, MiniCPM, JSON and reasoning models, crosses, German and Japanese",
    "fresh480": "four-hundred-and-eightieth fresh set: Stanford Cars by GPT-4o tables, Claude, Gemini, Qwen, LLaVA, InternVL, JSON and reasoning models, make-only answers, Spanish and Chinese",
    "fresh481": "four-hundred-and-eighty-first fresh set: CUB birds by field-guide prose, GPT-4o, Claude, Gemini tables, Llama, InternVL2 and reasoning models, family first, lower-case, Italian and Korean",
    # fresh482 - fresh485: commissioned at the start of round 72, before any of its rules, and
    # held out unread to the end of it
    "fresh482": "four-hundred-and-eighty-second fresh set: flowers by Qwen, Llama, GPT-4o headings, Claude, Gemini bullets, MiniCPM and reasoning models, Latin-first, lower-case, Spanish and Dutch",
    "fresh483": "four-hundred-and-eighty-third fresh set: cat and dog breeds by GPT-4o-mini, Claude, Gemini tables, Qwen2-VL, LLaVA, InternVL2 JSON, Phi-3.5 and reasoning models, crosses, French and Polish",
    "fresh484": "four-hundred-and-eighty-fourth fresh set: Stanford Cars by GPT-4o tables, Claude, Gemini, Qwen, LLaVA-NeXT, Pixtral, JSON and reasoning models, trims, make-only answers, German and Japanese",
    "fresh485": "four-hundred-and-eighty-fifth fresh set: CUB birds by field-guide prose, GPT-4o, Claude, Gemini tables, Qwen, LLaVA, InternVL2 and reasoning models, family and Latin first, lower-case, Portuguese and Russian",
    # fresh486 - fresh489: commissioned at the start of round 73, before any of its rules, and
    # held out unread to the end of it
    "fresh486": "four-hundred-and-eighty-sixth fresh set: flowers by Qwen2-VL, GPT-4o tables, Claude, Gemini bullets, LLaVA-OneVision, InternVL2.5, Molmo and reasoning models, Latin-first, lower-case, Italian and Swedish",
    "fresh487": "four-hundred-and-eighty-seventh fresh set: cat and dog breeds by GPT-4o, Claude Haiku, Gemini headings, Qwen2.5-VL, LLaVA, CogVLM, Idefics3, JSON, key: value and reasoning models, crosses, German and Portuguese",
    "fresh488": "four-hundred-and-eighty-eighth fresh set: Stanford Cars by GPT-4o tables, Claude, Gemini bullets, Qwen, LLaVA-NeXT, Llama, Pixtral, MiniCPM, JSON and reasoning models, trims, make-only answers, French and Korean",
    "fresh489": "four-hundred-and-eighty-ninth fresh set: CUB birds by field-guide prose, GPT-4o, Claude, Gemini tables, Qwen, LLaVA, InternVL2.5, Phi-3.5 and reasoning models, family and Latin first, sex and age, Spanish and Japanese",
    # fresh490 - fresh493: commissioned at the start of round 74, before any of its rules, and
    # held out unread to the end of it
    "fresh490": "four-hundred-and-ninetieth fresh set: flowers by GPT-4o headings, Claude, Gemini Flash bullets, Qwen2.5-VL-7B, LLaVA-NeXT, InternVL2, MiniCPM-V, Llama-3.2-Vision and reasoning models, Latin-first, lower-case, French and Dutch",
    "fresh491": "four-hundred-and-ninety-first fresh set: cat and dog breeds by GPT-4o-mini, Claude Haiku, Gemini 2.0 headings, Qwen2-VL, LLaVA-1.6, Phi-3.5, Molmo, Pixtral, JSON, key: value and reasoning models, crosses, Spanish and Italian",
    "fresh492": "four-hundred-and-ninety-second fresh set: Stanford Cars by GPT-4o tables, Claude, Gemini bullets, Qwen2.5-VL, LLaVA-OneVision, InternVL2.5, CogVLM2, Idefics3, JSON and reasoning models, trims, make-only answers, German and Chinese",
    "fresh493": "four-hundred-and-ninety-third fresh set: CUB birds by field notes, GPT-4o, Claude Opus, Gemini tables, Qwen2.5-VL, LLaVA, InternVL2.5, MiniCPM-V, Llama and reasoning models, banding codes, Latin first, sex and age, Portuguese and Korean",
}

CATEGORY_WORDS = (
    "cat",
    "cats",
    "kitten",
    "dog",
    "dogs",
    "puppy",
    "bird",
    "birds",
    "flower",
    "flowers",
    "plant",
    "mushroom",
    "fungus",
    "car",
    "vehicle",
    "aircraft",
    "airplane",
    "airliner",
    "plane",
    "jet",
    "dish",
    "breed",
    "species",
    "animal",
    "tree",
    "butterfly",
    "cheese",
)
"""Category words the comparison ignores at either end of a name ("Ragdoll cat")."""

TUNABLES: dict[str, tuple[int, ...]] = {
    "_NAME_WORDS_MAX": (5, 6, 8, 10),
    "_HEADING_WORDS_MAX": (4, 6, 8, 12),
}
"""Module constants of the parser (near_core.mllm.parse) with the values tried in the held-out
table."""

TUNABLE_HOMES = {"_NAME_WORDS_MAX": hygiene, "_HEADING_WORDS_MAX": verdict}
"""The parser module that holds each tunable; the other modules read it there, as an
attribute, so that setting it there takes effect everywhere."""


def same_name(got: str, reference: str) -> bool:
    """True when two names agree after canonical comparison, category words ignored."""
    key = name_key(canonical_key(reference, strip_words=CATEGORY_WORDS))
    return bool(key) and name_key(canonical_key(got, strip_words=CATEGORY_WORDS)) == key


def variant_name(got: str, reference: str) -> bool:
    """True when two names are fragments of one class to the vocabulary: the same up to a
    year or one extra word (``name_variants``: "Audi S4 sedan" / "Audi S4", "Red Hibiscus" /
    "Hibiscus") or a plural ending ("foxgloves" / "foxglove"); category words ignored."""
    a, b = (canonical_key(n, strip_words=CATEGORY_WORDS) for n in (got, reference))
    if not a or not b:
        return False
    singular = {re.sub(r"s$", "", re.sub(r"ies$", "y", key)) for key in (a, b)}
    return len(singular) == 1 or bool(name_variants([a, b])[0, 1] > 0)


CLASS_NAMES = REPO / "tests" / "data" / "class_names" / "class_names.json"
#: the dataset whose class names a development domain's references are checked against
DATASET_OF_DOMAIN = {
    **dict.fromkeys(["flowers", "flower", "flower species"], "oxford_flowers_102"),
    **dict.fromkeys(["pets", "cats", "dogs", "cat breed", "cat breeds", "dog breed", "dog breeds"], "oxford_iiit_pet"),
    **dict.fromkeys(["birds", "bird species"], "cub_200"),
}


def _class_key(name: str) -> str:
    """``name`` compared as a class name: canonical, category words dropped, hyphens as spaces,
    each word without a plural "s" ("Canterbury bells", "sweet peas" -> "canterbury bell", "sweet pea")."""
    key = canonical_key(name, strip_words=CATEGORY_WORDS).replace("-", " ")
    return " ".join(re.sub(r"(?<=[a-z])s$", "", word) for word in key.split())


@functools.cache
def _class_index() -> dict[str, dict[str, str]]:
    """dataset -> {class key: class name}: Oxford-102 flowers and Oxford-IIIT pets from
    CLASS_NAMES, CUB-200 from the class folders of the real birds answers."""
    lists = json.loads(CLASS_NAMES.read_text(encoding="utf-8"))
    birds = json.loads((DATA / "birds_qwen.json").read_text(encoding="utf-8"))
    lists["cub_200"] = sorted({key.split("/")[0].split(".", 1)[1].replace("_", " ") for key in birds})
    return {dataset: {_class_key(n): n for n in names} for dataset, names in lists.items()}


def dataset_class(answer: DevAnswer) -> str | None:
    """The class name of the dataset behind ``answer``'s domain that its reference names (up
    to case, hyphens, a plural or a category word: "sweet peas" -> "sweet pea", "Ragdoll cat"
    -> "Ragdoll"), when that class name is written in the answer; None otherwise (another
    domain, a name the dataset lacks, an answer naming nothing). Issue 9's unseen files are
    scored this way: against the dataset's class name, on answers that write it."""
    dataset = DATASET_OF_DOMAIN.get(answer.domain)
    if dataset is None or not answer.reference:
        return None
    name = _class_index()[dataset].get(_class_key(answer.reference))
    return name if name is not None and name_key(name) in name_key(answer.text) else None


MISS_KINDS = {
    "no_name": "parser returned nothing (read the answer as a refusal)",
    "extra_words": "same name with words added or missing (one name contains the other)",
    "other_candidate": "answer names several; the reference took another one first",
    "not_found": "the reference name is not among the parser's candidates",
}


VARIANTS: dict[str, Callable[[str, str], str]] = {
    "final_line": lambda text, ref: f"{text}\n\nFinal answer: {ref}",
    "bold_answer": lambda text, ref: f"Let me reason step by step.\n{text}\n\n**Answer:** {ref}",
    "json_field": lambda text, ref: json.dumps({"reasoning": text, "label": ref}),
    "json_fenced_raw_controls": lambda text, ref: (
        f'```json\n{{"name": "{ref}\t", "why": "{text[:100].replace(chr(34), chr(39))}\n"}}\n```'
    ),
    "think_block": lambda text, ref: f"<think>{text}</think>\n{ref}",
    "no_markdown": lambda text, ref: re.sub(r"[*_]+", "", text),
    "crlf": lambda text, ref: text.replace("\n", "\r\n"),
    "lowercase_name": lambda text, ref: text.replace(ref, ref.lower()),
}
"""Rewrites of a real answer (text, reference name) into other answer styles."""


@dataclass
class Quality:
    """Agreement of the parser with the reference names of one file."""

    file: str
    answers: int
    counted: int = 0
    agreed: int = 0
    misses: dict[str, list[tuple[str, str, list[str]]]] = field(default_factory=dict)

    @property
    def agreement(self) -> float:
        return self.agreed / self.counted if self.counted else 0.0


def counted_answers(path: Path) -> tuple[int, list[tuple[str, str]]]:
    """(number of answers, [(raw answer, reference name)] for the answers that are counted)."""
    data = json.loads(path.read_text(encoding="utf-8"))
    counted = []
    for entry in data.values():
        text = entry["model_main_response"]
        reference = entry["guessed_classnames"]["1"]
        if name_key(reference) and name_key(reference) in name_key(text):
            counted.append((text, reference))
    return len(data), counted


def miss_kind(reference: str, got: list[str]) -> str:
    """Which kind of disagreement a miss is (a key of MISS_KINDS)."""
    if not got:
        return "no_name"
    ref, first = name_key(reference), name_key(got[0])
    if ref in first or first in ref:
        return "extra_words"
    if any(name_key(g) == ref for g in got[1:]):
        return "other_candidate"
    return "not_found"


def naive_parse(text: str) -> list[str]:
    """Baseline: the first bold span, else the words after the first "is a"/"be a" up to
    punctuation, without a parenthesis."""
    m = re.search(r"\*\*([^*]+)\*\*", text) or re.search(r"\b(?:is|be) an? ([^.,(\n]+)", text)
    return [re.sub(r"\(.*?\)", "", m.group(1)).strip()] if m else []


def measure(
    path: Path,
    *,
    variant: str | None = None,
    parser: Callable[[str], list[str]] = parse_answer,
) -> Quality:
    """Agreement of ``parser`` with the reference names of one answers file, on the raw
    answers or on their rewrite into one of VARIANTS."""
    total, counted = counted_answers(path)
    quality = Quality(file=path.name, answers=total, counted=len(counted))
    for text, reference in counted:
        got = parser(VARIANTS[variant](text, reference) if variant else text)
        if got and same_name(got[0], reference):
            quality.agreed += 1
        else:
            kind = miss_kind(reference, got)
            quality.misses.setdefault(kind, []).append((reference, text, got))
    return quality


# ----------------------------------------------------------------------------- dev corpus


@dataclass(frozen=True)
class DevAnswer:
    """One answer of the development corpus; ``reference`` "" for an answer naming nothing."""

    style: str
    domain: str
    text: str
    reference: str

    @property
    def counted(self) -> bool:
        """Counted for agreement: the reference name appears in the text."""
        key = name_key(self.reference)
        return bool(key) and key in name_key(self.text)


def load_dev(folder: Path = DEV) -> list[DevAnswer]:
    """All answers of the corpus (every ``*.jsonl`` of ``folder``)."""
    answers = []
    for path in sorted(folder.glob("*.jsonl")):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            try:
                row = json.loads(line)
                answers.append(
                    DevAnswer(row["style"], row["domain"], row["text"], row["reference"] or "")
                )
            except (ValueError, KeyError) as exc:
                raise ValueError(f"{path}:{number}: bad corpus row ({exc})") from exc
    return answers


def dev_correct(answer: DevAnswer, got: list[str]) -> bool:
    """A counted answer: the first name agrees; an answer naming nothing: no name."""
    if not answer.reference:
        return not got
    return bool(got) and same_name(got[0], answer.reference)


def dev_cells(
    answers: list[DevAnswer], parser: Callable[[str], list[str]] = parse_answer
) -> dict[tuple[str, str], tuple[int, int]]:
    """(style, domain) -> (agreed, counted) over the counted answers."""
    cells: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0])
    for answer in answers:
        if answer.counted:
            cell = cells[answer.style, answer.domain]
            cell[0] += dev_correct(answer, parser(answer.text))
            cell[1] += 1
    return {key: (a, n) for key, (a, n) in cells.items()}


def by_style(cells: dict[tuple[str, str], tuple[int, int]]) -> dict[str, tuple[int, int]]:
    """style -> (agreed, counted), summed over domains."""
    out: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for (style, _), (a, n) in cells.items():
        out[style][0] += a
        out[style][1] += n
    return {style: (a, n) for style, (a, n) in out.items()}


@contextmanager
def parser_constants(values: dict[str, int]) -> Iterator[None]:
    """Set module constants of the parser for the duration of the block."""
    old = {name: getattr(TUNABLE_HOMES[name], name) for name in values}
    try:
        for name, value in values.items():
            setattr(TUNABLE_HOMES[name], name, value)
        yield
    finally:
        for name, value in old.items():
            setattr(TUNABLE_HOMES[name], name, value)


@dataclass
class HeldOut:
    """One row of the leave-one-style-out table."""

    style: str
    chosen: dict[str, int]
    agreed: int
    counted: int
    default_agreement: float

    @property
    def agreement(self) -> float:
        return self.agreed / self.counted if self.counted else 0.0


def leave_one_style_out(answers: list[DevAnswer]) -> list[HeldOut]:
    """For each style: the TUNABLES setting with the best agreement on the other styles
    (ties: the default), and the held-out style's agreement under it."""
    names = list(TUNABLES)
    defaults = {name: getattr(TUNABLE_HOMES[name], name) for name in names}
    settings = [
        dict(zip(names, combo, strict=True))
        for combo in itertools.product(*(TUNABLES[n] for n in names))
    ]
    if defaults not in settings:
        settings.insert(0, defaults)
    per_setting = []
    for setting in settings:
        with parser_constants(setting):
            per_setting.append(by_style(dev_cells(answers)))
    default_scores = per_setting[settings.index(defaults)]
    rows = []
    for style in sorted(default_scores):

        def others(scores: dict[str, tuple[int, int]], style: str = style) -> float:
            a = sum(v[0] for s, v in scores.items() if s != style)
            n = sum(v[1] for s, v in scores.items() if s != style)
            return a / n if n else 0.0

        best = max(
            range(len(settings)),
            key=lambda i: (others(per_setting[i]), settings[i] == defaults),
        )
        a, n = per_setting[best][style]
        da, dn = default_scores[style]
        rows.append(HeldOut(style, settings[best], a, n, da / dn if dn else 0.0))
    return rows


_BASELINE_SCRIPT = """
import json, sys, time
import near_core.mllm.parse as parse
request = json.load(sys.stdin)
texts = request["texts"]
parses = [parse.parse_answer(text) for text in texts]
timed = [texts[i] for i in request["speed"]]
best = float("inf")
for _ in range(request["repeats"]):
    start = time.perf_counter()
    for text in timed:
        parse.parse_answer(text)
    best = min(best, time.perf_counter() - start)
speed = len(timed) / best if timed and best > 0 else 0.0
with open(sys.argv[1], "w", encoding="utf-8") as out:
    json.dump({"module": parse.__file__, "parses": parses, "speed": speed}, out)
"""
"""Run in the baseline's subprocess: parse every text of the request (JSON on stdin), then
time the texts at the ``speed`` indices (best of ``repeats`` passes, as ``_speed``); the
result goes to the file named by its argument (JSON), whatever the old code prints."""


@dataclass
class Baseline:
    """The parser of another git revision, as its parses of a fixed set of answers (made in a
    subprocess on that revision's tree) and its speed there; called like ``parse_answer``."""

    revision: str
    commit: str
    parses: dict[str, list[str]]
    speed: float

    def __call__(self, text: str) -> list[str]:
        return self.parses[text]


def _git(repo: Path, *args: str) -> bytes:
    done = subprocess.run(["git", "-C", str(repo), *args], capture_output=True, check=False)
    if done.returncode != 0:
        raise ValueError(f"git {' '.join(args)}: {done.stderr.decode(errors='replace').strip()}")
    return done.stdout


def load_baseline(
    revision: str,
    texts: list[str],
    speed_texts: list[str],
    *,
    repo: Path = REPO,
    repeats: int = 3,
) -> Baseline:
    """``parse_answer`` of ``near_core`` at git ``revision`` of ``repo`` on ``texts`` (and its
    speed on ``speed_texts``), run in a subprocess whose PYTHONPATH is that revision's tree,
    extracted into a temporary folder: its own parse and lexicon, whatever their layout."""
    commit = _git(repo, "rev-parse", "--verify", "--end-of-options", f"{revision}^{{commit}}")
    commit_id = commit.decode().strip()
    unique = list(dict.fromkeys([*texts, *speed_texts]))
    index = {text: i for i, text in enumerate(unique)}
    request = {"texts": unique, "speed": [index[t] for t in speed_texts], "repeats": repeats}
    with tempfile.TemporaryDirectory(prefix="parser_baseline_") as folder:
        tree = Path(folder).resolve()
        archive = _git(repo, "archive", "--format=tar", commit_id, "near_core")
        with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
            tar.extractall(tree, filter="data")
        result_file = Path(folder) / "parses.json"
        done = subprocess.run(
            [sys.executable, "-c", _BASELINE_SCRIPT, str(result_file)],
            input=json.dumps(request),
            capture_output=True,
            text=True,
            cwd=tree,
            env={**os.environ, "PYTHONPATH": str(tree)},
            check=False,
        )
        if done.returncode != 0:
            raise ValueError(f"baseline parser at {revision} failed:\n{done.stderr[-3000:]}")
        result = json.loads(result_file.read_text(encoding="utf-8"))
        if not Path(result["module"]).resolve().is_relative_to(tree):
            raise ValueError(f"baseline imported {result['module']}, not the tree of {revision}")
    parses = {text: list(result["parses"][i]) for text, i in index.items()}
    return Baseline(revision, commit_id, parses, float(result["speed"]))


def _pct(a: int, n: int) -> str:
    return f"{100 * a / n:.1f}%" if n else "-"


def report_dev(answers: list[DevAnswer], *, baseline: Baseline | None, misses: bool) -> None:
    """Print the style x domain table, the baselines and the held-out table."""
    cells = dev_cells(answers)
    domains = sorted({d for _, d in cells})
    styles = sorted({s for s, _ in cells})
    refusals = [a for a in answers if not a.reference]
    print(
        f"\ndev corpus: {len(answers)} answers, {sum(n for _, n in cells.values())} counted, "
        f"{len(refusals)} naming nothing; agreement per style x domain (agreed/counted):"
    )
    print(f"  {'style':18s}" + "".join(f"{d:>10s}" for d in domains) + f"{'all':>9s}")
    for style in styles:
        row = "".join(
            f"{'{}/{}'.format(*cells[style, d]) if (style, d) in cells else '':>10s}"
            for d in domains
        )
        a, n = by_style(cells)[style]
        print(f"  {style:18s}{row}{_pct(a, n):>9s}")
    total = sum(a for a, _ in cells.values()), sum(n for _, n in cells.values())
    refused = sum(not parse_answer(a.text) for a in refusals)
    print(
        f"  all counted: {_pct(*total)}; answers naming nothing given []: {refused}/{len(refusals)}"
    )
    others = [("naive", naive_parse)] + ([("baseline", baseline)] if baseline else [])
    for label, parser in others:
        styled = by_style(dev_cells(answers, parser))
        worst = min(styled.items(), key=lambda kv: kv[1][0] / kv[1][1])
        all_a = sum(a for a, _ in styled.values())
        print(
            f"  {label} parser, same answers: {_pct(all_a, total[1])} "
            f"(worst style {worst[0]} {_pct(*worst[1])})"
        )
    print("\nleave one style out (tunables chosen on the other styles):")
    print(f"  {'held-out style':18s}{'chosen':>42s}{'held-out':>10s}{'defaults':>10s}")
    for row in leave_one_style_out(answers):
        chosen = ", ".join(f"{k.strip('_')}={v}" for k, v in row.chosen.items())
        print(
            f"  {row.style:18s}{chosen:>42s}{_pct(row.agreed, row.counted):>10s}"
            f"{100 * row.default_agreement:9.1f}%"
        )
    if misses:
        _print_misses(answers)


def report_holdout(
    answers: list[DevAnswer],
    *,
    baseline: Baseline | None,
    title: str,
    misses: bool = False,
) -> None:
    """Print the agreement per style on a corpus kept apart from development (with
    ``misses``, each answer the parser gets wrong)."""
    parsed = {a.text: parse_answer(a.text) for a in answers}  # each answer parsed once
    parsers = [("parser", parsed.__getitem__), ("naive", naive_parse)]
    parsers += [("baseline", baseline)] if baseline else []
    scores = {label: by_style(dev_cells(answers, p)) for label, p in parsers}
    print(
        f"\n{title} ({len(answers)} answers, {len({a.domain for a in answers})} "
        "domains; agreement per style):"
    )
    print(f"  {'style':18s}" + "".join(f"{label:>10s}" for label, _ in parsers))
    for style in sorted(scores["parser"]):
        print(
            f"  {style:18s}"
            + "".join(f"{_pct(*scores[label][style]):>10s}" for label, _ in parsers)
        )
    totals = "".join(
        f"{_pct(sum(a for a, _ in sc.values()), sum(n for _, n in sc.values())):>10s}"
        for sc in scores.values()
    )
    refusals = [a for a in answers if not a.reference]
    refused = sum(not parsed[a.text] for a in refusals)
    print(f"  {'all':18s}{totals}; naming nothing given []: {refused}/{len(refusals)}")
    counted = [a for a in answers if a.counted]
    near = sum(bool(got := parsed[a.text]) and (dev_correct(a, got) or variant_name(got[0], a.reference))
               for a in counted)
    print(f"  parser, up to a vocabulary variant (a year, one extra word, a plural): {_pct(near, len(counted))}")
    classed = [(a, name) for a in answers if (name := dataset_class(a)) is not None]
    if classed:
        agreed = sum(bool(got := parsed[a.text]) and same_name(got[0], name) for a, name in classed)
        print(f"  parser, against the dataset's class names (Oxford-102, Oxford-IIIT Pet, CUB-200): "
              f"{_pct(agreed, len(classed))} ({agreed} / {len(classed)} answers that write one)")
    if misses:
        _print_misses(answers)


def _print_misses(answers: list[DevAnswer]) -> None:
    """One line per answer that the parser gets wrong, with the start of its text."""
    for answer in answers:
        got = parse_answer(answer.text)
        if (answer.counted or not answer.reference) and not dev_correct(answer, got):
            print(f"  MISS {answer.style}/{answer.domain} ref={answer.reference!r} got={got}")
            print("    " + " ".join(answer.text.split())[:300])


def _speed(
    texts: list[str], repeats: int = 3, parser: Callable[[str], list[str]] = parse_answer
) -> float:
    """Answers parsed per second (best of ``repeats`` passes)."""
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        for text in texts:
            parser(text)
        best = min(best, time.perf_counter() - start)
    return len(texts) / best


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--show", choices=sorted(MISS_KINDS), action="append", default=[])
    parser.add_argument(
        "--baseline", metavar="REV", help="a git revision whose parser is scored alongside"
    )
    parser.add_argument("--misses", action="store_true", help="list the corpus misses")
    args = parser.parse_args(argv)
    sections = {HOLDOUT: "held-out corpus", BLIND: "blind hand-written set"}
    sections |= {DEV / folder: title for folder, title in FRESH_SETS.items()}
    corpora = {folder: load_dev(folder) for folder in [DEV, *sections]}
    texts = [t for name in FILES for t, _ in counted_answers(DATA / name)[1]]
    baseline = None
    if args.baseline:
        answers = [a.text for corpus in corpora.values() for a in corpus]
        try:
            baseline = load_baseline(args.baseline, texts + answers, texts)
        except ValueError as exc:
            parser.error(f"--baseline {args.baseline}: {exc}")
        print(f"baseline: the parser at {args.baseline} ({baseline.commit[:12]})")
    kinds: Counter[str] = Counter()
    for name in FILES:
        q = measure(DATA / name)
        naive = measure(DATA / name, parser=naive_parse)
        old = (
            f"; baseline {100 * measure(DATA / name, parser=baseline).agreement:.1f}%"
            if (baseline)
            else ""
        )
        print(
            f"{q.file}: answers {q.answers}, counted {q.counted}, agreed {q.agreed} "
            f"({100 * q.agreement:.1f}%); naive baseline {100 * naive.agreement:.1f}%{old}"
        )
        for kind, items in sorted(q.misses.items(), key=lambda kv: -len(kv[1])):
            kinds[kind] += len(items)
            print(f"  {kind:16s} {len(items):3d}  {MISS_KINDS[kind]}")
            if kind in args.show:
                for reference, text, got in items:
                    snippet = " ".join(text.split())[:300]
                    print(f"    ref={reference!r} got={got}\n      {snippet}")
    print("all misses by kind:", dict(kinds))
    print("\nrewritten into other styles (agreement %, parser / naive baseline):")
    print(f"  {'variant':26s}" + "".join(f"{name:>22s}" for name in FILES))
    for variant in VARIANTS:
        row = ""
        for name in FILES:
            ours = measure(DATA / name, variant=variant).agreement
            naive = measure(DATA / name, variant=variant, parser=naive_parse).agreement
            row += f"{100 * ours:14.1f}% /{100 * naive:5.1f}%"
        print(f"  {variant:26s}{row}")
    report_dev(corpora[DEV], baseline=baseline, misses=args.misses)
    for folder, title in sections.items():
        report_holdout(corpora[folder], baseline=baseline, title=title, misses=args.misses)
    speed = _speed(texts)
    old = f"; baseline {baseline.speed:.0f}" if baseline else ""
    print(f"\nspeed: {speed:.0f} answers/s{old} ({len(texts)} real answers, one process)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
