"""Every document the project has expectations for, laid out again, reads the same.

The layouts come from tests/relayout.py (seeded). For each document and layout the
findings (words, category, responsible body), and the metadata, must be those of the
document as first printed (the 2009-2012 letters among them: the bundled samples, the
real letters and the benchmarks' synthetic ones); test_sample_letters.py and
test_families.py check those against the expectations written for each document.
"""

from __future__ import annotations

import functools

import pytest

from reviewer.segment.families import segment_auto
from reviewer.sources.text import decode
from tests.conftest import SAMPLES
from tests.family_docs import (
    CONSTRUCTED,
    bench_letters,
    corpus_documents,
    corpus_text,
    real_letters,
)
from tests.relayout import LAYOUTS, relayout

SOURCES: dict[str, object] = {p.name: p for p in sorted(SAMPLES.glob("*.txt"))}
SOURCES.update(CONSTRUCTED)
SOURCES.update(corpus_documents())  # real documents, when the shared corpus is here
SOURCES.update(real_letters())  # the real 2009-2012 letters, when they are here
SOURCES.update(bench_letters())  # synthetic letters as the benchmarks make them


@functools.cache
def text_of(name: str) -> str:
    source = SOURCES[name]
    if isinstance(source, str):
        return source
    if source.suffix == ".pdf":
        return corpus_text(source)
    return decode(source.read_bytes())[0]


@functools.cache
def baseline(name: str):
    doc, _ = segment_auto(text_of(name))
    return doc


def reading(doc):
    findings = [(f.category, " ".join(f.text.split()), f.responsible) for f in doc.findings]
    return doc.scheme, findings, doc.metadata


@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize("name", sorted(SOURCES))
@pytest.mark.parametrize("seed", [1, 2])
def test_relaid_document_reads_the_same(name, layout, seed):
    first = baseline(name)
    assert first.findings, "every document here has findings"
    data = relayout(text_of(name), first, layout, seed)
    text, _ = decode(data)
    again, _ = segment_auto(text)
    assert reading(again) == reading(first)


@pytest.mark.parametrize("layout", LAYOUTS)
def test_every_layout_changes_the_printing(layout):
    changed = [
        name
        for name in CONSTRUCTED
        if relayout(text_of(name), baseline(name), layout, 1) != text_of(name).encode("utf-8")
    ]
    assert changed
