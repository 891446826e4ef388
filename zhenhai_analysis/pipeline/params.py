"""The briefing's parameter file (params/briefing_<year>.yaml), read and checked.

Every problem of the file is reported at once, as a ParameterError naming the file and
the key; nothing runs until the parameters are right. Standard library and YAML only.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml

from ..foundations.exceptions import ParameterError, Problem
from ..foundations.paths import NOTEBOOKS, PROJECT
from ..foundations.vocab import LANGS

# Keys of a parameter file. Any other key is handed to the notebooks that declare it
# (data_dir, or a test notebook's own parameter); the planner rejects a key that no
# notebook declares, so a misspelt key is an error, not a silent default.
REQUIRED = ("report_year", "languages", "notebooks")
OPTIONAL = ("base_year", "themes", "indicators", "notebooks_dir", "lang")


@dataclass
class Briefing:
    """A parameter file: which report, which languages, themes and notebooks."""

    report_year: int
    base_year: int
    languages: list[str]
    notebooks: list[str]
    themes: list[str] | str = "all"
    indicators: list[str] | str = "auto"  # auto: those with a comparable baseline or a series
    notebooks_dir: Path = NOTEBOOKS
    extra: dict = field(default_factory=dict)  # passed to notebooks that declare them (e.g. data_dir)

    @property
    def data_dir(self) -> str | None:
        return self.extra.get("data_dir")

    @classmethod
    def from_file(cls, path: Path) -> "Briefing":
        """Read and check a parameter file; raise ParameterError listing every problem."""
        def fail(message: str, key: str | None = None) -> ParameterError:
            return ParameterError([Problem(path, None, key, message)])

        try:
            raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        except FileNotFoundError:
            raise fail(f"does not exist. For a new report year, copy params/briefing_2020.yaml to {path.name} "
                       "and change report_year and base_year.") from None
        except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
            raise fail(f"cannot be read: {exc}") from None
        if not isinstance(raw, dict):
            raise fail("must be a YAML mapping of parameter names to values")

        problems = []

        def problem(key: str, message: str) -> None:
            problems.append(Problem(path, None, key, message))

        for key in REQUIRED:
            if key not in raw:
                problem(key, "is missing")
        years = {}
        for key in ("report_year", "base_year"):
            if key in raw:
                value = raw[key]
                if isinstance(value, bool) or not isinstance(value, int) or not 1990 <= value <= 2100:
                    problem(key, f"must be a year written as a whole number (e.g. 2020), got {value!r}")
                else:
                    years[key] = value
        if "report_year" in years:
            years.setdefault("base_year", years["report_year"] - 1)
            if "base_year" in raw and years["base_year"] >= years["report_year"]:
                problem("base_year", f"must be before report_year ({years['report_year']}), got {years['base_year']}")
        for key, valid in (("languages", LANGS), ("notebooks", None)):
            value = raw.get(key)
            if key in raw and (not isinstance(value, list) or not value or not all(isinstance(v, str) for v in value)):
                problem(key, f"must be a non-empty list, got {value!r}")
            elif valid and value:
                unknown = [v for v in value if v not in valid]
                if unknown:
                    problem(key, f"unknown value(s) {', '.join(map(str, unknown))}; valid values: {', '.join(valid)}")
        for key, word in (("themes", "all"), ("indicators", "auto")):
            value = raw.get(key, word)
            if value != word and (not isinstance(value, list) or not all(isinstance(v, str) for v in value)):
                problem(key, f"must be {word!r} or a list of ids, got {value!r}")
        if "horizon" in raw:  # a notebook parameter, checked here too: before any page runs
            try:
                check_horizon(raw["horizon"])
            except ValueError as exc:
                problem("horizon", str(exc))
        if problems:
            raise ParameterError(problems)
        return cls(
            report_year=years["report_year"],
            base_year=years["base_year"],
            languages=list(raw["languages"]),
            notebooks=list(raw["notebooks"]),
            themes=raw.get("themes", "all"),
            indicators=raw.get("indicators", "auto"),
            notebooks_dir=PROJECT / raw.get("notebooks_dir", "notebooks"),
            extra={k: v for k, v in raw.items() if k not in (*REQUIRED, *OPTIONAL)},
        )


HORIZON_YEARS = (1, 10)  # a forecast horizon, in years past the last actual


def check_horizon(horizon) -> int:
    """The forecast horizon parameter of a notebook: a whole number of years from 1 to 10."""
    low, high = HORIZON_YEARS
    if isinstance(horizon, bool) or not isinstance(horizon, int) or not low <= horizon <= high:
        raise ValueError(f"horizon must be a whole number of years from {low} to {high}, got {horizon!r}")
    return horizon


def check_choice(name: str, value, valid) -> None:
    """Raise a ValueError naming the parameter and listing its valid values (used in notebooks)."""
    valid = list(valid)
    if value not in valid:
        raise ValueError(f"unknown {name} {value!r}; valid values: {', '.join(map(str, valid))}")
