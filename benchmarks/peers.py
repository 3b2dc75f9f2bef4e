"""The course's exact protocol math beside its peers, in one run: speed ratios and exactness.

    pip install -e ".[bench]"          # uniswappy (DeFiPy's Uniswap package) and curvesim
    python benchmarks/peers.py         # prints a table, writes benchmarks/results/peers.json

Shared functions timed on the same inputs (best of 5 repeats, microseconds per call):

* Uniswap V2 ``get_amount_out``: ours, uniswappy's ``UniswapExchange.get_amount_out0`` and the
  bare formula (a plain Python function, no checks), plus how often each differs from the formula
  of ``UniswapV2Library.getAmountOut`` on 2,000 random swaps;
* Uniswap V3 ``get_tick_at_sqrt_ratio``: ours and uniswappy's ``TickMath.getTickAtSqrtRatio``;
* Curve StableSwap ``get_D`` and ``get_y``: ours and curvesim's ``CurvePool`` (which uses gmpy2);
* our float teaching versions against our exact ones (they should not be slower).

A peer that is not installed is reported as missing; the rest still runs.
"""
from __future__ import annotations

import json
import platform
import random
import sys
import time
import timeit
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from cryptocourse import amm  # noqa: E402


def per_call_us(fn, number: int = 2000, repeat: int = 5) -> float:
    return min(timeit.repeat(fn, number=number, repeat=repeat)) / number * 1e6


def bare_amount_out(a: int, r_in: int, r_out: int) -> int:
    """UniswapV2Library.getAmountOut, with no checks (the floor of what a library can do)."""
    a_fee = a * 997
    return a_fee * r_out // (r_in * 1000 + a_fee)


def v2_rows(rng: random.Random) -> list[dict]:
    a, r0, r1 = 10**18, 5 * 10**18, 10 * 10**18
    rows = [{"function": "Uniswap V2 get_amount_out", "implementation": "cryptocourse",
             "us": per_call_us(lambda: amm.get_amount_out(a, r0, r1))},
            {"function": "Uniswap V2 get_amount_out", "implementation": "bare formula",
             "us": per_call_us(lambda: bare_amount_out(a, r0, r1))}]
    swaps = [(rng.randrange(1, 10**21), rng.randrange(10**18, 10**24), rng.randrange(10**18, 10**24))
             for _ in range(2000)]
    rows[0]["wrong_of_2000"] = sum(amm.get_amount_out(*s) != bare_amount_out(*s) for s in swaps)
    try:
        from uniswappy import ERC20, UniswapExchangeData, UniswapFactory
    except ImportError:
        rows.append({"function": "Uniswap V2 get_amount_out", "implementation": "uniswappy", "missing": True})
        return rows

    def exchange(x: int, y: int):
        t0, t1 = ERC20("A", "0x01"), ERC20("B", "0x02")
        data = UniswapExchangeData(tkn0=t0, tkn1=t1, symbol="LP", address="0x011",
                                   precision=UniswapExchangeData.TYPE_GWEI)
        ex = UniswapFactory("factory", "0x").deploy(data)
        ex.add_liquidity("lp", x, y, x, y)
        return ex

    ex = exchange(r0, r1)
    row = {"function": "Uniswap V2 get_amount_out", "implementation": "uniswappy",
           "us": per_call_us(lambda: ex.get_amount_out0(a))}
    wrong = 0
    for s in swaps[:300]:                       # a pool each: deploying is slow
        pool = exchange(s[1], s[2])
        wrong += int(pool.get_amount_out0(s[0])) != bare_amount_out(*s)
    row["wrong_of_300"] = wrong
    rows.append(row)
    return rows


def v3_rows(rng: random.Random) -> list[dict]:
    s = amm.get_sqrt_ratio_at_tick(196_256) + 12_345
    rows = [{"function": "Uniswap V3 get_tick_at_sqrt_ratio", "implementation": "cryptocourse",
             "us": per_call_us(lambda: amm.get_tick_at_sqrt_ratio(s), number=500)}]
    try:
        from uniswappy.utils.tools.v3 import TickMath
    except ImportError:
        rows.append({"function": "Uniswap V3 get_tick_at_sqrt_ratio", "implementation": "uniswappy", "missing": True})
        return rows
    prices = [rng.randrange(amm.MIN_SQRT_RATIO, amm.MAX_SQRT_RATIO) for _ in range(1000)]
    rows.append({"function": "Uniswap V3 get_tick_at_sqrt_ratio", "implementation": "uniswappy",
                 "us": per_call_us(lambda: TickMath.getTickAtSqrtRatio(s), number=500),
                 "disagree_of_1000": sum(TickMath.getTickAtSqrtRatio(p) != amm.get_tick_at_sqrt_ratio(p)
                                         for p in prices)})
    return rows


def stableswap_rows(rng: random.Random) -> list[dict]:
    xp = [1_000_000 * 10**18, 1_200_000 * 10**18, 900_000 * 10**18]
    amp, x = 2000, xp[0] + 1000 * 10**18
    rows = [{"function": "StableSwap get_D", "implementation": "cryptocourse", "us": per_call_us(lambda: amm.get_D(xp, amp))},
            {"function": "StableSwap get_y", "implementation": "cryptocourse",
             "us": per_call_us(lambda: amm.get_y(0, 1, x, xp, amp))}]
    try:
        from curvesim.pool.stableswap.pool import CurvePool
    except ImportError:
        rows += [{"function": f, "implementation": "curvesim", "missing": True}
                 for f in ("StableSwap get_D", "StableSwap get_y")]
        return rows
    pool = CurvePool(A=amp, D=xp, n=3)
    pools = [[rng.randrange(10**20, 10**25) for _ in range(3)] for _ in range(300)]
    rows += [{"function": "StableSwap get_D", "implementation": "curvesim", "us": per_call_us(lambda: pool.get_D(xp, amp)),
              "disagree_of_300": sum(int(pool.get_D(p, amp)) != amm.get_D(p, amp) for p in pools)},
             {"function": "StableSwap get_y", "implementation": "curvesim",
              "us": per_call_us(lambda: pool.get_y(0, 1, x, xp))}]
    return rows


def teaching_rows() -> list[dict]:
    xp = [1e6, 1.2e6, 0.9e6]
    return [
        {"function": "constant product, one swap", "implementation": "cryptocourse exact (get_amount_out)",
         "us": per_call_us(lambda: amm.get_amount_out(10**18, 5 * 10**18, 10 * 10**18))},
        {"function": "constant product, one swap", "implementation": "cryptocourse float (amount_out)",
         "us": per_call_us(lambda: amm.amount_out(1.0, 5.0, 10.0))},
        {"function": "StableSwap, one swap", "implementation": "cryptocourse exact (get_dy)",
         "us": per_call_us(lambda: amm.get_dy(0, 1, 1000 * 10**18, [10**24, 12 * 10**23, 9 * 10**23], 2000))},
        {"function": "StableSwap, one swap", "implementation": "cryptocourse float (stableswap_get_dy)",
         "us": per_call_us(lambda: amm.stableswap_get_dy(0, 1, 1000.0, xp, 2000))},
    ]


def main() -> int:
    rng = random.Random(2026)
    rows = v2_rows(rng) + v3_rows(rng) + stableswap_rows(rng) + teaching_rows()
    by_function: dict[str, list[dict]] = {}
    for row in rows:
        by_function.setdefault(row["function"], []).append(row)
    print(f"{'function':<36} {'implementation':<40} {'us/call':>8}  {'x ours':>7}  notes")
    for function, group in by_function.items():
        ours = next((r["us"] for r in group if r["implementation"].startswith("cryptocourse")), None)
        for r in group:
            if r.get("missing"):
                print(f"{function:<36} {r['implementation']:<40} {'(not installed)':>8}")
                continue
            r["ratio_to_ours"] = round(r["us"] / ours, 2) if ours else None
            notes = ", ".join(f"{k.replace('_', ' ')}: {v}" for k, v in r.items()
                              if k.startswith(("wrong", "disagree")))
            print(f"{function:<36} {r['implementation']:<40} {r['us']:8.3f}  {r['ratio_to_ours']:7.2f}  {notes}")
    out = {"date": time.strftime("%Y-%m-%d"), "python": platform.python_version(), "machine": platform.machine(),
           "versions": _versions(), "rows": [{k: (round(v, 3) if isinstance(v, float) else v) for k, v in r.items()}
                                             for r in rows]}
    target = ROOT / "benchmarks" / "results" / "peers.json"
    target.write_text(json.dumps(out, indent=1) + "\n")
    print(f"\nwrote {target.relative_to(ROOT)}")
    return 0


def _versions() -> dict:
    from importlib import metadata

    found = {}
    for name in ("cryptocourse", "uniswappy", "curvesim", "gmpy2"):
        try:
            found[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            found[name] = None
    return found


if __name__ == "__main__":
    sys.exit(main())
