"""Plots apiforge's generation time and peak memory against spec size (and
operation count) from generate.json, log-log with the fitted power law: an
exponent near 1 is linear growth.

    python3 plot.py DIR     # reads DIR/generate.json, writes DIR/scaling.png and DIR/scaling.json
"""

import json
import math
import sys
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402


def fit(xs, ys):
    """Least squares of log y = k log x + c: returns (k, c, r^2)."""
    lx = [math.log(x) for x in xs]
    ly = [math.log(y) for y in ys]
    n = len(lx)
    mx, my = sum(lx) / n, sum(ly) / n
    sxx = sum((x - mx) ** 2 for x in lx)
    sxy = sum((x - mx) * (y - my) for x, y in zip(lx, ly))
    k = sxy / sxx
    c = my - k * mx
    ss_res = sum((y - (k * x + c)) ** 2 for x, y in zip(lx, ly))
    ss_tot = sum((y - my) ** 2 for y in ly)
    return k, c, 1 - ss_res / ss_tot


def main():
    directory = Path(sys.argv[1])
    records = [
        r for r in json.loads((directory / "generate.json").read_text())
        if r["tool"] == "apiforge" and r["outcome"] == "ok"
    ]
    records.sort(key=lambda r: r["bytes"])
    size_mb = [r["bytes"] / 1e6 for r in records]
    ops = [max(r["operations"], 1) for r in records]
    lines = [r["rust_lines"] for r in records]
    series = {
        "wall time (s)": [r["median_wall_s"] for r in records],
        "CPU time (s)": [r["median_cpu_s"] for r in records],
        "peak RSS (MB)": [r["median_peak_mb"] for r in records],
    }
    fits = {}
    figure, axes = plt.subplots(3, 3, figsize=(17, 13))
    for row, (xlabel, xs) in enumerate([("spec size (MB)", size_mb), ("operations", ops), ("generated lines", lines)]):
        for col, ylabel in enumerate(series):
            ys = series[ylabel]
            axis = axes[row][col]
            axis.scatter(xs, ys, s=18)
            # Fit above the fixed cost of a run (process start, ~16 MB of
            # binary and allocator): specs of 100 KB and more.
            big = [(x, y) for x, y, r in zip(xs, ys, records) if r["bytes"] >= 100_000]
            k, c, r2 = fit([x for x, _ in big], [y for _, y in big])
            fits[f"{ylabel} vs {xlabel}"] = {"exponent": round(k, 3), "r2": round(r2, 3), "points": len(big)}
            line_x = [min(x for x, _ in big), max(xs)]
            axis.plot(line_x, [math.exp(c) * x**k for x in line_x], "r-", label=f"fit: ∝ x^{k:.2f} (r²={r2:.2f})")
            for x, y, r in zip(xs, ys, records):
                if r["label"] not in ("small", "medium", "large"):
                    axis.annotate(r["label"], (x, y), textcoords="offset points", xytext=(5, -10))
            axis.set_xscale("log")
            axis.set_yscale("log")
            axis.set_xlabel(xlabel)
            axis.set_ylabel(ylabel)
            axis.grid(True, which="both", alpha=0.3)
            axis.legend()
    figure.suptitle(f"apiforge generate: {len(records)} specs (median of runs, release build)")
    figure.tight_layout()
    figure.savefig(directory / "scaling.png", dpi=110)
    (directory / "scaling.json").write_text(json.dumps(fits, indent=1))
    for name, value in fits.items():
        print(f"{name}: exponent {value['exponent']}, r² {value['r2']} over {value['points']} specs")


if __name__ == "__main__":
    main()
