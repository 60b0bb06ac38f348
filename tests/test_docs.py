"""The README documents every command and every option (as datasette's docs tests do): a new
option left out of the README fails here, and so does one the README names that is gone."""
from __future__ import annotations

import re

import click
import pytest
from conftest import ROOT

from scrutiny.cli import app

README = (ROOT / "README.md").read_text(encoding="utf-8")


def _commands(group: click.Group, prefix: str = "") -> list[tuple[str, click.Command]]:
    found = []
    for name, command in sorted(group.commands.items()):
        path = f"{prefix}{name}"
        if isinstance(command, click.Group):
            found.extend(_commands(command, path + " "))
        else:
            found.append((path, command))
    return found


def _long_options(command: click.Command) -> set[str]:
    return {o for p in command.params if isinstance(p, click.Option) for o in p.opts if o.startswith("--")} - {"--help"}


COMMANDS = _commands(app)


def test_there_are_commands_to_check():
    assert {"ingest", "extract", "check", "show", "export", "reports list", "reports add", "eval", "serve"} <= dict(COMMANDS).keys()


@pytest.mark.parametrize(("path", "command"), COMMANDS, ids=[path for path, _ in COMMANDS])
def test_the_readme_documents_the_command_and_each_option(path, command):
    usage = [line for line in README.splitlines() if re.match(rf"scrutiny {re.escape(path)}(\s|$)", line)]
    assert usage, f"`scrutiny {path}` has no usage line in the README"
    named = {o for line in usage for o in re.findall(r"--[a-z][a-z-]*", line)}
    assert _long_options(command) - named == set(), f"options of `scrutiny {path}` missing from the README"
    assert named - _long_options(command) == set(), f"the README names options `scrutiny {path}` does not have"


def test_the_readme_documents_the_global_options():
    assert re.search(r"^scrutiny --version$", README, re.MULTILINE)
