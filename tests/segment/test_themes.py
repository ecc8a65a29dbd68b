"""Theme tagging from the bundled taxonomy's key phrases."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

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


def _by_every_pattern(taxonomy, text: str) -> tuple[str, ...]:
    """The themes tagging must give: every theme's whole-word pattern tried on the text."""
    return tuple(
        t.id for t, p in zip(taxonomy.themes, taxonomy.patterns, strict=True) if p.search(text)
    )


@settings(max_examples=400, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["", "a", "non-", "x", "(", "the ", "Staff say ", "re"]),
            st.integers(0, 10_000),
            st.sampled_from([str.lower, str.upper, str.title, str]),
            st.sampled_from([" ", "-", "  ", "\n"]),
            st.sampled_from(["", ".", "s", "'s", "-led", "ing", " work", ")"]),
        ),
        min_size=1,
        max_size=4,
    )
)
def test_the_words_of_a_text_never_rule_out_a_theme_its_patterns_find(parts):
    """Tagging tries a theme's pattern only when a word of the text starts one of its
    phrases: whatever the phrases' company (glued to other words, hyphenated, in capitals,
    inside longer words), it finds exactly what trying every pattern finds."""
    tax = load_taxonomy()
    phrases = [p for t in tax.themes for p in t.phrases]
    text = " ".join(
        before + case(phrases[k % len(phrases)]).replace(" ", gap) + after
        for before, k, case, gap, after in parts
    )
    assert tax.tag(text) == _by_every_pattern(tax, text)


def test_tagging_finds_what_every_pattern_finds_in_real_letters():
    from tests.conftest import SAMPLES

    tax = load_taxonomy()
    for path in sorted(SAMPLES.glob("*.txt")):
        text = path.read_text(encoding="utf-8", errors="replace")
        for at in range(0, len(text), 150):
            piece = text[at : at + 400]
            assert tax.tag(piece) == _by_every_pattern(tax, piece), (path.name, at)
