"""Pieces of scripts/scale_check.py that can be checked without starting servers (the whole
of it runs as `make scale-check`, in CI after `make test`)."""

import importlib.util
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def load_scale_check():
    spec = importlib.util.spec_from_file_location(
        "scale_check", ROOT / "scripts" / "scale_check.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_its_totp_codes_are_those_allauth_accepts():
    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

    scale_check = load_scale_check()
    secret = scale_check.STAFF_TOTP_SECRET
    for at in (0, 1_700_000_000, time.time()):
        counter = int(at) // 30
        assert scale_check.totp_now(secret, at=at) == format_hotp_value(hotp_value(secret, counter))


def test_the_balancer_config_has_both_instances_in_round_robin(tmp_path, monkeypatch):
    scale_check = load_scale_check()
    monkeypatch.setattr(scale_check, "VAR", tmp_path)
    config = scale_check.write_balancer_config(
        8160, [8161, 8162], tmp_path / "cert.pem", tmp_path / "key.pem"
    ).read_text()
    assert "server 127.0.0.1:8161" in config and "server 127.0.0.1:8162" in config
    assert "least_conn" not in config and "ip_hash" not in config  # round robin
    assert "listen 127.0.0.1:8160 ssl;" in config
    assert "X-Forwarded-For $proxy_add_x_forwarded_for" in config
