"""The whole public API against bad input (tools/bad_input_sweep.py): every parameter of every
function with a docstring example, replaced in turn by None, a string, NaN, infinity, -1, 0, [],
True, 10**80 and a ragged list. Nothing may hang, and an error must name the parameter: the few
that name the other side of a constraint between two parameters are listed here by hand."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

# a constraint between two parameters, reported on the side the check reads (reviewed, clear)
CROSS_PARAMETER = {
    ("cryptocourse.amm.v2.liquidity_minted", "total_supply"),          # names reserve0: shares need reserves
    ("cryptocourse.governance.voting_power", "balances"),              # names delegates: one per balance
    ("cryptocourse.lending.positions.liquidation_call", "collateral_amount"),  # debt_amount: HF must be < 1
    ("cryptocourse.lending.positions.liquidation_call", "collateral_price"),
    ("cryptocourse.leverage.loops_needed", "ltv"),                      # target_leverage beyond the LTV's limit
    ("cryptocourse.leverage.summarize_returns", "returns"),            # liquidated: one flag per return
}


def test_no_bad_input_hangs_or_gets_an_unclear_error(tmp_path):
    out = tmp_path / "sweep.json"
    subprocess.run([sys.executable, "-W", "ignore", str(ROOT / "tools" / "bad_input_sweep.py"), "--json", str(out)],
                   check=True, capture_output=True, timeout=600, cwd=ROOT)
    rows = json.loads(out.read_text())
    assert len({r["function"] for r in rows}) >= 200 and len(rows) >= 6000
    assert [r for r in rows if r["outcome"] == "hang"] == []
    unclear = [f"{r['function']}({r['param']}={r['value']}): {r['detail']}" for r in rows
               if r["outcome"] == "unclear" and (r["function"], r["param"]) not in CROSS_PARAMETER]
    assert unclear == [], "\n".join(unclear)
