"""Shared helpers: the row record, seeded choices, names and number formatting."""

import random


class Gen:
    """A seeded random source plus helpers. Every family gets its own Gen derived from the
    global seed and the family name, so adding a family never changes the rows of another."""

    def __init__(self, seed, family):
        self.seed = seed
        self.family = family
        self.r = random.Random("%s/%s" % (seed, family))

    def pick(self, seq):
        return seq[self.r.randrange(len(seq))]

    def picks(self, seq, k):
        return self.r.sample(list(seq), k)

    def chance(self, p):
        return self.r.random() < p

    def int(self, lo, hi):
        return self.r.randint(lo, hi)

    def shuffle(self, seq):
        seq = list(seq)
        self.r.shuffle(seq)
        return seq

    def weighted(self, pairs):
        total = sum(w for _, w in pairs)
        x = self.r.random() * total
        for item, w in pairs:
            x -= w
            if x < 0:
                return item
        return pairs[-1][0]


def row(gen, label, kind, index, lang, prompt):
    prompt = prompt.strip("\n")
    return {
        "prompt": prompt,
        "label": label,
        "origin": "generator:%s/%s#%d lang=%s seed=%s" % (label, kind, index, lang, gen.seed),
    }


def surround(gen, text):
    """Light noise real users add: stray spaces, a greeting, a thanks, no final newline."""
    if gen.chance(0.06):
        text = gen.pick(["Hi! ", "Hello, ", "Hey, ", "Quick question: ", "Hi there. "]) + text
    if gen.chance(0.05):
        text = text + gen.pick([" Thanks!", " Thank you.", " thx", " Cheers."])
    return text


NAMES = {
    "en": ["Alice", "Ben", "Carla", "David", "Emma", "Frank", "Grace", "Henry", "Isla", "Jack",
           "Kevin", "Laura", "Maya", "Noah", "Olivia", "Peter", "Quinn", "Rosa", "Sam", "Tina",
           "Umar", "Vera", "Will", "Xavier", "Yusuf", "Zoe", "Janet", "Marcus", "Priya", "Diego"],
    "de": ["Anna", "Jonas", "Lena", "Lukas", "Marie", "Felix", "Sophie", "Paul", "Hannah", "Tim",
           "Klara", "Moritz", "Greta", "Jan", "Frieda"],
    "fr": ["Camille", "Louis", "Chloé", "Hugo", "Léa", "Jules", "Manon", "Théo", "Inès", "Lucas",
           "Élodie", "Antoine", "Margaux", "Nicolas"],
    "es": ["Lucía", "Mateo", "Sofía", "Pablo", "Valeria", "Diego", "Carmen", "Javier", "Elena",
           "Andrés", "Marta", "Tomás", "Isabel"],
    "it": ["Giulia", "Marco", "Chiara", "Luca", "Francesca", "Matteo", "Sara", "Alessandro",
           "Elisa", "Giorgio"],
    "pt": ["Ana", "João", "Beatriz", "Pedro", "Mariana", "Rafael", "Larissa", "Tiago", "Camila",
           "Gustavo"],
    "nl": ["Sanne", "Daan", "Emma", "Bram", "Lotte", "Thijs", "Fleur", "Ruben", "Noor", "Jesse"],
    "ru": ["Анна", "Иван", "Мария", "Дмитрий", "Ольга", "Сергей", "Наташа", "Алексей", "Екатерина",
           "Павел"],
    "uk": ["Оксана", "Тарас", "Олена", "Андрій", "Ірина", "Богдан"],
    "zh": ["小明", "小红", "王芳", "李雷", "张伟", "刘洋", "陈静", "赵磊", "小华", "周婷"],
    "ja": ["太郎", "花子", "健太", "さくら", "翔太", "美咲", "大輔", "由美", "陽菜", "拓也"],
    "ko": ["민수", "지영", "서준", "하은", "도윤", "수아", "현우", "지민"],
    "ar": ["أحمد", "فاطمة", "محمد", "ليلى", "يوسف", "مريم", "عمر", "سارة"],
    "hi": ["राहुल", "प्रिया", "अमित", "सीमा", "रोहन", "नेहा", "विकास", "अनीता"],
    "tr": ["Ayşe", "Mehmet", "Zeynep", "Ahmet", "Elif", "Can", "Emre", "Deniz"],
    "pl": ["Kasia", "Piotr", "Agnieszka", "Tomek", "Magda", "Marek", "Zosia", "Jakub"],
    "sv": ["Elsa", "Oskar", "Maja", "Erik", "Linnea", "Axel"],
    "vi": ["Lan", "Minh", "Hoa", "Tuấn", "Mai", "Dũng"],
    "id": ["Budi", "Siti", "Agus", "Dewi", "Rina", "Wahyu"],
    "cs": ["Petr", "Jana", "Tomáš", "Lucie", "Martin", "Eva"],
}


def name(gen, lang):
    return gen.pick(NAMES.get(lang, NAMES["en"]))


def two_names(gen, lang):
    a = name(gen, lang)
    b = name(gen, lang)
    while b == a:
        b = name(gen, lang)
    return a, b


def money(gen, lang, amount):
    """Formats an amount with a currency as a user of that language would write it."""
    if lang in ("en",):
        return "$%s" % fmt_num(amount)
    if lang in ("de", "fr", "es", "it", "pt", "nl", "pl", "cs"):
        cur = {"pl": "zł", "cs": "Kč"}.get(lang, "€")
        s = fmt_num(amount).replace(".", ",")
        return "%s %s" % (s, cur)
    if lang == "ru" or lang == "uk":
        return "%s %s" % (fmt_num(amount), "рублей" if lang == "ru" else "гривень")
    if lang == "zh":
        return "%s元" % fmt_num(amount)
    if lang == "ja":
        return "%s円" % fmt_num(amount)
    if lang == "ko":
        return "%s원" % fmt_num(amount)
    if lang == "hi":
        return "%s रुपये" % fmt_num(amount)
    if lang == "ar":
        return "%s درهمًا" % fmt_num(amount)
    if lang == "tr":
        return "%s lira" % fmt_num(amount)
    return "%s" % fmt_num(amount)


def fmt_num(x):
    if isinstance(x, float) and not x.is_integer():
        return ("%.2f" % x).rstrip("0").rstrip(".")
    return str(int(x))
