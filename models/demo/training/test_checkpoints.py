"""Checks of when a training run saves and stops (kestrel_models.training.Checkpoints)."""
from __future__ import annotations

import argparse
import os
import signal
import unittest

import demo_model  # noqa: F401  (puts models/tooling on the path)
from kestrel_models.training import Checkpoints


class CheckpointsTest(unittest.TestCase):
    def setUp(self):
        self.saved: list[int] = []
        self.previous = signal.getsignal(signal.SIGTERM)
        args = argparse.Namespace(minutes=0, save_every=1e9, steps=100)
        self.checkpoints = Checkpoints(args, self.saved.append)

    def tearDown(self):
        signal.signal(signal.SIGTERM, self.previous)

    def test_a_run_goes_on_without_saving_until_due(self):
        self.assertFalse(self.checkpoints.after(1))
        self.assertEqual([], self.saved)
        self.assertFalse(self.checkpoints.after(100))
        self.assertEqual([100], self.saved, "its last step is saved")

    def test_sigterm_saves_after_the_step_under_way_and_stops(self):
        os.kill(os.getpid(), signal.SIGTERM)
        self.assertTrue(self.checkpoints.after(7))
        self.assertEqual([7], self.saved)


if __name__ == "__main__":
    unittest.main()
