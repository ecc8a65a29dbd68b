"""A document's overall grade is the grade of the judgement its family's scheme names
`overall`: stats, history and the neighbours comparison count it, and a family that names
none has no overall grade, whatever its review holds."""

from __future__ import annotations

import datetime as dt

import pytest

from reviewer.corpus import history, neighbours, stats
from reviewer.review.council import overall_grade
from reviewer.segment import authorities
from reviewer.segment.scheme import SchemeError, load_scheme, parse_scheme
from tests.corpus.test_history import loaded

DAYS = {"inspection_dates": [dt.date(2019, 3, 4), dt.date(2019, 3, 15)]}
GRADES = {"overall_effectiveness": "Good", "leaders": "Outstanding"}


def _reviews():
    return [
        loaded(
            "leeds_report.txt", "Leeds", dt.date(2019, 4, 1), "ofsted_ilacs", [],
            judgements=GRADES, **DAYS,
        ),
        # A letter family names no overall judgement: a stray grade is not one.
        loaded(
            "leeds_letter.txt", "Leeds", dt.date(2010, 1, 9), "ofsted_ucra", [],
            judgements={"overall_effectiveness": "Inadequate"},
        ),
    ]  # fmt: skip


def test_the_report_scheme_names_its_overall_judgement():
    assert load_scheme("ofsted_ilacs").overall == "overall_effectiveness"
    assert load_scheme("ofsted_ucra").overall == ""
    assert overall_grade(GRADES, "ofsted_ilacs") == "Good"
    assert overall_grade({"overall_effectiveness": "Inadequate"}, "ofsted_ucra") == ""
    assert overall_grade({}, "ofsted_ilacs") == ""


def test_a_scheme_whose_overall_is_not_one_of_its_judgements_is_refused():
    data = {
        "id": "x",
        "label": "X",
        "categories": [{"key": "1", "id": "a", "label": "A", "colour": "#aa0000", "cues": ["a"]}],
        "judgements": [{"id": "leaders", "label": "Leaders"}],
        "overall": "overall_effectiveness",
    }
    with pytest.raises(SchemeError, match="'overall' must be the id of one of the scheme's"):
        parse_scheme(data, "x.toml")
    data["overall"] = "leaders"
    assert parse_scheme(data, "x.toml").overall == "leaders"


def test_stats_count_the_overall_grade_of_the_families_that_name_one():
    s = stats.compute(_reviews())
    assert [dict(v) for v in s.grades.values()] == [{"Good": 1}]
    assert [g["judgement"] for g in stats.to_dict(s)["grades"]] == ["overall_effectiveness"]


def test_history_and_neighbours_show_the_overall_grade_only_where_the_family_names_one():
    assert "overall_grade" in history.to_csv(history.build(_reviews())).splitlines()[0]
    text = history.to_text(history.build(_reviews()))
    assert "overall: Good" in text and "overall: Inadequate" not in text
    match = authorities.find("Leeds")
    assert match is not None
    documents = neighbours.compare(_reviews(), match.authority)[0].documents
    assert sorted(d.overall for d in documents) == ["", "Good"]
