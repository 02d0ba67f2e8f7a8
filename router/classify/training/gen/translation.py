"""Builders of translation rows. Each builder returns (kind, lang, prompt); lang is written as
"source->target"."""

from . import code_snippets
from . import code_tasks
from . import langs as L
from . import legal_bank
from . import math_problems as mp
from . import research_bank
from .prose import PROSE, SHORT_EN


def paragraph(g, lang, max_sentences=3):
    k = g.weighted([(1, 5), (2, 3), (3, 1)][:max_sentences])
    sep = "" if lang in ("zh", "ja", "th") else " "
    return sep.join(g.picks(PROSE[lang], min(k, len(PROSE[lang]))))


def english_instruction(g, text, target, source):
    tmpl, _ = g.pick(L.TRANSLATE["en"])
    return tmpl.format(T=text, L=L.EN[target], S=L.EN.get(source, "the original language"))


def native_instruction(g, instr_lang, text, target):
    """An instruction written in instr_lang asking for `target`; None if it cannot name it."""
    options = []
    for tmpl, form in L.TRANSLATE[instr_lang]:
        if target in L.targets_for(instr_lang, form):
            options.append((tmpl, form))
    if not options:
        return None
    tmpl, form = g.pick(options)
    phrase = L.target_phrase(instr_lang, form, target)
    return tmpl.format(T=text, L=phrase, into=phrase, adv=phrase, yu=phrase)


def request(g, text, source, target, native_weight):
    """Prefers an instruction in the source language with probability native_weight, else in
    the target language (when it is not English) or in English."""
    if g.chance(native_weight) and source in L.TRANSLATE and source != "en":
        out = native_instruction(g, source, text, target)
        if out:
            return out
    if target != "en" and target in L.TRANSLATE and g.chance(0.3):
        out = native_instruction(g, target, text, target)
        if out:
            return out
    return english_instruction(g, text, target, source)


COMMON_TARGETS = ["de", "fr", "es", "it", "pt", "ru", "zh", "ja", "ko", "ar", "hi", "tr", "pl", "nl", "sv", "uk",
                  "vi", "id", "cs", "el", "he", "fa", "th", "ro", "hu", "fi", "da", "no", "bn", "sw", "ms", "ta",
                  "ur", "ca", "hr", "bg", "sk", "sr", "lt", "lv", "et", "tl", "am", "ha", "yo", "zu", "is", "ga",
                  "cy", "ka", "hy", "kk", "ne", "mr", "te", "pa", "gu", "km", "my", "si", "so", "af", "sl", "sq",
                  "eu", "gl", "az", "zh-tw", "pt-br", "es-mx", "fr-ca"]


def from_english(g):
    text = paragraph(g, "en") if g.chance(0.85) else g.pick(SHORT_EN)
    if g.chance(0.25):
        target = g.pick(sorted(L.SELF_TARGET))
        return "prose-from-en", "en->" + target, g.pick(L.SELF_TARGET[target]).format(T=text)
    target = g.pick(COMMON_TARGETS)
    return "prose-from-en", "en->" + target, request(g, text, "en", target, 0.0)


def to_english(g):
    src = g.weighted([(l, 3 if l in ("de", "fr", "es", "it", "pt", "ru", "zh", "ja") else 1)
                      for l in sorted(PROSE) if l != "en"])
    text = paragraph(g, src)
    return "prose-to-en", src + "->en", request(g, text, src, "en", 0.65)


def x_to_y(g):
    src = g.pick([l for l in sorted(PROSE) if l != "en"])
    target = g.pick([t for t in ["de", "fr", "es", "it", "pt", "ru", "zh", "ja", "ko", "pl", "tr", "ar", "nl"] if t != src])
    text = paragraph(g, src, 2)
    return "prose-x-to-y", src + "->" + target, request(g, text, src, target, 0.5)


PHRASE_EN = ["How do you say '{p}' in {L}?", "What's \"{p}\" in {L}?", "{L} for '{p}'?", "'{p}' in {L}, please.",
             "How would a native speaker say \"{p}\" in {L}?", "Translate '{p}' to {L}.",
             "What is the {L} word for {w}?", "How do I write \"{p}\" in {L}?"]
WORDS = ["butterfly", "library", "Thank you very much", "good luck", "window", "I love you", "cheers", "excuse me",
         "where is the station?", "umbrella", "Happy New Year", "see you tomorrow", "I'm sorry", "bon appétit"]


def phrase(g):
    target = g.pick(COMMON_TARGETS[:30])
    p = g.pick(SHORT_EN + WORDS)
    w = g.pick(WORDS)
    return "phrase", "en->" + target, g.pick(PHRASE_EN).format(p=p, w=w, L=L.EN[target])


def dialogue(g):
    lines = g.picks(SHORT_EN, g.int(2, 4))
    text = "\n".join("%s: %s" % (s, t) for s, t in zip(g.shuffle(["A", "B"]) * 2, lines))
    target = g.pick(COMMON_TARGETS[:25])
    w = g.pick(["Translate this dialogue into {L}:\n\n{T}", "Please render this conversation in {L}, keeping the speaker labels.\n{T}",
                "{T}\n\nCan you translate the dialogue above to {L}?", "Subtitle translation to {L}:\n{T}"])
    return "dialogue", "en->" + target, w.format(L=L.EN[target], T=text)


COMMENT_EN = [
    "Translate the comments in this {PL} code into {L}. Do not change the code.\n\n{c}",
    "Translate only the comments and docstrings into {L}; leave identifiers and logic untouched.\n{c}",
    "{c}\n\nPlease translate the comments to {L} and leave everything else as is.",
    "Can you render the comments of this snippet in {L}? Keep the code exactly the same.\n{c}",
    "The comments below are written in {S}. Translate them into {L}, keeping the code intact.\n\n{c}",
    "Localize the code comments to {L} (the code itself must not change):\n{c}",
    "Our team in another country needs this file with {L} comments. Translate the comments only.\n{c}",
    "Translate the docstring of this function into {L}:\n{c}",
    "Rewrite the docstring in {L}. Do not touch the function body or the examples.\n\n{c}",
    "{c}\n\nI only need the documentation part in {L}: translate the docstring, keep the code as it is.",
    "Please give me this function with its docstring translated to {L}:\n{c}",
    "Translate the natural-language text in this code (docstring and comments) into {L}, nothing else.\n{c}",
    "For our {L}-speaking students, translate the explanation inside the triple quotes, leaving the code alone:\n{c}",
]
COMMENT_NATIVE = {
    "de": ["Übersetze die Kommentare in diesem Code ins Englische, der Code selbst bleibt unverändert:\n{c}"],
    "fr": ["Traduis les commentaires de ce code en anglais sans modifier le code :\n{c}"],
    "es": ["Traduce los comentarios de este código al inglés, sin tocar el código:\n{c}"],
    "zh": ["把这段代码里的注释翻译成英文，代码本身不要改：\n{c}"],
    "ja": ["このコードのコメントを英語に翻訳してください。コードは変更しないでください。\n{c}"],
    "ru": ["Переведи комментарии в этом коде на английский, код не меняй:\n{c}"],
    "it": ["Traduci in inglese i commenti di questo codice, senza modificare il codice:\n{c}"],
    "pt": ["Traduza os comentários deste código para o inglês, sem alterar o código:\n{c}"],
}
# Instructions in the target language for English docstrings.
DOCSTRING_NATIVE = {
    "de": "Übersetze den Docstring dieser Funktion ins Deutsche, der Code bleibt gleich:\n{c}",
    "fr": "Traduis la docstring de cette fonction en français, sans changer le code :\n{c}",
    "es": "Traduce al español el docstring de esta función; no cambies el código:\n{c}",
    "ja": "この関数のドキュメント文字列を日本語に翻訳してください。コードはそのままで。\n{c}",
    "zh": "把这个函数的文档字符串翻译成中文，代码保持不变：\n{c}",
    "ru": "Переведи докстринг этой функции на русский, код не трогай:\n{c}",
    "pt": "Traduza a docstring desta função para o português, sem mudar o código:\n{c}",
    "it": "Traduci in italiano la docstring di questa funzione, lasciando il codice invariato:\n{c}",
}


def code_comments(g):
    if g.chance(0.5):
        from .coder import python_stub, task_stub
        spec_stub = python_stub(g, g.pick(code_tasks.FUNC_SPECS), with_body=g.chance(0.6))
        pl, code, src = "Python", spec_stub if g.chance(0.6) else task_stub(g), "en"
        target = g.pick(["de", "fr", "es", "ja", "zh", "ru", "pt", "it", "ko", "pl", "tr", "nl", "vi", "ar", "hi"])
        if target in DOCSTRING_NATIVE and g.chance(0.3):
            return "code-comments", "en->" + target, DOCSTRING_NATIVE[target].format(c=code)
        return "code-comments", "en->" + target, g.pick(COMMENT_EN).format(c=code, PL=pl, L=L.EN[target], S="English")
    snippets = [(pl, c) for pl, c in code_snippets.SNIPPETS if code_snippets.snippet_has_comments(c)]
    pl, code = g.pick(snippets)
    if g.chance(0.3):
        code = "```\n%s\n```" % code
    src = code_snippets.snippet_comment_lang(code)
    if src != "en":
        target = "en"
        if src in COMMENT_NATIVE and g.chance(0.5):
            return "code-comments", src + "->en", g.pick(COMMENT_NATIVE[src]).format(c=code)
    else:
        target = g.pick(["de", "fr", "es", "ja", "zh", "ru", "pt", "it", "ko", "pl", "tr", "nl", "vi"])
    text = g.pick(COMMENT_EN).format(c=code, PL=pl, L=L.EN[target], S=L.EN[src])
    return "code-comments", src + "->" + target, text


LEGAL_EN = [
    "Translate this clause into {L} for our local office:\n\n{T}",
    "Please provide a {L} translation of the following contract provision.\n{T}",
    "Translate into {L}, keeping the legal terminology precise:\n\"{T}\"",
    "We need a certified-style {L} translation of this section of the agreement:\n{T}",
    "{T}\n\nTranslate the clause above into {L}. Keep the defined terms capitalised.",
]
LEGAL_NATIVE = {
    "de": "Übersetze diese Vertragsklausel ins Deutsche:\n{T}",
    "fr": "Traduisez cette clause contractuelle en français :\n{T}",
    "es": "Traduce esta cláusula del contrato al español:\n{T}",
    "ja": "この契約条項を日本語に翻訳してください。\n{T}",
    "zh": "请把这条合同条款翻译成中文：\n{T}",
    "ru": "Переведите этот пункт договора на русский язык:\n{T}",
    "it": "Traduci questa clausola contrattuale in italiano:\n{T}",
    "pt": "Traduza esta cláusula contratual para o português:\n{T}",
}


def legal_clause(g):
    _, clause = g.pick(legal_bank.CLAUSES)
    target = g.pick(["de", "fr", "es", "ja", "zh", "ru", "it", "pt", "ko", "nl", "pl", "ar", "tr"])
    if target in LEGAL_NATIVE and g.chance(0.35):
        return "legal-clause", "en->" + target, LEGAL_NATIVE[target].format(T=clause)
    if g.chance(0.4):
        return "legal-clause", "en->" + target, request(g, clause, "en", target, 0.0)
    return "legal-clause", "en->" + target, g.pick(LEGAL_EN).format(T=clause, L=L.EN[target])


ABSTRACT_EN = [
    "Translate this abstract into {L}:\n\n{T}", "Please translate the following research summary into {L} for a conference handout.\n{T}",
    "{T}\n\nTranslate the abstract above into {L}, keeping the section headings.",
    "I need this paper abstract in {L}. Translate it faithfully, including the numbers.\n\n{T}",
]


ABSTRACT_NATIVE = {
    "fr": "Traduisez ce résumé d'article en français :\n{T}", "de": "Bitte übersetze dieses Abstract ins Deutsche:\n{T}",
    "es": "Traduce este resumen científico al español:\n{T}", "ja": "この論文の要旨を日本語に訳してください。\n{T}",
    "zh": "请把这篇论文摘要翻译成中文：\n{T}", "pt": "Traduza este resumo para o português:\n{T}",
    "it": "Traduci questo abstract in italiano:\n{T}", "ru": "Переведите аннотацию статьи на русский:\n{T}",
}


def research_abstract(g):
    _, _, _, text = research_bank.abstract(g)
    target = g.pick(["de", "fr", "es", "ja", "zh", "ru", "it", "pt", "ko", "nl", "pl", "tr", "ar", "hi"])
    if target in ABSTRACT_NATIVE and g.chance(0.3):
        return "abstract", "en->" + target, ABSTRACT_NATIVE[target].format(T=text)
    if g.chance(0.3):
        return "abstract", "en->" + target, request(g, text, "en", target, 0.0)
    return "abstract", "en->" + target, g.pick(ABSTRACT_EN).format(T=text, L=L.EN[target])


PROBLEM_EN = [
    "Translate this math problem into {L}. Do not solve it.\n\n{T}",
    "Please translate the following word problem for my {L}-speaking students (no solution needed):\n{T}",
    "Just translate, don't answer: {T}\nTarget language: {L}",
    "{T}\n\nTranslate the problem above into {L}; I only need the wording, not the answer.",
    "Render this exercise in {L} for a worksheet. Keep the numbers as they are.\n{T}",
]
PROBLEM_NATIVE = {
    "es": "Traduce este problema al inglés (no lo resuelvas):\n{T}",
    "de": "Übersetze diese Textaufgabe ins Englische, ohne sie zu lösen:\n{T}",
    "fr": "Traduis cet énoncé en anglais, sans le résoudre :\n{T}",
    "zh": "把这道应用题翻译成英文，不用解答：\n{T}",
    "ja": "この文章題を英語に翻訳してください（解かなくていいです）。\n{T}",
    "ru": "Переведи условие задачи на английский, решать не нужно:\n{T}",
    "it": "Traduci questo problema in inglese, senza risolverlo:\n{T}",
    "pt": "Traduza este problema para o inglês, sem resolvê-lo:\n{T}",
}


def word_problem(g):
    lang, text, _ = mp.word_problem(g)
    if lang != "en" and lang in PROBLEM_NATIVE and g.chance(0.5):
        return "word-problem", lang + "->en", PROBLEM_NATIVE[lang].format(T=text)
    target = "en" if lang != "en" else g.pick(["de", "fr", "es", "ja", "zh", "ru", "it", "pt", "ko", "pl", "tr", "ar"])
    if g.chance(0.3):
        return "word-problem", lang + "->" + target, request(g, text, lang, target, 0.5)
    return "word-problem", lang + "->" + target, g.pick(PROBLEM_EN).format(T=text, L=L.EN[target])


BUILDERS = [
    (from_english, 700), (to_english, 720), (x_to_y, 150), (phrase, 90), (dialogue, 70), (code_comments, 340),
    (legal_clause, 200), (research_abstract, 150), (word_problem, 170),
]
