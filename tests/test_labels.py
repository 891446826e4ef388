"""data/labels.csv: every reader-visible word in both languages, checked on load."""

import pandas as pd
import pytest

import zhenhai_analysis as za
from zhenhai_analysis.foundations.labels import _table, check_lang, label, labels, localized


def test_every_label_has_both_languages_and_the_same_placeholders():
    entries = labels()
    assert len(entries) > 100
    assert all(words["zh"] and words["en"] for words in entries.values())
    assert label("page.briefing", "zh", year=2020) == "2020年目标简报"
    assert label("page.briefing", "en", year=2020) == "Briefing: the 2020 targets"


def test_unknown_language_and_key_are_named():
    with pytest.raises(ValueError, match="unknown lang 'fr'; valid values: zh, en"):
        check_lang("fr")
    with pytest.raises(KeyError, match="no label 'nope'"):
        label("nope", "zh")


def test_a_broken_labels_file_names_line_and_field(tmp_path):
    path = tmp_path / "labels.csv"
    path.write_text("key,zh,en\nyear,年份,Year\nyear,年度,Year\ngreeting,你好{name},Hello {nom}\nempty,,Empty\n", encoding="utf-8")
    with pytest.raises(za.DataValidationError) as info:
        _table(path)
    found = {(p.line, p.field) for p in info.value.problems}
    assert found == {(2, "key"), (3, "key"), (5, "zh")}  # placeholders are checked once the schema passes
    _table.cache_clear()
    path.write_text("key,zh,en\ngreeting,你好{name},Hello {nom}\n", encoding="utf-8")
    with pytest.raises(za.DataValidationError, match=r"line 2, field 'en': names placeholders \['nom'\]"):
        _table(path)


def test_localized_picks_the_column_of_the_language():
    frame = pd.DataFrame({"name_zh": ["宏观经济"], "name_en": ["Macroeconomy"]})
    assert localized(frame, "name", "zh").tolist() == ["宏观经济"]
    assert localized(frame, "name", "en").tolist() == ["Macroeconomy"]


def test_chinese_text_exists_for_every_theme_definition_and_reason():
    themes, catalogue = za.load_themes(), za.load_catalogue()
    assert themes["description_zh"].str.len().gt(3).all()
    defined = catalogue["definition_en"].notna()
    assert catalogue.loc[defined, "definition_zh"].notna().all()
    assert za.load_exclusions()["reason_zh"].str.len().gt(1).all()
    assert za.load_links()["reason_zh"].str.len().gt(1).all()


def test_counted_picks_the_variant_that_fits_the_count():
    from zhenhai_analysis.foundations.labels import counted

    said = {(count, total): counted("conclusion.below_point", "en", count, total, year=2019)
            for count, total in [(0, 1), (1, 1), (0, 5), (5, 5), (1, 5), (3, 5)]}
    assert said == {(0, 1): "; the one point target among them does not ask for less than 2019 achieved",
                    (1, 1): "; the one point target among them asks for less than 2019 achieved",
                    (0, 5): "; of the 5 point targets among them, none asks for less than 2019 achieved (beyond the "
                            "rounding of the printed figure)",
                    (5, 5): "; all 5 point targets among them ask for less than 2019 achieved",
                    (1, 5): "; of the 5 point targets among them, one asks for less than 2019 achieved (beyond the "
                            "rounding of the printed figure)",
                    (3, 5): "; of the 5 point targets among them, 3 ask for less than 2019 achieved (beyond the "
                            "rounding of the printed figure)"}
    assert counted("conclusion.trend_labels", "zh", 2, 3, before=2019, parts="…").startswith("与截至")  # the key itself
