"""Did this customer pay? Looks for a payment with an invoice's reference on every account.

Usage (with the OPCORP_* variables set, e.g. from the emulator's banner):

    python did_customer_pay.py REFERENCE AMOUNT [--since YYYY-MM-DD]

Prints the invoice status (paid, partially paid, overpaid, paid twice, unpaid) with the
matching payments, and exits 0 when fully paid, 1 otherwise.
"""

from __future__ import annotations

import argparse
import datetime
import sys
from decimal import Decimal

import opcorp


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("reference", help="Finnish or RF reference printed on the invoice")
    parser.add_argument("amount", type=Decimal, help="invoiced amount, e.g. 120.50")
    parser.add_argument("--since", type=datetime.date.fromisoformat, default=datetime.date.today() - datetime.timedelta(days=30))
    args = parser.parse_args()

    try:
        reference = opcorp.reference_normalize(args.reference)
    except opcorp.InvalidInputError as err:
        print(f"not a valid reference: {err.message}", file=sys.stderr)
        return 2

    client = opcorp.Client.from_env()
    invoice = {"id": "invoice", "reference": reference, "amount": args.amount}
    reconciler = opcorp.Reconciler([invoice])
    for account in client.accounts():
        for tx in client.transactions(account.surrogate_id, from_date=args.since):
            event = reconciler.push(tx)
            if event["event"] == "matched":
                print(f"payment {tx.archive_id}: {tx.amount} {tx.currency or 'EUR'} on {tx.booking_date} from {tx.debtor_name}")
    item = reconciler.finish().items[0]
    print(f"invoice {reference} ({args.amount}): {item['status'].replace('_', ' ')}, received {item['received']}")
    return 0 if item["status"] == "paid" else 1


if __name__ == "__main__":
    sys.exit(main())
