"""Whose document it is: the place is read from the title, the issuing body, the host, then the text."""

import pytest

from zhenhai_analysis.extract.place import PlaceError, find_place, named_place, resolve


@pytest.mark.parametrize("title, written, place_id", [
    ("宁波市镇海区2020年《政府工作报告(摘要)》", "宁波市镇海区", "zhenhai"),
    ("关于宁波市江北区2020年国民经济和社会发展计划执行情况与2021年国民经济和社会发展计划草案的报告", "宁波市江北区", "jiangbei"),
    ("2021年北仑区国民经济和社会发展统计公报", "北仑区", "beilun"),
    ("2022年余姚市政府工作报告", "余姚市", "yuyao"),
    ("重庆市江北区2020年政府工作报告", "重庆市江北区", ""),  # the same name in another city is another place
])
def test_a_title_names_its_place_with_its_prefix(title, written, place_id):
    found = find_place("", title)
    assert (found.written, found.place.id, found.where) == (written, place_id, "title")


@pytest.mark.parametrize("opening, written, place_id", [
    ("2017年2月8日在镇海区第十五届人民代表大会第一次会议上\n\n镇海区区长 魏祖民", "镇海区", "zhenhai"),
    ("2022年1月23日在象山\n    第十九届人民代表大会第一次会议上", "象山", "xiangshan"),
    ("余姚市人民政府市长 潘银浩\n\n各位代表:", "余姚市", "yuyao"),
    ("宁波市北仑区统计局\n\n2022年2月", "宁波市北仑区", "beilun"),
    ("1月20日,牟定县人民政府县长李永军在作《政府工作报告》时", "牟定县", ""),
])
def test_the_issuing_body_names_the_place(opening, written, place_id):
    found = find_place(opening)
    assert (found.written, found.place.id, found.where) == (written, place_id, "issuing body")


def test_passing_mentions_do_not_make_a_document_zhenhais():
    text = "全市完成镇海炼化、镇海电厂等企业烟气排放改造,全县经济发展保持稳中向好。"
    assert find_place(text) is None
    assert find_place(text, url="https://www.zh.gov.cn/art/2020/1.html").place.id == "zhenhai"  # the host, then
    assert find_place("市发改委主任周建峰受市人民政府委托") is None  # 受市 is no place


def test_resolve_names_known_places_by_any_of_their_forms():
    assert {resolve(n).id for n in ("宁波市北仑区", "北仑区", "北仑", "浙江省宁波市北仑区")} == {"beilun"}
    assert resolve("重庆市江北区").id == "" and resolve("全区") is None


def test_the_place_option_must_agree_with_the_document():
    found = find_place("", "2021年北仑区国民经济和社会发展统计公报")
    assert named_place("beilun", found).id == named_place("北仑区", found).id == "beilun"
    with pytest.raises(PlaceError, match="北仑区"):
        named_place("zhenhai", found)
    mouding = find_place("1月20日,牟定县人民政府县长李永军")
    assert named_place("mouding", mouding).name_zh == "牟定县"  # a new id keeps the document's own name
    assert named_place("zhenhai", None).id == "zhenhai"  # the analyst's answer where the document names none
    with pytest.raises(PlaceError, match="lower-case"):
        named_place("牟定县", mouding)


def test_a_districts_document_that_names_its_city_leadership_first_is_the_districts():
    opening = ("2020年,在宁波市委、市政府和区委的坚强领导下,全区经济社会平稳健康发展。\n"
               "宁波市镇海区发展和改革局\n")
    assert find_place(opening).place.id == "zhenhai"
    assert find_place("在湖南省委、省政府的领导下,全省12件重点民生实事进展顺利").written == "湖南省"  # a province alone


def test_every_stored_source_of_zhenhai_is_read_as_zhenhais():
    """The README command must not stop on the district's own documents (title, issuing body, host or text)."""
    import zhenhai_analysis as za
    from zhenhai_analysis.foundations.paths import data_dir

    for source in za.load_sources().itertuples():
        text = (data_dir() / "raw" / source.file).read_text(encoding="utf-8")
        found = find_place(text, source.title_zh, source.url)
        assert found is not None and found.place.id == "zhenhai", (source.source, found)
