"""The `reviewer` command line: `open`, `segment`, `export`, `stats`, `agree`, `validate`,
`history`, `serve` and `fetch`, one `cmd_<name>` function each; `python -m reviewer.cli`
runs it too.

Every user error ends as one line on stderr and exit status 2, never a traceback.
"""

from __future__ import annotations

import argparse
import contextlib
import sys
import time
from collections.abc import Iterator
from pathlib import Path

from reviewer import __version__
from reviewer.errors import ReviewerError
from reviewer.settings import Settings, load_or_defaults

EXIT_USAGE = 2


class CliError(ReviewerError):
    """A one-line message for the user; the command exits with status 2."""


def _err(message: str) -> None:
    print(f"reviewer: {message}", file=sys.stderr)


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    """The command line's parser: every command's, or only the command `only`'s (what a run
    of that command needs: building all of them takes longer than `reviewer open` has
    before its first screen)."""
    ap = argparse.ArgumentParser(
        prog="reviewer",
        description="Review Ofsted inspection letters as structured findings.",
    )
    ap.add_argument("--version", action="version", version=f"reviewer {__version__}")
    sub = ap.add_subparsers(dest="command", metavar="COMMAND")
    for name, add in COMMANDS.items():
        if only is None or name == only:
            add(sub)
    return ap


def _add_open(sub) -> None:
    op = sub.add_parser(
        "open",
        help="review a letter, or several letters one after another (default: a bundled sample)",
    )
    op.add_argument(
        "letters",
        nargs="*",
        metavar="LETTER",
        help="letter files (.txt, .pdf) or folders of them, reviewed one after another "
        "from the first unfinished; omit to open a bundled sample",
    )
    op.add_argument(
        "--output", "-o", help="review file to write (default: <stem>.review.toml; one letter only)"
    )
    op.add_argument("--keymap", help="keymap name (default, vim) or path to a keymap TOML")
    op.add_argument("--scheme", help="category scheme id or path to a scheme TOML")
    op.add_argument("--read-only", action="store_true", help="open without saving")
    op.add_argument(
        "--fresh",
        action="store_true",
        help="the saved review is broken: start a new one beside it (the broken file is kept)",
    )
    op.add_argument(
        "--fetch",
        action="store_true",
        help="with --authority: fetch the council's new documents from Ofsted's site first, "
        "then open its documents as a queue",
    )
    op.add_argument("--authority", "-a", help="with --fetch: a council's name, LA code or GSS code")
    op.add_argument(
        "--fetch-dir",
        default="ofsted",
        help="with --fetch: the folder of fetched documents (default: ./ofsted)",
    )


def _add_segment(sub) -> None:
    sp = sub.add_parser(
        "segment",
        help="segment letters and reports (.txt, .pdf) and print or write annotation TOML",
    )
    sp.add_argument(
        "letters",
        nargs="+",
        metavar="LETTER",
        help="letter or report files (.txt, .pdf) or folders of them (read with subfolders)",
    )
    sp.add_argument("--out-dir", help="write <stem>.review.toml for each letter into this folder")
    sp.add_argument("--scheme", help="category scheme id or path to a scheme TOML")
    sp.add_argument("--jobs", "-j", type=int, default=0, help="worker processes (default: cores)")
    sp.add_argument(
        "--force",
        action="store_true",
        help="with --out-dir, replace review files a person has worked on (kept as .bak)",
    )


def _add_export(sub) -> None:
    ep = sub.add_parser(
        "export", help="one row per finding or per document, as CSV, JSON Lines or a workbook"
    )
    ep.add_argument("paths", nargs="+", help="review files or folders of them")
    ep.add_argument(
        "--level",
        "-l",
        choices=["finding", "document"],
        default="finding",
        help="a row per finding (default) or per document (its grades and findings per "
        "category); both carry document_key, so they join",
    )
    ep.add_argument(
        "--format",
        "-f",
        choices=["csv", "jsonl", "xlsx"],
        default="csv",
        help="csv (default), jsonl (null for a missing value), or xlsx: a workbook with a "
        "sheet per level (documents, findings); needs --output",
    )
    ep.add_argument("--output", "-o", help="file to write (default: standard output)")
    ep.add_argument(
        "--excel",
        action="store_true",
        help="CSV for spreadsheets: byte-order mark, CRLF, formula guard",
    )


def _add_stats(sub) -> None:
    stp = sub.add_parser(
        "stats", help="findings per family, category, council and year; grades; correction rate"
    )
    stp.add_argument("paths", nargs="+", help="review files or folders of them")
    stp.add_argument(
        "--format",
        "-f",
        choices=["text", "toml", "json", "html"],
        default="text",
        help="text (default), toml, json, or html: a self-contained page of charts",
    )
    stp.add_argument("--output", "-o", help="file to write (default: standard output)")
    stp.add_argument("--authority", "-a", help="one council: a name, DfE LA code or GSS code")
    stp.add_argument(
        "--neighbours",
        action="store_true",
        help="with --authority: the council beside its ten statistical neighbours (DfE)",
    )


def _add_agree(sub) -> None:
    ap_ = sub.add_parser("agree", help="agreement between two reviewers (files or folders)")
    ap_.add_argument("a", help="review file or folder of reviewer A")
    ap_.add_argument("b", help="review file or folder of reviewer B")
    ap_.add_argument(
        "--format",
        "-f",
        choices=["text", "toml", "csv"],
        default="text",
        help="text (default), toml, or csv: the disagreements, one per row",
    )
    ap_.add_argument(
        "--force",
        action="store_true",
        help="compare even reviews of different letters (their offsets do not correspond)",
    )
    ap_.add_argument(
        "--excel",
        action="store_true",
        help="with --format csv: CSV for spreadsheets (byte-order mark, CRLF)",
    )


def _add_validate(sub) -> None:
    vp = sub.add_parser("validate", help="check review files against the schema and their letters")
    vp.add_argument("files", nargs="+", help="review files (*.review.toml)")


def _add_history(sub) -> None:
    hp = sub.add_parser("history", help="a council's documents in date order, recurring findings")
    hp.add_argument("paths", nargs="+", help="review files or folders of them")
    hp.add_argument("--authority", "-a", help="one council: a name, DfE LA code or GSS code")
    hp.add_argument("--format", "-f", choices=["text", "csv", "json", "html"], default="text")
    hp.add_argument("--output", "-o", help="file to write (default: standard output)")
    hp.add_argument(
        "--excel",
        action="store_true",
        help="with --format csv: CSV for spreadsheets (byte-order mark, CRLF)",
    )


def _add_serve(sub) -> None:
    wp = sub.add_parser("serve", help="serve the reviewer to a web browser (needs reviewer[web])")
    wp.add_argument("letters", nargs="*", metavar="LETTER", help="as for `reviewer open`")
    wp.add_argument("--host", default="127.0.0.1", help="address to bind (default: this machine)")
    wp.add_argument("--port", type=int, default=8000, help="port (default: 8000)")
    wp.add_argument("--keymap", help="keymap name (default, vim) or path to a keymap TOML")


def main(argv: list[str] | None = None) -> int:
    """Run one command; what it writes to a terminal is sanitized, whatever the command."""
    from reviewer import startup
    from reviewer.sanitize import terminal_output_sanitized

    startup.hold()  # until the review screen is painted, or the arguments are read
    try:
        with terminal_output_sanitized():
            return run(argv)
    finally:
        startup.release()


def run(argv: list[str] | None = None) -> int:
    from reviewer import startup

    words = sys.argv[1:] if argv is None else argv
    parser = build_parser(only=words[0] if words and words[0] in COMMANDS else None)
    args = parser.parse_args(words)
    if args.command != "open" or getattr(args, "fetch", False):
        startup.release()  # its work is no start-up: many documents, a server, a fetch
    try:
        if args.command == "segment":
            return cmd_segment(args)
        if args.command == "validate":
            from reviewer.corpus.validate import validate_files

            return validate_files([Path(f) for f in args.files])
        if args.command == "open":
            return cmd_open(args)
        if args.command == "export":
            return cmd_export(args)
        if args.command == "stats":
            return cmd_stats(args)
        if args.command == "agree":
            return cmd_agree(args)
        if args.command == "history":
            return cmd_history(args)
        if args.command == "serve":
            return cmd_serve(args)
        if args.command == "fetch":
            return cmd_fetch(args)
        parser.print_help()
        return 0
    except CliError as err:
        _err(str(err))
        return EXIT_USAGE
    except KeyboardInterrupt:
        _err("interrupted")
        return 130


def _scheme(name: str | None):
    from reviewer.segment.scheme import SchemeError, load_scheme

    try:
        return load_scheme(name)
    except SchemeError as err:
        raise CliError(str(err)) from None


def cmd_segment(args: argparse.Namespace) -> int:
    from reviewer.corpus.batch import progress_bar, review_text, segment_many
    from reviewer.review.store import StoreError
    from reviewer.sources.letter import InputError

    scheme = _scheme(args.scheme) if args.scheme else None
    paths = _letters_in(args.letters)
    if not args.out_dir and len(paths) > 1:
        raise CliError("several letters make several TOML files: add --out-dir DIR")
    if not args.out_dir:
        status = 0
        for p in paths:
            try:
                text, _, note = review_text(p, scheme)
            except (InputError, StoreError) as err:
                _err(str(err))
                status = EXIT_USAGE
                continue
            if note:
                _err(f"{p}: {note}")
            sys.stdout.write(text)
        return status
    out_dir = Path(args.out_dir)
    if out_dir.exists() and not out_dir.is_dir():
        raise CliError(f"{out_dir}: is a file; --out-dir needs a folder")
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise CliError(f"{out_dir}: cannot create the folder ({err.strerror or err})") from None
    t0 = time.perf_counter()
    progress = progress_bar() if sys.stderr.isatty() else None
    outcomes = segment_many(
        paths, out_dir, args.scheme, args.jobs or None, progress, force=args.force
    )
    failed = [o for o in outcomes if o.error]
    for o in outcomes:
        if o.note:
            _err(f"{o.letter}: {o.note}")
    for o in failed:
        _err(o.error or "failed")
    done = len(outcomes) - len(failed)
    findings = sum(o.findings for o in outcomes)
    took = time.perf_counter() - t0
    print(
        f"segmented {done} of {len(outcomes)} letters ({findings} findings) into {out_dir} "
        f"in {took:.2f}s" + (f"; {len(failed)} failed" if failed else ""),
        file=sys.stderr,
    )
    return EXIT_USAGE if failed else 0


def _letters_in(given: list[str]) -> list[Path]:
    """The files named, with each folder replaced by its letters and reports (.txt, .pdf,
    subfolders too), as `open` reads a folder; a missing file stays, to be reported."""
    from reviewer.review.queue import collect_letters

    paths: list[Path] = []
    for raw in given:
        p = Path(raw)
        if not p.is_dir():
            paths.append(p)
            continue
        found = collect_letters([p])
        if not found:
            raise CliError(f"{p}: no letters or reports (*.txt, *.pdf) in this folder")
        paths += found
    return paths


def _write_output(text: str, output: str | None) -> None:
    if not output:
        sys.stdout.write(text)  # sanitized if a terminal, as all output is (`main`)
        return
    from reviewer.review.store import StoreError, atomic_write

    try:
        atomic_write(Path(output), text)
    except StoreError as err:
        raise CliError(str(err)) from None


def _excel_needs_csv(args: argparse.Namespace) -> None:
    if args.excel and args.format != "csv":
        raise CliError(f"--excel shapes CSV for spreadsheets; add --format csv (not {args.format})")


def _load_all(paths: list[str]):
    from reviewer.corpus.loading import load_reviews

    loaded, problems = load_reviews(paths)
    for p in problems:
        _err(p)
    return loaded, problems


def _require_paths(paths: list[str], done: str) -> None:
    """Stop before anything is written when a path given does not exist: a table or page
    of the reviews that could be read would pass for the whole set."""
    missing = [p for p in paths if not Path(p).exists()]
    if missing:
        raise CliError(f"{missing[0]}: no such file or folder; nothing was {done}")


def cmd_export(args: argparse.Namespace) -> int:
    from reviewer.corpus import export

    if args.format == "xlsx" and not args.output:
        raise CliError("a workbook is a file: add --output FILE.xlsx")
    _require_paths(args.paths, "exported")
    loaded, problems = _load_unique(args.paths)
    if args.format == "xlsx":
        data = export.to_xlsx([export.document_table(loaded), export.finding_table(loaded)])
        _write_bytes(data, args.output)
    else:
        t = export.table(loaded, args.level)
        text = export.to_csv(t, excel=args.excel) if args.format == "csv" else export.to_jsonl(t)
        _write_output(text, args.output)
    if args.output:
        n = sum(len(x.review.findings) for x in loaded)
        print(
            f"exported {len(loaded)} documents ({n} findings) to {args.output}",
            file=sys.stderr,
        )
    return EXIT_USAGE if problems else 0


def _write_bytes(data: bytes, output: str) -> None:
    from reviewer.review.store import StoreError, atomic_write

    try:
        atomic_write(Path(output), data)
    except StoreError as err:
        raise CliError(str(err)) from None


def _load_unique(paths: list[str]):
    """The reviews, one per document: a second review of a document is left out with a
    warning naming both files (not a problem: the exit status does not change)."""
    from reviewer.corpus.loading import one_per_document

    loaded, problems = _load_all(paths)
    unique, warnings = one_per_document(loaded)
    for warning in warnings:
        _err(f"warning: {warning}")
    return unique, problems


def cmd_stats(args: argparse.Namespace) -> int:
    import json

    import tomli_w

    from reviewer.corpus import neighbours, stats, stats_page
    from reviewer.review.council import council_named, council_of

    if args.neighbours and not args.authority:
        raise CliError("--neighbours compares one council: add --authority NAME or LA code")
    council = None
    if args.authority:
        council = council_named(args.authority)
        if council is None:
            raise CliError(
                f"'{args.authority}' is no council in the register; give a council's name, "
                "DfE LA code or GSS code"
            )
    _require_paths(args.paths, "counted")
    loaded, problems = _load_unique(args.paths)
    if council is not None and args.neighbours:
        rows = neighbours.compare(loaded, council)
        data = neighbours.to_dict(rows)
        text = {
            "text": lambda: neighbours.to_text(rows),
            "json": lambda: neighbours.to_json(rows),
            "toml": lambda: tomli_w.dumps(stats.without_missing(data)),
            "html": lambda: stats_page.neighbours_html(rows),
        }[args.format]()
        _write_output(text, args.output)
        return EXIT_USAGE if problems else 0
    if council is not None:
        loaded = [x for x in loaded if council_of(x.review.letter).registered == council]
        if not loaded:
            raise CliError(f"no document of {council.name} in these reviews")
    s = stats.compute(loaded)
    if args.format == "text":
        text = stats.to_text(s)
    elif args.format == "toml":
        text = tomli_w.dumps(stats.without_missing(stats.to_dict(s)))
    elif args.format == "json":
        text = json.dumps(stats.to_dict(s), indent=2, ensure_ascii=False) + "\n"
    else:
        text = stats_page.to_html(s)
    _write_output(text, args.output)
    return EXIT_USAGE if problems else 0


def cmd_agree(args: argparse.Namespace) -> int:
    import tomli_w

    from reviewer.corpus.agree import compare, pair_files, same_letter, to_csv, to_dict, to_text
    from reviewer.review import annotation
    from reviewer.review.annotation import AnnotationError

    _excel_needs_csv(args)
    a, b = Path(args.a), Path(args.b)
    for p in (a, b):
        if not p.exists():
            raise CliError(f"{p}: no such file or folder")
    try:
        pairs, unpaired = pair_files(a, b, annotation.REVIEW_SUFFIX)
    except ValueError as err:
        raise CliError(str(err)) from None
    loaded = []
    status = 0
    if not pairs:
        raise CliError(f"{a} and {b} have no review files in common (matched by file name)")
    for name, pa, pb in pairs:
        try:
            ra, rb = annotation.load(pa), annotation.load(pb)
        except AnnotationError as err:
            _err(str(err))
            status = EXIT_USAGE
            continue
        if not args.force and not same_letter(ra, rb):
            _err(
                f"{pa} and {pb} review different letters (the letter's sha256 and text "
                "differ); not compared (use --force to compare anyway)"
            )
            status = EXIT_USAGE
            continue
        loaded.append((name, ra, rb))
    if not loaded:
        return status
    ag = compare(loaded)
    ag.unpaired_files = unpaired
    if args.format == "csv":
        sys.stdout.write(to_csv(ag, excel=args.excel))
        for msg in unpaired:
            _err(f"file {msg}")
    elif args.format == "toml":
        sys.stdout.write(tomli_w.dumps(to_dict(ag)))
    else:
        sys.stdout.write(to_text(ag))
    return status


def cmd_open(args: argparse.Namespace) -> int:
    from reviewer.bundled import sample_letter

    letters = list(args.letters or [])
    if getattr(args, "fetch", False):
        letters = _fetched_for_open(args, letters)
    if len(letters) > 1 or (letters and Path(letters[0]).is_dir()):
        return _open_queue(args, letters)
    output = Path(args.output) if args.output else None
    if letters:
        letter = Path(letters[0])
    else:
        letter = sample_letter()
        if not letter.is_file():
            raise CliError("the bundled sample letter is missing; give a letter to open")
        # the sample's review goes in the current folder, never inside the package
        output = output or Path.cwd() / letter.with_suffix(".review.toml").name
    fresh = getattr(args, "fresh", False)
    head_start = None
    if not fresh:  # the letter read and segmented in a child while the screen loads
        from reviewer.review.head_start import HeadStart

        head_start = HeadStart.begin(letter, output, args.scheme)
    from reviewer.review.annotation import AnnotationError, review_path_for
    from reviewer.review.session import ReviewSession
    from reviewer.segment.scheme import SchemeError
    from reviewer.sources.letter import InputError
    from reviewer.tui.keymap import KeymapError

    with _typing_hidden():  # keys typed while the letter loads are not echoed
        try:
            settings, problem = load_or_defaults()
            keymap = chosen_keymap(args, settings)
            made = None
            if head_start is not None:
                import reviewer.tui.app  # noqa: F401 - loaded while the child segments

                made = head_start.take(letter, output, args.scheme)
            if fresh:
                broken = output or review_path_for(letter)
                session = ReviewSession.start_fresh_beside(letter, broken, args.scheme)
            else:
                session = ReviewSession.open(
                    letter, output, args.scheme, read_only=args.read_only, made=made
                )
        except AnnotationError as err:
            from reviewer.review.session import fresh_reviews_beside

            newer = fresh_reviews_beside(output or review_path_for(letter))
            if newer:
                raise CliError(
                    f"{err}; your newer review is {newer[-1].name}: run again with --fresh to go on"
                ) from None
            raise CliError(
                f"{err}; or run again with --fresh to start a new review beside it "
                "(this one is kept)"
            ) from None
        except (InputError, SchemeError, KeymapError) as err:
            raise CliError(str(err)) from None
        finally:
            if head_start is not None:
                head_start.cancel()  # not taken (an error came first): the child is ended
        from reviewer.tui.app import ReviewApp

    # by name: the app loads it for the scheme of the document (a report's category keys)
    notes = [problem] if problem else []
    ReviewApp(session, keymap, notes=notes, settings=settings).run()
    return 0


def chosen_keymap(args: argparse.Namespace, settings: Settings) -> str:
    """--keymap, else the settings' keymap; checked now, so a bad one is one error before
    anything opens. Raises KeymapError."""
    from reviewer.settings import settings_path, shown
    from reviewer.tui.keymap import KeymapError, load_keymap

    if args.keymap:
        load_keymap(args.keymap)
        return str(args.keymap)
    try:
        load_keymap(settings.keymap)
    except KeymapError as err:
        raise KeymapError(f"{shown(settings_path())}: 'keymap' cannot be used: {err}") from None
    return settings.keymap


def _open_queue(args: argparse.Namespace, paths: list[str]) -> int:
    """Several letters or folders: review them one after another, from the first unfinished."""
    from functools import partial

    from reviewer.review.queue import LetterQueue, QueueError
    from reviewer.review.session import ReviewSession
    from reviewer.segment.scheme import SchemeError, load_scheme
    from reviewer.tui.keymap import KeymapError

    if args.output:
        raise CliError("--output names one review file; it cannot be used with several letters")
    if getattr(args, "fresh", False):
        raise CliError("--fresh works on one letter; open the letter with the broken review alone")
    with _typing_hidden():  # keys typed while the letters load are not echoed
        try:
            settings, problem = load_or_defaults()
            keymap = chosen_keymap(args, settings)
            if args.scheme:
                load_scheme(args.scheme)  # a bad scheme is one error now, not one per letter
            queue = LetterQueue.from_paths(paths)
        except (QueueError, KeymapError, SchemeError) as err:
            raise CliError(str(err)) from None
        from reviewer.tui.app import OPEN_ERRORS, ReviewApp

        opener = partial(_open_one, ReviewSession, scheme=args.scheme, read_only=args.read_only)
        notes: list[str] = [problem] if problem else []
        start = queue.first_unfinished()
        if all(item.finished for item in queue.items):
            notes.append(
                f"Every letter of the queue ({len(queue)}) is complete; starting at the first"
            )
        order = list(range(start, len(queue))) + list(range(0, start))
        session = None
        for i in order:
            item = queue.items[i]
            try:
                session = opener(item.letter)
            except OPEN_ERRORS as err:
                item.error = str(err).splitlines()[0]
                notes.append(f"Skipped letter {i + 1}: {item.error}")
                continue
            queue.index = i
            break
    if session is None:
        for note in notes:
            _err(note)
        raise CliError(f"none of the {len(queue)} letters could be opened")
    ReviewApp(
        session, keymap, queue=queue, open_session=opener, notes=notes, settings=settings
    ).run()
    return 0


@contextlib.contextmanager
def _typing_hidden() -> Iterator[None]:
    """Keys typed while a letter loads are not echoed to the terminal; on the way out the
    terminal is restored and what was typed is thrown away (it would act on a letter
    unseen, or reach the shell after the reviewer ends)."""
    try:
        import termios
    except ImportError:  # not a POSIX system
        yield
        return
    fd, saved = -1, None
    try:
        if sys.stdin is not None and sys.stdin.isatty():
            fd = sys.stdin.fileno()
            saved = termios.tcgetattr(fd)
            quiet = list(saved)
            quiet[3] &= ~(termios.ECHO | termios.ECHONL)
            termios.tcsetattr(fd, termios.TCSANOW, quiet)
    except (OSError, ValueError, termios.error):
        saved = None
    try:
        yield
    finally:
        if saved is not None:
            with contextlib.suppress(OSError, termios.error):
                termios.tcsetattr(fd, termios.TCSAFLUSH, saved)


def _open_one(cls, letter: Path, scheme: str | None, read_only: bool):
    return cls.open(letter, None, scheme, read_only=read_only)


def cmd_history(args: argparse.Namespace) -> int:
    from reviewer.corpus import history

    _excel_needs_csv(args)
    _require_paths(args.paths, "written")
    loaded, problems = _load_unique(args.paths)
    if not loaded:
        raise CliError("no review files could be read; give review files or folders of them")
    councils = history.build(loaded, args.authority)
    if not councils:
        raise CliError(f"no document of '{args.authority}' in these reviews")
    if args.format == "csv":
        text = history.to_csv(councils, excel=args.excel)
    else:
        text = {"text": history.to_text, "json": history.to_json, "html": history.to_html}[
            args.format
        ](councils)
    _write_output(text, args.output)
    return EXIT_USAGE if problems else 0


def cmd_serve(args: argparse.Namespace) -> int:
    from reviewer.tui.serve import ServeError, serve

    options = ["--keymap", args.keymap] if args.keymap else []
    try:
        serve(args.letters, args.host, args.port, options)
    except ServeError as err:
        raise CliError(str(err)) from None
    return 0


def _add_fetch_parser(sub) -> None:
    from reviewer.sources import site_address as site

    fp = sub.add_parser(
        "fetch",
        help="a council's documents from Ofsted's reports site, into a folder to open",
        description=(
            f"Fetch councils' documents from Ofsted's reports site into a folder. Connects to "
            f"the site (--site, default {site.DEFAULT_SITE}) and to the hosts its pages link "
            f"the PDFs on ({site.FILES_HOST}), through a proxy if the http_proxy or "
            "https_proxy environment variables name one; no other command uses the network. "
            "The site's labels of each family are in the scheme files' [fetch] tables."
        ),
    )
    who = fp.add_mutually_exclusive_group(required=True)
    who.add_argument(
        "--authority",
        "-a",
        action="append",
        metavar="NAME|CODE",
        help="a council: its name, DfE LA code, GSS code or Ofsted URN (may be repeated)",
    )
    who.add_argument(
        "--all", action="store_true", help="every council the site's search lists (paged)"
    )
    fp.add_argument(
        "--family",
        "-F",
        nargs="+",
        metavar="FAMILY",
        help="only these families, as a scheme's [fetch] table names them, e.g. "
        "focused_visit (default: every family)",
    )
    fp.add_argument("--since", metavar="DATE", help="only documents published on or after DATE")
    fp.add_argument("--out", default="ofsted", help="folder to save into (default: ./ofsted)")
    fp.add_argument(
        "--site", default=site.DEFAULT_SITE, help=f"the site (default: {site.DEFAULT_SITE})"
    )
    fp.add_argument("--dry-run", action="store_true", help="list what would be fetched")
    fp.add_argument(
        "--pause",
        type=float,
        default=site.DEFAULT_PAUSE,
        metavar="SECONDS",
        help=f"wait between requests (default: {site.DEFAULT_PAUSE:g})",
    )
    fp.add_argument(
        "--retries",
        type=int,
        default=site.DEFAULT_RETRIES,
        help=f"tries again after a failure (default: {site.DEFAULT_RETRIES})",
    )
    fp.add_argument(
        "--backoff",
        type=float,
        default=site.DEFAULT_BACKOFF,
        metavar="SECONDS",
        help=f"the first wait before trying again, doubled each time "
        f"(default: {site.DEFAULT_BACKOFF:g})",
    )


def _fetch_councils(args: argparse.Namespace, client):
    """The councils asked for: by --authority from the register, or every council the
    site's search lists (named as the register names it, else as the site does)."""
    from reviewer.review.council import council_named
    from reviewer.segment.authorities import register
    from reviewer.sources.fetch import Council, search_councils

    if not args.all:
        councils = []
        for wanted in args.authority:
            found = council_named(wanted)
            if found is None or not found.urn:
                raise CliError(
                    f"'{wanted}' is no council in the register; give a council's name, "
                    "DfE LA code, GSS code or Ofsted URN"
                )
            councils.append(Council(found.urn, found.name))
        return councils
    by_urn = {a.urn: a.name for a in register() if a.urn}
    return [Council(c.urn, by_urn.get(c.urn, c.name)) for c in search_councils(client, args.site)]


def _site_families() -> dict[str, tuple[str, ...]]:
    """Each family `fetch` knows with the site's labels of it, from the bundled schemes."""
    from reviewer.segment.fetch_table import FetchTableError, site_families
    from reviewer.segment.scheme import SchemeError, bundled

    try:
        return site_families(bundled())
    except (FetchTableError, SchemeError) as err:
        raise CliError(str(err)) from None


def cmd_fetch(args: argparse.Namespace) -> int:
    import datetime as dt
    from urllib.parse import urlsplit

    from reviewer.sources import fetch, site_address

    families = _site_families()
    unknown_family = [f for f in args.family or () if f not in families]
    if unknown_family:
        raise CliError(
            f"--family {unknown_family[0]}: no scheme's [fetch] table names it; "
            f"use some of: {', '.join(families)}"
        )
    site = urlsplit(args.site)
    if site.scheme not in ("http", "https") or not site.netloc:
        raise CliError(
            f"--site {args.site}: give the site's address, e.g. {site_address.DEFAULT_SITE}"
        )
    since = None
    if args.since:
        try:
            since = dt.date.fromisoformat(args.since)
        except ValueError:
            raise CliError(f"--since {args.since}: give a date as YYYY-MM-DD") from None
    if args.pause < 0 or args.retries < 0 or args.backoff < 0:
        raise CliError("--pause, --retries and --backoff take a number of 0 or more")
    out_dir = Path(args.out)
    if out_dir.exists() and not out_dir.is_dir():
        raise CliError(f"{out_dir}: is a file; --out needs a folder")
    proxy = fetch.proxy_for(args.site)
    via = f" through the proxy {proxy}" if proxy else ""
    _err(
        f"fetch: asking {site.scheme}://{site.netloc}{via}, one request at a time, "
        f"{args.pause:g}s apart"
    )
    client = fetch.Client(
        pause=args.pause,
        retries=args.retries,
        backoff=args.backoff,
        on_connect=lambda h: _err(f"fetch: connecting to {h}"),
    )
    try:
        councils = _fetch_councils(args, client)
        plan = fetch.plan(client, args.site, councils, out_dir, families, args.family, since)
    except fetch.FetchError as err:
        raise CliError(f"{err}; check the address, your connection or proxy") from None
    except KeyboardInterrupt:
        _err("stopped before anything was fetched")
        return 130
    unknown = fetch.unknown_summary(plan.unknown)
    if args.dry_run:
        for doc in plan.new:
            print(f"would fetch {doc.file_name}  {doc.label}  {doc.url}")
        _err(
            f"{len(plan.new)} to fetch, {len(plan.already)} already in {out_dir} "
            f"({len(councils)} {'council' if len(councils) == 1 else 'councils'})"
        )
        if unknown:
            _err(unknown)
        return 0
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise CliError(f"{out_dir}: cannot create the folder ({err.strerror or err})") from None
    outcomes: list = []
    try:
        _download(client, plan.new, out_dir, outcomes)
    except KeyboardInterrupt:
        got = sum(1 for o in outcomes if not o.error)
        _err(
            f"stopped: {got} documents fetched are kept in {out_dir}; "
            "run the same command again to fetch the rest"
        )
        return 130
    failed = [o for o in outcomes if o.error]
    for o in failed:
        _err(o.error)
    got = len(outcomes) - len(failed)
    size = sum(o.size for o in outcomes)
    _err(
        f"fetched {got} of {len(plan.new)} new documents ({_size(size)}) into {out_dir}; "
        f"{len(plan.already)} already there; {client.requests} requests"
        + (f"; {len(failed)} failed" if failed else "")
    )
    if unknown:
        _err(unknown)
    return EXIT_USAGE if failed else 0


def _size(n: int) -> str:
    return f"{n / 1e6:.1f} MB" if n >= 1e6 else f"{max(1, round(n / 1e3))} kB" if n else "0 kB"


def _download(client, documents, out_dir: Path, outcomes: list) -> None:
    """Fetch each document in turn, with a progress bar on a terminal and a line each
    otherwise; `outcomes` grows as documents are done, so a stop still tells them."""
    from reviewer.sanitize import TerminalStream, sanitize_line
    from reviewer.sources.fetch import fetch_document

    def line(o) -> str:
        name = sanitize_line(o.document.file_name)
        return f"failed  {name}" if o.error else f"fetched {name} ({_size(o.size)})"

    stream = sys.stderr
    if not stream.isatty() or not documents:
        for doc in documents:
            outcomes.append(fetch_document(client, doc, out_dir))
            print(line(outcomes[-1]), file=stream, flush=True)
        return
    from rich.console import Console
    from rich.markup import escape
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    raw = stream.stream if isinstance(stream, TerminalStream) else stream
    console = Console(file=raw, stderr=True)
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn())
    with Progress(*columns, console=console, transient=False) as progress:
        task = progress.add_task("fetching", total=len(documents))
        for doc in documents:
            name = escape(sanitize_line(doc.file_name))
            progress.update(task, description=f"fetching {name}")
            outcomes.append(fetch_document(client, doc, out_dir))
            progress.console.print(escape(line(outcomes[-1])), highlight=False)
            progress.advance(task)
        progress.update(task, description="fetched")


def _fetched_for_open(args: argparse.Namespace, letters: list[str]) -> list[str]:
    """`open --fetch --authority NAME`: fetch the council's new documents, then its
    documents in the folder (from the manifest) are the queue."""
    from reviewer.review.council import council_named
    from reviewer.sources import fetch, site_address

    if letters:
        raise CliError("--fetch opens the council's fetched documents; give no letters with it")
    if not args.authority:
        raise CliError("--fetch needs the council: add --authority NAME or LA code")
    council = council_named(args.authority)
    if council is None or not council.urn:
        raise CliError(f"'{args.authority}' is no council in the register")
    fetch_args = argparse.Namespace(
        authority=[args.authority],
        all=False,
        family=None,
        since=None,
        out=args.fetch_dir,
        site=site_address.DEFAULT_SITE,
        dry_run=False,
        pause=site_address.DEFAULT_PAUSE,
        retries=site_address.DEFAULT_RETRIES,
        backoff=site_address.DEFAULT_BACKOFF,
    )
    try:
        cmd_fetch(fetch_args)
    except CliError as err:  # offline: what was fetched before still opens
        _err(str(err))
    out_dir = Path(args.fetch_dir)
    files = sorted(
        {
            str(out_dir / row["file"])
            for row in fetch.read_manifest(out_dir)
            if row["urn"] == council.urn and (out_dir / row["file"]).is_file()
        }
    )
    if not files:
        raise CliError(f"no document of {council.name} in {out_dir}; nothing to open")
    return files


# The commands, in the order `reviewer --help` lists them; each adds its own parser.
COMMANDS = {
    "open": _add_open,
    "segment": _add_segment,
    "export": _add_export,
    "stats": _add_stats,
    "agree": _add_agree,
    "validate": _add_validate,
    "history": _add_history,
    "serve": _add_serve,
    "fetch": _add_fetch_parser,
}


if __name__ == "__main__":
    sys.exit(main())
