"""The register of councils, and which council a document's names mean."""

from __future__ import annotations

import pytest

from reviewer.segment import authorities as A


@pytest.mark.parametrize(
    ("written", "canonical"),
    [
        ("Hartlepool Borough Council", "Hartlepool"),
        ("London Borough of Barnet", "Barnet"),
        ("The Royal Borough of Windsor and Maidenhead", "Windsor and Maidenhead"),
        ("Birmingham City Council", "Birmingham"),
        ("Birmingham Children’s Trust", "Birmingham"),
        ("Together for Children", "Sunderland"),
        ("Bristol City Council", "Bristol"),
        ("Kingston Upon Hull City Council", "Kingston upon Hull"),
        ("St Helens", "St. Helens"),
        ("St. Helens Council", "St. Helens"),
        ("Stockton-On-Tees Borough Council", "Stockton-on-Tees"),
        ("Bournemouth, Christchurch & Poole", "Bournemouth, Christchurch and Poole"),
        ("Bexley Local Area Partnership", "Bexley"),
        ("Durham County Council", "Durham"),
        ("Telford & Wrekin", "Telford and Wrekin"),
    ],
)
def test_written_names_find_their_council(written, canonical):
    found = A.find(written)
    assert found is not None and found.authority.name == canonical
    assert found.score == 100.0


def test_the_longest_name_inside_a_line_wins():
    """'North Somerset' is not Somerset, 'West Sussex' is not Sussex."""
    assert A.find("Inspection of North Somerset local authority children's services")
    found = A.find("Inspection of North Somerset local authority children's services")
    assert found is not None and found.authority.name == "North Somerset"
    found = A.find("West Sussex County Council")
    assert found is not None and found.authority.name == "West Sussex"


def test_a_typo_is_matched_fuzzily_with_its_score():
    found = A.find("Hartlepol")
    assert found is not None and found.authority.name == "Hartlepool"
    assert 90 <= found.score < 100


def test_a_trust_serving_two_councils_decides_nothing_alone():
    assert A.find("Achieving for Children") is None
    found = A.match(["Achieving for Children", "Royal Borough of Kingston upon Thames"])
    assert found is not None and found.authority.name == "Kingston upon Thames"


@pytest.mark.parametrize("written", ["local authority", "Piccadilly Gate", "", "Dear Sir"])
def test_words_that_name_no_council_match_none(written):
    assert A.find(written) is None


def test_letter_keys_carry_the_codes():
    found = A.find("Hartlepool Borough Council")
    assert found is not None
    keys = found.authority.letter_keys()
    assert keys == {
        "authority_name": "Hartlepool",
        "la_code": "805",
        "gss_code": "E06000001",
        "region": "North East",
    }


def test_codes_find_their_council():
    for code in ("805", "E06000001", "e06000001", "80473"):
        found = A.by_code(code)
        assert found is not None and found.name == "Hartlepool"
    assert A.by_code("999") is None


def test_every_council_in_the_register_has_its_codes():
    councils = A.register()
    assert len(councils) >= 150
    for a in councils:
        assert a.la_code.isdigit() and a.gss_code.startswith("E") and a.region, a.name
        assert A.find(a.name) is not None and A.find(a.name).authority == a, a.name


def test_the_register_is_rebuilt_from_a_lookup_table():
    lookup = (
        "\ufeffurn,la_code,la_code_new,local_authority_ons_name,also_known_as,region_name,"
        "utla23nm,ltla23nm,ons_la_type\n"
        '1,801,E06000023,"Bristol, City of",[Bristol],South West,"Bristol, City of",,Unitary\n'
        "2,330,E08000025,Birmingham,,West Midlands,Birmingham,,Metropolitan District\n"
    )
    rows = A.parse_register(A.build_register(lookup))
    assert [r.name for r in rows] == ["Bristol", "Birmingham"]
    assert "Bristol, City of" in rows[0].aliases
    assert "Birmingham Children's Trust" in rows[1].aliases
    assert rows[1].la_code == "330" and rows[1].gss_code == "E08000025"


def test_a_segmented_letter_carries_its_councils_codes():
    from reviewer.segment.families import segment_text
    from tests.conftest import SAMPLES

    text = (SAMPLES / "hartlepool_2011-03_ucra.txt").read_text(encoding="utf-8")
    meta = segment_text(text).metadata
    assert meta["authority"] == "Hartlepool Borough Council"  # as written
    assert (meta["authority_name"], meta["la_code"], meta["gss_code"], meta["region"]) == (
        "Hartlepool",
        "805",
        "E06000001",
        "North East",
    )


def test_a_document_naming_no_council_gets_no_codes():
    from reviewer.segment.families import segment_text

    meta = segment_text("Dear colleague\n\nStrengths\n\n- Staff are kind.\n").metadata
    assert not {"authority_name", "la_code", "gss_code", "region"} & set(meta)
