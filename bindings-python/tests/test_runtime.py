"""GIL release during blocking calls, fork and spawn safety, and secret redaction."""

from __future__ import annotations

import multiprocessing
import threading
import time

import pytest

import opcorp


def test_other_threads_run_during_a_blocking_call(client: opcorp.Client, emulator) -> None:
    client.mandates()  # token and connection first
    emulator.fault("mandates", {"type": "latency", "millis": 1000})
    ticks = 0
    stop = threading.Event()

    def spin() -> None:
        nonlocal ticks
        while not stop.is_set():
            ticks += 1
            time.sleep(0.001)

    thread = threading.Thread(target=spin)
    thread.start()
    started = time.monotonic()
    client.mandates()
    elapsed = time.monotonic() - started
    stop.set()
    thread.join()
    assert elapsed >= 0.9
    # With the GIL held the spinner would get no tick at all during the second.
    assert ticks > 100, ticks


def _child_inherited(client: opcorp.Client, queue) -> None:
    try:
        client.accounts()
        queue.put(("ok", None))
    except opcorp.OpcorpError as err:
        queue.put((err.code, str(err)))


def _child_fresh(kwargs, queue) -> None:
    try:
        queue.put(("ok", len(opcorp.Client(**kwargs).accounts())))
    except Exception as err:  # noqa: BLE001 - reported to the parent
        queue.put(("error", repr(err)))


def test_fork_child_gets_a_clear_error_or_works(client: opcorp.Client, emulator) -> None:
    client.accounts()  # the runtime and the pool exist before the fork
    ctx = multiprocessing.get_context("fork")
    queue = ctx.Queue()
    inherited = ctx.Process(target=_child_inherited, args=(client, queue))
    inherited.start()
    code, message = queue.get(timeout=30)
    inherited.join(timeout=30)
    assert code == "CONFIG" and "fork" in message
    fresh = ctx.Process(target=_child_fresh, args=(emulator.client_kwargs(), queue))
    fresh.start()
    assert queue.get(timeout=30) == ("ok", 3)
    fresh.join(timeout=30)
    assert client.accounts()  # the parent still works


def test_spawn_child_works(emulator) -> None:
    ctx = multiprocessing.get_context("spawn")
    queue = ctx.Queue()
    child = ctx.Process(target=_child_fresh, args=(emulator.client_kwargs(), queue))
    child.start()
    assert queue.get(timeout=60) == ("ok", 3)
    child.join(timeout=30)


def test_secrets_are_redacted_in_repr(client: opcorp.Client, emulator) -> None:
    text = repr(client)
    assert "[REDACTED]" in text
    assert emulator.identity["clientSecret"] not in text
    assert "PRIVATE KEY" not in text
    key = opcorp.generate_key_and_csr("Demo Oy", bits=2048)
    assert "[REDACTED]" in repr(key) and "PRIVATE" not in repr(key)
    assert key.private_key_pem.startswith("-----BEGIN\x20PRIVATE KEY-----")
    assert "CERTIFICATE REQUEST" in key.csr_pem


def test_from_env(env) -> None:
    client = opcorp.Client.from_env()
    assert client.base_url == env["OPCORP_BASE_URL"]
    assert len(client.accounts()) == 3
    overridden = opcorp.Client.from_env(client_secret="nope")
    with pytest.raises(opcorp.AuthError):
        overridden.accounts()
