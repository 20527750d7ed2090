"""Prints the benchmark results in DIR as Markdown tables, each target with
its verdict (the tables BENCHMARKS.md records).

    python3 report.py DIR
"""

import json
import statistics
import sys
from pathlib import Path

BIG = {"github": ("GitHub", 0.3, 150), "graph": ("Graph beta", 5.0, 1536)}
PEERS = ["progenitor", "openapi-generator rust", "openapi-generator rust-axum"]


def load(path):
    return json.loads(path.read_text()) if path.exists() else None


def verdict(value, target, higher_is_better=False):
    met = value >= target if higher_is_better else value <= target
    if met:
        return "met"
    factor = target / value if higher_is_better else value / target
    return f"missed ({factor:.1f}x)" if factor >= 1.1 else f"missed by {abs(factor - 1) * 100:.1f}%"


def spread(record, key, unit="", digits=3):
    return (
        f"{record[f'median_{key}']:.{digits}f}{unit} "
        f"({record[f'min_{key}']:.{digits}f}-{record[f'max_{key}']:.{digits}f})"
    )


def generation(directory):
    records = load(directory / "generate.json")
    if not records:
        return
    by = {(r["spec"], r["tool"]): r for r in records}
    print("## Generation: targets\n")
    print("| spec | size | operations | wall s median (min-max) | CPU s | peak MB | target | wall | memory |")
    print("|---|---|---|---|---|---|---|---|---|")
    for r in records:
        if r["tool"] != "apiforge" or r["label"] not in BIG:
            continue
        name, wall_target, mem_target = BIG[r["label"]]
        print(
            f"| {name} | {r['bytes'] / 1e6:.1f} MB | {r['operations']} | {spread(r, 'wall_s')} | "
            f"{r['median_cpu_s']:.3f} | {r['median_peak_mb']:.0f} | <= {wall_target} s, <= {mem_target} MB | "
            f"{verdict(r['median_wall_s'], wall_target)} | {verdict(r['median_peak_mb'], mem_target)} |"
        )
    print("\n## Generation: peers on the same specs (ratios: peer / apiforge, medians)\n")
    print("| spec | tool | outcome | wall s median (min-max) | CPU s | peak MB | Rust lines | wall ratio | memory ratio |")
    print("|---|---|---|---|---|---|---|---|---|")
    specs = list(dict.fromkeys(r["spec"] for r in records))
    for spec in specs:
        base = by.get((spec, "apiforge"))
        for tool in ["apiforge"] + PEERS:
            r = by.get((spec, tool))
            if not r:
                continue
            ok = r["outcome"] == "ok"
            ratio = ""
            memory = ""
            if ok and base and base["outcome"] == "ok" and tool != "apiforge":
                ratio = f"{r['median_wall_s'] / base['median_wall_s']:.1f}x"
                memory = f"{r['median_peak_mb'] / base['median_peak_mb']:.1f}x"
            outcome = r["outcome"] if ok else f"{r['outcome']}: {r['message'][:90]}"
            print(
                f"| {spec} | {tool} | {outcome} | {spread(r, 'wall_s')} | {r['median_cpu_s']:.3f} | "
                f"{r['median_peak_mb']:.0f} | {r['rust_lines'] or ''} | {ratio} | {memory} |"
            )
    print("\n## Generation: peers summed up over all specs (medians of per-spec ratios, where both succeeded)\n")
    print("| tool | specs generated | wall ratio peer / apiforge (min-max) | CPU ratio | peak memory ratio |")
    print("|---|---|---|---|---|")
    for tool in PEERS:
        pairs = [
            (by[(spec, tool)], by[(spec, "apiforge")])
            for spec in specs
            if (spec, tool) in by and (spec, "apiforge") in by
        ]
        both = [(p, a) for p, a in pairs if p["outcome"] == "ok" and a["outcome"] == "ok"]
        if not both:
            print(f"| {tool} | 0 of {len(pairs)} | | | |")
            continue
        wall = sorted(p["median_wall_s"] / a["median_wall_s"] for p, a in both)
        cpu = [p["median_cpu_s"] / a["median_cpu_s"] for p, a in both]
        memory = [p["median_peak_mb"] / a["median_peak_mb"] for p, a in both]
        print(
            f"| {tool} | {len(both)} of {len(pairs)} | {statistics.median(wall):.1f}x ({wall[0]:.1f}-{wall[-1]:.1f}) | "
            f"{statistics.median(cpu):.1f}x | {statistics.median(memory):.1f}x |"
        )
    scaling = load(directory / "scaling.json")
    if scaling:
        print("\n## Generation: growth with spec size (power-law fit over specs >= 100 KB)\n")
        print("| series | exponent | r² | specs |")
        print("|---|---|---|---|")
        for name, fit in scaling.items():
            print(f"| {name} | {fit['exponent']} | {fit['r2']} | {fit['points']} |")
    # Lines: apiforge's three crates against progenitor's client alone.
    rows = [
        (spec, by[(spec, "apiforge")], by[(spec, "progenitor")])
        for spec in specs
        if (spec, "progenitor") in by and (spec, "apiforge") in by
    ]
    print("\n## Generated lines: apiforge (3 crates) against progenitor (client only)\n")
    print("| spec | apiforge lines | progenitor lines | ratio |")
    print("|---|---|---|---|")
    for spec, mine, theirs in rows:
        if theirs["outcome"] == "ok" and mine["rust_lines"]:
            print(f"| {spec} | {mine['rust_lines']} | {theirs['rust_lines']} | {mine['rust_lines'] / theirs['rust_lines']:.2f} |")
        else:
            print(f"| {spec} | {mine['rust_lines']} | {theirs['outcome']}: {theirs['message'][:80]} | |")


def stages(directory):
    for path in sorted(directory.glob("stages-*.json")):
        report = load(path)
        print(f"\n## Stages: {Path(report['spec']).name} ({report['runs']} runs, in-process)\n")
        total = report["median_total_ms"]
        print("| stage | median ms | share | heap peak MB | heap live after MB |")
        print("|---|---|---|---|---|")
        for stage, s in report["stages"].items():
            print(
                f"| {stage} | {s['median_ms']:.0f} | {s['median_ms'] / total * 100:.0f}% | "
                f"{s['peak_mb']} | {s['live_after_mb']} |"
            )
        print(f"| total | {total:.0f} | | | |")
        print(f"\n{report['rust_lines']} lines of Rust, {report['rust_bytes'] / 1e6:.1f} MB, {report['warnings']} warnings.")


def compile_cost(directory):
    report = load(directory / "compile" / "compile.json")
    if not report:
        return
    three = report.get("three")
    if three:
        print("\n## cargo check of the three GitHub crates (dependencies built)\n")
        print("| run | status | wall s | CPU s | peak rustc MB | per crate (cargo --timings, s) |")
        print("|---|---|---|---|---|---|")
        for i, run in enumerate(three["runs"]):
            units = ", ".join(f"{k} {v:.1f}" for k, v in run["units"].items())
            status = "ok" if run["status"] == 0 else f"failed: {run.get('error', '')[:100]}"
            print(f"| {i + 1} | {status} | {run['wall_s']} | {run['cpu_s']} | {run['peak_mb']} | {units} |")
        lines = three["lines"]
        print(f"\nLines: {', '.join(f'{k} {v}' for k, v in lines.items())}; total {sum(lines.values())}.")
        if three["runs"]:
            run = min(three["runs"], key=lambda r: r["wall_s"])
            print(
                f"\nTarget <= 15 s: {verdict(run['wall_s'], 15)}; <= 1 GB rustc peak: "
                f"{verdict(run['peak_mb'], 1024)}."
            )
    experiments = report.get("experiments")
    if experiments:
        base = experiments.get("baseline")
        print("\n## What the types crate's check time is made of (altered copies, `cargo check`)\n")
        print("| variant | lines | status | wall s | CPU s | peak MB | CPU vs baseline | peak vs baseline |")
        print("|---|---|---|---|---|---|---|---|")
        for name, result in experiments.items():
            run = min(result["runs"], key=lambda r: r["cpu_s"])
            delta = delta_mem = ""
            if base and name != "baseline":
                b = min(base["runs"], key=lambda r: r["cpu_s"])
                delta = f"{(run['cpu_s'] / b['cpu_s'] - 1) * 100:+.0f}%"
                delta_mem = f"{(run['peak_mb'] / b['peak_mb'] - 1) * 100:+.0f}%"
            status = "ok" if run["status"] == 0 else f"failed: {run.get('error', '')[:80]}"
            print(
                f"| {name} | {result['lines']} | {status} | {run['wall_s']} | {run['cpu_s']} | "
                f"{run['peak_mb']} | {delta} | {delta_mem} |"
            )


def runtime(directory):
    server = load(directory / "server.json")
    if server:
        print(
            f"\n## Generated server against hand-written axum (wrk, {server['connections']} connections, "
            f"{server['rounds']} x {server['duration_s']} s per side, interleaved)\n"
        )
        print("| scenario | generated req/s median (min-max) | p99 µs | hand-written req/s median (min-max) | p99 µs | ratio of medians | median pair ratio | target >= 0.97 | server CPU µs/request generated / hand-written | same answer |")
        print("|---|---|---|---|---|---|---|---|---|---|")
        for name, s in server["scenarios"].items():
            g, h = s["generated"], s["handwritten"]
            print(
                f"| {name} | {g['median_requests_per_s']:.0f} ({g['min_requests_per_s']:.0f}-{g['max_requests_per_s']:.0f}) | "
                f"{g['median_p99_us']:.0f} | {h['median_requests_per_s']:.0f} ({h['min_requests_per_s']:.0f}-{h['max_requests_per_s']:.0f}) | "
                f"{h['median_p99_us']:.0f} | {s['ratio_of_medians']:.3f} | {s['median_pair_ratio']:.3f} | "
                f"{verdict(s['ratio_of_medians'], 0.97, True)} | "
                f"{g.get('median_server_cpu_us_per_request', float('nan')):.1f} / "
                f"{h.get('median_server_cpu_us_per_request', float('nan')):.1f} | {'yes' if s['same_body'] else 'status only'} |"
            )
    clients = [load(p) for p in sorted(directory.glob("client-*.json"))]
    if clients:
        c0 = clients[0]
        print(
            f"\n## Generated client against raw reqwest ({c0['concurrency']} concurrent, "
            f"{c0['rounds']} rounds of {c0['requests_per_round']} requests per side, interleaved)\n"
        )
        print("| scenario | generated req/s median (min-max) | p50 / p99 µs | reqwest req/s median (min-max) | p50 / p99 µs | ratio of medians | median pair ratio | target >= 0.97 | client CPU µs/request generated / reqwest |")
        print("|---|---|---|---|---|---|---|---|---|")
        for c in clients:
            g, r = c["generated"], c["reqwest"]
            print(
                f"| {c['scenario']} | {g['median_requests_per_s']:.0f} ({g['min_requests_per_s']:.0f}-{g['max_requests_per_s']:.0f}) | "
                f"{g['p50_us']:.0f} / {g['p99_us']:.0f} | {r['median_requests_per_s']:.0f} ({r['min_requests_per_s']:.0f}-{r['max_requests_per_s']:.0f}) | "
                f"{r['p50_us']:.0f} / {r['p99_us']:.0f} | {c['ratio_of_medians']:.3f} | {c['median_pair_ratio']:.3f} | "
                f"{verdict(c['ratio_of_medians'], 0.97, True)} | "
                f"{g.get('median_cpu_us_per_request', float('nan')):.1f} / "
                f"{r.get('median_cpu_us_per_request', float('nan')):.1f} |"
            )


def main():
    directory = Path(sys.argv[1])
    generation(directory)
    stages(directory)
    compile_cost(directory)
    runtime(directory)


if __name__ == "__main__":
    main()
