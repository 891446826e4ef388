"""Tables as HTML: a phone's cards name each cell's column once per table (no kernel)."""

import pandas as pd

from zhenhai_analysis.presentation.display import card_labels, table_html


def test_a_table_names_its_columns_once_for_the_cards_escaped_for_css():
    key, style = card_labels(["指标", 'a"b</style>\\', 2019])
    assert key.startswith("cols-") and style.startswith("<style>@media (max-width: 600px){")
    assert f'table.{key} td:nth-of-type(1)::before{{content:"指标"}}' in style
    assert "</style>" not in style.removesuffix("</style>") and '\\22 ' in style and "\\5c " in style
    assert card_labels(["指标", 'a"b</style>\\', 2019]) == (key, style)  # the same bytes each run
    assert card_labels(["指标"])[0] != key


def test_table_html_carries_no_label_per_cell():
    table = pd.DataFrame({"年份": [2019, 2020], "数值": ["6%", "—"]}, index=pd.Index(["a", "b"], name="指标"))
    markup = table_html(table)
    key, style = card_labels(["年份", "数值"])
    assert markup.startswith(style) and f'class="data {key}"' in markup and "data-label" not in markup
    assert markup.count("<td") == 4 and '<td class="empty"><div>—</div></td>' in markup
