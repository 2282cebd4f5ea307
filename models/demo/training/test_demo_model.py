"""Checks of the demo model's tokenizer, chat template and training sequences against what Kestrel does."""
import math
import os
import random
import re
import unittest

import demo_model
import tasks
from demo_model import Sequences
from kestrel_models.hf_chat import render

THINKING_TOKENS_JAVA = os.path.join(demo_model.ROOT, "inference", "src", "main", "java", "dev", "kestrel", "inference",
                                    "generate", "ThinkingTokens.java")


class DemoModelTest(unittest.TestCase):
    seqs = Sequences(demo_model.tokenizer())

    def test_the_template_renders_as_transformers_does_with_and_without_thinking(self):
        case = tasks.case("shapes", 5, 0)
        for thinking in (True, False):
            expected = render(demo_model.TEMPLATE, demo_model.messages(case), True, demo_model.TOKENS,
                              enable_thinking=thinking)
            self.assertEqual(expected, demo_model.prompt(case, thinking))
        self.assertEqual("<|im_start|>user\n<image>" + case.question + "<|im_end|>\n<|im_start|>assistant\n",
                         demo_model.prompt(case, True))
        self.assertTrue(demo_model.prompt(case, False).endswith("assistant\n<think>\n\n</think>\n\n"))

    def test_earlier_assistant_turns_lose_their_thinking(self):
        messages = [{"role": "user", "content": "What is 1 + 2?"},
                    {"role": "assistant", "content": "<think>\nunits: 1 + 2 = 3, write 3\n</think>\n\n3"},
                    {"role": "user", "content": "Hi"}]
        text = render(demo_model.TEMPLATE, messages, True, demo_model.TOKENS)
        self.assertIn("<|im_start|>assistant\n3<|im_end|>\n<|im_start|>user\nHi", text)

    def test_every_digit_and_every_character_to_read_is_one_token(self):
        bpe = self.seqs.bpe
        for text in ("0123456789", "".join(tasks.TEXT_ALPHABET)):
            self.assertEqual(len(text), len(bpe.encode(text)), text)
        for special in demo_model.SPECIAL:
            self.assertEqual([bpe.vocab[special]], bpe.encode(special))

    def test_the_early_stop_text_is_kestrels(self):
        with open(THINKING_TOKENS_JAVA, encoding="utf-8") as f:
            java = f.read()
        self.assertIn('"' + demo_model.EARLY_STOP_TEXT + '"', java.replace('"\n            + "', ""))

    def test_a_budget_cut_scores_the_kept_thinking_and_the_answer_but_not_what_kestrel_forces(self):
        case = tasks.case("addition-thinking", 3, 7)
        text = demo_model.prompt(case, True)
        ids, scored = self.seqs.build(text, case, "budget", 0.3)
        bpe = self.seqs.bpe
        prompt_len = len(bpe.encode(text))
        self.assertFalse(any(scored[:prompt_len]))
        reply = bpe.decode(ids[prompt_len:])
        self.assertRegex(reply, r"^<think>\n(units|tens)")
        self.assertTrue(reply.endswith("\n\n" + demo_model.EARLY_STOP_TEXT + "\n</think>\n\n" + case.answer + "<|im_end|>"))
        forced = [i for i, s in zip(ids[prompt_len:], scored[prompt_len:]) if not s]
        self.assertEqual(bpe.decode(forced), "\n\n" + demo_model.EARLY_STOP_TEXT + "\n</think>\n\n")

    def test_a_full_thought_is_the_scratchpad_then_the_answer(self):
        case = tasks.case("addition-thinking", 3, 8)
        text = demo_model.prompt(case, True)
        ids, scored = self.seqs.build(text, case, "think")
        reply = self.seqs.bpe.decode(ids[len(self.seqs.bpe.encode(text)):])
        self.assertEqual(f"<think>\n{case.thinking}\n</think>\n\n{case.answer}<|im_end|>", reply)
        self.assertTrue(all(scored[len(self.seqs.bpe.encode(text)):]))

    def test_without_thinking_the_reply_is_the_answer_alone(self):
        case = tasks.case("text", 3, 9)
        text = demo_model.prompt(case, False)
        ids, _ = self.seqs.build(text, case, "off")
        self.assertEqual(case.answer + "<|im_end|>", self.seqs.bpe.decode(ids[len(self.seqs.bpe.encode(text)):]))

    def test_training_samples_are_a_pure_function_of_their_index(self):
        import train  # noqa: PLC0415 (torch is slow to import)
        a, b = train.sample(1234), train.sample(1234)
        self.assertEqual((a[0].question, a[0].answer, a[1], a[2]), (b[0].question, b[0].answer, b[1], b[2]))
        modes = {train.sample(i)[1] for i in range(400)}
        self.assertEqual({"off", "think", "budget"}, modes)
        self.assertTrue(re.fullmatch(r"\d+", tasks.case("addition", random.randint(0, 9), 0).answer))



class TrainInitTest(unittest.TestCase):

    def test_a_decoder_from_another_run_loads_beside_an_encoder_of_other_shapes(self):
        import torch
        import train
        vocab = len(demo_model.tokenizer().vocab)
        donor = train.Model(vocab)
        state = {name: value.clone() for name, value in donor.state_dict().items()}
        state["encoder.vision_model.embeddings.patch_embedding.weight"] = torch.zeros(192, 3, 32, 32)  # an older encoder's shape
        model = train.Model(vocab)
        model.decoder.load_state_dict(train.decoder_weights(state))
        for name, value in model.decoder.state_dict().items():
            self.assertTrue(torch.equal(value, donor.decoder.state_dict()[name]), name)
        with self.assertRaises(RuntimeError):
            model.load(state)


if __name__ == "__main__":
    unittest.main()


class TrainScheduleTest(unittest.TestCase):

    def test_a_second_schedule_warms_up_again_from_its_start_and_ends_at_a_tenth(self):
        import train
        self.assertAlmostEqual(1e-3 * 0.1, train.learning_rate(4000, 1e-3, 4000))  # the first schedule has ended
        self.assertAlmostEqual(1e-3 / 150, train.learning_rate(4000, 1e-3, 8000, start=4000))
        self.assertAlmostEqual(1e-3, train.learning_rate(4150, 1e-3, 8000, start=4000))
        self.assertAlmostEqual(1e-3 * 0.1, train.learning_rate(8000, 1e-3, 8000, start=4000))
        self.assertEqual(train.learning_rate(150, 1e-3, 4000), train.learning_rate(4150, 1e-3, 8000, start=4000))

    def test_sqrt_weighting_lets_a_sample_count_the_root_of_its_tokens(self):
        import train
        self.assertEqual(1.0, train.token_weight(40, "token"))
        self.assertAlmostEqual(2.0, 4 * train.token_weight(4, "sqrt"))
        self.assertAlmostEqual(3.0, 9 * train.token_weight(9, "sqrt"))
        with self.assertRaises(ValueError):
            train.token_weight(4, "mean")

    def test_a_mix_names_only_known_tasks(self):
        import train
        self.assertEqual({"colour": 0.2, "text": 0.38}, train.parse_mix("colour=0.2, text=0.38"))
        with self.assertRaisesRegex(ValueError, "unknown task 'colours'"):
            train.parse_mix("colours=0.2")

    def test_weighted_answer_loss_is_the_token_mean_when_every_sample_has_as_many_tokens(self):
        import torch
        import train
        seqs = demo_model.Sequences(demo_model.tokenizer())
        vocab = seqs.bpe.vocab
        model = train.Model(len(vocab)).eval()
        batch = [train.encode_sample(seqs, tasks.case("addition", 5, i), "off", 0.0) for i in range(2)]
        batch = [s for s in batch if sum(s.scored) == sum(batch[0].scored)]
        with torch.no_grad():
            plain = train.batch_loss(model, batch, vocab[demo_model.PAD], vocab[demo_model.IMAGE], "cpu")
            rooted = train.batch_loss(model, batch, vocab[demo_model.PAD], vocab[demo_model.IMAGE], "cpu", "sqrt")
        self.assertAlmostEqual(float(plain.answer / plain.tokens), float(rooted.answer / rooted.tokens), places=5)
        self.assertAlmostEqual(len(batch) * sum(batch[0].scored) ** 0.5, rooted.tokens, places=4)

    def test_hidden_patches_leave_the_readers_and_namers_tokens_and_other_pictures_alone(self):
        import torch
        import train
        features = torch.ones(2, 64, 4)
        shown = train.hidden_patches(features, [True, False], 9)
        self.assertTrue(torch.equal(features[:, :9], shown[:, :9]))
        self.assertEqual(0.0, float(shown[0, 9:].abs().sum()))
        self.assertTrue(torch.equal(features[1], shown[1]))

    def test_only_colour_questions_are_hidden_and_only_at_the_share_asked(self):
        import train
        seqs = demo_model.Sequences(demo_model.tokenizer())
        colour = train.colour_case(1, 3)
        counting = next(c for c in (tasks.case("shapes", 1, i) for i in range(50)) if not c.question.startswith("What color"))
        self.assertTrue(train.encode_sample(seqs, colour, "off", 0.2, hide_share=0.5).hide_patches)
        self.assertFalse(train.encode_sample(seqs, colour, "off", 0.7, hide_share=0.5).hide_patches)
        self.assertFalse(train.encode_sample(seqs, colour, "off", 0.2).hide_patches)
        self.assertFalse(train.encode_sample(seqs, counting, "off", 0.2, hide_share=1.0).hide_patches)

    def test_crowded_colour_draws_ask_about_pictures_with_every_kind_of_shape_at_the_share_asked(self):
        import train
        colour = [i for i in range(300) if train.sample(i)[0] == train.colour_case(train.TRAIN_SEED, i)]
        self.assertGreater(len(colour), 20)
        plain = [train.sample(i)[0] for i in colour]
        crowded = [train.sample(i, crowded=1.0)[0] for i in colour]
        every = [{s.kind for s in c.shapes} == set(tasks.SHAPES) for c in crowded]
        self.assertTrue(all(every) and all(tasks.asks_colour(c) for c in crowded))
        self.assertLess(sum({s.kind for s in c.shapes} == set(tasks.SHAPES) for c in plain), len(plain) / 2)
        half = sum({s.kind for s in train.sample(i, crowded=0.5)[0].shapes} == set(tasks.SHAPES) for i in colour)
        self.assertTrue(0.3 * len(colour) < half < 0.8 * len(colour), (half, len(colour)))

    def test_a_hidden_colour_question_changes_what_the_decoder_sees_but_not_the_encoders_losses(self):
        import torch
        import train
        seqs = demo_model.Sequences(demo_model.tokenizer())
        vocab = seqs.bpe.vocab
        model = train.Model(len(vocab)).eval()
        case = train.colour_case(1, 3)
        seen, hidden = (train.encode_sample(seqs, case, "off", 0.2, hide_share=share) for share in (0.0, 0.5))
        with torch.no_grad():
            a, b = (train.batch_loss(model, [s], vocab[demo_model.PAD], vocab[demo_model.IMAGE], "cpu") for s in (seen, hidden))
        self.assertNotAlmostEqual(float(a.answer), float(b.answer), places=4)
        for name in ("penalty", "probe", "reader", "colours"):
            self.assertAlmostEqual(float(getattr(a, name)), float(getattr(b, name)), places=5, msg=name)


class PointingTest(unittest.TestCase):
    """train.Pointing: a decoder head taught to look at the colour namer's token for the asked kind."""
    seqs = Sequences(demo_model.tokenizer())

    def test_the_asked_kind_is_read_from_the_question(self):
        for kind in tasks.SHAPES:
            case = tasks.Case("shapes", tasks.COLOUR_QUESTION.format(kind), "red")
            self.assertEqual(kind, tasks.asked_kind(case))

    def test_a_colour_questions_pointer_is_the_position_before_its_answer_and_its_kind(self):
        import naming
        import train
        case = train.colour_case(1, 3)
        answer = self.seqs.bpe.encode(case.answer)
        for mode in ("off", "think"):
            sample = train.encode_sample(self.seqs, case, mode, 0.5)
            query, kind = sample.pointer
            self.assertEqual(answer + [self.seqs.end], sample.ids[query + 1:])
            self.assertTrue(sample.scored[query + 1])
            self.assertEqual(tasks.asked_kind(case), naming.KINDS[kind])
        counting = next(c for c in (tasks.case("shapes", 1, i) for i in range(50)) if not tasks.asks_colour(c))
        self.assertIsNone(train.encode_sample(self.seqs, counting, "off", 0.5).pointer)
        self.assertIsNone(train.encode_sample(self.seqs, tasks.case("text", 1, 0), "off", 0.5).pointer)

    def test_the_loss_is_minus_log_the_heads_weight_on_the_asked_kinds_namer_token(self):
        import torch
        import train
        vocab = self.seqs.bpe.vocab
        pad, image_id = vocab[demo_model.PAD], vocab[demo_model.IMAGE]
        torch.manual_seed(3)
        model = train.Model(len(vocab)).eval()
        colour = train.encode_sample(self.seqs, train.colour_case(1, 3), "off", 0.5)
        text = train.encode_sample(self.seqs, tasks.case("text", 1, 0), "off", 0.5)
        with torch.no_grad():
            plain = train.batch_loss(model, [colour, text], pad, image_id, "cpu")
            pointed = train.batch_loss(model, [colour, text], pad, image_id, "cpu", pointing=train.Pointing(2, 1))
        self.assertEqual(0, plain.pointed)
        self.assertEqual(1, pointed.pointed)
        self.assertAlmostEqual(float(plain.answer), float(pointed.answer), places=5)
        seen = []
        model.decoder.layers[2].self_attn.register_forward_hook(
            lambda attention, inputs, _: seen.append(attention.weights(*inputs)[0]))
        with torch.no_grad():
            alone = train.batch_loss(model, [colour], pad, image_id, "cpu", pointing=train.Pointing(2, 1))
        query, kind = colour.pointer
        key = colour.ids.index(image_id) + model.encoder.colours.first + kind
        weight = float(seen[0][0, 1, query, key])
        self.assertAlmostEqual(-math.log(weight), float(alone.pointing), places=4)
        self.assertAlmostEqual(-math.log(weight), float(pointed.pointing), places=4)
        self.assertAlmostEqual(weight, alone.on_target, places=5)

    def test_the_asked_kind_loss_is_the_probes_cross_entropy_on_the_pointing_layers_input_at_the_pointer(self):
        import torch
        import train
        vocab = self.seqs.bpe.vocab
        torch.manual_seed(5)
        model = train.Model(len(vocab)).eval()
        colour = train.encode_sample(self.seqs, train.colour_case(1, 3), "off", 0.5)
        seen = []
        model.decoder.layers[2].self_attn.register_forward_hook(lambda attention, inputs, _: seen.append(inputs[0]))
        with torch.no_grad():
            losses = train.batch_loss(model, [colour], vocab[demo_model.PAD], vocab[demo_model.IMAGE], "cpu",
                                      pointing=train.Pointing(2, 1))
            query, kind = colour.pointer
            logits = model.asking(seen[0][0, query])
        self.assertAlmostEqual(float(torch.log_softmax(logits, -1)[kind]), -float(losses.asking), places=5)
        self.assertEqual(int(logits.argmax() == kind), losses.asked_right)

    def test_a_checkpoint_from_before_the_probe_keeps_its_adam_moments_and_the_probe_starts_without(self):
        import torch
        import train
        model = train.Model(len(self.seqs.bpe.vocab))
        decoder, encoder = list(model.decoder.parameters()), list(model.encoder.parameters())
        old = torch.optim.AdamW([{"params": decoder}, {"params": encoder}])
        for p in decoder + encoder:
            p.grad = torch.ones_like(p)
        old.step()
        new = torch.optim.AdamW([{"params": decoder}, {"params": encoder}, {"params": list(model.asking.parameters())}])
        new.load_state_dict(train.with_new_groups(old.state_dict(), new))
        self.assertTrue(torch.equal(old.state[decoder[0]]["exp_avg"], new.state[decoder[0]]["exp_avg"]))
        self.assertTrue(torch.equal(old.state[encoder[-1]]["exp_avg"], new.state[encoder[-1]]["exp_avg"]))
        self.assertNotIn(model.asking.weight, new.state)
        self.assertEqual([model.asking.weight, model.asking.bias], new.param_groups[2]["params"])

    def test_training_on_it_moves_the_heads_weight_to_that_token(self):
        import torch
        import train
        vocab = self.seqs.bpe.vocab
        torch.manual_seed(4)
        model = train.Model(len(vocab))
        batch = [train.encode_sample(self.seqs, train.colour_case(1, i), "off", 0.5) for i in range(2)]
        optimizer = torch.optim.Adam(model.decoder.parameters(), lr=1e-3)
        on_target = []
        for _ in range(6):
            losses = train.batch_loss(model, batch, vocab[demo_model.PAD], vocab[demo_model.IMAGE], "cpu",
                                      pointing=train.Pointing(5, 0))
            on_target.append(losses.on_target / losses.pointed)
            optimizer.zero_grad()
            (losses.pointing / losses.pointed).backward()
            optimizer.step()
        self.assertGreater(on_target[-1], 2 * on_target[0])
