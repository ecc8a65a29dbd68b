"""A document's year in stats, export and the neighbours comparison is dated as its
family's scheme says (`dated_by`): a report by its inspection, a letter by its date."""

from __future__ import annotations

import datetime as dt

from reviewer.corpus import export, neighbours, stats
from reviewer.segment import authorities
from tests.corpus.test_history import loaded

# Inspected in December 2019, the letter dated January 2020.
DATES = {"inspection_dates": [dt.date(2019, 12, 2), dt.date(2019, 12, 6)]}


def _reviews():
    return [
        loaded("leeds_report.txt", "Leeds", dt.date(2020, 1, 9), "ofsted_ilacs", [], **DATES),
        loaded("leeds_letter.txt", "Leeds", dt.date(2020, 1, 9), "ofsted_ucra", [], **DATES),
    ]


def test_stats_and_export_date_each_document_as_its_scheme_says():
    s = stats.compute(_reviews())
    assert sorted(y for _, y in s.by_family_year) == [2019, 2020]
    rows = export.document_table(_reviews()).rows
    assert [r["year"] for r in rows] == [2019, 2020]


def test_the_neighbours_comparison_dates_a_report_by_its_inspection():
    match = authorities.find("Leeds")
    assert match is not None
    rows = neighbours.compare(_reviews(), match.authority)
    assert sorted(d.date for d in rows[0].documents) == [dt.date(2019, 12, 6), dt.date(2020, 1, 9)]
