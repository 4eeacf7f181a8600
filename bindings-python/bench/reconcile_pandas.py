"""The pandas anchor for reconciliation: the job of ``core/benches/reconcile.rs`` (1,000,000
open items against 1,000,000 payments) done with pandas on the same data, with the same
outcome, timed and measured in its own process beside the Rust engine run in the same go.

    .venv/bin/python bindings-python/bench/reconcile_pandas.py --rust-bench PATH [--n N]

Data: ``reconcile_1m.py``'s generators (the Rust bench's rules), turned into two DataFrames
before the clock starts: items (``id``, ``reference`` as printed, ``amount`` in exact cents as
int64, ``currency``) and payments (``id``, ``reference`` as written by the payer or None,
``amount`` in cents as int64, ``currency``). The Rust bench likewise starts from items in
memory and payments it generates (generation is subtracted there).

The job, by the rules of ``core/src/reconcile/`` (vectorised: pandas string methods on
pyarrow-backed strings and numpy digit matrices; a plain-Python parse only for references
the vector path cannot read: non-ASCII text, RF references with letters):
1. A payment id seen before is a re-delivery and dropped (empty ids never are).
2. References are normalised to one key per reference: whitespace removed; Finnish
   references are 4–20 digits with a valid 7-3-1 check digit, keyed by their digits
   without leading zeros; ``RF`` references (any case) need valid ISO 11649 check digits
   (mod 97) and a 1–21 character alphanumeric body; an RF reference whose body is a valid
   Finnish reference has that Finnish key, any other its body.
3. Each payment is located like ``Reconciler::locate``: a debit or zero amount is
   ``not_a_credit``; then ``no_reference``, ``invalid_reference``, ``unknown_reference``
   (no item has the key), ``ambiguous_reference`` (several items share it) and
   ``currency_mismatch`` (compared trimmed, ignoring case); the rest merge with their item.
4. Per item (a groupby over the matched payments): received = the sum, covering = how many
   payments each cover the full amount; unpaid when nothing was received, paid twice when
   two or more cover it, else partially paid / paid / overpaid by comparing the sum.
   Items sharing a reference are ambiguous.

The outcome counts (matched, unmatched, duplicates and the items by status) must equal the
Rust engine's, which the Rust bench prints in its ``BENCH_RESULT`` line; both are printed
and a mismatch fails the run. Time is the job's wall and CPU time (``time.process_time``);
peak memory is the process's VmHWM, reset (``/proc/self/clear_refs``) after the input frames
are built, so it counts the input frames plus the job's peak, as the Rust bench's counts its
items plus the engine. Amounts are int64 cents, so the engine's overflow check (amounts
near 10^28) has no counterpart here.

Prints the figures and ``BENCH_RESULT {json}`` lines: the Rust engine and pandas.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import reconcile_1m  # noqa: E402 (found through the path above)

WEIGHTS = np.array([[7, 3, 1][(18 - j) % 3] for j in range(19)], dtype=np.int64)


def vm_kib(field: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise RuntimeError(f"{field} missing from /proc/self/status")


def reset_peak() -> bool:
    """Resets VmHWM to the current RSS (Linux 4.0+); False if the kernel refused."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
        return True
    except OSError:
        return False


def to_cents(text: str) -> int:
    negative = text.startswith("-")
    whole, _, fraction = text.lstrip("-").partition(".")
    value = int(whole) * 100 + int((fraction + "00")[:2])
    return -value if negative else value


def frames(n: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """reconcile_1m.py's items and payments as DataFrames (not timed)."""
    columns: dict = {"id": [], "reference": [], "amount": [], "currency": []}
    for item in reconcile_1m.items(n):
        for key in columns:
            columns[key].append(to_cents(item[key]) if key == "amount" else item[key])
    items = pd.DataFrame({k: np.array(v, dtype=np.int64) if k == "amount" else v for k, v in columns.items()})
    columns = {"id": [], "reference": [], "amount": [], "currency": []}
    for payment in reconcile_1m.payments(n):
        for key in columns:
            columns[key].append(to_cents(payment[key]) if key == "amount" else payment[key])
    payments = pd.DataFrame({k: np.array(v, dtype=np.int64) if k == "amount" else v for k, v in columns.items()})
    return items, payments


def digit_matrix(digits: pd.Series, width: int) -> np.ndarray:
    """Rows of ASCII digit strings (at most ``width`` long) as a (rows, width) digit array:
    zero-padded by pyarrow, then the padded strings' one data buffer read as bytes."""
    padded = pa.array(digits.str.pad(width, side="left", fillchar="0"))
    if isinstance(padded, pa.ChunkedArray):
        padded = padded.combine_chunks()
    kind = np.int64 if pa.types.is_large_string(padded.type) else np.int32
    offsets = np.frombuffer(padded.buffers()[1], dtype=kind)[padded.offset : padded.offset + len(padded) + 1]
    data = np.frombuffer(padded.buffers()[2], dtype=np.uint8)[offsets[0] : offsets[-1]]
    return data.reshape(-1, width).astype(np.int64) - 48


def finnish_valid(digits: pd.Series) -> np.ndarray:
    """Which digit strings are valid Finnish references (≤ 20 digits, ≥ 4 significant, 7-3-1)."""
    ok = (digits.str.len() <= 20) & (digits.str.lstrip("0").str.len() >= 4)
    valid = np.zeros(len(digits), dtype=bool)
    rows = np.flatnonzero(ok.to_numpy())
    if len(rows):
        m = digit_matrix(digits.iloc[rows], 20)
        check = (10 - (m[:, :19] @ WEIGHTS) % 10) % 10
        valid[rows] = check == m[:, 19]
    return valid


def rf_valid(check: pd.Series, body: pd.Series) -> np.ndarray:
    """Mod-97 check of RF references with all-digit bodies of at most 21 digits."""
    m = digit_matrix(body + "2715" + check, 27)  # body ‖ "RF" (R = 27, F = 15) ‖ check digits
    remainder = np.zeros(len(m), dtype=np.int64)
    for column in m.T:
        remainder = (remainder * 10 + column) % 97
    return remainder == 1


def slow_key(text: str) -> str | None:
    """The key of one reference the vector path does not read (non-ASCII whitespace, RF
    with letters), or None when it is invalid: the same rules, one string at a time."""
    compact = "".join(c for c in text if not c.isspace()).upper()
    if not compact.isascii() or not compact.isalnum():
        return None
    if not compact.startswith("RF"):
        valid = compact.isdigit() and finnish_valid(pd.Series([compact]))[0]
        return compact.lstrip("0") if valid else None
    check, body = compact[2:4], compact[4:]
    if not (check.isdigit() and 1 <= len(body) <= 21):
        return None
    value = int("".join(str(int(c, 36)) for c in body + "RF" + check))
    if value % 97 != 1:
        return None
    if body.isdigit() and finnish_valid(pd.Series([body]))[0]:
        return body.lstrip("0")
    return "RF" + body


def reference_keys(references: pd.Series) -> tuple[pd.Series, np.ndarray]:
    """The match key of each reference (None when invalid) and which were missing."""
    missing = (references.isna() | (references.fillna("").str.strip() == "")).to_numpy()
    # ASCII whitespace here (vectorised); other text goes to slow_key below.
    ascii_text = ~references.fillna("").str.contains(r"[^\x00-\x7f]", regex=True).to_numpy()
    compact = references.fillna("").str.replace(r"[ \t\n\r\f\v]", "", regex=True)
    keys = pd.Series(None, index=references.index, dtype=object)
    digits = compact.str.fullmatch(r"[0-9]+").to_numpy() & ~missing & ascii_text
    rows = np.flatnonzero(digits)
    valid = finnish_valid(compact.iloc[rows])
    keys.iloc[rows[valid]] = compact.iloc[rows[valid]].str.lstrip("0").to_numpy()
    upper = compact.str.upper()
    rf = upper.str.fullmatch(r"RF[0-9]{2}[0-9]{1,21}").to_numpy() & ~missing & ascii_text
    rows = np.flatnonzero(rf)
    if len(rows):
        check, body = upper.iloc[rows].str[2:4], upper.iloc[rows].str[4:]
        ok = rf_valid(check, body)
        finnish = ok & finnish_valid(body)
        keys.iloc[rows[finnish]] = body[finnish].str.lstrip("0").to_numpy()
        other = ok & ~finnish
        keys.iloc[rows[other]] = ("RF" + body[other]).to_numpy()
    rest = np.flatnonzero(~digits & ~rf & ~missing & (upper.str.startswith("RF").to_numpy() | ~ascii_text))
    for row in rest:
        keys.iat[row] = slow_key(references.iat[row])
    return keys, missing


def reconcile(items: pd.DataFrame, payments: pd.DataFrame) -> dict:
    """The reconciliation job (see the module docstring); returns the outcome counts."""
    duplicate = (payments["id"] != "") & payments["id"].duplicated(keep="first")
    payments = payments[~duplicate.to_numpy()]

    item_keys, _ = reference_keys(items["reference"])
    if item_keys.isna().any():
        raise SystemExit("an open item has an invalid reference")
    items = items.assign(key=item_keys, index=np.arange(len(items)), currency=items["currency"].str.strip().str.upper())
    shared = items["key"].duplicated(keep=False).to_numpy()
    index = items.drop_duplicates("key")[["key", "index", "amount", "currency"]]
    index = index.assign(shared=shared[index["index"].to_numpy()])

    keys, missing = reference_keys(payments["reference"])
    located = payments.assign(key=keys).merge(index, on="key", how="left", suffixes=("", "_item"))
    credit = (located["amount"] > 0).to_numpy()
    has_key = located["key"].notna().to_numpy()
    known = located["index"].notna().to_numpy()
    is_shared = located["shared"].eq(True).to_numpy()
    same_currency = (located["currency"].str.strip().str.upper() == located["currency_item"]).to_numpy()
    reasons = np.select(
        [~credit, missing, ~has_key, ~known, is_shared, ~same_currency],
        ["not_a_credit", "no_reference", "invalid_reference", "unknown_reference", "ambiguous_reference", "currency_mismatch"],
        default="matched",
    )
    matched = located[reasons == "matched"]
    matched = matched.assign(index=matched["index"].astype(np.int64), covers=matched["amount"] >= matched["amount_item"])
    per_item = (
        matched.groupby("index")
        .agg(received=("amount", "sum"), covering=("covers", "sum"))
        .reindex(np.arange(len(items)), fill_value=0)
    )
    received, covering = per_item["received"].to_numpy(np.int64), per_item["covering"].to_numpy(np.int64)
    amount = items["amount"].to_numpy()
    status = np.select(
        [shared, received == 0, covering >= 2, received < amount, received == amount],
        ["ambiguous", "unpaid", "paid_twice", "partially_paid", "paid"],
        default="overpaid",
    )
    counts = pd.Series(status).value_counts()
    unmatched = pd.Series(reasons[reasons != "matched"]).value_counts()
    outcome = {
        "matched": int(len(matched)),
        "unmatched": int(unmatched.sum()),
        "duplicates": int(duplicate.sum()),
    }
    for name in ("paid", "partially_paid", "overpaid", "paid_twice", "unpaid", "ambiguous"):
        outcome[name] = int(counts.get(name, 0))
    return {"outcome": outcome, "unmatched_reasons": {k: int(v) for k, v in unmatched.items()}}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rust-bench", required=True, help="the built core/benches/reconcile.rs binary")
    parser.add_argument("--n", type=int, default=int(os.environ.get("RECONCILE_N", 1_000_000)))
    args = parser.parse_args()
    n = args.n

    print(f"load: {' '.join(f'{x:.2f}' for x in os.getloadavg())}; pandas {pd.__version__}, numpy {np.__version__}")
    *_, out = reconcile_1m.rust_figures(args.rust_bench, n)
    rust, human = reconcile_1m.rust_result(out), reconcile_1m.without_results(out)
    print("Rust engine, same run:")
    print(human.rstrip())

    t = time.perf_counter()
    items, payments = frames(n)
    gc.collect()
    built = time.perf_counter() - t
    input_mib = vm_kib("VmRSS") / 1024
    was_reset = reset_peak()

    t, c = time.perf_counter(), time.process_time()
    result = reconcile(items, payments)
    seconds, cpu = time.perf_counter() - t, time.process_time() - c
    peak = vm_kib("VmHWM") / 1024

    print(f"pandas, reconcile {n} open items against {n} payments:")
    print(f"  build the input frames   {built:8.3f} s (not counted)")
    print(f"  reconcile                {seconds:8.3f} s  (CPU {cpu:.2f} s)")
    print(f"  memory: RSS with the input frames {input_mib:.0f} MiB, peak (VmHWM{', reset after the frames' if was_reset else ''}) {peak:.0f} MiB")
    print(f"  unmatched by reason: {result['unmatched_reasons']}")
    theirs = {k: rust["outcome"].get(k) for k in result["outcome"]}
    print(f"  outcome pandas: {result['outcome']}")
    print(f"  outcome opcorp: {theirs}")
    rv = rust["values"]
    print(
        f"opcorp / pandas: time {rv['seconds'] / seconds:.3f} (CPU {rv['cpu_seconds'] / max(cpu, 1e-9):.3f}), "
        f"peak memory {rv['peak_mib'] / peak:.2f}"
    )
    rust.update(bench="pandas_reconcile", name="pandas_reconcile", contender="opcorp")
    print("BENCH_RESULT " + json.dumps(rust))
    record = {
        "bench": "pandas_reconcile",
        "name": "pandas_reconcile",
        "contender": "pandas",
        "units": {"seconds": "s", "cpu_seconds": "s", "peak_mib": "MiB"},
        "values": {"n": n, "seconds": seconds, "cpu_seconds": cpu, "peak_mib": peak, "input_mib": input_mib, "peak_reset": was_reset},
        "outcome": result["outcome"],
        "unmatched_reasons": result["unmatched_reasons"],
        "outcome_matches": theirs == result["outcome"],
    }
    print("BENCH_RESULT " + json.dumps(record))
    if theirs != result["outcome"]:
        differ = {k: (v, theirs[k]) for k, v in result["outcome"].items() if theirs[k] != v}
        raise SystemExit(f"pandas and opcorp disagree (pandas, opcorp): {differ}")


if __name__ == "__main__":
    main()
