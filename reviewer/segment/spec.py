"""What a scheme file tells the segmenting engine: sections, items, page furniture, metadata.

A family's layout is data: the `[segment]` table and the `[[metadata]]` list of its scheme
file. Everything is checked when the scheme loads, so a typo in a pattern is a one-line
error naming the file and the key, never a traceback in the middle of a batch.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass

from reviewer.dates import DATE, MONTH
from reviewer.errors import ReviewerError

ITEM_MODES = ("auto", "bullets", "paragraphs", "responsible_table", "numbered", "marks")
PARAGRAPHS = ("blocks", "numbered", "none")
HEADING_LINES = ("shaped", "any")
# The readers a scheme may name for the engine's stages (engine.py maps them to code).
ENVELOPES = ("letter",)
GRADE_READERS = ("report",)
FINDERS = ("regex", "dates", "line_after", "paragraph_after", "lines_between")
KINDS = ("text", "name", "date", "dates", "range", "list", "flag")


class SpecError(ReviewerError):
    """Raised by the spec readers; the scheme loader turns it into a SchemeError."""


@dataclass(frozen=True, slots=True)
class MetaField:
    key: str
    find: str
    kind: str = "text"
    pattern: re.Pattern[str] | None = None  # regex: the value's group `v`; else the anchor
    until: re.Pattern[str] | None = None
    require: re.Pattern[str] | None = None
    clean: tuple[re.Pattern[str], ...] = ()
    nth: int = 1
    comma: str = ""  # "before" / "after": a "Name, Role" line gives its part
    year_from: str = ""
    within: int = 0  # regex: search only the first `within` lines with text (0: all)


@dataclass(frozen=True, slots=True)
class Region:
    """A part of the document whose lists all take one category (a report's review of
    the LSCB): it opens at a `starts` heading, or is the whole document when its first
    lines match `alone`."""

    category: str
    starts: tuple[re.Pattern[str], ...] = ()
    alone: tuple[re.Pattern[str], ...] = ()


_GLUED_MARK = re.compile(r"(?<=[?:a-z])\d{1,2}$")


@functools.lru_cache(maxsize=8192)
def heading_key(text: str) -> str:
    """A heading as compared with `segment.headings` and `segment.ends`: lower case,
    apostrophes folded, a glued footnote mark and trailing punctuation dropped ("What
    needs to improve?1" is "what needs to improve")."""
    low = " ".join(text.replace("’", "'").split()).lower()
    if low[-1:].isdigit():
        low = _GLUED_MARK.sub("", low)
    return low.rstrip(" ?:.")


_BACKREFERENCE = re.compile(r"\\[1-9]|\(\?P=")


class AnyOf:
    """A scheme's list of patterns tried as one: a line matches when any of them does.

    Patterns that share their flags are compiled into one alternation, so a long document
    is scanned once per line rather than once per pattern; the same answers either way.
    """

    __slots__ = ("_one", "_patterns")

    def __init__(self, patterns: Sequence[re.Pattern[str]]) -> None:
        self._patterns = tuple(patterns)
        self._one: re.Pattern[str] | None = None
        flags = {p.flags for p in self._patterns}
        if len(flags) == 1 and not any(_BACKREFERENCE.search(p.pattern) for p in patterns):
            try:
                self._one = re.compile(
                    "|".join(f"(?:{p.pattern})" for p in self._patterns), flags.pop()
                )
            except re.error:  # a pattern's own global flags, a group name used twice
                self._one = None

    def __bool__(self) -> bool:
        return bool(self._patterns)

    def search(self, text: str) -> bool:
        if self._one is not None:
            return self._one.search(text) is not None
        return any(p.search(text) for p in self._patterns)

    def match(self, text: str) -> bool:
        if self._one is not None:
            return self._one.match(text) is not None
        return any(p.match(text) for p in self._patterns)

    def fullmatch(self, text: str) -> bool:
        if self._one is not None:
            return self._one.fullmatch(text) is not None
        return any(p.fullmatch(text) for p in self._patterns)


@functools.lru_cache(maxsize=256)
def any_of(patterns: tuple[re.Pattern[str], ...]) -> AnyOf:
    """The patterns as one `AnyOf` (made once per list of patterns)."""
    return AnyOf(patterns)


# A pattern's opening: one ASCII letter or digit, not repeated; or, for a line's first after
# its spaces, the same after an optional ``^`` and ``\s*``.
_OPENING = re.compile(r"([A-Za-z0-9])(?![?*+{])")
_OPENING_AFTER_SPACES = re.compile(r"\^?(?:\\s\*)?([A-Za-z0-9])(?![?*+{])")


@functools.lru_cache(maxsize=64)
def opening_letters(
    patterns: tuple[re.Pattern[str], ...], *, after_spaces: bool
) -> frozenset[str] | None:
    r"""The ASCII letters and digits, in lower case, that a match of any of the patterns
    opens with, where each opens with one of its own, read from the pattern's text: a
    literal character, not repeated, in a pattern with no alternative outside its groups.
    With `after_spaces`, a pattern may open with ``^`` and ``\s*`` before it (the letter is
    then a line's first after its spaces). None, for any opening, where a pattern opens
    otherwise: a caller then asks every line."""
    opens = (_OPENING_AFTER_SPACES if after_spaces else _OPENING).match
    firsts = set()
    for pattern in patterns:
        source = pattern.pattern
        opening = opens(source)
        if opening is None or _has_top_level_branch(source):
            return None
        firsts.add(opening.group(1).lower())
    return frozenset(firsts)


def _has_top_level_branch(source: str) -> bool:
    """Whether a pattern's text has a ``|`` outside its groups and character classes (or
    may have: a class opening with ``]`` is taken to end there, which can only say yes)."""
    depth, in_class, escaped = 0, False, False
    for c in source:
        if escaped:
            escaped = False
        elif c == "\\":
            escaped = True
        elif in_class:
            in_class = c != "]"
        elif c == "[":
            in_class = True
        elif c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
        elif c == "|" and depth == 0:
            return True
    return False


@dataclass(frozen=True, slots=True)
class SegmentSpec:
    items: dict[str, str]
    # The readers of the engine's stages: the envelope (none: the document has no
    # salutation and signature, or title page, to read), the grades.
    envelope: str = ""
    grades: str = ""
    stop: tuple[re.Pattern[str], ...] = ()
    furniture: tuple[re.Pattern[str], ...] = ()
    skip: tuple[re.Pattern[str], ...] = ()
    metadata: tuple[MetaField, ...] = ()
    # paragraphs: how an item opens, which parts two paragraphs with no blank line between.
    item_start: re.Pattern[str] | None = None
    # responsible_table: the column header line, and how a whole body name ends.
    table_header: re.Pattern[str] | None = None
    body_complete: re.Pattern[str] | None = None
    # headings: exact list headings (heading_key) and their categories, instead of cues.
    headings: dict[str, str] | None = None
    # ends: lines (any line, as heading_key, whole) after which a list is over.
    ends: tuple[re.Pattern[str], ...] = ()
    regions: tuple[Region, ...] = ()
    # sections: how the document's section headings open (a list ends at one; numbered
    # paragraphs are filed under one); wrapped: those that may wrap over three lines.
    sections: tuple[re.Pattern[str], ...] = ()
    wrapped: tuple[re.Pattern[str], ...] = ()
    # paragraphs: "blocks" (prose between findings) or "numbered" (numbered paragraphs,
    # joined across page breaks, under the sections' headings).
    paragraphs: str = "blocks"
    # lead_ins: an item that only leads into a list ("...the following actions:") is no finding.
    drop_lead_ins: bool = False
    # heading_lines: "shaped" (short capitalised lines) or "any" (any line or table row).
    heading_lines: str = "shaped"
    # list_intros: how a sentence that leads into a list ends (such a sentence naming one
    # category heads the list after it); not_findings: paragraphs that are never findings.
    list_intros: tuple[re.Pattern[str], ...] = ()
    not_findings: tuple[re.Pattern[str], ...] = ()

    def mode(self, category: str) -> str:
        return self.items.get(category, self.items.get("default", "auto"))


def _regex(value: object, where: str, flags: int = 0) -> re.Pattern[str]:
    if not isinstance(value, str) or not value:
        raise SpecError(f"{where} must be a non-empty string (a regular expression)")
    try:
        return re.compile(value.replace("{date}", DATE).replace("{month}", MONTH), flags)
    except re.error as err:
        raise SpecError(f"{where} is not a valid regular expression ({err})") from None


def _regexes(table: dict, key: str, where: str, flags: int = 0) -> tuple[re.Pattern[str], ...]:
    value = table.get(key, [])
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list):
        raise SpecError(f"{where}: '{key}' must be a list of regular expressions")
    return tuple(_regex(v, f"{where}: {key}[{i}]", flags) for i, v in enumerate(value))


def title_cues(detect: dict, where: str) -> tuple[re.Pattern[str], ...]:
    """The `detect.title` patterns: a line near the top that names the family."""
    return _regexes(detect, "title", f"{where}: detect")


def parse_segment(data: dict, categories: set[str], where: str) -> SegmentSpec:
    seg = data.get("segment", {})
    if not isinstance(seg, dict):
        raise SpecError(f"{where}: 'segment' must be a table")
    items = seg.get("items", "auto")
    if isinstance(items, str):
        items = {"default": items}
    if not isinstance(items, dict):
        raise SpecError(f"{where}: 'segment.items' must be a string or a table")
    for cat, mode in items.items():
        if cat != "default" and cat not in categories:
            raise SpecError(f"{where}: 'segment.items.{cat}' names no category of the scheme")
        if mode not in ITEM_MODES:
            raise SpecError(
                f"{where}: 'segment.items.{cat}' must be one of {', '.join(ITEM_MODES)}"
            )
    metadata = data.get("metadata", [])
    if not isinstance(metadata, list):
        raise SpecError(f"{where}: 'metadata' must be a list of tables")
    fields = tuple(_meta_field(m, f"{where}: metadata[{i}]") for i, m in enumerate(metadata))
    table: dict[str, re.Pattern[str] | None] = {"header": None, "complete": None}
    if "responsible_table" in items.values():
        raw = seg.get("table")
        if not isinstance(raw, dict):
            raise SpecError(f"{where}: 'segment.table' must be a table (header, complete)")
        for key in table:
            if key not in raw:
                raise SpecError(f"{where}: missing key 'segment.table.{key}'; add it")
            table[key] = _regex(raw[key], f"{where}: segment.table.{key}")
    if "report" in data:
        raise SpecError(
            f"{where}: table 'report' is no longer read; write its lists as "
            "[segment.headings], list_ends as segment.ends and the LSCB review as "
            "[[segment.regions]] (see the README's Category schemes)"
        )
    if "lists" in seg:
        raise SpecError(
            f"{where}: 'segment.lists' is no longer read; describe the lists with [segment] "
            'keys instead: reports headings, ends, regions, sections, items = "numbered", '
            'paragraphs = "numbered"; letters heading_lines = "any", items = "marks", '
            'list_intros, not_findings, paragraphs = "none" (see the README\'s Category schemes)'
        )
    readers = {}
    for key, names, default in (
        ("envelope", ENVELOPES, ""),
        ("grades", GRADE_READERS, ""),
    ):
        value = seg.get(key, default)
        if value != default and value not in names:
            raise SpecError(f"{where}: 'segment.{key}' must be one of {', '.join(names)}")
        readers[key] = value
    return SegmentSpec(
        items=dict(items),
        envelope=readers["envelope"],
        grades=readers["grades"],
        item_start=_regex(seg["item_start"], f"{where}: segment.item_start")
        if "item_start" in seg
        else None,
        table_header=table["header"],
        body_complete=table["complete"],
        stop=_regexes(seg, "stop", f"{where}: segment"),
        furniture=_regexes(seg, "furniture", f"{where}: segment"),
        skip=_regexes(seg, "skip", f"{where}: segment", re.IGNORECASE),
        metadata=fields,
        **_list_options(seg, data, categories, where),
    )


def _list_options(seg: dict, data: dict, categories: set[str], where: str) -> dict:
    """The options of the list stages: exact headings, list ends, regions, section
    headings, paragraphs and the lead-in filter."""
    out: dict = {}
    headings = seg.get("headings")
    if headings is not None:
        if not isinstance(headings, dict):
            raise SpecError(f"{where}: 'segment.headings' must be a table of heading = category id")
        for heading, cat in headings.items():
            if not isinstance(cat, str) or cat not in categories:
                raise SpecError(
                    f"{where}: segment.headings: '{heading}' names no category of the scheme"
                )
        out["headings"] = {heading_key(h): c for h, c in headings.items()}
    out["ends"] = _regexes(seg, "ends", f"{where}: segment", re.IGNORECASE)
    out["sections"] = _regexes(seg, "sections", f"{where}: segment", re.IGNORECASE)
    out["wrapped"] = _regexes(seg, "wrapped", f"{where}: segment")
    regions = seg.get("regions", [])
    if not isinstance(regions, list) or not all(isinstance(r, dict) for r in regions):
        raise SpecError(f"{where}: 'segment.regions' must be a list of tables")
    found = []
    for n, r in enumerate(regions):
        at = f"{where}: segment.regions[{n}]"
        cat = r.get("category")
        if cat not in categories:
            raise SpecError(f"{at}: 'category' must name a category of the scheme")
        found.append(
            Region(
                cat,
                _regexes(r, "starts", at, re.IGNORECASE),
                _regexes(r, "alone", at, re.IGNORECASE),
            )
        )
    out["regions"] = tuple(found)
    paragraphs = seg.get("paragraphs", "blocks")
    if paragraphs not in PARAGRAPHS:
        raise SpecError(f"{where}: 'segment.paragraphs' must be one of {', '.join(PARAGRAPHS)}")
    out["paragraphs"] = paragraphs
    lead_ins = seg.get("drop_lead_ins", False)
    if not isinstance(lead_ins, bool):
        raise SpecError(f"{where}: 'segment.drop_lead_ins' must be true or false")
    out["drop_lead_ins"] = lead_ins
    heading_lines = seg.get("heading_lines", "shaped")
    if heading_lines not in HEADING_LINES:
        raise SpecError(
            f"{where}: 'segment.heading_lines' must be one of {', '.join(HEADING_LINES)}"
        )
    out["heading_lines"] = heading_lines
    out["list_intros"] = _regexes(seg, "list_intros", f"{where}: segment", re.IGNORECASE)
    out["not_findings"] = _regexes(seg, "not_findings", f"{where}: segment", re.IGNORECASE)
    return out


def _meta_field(m: object, where: str) -> MetaField:
    if not isinstance(m, dict):
        raise SpecError(f"{where} must be a table")
    key, find = m.get("key"), m.get("find")
    if not isinstance(key, str) or not key:
        raise SpecError(f"{where}: 'key' must be a non-empty string")
    if find not in FINDERS:
        raise SpecError(f"{where}: 'find' must be one of {', '.join(FINDERS)}")
    kind = m.get("kind", "dates" if find == "dates" else "text")
    if kind not in KINDS:
        raise SpecError(f"{where}: 'kind' must be one of {', '.join(KINDS)}")
    nth = m.get("nth", 1)
    if not isinstance(nth, int) or isinstance(nth, bool) or nth < 1:
        raise SpecError(f"{where}: 'nth' must be a whole number from 1")
    comma = m.get("comma", "")
    if comma not in ("", "before", "after"):
        raise SpecError(f"{where}: 'comma' must be 'before' or 'after'")
    year_from = m.get("year_from", "")
    if not isinstance(year_from, str):
        raise SpecError(f"{where}: 'year_from' must be a metadata key")
    if "pattern" not in m:
        raise SpecError(f"{where}: missing key 'pattern'; add it to the scheme")
    pattern = _regex(m["pattern"], f"{where}: pattern", re.MULTILINE)
    if find == "regex" and kind != "flag" and "v" not in pattern.groupindex:
        raise SpecError(f"{where}: 'pattern' must name the value's group (?P<v>...)")
    if find == "lines_between" and "until" not in m:
        raise SpecError(f"{where}: missing key 'until'; add it to the scheme")
    within = m.get("within", 0)
    if not isinstance(within, int) or isinstance(within, bool) or within < 0:
        raise SpecError(f"{where}: 'within' must be a whole number from 0")
    known = {
        "key", "find", "kind", "pattern", "until", "require", "clean", "nth", "comma",
        "year_from", "within",
    }  # fmt: skip
    extra = sorted(set(m) - known)
    if extra:
        raise SpecError(f"{where}: unknown key '{extra[0]}'")
    return MetaField(
        key=key,
        find=find,
        kind=kind,
        pattern=pattern,
        until=_regex(m["until"], f"{where}: until", re.MULTILINE) if "until" in m else None,
        require=_regex(m["require"], f"{where}: require") if "require" in m else None,
        clean=_regexes(m, "clean", where),
        nth=nth,
        comma=comma,
        year_from=year_from,
        within=within,
    )
