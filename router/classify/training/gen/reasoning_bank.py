"""Reasoning content written for this generator: competition-style math, multiple-choice
knowledge questions, and planning, estimation, comparisons and proofs. Logic tasks are in
logic_tasks.py, contracts and legal questions in legal_bank.py, research abstracts in
research_bank.py."""


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
