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


def test_patterns_are_compiled_at_the_first_tagging_not_when_labels_are_read(monkeypatch):
    """The findings table reads labels on the first screen's path: no pattern is compiled
    for them, and the first tagging compiles each theme's once."""
    from reviewer.segment import topics

    compiled: list[tuple[str, ...]] = []
    real = topics._compile
    monkeypatch.setattr(
        topics, "_compile", lambda phrases: compiled.append(phrases) or real(phrases)
    )
    taxonomy = topics.parse_taxonomy(
        {"themes": [{"id": "sup", "label": "Supervision", "phrases": ["supervision"]}]}, "t"
    )
    assert taxonomy.label_of("sup") == "Supervision"
    assert compiled == []
    assert taxonomy.tag("Regular supervision is in place.") == ("sup",)
    assert taxonomy.tag("No supervisions here; supervision there.") == ("sup",)
    assert compiled == [("supervision",)]
