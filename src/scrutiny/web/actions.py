"""Actions: the promised steps tracked after publication, and the holding-to-account pack."""
from __future__ import annotations

from fastapi import APIRouter

router = APIRouter()
