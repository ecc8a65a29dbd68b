"""`stats --format html`: the statistics as one self-contained page of charts (inline SVG,
no scripts): grades by year and framework, findings per category per year by family, the
most frequent topics by year, and the correction rate; and the page of a council beside
its statistical neighbours."""

from __future__ import annotations

from reviewer.corpus import charts
from reviewer.corpus.charts import GRADE_COLOURS, NO_GRADE, PALETTE, e
from reviewer.corpus.neighbours import Row
from reviewer.corpus.stats import Stats, councils
from reviewer.segment.scheme import SchemeError, load_scheme
from reviewer.segment.topics import load_taxonomy

TOP_TOPICS = 12


def _year_key(year: int | None) -> tuple[bool, int]:
    return (year is None, year or 0)


def _year(year: int | None) -> str:
    return "undated" if year is None else str(year)


def _category_colours(scheme_id: str, cats: list[str]) -> dict[str, str]:
    try:
        own = {c.id: c.colour for c in load_scheme(scheme_id).categories}
    except SchemeError:
        own = {}
    return {c: own.get(c) or PALETTE[i % len(PALETTE)] for i, c in enumerate(cats)}


def _category_labels(scheme_id: str) -> dict[str, str]:
    try:
        return {c.id: c.label for c in load_scheme(scheme_id).categories}
    except SchemeError:
        return {}


def _judgement_label(family: str, s: Stats, judgement: str) -> str:
    """What the family's scheme calls a judgement, in lower case (else its id)."""
    try:
        judgements = load_scheme(s.schemes.get(family, family)).judgements
    except SchemeError:
        judgements = ()
    return next((j.label for j in judgements if j.id == judgement), judgement).lower()


def grades_section(s: Stats) -> list[str]:
    out = ["<h2 id='grades'>Grades by year and framework</h2>"]
    # frameworks in the order they began
    frameworks = sorted(
        {f for f, _ in s.grades},
        key=lambda f: min(_year_key(y) for g, y in s.grades if g == f),
    )
    if not frameworks:
        return out + ["<p class='muted'>No document in these reviews is graded.</p>"]
    grades = list(GRADE_COLOURS)
    seen = {g for counts in s.grades.values() for g in counts}
    grades += sorted(seen - set(grades))
    shown = [g for g in grades if g in seen]
    out.append(charts.legend([(g, GRADE_COLOURS.get(g, NO_GRADE)) for g in shown]))
    for framework in frameworks:
        years = sorted({y for f, y in s.grades if f == framework}, key=_year_key)
        series = [
            (g, GRADE_COLOURS.get(g, NO_GRADE), [s.grades[(framework, y)][g] for y in years])
            for g in shown
        ]
        family = s.grade_families[framework]
        title = framework if framework == family else f"{family}: {framework}"
        judgement = _judgement_label(family, s, s.grade_judgements[framework])
        out.append(f"<h3>{e(title)}: {e(judgement)}</h3>")
        out.append(
            charts.stacked_bars(
                f"{title}: {judgement} grades by year", [_year(y) for y in years], series
            )
        )
    return out


def findings_section(s: Stats) -> list[str]:
    out = ["<h2 id='findings'>Findings per category per year, by family</h2>"]
    if not s.categories:
        return out + ["<p class='muted'>No documents.</p>"]
    for family, cats in sorted(s.categories.items()):
        years = sorted(
            {y for f, y in s.by_family_year if f == family}, key=lambda y: (y is None, y or 0)
        )
        scheme = s.schemes.get(family, "")
        colours = _category_colours(scheme, cats)
        labels = _category_labels(scheme)
        series = [
            (labels.get(c, c), colours[c], [s.by_family_year[(family, y)][c] for y in years])
            for c in cats
        ]
        n = s.documents_by_family[family]
        out.append(
            f"<h3>{e(family)} <span class='muted'>({n} document{'' if n == 1 else 's'})</span></h3>"
        )
        if not cats:
            out.append("<p class='muted'>No findings in these documents.</p>")
            continue
        out.append(charts.legend([(label, colour) for label, colour, _ in series]))
        out.append(
            charts.stacked_bars(
                f"{family}: findings per category by year", [_year(y) for y in years], series
            )
        )
    return out


def topics_section(s: Stats) -> list[str]:
    out = ["<h2 id='topics'>Most frequent topics by year</h2>"]
    if not s.themes:
        return out + ["<p class='muted'>No finding has a topic.</p>"]
    labels = {t.id: t.label for t in load_taxonomy().themes}
    top = [t for t, _ in s.themes.most_common(TOP_TOPICS)]
    years = sorted(s.themes_by_year, key=lambda y: (y is None, y or 0))
    values = [[s.themes_by_year[y][t] for y in years] for t in top]
    out.append(
        charts.heat_grid(
            "findings per topic and year",
            [labels.get(t, t) for t in top],
            [_year(y) for y in years],
            values,
        )
    )
    return out


def corrections_section(s: Stats) -> list[str]:
    out = ["<h2 id='corrections'>Correction rate</h2>"]
    if not s.reviewed_letters:
        return out + [
            "<p class='muted'>No reviewed documents yet: the correction rate needs reviews "
            "saved from the reviewer.</p>"
        ]
    out.append(
        f"<p><span class='figure'>{s.correction_rate:.1%}</span> of the machine's "
        f"{s.machine_findings} findings in {s.reviewed_letters} reviewed documents were "
        "changed by a person (category, text or bounds), removed, or needed one added.</p>"
    )
    parts = [
        ("confirmed", "#1a7f37", s.confirmed),
        ("category changed", "#e15759", s.category_changed),
        ("text or bounds corrected", "#f28e2b", s.text_corrected),
        ("removed or merged", "#9c755f", s.removed),
        ("added", "#4e79a7", s.added),
        ("split", "#b07aa1", s.split),
    ]
    out.append(charts.legend([(label, colour) for label, colour, _ in parts]))
    out.append(charts.share_bar("what people did with the machine's findings", parts))
    return out


def to_html(s: Stats) -> str:
    body = [
        f"<p>{s.letters} documents, {s.findings} findings, {councils(s)} councils.</p>",
        "<nav><a href='#grades'>grades</a> · <a href='#findings'>findings</a> · "
        "<a href='#topics'>topics</a> · <a href='#corrections'>correction rate</a></nav>",
        *grades_section(s),
        *findings_section(s),
        *topics_section(s),
        *corrections_section(s),
    ]
    return charts.page("Inspection statistics", body)


def neighbours_html(rows: list[Row]) -> str:
    """The council and its neighbours: a timeline row each (documents as dots coloured by
    overall grade, sized by findings), then each council's documents in date order."""
    head = rows[0].council
    body = [
        f"<p>{e(head.name)} ({e(head.la_code)}, {e(head.region)}) beside its "
        f"{len(rows) - 1} statistical neighbours (DfE), nearest first.</p>",
        charts.legend([*GRADE_COLOURS.items(), ("no grade", NO_GRADE)]),
        _timelines(rows),
    ]
    for row in rows:
        a = row.council
        who = "the council" if row.rank == 0 else f"neighbour {row.rank}"
        body.append(f"<h2>{e(a.name)} <span class='muted'>{e(who)} · {e(a.la_code)}</span></h2>")
        if not row.documents:
            body.append("<p class='muted'>No documents in these reviews.</p>")
            continue
        body.append(
            "<table><tr><th>date</th><th>family</th><th>overall</th>"
            "<th>findings per category</th></tr>"
        )
        for d in row.documents:
            overall = d.overall
            counts = ", ".join(f"{c} {n}" for c, n in d.counts.items()) or "none"
            body.append(
                f"<tr><td>{e(d.date.isoformat() if d.date else 'undated')}</td>"
                f"<td>{e(d.family)}</td><td>{e(overall)}</td><td>{e(counts)}</td></tr>"
            )
        body.append("</table>")
        recurring = row.recurring_topics
        if recurring:
            body.append(
                "<p>Recurring topics: "
                + ", ".join(f"{e(t)} ({n} documents)" for t, n in recurring)
                + "</p>"
            )
    return charts.page(f"{head.name} and its statistical neighbours", body)


def _timelines(rows: list[Row]) -> str:
    dated = [d.date for r in rows for d in r.documents if d.date]
    if not dated:
        return "<p class='muted'>No dated documents.</p>"
    first, last = min(dated).year, max(dated).year + 1
    left, right, row_h = charts.label_room([r.council.name for r in rows]), 20, 28
    width = left + 700
    height = row_h * len(rows) + 30
    span = max(1, last - first)

    def x_of(year: float) -> float:
        return left + (width - left - right) * (year - first) / span

    out = [
        f"<svg class='chart' viewBox='0 0 {width} {height}' width='{width}' height='{height}' "
        "role='img' aria-label='documents of the council and its neighbours by date' "
        "xmlns='http://www.w3.org/2000/svg'>"
    ]
    for year in range(first, last + 1):
        x = x_of(year)
        out.append(
            f"<line x1='{x:.1f}' y1='0' x2='{x:.1f}' y2='{height - 20}' stroke='#eee'/>"
            f"<text x='{x:.1f}' y='{height - 6}' font-size='11' text-anchor='middle' "
            f"fill='#666'>{year}</text>"
        )
    for i, row in enumerate(rows):
        y = row_h * i + row_h / 2
        weight = "700" if row.rank == 0 else "400"
        out.append(
            f"<text x='{left - 10}' y='{y + 4:.1f}' font-size='12' font-weight='{weight}' "
            f"text-anchor='end' fill='#222'>{e(row.council.name)}</text>"
            f"<line x1='{left}' y1='{y:.1f}' x2='{width - right}' y2='{y:.1f}' stroke='#ccc'/>"
        )
        for d in row.documents:
            if d.date is None:
                continue
            when = d.date.year + (d.date.timetuple().tm_yday - 1) / 366
            grade = d.overall
            colour = GRADE_COLOURS.get(grade, NO_GRADE)
            n = sum(d.counts.values())
            r = 4 + min(8, n)
            title = f"{d.date.isoformat()} {d.family}: {n} findings" + (
                f", {grade}" if grade else ""
            )
            out.append(
                f"<circle class='doc' cx='{x_of(when):.1f}' cy='{y:.1f}' r='{r}' fill='{colour}' "
                f"stroke='#fff' stroke-width='1.5'><title>{e(title)}</title></circle>"
            )
    out.append("</svg>")
    return "".join(out)
