"""Benchmark: fetch and decode 100,000 transactions over mTLS from the emulator, with opcorp
versus a plain-Python client (httpx + json) using the same certificates and server.

Each contender runs in its own fresh subprocess so peak memory (VmHWM) is its own.
opcorp yields typed Transaction objects; the amounts of all of them are summed as Decimal in
both contenders so both do the same work on the decoded data.

Usage:  python bench/transactions_100k.py [--count 100000] [--runs 3] [--emulator PATH]

The emulator must be a release build (a debug one would dominate every time): ``--emulator``,
else ``OPCORP_EMULATOR_BIN``, else ``target/release`` or ``target/<host>/release``; the bench
refuses to run on anything else and prints the executable of the running emulator process.

GIL held against another thread: after the timed runs, each contender runs once more in a
fresh subprocess with a second Python thread that does nothing but count loop iterations
(each iteration needs the GIL). The counter warms up for 0.5 s, runs alone for 1 s (the
main thread sleeping) to calibrate its rate, then while the contender fetches every
transaction, then alone for 1 s again; its rate alone is the higher of the two calibrations
(with one short calibration right after the thread started, the counter sometimes ran
faster during the httpx run than "alone", which read as 0).
``gil_share = 1 - rate during the run / rate alone`` is the share of the run in which the
contender's work kept the other thread from running, and ``gil_seconds = gil_share * wall``
the time it took from that thread (a share below 0, the counter faster than alone, is
noise and reads 0; the raw value is in the result); the ratio opcorp / httpx is on
``gil_seconds``. Both
contenders are measured the same way under the same emulator load, so core contention
(which also slows the counter) inflates both alike; the counter's runs are never timed
runs. With two threads wanting the GIL, CPython hands it over every switch interval (5 ms),
so a contender that holds it all the time reads about 0.5, not 1.0.

Each figure is also printed as a ``BENCH_RESULT {json}`` line (for scripts/bench).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import threading
import time
from decimal import Decimal
from pathlib import Path

HERE = Path(__file__).resolve()
sys.path.insert(0, str(HERE.parents[1] / "tests"))


def run_opcorp(settings: dict) -> dict:
    """Fetches every transaction with opcorp.Client."""
    import opcorp

    client = opcorp.Client(**settings["client"])
    start = time.perf_counter()
    total = Decimal(0)
    count = 0
    for tx in client.transactions(settings["account"]):
        total += tx.amount
        count += 1
    return {"seconds": time.perf_counter() - start, "count": count, "total": str(total)}


def run_httpx(settings: dict) -> dict:
    """Fetches every transaction with httpx + json, paging as OP documents (V3, 1000/page)."""
    import ssl

    import httpx

    files = settings["files"]
    context = ssl.create_default_context(cafile=files["ca"])
    context.load_cert_chain(files["cert"], files["key"])
    start = time.perf_counter()
    with httpx.Client(base_url=settings["client"]["base_url"], verify=context, timeout=60) as http:
        token = http.post(
            "/corporate-oidc/v1/token",
            data={
                "grant_type": "client_credentials",
                "client_id": settings["client"]["client_id"],
                "client_secret": settings["client"]["client_secret"],
            },
        ).json()["access_token"]
        headers = {"authorization": f"Bearer {token}", "x-request-id": "bench"}
        path = f"/corporate-account-data/v3/accounts/{settings['account']}/transactions"
        params = {"fromTimestamp": "0", "maxPast": "0", "maxFuture": "1000"}
        total = Decimal(0)
        count = 0
        while True:
            response = http.get(path, params=params, headers=headers)
            response.raise_for_status()
            page = json.loads(response.content)
            received = len(page)
            if "objectId" in params and page and page[0]["objectId"] == params["objectId"]:
                page = page[1:]
            for tx in page:
                total += Decimal(tx["amount"])
                count += 1
            if received < 1000 or not page:
                break
            params = {"objectId": page[-1]["objectId"], "maxPast": "0", "maxFuture": "1000"}
    return {"seconds": time.perf_counter() - start, "count": count, "total": str(total)}


def vm_kib(field: str) -> int:
    """A memory figure of this process from /proc (VmHWM is the peak RSS since exec; unlike
    ru_maxrss it is not inherited from the parent)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise RuntimeError(f"{field} missing from /proc/self/status")


class Counter(threading.Thread):
    """A thread that only counts loop iterations: every iteration needs the GIL."""

    def __init__(self) -> None:
        super().__init__(daemon=True)
        self.count = 0
        self.running = True

    def run(self) -> None:
        count = 0
        while self.running:
            count += 1
            if not count & 0x3FFF:
                self.count = count
        self.count = count

    def window(self, action) -> tuple[float, int]:
        """Runs ``action`` and returns its wall time and the iterations counted meanwhile."""
        start_count, start = self.count, time.perf_counter()
        action()
        return time.perf_counter() - start, self.count - start_count


def child(kind: str, settings_json: str, gil: bool) -> None:
    """Runs one contender and prints its result with peak RSS (and, with ``gil``, the share
    of the run a counting thread was kept from running)."""
    settings = json.loads(settings_json)
    contender = run_opcorp if kind == "opcorp" else run_httpx
    if gil:
        counter = Counter()
        counter.start()
        counter.window(lambda: time.sleep(0.5))  # warm-up, not counted
        before_seconds, before = counter.window(lambda: time.sleep(1.0))
        holder: dict = {}
        seconds, during = counter.window(lambda: holder.update(contender(settings)))
        after_seconds, after = counter.window(lambda: time.sleep(1.0))
        counter.running = False
        counter.join()
        rate_alone = max(before / before_seconds, after / after_seconds)
        raw = 1.0 - (during / seconds) / rate_alone
        share = max(0.0, raw)  # below 0 when the counter ran faster than alone: noise
        result = dict(holder, gil_share=share, gil_share_raw=raw, gil_seconds=share * seconds)
        result["counter_rate_alone"] = rate_alone
    else:
        baseline = vm_kib("VmHWM")
        cpu = time.process_time()
        result = contender(settings)
        result["cpu_seconds"] = time.process_time() - cpu
        result["peak_rss_mib"] = vm_kib("VmHWM") / 1024
        result["baseline_rss_mib"] = baseline / 1024
    print(json.dumps(result))


def release_emulator(given: str | None) -> Path:
    """The release emulator binary, or an error naming how to build one."""
    root = HERE.parents[2]
    host = subprocess.run(["rustc", "-vV"], capture_output=True, text=True).stdout
    triple = next((line.split()[1] for line in host.splitlines() if line.startswith("host:")), "")
    target = Path(os.environ.get("CARGO_TARGET_DIR", root / "target"))
    given = given or os.environ.get("OPCORP_EMULATOR_BIN")
    candidates = [Path(given)] if given else [target / "release", target / triple / "release"]
    candidates = [c / "opcorp-emulator" if c.is_dir() else c for c in candidates]
    for candidate in candidates:
        path = candidate.resolve()
        if path.exists() and path.parent.name == "release":
            return path
    raise SystemExit(f"no release emulator at {candidates}: cargo build --release -p opcorp-emulator")


def result_line(name: str, contender: str, emulator: str, units: dict, values: dict) -> None:
    """Prints one machine-readable result for scripts/bench."""
    record = {"bench": "python_transactions", "name": name, "contender": contender, "emulator": emulator}
    print("BENCH_RESULT " + json.dumps(dict(record, units=units, values=values)))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--emulator", help="the release opcorp-emulator binary")
    parser.add_argument("--child", nargs=2)
    parser.add_argument("--gil", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(*args.child, gil=args.gil)
        return

    import conftest
    from conftest import Emulator

    # Every contender is served by this one emulator, the release build.
    conftest.EMULATOR = release_emulator(args.emulator)
    emulator = Emulator("--accounts-per-client", "1", "--transactions-per-account", str(args.count))
    running = os.path.realpath(f"/proc/{emulator.process.pid}/exe")
    print(f"emulator: {running} (pid {emulator.process.pid})")
    try:
        import opcorp

        client = opcorp.Client(**emulator.client_kwargs())
        account = client.accounts()[0].surrogate_id
        files = emulator.identity["files"]
        settings = {
            "client": emulator.client_kwargs(),
            "account": account,
            "files": {"ca": files["ca"], "cert": files["cert"], "key": files["key"]},
        }

        def run(kind: str, *extra: str) -> dict:
            out = subprocess.run(
                [sys.executable, str(HERE), "--child", kind, json.dumps(settings), *extra],
                capture_output=True, text=True, check=True,
            )
            return json.loads(out.stdout)

        results: dict = {"opcorp": [], "httpx": []}
        for _ in range(args.runs):
            for kind in results:
                results[kind].append(run(kind))
        gil = {kind: run(kind, "--gil") for kind in results}
        for kind, runs in results.items():
            best = min(runs, key=lambda r: r["seconds"])
            assert best["count"] == args.count, best
            assert gil[kind]["count"] == args.count, gil[kind]
            print(
                f"{kind:7} best {best['seconds']:.2f} s of {len(runs)} "
                f"(all: {', '.join('%.2f' % r['seconds'] for r in runs)}), "
                f"{args.count / best['seconds']:,.0f} tx/s, client CPU {best['cpu_seconds']:.2f} s, peak RSS {best['peak_rss_mib']:.1f} MiB "
                f"(baseline {best['baseline_rss_mib']:.1f} MiB), sum {best['total']}; "
                f"GIL held against a counting thread {gil[kind]['gil_share']:.2f} of a {gil[kind]['seconds']:.2f} s run "
                f"= {gil[kind]['gil_seconds']:.2f} s"
            )
            result_line(
                "python_transactions",
                kind,
                running,
                {"seconds": "s", "cpu_seconds": "s", "peak_rss_mib": "MiB", "gil_share": "", "gil_seconds": "s"},
                {
                    "count": args.count,
                    "runs": len(runs),
                    "seconds": best["seconds"],
                    "cpu_seconds": best["cpu_seconds"],
                    "peak_rss_mib": best["peak_rss_mib"],
                    "baseline_rss_mib": best["baseline_rss_mib"],
                    "gil_share": gil[kind]["gil_share"],
                    "gil_seconds": gil[kind]["gil_seconds"],
                    "gil_share_raw": gil[kind]["gil_share_raw"],
                    "gil_run_seconds": gil[kind]["seconds"],
                },
            )
        totals = {r["total"] for runs in results.values() for r in runs} | {r["total"] for r in gil.values()}
        assert len(totals) == 1, f"contenders disagree on the sum: {totals}"
    finally:
        emulator.stop()


if __name__ == "__main__":
    main()
