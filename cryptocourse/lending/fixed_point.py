"""The protocols' own integer (ray / wad) rate math, to the wei: Aave v3 DefaultReserveInterestRateStrategy, Compound."""
from __future__ import annotations

from cryptocourse._validate import fail, integer

from .rates import PERCENTAGE_FACTOR, RAY, WAD

# ---------------------------------------------------------------------------
# Exact integer versions (the protocols' own fixed-point math)
# ---------------------------------------------------------------------------

def _ray_mul(a: int, b: int) -> int:
    return (a * b + RAY // 2) // RAY


def _ray_div(a: int, b: int) -> int:
    return (a * RAY + b // 2) // b


def _percent_mul(value: int, percentage: int) -> int:
    return (value * percentage + PERCENTAGE_FACTOR // 2) // PERCENTAGE_FACTOR


def calculate_interest_rates(
    available_liquidity: int,
    total_variable_debt: int,
    reserve_factor: int,
    optimal_usage_ratio: int,
    base_variable_borrow_rate: int,
    variable_rate_slope1: int,
    variable_rate_slope2: int,
) -> tuple[int, int]:
    """Aave v3 supply (liquidity) and variable borrow rate, exact, in ray (1e27 = 100 %/year).

    Integer version of ``DefaultReserveInterestRateStrategy.calculateInterestRates`` for a
    reserve with only variable debt and no unbacked supply (the common case since v3.1).

    Parameters
    ----------
    available_liquidity : int
        Tokens in the reserve free to borrow (smallest unit, e.g. wei).
    total_variable_debt : int
        Tokens borrowed (same unit).
    reserve_factor : int
        Treasury share in basis points (1000 = 10 %).
    optimal_usage_ratio, base_variable_borrow_rate, variable_rate_slope1, variable_rate_slope2 : int
        Strategy parameters in ray (``8 * 10**26`` is 80 %).

    Returns
    -------
    (liquidity_rate, variable_borrow_rate) : tuple of int
        Yearly rates in ray.

    >>> R = 10**27
    >>> calculate_interest_rates(20, 80, 1000, 8 * R // 10, 0, 4 * R // 100, 75 * R // 100)
    (28800000000000000000000000, 40000000000000000000000000)

    Source: github.com/aave/aave-v3-core,
    contracts/protocol/pool/DefaultReserveInterestRateStrategy.sol (v3.0.x). Notebook 09.
    """
    available_liquidity = integer("available_liquidity", available_liquidity, lo=0)
    total_variable_debt = integer("total_variable_debt", total_variable_debt, lo=0)
    reserve_factor = integer("reserve_factor", reserve_factor, lo=0, hi=PERCENTAGE_FACTOR,
                             why="basis points: 1000 is 10 %")
    optimal = integer("optimal_usage_ratio", optimal_usage_ratio, lo=1, hi=RAY,
                      why="a ray between 1 and 10**27 (100 %)")
    base = integer("base_variable_borrow_rate", base_variable_borrow_rate, lo=0)
    slope1 = integer("variable_rate_slope1", variable_rate_slope1, lo=0)
    slope2 = integer("variable_rate_slope2", variable_rate_slope2, lo=0)
    max_excess = RAY - optimal

    usage = 0
    if total_variable_debt != 0:
        usage = _ray_div(total_variable_debt, available_liquidity + total_variable_debt)
    rate = base
    if usage > optimal:
        excess = _ray_div(usage - optimal, max_excess)
        rate += slope1 + _ray_mul(slope2, excess)
    else:
        rate += _ray_div(_ray_mul(slope1, usage), optimal)
    liquidity_rate = _percent_mul(_ray_mul(rate, usage), PERCENTAGE_FACTOR - reserve_factor)
    return liquidity_rate, rate


def utilization_rate(cash: int, borrows: int, reserves: int) -> int:
    """Compound v2 utilisation ``borrows / (cash + borrows - reserves)``, exact, mantissa 1e18.

    >>> utilization_rate(11, 89, 0)
    890000000000000000

    Source: Compound v2 ``JumpRateModel.utilizationRate``. Notebook 09.
    """
    cash = integer("cash", cash, lo=0)
    borrows = integer("borrows", borrows, lo=0)
    reserves = integer("reserves", reserves, lo=0)
    if borrows == 0:
        return 0
    if cash + borrows - reserves <= 0:
        fail("reserves", "< cash + borrows", reserves, "reserves cannot exceed the pool")
    return borrows * WAD // (cash + borrows - reserves)


def get_borrow_rate(cash: int, borrows: int, reserves: int, base_rate: int, multiplier: int,
                    jump_multiplier: int, kink: int) -> int:
    """Compound v2 ``JumpRateModel.getBorrowRate``, exact, mantissa 1e18 (per block or per year).

    The rates are in whatever unit you pass (Compound stores per-block mantissas; pass
    per-year ones to read a yearly rate).

    >>> W = 10**18
    >>> get_borrow_rate(11, 89, 0, W // 10, W // 5, W, 9 * W // 10)
    278000000000000000

    Source: github.com/compound-finance/compound-protocol, contracts/JumpRateModel.sol. Notebook 09.
    """
    base_rate = integer("base_rate", base_rate, lo=0)
    multiplier = integer("multiplier", multiplier, lo=0)
    jump_multiplier = integer("jump_multiplier", jump_multiplier, lo=0)
    kink = integer("kink", kink, lo=0, hi=WAD, why="a mantissa between 0 and 10**18")
    util = utilization_rate(cash, borrows, reserves)
    if util <= kink:
        return util * multiplier // WAD + base_rate
    normal = kink * multiplier // WAD + base_rate
    return (util - kink) * jump_multiplier // WAD + normal


def get_supply_rate(cash: int, borrows: int, reserves: int, reserve_factor_mantissa: int,
                    base_rate: int, multiplier: int, jump_multiplier: int, kink: int) -> int:
    """Compound v2 ``JumpRateModel.getSupplyRate``, exact, mantissa 1e18.

    >>> W = 10**18
    >>> get_supply_rate(0, 100, 0, W // 10, W // 10, W // 5, W, 9 * W // 10)
    342000000000000000

    Source: github.com/compound-finance/compound-protocol, contracts/JumpRateModel.sol. Notebook 09.
    """
    rf = integer("reserve_factor_mantissa", reserve_factor_mantissa, lo=0, hi=WAD,
                 why="a mantissa between 0 and 10**18 (100 %)")
    borrow_rate = get_borrow_rate(cash, borrows, reserves, base_rate, multiplier,
                                  jump_multiplier, kink)
    rate_to_pool = borrow_rate * (WAD - rf) // WAD
    return utilization_rate(cash, borrows, reserves) * rate_to_pool // WAD
