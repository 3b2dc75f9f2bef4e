"""Positions: health factor, liquidation price, Aave's close factor by version, liquidation calls, a position over time."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from cryptocourse._validate import choice, fail, number

from .rates import (
    AAVE_VERSIONS,
    CLOSE_FACTOR_HF_THRESHOLD,
    DEFAULT_LIQUIDATION_CLOSE_FACTOR,
    MAX_LIQUIDATION_CLOSE_FACTOR,
    MIN_BASE_MAX_CLOSE_FACTOR_THRESHOLD,
    MIN_LEFTOVER_BASE,
    _out,
)

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
    c = number("collateral_value", collateral_value, lo=0, finite=True, why="a value in USD")
    lt = number("liquidation_threshold", liquidation_threshold, lo=0, hi=1,
                why="a fraction of the collateral value (0.83 is 83 %)")
    d = number("debt_value", debt_value, lo=0, finite=True, why="a value in USD")
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
    c = number("collateral_value", collateral_value, lo=0, finite=True, why="a value in USD")
    ltv = number("ltv", ltv, lo=0, hi=1, hi_open=True, why="loan-to-value is a fraction below 1")
    d = number("debt_value", debt_value, lo=0, finite=True, why="a value in USD")
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
    d = number("debt_value", debt_value, lo=0, finite=True, why="a value in USD")
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
    # infinity is allowed here: it is the default, "a position too large for the small-loan rule"
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
        cover = number("debt_to_cover", debt_to_cover, lo=0, lo_open=True, finite=True,
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
    p = number("prices", prices, lo=0, lo_open=True, finite=True, why="prices in USD per token")
    p = np.atleast_1d(np.asarray(p, dtype=float))
    if p.ndim != 1:
        fail("prices", "a 1-D array (one price path)", f"shape {p.shape}", exc=ValueError)
    q = number("collateral_amount", collateral_amount, lo=0, hi=np.inf, finite=True, lo_open=True,
               why="a position needs collateral (tokens)")
    d = number("debt", debt, lo=0, finite=True, why="debt in USD")
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
