"""Instructions per request of the generated client and server against
their hand-written baselines, under callgrind: a count the machine's load
does not move, for comparisons on a shared machine where rates and CPU
times swing by 10-25% from run to run.

    python3 instructions.py BIN_DIR [BIN_DIR ...] [--small N] [--large N] [--seconds S]

Each BIN_DIR holds a `client` and a `serve` built in release (e.g.
`target/bench/bin`, and an earlier commit's copy). Client: `client
--rounds 1 --only SIDE` at `--small` and `--large` requests per round; the
difference of the two counts divided by the calls between them, so that
start-up cancels (the count covers the whole process, its loopback server
included, which is equal for both sides). Server: `serve` under
callgrind, each scenario and side loaded by `wrk -t1 -c4` for `--seconds`
after a warm-up, counts zeroed before and dumped after each run
(`callgrind_control`), divided by wrk's requests.

    python3 instructions.py BIN_DIR [BIN_DIR ...] --cache [--seconds S]

The server alone, under callgrind's cache and branch simulation: per
request, instructions (Ir), L1 instruction-fetch misses (I1mr), L1 data
read and write misses (D1mr, D1mw) and mispredicted conditional branches
(Bcm). Equal instructions can cost different times when one side runs
more distinct code (I1mr) or touches more cold memory (D1). D1 and Bcm
move by 10-20% from run to run and build to build (heap and code
layout), on the hand-written side too: compare the two sides of one run,
and repeat.
"""

import argparse
import re
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from server import SCENARIOS  # noqa: E402


def collected(command):
    """Instructions callgrind counts for `command` (its whole run)."""
    with tempfile.TemporaryDirectory() as scratch:
        result = subprocess.run(
            ["valgrind", "--tool=callgrind", f"--callgrind-out-file={scratch}/out"] + command,
            capture_output=True, text=True, check=True,
        )
    return int(re.search(r"Collected : (\d+)", result.stderr).group(1))


def client(bin_dir, args):
    rows = {}
    for scenario in ("get", "list"):
        for side in ("generated", "reqwest"):
            counts = [
                collected([str(bin_dir / "client"), "--scenario", scenario, "--rounds", "1",
                           "--requests", str(n), "--only", side])
                for n in (args.small, args.large)
            ]
            # Two rounds each (warm-up and one measured).
            rows[(scenario, side)] = (counts[1] - counts[0]) / (2 * (args.large - args.small))
    return {s: (rows[(s, "generated")], rows[(s, "reqwest")]) for s in ("get", "list")}


CACHE_EVENTS = ("Ir", "I1mr", "D1mr", "D1mw", "Bcm")


def server(bin_dir, args):
    scratch = Path(tempfile.mkdtemp())
    out = scratch / "out"
    simulate = ["--cache-sim=yes", "--branch-sim=yes"] if args.cache else []
    serve = subprocess.Popen(
        ["valgrind", "--tool=callgrind", *simulate, f"--callgrind-out-file={out}", str(bin_dir / "serve"), "--threads", "1"],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
    )
    bases = dict(serve.stdout.readline().split() for _ in range(2))
    control = lambda *flags: subprocess.run(["callgrind_control", *flags, str(serve.pid)], capture_output=True, check=True)
    rows = {}
    try:
        for scenario, path in SCENARIOS.items():
            for side in ("generated", "handwritten"):
                url = bases[side] + path
                wrk = ["wrk", "-t1", "-c4", "-H", "x-auth-roles: API_KEY"]
                subprocess.run(wrk + ["-d2s", url], capture_output=True, check=True)
                control("-z")
                output = subprocess.run(wrk + [f"-d{args.seconds}s", url], capture_output=True, text=True, check=True).stdout
                control("-d", f"{scenario}-{side}")
                requests = int(re.search(r"(\d+) requests in", output).group(1))
                rows[(scenario, side)] = requests
    finally:
        serve.stdin.close()
        serve.wait(timeout=60)
    counts = {}
    for dump in scratch.glob("out.*"):
        text = dump.read_text()
        trigger = re.search(r"desc: Trigger: dump (\w+)-(\w+)", text)
        if trigger:
            events = re.search(r"^events: (.*)$", text, re.M).group(1).split()
            totals = [int(n) for n in re.search(r"^totals: (.*)$", text, re.M).group(1).split()]
            counts[trigger.groups()] = dict(zip(events, totals)) if args.cache else totals[0]
    if args.cache:
        return {
            s: {event: tuple(counts[(s, side)][event] / rows[(s, side)] for side in ("generated", "handwritten"))
                for event in CACHE_EVENTS}
            for s in SCENARIOS
        }
    return {
        s: tuple(counts[(s, side)] / rows[(s, side)] for side in ("generated", "handwritten"))
        for s in SCENARIOS
    }


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("bin_dirs", nargs="+", type=Path)
    parser.add_argument("--small", type=int, default=1000)
    parser.add_argument("--large", type=int, default=3000)
    parser.add_argument("--seconds", type=int, default=5)
    parser.add_argument("--cache", action="store_true", help="the server under cache and branch simulation")
    args = parser.parse_args()
    if args.cache:
        print("| binaries | scenario | " + " | ".join(f"{e} gen. / hand." for e in CACHE_EVENTS) + " |")
        print("|---|---|" + "---|" * len(CACHE_EVENTS))
        for bin_dir in args.bin_dirs:
            for scenario, events in server(bin_dir, args).items():
                cells = " | ".join(f"{g:,.1f} / {h:,.1f}" for g, h in events.values())
                print(f"| {bin_dir} | server {scenario} | {cells} |", flush=True)
        return
    print("| binaries | scenario | generated | hand-written | ratio |")
    print("|---|---|---|---|---|")
    for bin_dir in args.bin_dirs:
        for kind, rows in (("client", client(bin_dir, args)), ("server", server(bin_dir, args))):
            for scenario, (generated, baseline) in rows.items():
                print(f"| {bin_dir} | {kind} {scenario} | {generated:,.0f} | {baseline:,.0f} | {generated / baseline:.3f} |", flush=True)


if __name__ == "__main__":
    sys.exit(main())
