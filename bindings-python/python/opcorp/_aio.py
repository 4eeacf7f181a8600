"""asyncio glue used by the extension: completes a future unless it was cancelled."""

from __future__ import annotations

import asyncio
from typing import Any


def complete(future: asyncio.Future, ok: bool, value: Any) -> None:
    """Sets the result (``ok``) or exception of ``future`` if it is still pending."""
    if future.done():
        return
    if ok:
        future.set_result(value)
    else:
        future.set_exception(value)
