"""Checks of the line reader's labels and of its ordering, which has nothing to learn."""
from __future__ import annotations

import unittest

import torch

import demo_model  # noqa: F401  (puts models/tooling on the path)
import naming
import reading
import tasks
from demo_model import VISION
from reading import IGNORE, POINTS, SLOTS

SIDE = VISION.patches_per_side


def spelled(chars, starts):
    return "".join(tasks.TEXT_ALPHABET[c] for c, s in zip(chars, starts) if s)


class LabelsTest(unittest.TestCase):
    def test_every_character_starts_once_in_reading_order(self):
        for i in range(40):
            case = tasks.case("text", 5, i)
            rows, chars, inside, start, slots = reading.labels(case, SIDE)
            self.assertEqual(case.answer, spelled(chars, start), i)
            self.assertEqual(case.answer, "".join(tasks.TEXT_ALPHABET[c] for c in slots if c != IGNORE))
            self.assertEqual([IGNORE] * (SLOTS - len(case.answer)), slots[len(case.answer):])
            self.assertTrue(all(s <= n for s, n in zip(start, inside)))
            self.assertEqual(sum(inside), sum(c != IGNORE for c in chars))
            self.assertGreater(sum(rows), 0)

    def test_the_text_line_rows_cover_the_ink(self):
        case = tasks.case("text", 5, 3)
        rows = reading.labels(case, SIDE)[0]
        _, height = case.image.size
        top, bottom = case.glyphs[0].box[1], case.glyphs[0].box[3]
        for r, on in enumerate(rows):
            self.assertEqual(bool(on), r * height / SIDE < bottom and (r + 1) * height / SIDE > top, r)

    def test_a_picture_of_shapes_has_nothing_to_read(self):
        rows, chars, inside, start, slots = reading.labels(tasks.case("shapes", 5, 0), SIDE)
        self.assertEqual(({0.0}, {IGNORE}, {0.0}, {0.0}, {IGNORE}), (set(rows), set(chars), set(inside), set(start), set(slots)))


class CollapseTest(unittest.TestCase):
    def confident(self, cases):
        """Point logits that say exactly what the labels say."""
        _, chars, inside, start, _ = reading.batch_labels(cases, SIDE)
        char_logits = torch.nn.functional.one_hot(chars.clamp_min(0), reading.CHARS).float() * 30
        return char_logits, (inside * 2 - 1) * 30, (start * 2 - 1) * 30

    def test_confident_points_spell_the_string_in_order(self):
        cases = [tasks.case("text", 6, i) for i in range(20)] + [tasks.case("shapes", 6, 0)]
        slots, present = reading.collapse(*self.confident(cases))
        out = reading.spelled(reading.Reading(None, None, None, None, slots, present))
        self.assertEqual([c.answer for c in cases[:-1]] + [""], out)

    def test_a_missed_start_merges_two_characters(self):
        case = tasks.case("text", 6, 1)
        chars, inside, start = self.confident([case])
        second = [t for t in range(SIDE * POINTS) if start[0, t] > 0][1]
        start[0, second] = -30
        slots, present = reading.collapse(chars, inside, start)
        self.assertEqual(len(case.answer) - 1, int((present > 0.5).sum()))

    def test_the_loss_is_small_only_for_the_right_reading(self):
        cases = [tasks.case("text", 6, i) for i in range(4)]
        targets = reading.batch_labels(cases, SIDE)
        chars, inside, start = self.confident(cases)
        line = (targets[0] * 2 - 1).unsqueeze(-1).expand(-1, -1, SIDE) * 30

        def loss(char_logits):
            read = reading.Reading(line, char_logits, inside, start, *reading.collapse(char_logits, inside, start))
            return reading.loss(read, *targets)

        right, tally = loss(chars)
        wrong, wrong_tally = loss(chars.roll(1, dims=2))
        self.assertLess(right.item(), 1.0)
        self.assertGreater(wrong.item(), 100 * right.item())
        self.assertEqual((4, 4), tally["read"])
        self.assertEqual((0, 4), wrong_tally["read"])


class EncoderTest(unittest.TestCase):
    def test_the_reader_and_the_namer_add_to_the_first_tokens_only(self):
        torch.manual_seed(0)
        encoder = reading.ReadingEncoder(VISION).eval()
        frames = torch.rand(2, 3, VISION.image_size, VISION.image_size)
        mask = torch.ones(1, 2, VISION.image_size, VISION.image_size, dtype=torch.bool)
        with torch.no_grad():
            states, features, _, _ = encoder.read(frames[None], mask)
            plain = encoder.connector(states, SIDE, SIDE)
        self.assertEqual((2, VISION.image_seq_len, VISION.text_hidden_size), tuple(features.shape))
        named = SLOTS + len(naming.KINDS)
        torch.testing.assert_close(plain[:, named:], features[:, named:])
        for token in range(named):
            self.assertFalse(torch.allclose(plain[:, token], features[:, token]), token)


if __name__ == "__main__":
    unittest.main()
