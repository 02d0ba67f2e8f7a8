#!/usr/bin/env bash
# Regenerates the request classifier's training data and retrains the model, then checks that
# both are byte-for-byte the committed files:
#   router/classify/training/data.jsonl   (generate_training_data.py, seeded)
#   router/classify/model/classifier.bin  (switchyard-train-classifier, seeded)
# Exit 0 when both reproduce, 1 when either differs.
#
#   router/classify/training/retrain.sh            check
#   router/classify/training/retrain.sh --update   write the regenerated files in place
#
# BUILD (default: build) names the configured build directory. Training options are the
# trainer's defaults; change them there, not here, so that the check and the shipped model agree.
set -euo pipefail
cd "$(dirname "$0")/../../.."
BUILD=${BUILD:-build}
update=0
if [[ "${1:-}" == "--update" ]]; then update=1; elif [[ $# -gt 0 ]]; then
  echo "usage: $0 [--update]" >&2; exit 2
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

python3 router/classify/training/generate_training_data.py --out "$tmp/data.jsonl"
ninja -C "$BUILD" -j 2 switchyard-train-classifier >/dev/null
"$BUILD/bin/switchyard-train-classifier" --data "$tmp/data.jsonl" --out "$tmp/classifier.bin" | tee "$tmp/train.log" |
  grep -E "^(rows|held-out|dev set|wrote)" || true

status=0
for pair in "$tmp/data.jsonl:router/classify/training/data.jsonl" "$tmp/classifier.bin:router/classify/model/classifier.bin"; do
  new=${pair%%:*}
  committed=${pair#*:}
  if [[ $update -eq 1 ]]; then
    cp "$new" "$committed"
    echo "updated $committed ($(wc -c < "$committed") bytes, sha256 $(sha256sum "$committed" | cut -c1-16))"
  elif cmp -s "$new" "$committed"; then
    echo "reproduced $committed byte for byte (sha256 $(sha256sum "$committed" | cut -c1-16))"
  else
    echo "DIFFERS: $committed is not what the generator/trainer produce now (run $0 --update)" >&2
    status=1
  fi
done
exit $status
