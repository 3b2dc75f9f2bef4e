"""The peer benchmark keeps working without its optional peers, and our exact V2 swap equals
UniswapV2Library.getAmountOut on its random swaps (benchmarks/peers.py)."""
from __future__ import annotations

import importlib.util
import random
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _peers():
    spec = importlib.util.spec_from_file_location("peers", ROOT / "benchmarks" / "peers.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_v2_rows_are_exact_and_report_a_missing_peer():
    peers = _peers()
    rows = peers.v2_rows(random.Random(1))
    ours = next(r for r in rows if r["implementation"] == "cryptocourse")
    assert ours["wrong_of_2000"] == 0 and ours["us"] > 0
    uniswappy = next(r for r in rows if r["implementation"] == "uniswappy")
    assert uniswappy.get("missing") or uniswappy["us"] > 0

