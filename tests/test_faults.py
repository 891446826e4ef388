"""Faults as a careless colleague would cause them: each gives a clear error naming file,
line and field, every problem at once, and never a traceback or a silent drop."""

import warnings

import pytest

import zhenhai_analysis as za

from .conftest import run_pipeline


def _problems(data) -> list:
    with pytest.raises(za.DataValidationError) as info:
        za.load_indicators(data)
    return info.value.problems


def _header_only(data, name: str) -> None:
    path = data / name
    path.write_text(path.read_text(encoding="utf-8").splitlines()[0] + "\n", encoding="utf-8")


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


@pytest.mark.parametrize("name", ["links.csv", "exclusions.csv"])
def test_an_empty_links_or_exclusions_table_is_legitimate(data_copy, name):
    _header_only(data_copy, name)
    if name == "links.csv":  # a target with last year's actual still needs its verdict
        assert all("no link row" in p.message for p in _problems(data_copy))
    else:
        assert len(za.load_indicators(data_copy)) == len(za.load_indicators())


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


def test_spaces_around_a_value_are_named(data_copy):
    figures = data_copy / "figures" / "zhenhai_2020_summary.csv"
    figures.write_text(figures.read_text(encoding="utf-8").replace(",2019,actual,2507,", ",2019 ,actual,2507,", 1),
                       encoding="utf-8")
    problems = _problems(data_copy)
    assert any(p.line == 2 and p.field == "year" and "'2019 ' has spaces before or after it" in p.message for p in problems)


def test_an_excel_lock_file_is_ignored_with_a_note(data_copy):
    (data_copy / "figures" / "~$zhenhai_2020_summary.csv").write_bytes(b"\x00\x07lock")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        assert len(za.load_indicators(data_copy)) == len(za.load_indicators())
    assert any("lock file that Excel leaves" in str(w.message) for w in caught)


HOSTILE = "<script>alert(1)</script><img src=x onerror=alert(2)>"


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
        html = page.read_text(encoding="utf-8")
        assert "<script>alert" not in html and "<img src=x" not in html, page
    assert "&lt;script&gt;alert(1)" in (outputs / "2020" / "en" / "00_data_overview.html").read_text(encoding="utf-8")


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


@pytest.mark.slow
def test_ctrl_c_stops_a_parallel_run_and_leaves_no_process_or_temporary_file(tmp_path):
    """Ctrl-C sends SIGINT to the whole foreground group: the run ends, kernels and workers with it."""
    import os
    import signal
    import subprocess
    import sys
    import time

    from .conftest import PROJECT

    temp, outputs = tmp_path / "tmp", tmp_path / "outputs"
    temp.mkdir()
    params = tmp_path / "params.yaml"
    params.write_text('{"report_year": 2020, "languages": ["zh", "en"], "themes": "all", '
                      '"notebooks": ["00_data_overview", "01_briefing", "02_theme"]}', encoding="utf-8")
    run = subprocess.Popen([sys.executable, "-m", "zhenhai_analysis.pipeline", str(params), "--outputs", str(outputs),
                            "--jobs", "2"], cwd=PROJECT, env={**os.environ, "TMPDIR": str(temp)}, text=True,
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True)
    deadline = time.monotonic() + 120
    while not list(outputs.glob("2020/*/*.html")) and time.monotonic() < deadline:
        time.sleep(0.2)  # wait until pages are running (the first one finished), then interrupt mid-run
    os.killpg(run.pid, signal.SIGINT)
    stopped = time.monotonic()
    _, err = run.communicate(timeout=60)  # the bound of the fault suite; make bench reports the real time
    print(f"\nCtrl-C to exit: {time.monotonic() - stopped:.1f} s")
    assert run.returncode == 130 and "Interrupted" in err and "Traceback" not in err, err
    time.sleep(1)
    left = subprocess.run(["ps", "-eo", "args"], capture_output=True, text=True).stdout
    assert str(temp) not in left and str(outputs) not in left  # no kernel (its files are in TMPDIR), no worker
    assert list(temp.iterdir()) == [] and not list(outputs.rglob("*.partial*"))


def test_an_unreadable_sources_file_is_one_problem_not_one_per_figure(data_copy):
    (data_copy / "sources.yaml").write_text("- id: [unclosed\n", encoding="utf-8")
    problems = _problems(data_copy)
    assert len(problems) == 1 and problems[0].file.name == "sources.yaml" and "cannot be read" in problems[0].message


def _review_of_the_fictitious_report(tmp_path):
    import shutil
    import subprocess
    import sys

    from .conftest import PROJECT, copy_2020_data

    data, review = copy_2020_data(tmp_path / "data"), tmp_path / "review"
    fixture = PROJECT / "tests" / "data" / "zhenhai_2021_fictitious.txt"
    shutil.copyfile(fixture, data / "raw" / fixture.name)
    result = subprocess.run([sys.executable, "-m", "zhenhai_analysis.extract", str(data / "raw" / fixture.name),
                             "--source-id", "fx", "--data-dir", str(data), "--review-dir", str(review),
                             "--published", "2021-05-01", "--url", "https://example.invalid/fx"],
                            capture_output=True, text=True, cwd=PROJECT)
    assert result.returncode == 0, result.stderr
    return data, review / "fx"


def _files(folder):
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


@pytest.mark.slow  # runs the command line in a subprocess
def test_an_accept_stopped_while_staging_changes_nothing_and_a_retry_succeeds(tmp_path, monkeypatch):
    import shutil

    from zhenhai_analysis import extract

    data, folder = _review_of_the_fictitious_report(tmp_path)
    before = _files(data)
    real_copy, calls = shutil.copyfile, []

    def disk_full(source, target, *args, **kw):
        if ".accept-pending" in str(target):
            calls.append(target)
            if len(calls) == 3:
                raise OSError(28, "No space left on device")
        return real_copy(source, target, *args, **kw)

    monkeypatch.setattr(extract.shutil, "copyfile", disk_full)
    with pytest.raises(OSError):
        extract.accept(folder, data)
    monkeypatch.undo()
    assert {k: v for k, v in _files(data).items() if not k.startswith(".accept-pending")} == before
    assert len(za.load_indicators(data)) == len(za.load_indicators(data))  # still loads: nothing was switched
    assert extract.accept(folder, data).problems == []
    assert not (data / ".accept-pending").exists() and (data / "figures" / "fx.csv").exists()


@pytest.mark.slow  # runs the command line in a subprocess
def test_an_accept_killed_while_switching_is_completed_by_a_retry(tmp_path, monkeypatch):
    from zhenhai_analysis import extract

    data, folder = _review_of_the_fictitious_report(tmp_path)
    clean = tmp_path / "clean"
    import shutil
    shutil.copytree(data, clean)
    assert extract.accept(folder, clean).problems == []  # what a clean accept gives

    real_replace, calls = extract.os.replace, []

    def killed(source, target):
        calls.append(target)
        if len(calls) == 3:  # the journal is written (call 1), two files are in place
            raise KeyboardInterrupt
        return real_replace(source, target)

    monkeypatch.setattr(extract.os, "replace", killed)
    with pytest.raises(KeyboardInterrupt):
        extract.accept(folder, data)
    monkeypatch.undo()
    with pytest.raises(za.DataValidationError, match="was interrupted while it put its files in place"):
        za.load_indicators(data)
    result = extract.accept(folder, data)  # the retry finishes the switch
    assert result.problems == [] and result.changes == [
        "an earlier accept had been interrupted after its checks; it has been completed"]
    assert _files(data) == _files(clean)
