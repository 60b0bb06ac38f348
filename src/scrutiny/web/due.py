"""Deadlines: cases and actions falling due, as a page, JSON and an iCalendar feed."""
from __future__ import annotations

from fastapi import APIRouter

router = APIRouter()
