"""The web application: server-rendered pages, each with its JSON twin under /api (`app.create_app`)."""
from .app import create_app

__all__ = ["create_app"]
