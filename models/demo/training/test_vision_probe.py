"""Checks the vision encoder's labels against pictures whose content is known.

    /usr/bin/python3 -m unittest discover -s models/demo/training
"""
import random
import unittest

from PIL import Image

import tasks
import vision_probe
from vision_probe import PATCH_HEADS, PICTURE_HEADS, SIDE


def head(rows, name):
    """One patch head's labels as a SIDE x SIDE grid."""
    column = list(PATCH_HEADS).index(name)
    return [[rows[r * SIDE + c][column] for c in range(SIDE)] for r in range(SIDE)]


class VisionProbeLabels(unittest.TestCase):

    def test_a_lone_square_covers_its_patches_and_is_centred_in_one(self):
        box = (64, 96, 112, 144)  # 48 pixels on a 256 x 256 canvas: patches 2..3 across, 3..4 down
        case = tasks.Case("shapes", "How many shapes are there?", "1", Image.new("RGB", (256, 256)),
                          shapes=(tasks.Shape("square", "green", box),))
        rows = vision_probe.patch_labels(case)
        green, square = 1 + vision_probe.COLOURS.index("green"), 1 + tasks.SHAPES.index("square")
        colour = head(rows, "colour")
        self.assertEqual({(r, c) for r in range(SIDE) for c in range(SIDE) if colour[r][c]}, {(3, 2), (3, 3), (4, 2), (4, 3)})
        self.assertTrue(all(colour[r][c] == green for r, c in [(3, 2), (3, 3), (4, 2), (4, 3)]))
        centre = head(rows, "centre")
        self.assertEqual([(r, c, centre[r][c]) for r in range(SIDE) for c in range(SIDE) if centre[r][c]], [(3, 2, square)])
        labels = dict(zip(PICTURE_HEADS, vision_probe.picture_labels(case)))
        self.assertEqual((labels["squares"], labels["circles"], labels["shapes"]), (1, 0, 1))
        self.assertEqual(labels["square colour"], green)
        self.assertEqual(labels["circle colour"], 0)
        self.assertEqual(labels["character 1"], vision_probe.IGNORE)

    def test_the_text_labels_read_left_to_right_and_end(self):
        case = tasks.text_case(random.Random("probe"), size=(256, 64), text="K9Z")
        labels = dict(zip(PICTURE_HEADS, vision_probe.picture_labels(case)))
        expected = [1 + tasks.TEXT_ALPHABET.index(ch) for ch in "K9Z"] + [0, 0, 0]
        self.assertEqual([labels[f"character {i}"] for i in range(1, 7)], expected)
        self.assertEqual(labels["shapes"], vision_probe.IGNORE)
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
        self.assertEqual(seen, expected[:3])

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
