"""Transactions as a pandas DataFrame (pandas is optional, imported only here)."""

from __future__ import annotations

from typing import Any, Iterable


def to_dataframe(transactions: Iterable[Any]) -> Any:
    """Turns transactions (or any results with ``to_dict()``) into a ``pandas.DataFrame``.

    One row per item, one column per field; amounts stay ``decimal.Decimal`` (object
    columns) so no cent is rounded. Accepts a list or a ``TransactionIterator``. Raises
    ``ImportError`` with an install hint when pandas is missing.
    """
    try:
        import pandas as pd
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise ImportError(
            "opcorp.to_dataframe needs pandas: pip install 'opcorp[pandas]'"
        ) from exc
    rows = [item.to_dict() for item in transactions]
    return pd.DataFrame.from_records(rows)
