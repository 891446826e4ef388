"""Whose document it is: the place a report belongs to, read before anything else.

The place is looked for, in order, in the document's title and issuing body (the
meeting it was delivered at, the office that signs it), then in the URL's host, then in
the text. The first that names a place decides. Passing mentions do not count: 镇海炼化
in another city's report names a company, not the report's place; only the forms a
document uses to say who it is (在宁波市北仑区第十届人民代表大会上, 余姚市人民政府市长,
宁波市北仑区统计局, a title such as 2022年象山县政府工作报告) do.

A place is named with its prefix as the document writes it: 宁波市江北区 is the known
place `jiangbei`; 重庆市江北区 is another place, not in the table. The known places are
data/places.csv (id, name, the city or province it lies in, short name, hosts).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from ..foundations.exceptions import DataValidationError
from ..foundations.paths import data_dir
from ..validation.schemas import columns, places_schema
from ..validation.validate import read_csv_table, schema_problems

HOME = "zhenhai"  # the place whose data/ and pages this project is
PLACES_FILE = "places.csv"
OPENING = 1500  # characters of the text where a document says who it is


@dataclass(frozen=True)
class Place:
    """A place as the project knows it (data/places.csv), or as a document names it (id '')."""

    id: str
    name_zh: str  # with its prefix where one is known: 宁波市北仑区
    short_zh: str = ""
    within_zh: str = ""
    hosts: tuple[str, ...] = ()

    @property
    def full_zh(self) -> str:
        return self.within_zh + self.name_zh if self.within_zh and not self.name_zh.startswith(self.within_zh) else self.name_zh


@dataclass(frozen=True)
class Found:
    """A place named by a document: the words as written, where they were found, and the known place they are."""

    written: str
    where: str  # "title", "issuing body", "URL host", "text"
    evidence: str  # the words it was read from
    place: Place  # a known place, or Place("", written)


class PlaceError(ValueError):
    """The document is another place's, or names none: nothing is extracted, and the analyst is asked."""


def known_places() -> tuple[Place, ...]:
    """The places of data/places.csv, validated (a DataValidationError names the file, line and field)."""
    path = data_dir() / PLACES_FILE
    frame, problems = schema_problems(places_schema(), read_csv_table(path, columns(PLACES_FILE)), path)
    if problems:
        raise DataValidationError(problems)
    return tuple(Place(row.place_id, row.name_zh, row.short_zh or "", row.within_zh or "", tuple((row.hosts or "").split()))
                 for row in frame.itertuples())


# Characters of a place's own name: not the words that come around one in a title or a heading.
_NAME_CHAR = r"[^\W\d_年月日的在于和与及关政府人民代表大会告报第届次本我各该区县市省州旗]"
_NO_NAME = re.compile(r"^(?:全|本|我|各|该)(?:区|县|市|省)$")  # the whole county: no place's name
_LEVEL = r"(?:区|县|市|旗)"
NAME = (rf"(?:(?:{_NAME_CHAR}{{2,4}}省)?(?:{_NAME_CHAR}{{1,4}}(?:市|自治州|州|盟))?{_NAME_CHAR}{{1,5}}?{_LEVEL}"
        rf"|{_NAME_CHAR}{{2,3}}省)")  # a district, county or city with its prefixes, or a province
# A name starts a phrase: after a non-Chinese character (a line start, a space, a comma), 关于, 在, a year or a month.
_START = r"(?:(?<=关于)|(?<=在)|(?<=年)|(?<=年度)|(?<=月)|(?<![\u4e00-\u9fff]))"
_TITLE = re.compile(rf"{_START}({NAME})(?=\s*(?:\d{{4}}年|（|\(|人民政府|政府|国民经济|经济运行|统计|《|年度|关于|“十))")
_BODY = [  # the forms a document uses to say who delivers it, strongest first
    re.compile(rf"在\s*([^\s，,。:：在]{{2,14}}?)\s*第[一二三四五六七八九十]+届\s*人民代表大会"),
    re.compile(rf"{_START}({NAME})\s*(?:人民政府)?\s*代?(?:区长|县长|市长)"),
    re.compile(rf"{_START}({NAME})\s*(?:人民政府办公室|人民政府|统计局|发展和改革局|发改局)"),
    re.compile(rf"{_START}({NAME})委(?:书记|副书记|常委|、|和)"),  # 象山县委书记, 镇海区委常委, 湖南省委、省政府
    re.compile(rf"发布机构\s*[:：]\s*({NAME})"),
    re.compile(rf"《(?:关于)?({NAME})\s*\d{{4}}年"),  # the report's own title, quoted by a news page
]
_TEXT = re.compile(rf"{_START}({NAME})(?=\s*(?:\(含|（含|概况|全年|实现|地区生产总值|经济社会))")


def resolve(written: str, places: tuple[Place, ...] | None = None) -> Place | None:
    """The place that `written` names: a known place, another place (id ''), or None if it names none.

    '宁波市北仑区', '北仑区', '北仑' -> beilun; '重庆市江北区' -> another place; '全区' -> None.
    """
    written = re.sub(r"\s+", "", written)
    if _NO_NAME.match(written):
        return None
    for place in places or known_places():
        for name in (place.full_zh, place.name_zh, place.short_zh):
            if not name or not written.endswith(name):
                continue
            prefix = written[: -len(name)]
            ancestors = {"", place.within_zh, "浙江省", "浙江省" + place.within_zh}
            if prefix in ancestors:
                return place
            if re.fullmatch(NAME, written):
                return Place("", written)  # the same name within another city: another place
    if re.fullmatch(NAME, written):
        return Place("", written)
    return None


def _level(place: Place) -> int:
    """0 for a district or county (or a known place within a city), 1 for a city, 2 for a province."""
    name = place.full_zh if place.id else place.name_zh
    if place.id and place.within_zh.endswith("市"):
        return 0
    return 2 if name.endswith("省") else (1 if name.endswith("市") else 0)


def _host_place(url: str, places: tuple[Place, ...]) -> Place | None:
    host = (urlsplit(url).hostname or "").lower()
    for place in places:
        if any(host == h or host.endswith("." + h) for h in place.hosts):
            return place
    return None


def find_place(text: str, title: str = "", url: str = "") -> Found | None:
    """The place a document belongs to, by its title or issuing body, its URL's host, then its text; None if none."""
    places = known_places()
    for match in _TITLE.finditer(title or ""):
        place = resolve(match.group(1), places)
        if place is not None:
            return Found(match.group(1), "title", title, place)
    opening = text[:OPENING]
    hits = []  # (level, position, match, place): the first hit of each form
    for pattern in _BODY:
        for match in pattern.finditer(opening):
            place = resolve(match.group(1), places)
            if place is not None:
                hits.append((_level(place), match.start(), match, place))
                break
    if hits:
        # The lowest level named wins, then the earliest: a district's report names its city's
        # leadership too (在宁波市委、市政府和区委的领导下 … 镇海区发展和改革局).
        _, _, match, place = min(hits, key=lambda hit: hit[:2])
        return Found(re.sub(r"\s+", "", match.group(1)), "issuing body", match.group(0).strip(), place)
    host = _host_place(url, places)
    if host is not None:
        return Found(host.name_zh, "URL host", urlsplit(url).hostname or url, host)
    counts: dict[str, list[str]] = {}
    for match in _TEXT.finditer(text):
        place = resolve(match.group(1), places)
        if place is not None:
            counts.setdefault(place.full_zh, []).append(match.group(0))
    if counts:
        name, seen = max(counts.items(), key=lambda item: len(item[1]))
        if len(seen) >= 2 and all(len(other) < len(seen) for n, other in counts.items() if n != name):
            written = match_name(max(seen, key=len))
            return Found(written, "text", f"{len(seen)} times, e.g. {seen[0]!r}", resolve(written, places))
    return None


def match_name(words: str) -> str:
    """The place name at the start of `words` ('北仑区(含' -> '北仑区')."""
    found = re.match(NAME, words)
    return found.group(0) if found else words


def named_place(option: str, found: Found | None) -> Place:
    """The place the --place option names: a known place by id or name, or a new id for another place.

    A new id (letters, digits, _) takes the name the document itself writes (or the id,
    where it names none); the option must agree with what the document names.
    """
    places = known_places()
    by_id = {p.id: p for p in places}
    place = by_id.get(option) or resolve(option, places)
    if place is None or not place.id:
        if not re.fullmatch(r"[a-z][a-z0-9_]*", option):
            raise PlaceError(f"--place {option}: not a place of {PLACES_FILE} "
                             f"({', '.join(p.id + ' ' + p.name_zh for p in places)}); for another place give an id "
                             "in lower-case letters, e.g. --place mouding, and the document's own name is kept")
        place = Place(option, found.written if found is not None else option)
    if found is not None and found.place.id != place.id and not (found.place.id == "" and place.id not in by_id):
        raise PlaceError(f"--place {option} ({place.full_zh}) disagrees with the document, which names "
                         f"{found.written} in its {found.where} ({found.evidence[:60]!r})")
    return place
