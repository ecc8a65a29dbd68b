"""Every field correctable: the council from the register, a finding's responsible body,
a section that follows its category, and grades on the framework's own scale."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

import pytest

from reviewer.corpus.validate import council_warnings
from reviewer.review import annotation
from reviewer.review.details import (
    GradeSheet,
    council_keys,
    form_fields,
    framework_for,
)
from reviewer.review.session import ReviewSession, SessionError
from reviewer.segment import authorities
from reviewer.segment.scheme import SchemeError, load_scheme, parse_scheme
from tests.review.test_session import copy_letter

ILACS = load_scheme("ofsted_ilacs")


@pytest.fixture
def session(tmp_path: Path):
    s = ReviewSession.open(copy_letter(tmp_path))
    yield s
    s.close()


# -- the council ---------------------------------------------------------------------------


def test_a_new_written_authority_takes_its_councils_codes(session: ReviewSession) -> None:
    assert session.review.letter["la_code"] == "805"  # Hartlepool
    session.set_metadata({"authority": "Nottinghamshire County Council"})
    letter = session.review.letter
    assert letter["authority"] == "Nottinghamshire County Council"
    assert (letter["authority_name"], letter["la_code"]) == ("Nottinghamshire", "891")
    assert letter["gss_code"] == "E10000024" and letter["region"] == "East Midlands"
    assert council_warnings(letter) == []
    session.undo()
    assert session.review.letter["la_code"] == "805"


def test_a_written_authority_that_names_no_council_drops_the_codes(session) -> None:
    session.set_metadata({"authority": "Somewhere Unheard Of"})
    assert not {"authority_name", "la_code", "gss_code", "region"} & set(session.review.letter)


def test_choosing_a_council_keeps_the_authority_as_written(session) -> None:
    council = authorities.search("nottinghamshre")[0]  # a slip in the typing
    session.set_metadata(council_keys(council))
    letter = session.review.letter
    assert letter["authority"] == "Hartlepool Borough Council"
    assert (letter["authority_name"], letter["la_code"]) == ("Nottinghamshire", "891")


def test_validate_warns_of_codes_of_another_council() -> None:
    letter = {"authority": "Nottinghamshire County Council", "authority_name": "Hartlepool"}
    letter["la_code"] = "805"
    warnings = council_warnings(letter)
    assert len(warnings) == 1 and "Nottinghamshire" in warnings[0]


@pytest.mark.parametrize(
    ("typed", "council"),
    [
        ("nott", "Nottingham"),
        ("Nottinghamshre", "Nottinghamshire"),
        ("891", "Nottinghamshire"),
        ("e10000024", "Nottinghamshire"),
        ("barking", "Barking and Dagenham"),
        ("darlngton", "Darlington"),
        ("west sus", "West Sussex"),
    ],
)
def test_search_the_register_by_name_code_or_typo(typed: str, council: str) -> None:
    assert authorities.search(typed)[0].name == council


def test_search_finds_nothing_for_nonsense() -> None:
    assert authorities.search("zzzz") == [] and authorities.search("  ") == []


# -- a finding's section and responsible body ------------------------------------------------


def test_section_follows_the_category(session: ReviewSession) -> None:
    first = session.findings[0]
    assert first.category == "strength" and first.section == "Strengths"
    session.set_category(0, "satisfactory")
    assert session.findings[0].section == (
        "The service meets the requirements of statutory guidance in the following areas"
    )
    session.set_category(0, "priority_action")  # no finding of it: the category's label
    assert session.findings[0].section == "Priority action"
    session.set_category(0, "strength")
    assert session.findings[0].section == "Strengths"  # taken from the finding beside it
    session.undo()
    assert session.findings[0].section == "Priority action"


def test_a_section_that_names_no_category_stays(session: ReviewSession) -> None:
    session.review.findings[0] = dataclasses.replace(session.findings[0], section="Leadership")
    session.set_category(0, "development")
    assert session.findings[0].section == "Leadership"


def test_responsible_is_only_for_families_that_have_it(session: ReviewSession) -> None:
    with pytest.raises(SessionError, match="no responsible body"):
        session.set_responsible(0, "NHS England")


def test_responsible_of_a_send_finding_is_saved_and_undone(tmp_path: Path) -> None:
    from tests.family_docs import SEND

    path = tmp_path / "send.txt"
    path.write_text(SEND, encoding="utf-8")
    s = ReviewSession.open(path)
    try:
        assert s.scheme.id == "ofsted_send_area"
        i = next(i for i, f in enumerate(s.findings) if f.category == "priority_action")
        s.set_responsible(i, "  Leaders of the local area   partnership ")
        assert s.findings[i].responsible == "Leaders of the local area partnership"
        assert s.findings[i].status == "corrected"
        saved = s.save()
        again = annotation.load(saved)
        assert again.findings[i].responsible == "Leaders of the local area partnership"
        s.undo()
        assert s.findings[i].responsible != "Leaders of the local area partnership"
    finally:
        s.close()


# -- the form's fields and the grades --------------------------------------------------------


def test_a_reports_form_has_no_letter_only_fields() -> None:
    keys = [f.key for f in form_fields({"authority": "Bexley"}, ILACS)]
    assert keys == [
        "authority",
        "inspection_dates",
        "inspection_title",
        "inspector_name",
        "inspector_role",
    ]
    letters = [f.key for f in form_fields({}, load_scheme("ofsted_ucra"))]
    assert {"letter_date", "recipient_name", "copy_to"} <= set(letters)


def _report(judgements: dict[str, str], when: dt.date) -> dict:
    return {"judgements": judgements, "inspection_dates": [when]}


@pytest.mark.parametrize(
    ("judgements", "when", "framework"),
    [
        ({"children_in_care": "Good", "care_leavers": "Good"}, dt.date(2024, 1, 1), "ilacs_2023"),
        ({"children_in_care_and_care_leavers": "Good"}, dt.date(2019, 1, 1), "ilacs_2018"),
        ({"lscb": "Good", "adoption_performance": "Good"}, dt.date(2015, 1, 1), "sif"),
        ({"overall_effectiveness": "Inadequate"}, dt.date(2013, 7, 15), "lac_safeguarding_2013"),
        ({"overall_effectiveness": "Adequate"}, dt.date(2015, 1, 1), "lac_safeguarding_2013"),
        ({}, dt.date(2019, 6, 1), "ilacs_2018"),
        ({}, dt.date(2025, 6, 1), "ilacs_2023"),
    ],
)
def test_a_reports_framework(judgements: dict, when: dt.date, framework: str) -> None:
    assert framework_for(_report(judgements, when), ILACS).id == framework


def test_one_key_chooses_a_grade_on_the_frameworks_scale() -> None:
    sheet = GradeSheet(_report({"leaders": "Good"}, dt.date(2024, 2, 1)), ILACS)
    assert sheet.keys == [
        "overall_effectiveness",
        "leaders",
        "help_and_protection",
        "children_in_care",
        "care_leavers",
    ]
    assert sheet.press("1", "overall_effectiveness")
    assert sheet.press("3", "leaders")
    assert not sheet.press("5", "leaders") and not sheet.press("x", "leaders")
    assert sheet.result() == {
        "overall_effectiveness": "Outstanding",
        "leaders": "Requires improvement to be good",
    }
    assert sheet.key_hint().startswith("1 Outstanding · 2 Good · 3 Requires improvement")
    sheet.press("0", "leaders")
    assert sheet.result() == {"overall_effectiveness": "Outstanding"}


def test_the_2013_scale_has_adequate() -> None:
    sheet = GradeSheet(_report({"overall_effectiveness": "Inadequate"}, dt.date(2013, 7, 1)), ILACS)
    assert "capacity_to_improve" in sheet.keys
    sheet.press("3", "capacity_to_improve")
    assert sheet.result()["capacity_to_improve"] == "Adequate"
    assert "3 Adequate" in sheet.key_hint()


def test_switching_framework_keeps_shared_grades() -> None:
    sheet = GradeSheet(_report({"leaders": "Good", "lscb": "Good"}, dt.date(2015, 1, 1)), ILACS)
    assert sheet.framework.id == "sif"
    sheet.switch("ilacs_2018")
    assert sheet.result()["leaders"] == "Good"
    assert "lscb" in sheet.keys  # a grade the report holds is never hidden


def test_a_scheme_with_a_bad_framework_says_which_key() -> None:
    data = {
        "id": "own",
        "label": "Own",
        "categories": [{"id": "a", "label": "A", "key": "1", "colour": "#000000", "cues": ["a"]}],
        "judgements": [{"id": "overall", "label": "Overall"}],
        "frameworks": [{"id": "f", "judgements": ["overall", "safety"]}],
    }
    with pytest.raises(SchemeError, match="judgement 'safety' is not in"):
        parse_scheme(data, "own.toml")
    data["frameworks"] = [{"id": "f", "judgements": ["overall"], "scale": "ten"}]
    with pytest.raises(SchemeError, match="scale 'ten'"):
        parse_scheme(data, "own.toml")
    data["frameworks"] = [{"id": "f", "judgements": ["overall"]}]
    data["details"] = ["authority", "shoe_size"]
    with pytest.raises(SchemeError, match="shoe_size"):
        parse_scheme(data, "own.toml")
