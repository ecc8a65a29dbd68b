"""A council's history: one council whatever its spelling, date order, recurring findings."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from pathlib import Path

from reviewer.corpus import history
from reviewer.corpus.loading import Loaded
from reviewer.model import Finding
from reviewer.review.annotation import Review


def finding(text: str, category: str = "improvement", topics: tuple[str, ...] = ()) -> Finding:
    return Finding(
        id="f" + str(abs(hash(text)) % 10**8),
        category=category,
        section="",
        text=text,
        start=0,
        end=len(text),
        themes=topics,
    )


def loaded(name: str, authority: str, when: dt.date, scheme: str, findings, **letter) -> Loaded:
    letter = {"authority": authority, "letter_date": when, **letter}
    review = Review(name, "0" * 64, "utf-8", scheme, letter, list(findings))
    return Loaded(Path(name), review)


SUPERVISION_2016 = "Ensure that supervision of social workers is regular and reflective."
SUPERVISION_2023 = (
    "Ensure that the supervision of social workers is regular and reflective of practice."
)
HEALTH_2019 = "Improve the timeliness of initial health assessments for children in care."
HEALTH_2023 = (
    "Dental checks, optician visits, immunisations and initial health reviews for children in "
    "care are often late, recorded poorly, and rarely followed up by carers, nurses or social "
    "workers in placements far from home."
)
# Findings of another council, so that words every report uses are common, as in real use.
BACKGROUND = [
    f"Ensure that the quality of work with children and families improves in area {w}."
    for w in ("north", "south", "east", "west", "central", "upper", "lower", "middle", "outer")
] + [
    f"Leaders should ensure that managers oversee practice with children in {w} teams."
    for w in ("early", "front", "duty", "assessment", "family", "court", "care", "fostering")
]


def birmingham_history() -> list[Loaded]:
    return [
        loaded(
            "b2023.review.toml",
            "Birmingham Children’s Trust",
            dt.date(2023, 5, 1),
            "ofsted_ilacs",
            [finding(SUPERVISION_2023), finding(HEALTH_2023, topics=("timeliness",))],
            judgements={"overall_effectiveness": "Good"},
        ),
        loaded(
            "b2016.review.toml",
            "Birmingham City Council",
            dt.date(2016, 3, 2),
            "ofsted_ilacs",
            [finding(SUPERVISION_2016), finding("Leaders know their services well.", "strength")],
            judgements={"overall_effectiveness": "Inadequate"},
        ),
        loaded(
            "b2019.review.toml",
            "Birmingham",
            dt.date(2019, 9, 9),
            "ofsted_focused_visit",
            [finding(HEALTH_2019, topics=("timeliness",))],
        ),
        loaded(
            "h.review.toml",
            "Hartlepool Borough Council",
            dt.date(2011, 3, 4),
            "ofsted_ucra",
            [finding(t) for t in BACKGROUND],
        ),
    ]


def test_spellings_of_one_council_make_one_history_in_date_order():
    councils = history.build(birmingham_history())
    assert [c.name for c in councils] == ["Birmingham", "Hartlepool"]
    b = councils[0]
    assert (b.la_code, b.gss_code, b.region) == ("330", "E08000025", "West Midlands")
    assert [d.date for d in b.documents] == [
        dt.date(2016, 3, 2),
        dt.date(2019, 9, 9),
        dt.date(2023, 5, 1),
    ]


def test_findings_that_come_back_link_to_the_earlier_one_with_how_and_similarity():
    b = history.build(birmingham_history(), authority="330")[0]
    latest = b.documents[-1]
    supervision, health = latest.findings
    assert supervision.recurs is not None and supervision.recurs.how == "wording"
    assert supervision.recurs.document == 0 and supervision.recurs.similarity >= history.WORDING
    assert {"supervision", "reflective"} <= set(supervision.recurs.words)
    assert health.recurs is not None and health.recurs.how == "topic: timeliness"
    assert health.recurs.document == 1
    assert history.TOPIC_WORDING <= health.recurs.similarity < history.WORDING
    assert set(health.recurs.words) == {"health", "initial"}
    assert b.recurring == 2


def test_words_every_finding_uses_are_no_evidence_of_a_link():
    """Two findings that share only common words ("ensure", "children", "quality") and one
    uncommon word do not link, however alike they look."""
    reviews = birmingham_history()
    reviews[0].review.findings.append(
        finding("Ensure that the quality of work with children and families improves in area x.")
    )
    b = history.build(reviews, "Birmingham")[0]
    assert b.documents[-1].findings[-1].recurs is None


def test_strengths_and_unrelated_findings_never_link():
    b = history.build(birmingham_history(), authority="Birmingham")[0]
    first = b.documents[0]
    assert all(f.recurs is None for f in first.findings)  # nothing earlier
    assert history.similarity("Leaders know their services well.", SUPERVISION_2023) == 0


def test_one_council_is_chosen_by_name_or_code():
    assert [c.name for c in history.build(birmingham_history(), "E06000001")] == ["Hartlepool"]
    assert [c.name for c in history.build(birmingham_history(), "Hartlepool")] == ["Hartlepool"]
    assert history.build(birmingham_history(), "Nowhere") == []


def test_text_csv_and_json_carry_the_links():
    councils = history.build(birmingham_history(), "Birmingham")
    text = history.to_text(councils)
    assert "Birmingham (330, E08000025, West Midlands)" in text
    assert "came back from 2016-03-02 (wording" in text and "both say:" in text
    assert f"now:  {SUPERVISION_2023}" in text and f"then: {SUPERVISION_2016}" in text
    rows = list(csv.DictReader(io.StringIO(history.to_csv(councils))))
    assert len(rows) == 5
    back = [r for r in rows if r["recurs_how"]]
    assert {r["recurs_from_date"] for r in back} == {"2016-03-02", "2019-09-09"}
    data = json.loads(history.to_json(councils))
    assert data[0]["documents"][2]["findings"][0]["recurs"]["how"] == "wording"


def test_html_is_one_self_contained_page_with_the_text_escaped():
    reviews = birmingham_history()
    reviews[0].review.findings.append(finding("<script>alert(1)</script> & more"))
    page = history.to_html(history.build(reviews, "Birmingham"))
    assert page.startswith("<!doctype html>") and "<svg" in page
    assert "<script>" not in page and "&lt;script&gt;" in page
    assert "src=" not in page and "href=" not in page  # nothing fetched from elsewhere
    assert page.count("<circle") == 3 and page.count("<path") == 2
