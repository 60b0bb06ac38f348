"""Reference data the extractor matches against: police forces, inspection reports, and
who held which office when.

The 43 territorial forces come from `forces.csv`; inspection reports are YAML files, one
per report, bundled under `reports/` (198 HMIC/HMICFRS reports, 2011-2025, each with the
sources its facts came from) or added by users (stored in the database and passed in as
extra reports). A report's recommendations that apply to forces are numbered 1..n in
report order: those are the numbers the contract uses. `policing-bodies.csv` and
`chief-officers.csv` list the commissioners, mayors and chief constables by force and term.
`policing-body-sites.csv` gives each body's website and the page where it lists its responses,
with the evidence: the collector's bundled sources (`body_sites()`).
"""
from __future__ import annotations

import csv
import datetime as dt
import hashlib
import json
import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache, cached_property, lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from ..errors import InvalidValue

FORCE_ADDRESSEES = {"chief constables", "chief constable", "forces", "all forces", "police forces"}
REPORT_KINDS = ("peel", "thematic", "force", "joint", "annual", "other")
# Whom a report's section 55 duty falls on (record.vocabulary.Scope has the same words; the
# catalogue sits below the record, so they are spelt here too), and how sure its source is.
SCOPES = ("all-forces", "named-forces", "none")
CONFIDENCES = ("high", "medium", "low")


@dataclass(frozen=True)
class Force:
    name: str
    aliases: tuple[str, ...]
    nation: str
    body: str
    region: str


@dataclass(frozen=True)
class Recommendation:
    number: int | None  # the report's own number, when the source gives it
    wording: str | None
    addressees: tuple[str, ...]
    due: dt.date | None = None
    due_note: str | None = None  # a due date that is not a day: '2014-09', 'within three months'
    source: str | None = None  # where the wording was seen

    @property
    def applies_to_forces(self) -> bool:
        """Addressed to chief constables, to forces in general, or to one named force."""
        return any(a.lower() in FORCE_ADDRESSEES or "chief constable" in a.lower() or "force" in a.lower()
                   or a in force_names() for a in self.addressees)


@dataclass(frozen=True)
class Report:
    id: str
    title: str
    publisher: str
    published: dt.date | None  # None where no source states the day
    title_variants: tuple[str, ...] = ()
    recommendations: tuple[Recommendation, ...] = field(default=())
    kind: str = "other"  # one of REPORT_KINDS
    forces: tuple[str, ...] = ()  # the forces a force-specific report covers; empty for a national one
    recommendations_to_chief_constables: int | None = None  # how many, where known without their wording
    sources: tuple[str, ...] = ()
    note: str | None = None  # how sure the facts are, and where they came from
    scope: ReportScope | None = None  # None: every force, or the forces listed (as before scopes were kept)

    @cached_property  # frozen, so computed once; extraction asks for it many times a letter
    def force_recommendations(self) -> tuple[Recommendation, ...]:
        """The recommendations to chief constables, in report order (contract numbering)."""
        return tuple(r for r in self.recommendations if r.applies_to_forces)

    @property
    def only_forces(self) -> tuple[str, ...]:
        """The forces whose letters alone can answer this report (empty: any force's). A list of
        named forces the catalogue holds with low confidence may be short (a batch of force
        reports only partly listed), so it rules no letter out."""
        return () if self.scope is not None and self.scope.confidence == "low" else self.forces

    def recommendation_id(self, position: int) -> str:
        number = self.force_recommendations[position - 1].number
        return f"{self.id}#{position if number is None else number}"

    def __hash__(self) -> int:
        # By id alone (equal reports share it): the generated hash walks every field, every
        # recommendation's wording included, and the extractor's caches hash a report
        # several times a letter.
        return hash(self.id)


@dataclass(frozen=True)
class ReportScope:
    """Whose policing body must answer a report under section 55, and on what authority: all
    forces', the named forces' (`Report.forces`), or none (a report on the NCA, the PSNI,
    HMICFRS's own work). A duplicate (`duplicate_of`: an annex of its covering letter, a national
    report repeating a force report) expects no response of its own: the original's answers it."""

    applies: str  # one of SCOPES
    confidence: str | None = None  # one of CONFIDENCES
    sources: tuple[str, ...] = ()
    note: str | None = None
    duplicate_of: str | None = None


def scope_of(report: Report) -> ReportScope:
    """The report's scope as the catalogue gives it, or as its forces imply where it gives none."""
    return report.scope or ReportScope("named-forces" if report.forces else "all-forces")


class CatalogueError(InvalidValue, ValueError):
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


_FIELDS = {"id", "title", "title_variants", "publisher", "published", "kind", "forces",
           "recommendations_to_chief_constables", "recommendations", "sources", "note", "scope"}
_SCOPE_FIELDS = {"applies", "confidence", "sources", "note", "duplicate_of"}


def _strings(data: dict, key: str, where: str = "") -> tuple[str, ...]:
    """An optional list of strings, each with its whitespace collapsed."""
    value = data.get(key)
    value = [] if value is None else value
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise CatalogueError(f"{where}{key}: must be a list of strings")
    return tuple(" ".join(v.split()) for v in value)


def _due(value: Any, where: str) -> tuple[dt.date | None, str | None]:
    """A due date: a day, or as the source words it ('2014-09', 'within three months')."""
    if value is None:
        return None, None
    if isinstance(value, dt.date):
        return value, None
    try:
        return dt.date.fromisoformat(str(value)), None
    except ValueError:
        if not str(value).strip() or not isinstance(value, str):
            raise CatalogueError(f"{where}due: a date (YYYY-MM-DD) or a phrase") from None
        return None, " ".join(value.split())


def _recommendation(rec: Any, i: int) -> Recommendation:
    where = f"recommendations[{i}]."
    if not isinstance(rec, dict):
        raise CatalogueError(f"recommendations[{i}]: must be a mapping")
    number = rec.get("number")
    if number is not None and (not isinstance(number, int) or number < 1):
        raise CatalogueError(f"{where}number: a positive integer")
    addressees = _strings(rec, "addressees", where)
    wording = _text(rec, "wording", where) if rec.get("wording") is not None else None
    due, due_note = _due(rec.get("due"), where)
    source = rec.get("source")
    if source is not None and (not isinstance(source, str) or not source.strip()):
        raise CatalogueError(f"{where}source: a non-empty string")
    out = Recommendation(number=number, wording=wording, addressees=addressees, due=due, due_note=due_note,
                         source=source.strip() if source else None)
    if out.applies_to_forces and not wording:
        raise CatalogueError(f"{where}wording: required for a recommendation to chief constables")
    return out


def _scope(data: Any, forces: tuple[str, ...]) -> ReportScope | None:
    if data is None:
        return None
    if not isinstance(data, dict):
        raise CatalogueError("scope: a mapping with applies (all-forces, named-forces or none), confidence, sources")
    unknown = set(data) - _SCOPE_FIELDS
    if unknown:
        raise CatalogueError(f"scope.{sorted(unknown)[0]}: unknown field")
    applies, confidence = data.get("applies"), data.get("confidence")
    if applies not in SCOPES:
        raise CatalogueError(f"scope.applies: one of {', '.join(SCOPES)}")
    if confidence is not None and confidence not in CONFIDENCES:
        raise CatalogueError(f"scope.confidence: one of {', '.join(CONFIDENCES)}")
    if (applies == "named-forces") != bool(forces):
        raise CatalogueError("scope.applies: named-forces exactly when forces are listed")
    duplicate_of = data.get("duplicate_of")
    if duplicate_of is not None and (not isinstance(duplicate_of, str) or not duplicate_of.strip()):
        raise CatalogueError("scope.duplicate_of: a report id")
    if duplicate_of and applies != "none":
        raise CatalogueError("scope.applies: none for a duplicate (the original's response answers it)")
    note = data.get("note")
    if note is not None and not isinstance(note, str):
        raise CatalogueError("scope.note: must be a string")
    return ReportScope(applies=applies, confidence=confidence, sources=_strings(data, "sources", "scope."),
                       note=" ".join(note.split()) if note else None,
                       duplicate_of=duplicate_of.strip() if duplicate_of else None)


def parse_report(data: Any) -> Report:
    """Validate one report's mapping (as loaded from YAML) and build a `Report`.

    Raises CatalogueError naming the first bad field, e.g. 'recommendations[2].number'.
    """
    if not isinstance(data, dict):
        raise CatalogueError("the file must hold a mapping with id, title, published, ...")
    unknown = set(data) - _FIELDS
    if unknown:
        raise CatalogueError(f"{sorted(unknown)[0]}: unknown field")
    report_id = _text(data, "id", "")
    if any(c.isspace() or c in "/#?" for c in report_id):
        raise CatalogueError("id: must not contain spaces, '/', '#' or '?'")
    title = _text(data, "title", "")
    if "published" not in data:
        raise CatalogueError("published: required, a date (YYYY-MM-DD), or null where it is not known")
    published = _date(data["published"], "published") if data["published"] is not None else None
    if published is not None and not PUBLISHED_FROM <= published.year <= PUBLISHED_TO:
        raise CatalogueError(f"published: a date from {PUBLISHED_FROM} to {PUBLISHED_TO}: {published.isoformat()}")
    kind = data.get("kind") or "other"
    if kind not in REPORT_KINDS:
        raise CatalogueError(f"kind: one of {', '.join(REPORT_KINDS)}")
    count = data.get("recommendations_to_chief_constables")
    if count is not None and (not isinstance(count, int) or isinstance(count, bool) or count < 0):
        raise CatalogueError("recommendations_to_chief_constables: a whole number")
    recs = data.get("recommendations")
    recs = [] if recs is None else recs
    if not isinstance(recs, list):
        raise CatalogueError("recommendations: must be a list")
    parsed = [_recommendation(rec, i) for i, rec in enumerate(recs, 1)]
    numbers = [r.number for r in parsed if r.number is not None]
    if len(set(numbers)) != len(numbers):
        raise CatalogueError("recommendations: numbers must be unique")
    if numbers and len(numbers) != len(parsed):
        raise CatalogueError("recommendations: give every recommendation a number, or none")
    note = data.get("note")
    if note is not None and not isinstance(note, str):
        raise CatalogueError("note: must be a string")
    forces = tuple(force_names().get(f, f) for f in _strings(data, "forces"))
    return Report(
        id=report_id,
        title=title,
        publisher=_text(data, "publisher", "") if data.get("publisher") is not None else "HMICFRS",
        published=published,
        title_variants=_strings(data, "title_variants"),
        recommendations=tuple(sorted(parsed, key=lambda r: r.number or 0)),  # stable: unnumbered keep their order
        kind=kind,
        forces=forces,
        recommendations_to_chief_constables=count,
        sources=_strings(data, "sources"),
        note=" ".join(note.split()) if note else None,
        scope=_scope(data.get("scope"), forces),
    )


@cache
def _loader() -> type:
    """SafeLoader (libyaml's when installed: five times faster) that leaves dates as strings,
    so a bad one is reported with its field name. Imported when first needed: a process whose
    catalogue comes from the cache never imports yaml."""
    import yaml

    class Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
        pass

    Loader.yaml_implicit_resolvers = {
        key: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
        for key, resolvers in Loader.yaml_implicit_resolvers.items()
    }
    return Loader


def _yaml(text: str) -> Any:
    import yaml

    try:
        return yaml.load(text, Loader=_loader())
    except yaml.YAMLError as exc:
        raise CatalogueError(f"not valid YAML: {exc}") from None


@lru_cache(maxsize=512)  # the store re-reads users' reports often; each parses once
def load_report_yaml(text: str) -> Report:
    return parse_report(_yaml(text))


def dump_report(report: Report) -> str:
    """A report as the catalogue's YAML: `load_report_yaml` reads back the same report."""
    import yaml

    def recommendation(rec: Recommendation) -> dict[str, Any]:
        out: dict[str, Any] = {"number": rec.number} if rec.number is not None else {}
        out["addressees"] = list(rec.addressees)
        if rec.due or rec.due_note:
            out["due"] = rec.due.isoformat() if rec.due else rec.due_note
        out["wording"] = rec.wording
        return out

    data: dict[str, Any] = {"id": report.id, "title": report.title}
    if report.title_variants:
        data["title_variants"] = list(report.title_variants)
    data |= {"publisher": report.publisher, "published": report.published.isoformat() if report.published else None,
             "kind": report.kind}
    if report.forces:
        data["forces"] = list(report.forces)
    if report.recommendations_to_chief_constables is not None:
        data["recommendations_to_chief_constables"] = report.recommendations_to_chief_constables
    if report.recommendations:
        data["recommendations"] = [recommendation(r) for r in report.recommendations]
    if report.sources:
        data["sources"] = list(report.sources)
    if report.note:
        data["note"] = report.note
    if report.scope is not None:  # its fields, as `_scope` reads them back
        data["scope"] = {k: list(v) if isinstance(v, tuple) else v for k, v in vars(report.scope).items() if v}
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=120)


_CACHE_FORMAT = 1  # raised whenever what the cache holds changes shape


def cache_folder() -> Path:
    """Where Scrutiny keeps what it can remake (the parsed catalogue): any of it may be deleted."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "scrutiny"


def _bundled_data(texts: list[str]) -> list[Any]:
    """The bundled report files as loaded from YAML, through a cache.

    Every process that matches letters needs the catalogue, each reader worker included,
    and parsing its YAML (and importing yaml) costs ~30 ms of a worker's start. So the
    loaded files are kept as JSON in the user's cache folder, named by a hash of their
    text and of this module's (which loads them): an edited file, a changed loader, another
    release, each has another name, so the cache is never stale, and a cache that cannot be
    read or written is only slower.
    """
    digest = hashlib.blake2b("\0".join([Path(__file__).read_text(encoding="utf-8"), *texts]).encode(),
                             digest_size=16).hexdigest()
    try:
        path = cache_folder() / f"catalogue-{_CACHE_FORMAT}-{digest}.json"
    except RuntimeError:  # no home folder: no cache
        return [_yaml(text) for text in texts]
    try:
        cached = json.loads(path.read_bytes())
        if isinstance(cached, list) and len(cached) == len(texts):
            return cached
    except (OSError, ValueError):
        pass
    data = [_yaml(text) for text in texts]
    try:
        dumped = json.dumps(data, ensure_ascii=False)
        if json.loads(dumped) != data:  # YAML beyond JSON (a number as a key): parsed each time
            return data
        path.parent.mkdir(parents=True, exist_ok=True)
        for old in path.parent.glob("catalogue-*.json"):  # other releases' (not files being written)
            old.unlink(missing_ok=True)
        # Written beside and renamed: a process reading it at the same moment sees all or nothing.
        temporary = path.with_name(f"{path.name}.{os.getpid()}")
        temporary.write_text(dumped, encoding="utf-8")
        temporary.replace(path)
    except (OSError, TypeError, ValueError):
        pass
    return data


@cache
def bundled_reports() -> tuple[Report, ...]:
    folder = resources.files(__package__).joinpath("reports")
    texts = [f.read_text(encoding="utf-8") for f in sorted(folder.iterdir(), key=lambda f: f.name)
             if f.name.endswith(".yaml")]
    return tuple(parse_report(data) for data in _bundled_data(texts))


def reports(extra: Iterable[Report] = ()) -> tuple[Report, ...]:
    """Bundled reports plus user-added ones; a user's report replaces a bundled one of the same id."""
    extra = tuple(extra)
    if not extra:
        return bundled_reports()  # the same tuple each time: matching tables are kept per catalogue
    by_id = {r.id: r for r in bundled_reports()}
    by_id.update({r.id: r for r in extra})
    return tuple(by_id.values())


@lru_cache(maxsize=8)  # a handful of catalogues live at once (the bundled one, a store's with users' reports)
def by_id(catalogue: tuple[Report, ...]) -> dict[str, Report]:
    """A catalogue's reports by id."""
    return {r.id: r for r in catalogue}


# The role a record gives the holder of each office the reference names (the contract's
# `policing_body.role`): an acting commissioner speaks as the commissioner.
SENDER_ROLES = {"PCC": "PCC", "Acting PCC": "PCC", "PFCC": "PFCC", "Mayor": "Mayor", "Deputy Mayor": "Deputy Mayor",
                "Police Authority Chair": "Police Authority", "Chief Constable": "Chief Constable",
                "Acting Chief Constable": "Chief Constable", "Commissioner": "Chief Constable"}


@dataclass(frozen=True)
class OfficeHolder:
    """Who held an office for a force, and when. Dates are ISO strings, and may be a year
    only ('2016') where the source gives no day; `start` is None where it is unknown,
    `end` where the term is unknown or still running."""

    force: str  # canonical force name
    role: str  # PCC, PFCC, Acting PCC, Mayor, Deputy Mayor, Police Authority Chair,
    #            Chief Constable, Acting Chief Constable, Commissioner
    name: str
    start: str | None
    end: str | None
    source: str

    @cached_property
    def term(self) -> tuple[dt.date | None, dt.date | None]:
        """First and last day of the term. A year-only bound covers that whole year: the
        reference does not say in which month of it the term began or ended."""
        start = dt.date(int(self.start), 1, 1) if self.start and len(self.start) == 4 else _day(self.start)
        end = dt.date(int(self.end), 12, 31) if self.end and len(self.end) == 4 else _day(self.end)
        return start, end

    @property
    def sender_role(self) -> str | None:
        """The role a record gives this office's holder (None for an office the contract has no role for)."""
        return SENDER_ROLES.get(self.role)

    def held_on(self, day: dt.date) -> bool:
        start, end = self.term
        return (start is None or start <= day) and (end is None or day <= end)


def _day(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


@cache
def office_holders() -> tuple[OfficeHolder, ...]:
    """The local policing bodies' office-holders (policing-bodies.csv) and the chief officers
    (chief-officers.csv), 2012-2025, each with its source."""
    out = []
    for name in ("policing-bodies.csv", "chief-officers.csv"):
        text = resources.files(__package__).joinpath(name).read_text(encoding="utf-8")
        for row in csv.DictReader(text.splitlines()):
            out.append(OfficeHolder(force=force_names().get(row["force"], row["force"]), role=row["role"],
                                    name=" ".join(row["name"].split()), start=row["from"] or None,
                                    end=row["to"] or None, source=row["source"]))
    return tuple(out)
