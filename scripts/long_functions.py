#!/usr/bin/env python3
"""Lists C++ function bodies longer than N lines (issue #19: "no function on the request path over
about 80 lines unless it is a kernel").

Usage: scripts/long_functions.py [--max N] [--exclude GLOB]... PATH...

PATH is a file or a folder (searched for .h .hpp .cc .cpp .cxx .cu .cuh). Each function longer than
N lines (default 80) prints as

    router/workflows/workflow_file.cc:390: Parser::ParseStep (103 lines)

the line being where the function's name is written and the length counted from there to the
closing brace. The exit status is 1 when something was listed, so the script can gate a build.

How it reads C++: a brace-matching scan over the text with comments, string literals (raw strings
included), character literals and preprocessor lines blanked out first, so a "}" in a string or a
comment does not end a function. A brace opened at namespace or class level is classified from the
text before it: `namespace`/`extern "C"` and class/struct/union/enum braces are scopes to look
inside; a brace after a parameter list (with qualifiers, a trailing return type or a constructor's
initializer list) opens a function; anything else (an initializer such as `= {...}`) is data. Every
brace inside a function (blocks, lambdas, local classes) belongs to it, so a lambda counts towards
the function that encloses it. Methods defined inside a class body are reported as Class::Method.

Why a scan and not a parser: the script must run anywhere with stock Python (no libclang), and
function lengths need only the braces right.
"""

import argparse
import fnmatch
import os
import re
import sys

SOURCE_SUFFIXES = (".h", ".hpp", ".cc", ".cpp", ".cxx", ".cu", ".cuh")
IDENT_CHARS = set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_")
RAW_PREFIXES = ("R", "u8R", "uR", "UR", "LR")


def blank(text):
    """The text with comments, literals' contents and preprocessor lines replaced by spaces.

    Newlines are kept, so line numbers and brace positions stay where they were; quotes stay so
    that `extern "C"` still reads as extern followed by a string.
    """
    out = list(text)
    n = len(text)
    i = 0
    at_line_start = True  # only whitespace so far on this line: a '#' starts a directive

    def wipe(a, b):
        for k in range(a, b):
            if out[k] != "\n":
                out[k] = " "

    while i < n:
        c = text[i]
        if c == "\n":
            at_line_start = True
            i += 1
            continue
        if at_line_start and c == "#":
            j = i
            while j < n and text[j] != "\n":  # a directive runs on through backslash-newlines
                if text[j] == "\\" and j + 1 < n and text[j + 1] == "\n":
                    j += 2
                    continue
                if text.startswith("/*", j):  # a block comment may hide the directive's end
                    end = text.find("*/", j + 2)
                    j = n if end < 0 else end + 2
                    continue
                j += 1
            wipe(i, j)
            i = j
            continue
        if not c.isspace():
            at_line_start = False
        if text.startswith("//", i):
            j = text.find("\n", i)
            j = n if j < 0 else j
            wipe(i, j)
            i = j
            continue
        if text.startswith("/*", i):
            j = text.find("*/", i + 2)
            j = n if j < 0 else j + 2
            wipe(i, j)
            i = j
            continue
        if c == '"':
            prefix = raw_prefix(text, i)
            if prefix is not None:
                open_paren = text.find("(", i + 1)
                delim = text[i + 1:open_paren] if open_paren >= 0 else ""
                end = text.find(")" + delim + '"', open_paren + 1) if open_paren >= 0 else -1
                j = n if end < 0 else end + len(delim) + 2
                wipe(i + 1, j - 1)
                i = j
                continue
            j = skip_quoted(text, i, '"')
            wipe(i + 1, j - 1)
            i = j
            continue
        if c == "'":
            if is_digit_separator(text, i):
                i += 1
                continue
            j = skip_quoted(text, i, "'")
            wipe(i + 1, j - 1)
            i = j
            continue
        i += 1
    return "".join(out)


def raw_prefix(text, quote):
    """The raw-string prefix ending just before text[quote] (a '"'), or None when it is not raw."""
    for p in RAW_PREFIXES:
        start = quote - len(p)
        if start >= 0 and text[start:quote] == p and (start == 0 or text[start - 1] not in IDENT_CHARS):
            return p
    return None


def skip_quoted(text, i, quote):
    """The index just past the literal opening at text[i]; a newline ends a broken one."""
    j = i + 1
    while j < len(text):
        ch = text[j]
        if ch == "\\":
            j += 2
            continue
        if ch == quote:
            return j + 1
        if ch == "\n":
            return j
        j += 1
    return len(text)


def is_digit_separator(text, i):
    """True for the ' in 1'000'000 or 0xFF'FF: the token it sits in starts with a digit."""
    j = i
    while j > 0 and (text[j - 1] in IDENT_CHARS or text[j - 1] in "'."):
        j -= 1
    return j < i and text[j].isdigit()


SCOPE_KEYWORD = re.compile(r"\b(class|struct|union|enum)\b")
NAMESPACE = re.compile(r"\bnamespace\b|^\s*extern\s*\"[^\"]*\"\s*$")  # not extern "C" int F(...)
OPERATOR = re.compile(r"\boperator\s*(\(\)|\[\]|[^\s(]+)")
ACCESS_LABEL_END = re.compile(r"\b(public|private|protected)\s*$")
NOT_A_FUNCTION = {"alignas", "decltype", "sizeof", "__attribute__", "__declspec"}
TRAILING_QUALIFIER = re.compile(
    r"\s*(\b(const|volatile|noexcept|override|final|mutable|try)\b|&&|&"
    r"|\b[A-Z][A-Z0-9_]*(\([^()]*\))?)$")  # ABSL_LOCKS_EXCLUDED(mu_) and other macros


def strip_qualifiers(header):
    """header without trailing `const`, `override`, `ABSL_LOCKS_EXCLUDED(mu_)` and the like.

    A token is stripped only when a parameter list is left before it, so TEST(Suite, Name) stays.
    """
    h = header.rstrip()
    while True:
        m = TRAILING_QUALIFIER.search(h)
        if not m:
            return h
        rest = h[:m.start()].rstrip()
        if "(" not in rest:
            return h
        h = rest


def normalize(header):
    """The header with what confuses the tests below masked, every offset unchanged: operator
    symbols (`operator==` has an '=' that is no initializer) and template parameter lists
    (`template <typename T = int>`)."""
    h = OPERATOR.sub(lambda m: "operator" + "_" * (len(m.group(0)) - len("operator")), header)
    out = list(h)
    for m in re.finditer(r"\btemplate\s*<", h):
        depth = 0
        for k in range(m.end() - 1, len(h)):
            if h[k] == "<":
                depth += 1
            elif h[k] == ">":
                depth -= 1
            if k >= m.start():
                out[k] = " "
            if depth == 0:
                break
        for k in range(m.start(), m.end()):
            out[k] = " "
    return "".join(out)


def paren_depths(h):
    """The ()/[] nesting depth at each character of h (0 = top level)."""
    depths = []
    d = 0
    for ch in h:
        if ch in ")]":
            d = max(0, d - 1)
        depths.append(d)
        if ch in "([":
            d += 1
    return depths


def initializer_list_colon(h):
    """Offset of the ':' that opens a constructor's member initializer list, or -1."""
    depths = paren_depths(h)
    for k, ch in enumerate(h):
        if ch != ":" or depths[k] != 0:
            continue
        if (k + 1 < len(h) and h[k + 1] == ":") or (k > 0 and h[k - 1] == ":"):
            continue
        if strip_qualifiers(h[:k]).endswith(")"):
            return k
    return -1


def parameter_list(h):
    """Offset of the '(' that opens the parameter list ending h (before qualifiers, a trailing
    return type or a constructor's initializer list), or -1 when h ends in no parameter list."""
    colon = initializer_list_colon(h)
    if colon >= 0:
        h = h[:colon]
    depths = paren_depths(h)
    arrows = [k for k in range(len(h) - 1) if depths[k] == 0 and h[k:k + 2] == "->"]
    if arrows:
        h = h[:arrows[0]]
    h = strip_qualifiers(h)
    if not h.endswith(")"):
        return -1
    d = 0
    for k in range(len(h) - 1, -1, -1):
        if h[k] == ")":
            d += 1
        elif h[k] == "(":
            d -= 1
            if d == 0:
                before = re.search(r"(\w+)\s*$", h[:k])
                if before and before.group(1) in NOT_A_FUNCTION:
                    return -1
                return k
    return -1


def classify(header):
    """What a brace opened at namespace or class level opens, from the text before it:
    'namespace', 'class', 'function', 'member_init' (a brace inside a constructor's initializer
    list, as in `: items_{a, b}`), 'argument' (a brace inside a call's parentheses) or 'data'
    (an initializer)."""
    h = normalize(header)
    if NAMESPACE.search(h):
        return "namespace"
    depths = paren_depths(h)
    if h.count("(") + h.count("[") > h.count(")") + h.count("]"):
        return "argument"  # a brace among a macro's arguments: INSTANTIATE_TEST_SUITE_P(..., [](...) {...})
    has_top_eq = any(ch == "=" and depths[k] == 0 and h[k - 1:k] not in ("=", "!", "<", ">")
                     and h[k + 1:k + 2] != "=" for k, ch in enumerate(h))
    if has_top_eq:
        # `auto handler = [&](int x) {` at namespace level: a lambda held in a variable.
        return "function" if re.search(r"=\s*\[[^\]]*\]\s*(\([^)]*\))?[^=]*$", h) else "data"
    colon = initializer_list_colon(h)
    if colon >= 0 and not re.search(r"[)}]\s*$", h[colon:]):
        return "member_init"
    if parameter_list(h) >= 0:
        return "function"
    if SCOPE_KEYWORD.search(h):
        return "class"
    return "data"


def function_name(header):
    """(name, offset of the name in header): Parser::ParseStep, operator==, TEST(Suite, Name)."""
    h = normalize(header)
    paren = parameter_list(h)
    if paren < 0:
        v = re.search(r"([A-Za-z_]\w*)\s*=\s*\[", h)  # a lambda held in a variable
        return (v.group(1), v.start(1)) if v else ("?", 0)
    m = re.search(r"(~?[A-Za-z_]\w*(\s*::\s*~?[A-Za-z_]\w*)*)\s*$", h[:paren])
    if not m:
        return "?", 0
    name = re.sub(r"\s+", "", header[m.start(1):m.end(1)])
    if name.split("::")[-1].startswith("operator"):
        name = re.sub(r"\s+", "", header[m.start(1):paren])
    elif re.fullmatch(r"[A-Z][A-Z0-9_]*", name):  # TEST(Suite, Name) and other macro-made functions
        args = strip_qualifiers(header[paren:])
        name += re.sub(r"\s+", " ", args[:args.rfind(")") + 1])
    return name, m.start(1)


HIDING = ("function", "data", "member_init", "argument")  # braces whose contents are not scanned
# Braces inside a declaration that goes on after them: a member initializer's belongs to its
# constructor's header, a macro argument's to the macro call.
PART_OF_HEADER = ("member_init", "argument")


def scan(text):
    """Yields (line, name, length) for every function defined in text."""
    clean = blank(text)
    line_at = []  # the line of each offset
    line = 1
    for ch in clean:
        line_at.append(line)
        if ch == "\n":
            line += 1
    # One entry per open brace: (kind, name, first line). Braces inside a function or an
    # initializer are 'block's; `inner` counts the open entries that hide their contents.
    stack = []
    inner = 0
    header_start = 0  # where the text before the next brace at namespace or class level begins
    for i, ch in enumerate(clean):
        if ch == "{":
            if inner:
                stack.append(("block", None, None))
                continue
            header = clean[header_start:i]
            kind = classify(header)
            if kind == "function":
                name, at = function_name(header)
                owners = [owner for k, owner, _ in stack if k == "class" and owner]
                if owners and "::" not in name:
                    name = "::".join(owners + [name])
                stack.append(("function", name, line_at[header_start + at]))
            elif kind == "class":
                m = re.search(r"\b(?:class|struct|union|enum(?:\s+class|\s+struct)?)\s+"
                              r"(?:(?:[A-Z_][A-Z0-9_]*|alignas)\s*(?:\([^()]*\))?\s+)*([A-Za-z_]\w*)", header)
                stack.append(("class", m.group(1) if m else None, None))
            else:
                stack.append((kind, None, None))
            if kind in HIDING:
                inner += 1
            if kind not in PART_OF_HEADER:
                header_start = i + 1
        elif ch == "}":
            if not stack:
                continue
            kind, name, start = stack.pop()
            if kind in HIDING:
                inner -= 1
            if kind == "function":
                yield start, name, line_at[i] - start + 1
            if not inner and kind not in PART_OF_HEADER:
                header_start = i + 1
        elif inner:
            continue
        elif ch == ";":
            header_start = i + 1
        elif ch == ":" and ACCESS_LABEL_END.search(clean, header_start, i) and clean[i + 1:i + 2] != ":":
            header_start = i + 1  # `public:` is no part of the declaration after it


def source_files(paths, excludes):
    for p in paths:
        if os.path.isfile(p):
            candidates = [p]
        else:
            candidates = []
            for root, dirs, files in os.walk(p):
                dirs.sort()
                candidates.extend(os.path.join(root, f) for f in sorted(files))
        for f in candidates:
            if not f.endswith(SOURCE_SUFFIXES):
                continue
            norm = os.path.normpath(f)
            if any(fnmatch.fnmatch(norm, g) or fnmatch.fnmatch(os.path.basename(norm), g) for g in excludes):
                continue
            yield norm


def main(argv):
    ap = argparse.ArgumentParser(description="List C++ functions longer than N lines.")
    ap.add_argument("paths", nargs="+", help="files or folders")
    ap.add_argument("--max", type=int, default=80, help="longest allowed function, in lines (default 80)")
    ap.add_argument("--exclude", action="append", default=[],
                    help="glob of paths or file names to skip (repeatable), e.g. 'tools/json_schema*'")
    args = ap.parse_args(argv)
    found = 0
    for path in source_files(args.paths, args.exclude):
        with open(path, encoding="utf-8", errors="replace") as f:
            text = f.read()
        for line, name, length in scan(text):
            if length > args.max:
                print(f"{path}:{line}: {name} ({length} lines)")
                found += 1
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
