"""The README's performance table quotes benchmarks/results/latest.json (python benchmarks/run.py):
re-run the benchmark and the README must follow, or this fails."""
from __future__ import annotations

import json
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")
LATEST = json.loads((ROOT / "benchmarks" / "results" / "latest.json").read_text())


def _row(label: str) -> str:
    line = next(line for line in README.splitlines() if line.startswith(f"| {label}"))
    return line.split("|")[2].strip()


def test_notebook_figures_are_the_benchmarks():
    worst = max(LATEST["notebooks"], key=lambda r: r["seconds"])
    assert _row("each notebook in a fresh kernel") == f"slowest {worst['seconds']:.1f} s ({worst['notebook']})"
    assert _row("the whole course:") == f"{round(LATEST['notebooks_total_s'])} s"
    assert f"the whole course: {len(LATEST['notebooks'])} notebooks" in README


def test_dashboard_figures_are_the_benchmarks():
    rows = LATEST["dashboards"]
    worst_median = max(rows, key=lambda r: r["median_ms"])
    worst_p95 = max(rows, key=lambda r: r["p95_ms"])
    assert _row("dashboard update, median") == f"{round(worst_median['median_ms'])} ms ({worst_median['dashboard']})"
    assert _row("dashboard update, 95th") == f"{round(worst_p95['p95_ms'])} ms ({worst_p95['dashboard']})"
    assert f"worst of {len(rows)} dashboards" in README


def test_the_benchmark_date_is_stated():
    assert re.search(rf"Python [0-9.]+, {LATEST['date']}\)", README)
