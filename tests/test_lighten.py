"""A rendered page made light: downloads beside it, Chinese runs unmarked on Chinese pages (no kernel)."""

import base64

from zhenhai_analysis.presentation.lighten import downloads_beside, lighten

CSV = "指标,数值\n地区生产总值,1\n".encode("utf-8-sig")


def _page(lang_runs: str = '<span lang="zh">原文</span>') -> str:
    data = base64.b64encode(CSV).decode()
    return (f'<html><body><img src="data:image/png;base64,iVBORw0KGgo=" alt="a chart"><p>{lang_runs}</p>'
            f'<p class="download"><a download="page_zh_table.csv" href="data:text/csv;charset=utf-8;base64,{data}">CSV</a></p>'
            '<a href="data:text/plain;base64,eA==">not a download</a></body></html>')


def test_downloads_become_files_beside_the_page_and_images_stay_inside():
    page, files = downloads_beside(_page())
    assert files == {"page_zh_table.csv": CSV}
    assert '<a download="page_zh_table.csv" href="page_zh_table.csv">' in page
    assert 'src="data:image/png;base64,' in page and 'href="data:text/plain;base64,eA=="' in page


def test_a_chinese_page_drops_the_lang_marks_an_english_page_keeps():
    zh, _ = lighten(_page(), "zh")
    en, _ = lighten(_page(), "en")
    assert "<p>原文</p>" in zh and '<span lang="zh">原文</span>' in en
