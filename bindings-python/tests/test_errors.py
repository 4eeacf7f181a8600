"""The error mapping: one exception class per core kind, attributes, real failures."""

from __future__ import annotations

import pytest

import opcorp
import opcorp._native as native


def test_every_kind_maps_to_a_distinct_subclass() -> None:
    kinds = native._error_kinds()
    assert len(kinds) == 17
    classes = set()
    for code, class_name, retryable in kinds:
        cls = getattr(opcorp, class_name)
        assert issubclass(cls, opcorp.OpcorpError) and cls is not opcorp.OpcorpError
        assert cls.__doc__
        classes.add(cls)
        with pytest.raises(cls) as info:
            native._raise_error(code, 503, "req-1")
        err = info.value
        assert type(err) is cls
        assert err.code == code
        assert err.status == 503 and err.request_id == "req-1"
        assert err.retryable is retryable
        assert code in str(err)
    assert len(classes) == len(kinds)


def test_host_exception_bases() -> None:
    assert issubclass(opcorp.InvalidInputError, ValueError)
    assert issubclass(opcorp.TimeoutError, TimeoutError)


def test_wrong_credentials_are_auth_errors(emulator) -> None:
    kwargs = emulator.client_kwargs()
    kwargs["client_secret"] = "wrong"
    client = opcorp.Client(**kwargs)
    with pytest.raises(opcorp.AuthError) as info:
        client.accounts()
    assert info.value.code == "AUTH"
    assert "wrong" not in str(info.value)


def test_wrong_ca_is_a_tls_error(emulator) -> None:
    kwargs = emulator.client_kwargs()
    other = opcorp.generate_key_and_csr("x", bits=2048)
    del kwargs["ca_certificate_pem"]
    client = opcorp.Client(**kwargs)
    with pytest.raises(opcorp.TlsError):
        client.accounts()
    # A certificate that does not belong to the key is refused when the client is built.
    kwargs["private_key_pem"] = other.private_key_pem
    with pytest.raises(opcorp.ConfigError):
        opcorp.Client(**kwargs)


def test_missing_settings_and_unknown_keywords() -> None:
    with pytest.raises(opcorp.ConfigError, match="client id"):
        opcorp.Client(base_url="https://127.0.0.1:1")
    with pytest.raises(TypeError, match="bogus"):
        opcorp.Client(bogus=1)
    with pytest.raises(opcorp.ConfigError):
        opcorp.Client(environment="mars")


def test_connection_cap(emulator) -> None:
    with pytest.raises(opcorp.ConfigError, match="max connections"):
        opcorp.Client(**emulator.client_kwargs(), max_connections=0)
    client = opcorp.Client(**emulator.client_kwargs(), max_connections=1, call_timeout=30)
    assert client.accounts()
    with pytest.raises(opcorp.ConfigError, match="call timeout"):
        opcorp.Client(**emulator.client_kwargs(), call_timeout=0)


def test_server_error_after_retries(client: opcorp.Client, emulator) -> None:
    emulator.fault("accounts", {"type": "status", "status": 503}, times=None)
    with pytest.raises(opcorp.ServerError) as info:
        client.accounts()
    assert info.value.status == 503 and info.value.retryable


def test_rate_limited(client: opcorp.Client, emulator) -> None:
    emulator.fault("accounts", {"type": "status", "status": 429, "retry_after": "0"}, times=None)
    with pytest.raises(opcorp.RateLimitedError) as info:
        client.accounts()
    assert info.value.status == 429


def test_timeout(emulator) -> None:
    client = opcorp.Client(**emulator.client_kwargs(), total_timeout=0.3, read_timeout=0.3)
    client.accounts()  # token first
    emulator.fault("mandates", {"type": "latency", "millis": 3000}, times=None)
    with pytest.raises(opcorp.TimeoutError):
        client.mandates()


def test_connection_refused_is_network() -> None:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    key = opcorp.generate_key_and_csr("x", bits=2048)
    with pytest.raises((opcorp.ConfigError, opcorp.NetworkError)):
        client = opcorp.Client(
            base_url=f"https://127.0.0.1:{port}",
            client_id="a",
            client_secret="b",
            certificate_pem="not a pem",
            private_key_pem=key.private_key_pem,
        )
        client.accounts()


def test_decode_error(client: opcorp.Client, emulator) -> None:
    emulator.fault("mandates", {"type": "status", "status": 200, "body": "not json", "content_type": "application/json"})
    with pytest.raises(opcorp.DecodeError):
        client.mandates()
