"""A store as the previous release left it (schema 0001: letters, versions with digests,
corrections by letter), built with that schema's own tables, for the migration tests."""
from __future__ import annotations

import json
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import create_engine, text

import scrutiny.store
from scrutiny.extract import extract
from scrutiny.read import read_path
from scrutiny.store import engine_url

MIGRATIONS = Path(scrutiny.store.__file__).parent / "migrations"


def make_0001_store(url: str, letters: list[Path], corrections: list[tuple[int, str, object, object]],
                    user_report: str | None = None) -> None:
    """Letters 1..n from `letters`; corrections (letter id, field, previous, value) by 'A. Analyst'."""
    engine = create_engine(engine_url(url))
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "0001")
        for i, path in enumerate(letters, 1):
            record = extract(read_path(path)).to_dict()
            body = {k: v for k, v in record.items() if k != "text"}
            connection.execute(text("INSERT INTO letters (id, source_key, created_at) VALUES (:id, :key, :at)"),
                               {"id": i, "key": str(path), "at": "2024-01-01 00:00:00"})
            connection.execute(text(
                "INSERT INTO versions (id, letter_id, number, sha256, filename, media_type, content, text, record, "
                "digest, is_current, ingested_at) VALUES (:id, :id, 1, :sha, :name, 'text/plain', :content, :text, "
                ":record, '{}', :current, :at)"),
                {"id": i, "sha": record["source"]["sha256"], "name": path.name, "content": path.read_bytes(),
                 "text": record["text"], "record": json.dumps(body), "current": True, "at": "2024-01-01 00:00:00"})
            if engine.dialect.name == "sqlite":
                connection.execute(text("INSERT INTO search_index(rowid, text) VALUES (:id, :text)"),
                                   {"id": i, "text": record["text"]})
        for letter_id, field, previous, value in corrections:
            connection.execute(text(
                "INSERT INTO corrections (letter_id, field, previous, value, author, at) "
                "VALUES (:id, :field, :previous, :value, 'A. Analyst', :at)"),
                {"id": letter_id, "field": field, "previous": json.dumps(previous), "value": json.dumps(value),
                 "at": "2024-02-01 00:00:00"})
        if user_report:
            connection.execute(text("INSERT INTO reports (id, source, added_at) VALUES (:id, :source, :at)"),
                               {"id": user_report.split("\n")[0].split(":")[1].strip(), "source": user_report,
                                "at": "2024-01-01 00:00:00"})
    engine.dispose()


def migrate(url: str, revision: str) -> None:
    """Upgrade (or downgrade) the store at `url` to `revision`, as Alembic alone would."""
    engine = create_engine(engine_url(url))
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        current = connection.execute(text("SELECT version_num FROM alembic_version")).scalar()
        (command.upgrade if revision >= current else command.downgrade)(config, revision)
    engine.dispose()
