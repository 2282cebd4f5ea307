"""Checks that the generator keeps to ../shared/specs/demo-model.md.

    /usr/bin/python3 -m unittest discover -s models/demo/training
"""
import re
import unittest

import tasks


class TasksFollowTheSpec(unittest.TestCase):

    def test_the_same_seed_and_index_give_the_same_case(self):
        for task in tasks.TASKS:
            a, b = tasks.case(task, 7, 3), tasks.case(task, 7, 3)
            self.assertEqual((a.question, a.answer, a.thinking), (b.question, b.answer, b.thinking))
            if a.image is not None:
                self.assertEqual(a.image.tobytes(), b.image.tobytes())

    def test_shapes_canvas_background_questions_and_answers(self):
        for i in range(200):
            c = tasks.case("shapes", 11, i)
            w, h = c.image.size
            self.assertTrue(64 <= w <= 256 and 64 <= h <= 256)
            colours = {rgb for _, rgb in c.image.getcolors(maxcolors=1 << 16)}
            background = max(c.image.getcolors(maxcolors=1 << 16))[1]
            self.assertTrue(all(v >= 220 for v in background))
            self.assertTrue(colours - {background} <= set(tasks.PALETTE.values()))
            if c.question.startswith("What color"):
                self.assertIn(c.answer, tasks.PALETTE)
            elif c.question == "How many shapes are there?":
                self.assertIn(c.answer, "1234")
            else:
                self.assertRegex(c.question, r"^How many (circle|square|triangle)s are there\?$")
                self.assertIn(c.answer, "01234")

    def test_text_strings_fonts_and_ink(self):
        for i in range(200):
            c = tasks.case("text", 11, i)
            w, h = c.image.size
            self.assertTrue(64 <= w <= 256 and 32 <= h <= 128)
            self.assertRegex(c.answer, r"^[A-Z0-9]{3,6}$")
            self.assertEqual(c.question, "What does the text say?")
            darkest = min(c.image.getcolors(maxcolors=1 << 16), key=lambda nc: sum(nc[1]))[1]
            self.assertTrue(all(v <= 60 for v in darkest))

    def test_additions_and_their_scratchpads_agree(self):
        for i in range(500):
            c = tasks.case("addition-thinking", 11, i)
            a, b = map(int, re.match(r"^What is (\d+) \+ (\d+)\?$", c.question).groups())
            self.assertTrue(0 <= a <= 999 and 0 <= b <= 999)
            self.assertEqual(c.answer, str(a + b))
            written = [line.split("write ")[1][0] for line in c.thinking.splitlines()]
            self.assertEqual("".join(reversed(written)).lstrip("0") or "0", c.answer)
            self.assertIsNone(tasks.case("addition", 11, i).thinking)

    def test_greetings_introduce_the_demo_model(self):
        c = tasks.case("greeting", 11, 0)
        self.assertIn(c.question, tasks.GREETINGS)
        self.assertIn("Kestrel's demo model", c.answer)


class ScoringFollowsTheSpec(unittest.TestCase):

    def test_replies_are_scored_by_exact_match_after_trimming_and_lower_casing_or_by_a_given_match(self):
        import json
        import os
        import tempfile
        import evaluate
        with tempfile.TemporaryDirectory() as folder:
            answers = [("shapes", "red"), ("addition-thinking", "1602"), ("addition-thinking", "7"),
                       ("addition-thinking", "905")]
            replies = [" Red\n", "1502", "7", {"error": "model failed"}]
            with open(os.path.join(folder, "answers.jsonl"), "w") as f:
                f.writelines(json.dumps({"task": t, "index": i, "answer": a}) + "\n" for i, (t, a) in enumerate(answers))
            with open(os.path.join(folder, "replies.jsonl"), "w") as f:
                f.writelines(json.dumps(r if isinstance(r, dict) else {"text": r}) + "\n" for r in replies)
            self.assertEqual({"shapes": (1, 1), "addition-thinking": (1, 3)}, tasks.score(folder))
            self.assertEqual((2, 3), tasks.score(folder, match=evaluate.last_two)["addition-thinking"])


if __name__ == "__main__":
    unittest.main()
