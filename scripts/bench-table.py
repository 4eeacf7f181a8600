#!/usr/bin/env python3
"""Reads the ``BENCH_RESULT {json}`` lines scripts/bench collected and prints issue 17's table
of figures as markdown: opcorp's value, the anchor's, the ratio opcorp ÷ anchor, the goal and
whether it is met. Also lists the emulator executable every bench's contenders used, and exits
non-zero when one was not a release build or a result is missing for a bench that ran.

    scripts/bench-table.py RESULTS.jsonl [--title TEXT] [--note TEXT ...]

Each result line is ``{"bench", "name", "contender", "values": {...}, "units": {...}}``
(plus ``emulator`` where an emulator served the contenders).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

# (figure, bench, metric, opcorp contender, anchor contender or None, goal, unit)
# Goals: ("ratio<=", x), ("ratio>=", x), ("value<=", x), ("value-range", lo, hi), None.
FIGURES = [
    ("Python, transactions over mTLS: client CPU", "python_transactions", "cpu_seconds", "opcorp", "httpx", ("ratio<=", 0.4), "s"),
    ("Python, transactions: wall time (best run)", "python_transactions", "seconds", "opcorp", "httpx", None, "s"),
    ("Python, transactions: peak RSS", "python_transactions", "peak_rss_mib", "opcorp", "httpx", None, "MiB"),
    ("Python, transactions: GIL held against another thread (s)", "python_transactions", "gil_seconds", "opcorp", "httpx", ("ratio<=", 0.25), "s"),
    ("Python, transactions: GIL held, share of the run", "python_transactions", "gil_share", "opcorp", "httpx", None, ""),
    ("Node, transactions: wall (median)", "node_transactions", "seconds", "opcorp", "undici", ("ratio<=", 1.0), "s"),
    ("Node, transactions: client CPU", "node_transactions", "cpuSeconds", "opcorp", "undici", ("ratio<=", 0.9), "s"),
    ("Node, transactions: event-loop utilisation", "node_transactions", "elu", "opcorp", "undici", ("ratio<=", 0.5), ""),
    ("Node, `transactionBatches()`: wall", "node_transactions", "seconds", "opcorp-batches", "undici", ("ratio<=", 1.0), "s"),
    ("Node, `transactionBatches()`: client CPU", "node_transactions", "cpuSeconds", "opcorp-batches", "undici", ("ratio<=", 0.9), "s"),
    ("Node, `transactionBatches()`: event-loop utilisation", "node_transactions", "elu", "opcorp-batches", "undici", ("ratio<=", 0.5), ""),
    ("Reconcile, Rust engine vs pandas: time", "pandas_reconcile", "seconds", "opcorp", "pandas", ("ratio<=", 0.1), "s"),
    ("Reconcile, Rust engine vs pandas: CPU time", "pandas_reconcile", "cpu_seconds", "opcorp", "pandas", None, "s"),
    ("Reconcile, Rust engine vs pandas: peak memory (goal at 1M × 1M)", "pandas_reconcile", "peak_mib", "opcorp", "pandas", ("value<=", 300), "MiB"),
    ("Reconcile from Python incl. reading every item vs Rust engine: time", "python_reconcile", "seconds", "python", "rust", ("ratio<=", 1.5), "s"),
    ("Reconcile from Python vs Rust engine: CPU time", "python_reconcile", "cpu_seconds", "python", "rust", None, "s"),
    ("Reconcile from Python vs Rust engine: peak memory", "python_reconcile", "peak_mib", "python", "rust", ("ratio<=", 1.2), "MiB"),
    ("Reconcile from Node (`reconcileReport` + `columns()`, inputs made before the clock) incl. reading every item vs Rust engine: time", "node_reconcile", "seconds", "node", "rust", ("ratio<=", 1.5), "s"),
    ("Reconcile from Node (`reconcileReport`) vs Rust engine: CPU time", "node_reconcile", "cpu_seconds", "node", "rust", None, "s"),
    ("Reconcile from Node (`reconcileReport`, generators in) vs Rust engine: peak memory", "node_reconcile", "peak_mib", "node", "rust", ("ratio<=", 1.2), "MiB"),
    ("Reconcile from Node (`reconcile`, arrays in, `report.items` read) vs Rust engine: time", "node_reconcile", "seconds", "node-arrays", "rust", None, "s"),
    ("Reconcile from Node (`reconcile`, arrays in) vs Rust engine: peak memory (incl. the input arrays)", "node_reconcile", "peak_mib", "node-arrays", "rust", None, "MiB"),
    ("Reconcile from C incl. reading every item vs Rust engine: time", "c_reconcile", "seconds", "c", "rust", ("ratio<=", 1.5), "s"),
    ("Reconcile from C vs Rust engine: CPU time", "c_reconcile", "cpu_seconds", "c", "rust", None, "s"),
    ("Reconcile from C vs Rust engine: peak memory", "c_reconcile", "peak_mib", "c", "rust", ("ratio<=", 1.2), "MiB"),
    ("Rust client, 8 tasks, vs bare reqwest: throughput", "load", "reads_per_s", "opcorp", "reqwest", ("ratio>=", 0.9), "reads/s"),
    ("Decode: Rust client CPU per transaction page vs bare body read", "load", "cpu_us_per_read", "opcorp", "reqwest", ("ratio<=", 2.0), "µs"),
    ("WASM package, gzip -9", "wasm", "gzip_bytes", "opcorp", None, ("value<=", 150_000), "B"),
    ("Watch detection latency p50 (1 s poll)", "watch_latency", "p50", "opcorp", None, ("value-range", 400, 600), "ms"),
    ("Watch detection latency p99 (1 s poll)", "watch_latency", "p99", "opcorp", None, ("value-range", 900, 1050), "ms"),
]


def number(value: float, unit: str) -> str:
    if unit == "B":
        return f"{value:,.0f} B"
    if abs(value) >= 1000:
        text = f"{value:,.0f}"
    elif abs(value) >= 10:
        text = f"{value:.1f}"
    else:
        text = f"{value:.3f}" if abs(value) < 1 else f"{value:.2f}"
    return f"{text} {unit}".strip()


def goal_text(goal: tuple | None, unit: str) -> str:
    if goal is None:
        return "—"
    kind = goal[0]
    if kind == "ratio<=":
        return f"≤ {goal[1]}"
    if kind == "ratio>=":
        return f"≥ {goal[1]}"
    if kind == "value<=":
        return f"opcorp ≤ {number(goal[1], unit)}"
    return f"opcorp {goal[1]}–{goal[2]} {unit}"


def met(goal: tuple | None, value: float, ratio: float | None) -> str:
    if goal is None:
        return ""
    kind = goal[0]
    if kind == "ratio<=":
        ok = ratio is not None and ratio <= goal[1]
    elif kind == "ratio>=":
        ok = ratio is not None and ratio >= goal[1]
    elif kind == "value<=":
        ok = value <= goal[1]
    else:
        ok = goal[1] <= value <= goal[2]
    return "met" if ok else "**not met**"


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("results")
    parser.add_argument("--title", default="scripts/bench")
    parser.add_argument("--note", action="append", default=[])
    parser.add_argument("--ran", default="", help="space-separated benches that ran")
    args = parser.parse_args()

    results: dict = {}
    for line in Path(args.results).read_text().splitlines():
        if not line.startswith("BENCH_RESULT "):
            continue
        record = json.loads(line.split(" ", 1)[1])
        results[(record["bench"], record["contender"])] = record

    problems = []
    print(f"### {args.title}\n")
    for note in args.note:
        print(f"- {note}")
    if args.note:
        print()
    print("| Figure | opcorp | Anchor | Ratio (opcorp ÷ anchor) | Goal | |")
    print("|---|---|---|---|---|---|")
    benches = {bench for bench, _ in results}
    for figure, bench, metric, ours, anchor, goal, unit in FIGURES:
        if bench not in benches:
            continue
        mine = results.get((bench, ours), {}).get("values", {}).get(metric)
        theirs = results.get((bench, anchor), {}).get("values", {}).get(metric) if anchor else None
        if mine is None or (anchor and theirs is None):
            problems.append(f"{figure}: no result")
            print(f"| {figure} | missing | | | {goal_text(goal, unit)} | **missing** |")
            continue
        ratio = mine / theirs if anchor and theirs else None
        anchor_text = f"{number(theirs, unit)} ({anchor})" if anchor else "(absolute)"
        ratio_text = f"{ratio:.2f}" if ratio is not None else "—"
        print(f"| {figure} | {number(mine, unit)} | {anchor_text} | {ratio_text} | {goal_text(goal, unit)} | {met(goal, mine, ratio)} |")
    for bench in args.ran.split():
        if bench not in benches:
            problems.append(f"{bench}: no BENCH_RESULT line")

    print("\nSizes and emulators:\n")
    for (bench, contender), record in sorted(results.items()):
        values = record.get("values", {})
        size = ", ".join(f"{k} {values[k]}" for k in ("count", "n", "reads", "tasks", "page", "runs", "payments") if k in values)
        emulator = record.get("emulator", "—")
        print(f"- `{bench}` / {contender}: {size or '—'}; emulator `{emulator}`")
        if emulator not in ("—", "in-process") and "/release/" not in emulator:
            problems.append(f"{bench}/{contender} ran on a non-release emulator: {emulator}")
        if record.get("outcome_matches") is False:
            problems.append(f"{bench}/{contender}: outcome differs from opcorp's")
    outcome = results.get(("pandas_reconcile", "pandas"))
    if outcome:
        print(f"\nReconcile outcome (pandas = opcorp: {outcome.get('outcome_matches')}): {outcome.get('outcome')}")
    for problem in problems:
        print(f"\nPROBLEM: {problem}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
