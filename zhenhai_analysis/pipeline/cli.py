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
    """The worker processes of a parallel run. Started early (`start`, before the run knows its
    pages), each imports papermill and nbconvert, starts its kernel and imports the library in
    it while this process plans (execute.warm). `stop` ends them, however the run ends; both
    may be called more than once."""

    def __init__(self, jobs: int, notebooks: Path):
        self.jobs, self.notebooks = jobs, notebooks
        self.pool: ProcessPoolExecutor | None = None
        self.kernel_dir = ""

    def start(self) -> ProcessPoolExecutor:
        import tempfile

        from .kernels import KERNEL_DIR_ENV

        if self.pool is None:
            # The workers' kernels keep their sockets and connection files in one folder of this
            # run, removed at its end, however it ends (a killed kernel cannot remove its own).
            self.kernel_dir = tempfile.mkdtemp(prefix="zk")  # short: socket paths have a length limit
            os.environ[KERNEL_DIR_ENV] = self.kernel_dir  # spawned workers inherit it
            self.pool = ProcessPoolExecutor(max_workers=self.jobs, mp_context=get_context("spawn"),
                                            initializer=_worker_start, initargs=(str(self.notebooks),))
            self.pool.submit(int)  # a spawn pool starts all its workers at its first task
        return self.pool

    def stop(self, interrupted: bool = False) -> None:
        import shutil

        from .kernels import KERNEL_DIR_ENV

        if self.pool is None:
            return
        if interrupted:
            signal.signal(signal.SIGINT, signal.SIG_IGN)  # a second Ctrl-C must not stop the clean-up
            workers = list((self.pool._processes or {}).values())  # the executor offers no public way to stop them
            self.pool.shutdown(wait=False, cancel_futures=True)
            _kill(workers)
        else:
            self.pool.shutdown(wait=True, cancel_futures=True)
        self.pool = None
        shutil.rmtree(self.kernel_dir, ignore_errors=True)
        os.environ.pop(KERNEL_DIR_ENV, None)


def run(briefing: Briefing, outputs: Path, jobs: int = 1, force: bool = False,
        params_path: Path = Path("parameters")) -> int:
    """Run every page that is not current (in parallel with `jobs` > 1); return an exit code."""
    started = time.perf_counter()
    digest = state.inputs_digest(briefing)
    key = state.plan_key(briefing, outputs, digest)
    saved = state.load_plan(outputs, key)
    workers = _Workers(jobs, briefing.notebooks_dir)
    if jobs > 1 and (force or saved is None):
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
    from .execute import run_job

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
    failure, timings = None, {}
    numbers = {job.output: n for n, job in enumerate(pages, start=1)}
    if todo and workers.pool is None and (jobs <= 1 or len(todo) == 1):
        for job in todo:
            print(f"[{numbers[job.output]}/{total}] {job.title}", flush=True)
            try:
                timings[job.title] = run_job(job, digests[job.output], outputs)
            except NotebookFailed as exc:
                failure = exc
                break
    elif todo:
        # Longest pages first (by their last run), so that no long page starts last.
        last = state.last_timings(outputs)
        todo.sort(key=lambda job: -last.get(job.title, {}).get("seconds", 0))
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
        write_bundle(outputs, briefing)
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


def _kill(workers) -> None:
    """Kill worker processes and their kernels at once: on Ctrl-C nothing of theirs is worth waiting for.

    Their finished pages are already in place (every output is renamed into place whole);
    their partial files and kernel files are removed by the caller.
    """
    import psutil

    processes = []
    for worker in workers:
        try:
            parent = psutil.Process(worker.pid)
            parent.suspend()  # first, so that it cannot start a kernel while its children are listed
            processes += [parent, *parent.children(recursive=True)]  # the kernels are the workers' children
        except psutil.NoSuchProcess:
            continue
    for process in processes:
        try:
            process.kill()
        except psutil.NoSuchProcess:
            pass
    psutil.wait_procs(processes, timeout=10)


def _worker_start(notebooks: str) -> None:
    """In each worker: leave Ctrl-C to the parent, which stops the workers itself (_kill); then
    get ready for the first page (execute.warm)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    from .execute import warm

    warm(notebooks)


def _run_parallel(todo: list[Job], numbers: dict, digests: dict, outputs: Path, workers: _Workers):
    """Run pages in the worker processes; stop starting new ones after the first failure.

    `numbers` gives each page's place in the run (by its output), for the progress lines.

    Ctrl-C stops at once: pending pages are cancelled, running ones are stopped (their
    kernels shut down, their partial files removed), finished pages are kept, and
    KeyboardInterrupt is raised again for the caller.
    """
    from .execute import run_job

    failure, timings, total = None, {}, len(numbers)
    pool = workers.start()
    try:
        futures = {pool.submit(run_job, job, digests[job.output], outputs, True): job for job in todo}
        pending = set(futures)
        while pending:
            done, pending = wait(pending, return_when=FIRST_COMPLETED)  # a progress line as each page ends
            for future in done:
                if future.cancelled():
                    continue
                job = futures[future]
                try:
                    result = future.result()
                except NotebookFailed as exc:
                    failure = failure or exc
                    continue
                timings[job.title] = result
                print(f"[{numbers[job.output]}/{total}] {job.title}: {result['seconds']:.1f} s", flush=True)
            if failure:
                for future in pending:
                    future.cancel()
    except KeyboardInterrupt:
        workers.stop(interrupted=True)
        _remove_leftovers(todo)  # a worker stopped mid-page may still have written its partial notebook
        raise
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
    """End an interrupted run now. Its clean-up is done (workers and kernels killed, partial
    and kernel files removed); the thread pool's exit handlers could otherwise wait on
    workers that no longer exist."""
    kernels = sys.modules.get(f"{__package__}.kernels")
    if kernels is not None:  # the kernel of a one-job run, in this process
        kernels.shutdown_all()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(130)


def command_line() -> None:
    """`python -m zhenhai_analysis.pipeline`: run, and exit with main's status."""
    code = main()
    if code == 130:
        _exit_interrupted()
    sys.exit(code)
