"""The `scrutiny` command: thin shells over the library (read, extract, ingest, store, office).

Each command imports what it needs when it runs: the store (SQLAlchemy, Alembic), the web
stack, the extractor and rich's tables cost up to a second to import, and `scrutiny --help`
or `scrutiny extract` need none of them. Errors are mapped once (`app.Commands.invoke`): a
domain error is one line on stderr and exit code 1, never a traceback.

The group is `app.py`; the options and output every listing command shares, `output.py`; the
commands, by side: `oversight.py` (ingest, extract, check, show, export, reports, eval),
`office.py` (users, due), `collect.py` (collect, sources) and `serve.py`.
"""
from . import collect, office, oversight, serve
from .app import app

__all__ = ["app", "collect", "office", "oversight", "serve"]
