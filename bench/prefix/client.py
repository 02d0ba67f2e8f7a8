#!/usr/bin/env python3
"""The prefix-reuse benchmark's client (bench/prefix/run.sh): OpenAI chat requests through the
gateway, streamed, timing the first token and reading usage.prompt_tokens_details.cached_tokens.

  client.py followup --url http://127.0.0.1:7701/v1 --document contract.txt
      the issue's measurement: the contract and a question, then the same conversation plus
      one short turn, then the identical first request again; one JSON line per request.
  client.py agent --url ... --document contract.txt --steps 5
      a client-driven agent run: each step forces a call of the client tool search_document
      (tool_choice "required"), the client answers it with a passage of the document and asks
      again, as LangGraph-style loops do; one JSON line per step and a summary line.

Standard library only (urllib would not stream SSE line by line; http.client does).
"""
import argparse
import http.client
import json
import sys
import time
import urllib.parse


def stream_chat(url, body, api_key="bench"):
    """Sends one streamed chat completion; returns (ttft_s, total_s, text, tool_calls, usage)."""
    u = urllib.parse.urlparse(url)
    conn = http.client.HTTPConnection(u.hostname, u.port, timeout=3600)
    body = dict(body, stream=True, stream_options={"include_usage": True})
    start = time.monotonic()
    conn.request("POST", u.path.rstrip("/") + "/chat/completions", json.dumps(body).encode(),
                 {"Content-Type": "application/json", "Authorization": f"Bearer {api_key}"})
    resp = conn.getresponse()
    if resp.status != 200:
        raise SystemExit(f"client: HTTP {resp.status}: {resp.read().decode(errors='replace')}")
    ttft = None
    text, usage = "", None
    calls = {}
    for raw in resp:
        line = raw.decode().strip()
        if not line.startswith("data: "):
            continue
        data = line[6:]
        if data == "[DONE]":
            break
        chunk = json.loads(data)
        if chunk.get("usage"):
            usage = chunk["usage"]
        for choice in chunk.get("choices", []):
            delta = choice.get("delta", {})
            got = delta.get("content") or delta.get("reasoning_content") or delta.get("tool_calls")
            if got and ttft is None:
                ttft = time.monotonic() - start
            text += delta.get("content") or ""
            for tc in delta.get("tool_calls") or []:
                c = calls.setdefault(tc["index"], {"id": "", "name": "", "arguments": ""})
                c["id"] = tc.get("id") or c["id"]
                fn = tc.get("function") or {}
                c["name"] += fn.get("name") or ""
                c["arguments"] += fn.get("arguments") or ""
    total = time.monotonic() - start
    conn.close()
    return ttft if ttft is not None else total, total, text, [calls[i] for i in sorted(calls)], usage


def cached(usage):
    return ((usage or {}).get("prompt_tokens_details") or {}).get("cached_tokens", 0)


def report(kind, ttft, total, usage, **extra):
    line = {"request": kind, "ttft_s": round(ttft, 3), "total_s": round(total, 3),
            "prompt_tokens": (usage or {}).get("prompt_tokens"), "cached_tokens": cached(usage)}
    line.update(extra)
    print(json.dumps(line), flush=True)
    return line


def followup(a):
    document = open(a.document, encoding="utf-8").read()
    first = [{"role": "system", "content": "You analyse contracts. Answer briefly, citing clause numbers."},
             {"role": "user", "content": f"The contract:\n\n{document}\n\nWhen is payment due?"}]
    base = {"model": a.model, "max_tokens": a.max_tokens, "temperature": 0,
            "chat_template_kwargs": {"enable_thinking": False}}
    ttft1, total1, answer, _, usage1 = stream_chat(a.url, dict(base, messages=first))
    r1 = report("first", ttft1, total1, usage1)
    second = first + [{"role": "assistant", "content": answer},
                      {"role": "user", "content": "And what interest applies to late payments?"}]
    ttft2, total2, _, _, usage2 = stream_chat(a.url, dict(base, messages=second))
    # The prefix both share is the whole first prompt: its tokens are usage1's prompt_tokens.
    report("followup", ttft2, total2, usage2, ratio_to_first=round(ttft2 / ttft1, 4),
           shared_prefix_tokens=r1["prompt_tokens"],
           cached_share_of_shared_prefix=round(cached(usage2) / max(1, r1["prompt_tokens"]), 4))
    ttft3, total3, _, _, usage3 = stream_chat(a.url, dict(base, messages=first))
    report("repeat", ttft3, total3, usage3, ratio_to_first=round(ttft3 / ttft1, 4),
           shared_prefix_tokens=r1["prompt_tokens"],
           cached_share_of_shared_prefix=round(cached(usage3) / max(1, r1["prompt_tokens"]), 4))


SEARCH_TOOL = {"type": "function", "function": {
    "name": "search_document",
    "description": "Finds the passage of the contract about a topic.",
    "parameters": {"type": "object", "properties": {"topic": {"type": "string", "maxLength": 40}},
                   "required": ["topic"]}}}


def agent(a):
    document = open(a.document, encoding="utf-8").read()
    paragraphs = [p for p in document.split("\n\n") if p.strip()]
    messages = [{"role": "system", "content": f"You analyse this contract with the search tool.\n\n{document}"},
                {"role": "user", "content": "List every deadline the Buyer must meet, step by step."}]
    base = {"model": a.model, "max_tokens": a.max_tokens, "temperature": 0, "tools": [SEARCH_TOOL],
            "tool_choice": "required", "chat_template_kwargs": {"enable_thinking": False}}
    sent = cached_total = 0
    start = time.monotonic()
    for step in range(1, a.steps + 1):
        ttft, total, text, calls, usage = stream_chat(a.url, dict(base, messages=messages))
        report("agent_step", ttft, total, usage, step=step, calls=len(calls))
        sent += (usage or {}).get("prompt_tokens", 0)
        cached_total += cached(usage)
        if not calls:
            raise SystemExit(f"client: step {step} made no tool call (tool_choice required): {text!r}")
        messages.append({"role": "assistant", "content": text or None,
                         "tool_calls": [{"id": c["id"], "type": "function",
                                         "function": {"name": c["name"], "arguments": c["arguments"]}}
                                        for c in calls]})
        for i, c in enumerate(calls):
            messages.append({"role": "tool", "tool_call_id": c["id"],
                             "content": paragraphs[(step * 3 + i) % len(paragraphs)]})
    wall = time.monotonic() - start
    print(json.dumps({"request": "agent_summary", "steps": a.steps, "prompt_tokens_sent": sent,
                      "prompt_tokens_cached": cached_total, "prompt_tokens_computed": sent - cached_total,
                      "wall_s": round(wall, 3)}), flush=True)


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("mode", choices=["followup", "agent"])
    p.add_argument("--url", required=True)
    p.add_argument("--document", required=True)
    p.add_argument("--model", default="reasoning")
    p.add_argument("--max-tokens", type=int, default=16)
    p.add_argument("--steps", type=int, default=5)
    a = p.parse_args()
    (followup if a.mode == "followup" else agent)(a)


if __name__ == "__main__":
    sys.exit(main())
