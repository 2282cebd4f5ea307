// Golden token ids for Kestrel's tokenizer parity tests, from transformers.js reading the same
// real tokenizer files offline (models/fixtures/tokenizers/*).
//
//   cd parity && npm ci --ignore-scripts && node tokenizers/make_golden.mjs
//
// Writes inference/src/test/resources/golden/tokenizers/<name>.jsonl: one line per corpus string,
// {"text", "ids" = encode(text, {add_special_tokens: false}), "decoded" = decode(ids) with special
// tokens kept and no clean-up of tokenization spaces}.
import { AutoTokenizer, env } from "@huggingface/transformers";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import zlib from "node:zlib";

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, "..", "..");
const fixtures = path.join(root, "models", "fixtures", "tokenizers");
const out = path.join(root, "inference", "src", "test", "resources", "golden", "tokenizers");

const corpus = fs.readFileSync(path.join(here, "corpus.jsonl"), "utf8").split("\n").filter((l) => l.length > 0).map((l) => JSON.parse(l));
const staging = fs.mkdtempSync(path.join(os.tmpdir(), "kestrel-tokenizers-"));
env.allowRemoteModels = false;
env.localModelPath = staging;
fs.mkdirSync(out, { recursive: true });

for (const name of fs.readdirSync(fixtures).filter((n) => fs.statSync(path.join(fixtures, n)).isDirectory())) {
  const dir = path.join(staging, name);
  fs.mkdirSync(dir);
  fs.writeFileSync(path.join(dir, "tokenizer.json"), zlib.gunzipSync(fs.readFileSync(path.join(fixtures, name, "tokenizer.json.gz"))));
  fs.copyFileSync(path.join(fixtures, name, "tokenizer_config.json"), path.join(dir, "tokenizer_config.json"));
  const tokenizer = await AutoTokenizer.from_pretrained(name);
  const lines = corpus.map((text) => {
    const ids = tokenizer.encode(text, { add_special_tokens: false });
    const decoded = ids.length === 0 ? "" : tokenizer.decode(ids, { skip_special_tokens: false, clean_up_tokenization_spaces: false });
    return JSON.stringify({ text, ids, decoded });
  });
  fs.writeFileSync(path.join(out, `${name}.jsonl`), lines.join("\n") + "\n");
  console.log(`${name}: ${lines.length} strings`);
}
fs.rmSync(staging, { recursive: true, force: true });
