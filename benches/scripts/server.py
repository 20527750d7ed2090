"""The generated server against the hand-written axum one: starts both
(`serve`, one tokio worker thread) and loads each in turn with wrk at fixed
concurrency, alternating the order (A B, B A, ...) so that drift in the
machine's load hits both alike.

    python3 server.py --serve BIN --out DIR [--rounds N] [--duration S] [--connections C] [--pin]

`--pin` keeps the server on the second core and wrk on the first (Linux,
`taskset`), as the client bench's `--pin yes` does: the scheduler does
not move them between rounds, so one run moves less.

Writes DIR/server.json: per scenario, each side's runs, medians, p99
latency, and the ratio generated / hand-written.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent
# Under `--pin`: the load generator on core 0, the server on core 1.
PIN_LOAD = ["taskset", "-c", "0"]
PIN_SERVER = ["taskset", "-c", "1"]
CUSTOMER = "123e4567-e89b-12d3-a456-556642440000"
PROCESS = "4189285b-08f8-4628-adda-4767d81362e7"
SCENARIOS = {
    # 3 path parameters, credentials, ~750 bytes of JSON.
    "get": f"/orgs/telco/customers/{CUSTOMER}/identification-processes/{PROCESS}",
    # 2 path parameters, credentials, ~6 KB of JSON.
    "list": f"/orgs/telco/customers/{CUSTOMER}/identification-processes",
    # An invalid UUID: the 400 answer with an error body.
    "reject": f"/orgs/telco/customers/not-a-uuid/identification-processes/{PROCESS}",
}


def fetch(url):
    request = urllib.request.Request(url, headers={"x-auth-roles": "API_KEY"})
    try:
        with urllib.request.urlopen(request) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def cpu_seconds(pid):
    """User + system CPU time of process `pid` so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def wrk(url, args, pid=None):
    command = PIN_LOAD if args.pin else []
    command = command + [
        "wrk", "-t1", f"-c{args.connections}", f"-d{args.duration}s", "--latency",
        "-s", str(HERE / "wrk-report.lua"), url,
    ]
    before = cpu_seconds(pid) if pid else 0.0
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    spent = cpu_seconds(pid) - before if pid else 0.0
    line = next(l for l in output.splitlines() if l.startswith("{"))
    result = json.loads(line)
    result["requests_per_s"] = round(result["requests"] / (result["duration_us"] / 1e6), 1)
    # The server's CPU time per request: less sensitive than throughput
    # to other load on the machine.
    result["server_cpu_us_per_request"] = round(spent / max(result["requests"], 1) * 1e6, 2)
    return result


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--serve", required=True)
    parser.add_argument("--out", required=True)
    parser.add_argument("--rounds", type=int, default=6)
    parser.add_argument("--duration", type=int, default=4)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--pin", action="store_true")
    args = parser.parse_args()

    server = subprocess.Popen((PIN_SERVER if args.pin else []) + [args.serve, "--threads", "1"], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    bases = dict(server.stdout.readline().split() for _ in range(2))
    sides = ["generated", "handwritten"]
    report = {"connections": args.connections, "duration_s": args.duration, "rounds": args.rounds, "scenarios": {}}
    Path(args.out).mkdir(parents=True, exist_ok=True)
    try:
        for scenario, path in SCENARIOS.items():
            answers = {side: fetch(bases[side] + path) for side in sides}
            same = answers["generated"] == answers["handwritten"]
            runs = {side: [] for side in sides}
            for side in sides:  # warm-up, discarded
                wrk(bases[side] + path, argparse.Namespace(connections=args.connections, duration=1, pin=args.pin))
            for round_ in range(args.rounds):
                for side in sides if round_ % 2 == 0 else reversed(sides):
                    runs[side].append(wrk(bases[side] + path, args, server.pid))
            summary = {
                "status": {side: answers[side][0] for side in sides},
                "same_body": same,
                "body_bytes": {side: len(answers[side][1]) for side in sides},
            }
            for side in sides:
                rates = [r["requests_per_s"] for r in runs[side]]
                summary[side] = {
                    "runs": runs[side],
                    "median_requests_per_s": statistics.median(rates),
                    "min_requests_per_s": min(rates),
                    "max_requests_per_s": max(rates),
                    "median_p99_us": statistics.median(r["p99_us"] for r in runs[side]),
                    "median_p50_us": statistics.median(r["p50_us"] for r in runs[side]),
                    "socket_errors": sum(r["socket_errors"] for r in runs[side]),
                    "median_server_cpu_us_per_request": statistics.median(
                        r["server_cpu_us_per_request"] for r in runs[side]
                    ),
                }
            pairs = [
                g["requests_per_s"] / h["requests_per_s"]
                for g, h in zip(runs["generated"], runs["handwritten"])
            ]
            summary["ratio_of_medians"] = round(
                summary["generated"]["median_requests_per_s"] / summary["handwritten"]["median_requests_per_s"], 4
            )
            summary["median_pair_ratio"] = round(statistics.median(pairs), 4)
            summary["cpu_per_request_ratio"] = round(
                summary["generated"]["median_server_cpu_us_per_request"]
                / summary["handwritten"]["median_server_cpu_us_per_request"],
                4,
            )
            report["scenarios"][scenario] = summary
            print(
                f"server {scenario:7} generated {summary['generated']['median_requests_per_s']:9.0f} req/s "
                f"(p99 {summary['generated']['median_p99_us']} us)  hand-written "
                f"{summary['handwritten']['median_requests_per_s']:9.0f} req/s "
                f"(p99 {summary['handwritten']['median_p99_us']} us)  ratio {summary['ratio_of_medians']:.3f} "
                f"(pairs {summary['median_pair_ratio']:.3f})  server CPU per request "
                f"{summary['generated']['median_server_cpu_us_per_request']:.1f} / "
                f"{summary['handwritten']['median_server_cpu_us_per_request']:.1f} us  same answer: {same}",
                flush=True,
            )
    finally:
        server.stdin.close()
        server.wait(timeout=10)
    Path(args.out, "server.json").write_text(json.dumps(report, indent=1))


if __name__ == "__main__":
    sys.exit(main())
