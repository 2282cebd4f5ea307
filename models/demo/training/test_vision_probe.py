"""Checks the vision encoder's labels against pictures whose content is known.

    /usr/bin/python3 -m unittest discover -s models/demo/training
"""
import math
import random
import unittest

import torch
from PIL import Image

import tasks
import vision_probe
from demo_model import VISION
from vision_probe import PATCH_HEADS, PICTURE_HEADS, SIDE


def head(rows, name):
    """One patch head's labels as a SIDE x SIDE grid."""
    column = list(PATCH_HEADS).index(name)
    return [[rows[r * SIDE + c][column] for c in range(SIDE)] for r in range(SIDE)]


class VisionProbeLabels(unittest.TestCase):

    def test_a_lone_square_covers_its_patches_and_is_centred_in_one(self):
        box = (64, 96, 112, 144)  # 48 pixels on a 256 x 256 canvas, on patch boundaries
        p = 256 // SIDE
        covered = {(r, c) for r in range(96 // p, 144 // p) for c in range(64 // p, 112 // p)}
        case = tasks.Case("shapes", "How many shapes are there?", "1", Image.new("RGB", (256, 256)),
                          shapes=(tasks.Shape("square", "green", box),))
        rows = vision_probe.patch_labels(case)
        green, square = 1 + vision_probe.COLOURS.index("green"), 1 + tasks.SHAPES.index("square")
        colour = head(rows, "colour")
        self.assertEqual({(r, c) for r in range(SIDE) for c in range(SIDE) if colour[r][c]}, covered)
        self.assertTrue(all(colour[r][c] == green for r, c in covered))
        centre = head(rows, "centre")
        self.assertEqual([(r, c, centre[r][c]) for r in range(SIDE) for c in range(SIDE) if centre[r][c]], [(120 // p, 88 // p, square)])
        labels = dict(zip(PICTURE_HEADS, vision_probe.picture_labels(case)))
        self.assertEqual((labels["squares"], labels["circles"], labels["shapes"]), (1, 0, 1))
        self.assertEqual(labels["square colour"], green)
        self.assertEqual(labels["circle colour"], 0)

    def test_the_text_labels_read_left_to_right(self):
        case = tasks.text_case(random.Random("probe"), size=(256, 64), text="K9Z")
        self.assertEqual(set(vision_probe.picture_labels(case)), {vision_probe.IGNORE})
        expected = [1 + tasks.TEXT_ALPHABET.index(ch) for ch in "K9Z"]
        rows = vision_probe.patch_labels(case)
        seen = []
        for r in range(SIDE):
            for c in range(SIDE):
                for name in ("left character", "middle character", "right character"):
                    value = head(rows, name)[r][c]
                    if value and (not seen or seen[-1] != value):
                        seen.append(value)
            if seen:
                break  # the first row with ink reads the whole string
        self.assertEqual(seen, expected)

    def test_glyph_boxes_follow_the_drawn_text(self):
        case = tasks.case("text", 5, 0)
        self.assertEqual("".join(g.character for g in case.glyphs), case.answer)
        lefts = [g.box[0] for g in case.glyphs]
        self.assertEqual(lefts, sorted(lefts))
        width, height = case.image.size
        self.assertTrue(all(0 <= g.box[0] and g.box[2] <= width + 1 and 0 <= g.box[1] < g.box[3] <= height + 1
                            for g in case.glyphs))


if __name__ == "__main__":
    unittest.main()


class VisionProbeLoss(unittest.TestCase):

    def test_a_patch_head_weighs_the_patches_showing_something_like_the_empty_ones(self):
        probe = vision_probe.VisionProbe()
        torch.nn.init.zeros_(probe.patch.weight)
        torch.nn.init.zeros_(probe.patch.bias)
        torch.nn.init.zeros_(probe.picture.weight)
        torch.nn.init.zeros_(probe.picture.bias)
        patches, features = torch.randn(1, SIDE * SIDE, VISION.hidden_size), torch.randn(1, SIDE * SIDE // 4, VISION.text_hidden_size)
        pictures = torch.full((1, len(PICTURE_HEADS)), vision_probe.IGNORE)
        one = torch.zeros(1, SIDE * SIDE, len(vision_probe.PATCH_HEADS), dtype=torch.long)
        one[0, 7, 3] = 5  # a single patch shows a character to its left
        many = one.clone()
        many[0, :100, 3] = 5
        # Uniform logits: every patch costs log(classes); a head with patches of both kinds costs twice that,
        # however few of its patches show something, and a head with only empty patches once.
        expected = sum(math.log(k) for k in vision_probe.PATCH_HEADS.values()) + math.log(vision_probe.CHARACTERS)
        for targets in (one, many):
            loss, tally = probe(patches, features, pictures, targets)
            self.assertAlmostEqual(loss.item(), expected, places=4)
        self.assertEqual(tally["patch left character"], (0, 100))
