"""The documents keep up with the code (as datasette's docs tests do): the user guide documents
every command and every option, docs/settings.md every setting, and the README stays a short
front door. A new option or setting left out of docs/ fails here, and so does one the docs name
that is gone."""
from __future__ import annotations

import re

import click
import pytest
from conftest import ROOT

from scrutiny import settings
from scrutiny.cli import app

README = (ROOT / "README.md").read_text(encoding="utf-8")
GUIDE = (ROOT / "docs" / "guide.md").read_text(encoding="utf-8")
SETTINGS = (ROOT / "docs" / "settings.md").read_text(encoding="utf-8")

# Variables Scrutiny or its tests read that are not settings: each where it is read.
OTHER_VARIABLES = {
    "SCRUTINY_ADMIN_PASSWORD": "src/scrutiny/cli/office.py",  # `scrutiny users init`'s first password
    "SCRUTINY_TEST_PG_URL": "tests/conftest.py",  # the PostgreSQL tests' server
    "SCRUTINY_CHROMIUM": "tests/browser.py",  # the browser tests' browser
}


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
def test_the_guide_documents_the_command_and_each_option(path, command):
    usage = [line for line in GUIDE.splitlines() if re.match(rf"scrutiny {re.escape(path)}(\s|$)", line)]
    assert usage, f"`scrutiny {path}` has no usage line in docs/guide.md"
    named = {o for line in usage for o in re.findall(r"--[a-z][a-z-]*", line)}
    assert _long_options(command) - named == set(), f"options of `scrutiny {path}` missing from docs/guide.md"
    assert named - _long_options(command) == set(), f"docs/guide.md names options `scrutiny {path}` does not have"


def test_the_guide_documents_the_global_options():
    assert re.search(r"^scrutiny --version$", GUIDE, re.MULTILINE)


def setting_variables() -> set[str]:
    """Every environment variable that is a setting: one for each field of Settings and of its
    nested Limits, as the settings read them."""
    return set(settings.Settings.variables())


def _documented_variables() -> set[str]:
    # Only whole names: `SCRUTINY_LIMIT_` and `SCRUTINY_LIMIT_*` stand for the family, not a variable.
    return set(re.findall(r"\bSCRUTINY_[A-Z0-9_]*[A-Z0-9](?![A-Z0-9_*])", SETTINGS))


def test_there_are_settings_to_check():
    assert {"SCRUTINY_DB", "SCRUTINY_SECRET_KEY", "SCRUTINY_LIMIT_PAGES", "SCRUTINY_LIMIT_SECONDS"} <= setting_variables()


@pytest.mark.parametrize(("variable", "description"), sorted(settings.Settings.variables().items()))
def test_settings_md_documents_the_setting(variable, description):
    row = re.search(rf"^\| `{variable}` \|.*$", SETTINGS, re.MULTILINE)
    assert row, f"{variable} has no row in docs/settings.md"
    assert f"| {description} |" in row.group(), f"docs/settings.md's row for {variable} does not say what the field does"


def test_every_variable_settings_md_names_exists():
    unknown = _documented_variables() - setting_variables() - OTHER_VARIABLES.keys()
    assert unknown == set(), f"docs/settings.md names variables that are not settings: {sorted(unknown)}"


@pytest.mark.parametrize(("variable", "where"), sorted(OTHER_VARIABLES.items()))
def test_the_other_variables_are_still_read(variable, where):
    assert variable in (ROOT / where).read_text(encoding="utf-8"), f"{where} no longer reads {variable}"


def test_the_readme_is_short_and_opens_with_the_two_commands():
    lines = README.splitlines()
    assert len(lines) <= 200, f"the README has {len(lines)} lines; its details belong in docs/"
    assert lines[0].startswith("# ")
    block = lines[lines.index("```") : lines.index("```", lines.index("```") + 1) + 1]
    assert lines.index("```") == 2, "the README opens with the two commands, right under its title"
    assert [line.split()[:2] for line in block if line.startswith("make ")] == [["make", "run"], ["make", "test"]]


def _relative_links(markdown: str) -> list[str]:
    markdown = re.sub(r"```.*?```|`[^`]*`", "", markdown, flags=re.DOTALL)  # code is not links
    targets = re.findall(r"\]\(([^)\s]+)\)", markdown) + re.findall(r"<([^>\s]+)>", markdown)
    return [t for t in targets if not re.match(r"[a-z][a-z0-9+.-]*:|#", t)]


def test_the_readme_links_point_at_files():
    links = _relative_links(README)
    assert links, "the README links into docs/"
    missing = [link for link in links if not (ROOT / link.split("#")[0]).exists()]
    assert missing == [], f"the README links to files that are not there: {missing}"


@pytest.mark.parametrize("name", ["guide.md", "settings.md", "architecture.md", "benchmarks.md"])
def test_the_docs_links_point_at_files(name):
    page = ROOT / "docs" / name
    missing = [link for link in _relative_links(page.read_text(encoding="utf-8"))
               if not (page.parent / link.split("#")[0]).exists()]
    assert missing == [], f"docs/{name} links to files that are not there: {missing}"
