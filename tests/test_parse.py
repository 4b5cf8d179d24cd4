"""Answer parser: real MLLM answers (>= 97% agreement), hand-made styles, fuzzing."""

from __future__ import annotations

import ast
import json
import subprocess
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from script_modules import load_script

from near_core.mllm.parse import (
    MAX_CANDIDATES,
    NAME_MAX,
    name_key,
    parse_answer,
    parse_structured,
)
from near_core.mllm.parse.phrasebook import english_cues

REPO = Path(__file__).resolve().parents[1]


def _bench_module():
    return load_script("bench/parser_quality.py")


@pytest.mark.parametrize("file", ["birds_qwen.json", "dogs_qwen.json"])
def test_agreement_with_reference_names_on_real_answers(file: str) -> None:
    bench = _bench_module()
    quality = bench.measure(bench.DATA / file)
    assert quality.counted >= 0.95 * quality.answers  # the selection keeps most answers
    assert quality.agreement >= 0.97, {k: len(v) for k, v in quality.misses.items()}


@pytest.mark.parametrize("file", ["birds_qwen.json", "dogs_qwen.json"])
@pytest.mark.parametrize(
    "variant",
    ["final_line", "bold_answer", "json_field", "json_fenced_raw_controls", "think_block"]
    + ["no_markdown", "crlf"],
)
def test_agreement_holds_on_answers_rewritten_into_other_styles(file: str, variant: str) -> None:
    bench = _bench_module()
    quality = bench.measure(bench.DATA / file, variant=variant)
    assert quality.agreement >= 0.97, {k: len(v) for k, v in quality.misses.items()}


def test_reference_data_ships_with_its_license() -> None:
    data = REPO / "tests" / "data" / "mllm_answers"
    assert "MIT License" in (data / "LICENSE-FiNDR").read_text(encoding="utf-8")
    birds = json.loads((data / "birds_qwen.json").read_text(encoding="utf-8"))
    assert len(birds) == 600


# ------------------------------------------------------------------ styles it was not tuned on

STYLE_CASES = [
    # plain names, with and without decoration
    ("Horned Puffin", ["Horned Puffin"]),
    ("  **Horned Puffin**.  ", ["Horned Puffin"]),
    ("Horned Puffin (Fratercula corniculata)", ["Horned Puffin"]),
    ("# Horned Puffin", ["Horned Puffin"]),
    ("It's a Black-footed Albatross!", ["Black-footed Albatross"]),
    ("This is a photo of a Golden Retriever.", ["Golden Retriever"]),
    # Latin only
    ("*Fratercula corniculata*", ["Fratercula corniculata"]),
    ("The bird is *Larus argentatus*.", ["Larus argentatus"]),
    ("Fratercula corniculata", ["Fratercula corniculata"]),
    # step-by-step reasoning ending in a final answer
    (
        "Step 1: The bird has a large, colorful bill.\nStep 2: Its face is white with a dark "
        "cap, like a Tufted Puffin in winter.\nStep 3: No tufts are visible.\n\n"
        "Final answer: Horned Puffin",
        ["Horned Puffin"],
    ),
    (
        "Let me look at the features.\n- Bill: orange\n- Plumage: black and white\n\n"
        "**Answer:** Horned Puffin (*Fratercula corniculata*)",
        ["Horned Puffin"],
    ),
    (
        "To identify this bird, consider the crest, the red mask and the stout bill. A "
        "Northern Cardinal has a red body, but this bird is mostly gray. Therefore, it is a "
        "Pyrrhuloxia.",
        ["Pyrrhuloxia"],
    ),
    (
        "Looking at the ears and coat first.\n\nThe coat is long and silky. In conclusion, "
        "the dog is most likely a Cavalier King Charles Spaniel.",
        ["Cavalier King Charles Spaniel"],
    ),
    ("Breed: golden retriever", ["golden retriever"]),
    # several candidates
    (
        "It could be either a Horned Puffin or a Tufted Puffin.",
        ["Horned Puffin", "Tufted Puffin"],
    ),
    (
        "Possible species:\n1. Horned Puffin\n2. Tufted Puffin\n3. Atlantic Puffin",
        ["Horned Puffin", "Tufted Puffin", "Atlantic Puffin"],
    ),
    (
        "The most likely candidates are:\n- **Siberian Husky** - blue eyes\n"
        "- **Alaskan Malamute** - larger build",
        ["Siberian Husky", "Alaskan Malamute"],
    ),
    (
        "The dogs in the photo are Pembroke Welsh Corgis.",
        ["Pembroke Welsh Corgi"],
    ),
    # multilingual preambles
    ("Der Vogel auf dem Bild ist ein Papageitaucher.", ["Papageitaucher"]),
    ("L'oiseau sur l'image est un **Macareux moine** (*Fratercula arctica*).", ["Macareux moine"]),
    ("El perro de la imagen es un Pastor Alemán.", ["Pastor Alemán"]),
    ("图片中的鸟是**角海鹦**。", ["角海鹦"]),
    # reasoning models: think blocks, answer tags, boxed answers
    (
        "<think>It has a yellow bill. Maybe a Tufted Puffin?</think>\nHorned Puffin",
        ["Horned Puffin"],
    ),
    ("Reasoning done, so \\boxed{Horned Puffin}", ["Horned Puffin"]),
    ("Let me think: crest, bill, mask. <answer>Horned Puffin</answer>", ["Horned Puffin"]),
    ("Most likely species: Horned Puffin", ["Horned Puffin"]),
    ("Species identified: Horned Puffin", ["Horned Puffin"]),
    # the name first, then a description
    ("Horned Puffin - this seabird has a large yellow bill.", ["Horned Puffin"]),
    ("Horned Puffin is the bird in this image.", ["Horned Puffin"]),
    ("Horned Puffin\n\nThis seabird nests on cliffs.", ["Horned Puffin"]),
    # hedges, negations, lower case, other domains
    ("I think it's a horned puffin.", ["horned puffin"]),
    (
        "My best guess would be a Horned Puffin, though it could also be a Tufted Puffin.",
        ["Horned Puffin", "Tufted Puffin"],
    ),
    ("This is not a Tufted Puffin; it's a Horned Puffin.", ["Horned Puffin"]),
    ("The dog is a St. Bernard.", ["St. Bernard"]),
    ("It is a Black and Tan Coonhound puppy.", ["Black and Tan Coonhound"]),
    ("The car in the image is a 2012 Audi S5 Coupe.", ["2012 Audi S5 Coupe"]),
    ("This aircraft is a Boeing 747-400, recognizable by its hump.", ["Boeing 747-400"]),
    ("The flower is a pink primrose.", ["pink primrose"]),
    (
        "Top 3 guesses:\n1. Horned Puffin (80%)\n2. Tufted Puffin (15%)",
        ["Horned Puffin", "Tufted Puffin"],
    ),
    (
        "The bird appears to be a Shearwater, specifically a Sooty Shearwater (Ardenna grisea).",
        ["Sooty Shearwater"],
    ),
    ("The dog in the image is a keeshond. Keeshonden resemble a Pomeranian.", ["keeshond"]),
    (
        "The bird is likely a member of the cormorant family (Phalacrocoracidae).",
        ["cormorant"],
    ),
    (
        "The bird is a member of the genus **Zosterops**, most likely a **Japanese White-eye**.",
        ["Japanese White-eye"],
    ),
    (
        "The bird in the image is a Herring Gull. However, the dark mantle and the pink legs "
        "suggest this is actually a Great Black-backed Gull.",
        ["Great Black-backed Gull", "Herring Gull"],
    ),
    (
        "The bird appears to be a Robin (most likely the European Robin, *Erithacus rubecula*).",
        ["European Robin"],
    ),
    # refusals and non-answers
    ("The image shows a small, fluffy dog.", []),
    ("I cannot determine the exact species from this image.", []),
    ("Unknown", []),
    ("unknown.", []),
    ("N/A", []),
    ("", []),
    ("   \n\t ", []),
    ("I'm sorry, but I can't identify the breed of the dog in this picture.", []),
    ("There is no bird in this image.", []),
    ("Final answer: unknown", []),
    ("Step 1: look at the bill.", []),
    ("The dog is 3 years old.", []),
]


@pytest.mark.parametrize(("text", "expected"), STYLE_CASES)
def test_answer_styles(text: str, expected: list[str]) -> None:
    got = parse_answer(text)
    assert got[: len(expected)] == expected
    if not expected:
        assert got == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('{"label": "Horned Puffin"}', ["Horned Puffin"]),
        ('{"name": "Horned Puffin (Fratercula corniculata)"}', ["Horned Puffin"]),
        ('{"species": "Horned Puffin", "confidence": 0.9}', ["Horned Puffin"]),
        ('{"breed": ["Beagle", "Harrier"]}', ["Beagle", "Harrier"]),
        ('{"whatever": "Tufted Puffin"}', ["Tufted Puffin"]),
        ('```json\n{"label": "Horned Puffin"}\n```', ["Horned Puffin"]),
        ('Here is my answer:\n```json\n{"name": "Beagle"}\n```', ["Beagle"]),
        ('{"label": "Horned\tPuffin\n"}', ["Horned Puffin"]),  # raw control characters
        ('{"label": "Horned Puffin", "bad": tru', ["Horned Puffin"]),  # truncated JSON
        ('{"label": "unknown"}', []),
        ('{"answer": {"name": "Beagle"}}', ["Beagle"]),
    ],
)
def test_json_answers(text: str, expected: list[str]) -> None:
    assert parse_answer(text) == expected


def test_parse_structured() -> None:
    assert parse_structured('{"label": "Horned Puffin"}') == ["Horned Puffin"]
    assert parse_structured('{"name": "Beagle"}', key="name") == ["Beagle"]
    assert parse_structured('{"label": "x\x01\x02 Beagle\x00"}') == ["x Beagle"]
    assert parse_structured('{"label": ""}') == []
    assert parse_structured('{"name": "Beagle"}') is None  # no such key: caller falls back
    assert parse_structured("The bird is a Horned Puffin.") is None
    assert parse_structured('{"label": "' + "A" * 500 + '"}') == ["A" * NAME_MAX]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # XML-like tags: attributes, wrapper tags, several tags on one line
        ('<observation>\n  <bird common="Ruddy Turnstone" scientific="Arenaria interpres"/>\n'
         "  <plumage>winter</plumage>\n</observation>", "Ruddy Turnstone"),
        ('<plant latin="Digitalis purpurea" common="Foxglove"/>', "Foxglove"),
        ("<prediction><name>Sea Holly</name><latin>Eryngium planum</latin><p>0.7</p></prediction>", "Sea Holly"),
        ("<response>\n<breed>Shiba Inu</breed>\n<confidence>0.9</confidence>\n</response>", "Shiba Inu"),
        ('<guess score="0.4">Saluki</guess>\n<runner_up>Sloughi</runner_up>', "Saluki"),
        ("<vehicle_info><make_model>Audi R8 Spyder</make_model><year>2012</year></vehicle_info>", "Audi R8 Spyder"),
        # a common name before a Latin one, whichever key comes first
        ('```json\n{"flower_species": "Oxeye Daisy", "scientific_name": "Leucanthemum vulgare", "pet', "Oxeye Daisy"),
        ('{"scientific_name": "Turdus migratorius", "bird_species": "American Robin", "sex": "male"}', "American Robin"),
        # dicts no parser accepts: an apostrophe inside single quotes, keys without quotes
        ("{'bird': 'Cooper's Hawk', 'age': 'juvenile', 'p': 0.7,}", "Cooper's Hawk"),
        ('{breed: "Lhasa Apso", coat: "gold", score: .9}', "Lhasa Apso"),
        ("{\n  plant: 'Sea Kale',\n  habitat: 'shingle beach',\n}", "Sea Kale"),
        # a final pick over candidates, the finest rank named, keys in other languages
        ('{"top_k": ["Merlin", "Eurasian Hobby"], "ruled_out": {"Merlin": "too pale"}, "final": "Eurasian Hobby"}', "Eurasian Hobby"),
        ('{"candidates": ["Saluki", "Sloughi"], "final_choice": "Sloughi"}', "Sloughi"),
        ('{"species": "guinea pig", "breed": "Abyssinian", "coat": "rosettes"}', "Abyssinian"),
        ('{"species": "Canis familiaris", "breed": "Basenji"}', "Basenji"),
        ('{"genus": "Rosa", "cultivar": "Graham Thomas", "colour": "yellow"}', "Graham Thomas"),
        ('{"marca": "Seat", "modelo": "Leon", "año": 2014, "nombre_completo": "Seat Leon Cupra 2014"}', "Seat Leon Cupra 2014"),
        ('{"Farbe": "rotbraun", "Rasse": "Leonberger", "Sicherheit": 0.8}', "Leonberger"),
        ('{"couleur": "bleu", "espèce": "Mésange bleue", "nom_scientifique": "Cyanistes caeruleus"}', "Mésange bleue"),
        # ranked lists with a bare score after each name
        ("top 3:\n1) great crested grebe 0.61\n2) little grebe 0.22\n3) red-necked grebe 0.09", "great crested grebe"),
        ("Ranked guesses:\n1. Whippet .55\n2. Italian Greyhound .30", "Whippet"),
        # guards: prose with a colon, a year or a model number after a name, a table of features, a code block that is no answer
        ("Note: the light is poor, but the forked tail says this is a Barn Swallow.", "Barn Swallow"),
        ("| Feature | Observation |\n|---|---|\n| Bill | short, conical |\n| Wing bars | two, white |\n\n"
         "This is a **Chipping Sparrow**.", "Chipping Sparrow"),
        ("```python\nimg = load('photo.jpg')\nshow(img)\n```\nThe dog in the photo is a Whippet.", "Whippet"),
        ('The tail pattern {see note: "barred"} fits a Cooper\'s Hawk best.', "Cooper's Hawk"),
        ("Top picks:\n1. Porsche 911 Carrera 2012\n2. Porsche Cayman 2013", "Porsche 911 Carrera 2012"),
        ("Top picks:\n1. Audi A4 2.0 TFSI\n2. Audi A6", "Audi A4 2.0 TFSI"),
        ("Size: about a crow\nColour: mostly brown\nI can't tell the species from this photo.", None),
    ],
)
def test_twenty_sixth_round_structured_answers(text: str, expected: str | None) -> None:
    """Structured layouts met in fresh144 (own examples): XML tags with attributes or
    wrappers, broken JSON and Python dicts, keys in other languages, scored top-k lists."""
    names = parse_answer(text)
    assert (names[0] if names else None) == expected


def test_names_are_capped_and_plain() -> None:
    long_name = " ".join(["Verylongword"] * 5) + "x" * 150
    (name,) = parse_answer(f"The bird is a **{long_name}**.")
    assert len(name) <= NAME_MAX
    assert parse_answer("The bird is a **Horned\x00 Puffin\u200b**.") == ["Horned Puffin"]


def test_name_key_ignores_case_hyphens_punctuation_spacing() -> None:
    assert name_key("Black-footed  Albatross") == name_key("black footed albatross")
    assert name_key("Cooper's Hawk") == name_key("Coopers Hawk")
    assert name_key("Tufted Puffin") != name_key("Horned Puffin")


# ------------------------------------------------------- failure classes seen on unseen files


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (  # numbered bold steps, attribute headings, a higher taxon; verdict in a closing bold
            "Let me work through this.\n\n**Overall Impression:** Raptor, with a hooked bill.\n\n"
            "**Step 1: Check the Tail**\nThe tail is banded.\n\n**Step 2: Wing Shape**\n"
            "Broad wings. This rules out the Northern Harrier.\n\nAll things considered, I can "
            "confidently identify it as a **Broad-winged Hawk**.",
            "Broad-winged Hawk",
        ),
        (  # a group heading on its own line, a final bold line after a verdict heading
            "Okay, let's analyze the orchid.\n\n**Epiphytic Orchid**\nThe shape fits.\n\n"
            "### Lip\n- Fringed\n\n### Color\n- Magenta\n\n**Final Identification**\n\n"
            "**Cattleya Labiata**",
            "Cattleya Labiata",
        ),
        (  # a look-alike ruled out first, the verdict after a colon
            "Combining these clues, the Honda Civic is unlikely.\n\n- **Grille**: narrow\n"
            "- **Lights**: swept back\n\nEverything points to one answer: **Mazda 3 Hatchback "
            "2014**.",
            "Mazda 3 Hatchback 2014",
        ),
    ],
)
def test_reasoning_answers_give_the_verdict_not_headings_or_taxa(text: str, expected: str) -> None:
    assert parse_answer(text)[0] == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The plant is known as a sea holly, specifically of the genus *Eryngium*.", "sea holly"),
        ("What you see is a shaggy mane, which grows on lawns.", "shaggy mane"),
        ("This looks like a tarte tatin to me, given the caramelised apples.", "tarte tatin"),
        ("I'd say this is pho: note the rice noodles and the clear broth.", None),
        ("The dish here is beef wellington, known for its pastry crust.", "beef wellington"),
        ("Therefore, this is a moth orchid.", "moth orchid"),
    ],
)
def test_lower_case_common_names_in_prose(text: str, expected: str | None) -> None:
    got = parse_answer(text)
    if expected is None:  # a one-word lower-case name without article stays unread
        assert got == [] or got[0] != "note"
    else:
        assert got[0] == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "This appears to be the species *Eryngium maritimum*, commonly known as sea holly.",
            ["sea holly", "Eryngium maritimum"],
        ),
        (
            "*Coprinus comatus*, also called a shaggy mane, is shown.",
            ["shaggy mane", "Coprinus comatus"],
        ),
        ("**Amanita muscaria** - fly agaric. Note the warts.", ["fly agaric", "Amanita muscaria"]),
        ("Eryngium maritimum (sea holly)", ["sea holly"]),
        ("The species shown is *Eryngium maritimum*.", ["Eryngium maritimum"]),
        ("It belongs to the species _Coprinus comatus_.", ["Coprinus comatus"]),
    ],
)
def test_latin_binomials_give_the_common_name_first_and_never_nothing(
    text: str, expected: list[str]
) -> None:
    assert parse_answer(text)[: len(expected)] == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("This is a Birman cat.", ["Birman"]),
        ("It is a Leonberger dog.", ["Leonberger"]),
        (
            "Most likely a Cessna 172 aircraft (could also be a Piper Cherokee).",
            ["Cessna 172", "Piper Cherokee"],
        ),
        ("It looks similar to a Maine Coon or a Siberian.", ["Maine Coon", "Siberian"]),
        (
            "The flower looks similar to a sea holly or a globe thistle.",
            ["sea holly", "globe thistle"],
        ),
        ("Fly agaric mushroom, or possibly panther cap.", ["Fly agaric"]),
        (
            "Ford Mustang GT Convertible 2010 car, or possibly a Chevrolet Camaro.",
            ["Ford Mustang GT Convertible 2010", "Chevrolet Camaro"],
        ),
        ("It might be a Bengal, but on closer inspection it is more likely an Ocicat.", ["Ocicat"]),
        ("This could be either a Saab 340 or an ATR 42, but I lean towards an ATR 42.", ["ATR 42"]),
    ],
)
def test_category_words_and_hedges_alike_in_every_domain(text: str, expected: list[str]) -> None:
    assert parse_answer(text)[: len(expected)] == expected


def test_development_corpus_agreement_per_style() -> None:
    bench = _bench_module()
    answers = bench.load_dev()
    styles = bench.by_style(bench.dev_cells(answers))
    domains = {a.domain for a in answers} - {"birds", "dogs"}
    assert len(styles) >= 10 and len(domains) >= 3
    low = {s: a / n for s, (a, n) in styles.items() if a < 0.95 * n}
    assert not low, low
    refusals = [a for a in answers if not a.reference]
    assert refusals and all(parse_answer(a.text) == [] for a in refusals)


@pytest.mark.parametrize("folder", ["holdout", "blind"])
def test_corpora_kept_apart_from_development(folder: str) -> None:
    bench = _bench_module()
    answers = bench.load_dev(bench.DEV / folder)
    cells = bench.dev_cells(answers)
    agreed, counted = (sum(c[i] for c in cells.values()) for i in (0, 1))
    assert counted >= 50 and agreed >= 0.95 * counted
    assert all(parse_answer(a.text) == [] for a in answers if not a.reference)


def test_bench_tunables_take_effect_in_the_one_module_that_holds_them() -> None:
    bench = _bench_module()
    from near_core.mllm.parse import hygiene, mentions, spans, structured, verdict

    modules = [hygiene, spans, mentions, verdict, structured]
    for name, home in bench.TUNABLE_HOMES.items():
        assert name in bench.TUNABLES
        assert [m for m in modules if name in vars(m)] == [home]  # no copy another module reads
    text = "Possibly a Northern Cardinal at first glance:\nNo crest. The bird is a Summer Tanager."
    assert parse_answer(text)[0] == "Summer Tanager"  # the first line is a heading: ranks last
    with bench.parser_constants({"_HEADING_WORDS_MAX": 1}):
        assert parse_answer(text)[0] == "Northern Cardinal"
    with bench.parser_constants({"_NAME_WORDS_MAX": 2}):
        assert parse_answer("**Cessna 208 Caravan**") == []
    assert parse_answer(text)[0] == "Summer Tanager"  # restored


def _git(cwd: Path, *args: str) -> str:
    done = subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@example.com", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout


def test_baseline_revision_runs_that_revisions_own_parser_and_lexicon(tmp_path: Path) -> None:
    bench = _bench_module()
    mllm = tmp_path / "near_core" / "mllm"
    mllm.mkdir(parents=True)
    (tmp_path / "near_core" / "__init__.py").write_text("")
    (mllm / "__init__.py").write_text("")
    (mllm / "lexicon.py").write_text('WORD = "old"\n')
    (mllm / "parse.py").write_text(  # one module at the first revision
        "from near_core.mllm.lexicon import WORD\n\n\n"
        "def parse_answer(text):\n    return [WORD + ' ' + text]\n"
    )
    _git(tmp_path, "init", "-q")
    _git(tmp_path, "add", "-A")
    _git(tmp_path, "commit", "-qm", "one module")
    (mllm / "parse.py").unlink()  # a package, and another word list, at the second
    (mllm / "parse").mkdir()
    (mllm / "parse" / "__init__.py").write_text(
        "from near_core.mllm.parse.rules import parse_answer\n"
    )
    (mllm / "parse" / "rules.py").write_text(
        "from near_core.mllm.lexicon import WORD\n\n\n"
        "def parse_answer(text):\n    return [text, WORD]\n"
    )
    (mllm / "lexicon.py").write_text('WORD = "new"\n')
    _git(tmp_path, "add", "-A")
    _git(tmp_path, "commit", "-qm", "a package")
    (mllm / "lexicon.py").write_text('WORD = "uncommitted"\n')  # not the revision's
    texts = ["a", "b\u00e9\U0001f600"]
    first = bench.load_baseline("HEAD~1", texts, texts[:1], repo=tmp_path, repeats=1)
    assert [first(t) for t in texts] == [["old a"], ["old b\u00e9\U0001f600"]]
    assert first.speed > 0 and len(first.commit) == 40
    second = bench.load_baseline("HEAD", texts, [], repo=tmp_path, repeats=1)
    assert second("a") == ["a", "new"]
    with pytest.raises(ValueError, match="no-such-revision"):
        bench.load_baseline("no-such-revision", texts, [], repo=tmp_path)


def test_baseline_at_head_agrees_with_the_parser_itself() -> None:
    try:
        dirty = _git(REPO, "status", "--porcelain", "--", "near_core")
    except (OSError, subprocess.CalledProcessError):
        pytest.skip("not a git checkout")
    if dirty:
        pytest.skip("near_core differs from HEAD")
    bench = _bench_module()
    answers = bench.load_dev(bench.BLIND)
    texts = [a.text for a in answers]
    baseline = bench.load_baseline("HEAD", texts, texts[:5], repeats=1)
    assert bench.dev_cells(answers, baseline) == bench.dev_cells(answers)
    assert all(baseline(t) == parse_answer(t) for t in texts)


def test_parser_diff_sorts_changed_answers_into_gains_and_losses(tmp_path) -> None:
    diff = load_script("bench/parser_diff.py")
    rows = {  # text -> reference; a decline (None), a reference the text does not write
        "This is a Pug.": "Pug", "It is a Birman.": "Birman", "Blurry, sorry.": None,
        "A small bird.": "Wren",
    }
    for folder in ("", "fresh1"):
        (tmp_path / folder).mkdir(exist_ok=True)
        (tmp_path / folder / "a.jsonl").write_text("\n".join(
            json.dumps({"style": "s", "domain": "pets", "text": t, "reference": r}) for t, r in rows.items()
        ) + "\n", encoding="utf-8")
    (tmp_path / "empty").mkdir()
    sets = diff.stored_sets(tmp_path)
    assert list(sets) == [diff.CORPUS, "fresh1"] and len(sets["fresh1"]) == 4
    before = {"This is a Pug.": ["Pug"], "It is a Birman.": ["Siamese"], "Blurry, sorry.": ["Blurry"],
              "A small bird.": ["bird"]}
    after = {"This is a Pug.": ["French Bulldog", "Pug"], "It is a Birman.": ["Birman"],
             "Blurry, sorry.": [], "A small bird.": ["Wren"]}
    found, changed = diff.moves(sets, before.__getitem__, after.__getitem__)
    assert changed == 8  # every answer of both sets changed its names
    assert sorted((m.set, m.reference, m.gained) for m in found) == sorted(
        [(s, "Pug", False) for s in sets] + [(s, "Birman", True) for s in sets] + [(s, "", True) for s in sets]
    )  # the reference "Wren" is not in its text: not scored
    score = diff.Score()
    for answer in sets["fresh1"]:
        score.add(answer, after[answer.text])
    assert (score.agreed, score.counted) == (1, 2)  # Birman, not the Pug; declines are not counted
    assert (score.class_agreed, score.class_counted) == (1, 2)  # Oxford-IIIT pets: Pug, Birman
    with pytest.raises(SystemExit):
        diff.main(["HEAD", "--hold-out", "no-such-set"])


def test_development_corpus_is_reproducible_from_its_generator() -> None:
    module = load_script("tests/data/parser_dev/generate.py")
    for domain, rows in module.generate().items():
        path = REPO / "tests" / "data" / "parser_dev" / f"{domain}.jsonl"
        assert [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()] == rows


# ------------------------------------------------------------------------------- fuzzing

_ANSWER_PIECES = st.sampled_from(
    [
        "The bird in the image is a ",
        "**",
        "*",
        "(",
        ")",
        "Horned Puffin",
        " or ",
        ", specifically ",
        "\n1. ",
        "\n- ",
        "Final answer: ",
        '{"label": "',
        '"}',
        "```json\n",
        "```",
        "unknown",
        "are ",
        "Poodles",
        "\x00",
        "\u202e",
        "\ud7ff",
        ". ",
        ":",
    ]
)


def _check_output(names: list[str]) -> None:
    assert isinstance(names, list)
    assert len(names) <= MAX_CANDIDATES
    for name in names:
        assert isinstance(name, str)
        assert name and name == name.strip()
        assert len(name) <= NAME_MAX
        assert name.isprintable()


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=400))
@example("#  ")  # a heading mark with no title once raised IndexError
def test_fuzz_arbitrary_text(text: str) -> None:
    _check_output(parse_answer(text))
    result = parse_structured(text)
    assert result is None or _check_output(result) is None


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.one_of(_ANSWER_PIECES, st.text(max_size=20)), max_size=30).map("".join))
def test_fuzz_answer_like_text(text: str) -> None:
    _check_output(parse_answer(text))
    result = parse_structured(text)
    assert result is None or _check_output(result) is None


@settings(max_examples=100, deadline=None)
@given(
    st.recursive(
        st.none() | st.booleans() | st.floats() | st.text(max_size=30),
        lambda children: (
            st.lists(children, max_size=4)
            | st.dictionaries(
                st.sampled_from(["label", "name", "x", "species"]), children, max_size=4
            )
        ),
        max_leaves=12,
    )
)
def test_fuzz_json_values(value: object) -> None:
    text = json.dumps(value)
    _check_output(parse_answer(text))
    result = parse_structured(text)
    assert result is None or _check_output(result) is None


def test_huge_and_pathological_inputs_are_fast_enough_to_finish() -> None:
    _check_output(parse_answer("The bird is a " + "Puffin " * 50_000))
    _check_output(parse_answer("*" * 100_000))
    _check_output(parse_answer("(" * 50_000 + "Horned Puffin" + ")" * 50_000))
    _check_output(parse_answer("[" * 10_000))  # deeply nested JSON
    assert parse_answer(None) == []  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("text", "first"),
    [
        ("**Aircraft:** Cessna 172 Skyhawk", "Cessna 172 Skyhawk"),
        ("This is a rainbow trout swimming near the riverbed.", "rainbow trout"),
        ("The image shows a rainbow trout swimming near the riverbed.", "rainbow trout"),
        ("I'd say a grey heron standing in the shallows.", "grey heron"),
        ("The plant shown is Lavandula angustifolia, or English lavender.", "English lavender"),
    ],
)
def test_fresh_wordings(text: str, first: str) -> None:
    """Wordings of the fresh hand-written set (tests/data/parser_dev/fresh) that the parser
    missed at first contact: a bold label left in front of the name, a lower-case name
    followed by what the animal does, a Latin name glossed with ", or <common name>"."""
    assert parse_answer(text)[0] == first


def test_a_description_without_a_name_stays_empty() -> None:
    assert parse_answer("The image shows a bird perched on a branch.") == []
    assert parse_answer("The photo shows a small brown bird.") == []


def test_or_after_a_common_name_stays_a_hedge() -> None:
    assert parse_answer("It is a Golden Retriever, or possibly a Labrador Retriever.") == [
        "Golden Retriever",
        "Labrador Retriever",
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "It could be either a Common Toad or a Natterjack Toad; the pale stripe down the"
            " back suggests Natterjack Toad.",
            ["Natterjack Toad", "Common Toad"],
        ),
        (
            "It's either a Havanese or a Bichon Frise. The curly coat points to a Bichon Frise.",
            ["Bichon Frise", "Havanese"],
        ),
        (
            "Either a Marsh Tit or a Willow Tit. Most likely Willow Tit.",
            ["Willow Tit", "Marsh Tit"],
        ),
        (
            "This is a Field Maple or a Norway Maple. On balance, Norway Maple.",
            ["Norway Maple", "Field Maple"],
        ),
        ("It is an Audi A4 or an Audi A6; the grille confirms Audi A6.", ["Audi A6", "Audi A4"]),
        (
            "It's a Chanterelle or a False Chanterelle; I'd lean towards False Chanterelle.",
            ["False Chanterelle", "Chanterelle"],
        ),
        (
            "It is a Cessna 172 or a Piper Cherokee.\nFinal answer: Piper Cherokee",
            ["Piper Cherokee", "Cessna 172"],
        ),
        # a hedge with nothing weighed after it keeps its order
        ("It's either a Havanese or a Bichon Frise.", ["Havanese", "Bichon Frise"]),
    ],
)
def test_a_verdict_after_a_hedge_comes_first(text: str, expected: list[str]) -> None:
    assert parse_answer(text)[:2] == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The mineral in the photo is amethyst.", "amethyst"),
        ("The gem is amethyst, a purple variety of quartz.", "amethyst"),
        ("this is basil", "basil"),
        ("It looks like quartz.", "quartz"),
        ("Looks like granite.", "granite"),
        ("I reckon that's tiramisu.", "tiramisu"),
        # adjectives after "is" are no names
        ("This is tricky.", None),
        ("The flower is purple.", None),
        ("That's interesting.", None),
        ("To name a breed, a look at the coat, the ears and the build is essential.", None),
    ],
)
def test_a_bare_lower_case_noun_after_a_copula(text: str, expected: str | None) -> None:
    got = parse_answer(text)
    assert (got[0] if got else None) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("I think this is a great tit.", "great tit"),
        ("It's a little egret.", "little egret"),
        ("This is a common frog.", "common frog"),
        ("The bird is a lesser whitethroat.", "lesser whitethroat"),
        ("This is a small songbird, likely a Great Tit.", "Great Tit"),
        ("This is a black cat.", None),
        ("This is a small frog.", None),
        ("This is a brown mushroom.", None),
    ],
)
def test_a_lower_case_name_opening_with_an_adjective(text: str, expected: str | None) -> None:
    got = parse_answer(text)
    assert (got[0] if got else None) == expected


@pytest.mark.parametrize(
    "text",
    [
        "The image shows a dense cluster of dark berries on a branch; I cannot determine the"
        " species.",
        "The image shows a cluster of dark berries on a branch.",
        "The image shows a close-up of green leaves.",
        "The photo shows a group of ducks on a pond.",
        "The image shows a wooden bench in a park.",
        "The image features a brown mushroom growing on a log; the species is unclear.",
        "The image shows a pile of rocks.",
        "The image shows a plate of food.",
        "The image shows a tree in a field.",
        "There is a tree with yellow leaves in the foreground.",
        "This is a close-up photo of a flower with purple petals.",
        "The image shows a flock of flamingos wading.",
        "This appears to be some kind of lizard, but I can't tell which species.",
    ],
)
def test_a_description_of_the_picture_names_nothing(text: str) -> None:
    assert parse_answer(text) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # JSON: a Latin "species" with a common name beside it; a field of any name
        (
            '{"species": "Boletus edulis", "common_name": "Penny bun", "confidence": 0.8}',
            ["Penny bun", "Boletus edulis"],
        ),
        (
            '{"aircraft": "Airbus A350-900", "years": "2015-", "confidence": "high"}',
            ["Airbus A350-900"],
        ),
        # a quoted nickname after the name
        ('Adidas Samba OG "Cloud White"', ["Adidas Samba OG"]),
        # a Latin name glossed with "commonly called", whatever its epithet's ending
        (
            "Fagus sylvatica, commonly called European beech or common beech.",
            ["European beech", "Fagus sylvatica"],
        ),
        (
            "The smear appears to show Trichophyton tonsurans under the microscope.",
            ["Trichophyton tonsurans"],
        ),
        # what an animal does after its name
        ("Grey seal hauled out on the sand.", ["Grey seal"]),
        ("It is a little grebe diving.", ["little grebe"]),
        ("The bird is a snow bunting.", ["snow bunting"]),
        ("Barn owl hunting.", ["Barn owl"]),
        ("looks like a red squirrel perched on a fence post, with ear tufts.", ["red squirrel"]),
        # a description, then the name in apposition
        (
            "The image shows a large passenger liner, the Queen Mary 2, leaving port.",
            ["Queen Mary 2"],
        ),
        # "So: X" after reasoning; a name ruled out anywhere is not the answer
        (
            "It's a Rubber Plant or a fiddle-leaf fig at first glance, but the leaf shape rules"
            " out the Rubber Plant. So: fiddle-leaf fig (Ficus lyrata).",
            ["fiddle-leaf fig"],
        ),
        ("Not a Norway Maple: the sap is clear. This is a Sycamore Maple.", ["Sycamore Maple"]),
        # an attribute with a hyphen is no name
        ("Not a sugar maple; the sinuses are U-shaped. This is a silver maple.", ["silver maple"]),
        # a lower-case opening gives way to a weighed verdict in capitals
        (
            "The locomotive is a streamlined steam engine with a wedge nose. Everything here"
            " points to the LNER Class A4.",
            ["LNER Class A4"],
        ),
        # "toward" names nothing unless it leans
        (
            "The bird is a wader whose bill curves toward the Tip. I lean towards Curlew.",
            ["Curlew"],
        ),
        # a part named "the cap" later is no category word of the answer
        (
            "This mushroom is a wood blewit. The cap is lilac and the gills are crowded.",
            ["wood blewit"],
        ),
        # a noun that ends a common name stays
        ("The image shows a small frog, which is a red-eyed tree frog.", ["red-eyed tree frog"]),
    ],
)
def test_second_fresh_set_failure_classes(text: str, expected: list[str]) -> None:
    """Classes of the second fresh hand-written set (tests/data/parser_dev/fresh2) that the
    parser missed at first contact, in examples of our own."""
    assert parse_answer(text)[: len(expected)] == expected


@pytest.mark.parametrize(
    "text",
    [
        "I can't determine the exact species from this photo. It looks like a small brown"
        " songbird foraging in leaf litter.",
        "I cannot identify the specific breed with confidence. It seems to be a medium-sized"
        " mixed breed with a short coat.",
        "I can't tell the variety. The photo shows red apples piled in what looks like a"
        " wooden crate.",
    ],
)
def test_a_declined_species_then_a_description_names_nothing(text: str) -> None:
    assert parse_answer(text) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # ranked items are distinct candidates: "False X" does not refine item 1 "X"
        ("Top 3:\n1. Morel – 60%\n2. False morel – 30%\n3. Stinkhorn – 10%", "Morel"),
        # a weighed verdict after a lower-case opening, with or without a conclusion word
        (
            "The bus is a double-decker with an open top. Its livery indicates the Routemaster"
            " RML.",
            "Routemaster RML",
        ),
        # a likeness that "might suggest" weighs nothing
        (
            "The dog is a german shepherd. While the long coat might suggest a Malamute, the"
            " saddle marking does not.",
            "german shepherd",
        ),
        # the subject noun stays in a lower-case name
        ("The snake in the photo is a corn snake.", "corn snake"),
        ("The beetle is a stag beetle (Lucanus cervus).", "stag beetle"),
        # a refinement after a dash
        ("This is pasta — specifically orecchiette with broccoli.", "orecchiette"),
    ],
)
def test_candidates_verdicts_and_refinements(text: str, expected: str) -> None:
    assert parse_answer(text)[0] == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("It's not a Whippet but a Greyhound.", "Greyhound"),
        ("certainly a rambutan, given the hairy red rind.", "rambutan"),
        ("The image shows a classic Jaguar E-Type parked by a wall.", "Jaguar E-Type"),
        ("Coq au vin, served in a cast-iron pot.", "Coq au vin"),
        ('{"brand": "Canon", "model": "AE-1 Program", "year": 1981}', "Canon AE-1 Program 1981"),
        ('{"make": "Audi", "model": "A4", "label": "Audi A4 Avant 2015"}', "Audi A4 Avant 2015"),
        ("Honestly, this looks most like a black-eyed Susan flower.", "black-eyed Susan"),
    ],
)
def test_negated_then_named_descriptors_connectors_and_make_model(text: str, expected: str) -> None:
    assert parse_answer(text)[0] == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("It looks like quartz but is actually fluorite.", "fluorite"),
        ("This isn't a Rottweiler but rather a Beauceron.", "Beauceron"),
        ("Although it resembles a Rook, it is a Jackdaw.", "Jackdaw"),
        ("It resembles a Rook; however, it could also be a Jackdaw.", "Rook"),
        ("The image shows sage growing in a terracotta pot.", "sage"),
        ("This is the fruit of a quince.", "quince"),
        ("The answer is bismuth.", "bismuth"),
        ("The photo shows grass growing by a fence.", None),
        ('{"colour": "grey", "size": "large"}', None),
        ("It is green.", None),
        ("The leaves are serrated.", None),
        ("Step 1: The leaves are spiny.\nThis plant is known as a sea holly.", "sea holly"),
        # "instead of" a lower-case description is no correction
        ("This is a Papillon, with erect ears instead of drooping ones.", "Papillon"),
    ],
)
def test_contrasts_parts_and_bare_words(text: str, expected: str | None) -> None:
    got = parse_answer(text)
    assert (got[0] if got else None) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "It might be a Peugeot 208 or a Peugeot 308. I'm fairly confident it's the Peugeot 308.",
            "Peugeot 308",
        ),
        ("Two candidates: Pug or French Bulldog. The curled tail settles it: Pug.", "Pug"),
        (
            "I'm torn between a Scots Pine and a Black Pine, but ultimately I'd pick Black Pine.",
            "Black Pine",
        ),
        (
            "Either Hen of the Woods or Dryad's Saddle; the answer is Hen of the Woods.",
            "Hen of the Woods",
        ),
        ("Looks like gneiss to me.", "gneiss"),
        (
            "- The bird is small.\n- The breast is streaked.\nAll things considered: Fox Sparrow.",
            "Fox Sparrow",
        ),
        (
            "The wings are consistent with a Swallow, but the white rump points to a House Martin.",
            "House Martin",
        ),
        ("The flower is a spray of Michaelmas daisy.", "Michaelmas daisy"),
        ("My guess is tarragon.", "tarragon"),
    ],
)
def test_more_verdicts_on_hedges_and_bare_nouns(text: str, expected: str) -> None:
    assert parse_answer(text)[0] == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a look-alike set aside in a concessive or hedged clause, then the verdict
        (
            "Although it looks like a Sharp-shinned Hawk, the rounded tail marks this as a "
            "**Cooper's Hawk**, a larger accipiter.",
            "Cooper's Hawk",
        ),
        (
            "The pale cap could suggest a death cap, but the ring and striate gills mean this "
            "is a **Caesar's amanita** (*Amanita caesarea*).",
            "Caesar's amanita",
        ),
        (
            "While it resembles an Alaskan Malamute, the blue eyes identify this dog as a "
            "Siberian Husky.",
            "Siberian Husky",
        ),
        # synonyms between slashes
        ("Chicken of the woods / sulphur shelf (Laetiporus sulphureus)", "Chicken of the woods"),
        ("Aubergine / eggplant", "Aubergine"),
        # a generic name, then the committed specific one
        (
            "Swallowtail — most likely the Eastern Tiger Swallowtail, given the black stripes.",
            "Eastern Tiger Swallowtail",
        ),
        # a name in sentence case that looks like a Latin binomial
        ("Pasta carbonara, or possibly cacio e pepe.", "Pasta carbonara"),
        ("Salsa verde, possibly with extra lime.", "Salsa verde"),
        # container phrases
        ("This looks like a jar of Marmite, judging by the yellow lid.", "Marmite"),
        ("The photo shows what appears to be a can of Heinz Baked Beans.", "Heinz Baked Beans"),
        # a lower-case name followed by a participle clause
        ("This appears to be powdery mildew, caused by an Erysiphe species.", "powdery mildew"),
        ("It is most likely fire blight, carried by pollinating insects.", "fire blight"),
        # names opening lower-case-then-capital; a pointer description is no name
        (
            "It is an iPad Air; it might also be an iPad Pro, but the bezels suggest the "
            "cheaper model.",
            "iPad Air",
        ),
        ("It could be a Canon EOS R6 or R5; I lean to the former one.", "Canon EOS R6"),
        # a labelled field that opens the answer
        (
            "Model: Leica M6. The rangefinder window and the red dot are typical of Leica.",
            "Leica M6",
        ),
        ("Cultivar: Honeycrisp. A crisp apple with red striping over yellow.", "Honeycrisp"),
    ],
)
def test_third_fresh_set_failure_classes(text: str, expected: str) -> None:
    assert parse_answer(text)[0] == expected


@pytest.mark.parametrize(
    "text",
    [
        "The pattern might suggest a milk snake, but here the bands are wider.",
        "It could be a Pixel 8, but the camera bar suggests the newer model.",
        "Colour: Brown. The bird is small.",
    ],
)
def test_clause_words_and_descriptions_are_never_names(text: str) -> None:
    names = parse_answer(text)
    assert not {"but", "here", "newer model", "Brown"} & set(names)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("These are two mallards resting on a pond.", ["mallard"]),
        ("I think these are both tulips.", ["tulip"]),
        ("It is a mallard and a coot.", ["mallard", "coot"]),
        ("Risotto alla milanese, or possibly paella.", ["Risotto alla milanese"]),
        ("Lycaena phlaeas (Small Copper), on a daisy.", ["Small Copper", "Lycaena phlaeas"]),
        ("Painted lady (Vanessa cardui)", ["Painted lady"]),
        ("Although small, this is a Eurasian Wren.", ["Eurasian Wren"]),
    ],
)
def test_counted_plurals_joined_names_and_second_guesses(text: str, expected: list[str]) -> None:
    assert parse_answer(text)[: len(expected)] == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # \boxed with LaTeX text wrappers
        ("Weighing it all: $$\\boxed{\\text{Marsh Wren}}$$", "Marsh Wren"),
        # candidate questions answered "No" are set aside
        (
            "The wings are plain.\n\n**Could it be a Sedge Wren?** No, it lacks the buff.\n\n"
            "The white eyebrow and black back fit a **Marsh Wren**.",
            "Marsh Wren",
        ),
        ("My identification: **Marsh Wren**, not a Sedge Wren.", "Marsh Wren"),
        # a first impression taken back
        (
            "My first thought was a Lesser Scaup. However, the head is rounded and the nail "
            "wide, so on balance this makes it a Greater Scaup.",
            "Greater Scaup",
        ),
        # section titles and lone adjectives in bold are no names
        (
            "**Assessing the Coat**\n\nShort and wiry.\n\n**Weighing Terrier Breeds**\n\n"
            "Several fit.\n\n**Final Thoughts**\n\nThe dog is most likely a **Lakeland "
            "Terrier**.",
            "Lakeland Terrier",
        ),
        ("**Female** plumage, with:\n- **Brown back**\n\nThe bird is a Bufflehead.", "Bufflehead"),
        # an adjective before a plural noun is no name
        (
            "The pattern is common among Central American birds.\n\nIt is a Rufous Motmot.",
            "Rufous Motmot",
        ),
        # parts of the subject described in lower case name nothing
        (
            "Let me reason.\n\nThe bill is short and stubby. The tail is long.\n\n"
            "So this is a Long-tailed Tit.",
            "Long-tailed Tit",
        ),
        # a 'Step N: Conclusion' heading announces the verdict
        (
            "**Step 1: Shape**\nCompact.\n\n**Step 2: Colour**\nGrey with a black cap.\n\n"
            "**Step 3: Conclusion**\nA grey bird with a black cap can only be a Grey Catbird.",
            "Grey Catbird",
        ),
        # lower-case body styles belong to vehicle names
        ("The car in the photo is a 2009 Mazda Tribute suv.", "2009 Mazda Tribute suv"),
        ("It is a Volvo 240 wagon from the late 1980s.", "Volvo 240 wagon"),
        ("This is a Granny Smith apple.", "Granny Smith"),
        # coat colours before a breed are no part of it
        ("This is a blue merle Australian Shepherd.", "Australian Shepherd"),
        ("This is a brindle Whippet with a white chest.", "Whippet"),
        ("The image shows a fluffy cream British Shorthair cat on a sofa.", "British Shorthair"),
        ("The flower is a black-eyed Susan.", "black-eyed Susan"),
        # "rather than" rules out only the name in its own clause
        (
            "At first glance I took it for a Song Thrush. However, the face is plain.\n\n"
            "So rather than a song thrush, this is a Mistle Thrush.",
            "Mistle Thrush",
        ),
        # a name followed by "model" after another name is a variant of it
        ("It is a **Ford F-150**, most likely a SuperCrew model from 2011.", "Ford F-150"),
        # labelled make / model / year fields make one name
        ("**Make:** Saab **Model:** 9-3 Convertible **Year:** 2004", "Saab 9-3 Convertible 2004"),
        # a genus named alone; an italic genus glossed in parentheses
        ("The plant belongs to the genus **Kniphofia**; the spikes are orange.", "Kniphofia"),
        ("This looks like a *Digitalis* (foxglove) with purple bells.", "foxglove"),
        # "the cultivar X"
        ("It is a rose, specifically the cultivar **'Peace'**.", "Peace"),
        # seventh fresh set: conclusion tags, thinking marks, dashes after answer labels
        (
            "<SUMMARY> I will compare the thrushes. </SUMMARY> <REASONING> Grey cheeks, no "
            "eye-ring. </REASONING>\n\n<CONCLUSION> grey-cheeked thrush </CONCLUSION>",
            "grey-cheeked thrush",
        ),
        ("◁think▷Brown, streaked; maybe a Song Sparrow.◁/think▷It is a Lincoln's Sparrow.",
         "Lincoln's Sparrow"),
        ("Marks: pale lores, dark cap.\n\nFinal answer — Willow Flycatcher", "Willow Flycatcher"),
        ("Final answer: *Seiurus aurocapilla* — the Ovenbird.", "Ovenbird"),
        ("<think>A gull-like bird.</think>\n\nSeabird.\n\nThis is a Northern Fulmar.",
         "Northern Fulmar"),
        (
            "**Comparing Candidates**\n\nTwo fit.\n\n**Final Assessment**\n\nThe white "
            "collar and red legs make this a breeding **Black Guillemot**.",
            "Black Guillemot",
        ),
        ("Verdict: the grey back on a tern frame identifies a Forster's Tern.", "Forster's Tern"),
        (
            "It looks like a jay, and I believe it's a Steller's Jay.\n\nThe setting, similar "
            "to Yosemite Valley, is typical; I'm fairly confident.",
            "Steller's Jay",
        ),
        # eighth fresh set: asked and answered, candidate lines, shorthand, three-way hedges
        (
            "Grey above, rusty tail.\n\nSo, what is it? It's a Hermit Thrush, probably a "
            "migrant.",
            "Hermit Thrush",
        ),
        ("Long tail, crest.\n\nSo what species is this? A Phainopepla, the silky one.",
         "Phainopepla"),
        (
            "**Hooded Warbler** – black hood, yellow face.\n\n**Wilson's Warbler** – black "
            "cap only.\n\nThe bird shows a black cap only. That fits the **Wilson's Warbler**.",
            "Wilson's Warbler",
        ),
        ("It resembles the Cassin's Vireo and the Blue-headed Vireo.\n\nMy answer: a Cassin's.",
         "Cassin's Vireo"),
        ("It could be a Hairy Woodpecker, a Downy Woodpecker, or possibly a Ladder-backed "
         "Woodpecker.", "Hairy Woodpecker"),
        (
            "A large dark bird. It could be a Fish Crow, an American Crow, or possibly a Common "
            "Raven.\n\nGiven the coastal setting, Fish Crow seems most likely.",
            "Fish Crow",
        ),
        ("The ruff is unique, so the answer is **Nigella** (love-in-a-mist).", "Nigella"),
        # a Latin epithet after "are" is no plural; "instead of X" sets X aside
        ("The flowers in the image are *Crocus tommasinianus*.", "Crocus tommasinianus"),
        (
            "The car is a **Renault Zoe**. The plug sits behind the badge instead of a "
            "conventional grille.",
            "Renault Zoe",
        ),
        # a lower-case opening gives way to a later verdict in capitals
        (
            "The car is a small red two-door hatchback.\n\nThe grille and lamps mark it as "
            "a **Fiat 500**.",
            "Fiat 500",
        ),
    ],
)
def test_fourth_and_fifth_fresh_set_failure_classes(text: str, expected: str) -> None:
    """Wording classes first met in tests/data/parser_dev/fresh4 and fresh5 (own examples)."""
    assert parse_answer(text)[0] == expected


@pytest.mark.parametrize(
    ("text", "absent"),
    [
        (
            "**Assessing the Coat**\n\nShort and wiry.\n\n**Weighing Terrier Breeds**\n\n"
            "Several fit: Welsh Terrier, Lakeland Terrier.\n\n**Final Thoughts**\n\n"
            "The dog is most likely a **Lakeland Terrier**.",
            "Weighing Terrier Breeds",
        ),
        (
            "The bird is entirely slate grey with white outer tail feathers.\n\nAmong the "
            "juncos, the pink bill and grey hood point to a Dark-eyed Junco.",
            "entirely slate grey",
        ),
        (
            "The outer petals are broader and unmarked. It is a Peruvian Lily.",
            "broader and unmarked",
        ),
    ],
)
def test_section_titles_and_descriptions_are_never_candidates(text: str, absent: str) -> None:
    assert absent not in parse_answer(text)


def test_a_three_way_hedge_keeps_every_name_in_order() -> None:
    text = "It might be a Song Sparrow, a Lincoln's Sparrow, or possibly a Swamp Sparrow."
    assert parse_answer(text) == ["Song Sparrow", "Lincoln's Sparrow", "Swamp Sparrow"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # chat-template tokens and a model running on into the next turn
        ("Takoyaki</s>", "Takoyaki"),
        ("The cat in the image is a Havana Brown.<|im_end|>", "Havana Brown"),
        ("scottish fold\n\n### Instruction:\nWhat is the exact breed?", "scottish fold"),
        ("Boeing 767-300 <end_of_turn>", "Boeing 767-300"),
        # degenerate repetition
        ("Pine Siskin Pine Siskin Pine Siskin", "Pine Siskin"),
        ("beagle beagle beagle beagle", "beagle"),
        # GLM-4.1V's answer box, also with a word outside it
        (
            "<think>Grey, crested, black mask. Cedar or Bohemian?</think><answer>"
            "<|begin_of_box|>Bohemian Waxwing<|end_of_box|></answer>",
            "Bohemian Waxwing",
        ),
        ("<answer>Female <|begin_of_box|>Bufflehead<|end_of_box|></answer>", "Bufflehead"),
        # the category before the name
        ("This is a dog of the breed Basenji.", "Basenji"),
        ("A cat of the Bombay breed.", "Bombay"),
        ("a bird of the species Lark Sparrow", "Lark Sparrow"),
        ("This is a sedan of the model Audi A4.", "Audi A4"),
        # a terse name, then what kind of thing it is
        ("Plumeria. It is a type of flowering tree.", "Plumeria"),
        ("sea holly. it is a type of eryngium.", "sea holly"),
        ("Good question. It is a Tree Swallow.", "Tree Swallow"),
        # a sentence that takes back the first guess
        (
            "This appears to be a Herring Gull. On second look, the dark mantle and pink legs "
            "indicate that it is a Western Gull.",
            "Western Gull",
        ),
        (
            "This appears to be a bowl of ramen. Actually, the thick white noodles show that "
            "this is udon.",
            "udon",
        ),
        # a possibility is no correction; a group word is no correction of a species
        (
            "The car appears to be a 2001 Chevrolet Camaro. It is possible that the car is "
            "actually a Pontiac Firebird, as the two share a platform.",
            "2001 Chevrolet Camaro",
        ),
        (
            "This bird is a **Louisiana Waterthrush**. Although it looks like a thrush, it's "
            "actually a warbler.",
            "Louisiana Waterthrush",
        ),
        # a bold span is the name as the model marked it; a body style after a plain name
        # belongs to it, also before a parenthesis
        ("The vehicle in the image is a **Ford E-Series** van.", "Ford E-Series"),
        ("The car is a Chevrolet Traverse SUV (first generation), likely 2012.", "Chevrolet Traverse SUV"),
        # labels of the verdict
        ("**Best match: Chevrolet Silverado 1500**\n\nThe grille fits.", "Chevrolet Silverado 1500"),
        ("### Identification\n\n**Aircraft: Airbus A330-300**\n\n- **Winglets**", "Airbus A330-300"),
        # lower-case answers
        (
            "this is a crested bird with a narrow black mask. so this is a cedar waxwing, "
            "eating berries in what looks like a juniper.",
            "cedar waxwing",
        ),
        (
            "the roof is a fabric top, which is rolled back. this is a mazda mx-5 miata.",
            "mazda mx-5 miata",
        ),
        ("The image shows a dense cluster of **bluebells** in a wood.", "bluebells"),
        ("The flowers shown are crocus (*Crocus vernus*), opening in the sun.", "crocus"),
        ("It's a twin-engine regional jet, probably a Bombardier CRJ-700.", "Bombardier CRJ-700"),
        ("The plain back and buff throat fit **Le Conte's Sparrow**.", "Le Conte's Sparrow"),
        # terse reasoning: features, an arrow, the name
        (
            "Tall spike, hooded blue-violet florets, palmate leaves → **monkshood** "
            "(*Aconitum napellus*). Not delphinium.",
            "monkshood",
        ),
        ("Small, domed skull, apple head, huge ears → Chihuahua.", "Chihuahua"),
        ("Slate-grey back + white belly + pink legs = Western Gull.", "Western Gull"),
        # labels and headings of the verdict
        ("**Identified vehicle: Kia Sorento SUV** (c. 2012).", "Kia Sorento SUV"),
        ("### Verdict\n**Hooded Merganser** (*Lophodytes cucullatus*), female.", "Hooded Merganser"),
        (
            "### Answer\n**Lilac** (*Syringa*), most likely *Syringa vulgaris*.",
            "Lilac",
        ),
        (
            "**Conclusion:** It's a **sweet pea** — most likely *Lathyrus odoratus* 'Cupani'.",
            "sweet pea",
        ),
        ("This is a **Dahlia** (also called georgina), probably a *Dahlia pinnata* hybrid.", "Dahlia"),
        # field marks in a numbered list are no candidates; "makes this a X" is a verdict
        (
            "1. **Crown (Cap)**: Rufous.\n2. **Bill**: Dark.\n\nThe rufous cap and black eye-line "
            "make this an adult **Chipping Sparrow**.",
            "Chipping Sparrow",
        ),
        (
            "**Considered alternatives:**\n- *Hooded Oriole* — orange-yellow crown.\n"
            "- *Orchard Oriole* — chestnut.\n\nThe full black hood makes this an adult male "
            "**Baltimore Oriole** (*Icterus galbula*).",
            "Baltimore Oriole",
        ),
        # a group word said plainly later is no correction of the name given
        (
            "A large, chunky sparrow with a rusty tail.\n\nThe spotting might suggest a Song "
            "Sparrow. Hermit Thrush has a rufous tail too, but it's a thrush.\n\nThis looks like "
            "the Red form of **Fox Sparrow**.",
            "Fox Sparrow",
        ),
        # an alias is no more specific name
        (
            "The flower in the image is a **Bluebell** (*Hyacinthoides non-scripta*), also known "
            "as the English Bluebell.",
            "Bluebell",
        ),
        # a make, then its model; a correction "more accurately"; "No, on closer inspection"
        ("This appears to be a **Kia** SUV, most likely a **Kia Sorento**.", "Kia Sorento"),
        (
            "The vehicle appears to be a Chevrolet Impala... however, the grille has the Buick "
            "waterfall. So it is more accurately a **Buick LaCrosse**.",
            "Buick LaCrosse",
        ),
        (
            "It suggests it is actually a **Ford Edge**... No, on closer inspection it is too "
            "small; it's more consistent with the **Ford Escape**, likely the E2 model.",
            "Ford Escape",
        ),
        ("The car in the image appears to be a BMW Z4 Roadster, specifically the E89 generation.", "BMW Z4 Roadster"),
        # coat words before a bold breed; terse features before the verdict
        ("This is a brown tabby **Norwegian Forest Cat**.", "Norwegian Forest Cat"),
        ("**Final Answer:** a wire-haired **Dachshund**.", "Dachshund"),
        ("Fawn coat, black mask, curled tail, wrinkled face → Pug.", "Pug"),
        ("Very large, white double coat, calm expression. The answer is Kuvasz.", "Kuvasz"),
        # a monologue that sets its first thought aside and ends "features: Name."
        (
            "Gray head, olive back, bold white eye ring. My first thought was Connecticut "
            "Warbler, but its hood covers the throat.\n\nGray head, white eye ring, yellow "
            "throat: Nashville Warbler.",
            "Nashville Warbler",
        ),
        (
            "A long-tailed, rufous bird with heavy streaks.\n\nMy first thought was a Wood "
            "Thrush because of the spots, but thrushes have short tails.\n\nThe rufous back "
            "and wing bars fit best with the Brown Thrasher.",
            "Brown Thrasher",
        ),
        # the label inside the bold span: the span is the answer, not the caveat after it
        (
            "**Answer: Cassin's Vireo** (*Vireo cassinii*) — with the caveat that Blue-headed "
            "Vireo is the main alternative.",
            "Cassin's Vireo",
        ),
        ("**Verdict: Common Loon** (*Gavia immer*), called the Great Northern Diver in Europe.", "Common Loon"),
        # a closing bold line with its Latin name, after a lower-case first impression
        (
            "Okay, so it's a black-and-white woodpecker. The white cheek decides it.\n\n"
            "**Red-cockaded Woodpecker** (*Dryobates borealis*)",
            "Red-cockaded Woodpecker",
        ),
    ],
)
def test_ninth_to_twelfth_fresh_set_failure_classes(text: str, expected: str) -> None:
    """Wording classes first met in tests/data/parser_dev/fresh9 ... fresh12 (own examples)."""
    assert parse_answer(text)[0] == expected


def test_a_demonstrative_phrase_is_no_name() -> None:
    text = "**Step 2:** These Features point one way: the bird is a **Mangrove Cuckoo**."
    assert "These Features" not in parse_answer(text)


def test_a_decline_names_no_generic_word() -> None:
    text = (
        "Unfortunately, I can't provide the exact car model. There are several vehicles with "
        "similar shapes and no badges are visible."
    )
    assert parse_answer(text) == []


def test_an_offer_to_help_is_no_name() -> None:
    text = (
        "I'm sorry, but I can't identify the exact breed of the cat in this image. If you can "
        "provide a clearer image of the cat, I'd be happy to help identify the breed."
    )
    assert parse_answer(text) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a bold name in sentence case that opens the answer
        ("**Common snowdrop** (*Galanthus nivalis*) — nodding white bells in late winter.",
         "Common snowdrop"),
        # a bold name after "A <colour words>", before a colon
        ("A tan-and-white **Basenji**: curled tail, wrinkled brow.", "Basenji"),
        # an arrow at the end of a line, the name on the next
        ("Wedge head, blue eyes, dark points →\nSiamese.", "Siamese"),
        # a final answer whose leading name is refined by a hedged cultivar
        ("**Final Answer:** Sweet pea (*Lathyrus odoratus*), possibly the cultivar 'Cupani'",
         "Sweet pea"),
        # a first identification taken back ("Hmm, but", "However, looking more closely")
        ("The truck is a Ram 1500. Hmm, but the dual rear wheels say otherwise. Therefore, "
         "it is a **Ram 3500 Crew Cab**.", "Ram 3500 Crew Cab"),
        ("This looks like a Volvo V70. However, looking more closely, the raised body and "
         "cladding mean the answer is the **Volvo XC70**.", "Volvo XC70"),
        ("This appears to be a Subaru Outback... Actually, the lower body and the badge say "
         "it is the wagon Subaru sold as the **Subaru Legacy GT Wagon**.", "Subaru Legacy GT Wagon"),
        # ... but not by a later restatement, a variety, or "it could also be"
        ("The van appears to be a **Ford Transit Connect**. However, without the badge it "
         "could also be a **Chevrolet City Express**.", "Ford Transit Connect"),
        ("The flower is a **Lily**. Wait, the leaves are broad, so this is more likely a "
         "daylily. However, the name I can give confidently is **Lily**.", "Lily"),
        # a hedge decided later by a fuller or plain restatement of one of its names
        ("This could be a **Saluki** or an **Afghan Hound**, hard to say. Given the short "
         "body coat, I'd say this is most likely a **Saluki**.", "Saluki"),
        ("It could be either a Nissan Altima or a Nissan Maxima. From the grille I'd say "
         "it's a 2010 Nissan Maxima sedan.", "2010 Nissan Maxima sedan"),
        # a quoted name, refined "more formally"
        ('I think this is a "westie" – more formally the West Highland White Terrier.',
         "West Highland White Terrier"),
        ("The dog is a westie, more formally the West Highland White Terrier.",
         "West Highland White Terrier"),
        # a lower-case name after "a type of" ("lily" is no adverb)
        ("This is an orange flower, likely a type of lily.", "lily"),
        # a genus used as a common noun before its binomial
        ("The picture shows a magnolia, probably Magnolia stellata.", "magnolia"),
        # the years a car was built, an era before its name, a make before a bare model
        ("**Ford Bronco (fifth generation), 1992–1996**\n\nBoxy two-door body.", "Ford Bronco"),
        ("The car appears to be a 1980s Toyota Supra. Pop-up lamps, long hood.", "Toyota Supra"),
        ("Either a **Lexus IS 250** or a **Lexus GS 350**; the short tail makes it more "
         "likely the IS 250.", "Lexus IS 250"),
        # a labelled model field under a title heading, or in a heading
        ("## Vehicle\n\n**Model:** Audi TT RS\n**Body style:** Coupe\n\n- Single-frame grille",
         "Audi TT RS"),
        ("### Car Model: Porsche Boxster (987)\n\n**Features:**\n- Mid-engine roadster",
         "Porsche Boxster"),
        # a lower-case refinement that names a kind of the bold name, not a colour
        ("It is a **Clematis**, specifically the alpine clematis (*Clematis alpina*).",
         "alpine clematis"),
        ("This appears to be a **tulip** — specifically a red-and-white striped tulip.",
         "tulip"),
        # second round (fresh27 - fresh30): coat words inside a bold breed, two animals, a
        # Latin name in brackets after a bold common name, a genus after a lower-case name,
        # a cultivar that cannot be named
        ("The image shows a **blue merle Australian Shepherd puppy**. Bright eyes.",
         "Australian Shepherd"),
        ("The photo contains two animals: a Pug dog and a Siamese cat. The pug is in front.",
         "Pug"),
        ("This is a **Foxglove** (*Digitalis purpurea*). Tall spikes of tubular flowers.",
         "Foxglove"),
        ("This is a sea holly, genus *Eryngium*.", "sea holly"),
        ("The flowers are from a **Passion Flower** (*Passiflora caerulea*). The exact "
         "cultivar cannot be determined from the image.", "Passion Flower"),
        ("**Answer:** Willow Flycatcher However, the light is poor.", "Willow Flycatcher"),
        # third round (fresh31 - fresh34): a later verdict that restates the car with its
        # year, body or trim; years before the name; a make's mark; a lower-case model
        ("The vehicle is a Ford Expedition. The grille and lamps place it in 2012, so I'd "
         "say it is a 2012 Ford Expedition EL SUV.", "2012 Ford Expedition EL SUV"),
        ("It appears to be a 2008-2011 Mazda Tribute, judging by the grille.", "Mazda Tribute"),
        ("The badge on the grille is the Dodge logo. Together with the stance this identifies "
         "the vehicle as a **Dodge Durango Citadel**.", "Dodge Durango Citadel"),
        ("This is a Fiat doblo Cargo.", "Fiat doblo Cargo"),
        ("The bird is a Wren near Boston.", "Wren"),
        ("Pointed ears, cobby body, blue coat → Chartreux (*not* a Russian Blue).", "Chartreux"),
        ("Oval leaves, waxy petals → frangipani.", "frangipani"),
        ("Toy dog, tan coat, apple head, large ears → Chihuahua.", "Chihuahua"),
        ("**Likely ID: Bee Balm** (*Monarda didyma*)\n\n* **Flowers:** red tubes", "Bee Balm"),
        ("**Answer:** **Ford Focus Sedan 2012** — no, correcting: **Ford Fusion Sedan 2012**.",
         "Ford Fusion Sedan 2012"),
        ("**Cedar Waxwing** (*Bombycilla cedrorum*), adult.", "Cedar Waxwing"),
        # fourth round (fresh35 - fresh37): terse features, then the bold name; an attribute
        # phrase, then a concluding sentence
        ("Slender grey bird, long tail, black mask, hooked bill — that's **Loggerhead Shrike**.",
         "Loggerhead Shrike"),
        ("The red calipers and quad exhausts are characteristic of the Quadrifoglio version. "
         "Therefore, this is an **Alfa Romeo Giulia Quadrifoglio 2017**.",
         "Alfa Romeo Giulia Quadrifoglio 2017"),
        ("I first thought of a Honda Fit, but the grille says Nissan Cube. The car is a "
         "**Nissan Cube Hatchback 2012**.", "Nissan Cube Hatchback 2012"),
        ("The car appears to be a **Nissan Leaf**, possibly the 2013 Leaf SV. However, it "
         "could also be the **Nissan Leaf Hatchback 2011**.", "Nissan Leaf"),
    ],
)
def test_thirteenth_round_failure_classes(text: str, expected: str) -> None:
    """Wording classes met in fresh15 / fresh20 (residual) and fresh23 ... fresh26 (own
    examples)."""
    assert parse_answer(text)[0] == expected


@pytest.mark.parametrize(
    "text",
    [
        "The car in the image is a silver hatchback.",
        "The car is a red sports car, and I cannot tell the make.",
        "The bird in the image is a finch, but the exact species cannot be determined.",
        "**Identification:** Unable to determine\n\n**Confidence:** Low\n\nToo blurry.",
        "**Step 1:** Blurred.\n\n**Conclusion:** It's not possible to tell the species here.",
    ],
)
def test_a_description_of_the_kind_names_nothing(text: str) -> None:
    assert parse_answer(text) == []


def test_an_evaluative_adjective_is_no_name() -> None:
    text = "What a classy car! This looks like a Jaguar XK. The oval grille gives it away."
    assert parse_answer(text)[0] == "Jaguar XK"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a lower-case plant name that opens with an animal word
        ("It is a dog rose.", "dog rose"),
        # an adverb of certainty between the verb and the name
        ("With that crest and black mask, this bird is unmistakably a Northern Cardinal "
         "(*Cardinalis cardinalis*).", "Northern Cardinal"),
        # a former Latin name in brackets is no common name; the gloss after it is
        ("This is *Hylotelephium spectabile* (formerly *Sedum spectabile*), commonly known as "
         "the **showy stonecrop**.", "showy stonecrop"),
        # several common names after "commonly known as": the first
        ("This is *Tropaeolum majus*, commonly known as the garden nasturtium, Indian cress, "
         "or monk's cress.", "garden nasturtium"),
        # a refinement that opens with a colour names a species when a binomial glosses it
        ("The flower is a **Water Lily**, specifically the white water lily (*Nymphaea alba*).",
         "white water lily"),
        # a group noun narrowed to a genus; a genus named, the species left open
        ("The plant appears to be a succulent from the genus *Echeveria*, though the species "
         "is unclear.", "Echeveria"),
        ("This flower belongs to the genus *Clematis*. I can't determine the exact species "
         "from this image.", "Clematis"),
        # sex, age and plumage after a dash
        ("Hooded Merganser — female, non-breeding.", "Hooded Merganser"),
        ("Answer: **Yellow Warbler — male**", "Yellow Warbler"),
        # alternative model years before a car name
        ("This looks like a **2009 or 2010 Toyota Camry Sedan**; the facelift is hard to date.",
         "Toyota Camry Sedan"),
        ("It appears to be a 2011 or 2012 Ford Ranger SuperCab.", "Ford Ranger SuperCab"),
        # coat colours and patterns before a breed, in lower case, sentence case or title case;
        # an abbreviation in a one-line answer
        ("A ginger Maine Coon.", "Maine Coon"),
        ("Blue point bicolor Birman", "Birman"),
        ("The cat is a Chocolate Point Siamese with blue eyes.", "Siamese"),
        ("St. Bernard", "St. Bernard"),
        # "X is the best fit": no name after "is the"
        ("**Conclusion:** Least Flycatcher is the best fit, with Hammond's Flycatcher as the "
         "alternative.", "Least Flycatcher"),
        # a labelled list of possibilities on one line
        ("Possible species: Mute Swan, Trumpeter Swan, Whooper Swan.", "Mute Swan"),
        # one field for make and model, the year in another (joined as make / model / year are)
        ("Make/Model: Honda Fit Hatchback\nYear: 2012", "Honda Fit Hatchback 2012"),
        # a name in CJK script glossed in Latin letters
        ("品种：柴犬 (Shiba Inu)", "Shiba Inu"),
        # a form, morph or race of the species named is no name of its own
        ("This is a **Red-tailed Hawk** (*Buteo jamaicensis*), specifically the "
         "**\"Harlan's\" form**.", "Red-tailed Hawk"),
        # a make and a body style in lower case: the make
        ("The vehicle is a GMC pickup truck, but the model is unclear.", "GMC"),
        # class words and a body style in lower case after a model belong to it
        ("The car in the image is a Ford E-Series passenger van.", "Ford E-Series passenger van"),
        # a "Conclusion:" that is a sentence: the name it states, not its subject
        ("**Step 2:** Pale.\n\n**Conclusion:** The yellow throat set against the gray hood is "
         "typical of an adult **Connecticut Warbler** (*Oporornis agilis*).", "Connecticut Warbler"),
        # "drake" before a name; "All told," opens a sentence
        ("Conclusion: this is a drake (adult male) **Northern Pintail**.", "Northern Pintail"),
        ("All told, the bird is a Pine Siskin.", "Pine Siskin"),
        # a subspecies group after the species; a lower-case name glossed by its genus when
        # the species is left open
        ("Overall, the bird is a Fox Sparrow of the Sooty group (*Passerella iliaca unalaschcensis*).",
         "Fox Sparrow"),
        ("It's a columbine (*Aquilegia*). Hybrids are common, so the exact species can't be "
         "determined.", "columbine"),
        # a cultivar or variety put after the plant or breed, not bolded as the answer
        ("This is a **Clematis**, probably the cultivar 'Nelly Moser', given the pink bars.",
         "Clematis"),
        ("The dog is a **Labrador Retriever**, specifically the \"English show\" variety.",
         "Labrador Retriever"),
        ("The flower is a tulip, most likely the cultivar **'Queen of Night'**.", "Queen of Night"),
        # a nickname glossed by the full name in brackets
        ("This looks like a **Frenchie** (French Bulldog).", "French Bulldog"),
    ],
)
def test_fourteenth_round_failure_classes(text: str, expected: str) -> None:
    """Wording classes met in fresh38 ... fresh43 (own examples)."""
    assert parse_answer(text)[0] == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # "-like" inside a compound word is no identifying phrase
        ("The wings are a blur and it has a comb-like tail. These marks indicate that it is a "
         "**Bee Hawk-moth**.", "Bee Hawk-moth"),
        # a kind of aircraft after the make, then the model
        ("It seems to be a Fokker turboprop. The six-blade propellers suggest that it is a "
         "Fokker 50.", "Fokker 50"),
        ("The plane is a trijet with a tail engine; the long fuselage indicates that this is a "
         "**Lockheed L-1011 TriStar**.", "Lockheed L-1011 TriStar"),
        # a plural dish after a singular verb, glossed; a dish glossed in brackets
        ("The dish is tamales, a Mexican staple of corn dough steamed in husks.", "tamales"),
        ("These are pierogi (filled Polish dumplings).", "pierogi"),
        # the answer set apart by a horizontal rule after thought headings
        ("**Weighing the Grille**\n\nI'm leaning toward 2009 because of the mesh. It could be "
         "the Sorento, but the lamps say otherwise.\n\n---\n\nThe vehicle is a **2010 Kia "
         "Sportage**.\n\n1. **Grille:** Mesh.", "2010 Kia Sportage"),
        # a hyphenated or two-word make, then its model picked
        ("It appears to be an Alfa-Romeo sedan, most likely an **Alfa-Romeo 159**.",
         "Alfa-Romeo 159"),
        ("The car is a **Land Rover Range Rover**; the split tailgate says it is most likely a "
         "**Land Rover Range Rover Sport**.", "Land Rover Range Rover Sport"),
        # a make and an SUV in capitals: the make
        ("This looks like a Lexus SUV, but I can't see the badge on the tailgate.", "Lexus"),
        # a trim alone is no name ("likely a Crew Cab LT" after the model)
        ("This is a **Chevrolet Silverado**, second generation. Based on the doors, it is likely "
         "a Crew Cab LT.", "Chevrolet Silverado"),
        # a family named after a lower-case name, the species left open
        ("The fish is a damselfish (family Pomacentridae). The exact species can't be "
         "determined from this angle.", "damselfish"),
        ("The insect is a rove beetle belonging to the family Staphylinidae; I cannot identify "
         "the exact species.", "rove beetle"),
        # a Latin name followed by its reasons after a dash
        ("This is *Acer saccharum* — judging by the five lobes and the U-shaped sinuses.",
         "Acer saccharum"),
        # two animals, each with its article
        ("There are two animals in the picture: a Beagle and a tabby cat.", "Beagle"),
        # two coat colours joined by "and" before the breed
        ("The dog is an orange and white Brittany.", "Brittany"),
        # a nickname or the initials glossed by the full name
        ("Westie (West Highland White Terrier).", "West Highland White Terrier"),
        ("It's a JRT (Jack Russell Terrier).", "Jack Russell Terrier"),
        # a sex or age word before a name in title case, in any case
        ("**Final answer:** Adult male Scarlet Tanager", "Scarlet Tanager"),
        ("Conclusion: Immature Red-headed Woodpecker.", "Red-headed Woodpecker"),
    ],
)
def test_fifteenth_round_failure_classes(text: str, expected: str) -> None:
    """Wording classes met in fresh44 ... fresh55 (own examples)."""
    assert parse_answer(text)[0] == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # "Dr." inside a brand name ends no sentence
        ("The shoe in the picture is a Dr. Martens 1461 oxford.", "Dr. Martens 1461"),
        # a likeness phrase inside the bold span or before a lower-case term
        ("The smear shows a cell with coarse granules, **consistent with a basophil**.", "basophil"),
        ("This lesion shows features suggestive of actinic keratosis, including a strawberry "
         "pattern.", "actinic keratosis"),
        # a medical caveat is no refusal
        ("The pattern points to **dermatofibroma**. A scar cannot be excluded, and this is not a "
         "diagnosis.", "dermatofibroma"),
        # a dash after the name, then a note on the features
        ("**Pyogenic granuloma** — note the red homogeneous area and the white collarette.",
         "Pyogenic granuloma"),
        # a sentence before the colon of a list is no heading
        ("This is a Dalmatian. Identifying features include:\n- Spotted, short coat\n- Lean, "
         "athletic build", "Dalmatian"),
        # plural young after the breed; a coat variety before it
        ("These are three **Ragdoll kittens** on a sofa.", "Ragdoll"),
        ("It appears to be a Persian cat - specifically a shaded silver Persian.", "Persian"),
        # "points clearly to" weighs the candidates listed before
        # labelled make and model fields, then the car named in the answer's own words
        ("**Make:** Kia\n**Model:** Soul\n**Year:** 2012\n\nThis is a 2012 Kia Soul hatchback "
         "with the boxy roofline.", "2012 Kia Soul hatchback"),
        ("**Step 1: Candidates**\n- **Common Daisy:** small heads.\n- **Oxeye Daisy:** large "
         "heads.\n\n**Step 2: Conclusion**\nThe large heads and bare stems point clearly to the "
         "**Oxeye Daisy**.", "Oxeye Daisy"),
    ],
)
def test_sixteenth_round_failure_classes(text: str, expected: str) -> None:
    """Wording classes met in fresh56 ... fresh64 (own examples)."""
    assert parse_answer(text)[0] == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a common name in sentence case glossed by another name stays first
        ("The plant is a Chilean bellflower, also known as Lapageria.", "Chilean bellflower"),
        ("This is an African violet, also called Saintpaulia, with fuzzy leaves.",
         "African violet"),
        # a correcting sentence whose first name is glossed by a second one
        ("At first glance it looks like a tulip. On closer inspection, the spotted throat shows "
         "it is a toad lily (Tricyrtis hirta), also called hairy toad lily.", "toad lily"),
        # a headline "Name — *Latin*" or "Name (*Latin*)" opens the answer, features below
        ("**Snowdrop — *Galanthus nivalis***\n\n- Nodding, white, bell-shaped flowers\n"
         "- Strap-shaped grey-green leaves", "Snowdrop"),
        ("**Corn poppy (*Papaver rhoeas*)**\n\n- Crinkled, scarlet petals\n- Hairy, "
         "pinnate leaves", "Corn poppy"),
        # a lower-case name in bold after an article in the opening line
        ("A **lilac** (*Syringa vulgaris*) — dense panicles of small mauve flowers.", "lilac"),
        ("I'd call this a **hollyhock** (*Alcea rosea*).\n\nTall spike, open flowers.",
         "hollyhock"),
        # a bracket after a genus with a list or a family in it is no common name
        ("**Answer:** a **Salvia** (bedding, *Salvia* × *splendens*) with red spikes.", "Salvia"),
        ("Papery bracts + woody stem = *Bougainvillea* (Nyctaginaceae).\n\n**Final Answer:** "
         "**Bougainvillea**.", "Bougainvillea"),
        # a bullet list after a Latin name opening the answer is no gloss of it
        ("*Scabiosa columbaria*\n\n- Domed heads of lilac florets\n- Wiry stems",
         "Scabiosa columbaria"),
        # a genus word joined by a hyphen ("a spring-flowering crocus") is no common name
        ("The timing makes this a spring-flowering crocus.\n\n**Answer: Spring crocus** "
         "(*Crocus vernus*).", "Spring crocus"),
        # bold italics
        ("**Conclusion:** The flower is ***Kniphofia uvaria***.", "Kniphofia uvaria"),
        # a generation or chassis code before the make is no part of the class name
        ("The car in the photo is a Mk7 Volkswagen Golf R hatchback.", "Volkswagen Golf R hatchback"),
        ("It's an E46 BMW M3 coupe.", "BMW M3 coupe"),
        ("It is a third-generation Toyota Prius liftback.", "Toyota Prius liftback"),
        # ... but an engine or a series name is ("V12 Vanquish", "N700 Series")
        ("The car is an Aston Martin V12 Vanquish.", "Aston Martin V12 Vanquish"),
        ("The train in the image is an N700 Series Shinkansen.", "N700 Series Shinkansen"),
        # a cab style in lower case ends the truck's name, before "pickup (truck)"
        ("The vehicle is a GMC Sierra 2500HD crew cab pickup truck.", "GMC Sierra 2500HD crew cab"),
        ("It's a Ford F-250 Super Duty regular cab.", "Ford F-250 Super Duty regular cab"),
        # "-type" after a breed; a form below the species is no name of its own
        ("The dog looks like a boxer-type dog with a short brindle coat.", "boxer"),
        ("It's a Dark-eyed Junco, specifically the \"Oregon\" form, given the black hood.",
         "Dark-eyed Junco"),
        # round twelve: "a more accurate identification would be" corrects a first guess
        ("This looks like a field poppy. However, looking more closely, the petals are paper "
         "thin and orange. A more accurate identification would be a **California Poppy**.",
         "California Poppy"),
        # an article before sex and age words; a span that runs over a naming verb
        ("A female Rose-breasted Grosbeak.", "Rose-breasted Grosbeak"),
        ("This is a **bougainvillea**. The colourful 'petals' are actually modified leaves "
         "called bracts.", "bougainvillea"),
        # a lower-case common name hedged with its Latin name
        ("The photo shows a snowflake, probably Leucojum vernum, by a stream.", "snowflake"),
        # round thirteen: "spp." after a genus; the Latin name repeated in brackets with a hybrid
        # epithet is no common name; "&" inside a name
        ("The flower in the image is a **Kniphofia** (*Kniphofia* spp.), also known as red hot "
         "poker.", "Kniphofia"),
        ("The flower in the image is a **Verbena** (*Verbena* × *hybrida*). It has small "
         "clustered flowers.", "Verbena"),
        ("The vehicle in the image appears to be a Rolls-Royce Silver Spur & Silver Spirit.",
         "Rolls-Royce Silver Spur & Silver Spirit"),
        # a year after a dash
        ("Porsche Cayman (first generation) — ~2009.\n\nClues: mid-engine.", "Porsche Cayman"),
    ],
)
def test_seventeenth_round_failure_classes(text: str, expected: str) -> None:
    """Wording classes met in fresh68 ... fresh73 (own examples)."""
    assert parse_answer(text)[0] == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a spaced dash or slash ends a name: what follows glosses it
        ("Hellebore (Helleborus niger) — white sepals.", "Hellebore"),
        ("Maine Coon — a large, long-haired breed.", "Maine Coon"),
        ("**Lenten rose / Christmas rose** (*Helleborus*): nodding cups.", "Lenten rose"),
        # ... but not a hedge after the dash, nor a slash inside a bracket
        ("**Camellia — likely *Camellia japonica***\n\n- Glossy leaves", "Camellia"),
        ("Japanese anemone (*Anemone hupehensis* / *A. × hybrida*) — pink cups.",
         "Japanese anemone"),
        # a sentence opening "no, it's" takes back the name before it
        ("Nissan Altima... no, it's a Nissan Maxima, the grille is wider.", "Nissan Maxima"),
        ("The truck is a Ford F-250... Correction: the single rear wheels make it a Ford F-150.",
         "Ford F-150"),
        # "my final answer" names the answer, whatever came first
        ("At first sight a **Cairn Terrier**, but the coat points to the N type:\n\n- Wiry\n\n"
         "So my final answer is a **Norwich Terrier**.", "Norwich Terrier"),
        ("This looks like a **Honda Accord**... though actually, the trunk lid is shorter.\n\n"
         "So my final answer is a **Honda Civic**, a 2012 sedan.", "Honda Civic"),
        ("My first read was a **Ford Mustang GT**. But on closer inspection:\n\n- No hood "
         "scoop\n\nSo this is more likely a plain **Ford Mustang**.", "Ford Mustang"),
        # "points instead to" gives the verdict after a first impression
        ("At first glance it might pass for a Chartreux, but the round face and plush coat "
         "point instead to a British Shorthair.", "British Shorthair"),
        # a genus in italics in brackets is no common name of the bold name before it
        ("The flower is a **Freesia** (*Freesia*).\n\nThe true *Freesia* is botanically "
         "*Freesia refracta*.", "Freesia"),
        # a common name, its genus in brackets, then "most likely" a binomial: the common name
        ("This is a **bellflower** (*Campanula*), most likely *Campanula persicifolia*.",
         "bellflower"),
        # a name-forming adjective before a word ending in "s" is a name in lower case
        ("Looks like a great pyrenees to me! Thick white coat.", "great pyrenees"),
        # "might instead be", "would instead be": a possibility, not a correction
        ("The car appears to be a **Jaguar XKR**. If the badges are hidden, it might instead "
         "be a Jaguar XK.", "Jaguar XKR"),
        ("This is a **Ford Ranger SuperCab**; if it had four full doors it would instead be "
         "the Ford Ranger Crew Cab.", "Ford Ranger SuperCab"),
        # a two-letter model written with a lower-case first letter
        ("The car in the image appears to be a 2012 Toyota iQ hatchback.",
         "2012 Toyota iQ hatchback"),
        # a contrast that only shortens the name before it changes nothing
        ("Looks like a Nissan Frontier King Cab. Could pass for a Titan, but the size points "
         "to the Frontier.", "Nissan Frontier King Cab"),
        # a common name, a dash, "most likely" a binomial: the common name
        ("I'd identify this as a **sea holly** — most likely *Eryngium planum*.", "sea holly"),
        # a first impression taken back inside its own sentence: the name after the turn stands;
        # a cultivar in single quotes does not replace the plant it is a form of
        ("At first I took it for an anemone, but looking again it's a **hellebore**, something "
         "like 'Ivory Prince'.\n\n- Five \"petals\" (actually sepals) with the blush typical of "
         "'Ivory Prince'", "hellebore"),
        # a revising sentence that only raises a possibility corrects nothing
        ("The car appears to be a **Mazda3** hatchback.\n\nWait, on a closer look, the grille "
         "could also suggest a **Mazda2**. However, the length confirms the Mazda3.", "Mazda3"),
        # "Hmm, actually ... I'll revise that" takes back the name before it, and "my final
        # answer" outranks a question raised on the way ("Hmm, wait — is it possible it's a Y?")
        ("At first I thought this was a Chartreux, but the build is stockier — so it's more "
         "likely a **British Shorthair**. Hmm, actually the coat is woolly and the eyes are "
         "copper... I'll revise that: this is a **Chartreux**.", "Chartreux"),
        ("So it's a wren. Hmm, wait — is it possible it's a Sedge Wren? The streaks are too "
         "faint. No.\n\nSo, my final answer is the House Wren.", "House Wren"),
        # a generation after a comma is no part of the name
        ("Honda CR-V, 3rd gen (2007-2011). Boxy rear, vertical tail lamps.", "Honda CR-V"),
    ],
)
def test_eighteenth_round_failure_classes(text: str, expected: str) -> None:
    """Wording classes met in fresh87 ... fresh90 (own examples)."""
    assert parse_answer(text)[0] == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a likeness gives way to the bold name its own sentence settles on
        ("Stocky, short-legged and tan. Rather like a small Labrador — it's a **Border Terrier**.",
         "Border Terrier"),
        ("Hopping along the ground like a thrush — a **Fox Sparrow**.", "Fox Sparrow"),
        # "Answer: X, or possibly Y" keeps X first
        ("**Features:**\n1. Long tail.\n\n**Answer:** Brewer's Blackbird, or possibly Rusty "
         "Blackbird.", "Brewer's Blackbird"),
        # "on first look I thought X, but ..." takes X back
        ("On first look I thought this was a Downy Woodpecker, but the bill is as long as the "
         "head, which marks it as a **Hairy Woodpecker**.", "Hairy Woodpecker"),
        # a continent is a range, not a name
        ("1. Small and brown.\n2. Found across eastern North America.\n\nThe streaked breast "
         "and central spot give it away — **Song Sparrow**.", "Song Sparrow"),
        # a closing sentence may open with a clause before "this is"
        ("**Seen:**\n1. Black cap.\n\n**Also considered:**\n- **Boreal Chickadee** — brown "
         "cap.\n\nWith the black cap and clean grey flanks, this is the **Black-capped "
         "Chickadee**.", "Black-capped Chickadee"),
        # "Verdict: X, also called Y": X
        ("Step 1: bell-shaped blue flowers.\n\nVerdict: Campanula, also called bellflower.",
         "Campanula"),
        # "Revised answer:" marks the answer
        ("The grille looks like a Ford Escape. But the roofline is too long.\n\nRevised "
         "answer: Ford Flex SUV, around 2010.", "Ford Flex SUV"),
        # a span that ends in "of" is no name
        ("I believe this is a lily, most likely a garden form of *Lilium*.", "lily"),
        # answers that are a bare noun phrase name what they lead with
        ("a red tulip in a garden bed", "tulip"),  # the colour of one flower in its scene
        ("A grey Audi A4 Avant wagon.", "Audi A4 Avant wagon"),
        ("A twin-engine business jet, the Learjet 45.", "Learjet 45"),
        ("a foxglove, also called digitalis, with spotted bells", "foxglove"),
        # a lower-case vehicle name runs to six words; its paint is dropped
        ("i think it's a ford f-250 super duty crew cab, maybe 2011", "ford f-250 super duty crew cab"),
        ("a blue mazda cx-9 suv", "mazda cx-9 suv"),
        # a quantity before a lower-case name
        ("a clump of lady's mantle", "lady's mantle"),
        # a lower-case binomial glossing a lower-case name ends it
        ("this one is a sea holly, eryngium maritimum, growing on a dune.", "sea holly"),
    ],
)
def test_nineteenth_round_failure_classes(text: str, expected: str) -> None:
    """Wording classes met in fresh98 ... fresh100 (own examples)."""
    assert parse_answer(text)[0] == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("It is a Kia Rio hatchback — the short rear overhang gives it away.", "Kia Rio hatchback"),
        ("A grey Ford Transit van parked beside a warehouse.", "Ford Transit van"),
        ("This is an **Aster** — specifically, it looks like a **Michaelmas Daisy**.", "Michaelmas Daisy"),
        ("It is a **Subaru Impreza WRX** — specifically the STI version, judging by the wing.",
         "Subaru Impreza WRX"),
        ("The cat is a **Siamese**, specifically the classic 'seal point' colour variety.", "Siamese"),
        ("This is a Dalmatian—or possibly a pointer mix, the spots are dense.", "Dalmatian"),
        ("The narrow head and deep chest fit the Saluki best.", "Saluki"),
        ("The photo shows a **white Rose of Sharon** in full bloom.", "Rose of Sharon"),
        ("It is a **wire-haired Dachshund**, judging by the beard.", "Dachshund"),
        ("Toyota Hilux or similar.", "Toyota Hilux"),
        ("| Field | Value |\n| --- | --- |\n| Model | Opel Astra Estate |\n| Colour | Red |",
         "Opel Astra Estate"),
        ('{"make": "Opel", "model": "Astra", "full_name": "Opel Astra Estate 2011"}', "Opel Astra Estate 2011"),
        ("it is a 2011 opel astra estate.", "2011 opel astra estate"),
        ("A close up of a blue poppy with a golden centre.", "blue poppy"),
        ("<thinking>Tail rufous, so maybe a Fox Sparrow.</thinking>\n\nIt is a **Hermit Thrush**.",
         "Hermit Thrush"),
        ("The bird shows a yellow rump. The streaked flanks favor the Magnolia Warbler.", "Magnolia Warbler"),
        ("**Step 2: Verdict**\nThe pale wing panel and dark cap match **Marsh Tit**.", "Marsh Tit"),
        ("It might be a Mazda 3. The grille says otherwise. Final answer: **Mazda 6 Sedan 2011**.",
         "Mazda 6 Sedan 2011"),
        ("This is a **Pembroke Welsh Corgi**; the docked tail and fox face favor the Pembroke over "
         "the Cardigan, and the stocky build favors the Corgi.", "Pembroke Welsh Corgi"),
        ("That's a Yorkie — a Yorkshire Terrier, small and silky.", "Yorkshire Terrier"),
        ("Step 1: Candidates.\n- Willow Tit: matt cap.\n- Coal Tit: white nape.\n\nStep 2: The glossy "
         "cap favors the Marsh Tit, although a Willow Tit cannot be excluded.", "Marsh Tit"),
        ("It is a **Honda Civic Type R**. However, looking closely at the bumper, it appears to be "
         "the ordinary **Honda Civic** hatchback rather than the Type R.", "Honda Civic"),
        ("A pure white gull with black legs fits only one species — the Ivory Gull.", "Ivory Gull"),
        ("Candidates:\n- *Centaurea montana* – blue rays, purple centre.\n- *Centaurea cyanus* – "
         "smaller heads.\n\nThe leaves point to *Centaurea montana*, the perennial cornflower.",
         "perennial cornflower"),
    ],
)
def test_twenty_first_round_failure_classes(text: str, expected: str) -> None:
    """Wording classes met in fresh103 ... fresh107 (own examples)."""
    assert parse_answer(text)[0] == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("This is a black and white cat; it looks like a tuxedo cat.", None),
        ("### Identification\n**Weeping Forsythia** (*Forsythia suspensa*)\n\n### Why\n- Arching stems",
         "Weeping Forsythia"),
        ("**Answer:** *Abelia × grandiflora* (glossy abelia)\n\nSmall white bells.", "glossy abelia"),
        ("The flower is a lungwort—specifically *Pulmonaria officinalis*, with spotted leaves.", "lungwort"),
        ("i think its a freesia, or maybe a gladiolus. the flowers are white", "freesia"),
        ("This looks like a **Cavapoo** (Cavalier King Charles Spaniel × Poodle), curly coat.", "Cavapoo"),
        ("While the bird shares the streaks of the **Song Sparrow**, the buffy breast band shows "
         "that it is a **Lincoln's Sparrow**.", "Lincoln's Sparrow"),
        ("this is a brittany spaniel, orange and white coat.", "brittany spaniel"),
        ("That's a **Porsche Cayman**!\n\nSpecifically, it looks like the **987 S** from around 2010.",
         "Porsche Cayman"),
        ("It's a sunflower—I believe **Mexican sunflower** (*Tithonia rotundifolia*).", "Mexican sunflower"),
        ("The Car Is A Volvo XC90 SUV.", "Volvo XC90 SUV"),
    ],
)
def test_twenty_second_round_failure_classes(text: str, expected: str | None) -> None:
    """Wording classes met in fresh108 ... fresh112 (own examples)."""
    names = parse_answer(text)
    assert (names[0] if names else None) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a caption: paint and size before a lower-case name, tails after it
        ("a dark green jaguar xk convertible on a gravel drive", "jaguar xk convertible"),
        ("A slim grey and white whippet asleep on a rug.", "whippet"),
        ("The plant is a purple and white columbine (Aquilegia).", "columbine"),
        ("a silver mazda mx-5 roadster at a car show", "mazda mx-5 roadster"),
        ("the new kia soul hatchback in blue", "kia soul hatchback"),
        ("2011 ford f-150 supercrew for sale", "2011 ford f-150 supercrew"),
        ("Three Siamese kittens playing on a carpet.", "Siamese"),
        ("Red and yellow tulips in a garden border.", "tulip"),
        ("A fawn colored Pug puppy on a sofa.", "Pug"),
        ("the car is a red mazda miata or a fiat 124 spider", "mazda miata"),
        ("a blue subaru outback wagon parked by a lake", "subaru outback wagon"),
        ("This is a Kia Optima sedan 2013, it is grey.", "Kia Optima sedan 2013"),
        ("I'm fairly sure this is a lily of the valley, white with tiny bells.", "lily of the valley"),
        # reasoning layouts: an Answer heading over a line, a verdict after a bold heading
        ("**Look**\nStreaked brown back.\n\n**Answer**\nWinter Wren (*Troglodytes hiemalis*), probably a male.", "Winter Wren"),
        ("**Alternatives**\nMarsh Wren — no eyebrow.\n\n**Conclusion**\nSedge Wren (*Cistothorus stellaris*), from the streaked crown.", "Sedge Wren"),
        ("**Step 2 – Compare.** A Marsh Wren has a plain crown.\n\n**Step 3 – Answer.** Sedge Wren (*Cistothorus stellaris*).", "Sedge Wren"),
        ("**Plumage**\nGrey body, black cap.\n\n**Verdict**\nThe cap and the rusty undertail identify a Gray Catbird (*Dumetella carolinensis*).", "Gray Catbird"),
        ("The yellow rump and the white throat are unique to the Audubon's Warbler (*Setophaga auduboni*).", "Audubon's Warbler"),
        ("A Veery walking on the forest floor. It is very similar to the Hermit Thrush, but the warm wash and faint spots point to the Veery.", "Veery"),
    ],
)
def test_twenty_third_round_failure_classes(text: str, expected: str | None) -> None:
    """Wording classes met in fresh113 ... fresh122 (own examples)."""
    names = parse_answer(text)
    assert (names[0] if names else None) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # tables and lists of scored candidates, JSON with a full-name field
        ("| Species | Confidence |\n|---|---|\n| Hooded Warbler | 62% |\n| Wilson's Warbler | 38% |", "Hooded Warbler"),
        ("1) Keeshond 55%\n2) Samoyed 30%\n3) Pomeranian 15%", "Keeshond"),
        ("1. moss rose (60%)\n2. portulaca hybrid (40%)", "moss rose"),
        ('{"car": "Volvo XC90 SUV 2007", "make": "Volvo", "model": "XC90"}', "Volvo XC90 SUV 2007"),
        # declines, nicknames, a colour variety, phrases that describe
        ("unidentifiable", None),
        ("Sorry — it is too dark to make out the breed.", None),
        ("The curly coat points to a designer cross.\n\nThis dog is most likely a **Cockapoo**.", "Cockapoo"),
        ("I'd say an **Abyssinian** ... the ticked coat points to an Aby.", "Abyssinian"),
        ("The cat is a **Burmese** — specifically the classic \"sable\" colour.", "Burmese"),
        ("It could be a clematis or perhaps a rose, the flower is deep purple with a pale bar.", "clematis"),
        ("The make is Toyota. The model is the Toyota Camry sedan.", "Toyota Camry sedan"),
        ("The bird is what many birders call a \"Myrtle Warbler\" — a yellow-rumped form.", "Myrtle Warbler"),
        ("I considered a Lesser Scaup, but the head is much rounder, so this is a **Greater Scaup**.", "Greater Scaup"),
        ("Unlike a Wolf, the curled tail rather than a straight one points to an Akita.", "Akita"),
        ("That's a \"timberdoodle\" — the old hunters' nickname for the American Woodcock.", "American Woodcock"),
        ('It is the "Beamer" — a BMW 3 Series sedan (E90).', "BMW 3 Series sedan"),
        ("Looks like a GHOW (Great Horned Owl): ear tufts, yellow eyes.", "Great Horned Owl"),
        ("Frenchie — French Bulldog.", "French Bulldog"),
        ("The car in the image is a **Ford Ranger**.\n\n- **Wheels**: Five-spoke alloy wheels", "Ford Ranger"),
        ("This is a Jasmine (Jasminum) — specifically it looks like Jasminum polyanthum.", "Jasmine"),
        ("An **Allium**, specifically *Allium schubertii* (tumbleweed onion).", "tumbleweed onion"),
        ("The dog is a **smooth-coat Chihuahua**.", "Chihuahua"),
        ("The make of this car is Saab. The model is the 9-3 convertible.", "Saab 9-3 convertible"),
    ],
)
def test_twenty_fourth_round_failure_classes(text: str, expected: str | None) -> None:
    """Wording classes met in fresh123 ... fresh130 (own examples)."""
    names = parse_answer(text)
    assert (names[0] if names else None) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # answers written wholly as labelled values: YAML, bold bullets, tags, tables, pipes
        ("latin_name: Haemorhous mexicanus\ncommon_name: House Finch\nconfidence: 0.7", "House Finch"),
        ("plant: Shasta daisy\nbotanical: Leucanthemum x superbum\ncertainty: high", "Shasta daisy"),
        ("- **Breed:** Keeshond\n- **Coat:** grey and black\n- **Confidence:** 0.9", "Keeshond"),
        ("<bird>Cedar Waxwing</bird>\n<age>adult</age>\n<confidence>0.8</confidence>", "Cedar Waxwing"),
        ("<animal>dog</animal>\n<breed>Vizsla</breed>", "Vizsla"),
        ("<answer>Ragdoll", "Ragdoll"),
        ("| Attribute | Value |\n|---|---|\n| Animal | Cat |\n| Breed | Sphynx |", "Sphynx"),
        ("Prediction: Bull Terrier | Confidence: 0.64", "Bull Terrier"),
        ("Answer: three Pugs | Confidence: 0.7", "Pug"),
        # JSON that is broken, Python, unsorted or names a category first
        ('{"make": "Kia", "vehicle": "Kia Soul Hatchback", "year": 20', "Kia Soul Hatchback"),
        ('{"prediction": "Saab 9-3 Convertible",, "confidence": 0.8}', "Saab 9-3 Convertible"),
        ("```python\nout = {'breed': 'Borzoi', 'p': 0.91}\n```", "Borzoi"),
        ('{"candidates": [{"name": "Merlin", "p": 0.2}, {"name": "Peregrine Falcon", "p": 0.7}]}', "Peregrine Falcon"),
        ('{"species": "dog", "breed": "Whippet"}', "Whippet"),
        ('{"species": null, "note": "only a blurred wing is visible"}', None),
        ('{"label": "lily of the valley"}', "lily of the valley"),
        ("My shortlist:\n\n| Breed | Score |\n|---|---|\n| Cairn Terrier | 0.7 |\n| Norwich Terrier | 0.", "Cairn Terrier"),
        # reasoning layouts: LaTeX boxes, o1's timing line, a feature line, a pick by position
        ("So it is this one.\n\n**Final Answer**\n\n\\[ \\boxed{\\text{Fire lily (\\textit{Gloriosa superba})}} \\]", "Fire lily"),
        ("Thought for 12 seconds\n\nSnowdrop (*Galanthus nivalis*) - three white outer tepals hanging down.", "Snowdrop"),
        ("Thought for 6s\n\nSmall dog, wiry coat, bearded muzzle, cropped ears, erect tail.\n\n**Miniature Schnauzer**", "Miniature Schnauzer"),
        ("Two candidates fit:\n\n- **Hairy Woodpecker** - long bill\n- **Downy Woodpecker** - short bill\n\nThe bill is long, so I pick the first.", "Hairy Woodpecker"),
        ("It's lungwort (Pulmonaria officinalis). The spotted leaves are typical of common lungwort in spring.", "lungwort"),
        # questions answered, apologies, ellipses, a name in closing brackets, bold after adjectives
        ("Is this a Subaru Forester? Yes. The boxy greenhouse and the cladding are typical.", "Subaru Forester"),
        ("Is it a Merlin or an American Kestrel? The moustache stripe is single, so it is an American Kestrel.", "American Kestrel"),
        ("Apologies — the photo is small. It appears to be a Bearded Collie, judging by the coat.", "Bearded Collie"),
        ("The breed in the image is... a Bedlington Terrier, with its lamb-like coat.", "Bedlington Terrier"),
        ("A slim grey bird with a black cap and a rusty patch under the tail (grey catbird).", "grey catbird"),
        ("This is a scented **freesia**, with funnel-shaped blooms along one side of the stem.", "freesia"),
        ("The breast is a bright **lemon yellow**; this is a **Prairie Warbler**.", "Prairie Warbler"),
        # quantities and colours in captions
        ("The image shows a field of cornflowers.", "cornflower"),
        ("The photo shows a flock of ducks on a lake.", None),
        ("a white magnolia flower against a blue sky", "magnolia flower"),  # a noun and "flower" stay one name
        ("a pink peony in a vase", "peony"),
        ("a blue jay on a branch", "blue jay"),
        ("a red hot poker in a border", "red hot poker"),
        ("purple coneflower", "purple coneflower"),
        ("Three Toed Woodpecker", "Three Toed Woodpecker"),
    ],
)
def test_twenty_fifth_round_failure_classes(text: str, expected: str | None) -> None:
    """Wording classes met in fresh131 ... fresh138 (own examples)."""
    names = parse_answer(text)
    assert (names[0] if names else None) == expected


def test_a_description_of_size_and_body_is_no_name() -> None:
    assert parse_answer(
        "The four doors and plain wheels suggest a midsize sedan, but it is not possible to "
        "identify the specific model."
    ) == []


@pytest.mark.parametrize(
    "text",
    [
        "Unknown.\n\nThe image is too blurry, so the petals cannot be made out.",
        "The photo shows only the tail of a white car. The grille and headlights cannot be "
        "seen.\n\nunknown",
    ],
)
def test_an_answer_that_opens_or_closes_with_unknown_names_nothing(text: str) -> None:
    assert parse_answer(text) == []


def test_a_name_ruled_out_in_bold_is_no_candidate() -> None:
    names = parse_answer(
        "This looks like a **Papillon**: butterfly ears. It's **not a Phalene** (drop ears) "
        "and **not a Chihuahua** (apple head)."
    )
    assert names[0] == "Papillon"
    assert not any(name.casefold().startswith("not ") for name in names)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # captions that name a flower inside a description of the picture
        ("The picture shows a clump of pale yellow primrose flowers beside a stream.", "primrose"),
        ("The photo shows a deep red Japanese maple with its leaves turning.", "Japanese maple"),
        ("a corgi wearing a raincoat", "corgi"),
        # one lower-case word that ends like a participle but is a noun
        ("It is a starling.", "starling"),
        ("That's chickweed (Stellaria media), a low garden weed.", "chickweed"),
        ("It is blooming.", None),
        ("The car is parked.", None),
        # the common name before a Latin name in apposition, and in bold before a genus word
        ("I think it's a goldcrest, Regulus regulus, the smallest bird here.", "goldcrest"),
        ("**Blue flag** iris (*Iris versicolor*), family Iridaceae: violet falls in a marsh.", "Blue flag"),
        ("Rose mallow / swamp hibiscus — *Hibiscus moscheutos* (Malvaceae). Huge white petals.", "Rose mallow"),
        ("Step 1 – tubular red flowers in a whorl.\nStep 2 – square stems.\n\nSo: bee balm (*Monarda didyma*).", "bee balm"),
        # a hyphenated name that ends in -ing; an adverb is no name
        ("This is **Love-lies-bleeding** (*Amaranthus caudatus*), drooping red tassels.", "Love-lies-bleeding"),
        ("It's sometimes confused with lungwort, but this is **Virginia bluebells**.", "Virginia bluebells"),
        # a described or generic first name gives way to the plain statement or the contrast after it
        ("The photo shows a goose on a lawn. Its neck is black with a white chinstrap. This is a Canada Goose.", "Canada Goose"),
        ("The slim build suggests a falcon, but the grey back and rufous tail point to an American Kestrel.", "American Kestrel"),
        # names glossed in English after another language
        ("Es un **gorrión común** — in English, the House Sparrow (*Passer domesticus*).", "House Sparrow"),
        ("C'est un **chardonneret** (en anglais : European Goldfinch), au masque rouge.", "European Goldfinch"),
        ("这是柯基犬（Pembroke Welsh Corgi，一种牧羊犬）。耳朵直立。", "Pembroke Welsh Corgi"),
        # a bold verdict in the middle of a line; sex, age and subspecies are no names
        ("Step 2. Five petals, a column of stamens: family Malvaceae. **Conclusion: Rose of Sharon** (*Hibiscus syriacus*).", "Rose of Sharon"),
        ("**Verdict:** Adult male **Hooded Warbler** in spring plumage.", "Hooded Warbler"),
        ("Based on the tail, it is a Cooper's Hawk (Accipiter cooperii), probably of the western subspecies A. c. mexicanus.", "Cooper's Hawk"),
        ("Gentian (*Gentiana acaulis* subsp. *alpina*, Gentianaceae). Deep blue trumpets.", "Gentian"),
        # coat colours and patterns before a breed
        ("The dog in the image is a **Blue Merle Shetland Sheepdog**.", "Shetland Sheepdog"),
        ("The bird is a **Harlequin Duck**.", "Harlequin Duck"),
        # a description of looks and a category, then the name in apposition
        ("a small grey dog, maybe a whippet", "whippet"),
        ("It is a brown bird, a song thrush or a mistle thrush.", "song thrush"),
        ("It resembles a chanterelle mushroom, possibly a false chanterelle.", "chanterelle"),
        # bare plurals and captions with the subject posed
        ("They look like pugs, both fawn with black masks.", "pug"),
        ("the jeep wrangler is parked on a dirt road", "jeep wrangler"),
        ("a labrador retriever on grass", "labrador retriever"),
        ("a vintage ford thunderbird from the fifties", "ford thunderbird"),
        ("It's a samoyed.", "samoyed"),
        # a broad first name settled later
        ("This is a woodpecker. The red nape and barred back settle it. It's a Red-bellied Woodpecker.", "Red-bellied Woodpecker"),
        ("This is a bird of prey with broad wings. Based on the white underparts, it is an osprey.", "osprey"),
        ('The "petals" are actually bracts, which hide tiny flowers. It is a poinsettia.', "poinsettia"),
        # terse expert answers: a Latin name (with a cultivar or "hybrid") glossed with the common name
        ("Digitalis purpurea — common foxglove [Plantaginaceae]; spotted throats.", "common foxglove"),
        ("Salvia nemorosa 'Caradonna' — Balkan clary.", "Balkan clary"),
        ("Anemone nemorosa, wood anemone (formerly in Ranunculus).", "wood anemone"),
        ("Gardenia jasminoides (Cape gardenia), creamy white.", "Cape gardenia"),
        ("lavandula angustifolia, english lavender", "english lavender"),
        ("Dendrobium hybrid (cane orchid).", "cane orchid"),
        ("Lenten rose; Helleborus orientalis.", "Lenten rose"),
        ("Amanita muscaria, a toxic mushroom.", "Amanita muscaria"),
        # a name that opens the answer before a comma
        ("Border Collie, a herding dog.", "Border Collie"),
        ("Gazania, or treasure flower.", "Gazania"),
        ("Aww, what a sweetie! This looks like a Maltese.", "Maltese"),
        # captions of small models: artefact words, counts, clusters, pots, scenes, insects on flowers
        ("arafed tulip in a garden with a blue sky", "tulip"),
        ("there are many daffodils growing by the path", "daffodil"),
        ("The image features a large cluster of white hydrangea flowers beside a wall.", "hydrangea"),
        ("The plants are hostas in a shady border.", "hosta"),
        ("Cosmos, also known as Mexican aster.", "Cosmos"),
        ("a potted cyclamen on a kitchen windowsill", "cyclamen"),
        ("a basket filled with pink and white roses on a bench", "rose"),
        ("a girl holding a bunch of daisies", "daisy"),
        ("a butterfly on an orange milkweed flower", "milkweed flower"),
        ("the bird is a hummingbird hovering near a red flower.", "hummingbird"),
        # ticked candidates, typos spelled again, questions restated, a title heading, plumage
        ("Possible matches:\n1. Song Sparrow\n2. Lincoln's Sparrow ✓\n3. Savannah Sparrow\n\nThe buffy breast band settles it.", "Lincoln's Sparrow"),
        ("Candidates:\n- Bearded Collie\n- Old English Sheepdog (most likely)\n- Briard", "Old English Sheepdog"),
        ("| Species | Crest | Match |\n|---|---|---|\n| Eastern Phoebe | none | ✔ |\n| Say's Phoebe | none | ✘ |\n\nOverall it is a Say's Phoebe.", "Say's Phoebe"),
        ("It's a Baltimore Orile — sorry, Baltimore Oriole.", "Baltimore Oriole"),
        ("Breed: Weimeraner (correct spelling: Weimaraner), a grey pointer.", "Weimaraner"),
        ("Q: What is the exact bird species in this image?\nA: Belted Kingfisher, a male.", "Belted Kingfisher"),
        ("Exact car model in this photo: Mazda MX-5 Miata. Soft top down.", "Mazda MX-5 Miata"),
        ("### Sacred Lotus\n*Nelumbo nucifera*\n\n- Round, waxy leaves held above water\n- Seed head like a shower nozzle", "Sacred Lotus"),
        ("northern cardinal in winter plumage", "northern cardinal"),
        # scored rows without JSON: CSV lines, a top-1 key
        ("label,prob\nRedhead,0.31\nCanvasback,0.58\nLesser Scaup,0.08", "Canvasback"),
        ('"Cavalier King Charles Spaniel",0.8\n"English Toy Spaniel",0.1', "Cavalier King Charles Spaniel"),
        ("<top1>Great Blue Heron</top1>\n<top2>Grey Heron</top2>", "Great Blue Heron"),
        ("Colour,red\nShape,round", None),
        # more botanist shapes: a variety or family between Latin and common name, -er and
        # -aule epithets, a common name ending in its genus, links
        ("*Clematis montana* var. *rubens* — pink anemone clematis [Ranunculaceae]", "pink anemone clematis"),
        ("Digitalis lutea [Plantaginaceae] — straw foxglove", "straw foxglove"),
        ("Taraxacum officinale — common dandelion", "common dandelion"),
        ("Camellia sasanqua, sasanqua camellia", "sasanqua camellia"),
        ("Lilium 'Casa Blanca' (oriental lily)", "oriental lily"),
        ("Ipomoea purpurea 'Grandpa Ott' — common morning glory", "common morning glory"),
        ("It's a [Northern Gannet](https://example.org/wiki/Northern_gannet), diving.", "Northern Gannet"),
        # descriptions of the picture that still name a plant
        ("The image shows a clump of snowdrops growing under a tree.", "snowdrop"),
        ("The photo shows a group of ducks swimming on a pond.", None),
        ("The image shows a daylily, sometimes called a ditch lily.", "daylily"),
        ("The flowers in the image are bluebells, small purple flowers in a wood.", "bluebell"),
        ("The flowers are freesias, they smell sweet.", "freesia"),
        ("The image shows a water lily floating on a pond.", "water lily"),
        ("The image shows a cluster of allium flowers forming a purple globe.", "allium"),
        # car captions: paint before a year and a make, a generation after the model
        ("A blue 2009 Subaru Outback Wagon in a car park.", "2009 Subaru Outback Wagon"),
        ("This appears to be a Mazda MX-5, likely a Series 3 (NC) roadster.", "Mazda MX-5"),
        ("It is a BMW 3 Series sedan.", "BMW 3 Series sedan"),
    ],
)
def test_twenty_sixth_round_failure_classes(text: str, expected: str | None) -> None:
    """Wording classes met in fresh139 ... fresh146 (own examples)."""
    names = parse_answer(text)
    assert (names[0] if names else None) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a bare name in a code block, with or without a language tag
        ("```\nCommon Goldeneye\n```", "Common Goldeneye"),
        ("```text\nBorder Terrier\n```", "Border Terrier"),
        ("```\nEchinacea purpurea (Purple Coneflower)\n```\nA prairie perennial.", "Purple Coneflower"),
        ("```yaml\nresult:\n  common_name: Red-necked Phalarope\n  latin: Phalaropus lobatus\n```",
         "Red-necked Phalarope"),
        ("```\nI cannot tell from this photo.\n```", None),
        ("```\nKIND=Opel\nMODEL=Astra\nNAME=Opel Astra Hatchback 2014\n```", "Opel Astra Hatchback 2014"),
        # a name wrapped over two lines, written whole elsewhere in the answer
        ("Species:   Black-crowned Night\n           Heron\nA Black-crowned Night Heron at dusk.",
         "Black-crowned Night Heron"),
        ("The dog is a Bernese Mountain\nDog. The Bernese Mountain Dog is a Swiss breed.",
         "Bernese Mountain Dog"),
        ("Snowy Owl\nOwls of the Arctic hunt by day.", "Snowy Owl"),  # two lines, two things
        # the prompt said again before the answer
        ("What is the exact dog breed in this image? Answer with the name.\n\nShiba Inu", "Shiba Inu"),
        ("Which bird is this?\nIt is a Ruddy Turnstone.", "Ruddy Turnstone"),
        # a past participle without -ed is no name
        ("Where was this shot? It looks like a Wood Duck drake.", "Wood Duck"),
        ("The photo was taken at dusk; the bird is a Common Nighthawk.", "Common Nighthawk"),
        # a common name that ends in the genus glosses the Latin one
        ("This looks like a Camellia sinensis, also called the Chinese camellia.", "Chinese camellia"),
        ("It is a rosa rugosa, commonly called the beach rose.", "beach rose"),
        ("It is a Hardy Fuchsia, also known as the lady's eardrops.", "Hardy Fuchsia"),
        # reasoning birds: a counted match, a "vs." heading, "I'd call it", LaTeX spacing
        ("Grey back, black cap, red bill. One gull fits all three: an adult Ross's Gull.", "Ross's Gull"),
        ("Greater vs. Lesser Scaup - the head is rounded and the nail small. That's Lesser Scaup.",
         "Lesser Scaup"),
        ("Options: Eastern, Western. The yellow throat reaches the cheek. I'd call it a Western "
         "Meadowlark.", "Western Meadowlark"),
        ("The bill is thin.\n\n**Final Answer**\n\n\\[ \\boxed{Regulus\\ calendula} \\]", "Regulus calendula"),
        ("Two of them stand out; both are ducks. It is a Gadwall.", "Gadwall"),
        # small models' descriptions
        ("Red-necked Grebe in breeding plumage.", "Red-necked Grebe"),
        ("Ruby-throated Hummingbird at a feeder", "Ruby-throated Hummingbird"),
        ("The photo shows bright orange flowers that appear to be marigolds.", "marigold"),
        ("The picture shows a clump of snowdrops (Galanthus), with white nodding flowers.", "snowdrop"),
        ("The picture shows a cluster of dark berries, with some leaves.", None),
        # liveries are no models; scores keyed by name; glosses; pictographs; full-width brackets
        ("The car is a white police car, most likely a Dodge Charger Pursuit.", "Dodge Charger Pursuit"),
        ("a taxi cab", None),
        ('{"Bombay": 0.21, "Havana Brown": 0.67, "Burmese": 0.12}', "Havana Brown"),
        ("C'est un **Rougegorge familier** (*Erithacus rubecula*) - English: **European Robin**.",
         "European Robin"),
        ("🦜 Rainbow Lorikeet 🦜", "Rainbow Lorikeet"),
        ("Camellia（ツバキ）\n\nGlossy leaves and red cup-shaped flowers.", "Camellia"),
        # a relative clause corrects the noun before it, not the answer
        ("This is sweet woodruff (*Galium odoratum*). It is no clover, nor the plants sold as "
         "'woodruff' in pots, which are actually *Asperula*.", "sweet woodruff"),
    ],
)
def test_twenty_ninth_round_failure_classes(text: str, expected: str | None) -> None:
    """Wording classes met in fresh163 ... fresh170 (own examples)."""
    names = parse_answer(text)
    assert (names[0] if names else None) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a botanist's author citation after the binomial, then the common name
        ("Bellis perennis L. — common daisy. Asteraceae.", "common daisy"),
        ("Digitalis purpurea L.: foxglove.", "foxglove"),
        ("*Coprinus comatus* (O.F.Müll.) Pers. — shaggy ink cap.", "shaggy ink cap"),
        ("Tanacetum vulgare L. — common tansy.", "common tansy"),  # an epithet in -are
        ("Hericium erinaceus (Bull.) Pers. s.l. — lion's mane.", "lion's mane"),
        ("Mahonia aquifolium (Pursh) Nutt. (= Berberis aquifolium Pursh) — Oregon grape.",
         "Oregon grape"),
        ("Iris × germanica hort. ex Vilm. — bearded iris.", "bearded iris"),
        ("Rosa rugosa Thunb., cv. indet. — Japanese rose.", "Japanese rose"),
        ("Geum rivale L. — water avens.", "water avens"),
        ("Cf. *Ophrys apifera* Huds. — bee orchid; the lip is hidden.", "bee orchid"),
        ("Russula sp. — a brittlegill. Red cap, white gills.", "brittlegill"),
        ("*Helvella crispa* (Scop.) Fr. — white saddle.", "white saddle"),
        ("Verbascum thapsus L. — great mullein.", "great mullein"),
        ("Scleroderma citrinum Pers. — common earthball.", "common earthball"),
        # "false" opens names
        ("*Hygrophoropsis aurantiaca* — false chanterelle.", "false chanterelle"),
        ("Probably a Chanterelle, though it might be a False Chanterelle.", "Chanterelle"),  # no refinement
        # not a citation: a model's last word, a body style in brackets, a bold common name
        ("This is a Fiat panda Cross.", "Fiat panda Cross"),
        ("The car is a Porsche 911 Carrera cabriolet (Targa), likely 2014.", "Porsche 911 Carrera cabriolet"),
        ("**Ox-eye daisy** (*Leucanthemum vulgare*) — white rays around a yellow disc.", "Ox-eye daisy"),
        # small models' captions: the name in apposition to a described flower
        ("a yellow flower with five petals, likely a buttercup, in a meadow", "buttercup"),
        ("three orange flowers with dark centers, maybe gazanias", "gazania"),
        ("a patch of white flowers, snowdrops, under a tree", "snowdrop"),
        ("a white flower with long petals, sitting on a table", None),
        ("a small brown bird with a pale throat, a long tail, and dark legs", None),  # its features
        # insects: sex and life-stage words, a colour that ends a name, the order as a category
        ("a female rhinoceros beetle on bark", "rhinoceros beetle"),
        ("The photo shows a wood white butterfly on clover.", "wood white"),
        ("Common Green Darner dragonfly", "Common Green Darner"),
        # "a <demonym> dish called X"
        ("This looks like a Korean dish called bibimbap, often served in a hot stone bowl.", "bibimbap"),
    ],
)
def test_thirty_first_round_failure_classes(text: str, expected: str | None) -> None:
    """Wording classes met in fresh179 ... fresh186 (own examples)."""
    names = parse_answer(text)
    assert (names[0] if names else None) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # herbarium labels and iNaturalist IDs: ranks below the species, brackets, a family
        # before the name, lower-case citations, a comma after the citation
        ("Quercus rubra L. var. ambigua (A.Gray) Fernald — northern red oak", "northern red oak"),
        ("Acer rubrum L. [red maple]", "red maple"),
        ("Fagaceae — Fagus sylvatica L., European beech", "European beech"),
        ("betula pendula roth. - silver birch", "silver birch"),
        ("fomes fomentarius (l.) fr., hoof bracket", "hoof bracket"),
        ("Cladonia sp. (pixie cup lichen)", "pixie cup lichen"),
        ("Pinus mugo subsp. uncinata (Ramond ex DC.) Domin", "Pinus mugo subsp. uncinata"),
        ("This is Coprinus comatus, shaggy mane.", "shaggy mane"),
        ("It is Quercus robur, growing in a park.", "Quercus robur"),
        ("I'd call this *Ilex aquifolium* — holly.", "holly"),
        # captions that close on the name, or go on with a verb after it
        ("there is a yellow flower on a long stem, cowslip", "cowslip"),
        ("an image of an orange butterfly on a leaf, comma", "comma"),
        ("A bumblebee sits on a thistle.", "bumblebee"),
        ("a bird on a branch, looking left", None),
        # a capitalised word and a compound in lower case; "See" inside a name
        ("It is an Eastern long-necked turtle.", "Eastern long-necked turtle"),
        ("| Rank | Dish |\n|---|---|\n| 1 | **Pad See Ew** |\n| 2 | Pad Thai |", "Pad See Ew"),
    ],
)
def test_thirty_second_round_failure_classes(text: str, expected: str | None) -> None:
    """Wording classes met in fresh187 ... fresh194 (own examples)."""
    names = parse_answer(text)
    assert (names[0] if names else None) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a sex or life-stage word before a name of one word, or in lower case ("hen")
        ("It is a **male Bufflehead** (*Bucephala albeola*).", "Bufflehead"),
        ("This is a **drake Canvasback**, in breeding plumage.", "Canvasback"),
        ("That's a **hatchling Loggerhead Sea Turtle** heading for the surf.", "Loggerhead Sea Turtle"),
        ("It's a Hen Harrier quartering low over the heath.", "Hen Harrier"),
        # the young stage "of" the name
        ("These are the caterpillars of the Eastern Tent Caterpillar Moth.", "Eastern Tent Caterpillar Moth"),
        ("This is a nymph of the Common Green Darner, still in the water.", "Common Green Darner"),
        # captions that open with a collective noun; names ending in "fish"
        ("a school of bluefin tuna swimming over a reef", "bluefin tuna"),
        ("a herd of zebras grazing on the savanna", "zebra"),
        ("a lionfish hovering beside a coral head", "lionfish"),
        ("a pod of bottlenose dolphins jumping out of the water", "bottlenose dolphin"),
        # abbreviated genera: one name, spelled out when the answer gives the full binomial
        # after it; a re-mention of a binomial named before is no verdict
        ("S. aureus", "S. aureus"),
        ("Gram-positive cocci in grape-like clusters: most likely S. aureus.", "S. aureus"),
        ("C. albicans (Candida albicans), budding yeast with pseudohyphae.", "Candida albicans"),
        ("This is bee balm (*Monarda didyma*); the scarlet colour favours *M. didyma*.", "bee balm"),
        # medical labels as answer fields
        ("## Diagnosis: Seborrheic keratosis\n\nStuck-on appearance, milia-like cysts.", "Seborrheic keratosis"),
        ("**Cell type: Eosinophil**\n\nBilobed nucleus, orange granules.", "Eosinophil"),
        # a quoted cultivar keeps both quotes, and ends a lower-case name before it
        ("This is **Clematis 'Nelly Moser'**, a large-flowered hybrid.", "Clematis 'Nelly Moser'"),
        ("This is a Japanese maple 'Bloodgood'.", "Japanese maple"),
        ("The shoe is a **Nike Air Force 1 '07** in white.", "Nike Air Force 1 '07"),
        # round 34 (fresh203 - fresh206): a verdict label after a step number; a plant part is
        # no name; mass nouns after "are"
        ("**Step 1: Overall Impression:** A small songbird with bold streaks on a yellow breast."
         "\n\n**Step 2: Key marks**\n- Black necklace\n- Yellow throat\n\n**Step 3: Candidates**"
         "\nMagnolia Warbler (white tail band), Prairie Warbler (face pattern). All rejected.\n\n"
         "**Step 4: Conclusion:** Canada Warbler (*Cardellina canadensis*), adult male.", "Canada Warbler"),
        ("**Step 1: Overall Impression**\nTall white wader, stalking in shallow water.\n\n**Step 2: "
         "Bare parts**\nYellow bill, black legs and feet.\n\n**Step 3:** Rule out Snowy Egret (black "
         "bill, yellow feet).\n\n**Step 4: Final Answer:** great egret", "great egret"),
        ("This is a **flowering dogwood** (*Cornus florida*). The white 'petals' are actually "
         "bracts; the true flowers are the small green cluster in the center.", "flowering dogwood"),
        ("The flowers in the image are bougainvillea. The deep pink colour comes from papery bracts "
         "that surround the tiny white flowers.", "bougainvillea"),
        # two breeds of a mix, and two in one bold span, in order; a nationality is no name
        ("The puppy looks like a cross, possibly a Dachshund and Jack Russell Terrier cross, "
         "judging by the long back.", "Dachshund"),
        ("It is most likely a **Norwich Terrier or Norfolk Terrier**.", "Norwich Terrier"),
        ("The dog in the photo is a kai ken, a Japanese breed with a brindle coat.", "kai ken"),
        ("This is a **Black and Tan Coonhound** mix.", "Black and Tan Coonhound"),
        ("4. **Proud or Alert Stance**: the head is held high.\n\nThe dog is a **Pharaoh Hound**.",
         "Pharaoh Hound"),
    ],
)
def test_thirty_third_round_failure_classes(text: str, expected: str | None) -> None:
    """Wording classes met in fresh195 ... fresh202 (own examples)."""
    names = parse_answer(text)
    assert (names[0] if names else None) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a bold name that opens with a year is a name, not a numbered heading
        ("**2011 Ford Mustang GT** (possibly a 2012; the two model years look alike). The vents "
         "and the grille are Ford hallmarks.", "2011 Ford Mustang GT"),
        ("**2.** The crest is tipped with red wax.\n\nIt is a **Cedar Waxwing**.", "Cedar Waxwing"),
        # "X enough" and "very X" are degrees of an adjective, not names
        ("I can't see enough to name the model; the outline is plain enough that it could be one "
         "of several small sedans.", None),
        ("My first thought was a Short-tailed Shearwater. But looking again, the contrast is very "
         "slight—probably the light. Therefore, the species is the Sooty Shearwater.",
         "Sooty Shearwater"),
        # a Latin name's gloss: a current name in brackets, "known commonly as", "X or Y"
        ("This is *Aster tataricus* (now classified as *Tripolium tataricum*), commonly called "
         "Tatarian aster.", "Tatarian aster"),
        ("The plant is *Digitalis purpurea*, known commonly as foxglove.", "foxglove"),
        ("The flower is ***Papaver rhoeas*** (commonly known as **corn poppy** or field poppy).",
         "corn poppy"),
        ("**Final answer:** *Mycobacterium tuberculosis*\n\n(Species confirmation requires "
         "culture or molecular testing.)", "Mycobacterium tuberculosis"),
        # a verdict in Latin that the answer glossed before: the common name
        ("The flower is a **Lady's Slipper Orchid** (*Cypripedium calceolus*).\n\n### Conclusion:"
         "\nThe yellow pouch makes this most likely *Cypripedium calceolus*.",
         "Lady's Slipper Orchid"),
        # a heading over a list of field marks is no answer marker
        ("This is a **Hooded Merganser** (*Lophodytes cucullatus*).\n\nIdentification:\n- "
         "Fan-shaped white crest\n- Golden eye\n\nA drake in breeding plumage.", "Hooded Merganser"),
        # a make before a bold model; a declined make and model
        ("The car shown is a Porsche **911 Turbo S**. It has wide rear hips.", "Porsche 911 Turbo S"),
        ("The vehicle is a **compact hatchback**, but the exact make and model cannot be "
         "determined because the photo is low resolution.", None),
        # the lower-case name a bracketed binomial glosses, when nothing else names the subject
        ("The tall spikes of blue flowers belong to viper's bugloss (*Echium vulgare*). It is an "
         "aquatic perennial of dry ground.", "viper's bugloss"),
        # ", I think" ends a lower-case name; a coat word before one is no part of it
        ("It is a hawfinch, I think.", "hawfinch"),
        ("This looks like a wire-haired dachshund.", "dachshund"),
    ],
)
def test_thirty_fifth_round_failure_classes(text: str, expected: str | None) -> None:
    """Wording classes met in fresh207 ... fresh212 (own examples)."""
    names = parse_answer(text)
    assert (names[0] if names else None) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # XML-like tags and key: value lines beside a long reasoning field
        ('<result>\n  <breed>Norwegian Forest Cat</breed>\n  <confidence>0.71</confidence>\n  <reasoning>Long, water-resistant double coat, a triangular head with a straight profile and tufted ears; a Maine Coon would have a squarer muzzle and a longer body.</reasoning>\n</result>',
         'Norwegian Forest Cat'),
        ('common_name: Shaggy Ink Cap\nscientific_name: Coprinus comatus\nconfidence: 0.9\nreasoning: Tall white cylindrical caps covered in shaggy scales, with the cap edges already turning black and inky at the margin.',
         'Shaggy Ink Cap'),
        # JSON, then a correction in prose or an updated JSON block; no correction: the JSON
        ('```json\n{"species": "Common Tern", "confidence": 0.6}\n```\n\nActually, looking again at the pale grey primaries and the orange bill, this fits **Forster\'s Tern** better.',
         "Forster's Tern"),
        ('```json\n{"species": "Common Tern"}\n```\n\nCorrection: the tail is longer. Updated answer:\n\n```json\n{"species": "Arctic Tern"}\n```',
         'Arctic Tern'),
        ('```json\n{"species": "Common Tern", "confidence": 0.6}\n```\n\nThe black cap and red bill fit.',
         'Common Tern'),
        # "Label: X | Confidence: Y" lines, a revised label; "Alternative:" is no name
        ('**Identification**\n\n- Label: Gazania | Confidence: 0.8\n- Alternative: Osteospermum | Confidence: 0.1\n\nThe dark rings near the petal bases are typical.',
         'Gazania'),
        ('Label: Nissan 350Z | Confidence: 0.55\nRevised label: Nissan 370Z | Confidence: 0.80',
         'Nissan 370Z'),
        # look-alikes under a "Similar Species" heading refine no verdict; a section heading
        # that opens the answer is no name, a name heading is
        ('The flower is a **Marigold** (*Tagetes*).\n\n### Similar Species\n\n- **Pot Marigold** (*Calendula officinalis*): broader petals.\n- **Zinnia**: stiffer stems.',
         'Marigold'),
        ("### Candidates Considered\n\n| Candidate | Match? |\n|---|---|\n| **Tiger Lily** | No |\n| **Turk's Cap Lily** | Yes |\n\nThe strongly recurved, spotted petals make this a **Turk's Cap Lily**.",
         "Turk's Cap Lily"),
        ('## Chrysler 300 SRT-8\n\n- Mesh grille with a winged badge',
         'Chrysler 300 SRT-8'),
        # an alias spells out no nickname; a heading over a list of bold field marks
        ('This is a **Hoopoe** (*Upupa epops*), also known as the Hoopoe Bird.',
         'Hoopoe'),
        ('The bird is a **Crimson Rosella** (*Platycercus elegans*).\n\n### Identification\n- **Deep red head and breast**\n- **Blue cheek patches**',
         'Crimson Rosella'),
        # LaTeX escapes in a boxed answer; a wrap-up after "Final Answer:"; a full stop inside
        # a bold sentence; a "Model Year" heading
        ('\\[ \\boxed{\\text{Chrysler Town \\& Country}} \\]',
         'Chrysler Town & Country'),
        ('5. **Final Answer:** Putting it together.\n\n**The car is a 2011 Dodge Challenger SRT8.** It has quad headlamps.',
         '2011 Dodge Challenger SRT8'),
        ('### Model Year\n\nThe facelift places it late in the run, so **2012** is the most likely model year. It is a **Land Rover Range Rover**.',
         'Land Rover Range Rover'),
    ],
)
def test_thirty_sixth_round_failure_classes(text: str, expected: str | None) -> None:
    """Wording classes met in fresh213 ... fresh218 (own examples)."""
    names = parse_answer(text)
    assert (names[0] if names else None) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a hypothesis ("if ..., it would much more likely be Y") takes back no verdict
        ("The shaggy, peeling bark is typical of a **Shagbark Hickory** (*Carya ovata*).\n\nIf the tree stood in Europe, it would much more likely be a **Common Walnut**, whose bark is smoother.",
         "Shagbark Hickory"),
        # a bold field mark after a part noun is no name ("the tail is **squared**")
        ("Looking at the leaves, my first thought was a **Swamp Chestnut Oak**, but on closer inspection the margins are **wavy** rather than toothed, and the whole shape is most consistent with a **Chestnut Oak** (*Quercus montana*).",
         "Chestnut Oak"),
        ("At first I took it for a **sugar maple**, but looking again the lobes are **pointed** with bristle tips, so this is a **Northern Red Oak**.",
         "Northern Red Oak"),
        # "*X y*, the toadstool commonly known as the Z": the common name first
        ("This is ***Amanita muscaria***, the toadstool commonly known as the **Fly Agaric** -- do not eat it.",
         "Fly Agaric"),
        # a group named in bold before "family" is no verdict
        ("It belongs to the **Pomacentridae** family (damselfishes). More specifically, it's a **blue-green chromis** (*Chromis viridis*).",
         "blue-green chromis"),
        # "it specifically looks like a X" narrows the first name
        ("This is a **moray eel**, and based on the uniform green colour and the heavy body, it specifically looks like a **green moray** (*Gymnothorax funebris*).",
         "green moray"),
        # a capitalised caption: the name, a few plain words, then where it is
        ("Canon EOS R5 body on a wooden desk, lens removed.", "Canon EOS R5"),
        ("Scarlet Tanager on a budding oak branch.", "Scarlet Tanager"),
        # a caption that declines names nothing
        ("Sterile rosette only. Not identifiable without flowers.", None),
        # the answer refers back to a name by its last words ("the Z6 II")
        ("It's a Cannondale SuperSix EVO, possibly their CAAD13, but the dropped seat stays point to the SuperSix EVO.",
         "Cannondale SuperSix EVO"),
        # a model code without letters ("a 767-300"); a range of numbers is none
        ("I'd call it a 767-300, possibly the ER version, given the extra exit door.", "767-300"),
        ("It is a 150-200 pound dog, too big to tell.", None),
        # a reasoning model that answered only in its thoughts: their last paragraph
        ("<think>\nGolden fried balls with rice and melted cheese inside, maybe six of them on a plate. Could they be croquettes? No, those are cylinders of potato.\n\nIt's arancini.\n</think>",
         "arancini"),
    ],
)
def test_thirty_seventh_round_failure_classes(text: str, expected: str | None) -> None:
    """Wording classes met in fresh219 ... fresh224 (own examples)."""
    names = parse_answer(text)
    assert (names[0] if names else None) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a field that says how sure is no candidate ("- confidence: 0.55")
        ("Narrowing it down:\n\n- family: Airbus A350\n- variant: A350-900 (most likely) or "
         "A350-1000\n- confidence: 0.6\n\nThe shorter fuselage favours the -900.", "A350-900"),
        # the English name an answer gives for a name in another language leads
        ("The bird is a Zaunkönig. In English it is called the Eurasian Wren.", "Eurasian Wren"),
        ("This is a **Bergamasco**, known in English as the **Bergamasco Shepherd**.", "Bergamasco Shepherd"),
        ("The flower is a Rittersporn, which is the German name for larkspur.", "larkspur"),
        # CSV with a header of fields, fenced or followed by prose
        ("common_name,latin_name,confidence\nWood Duck,Aix sponsa,0.91\n\nThe crest is distinctive.",
         "Wood Duck"),
        ("```csv\nmake,model,confidence\nSaab,9-3,0.7\n```\nThe hockey-stick C-pillar says Saab.",
         "Saab 9-3"),
        # fields on one line, separated by commas
        ("Bird: Bohemian Waxwing, Confidence: 80%", "Bohemian Waxwing"),
        # a broad field ("category") that names no kind lets the others speak
        ('{"aircraft": "Piper PA-28 Cherokee", "category": "light single, low-wing", "confidence": 0.7}',
         "Piper PA-28 Cherokee"),
        # a common-name field before a genus in the species field
        ('{"species": "Nelumbo", "common_name": "Sacred lotus"}', "Sacred lotus"),
        # a manufacturer and a variant make the name
        ('{"manufacturer": "Boeing", "family": "737", "variant": "737 MAX 8"}', "Boeing 737 MAX 8"),
        # a table of attributes amid prose, with a "Likely ID" row
        ("My notes:\n\n| Feature | Observation |\n|---|---|\n| Wings | clear, dark-veined |\n"
         "| Likely ID | Banded Demoiselle |\n\nThe metallic blue body fits.", "Banded Demoiselle"),
        # a call or an interjection opens a chatty answer; a term of endearment is no name;
        # a bold question is a heading
        ("Woof! 🐶 That's a Bernese Mountain Dog! Look at that tricolour coat.", "Bernese Mountain Dog"),
        ("What a sweetie! 🐱 It looks like a **Ragdoll** — those blue eyes!", "Ragdoll"),
        ("This is a **Suffolk** sheep! **Why Suffolk?** - **Black face and legs**", "Suffolk"),
        # names in lower case, in bold or after a finding's cue, where nothing else names one
        ("The leaves look affected by **downy mildew** (*Peronospora*), since the undersides are grey.",
         "downy mildew"),
        ("The radiograph shows blunted costophrenic angles, which are signs of pleural effusion.",
         "pleural effusion"),
        ("It isn't possible to identify the species; the shapes suggest small songbirds.", None),
        # a bold phrase in lower case that a verdict names ("revise my impression to a **X**")
        ("At first glance it could suggest a common wart. On closer inspection, though, the "
         "central white patch changes things.\n\nWith those features, I'd revise my impression "
         "to a **dermatofibroma**, which is benign.", "dermatofibroma"),
        # the part a specimen shows is no part of its name
        ("This is a crinoid stem.", "crinoid"),
        ("That's a Mosasaur tooth, probably from the phosphate beds of Morocco.", "Mosasaur"),
    ],
)
def test_thirty_eighth_round_failure_classes(text: str, expected: str | None) -> None:
    """Wording classes met in fresh225 ... fresh230 (own examples)."""
    names = parse_answer(text)
    assert (names[0] if names else None) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a mix of two breeds as the verdict: either parent, the first first
        ("Looks like a cross between a Border Collie and an Australian Shepherd to me.",
         "Border Collie"),
        ("He appears to be a mix of a Beagle and a Dachshund.", "Beagle"),
        # ... but a named cross stays the answer
        ("It is most likely a cross between a Poodle and a Bichon Frise, commonly called a "
         "**Poochon**.", "Poochon"),
        # an animal's part after a possessive belongs to the animal
        ("A close-up of a pug dog's face on a sofa.", "pug"),
        # lower-case names followed by where they are found; Italian plurals
        ("This is a crinoid stem, common in Paleozoic limestones.", "crinoid"),
        ("These are cannoli.", "cannoli"),
        # a code after a lettered make and model names its trim, not another car
        ("This is a Mercedes-Benz E-Class (W212), likely an E350 from around 2011.",
         "Mercedes-Benz E-Class"),
        # an initial is no name
        ("That is Field Horsetail (Equisetum arvense); the spores settle it as E. arvense.",
         "Field Horsetail"),
        # the common name in bold stays before the Latin of its variety
        ("It is a pale form of the **Honey Mushroom** – specifically *Armillaria mellea* "
         "var. *alba*.", "Honey Mushroom"),
        # a verdict field that opens with the name, then a sentence naming something else
        ("**Family:** Rosaceae\n**Verdict:** Blackthorn. It's the classic sloe gin shrub of "
         "English hedges.", "Blackthorn"),
        # a species field that declines: the answer declines
        ("This is a **sedge** (genus *Carex*).\n\n**Species:** Unfortunately, I can't tell "
         "which of the hundreds of *Carex* it is from this photo.", None),
        # a bold question is no name; "genus **_X_**" names the genus
        ("It belongs to the genus **_Cortinarius_** (webcaps).\n\n**Exact species?** Sadly "
         "that needs a microscope, so I can't say.", "Cortinarius"),
        # where a class lives, a likeness and a field mark in a list are no names
        ("There are two North American species to weigh here, and I believe it is a Hairy "
         "Woodpecker.", "Hairy Woodpecker"),
        ("The flower is a daisy-like bloom. From the dark disc I'd identify it as Gazania.",
         "Gazania"),
        ("Likely a Common Eider.\n\n- Wedge-shaped, sloping bill\n- Barred brown body",
         "Common Eider"),
        # a negation on one line does not rule out the name on the next
        ("The dog is most likely a **Kuvasz**.\n\n**Great Pyrenees**\n- ❌ The coat isn't "
         "wavy\n\n**Kuvasz**\n- ✅ Wavy white coat", "Kuvasz"),
        # "the best fit is" settles a group named first
        ("This is a **Myiarchus flycatcher**, and the best fit is a **Great Crested "
         "Flycatcher**.", "Great Crested Flycatcher"),
        ("Two species come to mind, the Bay-breasted and the Blackpoll Warbler. My best "
         "identification is a Blackpoll Warbler, or possibly a Bay-breasted.", "Blackpoll Warbler"),
    ],
)
def test_thirty_ninth_round_failure_classes(text: str, expected: str | None) -> None:
    """Wording classes met in fresh231 ... fresh236 (own examples)."""
    names = parse_answer(text)
    assert (names[0] if names else None) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a count inside the bold name: one of them ("five moths" is a category, no name)
        ("The trail camera shows **three red deer** (*Cervus elaphus*) crossing at dawn.", "red deer"),
        ("This shows **two Nile crocodiles** basking on a sandbank.", "Nile crocodile"),
        ("There are **six moths** on the sheet; all of them look like the **Garden Tiger**.",
         "Garden Tiger"),
        # captions of small models: a serving with praise before it, "displays", "served in"
        ("The image features a tasty bowl of ramen, with slices of pork and a soft egg.", "ramen"),
        ("The image displays a dish of Chicken Tikka Masala. It is served with rice.",
         "Chicken Tikka Masala"),
        ("The image shows a bowl of french onion soup, served in a white crock with cheese.",
         "french onion soup"),
        # a scene in the picture's description, then the name
        ("The scan displays **patchy, bilateral consolidations**. These could be consistent with "
         "**bacterial pneumonia**.", "bacterial pneumonia"),
        ("The picture is a grainy night-time shot from a trail camera. The animal is a **Badger**.",
         "Badger"),
        # a code of the model with a suffix settles a type named first
        ("This is a **Lockheed P-3 Orion**. The radome and tail boom suggest it is a **P-3C**.",
         "P-3C"),
        ("It's an **Embraer E190/E195**; the short fuselage says **E190**.", "E190"),
        ("These are **Fiat 500s** parked nose to tail; the bumpers say **Fiat 500**.", "Fiat 500"),
        # a common name of two capitalised words and a lower-case one, then the Latin
        ("The mammal is a Cape Dune mole-rat, Bathyergus suillus.", "Cape Dune mole-rat"),
        # a paint is no class; "a package of" leads to the product
        ("This is a **Ford Mustang GT**. The color appears to be Race Red.", "Ford Mustang GT"),
        ("This is a package of Haribo Goldbears gummies.", "Haribo Goldbears"),
        # nested lists of a YAML answer hold alternatives; a ranked list scored after colons
        ('species: "Hooded Merganser"\nconfidence: 0.8\nalternatives:\n  - name: "Bufflehead"\n'
         '    confidence: 0.2', "Hooded Merganser"),
        ("1. Cedar Waxwing: 0.81\n2. Bohemian Waxwing: 0.15\n3. Phainopepla: 0.04", "Cedar Waxwing"),
        ("- family: Boeing 767\n- variant: 767-300ER (most likely)\n- confidence: 0.6", "767-300ER"),
        # "is identified as", a colourway or a size after the model
        ("The moth in the photo is identified as Tyria jacobaeae.", "Tyria jacobaeae"),
        ('This is a **Rolex GMT-Master II**, most likely the "Batman" colourway.', "Rolex GMT-Master II"),
        # a serving of a plural dish; a dish "called" or "referred to as" X is named
        ("The image features a big platter of chicken wings. Celery sticks sit beside them.",
         "chicken wings"),
        ("The image displays a dessert called Tarte Tatin. It is a French dessert of apples.",
         "Tarte Tatin"),
        ("The picture shows a dish commonly referred to as Beef Wellington. It is wrapped in pastry.",
         "Beef Wellington"),
        # an interjection opens the answer; a name the class once had is no fuller name
        ("Mmm — that's **shakshuka**! Eggs poached in a spiced tomato sauce.", "shakshuka"),
        ("This is a **Bichon** (formerly known as the **Bichon Tenerife**), fluffy and white.",
         "Bichon"),
    ],
)
def test_fortieth_round_failure_classes(text: str, expected: str | None) -> None:
    """Wording classes met in fresh237 ... fresh248 (own examples)."""
    names = parse_answer(text)
    assert (names[0] if names else None) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a make or brand named, the model declined: no name; a genus with the species
        # declined stays; a doubt about certainty or pedigree is no decline
        ("This is clearly a **Maserati**, judging by the trident on the grille. From this "
         "angle I can't determine which model it is.", None),
        ("The blender carries the Vitamix logo, but I'm not able to give you the exact model "
         "from this photo.", None),
        ("This flower belongs to the genus *Aquilegia*; I can't determine the exact species.",
         "Aquilegia"),
        ("The cat appears to be a Burmese. Without papers the breed can't be determined.",
         "Burmese"),
        # the lead of a candidate list the answer cannot choose from
        ("It could be one of these:\n1. Lakeland Terrier\n2. Welsh Terrier\n3. Airedale "
         "Terrier\n\nThe photo is too small to determine the exact breed.", None),
        # a category and "species"/"breed" as a field's label; a typed double-hyphen dash
        ("Dog breed: Leonberger -- lion-like mane, black mask, webbed feet.", "Leonberger"),
        ("Plant species: Lady's mantle (in flower) -- scalloped leaves, beads of dew, "
         "lime-green froth.", "Lady's mantle"),
        # other field labels of a verdict: "Identified as", snake_case keys, a report's IMPRESSION
        ("**Identified as:** Khao soi (ข้าวซอย)\n**Confidence:** medium\n**Seen:** egg "
         "noodles in curry broth, crispy noodles on top", "Khao soi"),
        ("best_guess: Sachertorte\nconfidence: 0.7\nnotes: glossy dark glaze", "Sachertorte"),
        ("TECHNIQUE: PA chest radiograph\nFINDINGS: Blunted costophrenic angle.\n"
         "IMPRESSION: Pleural effusion, left side.\nADVICE: Ultrasound.", "Pleural effusion"),
        # a bulleted field under a heading; the make field alone is no name
        ("## Result\n\n- **Gemstone:** Alexandrite\n- **Hardness:** 8.5\n- **Colour:** green "
         "by day, red by lamplight (typical of Russian material)", "Alexandrite"),
        ("- Car brand: Subaru\n- Model: Outback\n- Year: 2012\n\nThe car in the image is a "
         "Subaru Outback.", "Subaru Outback"),
        # a two-column attribute table with long described features and a bold key
        ("| Trait | Seen |\n|---|---|\n| Petals | Five, broad, overlapping, pale lilac with "
         "darker veins running to the centre |\n| **Species** | **Cranesbill** (*Geranium "
         "pratense*) |", "Cranesbill"),
        # field lines with a nested list of bare alternatives
        ("dish: laksa\nconfidence: 0.8\nalternatives:\n  - curry mee\n  - mohinga", "laksa"),
        # an age word before a breed; a participle with its object after a lower-case name
        ("A senior Dachshund dozing on a rug by the fire.", "Dachshund"),
        ("A german shepherd guarding sheep on a hillside.", "german shepherd"),
        # "this is a X" inside a verdict's value; a kind's mark before a category noun
        ("**Conclusion: this is a Pilatus PC-12.** The single turboprop fits.", "Pilatus PC-12"),
        ("This is a four-spotted dragonfly resting on a reed.", "four-spotted dragonfly"),
        # an answer that cannot make out its subject describes the picture in lower case
        ("I can't make out the bird. The picture is badly out of focus; all I see is a dark "
         "blob on a branch.", None),
        ("I can't make out the flower very well, but I'd go with a globe thistle from the "
         "round heads.", "globe thistle"),
        # a bold candidate list the answer cannot choose from, its items read as fields
        ("Likely a Volvo wagon.\n\n* **Volvo V60**: longer roof\n* **Volvo V70**: taller "
         "tail lights\n\nThe photo is not sharp enough to tell which of these it is.", None),
        # a kind first, then what the subject is
        ("This is a duck with a green head and a white neck ring. It is a common goldeneye "
         "resting on a lake.", "common goldeneye"),
    ],
)
def test_forty_first_round_failure_classes(text: str, expected: str | None) -> None:
    """Wording classes met in fresh249 ... fresh259 (own examples)."""
    names = parse_answer(text)
    assert (names[0] if names else None) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a tool or function call: its arguments hold the name, its own name is none
        ('<tool_call>\n{"name": "log_species", "arguments": {"species": "Wood Thrush", '
         '"confidence": 0.7}}\n</tool_call>', "Wood Thrush"),
        ('{"type": "function", "function": {"name": "tagFlower", "arguments": '
         '"{\\"label\\": \\"Canna lily\\"}"}}', "Canna lily"),
        ("Calling the tool:\n\n```python\nsave_label(make=\"Kia\", model=\"Soul\", year=2012, "
         "full_label=\"Kia Soul Hatchback 2012\")\n```", "Kia Soul Hatchback 2012"),
        ('{"name": "Wood Thrush", "confidence": 0.7}', "Wood Thrush"),  # a name field stays
        # a revised or primary field; a kind field before a broad one; a narrower type
        ('{"initial": "Song Sparrow", "revised": "Lincoln\'s Sparrow"}', "Lincoln's Sparrow"),
        ("<dog>\n<primary>Keeshond</primary>\n<alternative>Samoyed</alternative>\n</dog>",
         "Keeshond"),
        ('{"food": "Pad Thai", "category": "Noodle dish", "confidence": 0.9}', "Pad Thai"),
        ('{"class": "Sapphire", "mineral_species": "Corundum"}', "Sapphire"),  # a name there
        ('{"label": "soup", "dish_name": "gazpacho"}', "gazpacho"),
        ("Dish: Curry\nType: Massaman Curry\nConfidence: 0.8", "Massaman Curry"),
        ("Aircraft identified:\n\n```\nType:       Antonov An-124\nOperator:   an airline\n"
         "Role:       Heavy freighter\n```\n\nThe nose door identifies it.", "Antonov An-124"),
        # a knock-off or replica of a product names the product
        ("The stitching is uneven, so I think this is a replica of the Cartier Tank Must.",
         "Cartier Tank Must"),
        # CJK: the Latin name a clause wraps, the name after the copula; a sentence is none
        ("图片里是一只Shetland Sheepdog", "Shetland Sheepdog"),
        ("这只猫是暹罗猫", "暹罗猫"),
        ("对不起，这张照片太暗了，我看不清楚这是什么动物。", None),
        # other languages' "it is a"
        ("Il s'agit d'un Bouvier bernois adulte.", "Bouvier bernois"),
        ("Se trata de un Galgo Español, por su cuerpo delgado.", "Galgo Español"),
        # a hedge inside bold; a kind first, then a likened model; an answer line's concession
        ("A grey cat with green eyes. It is **probably a Korat**, judging by the coat.", "Korat"),
        ("This is a toaster. It looks like a Dualit Classic 2-slice with chrome sides.",
         "Dualit Classic 2-slice"),
        ("This is a military helicopter with two rotors. It looks like a CH-47.", "CH-47"),
        ("These are wireless headphones in a grey case. They might be the Bose QuietComfort 45 "
         "headphones.", "Bose QuietComfort 45"),
        ("**Answer:** Although it resembles a dandelion at first glance, the flower is a "
         "catsear.", "catsear"),
        ("It is a Mazda RX-8. Wait, the tail lights are actually those of a Mazda RX-7.",
         "Mazda RX-7"),
        # demonyms come from a list: "Caprese salad" is a name, "a Mexican dessert" none
        ("This is a **Caprese salad** with basil.", "Caprese salad"),
        ("It is a Mexican dessert.", None),
        # a field's first sentence in lower case; a finding's side; "points toward"
        ("Finding: atelectasis. The left lower lobe looks collapsed.", "atelectasis"),
        ("The radiograph shows a **right-sided pneumothorax** with a visible pleural line.",
         "pneumothorax"),
        ("The lungs look dark. But several features point toward emphysema, such as flat "
         "diaphragms.", "emphysema"),
        ("It looks like a skin growth, and more specifically like a seborrheic keratosis.",
         "seborrheic keratosis"),
        ("I should say up front that I am not a doctor.", None),
        # category nouns of non-species domains
        ("The house is a fine example of **Tudor architecture**.", "Tudor"),
        ("This fabric shows a houndstooth pattern.", "houndstooth"),
        # a later bold name that extends a brand; a dropped g inside a name
        ("This is a Monster can. The colour says which one: **Monster Ultra Paradise**.",
         "Monster Ultra Paradise"),
        ("This is a bag of Doritos Flamin' Hot Cool Ranch.", "Doritos Flamin' Hot Cool Ranch"),
    ],
)
def test_forty_second_round_failure_classes(text: str, expected: str | None) -> None:
    """Wording classes met in fresh261 ... fresh268 (own examples)."""
    names = parse_answer(text)
    assert (names[0] if names else None) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a lower-case name led by a number; "of the" names in sentence case; -ing names
        ("It is a 14-spot ladybird.", "14-spot ladybird"),
        ("This is a 2-year-old beagle.", "beagle"),
        ("Chicken of the woods (Laetiporus sulphureus), a bracket fungus.", "Chicken of the woods"),
        ("This is hen of the woods.", "hen of the woods"),
        ("The small wader on the beach is a sanderling.", "sanderling"),
        ("It is a penny-farthing.", "penny-farthing"),
        # answer labels and headings
        ("The grille first suggests a Jeep, but the badge says otherwise.\n\nName: Suzuki Jimny",
         "Suzuki Jimny"),
        ("**Thinking it through**\n\nLong legs, grey body.\n\n**Response**\n\nWhooping Crane. "
         "It is all white.", "Whooping Crane"),
        ("Best guesses\nTop match: Aloe vera (81%)\nOther: Agave americana (9%)", "Aloe vera"),
        ("Scene: boathouse\nConfidence: medium", "boathouse"),
        ("## Scene Classification\n\n**Rice paddy**\n\nFlooded terraces.", "Rice paddy"),
        ("**Weighing the Options**\n\nDark back, pale belly.\n\nThat's a little grebe in "
         "winter plumage.", "little grebe"),
        ("**Identification:** Olm (*Proteus anguinus*)\n\n* **Species:** The pale body and red "
         "gills are the hallmarks of an olm.", "Olm"),
        ('```json\n{"vehicle_type": "motorcycle", "model": "Ducati Monster 821"}\n```',
         "Ducati Monster 821"),
        # a possessive name keeps its noun
        ("This looks like a **Blanding's turtle** (*Emydoidea blandingii*).", "Blanding's turtle"),
        ("It is a Kemp's ridley sea turtle (Lepidochelys kempii).", "Kemp's ridley sea turtle"),
        # a cross and its name; parents that gloss a name; lineage is no name
        ("This is a **Cocker Spaniel-Poodle mix**, i.e. a **Cockapoo**.", "Cockapoo"),
        ("It is probably a Beagle and Pug cross, often called a Puggle.", "Puggle"),
        ("It looks like a **Maltipoo**, a cross between a **Maltese** and a **Poodle**.",
         "Maltipoo"),
        ("Most likely a Sheepadoodle. The black-and-white coat is typical of the Old English "
         "Sheepdog side.", "Sheepadoodle"),
        # empty tags and pronouns name nothing; an alias after a name; a setting
        ("<answer></answer>", None),
        ("At first glance a Carrion Crow? No, it's clearly something else. It is a Rook.", "Rook"),
        ("This is a dugong (Dugong dugon). It is sometimes called a sea cow.", "dugong"),
        ("A scooter parked in what appears to be Rome. The scooter is a Piaggio Liberty 125.",
         "Piaggio Liberty 125"),
        # scene names of a generic word; a hedge before a place; appositions
        ("This is a flower market, most likely in the Netherlands.", "flower market"),
        ("These are xiao long bao, Shanghainese soup dumplings.", "xiao long bao"),
        ("La foto muestra una ensaimada, un dulce de Mallorca.", "ensaimada"),
        # a bold "not"; score-first lines; a line of scored candidates
        ("# Slow worm\n\nAlthough it looks like a snake, the slow worm is **not** a snake.",
         "Slow worm"),
        ("92% Aloe vera\n5% Aloe ferox\n3% Haworthia", "Aloe vera"),
        ("Top-3: Chanterelle (0.70), False chanterelle (0.20), Jack-o'-lantern (0.10)",
         "Chanterelle"),
        # vehicles: the kind and the words that describe it go
        ("Stadler KISS double-deck train", "Stadler KISS"),
        ("This is a Vespa scooter. Looks like a Vespa Primavera 150.", "Vespa Primavera 150"),
        ("Solaris Urbino 18 articulated bus", "Solaris Urbino 18"),
        # a hybrid's sign inside a Latin name
        ("The shrub is Abelia × grandiflora.", "Abelia × grandiflora"),
        # a hypothesis ("if pushed" is none); a two-column table keyed in bold
        ("It is a Fokker 70, or a Fokker 100. If pushed, I'd say it's a Fokker 100.",
         "Fokker 100"),
        ("Here is what I see:\n\n| | |\n|---|---|\n| **Common name** | Oxlip |\n| **Family** | "
         "Primulaceae |\n| **Flowering** | Spring |\n\nThe cowslip is similar.", "Oxlip"),
    ],
)
def test_forty_third_round_failure_classes(text: str, expected: str | None) -> None:
    """Wording classes met in fresh269 ... fresh276 (own examples)."""
    names = parse_answer(text)
    assert (names[0] if names else None) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # answers written in Chinese, Japanese or Korean: copulas, labels, a dropped first guess,
        # the English gloss of the verdict, declines
        ("图中这只鸟是一只红嘴蓝鹊，尾巴很长。", "红嘴蓝鹊"),
        ("这道菜应该是东北的地三鲜，有茄子、土豆和青椒。", "地三鲜"),
        ("看起来像是拉布拉多……不对，毛更长，这应该是一只金毛。", "金毛"),
        ("这是一只柯基（威尔士柯基犬，英文 Pembroke Welsh Corgi），腿很短。", "Pembroke Welsh Corgi"),
        ("この花はツバキ（椿）です。冬に赤い花を咲かせます。", "ツバキ"),
        ("この料理は親子丼だと思われます。鶏肉と卵がのっています。", "親子丼"),
        ("이 꽃은 진달래입니다. 봄에 산에서 피어요.", "진달래"),
        ("처음에는 시츄로 보였지만, 털이 더 하얗습니다. 이 개는 말티즈일 가능성이 높습니다.", "말티즈"),
        ("仅凭这张照片，很难确定它的具体品种，可能是几种犬的混血。", None),
        ("**结论**：黄腹山雀", "黄腹山雀"),
        ("这是一辆2015款 Honda Civic 轿车，白色车身。", "Honda Civic"),
        ("这是一块卡西欧（Casio）Edifice EFR-539 手表。", "Casio Edifice EFR-539"),
        # lens names with apertures; a model number after "specifically"; product fields
        ("That's a Sigma 35mm f/1.4 DG HSM Art lens on the camera.", "Sigma 35mm f/1.4 DG HSM Art"),
        ("It is a Canon EF 100mm f/2.8L Macro IS USM.", "Canon EF 100mm f/2.8L Macro IS USM"),
        ("This appears to be a Seiko Prospex diver, specifically the model SPB143.", "Seiko Prospex"),
        ('{"product_name": "Sony WH-1000XM4", "category": "over-ear noise cancelling headphones"}',
         "Sony WH-1000XM4"),
        ('{"bird_name_zh": "白头鹎", "bird_name_en": "Light-vented Bulbul", "confidence": 0.8}',
         "Light-vented Bulbul"),
        ("| | |\n|---|---|\n| **Brand** | Fujifilm |\n| **Model** | X-T5 |\n\nThis is a **Fujifilm X-T5**.",
         "Fujifilm X-T5"),
        # report labels and wording; an abbreviation spelled out; '-sis' is no plural
        ("| Feature | Seen |\n|---|---|\n| Border | Rolled |\n\n**Impression:** Basal cell carcinoma, nodular.",
         "Basal cell carcinoma"),
        ("Medium: MacConkey agar.\nPresumptive ID: Klebsiella pneumoniae.\nNext: biochemical tests.",
         "Klebsiella pneumoniae"),
        ("Taken together, the lesion is **concerning for melanoma**.", "melanoma"),
        ("These changes are suspicious for actinic keratosis.", "actinic keratosis"),
        ("This is most likely an SK (seborrheic keratosis), which is harmless.", "seborrheic keratosis"),
        ("The rash shows the hallmarks of **pityriasis rosea**.", "pityriasis rosea"),
        ("Se trata probablemente de un **nevus azul** (en inglés, *blue nevus*).", "blue nevus"),
        ("These features represent a **hyperplastic polyp**.", "hyperplastic polyp"),
        ("The Hummer H2 SUT (Sport Utility Truck) is parked outside.", "Hummer H2 SUT"),
        # terse names; an '-ed' compound keeps its noun; common names after and before Latin ones
        ("Moth. Garden tiger moth.", "Garden tiger moth"),
        ("Heron. Great Egret.", "Heron"),
        ("This is a Blue-winged damselfly.", "Blue-winged damselfly"),
        ("What you have here is Morchella esculenta, known as the yellow morel in North America.",
         "yellow morel"),
        ("It is Trametes versicolor, the fungus sold as turkey tail.", "turkey tail"),
        ("These are jelly ear, Auricularia auricula-judae - a common find on elder.", "jelly ear"),
        ("Common earthball, Scleroderma citrinum.", "Common earthball"),
        ("Hosta sieboldiana 'Elegans'. Big blue-grey leaves.", "Hosta sieboldiana 'Elegans'"),
        ("bumblebee<end_of_utterance>", "bumblebee"),
        # thoughts cut off before a verdict name nothing; one that settled keeps its name
        ("<think>\nLarge raptor, pale head. Could be a Golden Eagle or an immature Bald Eagle. "
         "The tail pattern would help, but the photo is crop", None),
        ("<think>\nWhite underparts, dark eye stripe. So the answer is Osprey. Let me also check the wing sh",
         "Osprey"),
        # one-word names before ", and" and after a leaning; a described kind yields to a verdict
        ("That's fluorite, and a lovely purple example of it.", "fluorite"),
        ("It is chalcedony or jasper; I'd lean toward jasper.", "jasper"),
        ("It could be a Common Darter or a Ruddy Darter. Given the black legs, the Ruddy Darter "
         "seems more likely.", "Ruddy Darter"),
        ("The shell is a cone-shaped gastropod with spots. Based on these features, it is a "
         "textile cone (Conus textile).", "textile cone"),
        ("It's set in a shady border. It is a Bergenia.", "Bergenia"),
    ("**Verdict:** It is a **Common Oak**, and specifically it looks like a **Sessile Oak**.",
     "Sessile Oak"),
    ("It appears to be a Canon EOS R-series body. From the dial layout, I'd say this is the "
     "Canon EOS R6.", "Canon EOS R6"),
    ('{"top_candidates": ["Dahlia", "Zinnia"], "final_answer": null, "note": "too blurry to choose"}',
     None),
    ("The smear is typical of **Burkitt lymphoma** (endemic type).", "Burkitt lymphoma"),
    ],
)
def test_forty_fourth_round_failure_classes(text: str, expected: str | None) -> None:
    """Wording classes met in fresh277 ... fresh284 (own examples; 37 of 47 fail with the
    round-43 parser): answers in Chinese, Japanese and Korean, lens and product names, report
    labels, cultivars, cut-off thoughts."""
    names = parse_answer(text)
    assert (names[0] if names else None) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
    # answers in other languages: their copulas, category words, refinements, glosses, labels
    ("Это обыкновенный зимородок (Alcedo atthis). Видна ярко-синяя спина и оранжевое брюхо.",
     "обыкновенный зимородок"),
    ("На фотографии собака породы **бигль** (Beagle). Короткая шерсть, висячие уши.", "Beagle"),
    ("Es handelt sich um einen Eisvogel (Alcedo atthis). Man erkennt ihn am blauen Rücken.",
     "Eisvogel"),
    ("Das ist ein Buntspecht, genauer gesagt ein Mittelspecht: die rote Kappe reicht bis in den "
     "Nacken.", "Mittelspecht"),
    ("É uma árvore **ipê-amarelo** (*Handroanthus albus*), em inglês *golden trumpet tree*. As "
     "flores amarelas cobrem a copa.", "golden trumpet"),
    ("To jest sikora modra. Ma niebieską czapeczkę i żółty brzuch.", "sikora modra"),
    ("Bu bir leylek kuşu. Uzun kırmızı gagası ve beyaz tüyleri var.", "leylek"),
    ("Đây là con mèo Xiêm, tiếng Anh là Siamese. Mắt xanh, lông ngắn màu kem.", "Siamese"),
    ("Ini adalah kucing Persia. Bulunya panjang dan wajahnya pesek.", "Persia"),
    ("Se trata de un **petirrojo europeo** (*Erithacus rubecula*), conocido en inglés como "
     "*European robin*. Tiene el pecho anaranjado.", "European robin"),
    ("Il s'agit d'un **martin-pêcheur d'Europe** (*Alcedo atthis*), appelé *common kingfisher* "
     "en anglais. Son dos est bleu vif.", "common kingfisher"),
    ("Si tratta di un pettirosso. Il petto arancione e il dorso bruno sono tipici.", "pettirosso"),
    ("Auf den ersten Blick ein **Buchfink**. Aber: rote Brust, schwarze Kappe.\n\nFazit: **Gimpel** "
     "(*Pyrrhula pyrrhula*).", "Gimpel"),
    ("Ich kann die Art auf diesem Foto leider nicht sicher bestimmen: es ist zu dunkel.", None),
    ("Nie mogę określić gatunku — to może być **sikora modra** albo **sikora uboga**.", None),
    ("Yeh **pav bhaji** hai! Makkhan mein seka hua pav aur masaledar sabzi.", "pav bhaji"),
    ("Is tasveer mein chole bhature dikh rahe hain, saath mein achaar aur pyaaz.", "chole bhature"),
    ("¡Qué rico! En la imagen se ven unas **enchiladas verdes** con crema y queso fresco.",
     "enchiladas verdes"),
    ("Questa è la pasta alla norma, con melanzane fritte e ricotta salata.", "pasta alla norma"),
    ("É um pão de queijo, feito com polvilho e queijo minas.", "pão de queijo"),
    ("Es una **carpa koi** (*Cyprinus rubrofuscus*; en inglés, *koi carp*). El patrón es kohaku.",
     "koi carp"),
    # a sentence-case name ends before a participle; the subject's noun stays on a name
    ("The image shows an Ornate box turtle basking on a flat rock.", "Ornate box turtle"),
    ("The moth is a Polyphemus moth resting on bark.", "Polyphemus moth"),
    # a table of fields amid prose that names other things
    ("The picture shows a carved stone gateway at dusk.\n\n| Attribute | Details |\n|---|---|\n"
     "| **Monument** | Gate of All Nations |\n| **Site** | Persepolis, Iran |", "Gate of All Nations"),
    # "No." inside a name; a lower-case name ends before "made of"
    ("The bottle in the picture is Chanel No. 19 eau de parfum.", "Chanel No. 19"),
    ("This is a rolling pin made of marble, resting on a floured board.", "rolling pin"),
    # a description, or a brand and a kind, before the name the answer then states
    ("This is a red leather crossbody bag with a gold clasp. It looks like a Mulberry Bayswater.",
     "Mulberry Bayswater"),
    ("This is a Breville espresso machine. From the twin dials and the grinder, I believe it's the "
     "Breville Barista Express.", "Breville Barista Express"),
    # a model field names the answer beside a type; the make once, without its note in brackets
    ("- **Type:** Twin-turboprop regional airliner\n- **Model:** Embraer EMB 120 Brasilia\n"
     "- **Clues:** T-tail, low wing", "Embraer EMB 120 Brasilia"),
    ("Model: Airbus A350-900\nManufacturer: Airbus SAS\nOperator: Qatar Airways", "Airbus A350-900"),
    ("Manufacturer: Eurocopter (now Airbus Helicopters)\nModel: EC135\nRole: air ambulance",
     "Eurocopter EC135"),
    # "you're looking at" identifies; a nickname after it is no answer
    ("You're looking at a Lockheed SR-71 Blackbird — better known to its crews as the \"Habu\".",
     "Lockheed SR-71 Blackbird"),
    # a caption that opens "In the image, a X is ..." names X (a last resort, as "shows a X")
    ("In the image, a tricolor Bernese Mountain Dog is lying on a porch next to a blue door.",
     "Bernese Mountain Dog"),
    ("Hard to say from this angle. In my opinion, a song thrush.", "song thrush"),  # no caption
    # a bold name in lower case after "is actually a <kind>:"; a translated thinking preamble
    ("It looks like a wasp, but it is actually a fly: the **hornet hoverfly** (*Volucella "
     "zonaria*).", "hornet hoverfly"),
    ("Pensou por 5 segundos\n\nÉ um **joão-de-barro** (*Furnarius rufus*).\n\n- Ninho de barro",
     "joão-de-barro"),
    # "an example / a case of X" names X
    ("The facade is a textbook example of Art Nouveau, with whiplash curves.", "Art Nouveau"),
    ("I'd call it a clear case of powdery mildew on the squash leaves.", "powdery mildew"),
    ],
)
def test_forty_fifth_round_failure_classes(text: str, expected: str | None) -> None:
    """Wording classes met in fresh285 ... fresh296 (own examples): answers written in Russian,
    German, Portuguese, Polish, Turkish, Vietnamese, Indonesian, Spanish, French and Italian;
    participles after a name, tables of fields, abbreviations inside names."""
    names = parse_answer(text)
    assert (names[0] if names else None) == expected



@pytest.mark.parametrize(
    ("text", "expected"),
    [
    # a colour or coat word that also names a plant or an animal names it when it stands alone
    ("This is a chinchilla.", "chinchilla"),
    ("The tree is an olive tree. Its trunk is gnarled and silver-grey.", "olive"),
    ("Look closely: this is a lynx.", "lynx"),
    # a name in sentence case placed in a scene, as a caption writes it
    ("Shetland pony in a field.", "Shetland pony"),
    ("Painted turtle on a log.", "Painted turtle"),
    # French breed names in -ais / -ois are singular
    ("The horses in the picture are Boulonnais, a heavy draught breed.", "Boulonnais"),
    ("The cattle in the picture are Charolais. They are white and heavily muscled.", "Charolais"),
    # a model code written in lower case goes on with the name
    ("It is a Nikon Coolpix p1000 bridge camera.", "Nikon Coolpix p1000"),
    ("It looks like a Sony Alpha a6400 with a kit lens.", "Sony Alpha a6400"),
    # a heading that opens the answer with a gerund is a name when a Latin name glosses it
    ("# Weeping willow (*Salix babylonica*)\n\nLong, trailing branches.\n\n## Features\n\n- **Leaves:** narrow",
     "Weeping willow"),
    # a table's common name outranks a prose category it specialises
    ("It's a bumblebee, not a fly.\n\n| Field | Value |\n|---|---|\n| Common name | Red-tailed bumblebee |\n"
     "| Scientific name | *Bombus lapidarius* |\n\nIt was feeding on clover.", "Red-tailed bumblebee"),
    # a Latin name glossed by its common name: quoted, after a kind, as an apposition, "common name is"
    ("This is probably a slime mould known as Stemonitis axifera, which is commonly called "
     "'chocolate tube slime'. It is harmless.", "chocolate tube slime"),
    ("The object is Trametes versicolor, a bracket fungus commonly known as turkey tail. It grows on logs.",
     "turkey tail"),
    ("The moss on the beech trunk is Hypnum cupressiforme, the cypress-leaved plait-moss, in flat mats.",
     "cypress-leaved plait-moss"),
    ("The species is Thuidium tamariscinum, common name is common tamarisk-moss. It forms mats.",
     "common tamarisk-moss"),
    ("Most likely ***Lunularia cruciata*** (**crescent-cup liverwort**, also called moonwort).",
     "crescent-cup liverwort"),
    # a shop's taxonomy path is no name; the model or product field is
    ('{"brand": "Seiko", "model": "SNK809", "category": "watches/automatic", "confidence": 0.9}',
     "Seiko SNK809"),
    ('{"brand": "Clinique", "product": "Clinique Moisture Surge", "category": "beauty/skin/moisturizer"}',
     "Clinique Moisture Surge"),
    ('{"brand": "Herman Miller", "product_name": null, "category": "furniture/chairs"}', None),
    # a caption of a product with its kind and a colour after the name
    ("Le Creuset Signature casserole, cerise red", "Le Creuset Signature"),
    ("Bose QuietComfort Ultra wireless headphones", "Bose QuietComfort Ultra"),
    # an English gloss in other languages: "conhecido em inglês como", "chamado em inglês de", in brackets
    ("Este é um **bem-te-vi** (*Pitangus sulphuratus*), conhecido em inglês como **great kiskadee**. "
     "É muito comum no Brasil.", "great kiskadee"),
    ("Parece ser um tucano (Ramphastos toco), chamado em inglês de toco toucan. O bico é enorme.",
     "toco toucan"),
    ("Auf dem Foto ist ein **Eisvogel** (*Alcedo atthis*, englisch: common kingfisher) zu sehen. "
     "Er sitzt auf einem Ast.", "common kingfisher"),
    # a plural after "which appear to be" with a scene after the comma; "a pair of" counts
    ("The picture shows a patch of purple flowers, which appear to be crocuses, growing in a lawn.", "crocus"),
    ("This photo shows a pair of mute swans swimming close together on a lake. Their bills are orange.",
     "mute swan"),
    # Molmo's point tags hold the name
    ('<point x="40.1" y="51.2" alt="Border Collie">Border Collie</point>', "Border Collie"),
    # a guess field after a category field
    ('{"species": "cat", "breed_guess": "Russian Blue", "coat": "grey"}', "Russian Blue"),
    # a one-row table under a header of fields
    ("| Make | Model | Body |\n|---|---|---|\n| Lotus | Elise | Roadster |", "Lotus Elise"),
    # an abbreviation spelled out after a dash ("that is"), or of a name with a Latin-looking word
    ("This looks like a Staffie - that is, a Staffordshire Bull Terrier.", "Staffordshire Bull Terrier"),
    ("That's a **CAE** — a **Chinese algae eater** (*Gyrinocheilus aymonieri*).\n\nIt grazes on glass.",
     "Chinese algae eater"),
    # a year range with "generation" before a make and model
    ("This is a **2010–2015 generation Toyota Prius**, judging by the roofline.", "Toyota Prius"),
    # a lower-case name led by an adjective is no Latin name for its alias to gloss
    ("The flower appears to be a blue lotus, also known as a blue water lily. It floats on a pond.", "blue lotus"),
    # a dash apposition that specialises a lower-case name; two names of one kind joined by "and"
    ("It's a nuthatch — the red-breasted nuthatch, going by the eye stripe.", "red-breasted nuthatch"),
    ("So the candidates are Least Tern and Little Tern. Both are tiny, with a white forehead.", "Least Tern"),
    # a name the answer gives as another name of its pick ("also called") does not outrank it
    ("The insect is a damselfly, possibly an Ebony Jewelwing (*Calopteryx maculata*), also called the "
     "Black-winged Damselfly. Its wings are black.", "Ebony Jewelwing"),
    # a report's "most consistent with" label
    ("The disc is swollen.\n\n- **Most consistent with:** optic neuritis\n- **Consider also:** papilledema",
     "optic neuritis"),
    ],
)
def test_forty_sixth_round_failure_classes(text: str, expected: str | None) -> None:
    """Wording classes met in fresh297 ... fresh308 (own examples): colour words that name
    living things, captions in sentence case, Latin names glossed by common names in many
    ways, product captions and shop taxonomies, glosses in Portuguese and German, point tags,
    one-row tables, abbreviations spelled out."""
    names = parse_answer(text)
    assert (names[0] if names else None) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
    # a container or a serving before a name in a caption holds the name
    ("A jar of Marmite.", "Marmite"),
    ("The photo shows a paper bag of Kettle Brand sea salt chips on a counter.", "Kettle Brand"),
    ("A bowl of bibimbap.", "bibimbap"),
    # a CJK verdict that is a kind of a name glossed in Latin script; Korean and Japanese glosses
    ("この靴は**ナイキ エアマックス**（Nike Air Max）のスニーカーだと思われます。", "Nike Air Max"),
    ("이 새는 까치(Pica serica)입니다. 영어로는 Oriental Magpie라고 합니다.", "Oriental Magpie"),
    # a morph, a moult cycle or a plumage before a capitalised name
    ("This appears to be a **light-morph Rough-legged Hawk** hunting over a field.", "Rough-legged Hawk"),
    ("I'd call this a **first-winter Iceland Gull**.", "Iceland Gull"),
    # a praise of the photo opens the answer
    ("Good spot! That's a hummingbird hawk-moth hovering at the flowers.", "hummingbird hawk-moth"),
    # an app's fields under a title line, dotted keys, dot leaders, nutrient cells
    ("✅ Saved to Lunch\nfood: Pad Thai\nserving: 1 plate\ncalories: 650 kcal\nprotein: 24 g", "Pad Thai"),
    ("Log #112\nItem ....... Greek salad\nServing .... 1 bowl\nEst. calories: 310 kcal", "Greek salad"),
    ("Meal: Dinner\nDish: Chicken tikka masala\nPortion: 1 bowl\nCarbs 40 g | Fat 25 g", "Chicken tikka masala"),
    # a common name in brackets after a Latin one that also holds an abbreviation or an alias
    ("I'd ID this as *Argiope aurantia* (yellow garden spider, YGS for short). The web has a zigzag.",
     "yellow garden spider"),
    ("Identified species: Actias luna (luna moth, also called the American moon moth). Pale green wings.",
     "luna moth"),
    # a nationality is no genus: a bold name glossed by a Latin one on its own line still names
    ("The racemes are short and open at once.\n\n**Japanese wisteria** (*Wisteria floribunda*).",
     "Japanese wisteria"),
    # a salad or a stew after a nationality may be a dish's name
    ("This is a Greek salad, with feta, olives and cucumber.", "Greek salad"),
    # an English-name field beside a name in another language; not a translation of a dish (a guard)
    ('{"和名": "シジュウカラ", "英名": "Japanese Tit", "学名": "Parus minor"}', "Japanese Tit"),
    ('{"plat": "Coq au vin", "nom_anglais": "Chicken in wine", "région": "Bourgogne"}', "Coq au vin"),
    # an English gloss of a name's alias, and in square brackets, after a name in another language
    ("Es un **mosquero cardenal** (*Pyrocephalus obscurus*), también llamado pájaro brujo "
     "(en inglés, Vermilion Flycatcher). Vive en zonas abiertas.", "Vermilion Flycatcher"),
    ("Das ist ein **Gimpel** [Eurasian Bullfinch] auf einem Zweig im Garten.", "Eurasian Bullfinch"),
    ],
)
def test_forty_seventh_round_failure_classes(text: str, expected: str | None) -> None:
    """Wording classes met in fresh309 ... fresh320 (own examples): containers in captions, CJK
    and bracket glosses, morphs and moult cycles, praise openers, app fields under a title,
    Latin names glossed with abbreviations, nationalities that are no genus, English-name
    fields."""
    names = parse_answer(text)
    assert (names[0] if names else None) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # CJK: a name taken at first is dropped in its own clause only; "だと思います",
        # "答案是", "综合判断：" give verdicts; nominalised clauses and flocks are no names
        ("最初はハクセキレイかと思いましたが、よく見ると喉が黄色いので、キセキレイだと判断します。"
         "ハクセキレイは顔が白いのが違いです。", "キセキレイ"),
        ("最初はカワラヒワかと思いましたが、羽の色が違います。翼はもっと黄色いはずです。\n\n"
         "この鳥は**マヒワ**だと思います。", "マヒワ"),
        ("池にいるのはカルガモの群れです。", "カルガモ"),
        ("<think>\n这应该是南方的亚种，不过中文名一般还是叫白头鹎。\n</think>\n\n这是一只**白头鹎**。", "白头鹎"),
        ("一开始我以为是黑卷尾，但仔细看尾巴并不分叉。\n\n所以答案是**八哥**。\n\n黑卷尾的尾巴是深叉形的。", "八哥"),
        ("我们来分析一下：\n1. 尾巴很长。\n2. 这是典型的鹊类特征。\n\n综合判断：这是一只**灰喜鹊**。", "灰喜鹊"),
        ("これはアオスジアゲハ（学名：Graphium sarpedon）のオスだと思います。", "アオスジアゲハ"),
        # a first candidate that describes yields to the first that names
        ("The cat is an orange tabby, possibly a Maine Coon.", "Maine Coon"),
        # an English gloss after the name, in another language's words
        ("C'est un rouge-gorge familier (European Robin en anglais), posé sur une branche.", "European Robin"),
        # captioners' verbs; a body style before a name in apposition
        ("The photo captures a bright yellow sunflower against a deep blue sky.", "sunflower"),
        ("a red hatchback, a honda civic", "honda civic"),
        ("The photo shows a stone mortar filled with guacamole, next to a bowl of chips.", "guacamole"),
        # guards: a name after a name-forming adjective, a colour that ends a name
        ("This is a common blue violet (Viola sororia), growing in a lawn.", "common blue violet"),
        ("This is a Small White (Pieris rapae) on lavender.", "Small White"),
        # a bold name its clause negates or sets aside
        ("Not a **Hooded Merganser** or a **Bufflehead** — the long thin red bill and the shaggy crest "
         "make this a female **Red-breasted Merganser**.", "Red-breasted Merganser"),
        ("Rather than a **Downy Woodpecker**, the long bill and the clean white back make this a "
         "**Hairy Woodpecker**.", "Hairy Woodpecker"),
    ],
)
def test_forty_eighth_round_failure_classes(text: str, expected: str | None) -> None:
    """Wording classes met in fresh309 ... fresh324 (own examples): CJK mind changes within a
    sentence, thoughts before a CJK answer, Japanese nominalised clauses, descriptions taken for
    names, English glosses after a name, captioners' verbs, body styles in apposition, what a
    container is filled with."""
    names = parse_answer(text)
    assert (names[0] if names else None) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # toolkit output: a detector's Python dict, a tool call keyed "tool"
        ("{'<OD>': {'bboxes': [[12.0, 40.5, 300.2, 410.0]], 'labels': ['tulip', 'leaf']}}", "tulip"),
        ('{"tool": "record_bird", "arguments": {"species": "Cedar Waxwing", "confidence": 0.9}}',
         "Cedar Waxwing"),
        # CJK: a name field, a refinement after 具体, a quoted Japanese name and its gloss, a gloss
        # after the sentence, a version remark is no verdict, an English field with its category
        ("品种名称：Bengal（孟加拉猫）\n特征：豹纹斑点。", "Bengal"),
        ("这是一只猎犬，具体为英国的比格犬（Beagle），耳朵下垂。", "Beagle"),
        ("この花は「ヤマユリ」です。(Golden-rayed Lily)\n花びらに黄色い筋があるのが特徴です。", "Golden-rayed Lily"),
        ("这是一辆**保时捷911**（Porsche 911），从尾灯来看应该是2019年之后的改款车型。", "Porsche 911"),
        ('{"名称": "向日葵", "英文名": "Sunflower plant"}', "Sunflower"),
        # a remark on the picture before the answer
        ("Nice photo! The pale pink flower with the crinkled, papery petals around a dark centre is an "
         "oriental poppy (*Papaver orientale*).", "oriental poppy"),
        # descriptions before a name: commas, a bracketed aside, a paint before a dated name
        ("It is a big, shaggy, grey Irish Wolfhound lying on a rug.", "Irish Wolfhound"),
        ("This is a male (or possibly female) Northern Cardinal.", "Northern Cardinal"),
        ("The car is a Midnight Blue **2011 Ford Focus** hatchback.", "2011 Ford Focus"),
        # a class of locomotives by its number; kinds of train and ship are no names
        ("Pretty sure that's a class 66 — the one with the sloping cab.", "class 66"),
        ("The image shows a freight train on a bridge, probably a class 66.", "class 66"),
        # a mix that is mostly one breed; a build in bold
        ("## Verdict\n\nIf it's a mix, it's **mostly Beagle**.", "Beagle"),
        ("- **Long-bodied** and low to the ground\n- **Heavy-boned** with big paws\n\n"
         "That combination is a Basset Hound.", "Basset Hound"),
        # a label that opens the answer; a cultivar in the Latin gloss
        ("Evidence: (1) sloped roof; (2) round lamps.\n\n→ Fiat 500 hatchback.", "Fiat 500 hatchback"),
        ("This is a Crimson Queen maple (*Acer palmatum* 'Crimson Queen'), weeping habit.", "Crimson Queen maple"),
        # guards and declines: the setting is no name; no bird seen; a state is no name
        ("The image shows a small grey bird. The background is blurred, but it looks like a park.", None),
        ("I don't see a bird in this picture. It shows an empty nest box on a fence.", None),
        ("The bird is small and brown; the photo was taken outdoors.", None),
        ("A close up of a poppy with a blurry background.", "poppy"),
        ("I'd say this is an Olive-sided.", "Olive-sided"),
        # found by scoring against the datasets' class names: a verdict written as a sentence
        # under a label, a participle phrase or a judgement taken for a name, a nickname or a
        # banding code spelled out after it
        ("**Step 1**: Striped face.\n\n**Conclusion: The flower is a Sweet William.**", "Sweet William"),
        ("### Candidates\n\n- **Iris** – similar falls\n- **Gladiolus** – similar spike\n\n### Conclusion\n\n"
         "The spotted falls are there. That combination is diagnostic.\n\nThis is a **Bearded Iris** "
         "(*Iris germanica*).", "Bearded Iris"),
        ("That's a **Westie**! (West Highland White Terrier)\n\n* White, harsh coat", "West Highland White Terrier"),
        ("Quick ID: **RWBL**, Red-winged Blackbird (*Agelaius phoeniceus*), adult male.", "Red-winged Blackbird"),
        # a compound name written without its hyphen, as the class folders write them; a name
        # nested under a kind, beside how sure the answer is
        ("The bird is a Red bellied Woodpecker.", "Red bellied Woodpecker"),
        ("It is a Chestnut sided Warbler.", "Chestnut sided Warbler"),
        ("The Robin headed North Carolina way.", "Robin"),
        ('{"bird": {"name": "Hermit Thrush", "family": "Turdidae"}, "certainty": "high"}', "Hermit Thrush"),
    ],
)
def test_forty_ninth_round_failure_classes(text: str, expected: str | None) -> None:
    """Wording classes met in fresh325 ... fresh332, and in the worked sets scored against the
    datasets' class names (own examples): detector and tool-call output, CJK name fields,
    refinements, quoted names and late glosses, remarks that open an answer, descriptions before
    a name, locomotive classes, mixes, builds, labels, cultivars in a gloss, the picture's
    setting, verdicts written as sentences under a label, nicknames and codes spelled out."""
    names = parse_answer(text)
    assert (names[0] if names else None) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # lower-case breeds in captions: a size word before, a run-on clause after, three
        # lower-case words after a capitalised one, "a dog of the X breed", a mix of lower-case parents
        ("A tiny pomeranian dog lying on a sofa.", "pomeranian"),
        ("the bird is a cedar waxwing it has a yellow tail tip", "cedar waxwing"),
        ("The dog looks like a basset hound and is sniffing the ground.", "basset hound"),
        ("It is a English springer spaniel.", "English springer spaniel"),
        ("a cat of the russian blue breed. it has green eyes.", "russian blue"),
        ("The puppy seems to be a mix between a beagle and a pug, with a wrinkled face.", "beagle"),
        ("This is a st. bernard puppy.", "st. bernard"),
        # guards: no breed after the size word; what a dog is kept as
        ("A small brown dog sitting on a porch.", None),
        ("A large guard dog standing at a gate.", None),
        # a kind in the first sentence, its member named in a later one, in lower case
        ("The flower is a type of iris. It has a fuzzy beard on the falls. This is a bearded iris.",
         "bearded iris"),
        # a verdict row or heading: "Best match", "Most likely", "Identification" over a bare name
        ("| | |\n|---|---|\n| **Most likely** | Purple coneflower |\n| **Confidence** | High |",
         "Purple coneflower"),
        ("**Identification**\n\nScarlet Tanager (*Piranga olivacea*)\n\n**Why**\n- Red body", "Scarlet Tanager"),
        # an English name in brackets after the name in the answer's language; not a description
        ("Me parece un **perro salchicha** (Dachshund), por el cuerpo largo.", "Dachshund"),
        ("Das ist ein Rotkehlchen (Männchen), sehr schön.", "Rotkehlchen"),
        # a captioner's tag after a comma; a flower visited by an insect named by its kind
        ("A grey cat with orange eyes, Chartreux.", "Chartreux"),
        ("a bumblebee on a dahlia", "dahlia"),
        ("a swallowtail butterfly on a dahlia", "swallowtail"),
        # a kind, then its member in apposition; a nickname spelled out in brackets or after a dash
        ("A close up of a lily flower, madonna lily, with white petals.", "madonna lily"),
        ("Westie (West Highland White Terrier)", "West Highland White Terrier"),
        ("It's a Newfie! (Newfoundland dog)", "Newfoundland"),
        ("**Brittany** (Brittany Spaniel), an athletic gundog.", "Brittany"),
        # a description with commas and a colour pair before a capitalised name
        ("The dog is a large, black and tan Rottweiler. There is a ball next to it.", "Rottweiler"),
        # a captioner's stutter; a genus and its repeated epithet stay
        ("a goldfinch goldfinch on a thistle head", "goldfinch"),
        ("Eastern box turtle, *Terrapene carolina carolina*.", "Eastern box turtle"),
        # two names joined by "or" in a bare answer, by "and" between two names of several words
        ("Birman or Ragdoll", "Birman"),
        ("The likely candidates are Indigo Bunting and Eastern Bluebird. The rusty breast makes it an "
         "Eastern Bluebird.", "Eastern Bluebird"),
        ("It is a Chrysler Town and Country Minivan.", "Chrysler Town and Country Minivan"),
        # a pick outranks the list it was picked from; names in a section of look-alikes after
        # the answer are set apart; "a X-type dog" names a kind
        ('{"candidates": ["Chartreux", "Russian Blue"], "best_guess": "Russian Blue"}', "Russian Blue"),
        ("This is a **Tree Swallow** (*Tachycineta bicolor*).\n\n### Similar species\n"
         "The blue back might suggest a **Barn Swallow**, but it lacks the long tail streamers.",
         "Tree Swallow"),
        ("It is a Japanese spitz-type dog; I'm fairly sure it's a **Shiba Inu**.", "Shiba Inu"),
        # a Latin name with its common name in apposition; a described kind "known as" its member
        ("The shrub is Rosa rugosa, the beach rose, also called the Japanese rose.", "beach rose"),
        ("The image shows a tall blue iris with yellow markings, known as a Siberian iris.", "Siberian iris"),
        ("It is a **windflower** (*Anemone blanda*), also known as Grecian windflower.", "windflower"),
    ],
)
def test_fiftieth_round_failure_classes(text: str, expected: str | None) -> None:
    """Wording classes met in fresh333 ... fresh336, and in the worked sets scored against the
    datasets' class names (own examples): breeds in lower case in captions, a kind then its
    member, verdict rows and headings, English glosses in brackets, captioners' tags, flowers
    visited by insects, nicknames spelled out, descriptions before a name."""
    names = parse_answer(text)
    assert (names[0] if names else None) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # an English gloss in another language: after "en inglés se llama", after a short verb
        # tail ("zu sehen, auf Englisch X"), in a later Japanese sentence, of an alias in Chinese;
        # "English Setter" in brackets is a name, not a label
        ("Es una amapola (*Papaver rhoeas*); en inglés se llama corn poppy.", "corn poppy"),
        ("Im Bild ist ein Gänseblümchen (*Bellis perennis*) zu sehen, auf Englisch daisy.", "daisy"),
        ("この花はヒマワリです。英語では「Sunflower」と呼ばれます。", "Sunflower"),
        ("这是虞美人，又名丽春花（Corn Poppy），常见于田野。", "Corn Poppy"),
        ("这只狗是**爱尔兰雪达犬（Irish Setter）**。", "Irish Setter"),
        # a noun and "flower" or "plant" is one name; a colour before it is dropped, "pink
        # flower" is no name
        ("It is a balloon flower.", "balloon flower"),
        ("a close up of a pink balloon flower in a pot", "balloon flower"),
        ("This is a pink flower.", None),
        # "They're X"; a setting is no subject ("outside what appears to be", "The setting ...")
        ("They're Golden Retrievers, judging by the feathered coats.", "Golden Retriever"),
        ("Two sedans are parked outside what appears to be a fire station. They're Ford Tauruses.",
         "Ford Taurus"),
        ("Dark gull, pink legs. The setting also looks like a harbour pier. **Western Gull** (*Larus "
         "occidentalis*).", "Western Gull"),
        # JSON: the objects' names before the scene; the pick before its differentials
        ('{"scene": "meadow", "objects": [{"name": "flower", "species": "oxeye daisy"}]}', "oxeye daisy"),
        ('{"diagnosis": "Lipoma", "differentials": ["Cyst", "Abscess"]}', "Lipoma"),
        # "X-like traits" names a kind like it; an acronym spelled out in brackets with a Latin
        # name; the words of an acronym inside a name are no gloss
        ("Some **Whippet**-like traits, but the heavier frame says it is a **Greyhound**.", "Greyhound"),
        ("My call: **AMRO** (American Robin, *Turdus migratorius*).", "American Robin"),
        ("Es ist ein **Ford F-150 SVT** (Special Vehicle Team), Baujahr 2012.", "Ford F-150 SVT"),
        # a name "known as" in a later sentence, after a shrub or flower described
        ("The image shows a shrub with grey leaves and yellow button flowers. This plant is known as "
         "cotton lavender (*Santolina chamaecyparissus*).", "cotton lavender"),
        # captions: a name in lower case but for the sentence's capital; "are gaura"; a participle
        # with "together" is no name; a colour with words that describe it is no name
        ("Morning glory flowers climbing a fence.", "morning glory"),
        ("The flowers are lantana.", "lantana"),
        ("The image shows a lantana shrub. The flowers are clustered together in domes.", "lantana shrub"),
        ("The bird is dark sooty brown with a pale bill. The species is the Sooty Shearwater.",
         "Sooty Shearwater"),
        # a plural first name and its singular, as written; a condition is no verdict ("if it is
        # over 18 inches, it's more likely a X"); "If I had to name one, I'd say X" is
        ("Both birds have crests. So these are a pair of **Wood Ducks**; the drake Wood Duck is the "
         "colourful one.", "Wood Duck"),
        ("It is either a **Norfolk Terrier** or a **Norwich Terrier**; the dropped ears lean toward "
         "the Norfolk Terrier. If the ears were erect, it's more likely a Norwich.", "Norfolk Terrier"),
        ("Probably a mix. If I had to name one breed, I'd say Boxer, though 'boxer mix' is fairer.",
         "Boxer"),
        # "to be precise"; "I'd call this a X" revises; a score after a name goes
        ("These are lilies — or, to be precise, stargazer lilies.", "stargazer lily"),
        ("A flat-faced longhaired cat, the classic Persian type, but with blue eyes and seal points "
         "I'd call this a Himalayan.", "Himalayan"),
        ("1. **Least Flycatcher** ≈ 60%\n2. **Alder Flycatcher** ≈ 30%", "Least Flycatcher"),
        # the look-alike to consider; names in a list under "worth ruling out:"; a field mark
        # under "Key features:"; a trait is no verdict
        ("This is a **Blue-winged Warbler**. The other warbler to consider is the **Pine Warbler**, "
         "which lacks the black eye line.", "Blue-winged Warbler"),
        ("The breast streaks meet in a central spot: a **Song Sparrow**.\n\nA few species are worth "
         "ruling out:\n\n- **Fox Sparrow** is larger and redder.", "Song Sparrow"),
        ("Key features:\n1. Black cap\n2. Red iris\n\nThis combination identifies the bird as a "
         "**Red-eyed Vireo**.", "Red-eyed Vireo"),
        ("This appears to be a Ford F-350 Crew Cab. The dual rear wheels are characteristic of the "
         "heavy-duty 350 series.", "Ford F-350 Crew Cab"),
        # a higher group; a range; "Final answer: unknown" after a guess
        ("The bird is a **Louisiana Waterthrush**, actually a member of the New World warbler family.",
         "Louisiana Waterthrush"),
        ("The habitat fits the Gulf Coast region, so it is a Seaside Sparrow.", "Seaside Sparrow"),
        ("They might be waterbirds of some kind, but the specks are too small.\n\nSo, my final "
         "answer is: unknown.", None),
        # Florence-2's task dictionaries and special tokens; counted captions
        ("{'<CAPTION>': 'a basset hound dog lying on a rug'}", "basset hound"),
        ("{'<OD>': {'bboxes': [[3.0, 4.5, 90.2, 80.1]], 'labels': ['dog']}}", None),
        ("</s><s>a samoyed dog standing in the snow</s>", "samoyed"),
        ("Two Wood Ducks dabbling in a pond.", "Wood Duck"),
        ("A flock of Snow Buntings on a beach.", "Snow Bunting"),
        # French: "Sur la photo" opens no name; "Ce sont des"; an English name after a dash
        ("Sur la photo, on voit deux chiens. Ce sont des épagneuls bretons (Brittany).", "Brittany"),
        ("C'est un **Fou de Bassan** (*Morus bassanus*) — Northern Gannet en anglais.", "Northern Gannet"),
        ("It is a Petit Basset Griffon Vendéen (PBGV), a small scent hound.", "Petit Basset Griffon Vendéen"),
        # after fresh345 - fresh348 were opened: a colour after a comma; what a container holds;
        # an alias after a caption; a name and its Latin name in brackets opening the answer; a
        # part that looks like something; a nickname cut short; a cross written with a slash;
        # "Fork tailed" without its hyphen; a decline of which one; a decline of the cultivar only
        ("These are peonies, pink with ruffled petals, in a garden.", "peony"),
        ("The image shows a basket filled with red and white carnations on a table.", "carnation"),
        ("A hellebore, sometimes called a Lenten rose, in the snow.", "hellebore"),
        ("Balloon flower (Platycodon grandiflorus). The buds are inflated like balloons.", "Balloon flower"),
        ("The bird has long wings that look like a falcon's. It is a Common Nighthawk.", "Common Nighthawk"),
        ("Lab. (Labrador Retriever / Labrador.)\n\nOtter tail, broad head.", "Labrador Retriever"),
        ("It's a Chihuahua/Pug cross, judging by the muzzle.", "Chihuahua"),
        ("The bird is a Fork tailed Flycatcher.", "Fork tailed Flycatcher"),
        ("It's a crow for sure, all black with a stout bill. However, I don't think I can tell you "
         "which crow it is.", None),
        ("I can't tell which cultivar this is, but it is a **dahlia**.", "dahlia"),
        ("These are bearded irises.", "bearded iris"),
        ("Not a Maine Coon: the cat is house-cat sized. It's a Norwegian Forest Cat.", "Norwegian Forest Cat"),
        # a later label outranks a one-word bracket; Portuguese "trata-se de um"; a Japanese
        # market or generation is no verdict; a JSON view is no name
        ("Ce sont des jonquilles (Narcissus) dans un vase ; en anglais, daffodils.", "daffodils"),
        ("Trata-se de um ipê-amarelo (Handroanthus albus).", "ipê-amarelo"),
        ("この車はホンダ・フィット（Honda Fit）です。第2世代の北米仕様と判断できます。", "Honda Fit"),
        ('{"vehicle": {"make": "Mazda", "model": "MX-5"}, "color": "red", "view": "rear three-quarter"}',
         "Mazda MX-5"),
    ],
)
def test_fifty_first_round_failure_classes(text: str, expected: str | None) -> None:
    """Wording classes met in fresh337 ... fresh340 and in the worked sets scored against the
    datasets' class names (own examples): English glosses in other languages, a noun and
    "flower", settings, JSON objects, acronyms, captions in sentence case, plurals said in the
    singular too, conditions, corrections, look-alikes to consider, field-mark lists."""
    names = parse_answer(text)
    assert (names[0] if names else None) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # one animal or flower after "a" keeps a last word that only looks plural
        ("a great pyrenees lying in the snow", "great pyrenees"),
        ("The image shows a great pyrenees.", "great pyrenees"),
        ("the image shows a cosmos in a field.", "cosmos"),
        ("pink and white sweet peas", "sweet pea"),  # guard: no article, a plural
        ("the image shows a cluster of dark berries on a branch", None),  # guard: a scene
        # PaliGemma's location and mask tokens before its label
        ("<loc0123><loc0456><loc0789><loc0999> shiba inu", "shiba inu"),
        ("<loc0011><loc0022><loc0333><loc0444><seg012><seg099> Bernese Mountain Dog", "Bernese Mountain Dog"),
        # a repetition loop cut short in its last round
        ("the dog is a beagle the dog is a beagle the dog is a beagle the dog is a", "beagle"),
        ("a pug a pug a pug a p", "pug"),
        # a cross written with "x" in lower case: either breed, the first first
        ("A beagle x basset hound mix, mostly beagle.", "beagle"),
        ("a beagle x basset hound mix", "beagle"),
        ("a brindle x white mix", "brindle x white"),  # guard: colours, no breeds
        ("a beagle or basset hound", "beagle"),
        # a caption's action after "is": where the subject is, not a sentence about it
        ("a blue jay is singing on a branch", "blue jay"),
        ("In the image, a blue jay is singing.", "blue jay"),
        # a caption that says where before what
        ("On a wooden fence post in a field, a male red-winged blackbird is singing.", "red-winged blackbird"),
        ("In the water near some rocks, two horned puffins.", "horned puffin"),
        # a name opening with a compound adjective in "-ed" leads its caption
        ("Black-capped vireo in a shrub", "Black-capped vireo"),
        ("Perched on a branch, a blue jay.", None),  # guard: a participle opens a sentence
        # Dutch: "is" is both languages' word
        ("Dit is een roodvleugeltroepiaal (Red-winged Blackbird).", "Red-winged Blackbird"),
        ("Dit is een Keeshond.", "Keeshond"),
    ],
)
def test_fifty_second_round_failure_classes(text: str, expected: str | None) -> None:
    """Wording classes written for round 52 from the styles its blind sets were commissioned
    in, before any of them was read (own examples): small captioners and pipelines on pets and
    birds, PaliGemma's tokens, repetition loops, crosses, settings before subjects."""
    names = parse_answer(text)
    assert (names[0] if names else None) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a coat that no name opens with, before a lower-case breed; "puppy" and "pup" are kinds
        ("It's a fawn pug with a black mask, curled up on a blanket.", "pug"),
        ("a brown tabby maine coon kitten asleep in a basket", "maine coon"),
        ("a blue merle australian shepherd running on a beach", "australian shepherd"),
        ("This is a golden retriever puppy.", "golden retriever"),
        ("a black lab puppy chewing a stick", "lab"),
        ("The shell is a calico scallop (Argopecten gibbus).", "calico scallop"),  # guard
        ("a wheaten terrier on a porch", "wheaten terrier"),  # guard
        # chat transcripts, PaliGemma's echoed task, Qwen2-VL's glitch token
        ("User:<image>Which breed is this?<end_of_utterance>\nAssistant: It is a Samoyed.<end_of_utterance>", "Samoyed"),
        ("answer en what breed is this cat?\nbombay<eos>", "bombay"),
        ("The cat in the picture is a Bengal.addCriterion Bengals have a spotted coat.", "Bengal"),
        # fields on one line split by semicolons; a field marked as the pick
        ("species=cat; breed=Russian Blue; eyes=green; conf=0.81", "Russian Blue"),
        ('{"guesses": ["Pomeranian", "Keeshond"], "final_breed": "Keeshond", "confidence": 0.6}', "Keeshond"),
        ('{"pets": [{"breed": "Pug"}, {"breed": "Beagle"}], "primary_breed": "Beagle"}', "Beagle"),
        # copulas and glosses in Polish, Dutch, Turkish and Spanish
        ("Na zdjęciu widać psa rasy beagle. Ma długie uszy.", "beagle"),
        ("Op de foto staat een Keeshond. Het is een pluizige hond.", "Keeshond"),
        ("Dit is een **Pestvogel** (*Bombycilla garrulus*; Engels: Bohemian Waxwing).", "Bohemian Waxwing"),
        ("Bu kedi bir Ragdoll'dur. Mavi gözleri var.", "Ragdoll"),
        ("Es una **flor de nieve** (*Leucanthemum*). En inglés se le conoce como **oxeye daisy**.", "oxeye daisy"),
        # a Latin name of a hybrid after the common name it makes precise
        ("These look like lenten rose — most likely Helleborus × hybridus.", "lenten rose"),
        # a name exclaimed and glossed in Latin opens the answer
        ("Foxglove! (*Digitalis purpurea*) — those spotted bells are unmistakable, like little thimbles.", "Foxglove"),
        ("Beautiful bloom! That is a peony.", "peony"),  # guard: a remark
        # a bird perched on a flower stalk is the caption's subject
        ("Hooded oriole perched on an agave flower stalk at dusk.", "Hooded oriole"),
        # CJK: a bold name before the word that says what it is; a table of fields
        ("이 새는 **붉은배오색딱따구리**(Red-bellied Woodpecker) 암컷입니다.", "Red-bellied Woodpecker"),
        ("| 项目 | 内容 |\n|---|---|\n| 中文名 | 雪松太平鸟 |\n| 英文名 | Cedar Waxwing |", "Cedar Waxwing"),
    ],
)
def test_fifty_second_round_opened_failure_classes(text: str, expected: str | None) -> None:
    """Wording classes of fresh349 ... fresh352, opened after they were scored (own examples):
    coats and puppies, chat transcripts, fields on one line and picks, other languages, hybrid
    Latin names, exclaimed names, perches, bold CJK names and tables."""
    names = parse_answer(text)
    assert (names[0] if names else None) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # what a scene holds: a container filled with it, a bed or wall with it, a hand holding it
        ("The image shows a basket filled with white daisies.", "daisy"),
        ("The image depicts a sunny border with many tall foxgloves. Bees visit the flowers.", "foxglove"),
        ("The image shows a stone wall covered with clematis, with a gate on the right.", "clematis"),
        ("The image shows a green leaf with several small brown spots scattered across it.", None),  # guard
        ("The image shows a man with a beard.", None),  # guard: a person holds nothing here
        ("The image shows a garden bed with several clumps of oxeye daisies in bloom.", "oxeye daisy"),
        # a lower-case name glossed in Latin after a long subject
        ("The tall yellow flowers along the path are wallflowers (Erysimum cheiri).", "wallflower"),
        # a name set aside, then stated in lower case
        ("At first it might look like a House Finch, but the streaks are crisp. This is a purple finch.",
         "purple finch"),
        # "both appear to be", an interjection before an exclaimed name
        ("The picture shows two cats on a sofa. Both appear to be ragdolls.", "ragdoll"),
        ("Two of them stand out; both are ducks. It is a Gadwall.", "Gadwall"),  # guard
        ("Yep, a Maine Coon! Huge paws and ear tufts.", "Maine Coon"),
        ("A Maine Coon! Huge paws.", "Maine Coon"),
        # scored predictions as a YAML list, the best first
        ("predictions:\n  - label: Honda Civic\n    confidence: 0.31\n  - label: Honda Accord\n    confidence: 0.58",
         "Honda Accord"),
        # "Series" is no plural; Florence-2's padding; CJK full stops end a name
        ("Possible candidates: Ford E-Series, Chevrolet Express.", "Ford E-Series"),
        ("<pad><s>a photo of a Volvo C30 parked on a street</s><pad>", "Volvo C30"),
        ("这是一只Border Collie。", "Border Collie"),
        ("この車はスズキ SX4 のハッチバックです。2012年式と思われます。", None),  # no name but a sentence
    ],
)
def test_fifty_second_round_second_opened_failure_classes(text: str, expected: str | None) -> None:
    """Wording classes of fresh353 ... fresh356, opened after they were scored (own examples):
    scenes and what they hold, Latin-glossed plurals, names set aside and then stated, group
    subjects, interjections, YAML lists of predictions, CJK punctuation."""
    names = parse_answer(text)
    assert (names[0] if names else None) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # an English gloss after a connective, a species word or in guillemets, in other languages
        ("Ini adalah **Cangak Abu** (*Ardea cinerea*), atau dalam bahasa Inggris disebut **Grey Heron**.",
         "Grey Heron"),
        ("Trata-se de um **pica-pau-verde** (*Picus viridis*), espécie conhecida em inglês como **Green Woodpecker**.",
         "Green Woodpecker"),
        ("C'est une **pivoine** (*Paeonia lactiflora*), en anglais « Chinese peony ».\n\nElle fleurit en mai.",
         "Chinese peony"),
        ("Ce lys est une **fleur de lotus**, known in English as the **Sacred Lotus**.", "Sacred Lotus"),  # guard
        ("Đây là **Sáo nâu** (tên tiếng Anh: *Common Myna*, tên khoa học: *Acridotheres tristis*).", "Common Myna"),
        # a bird's sex and a first guess in other languages; a copula in Portuguese and Russian
        ("O pássaro é uma fêmea de **pardal** (*Passer domesticus*) comendo sementes no chão.", "pardal"),
        ("Au premier abord j'ai pensé à une **mésange**, mais c'est une **sittelle** (*Sitta europaea*).", "sittelle"),
        ("На изображении представлен **Volvo XC90** первого поколения.", "Volvo XC90"),
        ("Burung ini adalah **burung Kenari** yang sedang bertengger di dahan.", "Kenari"),
        ("Es una **flor de lis** muy antigua y que se cultiva en el jardín.", "flor de lis"),  # guard
        # Japanese names with Latin letters and spaces, glossed in English
        ("この車は**ホンダ CR-V ハイブリッド**（Honda CR-V Hybrid）です。年式は2013年頃でしょう。", "Honda CR-V Hybrid"),
        # captions: a scene that holds the bird, where it sits, names ending in -ing
        ("a wooden fence post with a song sparrow on it", "song sparrow"),
        ("a garden feeder with two house finches", "house finch"),
        ("reed bunting on a cattail", "reed bunting"),
        ("white-throated sparrow on forest floor", "white-throated sparrow"),
        ("Mycena galericulata, pale caps on rotting wood.", "Mycena galericulata"),  # guard
        # a point tag names what it counts; a plural glossed by its size; a posture; a description
        ('Counting the <points x1="10.0" y1="20.0" x2="30.5" y2="40.2" alt="tree swallows">tree swallows</points> '
         "shows a total of 2.", "tree swallows"),
        ("Looking at the beach, they appear to be sanderlings, small pale shorebirds chasing the waves.", "sanderling"),
        ("Judging by the way it is oriented tail-down on the trunk, this is a Downy Woodpecker.", "Downy Woodpecker"),
        ("A pair of Gadwalls, drake and hen, dabbling on a pond. The hen is mottled brownish-grey.", "Gadwall"),
        ("Both dogs seem to be whippets, though the left one is stockier.", "whippet"),
        ("Oh my goodness, a Bernese Mountain Dog! That tricolor coat is unmistakable.", "Bernese Mountain Dog"),
    ],
)
def test_fifty_third_round_opened_failure_classes(text: str, expected: str | None) -> None:
    """Wording classes of fresh357 ... fresh360, opened after they were scored twice (own
    examples): English glosses and copulas in other languages, CJK names with spaces, captions
    of a scene that holds the subject, point tags, size-led glosses, postures, interjections."""
    names = parse_answer(text)
    assert (names[0] if names else None) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # English glosses: French "appelé en anglais", a second gloss joined by the answer's "or"
        ("Il s'agit d'un **Merle noir** (*Turdus merula*), appelé en anglais *Common Blackbird*. Il chante le soir.",
         "Common Blackbird"),
        ("È un fiordaliso (Centaurea cyanus), noto in inglese come cornflower o bachelor's button. Cresce nei campi.",
         "cornflower"),
        ("Das ist ein Gimpel (Eurasian Bullfinch, *Pyrrhula pyrrhula*), vermutlich ein Weibchen mit grauem Rücken.",
         "Eurasian Bullfinch"),
        ("A ave parece ser um **Blue Jay** (Gaio de Crista Azul). Ele é comum nos parques.", "Blue Jay"),
        ("Das ist ein **Rotkehlchen** (European Robin). Es sitzt auf dem Zaun.", "European Robin"),  # guard
        ("Dit is waarschijnlijk een **Grote bonte specht** (Great Spotted Woodpecker). Let op de rode onderstaart.",
         "Great Spotted Woodpecker"),
        ("D'après la photo, c'est une Mésange bleue : calotte bleue, joues blanches et ventre jaune.",
         "Mésange bleue"),
        # structured outputs: semicolons, a Python call with a candidate list, open-vocabulary boxes
        ("common_name;latin_name;score\nCedar Waxwing;Bombycilla cedrorum;0.91", "Cedar Waxwing"),
        ('```\nidentify_flower(\n    label="Canterbury Bells",\n    top_k=[("Canterbury Bells", 0.7), '
         '("Bellflower", 0.2)],\n)\n```', "Canterbury Bells"),
        ("{'<OPEN_VOCABULARY_DETECTION>': {'bboxes': [[1.0, 2.0, 3.0, 4.0]], 'bboxes_labels': ['sea holly'], "
         "'polygons': [], 'polygons_labels': []}}", "sea holly"),
        # Chinese and Korean: a class label, an English label with no copula, names with spaces,
        # "-하지만" inside a verb, category words, a bold name that holds the verdict
        ("类别：蒲公英\n英文名：common dandelion\n置信度：0.9", "common dandelion"),
        ("이 꽃은 매발톱의 일종으로, 영어로는 columbine이라고 부릅니다. 봄에 핍니다.", "columbine"),
        ("사진 속 개는 **시베리안 허스키**로 보입니다.", "시베리안 허스키"),
        ("사진 속 새는 **파랑새**(Eastern Bluebird)입니다. 추위에 강하지만 먹이를 찾아 이동해요. 꼬리가 특징이에요.",
         "Eastern Bluebird"),
        ("이 고양이는 **샴**이에요! 털이 짧은 걸 보면 어린 고양이일 가능성이 높아요.", "샴"),
        ("이 차량은 **기아 쏘렌토** 세단으로 보입니다.", "기아 쏘렌토"),
        ("これは**キキョウ**（桔梗、Balloon Flower）の花です。よく似たリンドウ（Gentian）とは違います。", "Balloon Flower"),
        # a part that "there is"; a labelled answer taken back in the next paragraph
        ("The head is a spiky blue dome, and there is a large spiny bract beneath it. This is a **sea holly**.",
         "sea holly"),
        ("there is a red fiat 500 parked outside the bakery", "fiat 500"),  # guard
        ("**Answer:** Great Egret\n\nWait — the black legs and yellow feet point instead to a **Snowy Egret**.",
         "Snowy Egret"),
        ("Answer: Great Egret\n\nThe neck is long and the bill is yellow.", "Great Egret"),  # guard
        # a long reasoning tag beside the fields; a negated Spanish copula; "whose" ends a name
        ("<reasoning>" + "The rear door is hidden in the C-pillar and the roof slopes into a wide glass hatch. " * 6
         + "</reasoning>\n<make>Hyundai</make>\n<model>Veloster</model>\n<year>2012</year>", "Hyundai Veloster 2012"),
        ("Es un **Ford Ranger** de cabina extendida.\n\nNo es un Ford F-150: la caja es más corta.", "Ford Ranger"),
        ("This is a peony whose petals are pale pink and very ruffled.", "peony"),
    ],
)
def test_fifty_third_round_second_opened_failure_classes(text: str, expected: str | None) -> None:
    """Wording classes of fresh361 ... fresh364, opened after they were scored at first contact
    and on the rules from fresh357 ... fresh360 (own examples): English glosses and hedged
    copulas in other languages, semicolon tables, Python calls, detection boxes, Chinese and
    Korean labels and names, parts, a labelled answer taken back."""
    names = parse_answer(text)
    assert (names[0] if names else None) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Polish "X na zdjęciu to", a foreign answer after English thoughts, a plain Latin name
        # after the English gloss in brackets
        ("Kwiat na zdjęciu to zawilec gajowy (Anemone nemorosa). Rośnie w lasach liściastych.", "zawilec gajowy"),
        ("<think>The user wrote in Polish. Red face, black cap, yellow wing bar: a goldfinch. Answer in "
         "Polish.</think>Na zdjęciu jest szczygieł (Carduelis carduelis). Ma czerwoną maskę.", "szczygieł"),
        ("Resimdeki kuş bir Kızılgerdan (European Robin, Erithacus rubecula). Göğsü turuncu renklidir ve bahçelerde "
         "sık görülür.", "European Robin"),
        # the sex or age of the birds, in the plural, is no name; a choice asked, then answered
        ("The image shows ducks on a lake. There are several females with mottled brown plumage.", None),
        ("Husky or Malamute? I'd say Malamute, given the size and the bushy plumed tail.", "Malamute"),
        ("Great Pyrenees? Possibly a Kuvasz.", "Great Pyrenees"),  # guard: a name asked about, then a hedge
        # Korean: names ending in "-로", "보입니다" is no copula of a name "보", a car's body or
        # generation alone is no verdict, a bold name glossed in its brackets
        ("이 차는 쉐보레 콜로라도입니다.", "쉐보레 콜로라도"),
        ("사진 속 개는 **비글**로 보입니다.", "비글"),
        ("사진 속 자동차는 도요타 프리우스(Toyota Prius) 해치백입니다.", "Toyota Prius"),
        ("이 차량은 **기아 오피러스(Kia Amanti)** 2세대 모델로 보입니다.", "Kia Amanti"),
    ],
)
def test_fifty_third_round_third_opened_failure_classes(text: str, expected: str | None) -> None:
    """Wording classes of fresh365 ... fresh368, opened after they were scored at first contact
    and on the round's first rules (own examples): Polish and Turkish copulas and glosses,
    foreign answers after English thoughts, sex words in the plural, a choice asked, Korean
    names, bodies and glossed bold names."""
    names = parse_answer(text)
    assert (names[0] if names else None) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a hedge in a final answer after the year; a bold Korean name with a hyphen and its Latin
        # name in brackets; a Korean verdict "로 보는 것이 맞습니다" and "X의 특징" (a trait of X)
        ("**Final answer:** Honda Civic Coupe, 2011 (possibly a Honda Accord Coupe)", "Honda Civic Coupe"),
        ("이 새는 **Black-capped Chickadee**(*Poecile atricapillus*)입니다.\n\n머리는 검은색이고 뺨은 하얗습니다. "
         "비슷한 Carolina Chickadee는 날개 깃 가장자리가 덜 하얗고 크기가 조금 더 작습니다.", "Black-capped Chickadee"),
        ("이 새는 **Black-capped Chickadee**(*Poecile atricapillus*)입니다.\n\n비슷한 Carolina Chickadee는 "
         "날개 깃 가장자리가 덜 하얗습니다.", "Black-capped Chickadee"),  # more English than Korean
        ("처음에는 박새라고 생각했습니다.\n\n따라서 이 새는 **쇠박새(Marsh Tit)**로 보는 것이 맞습니다. "
         "검은 턱받이가 작은 것도 쇠박새의 특징입니다.", "Marsh Tit"),
        # German: the English gloss after a few words and a dash; a look-alike's gloss at the end
        # is no answer; "genauer ein" refines and the verdict's gloss is read where it is written
        ("Zu sehen ist ein **Eisvogel** (*Alcedo atthis*) am Bach – auf Englisch *Common Kingfisher*.\n\n"
         "Der ähnliche **Zwergfischer** (African Pygmy Kingfisher) ist viel kleiner.", "Common Kingfisher"),
        ("Vermutlich eine Meise, genauer eine Blaumeise oder eine Kohlmeise. Die blaue Kappe spricht für die "
         "**Blaumeise** (Blue Tit).", "Blue Tit"),  # guard: once read from the closing colon
        # a Polish verdict "widoczny jest" under a label, its gloss in low-high quotes
        ("**Wniosek:** Na zdjęciu widoczny jest mak polny (*Papaver rhoeas*), po angielsku „corn poppy”.",
         "corn poppy"),
        # a caption's gerund with "to"; "The duck is a X" after "features a duck"
        ("A brown creeper clinging to the bark of an oak.", "brown creeper"),
        ("The image features a duck swimming on a pond. It has a white wing patch and a fan-shaped crest. "
         "The duck is a hooded merganser.", "hooded merganser"),
        # the closing sentence about look-alikes names none of the answer's
        ("This is a **tiger lily** (*Lilium lancifolium*).\n\nThe closest look-alikes are *Lilium henryi* "
         "(pale orange) and *L. davidii* (smaller).", "tiger lily"),
        # a final answer's whole name before its Latin one or a dash and a binomial
        ("**Answer:** Prince of Wales feathers (*Amaranthus cruentus*), a red amaranth grown for its plumes.",
         "Prince of Wales feathers"),
        ("**Answer:** lisianthus — *Eustoma grandiflorum*, also called prairie gentian.", "lisianthus"),
        # an unfenced call with keyword arguments; nested YAML with its decision after the list
        ('record_breed(species="cat", breed="Russian Blue", confidence=0.7)', "Russian Blue"),
        ("output:\n  species: dog\n  candidates:\n    - breed: Boxer\n      score: 0.52\n    - breed: American "
         "Bulldog\n      score: 0.31\n  decision: American Bulldog   # overrides the top score\n",
         "American Bulldog"),
        # how the one pictured looks opens no name (a size may: "little grebe")
        ("a cute beagle puppy", "beagle"),
        ("The image shows a little grebe (*Tachybaptus ruficollis*) on a pond.", "little grebe"),
        # a trim, a facelift and an "-only" part are versions of the name, not the name
        ("Combined with the grille, I'm fairly confident this is a **Ford Mustang**. The smaller wheels suggest a "
         "V6 trim, and the 2010 facelift nose dates it to the final model year.", "Ford Mustang"),  # guard
        ("Probably a Dodge Challenger SRT8 (2010) rather than the R/T: the hood scoop and the Brembo calipers "
         "are SRT8-only. Year range 2008–2010.", "Dodge Challenger SRT8"),
        # a size is no name; a lower-case name glossed by a binomial after a comma
        ("It's a tall plant, maybe two meters high.\n\nSo this is hollyhock, Alcea rosea. Let me also check whether "
         "it could be a mallow or a", "hollyhock"),
    ],
)
def test_fifty_fourth_round_opened_failure_classes(text: str, expected: str | None) -> None:
    """Wording classes of fresh369 ... fresh372, opened after they were scored at first contact
    and on round 53's rules (own examples): Korean names with hyphens and verdicts, German and
    Polish glosses and refinements, captions, closing sentences on look-alikes, final answers,
    calls and nested YAML, portrait words, versions of a car's name, sizes."""
    names = parse_answer(text)
    assert (names[0] if names else None) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("```yaml\nbird:\n  common_name: Snow Bunting\n  scientific_name: Plectrophenax nivalis\n  confidence: 0.81\n"
         "  alternates:\n    - name: Lapland Longspur\n      confidence: 0.12\nnotes: >\n  Big white wing patches;\n"
         "  a longspur shows a rufous nape.\n```", "Snow Bunting"),
        ('{"function": "label_vehicle", "parameters": {"make_model": "Audi R8 Spyder", "body": "Convertible", '
         '"year": 2012}}', "Audi R8 Spyder"),
        ("The flower in this photo is a foxglove, specifically a Digitalis purpurea. The tubular flowers are spotted "
         "inside.", "foxglove"),
        ("So the answer is hellebore, probably Helleborus niger. Let me check the leaves again: leathery.", "hellebore"),
        ("The plant is a cactus, specifically a Christmas cactus: flat, segmented stems.", "Christmas cactus"),
        ("There is a mute swan in this image. It is gliding across a lake.", "mute swan"),
        ("There are five herring gulls in this photo. They are standing on a pier.", "herring gull"),
        ("The photo shows a pod of dolphins. There are six dolphins visible. They look like common bottlenose "
         "dolphins.", "common bottlenose dolphin"),
        ("It's one of the third-gen Honda Pilots (2016–2022), likely a 2017 by the bumper.", "Honda Pilot"),
        ("This is one of the *Empidonax* flycatchers. Candidates:\n\n* **Least Flycatcher** – bold eye-ring\n"
         "* **Willow Flycatcher** – faint eye-ring\n\nOn the crisp eye-ring, I'd go with Least Flycatcher.",
         "Least Flycatcher"),
        ("My immediate reaction is Tree Swallow, because of the blue back.\n\nBut hold on: the throat is rusty and the "
         "tail deeply forked.\n\nI was wrong initially. It's a Barn Swallow (Hirundo rustica).", "Barn Swallow"),
        ("lol that's a honda element, nobody else makes a box like that.", "honda element"),
        ("Sea holly! *Eryngium planum*. The steel-blue, spiny bracts give it away.", "Sea holly"),
        ("Fluffy cloud alert. That's a Samoyed: white double coat and the famous smile.", "Samoyed"),
        ("Ha, a Mazda Miata! Early '90s, probably a 1991 by the pop-up lights.", "Mazda Miata"),
        ("The cat in the photo is a **brown marbled Bengal**, with a glittered coat.", "Bengal"),
        ("This image shows a flock of **Cedar Waxwings** (*Bombycilla cedrorum*) eating berries.", "Cedar Waxwing"),
        ("Aww, these are two fawn pugs huddled together on a rug!", "pug"),
        ("Although it might at first look like a Field Sparrow, the face pattern tips the balance. The bird shows a "
         "grey nape. That combination is diagnostic of the **Clay-colored Sparrow** (*Spizella pallida*).",
         "Clay-colored Sparrow"),
        ("I'm fairly sure this is Nigella damascena — love-in-a-mist. The mist is the feathery foliage.",
         "love-in-a-mist"),
        ("Burung dalam foto ini tampaknya adalah Black-throated Blue Warbler (Setophaga caerulescens) jantan.",
         "Black-throated Blue Warbler"),
    ],
)
def test_fifty_seventh_round_opened_failure_classes(text: str, expected: str | None) -> None:
    """Wording classes of fresh373 ... fresh380, opened after they were scored at first contact
    and on round 54's last rules (own examples): YAML with a folded block, a call's
    "function" key, a lower-case name before its binomial after "specifically" or "probably",
    counts up to ten and "in this image", "one of the" before a plural model, a first guess
    taken back, chatty openers, coat patterns, collective nouns, a participle with "together",
    a concession answered in a later sentence, a binomial glossed after a dash, Indonesian."""
    names = parse_answer(text)
    assert (names[0] if names else None) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("*Kniphofia uvaria* — a South African lily relative. Tall spikes of orange and yellow tubes.",
         "Kniphofia uvaria"),
        ("This is a **Western Grebe or possibly a Clark's Grebe**.\n\nThe black cap reaches below the eye, which "
         "favors Western.", "Western Grebe"),
        ("*Notes: small warbler, yellow throat, black mask. Textbook male COYE.*\n\nFinal ID: **COYE — Common "
         "Yellowthroat** (*Geothlypis trichas*), adult male.", "Common Yellowthroat"),
        ("This one is straightforward. A black cap and bib with white cheeks — that's a Black-capped Chickadee "
         "(*Poecile atricapillus*).", "Black-capped Chickadee"),
        ("Not a Pug. The muzzle is longer, and the build is heavier with a deeper chest. The tuxedo markings fit "
         "a Boston Terrier.", "Boston Terrier"),
        ("Although it might at first look like a water lily, it is actually a sacred lotus (Nelumbo nucifera). "
         "The leaves stand above the water.\n\nThe lotus is known as \"kamal\" in Hindi.", "sacred lotus"),
        ("This is a poinsettia. The red \"petals\" you see are actually coloured leaves called bracts.",
         "poinsettia"),
        ("The dog appears to be a schipperke, a Belgian spitz breed. It has a black coat and a fox-like face.",
         "schipperke"),
        ("This is a **2015+ Ford Mustang** (sixth generation) in race red.", "Ford Mustang"),
        ("The dog is most likely a **Siberian Husky**.\n\n**Look-alikes:**\n\n| Breed | Why it's less likely |\n"
         "|---|---|\n| Alaskan Malamute | Usually larger, with a heavier head |\n| Seppala | Rarer, finer |\n\n"
         "The blue eyes point to a Husky.", "Siberian Husky"),
        ("| Breed | Beagle |\n| Coat | Tricolour |\n| Ears | Long, low-set |", "Beagle"),
        ("**Answer:** a traditional (apple-head) **Siamese**, blue point.", "Siamese"),
        # a genus, then "commonly known as" its common name
        ("The flower in the photo is a **Kniphofia**, commonly known as **red hot poker**. Tall spikes of "
         "orange tubes.", "red hot poker"),
    ],
)
def test_fifty_seventh_round_second_opened_failure_classes(text: str, expected: str | None) -> None:
    """Wording classes of fresh381 ... fresh388 (English answers in the manners of issue 9's
    files), opened after they were scored at first contact and on the round's first rules (own
    examples): a description after a dash, a hedge inside a bold span, a banding code, judging
    and comparing words, a name in another language, scare-quoted parts, a kind in apposition,
    "2015+", look-alike tables and tables without a header, a breed's type, a genus "commonly
    known as" its common name."""
    names = parse_answer(text)
    assert (names[0] if names else None) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a name opened by an initial, spelled out in brackets
        ("That's a W. Tanager (Western Tanager, *Piranga ludoviciana*): yellow body, red face.",
         "Western Tanager"),
        # three words of description before a capitalised breed
        ("The cat on the sofa is a large grey and white Maine Coon. It has tufted ears.", "Maine Coon"),
        # a lower-case breed after "you've got"
        ("Look at those ears! I think you've got a border terrier (or something close to one).",
         "border terrier"),
        # a summing-up verdict after a bold part in lower case
        ("There is a long **plume** over the back.\n\nAll of this shows that the dog is a **Saluki**, an old "
         "sighthound breed.", "Saluki"),
        # a nickname, "also known as" its full name
        ("The puppy is a Westie, also known as a West Highland White Terrier.", "West Highland White Terrier"),
        # reasoning that closes on "so final:" or "the answer should be"
        ("<think>Square body, three-bar grille. So final: 2011 Ford Ranger SuperCab.</think>",
         "2011 Ford Ranger SuperCab"),
        ("The grille has the big vents of the SS, so the answer should be Chevrolet Camaro SS 2010.\n\n"
         "But wait, I should check whether it could be an earlier car with the older lights.",
         "Chevrolet Camaro SS 2010"),
        # a bold title with its year, then arrows that pick the make
        ("**2008 Toyota Tundra CrewMax**\n\nHow I got there:\n1. **Make:** Big badge on the grille → Toyota.\n"
         "2. **Model:** Full-size pickup → Tundra.", "2008 Toyota Tundra CrewMax"),
        # "is my estimate" names no class
        ("**Year:** the early grille puts it at 2004; **2004** is my estimate.", None),
        # "my money's on", "I'm going X", a first guess "I wanted to say"
        ("Grey coat, green eyes: my money's on a Russian Blue. Could also just be a grey moggy.", "Russian Blue"),
        ("A colourpoint cat, so Siamese or Balinese; the long plumed tail decides it. I'm going Balinese.",
         "Balinese"),
        ("I wanted to say Akita. But it is far too small and light. That's a Shiba Inu.", "Shiba Inu"),
        # a nickname people use for the breed is no verdict
        # a patterned part in bold lower case
        ("What a cat! This looks like a **silver Bengal**.\n\nThe giveaway is the **spotted coat** — two-toned "
         "rosettes everywhere.", "Bengal"),
        # kinds counted, none named
        ("This is a clematis. There are hundreds of large-flowered clematis, and many share the barred sepals.",
         "clematis"),
        # a Latin name, then a lower-case name set off by commas
        ("This is Sitta carolinensis, a white-breasted nuthatch, creeping head-first down the trunk.",
         "white-breasted nuthatch"),
        # the bold line after a reasoning model's thoughts, with its year, and a make and model after it
        ("<think>Blue oval on the grille, so Ford. A big, long SUV.</think>\n\n**2010 Ford Expedition EL**\n\n"
         "1. Blue oval on a chrome grille → Ford Expedition, third generation.\n2. Long rear overhang → EL.",
         "2010 Ford Expedition EL"),
        # a word before the breed that the answer says names no kind of its own
        ("Merle Dachshund. \"Merle\" is just a coat pattern, not a different breed. Long body, short legs.",
         "Dachshund"),
        ("Micro Pomeranian, or so the seller says. There's no such thing as a \"micro\" breed; it's a small "
         "dog with a fox face.", "Pomeranian"),
        # what was done to the brand is no name
        ("The badge says Plymouth. Since the brand was discontinued after 2001, the best estimate is a **2000 "
         "Plymouth Neon**.", "2000 Plymouth Neon"),
    ],
)
def test_fifty_eighth_round_opened_failure_classes(text: str, expected: str | None) -> None:
    """Wording classes of fresh389 ... fresh393 (held out through round 57) and of half of the
    blind wave fresh394 ... fresh401 (fresh394, 397, 398, 400; the other half held out to the
    round's end), own examples: an initial that opens a name, several words of description
    before a breed, "you've got a", a verdict that sums up ("these ears indicate that"),
    "also known as" after a nickname, "so final:", "the answer should be", a bold title with
    its year, possessive phrases, "my money's on", "I'm going X", "I wanted to say", a name
    people call the breed, patterned parts, "hundreds of X", a Latin name then a lower-case one
    set off by commas, the bold line after a reasoning model's thoughts, a word before a breed
    that the answer says is just a colour, what was done to a brand."""
    names = parse_answer(text)
    assert (names[0] if names else None) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a part likened in passing ("like a heap of X"), then what the subject is
        ("Tiny cobalt bells crowd the top of a short stalk, like a heap of blueberries. This is grape "
         "hyacinth (Muscari botryoides).", "grape hyacinth"),
        # a bold opening line is no list item, so a cultivar it cannot name declines nothing
        ("**Siberian iris** (*Iris sibirica*)\n\nNarrow grassy leaves and beardless falls.\n\nThere are "
         "dozens of garden forms; I can't tell which cultivar this one is.", "Siberian iris"),
        # a list of candidates, then a plural verdict under a "Decision" heading
        ("- American Eskimo Dog – smaller, finer muzzle.\n- Samoyed – robust, smiling.\n- Great Pyrenees – "
         "much larger.\n\n**Step 4. Decision.** Both puppies are Samoyeds.", "Samoyed"),
        ("- Keeshond: grey and black coat.\n- Samoyed: white, smiling.\n\n**Decision:** Samoyed", "Samoyed"),
        # a doubt put as a question that the cut-off never answers
        ("Looks like a Cornish Rex: wavy coat, big ears. So the answer is Cornish Rex.\n\nWait, could it be a "
         "Devon Rex in a sparse coat? Devons have a pixie face and the coat is", "Cornish Rex"),
        # the common name after a Latin name in a final answer, by a dash or in brackets
        ("**Final answer:** *Clivia miniata* — bush lily, also called Natal lily or Kaffir lily.", "bush lily"),
        ("**Identification:** *Anemone nemorosa* — confidence about 70%.", "Anemone nemorosa"),
        # "So the answer is:" with the name on the line below it, glossed by a name sharing its noun
        ("Big daisy on a bare stem, so it could be a Gerbera.\n\nSo the final answer is:\n\n**Transvaal "
         "daisy**, also called Barberton daisy (*Gerbera jamesonii*).", "Transvaal daisy"),
        # a relative set aside in brackets by an abbreviated Latin name is no gloss of the answer
        ("Daisy-like heads: *Cosmos* or *Coreopsis*. Feathery leaves and eight pink rays fit *Cosmos "
         "bipinnatus*. Sulphur cosmos (*C. sulphureus*) is orange, so no.\n\n**Answer:** **Cosmos** (*Cosmos bipinnatus*), also called Mexican aster.", "Cosmos"),
        # marks summed up with plus signs after a "Conclusion" label; the name follows
        ("**Conclusion:** Woody stem + pink saucer flowers + notched petals.\n\nThe plant is a **Tree mallow** "
         "(*Malva arborea*).", "Tree mallow"),
        # a group of the plant after "most likely a ... type"
        ("This is a **camellia** (genus *Camellia*), most likely a Higo formal double type.", "camellia"),
        # two model years with articles, one model
        ("The truck is either a 2009 or a 2010 Dodge Ram 2500 Mega Cab.", "Dodge Ram 2500 Mega Cab"),
        # "I'd file it under", "I'd file it as": the answer's own filing
        ("Big white water dog on a jetty. **Labrador Retriever**? No, too much coat. I'd file it under "
         "Newfoundland rather than the Landseer.\n\n**Look-alikes:**\n- A **Great Pyrenees** is paler.",
         "Newfoundland"),
        ("It is a Chevy Tahoe, first generation. It has two doors, so I'd file it as a 1996 Chevy Tahoe "
         "SUV.", "1996 Chevy Tahoe SUV"),
        # a closing "So, X (Latin), ..." without a verb
        ("Orange head, black bib, black back.\n\nHmm, could it be a Bullock's Oriole? No eye-line.\n\n"
         "So, Altamira Oriole (Icterus gularis), adult.", "Altamira Oriole"),
        # the answer after closed thoughts cut mid-word by the token limit
        ("<think>Sticky leaves, trumpet flowers. So final answer: calibrachoa.</think>\n\n**Answer: Cal",
         "calibrachoa"),
        ("<think>Slender, forked tail, rusty throat. The answer is Barn Swallow.</think>\n\nThe bird is a "
         "**Barn Swa", "Barn Swallow"),
        ("<think>Could be a phoebe or a pewee; nothing diagnostic.</think>\n\nunknown", None),
        # thoughts cut off after they settled on a name
        ("<think>Yellow wing patch, black throat. I'm settling on Golden-winged Warbler.\n\nHmm, a faint "
         "yellow wash might hint at a Blue-winged cross, but the lighting could", "Golden-winged Warbler"),
        # a breed exclaimed in capitals opens the answer
        ("Samoyed! That grin and the silver-tipped coat. People call it the \"Sammy smile\", and this one "
         "is beaming.", "Samoyed"),
        # "rather than" between features, not names
        ("Oh, what a cat! It's an **Ocicat**.\n\nYou might also see **Bengal** cats suggested for spotted "
         "cats, but Bengals have rosettes rather than solid spots.", "Ocicat"),
        # a hypothesis on a badge is no verdict
        ("Classic! That's a 1996 Plymouth Voyager — the Plymouth twin of the Dodge Caravan. If it had a Dodge "
         "badge, it'd be a Caravan; the Plymouth logo settles it.", "1996 Plymouth Voyager"),
        # a bold phrase with a comma describes a part
        ("The **long, low bonnet** is the giveaway: this is a **Jaguar XK**, not an F-Type.", "Jaguar XK"),
        # "file it under" without "I'd"; ", so: X" mid-sentence
        ("Ha, the classic — a Jeep CJ. Strictly, this late one is a Wrangler, so to be precise, file it under "
         "Jeep Wrangler YJ.", "Jeep Wrangler YJ"),
        ("That's a Sunfire — the little coupe from GM, and the main difference from its twin is the badge. This "
         "one has the Pontiac arrowhead on the nose, so: Pontiac Sunfire coupe, first gen, the one with the round "
         "lamps.", "Pontiac Sunfire coupe"),
        # a Latin name's kin in its brackets
        ("## Identification\n\n**Oriental poppy** (*Papaver orientale* and its hybrids)\n\n## Features\n"
         "1. **Crinkled petals**", "Oriental poppy"),
        # a common name, then a hedged species set off by its article and a comma
        ("These are **foxglove** flowers — most likely the common foxglove, *Digitalis purpurea*.", "foxglove"),
        # the colour of a coat, or a name in brackets, closes no answer
        ("The ticked coat suggests an **Abyssinian**. But the coat is long.\n\nThat makes it a **Somali**. "
         "The colour in the photo is **sorrel**.", "Somali"),
        ("At first glance the coat suggests an **Abyssinian**. But the coat is long.\n\nThat makes it a "
         "**Somali**. The colour in the photo is **sorrel** (called \"red\" by some clubs).", "Somali"),
        # a name in another script glosses no Latin name
        ("**Identified as:** Pad thai (ผัดไทย)\n**Confidence:** high", "Pad thai"),
        # a numbered candidate asked and answered "— no"
        ("1. Small, sturdy dog with a long coat.\n2. **Pekingese?** — no, the muzzle is too long.\n"
         "3. **Tibetan Spaniel** — the plumed tail and the mane fit.", "Tibetan Spaniel"),
        # a foreign name glossed "known in English as" outranks its bracket in a list of candidates
        ("Candidates:\n* Kuvasz (Hungary)\n* Chien de Montagne des Pyrénées (France)\n\n**Conclusion.** This is "
         "the Chien de Montagne des Pyrénées — known in English as the **Great Pyrenees**.", "Great Pyrenees"),
        # a lower-case word of a name before "rather than"
        ("The swollen bells and hairy stems point to Canterbury bells rather than other bellflowers.",
         "Canterbury bells"),
        # a common name, then its Latin name set off by commas, in a summing-up sentence
        ("It has thick branches and waxy petals, so I think it's a frangipani.\n\nSo, to summarize the answer: "
         "the flower is frangipani, Plumeria obtusa, identified by its waxy petals and rounded leaf tips. I "
         "should also mention that", "frangipani"),
        # an "Initial thought" label taken back, then a conclusion heading over a wrap-up clause
        ("**Initial thought: Maltese**\n\nThe small body and long white coat made me think of a Maltese.\n\n"
         "**Taking a closer look**\n\n- The coat is **cottony**, not silky.\n\n**My conclusion**\n\nPutting it "
         "all together, I think this is a **Bolognese**, a close cousin of the Maltese.", "Bolognese"),
    ],
)
def test_fifty_ninth_round_opened_failure_classes(text: str, expected: str | None) -> None:
    """Wording classes of the held-out half of round 58's blind wave (fresh395, 396, 399,
    401), own examples: a simile before the verdict, a bold opening line that is no list item,
    a plural verdict and a "Decision" label, a question the cut-off never answers, the common
    name after a Latin one in a final answer, an answer label on the line above its name, an
    abbreviated Latin name of a relative, marks summed with plus signs, "a ... type", two
    model years with articles; and of half of the blind wave fresh402 ... fresh409 (fresh402,
    404, 406, 408; the other half held out to the round's end): "I'd file it under", a closing
    "So, X", an answer cut mid-word after closed thoughts, thoughts cut after "I'm settling
    on", an exclaimed opening breed, "rather than" between features, a hypothesis on a badge,
    a bold described part with a comma."""
    names = parse_answer(text)
    assert (names[0] if names else None) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a place after a possessive: "in its (winter) plumage"
        ("That's a Lapland longspur in its breeding plumage, with the chestnut nape.", "Lapland longspur"),
        # a possessive appositive describes; it is no second name
        ("That's a roadrunner, New Mexico's state bird! Look at that crest.", "roadrunner"),
        ("It is a Greater Roadrunner, the desert's fastest runner.", "Greater Roadrunner"),
        # "plain and simple" after a lower-case name
        ("That's a beagle, plain and simple. The tricolour coat and the droopy ears say so.", "beagle"),
        # a Latin name glossed by a lower-case common name in brackets, or after a former name
        ("The plant is Rudbeckia hirta (black-eyed susan). Its petals are golden.", "black-eyed susan"),
        ("This is Gaura lindheimeri (formerly Gaura biennis), commonly called bee blossom. The flowers are "
         "white.", "bee blossom"),
        ("The lesion is a Metastatic melanoma (two nodules) in the dermis.", "Metastatic melanoma"),
        # a banding code, then the name it stands for
        ("That's an AMRO, an American Robin, if you log four-letter codes.", "American Robin"),
        ("That's a BMW, a German car, parked by a wall.", "BMW"),
        # a numbered field under a label that names the kind
        ("1. Flower type: Sweet pea\n2. Colour: lilac\n3. Leaves: paired leaflets", "Sweet pea"),
        # a short name is no nickname of a longer breed of its own
        ("Flat face, curled tail, fawn coat: so the answer is Pug. Could it be a cross, like a Puggle? Puggles "
         "have a longer muzzle, so no. And a Chug? The ears would", "Pug"),
        # "the X's real giveaway" names no car
        ("So the answer is the Kia Soul. But wait, let me double-check the lamps, because that's the Soul's real "
         "giveaway: they climb up the", "Kia Soul"),
        # "the LCI ones": a version of a part, taken back in a check
        ("So the answer is a 2011 BMW 5 Series sedan. But let me check whether the headlights are actually the "
         "LCI ones, because then the year would be", "2011 BMW 5 Series sedan"),
        # a bold first line over a bulleted list of marks is the answer, not a heading
        ("**2010 Ferrari 458 Italia**\n\n- Side intakes shaped like the Ferrari badge\n- Triple exhaust in the "
         "centre\n", "2010 Ferrari 458 Italia"),
        ("**Top picks**\n- Saab 340 (60%)\n- ATR 42 (30%)", "Saab 340"),
        # a part labelled in bold, then "This is actually a X": the part, not the subject
        ("This is a **bird of paradise** flower.\n\n* **The orange \"petals\":** These are actually sepals.\n"
         "* **The blue centre:** This is actually a fused pair of petals.", "bird of paradise"),
        # a hybrid's Latin name in brackets after a sentence-case name on its own line
        ("## Identification\n\n**Lenten rose** (*Helleborus* × *hybridus*)\n\n## Notes\n\n- **Sepals:** "
         "long-lasting", "Lenten rose"),
        # the opened half of round 60's own wave (fresh410, 412, 414, 416)
        # "gives it away as a X"
        ("The short rear overhang might suggest a Porsche Boxster, but the twin rear buttresses give it away as "
         "an Audi TT Roadster.", "Audi TT Roadster"),
        # a description, a colon, then the name
        ("This is an unusual truck: a Ford F-650 Super Duty. The cab sits very high.", "Ford F-650 Super Duty"),
        # the count, then "both Xs"
        ("The photo shows three young dogs, all Basenjis, standing in a yard.", "Basenji"),
        # a name in sentence case before a slash
        ("Looks like a Bleeding heart / lady-in-a-bath (Lamprocapnos spectabilis).", "Bleeding heart"),
        # a Latin name "sometimes known as" its common name
        ("This is Lunaria annua, sometimes known as honesty, with its papery seed discs.", "honesty"),
        # a year picked beside the labelled name
        ("Vehicle: Cadillac DeVille\nGeneration: eighth\nYear range: 2000–2005\nBest guess: 2004", "Cadillac DeVille"),
        # the JSON vehicle's own words outrank make + model + year
        ('{"vehicle": "Ford Mustang Shelby GT500", "make": "Ford", "model": "Mustang", "year": 2010}',
         "Ford Mustang Shelby GT500"),
        # a model code in a closing line, named in full before
        ("This is a **Porsche 911 GT3**.\n\n1. **Rear wing** — fixed and tall.\n\nSo: a 2010–2011 GT3, most "
         "likely a 2010.", "Porsche 911 GT3"),
        # a Latin name in square brackets glosses no English name in an English answer
        ("The bird is a Northern Shoveler [Spatula clypeata], with its huge spoon-shaped bill.", "Northern Shoveler"),
        # an English name in square brackets after a name in CJK script
        ("图片中的鸟是北扑翅䴕 [Northern Flicker, *Colaptes auratus*]。", "Northern Flicker"),
        # a French name with its own lower-case words, glossed in English in brackets
        ("C'est une Mésange à tête noire (Black-capped Chickadee, Poecile atricapillus).", "Black-capped Chickadee"),
        # "qu'on appelle X en anglais"; an alias and a Latin name, then "— en anglais, X"
        ("C'est une **capucine** (*Tropaeolum majus*), qu'on appelle nasturtium en anglais.", "nasturtium"),
        ("C'est une **pâquerette**, aussi appelée petite marguerite (*Bellis perennis*) — en anglais, common "
         "daisy.", "common daisy"),
        # German "looks like a"
        ("Das sieht aus wie ein Rotkehlchen (Erithacus rubecula).", "Rotkehlchen"),
        # "these are X" after a long clause
        ("The leaves and the way the flowers are held on one tall stem rather than singly tell me these are "
         "gladiolus, the summer bulbs.", "gladiolus"),
        # a Latin synonym in brackets, then the common name
        ("This is *Lycogala epidendrum* (also listed as *Lycogala miniatum*), sometimes called wolf's milk.",
         "wolf's milk"),
        # answers that named a class and gave []: a tag around the name, a nationality in the
        # description before an apposed name, "If I had to guess:", a Latin name in lower case
        # after a comma, "a 3rd-gen X"; a generation after "specifically" is no other name
        ("It is a <species>Cedar Waxwing</species> on a branch.", "Cedar Waxwing"),
        ("The photo shows a classic Italian dessert, Panna Cotta (cooked cream).", "Panna Cotta"),
        ("Hard to say from the blur. If I had to guess: whippet.", "whippet"),
        ("The flowers are cowslips, primula veris.", "cowslip"),
        ("It is a 3rd-gen Honda Pilot.", "Honda Pilot"),
        ("This looks like a **Subaru WRX STI**, specifically the third-generation GR (2008+).", "Subaru WRX STI"),
        # "Is that a X? Yes — a Y"; "flowers, which are X"; a bare plural name before ", with"
        ("Is that a Jaguar? Yes — a Jaguar F-Type R, the supercharged V8 coupe.", "Jaguar F-Type R"),
        ("The photo shows a patch of tiny white flowers, which are snowdrops.", "snowdrop"),
        ("The flowers appear to be bluebells, with nodding bells on one side of the stem.", "bluebell"),
    ],
)
def test_sixtieth_round_opened_failure_classes(text: str, expected: str | None) -> None:
    """Wording classes of the held-out half of round 59's blind wave (fresh403, 405, 407,
    409), own examples: a possessive determiner before a place, a possessive appositive, a
    lower-case name before "plain and simple", a Latin name glossed in lower case in brackets
    or after a former name, a banding code spelled out, a numbered "type" field, a nickname
    that is a breed of its own, a possessive that names no car, "the X ones", a bold title
    over a list of marks, a part labelled in bold, a hybrid's Latin name in brackets; and of
    half of the blind wave fresh410 ... fresh417 (fresh410, 412, 414, 416; the other half held
    out to the round's end): "gives it away as", a name after a colon or "both", a slash, a
    Latin name "sometimes known as", a year picked beside a name, a JSON vehicle with its trim,
    a model code named in full before, square brackets in English and after CJK, a French name
    glossed in English, "qu'on appelle ... en anglais", German "sieht aus wie", "these are X"
    after a long clause, a Latin synonym in brackets; and answers of read sets that named a
    class yet gave []."""
    names = parse_answer(text)
    assert (names[0] if names else None) == expected, names


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # thoughts cut off after they settled: "I'm going with X", a bare "So X."
        ("<think>\nTall, lean, black and tan, natural ears. Rottweiler is too heavy. OK so I'm going with "
         "Dobermann. I'll mention the ears and the", "Dobermann"),
        ("<think>\nSmall tricolour hound with a white-tipped tail. Beagle, surely? Harrier is bigger. Whippet? "
         "No, the ears. So beagle. Next I'll describe the coat and the", "beagle"),
        # "So the answer is (probably) the X" in cut-off thoughts outranks an earlier "Actually"
        ("<think>\nA 1990s coupe. Actually, for this shape it's Eclipse or Talon. The nose badge looks like "
         "an eagle head. So the answer is probably the Eagle Talon, since the bumper has the split", "Eagle Talon"),
        # "a X hallmark" is no name; "I'm fairly settled: X"
        ("The horseshoe grille is a Bugatti hallmark. So I'm fairly settled: Bugatti Chiron. Now the roof",
         "Bugatti Chiron"),
        # Japanese: a verdict only of "model" or "a feature" is none; "もの" ends no name; the sex of
        # the name given before is none; an answer in Japanese after thoughts in English
        ("この車は「日産・リーフ」（Nissan Leaf）です。充電口の形から、初代のモデルと判断できます。", "Nissan Leaf"),
        ("**マツダ・ロードスター**（Mazda MX-5 Miata）、二代目と思われます。リトラクタブルでないライトが特徴です。",
         "Mazda MX-5 Miata"),
        ("この蝶はミドリシジミ（Neozephyrus japonicus）です。翅の色がはっきりしているので、オスだと思われます。", "ミドリシジミ"),
        ("このキノコは**エノキタケ**（学名：*Flammulina velutipes*、英名：enoki）です。栽培のものだと思われます。",
         "enoki"),
        ("<think>\nDouble ruffled pink flower, grey-green leaves, swollen nodes: a carnation.\n</think>\n\n"
         "これは**カーネーション**（Carnation、学名 *Dianthus caryophyllus*）です。\n\n八重咲きで、花びらの縁が"
         "ギザギザになっています。茎には節があり、葉は細長い灰緑色です。", "Carnation"),
        # Spanish "es un coche más pequeño, ...: es un X": a comparison, no name
        ("A primera vista parece un Audi A6, pero es un coche más pequeño, con dos puertas: es un **Audi A5** "
         "coupé.", "Audi A5"),
        # a bold name on the first line outranks a vaguer name in a later verdict sentence
        ("**Chinese mantis** (*Tenodera sinensis*)\n\nThis is a praying mantis, and the yellow spot between the "
         "forelegs identifies it as the Chinese mantis.", "Chinese mantis"),
        # a Latin field under a title that gives the common name
        ("# Flower Mantis\n\n**Scientific name:** *Creobroter gemmatus*\n\n## Notes\n\nA small mantis.",
         "Flower Mantis"),
        # a shape word opens a description, not a common name, after a bold name
        ("This is **Penang laksa** (also written *Assam laksa*), the sour-based Malaysian noodle soup.",
         "Penang laksa"),
        ("This is **Turkish pide**, the boat-shaped Anatolian flatbread.", "Turkish pide"),
        # Japanese: a reason that ends in "から" before the name
        ("この車は**スバル・レガシィ**（Subaru Legacy）のセダンです。以上の点からレガシィと判断しました。", "Subaru Legacy"),
        # a military kind, then the name
        ("This is a military transport plane parked on an apron. It is possibly a Lockheed C-130 Hercules.",
         "Lockheed C-130 Hercules"),
        # a kind's word, then "— specifically" a lower-case name that narrows the bold one
        ("### Answer\n\n**Dendrobium** orchid — specifically the pink-lipped dendrobium (*Dendrobium kingianum*).\n\n"
         "### Why\nCane stems.", "pink-lipped dendrobium"),
        # one word before an italic Latin name describes it
        ("It's a **lotus**, not a water lily; likely a dwarf *Nelumbo* cultivar.", "lotus"),
        # a category word as the label of a field
        ("Bird: Western tanager\nFamily: Cardinalidae\nLook-alike: scarlet tanager (Piranga olivacea)",
         "Western tanager"),
        # "specifically the X type" is a form of the breed
        ("This is a **Siamese** — specifically the \"applehead\" (traditional) type.", "Siamese"),
        # "<kind>_type" names beside a broad "category"
        ('{"aircraft_type": "Airbus A350-900", "category": "wide-body twin-engine airliner"}', "Airbus A350-900"),
        # a binomial in italics, then its cultivar in quotes
        ("This is a *Ficus elastica* 'Tineke', with cream-edged leaves.", "Ficus elastica Tineke"),
        # a bold first line over a structured list of marks, a make that ends in "-ing"
        ("**Boeing 747-8**\n\n- **Humped upper deck** → 747 family\n- **Raked wingtips** → -8", "Boeing 747-8"),
        # the opened half of round 61's own wave (fresh418, 420, 422, 424)
        # a German article not cut short after "vermutlich"; "(englisch X, botanisch Y)"
        ("Das ist vermutlich eine Kornblume, vielleicht aber auch eine Wegwarte.", "Kornblume"),
        ("Das ist ein Fingerhut (englisch foxglove, botanisch Digitalis). Die Pflanze ist giftig.", "foxglove"),
        # a nickname, then its full name after a dash, a full stop, or earlier in the answer
        ("That's a Westie — West Highland White Terrier, if you want the full name.", "West Highland White Terrier"),
        ("Staffie. Staffordshire Bull Terrier, built like a brick.", "Staffordshire Bull Terrier"),
        ("It could be a **Soft Coated Wheaten Terrier** or a **Goldendoodle**.\n\nThe ears make me lean "
         "toward **Wheaten**.", "Soft Coated Wheaten Terrier"),
        # a name stressed after a comma
        ("Siamese, full stop. Look at those blue eyes.", "Siamese"),
        # a remark or a list of marks, then "That's a X"
        ("Whoa there. That's a Snowy Owl (Bubo scandiacus), far from the tundra.", "Snowy Owl"),
        # "this one's a X"
        ("Oh, I think this one's a house finch! The red is on the head.", "house finch"),
        # "it's clinging ..." is a verb, not a name
        ("From the way it's climbing head-first down the bark, this looks like a brown creeper.", "brown creeper"),
        # "No, ..." takes back a likeness
        ("It looks like a Ford Focus. No, the rear is too long - it is a Ford Mondeo wagon.", "Ford Mondeo wagon"),
        # a multiple-choice pick by its letter
        ("B. Porsche Cayenne SUV 2012", "Porsche Cayenne SUV 2012"),
        # a sentence that names the answer before its colon and list is no heading
        ("This looks like a mixed breed.\n\nStill, the main look is **Border Collie**:\n- Merle coat\n- Tipped "
         "ears\n\nA DNA test (like Embark) would tell.", "Border Collie"),
        # "a X cross" names the breed X, spelled out by the full name after it; "a designer cross" names none
        ("This looks like a **Frenchie cross** — most likely a French Bulldog mixed with a Pug.", "French Bulldog"),
        ("The combination suggests a designer cross.\n\nThis dog is most likely a **Puggle**.", "Puggle"),
        # "instead of a Y - it is a X": the dash ends the ruled-out clause
        ("It looks like a Dodge Charger. No, there is a hatch instead of a trunk - it is a Dodge Magnum.",
         "Dodge Magnum"),
        # a bold lower-case name "is the more likely"
        ("It is either a **dog rose** or a **field rose**.\n\nGiven the pink tint, **dog rose** is the more "
         "likely of the two.", "dog rose"),
    ],
)
def test_sixty_first_round_opened_failure_classes(text: str, expected: str | None) -> None:
    """Wording classes of the held-out half of round 60's blind wave (fresh411, 413, 415,
    417), own examples: thoughts cut off after "I'm going with X" or "So X.", "So the answer
    is X" in thoughts, "a X hallmark", "settled: X", Japanese verdicts of a model, a feature,
    a thing or a sex, Japanese after English thoughts, a Spanish comparison, a bold first line
    over a vaguer verdict, a title over a Latin field, a description after a bold name, a
    Japanese reason before the name, a military kind, a lower-case refinement after a kind's word, a word before
    an italic Latin name, a category field, a breed's type, a "<kind>_type" key, a cultivar
    after an italic binomial, a bold first line over marks; and of half of the blind wave
    fresh418 ... fresh425 (fresh418, 420, 422, 424; the other half held out to the round's
    end): a German article, "(englisch X)", a nickname spelled out, a name stressed after a
    comma, a remark before "That's a X", "this one's a X", a progressive verb, "No, ...", an
    option letter, a sentence before a list, "X is the more likely"."""
    names = parse_answer(text)
    assert (names[0] if names else None) == expected, names


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # round 61's held-out half, opened (fresh419, 421, 423, 425)
        # a participle between a capitalised word and the noun that ends the clause
        ("The fish in the bowl is a Siamese fighting fish.", "Siamese fighting fish"),
        ("So the answer is Eurasian collared dove (Streptopelia decaocto).", "Eurasian collared dove"),
        ("It's a Strida folding bicycle with a belt drive.", "Strida"),  # not a kind of product
        # the colour words of trees are their names' own
        ("The leaf belongs to a red oak tree, judging by the bristle tips.", "red oak"),
        # "is from a X tree": the plant a part comes from
        ("The leaf on the table has three shallow lobes. It is from a sycamore tree.", "sycamore"),
        ("These flowers are hanging from a woody vine. The plant is likely a trumpet creeper.", "trumpet creeper"),
        # "There is a X" names what the picture holds, not what it is
        ("The moth is grey. There is also a pale band running across each forewing. It is a peppered moth.",
         "peppered moth"),
        ("there is a grey honda civic parked next to a lamp post", "honda civic"),
        # thoughts cut off after "So final: X", "So the answer: X", "so it's probably X"
        ("<think>\nLong ears, short legs. Basset vs Beagle. Too low for a beagle.\n\nSo final: Basset Hound. "
         "Now to write the answer: first the", "Basset Hound"),
        ("<think>\nBoxy, long rear overhang. So the answer: Chevrolet Suburban 2010.\n\nHmm, but the trims had "
         "different grilles. Now let me think about the", "Chevrolet Suburban 2010"),
        ("<think>\nred crest, black mask around the bill. so it's probably a northern cardinal. wait, should I "
         "check the pyrrhuloxia? it has a yellow bill. no. now write the", "northern cardinal"),
        # a table's "Verdict" row
        ("| Feature | Observation |\n|---|---|\n| Grille | split kidney |\n| **Verdict** | **BMW X5 SUV (2011)** |"
         "\n\nThe kidney grille gives the make away.", "BMW X5 SUV"),
        # "<part> ID:" is a field that names
        ("Leaf shape: heart-shaped, pointed tip\nLeaf ID: Eastern redbud (Cercis canadensis)\n\nIt is a "
         '"harbinger of spring" in much of the east.', "Eastern redbud"),
        # a species narrowed from its genus by "specifically", then glossed with its common name
        ("This is a Paphiopedilum orchid — specifically it looks like Paphiopedilum insigne, the showy "
         "slipper orchid.", "showy slipper orchid"),
        # a cultivar glossed with the common name that keeps it
        ("So I'd call this *Acer palmatum* 'Crimson Queen', the **Crimson Queen Japanese maple**.",
         "Crimson Queen Japanese maple"),
        # broken English: "is of breed X", "X breed <colour>"; a caption's size and colour
        ("The cat is of breed Bengal, it have spotted fur and is color brown.", "Bengal"),
        ("Dog is Dalmatian breed spotted.", "Dalmatian"),
        ("a small white maltese dog", "maltese"),
        # "skin lesion" names no finding; "might be X or a Y"
        ("This is a dermoscopic image of a skin lesion. It might be dermatofibroma or a scar.", "dermatofibroma"),
        # a bold list of traits is no name
        ("The spot is a **flat, tan, sharply bordered patch**. That pattern is typical of a **solar lentigo**.",
         "solar lentigo"),
        # a later "the <make>" refers back to the name given in full
        ("2010 Ford Flex wagon. The horizontal grooves on the doors settle it in favor of the Ford.",
         "2010 Ford Flex wagon"),
        # Spanish "característico de un X (en inglés, Y)"
        ("Este patrón es característico de un **queratoacantoma** (en inglés, *keratoacanthoma*).", "keratoacanthoma"),
        # Japanese: a glossed name, then a year's description of it; a generation of a name given before
        ("この車は**スバル・フォレスター（Subaru Forester）**、2012年モデルのSUVと思われます。", "Subaru Forester"),
        ("画像の車はマツダ・ロードスター（Mazda MX-5 Miata）です。\n\n特徴から、三代目ロードスター（NC型）と判断しました。",
         "Mazda MX-5 Miata"),
        # a numbered thinking process, then the answer
        ("Here's a thinking process to identify the flower:\n\n1. **Observe the head:** a steel-blue cone of florets.\n"
         "2. **Brainstorm:** globe thistle (Echinops – a perfect sphere), sea holly (Eryngium).\n"
         "3. **Compare:** a ruff of spiny bracts, cone-shaped head → Eryngium.\n4. **Formulate the answer:** name it.\n\n"
         "The flower in the image is a **Sea holly** (*Eryngium planum* or a close relative).\n\n**Why:**\n* Cone-shaped "
         "head", "Sea holly"),
        # the features a list's header says are present are no candidates
        ("I can't diagnose this.\n\n**Dermoscopic features present:**\n1. **Serpentine (looping) vessels**\n"
         "2. **Blue-gray globules**\n\n**Interpretation:** This is most consistent with a **basal cell carcinoma**.",
         "basal cell carcinoma"),
        # the opened half of round 62's own wave (fresh426, 428, 430, 432)
        # German "im Englischen auch X genannt"
        ("Das ist eine Schwertlilie (Iris), im Englischen auch bearded iris genannt.", "bearded iris"),
        # a paragraph about the cultivar declines the cultivar only
        ("This appears to be **statice** (*Limonium sinuatum*).\n\nAs for the specific cultivar: there are many "
         "purple series, and I can't tell them apart from a photo.", "statice"),
        # cut-off thoughts "So it's the X."
        ("<think>\nA wagon with a crosshair grille: Dodge. So it's the Dodge Magnum. Year: the last year was 2008, "
         "and the 2008 has", "Dodge Magnum"),
        # a Japanese verdict that is only a model year
        ("これは**ホンダ・オデッセイ（Honda Odyssey）**です。5代目で、2012年モデル前後と思われます。", "Honda Odyssey"),
        # a model code in a conclusion, named in full before
        ("### Summary\nThis is a **Boeing 767-300**.\n\n### Conclusion\nThe fuselage length makes this a 767-300.",
         "Boeing 767-300"),
        # a bold single name over the look-alikes a long sentence leads into
        ("This is **Bluebell** (*Hyacinthoides non-scripta*).\n\nThe drooping bells are what separate it from the two "
         "plants it's most often confused with:\n- **Squill** and **grape hyacinth** hold their flowers upright.",
         "Bluebell"),
    ],
)
def test_sixty_second_round_opened_failure_classes(text: str, expected: str | None) -> None:
    """Wording classes of the held-out half of round 61's blind wave (fresh419, 421, 423,
    425), own examples: a participle before a name's noun, a tree's colour, "is from a X
    tree", "There is a X", thoughts cut off after "So final: X", a "Verdict" row, a "<part>
    ID" field, a species narrowed and glossed, a cultivar's common name, broken English, a caption's size and colour, "skin lesion", "might be X or a Y", a bold
    list of traits, "the <make>" referring back, a Spanish "característico de", Japanese
    years and generations, a numbered thinking process, features present; and of half of the
    blind wave fresh426 ... fresh433 (fresh426, 428, 430, 432; the other half held out to the
    round's end): German "auch X genannt", a cultivar declined, "So it's the X", a Japanese
    model year, a model code named in full, look-alikes after a long sentence."""
    names = parse_answer(text)
    assert (names[0] if names else None) == expected, names


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # French "Il s'agit de (la) X"
        ("Il s'agit de **gratin dauphinois** : des pommes de terre cuites à la crème.", "gratin dauphinois"),
        ("**Réponse :** Il s'agit de la **mésange bleue** (*Cyanistes caeruleus*), en anglais *Eurasian blue "
         "tit*.", "Eurasian blue tit"),
        # a bold name that opens the answer, then where it is
        ("**Renal cyst** in the upper pole of the kidney.\n\nSummary: a round, thin-walled lesion.", "Renal cyst"),
        ("**Great tit** on a feeder.\n\nThe black cap and yellow breast give it away.", "Great tit"),
        # a refusal of a part of what was named ("which filling it has"), a caveat ("can't be assumed")
        ("This is a **calzone**.\n\nI can't tell which filling it has without cutting it open.", "calzone"),
        ("These are **gnocchi** in a sage butter sauce.\n\nI can't tell what flour they contain from a photo.",
         "gnocchi"),
        ("**Lung mass** in the left upper zone.\n\nIt is not calcified, so a benign cause can't be assumed.",
         "Lung mass"),
        # nouns in "-megaly" are no adverbs; "described" is a participle
        ("The main finding in the image is splenomegaly.", "splenomegaly"),
        ("The heart would be described as enlarged.", None),
        # a bare noun, then a participle or "as seen in"
        ("The dish in the photo is hummus, served in a shallow bowl with olive oil.", "hummus"),
        ("The tissue here is cartilage, as seen in the trachea.", "cartilage"),
        # the side and lobe of a finding are no part of its name; "right whale" is a name
        ("The radiograph is most consistent with a **right upper lobe pneumonia**.", "pneumonia"),
        ("The most notable finding is a left pleural effusion with a meniscus.", "pleural effusion"),
        ("The whale in the photo is a right whale.", "right whale"),
        # a style before the name
        ("It's a Neapolitan-style pizza, with a puffy, charred crust.", "pizza"),
        ("This is an **A-style mandolin** with a teardrop body.", "mandolin"),
        # a version of what was named, with its place in brackets
        ("This is **shoyu ramen**. The thin curly noodles suggest the Tokyo (Ogikubo) version.", "shoyu ramen"),
        # a "Breed" or "Species" heading over the name in bold
        ("### Breed\n**Irish Water Spaniel**\n\n### Reasoning\n- The topknot is looser than in show Standard Poodles.\n"
         "- The tail is bare.", "Irish Water Spaniel"),
        # a list of candidates is no nickname spelled out ("X, Y" in a list)
        ("Let me think.\n\nCandidates: American Bulldog, American Pit Bull Terrier, Boxer.\n\nThe broad head and "
         "heavy bone point to the American Bulldog. So the answer is American Bulldog.\n\nNow let me check the tail.",
         "American Bulldog"),
        # a grade or stage in brackets is no common name
        ("**Likely diagnosis: Actinic keratosis**\n\nThe image shows a rough, scaly patch on sun-damaged skin.\n\n"
         "This pattern is typical of actinic keratosis (grade I–II).", "Actinic keratosis"),
        # a long lower-case bold finding is a description; a condition ("if there are ...") no verdict
        ("The key finding is a **dense rounded shadow containing an air bubble**, seen above the diaphragm. "
         "This is classic for a **hiatus hernia**. See a doctor if there are symptoms like heartburn.",
         "hiatus hernia"),
        # a participle and an adverb after a bare name
        ("The tissue shown is cardiac muscle, cut transversely.\n\nThere are many of them per field.",
         "cardiac muscle"),
        # candidates introduced as such are no verdict
        ("This is a big sled dog. The two breeds most often confused are the Siberian Husky and the Alaskan "
         "Malamute, so let us compare:\n\n| Feature | Siberian Husky | Alaskan Malamute |\n|---|---|---|\n| Eyes | "
         "Blue | Brown |\n\nEvery column points the same way: this is an **Alaskan Malamute**. The bushy tail is a "
         "classic Malamute trait.", "Alaskan Malamute"),
        # thoughts that ask themselves a question and go on describing; a clause cut off after a colon
        ("<think>\nOkay, so what breed is this? The dog is a lean terrier, but it doesn't look like a typical "
         "terrier at all — it looks like a little lamb. The coat is curly.\n\nThe topknot and the arched back are "
         "characteristic. That's the Bedlington Terrier.\n\nSo it's a Bedlington Terrier. Let me mention the tassels "
         "on the", "Bedlington Terrier"),
        ("<think>\nTall, rough-coated sighthound. So the answer is Scottish Deerhound.\n\nDouble-check: the "
         "remaining way to tell them is the mass: an Irish Wolfhound of the same height would look", "Scottish Deerhound"),
        # a lower-case name opening the answer with its Latin name in brackets
        ("A camellia (*Camellia japonica*). The glossy leaves and the formal double flower are typical of "
         "garden camellias.", "camellia"),
        # a sentence-case name the answer also calls "the <name>" is no Latin name
        ("So this is Nelumbo nucifera, the sacred lotus (also called Indian lotus).\n\n**Final Answer**\n\n"
         "\\[ \\boxed{\\text{Sacred lotus (Nelumbo nucifera)}} \\]", "Sacred lotus"),
        # a binomial is no brand before the kind named after it
        ("Which Cattleya, though? Cattleya labiata is the type species. Given the ruby lip, I'd say it's a "
         "Cattleya orchid, likely Cattleya labiata.\n\n"
         "**Final Answer**\n\n\\[ \\boxed{\\text{Cattleya labiata}} \\]", "Cattleya labiata"),
        # "a hallmark of the X family" names no class
        ("Those nodding yellow bells are most likely a cowslip (*Primula veris*), though oxlip is possible if the "
         "flowers are paler. The deep orange spots are a hallmark of the cowslip.", "cowslip"),
        # a species label in Spanish; a boxed answer after Japanese thoughts
        ("**Especie:** carbonero común (*Parus major*), macho.\n\n**Rasgos:**\n- Franja negra en el pecho",
         "carbonero común"),
        ("岩場の海鳥です。候補はエトピリカとツノメドリです。太平洋の種であるツノメドリで間違いないと思います。\n\n**最終回答**\n\n"
         "\\[ \\boxed{\\text{ツノメドリ}} \\]", "ツノメドリ"),
        # a bold name after a cooking participle
        ("This is pan-seared **foie gras**.\n\nThere's a spoonful of what looks like a fig or cherry compote.",
         "foie gras"),
        # a condition that lists things before its comma; a verdict "I'd identify this as"
        ("This looks like **steak tartare**. If the beef had been sliced thin and dressed with oil, rocket and "
         "Parmesan, I'd call it beef carpaccio, but that isn't what's here.", "steak tartare"),
        ("This is a deep dish of custard with a burnt sugar top.\n\nTwo desserts fit. **Crema catalana** is the "
         "Spanish cousin.\n\nSo I'd identify this as **crème brûlée**.", "crème brûlée"),
        # one word in italics in brackets is no common name of a name that looks Latin
        ("This is **pelmeni**, specifically **Siberian pelmeni** (*pel'nyan*) — small dumplings.", "Siberian pelmeni"),
        # a participle and "to" after a lower-case name
        ("This is a loaf of zucchini bread, sliced to show the moist inside.", "zucchini bread"),
        # what the answer calls itself
        ("### Impression\nThe picture is most consistent with **bronchiectasis**.\n\n*This is an AI-generated "
         "interpretation, not medical advice.*", "bronchiectasis"),
    ],
)
def test_sixty_third_round_opened_failure_classes(text: str, expected: str | None) -> None:
    """Wording classes of round 62's held-out half (fresh427, 429, 431, 433) and of half of
    the wave fresh434 ... fresh441 (fresh434, 436, 438, 440; the other half held out to the
    round's end), own examples: French "Il s'agit de", a bold opener followed by where it is,
    a refusal of a part, nouns in "-megaly", a bare noun before a participle, sides and lobes
    of findings, a style or a version of a name, a "Breed" heading, a list of candidates, a
    grade in brackets, a long bold finding, a condition, what the answer calls itself,
    candidates named as such, a self-asked question, a clause cut off after a colon, a Latin
    gloss after a lower-case opener, "the sacred lotus", a binomial before its kind, "a
    hallmark of", a Spanish label, a Japanese box, a cooking participle, a listing condition,
    "I'd identify this as", an italic gloss, "sliced to"."""
    names = parse_answer(text)
    assert (names[0] if names else None) == expected, names


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a first guess taken back by "looking more carefully", "on second thought", "changing my answer"
        ("My gut reaction was Siamese, given the pale body and darker points. Looking more carefully, the coat "
         "is long and silky and the feet are white-gloved, so this is a **Birman**.", "Birman"),
        ("At first I took it for a **Western Kingbird** because of the yellow belly. On second thought, the tail "
         "shows no white edges and the throat is darker gray, so it is a **Cassin's Kingbird**.", "Cassin's Kingbird"),
        ("My first impression was Bearded Collie. After a closer look, I don't think that's right: the head is "
         "broader and the coat is corded, pointing to a Komondor instead.", "Komondor"),
        ("I was initially going to say Canada Goose. Looking again, I'm changing that: the neck is short and the "
         "bill stubby, which is a **Cackling Goose**.", "Cackling Goose"),
        # a first guess overruled by a later verdict, without a word of revision
        ("It might seem to be a Lesser Scaup initially. The head shape is rounded, not peaked, so I'll go with "
         "Greater Scaup.", "Greater Scaup"),
        ("I first leaned towards Tree Swallow. Then I noticed the brown breast band: it is a **Bank Swallow**.",
         "Bank Swallow"),
        # a first impression that the answer keeps ("I think this is a X, though at first glance ...")
        ("I think this is a **Lexus IS F**, though it could pass for an IS 350 at first glance. The quad exhaust "
         "tips all point to the IS F sports sedan.", "Lexus IS F"),
        # a verdict after a colon that closes a clause of evidence; not after a label or a denial
        ("Working through the features:\n\n1. **Ears** – large, set low.\n2. **Coat** – short, warm fawn.\n"
         "3. **Tail** – long and whip-like.\n\nA tall, lean cat with big low-set ears points one way: this is an "
         "**Abyssinian**.", "Abyssinian"),
        ("Let's look at the car:\n\n1. **Body Style**: It is a hatchback with a steep rear window.\n"
         "2. **Grille**: a wide trapezoid.\n\nThese features are characteristic of the **Ford Focus**, built from "
         "2008 to 2011.", "Ford Focus"),
        # a likeness of a part after a comma
        ("The ears are small and folded over, like soft felt. The coat is fawn with a black mask. That's a Pug.", "Pug"),
        # a name after a longer description is not part of it ("instead")
        ("The bill is thicker than a Purple Finch's, which points to a Cassin's Finch instead.", "Cassin's Finch"),
        # "is not a X, but a Y"
        ("The bird on the pond is not a duck, but a American coot, with a white bill and frontal shield.",
         "American coot"),
        # a shortened name of the verdict given in full before
        ("At first I wondered about a Brittany, but I think this is a **Welsh Springer Spaniel**.\n\nThe red and "
         "white coat and the smaller ears are typical of the Welsh Springer, so that's my final answer.",
         "Welsh Springer Spaniel"),
        # thoughts cut off after "I'm fairly confident it's a X"
        ("<think>\nLong tail, rufous back, streaked breast, yellow eye. Brown Thrasher or Long-billed Thrasher. "
         "The bill is not very long and the face is warm. I'm fairly confident it's a Brown Thrasher. Next I "
         "should write the answer and mention the", "Brown Thrasher"),
        # thoughts cut off after a verdict ("This must be a X", "Therefore, it is a X", "Final answer: X")
        ("<think>\nGray crested bird, black forehead, rusty flanks. Tufted Titmouse or Black-crested Titmouse? "
         "The crest is gray, not black. This must be a Tufted Titmouse. Now I should write the answer and "
         "mention the", "Tufted Titmouse"),
        ("<think>\nPale eyes, long legs, a heavy head. Therefore, it is a Great Dane. The answer should also say "
         "how the harlequin coat", "Great Dane"),
        ("<think>\nRed sedan, split grille, 2012 badge.\nFinal answer: Kia Optima\n\nNow to describe the tail "
         "lights and the", "Kia Optima"),
        # a "Breed Identification" heading over a bold name
        ("## Breed Identification\n\n**Shih Tzu**\n\n### Fun Fact\nWith its round face and its flowing coat, "
         "it is sometimes called a \"chrysanthemum dog\".", "Shih Tzu"),
        # a generic name narrowed by "most likely" without an article
        ("This is a garnet, most likely almandine, given the deep red color.", "garnet"),
    ],
)
def test_sixty_fourth_round_opened_failure_classes(text: str, expected: str | None) -> None:
    """Wording classes of round 63's held-out half (fresh435, 437, 439, 441) and of fresh442 -
    445 (all opened; the wave fresh446 - 449 held out to the round's end), own examples: a
    first guess taken back in more words or overruled by a later verdict, a verdict after a
    colon, a simile of a part, "instead", "not a X, but a Y", a shortened verdict, thoughts
    cut off after "I'm fairly confident", a "Breed Identification" heading, "X, most likely
    y" kept in order (the parser does not know that y narrows x)."""
    names = parse_answer(text)
    assert (names[0] if names else None) == expected, names


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a hedged look-alike in bold, set aside by a later verdict ("So my answer: ...")
        ("The heavy build might suggest a **Great Pyrenees**, but those are white all over.\n\nThe black "
         "mask and the tawny mane are another matter. So my answer: this dog is most likely a **Leonberger**.",
         "Leonberger"),
        # a verdict sentence that names a relative before "but" and the answer after it
        ("## Identification\n\nThis appears to be a **Russian Blue**.\n\n**Key features:**\n- **Eyes:** vivid "
         "green.\n- **Coat:** silver-tipped and dense.\n\nA related longhair is the Nebelung, but the short plush "
         "coat here points to the Russian Blue.", "Russian Blue"),
        # a part seen in the scene ("there are X"), then the name in lower case
        ("So I'm looking at this flower: a cup of petals on a short stem. My first thought is spring crocus, "
         "because of the cup shape.\n\nBut wait, the leaves are grassy, and there are purple-streaked tips. Let me "
         "reconsider; the cup opens in sun. I think my first thought was right. This is a spring crocus (Crocus "
         "vernus).", "spring crocus"),
        # a version of the name that the answer rules out
        ("This is a **Subaru Impreza** of the third generation. The **Subaru Impreza WRX-STI** has a large rear "
         "wing and a hood scoop, so this is not a WRX-STI.", "Subaru Impreza"),
        # an answer that a token limit cut after the thoughts, in the middle of the name
        ("<think>\nWhite body, long neck, black bill and legs, yellow feet. So Snowy Egret, not a Great Egret. "
         "Final answer\n</think>\n\nSnowy", "Snowy Egret"),
        ("<think>\nTiny, green back, red throat patch. Hmm. Ruby-throated Hummingbird fits. Next the\n</think>"
         "\n\nThe bird is most likely a Ruby-throated", "Ruby-throated Hummingbird"),
        # a model code said again as "the X", named in full before
        ("The image shows a black sedan, which is a Mercedes-Benz C-Class. However, with the twin headlights it "
         "could also be a Mercedes-Benz E-Class. The longer wheelbase suggests that it is actually the E-Class, a "
         "mid-size executive car.", "Mercedes-Benz E-Class"),
        # thoughts cut off after "So the answer should be X"
        ("<think>\nBoxy wagon, split grille, roof rails. So the answer should be Volvo XC90. But wait, the 2016 "
         "redesign changed the lamps, and these lamps are the", "Volvo XC90"),
        # a description with a regional name, then the name in apposition
        ("The bird appears to be a species of North American sparrow, the Harris's Sparrow (*Zonotrichia "
         "querula*). The black bib is typical of an adult.", "Harris's Sparrow"),
        # a Russian picture lead with a dash ("На изображении — X (English)"), and a sex word before the name
        ("На изображении — Тойота Камри (Toyota Camry), седан среднего класса.", "Toyota Camry"),
        ("На фото — самка **обыкновенной кряквы** (Mallard, *Anas platyrhynchos*) на пруду.", "Mallard"),
        # a hedge weighed by "more consistent with"
        ("The dog is small and black with tan points. It could be a Manchester Terrier or a Miniature Pinscher. "
         "The high-stepping gait and the cropped ears are more consistent with a Miniature Pinscher, though the "
         "two are often mixed up.", "Miniature Pinscher"),
        # "So my answer is a X" after a name set aside
        ("The ticked coat would normally make me say Abyssinian, but this coat is semi-long, with a ruff and a "
         "bushy tail.\n\nSo my answer is a ruddy Somali. It is the long-haired form of the Abyssinian.", "Somali"),
        # ... the name in full when the final statement's span stops short of it, and a genus weighed is
        # no verdict over the species named before
        ("It resembles **Prince of Wales feathers**, *Amaranthus hypochondriacus*: upright crimson plumes.\n\n"
         "So my answer is Prince of Wales feathers (a grain amaranth).", "Prince of Wales feathers"),
        ("This appears to be dryad's saddle (*Cerioporus squamosus*). The scaly cap is fan-shaped.\n\nI can't "
         "see the pores from here. The scales are more consistent with *Cerioporus*, though.", "dryad's saddle"),
        # the name in a field tag of a structured answer, after its reasoning
        ("<reasoning>\nLarge white trumpets hang down from a woody shrub; the calyx is long and the fruit is "
         "smooth, unlike a Datura's spiny one.\n</reasoning>\n<label>angel's trumpet</label>\n<confidence>0.8"
         "</confidence>", "angel's trumpet"),
        # "say what breed it is": an interrogative is no name
        ("Okay, I need to say what breed it is. The coat is short and fawn, the face flat and black.\n\nThe "
         "curled tail and the mask point to a pug. Yes, I'm fairly confident it's a pug.\n\nNow to write the "
         "answer and mention the", "pug"),
        # a Chinese first guess asked as a question ("是X吗？不，...")
        ("这是**大山雀**吗？不，仔细看它是煤山雀（Coal Tit），头顶有白色的斑。", "Coal Tit"),
    ],
)
def test_sixty_fifth_round_opened_failure_classes(text: str, expected: str | None) -> None:
    """Wording classes of fresh446 - 449 (opened in round 65; fresh450 - 457 held out to its
    end), own examples: a bold look-alike in a hedged clause, then a verdict; a relative named
    before "but" in the verdict sentence; a part seen ("there are ..."), then the name in lower
    case; a version ruled out; a model code said again ("the E-Class"); a name cut after the
    closed thoughts; thoughts cut off after "the answer should be X"; a regional description
    before a name in apposition; a Russian picture lead with a dash and a sex word; a hedge
    weighed by "more consistent with"; "So my answer is a X"; a field tag ("<label>X</label>");
    "what" is no name; a Chinese first guess asked as a question."""
    names = parse_answer(text)
    assert (names[0] if names else None) == expected, names


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a verdict in a reasoning answer that glosses its name in Latin after a comma ("So it's a X, *Y z*"),
        # after a broad lower-case name
        ("Okay, so this is a duck diving on a lake. The head is dark with a round white patch by the bill.\n\n"
         "Now, Barrow's Goldeneye or Common Goldeneye? The patch is round, not a crescent, and the head is "
         "peaked in the middle.\n\nSo it's a Common Goldeneye, *Bucephala clangula*.", "Common Goldeneye"),
        # ... but a Latin gloss has no verdict of its own over a lower-case name
        ("That's an earthstar — I'd go with the collared earthstar, *Geastrum triplex*, given the saucer-like "
         "collar under the spore sac.", "collared earthstar"),
        # a first thought, taken back by "correcting myself"
        ("Small hawk, long tail, perched at a feeder.\n\nMy first thought is Cooper's Hawk, because of the long "
         "tail. The head looks small, though, and the tail tip is square.\n\nCorrecting myself: it's a Sharp-"
         "shinned Hawk, *Accipiter striatus*.", "Sharp-shinned Hawk"),
        # a likeness the sentence turns back from ("It resembles X, but ... the Y")
        ("This looks like a schipperke. The coat is black with a thick ruff, and there is no tail. It resembles "
         "a small Belgian Sheepdog, but the ruff and the fox face belong to the schipperke.", "schipperke"),
        # ... not a likeness of the first name itself with a category word after it
        ("This is a blender. It looks like a Blendtec Designer 725 blender with a touch panel and a square jar.",
         "Blendtec Designer 725"),
        # "makes this one unmistakable": no name
        ("## Identification\n\n**Foxglove** (*Digitalis purpurea*)\n\nThe tall spike of speckled bells makes this one "
         "unmistakable. Every part of the plant is poisonous.", "Foxglove"),
        # a terse caption: the name, then its sex or age ("X, adult male: ..."), or an alpha code spelled out
        ("Dickcissel, breeding male: yellow breast, black bib, rufous shoulder.", "Dickcissel"),
        ("RWBL, Red-winged Blackbird, female: streaky brown all over, pale eyebrow, sharp bill.",
         "Red-winged Blackbird"),
        # field marks, then the name after a colon
        ("Rufous cap, grey cheeks, clean grey breast and a thin black line through the eye: adult Chipping "
         "Sparrow.", "Chipping Sparrow"),
        # a guess asked in German and answered "Nein", then the name glossed in English
        ("Ist das ein **Schäferhund**? Nein — die langen Hängeohren und die faltige Stirn zeigen: es ist ein "
         "**Bluthund** (auf Englisch: Bloodhound).", "Bloodhound"),
        # JSON, then prose that restates its fields in full
        ('```json\n{"make": "Honda", "model": "Odyssey", "body_style": "Minivan", "year": 2012}\n```\n\nFull '
         "name: 2012 Honda Odyssey Minivan. The sliding doors and the lightning-bolt belt line fit this generation.",
         "2012 Honda Odyssey Minivan"),
        # an abbreviated make spelled out in brackets
        ("The vehicle is a VW Passat sedan (Volkswagen Passat Sedan, 2012), with the chrome three-bar grille.",
         "Volkswagen Passat Sedan"),
        # a one-line caption: make and model, a body style in lower case, a qualifier after a comma
        ("Volvo V70 station wagon, around 2005", "Volvo V70 station wagon"),
        # a lower-case name after words on how the one pictured looks ("fluffy", "cute"), listed or not
        ("This is a fluffy samoyed lying on the snow.", "samoyed"),
        ("The dog in the photo is a small, fluffy shih tzu with a topknot and a long coat.", "shih tzu"),
        # ... but no name where none is left: a horse, a view; a size and a description
        ("What a beautiful horse! I can't tell the breed from this angle, though.", None),
        ("The plane is flying high above the clouds, making it a beautiful view.", None),
        ("The bird is a small, slim sparrow with a plain breast.", None),
    ],
)
def test_sixty_sixth_round_opened_failure_classes(text: str, expected: str | None) -> None:
    """Wording classes of fresh450 - 453 (opened in round 66; fresh454 - 461 held out to its
    end), own examples: a verdict glossed in Latin after a comma; a first thought taken back by
    "correcting myself"; a likeness the sentence turns back from; "makes this one ..." is no
    name; a terse caption with a sex or age word or an alpha code; field marks, then the name
    after a colon; a guess asked and answered "Nein"; JSON restated in full in prose; an
    abbreviated make spelled out in brackets; a caption with a body style in lower case; a
    lower-case name after "fluffy" or "small, fluffy"."""
    names = parse_answer(text)
    assert (names[0] if names else None) == expected, names


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # features that "lead me to" the name
        ("Streaked brown back, a rusty cap, a dark spot in the middle of a plain grey breast and a two-toned bill. "
         "The rusty cap and the central breast spot lead me to American Tree Sparrow.", "American Tree Sparrow"),
        # ... not "lead me to think ..."
        ("The long ears lead me to think of a hound. It is a Basset Hound.", "Basset Hound"),
        # "a cat of breed X" without "the"
        ("The photo shows a cat of breed Birman sitting on a sofa.", "Birman"),
        # labelled fields that end in "Full name:", after steps that name the make alone
        ("Step-by-step identification:\n\n- **Make:** The winged B on the radiator and the mesh grille point to "
         "Bentley.\n- **Model family:** The long bonnet and the short rear overhang match the Continental GTC rather "
         "than the larger Mulsanne.\n- **Year:** The oval lamps put this at around 2012.\n\nResult:\n\nMake: Bentley\n"
         "Model: Continental GTC\nYear: 2012\nFull name: Bentley Continental GTC Convertible 2012",
         "Bentley Continental GTC Convertible 2012"),
        # thoughts cut off by a token limit after "So I think this is a X"
        ("<think>\nNodding white bells with a green spot at the tip of every tepal, several to a stem, in a damp "
         "meadow. Snowdrops have one bell and only the inner tepals are marked. So I think this is a summer "
         "snowflake, Leucojum aestivum. Let me compare the leaves with the snowdrop once more, because the",
         "summer snowflake"),
        # a Chinese measure word for a bunch or a pot before the name
        ("这是一束**满天星**（*Gypsophila paniculata*）。花朵细小，白色，常用于花束。", "满天星"),
        # "hybrid" opens a name of three words ...
        ("This is a **Rose**, specifically a hybrid musk rose with loose clusters of scented pale flowers.",
         "hybrid musk rose"),
        # ... not one of two: "a hybrid X" is an X
        ("This shrub belongs to the genus *Camellia*; the large, double pink blooms suggest a hybrid camellia.",
         "Camellia"),
        # a bold cultivar after three lower-case words
        ("This looks like the floribunda shrub rose **'Iceberg'**, with loose clusters of pure white flowers.",
         "Iceberg"),
        # "Conclusion so far:" and then a clause cut off by the token limit after a colon
        ("Step 1: A small, rounded three-door hatchback with round headlamps.\n\nConclusion so far: Fiat 500, "
         "second generation (around 2012).\n\nStep 4: Checking the details: the 500 Lounge came with chrome mirror "
         "caps and a glass roof on the", "Fiat 500"),
        # features, a dash, then the Latin name glossed with its common name
        ("Drooping yellow trumpets with a frilly corona, one to a leafless stem, in early spring — *Narcissus "
         "pseudonarcissus*, wild daffodil. Not a jonquil, which carries several smaller, scented flowers.",
         "wild daffodil"),
        # ... and with no gloss, the Latin name
        ("Tall spikes of hooded deep-blue flowers above deeply cut leaves — *Aconitum napellus*.",
         "Aconitum napellus"),
        # an answer line that names a plant, then a cultivar of it in apposition
        ("The twining stems and the large violet flowers with a darker bar point to a clematis.\n\n**Answer:** a "
         "large-flowered clematis, Clematis 'Jackmanii'.", "Clematis 'Jackmanii'"),
        # a body style in brackets is an aside, not part of the name
        ("The truck is a Chevrolet Avalanche (crew cab pickup), around 2008.", "Chevrolet Avalanche"),
        # "What you have here is X" in lower case
        ("What you have here is hellebore, with its nodding, cup-shaped flowers and leathery leaves.", "hellebore"),
        # ... but not a judgement
        ("What you see here is tricky: the bird is too far away to name.", None),
        # a lower-case name ends before "and not a" / "instead of"
        ("The stone is cubic zirconia and not a diamond: it shows too much fire.", "cubic zirconia"),
        # a colour that opens an unhyphenated name stays ("black eyed" is "black-eyed")
        ("black eyed susans in a garden", "black eyed susans"),
        # Chinese thoughts cut off by the token limit after "所以应该是X"
        ("<think>\n这只猫全身灰蓝色，眼睛是铜色的，脸很圆。可能是英国短毛猫或者俄罗斯蓝猫。俄罗斯蓝猫的眼睛是绿色的，"
         "所以应该是英国短毛猫。再看一下脸型，英短的脸比较圆，而", "英国短毛猫"),
    ],
)
def test_sixty_seventh_round_opened_failure_classes(text: str, expected: str | None) -> None:
    """Wording classes of fresh454 - 457 (opened in round 67; fresh458 - 465 held out to its
    end) and of empty parses in older opened sets, own examples: features that "lead me to" a
    name; "a cat of breed X"; "Full name:" after fields; truncated thoughts that settled with
    "So I think this is a X" or "所以应该是X"; a Chinese measure word for a bunch; "hybrid" in
    a name of three words; a bold cultivar after three lower-case words; "Conclusion so far:"
    and a clause cut off after a colon; features, a dash and a Latin name; a cultivar in
    apposition on the answer line; a body style in brackets; "What you have here is X"."""
    names = parse_answer(text)
    assert (names[0] if names else None) == expected, names


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # an English gloss in brackets after Cyrillic words and a year
        ("Это **Toyota Camry** седан 2012 года (English: 2012 Toyota Camry Sedan). Узнаётся по решётке радиатора.",
         "2012 Toyota Camry Sedan"),
        # ... and over a name that carries words of the answer's own language
        ("Es un **Chevrolet Camaro descapotable de 2012** (en inglés: 2012 Chevrolet Camaro Convertible). Se nota por "
         "la capota de lona.", "2012 Chevrolet Camaro Convertible"),
        ("C'est une **BMW Série 1 Cabriolet** (English: BMW 1 Series Convertible), modèle 2012.",
         "BMW 1 Series Convertible"),
        # ... but not over a model code the English name leaves out
        ("Das ist ein **Lamborghini Aventador LP700-4** (English: a Lamborghini Aventador coupe) von 2012.",
         "Lamborghini Aventador LP700-4"),
        # a Chinese sex or age word points back at the name
        ("这是一只**红衣主教雀**（Northern Cardinal，学名 *Cardinalis cardinalis*），从全身鲜红的羽色来看是**雄鸟**。",
         "Northern Cardinal"),
        # a bold name and its Latin name as the title, whatever the body cannot see
        ("**Cedar Waxwing** (*Bombycilla cedrorum*)\n\nA sleek brown bird with a crest and a black mask. The red waxy "
         "tips on the secondaries are hard to make out at this size, and I can't see them here.", "Cedar Waxwing"),
        # a colour said with "-coloured" before a name of two words or more ...
        ("This is a Ruby-coloured **Cavalier King Charles Spaniel**, a whole-coloured rich red.",
         "Cavalier King Charles Spaniel"),
        # ... not before a name of one word after it
        ("The bird is a Cream-colored Courser running over the sand.", "Cream-colored Courser"),
        # a colour in lower case is no name
        ("A car is parked next to a fence. The car is light colored.", None),
        # a counted plural takes the singular of the name the answer narrows to
        ("The photo shows four **Terns** — more precisely, **Arctic Terns** — resting on a jetty.", "Arctic Tern"),
        # "Likely cultivar" labels a name in a table
        ("| Feature | Observation |\n|---|---|\n| Bloom | Fully double, pale pink |\n| **Likely cultivar** | "
         "**Sarah Bernhardt** |\n\nOther pink peonies such as 'Bowl of Beauty' have a cream centre.", "Sarah Bernhardt"),
        # a symbol after a name that is the whole answer
        ("Chevrolet Silverado 1500 Extended Cab 2012 ✅", "Chevrolet Silverado 1500 Extended Cab 2012"),
        # a lower-case vehicle name of six words and its year
        ("ford f-250 super duty crew cab 2012", "ford f-250 super duty crew cab 2012"),
        # a decade word among the descriptive words before a name
        ("The car in the photo is a boxy, late-'80s Volvo 240 sedan in dark blue.", "Volvo 240 sedan"),
        # names that end in "s" and are one of them
        ("These look like garden cosmos, with feathery leaves and pink daisy-like flowers.", "garden cosmos"),
        # paint before a vehicle name with a model number or year, in any case ...
        ("Blue Porsche 911 Carrera Convertible 2012", "Porsche 911 Carrera Convertible 2012"),
        # ... but not the colour word of a bird's name
        ("The bird is a Black Phoebe perched on the mirror of a parked car.", "Black Phoebe"),
        # irregular plurals and nicknames in "-ie"
        ("There are two Keeshonden lying on the grass, with their spectacles clearly visible.", "Keeshond"),
        ("These are three Westies playing in a yard.", "Westie"),
    ],
)
def test_sixty_eighth_round_opened_failure_classes(text: str, expected: str | None) -> None:
    """Wording classes of fresh458 - 461 (opened in round 68; fresh462 - 469 held out to its
    end) and of empty parses in older opened sets, own examples: an English gloss after
    Cyrillic words or a year, or over a name with words of the answer's language; a Chinese
    sex word after the name; a bold title with its Latin name above a body that cannot see a
    mark; "-coloured" before a name; a colour "colored" alone; a counted plural narrowed; a
    "Likely cultivar" row; a symbol after a bare name; a lower-case vehicle name with its year;
    a decade word before a name; names in "s" that are one ("garden cosmos"); "Keeshonden",
    "Westies"; paint before a vehicle name with a number."""
    names = parse_answer(text)
    assert (names[0] if names else None) == expected, names


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a table's naming row over prose that gives the same plant other names
        ("| Trait | Seen |\n|---|---|\n| Leaves | Long, strap-like |\n| **Identification** | **Blue Lily (*Agapanthus africanus*)** |\n\n"
         "The blue lily, also called African lily or lily of the Nile, grows in large clumps.", "Blue Lily"),
        # a common name with "in the" inside it, glossed by its Latin name
        ("This plant is commonly known as jack in the pulpit (Arisaema triphyllum), with a hooded spathe.", "jack in the pulpit"),
        # a labelled field after a line that leads into it
        ("Here's a quick breakdown:\n\n**Plant:** Clivia (often sold as \"Natal lily\")\n\n**Why:**\n1. Orange trumpet "
         "flowers\n2. Strap leaves", "Clivia"),
        # a hypothesis after the verdict ("If ..., I'd lean toward X instead")
        ("This looks like a member of the aster family. I'd say it is most likely **New England aster** (*Symphyotrichum "
         "novae-angliae*): the stems are hairy and the rays are deep purple.\n\nIf the leaves were smooth, I'd lean toward "
         "smooth aster instead.", "New England aster"),
        # a verdict in a look-alike section, more specific than an earlier word used as an adjective
        ("**Checking the coat**\nA thick white coat with a black mask. That face is very Akita.\n\n**Considering "
         "look-alikes**\nThe Shiba Inu is smaller and red.\n\nMost likely an **American Akita**; a Shiba is possible but "
         "the size argues against it.", "American Akita"),
        # a closing list of what the answer counts is no verdict ...
        ("This little dog is a **Papillon** with butterfly ears. Papillons are shown in three colour groups: Sable, "
         "tricolour and lemon.", "Papillon"),
        # ... but a list of the subjects it counts is
        ("There are two dogs: a Dachshund and a Corgi.", "Dachshund"),
        # a bold heading is not the name stated in the answer's own words
        ("**Coat check**\nDense, curly, liver-coloured coat.\n\n**Topline**\nLevel back, high-set tail.\n\n**Ruling out a "
         "Poodle**\nA liver Poodle is similar, but the tail here is not.\n\nThis is a **Curly-Coated Retriever**.",
         "Curly-Coated Retriever"),
        # "I'm going with" after trims the answer weighed
        ("Let me look. The grille is Subaru's hexagon, so it's a regular Impreza, maybe 2.5i or Premium. Okay, I'm going "
         "with a Subaru Impreza hatchback.", "Subaru Impreza hatchback"),
        # another item of the list the answer picks from is no refinement of the pick
        ("Candidates:\n\n* **Monarch** (*Danaus plexippus*) ✅\n* Viceroy — wing line\n* Southern Monarch — range\n\n"
         "I'm going with the **Monarch**: no black line across the hind wings.", "Monarch"),
        # a Chinese bracket with a Latin genus and an English name said to be one
        ("这是**天堂鸟**（Strelitzia，英文常称 Bird of Paradise）。橙色的花萼像鸟冠。", "Bird of Paradise"),
        # a Chinese generation is no name
        ("这是一辆**奔驰C级**，从车头格栅来看应该是W204代（2008款左右）的车型。", "奔驰C级"),
        # the verdict right after the answer's turn, not a description after it
        ("这辆车乍一看有点像雪佛兰，但从车标来看，它其实是一辆**别克君威（Buick Regal）**轿车。这是北美市场常见的中型车型之一。",
         "Buick Regal"),
        # JSON with Chinese keys: the model, not the brand
        ('{"品牌": "福特", "车型": "福特野马 (Ford Mustang)", "年份": 2012}', "Ford Mustang"),
        # a size or coat word before a lower-case breed
        ("a scruffy cairn terrier sitting on a rug", "cairn terrier"),
        # the colour the answer itself puts in quotes is no part of the name ...
        ("That looks like a yellow lab! The light coat is the \"yellow\" colour, next to black and chocolate.", "lab"),
        # ... but a capitalised name's word the answer explains is
        ("**Ruby Meadowhawk** (*Sympetrum rubicundulum*)\n\nThe body is the \"Ruby\" colour that gives it its name.",
         "Ruby Meadowhawk"),
        # a short answer under a bold label
        ("**Short answer:** a 2012 Audi S5 coupe.\n\n**Details:**\n- Single-frame grille\n- Quad exhausts",
         "2012 Audi S5 coupe"),
        # a caption's subject where it sits in the picture
        ("A foxglove is in the centre of the photo, with tall spikes of purple bells.", "foxglove"),
        # a category word that labels the answer's line, in another language
        ("Oiseau : **Mésange charbonnière** — mâle adulte. Calotte noire, joues blanches et une large bande noire "
         "sur la poitrine jaune.", "Mésange charbonnière"),
        # an English name in brackets after the Latin one, in another language
        ("Das ist ein **Rotkehlchen** (*Erithacus rubecula*, European Robin) auf einem Ast, mit der orangen Brust und "
         "dem runden Körper.", "European Robin"),
        # a verb and its particle, or the shape of a part, in an answer that names nothing
        ("The photo shows a cat on a windowsill. It is facing away from the camera, so its face is hidden and the "
         "breed cannot be determined.", None),
        ("From directly behind, all I can see is the tail-lamp shape and the roofline.", None),
        # a list of candidates the answer will not pick from ...
        ("Plausible candidates:\n\n- **Toyota Camry** — similar tail lamps\n- **Honda Accord** — similar bumper\n\n"
         "Without the badge, I'd rather not pick one.", None),
        # ... unless it picks after all
        ("Plausible candidates:\n\n- **Toyota Camry** — similar tail lamps\n- **Honda Accord** — similar bumper\n\n"
         "I'd rather not pick one without the badge, but if pushed I'd go with the Camry.", "Toyota Camry"),
        # the other name of a hedge is no plain statement after a conceded name
        ("The label is torn. It could be a **Kellogg's** cereal box or a **Post** box. The red rooster and the "
         "partial text \"Flakes\" point to **Kellogg's Corn Flakes**.", "Kellogg's Corn Flakes"),
        # "is what a X looks like" after a first guess taken back
        ("At first I took this for a Downy Woodpecker. On a second look, though, the bill is as long as the head, and "
         "that is what a Hairy Woodpecker looks like.", "Hairy Woodpecker"),
    ],
)
def test_sixty_ninth_round_opened_failure_classes(text: str, expected: str | None) -> None:
    """Wording classes of fresh462 - 465 (opened in round 69; fresh466 - 473 held out to its
    end), own examples: a table's naming row over prose that glosses it; a common name with
    "in the" glossed by a Latin name; a labelled field after a lead-in line; a hypothesis after
    the verdict; a bold verdict in a look-alike section; a closing list of what the answer
    counts (not of its subjects); a bold heading; "I'm going with"; the other items of a list
    the pick is in; a Chinese bracket with a labelled English name; a Chinese generation; the
    Chinese verdict right after a turn; Chinese JSON keys; and of empty parses in older opened
    sets: a coat word before a lower-case breed; a colour the answer puts in quotes; a short
    answer under a bold label; "is what a X looks like"; "A X is in the centre of the photo"; a
    category word labelling a line in another language ("Oiseau :"); "(*Latin*, English)"; and
    of names in declining answers: "is facing away", "the tail-lamp shape", "I'd rather not pick
    one" after a list; the other name of a hedge after a conceded one."""
    names = parse_answer(text)
    assert (names[0] if names else None) == expected, names


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a word for the sex, after "is actually the"
        ("That's a red phalarope! The brick-red underparts mean this one is a female — in phalaropes the female is "
         "actually the more colorful sex.", "red phalarope"),
        # a recognised pedigree named as what the pet is not
        ("This is a domestic cat with a grey tabby coat. Nothing about its head shape suggests a recognized pedigree "
         "breed; most cats like this are random-bred.", None),
        # a describing verb and a bare plural that ends the sentence
        ("The photo shows daffodils.", "daffodil"),
        ("The picture shows pink peonies in a vase.", None),
        ("The picture shows snowdrops emerging from the leaf litter, with nodding white bells.", "snowdrop"),
        ("The image shows pink camellia flowers.", "camellia"),
        ("The scan shows thickened bronchial walls with mucus plugging, consistent with bronchiectasis.",
         "bronchiectasis"),
        # "I'm going with" after a question answered no
        ("Could it be a snowdrop, Galanthus? Those also hang their bells, but the tips differ. So no.\n\n"
         "I'm going with the summer snowflake.", "summer snowflake"),
        # ... and with its Latin name after it, which is no hedge
        ("Could it be a snowdrop, Galanthus? Those also hang their bells, but the tips differ. So no.\n\n"
         "I'm going with the summer snowflake, Leucojum aestivum.", "summer snowflake"),
        # "even though" ends a lower-case name
        ("The bird is a warbler with a black cap. Judging by these features it is likely a blackpoll warbler, "
         "even though the legs are hidden.", "blackpoll warbler"),
        # "adds up to" gives the verdict after a look-alike set aside
        ("You might take it for a House Finch at first, since the head is red, but a few marks say otherwise:\n\n"
         "- The flanks are **plain white**.\n- The bill is **short and stout**.\n\nAll of that adds up to a "
         "**Purple Finch**.", "Purple Finch"),
        # a "Result:" step after a comparison that lists others
        ("1. **Tepals:** six, streaked on the inner ones.\n2. **Compare:**\n   - *Lilium* (lily) has no streaks.\n"
         "   - *Hemerocallis* (daylily) has strap leaves.\n3. **Result:** This is a **Peruvian lily**.", "Peruvian lily"),
        # "specifically it resembles *Latin*, the **common name**"
        ("This is a **Paphiopedilum**, or slipper orchid — specifically it resembles *Paphiopedilum insigne*, the "
         "**Lady Slipper of Assam**.\n\nThe pouch and the spotted dorsal sepal fit.", "Lady Slipper of Assam"),
        # a cultivar in quotes and the plant it is of
        ("These look like 'Ice Follies' daffodils, a large-cupped narcissus.", "'Ice Follies' daffodil"),
        ("This is a **'Purple Rain' salvia**.", "'Purple Rain' salvia"),
        ("This is a 'Jetfire' daffodil.", "Jetfire"),
        # a Chinese name glossed by a Latin-script name with accents
        ("这辆车是**雪铁龙C4 Picasso（Citroën C4 Picasso）**，一款紧凑型MPV，2012年推出。", "Citroën C4 Picasso"),
        # a Japanese model year is no name
        ("写真の車は**ホンダ・オデッセイ**です。2011年モデル（4代目）と思われます。", "ホンダ・オデッセイ"),
        # an English gloss after a word of the answer's language
        ("Parece un **Escarabajo Volkswagen** antiguo (Volkswagen Beetle en inglés), con los faros redondos.",
         "Volkswagen Beetle"),
        # a body style alone refines nothing
        ("That's a smart fortwo — specifically the cabrio, the soft-top version. The giveaway is the roll bar.",
         "smart fortwo"),
        # a coat length before a breed
        ("A short-haired chihuahua.", "chihuahua"),
        ("This is a Long-haired Dachshund.", "Dachshund"),
        ("This is a Long-Coated Dachshund.", "Long-Coated Dachshund"),
        ("This is a German Shorthaired Pointer.", "German Shorthaired Pointer"),
        # a correction to the name the first one's bracket gave already
        ("This is an **'Apple Blossom' amaryllis** (*Hippeastrum* 'Apple Blossom').\n\nThough sold as \"amaryllis\", "
         "these bulbs are actually *Hippeastrum*; the true amaryllis is a South African plant.", "'Apple Blossom' amaryllis"),
    ],
)
def test_seventieth_round_opened_failure_classes(text: str, expected: str | None) -> None:
    """Wording classes of fresh466 - 469 (opened in round 70; fresh470 - 477 held out to its
    end), own examples: the sex named after "is actually the"; a recognised pedigree the pet is
    not; a bare plural after a describing verb; "I'm going with" after a question answered no;
    "even though" ending a lower-case name; "adds up to"; a "Result:" step after a comparison;
    "specifically it resembles *Latin*, the common name"; a quoted cultivar and its plant in the
    plural or in bold; a Chinese name glossed with accented Latin letters; a Japanese model
    year; an English gloss after a word of the answer's language; a body style as the only
    refinement; a coat length before a breed; a correction to the first name's own gloss."""
    names = parse_answer(text)
    assert (names[0] if names else None) == expected, names


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a table of what the picture shows, beside the prose that names it
        ("The plant is a **Sea Holly** (*Eryngium planum*).\n\n| Part | What I see |\n|---|---|\n"
         "| Flower head | Oval cone, about the size of a thumbnail |\n| Bracts | Spiny, silvery |\n"
         "| Stem | Branched, blue-grey |\n| Leaves | Leathery, toothed |\n", "Sea Holly"),
        ("This is a **Love-in-a-mist** (*Nigella damascena*).\n\n| Trait | Seen here |\n|---|---|\n"
         "| Open flower | Pale blue, five sepals |\n| Centre | Green ovary with five horns |\n", "Love-in-a-mist"),
        # ... but a table whose keys name still answers
        ("The picture is of a garden.\n\n| Field | Value |\n|---|---|\n| Species | Foxglove |\n| Confidence | 80% |",
         "Foxglove"),
        # "I think" ends a lower-case name
        ("its a bleeding heart I think. pink hearts hanging from an arching stem.", "bleeding heart"),
        # a bare word, then "sometimes called"
        ("this is lantana, sometimes called shrub verbena or ham and eggs, with its orange-and-pink clusters.", "lantana"),
        # "hardy" describes; it makes no Latin name of a lower-case name
        ("It is a hardy fuchsia, also called lady's eardrops.", "hardy fuchsia"),
        # a sentence that opens with a hedge and a bare noun
        ("Fine needle leaves and yellow umbels on tall stems. probably fennel.", "fennel"),
        # an English name after the answer's own alias of the name, or after a dash
        ("Ce sont des **myosotis**, aussi appelés ne-m'oubliez-pas (*forget-me-not* en anglais).", "forget-me-not"),
        ("Es un **girasol** (*Helianthus annuus*) — *sunflower* / *common sunflower* en inglés.", "sunflower"),
        # "St." in an English gloss in brackets
        ("Das Foto zeigt einen großen Hund im Schnee. Es ist ein Bernhardiner (St. Bernard) mit einem Fass "
         "am Halsband.", "St. Bernard"),
        # the short form given in brackets, then used as the verdict
        ("This looks like one of two small terriers: a Border Terrier or a Norfolk Terrier (Norf Terr).\n\nThe drop "
         "ears, the wiry coat and the short legs make me think it's a Norf Terr rather than a Border Terrier.",
         "Norfolk Terrier"),
        ("The dog is a Staffordshire Bull Terrier (Staff Bull) or a Boxer. The broad head makes me think it's a "
         "Staff Bull.", "Staffordshire Bull Terrier"),
        # a mix, and the cross's name a sentence or two later
        ("This dog looks like a mix of a Cocker Spaniel and a Poodle. Its coat is wavy and apricot. This kind of "
         "cross is commonly called a Cockapoo.", "Cockapoo"),
        # a cross by its parents and its own name in brackets
        ("It is a Pug × Beagle (a \"Puggle\").", "Puggle"),
        ("* **Breed:** Mixed breed\n* **Likely mix:** Yorkshire Terrier × Poodle (a \"Yorkipoo\")\n"
         "* **Coat:** silky, tan", "Yorkipoo"),
        # the service a car is in is no part of its name
        ("The vehicle appears to be a ford explorer police car. It has a light bar on the roof.", "ford explorer"),
        ("It is a silver chevrolet silverado 1500 hybrid crew cab truck.", "chevrolet silverado 1500 hybrid crew cab"),
    ],
)
def test_seventy_first_round_opened_failure_classes(text: str, expected: str | None) -> None:
    """Wording classes of fresh470 - 473 (opened in round 71; fresh474 - 481 held out to its
    end), own examples: a table of attributes beside the prose that names; "I think" after a
    lower-case name; "sometimes called" after a bare word; "hardy" before a name; a sentence
    that opens with a hedge; an English gloss after the answer's own alias or after a dash; "St."
    in a bracketed gloss; a short form in brackets used as the verdict; a cross named a sentence
    later or in brackets after its parents; the service a car is in before its category noun."""
    names = parse_answer(text)
    assert (names[0] if names else None) == expected, names


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a decline of a finer level in the sentence or the one before it keeps the name
        ("This is a magnolia (*Magnolia stellata*). Nurseries sell dozens of named star magnolia "
         "cultivars, so I can't tell you which one this is.", "magnolia"),
        ("This is a **Foxglove** (*Digitalis*). Garden foxgloves are mostly hybrids now. I can't "
         "tell which one this is.", "Foxglove"),
        ("This is an Osprey. Both sexes look much alike, so I can't tell whether this is a male "
         "or a female.", "Osprey"),
        ("This looks like a Goldfinch. I can't tell which one this is without the wings.", None),
        # a finer level after a comma does not end a lower-case name
        ("So: a dwarf iris, cultivar unknown.", "dwarf iris"),
        # a quote stops a capitalised run, which gives back its dangling "of the"
        ('This is a Dark-eyed Junco of the "Oregon" western form, a female.', "Dark-eyed Junco"),
        # "thats" without its apostrophe
        ("ok so thats a song sparrow, a young one probably. streaky chest", "song sparrow"),
        # a genus in italics with a quoted cultivar
        ("It looks like *Clematis* 'Nelly Moser', the pale pink one with a darker bar.",
         "Clematis Nelly Moser"),
        # ... but offered as a cultivar of the plant named first, the plant stays first
        ("This is a **Lily**; the scent and the freckled petals suggest the cultivar *Lilium* "
         "'Stargazer'.", "Lily"),
        ("This is a bearded iris, probably *Iris* 'Jane Phillips' or another pale blue one.", "bearded iris"),
        # Dutch copulas, a Spanish lead and "muestra"
        ("Op de foto zie ik een Maine Coon met een lange vacht.", "Maine Coon"),
        ("Op deze foto staat een Border Collie, een slimme herdershond.", "Border Collie"),
        ("Por sus características, este perro parece un **Pastor Alemán** (en inglés, *German Shepherd*).",
         "German Shepherd"),
        ("La imagen muestra una pareja de **ánades reales** (en inglés, *Mallard*).", "Mallard"),
        # an English name before the label, after a comma
        ("Este gato es un **persa** (Persian, en inglés), de cara chata.", "Persian"),
        # "i.e." ends no sentence, and spells the code out
        ("I think it's an ACD, i.e. an Australian Cattle Dog, blue speckled coat.", "Australian Cattle Dog"),
        # "mostly" before a name
        ("Looks like a mix. It is probably mostly Beagle, maybe with some Basset in there.", "Beagle"),
        # "A and B" does not narrow B
        ("Hmm. It's between Havana Brown and Bombay for me. The copper eyes settle it: the answer "
         "is a Bombay.", "Bombay"),
        # a layout is a version, no name
        ("Checking the bed again - yes, that's the SUT layout. So this is the **Chevrolet Avalanche**.",
         "Chevrolet Avalanche"),
        # "Identified vehicle:" among make / model fields
        ("Make: Audi\nModel: A5\nYear: 2012\n\nIdentified vehicle: Audi S5 Coupe (2012)", "Audi S5 Coupe"),
        # what a person in the scene does is no name; "The car is a X" states it
        ("A red convertible on a beach road; the driver is wearing sunglasses. The car is a Ford "
         "Mustang Convertible.", "Ford Mustang Convertible"),
        ("The image shows a white stretch limousine at a hotel at night, and there is a red carpet "
         "leading to the door. The car is a Lincoln Town Car.", "Lincoln Town Car"),
        # a Chinese refinement with a comma before its copula
        ("这是一种山雀（tit）。具体来说，是**大山雀**（Great Tit）。", "Great Tit"),
        # "the common name is" after a Latin name
        ("*Eschscholzia californica* — the common name is California poppy. Silky orange petals.",
         "California poppy"),
        # a group in lower case, then "I can't narrow it down": no name
        ("The bird is partly hidden, so it is probably a flycatcher or a phoebe. Without a clearer "
         "view of the face, I can't narrow it down further.", None),
        # thoughts that settled, then an answer cut off before it names
        ("<think>\nBlue star-shaped flowers on short stems, alpine turf. Gentiana verna has five "
         "spreading lobes. I'm fairly confident this is a spring gentian.\n</think>\n\n## "
         "Identification\n\nThe deep blue star-shaped flower sitting low in the", "spring gentian"),
        ("<think>\nBlue flowers. Could be a gentian or a bellflower, hard to say.\n</think>\n\n"
         "## Identification\n\nThe deep blue flower sitting low in the", None),
        # "En la foto se ven" is the copula, not a picture lead: the count is no part of the name
        ("En la foto se ven tres garzas reales (*Ardea cinerea*) en la orilla.", "garzas reales"),
        # "can't be sure which" before a list of candidates
        ("I can't be sure which flower this is. Possible matches:\n\n* **Gazania** - dark ring\n"
         "* **Arctotis** - grey leaves", None),
    ],
)
def test_seventy_second_round_opened_failure_classes(text: str, expected: str | None) -> None:
    """Wording classes of fresh474 - 477 (opened in round 72; fresh478 - 485 held out to its
    end), own examples: a finer level declined (cultivars, hybrids, the sex); a finer level after
    a comma; a run stopped at a quote; "thats"; a genus with a quoted cultivar; Dutch and Spanish
    leads; an English name before "en inglés"; "i.e."; "mostly"; "A and B"; a layout;
    "Identified vehicle:"; a scene's person; "The car is"; a Chinese refinement; "the common
    name is"; "I can't narrow it down"; an answer cut off after thoughts that settled; "En la foto
    se ven"; "can't be sure which"."""
    names = parse_answer(text)
    assert (names[0] if names else None) == expected, names


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a one-word name, then its colour after a comma; not an adverb
        ("Samoyed, white fluffy coat.", "Samoyed"),
        ("Sadly, grey skies make the bird hard to see.", None),
        # "really" after an article; not "are really X", said of other plants
        ("This is a really pretty foxglove.", "foxglove"),
        ("So this is a **Thanksgiving cactus**. Most 'Christmas cacti' sold in shops are really "
         "Thanksgiving cacti.", "Thanksgiving cactus"),
        # a Japanese label in bold is no name
        ("**犬種：** シバイヌ（Shiba Inu）\n* 小型\n* 巻き尾", "Shiba Inu"),
        # a Portuguese label; the English name on a line of its own further down
        ("**Identificação:** Bem-te-vi (*Pitangus sulphuratus*)\n**Família:** Tyrannidae\n\nÉ uma ave "
         "muito comum no Brasil, com o peito amarelo e uma faixa branca na cabeça.", "Bem-te-vi"),
        ("**Identificação:** Girassol (*Helianthus annuus*)\n\n* **Cor:** amarelo intenso\n* **Folhas:** "
         "grandes e ásperas\n\nA planta tem um capítulo muito grande, com as pétalas amarelas e um disco "
         "central castanho.\n\nEm inglês, é chamado de *sunflower*.", "sunflower"),
        # a genus in brackets is no common name; a genus is Latin where it is in italics
        ("**Conclusion:** It is an **Amaryllis** (genus *Hippeastrum*). Note that the true *Amaryllis* is "
         "*Amaryllis belladonna*, and the one sold as amaryllis is botanically a *Hippeastrum*.", "Amaryllis"),
        ("### Result\n**Identification:** Clematis (leather flower)\n**Genus:** *Clematis*\n\n"
         "### Explanation\nTwining leaf stalks.", "Clematis"),
        # a colour opens no Latin name
        ("**Identification:** Blue lobelia (great blue lobelia)\n**Scientific name:** *Lobelia siphilitica*",
         "Blue lobelia"),
        # "before writing the final answer" gives no verdict
        ("<think>\nFive waxy petals in a pinwheel, yellow centre. So the answer is frangipani. Let me check "
         "the leaves before writing the final answer: long leaves with pointed tips, typical of Plumeria "
         "rubra and P. alba. The tips in the photo seem", "frangipani"),
        # "those are actually" corrects the look-alike, not the answer
        ("This looks like a hardy geranium. People confuse these with the red bedding kind, but those are "
         "actually pelargoniums.", "hardy geranium"),
        # French "est un"
        ("La fleur sur l'image est un **magnolia** (probablement *Magnolia stellata*). Les pétales sont "
         "blancs et étroits.", "magnolia"),
        # a make, then "too ... for me to say which model"; "pin this down" or "difficult to say
        # which" before candidates
        ("This is clearly a **Ferrari** from the prancing horse badge, but the photo is too dark and too "
         "tightly framed for me to say which model it is.", None),
        ("I can't pin this down to one breed. Possible matches:\n\n* **Maltese** – white coat\n"
         "* **Havanese** – wavy coat", None),
        ("It's difficult to say which model this is. Candidates:\n\n* **Ford Focus** – grille shape\n"
         "* **Mazda3** – the lights", None),
        # a time of day names no class
        ("The image shows a silver hatchback parked in front of a house, and the sky is clear, "
         "suggesting that it is a sunny day.", None),
        # the centerpiece of the picture; "moving" is where it is
        ("A bright red Ferrari 458 Italia is the centerpiece of this photo. Its low stance makes it look "
         "like it's moving even while parked.", "Ferrari 458 Italia"),
        # "rather than" inside the evidence that identifies it
        ("At a glance it might resemble a thrush, but the long tail and the streaks rather than spots "
         "identify it as a Brown Thrasher.", "Brown Thrasher"),
        # a family in brackets, after a group or in bold
        ("The bird is a New World warbler (family Parulidae). From the orange throat, it is a male "
         "**Blackburnian Warbler**.", "Blackburnian Warbler"),
        ("It belongs to the woodpecker family (**Picidae**). It is a **Red-bellied Woodpecker** with a "
         "red nape.", "Red-bellied Woodpecker"),
        ("This is a **Pincushion Flower** (genus *Scabiosa*), likely *Scabiosa columbaria*.", "Pincushion Flower"),
        # "more precisely:" refines
        ("This is a Yellow-rumped Warbler; the white throat puts it in the eastern group. So, more "
         "precisely: a Myrtle Warbler.", "Myrtle Warbler"),
        # a code, then the name with its sex
        ("Verdict: AMRE, a male American Redstart.", "American Redstart"),
        # Italian: a picture lead and a decline; not of a variety
        ("Nell'immagine si vede un'anatra in volo, ma è troppo lontana. Non posso indicare la specie.", None),
        ("Sembra una **rosa** (*Rosa*). Ci sono migliaia di varietà e da una foto non posso indicare la "
         "varietà.", "rosa"),
        # a name in capitals, then its Latin name
        ("PAINTED BUNTING Passerina ciris. Male: blue head, red underparts, green back.", "PAINTED BUNTING"),
        # Korean: the sex after the name
        ("원앙 수컷입니다. 화려한 깃털이 특징입니다.", "원앙"),
        # candidates in a row, then "I can't determine which"; Spanish "el modelo" after a make
        ("The image shows a small white fluffy dog. It could be a Bichon Frise, a Maltese, or a "
         "Havanese. Without a clearer view of the coat, I can't determine which of these breeds it is.", None),
        ("It could be a Beagle, a Harrier or a Foxhound. The long ears and the size say Beagle.", "Beagle"),
        ("Es un BMW, por el doble riñón de la parrilla, pero no puedo determinar el modelo exacto: la "
         "imagen está muy oscura.", None),
        ("The car could be a Mazda3 or a Mazda6. Both have the same grille, and the picture is too "
         "dark for me to tell which one.", None),
        ("I can't confidently choose between them:\n\n- **Gazania** - dark ring at the base\n"
         "- **Arctotis** - grey leaves\n\nA side view would settle it.", None),
        # "drake" after the name, as "hen" before it
        ("That's a Mallard drake, with its glossy green head and yellow bill.", "Mallard"),
        # a fuller English name after words of the answer's language
        ("Es una camioneta Toyota Tacoma de cabina doble (en inglés, Toyota Tacoma Double Cab), de 2010 "
         "aprox.", "Toyota Tacoma Double Cab"),
        # the English name the thoughts translate the answer's name from
        ("<think>\nThe user wrote in German. Long coat, white chest, heavy paws. That's a Bernese Mountain "
         "Dog — in German, Berner Sennenhund.\n</think>\n\n**Ergebnis:** Berner Sennenhund",
         "Bernese Mountain Dog"),
    ],
)
def test_seventy_third_round_opened_failure_classes(text: str, expected: str | None) -> None:
    """Wording classes of fresh478 - 481 (opened in round 73; fresh482 - 489 held out to its
    end), own examples: a colour after a one-word name; "really"; CJK and Portuguese labels in
    bold; an English name on a later line; "(genus X)"; a genus in italics elsewhere; a colour
    before a name; "before writing the final answer"; "those are actually"; French "est un";
    make and list declines; a time of day; the centerpiece; "rather than" in the evidence; a
    family in brackets; "more precisely:"; a code and the name with its sex; Italian; a name in
    capitals and its Latin name; Korean sex words; candidates in a row declined ("A, B or C",
    "A or B"); "can't choose between them"; Spanish "el modelo"; "drake" after a name; a fuller
    English gloss; a translation in the thoughts."""
    names = parse_answer(text)
    assert (names[0] if names else None) == expected, names


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('**Step 1 — Colour:** olive above, yellow below.\n**Step 2 — Face:** a black hood around a yellow mask.\n**Step 3 — Result:** Hooded Warbler (*Setophaga citrina*), adult male.', 'Hooded Warbler'),
        ("yep that's a cedar waxwing for sure, look at that mask and the waxy red wingtips", 'cedar waxwing'),
        ('NORTHERN PARULA  Setophaga americana  L 4½"\nA tiny warbler of the canopy. Blue-gray above with a greenish back patch; compare Yellow-throated Warbler.', 'NORTHERN PARULA'),
        ("Eastern Whip-poor-will  Antrostomus vociferus\nHeard far more often than seen. Smaller and grayer than Chuck-will's-widow.", 'Eastern Whip-poor-will'),
        ('Dit is een **pinksterbloem** (*Cardamine pratensis*), in het Engels ook wel cuckooflower genoemd. De bloemen zijn lila.', 'cuckooflower'),
        ('Es una **capuchina**, también conocida como espuela de galán (en inglés, *nasturtium*). Sus hojas son redondas.', 'nasturtium'),
        ('*Echinocactus grusonii* (heavy spines, golden)\n\nA round cactus in a pot.', 'Echinocactus grusonii'),
        ('**Final answer:** Kolkata chicken biryani (potato, egg).', 'Kolkata chicken biryani'),
        ("Family: Tyrannidae, the tyrant flycatchers. It could be an Alder Flycatcher or a Willow Flycatcher, and without hearing it I'd rather not guess between them.", None),
        ("The rings on the grille say Audi, but the car is so far away that I can't reliably distinguish between the models that share this front end.", None),
        ("It's hard to say. Some options:\n\n* **Aster** – daisy-like heads\n* **Erigeron** – finer rays\n\nA photo of the leaves would help narrow it down.", None),
        ('While the long coat and the white collar might make you think of a Rough Collie, the dog is far too small. This is a **Shetland Sheepdog**.', 'Shetland Sheepdog'),
        ('The dog is a Blenheim Cavalier King Charles Spaniel lying on a rug.', 'Cavalier King Charles Spaniel'),
        ('**Marke:** Audi\n**Modell:** A5 Sportback\n**Baujahr:** ca. 2012\n\nDer Singleframe-Grill und die flache Dachlinie sprechen dafür.', 'Audi A5 Sportback'),
        ("This looks like a dodge charger from the LX generation. It's a V6 car, judging by the single exhaust.", 'dodge charger'),
        ('def a bald eagle lol, look at that white head', 'bald eagle'),
        ('prob a ybsa (yellow-bellied sapsucker), the white wing stripe gives it away', 'yellow-bellied sapsucker'),
        ('Trudno jednoznacznie określić rasę — pies wygląda na mieszańca owczarka z labradorem.', None),
        ('*Tricyrtis hirta* (toad lily, hairy toad lily)\n\nSpotted, orchid-like flowers in autumn shade.', 'toad lily'),
    ],
)
def test_seventy_fourth_round_opened_failure_classes(text: str, expected: str | None) -> None:
    """Wording classes of fresh482 - 485 (opened in round 74; fresh486 - 493 held out), own
    examples: a step label after a dash; "for sure" after a lower-case name; a field guide's
    entry line; Dutch and Spanish English glosses; two common names in brackets; declines
    ("rather not guess", "distinguish between the models", Polish "trudno", "would help narrow
    it down"); a look-alike conceded, then "This is a **X**"; a Cavalier's coat; German car
    fields; an engine; chat shorthand and a code in lower case."""
    names = parse_answer(text)
    assert (names[0] if names else None) == expected, names


def test_a_name_people_call_the_breed_is_no_candidate() -> None:
    """'people sometimes call them "X"' gives another name of the breed named before, not a
    candidate of its own (fresh400)."""
    names = parse_answer('All told, this is a cream British Shorthair. People sometimes call them "British Creams."')
    assert names == ["British Shorthair"]


def test_english_answers_keep_their_words() -> None:
    """The phrasebook rewrites answers in other languages only: no real English answer changes."""
    for name in ("birds_qwen.json", "dogs_qwen.json"):
        answers = json.loads((REPO / "tests" / "data" / "mllm_answers" / name).read_text(encoding="utf-8"))
        for entry in answers.values():
            text = entry["model_main_response"]
            assert english_cues(text) == text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a table scored in any column: its rows as candidates, best score first
        ("| Candidate | Confidence | Key evidence |\n|---|---|---|\n| Western Meadowlark | 40% | "
         "yellow malar |\n| Eastern Meadowlark | 55% | white malar |\n| Dickcissel | 5% | bill |",
         ["Eastern Meadowlark", "Western Meadowlark", "Dickcissel"]),
        ("| Make / Model | Generation | Confidence |\n|---|---|---|\n| Porsche 718 Cayman | 982 | "
         "0.10 |\n| Porsche 911 Carrera | 992 | 0.85 |\n\nThe full-width light bar fits the 992.",
         ["Porsche 911 Carrera", "Porsche 718 Cayman"]),
        # a rank column is no name; words as scores keep the table's order
        ("| Rank | Species | Score |\n|---|---|---|\n| 1 | Harris's Sparrow | 0.72 |\n| 2 | "
         "White-crowned Sparrow | 0.15 |", ["Harris's Sparrow", "White-crowned Sparrow"]),
        ("| Breed | Confidence |\n|---|---|\n| Keeshond | High |\n| Samoyed | Low |",
         ["Keeshond", "Samoyed"]),
        # a two-column table of fields
        ("| Field | Value |\n|---|---|\n| Vehicle | McLaren MP4-12C |\n| Year | 2012 |",
         ["McLaren MP4-12C"]),
    ],
)
def test_scored_tables_rank_by_score(text: str, expected: list[str]) -> None:
    """fresh217: a model's table of candidates lists them in its own order, its scores say
    which it picks."""
    assert parse_answer(text)[: len(expected)] == expected


@pytest.mark.parametrize(
    ("got", "reference", "expected"),
    [
        ("2012 Audi S4 Sedan", "Audi S4", True),  # years are no words; one extra word
        ("Audi S4 Avant Quattro", "Audi S4", False),  # two extra words
        ("Audi S4 sedan", "Audi S4", True),
        ("2012 Audi S4", "Audi S4", True),
        ("tiger lilies", "tiger lily", True),
        ("foxgloves", "Foxglove", True),
        ("Western Meadowlark", "Eastern Meadowlark", False),
        ("Ragdoll cat", "Ragdoll", True),
    ],
)
def test_variant_view_of_the_benchmark(got: str, reference: str, expected: bool) -> None:
    """bench/parser_quality.py's "up to a vocabulary variant" line counts the names the
    vocabulary treats as fragments of one class, and no others."""
    assert _bench_module().variant_name(got, reference) is expected


@pytest.mark.parametrize(
    ("domain", "reference", "text", "expected"),
    [
        ("flowers", "sweet peas", "These are sweet peas on a trellis.", "sweet pea"),
        ("flower species", "Canterbury Bells", "Canterbury Bells (Campanula medium).", "canterbury bells"),
        ("cats", "Ragdoll cat", "A Ragdoll cat on a sofa.", "Ragdoll"),
        ("birds", "Song Sparrow", "It is a Song Sparrow.", "Song Sparrow"),
        ("flowers", "yellow daffodil", "A yellow daffodil.", None),  # "daffodil" is the class
        ("flowers", "sweet pea", "It looks like Lathyrus odoratus.", None),  # not written
        ("cars", "Audi S4", "An Audi S4.", None),  # no class list for the domain
        ("birds", "", "I can't tell.", None),
    ],
)
def test_dataset_class_view_of_the_benchmark(domain: str, reference: str, text: str, expected: str | None) -> None:
    """bench/parser_quality.py's dataset-name line scores an answer against the class name of
    the dataset behind its domain (issue 9's measure), where the reference names that class up
    to a plural or a category word and the answer writes it."""
    bench = _bench_module()
    assert bench.dataset_class(bench.DevAnswer("style", domain, text, reference)) == expected


def test_parser_modules_define_each_name_once() -> None:
    """A module-level name assigned twice in the parser package silently replaces the first
    pattern for every use (a second ``_FORMER_NAME`` in verdict.py once did, a second
    ``CLAUSE_WORDS`` in the lexicon another time); each name is defined in one module and
    imported where it is used."""
    owners: dict[str, str] = {}
    for path in [*sorted((REPO / "near_core" / "mllm" / "parse").glob("*.py")), REPO / "near_core" / "mllm" / "lexicon.py"]:
        for node in ast.parse(path.read_text()).body:
            targets = node.targets if isinstance(node, ast.Assign) else (
                [node.target] if isinstance(node, ast.AnnAssign) else [])
            names = [t.id for t in targets if isinstance(t, ast.Name)]
            if isinstance(node, ast.FunctionDef | ast.ClassDef):
                names.append(node.name)
            for name in names:
                assert name not in owners, f"{name} defined in {owners[name]} and {path.name}"
                owners[name] = path.name
