"""Generation cost: apiforge against progenitor and openapi-generator on the
same specs, interleaved (each repetition runs every tool once, in an order
that rotates), measuring each child process's wall time, CPU time (user +
system) and peak resident memory (wait4's ru_maxrss, which covers the
process and the children it waited for).

    python3 generate.py --specs SPECS.tsv --out target/bench [--repeat N] [--peer-repeat M] [--tools a,b] [--baseline BIN]

--baseline BIN adds the tool "apiforge baseline": another apiforge binary
(an earlier commit's build), run and measured like "apiforge", so a change
is judged by a ratio from the same session.

SPECS.tsv: `path<TAB>label` per line (path relative to --api-dir). Writes
OUT/generate.json: one record per (spec, tool) with every run, the median,
and the outcome (ok, or the first line of the error).
"""

import argparse
import json
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def tools(args):
    """The command line of each tool, as a function of (spec, out dir, crate name)."""
    apiforge = str(Path(args.apiforge).resolve())
    progenitor = str(ROOT / "target/bench/tools/bin/cargo-progenitor")
    jar = args.openapi_generator_jar
    commands = {
        "apiforge": lambda spec, out, name: [apiforge, "generate", spec, "--out", out, "--name", name],
        "progenitor": lambda spec, out, name: [
            progenitor, "progenitor", "-i", spec, "-o", out, "-n", name, "-v", "0.1.0",
        ],
        # openapi-generator's Rust client (reqwest) and server (axum): two
        # runs of the jar, compared with apiforge's one run for both.
        "openapi-generator rust": lambda spec, out, name: [
            "java", "-jar", jar, "generate", "-i", spec, "-g", "rust", "-o", out,
            "--skip-validate-spec", "--additional-properties", f"packageName={name}",
        ],
        "openapi-generator rust-axum": lambda spec, out, name: [
            "java", "-jar", jar, "generate", "-i", spec, "-g", "rust-axum", "-o", out,
            "--skip-validate-spec", "--additional-properties", f"packageName={name}",
        ],
    }
    if args.baseline:
        baseline = str(Path(args.baseline).resolve())
        commands["apiforge baseline"] = lambda spec, out, name: [
            baseline, "generate", spec, "--out", out, "--name", name,
        ]
    return commands


def run(command, timeout):
    """Runs `command`; returns wall seconds, CPU seconds, peak RSS in MB and
    exit status, and the last lines of its output."""
    started = time.perf_counter()
    child = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True
    )
    output_lines = []

    def drain():
        # Reading as it comes keeps the pipe from filling up.
        for line in child.stdout:
            output_lines.append(line.decode("utf-8", "replace").rstrip())
            del output_lines[:-200]

    reader = threading.Thread(target=drain, daemon=True)
    reader.start()
    timed_out = threading.Event()

    def kill():
        timed_out.set()
        os.killpg(child.pid, signal.SIGKILL)

    timer = threading.Timer(timeout, kill)
    timer.start()
    _, status, usage = os.wait4(child.pid, 0)
    wall = time.perf_counter() - started
    timer.cancel()
    reader.join(timeout=5)
    child.stdout.close()
    return {
        "wall_s": round(wall, 4),
        "cpu_s": round(usage.ru_utime + usage.ru_stime, 4),
        "peak_mb": round(usage.ru_maxrss / 1024, 1),
        "status": "timeout" if timed_out.is_set() else os.waitstatus_to_exitcode(status),
    }, output_lines


def first_error(lines):
    """The line of a failed run's output that says why."""
    patterns = [r"panicked at", r"^gen fail", r"^error", r"Exception", r"^Error", r"not yet implemented"]
    for pattern in patterns:
        for i, line in enumerate(lines):
            if re.search(pattern, line):
                # A panic's message is on the line after its location.
                if "panicked at" in line and i + 1 < len(lines):
                    return f"panic: {lines[i + 1].strip()}"
                return line.strip()
    return lines[-1].strip() if lines else ""


def rust_lines(out):
    total = 0
    for path in Path(out).rglob("*.rs"):
        with open(path, "rb") as f:
            total += sum(1 for _ in f)
    return total


def operations(spec_path):
    with open(spec_path, "rb") as f:
        spec = json.load(f)
    methods = {"get", "put", "post", "delete", "options", "head", "patch", "trace"}
    return sum(
        1
        for item in (spec.get("paths") or {}).values()
        if isinstance(item, dict)
        for method in item
        if method in methods
    )


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--specs", required=True)
    parser.add_argument("--api-dir", required=True)
    parser.add_argument("--out", required=True)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--peer-repeat", type=int, default=3)
    parser.add_argument("--timeout", type=float, default=900)
    parser.add_argument("--tools", default="apiforge,progenitor,openapi-generator rust,openapi-generator rust-axum")
    parser.add_argument("--openapi-generator-jar", default="")
    parser.add_argument("--baseline", default="", help="another apiforge binary, measured as 'apiforge baseline'")
    parser.add_argument(
        "--apiforge",
        default=str(ROOT / "target/release/apiforge"),
        help="the apiforge binary measured as 'apiforge' (a copy, so that builds during the run change nothing)",
    )
    args = parser.parse_args()
    if args.baseline and "apiforge baseline" not in args.tools.split(","):
        args.tools += ",apiforge baseline"

    commands = tools(args)
    chosen = [t for t in args.tools.split(",") if t]
    out_root = Path(args.out)
    scratch = out_root / "generate-out"
    specs = [line.split("\t") for line in Path(args.specs).read_text().splitlines() if line.strip()]
    records = []
    for n, (spec, label) in enumerate(specs):
        spec_path = str(Path(args.api_dir) / spec)
        name = re.sub(r"[^a-z0-9]+", "-", spec.removesuffix(".json").lower()).strip("-")
        size = os.path.getsize(spec_path)
        ops = operations(spec_path)
        results = {tool: {"runs": [], "messages": []} for tool in chosen}
        repeats = {
            tool: args.repeat if tool.startswith("apiforge") else args.peer_repeat for tool in chosen
        }
        for rep in range(max(repeats.values())):
            shift = (n + rep) % len(chosen)
            for tool in chosen[shift:] + chosen[:shift]:
                result = results[tool]
                failed = any(r["status"] != 0 for r in result["runs"])
                if rep >= repeats[tool] or failed:
                    continue
                out = scratch / re.sub(r"[^a-z0-9]+", "-", tool) / name
                shutil.rmtree(out, ignore_errors=True)
                measured, lines = run(commands[tool](spec_path, str(out), name), args.timeout)
                result["runs"].append(measured)
                if measured["status"] != 0:
                    result["messages"].append(first_error(lines))
                elif "lines" not in result:
                    result["lines"] = rust_lines(out)
        for tool in chosen:
            result = results[tool]
            runs = result["runs"]
            ok = all(r["status"] == 0 for r in runs)
            record = {
                "spec": spec,
                "label": label,
                "bytes": size,
                "operations": ops,
                "tool": tool,
                "runs": runs,
                "outcome": "ok" if ok else ("timeout" if runs[-1]["status"] == "timeout" else "failed"),
                "message": result["messages"][0] if result["messages"] else "",
                "rust_lines": result.get("lines"),
            }
            for key in ("wall_s", "cpu_s", "peak_mb"):
                values = [r[key] for r in runs]
                record[f"median_{key}"] = statistics.median(values)
                record[f"min_{key}"] = min(values)
                record[f"max_{key}"] = max(values)
            records.append(record)
            print(
                f"{spec:45} {tool:28} {record['outcome']:8} "
                f"wall {record['median_wall_s']:8.3f} s  cpu {record['median_cpu_s']:8.3f} s  "
                f"peak {record['median_peak_mb']:8.1f} MB  {record['message'][:60]}",
                flush=True,
            )
    shutil.rmtree(scratch, ignore_errors=True)
    (out_root / "generate.json").write_text(json.dumps(records, indent=1))


if __name__ == "__main__":
    sys.exit(main())
