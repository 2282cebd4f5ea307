// transformers.js 4.x (onnxruntime-node, CPU) on a model folder, greedy, for the side-by-side
// benchmark with `kestrel bench`: same folder, same prompt ids, same number of new tokens.
//
//   node parity/bench/transformers_js.mjs --model DIR --dtype fp32|q4 --prompt-ids FILE --tokens N --runs N
//
// Prints one JSON object: the greedy tokens of the median run, its decode tokens/s (tokens after
// the first, over the time from the first to the last), time to first token and load time.
import { AutoModelForCausalLM, Tensor, env } from "@huggingface/transformers";
import fs from "node:fs";
import path from "node:path";

const args = Object.fromEntries(
  process.argv.slice(2).reduce((pairs, arg, i, all) => (arg.startsWith("--") ? [...pairs, [arg.slice(2), all[i + 1]]] : pairs), []),
);
const folder = path.resolve(args.model);
const tokens = Number(args.tokens ?? 64);
const runs = Number(args.runs ?? 3);
const promptIds = JSON.parse(fs.readFileSync(args["prompt-ids"], "utf8"));

env.allowRemoteModels = false;
env.localModelPath = path.dirname(folder);
const loadStart = performance.now();
const model = await AutoModelForCausalLM.from_pretrained(path.basename(folder), { dtype: args.dtype ?? "fp32", device: "cpu" });
const loadMs = performance.now() - loadStart;

class Timer {
  constructor() {
    this.times = [];
  }
  put() {
    this.times.push(performance.now());
  }
  end() {}
}

async function generate(count) {
  const input_ids = new Tensor("int64", BigInt64Array.from(promptIds.map(BigInt)), [1, promptIds.length]);
  const attention_mask = new Tensor("int64", new BigInt64Array(promptIds.length).fill(1n), [1, promptIds.length]);
  const timer = new Timer();
  const start = performance.now();
  const output = await model.generate({ input_ids, attention_mask, max_new_tokens: count, do_sample: false, streamer: timer });
  const ids = Array.from(output.data, Number).slice(promptIds.length);
  const stamps = timer.times.slice(1); // the first put is the prompt
  const decodeMs = stamps[stamps.length - 1] - stamps[0];
  return { tokens: ids, ttft_ms: stamps[0] - start, decode_ms: decodeMs, decode_tokens_per_s: (ids.length - 1) / (decodeMs / 1000) };
}

await generate(8); // warm-up, as kestrel bench does
const results = [];
for (let i = 0; i < runs; i++) {
  results.push(await generate(tokens));
}
results.sort((a, b) => a.decode_tokens_per_s - b.decode_tokens_per_s);
const median = results[Math.floor(runs / 2)];
console.log(JSON.stringify({ implementation: "transformers.js", load_ms: loadMs, ...median }));
