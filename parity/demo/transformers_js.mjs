// The demo model (models/demo) through transformers.js 4.x's SmolVLM classes, local files only:
// Idefics3Processor (its chat template, image processor and prompt expansion) and
// Idefics3ForConditionalGeneration, greedy. Prints one JSON object per line of CASES:
// {"name", "tokens": [generated ids], "text"}.
//
//   node parity/demo/transformers_js.mjs --model models/demo --cases FILE [--decoder fp32|q4]
//
// CASES is JSON Lines: {"name": "...", "prompt": "...", "image": "path or absent", "thinking": true|false,
// "max_new_tokens": N}. check.sh runs it next to `kestrel ask --greedy` and compares the tokens.
import { AutoProcessor, AutoModelForVision2Seq, RawImage, env } from "@huggingface/transformers";
import fs from "node:fs";
import path from "node:path";

const args = Object.fromEntries(
  process.argv.slice(2).reduce((pairs, arg, i, all) => (arg.startsWith("--") ? [...pairs, [arg.slice(2), all[i + 1]]] : pairs), []),
);
const folder = path.resolve(args.model);
env.allowRemoteModels = false;
env.localModelPath = path.dirname(folder);
const name = path.basename(folder);
const processor = await AutoProcessor.from_pretrained(name);
const model = await AutoModelForVision2Seq.from_pretrained(name, {
  dtype: { vision_encoder: "fp32", embed_tokens: "fp32", decoder_model_merged: args.decoder ?? "fp32" },
  device: "cpu",
});

for (const line of fs.readFileSync(args.cases, "utf8").split("\n").filter((l) => l.trim())) {
  const c = JSON.parse(line);
  const content = [...(c.image ? [{ type: "image" }] : []), { type: "text", text: c.prompt }];
  const text = processor.apply_chat_template([{ role: "user", content }], {
    add_generation_prompt: true,
    enable_thinking: c.thinking,
  });
  // The processor insists on images (4.3.1 reads image_inputs.rows unguarded); text alone goes to its tokenizer.
  const inputs = c.image
    ? await processor(text, [await RawImage.read(path.resolve(path.dirname(args.cases), c.image))])
    : processor.tokenizer(text, { add_special_tokens: false });
  const output = await model.generate({ ...inputs, max_new_tokens: c.max_new_tokens, do_sample: false });
  const prompt = inputs.input_ids.dims[1];
  const tokens = Array.from(output.data, Number).slice(prompt);
  console.log(JSON.stringify({ name: c.name, tokens, text: processor.batch_decode(output.slice(null, [prompt, null]))[0] }));
}
