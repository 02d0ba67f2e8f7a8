"""Builders of coder rows. Each builder returns (kind, lang, prompt)."""

from . import code_snippets
from . import code_tasks
from . import dev_queries
from . import sql_schemas
from .langs import EN

MAIN_PLS = ["Python", "Python", "Python", "JavaScript", "TypeScript", "Java", "C++", "C", "C#", "Go", "Rust",
            "Ruby", "PHP", "Kotlin", "Swift"]


def fence(g, code, lang):
    if g.chance(0.3):
        tag = {"C++": "cpp", "C#": "csharp", "Bash": "bash", "JavaScript": "js", "TypeScript": "ts"}.get(lang, lang.lower())
        return "```%s\n%s\n```" % (tag if g.chance(0.7) else "", code)
    return code


WRITE_EN = [
    "Write a function to {x}.", "Write a python function to {x}.", "Write a {PL} function to {x}.",
    "Implement a function in {PL} that can {x}.", "{PL}: {x}", "How do I {x} in {PL}?",
    "Write a program that will {x}.", "Write a {PL} method to {x}.", "Can you code something to {x}? Use {PL}.",
    "I need a helper that can {x}. {PL}, please, with comments.", "Write code to {x}.",
    "Give me a {PL} snippet to {x}.", "Write an efficient algorithm to {x} and state its complexity.",
    "In {PL}, write a function that takes the input and returns the result: {x}.",
    "Create a reusable {PL} utility to {x}.", "Implement this in {PL}: {x}.",
]


def write_function_en(g):
    desc, fname, test = g.pick(code_tasks.TASKS_EN)
    pl = g.pick(MAIN_PLS)
    text = g.pick(WRITE_EN).format(x=desc, PL=pl)
    if test and g.chance(0.5):
        text += g.pick(["\n", " Your code should pass these tests:\n\n", "\nTest:\n", "\nExample:\n"]) + test
    elif g.chance(0.2):
        text += " The function should be called %s." % fname
    return "write-function", "en", text


def write_function_ml(g):
    if g.chance(0.55):
        lang = g.pick(sorted(code_tasks.TASK_WRAPPERS))
        text = g.pick(code_tasks.TASK_WRAPPERS[lang]).format(PL=g.pick(MAIN_PLS), X=g.pick(code_tasks.TASKS_ML[lang]))
    else:
        lang = g.pick(sorted(code_tasks.TASKS_FULL))
        text = g.pick(code_tasks.TASKS_FULL[lang]).format(PL=g.pick(MAIN_PLS))
    return "write-function", lang, text


def python_stub(g, spec, with_body=False):
    sig, doc, examples, impl = spec
    body = '    """' + doc
    if examples:
        body += "\n    " + "\n    ".join(examples)
    body += '\n    """'
    if with_body and impl:
        body += "\n" + impl
    prefix = "from typing import List\n\n\n" if g.chance(0.3) else ""
    return prefix + sig + "\n" + body + "\n"


COMPLETE = ["Finish writing this Python function:\n\n{s}", "{s}", "{s}", "Fill in the body:\n{s}",
            "Implement the function below.\n```python\n{s}\n```", "Finish this code so the doctests pass:\n{s}",
            "Write the implementation for:\n{s}", "{s}\n# TODO: implement", "Complete the following code.\n\n{s}",
            "Vervollständige diese Funktion:\n{s}", "Complète cette fonction :\n{s}", "请补全下面的函数：\n{s}",
            "以下の関数を完成させてください。\n{s}", "Допиши функцию:\n{s}", "Completa esta función:\n{s}"]


def task_stub(g):
    """A docstring stub built from a programming task of the bank."""
    desc, fname, test = g.pick(code_tasks.TASKS_EN)
    args = g.pick(["items: list", "s: str", "n: int", "nums: list", "text: str", "a: int, b: int", "data: list, k: int"])
    ret = g.pick(["", " -> int", " -> bool", " -> list", " -> str"])
    doc = desc[0].upper() + desc[1:] + "."
    examples = []
    if test and test.startswith("assert ") and " == " in test:
        call, want = test[len("assert "):].split(" == ", 1)
        examples = [">>> " + call, want]
    return python_stub(g, ("def %s(%s)%s:" % (fname, args, ret), doc, examples, None))


def complete_function(g):
    if g.chance(0.35):
        stub = task_stub(g)
    elif g.chance(0.75):
        stub = python_stub(g, g.pick(code_tasks.FUNC_SPECS), with_body=g.chance(0.2))
    else:
        stub = g.pick(code_tasks.FUNC_SPECS_OTHER)[1]
    return "complete-function", "en", g.pick(COMPLETE).format(s=stub)


REVIEW = [
    "Review this code and point out bugs or style problems:\n{c}",
    "Can you do a code review of my PR?\n{c}\nI'm mostly worried about performance.",
    "Is there anything wrong with this function?\n{c}", "{c}\n\nLGTM? Any edge cases I missed?",
    "My colleague wrote this. It works but feels off. What would you change?\n\n{c}",
    "Please review for security issues:\n{c}", "Find the bug:\n{c}", "{c}\n\nWhy does this crash sometimes?",
    "Code review request. Be strict about naming and error handling.\n\n{c}",
    "I'm reviewing a pull request that adds this function. What comments should I leave?\n{c}",
    "Does this handle empty input correctly?\n{c}", "What's the time complexity of this, and can it be improved?\n{c}",
    "Review:\n{c}", "Please critique this implementation:\n{c}",
    "PR #{n}: {t}\n\n{c}\n\nPlease review before I merge.",
    "Kannst du diesen Code reviewen und Fehler finden?\n{c}", "Peux-tu relire ce code et signaler les problèmes ?\n{c}",
    "¿Puedes revisar este código y decirme qué mejorarías?\n{c}", "帮我审查一下这段代码，有什么问题？\n{c}",
    "このコードをレビューしてください。バグはありますか？\n{c}", "Сделай код-ревью этого фрагмента:\n{c}",
    "Pode revisar este código? Tem algum bug?\n{c}", "Puoi fare una code review di questa funzione?\n{c}",
    "이 코드를 리뷰해 주세요. 문제점이 있나요?\n{c}",
]
PR_TITLES = ["Add caching to user lookup", "Fix off-by-one in pagination", "Refactor config loading", "Speed up report export",
             "Handle empty input", "Introduce retry logic", "Clean up legacy helpers"]


def code_review(g):
    lang, code = g.pick(code_snippets.SNIPPETS)
    text = g.pick(REVIEW).format(c=fence(g, code, lang), n=g.int(12, 4999), t=g.pick(PR_TITLES))
    return "code-review", "en", text


TRANSLATE_CODE = [
    "Translate this {P1} code to {P2}:\n\n{c}", "Port the following function to {P2}.\n{c}",
    "Convert this {P1} snippet into idiomatic {P2}:\n{c}", "Rewrite in {P2}:\n{c}", "How would this look in {P2}?\n\n{c}",
    "{c}\n\nSame thing in {P2}, please.", "Can you translate this to {P2}? I don't know {P1} well.\n{c}",
    "Translate the following code from {P1} to {P2}, preserving behaviour.\n{c}", "{P1} -> {P2}:\n{c}",
    "Please convert to {P2} and keep the comments.\n{c}", "Translate to {P2}:\n{c}",
    "I'm migrating our codebase from {P1} to {P2}. Translate this:\n{c}",
    "Übersetze diesen {P1}-Code nach {P2}:\n{c}", "Traduis ce code {P1} en {P2} :\n{c}",
    "Traduce este código de {P1} a {P2}:\n{c}", "把下面的{P1}代码翻译成{P2}：\n{c}",
    "この{P1}のコードを{P2}に書き換えてください。\n{c}", "Переведи этот код с {P1} на {P2}:\n{c}",
    "Traduza este código {P1} para {P2}:\n{c}", "Przetłumacz ten kod z {P1} na {P2}:\n{c}",
    "이 {P1} 코드를 {P2}로 바꿔 주세요.\n{c}", "Traduci questo codice da {P1} a {P2}:\n{c}",
    "Vertaal deze {P1}-code naar {P2}:\n{c}", "Bu {P1} kodunu {P2} diline çevir:\n{c}",
]


def code_translate(g):
    r = g.r.random()
    if r < 0.7:
        p1, code = g.pick(code_snippets.SNIPPETS)
        p2 = g.pick([p for p in code_snippets.PLS if p != p1])
    elif r < 0.85:
        p1, code = "SQL", g.pick(dev_queries.SQL_QUERIES)
        p2 = g.pick(["pandas", "the Django ORM", "SQLAlchemy", "a MongoDB aggregation", "LINQ", "Spark DataFrame code"])
    else:
        p1, code = "Bash", g.pick(dev_queries.SHELL_CMDS)
        p2 = g.pick(["PowerShell", "Python", "a Windows batch file", "Go", "Node.js"])
    return "code-translate", "en", g.pick(TRANSLATE_CODE).format(P1=p1, P2=p2, c=fence(g, code, p1))


EXPLAIN = ["What does this code do?\n{c}", "Explain this snippet line by line:\n{c}", "I don't understand this part:\n{c}",
           "{c}\n\nCan you explain how this works?", "Explain to a beginner what this function returns.\n{c}",
           "What is the output of this program?\n{c}", "Document this function with a docstring:\n{c}",
           "Add comments explaining each step:\n{c}", "Erkläre mir, was dieser Code macht:\n{c}",
           "Explique ce que fait ce code :\n{c}", "这段代码是做什么的？\n{c}", "このコードは何をしていますか？\n{c}",
           "Объясни, что делает этот код:\n{c}", "¿Qué hace este código?\n{c}", "O que este código faz?\n{c}"]


def explain_code(g):
    lang, code = g.pick(code_snippets.SNIPPETS)
    return "explain-code", "en", g.pick(EXPLAIN).format(c=fence(g, code, lang))


SQL_REVIEW = ["Is this SQL query correct for the question '{q}'?\n\n{sql}", "Explain this query:\n{sql}",
              "Optimize this SQL:\n{sql}", "Why is this query slow on a large table?\n{sql}",
              "Fix the syntax error in: {sql}", "Review this query, the result looks wrong:\n{sql}\n\nSchema:\n{s}",
              "Add an index that would speed this up:\n{sql}", "{sql}\n-- does this return duplicates?"]
SQL_MORE_WRAPPERS = ["{q}\n\n{s}", "{q}\n\n{s}", "{s}\n\n{q}", "Question: {q}\nTables:\n{s}", "Schema:\n{s}\nQ: {q}",
                     "Using this database, {ql}\n{s}", "Text-to-SQL. {q}\n{s}", "{q} (tables below)\n{s}",
                     "Generate a SQLite query. {q}\n\n{s}", "Write the query.\n{s}\n{q}", "MySQL: {q}\n{s}",
                     "{s}\nAnswer with a single SELECT statement: {q}", "Can you write SQL for: {q}\n\n{s}"]


def create_tables(domain):
    out = []
    for t, cols in domain:
        defs = []
        for c, k in cols:
            typ = {"id": "INTEGER PRIMARY KEY", "num": "REAL", "date": "DATE"}.get(k, "TEXT")
            if k.startswith("fk:"):
                typ = "INTEGER REFERENCES %s" % k[3:]
            defs.append("  %s %s" % (c, typ))
        out.append("CREATE TABLE %s (\n%s\n);" % (t, ",\n".join(defs)))
    return "\n".join(out)


def sql(g):
    r = g.r.random()
    if r < 0.6:
        domain = g.pick(sql_schemas.DOMAINS)
        q = sql_schemas.question(g, domain)
        schema = create_tables(domain) if g.chance(0.15) else sql_schemas.render(domain)
        w = g.pick(SQL_MORE_WRAPPERS + dev_queries.SQL_WRAPPERS)
        return "sql-write", "en", w.format(q=q, s=schema, ql=q[0].lower() + q[1:])
    schema, qs = g.pick(dev_queries.SQL_SCHEMAS)
    q = g.pick(qs)
    if r < 0.82:
        text = g.pick(dev_queries.SQL_WRAPPERS + SQL_MORE_WRAPPERS).format(q=q, s=schema, ql=q[0].lower() + q[1:])
        return "sql-write", "en", text
    return "sql-review", "en", g.pick(SQL_REVIEW).format(q=q, s=schema, sql=g.pick(dev_queries.SQL_QUERIES))


SHELL_EXPLAIN = ["What does this command do?\n{c}", "Explain: {c}", "Is this command safe to run? {c}",
                 "Convert this bash one-liner to PowerShell: {c}", "Rewrite this shell command in Python:\n{c}",
                 "Break down this pipeline for me: {c}", "{c}\nwhy does this print nothing?"]


def shell(g):
    if g.chance(0.75):
        task = g.pick(dev_queries.SHELL_TASKS)
        w = g.pick(dev_queries.SHELL_WRAPPERS)
        x = task[0].lower() + task[1:]
        return "shell", "en", w.format(X=task[0].upper() + task[1:], x=x)
    return "shell-explain", "en", g.pick(SHELL_EXPLAIN).format(c=g.pick(dev_queries.SHELL_CMDS))


REGEX_EXPLAIN = ["What does this regex match? {r}", "Explain the regular expression {r}",
                 "Why doesn't {r} match 'abc123'?", "Simplify this regex: {r}", "Explain this regex step by step:\n{r}",
                 "Write test strings that match and don't match {r}"]


def regex(g):
    if g.chance(0.7):
        return "regex", "en", g.pick(dev_queries.REGEX_WRAPPERS).format(x=g.pick(dev_queries.REGEX_TASKS))
    return "regex-explain", "en", g.pick(REGEX_EXPLAIN).format(r=g.pick(dev_queries.REGEXES))


def search_query(g):
    q = g.pick(dev_queries.SEARCH_QUERIES)
    style = g.r.randrange(5)
    if style == 0:
        text = q
    elif style == 1:
        text = "%s %s" % (q, g.pick(dev_queries.SEARCH_LANG_HINT))
    elif style == 2:
        text = "%s %s" % (g.pick(dev_queries.SEARCH_LANG_HINT), q)
    elif style == 3:
        text = "how to %s in %s" % (q, g.pick(MAIN_PLS))
    else:
        text = "%s %s example" % (g.pick(dev_queries.SEARCH_LANG_HINT), q)
    return "code-search", "en", text


def debug_error(g):
    lang, err = g.pick(dev_queries.ERRORS)
    text = g.pick(dev_queries.ERROR_WRAPPERS).format(e=err, PL=lang)
    if g.chance(0.3):
        _, code = g.pick(code_snippets.SNIPPETS)
        text = "Here's my code:\n%s\n\nAnd the error:\n%s" % (code, err)
    return "debug", "en", text


MISC = [
    "Write unit tests for this function using pytest:\n{c}", "Refactor this to be more readable:\n{c}",
    "Optimize this function; it's too slow for large inputs:\n{c}", "Add type hints to this code:\n{c}",
    "Make this function thread-safe:\n{c}", "Rewrite this using async/await:\n{c}",
    "Write a Dockerfile for a Node.js app that listens on port 3000.",
    "Create a GitHub Actions workflow that runs the tests on every push to main.",
    "How do I undo the last git commit but keep the changes?",
    "Write a Kubernetes deployment YAML for an nginx container with 3 replicas.",
    "Design a REST API for a todo app: list the endpoints, methods and status codes.",
    "Convert this JSON to a TypeScript interface: {{\"id\": 1, \"name\": \"Ann\", \"tags\": [\"a\", \"b\"], \"active\": true}}",
    "Write a Makefile that builds main.c and utils.c into an executable called app.",
    "What's the difference between a process and a thread? Show an example in {PL}.",
    "Implement a thread-safe queue in {PL}.", "Write a simple HTTP server in {PL} that returns JSON.",
    "Write a React component that shows a list of users fetched from /api/users.",
    "Create a Python script that renames all files in a folder to lowercase.",
    "Write a function in {PL} that parses a date string like '2024-03-15' and returns the weekday.",
    "Set up a logging configuration in Python that writes to a file and the console.",
    "Write a CSS rule that centers a div horizontally and vertically.",
    "Write an nginx config that proxies /api to localhost:8080.",
    "Implement binary search in {PL} and write tests for the edge cases.",
    "Generate a .gitignore for a Python project using virtualenv and VS Code.",
    "Write a bash script that checks if a website is up every minute and logs the result.",
    "Mock the requests.get call in this test:\n{c}", "Write a docstring and examples for this function:\n{c}",
    "Schreibe Unit-Tests für diese Funktion:\n{c}", "Refactorise ce code pour qu'il soit plus lisible :\n{c}",
    "请给这个函数写单元测试：\n{c}", "この関数を高速化してください：\n{c}", "Оптимизируй эту функцию:\n{c}",
    "Escribe pruebas unitarias para esta función:\n{c}",
]


def misc(g):
    lang, code = g.pick(code_snippets.SNIPPETS)
    return "code-misc", "en", g.pick(MISC).format(c=fence(g, code, lang), PL=g.pick(MAIN_PLS))


BUILDERS = [
    (write_function_en, 380), (write_function_ml, 270), (complete_function, 240), (code_review, 260),
    (code_translate, 270), (explain_code, 140), (sql, 300), (shell, 230), (regex, 140), (search_query, 130),
    (debug_error, 150), (misc, 160),
]

# Names of programming languages are never target languages of a natural-language translation.
assert not set(EN.values()) & set(code_snippets.PLS)
