"""Keymaps: bundled files, paths, the user's override, and the errors."""

from __future__ import annotations

import re

import pytest
from textual.binding import Binding

from reviewer.paths import user_keymap_path
from reviewer.tui.keymap import (
    ACTIONS,
    KeymapError,
    all_actions,
    default_keymap,
    keymap_overrides,
    load_keymap,
    read_keymap_file,
    split_keys,
)
from tests.conftest import ROOT

KEYMAPS = ROOT / "keymaps"


def test_default_file_equals_declared_defaults():
    from_file = read_keymap_file(KEYMAPS / "default.toml", set(default_keymap()))
    fixed = {k: v for k, v in default_keymap().items() if not k.startswith("finding.category.")}
    assert from_file == fixed
    assert load_keymap("default", user=False) == default_keymap()


def test_default_file_equals_the_app_bindings(letter):
    """The bindings the app and its review screen declare, id by id, are the default file's."""
    from reviewer.review.session import ReviewSession
    from reviewer.tui.app import ReviewApp
    from reviewer.tui.screens.review import screen_class

    session = ReviewSession.open(letter)
    try:
        screen = screen_class(session.scheme)
        declared = [*ReviewApp.BINDINGS, *screen.BINDINGS]
    finally:
        session.close()
    bound: dict[str, set[str]] = {}
    for b in declared:
        assert isinstance(b, Binding) and b.id
        bound.setdefault(b.id, set()).update(split_keys(b.key))
    from_file = load_keymap(KEYMAPS / "default.toml", user=False)
    assert bound == {bid: set(split_keys(keys)) for bid, keys in from_file.items()}
    assert len(all_actions()) == len(bound) == len(declared)


def test_only_what_a_keymap_changes_is_handed_to_textual():
    """Textual applies its keymap on every key press: the default keymap gives it nothing."""
    actions = all_actions()
    assert keymap_overrides(load_keymap("default", user=False), actions) == {}
    vim = load_keymap("vim", user=False)
    overrides = keymap_overrides(vim, actions)
    assert overrides["finding.merge"] == "J"
    assert "app.save" not in overrides  # vim keeps ctrl+s: nothing to change
    # the same keys in another order or spacing change nothing either
    assert keymap_overrides({"finding.confirm": "space, enter"}, actions) == {}
    assert keymap_overrides({"finding.confirm": "enter"}, actions) == {"finding.confirm": "enter"}


def test_vim_keymap_by_name():
    km = load_keymap("vim", user=False)
    assert km["finding.merge"] == "J"
    assert km["finding.next"] == "j,down"
    assert km["app.save"] == "ctrl+s"  # not in vim.toml: the default stays
    assert set(km) == set(default_keymap())


def test_keymap_by_path(tmp_path):
    p = tmp_path / "mine.toml"
    p.write_text('"finding.delete" = "D"\n"app.search" = "/"\n')
    km = load_keymap(str(p), user=False)
    assert km["finding.delete"] == "D"
    assert km["app.search"] == "slash"


def test_user_keymap_overrides_key_by_key(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    assert user_keymap_path() == tmp_path / "reviewer" / "keymap.toml"
    user_keymap_path().parent.mkdir(parents=True)
    user_keymap_path().write_text('"finding.merge" = "ctrl+j"\n')
    km = load_keymap("vim")
    assert km["finding.merge"] == "ctrl+j"
    assert km["finding.delete"] == "d,x,delete"


def test_home_config_is_the_default(monkeypatch, tmp_path):
    monkeypatch.delenv("XDG_CONFIG_HOME", raising=False)
    monkeypatch.setenv("HOME", str(tmp_path))
    assert user_keymap_path() == tmp_path / ".config" / "reviewer" / "keymap.toml"


def test_unknown_id_is_an_error_naming_file_and_key(tmp_path):
    p = tmp_path / "bad.toml"
    p.write_text('"finding.explode" = "z"\n')
    with pytest.raises(
        KeymapError, match=rf"^{re.escape(str(p))}: key 'finding\.explode' is not a binding id"
    ):
        load_keymap(p, user=False)  # the whole path: a person may have several bad.toml


def test_clash_names_file_and_key(tmp_path):
    p = tmp_path / "vim.toml"
    p.write_text('"finding.merge" = "x"\n')
    with pytest.raises(KeymapError) as err:
        load_keymap(p, user=False)
    assert str(err.value) == f"{p}: key 'x' is bound to both finding.delete and finding.merge"


def test_clash_from_the_user_keymap_names_the_user_file(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    user_keymap_path().parent.mkdir(parents=True)
    user_keymap_path().write_text('"app.quit" = "?"\n')
    with pytest.raises(KeymapError, match=r"keymap\.toml: key 'question_mark' is bound to both"):
        load_keymap("default")


def test_bad_toml_gives_line_and_column(tmp_path):
    p = tmp_path / "broken.toml"
    p.write_text('"finding.delete" = "x"\n"finding.merge" = \n')
    with pytest.raises(
        KeymapError, match=rf"^{re.escape(str(p))}: not valid TOML: .*line 2, column \d+"
    ):
        load_keymap(p, user=False)


def test_value_must_be_a_key_string(tmp_path):
    p = tmp_path / "num.toml"
    p.write_text('"finding.delete" = 3\n')
    with pytest.raises(KeymapError, match="must be a string of keys"):
        load_keymap(p, user=False)


def test_unknown_name_and_missing_path():
    with pytest.raises(KeymapError, match="unknown keymap 'emacs'; use one of: default, vim"):
        load_keymap("emacs", user=False)
    with pytest.raises(KeymapError, match="no such keymap file"):
        load_keymap("/nonexistent/keys.toml", user=False)


def test_every_fixed_action_has_help_and_unique_keys():
    for a in ACTIONS:
        assert a.description and a.help
    load_keymap("default", user=False)  # no clash among the defaults


def test_keymaps_load_for_every_bundled_scheme():
    from reviewer.segment.scheme import bundled_schemes, load_scheme
    from reviewer.tui.keymap import load_keymap

    for name in bundled_schemes():
        scheme = load_scheme(name)
        for keymap in ("default", "vim"):
            km = load_keymap(keymap, scheme, user=False)
            for c in scheme.categories:
                assert km[f"finding.category.{c.id}"] == c.key


def test_readme_lists_every_binding_id():
    from reviewer.segment.scheme import bundled_schemes, load_scheme

    readme = (KEYMAPS.parent / "README.md").read_text(encoding="utf-8")
    keys_section = readme.split("## Keys", 1)[1].split("\n## ", 1)[0]
    ids = {a.id for a in ACTIONS}
    for name in bundled_schemes():
        ids |= {a.id for a in all_actions(load_scheme(name))}
    missing = sorted(i for i in ids if f"`{i}`" not in keys_section)
    assert not missing, f"README.md's Keys section does not list {missing}"


def test_a_keymap_may_name_another_familys_category(tmp_path):
    """A category of another bundled scheme is not an error; it does not apply to this one."""
    from reviewer.segment.scheme import load_scheme

    mine = tmp_path / "mine.toml"
    mine.write_text('"finding.category.lscb_improvement" = "f5"\n"finding.note" = "n,f6"\n')
    keys = load_keymap(mine, load_scheme("ofsted_ucra"), user=False)
    assert "finding.category.lscb_improvement" not in keys
    assert keys["finding.note"] == "n,f6"
    mine.write_text('"finding.category.no_such_thing" = "f5"\n')
    with pytest.raises(KeymapError, match="no_such_thing"):
        load_keymap(mine, load_scheme("ofsted_ucra"), user=False)


def test_a_keymap_of_this_familys_ids_reads_no_other_scheme(monkeypatch):
    """Every bundled scheme's file is read only for an id the open one does not have: the
    default keymap, on the first screen's path, reads none."""
    from reviewer.segment.scheme import load_scheme
    from reviewer.tui import keymap

    scheme = load_scheme("ofsted_ucra")
    asked: list[object] = []
    monkeypatch.setattr(keymap, "load_scheme", lambda *a: asked.append(a) or load_scheme(*a))
    load_keymap("default", scheme, user=False)
    load_keymap("vim", scheme, user=False)
    assert asked == []
