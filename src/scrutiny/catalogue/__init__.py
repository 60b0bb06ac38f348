"""Reference data the extractor matches against: police forces and inspection reports.

The 43 territorial forces come from `forces.csv`; inspection reports are YAML files, one
per report, bundled under `reports/` or added by users (stored in the database and passed
in as extra reports). A report's recommendations that apply to forces are numbered
1..n in report order: those are the numbers the contract uses.
"""
from __future__ import annotations

import csv
import datetime as dt
from dataclasses import dataclass, field
from functools import cache, cached_property, lru_cache
from importlib import resources
from typing import Any, Iterable

import yaml

FORCE_ADDRESSEES = {"chief constables", "chief constable", "forces", "all forces", "police forces"}


@dataclass(frozen=True)
class Force:
    name: str
    aliases: tuple[str, ...]
    nation: str
    body: str
    region: str


@dataclass(frozen=True)
class Recommendation:
    number: int  # the report's own number
    wording: str | None
    addressees: tuple[str, ...]
    due: dt.date | None = None

    @property
    def applies_to_forces(self) -> bool:
        return any(a.lower() in FORCE_ADDRESSEES for a in self.addressees)


@dataclass(frozen=True)
class Report:
    id: str
    title: str
    publisher: str
    published: dt.date
    title_variants: tuple[str, ...] = ()
    recommendations: tuple[Recommendation, ...] = field(default=())

    @cached_property  # frozen, so computed once; extraction asks for it many times a letter
    def force_recommendations(self) -> tuple[Recommendation, ...]:
        """The recommendations to chief constables, in report order (contract numbering)."""
        return tuple(r for r in self.recommendations if r.applies_to_forces)

    def recommendation_id(self, position: int) -> str:
        return f"{self.id}#{self.force_recommendations[position - 1].number}"

    def __hash__(self) -> int:
        # By id alone (equal reports share it): the generated hash walks every field, every
        # recommendation's wording included, and the extractor's caches hash a report
        # several times a letter.
        return hash(self.id)


class CatalogueError(ValueError):
    """A report file that does not describe a report; the message names the field."""


@cache
def forces() -> tuple[Force, ...]:
    """The 43 territorial forces of England and Wales, with aliases and region."""
    text = resources.files(__package__).joinpath("forces.csv").read_text(encoding="utf-8")
    return tuple(
        Force(
            name=row["force"],
            aliases=tuple(a for a in row["aliases"].split("|") if a),
            nation=row["nation"],
            body=row["local_policing_body"],
            region=row["region"],
        )
        for row in csv.DictReader(text.splitlines())
    )


@cache
def force_names() -> dict[str, str]:
    """Every force name and alias, mapped to the force's canonical name."""
    return {alias: f.name for f in forces() for alias in (f.name, *f.aliases)}


def force_named(name: str) -> Force | None:
    return next((f for f in forces() if f.name == name), None)


PUBLISHED_FROM, PUBLISHED_TO = 1990, 2999  # years a report may be published in


def _date(value: Any, where: str) -> dt.date:
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise CatalogueError(f"{where}: not a date (YYYY-MM-DD): {value!r}") from None


def _text(data: dict, key: str, where: str) -> str:
    """A required, non-empty string field, with its whitespace collapsed."""
    value = data.get(key)
    if not isinstance(value, str) or not value.strip():
        raise CatalogueError(f"{where}{key}: required, a non-empty string")
    return " ".join(value.split())


def parse_report(data: Any) -> Report:
    """Validate one report's mapping (as loaded from YAML) and build a `Report`.

    Raises CatalogueError naming the first bad field, e.g. 'recommendations[2].number'.
    """
    if not isinstance(data, dict):
        raise CatalogueError("the file must hold a mapping with id, title, published, ...")
    unknown = set(data) - {"id", "title", "title_variants", "publisher", "published", "recommendations"}
    if unknown:
        raise CatalogueError(f"{sorted(unknown)[0]}: unknown field")
    report_id = _text(data, "id", "")
    if any(c.isspace() or c in "/#?" for c in report_id):
        raise CatalogueError("id: must not contain spaces, '/', '#' or '?'")
    title = _text(data, "title", "")
    if "published" not in data:
        raise CatalogueError("published: required, a date (YYYY-MM-DD)")
    published = _date(data["published"], "published")
    if not PUBLISHED_FROM <= published.year <= PUBLISHED_TO:
        raise CatalogueError(f"published: a date from {PUBLISHED_FROM} to {PUBLISHED_TO}: {published.isoformat()}")
    variants = data.get("title_variants") or []
    if not isinstance(variants, list) or not all(isinstance(v, str) for v in variants):
        raise CatalogueError("title_variants: must be a list of strings")
    recs = data.get("recommendations")
    if not isinstance(recs, list) or not recs:
        raise CatalogueError("recommendations: required, a non-empty list")
    parsed = []
    for i, rec in enumerate(recs, 1):
        where = f"recommendations[{i}]."
        if not isinstance(rec, dict):
            raise CatalogueError(f"recommendations[{i}]: must be a mapping")
        number = rec.get("number")
        if not isinstance(number, int) or number < 1:
            raise CatalogueError(f"{where}number: required, a positive integer")
        addressees = rec.get("addressees")
        if not isinstance(addressees, list) or not addressees or not all(isinstance(a, str) for a in addressees):
            raise CatalogueError(f"{where}addressees: required, a non-empty list of strings")
        wording = _text(rec, "wording", where) if rec.get("wording") is not None else None
        rec_obj = Recommendation(
            number=number,
            wording=wording,
            addressees=tuple(addressees),
            due=_date(rec["due"], f"{where}due") if rec.get("due") is not None else None,
        )
        if rec_obj.applies_to_forces and not wording:
            raise CatalogueError(f"{where}wording: required for a recommendation to chief constables")
        parsed.append(rec_obj)
    numbers = [r.number for r in parsed]
    if len(set(numbers)) != len(numbers):
        raise CatalogueError("recommendations: numbers must be unique")
    return Report(
        id=report_id,
        title=title,
        publisher=_text(data, "publisher", "") if data.get("publisher") is not None else "HMICFRS",
        published=published,
        title_variants=tuple(" ".join(v.split()) for v in variants),
        recommendations=tuple(sorted(parsed, key=lambda r: r.number)),
    )


class _Loader(yaml.SafeLoader):
    """SafeLoader that leaves dates as strings, so a bad one is reported with its field name."""


_Loader.yaml_implicit_resolvers = {
    key: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for key, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


@lru_cache(maxsize=512)  # the store re-reads users' reports often; each parses once
def load_report_yaml(text: str) -> Report:
    try:
        data = yaml.load(text, Loader=_Loader)
    except yaml.YAMLError as exc:
        raise CatalogueError(f"not valid YAML: {exc}") from None
    return parse_report(data)


@cache
def bundled_reports() -> tuple[Report, ...]:
    folder = resources.files(__package__).joinpath("reports")
    return tuple(
        load_report_yaml(f.read_text(encoding="utf-8"))
        for f in sorted(folder.iterdir(), key=lambda f: f.name)
        if f.name.endswith(".yaml")
    )


def reports(extra: Iterable[Report] = ()) -> tuple[Report, ...]:
    """Bundled reports plus user-added ones; a user's report replaces a bundled one of the same id."""
    by_id = {r.id: r for r in bundled_reports()}
    by_id.update({r.id: r for r in extra})
    return tuple(by_id.values())
