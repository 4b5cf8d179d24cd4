"""Word lists of the answer parser (:mod:`near_core.mllm.parse`): the lower-case words that
open, continue, end or disqualify a name in an MLLM's answer, one list per idea. The parser's
patterns and rules live in the ``parse`` package."""

from __future__ import annotations

_GENERIC_WORDS = """
    a an the this that it its i bird birds dog dogs cat cats animal animals breed breeds species
    image picture photo photograph object objects unknown none null nil n/a na nothing
    view views sight scene scenes horse horses
    unidentified undetermined unclear uncertain not sure unsure other others various mixed mix
    mixed-breed cross crossbreed unanswerable unidentifiable indeterminate illustration painting
    drawing sketch cartoon rendering puppy puppies canine canines flower flowers plant plants car
    wildflower wildflowers houseplant houseplants
    cars vehicle
    aircraft airplane item thing specimen subject individual answer label name class yes no
    true false note key features characteristics identification analysis conclusion summary
    sure okay ok hello hi certainly step candidate candidates option options possibility
    alternative alternatives year years
    possibilities guess guesses match matches fit best choice bet hallmark hallmarks sign signs signature
    giveaway giveaways shape shapes silhouette outline proportions
    trait traits mark marks feature genus family subfamily food meal example all cultivar
    variety id final verdict
    seabird seabirds songbird songbirds shorebird shorebirds waterbird waterbirds waterfowl
    raptor raptors passerine passerines wader waders gamebird landbird
    both sex sexes gender pedigree pedigrees
    lesion lesions
    cutie beauty stunner sweetie sweetheart charmer looker cuddlebug fluffball floof
"""
# Numbers written as words that count the ones pictured ("five herring gulls").
COUNT_WORDS = ("two", "three", "four", "five", "six", "seven", "eight", "nine", "ten")
# Nouns no name ends in: what an answer calls itself ("This is an AI-generated interpretation",
# "an educational reading") and what marks a kind ("a classic Malamute trait").
UNNAMED_HEADS = frozenset(
    ["interpretation", "interpretations", "reading", "readings", "impression", "findings"]
    + ["trait", "traits", "feature", "features", "hallmark", "hallmarks", "characteristic", "characteristics"]
)
GENERIC = frozenset(_GENERIC_WORDS.split()) | frozenset(COUNT_WORDS) | UNNAMED_HEADS
# Times of day end no name either ("it is a sunny day", "a peaceful afternoon at home": a scene),
# but open some ("morning glory", "evening primrose"), so they are no generic words.
TIMES_OF_DAY = frozenset(["day", "morning", "afternoon", "evening"])
# Growth forms: they end descriptions ("an aquatic perennial"), not names; "perennial
# cornflower" names a kind.
GROWTH_FORMS = frozenset(["perennial", "perennials", "annual", "annuals", "biennial", "biennials"])
_FUNCTION_WORDS_TEXT = """
    i i'm it it's is are was be been this that these those to on at in for with by from look
    looks based think see seems appears can could would should will not no than often very
    quite too so still also just only really fairly relatively slightly usually generally
    typically mostly more less best better well exactly perfectly nicely much exact precise
    sometimes always never rarely seldom enough something anything everything nothing
    between
"""
FUNCTION_WORDS = frozenset(_FUNCTION_WORDS_TEXT.split())
# Lower-case words that may sit inside a multi-word name ("Black and Tan Coonhound").
CONNECTORS = frozenset(
    {"and", "&", "of", "de", "du", "des", "del", "della", "la", "le", "von", "van", "au", "aux", "al", "à"}
)
ABBREVIATIONS = frozenset({"St.", "Mt.", "Ste.", "Dr.", "No."})
PARTICLES = frozenset({"de", "des", "van", "von", "du", "da", "di", "del", "della", "dos"})
# Words that hedge a name ("probably a Dahlia", "X, or possibly Y").
HEDGES = frozenset(["likely", "probably", "possibly", "perhaps", "maybe"])
# Words that open a new clause after a name ("a chanterelle, which ...", "lily or rose").
CLAUSE_WORDS = frozenset(
    [
        "or",
        "and",
        "with",
        "which",
        "that",
        "who",
        "whose",
        "what",  # "I need to say what breed it is"
        "whether",
        "because",
        "since",
        "as",
        "but",
        "though",
        "although",
        "while",
        "given",
        "judging",
        "based",
        "from",
        "due",
        "where",
        "whereas",
        "due",
        "also",
        "commonly",
        "known",
        "called",
        "specifically",
        "here",
        "there",
        "instead",
    ]
) | HEDGES
TAIL_END_WORDS = CLAUSE_WORDS | {"to", "is", "are", "was", "rather"}  # "[Canterbury] bells rather than ..."
# ends of nouns that read like participles or adjectives: "starling", "bunting", "bindweed"
NAME_LIKE_ENDINGS = (
    "weed", "seed", "reed", "bed", "bunting", "starling", "herring", "whiting", "duckling",
    "gosling", "sapling", "seedling", "dumpling", "grayling", "pudding", "samoyed", "morning",
    "evening", "fish",  # "clownfish", "lionfish"; not "selfish" (unselfish, elfish: rare)
    "lapwing", "redwing", "waxwing", "brambling", "sanderling", "riesling", "farthing",
    "megaly", "anomaly",  # "cardiomegaly", "Ebstein's anomaly": no adjectives in "-ly"
)
# past participles without -ed: "where this was taken", "the bird was seen" (no name's last word)
_IRREGULAR_PARTICIPLES_TEXT = """
    taken seen given chosen written broken eaten driven frozen hidden stolen spoken shaken
    forgotten gotten bitten ridden risen fallen grown shown known drawn thrown blown flown
    worn torn sworn done gone begun sung swum shot caught bought brought thought taught found
    held kept left lost made met paid said sent spent told understood
"""
IRREGULAR_PARTICIPLES = frozenset(_IRREGULAR_PARTICIPLES_TEXT.split())
DESCRIBING_VERBS = frozenset(
    {"show", "shows", "depict", "depicts", "features", "contains", "displays", "presents", "see",
     "can see", "could see", "muestra", "montre", "mostra", "zeigt",  # "La imagen muestra una X"
     "showcase", "showcases", "capture", "captures", "portray", "portrays",  # captioners: "The
     "illustrates"}  # image showcases a X"
)
PLURAL_VERBS = frozenset({"are", "were", "they're", "look like", "resemble"})
# Parts and features of the subject: "the bill is broad and flat", "the roof is a folding
# fabric top" describe a part; lower-case words after them name nothing.
_PART_NOUNS_TEXT = """
    bill beak tail wing wings head face crown cap throat breast chest belly back neck nape
    eye eyes eyebrow ring mask legs leg feet foot toes body plumage feathers coat fur hair ears
    ear muzzle nose snout paws paw petal petals leaf leaves stem stems stalk flower-head bloom
    blooms centre center sepals bract bracts roof grille headlights lights wheels doors door
    bumper hood windshield interior trim badge logo colour color pattern markings
    underparts upperparts flanks rump sides background lighting shape size part parts
    lobe lobes margin margins vein veins needles bark cone cones gill gills pores spines fin fins
    scales engines winglets wingtips fuselage bud buds stamen stamens floret florets pod pods
"""
PART_NOUNS = frozenset(_PART_NOUNS_TEXT.split())
# Lower-case words that describe rather than name ("a small, fluffy dog", "a young one").
DESCRIPTIVE = frozenset(
    [
        "small",
        "large",
        "big",
        "tiny",
        "little",
        "medium",
        "medium-sized",
        "large-sized",
        "huge",
        "young",
        "adult",
        "cute",
        "beautiful",
        "fluffy",
        "furry",
        "fat",
        "thin",
        "tall",
        "wild",
        "domestic",
        "typical",
        "close",
        "strong",
        "distinctive",
        "classic",
        "healthy",
        "happy",
        "mature",
        "pretty",
        "lovely",
        "colorful",
        "colourful",
        "vibrant",
        "dark",
        "bright",
        "pale",
        "striking",
        "unusual",
        "single",
        "mixed",
        "hybrid",
        "juvenile",
        "male",
        "female",
        "baby",
        "immature",
        "close-up",
        "blurry",
        "good",
        "great",
        "nice",
        "rare",
        "different",
        "similar",
        "possible",
        "certain",
        "specific",
        "particular",
        "recognized",
        "recognised",
        "short",
        "long",
        "separate",
        "distinct",
        "other",
        "frequent",
        "occasional",
        "second",
        "poor",
        "likely",
        "probable",
        "plausible",
        "reasonable",
        "weak",
        "military",
        "civilian",
    ]
)
# how the one pictured looks, never the first word of a name ("a fluffy persian", "a cute beagle
# puppy"); unlike sizes ("small tortoiseshell", "tall bearded iris")
PORTRAIT_WORDS = frozenset(
    ["cute", "adorable", "fluffy", "furry", "fuzzy", "beautiful", "pretty", "lovely", "gorgeous",
     "happy", "healthy", "playful", "sleepy", "curious", "vibrant", "colorful", "colourful", "blurry",
     "close-up", "fat", "chubby", "hairless", "scruffy", "sleek", "long-haired", "short-haired"]
)
# lower-case head nouns that point back at a name instead of giving one ("the smaller model",
# "the latter one", "this version")
POINTER_NOUNS = frozenset(["one", "ones", "model", "models", "version", "versions", "variant"])
# what a trait is "typical of" besides a name: "the Australian Shepherd side", "Poodle ancestry"
LINEAGE_NOUNS = frozenset(
    ["side", "parent", "parents", "ancestry", "genes", "genetics", "heritage", "lineage",
     "influence", "tradition", "traditions", "bloodline", "bloodlines"]
)
NAME_FORMING = frozenset(
    # adjectives that open common names ("great tit", "little egret", "common frog"), unlike
    # the plain descriptions above ("small", "cute"); with a noun after them they are a name
    ["great", "greater", "lesser", "least", "little", "common", "giant", "wild", "domestic"]
    + ["dark", "pale"]
    + ["false"]  # "false morel", "false indigo"; alone ("False.") still no name
)
# a descriptive word that opens a name of three words or more ("hybrid tea rose", "hybrid musk
# rose"), not one of two ("a hybrid magnolia" is a magnolia)
COMPOUND_FORMING = frozenset(["hybrid"])
# lower-case words after "is" that describe or judge rather than name ("this is tricky")
_ADJECTIVE_WORDS = """
    white black brown grey gray red orange yellow green blue purple pink violet golden silver
    classy cute sporty fancy nice handsome vintage luxury
    tan cream beige cyan crimson scarlet maroon olive teal turquoise bronze rusty rufous buff
    clear unclear difficult hard easy tricky obvious evident sure unsure correct right wrong
    straightforward bulkier heavier lighter smaller larger bigger slimmer stockier
    true false interesting rare uncommon visible present absent native abundant endemic popular hardy
    low high grainy pixelated
    unmistakable important fine okay perfect real ready open closed wet dry old new hot cold
    warm cool fresh ripe raw cooked whole empty full round flat smooth rough soft firm shiny
    fluffy furry hairy healthy pretty sturdy stocky bushy spotty leggy plain simple unique
    odd strange weird same alike identical consistent blurry spiny thorny scaly glossy leafy
    woolly feathery downy waxy velvety silky grassy sandy rocky muddy snowy sunny cloudy shaggy
    brindle merle tabby calico tortoiseshell tortie sable fawn piebald dapple roan tricolor
    tricolour bicolor bicolour harlequin seal point lynx lilac
    stripy fuzzy bumpy lumpy warty slimy sticky sharp blunt pointed broad narrow heavy thick
    thin sleek chunky compact stout slender slim dense bright dull pure long short tall deep wide
    midsize mid-size full-size fullsize subcompact lean lanky muscular athletic elegant
    diagnostic characteristic typical telltale
"""
ADJECTIVES = frozenset(_ADJECTIVE_WORDS.split())
# Colours written before a name that are not part of it ("a red poppy", "a silver honda accord").
_TINTS_TEXT = """
    white black brown grey gray red orange yellow green blue purple pink golden silver magenta
    crimson scarlet maroon
"""
TINTS = frozenset(_TINTS_TEXT.split())
# Nouns of quantity before a name: "a bunch of sweet williams", "a field of sunflowers"; the
# collective ones hold many ("a flock of Brown Pelicans": one Brown Pelican each).
_COLLECTIVE_NOUNS_TEXT = """
    bunch field cluster clump bed patch bouquet row carpet mass drift group pair couple
    flock school shoal swarm colony herd pod troop gaggle
"""
COLLECTIVE_NOUNS = frozenset(_COLLECTIVE_NOUNS_TEXT.split())
QUANTITY_NOUNS = COLLECTIVE_NOUNS | frozenset(
    ["vase", "pot", "example", "case", "instance", "specimen", "symptom", "piece"]  # "pieces of nigiri"
)
# what a dish is served on or in ("a plate of nachos", "a bowl of pho"): what it holds is a dish
SERVING_NOUNS = frozenset(
    ["plate", "bowl", "dish", "platter", "serving", "portion", "basket", "tray", "stack", "board"]
)
# what a product or a food comes in ("a can of Pepsi Max", "a bag of Doritos", "a slice of
# cheesecake"): what it holds is the name
CONTAINER_NOUNS = frozenset(
    ["bottle", "can", "box", "jar", "tin", "pack", "packet", "package", "pouch", "tub", "bag", "carton",
     "mug", "cup", "glass", "loaf", "crate", "jug", "pot", "pan", "bar", "tube", "roll", "set", "kit",
     "slice", "piece", "wedge", "scoop", "skewer", "packs", "cans", "bottles", "boxes", "jars", "bags",
     "block", "wheel"]  # "a block of feta", "a wheel of brie"
)
# colours and coat words that are also names of plants or animals: alone they name ("a lilac",
# "This is a chinchilla.", "an olive tree")
LIVING_COLOURS = frozenset(["lilac", "violet", "olive", "chinchilla", "lynx", "mink", "sable"])
# coat patterns ("a seal point Siamese", "a blue merle Collie"), then the colours of coats,
# plumage or paint ("a brindle Boxer", "a ginger Maine Coon")
_COAT_PATTERNS_TEXT = """
    tabby tortoiseshell tortie calico tuxedo harlequin dapple sable brindle merle point pointed
    colorpoint colourpoint bicolor bicolour tricolor tricolour parti lynx roan smoke chinchilla
    shaded mink sepia mitted spotted marbled ticked blenheim
"""
COAT_PATTERNS = frozenset(_COAT_PATTERNS_TEXT.split())
_COAT_COLOURS_TEXT = """
    ruddy golden silver smoky fawn tan rust liver wheaten blonde chocolate seal blue red black
    white cream apricot grey gray brown cinnamon lilac platinum champagne sorrel ginger orange snow
"""
COAT_WORDS = COAT_PATTERNS | frozenset(_COAT_COLOURS_TEXT.split())
# coat words no name of a breed or species opens with (not "wheaten terrier", "golden
# retriever", "harlequin duck", "calico scallop", "small tortoiseshell", "roan antelope")
_COAT_ONLY_TEXT = (
    "fawn brindle merle tabby tortie tuxedo dapple tricolor tricolour bicolor bicolour parti colorpoint colourpoint mitted blenheim"
)
COAT_ONLY = frozenset(_COAT_ONLY_TEXT.split())
ADJECTIVE_ENDINGS = (
    "ous",
    "ful",
    "ive",
    "able",
    "ible",
    "less",
    "ish",
    "ical",
    "ed",
    "ing",
    "ly",
    "est",
    "ent",
    "ant",
    "ial",
    "ular",
)
# the nouns a class name may carry after it ("a Ragdoll cat", "a Newfoundland dog"); not the
# nouns that end common names ("poison dart frog", "stag beetle", "dragon fruit")
_CATEGORY_WORDS_TEXT = """
    cat cats kitten kittens dog dogs puppy puppies pup pups bird birds flower flowers plant plants mushroom mushrooms
    fungus car cars vehicle aircraft airplane airliner plane jet turboprop trijet twinjet
    biplane helicopter dish animal tree trees butterfly insect reptile cheese boat ship truck
    dragonfly damselfly caterpillar
    motorcycle bike shoe scooter tractor train locomotive trainset vessel watercraft bicycle
    e-bike bus
    architecture pattern texture
"""
CATEGORY_WORDS = frozenset(_CATEGORY_WORDS_TEXT.split())
# nouns a description or a naming phrase ends in before the name ("a Japanese dish called X",
# "a green and black beetle, tiger beetle"): the categories, and kinds that end names too
KIND_NOUNS = CATEGORY_WORDS | frozenset(
    ["dish", "breed", "species", "variety", "cultivar", "soup", "stew", "dessert", "pastry", "bread", "snack", "salad", "curry", "fish", "beetle", "moth", "ant", "bee", "spider", "snake", "frog"]
)
# animal words that open plant names ("dog rose", "cat thyme", "bird cherry", "horse chestnut")
ANIMAL_EPITHETS = frozenset(["dog", "cat", "bird", "bee", "horse", "snake", "toad", "goat"])
# body styles that end vehicle class names ("Audi TT RS Coupe 2012"), written in lower case
_BODY_STYLES_TEXT = """
    sedan saloon coupe coupé convertible cabriolet cabrio hatchback minivan wagon estate suv roadster
    van liftback fastback spyder pickup
"""
BODY_STYLES = frozenset(_BODY_STYLES_TEXT.split())
# words after a model that vehicle class names carry ("Silverado 1500 Extended Cab", "Elantra
# Touring", "E-350 Super Duty", "Tahoe Hybrid")
_CLASS_WORDS_TEXT = """
    cab crew extended regular club quad double king supercab supercrew hybrid touring cargo
    passenger super duty sport limited
"""
CLASS_WORDS = frozenset(_CLASS_WORDS_TEXT.split())
# words that, with a category noun or body style, say what kind of thing it is ("sports
# car", "muscle car", "city car", "police car", "taxi cab", "commuter train", "military
# ship"), and nationality adjectives ("an American muscle car")
# the service a car is in, before its category noun ("a dodge charger police car"): no part of its name
SERVICE_WORDS = frozenset(["police", "patrol", "taxi"])
KIND_MODIFIERS = SERVICE_WORDS | frozenset(
    ["sports", "sport", "muscle", "pony", "race", "racing", "city", "cab"]
    + ["commuter", "freight", "passenger", "cargo", "military"]
)
# what a dog or a cat is kept as, before its category noun: "a small lap dog", "a big house cat"
ROLE_NOUNS = frozenset(
    ["lap", "toy", "guard", "house", "farm", "family", "show", "sled", "service", "rescue", "street"]
)
# a bird's or a dog's sex and age in other languages, as an answer puts them in brackets after
# the name ("eine Mönchsgrasmücke (Weibchen)"): no English gloss of the name
FOREIGN_SEX_WORDS = frozenset(
    ["weibchen", "männchen", "jungvogel", "hembra", "macho", "femelle", "mâle", "juvénile", "femmina",
     "maschio", "fêmea", "samica", "samiec", "vrouwtje", "mannetje", "самец", "самка"]
)
_NATIONALITIES_TEXT = "american german japanese italian british english french korean swedish"
NATIONALITIES = frozenset(_NATIONALITIES_TEXT.split())
# nationality and regional adjectives ("an Italian dessert", "a Japanese breed"); not words of
# that shape that name something ("Caprese salad", "Maltese", "Pekingese")
_DEMONYMS_TEXT = """
    afghan african american argentinian armenian asian australian austrian belgian brazilian
    british bulgarian burmese cambodian canadian caribbean chilean chinese colombian croatian
    cuban czech danish dutch egyptian english ethiopian european filipino finnish french georgian
    german greek hungarian icelandic indian indonesian iranian irish israeli italian jamaican
    japanese korean laotian lebanese malaysian mediterranean mexican middle-eastern mongolian
    moroccan nepalese nigerian norwegian pakistani persian peruvian polish portuguese romanian
    russian scandinavian scottish serbian sicilian singaporean spanish swedish swiss syrian
    taiwanese thai tibetan tunisian turkish ukrainian vietnamese welsh
"""
DEMONYMS = frozenset(_DEMONYMS_TEXT.split()) | NATIONALITIES
CONTINENTS = frozenset(["america", "americas", "europe", "asia", "africa", "eurasia", "oceania"])
# what a record's id names, not a species ("image_id", "Photo ID: 0412"; not "Leaf ID: Ginkgo")
RECORD_WORDS = ("image", "img", "photo", "picture", "file", "sample", "record", "request", "user", "session", "task",
                "run", "object")
_PLACE_WORDS_TEXT = "behind over under above below across along around through without all"
PLACE_WORDS = frozenset(_PLACE_WORDS_TEXT.split())
_SECTION_NOUNS_TEXT = """
    observations observation impression impressions overview assessment evaluation reasoning
    considerations notes details description appearance comparison decision thoughts analysis
    conclusion conclusions summary features options candidates year generation identification
    classification characteristics breakdown result results explanation
"""
SECTION_NOUNS = frozenset(_SECTION_NOUNS_TEXT.split())
ING_NAMES = frozenset(
    ["sterling", "starling", "bunting", "browning", "spring", "flowering", "boeing", "viking", "redwing",
     "waxwing", "lapwing", "dumpling", "pudding", "riesling"]
)
# what a description of the picture is about, rather than a name of its subject
_SCENE_WORDS_TEXT = """
    background foreground branch branches leaf leaves sky water grass ground field rock rocks
    log wall bench table street road fence pond lake river beach sand snow soil surface view
    scene landscape sunset shadow light pattern texture object building window person people
    hand close-up cluster group collection pile bunch flock herd example variety kind sort
    vase basket woman man girl boy child pergola trellis windowsill
"""
SCENE_WORDS = frozenset(_SCENE_WORDS_TEXT.split())
# scenes that hold what a caption is about ("a garden bed with", "a wall covered with") and the
# people who hold it ("a hand holding a single red rose")
_HOLDER_NOUNS_TEXT = (
    "vase basket bed pot garden field meadow wall fence pergola trellis windowsill table planter border park "
    "branch feeder log rock stump post wire couch sofa bench"
)
HOLDER_NOUNS = frozenset(_HOLDER_NOUNS_TEXT.split())
PERSON_NOUNS = frozenset(["woman", "man", "girl", "boy", "child", "person", "people", "hand"])
# places that a generic word names as a scene class: "food court", "flower market", "fish farm"
_VENUE_NOUNS_TEXT = "court market stall shop store truck park hall garden nursery farm sanctuary show"
VENUE_NOUNS = frozenset(_VENUE_NOUNS_TEXT.split())
# where a species lives, in lower case after a name of places: "fits the Texas–Oklahoma range"
RANGE_NOUNS = frozenset(["range", "region", "area", "coast", "zone", "habitat"])
OPENERS = frozenset(  # first words of a sentence that is no name
    [
        "the",
        "this",
        "that",
        "these",
        "those",
        "it",
        "its",
        "i",
        "i'm",
        "i'd",
        "my",
        "based",
        "looking",
        "okay",
        "ok",
        "let",
        "let's",
        "here",
        "so",
        "well",
        "hmm",
        "alright",
        "that's",
        "it's",
        "here's",
        "what's",
        "wow",
        "oh",
        "ah",
        "aww",
        "ooh",
        "whoa",
        "yum",
        "yummy",
        "mmm",
        "yay",
        "moo",  # "Moo! That's a Guernsey cow!": an animal's call opens a chatty answer
        "baa",
        "woof",
        "meow",
        "neigh",
        "oink",
        "cluck",
        "quack",
        "um",
        "uh",
        "hey",
        "meet",  # "Meet the Newfie — the Newfoundland."
        "thanks",
        "interesting",
        "sure",
        "certainly",
        "yes",
        "no",
        "step",
        "overall",
        "from",
        "after",
        "given",
        "in",
        "on",
        "at",
        "to",
        "what",
        "which",
        "unclear",
        "probably",
        "possibly",
        "most",
        "more",
        "either",
        "hard",
        "honestly",
        "if",
        "unlike",
        "all",  # "All told, ..."
        "some",
        "such",
        "top",
        "ranking",
        "likely",
        "scientific",
        "species",
        "answer",
        "final",
        "identification",
        "there",
        "there's",
        "we",
        "our",
        "you",
        "your",
        "a",
        "an",
        # a subordinate clause opens the sentence: "Although small, this is a Wren."
        "although",
        "though",
        "while",
        "whilst",
        "despite",
        "because",
        "since",
        "however",
        "sorry",  # "Sorry — the image is too dark ..."
        "apologies",  # "Apologies — I can only give a best guess ..."
        "thinking",  # "Thinking...\n\n- Tiny bird ..."
        "reasoning",  # "*Reasoning*\n\n..."
        "unfortunately",
    ]
)
