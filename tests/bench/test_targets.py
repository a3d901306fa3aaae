"""`make bench` in-process checks its targets (bench/targets.toml, [kind] and [page])."""

import tomllib
from pathlib import Path

from bench import run

TARGETS = tomllib.loads(
    (Path(__file__).resolve().parents[2] / "bench" / "targets.toml").read_text()
)
PROCEEDINGS = {"name": "pdf_actes_2014", "kind": "pdf", "url": "/", "who": "anonymous"}


def measured(**figures) -> dict:
    base = {
        "median_ms": 100.0,
        "p95_ms": 120.0,
        "queries": 10,
        "kb": 90.0,
        "peak_mib": 60.0,
        "cold_cpu_ms": 520.0,
    }
    return {**base, **figures}


def test_a_first_render_of_the_proceedings_needs_less_than_a_second_of_cpu():
    targets = run.targets_for(PROCEEDINGS, TARGETS)
    assert targets["cold_cpu_ms"] == 1000
    assert run.check(measured(), targets) == []
    assert run.check(measured(cold_cpu_ms=1000.5), targets) == ["cold_cpu_ms = 1000.5 > 1000"]


def test_other_pdfs_keep_their_kind_targets_only():
    other = {**PROCEEDINGS, "name": "pdf_charte_signee"}
    assert "cold_cpu_ms" not in run.targets_for(other, TARGETS)
