"""Data pipeline: load a month of transactions from every account into a pandas DataFrame.

Usage (with the OPCORP_* variables set):

    python month_to_dataframe.py [--month YYYY-MM] [--out transactions.csv]

Prints per-account totals of credits and debits (exact Decimal sums) and optionally writes
the frame to CSV. Needs pandas (pip install 'opcorp[pandas]').
"""

from __future__ import annotations

import argparse
import datetime
import sys
from decimal import Decimal

import opcorp


def month_bounds(month: str) -> tuple[datetime.date, datetime.date]:
    """First and last day of a YYYY-MM month."""
    first = datetime.date.fromisoformat(month + "-01")
    following = (first.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
    return first, following - datetime.timedelta(days=1)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--month", default=datetime.date.today().strftime("%Y-%m"))
    parser.add_argument("--out", help="write the DataFrame to this CSV file")
    args = parser.parse_args()
    first, last = month_bounds(args.month)

    client = opcorp.Client.from_env()
    frames = []
    for account in client.accounts():
        txs = client.transactions(account.surrogate_id, from_date=first, to_date=last).to_list()
        frame = opcorp.to_dataframe(txs)
        frame["account"] = account.iban
        frames.append(frame)

    import pandas as pd

    data = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()
    print(f"{len(data)} transactions booked {first} .. {last}")
    if len(data):
        data["direction"] = data["amount"].map(lambda a: "credit" if a > 0 else "debit")
        totals = data.groupby(["account", "direction"])["amount"].agg(lambda s: sum(s, Decimal(0)))
        for (account, direction), total in totals.items():
            print(f"  {account}  {direction:6}  {total:>14}")
    if args.out:
        data.to_csv(args.out, index=False)
        print(f"written to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
