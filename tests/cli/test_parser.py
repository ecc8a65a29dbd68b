"""The command line's parser: a run builds only its own command's parser, and reads its
arguments exactly as the parser of every command does."""

from __future__ import annotations

import pytest

from reviewer import cli

EXAMPLES = [
    ["open", "a.txt", "--keymap", "vim", "--read-only"],
    ["open", "--fetch", "-a", "Leeds", "--fetch-dir", "docs"],
    ["segment", "a.pdf", "b.txt", "--out-dir", "out", "-j", "2", "--force"],
    ["export", "reviews", "--level", "document", "-f", "jsonl", "-o", "x.jsonl"],
    ["stats", "reviews", "-f", "html", "-a", "Leeds", "--neighbours"],
    ["agree", "a", "b", "-f", "csv", "--excel"],
    ["validate", "a.review.toml"],
    ["history", "reviews", "-a", "Leeds", "-f", "json"],
    ["serve", "a.txt", "--port", "8123"],
    ["fetch", "-a", "Leeds", "-a", "Wakefield"],
]


def test_every_command_is_in_the_table_and_has_an_example():
    assert {words[0] for words in EXAMPLES} == set(cli.COMMANDS)


@pytest.mark.parametrize("words", EXAMPLES, ids=lambda w: " ".join(w))
def test_a_commands_own_parser_reads_its_arguments_as_the_whole_parser(words):
    assert vars(cli.build_parser(only=words[0]).parse_args(words)) == vars(
        cli.build_parser().parse_args(words)
    )


def test_the_whole_parser_lists_every_command(capsys):
    with pytest.raises(SystemExit):
        cli.run(["--help"])
    listed = capsys.readouterr().out
    assert all(f"    {name} " in listed for name in cli.COMMANDS)


def test_a_run_builds_only_its_commands_parser(monkeypatch):
    built: list[str | None] = []
    real = cli.build_parser

    def spy(only=None):
        built.append(only)
        return real(only)

    monkeypatch.setattr(cli, "build_parser", spy)
    with pytest.raises(SystemExit):
        cli.run(["validate", "--help"])
    with pytest.raises(SystemExit):
        cli.run(["nosuch"])
    assert built == ["validate", None]
