"""Themes: what a finding is about (supervision, thresholds...), tagged from key phrases."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, cached_property
from pathlib import Path
from typing import NamedTuple

from reviewer.errors import ReviewerError
from reviewer.tomlfile import TomlFileError, load_toml, parse_toml


class ThemesError(ReviewerError):
    """A taxonomy file that cannot be used; the message names the file and the key."""


class Theme(NamedTuple):
    id: str
    label: str
    phrases: tuple[str, ...]
    needles: tuple[str, ...] = ()


@dataclass(frozen=True)
class Taxonomy:
    themes: tuple[Theme, ...]

    @cached_property
    def patterns(self) -> tuple[re.Pattern, ...]:
        """Each theme's whole-word pattern of its phrases, compiled at the first tagging: the
        findings table, on the first screen's path, only shows the labels."""
        return tuple(_compile(t.phrases) for t in self.themes)

    @property
    def ids(self) -> list[str]:
        return [t.id for t in self.themes]

    def label_of(self, theme_id: str) -> str:
        return next((t.label for t in self.themes if t.id == theme_id), theme_id)

    @cached_property
    def _by_word(self) -> tuple[dict[str, frozenset[int]], frozenset[int]]:
        """The themes (by index) a word of a text may bring in: those with a phrase whose
        first word starts with it; and the themes whose phrases start with no word at all,
        tried on every text."""
        by_word: dict[str, set[int]] = {}
        always: set[int] = set()
        for i, theme in enumerate(self.themes):
            for needle in theme.needles:
                word = _WORD.search(needle)
                if word is None:
                    always.add(i)
                else:
                    by_word.setdefault(word.group(), set()).add(i)
        return {w: frozenset(t) for w, t in by_word.items()}, frozenset(always)

    def tag(self, text: str) -> tuple[str, ...]:
        """The themes whose phrases occur in the text, in taxonomy order.

        A phrase's whole-word pattern matches only where its first word is a word of the
        text, so the text's words (lower-cased) rule most themes out in one set operation
        before the (slower) patterns are tried.
        """
        by_word, always = self._by_word
        candidates = set(always)
        for word in by_word.keys() & set(_WORD.findall(text.lower())):
            candidates |= by_word[word]
        patterns, themes = self.patterns, self.themes
        return tuple(themes[i].id for i in sorted(candidates) if patterns[i].search(text))


_WORD = re.compile(r"\w+")


def _compile(phrases: tuple[str, ...]) -> re.Pattern:
    parts = []
    for p in phrases:
        words = [re.escape(w) for w in p.split()]
        body = r"[\s\-]+".join(words)
        # Acronyms ("CAF", "ICS") must be written in capitals to count.
        flags = "" if p.isupper() else "(?i:"
        parts.append(f"{flags}{body})" if flags else body)
    # The second half of a compound is another word: "care-experienced" is not "experienced".
    return re.compile(r"(?<![\w])(?<!\w-)(?:" + "|".join(parts) + r")(?![\w])")


def parse_taxonomy(data: dict, source: str) -> Taxonomy:
    raw = data.get("themes")
    if not isinstance(raw, list) or not raw:
        raise ThemesError(f"{source}: 'themes' must be a non-empty list of tables")
    themes, seen = [], set()
    for i, t in enumerate(raw):
        where = f"{source}: themes[{i}]"
        if not isinstance(t, dict):
            raise ThemesError(f"{where} must be a table")
        for key in ("id", "label"):
            if not isinstance(t.get(key), str) or not t[key]:
                raise ThemesError(f"{where}: key '{key}' must be a non-empty string")
        phrases = t.get("phrases")
        if not isinstance(phrases, list) or not all(
            isinstance(p, str) and p.strip() for p in phrases
        ):
            raise ThemesError(f"{where}: key 'phrases' must be a list of non-empty strings")
        if t["id"] in seen:
            raise ThemesError(f"{where}: duplicate theme id '{t['id']}'")
        seen.add(t["id"])
        needles = tuple(sorted({p.split()[0].lower().split("-")[0] for p in phrases}))
        themes.append(Theme(t["id"], t["label"], tuple(phrases), needles))
    return Taxonomy(tuple(themes))


def load_taxonomy(path: str | Path | None = None) -> Taxonomy:
    if path is None:
        return _bundled()
    p = Path(path)
    try:
        data = load_toml(p)
    except TomlFileError as err:
        raise ThemesError(str(err)) from None
    return parse_taxonomy(data, str(p))


@cache
def _bundled() -> Taxonomy:
    text = Path(__file__).with_name("topics.toml").read_text(encoding="utf-8")
    return parse_taxonomy(parse_toml(text, "topics.toml"), "topics.toml")
