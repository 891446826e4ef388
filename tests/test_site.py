"""The index page, rendered from its Jinja template with the data escaped (no kernel)."""

from zhenhai_analysis.params import Briefing
from zhenhai_analysis.planning import plan
from zhenhai_analysis.site import write_index

from .conftest import copy_2020_data


def test_index_lists_every_planned_page_by_theme_and_escapes_data(tmp_path):
    data = copy_2020_data(tmp_path / "data")
    themes = data / "themes.csv"
    themes.write_text(themes.read_text(encoding="utf-8").replace("Macroeconomy", "Macro<script>alert(1)</script>"),
                      encoding="utf-8")
    briefing = Briefing(report_year=2020, base_year=2019, languages=["zh", "en"],
                        notebooks=["01_briefing", "02_theme", "03_indicator"], extra={"data_dir": str(data)})
    outputs = tmp_path / "outputs"
    jobs = plan(briefing, outputs)
    html = write_index(outputs, jobs, briefing).read_text(encoding="utf-8")
    for job in jobs:
        assert f'href="{job.path(".html").relative_to(outputs).as_posix()}"' in html
        assert f'href="{job.path(".code.html").relative_to(outputs).as_posix()}"' in html
    assert "<script>" not in html and "Macro&lt;script&gt;" in html
    assert "镇海区2020年政府工作报告简报" in html and "Zhenhai District 2020 briefing" in html
    assert html.index("宏观经济") < html.index("产业发展")  # themes in the documented order
