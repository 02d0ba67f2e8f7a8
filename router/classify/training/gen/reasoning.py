"""Builders of reasoning rows. Each builder returns (kind, lang, prompt)."""

from . import legal_bank
from . import logic_tasks
from . import math_problems as mp
from . import reasoning_bank as rb
from . import research_bank
from .prose import PROSE


def word_problem(g):
    lang, text, schema = mp.word_problem(g)
    solve = mp.SOLVE.get(lang, mp.SOLVE["en"])
    style = g.weighted([("bare", 4), ("before", 4), ("after", 2)])
    if style == "before":
        text = g.pick(solve) + ("\n" if g.chance(0.5) else " ") + text
    elif style == "after":
        text = text + ("\n" if g.chance(0.5) else " ") + g.pick(solve)
    return "word-problem/" + schema, lang, text


def pure_math(g):
    return "competition-math", "en", g.pick(rb.MATH_WRAPPERS).format(p=rb.pure_math(g))


def knowledge_mcq(g):
    if g.chance(0.7):
        return "knowledge-mcq", "en", rb.mcq(g)
    return "category-mcq", "en", rb.category_question(g)


def logic_task(g):
    task = g.pick(logic_tasks.BBH_TASKS)
    text = task(g)
    if g.chance(0.2):
        text += g.pick(["\nLet's think step by step.", "\nAnswer:", "\nA:", " Explain your answer.", "\nThink carefully."])
    return "logic/" + task.__name__, "en", text


def legal(g):
    b = g.pick(legal_bank.LEGAL_BUILDERS)
    return "legal-analysis/" + b.__name__, "en", b(g)


def research(g):
    return "research-analysis", "en", research_bank.research_question(g)


def open_question(g):
    lang = g.weighted([("en", 6)] + [(l, 1) for l in sorted(rb.OPEN_REASONING) if l != "en"])
    text = g.pick(rb.OPEN_REASONING[lang])
    if lang == "en" and g.chance(0.3):
        text = g.pick(["Think carefully: ", "Question: ", "Puzzle: ", "Let's reason about this. ", "Help me think through this: "]) + text
    if lang == "en" and g.chance(0.2):
        text += g.pick([" Explain your reasoning.", " Be concise.", " Show your steps.", " Give a short answer and a justification."])
    return "open-reasoning", lang, text


def equation(g):
    lang, problem, _ = mp.word_problem(g, "en")
    w = g.pick(rb.EQUATION_WRAPPERS)
    return "to-equation", "en", w.format(p=problem, s=g.pick(rb.LOGIC_STATEMENTS))


PASSAGE_QUESTIONS = {
    "en": ["Read the passage and answer: what is the main claim, and is it well supported?\n\n{t}",
           "{t}\n\nWhat can we reasonably infer from this text? List two inferences and how confident you are.",
           "Passage: {t}\nQuestion: What might be the consequences of the event described? Reason step by step.",
           "Identify the assumptions behind the statement below and say whether they hold.\n\n{t}",
           "Is the following statement a fact or an opinion? Explain.\n\"{t}\"",
           "{t}\n\nWho benefits from this decision and who might lose? Analyse."],
    "de": ["Lies den Text und beantworte: Welche Folgen könnte das Ereignis haben?\n\n{t}",
           "{t}\n\nWelche Annahmen stecken hinter dieser Aussage? Begründe."],
    "fr": ["Lis le texte et réponds : quelles pourraient être les conséquences de cet événement ?\n\n{t}",
           "{t}\n\nS'agit-il d'un fait ou d'une opinion ? Justifie ta réponse."],
    "es": ["Lee el texto y responde: ¿qué consecuencias podría tener lo que se describe?\n\n{t}",
           "{t}\n\n¿Qué se puede deducir razonablemente de este texto?"],
    "ru": ["Прочитай текст и ответь: к каким последствиям это может привести?\n\n{t}",
           "{t}\n\nКакие выводы можно сделать из этого текста? Обоснуй."],
    "zh": ["阅读下面的文字并回答：这件事可能带来什么影响？请分析。\n\n{t}", "{t}\n\n从这段话中可以合理推断出什么？"],
    "ja": ["次の文章を読んで、この出来事がどのような影響を与えるか考えてください。\n\n{t}", "{t}\n\nこの文から何が推測できますか？理由も説明してください。"],
    "it": ["Leggi il testo e rispondi: quali conseguenze potrebbe avere l'evento descritto?\n\n{t}"],
    "pt": ["Leia o texto e responda: que consequências o fato descrito pode ter?\n\n{t}"],
}


def passage_analysis(g):
    lang = g.pick(sorted(PASSAGE_QUESTIONS))
    text = " ".join(g.picks(PROSE[lang], g.int(1, 2)))
    return "passage-analysis", lang, g.pick(PASSAGE_QUESTIONS[lang]).format(t=text)


BUILDERS = [
    (word_problem, 560), (pure_math, 230), (knowledge_mcq, 280), (logic_task, 470), (legal, 280),
    (research, 150), (open_question, 170), (equation, 90), (passage_analysis, 150),
]
