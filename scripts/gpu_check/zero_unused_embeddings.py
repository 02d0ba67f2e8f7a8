#!/usr/bin/env python3
"""Copies a fixture's model.safetensors with the embedding rows of tokens its ref.json never
feeds set to zero, so the file compresses to a third and the GPU check fits what the device tool
carries (64 MiB). Only for untied models: a tied embedding is also the LM head, whose every row
makes a logit. Rows that are fed keep their bytes, so every logit the tests compare is unchanged.

usage: zero_unused_embeddings.py FIXTURE_DIR OUT_SAFETENSORS
"""
import json
import struct
import sys


def fed_tokens(ref):
    ids = set()
    for p in ref["prompts"]:
        ids.update(p.get("tokens_hf") or [])
        ids.update(p.get("tokens_llama") or [])
        ids.update(p.get("greedy_tokens") or [])
        for step in p.get("greedy") or []:
            ids.add(step["token"])
    return ids


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    fixture, out_path = sys.argv[1], sys.argv[2]
    config = json.load(open(f"{fixture}/hf/config.json"))
    if config.get("tie_word_embeddings", False):
        sys.exit(f"{fixture}: tied embeddings are the LM head too; copy the file unchanged")
    ids = fed_tokens(json.load(open(f"{fixture}/ref.json")))
    data = bytearray(open(f"{fixture}/hf/model.safetensors", "rb").read())
    (header_len,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8 : 8 + header_len])
    tensor = header["model.embed_tokens.weight"]
    rows, cols = tensor["shape"]
    width = {"BF16": 2, "F16": 2, "F32": 4}[tensor["dtype"]]
    base = 8 + header_len + tensor["data_offsets"][0]
    row_bytes = cols * width
    zero = bytes(row_bytes)
    for r in range(rows):
        if r not in ids:
            data[base + r * row_bytes : base + (r + 1) * row_bytes] = zero
    open(out_path, "wb").write(data)
    print(f"{fixture}: kept {len(ids)} of {rows} embedding rows")


if __name__ == "__main__":
    main()
