"""The schemas are the one statement of each table's columns; data/README.md agrees with them."""

import re

import pytest

from zhenhai_analysis.validation.schemas import TABLES, columns
from zhenhai_analysis.foundations.vocab import COMPARATOR_CODES

from .conftest import DATA


def _readme_columns() -> dict[str, list[str]]:
    rows = {}
    for line in (DATA / "README.md").read_text(encoding="utf-8").splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) == 3 and cells[0].startswith("`") and cells[0].endswith(".csv`"):
            rows[cells[0].strip("`")] = re.findall(r"`([a-z_0-9]+)`", cells[2])
    return rows


def test_data_readme_lists_the_columns_of_every_schema():
    documented = _readme_columns()
    assert set(documented) == set(TABLES)
    for table in TABLES:
        assert documented[table] == columns(table), table


@pytest.mark.parametrize("table", list(TABLES))
def test_every_data_file_has_exactly_its_schema_columns(table):
    files = sorted(DATA.glob("figures/*.csv")) if table.startswith("figures/") else [DATA / table]
    for path in files:
        header = path.read_text(encoding="utf-8-sig").splitlines()[0].split(",")
        assert header == columns(table), path


def test_the_figures_schema_takes_its_comparators_from_the_vocabulary():
    from zhenhai_analysis.validation.schemas import figures_schema

    check = figures_schema().columns["comparator"].checks[0]
    assert check.name == "isin" and tuple(check.statistics["allowed_values"]) == COMPARATOR_CODES
