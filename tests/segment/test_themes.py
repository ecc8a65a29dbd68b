"""Theme tagging from the bundled taxonomy's key phrases."""

from __future__ import annotations

from reviewer.segment.topics import load_taxonomy


def test_a_phrase_counts_as_a_whole_word():
    tax = load_taxonomy()
    assert "workforce" in tax.tag("Staff are suitably qualified and experienced.")
    assert "multi_agency" in tax.tag("Multi-agency meetings are well attended.")


def test_the_second_half_of_a_compound_is_another_word():
    tax = load_taxonomy()
    # care-experienced young people are care leavers, not experienced staff
    assert "workforce" not in tax.tag("Housing provision for care-experienced young people.")
