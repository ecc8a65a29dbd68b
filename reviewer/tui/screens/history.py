"""The council's history beside the letter: its other documents and the findings that came back.

The documents are the review files in the current review's folder and those of the queue's
letters; the open review counts as it is now (unsaved corrections included). Linking is
`reviewer history`'s own (`reviewer.corpus.history`), so the screen and the command agree.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Label, Static

from reviewer.corpus import history
from reviewer.corpus.loading import Loaded, load_reviews
from reviewer.review.annotation import REVIEW_SUFFIX
from reviewer.review.council import overall_grade
from reviewer.review.queue import LetterQueue
from reviewer.review.session import ReviewSession
from reviewer.sanitize import sanitize_line
from reviewer.tui.screens.modal import Dialog


@dataclass(frozen=True, slots=True)
class CouncilHistory:
    """The open document's council, where the document stands in it, and what was searched."""

    council: history.Council | None
    here: int  # index of the open document in council.documents
    searched: list[Path]
    unreadable: int = 0


def _key(path: Path) -> Path:
    try:
        return path.resolve()
    except OSError:
        return path.absolute()


def gather(session: ReviewSession, queue: LetterQueue | None = None) -> CouncilHistory:
    """The open review's council history from the reviews beside it and the queue's."""
    folder = session.review_path.parent
    searched = [folder]
    # this folder's own reviews, not those below it: the sample's review may sit in $HOME
    files = sorted(folder.glob(f"*{REVIEW_SUFFIX}")) if folder.is_dir() else []
    if queue is not None:
        files.extend(item.review for item in queue.items if item.review.is_file())
        searched.extend(sorted({item.review.parent for item in queue.items} - {folder}))
    own = _key(session.review_path)
    seen = {own}
    others: list[Path] = []
    for f in files:
        k = _key(f)
        if k not in seen:
            seen.add(k)
            others.append(f)
    loaded, problems = load_reviews(others)
    here = str(session.review_path)
    councils = history.build([Loaded(session.review_path, session.review), *loaded])
    for council in councils:
        for i, doc in enumerate(council.documents):
            if doc.file == here:
                return CouncilHistory(council, i, searched, len(problems))
    return CouncilHistory(None, -1, searched, len(problems))


def _short(text: str, width: int = 110) -> str:
    text = " ".join(sanitize_line(text).split())
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


def _when(doc: history.Entry) -> str:
    return doc.date.isoformat() if doc.date else "undated"


def _family(doc: history.Entry) -> str:
    return history.family_name(doc.family)


def _link_line(link: history.Link) -> str:
    words = ", ".join(link.words)
    shared = f"; shared words: {words}" if words else ""
    return f"{link.how}, similarity {link.similarity:.0f}{shared}"


def render(found: CouncilHistory, current: int) -> Text:
    """The history as plain text (every part is untrusted document text)."""
    out = Text()
    council = found.council
    if council is None or len(council.documents) < 2:
        name = council.name if council is not None else "this council"
        where = ", ".join(sanitize_line(str(p)) for p in found.searched)
        out.append(
            f"No other documents of {sanitize_line(name)} were found in the review files of "
            f"{where}."
        )
        return out
    codes = ", ".join(c for c in (council.la_code, council.gss_code, council.region) if c)
    out.append(sanitize_line(council.name), style="bold")
    if codes:
        out.append(f" ({sanitize_line(codes)})")
    out.append(f"\n{len(council.documents)} documents, oldest first:\n", style="italic")
    for d, doc in enumerate(council.documents):
        grade = overall_grade(doc.grades, doc.family) or "no overall grade"
        mark = "▶ " if d == found.here else "  "
        out.append(mark, style="bold cyan")
        line = f"{_when(doc)}  {_family(doc)}  {grade}  ({len(doc.findings)} findings)"
        out.append(sanitize_line(line), style="bold" if d == found.here else "")
        out.append(f"  {sanitize_line(Path(doc.file).name)}\n", style="dim")
    doc = council.documents[found.here]
    out.append("\nThe current finding\n", style="bold underline")
    if 0 <= current < len(doc.findings):
        item = doc.findings[current]
        out.append(f"{current + 1}. {_short(item.text)}\n")
        link = item.recurs
        if link is not None:
            earlier = council.documents[link.document]
            was = earlier.findings[link.finding]
            out.append("  recurs from ", style="yellow")
            out.append(sanitize_line(f"{_when(earlier)} {_family(earlier)}: "))
            out.append(f"{_short(was.text)}\n")
            out.append(f"  ({sanitize_line(_link_line(link))})\n", style="dim")
        elif not history.is_weakness(doc.family, item.category):
            out.append("  Not linked: strengths and findings that meet requirements never are.\n")
        else:
            out.append("  No earlier finding of this council recurs in it.\n")
        for later in council.documents[found.here + 1 :]:
            for k, f in enumerate(later.findings):
                link = f.recurs
                if link is not None and (link.document, link.finding) == (found.here, current):
                    out.append("  came back in ", style="yellow")
                    out.append(sanitize_line(f"{_when(later)} {_family(later)}: "))
                    out.append(f"{k + 1}. {_short(f.text)}\n")
                    out.append(f"  ({sanitize_line(_link_line(link))})\n", style="dim")
    else:
        out.append("There is no finding here.\n")
    back = [(k, f) for k, f in enumerate(doc.findings) if f.recurs is not None]
    out.append("\nThis document's findings that came back\n", style="bold underline")
    if not back:
        out.append("None of its findings recurs from an earlier document of this council.\n")
    else:
        out.append(f"{len(back)} of {len(doc.findings)} recur from an earlier document:\n")
    for k, f in back:
        assert f.recurs is not None
        earlier = council.documents[f.recurs.document]
        out.append(f"{k + 1}. {_short(f.text, 90)}\n")
        out.append(
            sanitize_line(f"   from {_when(earlier)} {_family(earlier)}, {_link_line(f.recurs)}")
            + "\n",
            style="dim",
        )
    if found.unreadable:
        out.append(
            f"\n{found.unreadable} review file(s) could not be read and are left out.\n",
            style="dim",
        )
    return out


class HistoryModal(Dialog):
    """The council's history in a panel on the right; the letter stays in view beside it."""

    BINDINGS = [Binding("q,H", "cancel", "Close", show=False)]
    DEFAULT_CSS = """
    HistoryModal { align: right top; }
    HistoryModal > Vertical {
        width: 60%; height: 100%; border: thick $accent; background: $surface; padding: 0 1;
    }
    HistoryModal VerticalScroll { height: 1fr; }
    """

    def __init__(self, title: str, body: Text) -> None:
        super().__init__()
        self._title = title
        self._body = body

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(Text(sanitize_line(self._title)), classes="dialog-title")
            with VerticalScroll(id="history-scroll"):
                yield Static(self._body, id="history-body", markup=False)
            yield Label(Text("escape closes · arrows scroll"), classes="dialog-hint")

    def on_mount(self) -> None:
        self.query_one("#history-scroll", VerticalScroll).focus()

    @property
    def text(self) -> str:
        return self._body.plain


def history_modal(
    session: ReviewSession, current: int, queue: LetterQueue | None = None
) -> HistoryModal:
    found = gather(session, queue)
    name = found.council.name if found.council is not None else "this council"
    return HistoryModal(f"History of {name}", render(found, current))


__all__ = ["CouncilHistory", "HistoryModal", "gather", "history_modal", "render"]
