"""Keymaps: which keys run which action, by stable binding id.

Pure: no Textual import. The app builds its bindings from `ACTIONS` (plus one binding
per category of the scheme) and applies the loaded keymap with `App.set_keymap`.
"""

from __future__ import annotations

import os
import string
import unicodedata
from collections.abc import Container, Iterable
from pathlib import Path
from typing import NamedTuple

from reviewer.bundled import bundled_dir
from reviewer.errors import ReviewerError
from reviewer.paths import user_keymap_path
from reviewer.segment.scheme import Scheme, load_scheme
from reviewer.tomlfile import TomlFileError, load_toml


class KeymapError(ReviewerError):
    """A keymap that cannot be used; the message is one line naming the file and the key."""


class Action(NamedTuple):
    id: str
    action: str
    keys: str
    description: str
    help: str
    show: bool = False


# The defaults; keymaps/default.toml must say the same (a test checks it).
ACTIONS: tuple[Action, ...] = (
    Action(
        "finding.confirm",
        "confirm",
        "space,enter",
        "Confirm",
        "Confirm the finding and go to the next unreviewed one",
        True,
    ),
    Action("finding.next", "next_finding", "down,j", "Next", "Go to the next finding"),
    Action(
        "finding.previous", "previous_finding", "up,k", "Previous", "Go to the previous finding"
    ),
    Action("finding.first", "first_finding", "g", "First", "Go to the first finding"),
    Action("finding.last", "last_finding", "G", "Last", "Go to the last finding"),
    Action(
        "app.switch_pane",
        "switch_pane",
        "tab",
        "Pane",
        "Switch between the findings table and the letter",
    ),
    Action("finding.edit", "edit_text", "e", "Edit", "Edit the finding's text", True),
    Action("finding.note", "edit_note", "n", "Note", "Write a note on the finding", True),
    Action(
        "finding.split",
        "split",
        "s",
        "Split",
        "Split the finding at the letter cursor, else mid-way between sentences",
        True,
    ),
    Action("finding.merge", "merge", "m", "Merge", "Merge the finding with the next one", True),
    Action("finding.delete", "delete", "x,delete", "Delete", "Delete the finding", True),
    Action(
        "finding.add",
        "add",
        "a",
        "Add",
        "Add a finding from the text selected in the letter (shift+arrows); asks its category",
        True,
    ),
    Action(
        "app.palette",
        "command_palette",
        "ctrl+p",
        "Palette",
        "Open the command palette: every action by name",
        True,
    ),
    Action(
        "finding.rebound",
        "rebound",
        "b",
        "Bounds",
        "Move the finding's boundaries to the text selected in the letter (shift+arrows)",
    ),
    Action(
        "finding.start_word_previous",
        "move_edge('start', 'word', -1)",
        "left_parenthesis",
        "Start back a word",
        "Move the finding's start back a word: it takes in the word before it",
    ),
    Action(
        "finding.start_word_next",
        "move_edge('start', 'word', 1)",
        "right_parenthesis",
        "Start on a word",
        "Move the finding's start on a word: it drops its first word",
    ),
    Action(
        "finding.end_word_previous",
        "move_edge('end', 'word', -1)",
        "comma",
        "End back a word",
        "Move the finding's end back a word: it drops its last word",
    ),
    Action(
        "finding.end_word_next",
        "move_edge('end', 'word', 1)",
        "full_stop",
        "End on a word",
        "Move the finding's end on a word: it takes in the next word and its punctuation",
    ),
    Action(
        "finding.start_sentence_previous",
        "move_edge('start', 'sentence', -1)",
        "left_curly_bracket",
        "Start back a sentence",
        "Move the finding's start back a sentence: it takes in the sentence before it",
    ),
    Action(
        "finding.start_sentence_next",
        "move_edge('start', 'sentence', 1)",
        "right_curly_bracket",
        "Start on a sentence",
        "Move the finding's start on a sentence: it drops its first sentence",
    ),
    Action(
        "finding.end_sentence_previous",
        "move_edge('end', 'sentence', -1)",
        "less_than_sign",
        "End back a sentence",
        "Move the finding's end back a sentence: it drops its last sentence",
    ),
    Action(
        "finding.end_sentence_next",
        "move_edge('end', 'sentence', 1)",
        "greater_than_sign",
        "End on a sentence",
        "Move the finding's end on a sentence: it takes in the next sentence",
    ),
    Action(
        "finding.snap",
        "snap",
        "w",
        "Whole paragraph",
        "Make the finding the whole paragraph or list item under it (all those it touches)",
    ),
    Action(
        "finding.promote",
        "promote",
        "p",
        "Promote",
        "Make the paragraph under the letter cursor a finding; asks its category",
    ),
    Action(
        "finding.themes",
        "themes",
        "t",
        "Themes",
        "Choose the finding's themes (supervision, thresholds...)",
        True,
    ),
    Action(
        "finding.responsible",
        "edit_responsible",
        "r",
        "Responsible",
        "Correct who must act on the finding (an area SEND priority action's responsible body)",
    ),
    Action(
        "letter.metadata",
        "metadata",
        "M",
        "Details",
        "Edit the document's details: council, dates, people, and a report's grades",
    ),
    Action(
        "letter.note",
        "edit_letter_note",
        "N",
        "Letter note",
        "Write a note on the whole letter (saved as the review's note)",
    ),
    Action("app.undo", "undo", "u,ctrl+z", "Undo", "Undo the last change", True),
    Action("app.redo", "redo", "ctrl+r,ctrl+y", "Redo", "Redo the change last undone"),
    Action(
        "app.search",
        "search",
        "slash",
        "Search",
        "Search the letter and the findings' notes: a list of every hit to go to",
    ),
    Action("app.search_next", "search_next", "f3", "Search again", "Go to the next hit"),
    Action(
        "app.search_previous",
        "search_previous",
        "shift+f3,f2",
        "Search back",
        "Go to the previous hit of the last search",
    ),
    Action("app.save", "save", "ctrl+s", "Save", "Save the review", True),
    Action(
        "review.complete",
        "complete",
        "c",
        "Complete",
        "Mark the review complete (again: back to in progress)",
    ),
    Action(
        "review.take_over_lock",
        "take_over_lock",
        "L",
        "Take over",
        "Take over the lock of a review another reviewer holds (asks first), to edit it here",
    ),
    Action(
        "council.history",
        "council_history",
        "H",
        "History",
        "Show the council's history: its other documents and the findings that came back",
    ),
    Action(
        "queue.next",
        "next_letter",
        "right_square_bracket",
        "Next letter",
        "Go to the next letter of the queue, saving this one first (asks if that fails)",
        True,
    ),
    Action(
        "queue.previous",
        "previous_letter",
        "left_square_bracket",
        "Previous letter",
        "Go to the previous letter of the queue, saving this one first (asks if that fails)",
    ),
    Action(
        "queue.overview",
        "queue_overview",
        "O",
        "Overview",
        "Show every letter of the queue (family, authority, date, progress); enter opens one",
    ),
    Action("app.help", "help", "question_mark", "Keys", "Show the keys of the active keymap", True),
    Action("app.quit", "quit", "q", "Quit", "Quit, saving first (asks if the save fails)", True),
)

# Bound on the app (they work whatever letter is shown); every other action is the review
# screen's, with one binding per category of the letter's scheme.
APP_ACTION_IDS = frozenset(
    {"app.palette", "app.help", "app.quit", "queue.next", "queue.previous", "queue.overview"}
)
APP_ACTIONS = tuple(a for a in ACTIONS if a.id in APP_ACTION_IDS)
SCREEN_ACTIONS = tuple(a for a in ACTIONS if a.id not in APP_ACTION_IDS)

CATEGORY_PREFIX = "finding.category."

_KEY_NAMES = {
    " ": "space",
    "?": "question_mark",
    "/": "slash",
    "\\": "backslash",
    "!": "exclamation_mark",
    "#": "number_sign",
    ",": "comma",
    ".": "full_stop",
    "+": "plus",
    "-": "minus",
    "@": "at",
    "_": "underscore",
}


def category_action(category_id: str) -> str:
    return f"category('{category_id}')"


def category_actions(scheme: Scheme) -> list[Action]:
    return [
        Action(
            CATEGORY_PREFIX + c.id,
            category_action(c.id),
            c.key,
            c.label,
            f"Set the category to {c.label} and go to the next unreviewed finding"
            " (stays put when the 'advance' setting is false)",
            True,
        )
        for c in scheme.categories
    ]


def all_actions(scheme: Scheme | None = None) -> list[Action]:
    """Every action of the app: one per category of the scheme, then the fixed ones."""
    return [*category_actions(scheme or load_scheme()), *ACTIONS]


def default_keymap(scheme: Scheme | None = None) -> dict[str, str]:
    return {a.id: a.keys for a in all_actions(scheme)}


def keymap_overrides(keymap: dict[str, str], actions: list[Action]) -> dict[str, str]:
    """What `keymap` changes from the keys the actions' bindings are declared with: the part
    to hand to `App.set_keymap`. Textual applies that keymap to every binding of the focused
    widget's ancestors on every key press, so the default keymap, which changes nothing,
    costs nothing per key. Ids of no action are kept (they change nothing either)."""
    declared = {a.id: split_keys(a.keys) for a in actions}
    return {
        binding_id: keys
        for binding_id, keys in keymap.items()
        if declared.get(binding_id) != split_keys(keys)
    }


def normalise_key(key: str) -> str:
    """One key in the form Textual reports it ("?" -> "question_mark"), to compare keys."""
    key = key.strip()
    if len(key) == 1 and not key.isalnum():
        name = unicodedata.name(key, key).lower().replace("-", "_").replace(" ", "_")
        return _KEY_NAMES.get(key) or name  # as Textual names it: "<" -> "less_than_sign"
    return key


def display_key(key: str) -> str:
    """A key as a person types it: "right_square_bracket" -> "]", "question_mark" -> "?"."""
    if key in _PUNCTUATION:
        return _PUNCTUATION[key]
    if "_" in key and "+" not in key:
        try:
            char = unicodedata.lookup(key.replace("_", " "))
        except KeyError:
            return key
        return char if char.isprintable() and not char.isspace() else key
    return key


# Key names of ASCII punctuation back to the character; Textual's names of some of them
# ("less_than_sign") are not Unicode's ("LESS-THAN SIGN"), so they cannot be looked up.
_PUNCTUATION = {normalise_key(c): c for c in string.punctuation}


def split_keys(keys: str) -> list[str]:
    """A comma-separated key list; a lone "," inside is not supported (write "comma")."""
    return [normalise_key(k) for k in keys.split(",") if k.strip()]


def _keymap_dirs() -> list[Path]:
    return [bundled_dir("keymaps")]


def bundled_keymaps() -> list[str]:
    names: set[str] = set()
    for d in _keymap_dirs():
        if d.is_dir():
            names.update(p.stem for p in d.glob("*.toml"))
    return sorted(names)


def find_keymap(name_or_path: str | Path) -> Path:
    """A keymap name ("default", "vim") in the packaged folder, or a path to a TOML file."""
    text = str(name_or_path)
    p = Path(text)
    if p.suffix == ".toml" or os.sep in text or "/" in text:
        if not p.is_file():
            raise KeymapError(f"{p}: no such keymap file; check the path")
        return p
    for d in _keymap_dirs():
        candidate = d / f"{text}.toml"
        if candidate.is_file():
            return candidate
    known = ", ".join(bundled_keymaps()) or "none found"
    raise KeymapError(f"unknown keymap '{text}'; use one of: {known}, or a path to a .toml file")


def read_keymap_file(path: Path, known: Container[str]) -> dict[str, str]:
    """One keymap file: a table of binding id = "key,key"; unknown ids are errors."""
    name = str(path)
    try:
        data = load_toml(path)
    except TomlFileError as err:
        raise KeymapError(str(err)) from None
    out: dict[str, str] = {}
    for key, value in data.items():
        if key not in known:
            raise KeymapError(
                f"{name}: key '{key}' is not a binding id; see the help screen (?) for the ids"
            )
        if not isinstance(value, str) or not split_keys(value):
            raise KeymapError(f"{name}: key '{key}' must be a string of keys like \"x,delete\"")
        out[key] = ",".join(split_keys(value))
    return out


def check_clashes(keymap: dict[str, str], sources: dict[str, tuple[int, str]]) -> None:
    """Two ids on one key is an error naming the file (the later layer) that made the clash."""
    owner: dict[str, str] = {}
    for bid, keys in keymap.items():
        for key in split_keys(keys):
            other = owner.get(key)
            if other is not None and other != bid:
                first, second = sorted((other, bid))
                _, where = max(sources.get(bid, (0, "keymap")), sources.get(other, (0, "keymap")))
                raise KeymapError(f"{where}: key '{key}' is bound to both {first} and {second}")
            owner[key] = bid


class KnownIds:
    """The binding ids a keymap may name: `ids` (the open document's), and the categories of
    every bundled scheme, which are not errors though they do not apply. Those are read only
    for an id that is not in `ids` (reading every scheme file takes longer than the rest of
    the keymap)."""

    def __init__(self, ids: Iterable[str]) -> None:
        self.ids = set(ids)
        self._categories: set[str] | None = None

    def __contains__(self, binding_id: object) -> bool:
        if binding_id in self.ids:
            return True
        if self._categories is None:
            from reviewer.segment.scheme import bundled_schemes

            self._categories = {
                CATEGORY_PREFIX + c.id
                for name in bundled_schemes()
                for c in load_scheme(name).categories
            }
        return binding_id in self._categories


def load_keymap(
    name_or_path: str | Path | None = "default",
    scheme: Scheme | None = None,
    user: Path | None | bool = True,
) -> dict[str, str]:
    """The effective keymap: defaults, then the chosen keymap, then the user's keymap.

    `user=True` reads the user's keymap (`reviewer.paths.user_keymap_path`) if it exists,
    a path reads that file, and `False`/`None` skips it. Returns every binding id with its keys.
    """
    defaults = default_keymap(scheme)
    # A keymap may name the categories of every bundled scheme; those of other schemes
    # than the open document's are not errors, they just do not apply.
    known = KnownIds(defaults)
    merged = dict(defaults)
    sources: dict[str, tuple[int, str]] = {bid: (0, "defaults") for bid in defaults}
    path = find_keymap(name_or_path or "default")
    for bid, keys in read_keymap_file(path, known).items():
        if bid in defaults:
            merged[bid] = keys
            sources[bid] = (1, str(path))
    user_path = user_keymap_path() if user is True else (Path(user) if user else None)
    if user_path is not None and user_path.is_file():
        for bid, keys in read_keymap_file(user_path, known).items():
            if bid in defaults:
                merged[bid] = keys
                sources[bid] = (2, str(user_path))
    check_clashes(merged, sources)
    return merged
