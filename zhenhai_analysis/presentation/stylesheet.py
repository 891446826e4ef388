"""Each page carries only the CSS it uses.

nbconvert's lab template inlines JupyterLab's whole stylesheet (about 265 KB) in every page,
and a page uses few of its rules. `lean_page(html)` keeps, of each <style> block:
- the selectors that can match the page: every class, id and element a selector names occurs
  in the page (what is inside :not(), :is(), attribute selectors and pseudo-classes is not
  tested, so a selector that might match stays);
- the at-rules (@media …) that still hold a rule, and @keyframes an animation names;
- the custom properties (--jp-…) that the kept declarations read, directly or through
  other custom properties.
The test only removes what cannot apply, so a page looks as it did: the browser tests
compare screenshots of every page kind with the whole stylesheet and with the lean one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

CLASS_ATTR = re.compile(r"""\bclass\s*=\s*(?:"([^"]*)"|'([^']*)')""")
ID_ATTR = re.compile(r"""\bid\s*=\s*(?:"([^"]*)"|'([^']*)')""")
TAG = re.compile(r"<([a-zA-Z][\w-]*)")
VAR = re.compile(r"var\(\s*(--[\w-]+)")

_FUNCTIONAL = re.compile(r":{1,2}[\w-]+\([^()]*\)")  # :not(.x), :is(a, b), :nth-child(2n+1) …
_ATTRIBUTE = re.compile(r"\[[^\]]*\]")
_PSEUDO = re.compile(r":{1,2}[\w-]+")
_COMBINATOR = re.compile(r"\s*[>+~]\s*|\s+")


@dataclass(frozen=True)
class Selector:
    text: str
    classes: frozenset[str]
    ids: frozenset[str]
    tags: frozenset[str]

    def may_match(self, classes: set[str], ids: set[str], tags: set[str]) -> bool:
        return self.classes <= classes and self.ids <= ids and self.tags <= tags


def _split_selectors(text: str) -> list[str]:
    """A selector list split at its top-level commas (not those inside :is(a, b))."""
    parts, depth, start = [], 0, 0
    for i, char in enumerate(text):
        depth += char == "("
        depth -= char == ")"
        if char == "," and depth == 0:
            parts.append(text[start:i].strip())
            start = i + 1
    parts.append(text[start:].strip())
    return [p for p in parts if p]


def selector(text: str) -> Selector:
    """What a selector requires of a page: the classes, ids and elements it names outside
    functional pseudo-classes and attribute tests. An escaped name requires nothing (kept)."""
    if "\\" in text:
        return Selector(text, frozenset(), frozenset(), frozenset())
    plain = text
    while True:
        reduced = _FUNCTIONAL.sub("", plain)
        if reduced == plain:
            break
        plain = reduced
    plain = _PSEUDO.sub("", _ATTRIBUTE.sub("", plain))
    classes = set(re.findall(r"\.([\w-]+)", plain))
    ids = set(re.findall(r"#([\w-]+)", plain))
    tags = {m.group(1).lower() for part in _COMBINATOR.split(plain) if (m := re.match(r"([a-zA-Z][\w-]*)", part))}
    return Selector(text, frozenset(classes), frozenset(ids), frozenset(tags - {"html", "body"}))


@dataclass(frozen=True)
class Rule:
    """A style rule, or an at-rule: `children` for a block of rules (@media), `text` for one kept whole."""
    selectors: tuple[Selector, ...] = ()
    declarations: tuple[tuple[str, str], ...] = ()  # (name, value text)
    prelude: str = ""  # an at-rule's "@media (max-width: 600px)"
    children: tuple[Rule, ...] | None = None
    text: str = ""
    keyframes: str = ""  # the name of a @keyframes block


def _declarations(content) -> tuple[tuple[str, str], ...]:
    import tinycss2

    found = []
    for item in tinycss2.parse_blocks_contents(content, skip_comments=True, skip_whitespace=True):
        if item.type == "declaration":
            value = tinycss2.serialize(item.value).strip() + (" !important" if item.important else "")
            found.append((item.name if item.name.startswith("--") else item.lower_name, value))
    return tuple(found)


def _rules(nodes) -> tuple[Rule, ...]:
    import tinycss2

    rules = []
    for node in nodes:
        if node.type == "qualified-rule":
            texts = _split_selectors(tinycss2.serialize(node.prelude).strip())
            rules.append(Rule(selectors=tuple(selector(t) for t in texts), declarations=_declarations(node.content)))
        elif node.type == "at-rule" and node.lower_at_keyword in ("media", "supports", "container", "layer") \
                and node.content is not None:
            inner = tinycss2.parse_rule_list(node.content, skip_comments=True, skip_whitespace=True)
            rules.append(Rule(prelude=f"@{node.at_keyword} {tinycss2.serialize(node.prelude).strip()}",
                              children=_rules(inner)))
        elif node.type == "at-rule" and node.lower_at_keyword.endswith("keyframes"):
            rules.append(Rule(text=node.serialize(), keyframes=tinycss2.serialize(node.prelude).strip()))
        elif node.type == "at-rule" and node.lower_at_keyword != "charset":
            rules.append(Rule(text=node.serialize()))  # @page, @font-face, @import: kept whole
    return tuple(rules)


@lru_cache(maxsize=16)
def parse(css: str) -> tuple[Rule, ...]:
    """A stylesheet as rules (cached: every page of a run carries the same sheets)."""
    import tinycss2

    return _rules(tinycss2.parse_stylesheet(css, skip_comments=True, skip_whitespace=True))


def _kept(rules: tuple[Rule, ...], classes: set[str], ids: set[str], tags: set[str]) -> list[Rule]:
    kept = []
    for rule in rules:
        if rule.children is not None:
            inner = _kept(rule.children, classes, ids, tags)
            if inner:
                kept.append(Rule(prelude=rule.prelude, children=tuple(inner)))
        elif rule.selectors:
            matching = tuple(s for s in rule.selectors if s.may_match(classes, ids, tags))
            if matching:
                kept.append(Rule(selectors=matching, declarations=rule.declarations))
        else:
            kept.append(rule)
    return kept


def _walk(rules):
    for rule in rules:
        yield rule
        if rule.children:
            yield from _walk(rule.children)


def _used_properties(rules: list[Rule]) -> set[str]:
    """The custom properties the rules' ordinary declarations read, and those these read in turn."""
    defined: dict[str, list[str]] = {}
    wanted: set[str] = set()
    for rule in _walk(rules):
        for name, value in rule.declarations:
            if name.startswith("--"):
                defined.setdefault(name, []).append(value)
            else:
                wanted |= set(VAR.findall(value))
        wanted |= set(VAR.findall(rule.text))
    todo = list(wanted)
    while todo:
        for value in defined.get(todo.pop(), []):
            for name in VAR.findall(value):
                if name not in wanted:
                    wanted.add(name)
                    todo.append(name)
    return wanted


def _css(rules, properties: set[str], animations: str) -> str:
    out = []
    for rule in rules:
        if rule.children is not None:
            inner = _css(rule.children, properties, animations)
            if inner:
                out.append(f"{rule.prelude}{{{inner}}}")
        elif rule.selectors:
            body = ";".join(f"{name}:{value}" for name, value in rule.declarations
                            if not name.startswith("--") or name in properties)
            if body:
                out.append(f"{','.join(s.text for s in rule.selectors)}{{{body}}}")
        elif not rule.keyframes or rule.keyframes in animations:
            out.append(rule.text)
    return "\n".join(out)


def page_names(html: str) -> tuple[set[str], set[str], set[str]]:
    """The classes, ids and elements a page's markup uses."""
    classes = {c for m in CLASS_ATTR.finditer(html) for c in (m.group(1) or m.group(2) or "").split()}
    ids = {m.group(1) or m.group(2) for m in ID_ATTR.finditer(html)}
    tags = {t.lower() for t in TAG.findall(html)}
    return classes, ids, tags


NOTICE = re.compile(r"/\*[^*]*Copyright.*?\*/", re.S)  # a licence notice stays with what it covers


@lru_cache(maxsize=16)
def _named(css: str) -> tuple[frozenset[str], frozenset[str], frozenset[str]]:
    """Every class, id and element some selector of `css` names."""
    selectors = [s for rule in _walk(parse(css)) for s in rule.selectors]
    return (frozenset().union(*(s.classes for s in selectors)), frozenset().union(*(s.ids for s in selectors)),
            frozenset().union(*(s.tags for s in selectors)))


def lean_sheets(sheets: list[str], classes: set[str], ids: set[str], tags: set[str]) -> list[str]:
    """The part of each stylesheet that can apply to a page using these classes, ids and elements.
    Sheets are cut together: a custom property defined in one is often read in another."""
    # Only the names some selector tests matter: pages of a kind then share one cut (cached).
    named = [_named(css) for css in sheets]
    relevant = [frozenset(names) & frozenset().union(*(n[i] for n in named)) for i, names in enumerate((classes, ids, tags))]
    return list(_lean_sheets(tuple(sheets), *relevant))


@lru_cache(maxsize=64)
def _lean_sheets(sheets: tuple[str, ...], classes: frozenset[str], ids: frozenset[str], tags: frozenset[str]) -> tuple[str, ...]:
    kept = [_kept(parse(css), classes, ids, tags) for css in sheets]
    every = [rule for rules in kept for rule in rules]
    animations = " ".join(value for rule in _walk(every) for name, value in rule.declarations
                          if name in ("animation", "animation-name"))
    properties = _used_properties(every)
    out = []
    for css, rules in zip(sheets, kept):
        lean = _css(rules, properties, animations)
        notice = NOTICE.search(css)
        lean = lean.replace("<", "\\3c ")  # a "<" is only ever inside a string here: no </style> can appear
        out.append(f"\n{notice.group(0)}\n{lean}\n" if notice and lean else f"\n{lean}\n" if lean else "")
    return tuple(out)


def _style_blocks(html: str) -> list[tuple[int, int, int, int]]:
    """Where each <style> block is: (start of its tag, start of its CSS, end of its CSS, end of its closing tag).
    Found with str.find: a lazy regex over a page's 265 KB of CSS costs ten times as much."""
    blocks, position = [], 0
    while (start := html.find("<style", position)) >= 0:
        open_end = html.find(">", start) + 1
        close = html.find("</style>", open_end)
        if open_end == 0 or close < 0:
            break
        blocks.append((start, open_end, close, close + len("</style>")))
        position = close + len("</style>")
    return blocks


def lean_page(html: str) -> str:
    """The page with its <style> blocks cut to the rules that can apply to it; an emptied block goes."""
    blocks = _style_blocks(html)
    edges = [0] + [i for start, _, _, end in blocks for i in (start, end)] + [len(html)]
    markup = "".join(html[edges[i]:edges[i + 1]] for i in range(0, len(edges), 2))
    lean = lean_sheets([html[css:close] for _, css, close, _ in blocks], *page_names(markup))
    out, position = [], 0
    for (start, css, close, end), sheet in zip(blocks, lean):
        out.append(html[position:start])
        if sheet:
            out.append(html[start:css] + sheet + "</style>")
        position = end
    out.append(html[position:])
    return "".join(out)
