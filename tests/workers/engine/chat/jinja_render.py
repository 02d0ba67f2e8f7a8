"""Renders chat-template cases with Jinja2 the way transformers' apply_chat_template does:
ImmutableSandboxedEnvironment(trim_blocks=True, lstrip_blocks=True, extensions=[loopcontrols]),
tojson = json.dumps(x, ensure_ascii=False, indent=indent, separators=separators,
sort_keys=False) (transformers' own definition), and the raise_exception / strftime_now globals.
enable_thinking is passed only when a case gives it; tools are passed as given (None if absent).

Before rendering, messages are normalized as vLLM's OpenAI server does before its template
sees them (a case can opt out with "normalize": false to see Jinja2 on the raw input):
  - content None or absent -> "", a list of {"type": "text"} parts -> their texts joined by "\n";
  - tool_calls[].function.arguments given as a string -> json.loads(string) when it is JSON.

Usage: /usr/bin/python3 jinja_render.py IN.json OUT.json
IN.json: {"template": "...", "cases": [{"messages": [...], "tools": [...] | null,
          "add_generation_prompt": bool, "enable_thinking": bool (optional),
          "normalize": bool (optional, default true)}]}
OUT.json: a list with, per case, the rendered string or {"error": "..."}.
"""
import copy
import json
import sys
from datetime import datetime

from jinja2.ext import loopcontrols
from jinja2.sandbox import ImmutableSandboxedEnvironment


def tojson(x, ensure_ascii=False, indent=None, separators=None, sort_keys=False):
    return json.dumps(x, ensure_ascii=ensure_ascii, indent=indent, separators=separators, sort_keys=sort_keys)


def raise_exception(message):
    raise Exception(message)


def strftime_now(fmt):
    return datetime.now().strftime(fmt)


def normalize(messages):
    out = copy.deepcopy(messages)
    for m in out:
        c = m.get("content")
        if c is None:
            m["content"] = ""
        elif isinstance(c, list):
            m["content"] = "\n".join(p["text"] for p in c)
        for call in m.get("tool_calls") or []:
            fn = call.get("function", call)
            if isinstance(fn.get("arguments"), str):
                try:
                    fn["arguments"] = json.loads(fn["arguments"])
                except ValueError:
                    pass
    return out


def main():
    with open(sys.argv[1], encoding="utf-8") as f:
        spec = json.load(f)
    env = ImmutableSandboxedEnvironment(trim_blocks=True, lstrip_blocks=True, extensions=[loopcontrols])
    env.filters["tojson"] = tojson
    env.globals["raise_exception"] = raise_exception
    env.globals["strftime_now"] = strftime_now
    template = env.from_string(spec["template"])
    out = []
    for case in spec["cases"]:
        kwargs = {}
        if "enable_thinking" in case:
            kwargs["enable_thinking"] = case["enable_thinking"]
        messages = normalize(case["messages"]) if case.get("normalize", True) else case["messages"]
        try:
            out.append(template.render(messages=messages, tools=case.get("tools"),
                                       add_generation_prompt=case.get("add_generation_prompt", True), **kwargs))
        except Exception as e:  # noqa: BLE001 - reported to the caller as data
            out.append({"error": f"{type(e).__name__}: {e}"})
    with open(sys.argv[2], "w", encoding="utf-8") as f:
        json.dump(out, f, ensure_ascii=False)


main()
