#!/usr/bin/env python3
"""Writes the request classifier's training data: router/classify/training/data.jsonl.

Every row is generated here from banks written for this project (gen/*.py): no row comes from
an evaluation set. Each row says where it came from:

  {"prompt": ..., "label": "reasoning|coder|translation", "split": "train|heldout",
   "origin": "generator:<label>/<kind>#<n> lang=<lang> seed=<seed>"}

Deterministic: the same --seed gives the same file byte for byte (Python's random.Random with
string seeds and sorted iteration only). The held-out split is 15% of each label, chosen by a
hash of the prompt, so a row's split does not depend on the order of generation.

Usage: generate_training_data.py [--seed N] [--out FILE]
"""

import argparse
import hashlib
import json
import os
import sys

sys.dont_write_bytecode = True  # leave no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from gen import coder, reasoning, translation  # noqa: E402
from gen.common import Gen, surround  # noqa: E402

HELDOUT_PERCENT = 15
DEFAULT_SEED = 20251124


def build(seed):
    rows = []
    seen = set()
    for label, module in (("reasoning", reasoning), ("coder", coder), ("translation", translation)):
        for builder, count in module.BUILDERS:
            g = Gen(seed, "%s/%s" % (label, builder.__name__))
            made, tries = 0, 0
            while made < count and tries < count * 20:
                tries += 1
                kind, lang, prompt = builder(g)
                prompt = surround(g, prompt).strip()
                key = " ".join(prompt.split()).lower()
                if key in seen:
                    continue  # duplicates would leak between the splits
                seen.add(key)
                digest = hashlib.sha256(prompt.encode("utf-8")).digest()
                split = "heldout" if digest[0] * 100 // 256 < HELDOUT_PERCENT else "train"
                rows.append({
                    "prompt": prompt,
                    "label": label,
                    "split": split,
                    "origin": "generator:%s/%s#%d lang=%s seed=%d" % (label, kind, made, lang, seed),
                })
                made += 1
    return rows


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--seed", type=int, default=DEFAULT_SEED)
    ap.add_argument("--out", default=os.path.join(here, "data.jsonl"))
    args = ap.parse_args()
    rows = build(args.seed)
    with open(args.out, "w", encoding="utf-8", newline="\n") as f:
        for r in rows:
            f.write(json.dumps(r, ensure_ascii=False, sort_keys=False) + "\n")
    counts = {}
    for r in rows:
        counts[(r["label"], r["split"])] = counts.get((r["label"], r["split"]), 0) + 1
    summary = ", ".join("%s/%s %d" % (l, s, n) for (l, s), n in sorted(counts.items()))
    print("wrote %d rows to %s (%s)" % (len(rows), args.out, summary))


if __name__ == "__main__":
    main()
