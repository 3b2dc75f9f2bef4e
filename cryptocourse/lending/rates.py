"""Interest-rate models (Aave's two-slope curve, Compound's jump rate) in floats, and dated market snapshots."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from cryptocourse._validate import number, scalar_out

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
