"""Faults as a careless colleague would cause them: each gives a clear error naming file,
line and field, every problem at once, and never a traceback or a silent drop."""

import json
import os
import shutil
import signal
import subprocess
import sys
import time
import warnings

import pytest

import zhenhai_analysis as za

from .conftest import PROJECT, copy_2020_data, run_pipeline
from .faults import Hang, assert_clear, assert_inert, assert_unchanged, files

fault = pytest.mark.fault


def _problems(data) -> list:
    """The problems loading `data` reports; loading must not change a byte of it."""
    before = files(data)
    with pytest.raises(za.DataValidationError) as info:
        za.load_indicators(data)
    assert_unchanged(before, data)
    for problem in info.value.problems:
        assert_clear(str(problem), problem.file.name)
    return info.value.problems


def _header_only(data, name: str) -> None:
    path = data / name
    path.write_text(path.read_text(encoding="utf-8").splitlines()[0] + "\n", encoding="utf-8")


@fault(6, "a table with only its header")
@pytest.mark.parametrize("name, expected", [
    ("figures/zhenhai_2020_summary.csv", "no target figure"),  # the links name targets that are gone
    ("catalogue.csv", "unknown indicator"),
    ("themes.csv", "is not an allowed value"),
])
def test_a_table_with_only_its_header_gives_clear_problems(data_copy, name, expected):
    _header_only(data_copy, name)
    problems = _problems(data_copy)
    assert problems and all(p.file.name and p.message for p in problems)
    assert any(expected in p.message for p in problems)


@fault(6, "an empty links or exclusions table (legitimate)")
@pytest.mark.parametrize("name", ["links.csv", "exclusions.csv"])
def test_an_empty_links_or_exclusions_table_is_legitimate(data_copy, name):
    _header_only(data_copy, name)
    if name == "links.csv":  # a target with last year's actual still needs its verdict
        assert all("no link row" in p.message for p in _problems(data_copy))
    else:
        assert len(za.load_indicators(data_copy)) == len(za.load_indicators())


@fault(8, "a catalogue error and three figure errors")
def test_one_catalogue_error_hides_no_other_problem(data_copy):
    catalogue = data_copy / "catalogue.csv"
    catalogue.write_text(catalogue.read_text(encoding="utf-8").replace(",industry,level,亿元,", ",industry,levels,亿元,", 1),
                         encoding="utf-8")
    figures = data_copy / "figures" / "zhenhai_2020_summary.csv"
    text = figures.read_text(encoding="utf-8")
    text = text.replace("实现规上工业总产值2507亿元", "实现规上工业总产值2507亿圆")  # a quote not in the source
    text = text.replace(",2019,actual,652,亿元,", ",2019,actual,652,万元,", 1)  # a unit against the catalogue
    text = text.replace("fdi_utilised,2019", "fdi_used,2019", 1)  # an unknown indicator
    figures.write_text(text, encoding="utf-8")
    found = {(p.file.name, p.field) for p in _problems(data_copy)}
    assert {("catalogue.csv", "measure"), ("zhenhai_2020_summary.csv", "quote"),
            ("zhenhai_2020_summary.csv", "unit"), ("zhenhai_2020_summary.csv", "indicator_id")} <= found


@fault(10, "a trailing space in a year")
def test_spaces_around_a_value_are_named(data_copy):
    figures = data_copy / "figures" / "zhenhai_2020_summary.csv"
    figures.write_text(figures.read_text(encoding="utf-8").replace(",2019,actual,2507,", ",2019 ,actual,2507,", 1),
                       encoding="utf-8")
    problems = _problems(data_copy)
    assert any(p.line == 2 and p.field == "year" and "'2019 ' has spaces before or after it" in p.message for p in problems)


@fault(10, "an Excel lock file beside the figures")
def test_an_excel_lock_file_is_ignored_with_a_note(data_copy):
    (data_copy / "figures" / "~$zhenhai_2020_summary.csv").write_bytes(b"\x00\x07lock")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        assert len(za.load_indicators(data_copy)) == len(za.load_indicators())
    assert any("lock file that Excel leaves" in str(w.message) for w in caught)


HOSTILE = "<script>alert(1)</script><img src=x onerror=alert(2)>"


@fault(1, "markup in names, descriptions and reasons, end to end")
@pytest.mark.slow
def test_markup_in_any_text_field_stays_text_on_every_page(data_copy, tmp_path):
    """Names, descriptions, definitions and reasons reach the pages: none may become live markup."""
    for name, old in (("catalogue.csv", "引进市外内资,Domestic capital attracted from outside Ningbo"),
                      ("themes.csv", "Fixed-asset investment, key projects"),
                      ("exclusions.csv", "name of a programme or action plan"),
                      ("links.csv", "Same definition and unit")):
        path = data_copy / name
        text = path.read_text(encoding="utf-8")
        assert old in text, (name, old)
        path.write_text(text.replace(old, old + HOSTILE.replace(",", ";"), 1), encoding="utf-8")
    outputs = tmp_path / "outputs"
    result = run_pipeline({"report_year": 2020, "languages": ["zh", "en"], "themes": ["investment"],
                           "indicators": ["domestic_investment_outside_city"], "data_dir": str(data_copy),
                           "notebooks": ["00_data_overview", "01_briefing", "02_theme", "03_indicator"]}, outputs, "--jobs", "2")
    assert result.returncode == 0, result.stderr
    pages = sorted(outputs.rglob("*.html"))
    assert len(pages) == 17  # 8 pages x 2 versions, and the index
    for page in pages:
        assert_inert(page.read_text(encoding="utf-8"), str(page))
    assert "&lt;script&gt;alert(1)" in (outputs / "2020" / "en" / "00_data_overview.html").read_text(encoding="utf-8")


@fault(4, "a second run while one holds the lock")
def test_a_second_run_on_the_same_outputs_stops_at_once_with_a_clear_message(tmp_path):
    """Two runs at once would share temporary files: the second stops before touching anything."""
    import fcntl

    outputs = tmp_path / "outputs"
    (outputs / ".state").mkdir(parents=True)
    with (outputs / ".state" / "run.lock").open("a+") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        handle.write("12345")
        handle.flush()
        result = run_pipeline({"report_year": 2020, "languages": ["en"], "notebooks": ["00_data_overview"]}, outputs)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "another briefing run (process 12345) is writing to" in result.stderr
    assert not (outputs / "2020").exists()


@fault(3, "Ctrl-C during a parallel run")
@pytest.mark.slow
def test_ctrl_c_stops_a_parallel_run_and_leaves_no_process_or_temporary_file(tmp_path):
    """Ctrl-C sends SIGINT to the whole foreground group: the run ends, its workers with it."""
    temp, outputs = tmp_path / "tmp", tmp_path / "outputs"
    temp.mkdir()
    params = tmp_path / "params.yaml"
    params.write_text('{"report_year": 2020, "languages": ["zh", "en"], "themes": "all", '
                      '"notebooks": ["00_data_overview", "01_briefing", "02_theme"]}', encoding="utf-8")
    run = subprocess.Popen([sys.executable, "-m", "zhenhai_analysis.pipeline", str(params), "--outputs", str(outputs),
                            "--jobs", "2"], cwd=PROJECT, env={**os.environ, "TMPDIR": str(temp)}, text=True,
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True,
                           preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))  # as in a terminal
    deadline = time.monotonic() + 120
    while not list(outputs.glob("2020/*/*.html")) and time.monotonic() < deadline:
        time.sleep(0.2)  # wait until pages are running (the first one finished), then interrupt mid-run
    import psutil

    workers = psutil.Process(run.pid).children(recursive=True)  # every worker, and anything they started
    assert len(workers) >= 2, workers
    os.killpg(run.pid, signal.SIGINT)
    stopped = time.monotonic()
    try:
        _, err = run.communicate(timeout=60)  # the bound of the fault suite; make bench reports the real time
    except subprocess.TimeoutExpired:
        os.killpg(run.pid, signal.SIGKILL)
        raise Hang("the run was still alive 60 s after Ctrl-C") from None
    print(f"\nCtrl-C to exit: {time.monotonic() - stopped:.1f} s")
    assert run.returncode == 130 and "Interrupted" in err and "Traceback" not in err, err
    time.sleep(1)
    left = subprocess.run(["ps", "-eo", "args"], capture_output=True, text=True).stdout
    assert str(temp) not in left and str(outputs) not in left  # no worker (nor anything it left in TMPDIR)
    alive = [p for p in workers if p.is_running() and p.status() != psutil.STATUS_ZOMBIE]
    assert not alive, f"still running after Ctrl-C: {alive}"  # each worker was killed, the last started too
    assert list(temp.iterdir()) == [] and not list(outputs.rglob("*.partial*"))


@fault(8, "an unreadable sources.yaml")
def test_an_unreadable_sources_file_is_one_problem_not_one_per_figure(data_copy):
    (data_copy / "sources.yaml").write_text("- id: [unclosed\n", encoding="utf-8")
    problems = _problems(data_copy)
    assert len(problems) == 1 and problems[0].file.name == "sources.yaml" and "cannot be read" in problems[0].message




# ---- 1. markup in text that reaches a page (fast: the functions that write the HTML) ----

def _shown(monkeypatch) -> list[str]:
    """The HTML the display functions send to the page, collected instead of shown."""
    from zhenhai_analysis.presentation import display

    shown: list[str] = []
    monkeypatch.setattr(display, "_html", shown.append)
    return shown


@fault(1, "markup in a table's cells, row labels and column names")
def test_markup_in_a_table_stays_text(monkeypatch):
    import pandas as pd

    from zhenhai_analysis.presentation.display import show

    shown = _shown(monkeypatch)
    show(pd.DataFrame({HOSTILE: [HOSTILE, 1.5]}, index=[HOSTILE, "b"]))
    assert_inert(shown[0], "table")
    assert "&lt;script&gt;" in shown[0]


@fault(1, "markup in a source's title and a paragraph of data")
def test_markup_in_a_source_title_and_a_description_stays_text(monkeypatch):
    import pandas as pd

    from zhenhai_analysis.presentation.display import page_header, text

    shown = _shown(monkeypatch)
    sources = pd.DataFrame({"url": ["https://example.invalid/a?b=\"c\""], "title_zh": [HOSTILE], "title_en": [HOSTILE],
                            "published": ["2021-01-01"]})
    page_header(HOSTILE, 2020, sources, "en")
    text(HOSTILE)
    for html in shown:
        assert_inert(html, "page header")


@fault(1, "a javascript: link as a source's URL")
def test_a_script_url_for_a_source_is_refused(data_copy):
    path = data_copy / "sources.yaml"
    text = path.read_text(encoding="utf-8")
    first_url = next(line for line in text.splitlines() if line.startswith("  url: "))
    path.write_text(text.replace(first_url, "  url: javascript:alert(1)", 1), encoding="utf-8")
    problems = _problems(data_copy)
    assert any(p.file.name == "sources.yaml" and p.field == "url" for p in problems), problems


# ---- 2. accept: crashes, retries, duplicates ----------------------------------------------

def _review_of_the_fictitious_report(tmp_path):
    """A copy of the data with the fictitious 2021 report proposed for review (in-process, no subprocess)."""
    from contextlib import redirect_stdout
    from io import StringIO

    from zhenhai_analysis import extract

    data, review = copy_2020_data(tmp_path / "data"), tmp_path / "review"
    fixture = PROJECT / "tests" / "data" / "zhenhai_2021_fictitious.txt"
    shutil.copyfile(fixture, data / "raw" / fixture.name)
    with redirect_stdout(StringIO()):
        assert extract.main([str(data / "raw" / fixture.name), "--source-id", "fx", "--data-dir", str(data),
                             "--review-dir", str(review), "--published", "2021-05-01",
                             "--url", "https://example.invalid/fx", "--place", "zhenhai"]) == 0
    return data, review / "fx"


@fault(2, "accept stopped while staging its files")
@pytest.mark.parametrize("stop", [OSError(28, "No space left on device"), KeyboardInterrupt()],
                         ids=["disk full", "Ctrl-C"])
def test_an_accept_stopped_while_staging_changes_nothing_and_a_retry_succeeds(tmp_path, monkeypatch, stop):
    import tempfile

    from zhenhai_analysis import extract

    data, folder = _review_of_the_fictitious_report(tmp_path)
    temp = tmp_path / "tmp"
    temp.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(temp))
    before = files(data)
    real_copy, calls = shutil.copyfile, []

    def stopped(source, target, *args, **kw):
        if ".accept-pending" in str(target):
            calls.append(target)
            if len(calls) == 3:
                raise stop
        return real_copy(source, target, *args, **kw)

    monkeypatch.setattr(extract.accepting.shutil, "copyfile", stopped)
    with pytest.raises(type(stop)):
        extract.accept(folder, data)
    monkeypatch.setattr(extract.accepting.shutil, "copyfile", real_copy)
    assert {k: v for k, v in files(data).items() if not k.startswith(".accept-pending")} == before
    assert list(temp.iterdir()) == []  # the staging copy is gone
    assert len(za.load_indicators(data)) > 0  # still loads: nothing was switched
    assert extract.accept(folder, data).problems == []
    assert not (data / ".accept-pending").exists() and (data / "figures" / "fx.csv").exists()


@fault(2, "accept killed while switching its files in")
def test_an_accept_killed_while_switching_is_completed_by_a_retry(tmp_path, monkeypatch):
    from zhenhai_analysis import extract

    data, folder = _review_of_the_fictitious_report(tmp_path)
    clean = tmp_path / "clean"
    shutil.copytree(data, clean)
    assert extract.accept(folder, clean).problems == []  # what a clean accept gives

    real_replace, calls = extract.accepting.os.replace, []

    def killed(source, target):
        calls.append(target)
        if len(calls) == 3:  # the journal is written (call 1), two files are in place
            raise KeyboardInterrupt
        return real_replace(source, target)

    monkeypatch.setattr(extract.accepting.os, "replace", killed)
    with pytest.raises(KeyboardInterrupt):
        extract.accept(folder, data)
    monkeypatch.undo()
    with pytest.raises(za.DataValidationError, match="was interrupted while it put its files in place"):
        za.load_indicators(data)
    result = extract.accept(folder, data)  # the retry finishes the switch
    assert result.problems == [] and result.changes == [
        "an earlier accept had been interrupted after its checks; it has been completed"]
    assert files(data) == files(clean)


@fault(2, "the same review accepted twice")
def test_accepting_the_same_review_twice_adds_nothing(tmp_path):
    from zhenhai_analysis import extract

    data, folder = _review_of_the_fictitious_report(tmp_path)
    assert extract.accept(folder, data).problems == []
    before = files(data)
    (problem,) = extract.accept(folder, data).problems
    assert_clear(problem, "sources.yaml", "'fx' is already there")
    assert_unchanged(before, data)


@fault(2, "duplicated exclusion rows")
def test_duplicated_exclusion_rows_are_named(data_copy):
    path = data_copy / "exclusions.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    path.write_text("\n".join(lines + [lines[1]]) + "\n", encoding="utf-8")
    problems = _problems(data_copy)
    assert any(p.file.name == "exclusions.csv" and p.line == len(lines) + 1 for p in problems), problems


@fault(2, "a curated file cut in the middle of a character")
def test_a_file_cut_mid_character_is_named_with_its_line(data_copy):
    path = data_copy / "links.csv"
    raw = path.read_bytes()
    cut = raw.index("口径".encode()) + 1  # inside the three bytes of 口
    path.write_bytes(raw[:cut])
    (problem,) = _problems(data_copy)
    assert problem.file.name == "links.csv" and problem.line == raw[:cut].count(b"\n") + 1
    assert "not valid UTF-8" in problem.message


# ---- 3. interrupts and dying runs -------------------------------------------------------

@fault(3, "a run killed (SIGKILL) mid-page, then run again")
@pytest.mark.slow
def test_a_killed_run_leaves_leftovers_that_the_next_run_removes_and_resumes(tmp_path):
    params = {"report_year": 2020, "languages": ["zh", "en"], "notebooks": ["00_data_overview", "01_briefing"]}
    outputs = tmp_path / "outputs"
    path = tmp_path / "params.yaml"
    path.write_text(__import__("json").dumps(params), encoding="utf-8")
    run = subprocess.Popen([sys.executable, "-m", "zhenhai_analysis.pipeline", str(path), "--outputs", str(outputs),
                            "--jobs", "1"], cwd=PROJECT, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                           start_new_session=True)
    deadline = time.monotonic() + 120
    while not list(outputs.glob("2020/*/*.partial.ipynb")) and time.monotonic() < deadline:
        time.sleep(0.1)
    os.killpg(run.pid, signal.SIGKILL)
    run.communicate(timeout=60)
    assert list(outputs.glob("2020/*/*.partial.ipynb")), "the kill came too late to test anything"
    again = run_pipeline(params, outputs)
    assert again.returncode == 0, again.stderr
    assert not list(outputs.rglob("*.partial*"))
    assert len(list(outputs.glob("2020/*/*.code.html"))) == 4
    assert (outputs / "index.html").exists()


@fault(3, "a run whose own process alone is killed (SIGKILL or SIGTERM to it, not to its group)")
@pytest.mark.slow
def test_the_workers_of_a_killed_run_end_with_it(tmp_path):
    """The run's process cannot stop its workers when it is killed: they notice and end (within a second)."""
    import psutil

    outputs, path = tmp_path / "outputs", tmp_path / "params.yaml"
    path.write_text('{"report_year": 2020, "languages": ["zh", "en"], "themes": "all", '
                    '"notebooks": ["00_data_overview", "01_briefing", "02_theme"]}', encoding="utf-8")
    run = subprocess.Popen([sys.executable, "-m", "zhenhai_analysis.pipeline", str(path), "--outputs", str(outputs),
                            "--jobs", "2"], cwd=PROJECT, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                           start_new_session=True)
    deadline = time.monotonic() + 120
    while not list(outputs.glob("2020/*/*.html")) and time.monotonic() < deadline:
        time.sleep(0.2)  # pages are running
    workers = psutil.Process(run.pid).children(recursive=True)
    assert len(workers) >= 2, workers
    run.kill()  # the run's process alone
    run.communicate(timeout=60)
    gone, alive = psutil.wait_procs(workers, timeout=20)  # a second each, and a loaded machine's slack
    if alive:
        for worker in alive:
            worker.kill()
        raise AssertionError(f"still running 20 s after their run was killed: {alive}")
    again = run_pipeline(json.loads(path.read_text(encoding="utf-8")), outputs)
    assert again.returncode == 0, again.stderr
    assert not list(outputs.rglob("*.partial*"))


# ---- 4. concurrent runs ---------------------------------------------------------------------

@fault(4, "a lock file left by a killed run")
def test_a_lock_file_left_by_a_killed_run_does_not_block(tmp_path):
    from zhenhai_analysis.pipeline.state import run_lock

    outputs = tmp_path / "outputs"
    (outputs / ".state").mkdir(parents=True)
    (outputs / ".state" / "run.lock").write_text("99999", encoding="utf-8")  # its process is gone: no flock held
    with run_lock(outputs):
        assert (outputs / ".state" / "run.lock").read_text(encoding="utf-8") == str(os.getpid())


@fault(4, "two real runs started together on one outputs folder")
@pytest.mark.slow
def test_two_runs_at_once_one_runs_the_other_stops(tmp_path):
    params = tmp_path / "params.yaml"
    params.write_text('{"report_year": 2020, "languages": ["en"], "notebooks": ["00_data_overview"]}', encoding="utf-8")
    outputs = tmp_path / "outputs"
    command = [sys.executable, "-m", "zhenhai_analysis.pipeline", str(params), "--outputs", str(outputs)]
    first = subprocess.Popen(command, cwd=PROJECT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 60
    while not (outputs / ".state" / "run.lock").exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    second = subprocess.run(command, cwd=PROJECT, capture_output=True, text=True, timeout=120)
    out, err = first.communicate(timeout=600)
    assert first.returncode == 0, err
    assert second.returncode == 1
    assert_clear(second.stderr, "another briefing run", str(outputs))
    assert not list(outputs.rglob("*.partial*"))


# ---- 5. the index ---------------------------------------------------------------------------

@fault(5, "the index deleted while every page is current")
def test_a_deleted_index_is_not_current(tmp_path):
    from zhenhai_analysis.pipeline.params import Briefing
    from zhenhai_analysis.pipeline.planning import plan
    from zhenhai_analysis.pipeline.site import index_is_current, save_year, write_index, year_entry

    data = copy_2020_data(tmp_path / "data")
    briefing = Briefing(report_year=2020, base_year=2019, languages=["en"], notebooks=["01_briefing"],
                        extra={"data_dir": str(data)})
    outputs = tmp_path / "outputs"
    save_year(outputs, year_entry(outputs, plan(briefing, outputs), briefing))
    write_index(outputs).unlink()
    assert not index_is_current(outputs)
    assert "01_briefing" in write_index(outputs).read_text(encoding="utf-8")


# ---- 6. empty and header-only tables ----------------------------------------------------

@fault(6, "an empty (zero-byte) table")
@pytest.mark.parametrize("name", ["figures/zhenhai_2020_summary.csv", "catalogue.csv", "labels.csv"])
def test_a_zero_byte_table_is_named(data_copy, name):
    (data_copy / name).write_bytes(b"")
    problems = _problems(data_copy)
    assert any(p.file.name == name.split("/")[-1] and "empty" in p.message for p in problems), problems


@fault(6, "an empty sources.yaml")
def test_an_empty_sources_file_is_named(data_copy):
    (data_copy / "sources.yaml").write_text("", encoding="utf-8")
    problems = _problems(data_copy)
    assert any(p.file.name == "sources.yaml" for p in problems), problems


# ---- 7. malformed review files ----------------------------------------------------------

def _refused(folder, data, *names: str) -> list[str]:
    """Accepting `folder` is refused with clear problems, and data/ keeps every byte."""
    from zhenhai_analysis import extract

    before = files(data)
    problems = extract.accept(folder, data).problems
    assert problems
    assert_unchanged(before, data)
    for problem in problems:
        assert_clear(problem, *names)
    return problems


def _edit(path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@fault(7, "a review figures.csv with an unbalanced quote")
def test_a_review_with_an_unbalanced_quote(tmp_path):
    data, folder = _review_of_the_fictitious_report(tmp_path)
    _edit(folder / "figures.csv", ",地区生产总值增长3.5%,", ',"地区生产总值增长3.5%,')
    (problem,) = _refused(folder, data, "figures.csv")
    assert "line 2" in problem or "line 3" in problem or "CSV" in problem or "fields" in problem, problem


@fault(7, "a review figures.csv without its keep column")
def test_a_review_without_its_keep_column(tmp_path):
    data, folder = _review_of_the_fictitious_report(tmp_path)
    lines = (folder / "figures.csv").read_text(encoding="utf-8").splitlines()
    (folder / "figures.csv").write_text("\n".join(line.split(",", 1)[1] for line in lines) + "\n", encoding="utf-8")
    (problem,) = _refused(folder, data, "figures.csv", "line 1", "missing column(s): keep")


@fault(7, "an empty review figures.csv")
def test_an_empty_review(tmp_path):
    data, folder = _review_of_the_fictitious_report(tmp_path)
    (folder / "figures.csv").write_bytes(b"")
    (problem,) = _refused(folder, data, "figures.csv", "the file is empty")


@fault(7, "a review figures.csv saved as GBK")
def test_a_review_saved_as_gbk(tmp_path):
    data, folder = _review_of_the_fictitious_report(tmp_path)
    path = folder / "figures.csv"
    path.write_bytes(path.read_text(encoding="utf-8").encode("gb18030"))
    (problem,) = _refused(folder, data, "figures.csv", "not valid UTF-8", "GBK")


@fault(7, "a malformed review source.yaml")
@pytest.mark.parametrize("text, words", [("id: fx\nsections: [unclosed\n", "not well-formed YAML"),
                                         ("- just\n- a list\n", "must be a mapping")], ids=["broken", "a list"])
def test_a_malformed_source_yaml(tmp_path, text, words):
    data, folder = _review_of_the_fictitious_report(tmp_path)
    (folder / "source.yaml").write_text(text, encoding="utf-8")
    (problem,) = _refused(folder, data, "source.yaml", words)


@fault(7, "a review exclusions.csv with a missing comma")
def test_a_review_exclusions_file_with_a_short_row(tmp_path):
    data, folder = _review_of_the_fictitious_report(tmp_path)
    _edit(folder / "exclusions.csv", "fx,2020,一、2020年政府工作回顾,", "fx,2020 一、2020年政府工作回顾,")
    (problem,) = _refused(folder, data, "exclusions.csv", "line 2", "fields")


@fault(7, "a review folder with a file missing")
def test_a_review_folder_missing_a_file(tmp_path):
    data, folder = _review_of_the_fictitious_report(tmp_path)
    (folder / "links.csv").unlink()
    (problem,) = _refused(folder, data, "links.csv")


@fault(7, "one bad unit in a review")
def test_one_bad_unit_is_one_problem_on_the_analysts_own_line(tmp_path):
    data, folder = _review_of_the_fictitious_report(tmp_path)
    path = folder / "figures.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    lines.insert(2, "no" + lines[2][len("yes"):])  # a row the analyst dropped still counts in the file's lines
    bad = lines[4]
    assert ",亿元," in bad, bad
    lines[4] = bad.replace(",亿元,", ",亿园,", 1)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    (problem,) = _refused(folder, data, "figures.csv", "line 5", "unit")


# ---- 8. every problem at once --------------------------------------------------------------

@fault(8, "three bad rows in one figures file")
def test_three_bad_rows_are_three_problems(data_copy):
    path = data_copy / "figures" / "zhenhai_2020_summary.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    for number in (2, 5, 9):
        cells = lines[number - 1].split(",")
        cells[2] = "2o19"  # year: a letter o for a zero
        lines[number - 1] = ",".join(cells)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    problems = [p for p in _problems(data_copy) if p.field == "year"]
    assert sorted(p.line for p in problems) == [2, 5, 9], problems


# ---- 10. smaller ------------------------------------------------------------------------------

@fault(10, "a table saved by Excel (BOM and CRLF)")
def test_a_table_saved_by_excel_loads_the_same(data_copy):
    path = data_copy / "figures" / "zhenhai_2020_summary.csv"
    text = path.read_text(encoding="utf-8")
    path.write_bytes(b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode("utf-8"))
    assert za.load_indicators(data_copy).equals(za.load_indicators())


@fault(10, "progress lines of a parallel run")
@pytest.mark.slow
def test_a_parallel_run_reports_each_page_as_it_ends(tmp_path):
    params = tmp_path / "params.yaml"
    params.write_text('{"report_year": 2020, "languages": ["zh", "en"], "notebooks": ["00_data_overview", "01_briefing"]}',
                      encoding="utf-8")
    run = subprocess.Popen([sys.executable, "-u", "-m", "zhenhai_analysis.pipeline", str(params), "--outputs",
                            str(tmp_path / "outputs"), "--jobs", "2"], cwd=PROJECT, stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, text=True)
    arrivals = []
    for line in run.stdout:
        if line.startswith("["):
            arrivals.append(time.monotonic())
    run.wait(timeout=600)
    ended = time.monotonic()
    assert run.returncode == 0, run.stderr.read()
    assert len(arrivals) == 4 and ended - arrivals[0] > 1.0, (arrivals, ended)  # the first came while others ran


@fault(3, "a data error raised in a worker process of a parallel run")
def test_errors_that_list_problems_survive_the_trip_from_a_worker():
    import pickle
    from pathlib import Path

    from zhenhai_analysis.foundations.exceptions import DataValidationError, ParameterError, Problem

    for cls in (DataValidationError, ParameterError):
        error = cls([Problem(Path("data/labels.csv"), 3, "en", "a problem")])
        again = pickle.loads(pickle.dumps(error))
        assert type(again) is cls and again.problems == error.problems and str(again) == str(error)


@fault(1, "formulas and Chinese in a table downloaded as CSV")
def test_a_downloaded_table_keeps_its_rows_and_chinese_and_runs_no_formula(monkeypatch):
    import base64
    import csv
    import io
    import re

    import pandas as pd

    from zhenhai_analysis.presentation.display import show

    shown = _shown(monkeypatch)
    table = pd.DataFrame({"指标": ["=HYPERLINK(\"http://x\")", "+1+1", "-2.5", "@SUM(A1)", "引进市外内资"],
                          "value": [1.5, -3, 0, 2, 7]})
    show(table, index=False, name="figures")
    (data,) = re.findall(r'href="data:text/csv;charset=utf-8;base64,([^"]+)"', shown[0])
    raw = base64.b64decode(data)
    assert raw.startswith(b"\xef\xbb\xbf")  # Excel reads UTF-8 only with its BOM
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows[0] == ["指标", "value"] and len(rows) == len(table) + 1 == shown[0].count("<tr>")
    assert [r[0] for r in rows[1:]] == ["'=HYPERLINK(\"http://x\")", "'+1+1", "-2.5", "'@SUM(A1)", "引进市外内资"]
    assert [r[1] for r in rows[1:]] == ["1.5", "-3", "0", "2", "7"]  # numbers stay numbers
