"""Only the CSS a page uses: what is kept, what goes (no kernel; the screenshots are in test_browser)."""

from zhenhai_analysis.presentation.stylesheet import lean_page, lean_sheets, page_names, selector

SHEET = """
/* Copyright (c) Jupyter Development Team. */
:root { --used: red; --via: var(--used); --unused: blue; --chain: var(--deep); --deep: 1px; }
.a p { color: var(--via); }
.missing, .a { margin: 0; }
div.b > span:not(.nowhere)::before { content: "x"; border-width: var(--chain); }
table.nowhere td { color: green; }
@media (max-width: 600px) { .a { padding: 0; } .nowhere { padding: 1px; } }
@media print { .nowhere { display: none; } }
@keyframes spin { from { opacity: 0; } }
@keyframes fade { from { opacity: 0; } }
.b { animation: spin 1s; }
"""
PAGE = '<div class="a b"><p>text</p><span id="s">x</span></div>'


def test_a_selector_requires_the_names_it_tests_outside_functions_and_attributes():
    s = selector("div.b > span:not(.nowhere)[data-x='1']::before")
    assert s.classes == {"b"} and s.tags == {"div", "span"} and not s.ids
    assert selector("#s.a").ids == {"s"} and selector(":root").classes == set()
    assert selector(r".lm-\:hover").classes == set()  # an escaped name: kept, never guessed


def test_lean_css_keeps_what_can_apply_and_the_properties_it_reads():
    (css,) = lean_sheets([SHEET], *page_names(PAGE))
    assert ".a p{color:var(--via)}" in css and ".a{margin:0}" in css and ".missing" not in css
    assert "--used:red" in css and "--via:var(--used)" in css and "--chain:var(--deep)" in css and "--deep:1px" in css
    assert "--unused" not in css and "table.nowhere" not in css and ".nowhere{" not in css
    assert "@media (max-width: 600px){.a{padding:0}}" in css and "@media print" not in css
    assert "@keyframes spin" in css and "@keyframes fade" not in css


def test_a_page_keeps_its_licence_notice_and_properties_defined_in_another_block():
    page = f"<style>:root {{ --c: red; }}</style><style>/* Copyright X */ .a {{ color: var(--c); }} .z {{ color: blue; }}</style>{PAGE}"
    lean = lean_page(page)
    assert "--c:red" in lean and ".a{color:var(--c)}" in lean and ".z" not in lean and "Copyright X" in lean


def test_an_emptied_block_goes_and_no_style_block_can_be_closed_from_inside():
    # The CSS escapes "<" (display.card_labels); read and written again, it must stay escaped.
    page = r'<style>.gone { color: red; }</style><style>td::before { content: "\3c /style>\3c b>"; }</style><table><td></td></table>'
    lean = lean_page(page)
    assert lean.count("<style>") == 1 and "</style><b>" not in lean and lean.endswith("<table><td></td></table>")
