"""The one table of `[letter]` keys is what the envelope reader, the review file's checks,
the details form and the export read: a key's entry there decides for all of them."""

from __future__ import annotations

import tomllib

import pytest
import tomli_w

from reviewer.corpus import export
from reviewer.review import annotation, details
from reviewer.review.annotation import AnnotationError
from reviewer.review.session import ReviewSession
from reviewer.segment import letter_keys
from reviewer.segment.envelope import ORDER
from tests.conftest import SAMPLES


def test_every_key_a_letters_envelope_gives_is_in_the_table_with_its_type() -> None:
    seen: set[str] = set()
    for path in sorted(SAMPLES.glob("*.txt")):
        session = ReviewSession.open(path, read_only=True)
        for key, value in session.review.letter.items():
            if key in ORDER:
                entry = letter_keys.BY_KEY[key]
                assert isinstance(value, entry.type), (path.name, key)
                seen.add(key)
        session.close()
    assert {"authority", "letter_date", "copy_to"} <= seen
    assert tuple(k.key for k in letter_keys.KEYS if k.envelope) == ORDER


def test_the_form_shows_the_tables_labelled_keys_with_their_kind() -> None:
    form = {f.key: (f.label, f.kind) for f in details.FIELDS}
    table = {k.key: (k.label, k.kind) for k in letter_keys.KEYS if k.label}
    assert form == table
    assert details.COUNCIL_KEYS == ("authority_name", "la_code", "gss_code", "region")


@pytest.mark.parametrize("entry", letter_keys.KEYS, ids=lambda k: k.key)
def test_a_review_file_is_held_to_each_keys_kind(entry: letter_keys.LetterKey) -> None:
    session = ReviewSession.open(SAMPLES / "hartlepool_2011-03_ucra.txt", read_only=True)
    data = tomllib.loads(annotation.dumps(session.review))
    session.close()
    wrong = {"list": [1], "dates": ["2011-02-15"]}.get(entry.kind, 7)
    data["letter"][entry.key] = wrong
    with pytest.raises(AnnotationError, match=f"'{entry.key}' must be"):
        annotation.loads(tomli_w.dumps(data), "r.review.toml")


def test_the_export_gives_each_column_key_its_own_column_and_a_list_key_an_empty_list() -> None:
    assert {k for k in letter_keys.COLUMN_KEYS} <= set(export.COLUMNS)
    assert {"copy_to", "recipients"} == export._LIST_KEYS
