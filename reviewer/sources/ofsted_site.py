"""What Ofsted's reports site shows on its pages, read with the standard library's HTML parser.

The structure (as the public scrapers of the site read it in 2026):

- the search of local authority children's services lists councils as links to
  `/provider/44/<URN>`; a link `a.pagination__next` leads to the next page of results;
- a council's page `/provider/44/<URN>` has a timeline, `ol.timeline > li.timeline__day`,
  whose events link a document with `a.publication-link`; the link's `span.nonvisual`
  labels it, e.g. "Children's services focused visit, PDF - 3 April 2018" (the date is
  the publication date); the link's address may be on another host (the PDFs are).

`family_of` maps a label's kind to the word the corpus's file names use for the family,
by the labels the scheme files' `[fetch]` tables give each family (the caller reads them);
a kind none of them names gives None, to be listed, never silently skipped.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from html.parser import HTMLParser
from urllib.parse import urljoin

from reviewer.dates import find_date

_PROVIDER = re.compile(r"/provider/44/(\d+)/?$")


@dataclass(frozen=True, slots=True)
class Listing:
    """A council as a search page lists it."""

    urn: str
    name: str


@dataclass(frozen=True, slots=True)
class SearchPage:
    councils: list[Listing]
    next_url: str | None


@dataclass(frozen=True, slots=True)
class Publication:
    """One document of a council's timeline, as its label and link give it."""

    url: str
    label: str  # the whole label, e.g. "Children's services focused visit, PDF - 3 April 2018"
    kind: str  # the label's kind of document, folded: "children's services focused visit"
    published: dt.date | None


def _classes(attrs: list[tuple[str, str | None]]) -> set[str]:
    return set((dict(attrs).get("class") or "").split())


def _href(attrs: list[tuple[str, str | None]]) -> str:
    return (dict(attrs).get("href") or "").strip()


class _SearchParser(HTMLParser):
    def __init__(self, base: str) -> None:
        super().__init__(convert_charrefs=True)
        self.base = base
        self.councils: dict[str, list[str]] = {}
        self.next_url: str | None = None
        self._in: str | None = None  # the URN of the provider link being read

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag != "a":
            return
        href = _href(attrs)
        if "pagination__next" in _classes(attrs) and href:
            self.next_url = urljoin(self.base, href)
            return
        found = _PROVIDER.search(href.split("?")[0])
        if found and found.group(1) not in self.councils:  # named by its first link
            self._in = found.group(1)
            self.councils[self._in] = []

    def handle_endtag(self, tag: str) -> None:
        if tag == "a":
            self._in = None

    def handle_data(self, data: str) -> None:
        if self._in is not None:
            self.councils[self._in].append(data)


def parse_search(html: str, url: str) -> SearchPage:
    """The councils a search page lists (each once, in order) and its next page's address."""
    parser = _SearchParser(url)
    parser.feed(html)
    parser.close()
    councils = [Listing(urn, " ".join("".join(t).split())) for urn, t in parser.councils.items()]
    return SearchPage(councils, parser.next_url)


class _TimelineParser(HTMLParser):
    def __init__(self, base: str) -> None:
        super().__init__(convert_charrefs=True)
        self.base = base
        self.found: list[tuple[str, str, str]] = []  # (href, nonvisual text, link text)
        self._timeline = 0  # depth of ol.timeline
        self._ol = 0
        self._day = False
        self._link: str | None = None
        self._span = 0  # depth inside span.nonvisual
        self._label: list[str] = []
        self._text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        cls = _classes(attrs)
        if tag == "ol":
            self._ol += 1
            if "timeline" in cls and not self._timeline:
                self._timeline = self._ol
        elif tag == "li" and self._timeline and self._ol == self._timeline:
            self._day = "timeline__day" in cls
        elif tag == "a" and self._day and "publication-link" in cls:
            self._link, self._label, self._text = _href(attrs), [], []
        elif tag == "span" and self._link is not None and (self._span or "nonvisual" in cls):
            self._span += 1

    def handle_endtag(self, tag: str) -> None:
        if tag == "ol":
            if self._ol == self._timeline:
                self._timeline, self._day = 0, False
            self._ol = max(0, self._ol - 1)
        elif tag == "span" and self._span:
            self._span -= 1
        elif tag == "a" and self._link is not None:
            label, text = (
                " ".join("".join(self._label).split()),
                " ".join("".join(self._text).split()),
            )
            if self._link:
                self.found.append((urljoin(self.base, self._link), label, text))
            self._link, self._span = None, 0

    def handle_data(self, data: str) -> None:
        if self._link is None:
            return
        self._text.append(data)
        if self._span:
            self._label.append(data)


def parse_council_page(html: str, url: str) -> list[Publication]:
    """The documents of a council's timeline, in the page's order; links are made absolute
    against the page's address and otherwise followed as written."""
    parser = _TimelineParser(url)
    parser.feed(html)
    parser.close()
    out = []
    for href, label, text in parser.found:
        label = label or text
        kind, published = split_label(label)
        out.append(Publication(href, label, kind, published))
    return out


def fold(text: str) -> str:
    """One spelling of a label's kind: lower case, straight apostrophes, single spaces."""
    return " ".join(text.lower().replace("\u2019", "'").replace("\u2018", "'").split())


def split_label(label: str) -> tuple[str, dt.date | None]:
    """A label's kind (folded, without ", PDF") and its date; None when it has no date."""
    kind, _, when = label.rpartition(" - ")
    if not kind:
        kind, when = label, ""
    kind = re.sub(r",\s*pdf\s*$", "", fold(kind))
    return kind, find_date(when)


def family_of(kind: str, families: Mapping[str, Iterable[str]]) -> str | None:
    """The family (the corpus's word) whose labels name a label's kind, or None for a kind
    none of them names; `families` maps each family to its labels (any case)."""
    folded = fold(kind)
    for family, labels in families.items():
        if any(fold(label) == folded for label in labels):
            return family
    return None
