#!/usr/bin/python3
"""Measures the demo model with Kestrel's Java engine and prints the tables of docs/bench/demo-model.md.

    ./mvnw -q -DskipTests package
    /usr/bin/python3 models/demo/training/evaluate.py [--seed 90001] [--count 500] [--work /tmp/demo-eval]

Writes `count` fresh cases per task from a generator seed that training never uses (tasks.py),
answers them with `kestrel ask --greedy --batch` on models/demo, with the fp32 and the q4 decoder,
then answers the thinking-mode additions again at thinking budgets 0, 8, 16 and 32 tokens. Scoring
is the spec's: exact match after trimming and lower-casing. The budget table also gives how often the
fp32 decoder's sums end in the right two digits (last_two).
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import time

import demo_model
import tasks

BUDGETS = (0, 8, 16, 32, None)
VARIANTS = ("fp32", "q4")
KESTREL = ["java", "-jar", os.path.join(demo_model.ROOT, "app", "target", "kestrel.jar")]


def ask(folder: str, requests: str, replies: str, variant: str) -> float:
    """Runs one batch; returns seconds taken."""
    start = time.time()
    with open(os.path.join(folder, replies), "w", encoding="utf-8") as out:
        subprocess.run(KESTREL + ["ask", "--model", os.path.join(demo_model.ROOT, "models", "demo"), "--variant", variant,
                                  "--greedy", "--max-tokens", "256", "--batch", os.path.join(folder, requests)],
                       stdout=out, check=True)
    return time.time() - start


def with_budget(folder: str, budget: int | None) -> tuple[str, str]:
    """The thinking-mode additions alone, at a budget: (requests file, answers file)."""
    name = f"budget-{'unlimited' if budget is None else budget}"
    with open(os.path.join(folder, "requests.jsonl"), encoding="utf-8") as f:
        requests = [json.loads(line) for line in f]
    with open(os.path.join(folder, "answers.jsonl"), encoding="utf-8") as f:
        answers = [json.loads(line) for line in f]
    keep = [i for i, a in enumerate(answers) if a["task"] == "addition-thinking"]
    with open(os.path.join(folder, name + ".requests.jsonl"), "w", encoding="utf-8") as f:
        for i in keep:
            f.write(json.dumps({**requests[i], "think_budget": budget}) + "\n")
    with open(os.path.join(folder, name + ".answers.jsonl"), "w", encoding="utf-8") as f:
        for i in keep:
            f.write(json.dumps(answers[i]) + "\n")
    return name + ".requests.jsonl", name + ".answers.jsonl"


def kind(answer: dict) -> str:
    """The task, with the shapes task split as the issue measures it: colour questions and counting questions."""
    if answer["task"] != "shapes":
        return answer["task"]
    return "counting" if answer["answer"].isdigit() else "colour"


KINDS = {"colour": "95%", "counting": "85%", "text": "80%", "addition": "", "addition-thinking": "95%", "greeting": ""}


def last_two(got: str, want: str) -> bool:
    """Whether a sum's last two digits are right: what a scratchpad cut after its tens column already wrote (a
    three-digit addition's scratchpad is 46 to 85 tokens; a budget of 32 ends it in the tens column)."""
    return got[-2:] == want[-2:]


def percent(right_total: tuple[int, int]) -> str:
    right, total = right_total
    return f"{100 * right / total:.1f}%"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=90001)
    parser.add_argument("--count", type=int, default=500)
    parser.add_argument("--work", default="/tmp/demo-eval")
    args = parser.parse_args()
    folder = os.path.join(args.work, str(args.seed))
    if not os.path.exists(os.path.join(folder, "answers.jsonl")):
        # A third of the shapes questions ask for a colour: four times the cases give both kinds at least `count`.
        tasks.write_set(folder, args.seed, args.count, counts={"shapes": 4 * args.count})

    results, budgets, low_digits, seconds = {}, {}, {}, {}
    for variant in VARIANTS:
        seconds[variant] = ask(folder, "requests.jsonl", f"replies-{variant}.jsonl", variant)
        results[variant] = tasks.score(folder, f"replies-{variant}.jsonl", "answers.jsonl", kind)
        for budget in BUDGETS:
            if budget is None:  # the whole set's thinking additions are unlimited already
                replies, answers = f"replies-{variant}.jsonl", "answers.jsonl"
            else:
                requests, answers = with_budget(folder, budget)
                replies = requests.replace(".requests.", f".replies-{variant}.")
                ask(folder, requests, replies, variant)
            budgets[variant, budget] = tasks.score(folder, replies, answers, kind)["addition-thinking"]
            low_digits[variant, budget] = tasks.score(folder, replies, answers, kind, last_two)["addition-thinking"]

    print(f"Seed {args.seed}, {args.count} cases per task, greedy, `kestrel ask --batch`.\n")
    print("| task | cases | goal | fp32 decoder | q4 decoder |")
    print("|---|--:|--:|--:|--:|")
    for task, goal in KINDS.items():
        print(f"| {task} | {results['fp32'][task][1]} | {goal} | {percent(results['fp32'][task])} |"
              f" {percent(results['q4'][task])} |")
    print("\n| thinking budget (tokens) | fp32 decoder | q4 decoder | fp32: last two digits right |")
    print("|---|--:|--:|--:|")
    for budget in BUDGETS:
        label = "unlimited" if budget is None else str(budget)
        print(f"| {label} | {percent(budgets['fp32', budget])} | {percent(budgets['q4', budget])} |"
              f" {percent(low_digits['fp32', budget])} |")
    print(f"\nWhole set ({sum(n for _, n in results['fp32'].values())} requests): fp32 {seconds['fp32']:.0f} s, q4 {seconds['q4']:.0f} s.")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
