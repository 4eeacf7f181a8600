"""Reading the shared vectors in ``tests/vectors/`` (repository root)."""

from __future__ import annotations

import datetime
import decimal
import json
from pathlib import Path
from typing import Any

VECTORS = Path(__file__).resolve().parents[2] / "tests" / "vectors"


def load(name: str) -> Any:
    """The parsed vector file ``tests/vectors/<name>``."""
    return json.loads((VECTORS / name).read_text(encoding="utf-8"))


def plain(value: Any) -> Any:
    """A binding result as the vectors' JSON: ``Decimal`` and ``date`` back to text."""
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value
