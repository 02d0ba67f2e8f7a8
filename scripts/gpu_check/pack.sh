#!/usr/bin/env bash
# Packs what run.sh needs on a lent GPU machine into .gpu/bundle.tar.xz (.gpu/ is listed in
# .git/info/exclude): the nvcc-built GPU tests and tools from build/ (scripts/build.sh first),
# the shared libraries they load (the GPU machine's image has none of Debian's packages), and
# ../shared's two fixtures (the MoE one through zero_unused_embeddings.py), so that everything
# fits the 64 MiB the device tool carries. Then, with the device tool:
#   run(command="bash scripts/gpu_check/run.sh", carry=[".gpu"], timeout_s=480)
set -euo pipefail
cd "$(dirname "$0")/../.."
shared=${SWITCHYARD_SHARED_DIR:-../shared}
bins=(build/tests/cuda_runner_test_gpu build/tests/cuda_runner_moe_test_gpu build/tests/cuda_engine_test_gpu
      build/bin/switchyard-cuda-bench build/bin/switchyard-generate)
for b in "${bins[@]}"; do [[ -x $b ]] || { echo "$b is missing: run scripts/build.sh (with nvcc installed)" >&2; exit 1; }; done

stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
mkdir -p "$stage/g/bin" "$stage/g/lib" "$stage/g/shared/fixtures"
cp "${bins[@]}" "$stage/g/bin/"
strip "$stage"/g/bin/*
# Every library outside glibc itself; libstdc++ too, in case the machine's is older than g++ 12's.
for b in "$stage"/g/bin/*; do ldd "$b" | awk '$3 ~ /^\// {print $3}'; done | sort -u |
  grep -v -E '/(libc|libm|libpthread|libdl|librt|ld-linux-x86-64)\.so' |
  while read -r lib; do cp -L "$lib" "$stage/g/lib/"; done
for f in qwen3-tiny-dense qwen3-tiny-moe; do
  mkdir -p "$stage/g/shared/fixtures/$f/hf"
  cp "$shared/fixtures/$f/ref.json" "$stage/g/shared/fixtures/$f/"
  cp "$shared/fixtures/$f/hf/"{config.json,generation_config.json,tokenizer.json,tokenizer_config.json} \
     "$stage/g/shared/fixtures/$f/hf/"
done
cp "$shared/fixtures/qwen3-tiny-dense/hf/model.safetensors" "$stage/g/shared/fixtures/qwen3-tiny-dense/hf/"
python3 scripts/gpu_check/zero_unused_embeddings.py "$shared/fixtures/qwen3-tiny-moe" \
  "$stage/g/shared/fixtures/qwen3-tiny-moe/hf/model.safetensors"
mkdir -p .gpu
tar -C "$stage" -cf - g | xz -6 -T"$(nproc)" > .gpu/bundle.tar.xz
echo "packed $(du -h .gpu/bundle.tar.xz | cut -f1) in .gpu/bundle.tar.xz; tracked tree $(git ls-files -z | du -ch --files0-from=- | tail -1 | cut -f1)"
