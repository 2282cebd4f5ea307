#!/usr/bin/env bash
# transformers.js (its SmolVLM classes, local files only) and Kestrel, greedy, on the demo model:
# the same prompts, images that need no resizing, and the generated tokens must be identical.
#
#   parity/demo/check.sh [fp32|q4] [MODEL_FOLDER]   (models/demo by default; needs ./mvnw -DskipTests package and `cd parity && npm ci --ignore-scripts`)
#
# Prints one line per case and exits 1 when any case differs.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
decoder="${1:-fp32}"
model="$(cd "${2:-$root/models/demo}" && pwd)"
cases="$root/parity/demo/cases.jsonl"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

(cd "$root/parity" && node demo/transformers_js.mjs --model "$model" --cases "$cases" --decoder "$decoder") \
  > "$work/transformers_js.jsonl"

# The same cases as one `kestrel ask --batch` file: think_budget null is thinking without a budget, 0 none.
python3 - "$cases" "$work/requests.jsonl" <<'PY'
import json, os, sys
with open(sys.argv[1]) as f, open(sys.argv[2], "w") as out:
    for line in f:
        c = json.loads(line)
        request = {"prompt": c["prompt"], "think_budget": None if c["thinking"] else 0}
        if "image" in c:
            request["images"] = [os.path.join(os.path.dirname(sys.argv[1]), c["image"])]
        out.write(json.dumps(request) + "\n")
PY
max_tokens="$(python3 -c "import json,sys; print(max(json.loads(l)['max_new_tokens'] for l in open(sys.argv[1])))" "$cases")"
java -jar "$root/app/target/kestrel.jar" ask --model "$model" --variant "$decoder" --greedy \
  --max-tokens "$max_tokens" --batch "$work/requests.jsonl" > "$work/kestrel.jsonl"

python3 - "$cases" "$work/transformers_js.jsonl" "$work/kestrel.jsonl" "$decoder" <<'PY'
import json, sys
cases = [json.loads(l) for l in open(sys.argv[1])]
js = [json.loads(l) for l in open(sys.argv[2])]
kestrel = [json.loads(l) for l in open(sys.argv[3])]
failed = 0
for c, t, k in zip(cases, js, kestrel, strict=True):
    # transformers.js stops at max_new_tokens of its own case; Kestrel's batch shares one limit.
    ours = k.get("tokens", [])[: len(t["tokens"])] if len(t["tokens"]) == c["max_new_tokens"] else k.get("tokens", [])
    same = ours == t["tokens"]
    failed += not same
    print(f"{sys.argv[4]} {c['name']}: {'same' if same else 'DIFFERENT'} ({len(t['tokens'])} tokens) {k.get('text', k)!r}")
    if not same:
        print(f"  transformers.js {t['tokens']}\n  kestrel         {k.get('tokens')}")
sys.exit(1 if failed else 0)
PY
