"""Finding ids: stable from the words, unique, and cheap however many findings repeat."""

from __future__ import annotations

from reviewer.model import finding_id


def test_ids_come_from_the_words_and_repeats_count_up_in_order():
    taken: set[str] = set()
    first = finding_id("Supervision is  regular.", taken)
    assert first == finding_id("supervision is regular.", set())  # case and spaces folded
    repeats = [finding_id("Supervision is regular.", taken) for _ in range(40)]
    assert repeats == [f"{first}-{n}" for n in range(2, 42)]
    assert len(taken) == 41


def test_a_gap_left_by_a_taken_suffix_never_gives_a_duplicate():
    base = finding_id("x", set())
    taken = {base, f"{base}-2", f"{base}-3", f"{base}-5"}
    fresh = finding_id("x", taken)
    assert fresh not in {base, f"{base}-2", f"{base}-3", f"{base}-5"} and fresh in taken
