import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parent.parent
DATA = PROJECT / "data"
SOURCE_TEXT = (DATA / "raw" / "zhenhai_2020_work_report_summary.txt").read_text(encoding="utf-8")
SOURCE_2020 = "zhenhai_2020_summary"  # tests of the 2020 report's figures look at this source only,
# so that they keep passing when later reports are added to data/


def figures_2020():
    """The figures of the 2020 report, as analyses see them when it is the only source."""
    import zhenhai_analysis as za

    return za.load_indicators(versions="all").query("source == @SOURCE_2020").reset_index(drop=True)


def copy_2020_data(target: Path) -> Path:
    """A copy of data/ with the 2020 report as its only source (later reports removed)."""
    import pandas as pd
    import yaml

    shutil.copytree(DATA, target)
    entries = yaml.safe_load((target / "sources.yaml").read_text(encoding="utf-8"))
    for entry in entries:
        if entry["id"] != SOURCE_2020:
            (target / entry["file"]).unlink()
            (target / "figures" / f"{entry['id']}.csv").unlink(missing_ok=True)
    (target / "sources.yaml").write_text(
        yaml.safe_dump([e for e in entries if e["id"] == SOURCE_2020], allow_unicode=True, sort_keys=False), encoding="utf-8")
    own = pd.read_csv(target / "figures" / f"{SOURCE_2020}.csv", dtype=str, keep_default_na=False)
    printed = set(zip(own["indicator_id"], own["year"], own["kind"]))

    def links_of_the_report(f):  # links from a target the 2020 report prints to an actual it prints
        return [(t, ty, "target") in printed and (b, by, "actual") in printed
                for t, ty, b, by in zip(f["target_indicator"], f["target_year"], f["base_indicator"], f["base_year"])]

    for name, keep in (("exclusions.csv", lambda f: f["source"] == SOURCE_2020), ("links.csv", links_of_the_report)):
        frame = pd.read_csv(target / name, dtype=str, keep_default_na=False)
        frame[keep(frame)].to_csv(target / name, index=False, lineterminator="\n")
    return target


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    """A writable copy of data/ for tests that break it."""
    target = tmp_path / "data"
    shutil.copytree(DATA, target)
    return target


def run_pipeline(params: dict, outputs: Path, *extra: str) -> subprocess.CompletedProcess:
    """Run `python -m zhenhai_analysis.pipeline` on a parameter file written from `params`."""
    outputs.parent.mkdir(parents=True, exist_ok=True)
    path = outputs.parent / f"params-{len(list(outputs.parent.glob('params-*')))}.yaml"
    path.write_text(json.dumps(params), encoding="utf-8")  # JSON is YAML
    return subprocess.run(
        [sys.executable, "-m", "zhenhai_analysis.pipeline", str(path), "--outputs", str(outputs), *extra],
        capture_output=True, text=True, cwd=PROJECT, timeout=1800,
    )


@pytest.fixture(scope="session")
def briefing(tmp_path_factory) -> Path:
    """The whole 2020 briefing, both languages, every theme, two notebooks at a time.

    ZHENHAI_TEST_BRIEFING=<outputs folder> reuses a briefing already run (for work on the page tests).
    """
    if os.environ.get("ZHENHAI_TEST_BRIEFING"):
        return Path(os.environ["ZHENHAI_TEST_BRIEFING"])
    outputs = tmp_path_factory.mktemp("briefing") / "outputs"
    result = run_pipeline({"report_year": 2020, "base_year": 2019, "languages": ["zh", "en"], "themes": "all",
                           "notebooks": ["00_data_overview", "01_briefing", "04_methods", "02_theme", "03_indicator"]},
                          outputs, "--jobs", "2")
    assert result.returncode == 0, result.stdout + result.stderr
    assert re.search(r"\[\d+/\d+\] 02_theme \(lang=zh, theme=industry\)", result.stdout)
    return outputs


# ---- no test leaves a server, kernel or pipeline running ---------------------------------
# Every process this session starts inherits SESSION_MARK in its environment. A JupyterLab
# server, a kernel or a briefing run that is still alive when its test has ended (whatever the
# test did, passed or failed) is stopped, and the test fails naming it: a process left running
# loads the machine for every test after it. Browsers are left alone: they belong to the
# session's fixture.
SESSION_MARK = "ZHENHAI_TEST_SESSION"
os.environ.setdefault(SESSION_MARK, f"{os.getpid()}-{os.urandom(4).hex()}")
SERVING = re.compile(r"jupyter[-_ ]?lab|jupyter[-_]server|ipykernel|zhenhai_analysis\.pipeline|multiprocessing")


def session_processes() -> dict[int, str]:
    """Processes of this test session that serve or run notebooks: pid -> command line."""
    mark = f"{SESSION_MARK}={os.environ[SESSION_MARK]}".encode()
    found = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            if mark not in (entry / "environ").read_bytes().split(b"\0"):
                continue
            command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace").strip()
        except OSError:  # ended meanwhile, or not ours to read
            continue
        if SERVING.search(command):
            found[int(entry.name)] = command
    return found


@pytest.fixture(autouse=True)
def _nothing_left_running():
    if not Path("/proc/self/environ").exists():
        yield
        return
    before = set(session_processes())
    yield
    import signal
    import time

    deadline = time.monotonic() + 10  # a process told to stop may take a moment to go
    while (left := {pid: c for pid, c in session_processes().items() if pid not in before}) and time.monotonic() < deadline:
        time.sleep(0.2)
    for pid in left:
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    assert not left, "the test left these running (now stopped):\n" + "\n".join(f"  {pid} {c[:200]}" for pid, c in left.items())


# ---- the fault suite's table (see tests/faults.py) --------------------------------------

_FAULTS: dict[str, tuple[int, str, str]] = {}  # test id -> (group, kind, verdict)


def _verdict(excinfo) -> str:
    from . import faults

    if excinfo is None:
        return "handled"
    for cls, name in ((faults.Loss, "loss"), (faults.Hang, "hang"), (faults.Injection, "injection"),
                      (faults.Unclear, "unclear")):
        if excinfo.errisinstance(cls):
            return name
    if excinfo.errisinstance(subprocess.TimeoutExpired) or str(excinfo.value).startswith("Timeout"):
        return "hang"
    return "other"


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    report = (yield).get_result()
    marker = item.get_closest_marker("fault")
    if marker is None or report.skipped or not (report.when == "call" or report.failed):
        return
    group, kind = marker.args
    if hasattr(item, "callspec"):
        kind = f"{kind} [{item.callspec.id}]"
    verdict = "handled" if report.passed else _verdict(call.excinfo)
    report.user_properties.append(("fault", [group, kind, verdict]))  # travels from xdist workers


def pytest_runtest_logreport(report):
    for name, value in report.user_properties:
        if name == "fault" and (report.when == "call" or report.failed):
            _FAULTS[report.nodeid] = tuple(value)


def pytest_terminal_summary(terminalreporter):
    if not _FAULTS:
        return
    from .faults import GROUPS

    columns = ["handled", "unclear", "loss", "hang", "injection", "other"]
    write = terminalreporter.write_line
    terminalreporter.section("fault suite")
    write(f"{'group':<52} {'tried':>5} {'clear/ok':>8} {'unclear':>7} {'losses':>6} {'hangs':>5} {'inject':>6} {'other':>5}")
    totals = dict.fromkeys(["tried", *columns], 0)
    for number, name in GROUPS.items():
        verdicts = [v for g, _, v in _FAULTS.values() if g == number]
        counts = {c: verdicts.count(c) for c in columns}
        totals["tried"] += len(verdicts)
        for c in columns:
            totals[c] += counts[c]
        write(f"{number:>2}. {name:<48} {len(verdicts):>5} " + " ".join(
            f"{counts[c]:>{w}}" for c, w in zip(columns, (8, 7, 6, 5, 6, 5))))
    write(f"{'all groups':<52} {totals['tried']:>5} " + " ".join(
        f"{totals[c]:>{w}}" for c, w in zip(columns, (8, 7, 6, 5, 6, 5))))
    for nodeid, (group, kind, verdict) in sorted(_FAULTS.items()):
        if verdict != "handled":
            write(f"  {verdict}: group {group}, {kind} ({nodeid})")
