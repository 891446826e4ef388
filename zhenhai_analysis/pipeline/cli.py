"""Run the briefing: execute the notebooks with papermill and render HTML into outputs/.

    python -m zhenhai_analysis.pipeline params/briefing_2020.yaml [--jobs N] [--force]

One page per notebook and language; a notebook that declares `theme` runs once per
theme, one that declares `indicator_id` once per indicator with a comparable baseline
or a series (planning.py). Outputs are named for their parameters:

    outputs/<report_year>/<lang>/<notebook>[.<theme or indicator>].html       reader version
    outputs/<report_year>/<lang>/<notebook>[...].code.html                    with the code
    outputs/<report_year>/<lang>/<notebook>[...].ipynb                        the executed notebook

A page whose inputs (notebook, parameters, data files, library code) did not change
since its last good run is not run again (state.py). A failed page leaves its previous
outputs untouched (execute.py). This module runs the pages and is the only one that exits.
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
import threading
import time
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from dataclasses import asdict
from multiprocessing import get_context
from pathlib import Path

from ..foundations.exceptions import DataValidationError, NotebookFailed, ParameterError
from ..foundations.paths import OUTPUTS
from . import state
from .params import Briefing
from .planning import Job
from .site import make_bundle

# papermill, nbconvert and the data loader are imported where they are used: a rerun
# with nothing to do must not pay for importing them.


def _plan_cached(briefing: Briefing, outputs: Path, key: str, saved, params_path: Path) -> tuple[list[Job], dict]:
    """The plan and its year's part of the index (site.year_entry), reused while the data, library,
    notebooks and parameters are unchanged (`saved`: state.load_plan for `key`): making them loads
    and validates the data."""
    if saved is not None:
        jobs, entry = saved
        return [Job(**{**j, "notebook": Path(j["notebook"]), "output": Path(j["output"]),
                       "languages": tuple(j["languages"]), "neighbours": tuple(map(tuple, j["neighbours"]))})
                for j in jobs], entry
    from .planning import plan
    from .site import year_entry

    jobs = plan(briefing, outputs, params_path)
    entry = year_entry(outputs, jobs, briefing)
    state.save_plan(outputs, key, [asdict(j) for j in jobs], entry)
    return jobs, entry


class _Workers:
    """The worker processes that run the pages: a page's code runs in a worker, never in this
    process, so that a page whose process dies (a crash in native code, the OOM killer) is
    reported and retried instead of ending the run. Started early (`start`, before the run
    knows its pages), each imports papermill, nbconvert and the library while this process
    plans (execute.warm). Each tells `started` which page it begins, so that a page whose
    worker died is known. `stop` ends them, however the run ends; both may be called more
    than once."""

    def __init__(self, jobs: int):
        self.jobs = jobs
        self.pool: ProcessPoolExecutor | None = None
        self.started = None
        self.current: dict = {}  # pid -> the page (output path) it began last
        self.processes: dict = {}  # pid -> multiprocessing.Process, of the pool running now

    def start(self) -> ProcessPoolExecutor:
        if self.pool is None:
            context = get_context("spawn")
            self.started, self.current, self.processes = context.SimpleQueue(), {}, {}
            self.pool = ProcessPoolExecutor(max_workers=self.jobs, mp_context=context,
                                            initializer=_worker_start, initargs=(self.started, os.getpid()))
            for _ in range(self.jobs):  # a spawn pool starts a worker per task while none is idle
                self.pool.submit(int)
            self._track()
        return self.pool

    def _track(self) -> None:
        """Remember every worker the pool has started (the executor offers no public list of them,
        and forgets them when it breaks)."""
        if self.pool is not None:
            self.processes.update(self.pool._processes or {})

    def running(self) -> dict:
        """The page (its output path) each worker began last, by process id. Read often: the
        workers write to a pipe, which holds a few hundred pages' worth before they would wait."""
        self._track()
        while self.started is not None and not self.started.empty():
            pid, output = self.started.get()
            self.current[pid] = output
        return self.current

    def stop(self, interrupted: bool = False) -> None:
        if self.pool is None:
            return
        self._track()
        if interrupted:
            signal.signal(signal.SIGINT, signal.SIG_IGN)  # a second Ctrl-C must not stop the clean-up
            self.pool.shutdown(wait=False, cancel_futures=True)
            _kill(list(self.processes.values()))
        else:
            self.pool.shutdown(wait=True, cancel_futures=True)
        self.pool = None


def run(briefing: Briefing, outputs: Path, jobs: int = 1, force: bool = False,
        params_path: Path = Path("parameters")) -> int:
    """Run every page that is not current, `jobs` at once; return an exit code."""
    started = time.perf_counter()
    digest = state.inputs_digest(briefing)
    key = state.plan_key(briefing, outputs, digest)
    saved = state.load_plan(outputs, key)
    workers = _Workers(jobs)
    if force or saved is None:
        # Pages to run are certain when every page is forced, and likely when the plan must be
        # made again (the data, library, notebooks or parameters changed): the workers start now.
        workers.start()
    try:
        return _run(briefing, outputs, jobs, force, params_path, started, digest, key, saved, workers)
    except KeyboardInterrupt:
        workers.stop(interrupted=True)
        raise
    finally:
        workers.stop()


def _run(briefing: Briefing, outputs: Path, jobs: int, force: bool, params_path: Path, started: float,
         digest: str, key: str, saved, workers: _Workers) -> int:
    try:
        pages, site_entry = _plan_cached(briefing, outputs, key, saved, params_path)
    except (DataValidationError, ParameterError) as exc:
        print(f"FAILED before running any notebook: {exc}", file=sys.stderr)
        return 1
    total = len(pages)
    _remove_leftovers(pages)  # of a run that was killed (nothing could clean up after it)
    digests = {job.output: state.job_digest(job, digest) for job in pages}
    todo = [job for job in pages if force or not state.is_current(job, digests[job.output], outputs)]
    stale = {job.output for job in todo}  # jobs are compared by output, not field by field (446 x 446 pages)
    for number, job in enumerate(pages, start=1):
        if job.output not in stale:
            job.path(".failed.ipynb").unlink(missing_ok=True)  # a failure since fixed back to these inputs
            print(f"[{number}/{total}] {job.title}: unchanged, skipped")
    failure, timings, bundle = None, {}, None
    numbers = {job.output: n for n, job in enumerate(pages, start=1)}
    if todo:
        # Longest pages first (by their last run), so that no long page starts last.
        last = state.last_timings(outputs)
        todo.sort(key=lambda job: -last.get(job.title, {}).get("seconds", 0))
        # The year's zip needs only the data: a worker makes it beside the pages, not after them.
        bundle = workers.start().submit(make_bundle, briefing)
        failure, timings = _run_parallel(todo, numbers, digests, outputs, workers)
    ran = len(timings)
    if timings:
        state.save_timings(outputs, timings)
    if failure:
        print(f"FAILED: {failure}\nThe previous outputs of that page are unchanged.", file=sys.stderr)
        return 1
    from .site import has_year, index_is_current, save_year, write_bundle, write_index

    if ran or not has_year(outputs, briefing.report_year):
        save_year(outputs, site_entry)
        made = bundle is not None and not bundle.cancelled() and bundle.exception() is None
        write_bundle(outputs, briefing, bundle.result() if made else None)
    index = outputs / "index.html"
    if not index_is_current(outputs):  # also after a run that was stopped before it wrote the index
        write_index(outputs)
    print(f"{ran} page(s) run, {total - ran} unchanged, in {time.perf_counter() - started:.1f} s "
          f"({min(jobs, max(len(todo), 1))} at once).\nOpen {index}")
    return 0


def _remove_leftovers(jobs: list[Job]) -> None:
    """Remove the partial files of pages that did not finish (safe: the run lock is held)."""
    for job in jobs:
        job.path(".partial.ipynb").unlink(missing_ok=True)
        for suffix in (".html", ".code.html"):
            state.partial_path(job.path(suffix)).unlink(missing_ok=True)


def _kill(workers: list) -> None:
    """Kill worker processes (multiprocessing.Process) at once, and wait up to 10 s in all for
    them to end: on Ctrl-C nothing of theirs is worth waiting for.

    Their finished pages are already in place (every output is renamed into place whole);
    their partial files are removed by the caller.
    """
    for worker in workers:
        worker.kill()  # SIGKILL; a worker already gone is passed over
    deadline = time.monotonic() + 10
    for worker in workers:
        worker.join(max(0.0, deadline - time.monotonic()))


_started = None  # in a worker: where it says which page it begins (_Workers.running)


def _worker_start(started, parent: int) -> None:
    """In each worker: leave Ctrl-C to the parent, which stops the workers itself (_kill), and
    end with the parent (_exit_with_parent); then get ready for the first page (execute.warm)."""
    global _started
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    threading.Thread(target=_exit_with_parent, args=(parent,), daemon=True).start()
    _started = started
    from .execute import warm

    warm()


def _exit_with_parent(parent: int) -> None:
    """In each worker, beside its pages: end the worker within a second of its run's process.
    A run killed by a signal it cannot clean up after (SIGKILL, or SIGTERM sent to it alone)
    leaves its workers waiting for pages that never come (they hold their queue's both ends,
    so they are not told); the next run removes the partial files they leave."""
    while os.getppid() == parent:
        time.sleep(1)
    os._exit(1)


def _run_page(job: Job, digest: str, outputs: Path) -> dict:
    """In a worker: say which page it begins, then run it (execute.run_job)."""
    from .execute import run_job

    _started.put((os.getpid(), job.output))
    return run_job(job, digest, outputs, announce=True)


def _died(process) -> str:
    code = process.exitcode
    return f"killed by signal {-code}" if code is not None and code < 0 else f"exit code {code}"


def _count_deaths(workers: _Workers, todo: list[Job], remaining: list[Job], deaths: dict) -> NotebookFailed | None:
    """After a worker died (and broke the pool): stop the pool, clear the unfinished pages'
    partial files, and count a death for the page each dead worker was running (`deaths`, by
    title, across the run). Return the failure of a page that has now died twice, if any."""
    running, processes = workers.running(), workers.processes
    workers.stop()
    _remove_leftovers(remaining)
    failure = None
    for pid, output in running.items():
        process = processes.get(pid)
        if process is None or process.exitcode in (None, -signal.SIGTERM):
            continue  # stopped by the executor when another worker died
        job = next(j for j in todo if j.output == output)
        deaths[job.title] = deaths.get(job.title, 0) + 1
        print(f"  the process running {job.title} died ({_died(process)}); "
              f"{'its page fails' if deaths[job.title] > 1 else 'the page is tried again'}", flush=True)
        if deaths[job.title] > 1 and not failure:
            failure = NotebookFailed(f"{job.title} failed: the process running it died twice "
                                     f"({_died(process)}), as a crash in native code or a lack of memory does")
    return failure


def _run_parallel(todo: list[Job], numbers: dict, digests: dict, outputs: Path, workers: _Workers):
    """Run pages in the worker processes; stop starting new ones after the first failure.

    `numbers` gives each page's place in the run (by its output), for the progress lines.

    A worker that dies takes the pool with it: the page it was running is tried once more,
    the pages not finished are run in new workers, and a page whose worker dies twice fails.

    Ctrl-C stops within a second: pending pages are cancelled, running ones are stopped (their
    workers killed, their partial files removed), finished pages are kept, and
    KeyboardInterrupt is raised for the caller.
    """
    from concurrent.futures.process import BrokenProcessPool

    failure, timings, total, deaths = None, {}, len(numbers), {}
    remaining = list(todo)
    # Ctrl-C is noted, and acted on where this loop checks for it (within a second): raised at
    # any moment, it could leave the executor's locks held (inside wait()) and its clean-up stuck.
    interrupts: list[int] = []
    previous = signal.signal(signal.SIGINT, lambda signum, frame: interrupts.append(signum))
    try:
        while remaining and not failure:
            pool = workers.start()
            futures = {pool.submit(_run_page, job, digests[job.output], outputs): job for job in remaining}
            pending, broken = set(futures), False
            while pending:
                # a progress line as each page ends; at least every second, what the workers began
                done, pending = wait(pending, timeout=1, return_when=FIRST_COMPLETED)
                if interrupts:
                    raise KeyboardInterrupt
                workers.running()
                for future in done:
                    if future.cancelled():
                        continue
                    job = futures[future]
                    try:
                        result = future.result()
                    except NotebookFailed as exc:
                        failure = failure or exc
                        continue
                    except BrokenProcessPool:
                        broken = True
                        continue
                    timings[job.title] = result
                    # one write, as the workers' "running" lines are: lines do not interleave
                    sys.stdout.write(f"[{numbers[job.output]}/{total}] {job.title}: {result['seconds']:.1f} s\n")
                    sys.stdout.flush()
                if failure:
                    for future in pending:
                        future.cancel()
            remaining = [job for job in remaining if job.title not in timings]
            if broken:
                failure = failure or _count_deaths(workers, todo, remaining, deaths)
    except KeyboardInterrupt:
        workers.stop(interrupted=True)
        _remove_leftovers(todo)  # a worker stopped mid-page may still have written its partial notebook
        raise
    finally:
        signal.signal(signal.SIGINT, previous)
    return failure, timings


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("params", type=Path, help="parameter file, e.g. params/briefing_2020.yaml")
    parser.add_argument("--outputs", type=Path, default=OUTPUTS)
    parser.add_argument("--jobs", type=int, default=int(os.environ.get("JOBS") or os.cpu_count() or 1),
                        help="notebooks run at once (default: $JOBS, else the number of cores)")
    parser.add_argument("--force", action="store_true", default=os.environ.get("FORCE", "") not in ("", "0"),
                        help="run every page, even those whose inputs did not change ($FORCE=1)")
    args = parser.parse_args(argv)
    try:
        briefing = Briefing.from_file(args.params)
    except ParameterError as exc:
        print(f"FAILED before running any notebook: {exc}", file=sys.stderr)
        return 1
    try:
        with state.run_lock(args.outputs):
            return run(briefing, args.outputs, jobs=max(1, args.jobs), force=args.force, params_path=args.params)
    except state.RunLocked as exc:
        print(f"FAILED before running any notebook: {exc}", file=sys.stderr)
        return 1
    except (DataValidationError, ParameterError) as exc:  # data edited while the run was going
        print(f"FAILED: {exc}\nPages that finished are kept; fix the data and run again.", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("Interrupted: the pages that finished are kept; the next run does the rest.", file=sys.stderr)
        return 130


def _exit_interrupted() -> None:
    """End an interrupted run now. Its clean-up is done (workers killed, partial files
    removed); the thread pool's exit handlers could otherwise wait on workers that no
    longer exist."""
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(130)


def command_line() -> None:
    """`python -m zhenhai_analysis.pipeline`: run, and exit with main's status."""
    code = main()
    if code == 130:
        _exit_interrupted()
    sys.exit(code)
