"""Category schemes: which categories a document family has and how headings name them."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from functools import cached_property
from itertools import islice
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from reviewer.errors import ReviewerError
from reviewer.tomlfile import TomlFileError, parse_toml, tables

if TYPE_CHECKING:
    from reviewer.segment.details import DetailsSpec
    from reviewer.segment.fetch_table import FetchSpec
    from reviewer.segment.spec import SegmentSpec

_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")
_WORDS = re.compile(r"[a-z]+")


class SchemeError(ReviewerError):
    """A scheme file that cannot be used; the message names the file and the key."""


class Category(NamedTuple):
    id: str
    label: str
    key: str
    colour: str
    cues: tuple[str, ...]
    # A weakness can come back in a later inspection (the council history links it); a
    # strength or a finding that meets requirements is none.
    weakness: bool = True


class HeaderField(NamedTuple):
    """A piece of a family's own metadata the review header shows: "Focus: ...".

    `width` shortens a long value to that many characters (0: whole); a list of dates is
    shown as a range.
    """

    key: str
    label: str
    width: int = 0


class Judgement(NamedTuple):
    """A graded judgement a family's documents give (reports): its key, its label, and
    the few words the review header shows it by (`short`, else the label)."""

    id: str
    label: str
    short: str = ""


@dataclass(frozen=True)
class Scheme:
    id: str
    label: str
    categories: tuple[Category, ...]
    detect: tuple[str, ...] = ()
    source: str = ""
    judgements: tuple[Judgement, ...] = ()
    # The whole scheme file as parsed: the segmenter's table, and tables read outside it.
    raw: dict = field(default_factory=dict, compare=False, hash=False, repr=False)
    # A few words for the family where the label is too long (the queue overview).
    short: str = ""
    # What one of the family's documents is called in a sentence ("focused visit").
    document: str = ""
    # The keys that date a document, the first that has a value (a list: its last day).
    dated_by: tuple[str, ...] = ("letter_date", "inspection_dates")
    # The judgement a document's overall grade is (an id of `judgements`; "" for none).
    overall: str = ""
    # The family's own metadata in the review header.
    header: tuple[HeaderField, ...] = ()

    @cached_property
    def details(self) -> DetailsSpec:
        """What the details form shows: the family's keys, frameworks and grade scales
        (read at first use, as `segment` is)."""
        from reviewer.segment.details import DetailsError, parse_details

        try:
            return parse_details(self.raw, [j.id for j in self.judgements], self.source)
        except DetailsError as err:
            raise SchemeError(str(err)) from None

    @cached_property
    def fetch(self) -> FetchSpec | None:
        """What `reviewer fetch` files the family's documents as, and the site's labels of
        them; None for a family the site does not list (read at first use)."""
        from reviewer.segment.fetch_table import FetchTableError, parse_fetch

        try:
            return parse_fetch(self.raw, self.source)
        except FetchTableError as err:
            raise SchemeError(str(err)) from None

    @cached_property
    def titles(self) -> tuple[re.Pattern[str], ...]:
        """Lines near the top of a document that name the family ("Focused visit to ..."):
        the `detect.title` patterns, compiled at first use, as `segment` is."""
        from reviewer.segment.spec import SpecError, title_cues

        detect = self.raw.get("detect")
        if not isinstance(detect, dict):
            return ()
        try:
            return title_cues(detect, self.source)
        except SpecError as err:
            raise SchemeError(str(err)) from None

    @cached_property
    def segment(self) -> SegmentSpec:
        """How the engine reads this family: its readers, sections, items, metadata.

        Parsed (its patterns compiled) at first use: telling a document's family reads only
        each scheme's titles, so opening a letter compiles the one family's patterns, not
        every family's. `parse_scheme` asks for it at once unless told the file is a bundled
        one (the tests read every bundled scheme's), so a scheme file of the user's that
        cannot be used is still one error when it is loaded.
        """
        from reviewer.segment.spec import SpecError, parse_segment

        try:
            return parse_segment(self.raw, {c.id for c in self.categories}, self.source)
        except SpecError as err:
            raise SchemeError(str(err)) from None

    @cached_property
    def by_id(self) -> dict[str, Category]:
        return {c.id: c for c in self.categories}

    @cached_property
    def _cues(self) -> list[tuple[str, str]]:
        return [(normalise_heading(cue), c.id) for c in self.categories for cue in c.cues]

    def is_weakness(self, category_id: str) -> bool:
        """Whether findings of the category are weaknesses (an unknown id: yes)."""
        cat = self.by_id.get(category_id)
        return cat.weakness if cat else True

    def label_of(self, category_id: str) -> str:
        cat = self.by_id.get(category_id)
        return cat.label if cat else category_id

    def match_heading(self, line: str, threshold: float = 85.0) -> tuple[str | None, float]:
        """The category a short heading line names, by fuzzy match of the whole line.

        Whole-line matching is what lets "AREAS FOR DEVELOPMENT:" and "Strenghts" match
        while a sentence that merely mentions a cue does not.
        """
        text = _short_heading(line, 60)
        if not text:
            return None, 0.0
        # rapidfuzz loads at the first heading matched, not with the schemes (a command
        # that only reads schemes, or reviews, never needs it)
        from rapidfuzz import fuzz

        best, best_score = None, 0.0
        for cue, cat in self._cues:
            score = fuzz.ratio(text, cue)
            if score > best_score:
                best, best_score = cat, score
        if best_score >= threshold:
            return best, best_score
        return None, best_score

    def mentions(self, sentence: str, threshold: float = 92.0) -> dict[str, float]:
        """Categories whose cue phrases occur (allowing small typos) inside a sentence."""
        text = normalise_heading(sentence)
        from rapidfuzz import fuzz  # loaded at first use, as in match_heading

        found: dict[str, float] = {}
        for cue, cat in self._cues:
            if len(cue) < 9:
                # Short cues ("strength") are only trusted as whole words.
                score = 100.0 if re.search(rf"\b{re.escape(cue)}\b", text) else 0.0
            else:
                score = fuzz.partial_ratio(cue, text)
            if score >= threshold and score > found.get(cat, 0.0):
                found[cat] = score
        return found


SHORT_MAX = 20
JUDGEMENT_SHORT_MAX = 30  # a judgement's words in the review header


def _fold(text: str) -> str:
    return " ".join(text.lower().replace("’", "'").split())


TITLE_LINES = 40


def detect_scheme(text: str, schemes: list[Scheme] | None = None) -> Scheme | None:
    """The bundled scheme the document belongs to, or None.

    A title line near the top ("Focused visit to ...", "Area SEND inspection of ...") is the
    strongest cue: the scheme whose title pattern matches the earliest of the first lines
    wins, since later lines may quote another family. Without a title, the scheme whose
    detection phrases the opening text holds most of wins, if it holds at least three times
    as many as any other scheme; otherwise the text talks about several families and is
    none of them.
    """
    candidates = schemes or _all_bundled()
    lines = (ln for ln in text[:20000].replace("\f", "\n").splitlines() if ln.strip())
    head_lines = [" ".join(ln.replace("’", "'").split()) for ln in islice(lines, TITLE_LINES)]
    for ln in head_lines:
        for scheme in candidates:
            if any(p.search(ln) for p in scheme.titles):
                return scheme
    head = _fold(text[:20000])
    best, best_hits, second = None, 0, 0
    for scheme in candidates:
        hits = sum(1 for phrase in scheme.detect if phrase in head)
        if hits > best_hits:
            best, best_hits, second = scheme, hits, best_hits
        elif hits > second:
            second = hits
    # Without a title, the phrases must point to one family clearly: a text that talks
    # about several (a README, a research note) is none of them.
    if best_hits < 3 * second:
        return None
    return best


def _short_heading(line: str, most: int) -> str:
    """`normalise_heading(line)` when it is at most `most` characters long, else ""
    (without reading the rest of a long line)."""
    if len(line) <= 4 * most:  # short enough to read whole
        text = normalise_heading(line)
        return text if len(text) <= most else ""
    words: list[str] = []
    size = -1
    for m in _WORDS.finditer(line.lower()):
        size += len(m.group(0)) + 1
        if size > most:
            return ""
        words.append(m.group(0))
    return " ".join(words)


def normalise_heading(text: str) -> str:
    return " ".join(_WORDS.findall(text.lower()))


def _require(table: dict, key: str, kind: type, where: str):
    if key not in table:
        raise SchemeError(f"{where}: missing key '{key}'; add it to the scheme")
    value = table[key]
    if not isinstance(value, kind):
        raise SchemeError(f"{where}: key '{key}' must be a {kind.__name__}")
    return value


def parse_scheme(data: dict, source: str, *, bundled: bool = False) -> Scheme:
    """The scheme a parsed scheme file describes; SchemeError names what cannot be used.

    A bundled scheme's `[segment]` table, title patterns, details and fetch tables are read
    at their first use (`Scheme.segment`, `titles`, `details`, `fetch`); any other's at once.
    """
    sid = _require(data, "id", str, source)
    label = _require(data, "label", str, source)
    short = data.get("short", label[:SHORT_MAX])
    if not isinstance(short, str) or not short.strip() or len(short) > SHORT_MAX:
        raise SchemeError(
            f"{source}: key 'short' must be a non-empty string of at most {SHORT_MAX} "
            "characters (the family's name in narrow columns)"
        )
    raw = _require(data, "categories", list, source)
    if not raw:
        raise SchemeError(f"{source}: 'categories' is empty; define at least one category")
    cats, seen_ids, seen_keys = [], set(), set()
    for i, c in enumerate(raw):
        where = f"{source}: categories[{i}]"
        if not isinstance(c, dict):
            raise SchemeError(f"{where} must be a table")
        cid = _require(c, "id", str, where)
        key = _require(c, "key", str, where)
        colour = _require(c, "colour", str, where)
        cues = _require(c, "cues", list, where)
        if cid in seen_ids:
            raise SchemeError(f"{where}: duplicate category id '{cid}'")
        if key in seen_keys:
            raise SchemeError(f"{where}: key '{key}' is already used by another category")
        if not _COLOUR.match(colour):
            raise SchemeError(f"{where}: colour '{colour}' must look like #rrggbb")
        if not all(isinstance(q, str) and q.strip() for q in cues):
            raise SchemeError(f"{where}: 'cues' must be a list of non-empty strings")
        weakness = c.get("weakness", True)
        if not isinstance(weakness, bool):
            raise SchemeError(f"{where}: 'weakness' must be true or false")
        seen_ids.add(cid)
        seen_keys.add(key)
        label_c = _require(c, "label", str, where)
        cats.append(Category(cid, label_c, key, colour, tuple(cues), weakness))
    detect = data.get("detect", [])
    if isinstance(detect, dict):
        detect = detect.get("phrases", [])
        where = "detect.phrases"
    else:
        where = "detect"
    if not isinstance(detect, list) or not all(isinstance(d, str) for d in detect):
        raise SchemeError(f"{source}: '{where}' must be a list of strings")
    if "layout" in data:
        raise SchemeError(
            f"{source}: key 'layout' is no longer read; describe the family in [segment] "
            "instead (envelope, grades, headings, ends, items; see the README's Category "
            "schemes)"
        )
    judgements = []
    for where, j in tables(data, "judgements", source, SchemeError):
        words = j.get("short", "")
        if not isinstance(words, str) or len(words) > JUDGEMENT_SHORT_MAX:
            raise SchemeError(
                f"{where}: 'short' must be a string of at most {JUDGEMENT_SHORT_MAX} characters"
            )
        judgements.append(
            Judgement(_require(j, "id", str, where), _require(j, "label", str, where), words)
        )
    document = data.get("document", label)
    if not isinstance(document, str) or not document.strip():
        raise SchemeError(f"{source}: 'document' must be a non-empty string")
    dated_by = data.get("dated_by", ["letter_date", "inspection_dates"])
    if not isinstance(dated_by, list) or not all(isinstance(k, str) for k in dated_by):
        raise SchemeError(f"{source}: 'dated_by' must be a list of metadata keys")
    overall = data.get("overall", "")
    if not isinstance(overall, str) or (overall and overall not in {j.id for j in judgements}):
        raise SchemeError(
            f"{source}: 'overall' must be the id of one of the scheme's [[judgements]]"
        )
    header = []
    for where, h in tables(data, "header", source, SchemeError):
        width = h.get("width", 0)
        if not isinstance(width, int) or isinstance(width, bool) or width < 0:
            raise SchemeError(f"{where}: 'width' must be a whole number from 0")
        header.append(
            HeaderField(_require(h, "key", str, where), _require(h, "label", str, where), width)
        )
    scheme = Scheme(
        sid,
        label,
        tuple(cats),
        tuple(_fold(d) for d in detect),
        source,
        tuple(judgements),
        raw=data,
        short=short.strip(),
        document=document.strip(),
        dated_by=tuple(dated_by),
        overall=overall,
        header=tuple(header),
    )
    if not bundled:
        _ = scheme.details, scheme.fetch, scheme.titles, scheme.segment
    return scheme


def load_scheme(name_or_path: str | Path | None = None) -> Scheme:
    """Load a bundled scheme by id ("ofsted_ucra") or a scheme file by path."""
    name = str(name_or_path or "ofsted_ucra")
    path = Path(name)
    if path.suffix == ".toml" or path.exists():
        try:
            text = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            raise SchemeError(f"{path}: no such scheme file; check the path") from None
        except (OSError, UnicodeDecodeError) as err:
            raise SchemeError(f"{path}: cannot read the scheme ({err})") from None
        return _parse_text(text, str(path))
    return _bundled(name)


# The bundled schemes: files of the package, on disk beside this module (as `reviewer.bundled`
# finds the program's other files).
SCHEMES_DIR = Path(__file__).with_name("schemes")


@functools.cache
def _bundled(name: str) -> Scheme:
    """A bundled scheme, read once: detection asks for every one for each document."""
    res = SCHEMES_DIR / f"{name}.toml"
    if not res.is_file():
        known = ", ".join(bundled_schemes())
        raise SchemeError(f"unknown scheme '{name}'; use one of: {known}, or a path")
    return _parse_text(res.read_text(encoding="utf-8"), f"{name}.toml", bundled=True)


def _parse_text(text: str, source: str, *, bundled: bool = False) -> Scheme:
    try:
        data = parse_toml(text, source)
    except TomlFileError as err:
        raise SchemeError(str(err)) from None
    return parse_scheme(data, source, bundled=bundled)


@functools.cache
def _all_bundled() -> tuple[Scheme, ...]:
    return tuple(_bundled(n) for n in bundled_schemes())


def bundled() -> tuple[Scheme, ...]:
    """Every bundled scheme, in the order of their ids."""
    return _all_bundled()


def scheme_of(scheme_id: str) -> Scheme | None:
    """The bundled scheme a review names, or None for one this program does not bundle."""
    return next((s for s in _all_bundled() if s.id == scheme_id), None)


def bundled_schemes() -> list[str]:
    return sorted(
        p.name.removesuffix(".toml") for p in SCHEMES_DIR.iterdir() if p.name.endswith(".toml")
    )
