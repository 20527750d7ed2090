"""`cargo check` of the three GitHub crates as their consumers build them:
all three with default features, the client alone, the client with one tag
feature, the server alone; and all three of a baseline tree's crates.
Each case from scratch (`cargo clean -p` of the three crates first; the
dependencies built by a first, unmeasured check), the cases interleaved in
alternating order, CPU time (user + sys of cargo and its children), wall
time and the peak RSS of the largest process (`wait4`).

    python3 compile_cases.py DIR [ROUNDS]

DIR holds `base/` and `new/`, each the output of `apiforge generate SPEC
--out DIR/<tree> --name github` plus a workspace `Cargo.toml` listing the
three crates; one target directory (DIR/target) serves both. Prints one
line per run and writes DIR/results.json.
"""

import json
import os
import subprocess
import sys
import time

root = sys.argv[1]
rounds = int(sys.argv[2]) if len(sys.argv) > 2 else 2
env = dict(os.environ, CARGO_TARGET_DIR=os.path.join(root, "target"), CARGO_TERM_COLOR="never")
CRATES = ["-p", "github-types", "-p", "github-client", "-p", "github-server"]


def run(command, tree):
    started = time.perf_counter()
    child = subprocess.Popen(
        command, cwd=os.path.join(root, tree), env=env,
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )
    errors = child.stderr.read().decode("utf-8", "replace")
    _, status, usage = os.wait4(child.pid, 0)
    child.stderr.close()
    return {
        "wall": round(time.perf_counter() - started, 1),
        "cpu": round(usage.ru_utime + usage.ru_stime, 1),
        "peak_mb": round(usage.ru_maxrss / 1024),
        "status": os.waitstatus_to_exitcode(status),
        "errors": errors[-300:] if status else "",
    }


CASES = [
    ("base: all three", "base", ["cargo", "check"] + CRATES),
    ("new: all three", "new", ["cargo", "check"] + CRATES),
    ("new: client, repos only", "new",
     ["cargo", "check", "-p", "github-client", "--no-default-features", "--features", "repos"]),
    ("new: client alone", "new", ["cargo", "check", "-p", "github-client"]),
    ("new: server alone", "new", ["cargo", "check", "-p", "github-server"]),
]

results = {name: [] for name, _, _ in CASES}
# Unmeasured: every dependency, with the feature sets of every case.
for _, tree, command in CASES:
    run(command, tree)
for round_ in range(rounds):
    for name, tree, command in CASES if round_ % 2 == 0 else reversed(CASES):
        run(["cargo", "clean"] + CRATES, tree)
        result = run(command, tree)
        result["load"] = open("/proc/loadavg").read().split()[0]
        results[name].append(result)
        print(name, result, flush=True)
with open(os.path.join(root, "results.json"), "w") as out:
    json.dump(results, out, indent=1)
