"""Benchmark of the full briefing: cold, warm, no-change rerun, and the floor.

    python benchmarks/bench_briefing.py [params/briefing_2020.yaml] [--jobs N]

Every figure is measured in this run, on this machine, as wall-clock seconds of a whole
command (a new Python process, as `make briefing` starts one):
- first run: `make briefing` in a fresh clone of the last commit, set-up of .venv included,
  with the package cache warm (goal: 60 s); with COLD_CACHE=1 also with an empty cache;
- cold: no previous outputs;
- warm: previous outputs present, every page forced to run again (FORCE=1);
- no-change rerun: nothing changed, every page skipped;
- floor: the same notebooks' code with the same parameters in one plain Python process
  (benchmarks/floor.py), without Jupyter or HTML rendering; the parallel floor is the
  floor divided by the jobs run at once (the goal: warm <= 1.3 x the parallel floor).
  Warm runs and floors alternate, three of each, and the fastest of each is kept: a shared
  machine's speed drifts over minutes, and alternating exposes both to the same drift;
- Ctrl-C: SIGINT to the run's process group (what a terminal sends) once pages are
  running, to the end of the process (goal: within 5 s).
Then the weight of the cold run's pages (lighten.page_weights) and where the time of the warm
run goes, from the pipeline's per-page timings.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT))

from zhenhai_analysis.presentation.lighten import MAX_PAGE_KB, MEDIAN_PAGE_KB, page_weights  # noqa: E402


def timed(command: list[str]) -> float:
    started = time.perf_counter()
    result = subprocess.run(command, cwd=PROJECT, capture_output=True, text=True)
    seconds = time.perf_counter() - started
    if result.returncode != 0:
        sys.exit(f"{' '.join(command)} failed:\n{result.stdout}\n{result.stderr}")
    return seconds


def one_off(code: str) -> float:
    """Seconds of `code` in a new interpreter, minus an empty interpreter's start."""
    return timed([sys.executable, "-c", code]) - timed([sys.executable, "-c", "pass"])


def interrupt(command: list[str]) -> float:
    """Seconds from Ctrl-C (SIGINT to the process group) to the end of a run whose first page has ended."""
    import signal

    # A terminal's foreground command takes Ctrl-C even when this benchmark was started in the
    # background (where a shell sets SIGINT to be ignored, and children inherit that).
    run = subprocess.Popen([sys.executable, "-u", *command[1:]], cwd=PROJECT, stdout=subprocess.PIPE,
                           stderr=subprocess.DEVNULL, text=True, start_new_session=True,
                           preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    for line in run.stdout:
        if line.startswith("["):  # a page has ended: the others are mid-run
            break
    os.killpg(run.pid, signal.SIGINT)
    started = time.perf_counter()
    run.communicate(timeout=300)
    return time.perf_counter() - started


def first_run(cold_cache: bool) -> float:
    """Seconds of a new user's first `make briefing`, set-up included, in a fresh clone of this
    repository's last commit; with the package cache as it is (warm), or an empty one (`cold_cache`)."""
    with tempfile.TemporaryDirectory(prefix="bench-clone-") as folder:
        clone = Path(folder) / "zhenhai-analysis"
        subprocess.run(["git", "clone", "-q", str(PROJECT), str(clone)], check=True)
        env = {k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV", "MAKEFLAGS", "MAKELEVEL")}
        if cold_cache:
            env["UV_CACHE_DIR"] = str(Path(folder) / "empty-uv-cache")
            env["PIP_NO_CACHE_DIR"] = "1"
        started = time.perf_counter()
        result = subprocess.run(["make", "briefing"], cwd=clone, env=env, capture_output=True, text=True)
        seconds = time.perf_counter() - started
        if result.returncode != 0:
            sys.exit(f"make briefing failed in a fresh clone:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}")
        return seconds


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("params", nargs="?", default="params/briefing_2020.yaml")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--cold-cache", action="store_true", default=os.environ.get("COLD_CACHE", "") not in ("", "0"),
                        help="also time a first run with an empty package cache (downloads every package)")
    args = parser.parse_args()
    first = first_run(cold_cache=False)
    first_cold = first_run(cold_cache=True) if args.cold_cache else None
    outputs = Path(tempfile.mkdtemp(prefix="bench-")) / "outputs"
    briefing = [sys.executable, "-m", "zhenhai_analysis.pipeline", args.params, "--outputs", str(outputs),
                "--jobs", str(args.jobs)]

    cold = timed(briefing)
    weight = page_weights(outputs)
    rounds = []
    for _ in range(3):
        rounds.append((timed(briefing + ["--force"]), timed([sys.executable, "benchmarks/floor.py", args.params])))
        if rounds[-1][0] == min(w for w, _ in rounds):
            timings = json.loads((outputs / ".state" / "last_run.json").read_text(encoding="utf-8"))
    warm, floor = min(w for w, _ in rounds), min(f for _, f in rounds)
    rerun = min(timed(briefing) for _ in range(3))
    pages = len(timings)
    ctrl_c = [interrupt(briefing + ["--force"]) for _ in range(3)]

    worker_start = one_off("from zhenhai_analysis.pipeline import execute; execute.warm()")
    imports = one_off("import zhenhai_analysis.presentation.charts, zhenhai_analysis.validation.load, zhenhai_analysis.analysis.forecasting, statsmodels.api")
    cells = sum(t["cells_s"] for t in timings.values())
    papermill = sum(t["execute_s"] - t["cells_s"] for t in timings.values())
    render = sum(t["render_s"] for t in timings.values())

    print(f"Briefing benchmark: {pages} pages, {args.jobs} job(s) at once, {os.cpu_count()} cores")
    print(f"  first make briefing, fresh clone     {first:7.1f} s   (set-up included, package cache warm; goal <= 60 s: "
          f"{'met' if first <= 60 else 'missed'})")
    if first_cold is not None:
        print(f"  the same, package cache empty        {first_cold:7.1f} s   (every package downloaded)")
    print(f"  cold full briefing (no outputs)      {cold:7.1f} s")
    print(f"  warm full briefing (FORCE=1)         {warm:7.1f} s")
    print(f"  rerun with nothing changed           {rerun:7.2f} s   (goal <= 2 s: {'met' if rerun <= 2 else 'missed'})")
    print(f"  floor (plain Python, one process)    {floor:7.1f} s")
    parallel_floor = floor / min(args.jobs, os.cpu_count() or 1)
    print(f"  parallel floor (floor / jobs)        {parallel_floor:7.1f} s")
    print(f"  warm / parallel floor                {warm / parallel_floor:7.2f}     (goal <= 1.3: "
          f"{'met' if warm / parallel_floor <= 1.3 else 'missed'})")
    print(f"  warm / floor                         {warm / floor:7.2f}")
    print("  the three rounds (warm, floor, warm / parallel floor): " + "; ".join(
        f"{w:.1f} s, {f:.1f} s, {w / (f / min(args.jobs, os.cpu_count() or 1)):.2f}" for w, f in rounds))
    print(f"  cold / floor                         {cold / floor:7.2f}")
    print(f"  Ctrl-C to exit, 3 tries              {max(ctrl_c):7.2f} s   (worst; {', '.join(f'{s:.2f}' for s in ctrl_c)}; "
          f"goal <= 5 s: {'met' if max(ctrl_c) <= 5 else 'missed'})")
    print(f"Page weight ({weight['pages']} reader pages: *.html but *.code.html, the index included; KB = 1024 bytes)")
    print(f"  median reader page                   {weight['median_kb']:7.1f} KB (goal <= {MEDIAN_PAGE_KB}: "
          f"{'met' if weight['median_kb'] <= MEDIAN_PAGE_KB else 'missed'})")
    print(f"  heaviest reader page                 {weight['max_kb']:7.1f} KB {weight['max_page']} (goal <= {MAX_PAGE_KB}: "
          f"{'met' if not weight['over'] else 'missed: ' + ', '.join(weight['over'])})")
    print(f"  with the download files beside it    {weight['median_with_files_kb']:7.1f} KB median; heaviest "
          f"{weight['max_with_files_kb']:.1f} KB {weight['max_with_files_page']}")
    print(f"  outputs/ in all                      {weight['total_mb']:7.1f} MB (goal <= 68 MB, a quarter of 272: "
          f"{'met' if weight['total_mb'] <= 68 else 'missed'}); reader pages {weight['reader_mb']:.1f}, with code "
          f"{weight['code_mb']:.1f}, notebooks {weight['notebooks_mb']:.1f}, downloads {weight['downloads_mb']:.1f}")
    print("Where the warm run's time goes (summed over pages; with several jobs they overlap):")
    print(f"  executing the cells in the shell      {cells:7.1f} s")
    print(f"  papermill (shell reset, parameters, saving)   {papermill:5.1f} s")
    print(f"  HTML rendering (reader + code versions)       {render:5.1f} s")
    print(f"  once per worker: its start (papermill, nbconvert, the shell, the library) {worker_start:.2f} s, "
          f"of which the library's imports {imports:.2f} s")
    shutil.rmtree(outputs.parent, ignore_errors=True)


if __name__ == "__main__":
    main()
