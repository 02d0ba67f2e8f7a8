"""Reasoning content written for this generator: competition-style math, multiple-choice
knowledge questions, logic tasks in the style of reasoning benchmarks (each instance generated
here), contract clauses, research abstracts, planning, estimation, comparisons and proofs."""

from .common import name, two_names


# ---------------------------------------------------------------------------------------------
# Competition-style math (LaTeX as users paste it).

def pure_math(g):
    a, b, c, k = g.int(2, 12), g.int(2, 30), g.int(3, 99), g.int(2, 9)
    n = g.int(20, 500)
    forms = [
        f"What is the remainder when ${n}^{{{k}}}$ is divided by {a + 3}?",
        f"Find the value of $x$ such that ${a}x + {b} = {c}$.",
        f"Compute $\\dbinom{{{a + 6}}}{{{k % 5 + 2}}}$.",
        f"Simplify $\\sqrt{{{a * a * b}}}$.",
        f"If $f(x) = {a}x^2 - {b}x + {k}$, what is $f({k})$?",
        f"How many positive divisors does {n} have?",
        f"What is the sum of all integer values of $x$ satisfying $|x - {a}| < {k}$?",
        f"Find the area of the triangle with vertices $(0,0)$, $({a},0)$ and $(0,{b})$.",
        f"The sum of two numbers is {b + c} and their difference is {abs(c - b)}. What is the larger of the two numbers?",
        f"Evaluate $\\log_{{{k}}} {k ** 3}$.",
        f"What is the least common multiple of {a * 6} and {b + 4}?",
        f"The first term of a geometric sequence is {a} and the common ratio is {k}. What is the sixth term?",
        f"Solve for $x$: $\\frac{{x}}{{{a}}} + \\frac{{x}}{{{k}}} = {b}$.",
        f"Express $0.\\overline{{{a}{k}}}$ as a common fraction in lowest terms.",
        f"In how many ways can {k + 2} people be seated around a round table if rotations are considered the same?",
        f"Two fair six-sided dice are rolled. What is the probability that the sum is {k + 2}? Express your answer as a common fraction.",
        f"Let $z = {a} + {k}i$. Compute $|z|^2$.",
        f"What is the smallest positive integer $n$ such that ${a}n \\equiv {k} \\pmod{{{b + 7}}}$?",
        f"If $x + \\frac{{1}}{{x}} = {k}$, what is $x^2 + \\frac{{1}}{{x^2}}$?",
        f"Find the distance between the points $({a}, {k})$ and $({b}, {c % 20})$.",
        f"A circle has circumference ${2 * a}\\pi$. What is its area in terms of $\\pi$?",
        f"How many integers between 1 and {n} are divisible by {a} but not by {k}?",
        f"Find all real solutions of $x^2 - {a + k}x + {a * k} = 0$.",
        f"What is the coefficient of $x^{k % 4 + 1}$ in the expansion of $(x + {a})^{{{k % 4 + 3}}}$?",
        f"Compute $\\sum_{{i=1}}^{{{b}}} i^2$.",
        f"The angles of a triangle are in the ratio {a}:{k}:{b % 7 + 1}. What is the measure of the largest angle?",
        f"What is the value of $\\sin^2({a * 5}^\\circ) + \\cos^2({a * 5}^\\circ)$, and why?",
        f"Let $g(x) = {k}x - {a}$. Find $g^{{-1}}({b})$.",
        f"Determine the number of trailing zeros in ${n}!$.",
        f"Find the sum of the interior angles of a polygon with {k + 3} sides.",
        f"A cone has radius {a} and height {b}. What is its volume?",
        f"Solve the inequality ${a}x - {b} > {k}x + {c}$.",
        f"Find the derivative of $f(x) = x^{k} \\ln x$.",
        f"Evaluate $\\int_0^{{{a}}} ({k}x^2 + 1)\\,dx$.",
        f"Find the limit $\\lim_{{x \\to 0}} \\frac{{\\sin({k}x)}}{{x}}$.",
        f"What is the determinant of the matrix $\\begin{{pmatrix}} {a} & {k} \\\\ {b % 9} & {c % 11} \\end{{pmatrix}}$?",
        f"How many 4-digit numbers have digits that sum to {k + 3}?",
        f"Is {n * 2 + 1} a prime number? Justify your answer.",
        f"Find the 10th term of the arithmetic sequence {a}, {a + k}, {a + 2 * k}, ...",
        f"What is the median of the set $\\{{{a}, {b}, {c}, {k}, {n % 50}\\}}$?",
    ]
    return g.pick(forms)


MATH_WRAPPERS = ["{p}", "{p}", "{p}", "Problem: {p}", "{p} Show your work.", "{p}\nPut the final answer in \\boxed{{}}.",
                 "Question: {p}\nAnswer:", "Solve: {p}", "{p} Explain each step.", "Can you help with this one? {p}",
                 "Competition problem: {p}", "{p} Give an exact answer."]


# ---------------------------------------------------------------------------------------------
# Multiple-choice knowledge questions (stem, options, subject).

MCQ = [
    ("Which of the following best explains why the sky appears blue during the day?",
     ["Reflection from the oceans", "Rayleigh scattering of shorter wavelengths", "Absorption of red light by ozone", "Emission from nitrogen molecules"], "physics"),
    ("A firm in a perfectly competitive market will shut down in the short run if the price falls below",
     ["average total cost", "marginal revenue", "average variable cost", "average fixed cost"], "microeconomics"),
    ("Which organelle is primarily responsible for producing ATP in eukaryotic cells?",
     ["Ribosome", "Golgi apparatus", "Mitochondrion", "Lysosome"], "biology"),
    ("The Treaty of Westphalia (1648) is most closely associated with",
     ["the end of the Thirty Years' War", "the unification of Italy", "the founding of the United Nations", "the start of the Crusades"], "history"),
    ("Which of the following is a necessary condition for a valid contract under common law?",
     ["A written document", "Consideration", "Notarization", "A witness"], "law"),
    ("In Kant's moral philosophy, the categorical imperative requires that one act",
     ["to maximize overall happiness", "only according to maxims one could will to be universal law", "according to the virtues of a good character", "in one's own self-interest"], "philosophy"),
    ("What is the pH of a 0.001 M solution of hydrochloric acid?", ["1", "2", "3", "11"], "chemistry"),
    ("Which hormone lowers blood glucose levels?", ["Glucagon", "Insulin", "Cortisol", "Adrenaline"], "medicine"),
    ("A sample of 100 people has a mean height of 170 cm and standard deviation of 10 cm. The standard error of the mean is",
     ["0.1 cm", "1 cm", "10 cm", "100 cm"], "statistics"),
    ("Which of these is the main cause of the seasons on Earth?",
     ["The distance between Earth and the Sun", "The tilt of Earth's axis", "Solar flares", "The Moon's orbit"], "astronomy"),
    ("In the accounting equation, assets are equal to",
     ["revenue minus expenses", "liabilities plus equity", "equity minus liabilities", "cash plus receivables"], "accounting"),
    ("The psychological tendency to search for information that confirms one's beliefs is called",
     ["anchoring", "confirmation bias", "the halo effect", "learned helplessness"], "psychology"),
    ("Which amendment to the U.S. Constitution protects against unreasonable searches and seizures?",
     ["First", "Fourth", "Fifth", "Tenth"], "law"),
    ("An object is dropped from rest. Ignoring air resistance, how far does it fall in 2 seconds? (g = 9.8 m/s^2)",
     ["9.8 m", "19.6 m", "39.2 m", "4.9 m"], "physics"),
    ("Which of the following is an example of a public good?", ["A sandwich", "National defense", "A concert ticket", "A private car"], "economics"),
    ("Which blood type is considered the universal donor for red blood cells?", ["A+", "AB+", "O-", "B-"], "medicine"),
    ("Which of the following statements about enzymes is true?",
     ["They are consumed by the reactions they catalyse", "They lower the activation energy of reactions", "They only work at 100 degrees Celsius", "They are always lipids"], "biology"),
    ("The Industrial Revolution began in which country?", ["France", "Germany", "Great Britain", "the United States"], "history"),
    ("Which of the following best describes the function of the World Trade Organization?",
     ["Setting interest rates", "Regulating international trade rules", "Providing military aid", "Issuing a global currency"], "politics"),
    ("A patient presents with fever, neck stiffness and sensitivity to light. Which diagnosis is most likely?",
     ["Migraine", "Meningitis", "Sinusitis", "Tension headache"], "medicine"),
    ("Which logical fallacy attacks the person making an argument rather than the argument itself?",
     ["Straw man", "Ad hominem", "Slippery slope", "False dilemma"], "logic"),
    ("If the reserve requirement is 10%, the maximum money multiplier is", ["1", "5", "10", "100"], "macroeconomics"),
    ("Which of these gases makes up most of Earth's atmosphere?", ["Oxygen", "Carbon dioxide", "Nitrogen", "Argon"], "earth science"),
    ("In a monopoly, the firm maximizes profit where", ["price equals marginal cost", "marginal revenue equals marginal cost", "average cost is minimized", "total revenue is maximized"], "economics"),
    ("Which sociologist introduced the concept of the 'iron cage' of bureaucracy?", ["Émile Durkheim", "Max Weber", "Karl Marx", "Auguste Comte"], "sociology"),
    ("Which of the following is NOT a noble gas?", ["Helium", "Neon", "Nitrogen", "Xenon"], "chemistry"),
    ("The longest bone in the human body is the", ["humerus", "tibia", "femur", "fibula"], "anatomy"),
    ("Under the doctrine of respondeat superior, an employer is liable for",
     ["all crimes of its employees", "torts committed by employees within the scope of employment", "contracts signed by former employees", "debts of its customers"], "law"),
    ("Which of the following marketing strategies targets a small, well-defined segment of the market?",
     ["Mass marketing", "Niche marketing", "Undifferentiated marketing", "Global marketing"], "marketing"),
    ("What was the main purpose of the Marshall Plan?",
     ["To rebuild Western European economies after World War II", "To colonize Africa", "To end the Cold War", "To create NATO"], "history"),
    ("Which of the following describes a type II error?",
     ["Rejecting a true null hypothesis", "Failing to reject a false null hypothesis", "Using the wrong test statistic", "Having too large a sample"], "statistics"),
    ("Which layer of the skin contains blood vessels and nerve endings?", ["Epidermis", "Dermis", "Stratum corneum", "None of them"], "anatomy"),
    ("A nation has a comparative advantage in producing a good when it",
     ["can produce more of it than any other nation", "has the lowest opportunity cost of producing it", "has the most workers", "imports none of it"], "economics"),
    ("Which philosopher wrote 'Leviathan'?", ["John Locke", "Thomas Hobbes", "Jean-Jacques Rousseau", "David Hume"], "philosophy"),
    ("Which of these is a renewable source of energy?", ["Coal", "Natural gas", "Wind", "Uranium"], "environmental science"),
    ("In genetics, an organism with two different alleles for a trait is called",
     ["homozygous", "heterozygous", "recessive", "polygenic"], "biology"),
    ("Which of the following would shift the demand curve for umbrellas to the right?",
     ["A fall in the price of umbrellas", "A forecast of a rainy season", "A rise in the cost of fabric", "A new tax on umbrella makers"], "economics"),
    ("Which ancient civilization built Machu Picchu?", ["The Maya", "The Aztecs", "The Inca", "The Olmec"], "history"),
    ("A nurse is preparing to administer a medication that can cause hypotension. What should she check first?",
     ["The patient's blood pressure", "The patient's hair colour", "The room temperature", "The patient's shoe size"], "nursing"),
    ("The speed of sound is greatest in which medium?", ["Air", "Water", "Steel", "Vacuum"], "physics"),
]
MCQ_FORMATS = [
    "{q}\nA. {a}\nB. {b}\nC. {c}\nD. {d}",
    "{q}\n(A) {a}\n(B) {b}\n(C) {c}\n(D) {d}\nAnswer:",
    "Question: {q}\nOptions:\nA) {a}\nB) {b}\nC) {c}\nD) {d}\nAnswer with the letter only.",
    "Multiple-choice question ({s}):\n\n{q}\nA. {a}\nB. {b}\nC. {c}\nD. {d}\nAnswer:",
    "{q}\n\na) {a}\nb) {b}\nc) {c}\nd) {d}\n\nWhich one is correct and why?",
    "Pick the right answer. {q} (A) {a} (B) {b} (C) {c} (D) {d}",
    "{s} quiz: {q}\n1. {a}\n2. {b}\n3. {c}\n4. {d}",
]


def mcq(g):
    q, opts, subject = g.pick(MCQ)
    opts = g.shuffle(opts)
    return g.pick(MCQ_FORMATS).format(q=q, a=opts[0], b=opts[1], c=opts[2], d=opts[3], s=subject)


# Knowledge questions built from categories, to vary the stems.
CATEGORIES = {
    "prime numbers": (["2", "13", "29", "41", "53", "7"], ["9", "21", "35", "51", "49"]),
    "mammals": (["dolphin", "bat", "whale", "otter", "camel"], ["shark", "penguin", "salmon", "lizard", "frog"]),
    "noble gases": (["argon", "krypton", "radon", "neon"], ["chlorine", "oxygen", "sodium", "hydrogen"]),
    "planets of the solar system": (["Mars", "Neptune", "Venus", "Saturn"], ["Pluto", "the Moon", "Ceres", "Titan"]),
    "Impressionist painters": (["Claude Monet", "Edgar Degas", "Camille Pissarro"], ["Salvador Dalí", "Andy Warhol", "Caravaggio"]),
    "programming paradigms": (["functional", "object-oriented", "logic", "procedural"], ["agile", "waterfall", "scrum"]),
    "primary colours of light": (["red", "green", "blue"], ["yellow", "purple", "orange"]),
    "renewable resources": (["solar power", "timber", "wind"], ["oil", "coal", "natural gas"]),
    "landlocked countries": (["Bolivia", "Switzerland", "Mongolia", "Austria"], ["Portugal", "Chile", "Japan", "Egypt"]),
}


def category_question(g):
    cat = g.pick(sorted(CATEGORIES))
    yes, no = CATEGORIES[cat]
    if g.chance(0.5):
        odd = g.pick(no)
        items = g.shuffle(g.picks(yes, 3) + [odd])
        stem = g.pick(["Which of the following is NOT one of the {c}?", "Which one does not belong among the {c}?",
                       "Identify the item that is not an example of {c}."]).format(c=cat)
    else:
        right = g.pick(yes)
        items = g.shuffle([right] + g.picks(no, 3))
        stem = g.pick(["Which of the following is one of the {c}?", "Which of these belongs to the {c}?"]).format(c=cat)
    return stem + "\n" + "\n".join("%s. %s" % (l, it) for l, it in zip("ABCD", items))


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


# ---------------------------------------------------------------------------------------------
# Contracts and legal questions.

CLAUSES = [
    ("governing law", "This Agreement shall be governed by and construed in accordance with the laws of the State of New York, without regard to its conflict of laws principles."),
    ("non-compete", "During the Term and for a period of two (2) years thereafter, Distributor shall not, directly or indirectly, manufacture, sell or promote any product that competes with the Products in the Territory."),
    ("exclusivity", "Company hereby appoints Reseller as its exclusive reseller of the Licensed Software in the Territory, and Company shall not appoint any other reseller in the Territory during the Term."),
    ("termination for convenience", "Either party may terminate this Agreement at any time, for any reason or no reason, upon sixty (60) days' prior written notice to the other party."),
    ("license grant", "Licensor grants to Licensee a non-exclusive, non-transferable, royalty-bearing license to use the Marks solely in connection with the marketing of the Products."),
    ("audit rights", "Supplier shall keep complete and accurate records relating to its performance and shall permit Customer, upon ten (10) business days' notice, to audit such records once per calendar year."),
    ("cap on liability", "IN NO EVENT SHALL EITHER PARTY'S AGGREGATE LIABILITY ARISING OUT OF THIS AGREEMENT EXCEED THE TOTAL FEES PAID BY CUSTOMER IN THE TWELVE (12) MONTHS PRECEDING THE CLAIM."),
    ("insurance", "Contractor shall maintain, at its own expense, commercial general liability insurance with limits of not less than $2,000,000 per occurrence."),
    ("anti-assignment", "Neither party may assign this Agreement or any rights hereunder without the prior written consent of the other party, which consent shall not be unreasonably withheld."),
    ("change of control", "In the event of a Change of Control of Supplier, Customer may terminate this Agreement upon thirty (30) days' written notice."),
    ("revenue sharing", "Partner shall pay to Company thirty percent (30%) of all Net Revenue received from subscriptions sold through the Platform, payable quarterly."),
    ("minimum commitment", "Purchaser agrees to purchase a minimum of 10,000 units of Product during each Contract Year; any shortfall shall be invoiced at the then-current price."),
    ("warranty duration", "Seller warrants that the Equipment will be free from defects in materials and workmanship for a period of eighteen (18) months from the date of delivery."),
    ("IP ownership assignment", "All inventions, works of authorship and developments conceived by Consultant in the course of the Services shall be the sole property of the Company, and Consultant hereby assigns all rights therein to the Company."),
    ("confidentiality", "The Receiving Party shall hold the Confidential Information in strict confidence and shall not disclose it to any third party except its employees who need to know it for the purposes of this Agreement."),
    ("non-solicitation", "For one year after termination, neither party shall solicit for employment any employee of the other party who was involved in the performance of this Agreement."),
    ("most favored nation", "If Supplier offers any other customer prices lower than those set forth herein for substantially similar quantities, Supplier shall promptly offer such lower prices to Buyer."),
    ("renewal term", "This Agreement shall automatically renew for successive one-year terms unless either party gives notice of non-renewal at least ninety (90) days before the end of the then-current term."),
    ("post-termination services", "Upon expiration or termination, Provider shall continue to provide transition assistance for up to six (6) months at the rates set forth in Exhibit B."),
    ("right of first refusal", "Before selling any of its shares to a third party, a Shareholder shall first offer such shares to the Company on the same terms and conditions."),
    ("uncapped liability", "Nothing in this Agreement shall limit either party's liability for fraud, gross negligence or breach of the confidentiality obligations."),
    ("third-party beneficiary", "This Agreement is for the sole benefit of the parties and nothing herein shall confer upon any other person any legal or equitable right."),
    ("covenant not to sue", "Licensee agrees not to challenge the validity of the Licensed Patents or to assist any third party in doing so."),
    ("liquidated damages", "If the Contractor fails to complete the Works by the Completion Date, it shall pay the Employer liquidated damages of $5,000 for each day of delay."),
    ("force majeure", "Neither party shall be liable for any failure to perform caused by events beyond its reasonable control, including fire, flood, war, epidemic or governmental action."),
    ("data protection", "The Processor shall process Personal Data only on documented instructions from the Controller and shall ensure that persons authorised to process the data are bound by confidentiality."),
    ("payment terms", "All invoices are payable within thirty (30) days of receipt. Late payments shall bear interest at the rate of one percent (1%) per month."),
    ("indemnification", "Vendor shall indemnify, defend and hold harmless Customer from any claims arising from Vendor's breach of this Agreement or infringement of any third-party intellectual property."),
]
CLAUSE_TYPES = sorted({t for t, _ in CLAUSES})

LEGAL_QUESTIONS = [
    "Does the clause below restrict a party from competing with the other? Answer Yes or No.\n\nClause: {c}",
    "Read the following contract clause and identify which type of provision it is.\n\n{c}",
    "Does this clause specify which law governs the contract?\n\"{c}\"",
    "Is the following clause favourable to the customer or the supplier? Explain your reasoning.\n\n{c}",
    "Consider the clause: {c}\n\nQuestion: Does it create an obligation that survives termination of the agreement?",
    "Here is a clause from a commercial agreement:\n{c}\nWould this clause allow a party to end the contract without cause? Answer yes or no and explain.",
    "Analyze the following provision for potential risks to the licensee:\n\n{c}",
    "Clause: {c}\nQuestion: Does the clause cap the amount of damages recoverable? Answer:",
    "Review this contract term and tell me whether it is likely enforceable and why.\n{c}",
    "You are a contracts lawyer. Classify the clause below as one of: {types}.\n\n{c}",
    "Does the following clause grant any intellectual property rights? Give a short legal analysis.\n\n{c}",
    "What obligations does this clause impose, and on whom?\n\n{c}",
    "Identify any ambiguity in the following clause that could lead to a dispute.\n\"{c}\"",
    "Summarize the legal effect of this provision in two sentences and state who bears the risk.\n{c}",
]


def legal_analysis(g):
    ctype, clause = g.pick(CLAUSES)
    return g.pick(LEGAL_QUESTIONS).format(c=clause, types=", ".join(g.picks(CLAUSE_TYPES, 5) + [ctype]))


def hearsay(g):
    a, b = two_names(g, "en")
    issue = g.pick(["was at the bank on the night of the robbery", "had signed the lease", "knew the brakes were faulty",
                    "was driving the car", "had received the warning letter"])
    evidence = g.pick([
        f"{b} testifies that {a} told her, \"I was at home all night.\"",
        f"the prosecution introduces a letter in which {a} wrote that he would be away that week.",
        f"{b} testifies that she saw {a} leave the building at 9 p.m.",
        f"a police officer testifies that an anonymous caller said {a} was involved.",
        f"{b} testifies that {a} nodded when asked whether he had signed it.",
    ])
    return g.pick([
        f"To show that {a} {issue}, {evidence} Would that testimony be excluded as hearsay?",
        f"Evidence question. The point in dispute is whether {a} {issue}. {evidence[0].upper() + evidence[1:]} Is this an out-of-court statement offered for its truth? Explain.",
        f"Under the Federal Rules of Evidence, analyse whether this is admissible: to prove that {a} {issue}, {evidence}",
    ])


def insurance(g):
    policy = g.pick([
        "The policy covers damage to the insured's home caused by fire, lightning or windstorm, but excludes damage caused by flood.",
        "The policy covers theft of personal property from the insured vehicle, but not theft of the vehicle itself.",
        "The policy pays for emergency medical treatment abroad, excluding treatment for pre-existing conditions.",
        "The policy covers loss of luggage during air travel if the loss is reported within 24 hours.",
    ])
    claim = g.pick([
        "A storm knocks a tree onto the roof and rain water floods the kitchen.",
        "The insured's laptop is stolen from the locked car overnight.",
        "The insured breaks a leg while skiing abroad; she had knee surgery two years earlier.",
        "The airline loses a suitcase and the insured reports it three days later.",
    ])
    return g.pick([f"Policy wording: {policy}\nWhat happened: {claim}\nMust the insurer pay? Explain, noting any ambiguity.",
                   f"{claim} The policy says: \"{policy}\" Is this loss covered?"])


def privacy_qa(g):
    policy = g.pick([
        "We share aggregated, non-identifying information with our advertising partners. We do not sell your personal information.",
        "You may request deletion of your account data at any time by contacting support; backups are erased within 90 days.",
        "We collect location data only while the app is in use and only if you grant permission.",
        "Cookies are used to remember your preferences; you can disable them in your browser settings.",
    ])
    q = g.pick(["Does the policy allow the company to sell my data?", "Can I ask for my data to be deleted?",
                "Is my location tracked in the background?", "Is information shared with third parties?"])
    return f"Consider the following privacy policy excerpt.\n\n{policy}\n\nQuestion: {q} Answer based only on the text."


def causation_legal(g):
    a, b = two_names(g, "en")
    return g.pick([
        f"{a} ran a red light and hit {b}'s car. {b} had been driving without a licence. Who is liable for the damage, and does {b}'s lack of a licence matter? Analyze causation.",
        f"A landlord failed to fix a broken stair for months. A guest of the tenant, who was texting while walking, fell and was injured. Is the landlord's negligence the legal cause of the injury?",
        f"{a} sold {b} a used car and said the engine was 'like new'. The engine failed after a week. Does {b} have a claim for misrepresentation? Discuss.",
    ])


LEGAL_BUILDERS = [legal_analysis, legal_analysis, legal_analysis, hearsay, insurance, privacy_qa, causation_legal]


# ---------------------------------------------------------------------------------------------
# Research abstracts (generated) and evidence questions.

CONDITIONS = ["type 2 diabetes", "chronic low back pain", "mild hypertension", "childhood asthma", "major depressive disorder",
              "knee osteoarthritis", "migraine", "post-operative delirium", "iron-deficiency anaemia", "atrial fibrillation",
              "chronic kidney disease", "obstructive sleep apnoea"]
INTERVENTIONS = ["a 12-week supervised exercise programme", "daily vitamin D supplementation", "a mobile phone reminder app",
                 "cognitive behavioural therapy", "early mobilisation after surgery", "a low-sodium diet",
                 "acupuncture", "a nurse-led telephone follow-up", "intermittent fasting", "a mindfulness course"]
OUTCOMES = ["HbA1c levels", "pain scores", "systolic blood pressure", "emergency visits", "depression scores",
            "length of hospital stay", "quality of life", "medication adherence", "30-day readmission rates"]


def abstract(g):
    c, i, o = g.pick(CONDITIONS), g.pick(INTERVENTIONS), g.pick(OUTCOMES)
    n = g.int(40, 900)
    p = g.pick(["0.001", "0.03", "0.21", "0.048", "0.62", "<0.001"])
    delta = g.int(3, 35)
    design = g.pick(["randomised controlled trial", "prospective cohort study", "retrospective chart review",
                     "cross-sectional survey", "pilot study", "case-control study"])
    months = g.int(3, 24)
    extra = g.pick(["Adverse events were rare.", "Dropout was higher in the intervention group.",
                    "No serious adverse events occurred.", "Adherence decreased over time.",
                    "The effect was larger in women than in men.", "Results were similar in a sensitivity analysis."])
    style = g.r.randrange(4)
    if style == 0:
        text = (f"BACKGROUND: The effect of {i} on {o} in patients with {c} remains unclear. "
                f"METHODS: We conducted a {design} including {n} adults with {c}. Participants were assigned to {i} or usual care "
                f"and followed for {months} months. The primary outcome was the change in {o}. "
                f"RESULTS: Compared with usual care, the intervention group showed a {delta}% {g.pick(['reduction', 'improvement', 'change'])} "
                f"in {o} (p = {p}). {extra}")
    elif style == 1:
        text = (f"OBJECTIVE: To assess whether {i} is associated with {o} among people with {c}. "
                f"DESIGN: {design.capitalize()}. SETTING: {g.pick(['Three university hospitals', 'Primary care practices', 'A regional health registry', 'Community clinics'])}. "
                f"PARTICIPANTS: {n} patients aged {g.int(18, 40)}-{g.int(60, 85)} years. "
                f"MAIN OUTCOME MEASURES: {o.capitalize()} at {months} months. "
                f"RESULTS: The adjusted odds ratio was {g.int(5, 25) / 10:.1f} (95% CI {g.int(3, 9) / 10:.1f}-{g.int(12, 30) / 10:.1f}). {extra}")
    elif style == 2:
        text = (f"Little is known about how {i} affects {o} in {c}. We analysed data from {n} participants in a {design}. "
                f"Over {months} months, {o} {g.pick(['improved', 'worsened', 'did not change'])} by {delta}% in the intervention arm "
                f"compared with {g.int(1, 20)}% in controls (p = {p}). {extra}")
    else:
        text = (f"PURPOSE: {c.capitalize()} is common, and {i} has been proposed as a low-cost option. "
                f"MATERIALS AND METHODS: In this {design}, {n} patients were followed for {months} months; {o} were recorded at baseline and at the end of follow-up. "
                f"RESULTS: {o.capitalize()} differed between groups by {delta}% (p = {p}). {extra}")
    return c, i, o, text


def research_question(g):
    c, i, o, text = abstract(g)
    q = g.pick([f"Does {i} improve {o} in patients with {c}?", f"Is {i} associated with better {o}?",
                f"Should clinicians recommend {i} for {c} based on this evidence?"])
    return g.pick([
        f"Question: {q}\nContext: {text}\nAnswer yes, no, or maybe, and justify your answer using the evidence.",
        f"{text}\n\nBased on the abstract above, {q[0].lower() + q[1:]} Explain whether the study design supports a causal conclusion.",
        f"Assess the strength of evidence in this abstract.\n\n{text}\n\n{q}",
        f"Read the study summary and answer the research question with yes/no/maybe.\n{text}\nResearch question: {q}",
        f"What are the main limitations of this study, and do they affect the answer to: {q}\n\n{text}",
    ])


# ---------------------------------------------------------------------------------------------
# Planning, estimation, comparison, general knowledge, puzzles, proofs (several languages).

OPEN_REASONING = {
    "en": [
        "Plan a three-day trip to Lisbon for two people on a budget of 600 euros, including transport and food.",
        "I have a presentation on Friday, two reports due Thursday and a dentist appointment on Wednesday. How should I schedule my week?",
        "Roughly how many piano tuners are there in a city of one million people? Walk through your estimate.",
        "Estimate how many litres of water a family of four uses in a year.",
        "Compare renting and buying a home over ten years. What factors decide which is better?",
        "What are the pros and cons of nuclear power compared with wind power?",
        "Why does ice float on water?",
        "What causes the seasons on Earth?",
        "Explain why the Roman Empire declined, weighing economic and military factors.",
        "If all bloops are razzies and all razzies are lazzies, are all bloops definitely lazzies?",
        "A farmer has to get a wolf, a goat and a cabbage across a river in a boat that holds only one of them at a time. How does he do it?",
        "On an island, knights always tell the truth and knaves always lie. A says: 'We are both knaves.' What are A and B?",
        "Prove that the sum of two odd integers is even.",
        "Prove that there are infinitely many prime numbers.",
        "Show that the square root of 2 is irrational.",
        "Which is heavier, a kilogram of feathers or a kilogram of steel? Explain.",
        "You have two ropes that each take an hour to burn, unevenly. How can you measure 45 minutes?",
        "Should a small bakery invest in a delivery app or a second shop? Weigh the options.",
        "What would happen to global trade if shipping costs doubled overnight?",
        "Is it rational to buy lottery tickets? Use expected value to argue.",
        "How many times do the hands of a clock overlap in 24 hours?",
        "A bat and a ball cost $1.10 together. The bat costs $1.00 more than the ball. How much is the ball?",
        "Three boxes are labelled apples, oranges and mixed, and every label is wrong. You may take one fruit from one box. How do you relabel them?",
        "What is the probability that at least two people in a room of 23 share a birthday? Explain the reasoning.",
        "Design a fair way to split a restaurant bill when some people ordered drinks and others did not.",
        "What are the likely long-term effects of a four-day working week on productivity?",
        "Which is more efficient for a city: more buses or more bike lanes? Argue both sides.",
        "If it takes 5 machines 5 minutes to make 5 widgets, how long would 100 machines take to make 100 widgets?",
        "Why do we have leap years?",
        "How does compound interest differ from simple interest, and why does it matter for retirement savings?",
        "Is the statement 'this sentence is false' true or false? Discuss the paradox.",
        "Explain the difference between correlation and causation with an example.",
        "What would be a reasonable strategy for the Monty Hall problem, and why?",
        "How should a hospital prioritise patients in an emergency room with limited staff?",
        "Evaluate the argument: 'Most successful people wake up early, so waking up early makes you successful.'",
        "What factors determine the price of a house in a city centre?",
        "A snail climbs 3 metres up a 10-metre well each day and slides back 2 metres each night. On which day does it get out?",
        "I need to choose between two job offers: one pays more, the other has better training. How should I decide?",
        "Why did the 2008 financial crisis spread from the housing market to the rest of the economy?",
        "Explain how vaccines train the immune system.",
        "What is the best order to visit five cities to minimise travel, given the distances below? A-B 4, A-C 2, B-C 5, B-D 10, C-D 3, C-E 8, D-E 6.",
        "How long would it take to walk around the equator, assuming 30 km per day?",
        "Prove that every integer greater than 1 has a prime factorisation.",
        "If a shirt is reduced by 20% and then increased by 20%, is it back to the original price? Why?",
    ],
    "de": [
        "Plane eine dreitägige Reise nach Wien für zwei Personen mit 500 Euro Budget.",
        "Warum ist der Himmel blau?", "Wie viele Bäckereien gibt es ungefähr in Deutschland? Schätze begründet.",
        "Vergleiche die Vor- und Nachteile von Elektroautos und Verbrennern.",
        "Beweise, dass die Summe zweier gerader Zahlen gerade ist.",
        "Drei Freunde teilen sich eine Rechnung von 75 Euro, einer hat nur Wasser getrunken. Wie teilt man fair?",
        "Was wären die Folgen, wenn die Arbeitswoche auf vier Tage verkürzt würde?",
        "Ein Vater ist 36 Jahre älter als sein Sohn. In 4 Jahren ist er viermal so alt. Wie alt ist der Sohn?",
    ],
    "fr": [
        "Organise un voyage de trois jours à Rome pour deux personnes avec un budget de 700 euros.",
        "Pourquoi les saisons existent-elles ?", "Combien de litres d'eau une famille utilise-t-elle par an, à peu près ?",
        "Compare les avantages et les inconvénients du télétravail pour une petite entreprise.",
        "Démontre que la racine carrée de 2 est irrationnelle.",
        "Si tous les chats sont des mammifères et que certains mammifères volent, peut-on dire que certains chats volent ?",
        "Quelles seraient les conséquences d'une hausse de 50 % du prix de l'énergie sur l'industrie ?",
    ],
    "es": [
        "Planifica un viaje de tres días a Sevilla para dos personas con 500 euros.",
        "¿Por qué flota el hielo en el agua?", "Estima cuántos taxis hay en una ciudad de dos millones de habitantes.",
        "Compara las ventajas de alquilar y de comprar una vivienda.",
        "Demuestra que hay infinitos números primos.",
        "Si todos los A son B y ningún B es C, ¿puede algún A ser C? Razona la respuesta.",
        "¿Qué factores explican la inflación de los últimos años?",
    ],
    "it": ["Perché il cielo è blu?", "Pianifica un weekend a Firenze con un budget di 400 euro.",
           "Confronta i vantaggi del treno e dell'aereo per un viaggio Milano-Roma.",
           "Dimostra che il prodotto di due numeri dispari è dispari."],
    "pt": ["Por que temos anos bissextos?", "Planeje uma viagem de três dias a Lisboa com 600 euros.",
           "Compare as vantagens de alugar e de comprar um carro.", "Prove que a soma de dois números ímpares é par."],
    "nl": ["Waarom drijft ijs op water?", "Hoeveel fietsen zijn er ongeveer in Amsterdam? Maak een schatting."],
    "ru": ["Почему небо голубое?", "Спланируй трёхдневную поездку в Санкт-Петербург с бюджетом 30 000 рублей.",
           "Оцени, сколько учителей работает в городе с населением в миллион человек.",
           "Сравни плюсы и минусы удалённой работы.", "Докажи, что простых чисел бесконечно много.",
           "Если все кошки — животные, а некоторые животные — хищники, следует ли, что некоторые кошки — хищники?"],
    "zh": ["为什么天空是蓝色的？", "请帮我规划一个预算三千元的三天杭州旅行。", "估算一下北京大约有多少家咖啡馆，并说明思路。",
           "比较租房和买房的利弊。", "证明根号2是无理数。", "如果所有的A都是B，有些B是C，能推出有些A是C吗？为什么？",
           "四天工作制会对经济产生什么影响？请分析。"],
    "ja": ["なぜ空は青いのですか？", "予算5万円で京都への2泊3日の旅行を計画してください。",
           "日本にピアノ調律師は何人くらいいるか推定してください。", "賃貸と持ち家のメリットとデメリットを比較してください。",
           "素数が無限に存在することを証明してください。"],
    "ko": ["왜 하늘은 파란가요?", "예산 50만 원으로 부산 2박 3일 여행을 계획해 주세요.", "서울에 카페가 몇 개쯤 있을지 추정해 보세요."],
    "ar": ["لماذا تحدث الفصول الأربعة؟", "قارن بين مزايا العمل عن بعد وعيوبه.", "أثبت أن مجموع عددين فرديين عدد زوجي."],
    "hi": ["आसमान नीला क्यों होता है?", "किराए पर घर लेने और खरीदने के फ़ायदे और नुकसान की तुलना कीजिए।"],
    "tr": ["Gökyüzü neden mavidir?", "Üç günlük bir İstanbul gezisini 5000 lira bütçeyle planla."],
    "pl": ["Dlaczego niebo jest niebieskie?", "Porównaj zalety i wady pracy zdalnej."],
}


# Word problems turned into equations: reasoning, even though the verb is "translate".
EQUATION_WRAPPERS = [
    "Set this up as a system of equations and solve it.\n{p}", "Translate this word problem into an equation, then solve it: {p}",
    "Write the following as an algebraic equation and find the answer.\n{p}", "Express this problem as equations: {p}",
    "Turn the problem into math notation and solve for the unknown.\n{p}", "Model this situation with an equation. {p}",
    "Formalize the following in first-order logic: {s}", "Convert this statement into a logical formula: {s}",
    "Übersetze die Aufgabe in eine Gleichung und löse sie: {p}", "Traduis ce problème en équation puis résous-le : {p}",
    "Traduce el problema a una ecuación y resuélvelo: {p}", "把这道题转化成方程并求解：{p}",
    "Translate the story into algebra and find the unknown.\n{p}", "Convert this into a linear equation and solve.\n{p}",
    "Rewrite the following as an equation in x, then solve it: {p}", "{p}\n\nTranslate this into an equation first, then answer.",
    "Write equations for this situation and use them to get the answer: {p}",
    "Translate the sentence into symbols: {s}", "Express in predicate logic: {s}",
]
LOGIC_STATEMENTS = ["Every student who studies passes the exam.", "Some birds cannot fly.",
                    "No one who is late gets a seat.", "If it rains, the match is cancelled unless it is indoors.",
                    "There is a number greater than every other number."]
