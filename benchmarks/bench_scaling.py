"""Scaling benchmark: load and validation, gap_analysis and forecast_many on synthetic
panels of districts x indicators x years, at three sizes, each in a fresh process.

    python benchmarks/bench_scaling.py [--sizes 30x150x20,300x150x20,3000x150x20]

Prints seconds and peak memory (resident set) per step, the cost per million figures at
each size (constant when cost grows linearly), and the goal for the largest size:
load + validate + gap analysis <= 60 s and <= 8 GB.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))


def measure(path: str, indicators: int, years: int) -> dict:
    """Run in a fresh process: time each step, read the peak memory after each."""
    import synthetic

    from zhenhai_analysis.analysis.forecasting import forecast_many
    from zhenhai_analysis.analysis.gaps import gap_analysis
    from zhenhai_analysis.validation.panel import load_panel

    def peak_gb() -> float:
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024**2  # kB on Linux

    catalogue = synthetic.catalogue(indicators)
    last = 2001 + years - 1
    out = {}
    started = time.perf_counter()
    panel = load_panel(path, catalogue)
    out["load"] = (time.perf_counter() - started, peak_gb())
    started = time.perf_counter()
    gaps = gap_analysis(panel, last - 1, last, links=synthetic.links(catalogue, last))
    out["gap"] = (time.perf_counter() - started, peak_gb())
    started = time.perf_counter()
    forecasts = forecast_many(panel[panel["year"] < last], by=("district",))
    out["forecast"] = (time.perf_counter() - started, peak_gb())
    out["rows"], out["targets"], out["series"] = len(panel), len(gaps), len(forecasts)
    out["met"] = int((gaps["verdict"] == "met").sum())
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="30x150x20,300x150x20,3000x150x20")
    args = parser.parse_args()
    import synthetic

    results = []
    folder = Path(tempfile.mkdtemp(prefix="panel-"))
    for size in args.sizes.split(","):
        districts, indicators, years = map(int, size.split("x"))
        path = folder / f"panel_{size}.csv"
        rows = synthetic.write(path, districts, indicators, years)
        code = (f"import sys, json; sys.path.insert(0, {str(HERE)!r}); import bench_scaling as b; "
                f"print(json.dumps(b.measure({str(path)!r}, {indicators}, {years})))")
        done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
        if done.returncode != 0:
            sys.exit(done.stderr)
        result = json.loads(done.stdout.strip().splitlines()[-1])
        results.append((size, rows, result))
        path.unlink()

    print("Scaling benchmark (synthetic panels; seconds, peak resident memory in GB)")
    print(f"{'districts x indicators x years':>32} {'figures':>10} {'load+validate':>14} {'gap_analysis':>13} "
          f"{'forecast_many':>14} {'series':>8} {'peak GB':>8} {'s per million':>14}")
    for size, rows, r in results:
        total = r["load"][0] + r["gap"][0] + r["forecast"][0]
        print(f"{size:>32} {rows:>10,} {r['load'][0]:>14.1f} {r['gap'][0]:>13.2f} {r['forecast'][0]:>14.2f} "
              f"{r['series']:>8,} {r['forecast'][1]:>8.2f} {total / rows * 1e6:>14.2f}")
    size, rows, r = results[-1]
    core = r["load"][0] + r["gap"][0]
    peak = r["gap"][1]
    print(f"Largest panel ({rows:,} figures): load + validate + gap analysis {core:.1f} s "
          f"(goal <= 60 s: {'met' if core <= 60 else 'missed'}), peak {peak:.2f} GB (goal <= 8 GB: "
          f"{'met' if peak <= 8 else 'missed'})")
    first = results[0]
    ratio = (core / rows) / ((first[2]["load"][0] + first[2]["gap"][0]) / first[1])
    print(f"Cost per figure, largest vs smallest size: {ratio:.2f} (1.0 = linear)")


if __name__ == "__main__":
    main()
