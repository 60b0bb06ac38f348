"""The migration chain: one head, linear, numbered in order, each file named by its revision.
Parallel branches once added two 0002s and two 0004s; Alembic would then refuse to upgrade
to "head" (or silently keep one of two revisions of one number)."""
from __future__ import annotations

import re
import shutil
import warnings
from pathlib import Path

from alembic.config import Config
from alembic.script import ScriptDirectory
from alembic.util import CommandError
from legacy import MIGRATIONS


def chain_problems(location: Path) -> list[str]:
    """What is wrong with the migrations at `location`: more than one head, a branch or merge,
    a gap or repeat in the numbering, a file not named by its revision."""
    problems = []
    files = sorted(p.name for p in (location / "versions").glob("*.py"))
    revisions: dict[str | None, str] = {}
    for path in files:
        found = re.search(r'^revision = "([^"]+)"', (location / "versions" / path).read_text(), re.MULTILINE)
        number = found.group(1) if found else None
        if number in revisions:
            problems.append(f"revision {number} in both {revisions[number]} and {path}")
        revisions[number] = path
        if not path.startswith(f"{number}_"):
            problems.append(f"{path} holds revision {number}")
    expected = [f"{n:04d}" for n in range(1, len(revisions) + 1)]
    if sorted(map(str, revisions)) != expected:
        problems.append(f"revisions {sorted(map(str, revisions))} are not numbered {expected[0]} to {expected[-1]}")
    config = Config()
    config.set_main_option("script_location", str(location))
    script = ScriptDirectory.from_config(config)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # a repeated number, reported above
            heads = script.get_heads()
            chain = list(script.walk_revisions())
    except CommandError as exc:
        return [*problems, f"Alembic cannot order the revisions: {exc}"]
    if len(heads) != 1:
        problems.append(f"{len(heads)} heads: {', '.join(sorted(heads))} (renumber one of them after the other)")
    for revision in chain:
        number = revision.revision
        previous = f"{int(number) - 1:04d}" if number.isdigit() and number != "0001" else None
        if revision.down_revision != previous:
            problems.append(f"{number} follows {revision.down_revision!r}, not {previous!r}")
    return problems


def test_the_migration_chain_has_one_head_and_is_linear():
    assert chain_problems(MIGRATIONS) == []


def _copy(tmp_path: Path) -> Path:
    copy = tmp_path / "migrations"
    shutil.copytree(MIGRATIONS, copy, ignore=shutil.ignore_patterns("__pycache__"))
    return copy


def test_two_heads_are_found(tmp_path):
    """Two branches each adding the next number: the check names both."""
    copy = _copy(tmp_path)
    last = sorted((copy / "versions").glob("*.py"))[-1]
    number = re.search(r'^revision = "(\d+)"', last.read_text(), re.MULTILINE).group(1)
    twin = f"{int(number):04d}_twin"
    (copy / "versions" / f"{number}_twin.py").write_text(
        last.read_text().replace(f'revision = "{number}"', f'revision = "{twin}"'))
    problems = chain_problems(copy)
    assert any(p.startswith("2 heads") and twin in p and number in p for p in problems), problems


def test_a_gap_or_a_misnamed_file_is_found(tmp_path):
    copy = _copy(tmp_path)
    [first] = (copy / "versions").glob("0001_*.py")
    first.rename(first.with_name("0009_initial.py"))
    problems = chain_problems(copy)
    assert "0009_initial.py holds revision 0001" in problems, problems


def test_one_number_twice_is_found(tmp_path):
    """Two branches each numbering their migration 0002: Alembic keeps one, so the other is lost."""
    copy = _copy(tmp_path)
    [second] = (copy / "versions").glob("0002_*.py")
    (copy / "versions" / "0002_another.py").write_text(second.read_text())
    problems = chain_problems(copy)
    assert f"revision 0002 in both 0002_another.py and {second.name}" in problems, problems
