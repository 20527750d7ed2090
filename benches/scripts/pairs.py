"""Summarises runs of the client bench (`client ... > FILE.json`) as ratios
with their uncertainty: the median of the per-round ratios (each round
runs both sides back to back, so a change in the machine's speed between
rounds cancels), with a 95% bootstrap interval of that median, and the
same for CPU time per request.

    python3 pairs.py FILE.json [FILE.json ...]

Read an A/B run against an A/A run of the same length (`--control yes`):
the A/A interval is what the bench cannot tell apart from 1.
"""

import json
import random
import statistics
import sys


def interval(values, rounds=2000, seed=1):
    """The median of `values` and a 95% bootstrap interval of it."""
    rng = random.Random(seed)
    medians = sorted(
        statistics.median(rng.choices(values, k=len(values))) for _ in range(rounds)
    )
    return statistics.median(values), medians[int(0.025 * rounds)], medians[int(0.975 * rounds)]


def summary(path):
    run = json.load(open(path))
    sides = [key for key, value in run.items() if isinstance(value, dict)]
    first, second = run[sides[0]], run[sides[1]]
    rate = [a / b for a, b in zip(first["requests_per_s"], second["requests_per_s"])]
    cpu = [a / b for a, b in zip(first["cpu_us_per_request"], second["cpu_us_per_request"])]
    line = f"{path}: {sides[0]} / {sides[1]}, {len(rate)} rounds of {run['requests_per_round']}"
    for name, values in [("rate", rate), ("CPU per request", cpu)]:
        median, low, high = interval(values)
        line += f"; {name} {median:.3f} [{low:.3f}, {high:.3f}]"
    line += f"; ratio of medians {run['ratio_of_medians']:.3f}"
    return line


if __name__ == "__main__":
    for path in sys.argv[1:]:
        print(summary(path))
