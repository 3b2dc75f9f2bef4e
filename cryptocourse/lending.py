"""Lending and borrowing: interest-rate curves, a lending pool, positions and liquidation.

Introduced in ``notebooks/09_lending_and_borrowing.ipynb`` (and reused in 10 and 14).

What is here
------------
- Rate models: :class:`InterestRateModel` (Aave v3's variable-rate strategy, a kink at the
  optimal utilisation) and :class:`JumpRateModel` (Compound v2's jump rate model).
  Both are teaching versions in floats (rates as fractions per year, ``0.04`` is 4 % a year),
  vectorised: an array of utilisations in gives an array of rates out.
- Exact integer versions, named as the protocols name them: :func:`calculate_interest_rates`
  (Aave v3, ray = 1e27 fixed point) and :func:`utilization_rate`, :func:`get_borrow_rate`,
  :func:`get_supply_rate` (Compound v2, mantissa = 1e18 fixed point).
- :data:`MARKETS`: a few real markets' parameters, as dated snapshots (not live data).
- :class:`LendingPool`: suppliers and borrowers, interest accrues over time, utilisation
  moves the rates, and nothing is created or lost (cash + borrows = supplies + reserves).
- Positions: :func:`health_factor`, :func:`max_borrow`, :func:`liquidation_price`,
  :func:`close_factor`, :func:`liquidation_call` (Aave v3's close factor and bonus, in both the
  rule of v3.0-v3.2 and the one of v3.3 and later) and :func:`simulate_position` (a borrower's
  health along a price path).
- Lending a stablecoin: :func:`stablecoin_lending_outcomes` (what spreading deposits over several
  protocols does, and does not do, to a year's return).

Sources (checked 2026-12):
- Aave v3 ``DefaultReserveInterestRateStrategy.calculateInterestRates``
  (github.com/aave/aave-v3-core, contracts/protocol/pool/).
- Aave v3.0-v3.2 liquidation: ``LiquidationLogic._calculateDebt`` in github.com/aave/aave-v3-core.
  Aave v3.3 and later: ``LiquidationLogic.executeLiquidationCall`` in github.com/aave-dao/aave-v3-origin,
  src/contracts/protocol/libraries/logic/LiquidationLogic.sol (read at commit 027aaed7), and
  docs/3.3/Aave-v3.3-features.md there. v3.3 was rolled out in February 2025.
- Compound v2 ``JumpRateModel.sol`` (github.com/compound-finance/compound-protocol, contracts/).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from cryptocourse._validate import choice, fail, integer, number, scalar_out

__all__ = [
    "InterestRateModel", "JumpRateModel", "MarketSnapshot", "MARKETS", "utilization",
    "calculate_interest_rates", "utilization_rate", "get_borrow_rate", "get_supply_rate",
    "LendingPool", "health_factor", "max_borrow", "liquidation_price", "close_factor",
    "Liquidation", "liquidation_call", "PositionHistory", "simulate_position",
    "DEFAULT_LIQUIDATION_CLOSE_FACTOR", "MAX_LIQUIDATION_CLOSE_FACTOR",
    "CLOSE_FACTOR_HF_THRESHOLD", "MIN_BASE_MAX_CLOSE_FACTOR_THRESHOLD", "MIN_LEFTOVER_BASE",
    "AAVE_VERSIONS", "RAY", "WAD", "PERCENTAGE_FACTOR",
    "LendingOutcomes", "stablecoin_lending_outcomes",
]

# Aave v3 LiquidationLogic constants.
# v3.0-v3.2 (github.com/aave/aave-v3-core, LiquidationLogic.sol): DEFAULT_LIQUIDATION_CLOSE_FACTOR
# = 0.5e4 (50 %), MAX_LIQUIDATION_CLOSE_FACTOR = 1e4 (100 %), CLOSE_FACTOR_HF_THRESHOLD = 0.95e18;
# the close factor is 50 % while HF > 0.95 and 100 % at or below it, whatever the position's size.
# v3.3 and later (github.com/aave-dao/aave-v3-origin, src/contracts/protocol/libraries/logic/
# LiquidationLogic.sol, commit 027aaed7): the same two constants, plus
# MIN_BASE_MAX_CLOSE_FACTOR_THRESHOLD = 2000e8 (2,000 USD in the oracle's 8-decimal base currency):
# below it (collateral or debt of the position) the close factor is 100 %; and
# MIN_LEFTOVER_BASE = MIN_BASE_MAX_CLOSE_FACTOR_THRESHOLD / 2 (1,000 USD): a partial liquidation
# must leave at least that much debt and collateral, or the call reverts (MUST_NOT_LEAVE_DUST).
DEFAULT_LIQUIDATION_CLOSE_FACTOR = 0.5
MAX_LIQUIDATION_CLOSE_FACTOR = 1.0
CLOSE_FACTOR_HF_THRESHOLD = 0.95
MIN_BASE_MAX_CLOSE_FACTOR_THRESHOLD = 2000.0  # USD
MIN_LEFTOVER_BASE = MIN_BASE_MAX_CLOSE_FACTOR_THRESHOLD / 2  # 1,000 USD

#: The liquidation rules modelled, by version (pass ``version=`` to the liquidation functions).
AAVE_VERSIONS = {
    "3.3": "Aave v3.3 and later (rolled out from February 2025): size and dust rules",
    "3.0": "Aave v3.0 to v3.2 (2022 to early 2025): 50 % / 100 % by health factor only",
}

RAY = 10**27  # Aave's WadRayMath fixed point
WAD = 10**18  # Compound's mantissa (and Aave's wad)
PERCENTAGE_FACTOR = 10**4  # Aave's PercentageMath: 100.00 %


_out = scalar_out  # scalar in -> Python float out; arrays stay arrays


# ---------------------------------------------------------------------------
# Rate models (teaching versions, floats)
# ---------------------------------------------------------------------------

@dataclass(frozen=True)
class InterestRateModel:
    """Aave v3's variable borrow rate: two straight lines that meet at a kink.

    Below the optimal utilisation ``U*`` the borrow rate climbs gently,
    ``base_rate + slope1 * U / U*``; above it steeply,
    ``base_rate + slope1 + slope2 * (U - U*) / (1 - U*)``. Suppliers share the interest
    borrowers pay, less the reserve factor: ``supply = borrow * U * (1 - reserve_factor)``.
    Teaching version in floats (rates are fractions per year).

    Parameters
    ----------
    optimal_utilization : float
        The kink ``U*``, a fraction in (0, 1] (Aave's ``OPTIMAL_USAGE_RATIO``).
    base_rate : float
        Borrow rate at zero utilisation, per year (``baseVariableBorrowRate``).
    slope1 : float
        Rate added between 0 and ``U*``, per year (``variableRateSlope1``).
    slope2 : float
        Rate added between ``U*`` and 100 %, per year (``variableRateSlope2``).
    reserve_factor : float, default 0
        Share of the interest kept by the protocol's treasury, a fraction in [0, 1].

    Examples
    --------
    >>> m = InterestRateModel(0.80, 0.0, 0.04, 0.75, reserve_factor=0.10)
    >>> round(m.borrow_rate(0.8), 6), round(m.supply_rate(0.8), 6)
    (0.04, 0.0288)

    Source: Aave v3 ``DefaultReserveInterestRateStrategy.calculateInterestRates``
    (github.com/aave/aave-v3-core). Notebook 09.
    """

    optimal_utilization: float
    base_rate: float
    slope1: float
    slope2: float
    reserve_factor: float = 0.0

    def __post_init__(self):
        object.__setattr__(self, "optimal_utilization", number(
            "optimal_utilization", self.optimal_utilization, lo=0, hi=1, lo_open=True,
            why="the kink is a utilisation between 0 (excluded) and 1"))
        for name in ("base_rate", "slope1", "slope2"):
            object.__setattr__(self, name, number(name, getattr(self, name), lo=0, hi=100,
                                                  why="a yearly rate as a fraction (0.04 is 4 %)"))
        object.__setattr__(self, "reserve_factor", number(
            "reserve_factor", self.reserve_factor, lo=0, hi=1,
            why="the treasury's share of interest is a fraction of it"))

    def borrow_rate(self, utilization: Any) -> float | np.ndarray:
        """Variable borrow rate (per year, a fraction) at ``utilization`` (fraction in [0, 1]).

        >>> InterestRateModel(0.80, 0.0, 0.04, 0.75).borrow_rate([0.4, 1.0])
        array([0.02, 0.79])
        """
        u = number("utilization", utilization, lo=0, hi=1,
                   why="utilisation is borrowed / supplied, a fraction between 0 and 1")
        uo = self.optimal_utilization
        below = self.base_rate + self.slope1 * np.minimum(u, uo) / uo
        excess = np.maximum(u - uo, 0.0) / (1.0 - uo) if uo < 1 else np.zeros_like(u)
        return _out(below + self.slope2 * excess)

    def supply_rate(self, utilization: Any) -> float | np.ndarray:
        """Supply rate (per year, a fraction): ``borrow_rate * U * (1 - reserve_factor)``.

        >>> round(InterestRateModel(0.80, 0.0, 0.04, 0.75, 0.10).supply_rate(1.0), 6)
        0.711
        """
        u = number("utilization", utilization, lo=0, hi=1,
                   why="utilisation is borrowed / supplied, a fraction between 0 and 1")
        return _out(np.asarray(self.borrow_rate(u)) * u * (1.0 - self.reserve_factor))


@dataclass(frozen=True)
class JumpRateModel:
    """Compound v2's jump rate model: a straight line that jumps to a steeper one at the kink.

    ``borrow = base_rate + multiplier * U`` up to the kink, then
    ``base_rate + multiplier * kink + jump_multiplier * (U - kink)``;
    ``supply = borrow * U * (1 - reserve_factor)``. Teaching version in floats (per year).

    Parameters
    ----------
    base_rate : float
        Borrow rate at zero utilisation, per year (``baseRatePerYear``).
    multiplier : float
        Slope per unit of utilisation below the kink, per year (``multiplierPerYear``).
    kink : float
        Utilisation where the jump starts, a fraction in (0, 1].
    jump_multiplier : float
        Slope per unit of utilisation above the kink, per year (``jumpMultiplierPerYear``).
    reserve_factor : float, default 0
        Share of the interest kept as reserves, a fraction in [0, 1].

    Examples
    --------
    Compound's own test numbers (base 10 %, multiplier 20 %, kink 90 %, jump 100 %):

    >>> m = JumpRateModel(0.10, 0.20, 0.90, 1.00)
    >>> m.borrow_rate([0.89, 0.91, 1.0]).round(6).tolist()
    [0.278, 0.29, 0.38]

    Source: Compound v2 ``JumpRateModel.sol`` and its tests
    (github.com/compound-finance/compound-protocol). Notebook 09.
    """

    base_rate: float
    multiplier: float
    kink: float
    jump_multiplier: float
    reserve_factor: float = 0.0

    def __post_init__(self):
        for name in ("base_rate", "multiplier", "jump_multiplier"):
            object.__setattr__(self, name, number(name, getattr(self, name), lo=0, hi=100,
                                                  why="a yearly rate as a fraction (0.04 is 4 %)"))
        object.__setattr__(self, "kink", number(
            "kink", self.kink, lo=0, hi=1, lo_open=True,
            why="the kink is a utilisation between 0 (excluded) and 1"))
        object.__setattr__(self, "reserve_factor", number(
            "reserve_factor", self.reserve_factor, lo=0, hi=1,
            why="the reserves' share of interest is a fraction of it"))

    def borrow_rate(self, utilization: Any) -> float | np.ndarray:
        """Borrow rate (per year, a fraction) at ``utilization`` (fraction in [0, 1]).

        >>> JumpRateModel(0.02, 0.10, 0.80, 1.0).borrow_rate(0.5)
        0.07
        """
        u = number("utilization", utilization, lo=0, hi=1,
                   why="utilisation is borrowed / supplied, a fraction between 0 and 1")
        normal = self.base_rate + self.multiplier * np.minimum(u, self.kink)
        return _out(normal + self.jump_multiplier * np.maximum(u - self.kink, 0.0))

    def supply_rate(self, utilization: Any) -> float | np.ndarray:
        """Supply rate (per year, a fraction): ``borrow_rate * U * (1 - reserve_factor)``.

        >>> round(JumpRateModel(0.10, 0.20, 0.90, 1.0, 0.10).supply_rate(1.0), 6)
        0.342
        """
        u = number("utilization", utilization, lo=0, hi=1,
                   why="utilisation is borrowed / supplied, a fraction between 0 and 1")
        return _out(np.asarray(self.borrow_rate(u)) * u * (1.0 - self.reserve_factor))


def utilization(total_debt: Any, available_liquidity: Any) -> float | np.ndarray:
    """Utilisation: the share of supplied funds that is lent out, ``debt / (debt + cash)``.

    Parameters
    ----------
    total_debt : float or array
        Amount borrowed (tokens), >= 0.
    available_liquidity : float or array
        Amount still in the pool and free to borrow or withdraw (tokens), >= 0.

    Returns
    -------
    float or array
        A fraction in [0, 1]; 0 for an empty pool.

    >>> utilization(80.0, 20.0)
    0.8

    Source: Aave v3 ``borrowUsageRatio`` (DefaultReserveInterestRateStrategy). Notebook 09.
    """
    d = number("total_debt", total_debt, lo=0, hi=np.inf, finite=True, why="debt cannot be negative")
    a = number("available_liquidity", available_liquidity, lo=0, hi=np.inf, finite=True,
               why="a pool cannot hold negative cash")
    total = np.asarray(d + a)
    with np.errstate(invalid="ignore", divide="ignore"):
        u = np.where(total > 0, np.asarray(d) / np.where(total > 0, total, 1.0), 0.0)
    return _out(u)


# ---------------------------------------------------------------------------
# Real-market parameter snapshots
# ---------------------------------------------------------------------------

@dataclass(frozen=True)
class MarketSnapshot:
    """Parameters of one real lending market at one date (a snapshot, not live data).

    ``model`` is the rate model; ``ltv``, ``liquidation_threshold`` and
    ``liquidation_bonus`` are fractions (0.05 is a 5 % bonus); ``liquidation_protocol_fee`` is the
    treasury's share of the bonus; ``source`` and ``date`` say where and when the numbers were read.
    """

    name: str
    model: InterestRateModel | JumpRateModel
    ltv: float
    liquidation_threshold: float
    liquidation_bonus: float
    source: str
    date: str
    liquidation_protocol_fee: float = 0.0


# Aave v3 Ethereum, every number from one file: BGD Labs' full configuration report of the market
# after the AIP "Upgrade Aave V3 ETH Pool WETH parameters" of 2023-10-31,
# github.com/bgd-labs/aave-proposals-v3, reports/AaveV3Ethereum_UpgradeAaveV3ETHPooolWETHParameters_20231031_after.json
# (commit 4d6a3d98). WETH (reserve 0xC02a...6Cc2): ltv 8050, liquidationThreshold 8300, liquidationBonus
# 10500, liquidationProtocolFee 1000, reserveFactor 1500; rate strategy 0xA901...F276: optimalUsageRatio
# 0.8e27, baseVariableBorrowRate 0, variableRateSlope1 0.028e27, variableRateSlope2 0.8e27.
# USDC (reserve 0xA0b8...eB48): ltv 7700, liquidationThreshold 8000, liquidationBonus 10450,
# liquidationProtocolFee 2000, reserveFactor 1000; strategy 0x8F18...Ba6E: optimalUsageRatio 0.9e27,
# base 0, variableRateSlope1 0.035e27, variableRateSlope2 0.6e27.
# Governance changes these often (e.g. WETH's optimal ratio went to 90 % in January 2024 and USDC's
# LTV/LT to 75 %/78 % in April 2024, per later AIPs in the same repository): a dated example, not live data.
_AAVE_2023_SOURCE = ("github.com/bgd-labs/aave-proposals-v3, reports/AaveV3Ethereum_"
                     "UpgradeAaveV3ETHPooolWETHParameters_20231031_after.json (Aave v3 Ethereum config report)")

MARKETS: dict[str, MarketSnapshot] = {
    "Aave v3 Ethereum WETH (2023-10-31 snapshot)": MarketSnapshot(
        name="Aave v3 Ethereum WETH (2023-10-31 snapshot)",
        model=InterestRateModel(0.80, 0.0, 0.028, 0.80, reserve_factor=0.15),
        ltv=0.805, liquidation_threshold=0.83, liquidation_bonus=0.05,
        source=_AAVE_2023_SOURCE, date="2023-10-31", liquidation_protocol_fee=0.10,
    ),
    "Aave v3 Ethereum USDC (2023-10-31 snapshot)": MarketSnapshot(
        name="Aave v3 Ethereum USDC (2023-10-31 snapshot)",
        model=InterestRateModel(0.90, 0.0, 0.035, 0.60, reserve_factor=0.10),
        ltv=0.77, liquidation_threshold=0.80, liquidation_bonus=0.045,
        source=_AAVE_2023_SOURCE, date="2023-10-31", liquidation_protocol_fee=0.20,
    ),
    # The worked example of notebook 09 (an Aave-style curve), not a live market.
    "Textbook kink (example)": MarketSnapshot(
        name="Textbook kink (example)",
        model=InterestRateModel(0.80, 0.0, 0.04, 0.75, reserve_factor=0.10),
        ltv=0.75, liquidation_threshold=0.80, liquidation_bonus=0.05,
        source="course example", date="-",
    ),
    # Compound v2's own unit-test parameters (tests/Models/InterestRateModelTest.js); the collateral
    # numbers are illustrative (Compound v2 sets one collateral factor per market, no separate LT).
    "Compound v2 jump rate (test parameters)": MarketSnapshot(
        name="Compound v2 jump rate (test parameters)",
        model=JumpRateModel(0.10, 0.20, 0.90, 1.00, reserve_factor=0.10),
        ltv=0.75, liquidation_threshold=0.80, liquidation_bonus=0.08,
        source="github.com/compound-finance/compound-protocol tests (rate parameters only; "
               "collateral numbers illustrative)",
        date="-",
    ),
}


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


# ---------------------------------------------------------------------------
# A lending pool with state
# ---------------------------------------------------------------------------

class LendingPool:
    """A single-asset lending pool: suppliers earn, borrowers pay, the treasury keeps a cut.

    Teaching version in floats, with Aave-style bookkeeping: suppliers hold shares whose
    value grows with an exchange rate (like aTokens), borrowers hold debt scaled by a
    borrow index, and the treasury's cut (the reserve factor) is minted to it as shares, so
    reserves earn the supply rate too. Interest accrues linearly over each step
    (``accrue``); the rate is re-read from the model after every action, so utilisation
    moves the rates. Collateral checks are not part of the pool (see :func:`health_factor`).
    The books always balance: ``cash + borrows == supplies + reserves``.

    Parameters
    ----------
    model : InterestRateModel or JumpRateModel
        The rate curve; its ``reserve_factor`` sets the treasury's cut.
    asset : str, default "USDC"
        Label of the token (for printing).

    Examples
    --------
    >>> pool = LendingPool(InterestRateModel(0.80, 0.0, 0.04, 0.75, reserve_factor=0.10))
    >>> pool.supply("alice", 1000.0); pool.borrow("bob", 800.0)
    >>> round(pool.borrow_rate, 4), round(pool.supply_rate, 4)
    (0.04, 0.0288)
    >>> pool.accrue(1.0)            # one year
    >>> round(pool.balance_of("alice"), 2), round(pool.debt_of("bob"), 2), round(pool.reserves, 2)
    (1028.8, 832.0, 3.2)

    Source: Aave v3 ``ReserveLogic`` (liquidity and borrow indexes, ``accruedToTreasury``).
    Notebook 09.
    """

    def __init__(self, model: InterestRateModel | JumpRateModel, asset: str = "USDC"):
        if not isinstance(model, (InterestRateModel, JumpRateModel)):
            fail("model", "an InterestRateModel or a JumpRateModel", model, exc=TypeError)
        self.model = model
        self.asset = str(asset)
        self.cash = 0.0
        self.borrows = 0.0
        self.borrow_index = 1.0
        self.time = 0.0  # years since creation
        self._shares: dict[str, float] = {}
        self._treasury_shares = 0.0
        self._total_shares = 0.0  # suppliers' and treasury's
        self._scaled_debt: dict[str, float] = {}

    # -- views --------------------------------------------------------------
    @property
    def exchange_rate(self) -> float:
        """Tokens per supply share (starts at 1, grows with interest)."""
        if self._total_shares <= 0:
            return 1.0
        return (self.cash + self.borrows) / self._total_shares

    @property
    def reserves(self) -> float:
        """The treasury's balance (tokens): its cut of all interest so far, plus interest on it."""
        return self._treasury_shares * self.exchange_rate

    @property
    def total_supplied(self) -> float:
        """What suppliers (not the treasury) own in total (tokens)."""
        return (self._total_shares - self._treasury_shares) * self.exchange_rate

    @property
    def available_liquidity(self) -> float:
        """Cash in the pool, free to borrow or withdraw (tokens)."""
        return self.cash

    @property
    def utilization(self) -> float:
        """Borrowed / (borrowed + cash), a fraction in [0, 1]."""
        total = self.cash + self.borrows
        if self.borrows <= 0 or total <= 0:
            return 0.0
        return min(self.borrows / total, 1.0)

    @property
    def borrow_rate(self) -> float:
        """Current borrow rate (per year, a fraction)."""
        return float(self.model.borrow_rate(self.utilization))

    @property
    def supply_rate(self) -> float:
        """Current supply rate (per year, a fraction)."""
        return float(self.model.supply_rate(self.utilization))

    def balance_of(self, who: str) -> float:
        """Tokens supplier ``who`` could withdraw (principal plus interest)."""
        return self._shares.get(who, 0.0) * self.exchange_rate

    def debt_of(self, who: str) -> float:
        """Tokens borrower ``who`` owes (principal plus interest)."""
        return self._scaled_debt.get(who, 0.0) * self.borrow_index

    @property
    def suppliers(self) -> list[str]:
        """Names with a supply balance."""
        return [k for k, v in self._shares.items() if v > 0]

    @property
    def borrowers(self) -> list[str]:
        """Names with debt."""
        return [k for k, v in self._scaled_debt.items() if v > 0]

    # -- actions ------------------------------------------------------------
    def _amount(self, amount, what):
        return number("amount", amount, lo=0, hi=np.inf, lo_open=True,
                      why=f"{what} a positive number of tokens")

    def supply(self, who: str, amount: float) -> None:
        """Deposit ``amount`` tokens for ``who``; they start earning the supply rate."""
        amount = self._amount(amount, "you can supply")
        shares = amount / self.exchange_rate
        self._shares[who] = self._shares.get(who, 0.0) + shares
        self._total_shares += shares
        self.cash += amount

    def withdraw(self, who: str, amount: float | None = None) -> float:
        """Withdraw ``amount`` tokens (all of ``who``'s balance if None); returns the amount."""
        balance = self.balance_of(who)
        if amount is None:
            amount = balance
            if amount <= 0:
                fail("who", "a supplier with a balance", who, "nothing to withdraw")
        else:
            amount = self._amount(amount, "you can withdraw")
            if amount > balance * (1 + 1e-12):
                fail("amount", f"<= the balance of {who} ({balance:.6g})", amount,
                     "you cannot withdraw more than you supplied plus interest")
            amount = min(amount, balance)
        if amount > self.cash * (1 + 1e-12):
            fail("amount", f"<= the available liquidity ({self.cash:.6g})", amount,
                 "the rest is lent out; wait for repayments (this is why rates jump near 100 %)")
        amount = min(amount, self.cash)
        shares = self._shares[who] if amount == balance else amount / self.exchange_rate
        shares = min(shares, self._shares[who])
        self._shares[who] -= shares
        self._total_shares -= shares
        self.cash -= amount
        return amount

    def borrow(self, who: str, amount: float) -> None:
        """Borrow ``amount`` tokens for ``who`` (no collateral check here)."""
        amount = self._amount(amount, "you can borrow")
        if amount > self.cash * (1 + 1e-12):
            fail("amount", f"<= the available liquidity ({self.cash:.6g})", amount,
                 "a pool cannot lend more than it holds")
        amount = min(amount, self.cash)
        self._scaled_debt[who] = self._scaled_debt.get(who, 0.0) + amount / self.borrow_index
        self.borrows += amount
        self.cash -= amount

    def repay(self, who: str, amount: float | None = None) -> float:
        """Repay ``amount`` tokens of ``who``'s debt (all of it if None); returns the amount."""
        debt = self.debt_of(who)
        if amount is None:
            amount = debt
            if amount <= 0:
                fail("who", "a borrower with debt", who, "nothing to repay")
        else:
            amount = self._amount(amount, "you can repay")
            if amount > debt * (1 + 1e-12):
                fail("amount", f"<= the debt of {who} ({debt:.6g})", amount,
                     "you cannot repay more than you owe")
            amount = min(amount, debt)
        if amount == debt:
            self._scaled_debt[who] = 0.0
        else:
            self._scaled_debt[who] -= amount / self.borrow_index
        self.borrows = max(self.borrows - amount, 0.0)
        self.cash += amount
        return amount

    def accrue(self, years: float) -> None:
        """Let ``years`` pass at the current rates (simple interest over the step).

        Borrowers' debt grows by ``borrow_rate * years``; the reserve factor's share of that
        interest is minted to the treasury, the rest raises every share's value. Take small
        steps (``run``) to let the rate follow utilisation.
        """
        years = number("years", years, lo=0, hi=1000, why="time moves forward, in years")
        rate = self.borrow_rate
        interest = self.borrows * rate * years
        self.borrows += interest
        self.borrow_index *= 1.0 + rate * years
        cut = interest * self.model.reserve_factor
        value = self.cash + self.borrows
        if cut > 0 and value > cut:
            minted = cut * self._total_shares / (value - cut)
            self._treasury_shares += minted
            self._total_shares += minted
        self.time += years

    def run(self, days: float, step_days: float = 1.0) -> dict[str, np.ndarray]:
        """Accrue for ``days`` in steps of ``step_days``; returns the history as arrays.

        Keys: ``"days"``, ``"utilization"``, ``"borrow_rate"``, ``"supply_rate"``,
        ``"total_supplied"``, ``"borrows"``, ``"reserves"`` (one entry per step, plus the start).
        """
        days = number("days", days, lo=0, hi=36500, why="a duration in days")
        step_days = number("step_days", step_days, lo=0, hi=36500, lo_open=True,
                           why="a positive step in days")
        n = int(np.ceil(days / step_days - 1e-9))
        keys = ("days", "utilization", "borrow_rate", "supply_rate", "total_supplied",
                "borrows", "reserves")
        hist = {k: np.empty(n + 1) for k in keys}
        t = 0.0
        for i in range(n + 1):
            if i:
                dt = min(step_days, days - t)
                self.accrue(dt / 365.0)
                t += dt
            for k, v in zip(keys, (t, self.utilization, self.borrow_rate, self.supply_rate,
                                   self.total_supplied, self.borrows, self.reserves), strict=True):
                hist[k][i] = v
        return hist

    def __repr__(self) -> str:
        return (f"LendingPool({self.asset}: supplied={self.total_supplied:.2f}, "
                f"borrowed={self.borrows:.2f}, reserves={self.reserves:.2f}, "
                f"utilization={self.utilization:.1%}, borrow={self.borrow_rate:.2%}, "
                f"supply={self.supply_rate:.2%})")


# ---------------------------------------------------------------------------
# Positions: health, liquidation price, liquidation
# ---------------------------------------------------------------------------

def health_factor(collateral_value: Any, liquidation_threshold: Any, debt_value: Any) -> float | np.ndarray:
    """Health factor ``collateral * threshold / debt``: below 1 the position can be liquidated.

    Parameters
    ----------
    collateral_value : float or array
        Value of the collateral (USD), >= 0.
    liquidation_threshold : float or array
        Fraction of the collateral value that may back debt before liquidation, in [0, 1].
    debt_value : float or array
        Value of the debt (USD), >= 0.

    Returns
    -------
    float or array
        Unitless; ``inf`` when there is no debt.

    >>> health_factor(1000.0, 0.83, 500.0)
    1.66
    >>> health_factor(1000.0, 0.83, 0.0)
    inf

    Source: Aave v3 ``GenericLogic.calculateUserAccountData``. Notebook 09.
    """
    c = number("collateral_value", collateral_value, lo=0, hi=np.inf, why="a value in USD")
    lt = number("liquidation_threshold", liquidation_threshold, lo=0, hi=1,
                why="a fraction of the collateral value (0.83 is 83 %)")
    d = number("debt_value", debt_value, lo=0, hi=np.inf, why="a value in USD")
    d_arr = np.asarray(d, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        hf = np.where(d_arr > 0, np.asarray(c) * lt / np.where(d_arr > 0, d_arr, 1.0), np.inf)
    return _out(hf)


def max_borrow(collateral_value: Any, ltv: Any, debt_value: Any = 0.0) -> float | np.ndarray:
    """How much more can be borrowed (USD): ``collateral * LTV - debt``, never below 0.

    >>> max_borrow(1000.0, 0.8, 300.0)
    500.0

    Source: Aave v3 ``availableBorrowsBase``. Notebook 09.
    """
    c = number("collateral_value", collateral_value, lo=0, hi=np.inf, why="a value in USD")
    ltv = number("ltv", ltv, lo=0, hi=1, hi_open=True, why="loan-to-value is a fraction below 1")
    d = number("debt_value", debt_value, lo=0, hi=np.inf, why="a value in USD")
    return _out(np.maximum(np.asarray(c) * ltv - d, 0.0))


def liquidation_price(collateral_amount: Any, debt_value: Any, liquidation_threshold: Any) -> float | np.ndarray:
    """Collateral price (USD per token) at which the health factor hits 1.

    ``debt / (collateral_amount * threshold)``; 0 when there is no debt.

    >>> round(liquidation_price(1.0, 1500.0, 0.83), 2)   # 1 ETH backing 1500 USDC
    1807.23

    Notebook 09.
    """
    q = number("collateral_amount", collateral_amount, lo=0, hi=np.inf, finite=True, lo_open=True,
               why="a position needs some collateral (tokens)")
    d = number("debt_value", debt_value, lo=0, hi=np.inf, why="a value in USD")
    lt = number("liquidation_threshold", liquidation_threshold, lo=0, hi=1, lo_open=True,
                why="a fraction of the collateral value, above 0")
    return _out(np.asarray(d) / (np.asarray(q) * lt))


def _version(version: Any) -> str:
    return choice("version", version, AAVE_VERSIONS,
                  "'3.3' is Aave's liquidation rule since February 2025, '3.0' the one of v3.0-v3.2")


def close_factor(health: Any, collateral_value: Any = np.inf, debt_value: Any = np.inf,
                 version: str = "3.3") -> float | np.ndarray:
    """Share of the debt a liquidator may repay in one call, by Aave's rule for ``version``.

    0 while healthy (HF >= 1). Below 1:

    - ``"3.0"`` (Aave v3.0 to v3.2): 50 % for 0.95 < HF < 1, 100 % at or below 0.95.
    - ``"3.3"`` (Aave v3.3 and later, the default): the same, except that it is 100 % whenever the
      position's collateral or its debt is worth less than 2,000 USD
      (:data:`MIN_BASE_MAX_CLOSE_FACTOR_THRESHOLD`), so small loans are cleared in one call.

    Parameters
    ----------
    health : float or array
        Health factor(s), >= 0.
    collateral_value, debt_value : float or array, default inf (a large position)
        The position's collateral and debt in USD (Aave's base currency).
    version : {"3.3", "3.0"}

    >>> close_factor([1.2, 0.97, 0.9])                       # a large position
    array([0. , 0.5, 1. ])
    >>> close_factor(0.97, collateral_value=1940.0, debt_value=1660.0)  # under 2,000 USD
    1.0
    >>> close_factor(0.97, collateral_value=1940.0, debt_value=1660.0, version="3.0")
    0.5

    Source: ``LiquidationLogic`` of aave-v3-core (v3.0-v3.2) and of aave-dao/aave-v3-origin (v3.3+).
    Notebook 09.
    """
    hf = np.asarray(number("health", health, lo=0, hi=np.inf, why="a health factor is >= 0"))
    coll = np.asarray(number("collateral_value", collateral_value, lo=0, hi=np.inf, why="a value in USD"))
    debt = np.asarray(number("debt_value", debt_value, lo=0, hi=np.inf, why="a value in USD"))
    version = _version(version)
    partial = hf > CLOSE_FACTOR_HF_THRESHOLD
    if version == "3.3":
        partial = partial & (coll >= MIN_BASE_MAX_CLOSE_FACTOR_THRESHOLD) & (
            debt >= MIN_BASE_MAX_CLOSE_FACTOR_THRESHOLD)
    cf = np.where(hf >= 1.0, 0.0,
                  np.where(partial, DEFAULT_LIQUIDATION_CLOSE_FACTOR, MAX_LIQUIDATION_CLOSE_FACTOR))
    return _out(cf)


@dataclass(frozen=True)
class Liquidation:
    """What one liquidation call did (amounts in tokens; health factors unitless).

    ``bad_debt`` is debt the borrower no longer owes but nobody repaid (tokens): since Aave v3.3,
    when a liquidation takes the last collateral, the remaining debt is written off as the
    reserve's deficit, a loss for its suppliers unless the treasury covers it.
    """

    debt_repaid: float
    collateral_seized: float
    collateral_to_liquidator: float
    protocol_fee: float
    collateral_left: float
    debt_left: float
    health_before: float
    health_after: float
    liquidator_profit: float  # USD: collateral received minus debt repaid
    close_factor: float = 0.5
    bad_debt: float = 0.0
    version: str = "3.3"


def liquidation_call(
    collateral_amount: float,
    debt_amount: float,
    collateral_price: float,
    liquidation_threshold: float,
    liquidation_bonus: float,
    debt_price: float = 1.0,
    debt_to_cover: float | None = None,
    protocol_fee: float = 0.0,
    version: str = "3.3",
) -> Liquidation:
    """Liquidate a position as Aave v3 does: repay part of the debt, seize collateral plus a bonus.

    The liquidator may repay up to ``close_factor(...) * debt`` and receives that value in
    collateral times ``1 + liquidation_bonus``. If the collateral does not cover it, all collateral
    goes and less debt is repaid. With ``version="3.3"`` (the default, Aave since February 2025)
    two more rules apply: the close factor is 100 % for a position with less than 2,000 USD of
    collateral or debt, and a partial liquidation must leave at least 1,000 USD of both
    (``MUST_NOT_LEAVE_DUST``): an explicit ``debt_to_cover`` that would leave less is refused, and
    the default (the most allowed) is cut back to what leaves 1,000 USD of collateral. If the
    last collateral is taken, the debt left is written off as ``bad_debt`` (v3.3) instead of
    staying on the empty account (v3.0). One account with one collateral and one debt asset;
    teaching version in floats.

    Parameters
    ----------
    collateral_amount : float
        Collateral tokens held (e.g. ETH), > 0.
    debt_amount : float
        Debt tokens owed (e.g. USDC), >= 0.
    collateral_price : float
        USD per collateral token, > 0.
    liquidation_threshold : float
        Fraction in (0, 1].
    liquidation_bonus : float
        The liquidator's discount as a fraction (0.05 is Aave's 105 %), in [0, 1).
    debt_price : float, default 1
        USD per debt token, > 0.
    debt_to_cover : float, optional
        Debt the liquidator offers to repay (tokens); default: the most allowed.
    protocol_fee : float, default 0
        Share of the bonus that goes to the treasury (``liquidationProtocolFee``), in [0, 1].
    version : {"3.3", "3.0"}
        Which Aave liquidation rule (see :data:`AAVE_VERSIONS`).

    Returns
    -------
    Liquidation
        Amounts repaid and seized, what is left, and the health factor before and after.

    A large position (collateral and debt above 2,000 USD) at HF 0.976: half the debt goes.

    >>> liq = liquidation_call(2.0, 3400.0, 2000.0, 0.83, 0.05)
    >>> round(liq.health_before, 4), liq.debt_repaid, round(liq.collateral_seized, 4)
    (0.9765, 1700.0, 0.8925)

    A small one (1,700 USD of debt): since v3.3 all of it may go in one call.

    >>> liquidation_call(1.0, 1700.0, 2000.0, 0.83, 0.05).debt_repaid
    1700.0
    >>> liquidation_call(1.0, 1700.0, 2000.0, 0.83, 0.05, version="3.0").debt_repaid
    850.0

    Source: Aave v3 ``LiquidationLogic.executeLiquidationCall`` and
    ``_calculateAvailableCollateralToLiquidate`` (aave-v3-core for v3.0-v3.2;
    aave-dao/aave-v3-origin for v3.3+). Notebook 09.
    """
    q = number("collateral_amount", collateral_amount, lo=0, hi=np.inf, finite=True, lo_open=True,
               why="a position needs collateral to liquidate")
    d = number("debt_amount", debt_amount, lo=0, hi=np.inf, finite=True, why="debt in tokens")
    pc = number("collateral_price", collateral_price, lo=0, hi=np.inf, finite=True, lo_open=True,
                why="a price in USD per token")
    pd = number("debt_price", debt_price, lo=0, hi=np.inf, finite=True, lo_open=True,
                why="a price in USD per token")
    lt = number("liquidation_threshold", liquidation_threshold, lo=0, hi=1, lo_open=True,
                why="a fraction of the collateral value, above 0")
    bonus = number("liquidation_bonus", liquidation_bonus, lo=0, hi=1, hi_open=True,
                   why="the liquidator's bonus as a fraction (0.05 is 5 %)")
    fee = number("protocol_fee", protocol_fee, lo=0, hi=1, why="a share of the bonus")
    version = _version(version)
    for name, v in (("collateral_amount", q), ("debt_amount", d), ("collateral_price", pc),
                    ("debt_price", pd)):
        if np.ndim(v):
            fail(name, "a single number", v, "liquidation_call handles one position at a time",
                 TypeError)
    coll_usd, debt_usd = q * pc, d * pd
    hf = health_factor(coll_usd, lt, debt_usd)
    if hf >= 1.0:
        fail("debt_amount", "large enough that the health factor is below 1", d,
             f"the health factor is {hf:.4g}, so the position cannot be liquidated")
    cf = close_factor(hf, coll_usd, debt_usd, version)
    max_cover = cf * d
    requested = debt_to_cover is not None
    if requested:
        cover = number("debt_to_cover", debt_to_cover, lo=0, hi=np.inf, lo_open=True,
                       why="a positive number of debt tokens")
        cover = min(cover, max_cover)
    else:
        cover = max_cover

    def seized(c):
        return c * pd / pc * (1.0 + bonus)

    seize = seized(cover)
    if seize > q:
        seize = q
        cover = q * pc / pd / (1.0 + bonus)
    if version == "3.3" and cover < d and seize < q:
        debt_left_usd, coll_left_usd = (d - cover) * pd, (q - seize) * pc
        if min(debt_left_usd, coll_left_usd) < MIN_LEFTOVER_BASE:
            if requested:
                fail("debt_to_cover", "an amount that repays all the debt or leaves at least "
                     f"{MIN_LEFTOVER_BASE:,.0f} USD of debt and of collateral", debt_to_cover,
                     f"it would leave {debt_left_usd:,.2f} USD of debt and {coll_left_usd:,.2f} USD of "
                     "collateral; Aave v3.3 reverts with MUST_NOT_LEAVE_DUST")
            # the most a liquidator may repay while leaving 1,000 USD of collateral (the debt left
            # is then above half the debt, itself >= 1,000 USD when the close factor is 50 %)
            cover = (coll_usd - MIN_LEFTOVER_BASE) / (1.0 + bonus) / pd
            seize = seized(cover)
    bonus_part = seize - seize / (1.0 + bonus)
    fee_amount = bonus_part * fee
    q_left, d_left = q - seize, d - cover
    bad_debt = 0.0
    if q_left <= 0 and d_left > 0:
        if version == "3.3":  # the deficit is burned from the account and booked by the reserve
            bad_debt, d_left = d_left, 0.0
            hf_after = np.inf
        else:
            hf_after = 0.0
    else:
        hf_after = health_factor(q_left * pc, lt, d_left * pd) if d_left > 0 else np.inf
    return Liquidation(
        debt_repaid=float(cover), collateral_seized=float(seize),
        collateral_to_liquidator=float(seize - fee_amount), protocol_fee=float(fee_amount),
        collateral_left=float(q_left), debt_left=float(d_left),
        health_before=float(hf), health_after=float(hf_after),
        liquidator_profit=float((seize - fee_amount) * pc - cover * pd),
        close_factor=float(cf), bad_debt=float(bad_debt), version=version,
    )


@dataclass
class PositionHistory:
    """A borrower's position along a price path (arrays, one entry per step).

    ``price`` (USD per collateral token), ``collateral`` (tokens), ``debt`` (debt tokens),
    ``health`` (health factor at the end of the step, after any liquidation),
    ``health_before`` (the health factor liquidators saw at that step, before acting: it is the
    one that crosses 1), ``liquidated`` (True on steps with a liquidation), ``liquidations`` (the
    :class:`Liquidation` records) and ``bad_debt`` (debt written off, tokens, in total).
    """

    price: np.ndarray
    collateral: np.ndarray
    debt: np.ndarray
    health: np.ndarray
    liquidated: np.ndarray
    liquidations: list = field(default_factory=list)
    health_before: np.ndarray | None = None
    bad_debt: float = 0.0

    @property
    def equity(self) -> np.ndarray:
        """Collateral value minus debt (USD, with a debt price of 1)."""
        return self.collateral * self.price - self.debt

    @property
    def first_liquidation(self) -> int:
        """Index of the first liquidated step, or -1 if none."""
        idx = np.flatnonzero(self.liquidated)
        return int(idx[0]) if idx.size else -1

    @property
    def liquidation_days(self) -> np.ndarray:
        """Indices of every liquidated step."""
        return np.flatnonzero(self.liquidated)


def simulate_position(
    prices: Any,
    collateral_amount: float,
    debt: float,
    liquidation_threshold: float,
    liquidation_bonus: float,
    borrow_rate: float = 0.0,
    dt_years: float = 1.0 / 365.0,
    version: str = "3.3",
) -> PositionHistory:
    """Follow a borrower's health along a collateral price path, liquidating when it drops below 1.

    Debt (in a stablecoin worth 1 USD) grows at ``borrow_rate`` per year; at each step the
    health factor is read (``health_before``), and if it is below 1 a liquidator repays as much
    as Aave's rule for ``version`` allows (one call per step). Teaching version in floats.

    Parameters
    ----------
    prices : array
        Collateral price per step (USD per token), all > 0; ``prices[0]`` is the start.
    collateral_amount : float
        Collateral tokens at the start, > 0.
    debt : float
        Debt at the start (USD), >= 0.
    liquidation_threshold, liquidation_bonus : float
        As in :func:`liquidation_call`.
    borrow_rate : float, default 0
        Borrow rate per year (a fraction, simple interest per step).
    dt_years : float, default 1/365
        Length of a step in years.
    version : {"3.3", "3.0"}
        Aave's liquidation rule (see :func:`close_factor`).

    Returns
    -------
    PositionHistory

    1 ETH backing 1,500 USDC: on step 2 the health factor is 0.985 and the collateral is worth
    1,780 USD, under 2,000 USD, so since v3.3 the whole debt is repaid at once:

    >>> h = simulate_position([2000, 1900, 1780, 1700], 1.0, 1500.0, 0.83, 0.05)
    >>> h.first_liquidation, h.health_before.round(3).tolist(), h.debt.tolist()
    (2, [1.107, 1.051, 0.985, inf], [1500.0, 1500.0, 0.0, 0.0])
    >>> simulate_position([2000, 1900, 1780, 1700], 1.0, 1500.0, 0.83, 0.05, version="3.0").debt.tolist()
    [1500.0, 1500.0, 750.0, 750.0]

    Notebook 09.
    """
    p = number("prices", prices, lo=0, hi=np.inf, lo_open=True, why="prices in USD per token")
    p = np.atleast_1d(np.asarray(p, dtype=float))
    if p.ndim != 1:
        fail("prices", "a 1-D array (one price path)", f"shape {p.shape}", exc=ValueError)
    q = number("collateral_amount", collateral_amount, lo=0, hi=np.inf, finite=True, lo_open=True,
               why="a position needs collateral (tokens)")
    d = number("debt", debt, lo=0, hi=np.inf, why="debt in USD")
    lt = number("liquidation_threshold", liquidation_threshold, lo=0, hi=1, lo_open=True,
                why="a fraction of the collateral value, above 0")
    bonus = number("liquidation_bonus", liquidation_bonus, lo=0, hi=1, hi_open=True,
                   why="the liquidator's bonus as a fraction (0.05 is 5 %)")
    r = number("borrow_rate", borrow_rate, lo=0, hi=100, why="a yearly rate as a fraction")
    dt = number("dt_years", dt_years, lo=0, hi=100, lo_open=True, why="a step length in years")
    version = _version(version)
    n = p.size
    coll, debts, hfs, before = np.empty(n), np.empty(n), np.empty(n), np.empty(n)
    liq = np.zeros(n, dtype=bool)
    records = []
    for i in range(n):
        if i:
            d *= 1.0 + r * dt
        hf = q * p[i] * lt / d if d > 0 else np.inf  # plain floats: this loop runs per step
        before[i] = hf
        if q > 0 and d > 0 and hf < 1.0:
            rec = liquidation_call(q, d, p[i], lt, bonus, version=version)
            records.append(rec)
            q, d = rec.collateral_left, rec.debt_left
            liq[i] = True
            hf = rec.health_after
        coll[i], debts[i], hfs[i] = q, d, hf
    return PositionHistory(price=p, collateral=coll, debt=debts, health=hfs,
                           liquidated=liq, liquidations=records, health_before=before,
                           bad_debt=float(sum(r.bad_debt for r in records)))


# ---------------------------------------------------------------------------
# Lending a stablecoin: spreading it over protocols
# ---------------------------------------------------------------------------

@dataclass(frozen=True)
class LendingOutcomes:
    """Every possible one-year outcome of a stablecoin deposit, with its probability (exact).

    ``returns`` (fractions of the capital, sorted from worst to best) and ``probabilities`` (they
    sum to 1). ``n_protocols`` and ``assumptions`` record the inputs.
    """

    returns: np.ndarray
    probabilities: np.ndarray
    n_protocols: int
    assumptions: dict

    @property
    def mean(self) -> float:
        """Expected return (a fraction)."""
        return float(np.dot(self.returns, self.probabilities))

    @property
    def std(self) -> float:
        """Standard deviation of the return."""
        return float(np.sqrt(np.dot((self.returns - self.mean) ** 2, self.probabilities)))

    def prob_below(self, threshold: float) -> float:
        """Probability that the return is below ``threshold`` (e.g. -0.2: losing more than 20 %)."""
        t = number("threshold", threshold, lo=-1, hi=np.inf, why="a return as a fraction")
        return float(self.probabilities[self.returns < t].sum())

    def quantile(self, q: float) -> float:
        """The return that the worst ``q`` of outcomes do not beat (q = 0.01: the 1-in-100 year)."""
        q = number("q", q, lo=0, hi=1, lo_open=True, why="a probability")
        cum = np.cumsum(self.probabilities)
        return float(self.returns[np.searchsorted(cum, q - 1e-12)])


def stablecoin_lending_outcomes(
    n_protocols: int = 1,
    supply_apy: float = 0.05,
    *,
    exploit_probability: float = 0.02,
    exploit_loss: float = 1.0,
    depeg_probability: float = 0.0,
    depeg_loss: float = 0.0,
) -> LendingOutcomes:
    """One year of lending a stablecoin, split equally over ``n_protocols`` lending protocols.

    Each protocol pays ``supply_apy`` and, independently of the others, is exploited during the
    year with probability ``exploit_probability``, losing ``exploit_loss`` of what was deposited
    there (interest included). The stablecoin itself loses its peg with probability
    ``depeg_probability``, ending the year worth ``1 - depeg_loss`` USD: that hits every protocol
    at once, because they all hold the same coin. The outcomes are enumerated exactly (a
    binomial number of exploits times depeg or not), so there is no sampling noise. A teaching
    model: real exploits are rarer for older protocols, often partly recovered, and not
    independent (protocols share code, oracles and collateral).

    Parameters
    ----------
    n_protocols : int, default 1
        Protocols the capital is split over, equally (1 to 100).
    supply_apy : float, default 0.05
        Yearly supply yield in every protocol (a fraction).
    exploit_probability : float, default 0.02
        Chance per protocol per year of an exploit, in [0, 1].
    exploit_loss : float, default 1.0
        Share of a protocol's deposits lost in an exploit, in [0, 1].
    depeg_probability, depeg_loss : float, default 0
        Chance of a depeg during the year, and the coin's loss of value at the year's end.

    Returns
    -------
    LendingOutcomes

    >>> one = stablecoin_lending_outcomes(1)
    >>> four = stablecoin_lending_outcomes(4)
    >>> round(one.mean, 4), round(four.mean, 4)           # the same expected return
    (0.029, 0.029)
    >>> round(one.prob_below(-0.4), 4), round(four.prob_below(-0.4), 4)   # losing over 40 %
    (0.02, 0.0023)
    >>> round(one.prob_below(0.0), 4), round(four.prob_below(0.0), 4)    # losing anything
    (0.02, 0.0776)

    Notebook 09.
    """
    from math import comb

    n = integer("n_protocols", n_protocols, lo=1, hi=100, why="a whole number of protocols")
    apy = number("supply_apy", supply_apy, lo=-1, hi=10, why="a yearly yield as a fraction")
    pe = number("exploit_probability", exploit_probability, lo=0, hi=1, why="a probability")
    le = number("exploit_loss", exploit_loss, lo=0, hi=1, why="a share of the deposit")
    pdp = number("depeg_probability", depeg_probability, lo=0, hi=1, why="a probability")
    ld = number("depeg_loss", depeg_loss, lo=0, hi=1, why="a share of the coin's value")
    for name, v in (("supply_apy", apy), ("exploit_probability", pe), ("exploit_loss", le),
                    ("depeg_probability", pdp), ("depeg_loss", ld)):
        if np.ndim(v):
            fail(name, "a single number", v, exc=TypeError)
    rets, probs = [], []
    for k in range(n + 1):
        pk = comb(n, k) * pe**k * (1.0 - pe) ** (n - k)
        kept = (1.0 + apy) * (1.0 - le * k / n)
        for depegged, pd_ in ((False, 1.0 - pdp), (True, pdp)):
            if pk * pd_ == 0.0:
                continue
            rets.append(kept * (1.0 - ld if depegged else 1.0) - 1.0)
            probs.append(pk * pd_)
    rets, probs = np.array(rets), np.array(probs)
    order = np.argsort(rets, kind="stable")
    return LendingOutcomes(returns=rets[order], probabilities=probs[order], n_protocols=n,
                           assumptions=dict(supply_apy=apy, exploit_probability=pe, exploit_loss=le,
                                            depeg_probability=pdp, depeg_loss=ld))
