"""What a page's download links save: data, not the page's formatted text.

Every table a page shows as words ("5.51 billion yuan", "✔ met") is saved as numbers in
plain columns: the value as printed, its unit, the unit's multiplier to its base unit
(亿元: 100000000 yuan), codes for kinds, statuses and coverage, and the names in the page's
language. Column names are stable codes, the same in both languages; the bundle's README
(`readme`) defines each in both. Files are the same bytes for the same inputs
(`fixed_zip`: no time of writing inside an Excel file or a bundle).
"""

from __future__ import annotations

import datetime
import io
import zipfile

import pandas as pd

from ..foundations.labels import label, localized
from ..foundations.units import UNITS

FIXED_TIME = (1980, 1, 1, 0, 0, 0)  # the earliest a zip entry can carry: no run's own time


def _unit_columns(frame: pd.DataFrame, unit: pd.Series) -> pd.DataFrame:
    """unit, multiplier (value x multiplier = value in base_unit) and base_unit of each row."""
    return frame.assign(unit=unit.to_numpy(), multiplier=unit.map(lambda u: UNITS[u].factor).to_numpy(),
                        base_unit=unit.map(lambda u: UNITS[u].base).to_numpy())


def _names(frame: pd.DataFrame, lang: str | None) -> dict:
    """The names of the rows: `indicator` in the page's language, or name_zh and name_en (lang None: the bundle)."""
    if lang is None:
        return {"name_zh": frame["name_zh"].to_numpy(), "name_en": frame["name_en"].to_numpy()}
    return {"indicator": localized(frame, "name", lang).to_numpy()}


def targets_data(rows: pd.DataFrame, lang: str | None) -> pd.DataFrame:
    """The briefing model's rows as data: one row per target with its baseline, outcome, verdict and trend;
    the verdict also in words of the page's language (none for the bundle: lang None)."""
    out = pd.DataFrame({
        "indicator_id": rows["indicator_id"].to_numpy(), **_names(rows, lang),
        "theme": rows["theme"].to_numpy(), "year": rows["report_year"].to_numpy(),
        "target_type": rows["target_type"].astype(str).to_numpy(), "nature": rows["nature"].to_numpy(),
        "comparator": rows["comparator"].to_numpy(), "target_value": rows["target_value"].to_numpy(),
        "target_high": rows["target_high"].to_numpy(),
    })
    out = _unit_columns(out, rows["unit"])
    return out.assign(
        base_indicator_id=rows["base_indicator_id"].to_numpy(), base_comparable=rows["comparable"].to_numpy(),
        base_value=rows["base_value"].to_numpy(), base_unit_printed=rows["base_unit"].to_numpy(),
        actual_value=rows["actual_value"].to_numpy(), actual_unit=rows["actual_unit"].to_numpy(),
        actual_coverage=rows["actual_coverage"].to_numpy(), actual_derived=rows["actual_derived"].to_numpy(),
        verdict=rows["verdict"].astype(str).to_numpy(),
        **({} if lang is None else {"verdict_words": [label(str(v), lang) for v in rows["verdict"]]}),
        reason=rows["reason"].astype(str).to_numpy(),
        margin=rows["margin"].to_numpy(), band_low=rows["band_low"].to_numpy(), band_high=rows["band_high"].to_numpy(),
        trend_point=rows["trend_point"].to_numpy(), trend_lower=rows["trend_lower"].to_numpy(),
        trend_upper=rows["trend_upper"].to_numpy(), trend_points=rows["points"].to_numpy(),
        p_hold=rows["p_hold"].to_numpy(), trend_label=rows["position"].astype(str).to_numpy(),
        target_quote=rows["target_quote"].to_numpy(), actual_quote=rows["actual_quote"].to_numpy(),
    )


def figures_data(obs: pd.DataFrame, lang: str | None, derived: pd.DataFrame | None = None) -> pd.DataFrame:
    """Figures (load_indicators rows) as data: value as a number, its unit and multiplier, coverage, quote,
    source; with `derived` (the levels a chart draws from growth), those too: status 'derived', the
    formula in place of a quote."""
    out = pd.DataFrame({
        "indicator_id": obs["indicator_id"].to_numpy(), **_names(obs, lang),
        "theme": obs["theme"].to_numpy(), "year": obs["year"].to_numpy(), "kind": obs["kind"].to_numpy(),
        "coverage": obs["coverage"].to_numpy(), "period_start": obs["period_start"].to_numpy(),
        "period_end": obs["period_end"].to_numpy(), "status": obs["status"].to_numpy(),
        "comparator": obs["comparator"].to_numpy(), "value": obs["value"].to_numpy(),
        "value_high": obs["value_high"].to_numpy(),
    })
    out = _unit_columns(out, obs["unit"]).assign(quote=obs["quote"].to_numpy(), source=obs["source"].to_numpy())
    if derived is None or derived.empty:
        return out
    extra = pd.DataFrame({"indicator_id": derived["indicator_id"].to_numpy(), **_names(derived, lang),
                          "theme": derived["theme"].to_numpy(), "year": derived["year"].to_numpy(), "kind": "actual",
                          "coverage": "full_year", "status": "derived", "comparator": "=",
                          "value": derived["value"].to_numpy(), "quote": derived["formula"].to_numpy()})
    extra = _unit_columns(extra, derived["unit"])
    return pd.concat([out, extra], ignore_index=True).sort_values("year", kind="stable")[out.columns]


def forecast_data(forecast: pd.DataFrame, unit: str) -> pd.DataFrame:
    """A forecast (forecasting.forecast) as data: point, interval and its level, chance of meeting a target."""
    columns = ["indicator_id", "year", "method", "scale", "n_obs", "n_derived", "point", "lower", "upper", "level",
               "scenario", "target_value", "comparator", "p_meet", "reason"]
    return _unit_columns(forecast[columns].reset_index(drop=True), pd.Series(unit, index=range(len(forecast))))


def sources_data(sources: pd.DataFrame) -> pd.DataFrame:
    """The source documents (load_sources): id, titles, URL, publication date, checksum, file."""
    return sources[["source", "title_zh", "title_en", "url", "published", "report_year", "sha256", "file"]].reset_index(
        drop=True)


FORMULA_START = ("=", "+", "-", "@")


def _neutral(value) -> str:
    """A cell for a spreadsheet: text that would start a formula gets a leading apostrophe, numbers stay."""
    if isinstance(value, float):
        return "" if pd.isna(value) else f"{value:.15g}"
    text = "" if value is None else str(value)
    if text.startswith(FORMULA_START):
        try:
            float(text)
        except ValueError:
            return "'" + text
    return text


def table_csv(table: pd.DataFrame) -> bytes:
    """The table as CSV that Excel opens with its Chinese intact (UTF-8 with BOM), formulas neutralised."""
    frame = table.map(_neutral)
    frame.columns = [_neutral(c) for c in frame.columns]
    return frame.to_csv(index=False, lineterminator="\r\n").encode("utf-8-sig")


XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FIXED_WORKBOOK_TIME = datetime.datetime(2000, 1, 1)  # a workbook's created/modified: not the time of the run


def table_xlsx(table: pd.DataFrame) -> bytes:
    """The table as an Excel workbook of one sheet: the same cells as the CSV, numbers as numbers."""
    import io

    import numbers

    import zipfile

    from openpyxl import Workbook
    from openpyxl.writer.excel import ExcelWriter

    book = Workbook()
    book.properties.created = book.properties.modified = FIXED_WORKBOOK_TIME  # same inputs, same bytes
    sheet = book.active
    sheet.append([_neutral(c) for c in table.columns])
    for row in table.itertuples(index=False):
        sheet.append([v if isinstance(v, numbers.Real) and not isinstance(v, bool) and not pd.isna(v) else _neutral(v)
                      for v in row])
    buffer = io.BytesIO()
    # openpyxl's save() stamps the time as 'modified': its writer alone keeps the properties set above.
    ExcelWriter(book, zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED)).save()
    return fixed_zip(buffer.getvalue())


def fixed_zip(data: bytes) -> bytes:
    """A zip (an .xlsx is one) rewritten with every entry dated FIXED_TIME, in the same order."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=FIXED_TIME)
            entry.compress_type, entry.external_attr = zipfile.ZIP_DEFLATED, info.external_attr
            target.writestr(entry, source.read(info.filename))
    return out.getvalue()


BUNDLE_NAME = "zhenhai_{year}_data.zip"  # beside the year's pages: outputs/<year>/


def readme(columns: dict[str, list[str]], report_year: int, data_as_of: str) -> str:
    """The bundle's README.md, in both languages: what each file holds, each column, how to cite."""
    from ..foundations.vocab import LANGS

    parts = []
    for lang in LANGS:
        parts += [f"# {label('bundle.title', lang, year=report_year)}", "", label("bundle.intro", lang, year=report_year), ""]
        for name, cols in columns.items():
            parts += [f"## {name}", "", label(f"bundle.file.{name.split('.')[0].rstrip('_0123456789')}", lang), ""]
            parts += [f"- `{c}`: {label(f'column.{c}', lang)}" for c in cols] + [""]
        parts += [f"## {label('bundle.h.cite', lang)}", "",
                  label("bundle.cite", lang, year=report_year, as_of=data_as_of), ""]
    return "\n".join(parts)


def bundle(data_dir, report_year: int, base_year: int) -> bytes:
    """Everything behind a year's briefing in one zip, the same bytes for the same data: the tidy figures,
    the verdict of each target, the sources (with URLs, dates and checksums, and sources.yaml as curated)
    and a README defining every column in both languages."""
    from ..analysis.briefing import briefing_model
    from ..validation.load import load_indicators, load_sources
    from ..foundations.paths import data_dir as resolve

    obs, sources = load_indicators(data_dir), load_sources(data_dir)
    tables = {"figures.csv": figures_data(obs, None),
              f"targets_{report_year}.csv": targets_data(briefing_model(data_dir, report_year, base_year).rows, None),
              "sources.csv": sources_data(sources)}
    files = {name: table_csv(frame) for name, frame in tables.items()}
    files["sources.yaml"] = (resolve(data_dir) / "sources.yaml").read_bytes()
    as_of = max(str(p) for p in sources["published"]) if len(sources) else ""
    files["README.md"] = readme({n: list(t.columns) for n, t in tables.items()}, report_year, as_of).encode("utf-8")
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in ("README.md", *tables, "sources.yaml"):
            archive.writestr(zipfile.ZipInfo(name, date_time=FIXED_TIME), files[name], zipfile.ZIP_DEFLATED)
    return out.getvalue()
