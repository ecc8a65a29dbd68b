"""The README documents every key a review file can hold and every family's scheme: a key
added to the program without a line in the README fails here."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from reviewer.review import annotation
from reviewer.segment.scheme import bundled_schemes, load_scheme
from reviewer.segment.spec import FINDERS, ITEM_MODES, KINDS

README = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")


def _section(title: str) -> str:
    start = README.index(f"\n## {title}\n")
    end = README.find("\n## ", start + 1)
    return README[start : end if end != -1 else len(README)]


def _documented_keys() -> set[str]:
    """Every `[table].key` and `[[findings]].key` named in the format table's first column."""
    keys = set()
    for line in _section("Annotation file format").splitlines():
        if not line.startswith("| `"):
            continue
        first = line.split("|")[1]
        for name in re.findall(r"`([^`]+)`", first):
            keys.add(name)
    return keys


def _expected_keys() -> set[str]:
    keys = {"schema_version"}
    keys |= {f"[source].{k}" for k in annotation._SOURCE_KEYS}
    keys |= {f"[review].{k}" for k in annotation._REVIEW_KEYS}
    keys |= {f"[letter].{k}" for k in annotation.LETTER_KEYS}
    keys |= {f"[[findings]].{k}" for k in annotation._FINDING_KEYS}
    return keys


def test_the_format_table_documents_every_key_a_review_file_holds() -> None:
    missing = sorted(_expected_keys() - _documented_keys())
    assert missing == []


@pytest.mark.parametrize("scheme_id", bundled_schemes())
def test_document_families_names_each_scheme_its_categories_and_judgements(
    scheme_id: str,
) -> None:
    text = _section("Document families")
    scheme = load_scheme(scheme_id)
    assert f"`{scheme.id}`" in text
    for category in scheme.categories:
        assert f"`{category.id}`" in text, category.id
    for judgement in scheme.judgements:
        assert f"`{judgement.id}`" in text, judgement.id


def test_category_schemes_names_every_engine_mode_finder_and_kind() -> None:
    text = _section("Category schemes")
    for word in (*ITEM_MODES, *FINDERS, *KINDS):
        assert f"`{word}`" in text, word
