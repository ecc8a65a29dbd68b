"""The review file, schema v1: round trips, determinism, strict validation, and a property test."""

from __future__ import annotations

import copy
import datetime as dt
import re
import tomllib
from pathlib import Path
from typing import Any
from unittest import mock

import pytest
import tomli_w
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from reviewer.review import annotation
from reviewer.review.annotation import AnnotationError
from reviewer.review.session import ReviewSession, SessionError
from reviewer.segment.families import segment_text
from reviewer.segment.scheme import load_scheme
from reviewer.sources.read import read_letter
from tests.conftest import SAMPLES, segment_file

HARTLEPOOL = SAMPLES / "hartlepool_2011-03_ucra.txt"
STAMP = dt.datetime(2024, 5, 6, 7, 8, 9, tzinfo=dt.UTC)


def review_of(path: Path) -> annotation.Review:
    letter, doc = segment_file(path)
    return annotation.from_document(doc, path.name, letter.sha256, letter.encoding)


@pytest.fixture(scope="module")
def hartlepool() -> annotation.Review:
    return review_of(HARTLEPOOL)


@pytest.fixture
def data(hartlepool: annotation.Review) -> dict[str, Any]:
    """A sound review file, parsed, for a test to break."""
    return tomllib.loads(annotation.dumps(hartlepool))


def error_of(data: dict[str, Any], categories: set[str] | None = None) -> str:
    """The one-line message that loading this review file gives."""
    with pytest.raises(AnnotationError) as info:
        annotation.loads(tomli_w.dumps(data), "r.review.toml", categories)
    message = str(info.value)
    assert "\n" not in message
    assert message.startswith("r.review.toml: ")
    return message


# -- round trips ---------------------------------------------------------------------------


@pytest.mark.parametrize("path", sorted(SAMPLES.glob("*.txt")), ids=lambda p: p.stem)
def test_round_trip_every_sample(path: Path) -> None:
    review = review_of(path)
    assert review.findings
    back = annotation.loads(annotation.dumps(review), categories=set(load_scheme().by_id))
    assert back.findings == review.findings
    assert back.letter == review.letter
    for key in ("source_path", "sha256", "encoding", "scheme", "status", "created", "updated"):
        assert getattr(back, key) == getattr(review, key), key
    assert annotation.dumps(back) == annotation.dumps(review)


def test_dates_stay_toml_dates(hartlepool: annotation.Review) -> None:
    text = annotation.dumps(hartlepool)
    assert re.search(r"^letter_date = 2011-03-16$", text, re.M)
    assert re.search(r"^\s+2011-02-15,$", text, re.M)
    assert '"2011-03-16"' not in text
    back = annotation.loads(text)
    assert back.letter["letter_date"] == dt.date(2011, 3, 16)
    assert type(back.letter["letter_date"]) is dt.date
    assert back.letter["inspection_dates"] == [dt.date(2011, 2, 15), dt.date(2011, 2, 16)]
    assert isinstance(back.created, dt.datetime) and back.created.tzinfo is not None


def test_output_is_deterministic_apart_from_timestamps() -> None:
    def strip(text: str) -> str:
        return re.sub(r"^(created|updated) = .*$", "", text, flags=re.M)

    first = annotation.dumps(review_of(HARTLEPOOL))
    second = annotation.dumps(review_of(HARTLEPOOL))
    assert re.search(r"^created = \d{4}-\d\d-\d\d", first, re.M)
    assert strip(first) == strip(second)


def test_unknown_tables_and_keys_are_kept(data: dict[str, Any]) -> None:
    data["x_local"] = {"flag": True}
    data["letter"]["x_ward"] = "North"
    back = annotation.loads(tomli_w.dumps(data))
    assert back.extra == {"x_local": {"flag": True}}
    assert back.letter["x_ward"] == "North"
    again = tomllib.loads(annotation.dumps(back))
    assert again["x_local"] == {"flag": True} and again["letter"]["x_ward"] == "North"


def test_optional_keys_take_defaults(data: dict[str, Any]) -> None:
    del data["letter"]
    for f in data["findings"]:
        for key in ("auto_category", "section", "confidence", "note", "context_before"):
            f.pop(key, None)
    for key in ("reviewer", "created", "updated", "tool"):
        data["review"].pop(key)
    back = annotation.loads(tomli_w.dumps(data))
    assert back.letter == {}
    assert back.findings[0].confidence == 1.0 and back.findings[0].note == ""
    assert back.findings[0].auto_category == ""
    assert back.created is None


# -- validation: every error names its key ----------------------------------------------


def test_sound_file_loads(data: dict[str, Any]) -> None:
    annotation.loads(tomli_w.dumps(data), categories=set(load_scheme().by_id))


def test_missing_schema_version(data: dict[str, Any]) -> None:
    del data["schema_version"]
    assert "missing key 'schema_version'" in error_of(data)


def test_newer_schema_version(data: dict[str, Any]) -> None:
    data["schema_version"] = 2
    msg = error_of(data)
    assert "schema_version 2" in msg and "newer than this program" in msg


@pytest.mark.parametrize("value", [0, -1, "1", True, 1.0])
def test_invalid_schema_version(data: dict[str, Any], value: Any) -> None:
    data["schema_version"] = value
    assert "schema_version" in error_of(data)


def test_missing_source_sha256(data: dict[str, Any]) -> None:
    del data["source"]["sha256"]
    msg = error_of(data)
    assert "[source]" in msg and "missing key 'sha256'" in msg


@pytest.mark.parametrize("table", ["source", "review"])
def test_missing_table(data: dict[str, Any], table: str) -> None:
    del data[table]
    assert f"missing key '{table}'" in error_of(data)


def test_wrong_type_for_start(data: dict[str, Any]) -> None:
    data["findings"][0]["start"] = "2041"
    msg = error_of(data)
    assert "findings[0]" in msg and "'start'" in msg and "int" in msg


def test_bool_is_not_an_offset(data: dict[str, Any]) -> None:
    data["findings"][1]["end"] = True
    msg = error_of(data)
    assert "findings[1]" in msg and "'end'" in msg


def test_unknown_category_with_categories(data: dict[str, Any]) -> None:
    data["findings"][3]["category"] = "excellent"
    cats = set(load_scheme().by_id)
    msg = error_of(data, cats)
    assert "findings[3]" in msg and "'category'" in msg and "'excellent'" in msg
    assert "strength" in msg  # lists the categories to use
    annotation.loads(tomli_w.dumps(data))  # no categories given: not checked


def test_unknown_auto_category_with_categories(data: dict[str, Any]) -> None:
    data["findings"][2]["auto_category"] = "gone"
    msg = error_of(data, set(load_scheme().by_id))
    assert "findings[2]" in msg and "'auto_category'" in msg and "'gone'" in msg


def test_unknown_finding_status(data: dict[str, Any]) -> None:
    data["findings"][4]["status"] = "accepted"
    msg = error_of(data)
    assert "findings[4]" in msg and "'status'" in msg and "'accepted'" in msg
    assert "confirmed" in msg


def test_unknown_review_status(data: dict[str, Any]) -> None:
    data["review"]["status"] = "done"
    msg = error_of(data)
    assert "[review]" in msg and "status 'done'" in msg


def test_duplicate_ids(data: dict[str, Any]) -> None:
    data["findings"][5]["id"] = data["findings"][2]["id"]
    msg = error_of(data)
    assert "findings[5]" in msg and "'id'" in msg and data["findings"][2]["id"] in msg


@pytest.mark.parametrize(("start", "end"), [(-1, 10), (-5, -2), (10, 9)])
def test_bad_offsets(data: dict[str, Any], start: int, end: int) -> None:
    data["findings"][0]["start"] = start
    data["findings"][0]["end"] = end
    msg = error_of(data)
    assert "findings[0]" in msg and "'start'/'end'" in msg


def test_invalid_toml_names_line_and_column() -> None:
    text = 'schema_version = 1\n[source]\npath = "x.txt"\nsha256 = oops\n'
    with pytest.raises(AnnotationError) as info:
        annotation.loads(text, "r.review.toml")
    msg = str(info.value)
    assert "\n" not in msg
    assert msg.startswith("r.review.toml: not valid TOML")
    assert "line 4" in msg and "column" in msg


def test_letter_date_as_string(data: dict[str, Any]) -> None:
    data["letter"]["letter_date"] = "2011-03-16"
    msg = error_of(data)
    assert "[letter]" in msg and "'letter_date'" in msg and "date" in msg


def test_letter_date_as_datetime(data: dict[str, Any]) -> None:
    data["letter"]["letter_date"] = dt.datetime(2011, 3, 16, 9, 0)
    assert "'letter_date'" in error_of(data)


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("inspection_dates", ["2011-02-15"]),
        ("inspection_dates", "2011-02-15"),
        ("copy_to", [1, 2]),
        ("authority", 7),
        ("no_priority_actions", "yes"),
    ],
)
def test_letter_key_types(data: dict[str, Any], key: str, value: Any) -> None:
    data["letter"][key] = value
    msg = error_of(data)
    assert "[letter]" in msg and f"'{key}'" in msg


def test_finding_not_a_table() -> None:
    text = 'schema_version = 1\nfindings = [1]\n[source]\npath = "a"\nsha256 = "b"\n'
    text += 'encoding = "utf-8"\n[review]\nstatus = "auto"\nscheme = "ofsted_ucra"\n'
    with pytest.raises(AnnotationError, match=r"findings\[0\] must be a table"):
        annotation.loads(text, "r.review.toml")


def test_themes_must_be_strings(data: dict[str, Any]) -> None:
    data["findings"][0]["themes"] = [1]
    assert "'themes'" in error_of(data)


@pytest.mark.parametrize(("key", "value"), [("status", "bad\nstatus"), ("id", "dup\nid")])
def test_messages_stay_one_line_with_hostile_values(
    data: dict[str, Any], key: str, value: str
) -> None:
    data["findings"][0][key] = value
    if key == "id":
        data["findings"][1]["id"] = value
    error_of(data)


def test_load_missing_and_not_utf8(tmp_path: Path) -> None:
    with pytest.raises(AnnotationError, match="no such review file"):
        annotation.load(tmp_path / "none.review.toml")
    bad = tmp_path / "bad.review.toml"
    bad.write_bytes(b"schema_version = 1\n\xff\xfe")
    with pytest.raises(AnnotationError, match="not UTF-8"):
        annotation.load(bad)


def test_check_against_letter(hartlepool: annotation.Review) -> None:
    letter = read_letter(HARTLEPOOL)
    assert annotation.check_against_letter(hartlepool, letter.text, letter.sha256, "r") == []
    review = copy.deepcopy(hartlepool)
    review.findings[0].end = len(letter.text) + 3
    found = annotation.check_against_letter(review, letter.text, "0" * 64, "r")
    assert len(found) == 2
    assert "sha256" in found[0] and "outside the letter" in found[1]


# -- property: save, load, save again is byte-identical ---------------------------------

TRICKY = [
    '"',
    "'",
    "\\",
    '\\"',
    "\\u0041",
    "\n",
    "\r\n",
    "\r",
    "\t",
    "\x00",
    "\x01",
    "\x1b[31m",
    "\x7f",
    "\x85",
    "\u2028",
    "\ufeff",
    "'''",
    '"""',
    "# comment",
    "[review]",
    "key = 1",
    "\U0001f600",
    "e\u0301",
    "\u202e",
    " ",
]
TEXTS = st.one_of(
    st.text(max_size=40),
    st.lists(st.one_of(st.sampled_from(TRICKY), st.text(max_size=4)), max_size=8).map("".join),
)
CATEGORIES = sorted(load_scheme().by_id)
INDEX = st.integers(0, 40)
OPS = st.one_of(
    st.tuples(st.just("set_category"), INDEX, st.sampled_from(CATEGORIES)),
    st.tuples(st.just("confirm"), INDEX),
    st.tuples(st.just("edit_text"), INDEX, TEXTS),
    st.tuples(st.just("set_note"), INDEX, TEXTS),
    st.tuples(st.just("delete"), INDEX),
    st.tuples(st.just("merge"), INDEX),
    st.tuples(st.just("split"), INDEX, st.none() | st.floats(0, 1)),
    st.tuples(st.just("add"), st.floats(0, 1), st.integers(1, 600), st.sampled_from(CATEGORIES)),
    st.tuples(st.just("undo")),
    st.tuples(st.just("redo")),
)


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory):
    folder = tmp_path_factory.mktemp("property")
    path = folder / HARTLEPOOL.name
    path.write_bytes(HARTLEPOOL.read_bytes())
    letter = read_letter(path)
    scheme = load_scheme("ofsted_ucra")
    doc = segment_text(letter.text, scheme)
    review = annotation.from_document(doc, path.name, letter.sha256, letter.encoding)
    return letter, review, scheme, annotation.review_path_for(path)


def apply(s: ReviewSession, op: tuple) -> None:
    name, *args = op
    n = len(s.findings)
    if name == "undo":
        s.undo()
        return
    if name == "redo":
        s.redo()
        return
    if name == "add":
        frac, size, cat = args
        start = int(frac * len(s.text))
        s.add(start, start + size, cat)
        return
    if not n:
        return
    i = args[0] % n
    if name == "set_category":
        s.set_category(i, args[1])
    elif name == "confirm":
        s.confirm(i)
    elif name == "edit_text":
        s.edit_text(i, args[1])
    elif name == "set_note":
        s.set_note(i, args[1])
    elif name == "delete":
        s.delete(i)
    elif name == "merge":
        s.merge_next(i)
    elif name == "split":
        f = s.findings[i]
        at = None if args[1] is None else f.start + int(args[1] * (f.end - f.start))
        s.split(i, at)


@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(ops=st.lists(OPS, max_size=25))
def test_save_load_save_is_byte_identical(base, ops: list[tuple]) -> None:
    letter, review, scheme, path = base
    s = ReviewSession(letter, copy.deepcopy(review), scheme, path)
    for op in ops:
        try:
            apply(s, op)
            event(f"{op[0]} made")
        except SessionError:
            event(f"{op[0]} refused")
    cats = set(scheme.by_id)
    with mock.patch.object(annotation, "now", return_value=STAMP):
        s.save()
        first = path.read_bytes()
        loaded = annotation.load(path, cats)
        assert loaded.findings == s.findings
        assert loaded.letter == s.review.letter
        assert loaded.updated == STAMP
        assert annotation.dumps(loaded).encode("utf-8") == first
        again = ReviewSession(letter, loaded, scheme, path)
        again.save()
    assert path.read_bytes() == first


def test_cached_dumps_is_the_same_text(tmp_path: Path) -> None:
    """Saving with the per-finding cache writes exactly what a full dump writes."""
    import dataclasses

    letter = read_letter(HARTLEPOOL)
    review = annotation.from_document(
        segment_text(letter.text), "h.txt", letter.sha256, letter.encoding
    )
    cache: dict = {}
    assert annotation.dumps(review, cache) == annotation.dumps(review)
    review.findings[3] = dataclasses.replace(review.findings[3], note='a "quoted"\nnote')
    del review.findings[5]
    assert annotation.dumps(review, cache) == annotation.dumps(review)
    assert len(cache) == len(review.findings)
    review.findings = []
    assert annotation.dumps(review, cache) == annotation.dumps(review)
