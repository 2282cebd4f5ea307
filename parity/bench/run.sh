#!/usr/bin/env bash
# Kestrel side by side with transformers.js on the Qwen3-0.6B-shaped benchmark model, then
# Kestrel's time-per-token curve; prints the markdown tables of docs/bench/engine.md.
#
#   parity/bench/run.sh [MODEL_FOLDER]     (needs ./mvnw package and `cd parity && npm ci --ignore-scripts`)
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
model="${1:-${TMPDIR:-/tmp}/kestrel-bench/qwen3-0.6b-shaped}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
kestrel=(java -jar "$root/app/target/kestrel.jar")

[ -f "$model/onnx/model_q4.onnx" ] || /usr/bin/python3 "$root/parity/bench/make_bench_model.py" "$model" >&2
echo '"The quick brown fox jumps over the lazy dog while Kestrel keeps every word on this laptop. "' \
  | "${kestrel[@]}" tokenize --tokenizer "$model" > "$work/ids.json"

echo "| weights | context | tokens identical | Kestrel tokens/s | transformers.js tokens/s | ratio | Kestrel engine overhead | Kestrel TTFT ms | transformers.js TTFT ms |"
echo "|---|--:|:-:|--:|--:|--:|--:|--:|--:|"
for dtype in q4 fp32; do
  for context in 32 512 1024; do
    python3 -c "import json,sys; ids=json.load(open('$work/ids.json')); print(json.dumps((ids*1000)[:$context]))" > "$work/prompt.json"
    "${kestrel[@]}" bench --model "$model" --variant "$dtype" --prompt-ids "$work/prompt.json" --tokens 32 --runs 3 --contexts 16 --json > "$work/k.json"
    (cd "$root/parity" && node bench/transformers_js.mjs --model "$model" --dtype "$dtype" --prompt-ids "$work/prompt.json" --tokens 32 --runs 3) > "$work/t.json" 2>/dev/null
    python3 - "$work/k.json" "$work/t.json" "$dtype" "$context" <<'PY'
import json, sys
k, t = json.load(open(sys.argv[1])), json.load(open(sys.argv[2]))
ratio = k["decode_tokens_per_s"] / t["decode_tokens_per_s"]
print(f"| {sys.argv[3]} | {sys.argv[4]} | {'yes' if k['tokens'] == t['tokens'] else 'NO'} | {k['decode_tokens_per_s']:.2f} | "
      f"{t['decode_tokens_per_s']:.2f} | {ratio:.2f}x | {k['engine_overhead']:.3f} | {k['ttft_ms']:.0f} | {t['ttft_ms']:.0f} |")
PY
  done
done
echo
"${kestrel[@]}" bench --model "$model" --variant q4 --tokens 32 --runs 3 --contexts 16,128,512,1024,2048
