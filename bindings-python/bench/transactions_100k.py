"""Benchmark: fetch and decode 100,000 transactions over mTLS from the emulator, with opcorp
versus a plain-Python client (httpx + json) using the same certificates and server.

Each contender runs in its own fresh subprocess so peak memory (ru_maxrss) is its own.
opcorp yields typed Transaction objects; the amounts of all of them are summed as Decimal in
both contenders so both do the same work on the decoded data.

Usage:  python bench/transactions_100k.py [--count 100000] [--runs 3]
(needs target/debug/opcorp-emulator and a release build of the binding for fair numbers)
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
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


def child(kind: str, settings_json: str) -> None:
    """Runs one contender and prints its result with peak RSS."""
    settings = json.loads(settings_json)
    baseline = vm_kib("VmHWM")
    cpu = time.process_time()
    result = (run_opcorp if kind == "opcorp" else run_httpx)(settings)
    result["cpu_seconds"] = time.process_time() - cpu
    result["peak_rss_mib"] = vm_kib("VmHWM") / 1024
    result["baseline_rss_mib"] = baseline / 1024
    print(json.dumps(result))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--child", nargs=2)
    args = parser.parse_args()
    if args.child:
        child(*args.child)
        return

    from conftest import Emulator

    release = HERE.parents[2] / "target" / "release" / "opcorp-emulator"
    if os.environ.get("OPCORP_EMULATOR_BIN") is None and release.exists():
        import conftest

        conftest.EMULATOR = release  # the faster server keeps the clients the bottleneck
    emulator = Emulator("--accounts-per-client", "1", "--transactions-per-account", str(args.count))
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
        results: dict = {"opcorp": [], "httpx": []}
        for _ in range(args.runs):
            for kind in ("opcorp", "httpx"):
                out = subprocess.run(
                    [sys.executable, str(HERE), "--child", kind, json.dumps(settings)],
                    capture_output=True, text=True, check=True,
                )
                results[kind].append(json.loads(out.stdout))
        for kind, runs in results.items():
            best = min(runs, key=lambda r: r["seconds"])
            assert best["count"] == args.count, best
            print(
                f"{kind:7} best {best['seconds']:.2f} s of {len(runs)} "
                f"(all: {', '.join('%.2f' % r['seconds'] for r in runs)}), "
                f"{args.count / best['seconds']:,.0f} tx/s, client CPU {best['cpu_seconds']:.2f} s, peak RSS {best['peak_rss_mib']:.1f} MiB "
                f"(baseline {best['baseline_rss_mib']:.1f} MiB), sum {best['total']}"
            )
        assert results["opcorp"][0]["total"] == results["httpx"][0]["total"]
    finally:
        emulator.stop()


if __name__ == "__main__":
    main()
