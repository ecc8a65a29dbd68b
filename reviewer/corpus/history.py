"""`reviewer history`: a council's documents in date order, and the findings that came back.

A council is known by the register (`reviewer.segment.authorities`), so "Birmingham" and
"Birmingham Children's Trust" are one history. A finding *recurs* when an earlier document
of the same council holds a finding like it. Similarity is the cosine of the two findings'
content words weighted by rarity (TF-IDF over every finding given, so words every report
uses, "children", "ensure", "quality", weigh little), from 0 to 100. A pair must share at
least `SHARED_WORDS` uncommon words (in at most one finding in twenty), which are shown
beside the link, and then links by:

- **wording**: a similarity of at least `WORDING`: much the same words;
- **topic**: they share a topic (`[[findings]].themes`) and a similarity of at least
  `TOPIC_WORDING`: the same subject, said differently.

Each finding links to its most similar earlier finding that passes, and the similarity is
shown, so a person can judge the link. Strengths never link: a history is about
weaknesses that came back.
"""

from __future__ import annotations

import datetime as dt
import html
import json
import math
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from reviewer.corpus.charts import GRADE_COLOURS, NO_GRADE
from reviewer.corpus.loading import Loaded
from reviewer.corpus.spreadsheet import csv_table
from reviewer.review.council import council_named, council_of, document_date, overall_grade
from reviewer.segment.scheme import scheme_of
from reviewer.segment.topics import load_taxonomy

WORDING = 25.0
TOPIC_WORDING = 15.0
SHARED_WORDS = 2
COMMON = 0.05  # a word in more than this share of the findings is not evidence of a link
_STOP = frozenset(
    {
        "a",
        "an",
        "and",
        "are",
        "as",
        "at",
        "be",
        "been",
        "being",
        "by",
        "can",
        "for",
        "from",
        "has",
        "have",
        "in",
        "into",
        "is",
        "it",
        "its",
        "of",
        "on",
        "or",
        "our",
        "so",
        "than",
        "that",
        "the",
        "their",
        "them",
        "there",
        "these",
        "they",
        "this",
        "to",
        "was",
        "were",
        "which",
        "who",
        "will",
        "with",
        "within",
        "not",
        "all",
        "also",
        "more",
        "must",
        "should",
        "would",
        "could",
        "does",
        "do",
        "did",
        "how",
        "when",
        "where",
        "what",
    }
)


def family_name(scheme_id: str) -> str:
    """What one document of the family is called, as its scheme says (else its id)."""
    scheme = scheme_of(scheme_id)
    return scheme.document if scheme is not None else scheme_id


def is_weakness(scheme_id: str, category: str) -> bool:
    """Whether a finding of the category is a weakness, as the family's scheme says."""
    scheme = scheme_of(scheme_id)
    return scheme.is_weakness(category) if scheme is not None else True


@dataclass
class Link:
    document: int  # index of the earlier document in the council's history
    finding: int  # index of the finding in that document
    how: str  # "wording" or "topic: <topic id>"
    similarity: float
    words: tuple[str, ...] = ()  # the uncommon words both findings use, rarest first


@dataclass
class Item:
    category: str
    text: str
    topics: tuple[str, ...]
    recurs: Link | None = None


@dataclass
class Entry:
    file: str
    family: str
    date: dt.date | None
    grades: dict[str, str]
    findings: list[Item]


@dataclass
class Council:
    name: str
    la_code: str = ""
    gss_code: str = ""
    region: str = ""
    documents: list[Entry] = field(default_factory=list)

    @property
    def recurring(self) -> int:
        return sum(1 for d in self.documents for f in d.findings if f.recurs)


def content_words(text: str) -> list[str]:
    """Lower-case words that carry meaning, plural and simple endings folded."""
    words = []
    for w in re.findall(r"[a-z]+", text.lower().replace("’", "'")):
        if len(w) < 3 or w in _STOP:
            continue
        if len(w) > 4 and w.endswith("ies"):
            w = w[:-3] + "y"
        elif len(w) > 4 and w.endswith(("ches", "shes", "sses", "xes")):
            w = w[:-2]
        elif len(w) > 3 and w.endswith("s") and not w.endswith(("ss", "us", "is")):
            w = w[:-1]
        words.append(w)
    return words


class Similarity:
    """TF-IDF cosine over a set of findings' texts, 0 to 100."""

    def __init__(self, texts: Iterable[str]) -> None:
        docs = [set(content_words(t)) for t in texts]
        n = max(1, len(docs))
        df = Counter(w for d in docs for w in d)
        self.idf = {w: math.log((1 + n) / (1 + c)) + 1.0 for w, c in df.items()}
        self._default = math.log(1 + n) + 1.0
        limit = max(2, int(COMMON * n))
        self.uncommon = frozenset(w for w, c in df.items() if c <= limit)
        self._cache: dict[str, dict[str, float]] = {}

    def vector(self, text: str) -> dict[str, float]:
        vec = self._cache.get(text)
        if vec is None:
            counts = Counter(content_words(text))
            vec = {w: c * self.idf.get(w, self._default) for w, c in counts.items()}
            norm = math.sqrt(sum(v * v for v in vec.values())) or 1.0
            vec = {w: v / norm for w, v in vec.items()}
            self._cache[text] = vec
        return vec

    def __call__(self, a: str, b: str) -> float:
        va, vb = self.vector(a), self.vector(b)
        if len(va) > len(vb):
            va, vb = vb, va
        return 100.0 * sum(v * vb.get(w, 0.0) for w, v in va.items())

    def shared(self, a: str, b: str) -> tuple[str, ...]:
        """The uncommon words both texts use, rarest first."""
        both = (set(self.vector(a)) & set(self.vector(b))) - (set(self.vector(a)) - self.uncommon)
        return tuple(sorted(both, key=lambda w: (-self.idf.get(w, self._default), w)))


def similarity(a: str, b: str, among: Iterable[str] = ()) -> float:
    """The similarity of two findings, rarity weighed among `among` (and the two)."""
    return Similarity([a, b, *among])(a, b)


def link_recurring(documents: list[Entry], similar: Similarity | None = None) -> None:
    """Give each weakness its most similar earlier weakness that passes the rules above."""
    if similar is None:
        similar = Similarity(f.text for d in documents for f in d.findings)
    for d, doc in enumerate(documents):
        for item in doc.findings:
            if not is_weakness(doc.family, item.category):
                continue
            best: Link | None = None
            for e in range(d):
                for k, earlier in enumerate(documents[e].findings):
                    if not is_weakness(documents[e].family, earlier.category):
                        continue
                    words = similar.shared(item.text, earlier.text)
                    if len(words) < SHARED_WORDS:
                        continue
                    score = similar(item.text, earlier.text)
                    topics = sorted(set(item.topics) & set(earlier.topics))
                    if score >= WORDING:
                        how = "wording"
                    elif topics and score >= TOPIC_WORDING:
                        how = f"topic: {topics[0]}"
                    else:
                        continue
                    if best is None or score > best.similarity:
                        best = Link(e, k, how, round(score, 1), words[:5])
            item.recurs = best


def build(loaded: Iterable[Loaded], authority: str | None = None) -> list[Council]:
    """Histories of every council in the reviews, or of the one named (name or code)."""
    wanted = _wanted(authority) if authority else None
    councils: dict[str, Council] = {}
    texts: list[str] = []  # every finding given: what counts as a common word
    for item in loaded:
        texts.extend(f.text for f in item.review.findings)
        letter = item.review.letter
        found = council_of(letter)
        key = found.name
        council = councils.setdefault(
            key, Council(found.name, found.la_code, found.gss_code, found.region)
        )
        if wanted is not None and key != wanted:
            continue
        grades = letter.get("judgements")
        council.documents.append(
            Entry(
                file=str(item.path),
                family=item.review.scheme,
                date=document_date(letter, item.review.scheme),
                grades=dict(grades) if isinstance(grades, dict) else {},
                findings=[Item(f.category, f.text, tuple(f.themes)) for f in item.review.findings],
            )
        )
    out = [c for c in councils.values() if c.documents]
    similar = Similarity(texts)
    for council in out:
        council.documents.sort(key=lambda d: (d.date or dt.date.min, d.file))
        link_recurring(council.documents, similar)
    return sorted(out, key=lambda c: c.name.lower())


def _wanted(authority: str) -> str:
    found = council_named(authority)
    return found.name if found is not None else authority


def _when(d: dt.date | None) -> str:
    return d.isoformat() if d else "undated"


def _grades_line(doc: Entry) -> str:
    overall = overall_grade(doc.grades, doc.family)
    return f"overall: {overall}" if overall else ""


def to_text(councils: list[Council]) -> str:
    lines: list[str] = []
    for c in councils:
        codes = ", ".join(x for x in (c.la_code, c.gss_code, c.region) if x)
        lines.append(f"{c.name}" + (f" ({codes})" if codes else ""))
        lines.append(f"  {documents_phrase(len(c.documents))}, {c.recurring} findings that recur")
        for d in c.documents:
            n = len(d.findings)
            family = family_name(d.family)
            grades = _grades_line(d)
            lines.append(f"  {_when(d.date)}  {family:<31} {n:>3} findings  {grades}".rstrip())
            for item in d.findings:
                if item.recurs is None:
                    continue
                before = c.documents[item.recurs.document]
                then = before.findings[item.recurs.finding].text
                lines.append(
                    f"      came back from {_when(before.date)} ({item.recurs.how}, "
                    f"similarity {item.recurs.similarity:.0f}; "
                    f"both say: {', '.join(item.recurs.words)})"
                )
                lines.append(f"        now:  {_short(item.text)}")
                lines.append(f"        then: {_short(then)}")
        lines.append("")
    return "\n".join(lines)


def _short(text: str, width: int = 90) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


ROW = [
    "authority",
    "la_code",
    "gss_code",
    "region",
    "date",
    "family",
    "file",
    "overall_grade",
    "category",
    "text",
    "topics",
    "recurs_from_date",
    "recurs_from_text",
    "recurs_how",
    "recurs_similarity",
    "recurs_words",
]


def rows(councils: list[Council]) -> list[dict[str, Any]]:
    out = []
    for c in councils:
        for d in c.documents:
            for item in d.findings:
                before = c.documents[item.recurs.document] if item.recurs else None
                out.append(
                    {
                        "authority": c.name,
                        "la_code": c.la_code,
                        "gss_code": c.gss_code,
                        "region": c.region,
                        "date": _when(d.date),
                        "family": d.family,
                        "file": d.file,
                        "overall_grade": overall_grade(d.grades, d.family),
                        "category": item.category,
                        "text": item.text,
                        "topics": " ".join(item.topics),
                        "recurs_from_date": _when(before.date) if before else "",
                        "recurs_from_text": (
                            before.findings[item.recurs.finding].text
                            if before and item.recurs
                            else ""
                        ),
                        "recurs_how": item.recurs.how if item.recurs else "",
                        "recurs_similarity": item.recurs.similarity if item.recurs else "",
                        "recurs_words": " ".join(item.recurs.words) if item.recurs else "",
                    }
                )
    return out


def to_csv(councils: list[Council], excel: bool = False) -> str:
    """One row per finding; text a spreadsheet would run as a formula is guarded; `excel`
    adds the byte-order mark and CRLF."""
    return csv_table(ROW, ([row[key] for key in ROW] for row in rows(councils)), excel)


def to_json(councils: list[Council]) -> str:
    data = [
        {
            "authority": c.name,
            "la_code": c.la_code,
            "gss_code": c.gss_code,
            "region": c.region,
            "documents": [
                {
                    "date": _when(d.date),
                    "family": d.family,
                    "file": d.file,
                    "grades": d.grades,
                    "findings": [
                        {
                            "category": f.category,
                            "text": f.text,
                            "topics": list(f.topics),
                            "recurs": (
                                {
                                    "document": f.recurs.document,
                                    "finding": f.recurs.finding,
                                    "how": f.recurs.how,
                                    "similarity": f.recurs.similarity,
                                    "words": list(f.recurs.words),
                                }
                                if f.recurs
                                else None
                            ),
                        }
                        for f in d.findings
                    ],
                }
                for d in c.documents
            ],
        }
        for c in councils
    ]
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def documents_phrase(n: int) -> str:
    """ "1 document", "2 documents"."""
    return f"{n} document" if n == 1 else f"{n} documents"


def anchor_of(c: Council) -> str:
    """The id of a council's section on the page (the index links to it)."""
    slug = re.sub(r"[^a-z0-9]+", "-", c.name.lower()).strip("-") or "council"
    return f"council-{c.la_code or slug}"


def to_html(councils: list[Council]) -> str:
    """One self-contained page: per council, a timeline chart and the findings that recur."""
    e = html.escape
    topic_labels = {t.id: t.label for t in load_taxonomy().themes}
    parts = [
        "<!doctype html><html lang='en'><head><meta charset='utf-8'>",
        "<title>Inspection history</title><style>",
        "body{font-family:system-ui,sans-serif;margin:2rem;color:#222;max-width:72rem}",
        "h2{margin-top:2.5rem;border-bottom:2px solid #ddd}",
        ".codes{color:#666;font-size:.9rem}",
        "svg{display:block;margin:1rem 0}",
        "table{border-collapse:collapse;width:100%;font-size:.9rem}",
        "td,th{border-bottom:1px solid #eee;padding:.35rem;text-align:left;vertical-align:top}",
        "td:first-child{white-space:nowrap}",
        ".recur{color:#8a4b00}.legend span{display:inline-block;margin-right:1rem}",
        ".index ul{columns:3;padding-left:1.2rem}.index h2{border:0}",
        ".dot{display:inline-block;width:.8rem;height:.8rem;border-radius:50%;margin-right:.3rem}",
        "</style></head><body><h1>Inspection history</h1>",
        "<p class='legend'>",
        *(
            f"<span><i class='dot' style='background:{colour}'></i>{e(grade)}</span>"
            for grade, colour in GRADE_COLOURS.items()
        ),
        f"<span><i class='dot' style='background:{NO_GRADE}'></i>no grade</span>",
        "<span>arcs: findings that came back</span></p>",
    ]
    if len(councils) > 1:
        parts.append("<nav class='index'><h2>Councils</h2><ul>")
        parts += [
            f"<li><a href='#{anchor_of(c)}'>{e(c.name)}</a> "
            f"<span class='codes'>{documents_phrase(len(c.documents))}</span></li>"
            for c in councils
        ]
        parts.append("</ul></nav>")
    for c in councils:
        codes = " · ".join(x for x in (c.la_code, c.gss_code, c.region) if x)
        parts.append(
            f"<h2 id='{anchor_of(c)}'>{e(c.name)} <span class='codes'>{e(codes)}</span></h2>"
        )
        parts.append(
            f"<p>{documents_phrase(len(c.documents))}; "
            f"{c.recurring} findings recur from an earlier one.</p>"
        )
        parts.append(_timeline(c))
        parts.append(
            "<table><tr><th>date</th><th>document</th><th>category</th><th>finding</th>"
            "<th>came back from</th></tr>"
        )
        for d in c.documents:
            for item in d.findings:
                back = ""
                if item.recurs:
                    before = c.documents[item.recurs.document]
                    how = item.recurs.how
                    if how.startswith("topic: "):
                        tid = how.removeprefix("topic: ")
                        how = f"topic: {topic_labels.get(tid, tid)}"
                    back = (
                        f"<span class='recur'>{e(_when(before.date))} ({e(how)}, "
                        f"similarity {item.recurs.similarity:.0f}; both say "
                        f"{e(', '.join(item.recurs.words))}): "
                        f"{e(_short(before.findings[item.recurs.finding].text, 140))}</span>"
                    )
                parts.append(
                    f"<tr><td>{e(_when(d.date))}</td><td>{e(family_name(d.family))}"
                    f"</td><td>{e(item.category)}</td><td>{e(item.text)}</td><td>{back}</td></tr>"
                )
        parts.append("</table>")
    parts.append("</body></html>\n")
    return "\n".join(parts)


def _timeline(c: Council) -> str:
    """An inline SVG: documents on a time axis, sized by findings, arcs for recurrences."""
    e = html.escape
    width, height, left, right, axis = 960, 190, 40, 40, 150
    dated = [d.date for d in c.documents if d.date]
    if not dated:
        return ""
    first, last = min(dated), max(dated)
    span = max(1, (last - first).days)

    def x_of(d: dt.date | None) -> float:
        if d is None:
            return left
        return left + (width - left - right) * (d - first).days / span

    out = [
        f"<svg viewBox='0 0 {width} {height}' width='100%' role='img' "
        f"aria-label='timeline of {e(c.name)}' xmlns='http://www.w3.org/2000/svg'>",
        f"<line x1='{left}' y1='{axis}' x2='{width - right}' y2='{axis}' stroke='#999'/>",
    ]
    for year in range(first.year, last.year + 2):
        tick = dt.date(year, 1, 1)
        if first <= tick <= last:
            x = x_of(tick)
            out.append(
                f"<line x1='{x:.1f}' y1='{axis}' x2='{x:.1f}' y2='{axis + 6}' stroke='#999'/>"
                f"<text x='{x:.1f}' y='{axis + 20}' font-size='12' text-anchor='middle' "
                f"fill='#666'>{year}</text>"
            )
    for d in c.documents:
        for item in d.findings:
            if item.recurs is None:
                continue
            x1, x2 = x_of(c.documents[item.recurs.document].date), x_of(d.date)
            mid, lift = (x1 + x2) / 2, min(120.0, 20 + abs(x2 - x1) / 3)
            out.append(
                f"<path d='M{x1:.1f},{axis} Q{mid:.1f},{axis - 2 * lift:.1f} {x2:.1f},{axis}' "
                "fill='none' stroke='#8a4b00' stroke-opacity='0.35' stroke-width='1.5'/>"
            )
    for d in c.documents:
        overall = overall_grade(d.grades, d.family)
        colour = GRADE_COLOURS.get(overall, NO_GRADE)
        r = 5 + min(12, len(d.findings))
        title = f"{_when(d.date)} {family_name(d.family)}: {len(d.findings)} findings" + (
            f", {overall}" if overall else ""
        )
        out.append(
            f"<circle cx='{x_of(d.date):.1f}' cy='{axis}' r='{r}' fill='{colour}' "
            f"stroke='#fff' stroke-width='2'><title>{e(title)}</title></circle>"
        )
    out.append("</svg>")
    return "".join(out)
