"""Fixtures: a real opcorp-emulator on 127.0.0.1 (mTLS) started as a subprocess, its admin
API, and clients configured from the identity it prints."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
import urllib.request
from pathlib import Path
from typing import Any, Dict, Iterator

import pytest

ROOT = Path(__file__).resolve().parents[2]
EMULATOR = Path(os.environ.get("OPCORP_EMULATOR_BIN", ROOT / "target" / "debug" / "opcorp-emulator"))


class Emulator:
    """A running emulator process with its URLs, identity and admin helpers."""

    def __init__(self, *args: str) -> None:
        if not EMULATOR.exists():
            raise RuntimeError(f"{EMULATOR} is missing: cargo build -p opcorp-emulator")
        self.state_dir = tempfile.mkdtemp(prefix="opcorp-py-")
        self.process = subprocess.Popen(
            [str(EMULATOR), "--port", "0", "--admin-port", "0", "--state-dir", self.state_dir, *args],
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
        )
        assert self.process.stdout is not None
        self.base_url = self.admin_url = ""
        for line in self.process.stdout:
            if line.strip().startswith("OP API"):
                self.base_url = line.split()[2]
            if line.strip().startswith("Admin API"):
                self.admin_url = line.split()[2]
                break
        if not self.admin_url:
            raise RuntimeError("emulator did not print its banner")
        self.identity = self.admin("GET", "/identity")
        self.env: Dict[str, str] = dict(self.identity["env"])

    def admin(self, method: str, path: str, body: Any = None) -> Any:
        """Calls the admin API and returns the decoded JSON answer (None when empty)."""
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(
            self.admin_url + path, data=data, method=method, headers={"content-type": "application/json"}
        )
        with urllib.request.urlopen(request, timeout=30) as response:
            raw = response.read()
        return json.loads(raw) if raw else None

    def fault(self, route: str | None, kind: Dict[str, Any], times: int | None = 1) -> None:
        """Injects a fault rule."""
        rule: Dict[str, Any] = {"kind": kind}
        if route is not None:
            rule["route"] = route
        if times is not None:
            rule["times"] = times
        self.admin("POST", "/faults", rule)

    def client_kwargs(self) -> Dict[str, Any]:
        """Keyword settings for `opcorp.Client(...)` from the demo identity (inline PEMs)."""
        i = self.identity
        return dict(
            base_url=self.base_url,
            client_id=i["clientId"],
            client_secret=i["clientSecret"],
            certificate_pem=i["certPem"],
            private_key_pem=i["keyPem"],
            ca_certificate_pem=i["caPem"],
            signing_key_pem=i["signingKeyPem"],
            signing_kid=i["signingKid"],
        )

    def stop(self) -> None:
        """Stops the process and removes its state."""
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
        shutil.rmtree(self.state_dir, ignore_errors=True)


@pytest.fixture(scope="session")
def emulator() -> Iterator[Emulator]:
    emu = Emulator("--transactions-per-account", "2500")
    yield emu
    emu.stop()


@pytest.fixture(autouse=True)
def _clear_faults(emulator: Emulator) -> Iterator[None]:
    yield
    emulator.admin("DELETE", "/faults")


@pytest.fixture()
def client(emulator: Emulator):
    import opcorp

    return opcorp.Client(**emulator.client_kwargs())


@pytest.fixture()
def env(emulator: Emulator, monkeypatch: pytest.MonkeyPatch) -> Dict[str, str]:
    for key, value in emulator.env.items():
        monkeypatch.setenv(key, value)
    return emulator.env
