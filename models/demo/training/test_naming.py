"""Checks of the colour namer's targets and of its pooling, which has nothing to learn."""
from __future__ import annotations

import random
import unittest

import torch

import demo_model  # noqa: F401  (puts models/tooling on the path)
import naming
import tasks
from naming import COLOURS, IGNORE, KINDS
from vision_probe import patch_labels, picture_labels


def case_with(kinds: list[str]) -> tasks.Case:
    """The first generated shapes picture that draws exactly these kinds, in any order."""
    rng = random.Random("test_naming")
    while True:
        case = tasks.shapes_case(rng, size=(256, 256))
        if sorted(s.kind for s in case.shapes) == sorted(kinds):
            return case


def targets(case: tasks.Case):
    picture = torch.tensor([picture_labels(case)])
    patch = torch.tensor([patch_labels(case)])
    return naming.targets(picture, patch)


class TargetsTest(unittest.TestCase):
    def test_each_single_kind_is_named_with_its_colour(self):
        case = case_with(["circle", "triangle", "triangle"])
        kind, colour, named = targets(case)
        circle = next(s for s in case.shapes if s.kind == "circle")
        self.assertEqual([COLOURS.index(circle.colour), IGNORE, IGNORE], named[0].tolist())
        self.assertEqual({0, 1 + KINDS.index("circle"), 1 + KINDS.index("triangle")}, set(kind[0].tolist()))
        covered = kind[0] != 0
        self.assertTrue(bool((colour[0][covered] != IGNORE).all()))
        self.assertTrue(bool((colour[0][~covered] == IGNORE).all()))

    def test_a_text_picture_names_nothing(self):
        case = tasks.text_case(random.Random("test_naming/text"))
        picture = torch.tensor([picture_labels(case)])
        patch = torch.tensor([patch_labels(case)])
        kind, colour, named = naming.targets(picture, patch)
        self.assertEqual([IGNORE] * len(KINDS), named[0].tolist())
        self.assertEqual(0, int((kind != 0).sum()))


class PoolingTest(unittest.TestCase):
    def test_sure_patches_name_each_kind_and_the_loss_tells_right_from_wrong(self):
        case = case_with(["circle", "square", "triangle"])
        kind, colour, named = targets(case)
        sure = torch.nn.functional.one_hot(kind, 1 + len(KINDS)).float() * 20
        hues = torch.nn.functional.one_hot(colour.clamp_min(0), len(COLOURS)).float() * 20
        right = naming.pool(sure, hues)
        wrong = naming.pool(sure, hues.roll(1, dims=-1))
        self.assertEqual(named[0].tolist(), right.named[0].argmax(-1).tolist())
        right_loss, right_tally = naming.loss(right, kind, colour, named)
        wrong_loss, wrong_tally = naming.loss(wrong, kind, colour, named)
        self.assertEqual((3, 3), right_tally["named colours"])
        self.assertEqual((0, 3), wrong_tally["named colours"])
        self.assertGreater(wrong_loss.item(), 100 * right_loss.item())

    def test_each_kind_gets_a_colour_distribution_from_the_patches(self):
        torch.manual_seed(0)
        namer = naming.ColourNamer(16, 8, first=2)
        got = namer.name(torch.randn(2, 10, 16))
        self.assertEqual((2, len(KINDS), len(COLOURS)), tuple(got.named.shape))
        torch.testing.assert_close(torch.ones(2, len(KINDS)), got.named.sum(-1))


class FromTokensTest(unittest.TestCase):
    def test_markers_and_colours_start_as_the_decoders_embeddings(self):
        torch.manual_seed(0)
        table = torch.randn(20, 8)
        words = {" circle": [3], " square": [4], " triangle": [5], **{c: [6 + i, 19] for i, c in enumerate(COLOURS)}}
        namer = naming.ColourNamer(16, 8, first=2)
        namer.from_tokens(table, lambda text: words[text])
        torch.testing.assert_close(table[[3, 4, 5]], namer.marker.data)
        torch.testing.assert_close((table[6] + table[19]) / 2, namer.embed.weight[:, 0])


if __name__ == "__main__":
    unittest.main()
