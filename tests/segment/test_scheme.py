"""Category schemes: heading recognition by fuzzy match, and clear errors for bad files."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from reviewer.segment.families import segment_text
from reviewer.segment.scheme import SchemeError, detect_scheme, load_scheme


@pytest.fixture(scope="module")
def scheme():
    return load_scheme("ofsted_ucra")


@pytest.mark.parametrize(
    ("line", "category"),
    [
        ("Strengths", "strength"),
        ("STRENGTHS:", "strength"),
        ("Strenghts", "strength"),
        ("Areas for development", "development"),
        ("AREAS FOR DEVELOPMENT:", "development"),
        ("Area for development", "development"),
        ("Areas for developmnet", "development"),
        ("Areas for priority action", "priority_action"),
        ("| Strengths | |", "strength"),
    ],
)
def test_headings_match_despite_case_colons_and_typos(scheme, line, category):
    assert scheme.match_heading(line)[0] == category


@pytest.mark.parametrize(
    "line",
    [
        "The council has made progress on the areas for development identified in 2009.",
        "INVESTOR IN PEOPLE",
        "Yours sincerely",
        "Strong leadership is evident",
        "Dear Ms Bailey",
    ],
)
def test_ordinary_lines_are_not_headings(scheme, line):
    assert scheme.match_heading(line)[0] is None


def test_sentence_mentions(scheme):
    found = scheme.mentions(
        "From the evidence gathered, the following strengths and areas for development were "
        "also identified:"
    )
    assert set(found) == {"strength", "development"}
    found = scheme.mentions(
        "The service meets the requirements of statutory guidance in the following areas"
    )
    assert set(found) == {"satisfactory"}


def test_categories_are_data(scheme):
    assert [c.id for c in scheme.categories] == [
        "strength",
        "satisfactory",
        "development",
        "priority_action",
    ]
    assert [c.key for c in scheme.categories] == ["1", "2", "3", "4"]
    assert scheme.label_of("satisfactory") == "Meets requirements"


def test_scheme_by_path(tmp_path):
    p = tmp_path / "mine.toml"
    p.write_text(
        'id = "mine"\nlabel = "Mine"\n[[categories]]\nid = "good"\nlabel = "Good"\nkey = "g"\n'
        'colour = "#00ff00"\ncues = ["good things"]\n',
        encoding="utf-8",
    )
    s = load_scheme(p)
    assert s.id == "mine"
    assert s.match_heading("Good things:")[0] == "good"


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ('label = "x"\ncategories = []', "missing key 'id'"),
        ('id = "x"\nlabel = "x"\ncategories = []', "'categories' is empty"),
        (
            'id="x"\nlabel="x"\n[[categories]]\nid="a"\nlabel="A"\nkey="1"\ncolour="red"\ncues=["a"]',
            "colour 'red'",
        ),
        (
            'id="x"\nlabel="x"\n[[categories]]\nid="a"\nlabel="A"\nkey="1"\ncolour="#000000"\ncues=["a"]\n'
            '[[categories]]\nid="b"\nlabel="B"\nkey="1"\ncolour="#000000"\ncues=["b"]',
            "key '1' is already used",
        ),
        ("id = [", "not valid TOML"),
        (
            'id="x"\nlabel="x"\n[[categories]]\nid="a"\nlabel="A"\nkey="1"\ncolour="#000000"',
            "missing key 'cues'",
        ),
    ],
)
def test_malformed_scheme_is_a_clear_error(tmp_path, body, message):
    p = tmp_path / "bad.toml"
    p.write_text(body, encoding="utf-8")
    with pytest.raises(SchemeError) as err:
        load_scheme(p)
    assert message in str(err.value)
    assert "bad.toml" in str(err.value)
    assert "\n" not in str(err.value)


def test_unknown_scheme_name():
    with pytest.raises(SchemeError, match="unknown scheme 'nope'"):
        load_scheme("nope")


_ENGINE = (
    'id="x"\nlabel="x"\n'
    '[[categories]]\nid="a"\nlabel="A"\nkey="1"\ncolour="#000000"\ncues=["areas for a"]\n'
)


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ('[detect]\ntitle = ["(unclosed"]\n', "detect: title[0] is not a valid regular expression"),
        ('[detect]\ntitle = []\nphrases = "one"\n', "'detect.phrases' must be a list"),
        ('[segment]\nitems = "lines"\n', "'segment.items.default' must be one of"),
        ('[segment]\nitems = { b = "bullets" }\n', "'segment.items.b' names no category"),
        ('[segment]\nitems = { a = "responsible_table" }\n', "'segment.table' must be a table"),
        (
            '[segment]\nitems = { a = "responsible_table" }\n[segment.table]\nheader = "x"\n',
            "missing key 'segment.table.complete'",
        ),
        ('[segment]\nstop = ["[z-a]"]\n', "segment: stop[0] is not a valid regular expression"),
        ('[segment]\nlists = "letter"\n', "'segment.lists' is no longer read"),
        ('[segment]\nenvelope = "memo"\n', "'segment.envelope' must be one of letter"),
        ('[segment]\ngrades = "stars"\n', "'segment.grades' must be one of report"),
        ('[[metadata]]\nkey = "when"\nfind = "guess"\npattern = "x"\n', "'find' must be one of"),
        ('[[metadata]]\nkey = "when"\nfind = "regex"\n', "metadata[0]: missing key 'pattern'"),
        (
            '[[metadata]]\nkey = "when"\nfind = "regex"\npattern = "on (.*)"\n',
            "must name the value's group (?P<v>...)",
        ),
        (
            '[[metadata]]\nkey = "who"\nfind = "line_after"\npattern = "^Dear"\nnth = 0\n',
            "'nth' must be a whole number",
        ),
        (
            '[[metadata]]\nkey = "who"\nfind = "lines_between"\npattern = "^Dear"\n',
            "missing key 'until'",
        ),
        (
            '[[metadata]]\nkey = "who"\nfind = "regex"\npattern = "(?P<v>x)"\npatern = "y"\n',
            "unknown key 'patern'",
        ),
    ],
)
def test_malformed_engine_scheme_is_a_one_line_error_naming_file_and_key(tmp_path, body, message):
    p = tmp_path / "family.toml"
    p.write_text(_ENGINE + body, encoding="utf-8")
    with pytest.raises(SchemeError) as err:
        load_scheme(p)
    assert message in str(err.value)
    assert str(err.value).startswith(str(p))
    assert "\n" not in str(err.value)


def test_a_scheme_with_the_old_layout_key_is_told_what_to_write_instead(tmp_path):
    p = tmp_path / "old.toml"
    p.write_text('layout = "engine"\n' + _ENGINE, encoding="utf-8")
    with pytest.raises(
        SchemeError, match="key .layout. is no longer read; describe the family in \\[segment\\]"
    ):
        load_scheme(p)


def test_no_bundled_scheme_has_a_layout_switch():
    from reviewer.segment.scheme import bundled_schemes

    for name in bundled_schemes():
        assert "layout" not in load_scheme(name).raw


def test_a_new_family_names_its_envelope_and_grade_readers_in_its_scheme_file(tmp_path):
    """A graded monitoring letter: the letter's envelope, headed lists, a grade table."""
    p = tmp_path / "graded.toml"
    p.write_text(
        'id = "graded"\nlabel = "Graded monitoring letter"\n'
        '[detect]\ntitle = ["^Graded monitoring visit "]\n'
        '[segment]\nenvelope = "letter"\ngrades = "report"\nstop = ["^next steps$"]\n'
        '[[categories]]\nid = "todo"\nlabel = "To do"\nkey = "1"\ncolour = "#000000"\n'
        'cues = ["what needs to improve"]\n'
        '[[metadata]]\nkey = "inspection_dates"\nfind = "dates"\npattern = "visited on "\n',
        encoding="utf-8",
    )
    scheme = load_scheme(p)
    text = (
        "Ofsted\nPiccadilly Gate\n\n12 May 2025\n\nMs Sam Green\nDirector of Children’s Services\n"
        "Westmoor Borough Council\n\nDear Ms Green\n\n"
        "Graded monitoring visit of arrangements within Westmoor Borough Council children’s "
        "services\n\n"
        "Inspectors visited on 1 and 2 May 2025.\n\nJudgement Grade\n"
        "Overall effectiveness Good\n\n"
        "What needs to improve\n- The timeliness of assessments.\n- Supervision records.\n"
        "Next steps\n- Not a finding.\n\nYours sincerely\n\nAlex Jones\n"
        "His Majesty’s Inspector\n"
    )
    assert detect_scheme(text, [load_scheme("ofsted_jtai"), scheme]) is scheme
    doc = segment_text(text, scheme)
    assert [f.text for f in doc.findings] == [
        "The timeliness of assessments.",
        "Supervision records.",
    ]
    md = doc.metadata
    assert md["letter_date"] == dt.date(2025, 5, 12)
    assert md["recipient_name"] == "Ms Sam Green"
    assert md["authority"] == "Westmoor Borough Council"
    assert md["inspector_name"] == "Alex Jones"
    assert md["inspection_dates"] == [dt.date(2025, 5, 1), dt.date(2025, 5, 2)]
    assert md["judgements"] == {"overall_effectiveness": "Good"}
    kinds = {s.kind for s in doc.segments}
    assert {"date", "recipient", "salutation", "title", "closing", "signature"} <= kinds


def test_a_sixth_family_is_one_scheme_file(tmp_path):
    """Monitoring visit letters: bullets under two headings, the date and the authority."""
    p = tmp_path / "monitoring.toml"
    p.write_text(
        _ENGINE.replace('label="x"\n', 'label="x"\n[detect]\ntitle=["^Monitoring visit to "]\n')
        + '[segment]\nstop = ["^next steps$"]\n'
        '[[metadata]]\nkey = "authority"\nfind = "regex"\n'
        'pattern = "Monitoring visit to (?P<v>.+?) children[\'’]s services"\n'
        '[[metadata]]\nkey = "letter_date"\nfind = "regex"\nkind = "date"\n'
        'pattern = "^\\\\s*(?P<v>{date})\\\\s*$"\n',
        encoding="utf-8",
    )
    scheme = load_scheme(p)
    text = (
        "3 March 2025\n\nMonitoring visit to Westmoor children’s services\n\n"
        "Areas for a\n- The first thing to do,\n  carried on.\n- The second thing.\n"
        "Next steps\n- Not a finding.\n"
    )
    assert detect_scheme(text, [load_scheme("ofsted_jtai"), scheme]) is scheme
    doc = segment_text(text, scheme)
    assert [f.text for f in doc.findings] == [
        "The first thing to do, carried on.",
        "The second thing.",
    ]
    assert doc.metadata == {"authority": "Westmoor", "letter_date": dt.date(2025, 3, 3)}


def test_a_text_about_several_families_without_a_title_is_none_of_them():
    from reviewer.segment.scheme import detect_scheme

    about = (
        "Notes on our review work\n\nWe read focused visit letters, where inspectors looked at "
        "one area of practice, and inspection reports with their overall effectiveness and "
        "what needs to improve, and we compare them.\n"
    )
    assert detect_scheme(about) is None
    report = (
        "Notes\n\nThe overall effectiveness of children's services is good. What needs to "
        "improve is listed below; the lead inspector signed it.\n"
    )
    found = detect_scheme(report)
    assert found is not None and found.id == "ofsted_ilacs"


def test_a_familys_knowledge_is_read_from_its_scheme(tmp_path):
    """Which categories are weaknesses, what a document is called, how it is dated and
    what the header shows: scheme keys, read by the history, the header and the notes."""
    from reviewer.corpus import history
    from reviewer.review import council
    from reviewer.segment.families import no_scheme_note

    ucra, ilacs = load_scheme("ofsted_ucra"), load_scheme("ofsted_ilacs")
    assert [c.id for c in ucra.categories if not c.weakness] == ["strength", "satisfactory"]
    assert history.is_weakness("ofsted_ucra", "development")
    assert not history.is_weakness("ofsted_ucra", "satisfactory")
    assert history.family_name("ofsted_ilacs") == ilacs.document == "inspection report"
    assert history.family_name("someone_elses") == "someone_elses"
    letter = {
        "letter_date": dt.date(2020, 1, 9),
        "inspection_dates": [dt.date(2019, 12, 2), dt.date(2019, 12, 6)],
    }
    assert council.document_date(letter, "ofsted_ilacs") == dt.date(2019, 12, 6)
    assert council.document_date(letter, "ofsted_ucra") == dt.date(2020, 1, 9)
    note = no_scheme_note()
    assert all(load_scheme(n).document in note for n in ("ofsted_jtai", "ofsted_send_area"))
    p = tmp_path / "mine.toml"
    p.write_text(
        'id = "mine"\nlabel = "Mine"\ndocument = "monitoring letter"\n'
        'dated_by = ["letter_date"]\n'
        '[[categories]]\nid = "good"\nlabel = "Good"\nkey = "1"\ncolour = "#000000"\n'
        'cues = ["what went well"]\nweakness = false\n'
        '[[header]]\nkey = "visit_focus"\nlabel = "Focus"\nwidth = 20\n',
        encoding="utf-8",
    )
    mine = load_scheme(p)
    assert mine.document == "monitoring letter" and mine.dated_by == ("letter_date",)
    assert not mine.is_weakness("good") and mine.is_weakness("not_a_category")
    assert [(h.key, h.label, h.width) for h in mine.header] == [("visit_focus", "Focus", 20)]
    p.write_text(p.read_text(encoding="utf-8").replace("weakness = false", 'weakness = "no"'))
    with pytest.raises(SchemeError, match="'weakness' must be true or false"):
        load_scheme(p)


def test_opening_a_letter_compiles_only_its_own_familys_patterns(tmp_path):
    """Telling the family reads every bundled scheme's titles and phrases; the engine's
    patterns (the `[segment]` table) are parsed for the family used, not for all five."""
    from reviewer.segment import scheme as schemes
    from reviewer.segment.families import segment_auto

    schemes._bundled.cache_clear()
    schemes._all_bundled.cache_clear()
    try:
        letter = Path(__file__).parents[2] / "sample_letters" / "hartlepool_2011-03_ucra.txt"
        doc, _ = segment_auto(letter.read_text(encoding="utf-8"))
        assert doc.findings
        parsed = [s.id for s in schemes.bundled() if "segment" in vars(s)]
        assert parsed == [doc.scheme]
        # every bundled scheme's table is still a usable one when it is asked for
        assert all(s.segment.items for s in schemes.bundled())
    finally:
        schemes._bundled.cache_clear()
        schemes._all_bundled.cache_clear()


def test_loading_a_bundled_scheme_compiles_none_of_its_patterns():
    """The review screen loads its letter's scheme for the categories and keys: the title
    and engine patterns are compiled only when a document is told apart or segmented."""
    from reviewer.segment import scheme as schemes

    schemes._bundled.cache_clear()
    schemes._all_bundled.cache_clear()
    try:
        loaded = load_scheme("ofsted_focused_visit")
        assert not {"titles", "segment", "details", "fetch"} & set(vars(loaded))
        assert loaded.titles and loaded.titles[0].search("Focused visit to Barnsley")
        assert loaded.fetch is not None and loaded.details.keys
    finally:
        schemes._bundled.cache_clear()
        schemes._all_bundled.cache_clear()
