"""Logic tasks in the style of reasoning benchmarks, each instance generated here: boolean
expressions, bracket matching, navigation, dates, deduction, counting, translation errors and
more. BBH_TASKS lists the builders; a builder's name becomes the row's kind (logic/NAME)."""

from .common import name, two_names


# ---------------------------------------------------------------------------------------------
# Logic tasks in the style of reasoning benchmarks (instances generated here).

def boolean_expression(g):
    def expr(depth):
        if depth == 0 or g.chance(0.3):
            v = g.pick(["True", "False"])
            return ("not " + v) if g.chance(0.3) else v
        op = g.pick(["and", "or"])
        e = "%s %s %s" % (expr(depth - 1), op, expr(depth - 1))
        return "( %s )" % e if g.chance(0.5) else ("not ( %s )" % e if g.chance(0.3) else e)
    e = expr(2)
    return g.pick(["%s is", "Evaluate the boolean expression: %s", "Is the following expression True or False? %s"]) % e


def dyck(g):
    pairs = [("(", ")"), ("[", "]"), ("{", "}"), ("<", ">")]
    stack, seq = [], []
    for _ in range(g.int(4, 12)):
        if stack and g.chance(0.35):
            seq.append(stack.pop()[1])
        else:
            p = g.pick(pairs)
            stack.append(p)
            seq.append(p[0])
    if not stack:
        p = g.pick(pairs)
        seq.append(p[0])
    return g.pick(["Close all open brackets in this sequence, in the right order: %s",
                   "Finish the bracket sequence so that every opening symbol is matched: %s",
                   "Which closing symbols are needed to balance %s ?"]) % " ".join(seq)


def navigate(g):
    steps = []
    for _ in range(g.int(3, 7)):
        steps.append(g.pick(["Take %d steps." % g.int(1, 10), "Turn left.", "Turn right.", "Turn around.",
                             "Always face forward. Take %d steps backward." % g.int(1, 6),
                             "Take %d steps left." % g.int(1, 6)]))
    return g.pick(["You start at the origin facing north and follow these moves: %s Do you end up where you started?",
                   "After these instructions, are you back at the start? %s\nAnswer Yes or No.",
                   "A robot executes: %s Is it back at its starting square?"]) % " ".join(steps)


def date_question(g):
    m, d, y = g.int(1, 12), g.int(1, 28), g.int(1990, 2030)
    q = g.pick(["What is the date one week from today", "What is the date yesterday", "What is the date 10 days ago",
                "What is the date one year ago from today", "What is the date tomorrow"])
    opts = ["%02d/%02d/%d" % (g.int(1, 12), g.int(1, 28), y + g.int(-1, 1)) for _ in range(4)]
    return ("Suppose the current date is %d/%d/%d. %s? Give it as MM/DD/YYYY.\n" % (m, d, y, q)
            + "\n".join("%s) %s" % (l, o) for l, o in zip("ABCD", opts)))


def logical_deduction(g):
    objs = g.pick([["a red book", "a blue book", "a green book", "a yellow book", "a white book"],
                   ["an apple", "a pear", "a mango", "a kiwi", "a plum"],
                   ["a truck", "a bus", "a sedan", "a motorcycle", "a van"],
                   ["a hawk", "a crow", "a robin", "an owl", "a sparrow"]])
    k = g.int(3, 5)
    objs = objs[:k]
    place = g.pick(["On a shelf", "In a fruit stand", "In an antique car show", "On a branch"])
    facts = []
    order = g.shuffle(range(k))
    for _ in range(k - 1):
        i, j = g.picks(range(k), 2)
        rel = "to the left of" if order[i] < order[j] else "to the right of"
        facts.append("The %s is %s the %s." % (objs[i].split(" ", 1)[1], rel, objs[j].split(" ", 1)[1]))
    opts = ["The %s is the %s" % (o.split(" ", 1)[1], g.pick(["leftmost", "rightmost", "second from the left", "third from the left"]))
            for o in objs]
    return ("%s, %d objects stand in a row: %s. %s Which of these statements must be true?\n%s"
            % (place, k, ", ".join(objs), " ".join(facts),
               "\n".join("%s. %s" % (l, o) for l, o in zip("ABCDE", opts))))


def web_of_lies(g):
    people = g.picks(["Alice", "Bob", "Delfina", "Jerry", "Kristian", "Millie", "Raymond", "Sherrie", "Tamika", "Vina"], 5)
    parts = ["%s %s." % (people[0], g.pick(["tells the truth", "lies"]))]
    for i in range(1, 5):
        parts.append("%s says %s %s." % (people[i], people[i - 1], g.pick(["tells the truth", "lies"])))
    return g.pick(["Each person below either always lies or always tells the truth. %s Is %s telling the truth?",
                   "Liars and truth-tellers: %s Can we conclude that %s is honest?"]) % (" ".join(parts), people[-1])


def object_counting(g):
    kinds = g.pick([("musical instruments", ["a violin", "two pianos", "a flute", "three trumpets", "a drum", "an accordion"]),
                    ("fruits", ["an orange", "two bananas", "a peach", "three plums", "a strawberry", "a nectarine"]),
                    ("animals", ["a goat", "two cats", "a rabbit", "a snail", "three fish", "a donkey"]),
                    ("vegetables", ["a head of broccoli", "two carrots", "a cabbage", "three onions", "a yam"])])
    items = g.picks(kinds[1], g.int(3, 6))
    distractor = g.pick(["a chair", "a lamp", "a notebook", "a bicycle"])
    if g.chance(0.5):
        items.insert(g.int(0, len(items)), distractor)
    listing = ", ".join(items[:-1]) + " and " + items[-1]
    return g.pick(["In my room there are %s. Count the %s.", "My bag holds %s. How many %s are there in total?"]) % (listing, kinds[0])


def shuffled_objects(g):
    people = g.picks(["Alice", "Bob", "Claire", "Dave", "Eve"], 3)
    things = g.picks(["a red ball", "a blue ball", "a pink ball", "a green present", "a white present",
                      "Frankenstein", "Moby Dick", "The Odyssey", "goalkeeper", "left winger", "striker"], 3)
    swaps = []
    for i in range(3):
        a, b = g.picks(people, 2)
        swaps.append("%s and %s swap" % (a, b))
    return ("Three friends each hold one thing: %s, %s and %s; %s holds %s, %s holds %s and %s holds %s. "
            "They trade in pairs: first %s, then %s, and last %s. What does %s hold now?\nA. %s\nB. %s\nC. %s"
            % (people[0], people[1], people[2], people[0], things[0], people[1], things[1], people[2], things[2],
               swaps[0], swaps[1], swaps[2], g.pick(people), things[0], things[1], things[2]))


def svg_shape(g):
    pts = [(g.int(10, 90) + g.int(0, 99) / 100, g.int(10, 90) + g.int(0, 99) / 100) for _ in range(g.int(3, 7))]
    d = "M %.2f,%.2f " % pts[0] + " ".join("L %.2f,%.2f" % p for p in pts[1:]) + " L %.2f,%.2f" % pts[0]
    return ('What figure does the path <path d="%s"/> trace? Choose from: circle, hexagon, kite, line, pentagon, '
            'rectangle, triangle.' % d)


def hyperbaton(g):
    sets = [("big", "old", "red", "car"), ("little", "new", "green", "chair"), ("lovely", "small", "rectangular", "table"),
            ("enormous", "ancient", "Chinese", "vase"), ("nice", "tiny", "brown", "dog"), ("obnoxious", "big", "circular", "knife")]
    s = g.pick(sets)
    good = " ".join(s)
    bad = " ".join(g.shuffle(s[:3]) + [s[3]])
    a, b = g.shuffle([good, bad])
    return "Which phrase uses the natural English order of adjectives?\n1) %s\n2) %s" % (a, b)


def sports_plausible(g):
    n = name(g, "en") + " " + g.pick(["Johnson", "Moreno", "Kowalski", "Okafor", "Lindqvist", "Tanaka"])
    act = g.pick(["scored a penalty kick", "threw a touchdown pass", "hit a three-pointer", "served an ace",
                  "was called for icing", "hit a home run", "caught the screen pass", "scored in the shootout"])
    sport = g.pick(["in the World Cup", "in the NFC championship", "in the fourth quarter", "at Wimbledon",
                    "in the Stanley Cup", "in the ninth inning"])
    return g.pick(['Could this sentence appear in a real match report? "%s %s %s."',
                   'Does this make sense for that sport: "%s %s %s."?']) % (n, act, sport)


def causal_judgement(g):
    a, b = two_names(g, "en")
    story = g.pick([
        f"{a} and {b} both need to press a button for the machine to start. {a} presses the button at 9 a.m., and {b} presses it a minute later. The machine starts.",
        f"A company policy says that only managers may take pens from the drawer. {a}, a manager, takes a pen; {b}, a receptionist, also takes one. Later there are no pens left for an important call.",
        f"{a} forgot to water the plant while {b} was away. {b} had asked both {a} and a neighbour to water it. The plant died.",
        f"The lights in the office turn on if either {a} or {b} enters the room. Both enter at the same time and the lights turn on.",
    ])
    q = g.pick([f"Did {a} cause the outcome?", f"Did {b} cause it?", "Did the first action cause the outcome?"])
    return "Read the story and say how most people would judge the causation.\n%s\n%s Yes or no?" % (story, q)


def temporal(g):
    n = name(g, "en")
    place = g.pick(["the museum", "the gym", "the bakery", "the library", "the beach", "the art studio"])
    hs = sorted(g.picks(range(5, 22), 4))
    return (f"{n} visited {place} at some point today. Here is what we know: {n} got up at {hs[0]}:00; from {hs[0]}:00 "
            f"to {hs[1]}:00 {n} was seen shopping; from {hs[2]}:00 to {hs[3]}:00 {n} was jogging; {place} closes at "
            f"{hs[3]}:00. During which window could the visit have happened?")


def disambiguation(g):
    a, b = g.pick([("the engineer", "the client"), ("the nurse", "the patient"), ("the chef", "the waiter"),
                   ("the developer", "the designer"), ("the lawyer", "the witness")])
    verb = g.pick(["told", "asked", "reminded", "warned"])
    rest = g.pick(["would need to review the plan", "was late again", "had made a mistake", "could leave early"])
    return ("Who does 'they' refer to in this sentence, or is it unclear? \"%s %s %s that they %s.\""
            % (a.capitalize(), verb, b, rest))


def formal_fallacy(g):
    x, y, z = g.picks(["expert of the club", "fan of the team", "cousin of Ann", "ingredient of the soap",
                       "member of the board", "regular consumer of tea", "friend of Mark", "opponent of the plan"], 3)
    return ('Premise 1: Every %s is a %s. Premise 2: No %s is a %s. Conclusion: No %s is a %s. '
            'Is the conclusion logically guaranteed by the premises?' % (x, y, z, y, x, z))


def multistep_arith(g):
    def t():
        return "%d %s %d" % (g.int(-9, 9), g.pick(["+", "-", "*"]), g.int(-9, 9))
    e = "((%s) %s (%s)) %s (%s)" % (t(), g.pick(["+", "-", "*"]), t(), g.pick(["+", "-", "*"]), t())
    return g.pick(["Compute %s.", "What is the value of %s?", "%s = ?"]) % e


def word_sorting(g):
    words = g.picks(["oak", "zebra", "marble", "quantum", "fjord", "lantern", "pepper", "velvet", "harbor", "igloo",
                     "cobalt", "nectar", "siren", "tundra", "ember", "walrus", "dune", "kettle"], g.int(6, 12))
    return g.pick(["Put these words in alphabetical order: %s", "Arrange alphabetically: %s"]) % ", ".join(words)


def colored_objects(g):
    items = g.picks(["pencil", "cup", "notebook", "keychain", "stress ball", "scrunchie", "phone charger", "fidget spinner",
                     "mug", "booklet", "sunglasses"], 4)
    colors = g.picks(["red", "blue", "green", "orange", "purple", "teal", "mauve", "fuchsia", "burgundy", "silver"], 4)
    desc = ", ".join("a %s %s" % (c, i) for c, i in zip(colors, items))
    return ("Lined up on a table from left to right are %s. What colour is the object immediately right of the %s?"
            % (desc, items[1]))


def penguins(g):
    rows = [("Louis", 7, 50, 11), ("Bernard", 5, 80, 13), ("Vincent", 9, 60, 11), ("Gwen", 8, 70, 15)]
    q = g.pick(["How many penguins are more than 5 years old?", "What is the name of the tallest penguin?",
                "What is the average weight of the penguins?", "Which penguin is the youngest?"])
    return ("A zoo keeps this record of its penguins (name | age | height cm | weight kg):\n"
            + "\n".join("%s | %d | %d | %d" % r for r in rows) + "\n" + q)


def snarks(g):
    pairs = [("Oh great, another meeting that could have been an email.", "Another meeting that could have been an email is scheduled."),
             ("I just love being stuck in traffic for two hours.", "I dislike being stuck in traffic for two hours."),
             ("Because nothing says relaxing like doing taxes on a Sunday.", "Doing taxes on a Sunday is not relaxing.")]
    a, b = g.pick(pairs)
    x, y = g.shuffle([a, b])
    return "Which of these two remarks is meant ironically?\n- %s\n- %s" % (x, y)


# German/English sentence pairs with a deliberately introduced error in the English side.
TRANSLATION_ERROR_PAIRS = [
    ("Die Brücke wurde 1932 eröffnet und ist 450 Meter lang.", "The bridge was opened in 1932 and is 540 meters long.", "Numerical Values"),
    ("Der kleine Ort liegt am Ufer des Bodensees.", "The large town lies on the shore of Lake Constance.", "Modifiers or Adjectives"),
    ("Die Kirche ist nicht öffentlich zugänglich.", "The church is open to the public.", "Negation or Antonyms"),
    ("Die Stadt Freiburg liegt im Südwesten Deutschlands.", "The city of Hamburg is located in southwestern Germany.", "Named Entities"),
    ("Das Museum zeigt Gemälde, Skulpturen und alte Landkarten.", "The museum shows paintings and sculptures.", "Dropped Content"),
    ("Der Fluss mündet in die Nordsee.", "The river flows into the Baltic Sea.", "Facts"),
    ("Die Schule wurde im Jahr 1875 gegründet.", "The school was founded in 1785.", "Numerical Values"),
    ("Sie war eine bekannte französische Malerin.", "She was a famous French singer.", "Facts"),
]
ERROR_TYPES = ["Modifiers or Adjectives", "Numerical Values", "Negation or Antonyms", "Named Entities", "Dropped Content", "Facts"]


def translation_error(g):
    src, tgt, _ = g.pick(TRANSLATION_ERROR_PAIRS)
    intro = ("Each English rendering below was made from a German sentence and contains exactly one mistake, of one "
             "of these kinds: a name or place swapped for another; a number, date or unit altered; an adjective or "
             "other modifier changed; a negation added or removed; some other fact distorted; or an important part "
             "left out. Decide which kind of mistake it is.")
    if g.chance(0.35):
        intro = g.pick(["A translation below has exactly one mistake. Which category does the mistake fall into?",
                        "Compare the source sentence with its English translation and classify the translation error.",
                        "Find the error in this machine translation and name its type."])
    opts = "\n".join("(%s) %s" % (l, t) for l, t in zip("ABCDEF", ERROR_TYPES))
    return "%s\nGerman: %s\nEnglish: %s\nMistake type:\n%s" % (intro, src, tgt, opts)


def translation_judgement(g):
    src, tgt, _ = g.pick(TRANSLATION_ERROR_PAIRS)
    return g.pick([
        "Is this translation accurate? Explain any meaning that was lost or changed.\nGerman: %s\nEnglish: %s",
        "A student translated the German sentence as shown. Grade the translation and justify the grade.\n%s\n%s",
        "Which information differs between the original and the translation?\nOriginal: %s\nTranslation: %s",
    ]) % (src, tgt)


BBH_TASKS = [boolean_expression, dyck, navigate, date_question, logical_deduction, web_of_lies, object_counting,
             shuffled_objects, svg_shape, hyperbaton, sports_plausible, causal_judgement, temporal, disambiguation,
             formal_fallacy, multistep_arith, word_sorting, colored_objects, penguins, snarks, translation_error,
             translation_error, translation_judgement]
