"""Staking: proof-of-stake rewards, delegation, lock-up, slashing and real yield.

Two kinds of function live here:

* **Exact (integer) Ethereum consensus math** (``eth_*`` functions taking and
  returning ``int`` Gwei), written from the Ethereum consensus specifications
  (https://github.com/ethereum/consensus-specs, ``specs/phase0``, ``altair``,
  ``bellatrix`` and ``electra/beacon-chain.md``, read 2026-11). They agree with the
  spec to the Gwei.
* **Teaching models** (floats, vectorised with numpy): compounding, commission,
  solo vs pool, unbonding, slashing as a random event, a seeded Monte Carlo of a
  staker's outcomes, real yield after inflation, and a network comparison driven
  by editable, illustrative assumptions.

Introduced in ``notebooks/06_staking.ipynb``.
"""
from __future__ import annotations

import copy
import math
from dataclasses import dataclass
from statistics import NormalDist
from typing import Any

import numpy as np

from cryptocourse._validate import choice, fail, integer, number, scalar_out

__all__ = [
    "EFFECTIVE_BALANCE_INCREMENT", "BASE_REWARD_FACTOR", "REWARD_WEIGHTS", "WEIGHT_DENOMINATOR",
    "EPOCHS_PER_YEAR", "ETH_APR_CONSTANT", "FORKS", "MIN_SLASHING_PENALTY_QUOTIENT",
    "PROPORTIONAL_SLASHING_MULTIPLIER", "GWEI_PER_ETH",
    "integer_squareroot", "eth_base_reward_per_increment", "eth_base_reward", "eth_staking_apr",
    "eth_annual_issuance", "eth_slashing_initial_penalty", "eth_slashing_correlation_penalty",
    "eth_slashing_penalties",
    "compound_growth", "delegator_apr", "solo_validator_apr", "real_staking_yield",
    "expected_slashing_loss", "unbonding_price_risk", "unbonding_reward_forgone",
    "StakingOutcomes", "simulate_staking", "NETWORKS", "network_assumptions", "compare_networks",
]

# ---------------------------------------------------------------------------
# Ethereum consensus constants (mainnet preset), with where they are defined.
# ---------------------------------------------------------------------------
GWEI_PER_ETH = 10**9
# phase0/beacon-chain.md, "Gwei values": EFFECTIVE_BALANCE_INCREMENT = Gwei(2**0 * 10**9)
EFFECTIVE_BALANCE_INCREMENT = 2**0 * 10**9
# phase0/beacon-chain.md, "Rewards and penalties": BASE_REWARD_FACTOR = uint64(2**6)
BASE_REWARD_FACTOR = 2**6
# altair/beacon-chain.md, "Incentivization weights": TIMELY_SOURCE_WEIGHT = 14,
# TIMELY_TARGET_WEIGHT = 26, TIMELY_HEAD_WEIGHT = 14, SYNC_REWARD_WEIGHT = 2,
# PROPOSER_WEIGHT = 8, WEIGHT_DENOMINATOR = 64 (the five weights sum to 64).
REWARD_WEIGHTS = {"source": 14, "target": 26, "head": 14, "sync": 2, "proposer": 8}
WEIGHT_DENOMINATOR = 64
# phase0: SECONDS_PER_SLOT = 12, SLOTS_PER_EPOCH = 32 -> one epoch = 384 s.
SECONDS_PER_EPOCH = 12 * 32
EPOCHS_PER_YEAR = 365.25 * 24 * 3600 / SECONDS_PER_EPOCH  # 82,181.25 epochs
# phase0: EPOCHS_PER_SLASHINGS_VECTOR = 2**13: a slashed validator waits at least this
# many epochs (~36 days) before it can withdraw; the correlation penalty is applied
# half-way (altair+: slashed validators also miss source/target rewards meanwhile).
EPOCHS_PER_SLASHINGS_VECTOR = 2**13
# APR under ideal participation is BASE_REWARD_FACTOR * EPOCHS_PER_YEAR / sqrt(N Gwei):
# 64 * 82181.25 / sqrt(10**9) = 166.3..., so APR ~ 166.3 / sqrt(N ETH) (a fraction).
ETH_APR_CONSTANT = BASE_REWARD_FACTOR * EPOCHS_PER_YEAR / math.sqrt(EFFECTIVE_BALANCE_INCREMENT)

FORKS = ("phase0", "altair", "bellatrix", "electra")
# Initial slashing penalty = effective_balance // quotient.
# phase0: MIN_SLASHING_PENALTY_QUOTIENT = 2**7; altair: ..._ALTAIR = 2**6;
# bellatrix (also capella, deneb): ..._BELLATRIX = 2**5; electra: ..._ELECTRA = 2**12 (EIP-7251).
MIN_SLASHING_PENALTY_QUOTIENT = {"phase0": 128, "altair": 64, "bellatrix": 32, "electra": 4096}
# Correlation penalty scales with total slashed in the last ~36 days times this multiplier.
# phase0: PROPORTIONAL_SLASHING_MULTIPLIER = 1; altair: ..._ALTAIR = 2;
# bellatrix: ..._BELLATRIX = 3; electra keeps ..._BELLATRIX but changes the rounding.
PROPORTIONAL_SLASHING_MULTIPLIER = {"phase0": 1, "altair": 2, "bellatrix": 3, "electra": 3}

_FORK_WHY = "capella and deneb use the bellatrix rules"


def _gwei(name: str, value: Any, lo: int = 0, why: str = "") -> int:
    """An exact int amount: type error with the int hint first, then the bound with ``why``."""
    return integer(name, integer(name, value), lo=lo, why=why)


# ---------------------------------------------------------------------------
# Exact Ethereum consensus math (ints, Gwei)
# ---------------------------------------------------------------------------
def integer_squareroot(n: int) -> int:
    """Largest integer ``x`` with ``x * x <= n`` (the spec's ``integer_squareroot``); exact int.

    The spec computes it with Newton's method; ``math.isqrt`` returns the same value.

    Parameters
    ----------
    n : int
        A non-negative integer.

    Returns
    -------
    int

    Examples
    --------
    >>> integer_squareroot(10**15)
    31622776

    Source: consensus-specs ``specs/phase0/beacon-chain.md`` (``integer_squareroot``).
    Notebook: 06_staking.
    """
    n = _gwei("n", n, lo=0, why="a square root needs a non-negative number")
    return math.isqrt(n)


def eth_base_reward_per_increment(total_active_balance_gwei: int) -> int:
    """Base reward per 1 ETH of effective balance per epoch, in Gwei (exact int).

    ``EFFECTIVE_BALANCE_INCREMENT * BASE_REWARD_FACTOR // integer_squareroot(total)``.
    Under ideal participation a validator earns this much per ETH per epoch in
    total (the five reward weights add up to the whole).

    Parameters
    ----------
    total_active_balance_gwei : int
        Sum of all active validators' effective balances, in Gwei (>= 1 ETH).

    Returns
    -------
    int
        Gwei per epoch per ETH of effective balance.

    Examples
    --------
    >>> eth_base_reward_per_increment(10_000_000 * 10**9)
    640

    Source: consensus-specs ``specs/altair/beacon-chain.md``
    (``get_base_reward_per_increment``). Notebook: 06_staking.
    """
    total = _gwei("total_active_balance_gwei", total_active_balance_gwei,
                  lo=EFFECTIVE_BALANCE_INCREMENT,
                  why="the spec floors the total at one increment (1 ETH = 10**9 Gwei)")
    return EFFECTIVE_BALANCE_INCREMENT * BASE_REWARD_FACTOR // math.isqrt(total)


def eth_base_reward(effective_balance_gwei: int, total_active_balance_gwei: int) -> int:
    """A validator's base reward per epoch, in Gwei (exact int).

    ``effective_balance // EFFECTIVE_BALANCE_INCREMENT * base_reward_per_increment``.

    Parameters
    ----------
    effective_balance_gwei : int
        The validator's effective balance in Gwei (32 ETH = 32 * 10**9).
    total_active_balance_gwei : int
        Total active balance in Gwei.

    Returns
    -------
    int
        Gwei per epoch.

    Examples
    --------
    >>> eth_base_reward(32 * 10**9, 10_000_000 * 10**9)
    20480

    Source: consensus-specs ``specs/altair/beacon-chain.md`` (``get_base_reward``).
    Notebook: 06_staking.
    """
    eff = integer("effective_balance_gwei", effective_balance_gwei, lo=0)
    increments = eff // EFFECTIVE_BALANCE_INCREMENT
    return increments * eth_base_reward_per_increment(total_active_balance_gwei)


def eth_staking_apr(total_staked_eth: Any, exact: bool = True) -> float | np.ndarray:
    """Ethereum's consensus-layer staking APR under ideal participation (fraction per year).

    ``base_reward_per_increment * EPOCHS_PER_YEAR / 10**9``: each ETH staked earns
    one base reward per epoch when every validator does its duties. ``exact=True``
    uses the spec's integer base reward (total floored to whole ETH);
    ``exact=False`` the smooth curve ``ETH_APR_CONSTANT / sqrt(N)`` with
    ``ETH_APR_CONSTANT = 64 * 82181.25 / sqrt(10**9) = 166.3``. Excludes
    execution-layer tips and MEV, and the loss from missed duties.

    Parameters
    ----------
    total_staked_eth : float or array
        Total ETH staked on the network (>= 1).
    exact : bool
        Integer spec math (default) or the smooth approximation.

    Returns
    -------
    float or ndarray
        APR as a fraction (0.0526 = 5.26 % per year).

    Examples
    --------
    >>> round(eth_staking_apr(10_000_000), 4)
    0.0526

    Source: consensus-specs ``specs/altair/beacon-chain.md``; epoch length from
    ``specs/phase0``. Notebook: 06_staking.
    """
    n = number("total_staked_eth", total_staked_eth, lo=1.0, hi=1e12,
               why="the spec needs at least 1 ETH staked; 1e12 ETH is far above any supply")
    if not exact:
        return ETH_APR_CONSTANT / np.sqrt(n) if isinstance(n, np.ndarray) else ETH_APR_CONSTANT / math.sqrt(n)
    flat = np.atleast_1d(n).ravel()
    reward = np.array([eth_base_reward_per_increment(int(x) * GWEI_PER_ETH) for x in flat], dtype=float)
    apr = reward * EPOCHS_PER_YEAR / GWEI_PER_ETH
    if isinstance(n, np.ndarray):
        return apr.reshape(n.shape)
    return float(apr[0])


def eth_annual_issuance(total_staked_eth: Any, exact: bool = True) -> float | np.ndarray:
    """New ETH issued to stakers per year under ideal participation (ETH per year).

    ``total_staked_eth * eth_staking_apr(total_staked_eth)``: grows like sqrt(N)
    while the APR falls like 1/sqrt(N).

    Parameters
    ----------
    total_staked_eth : float or array
        Total ETH staked (>= 1).
    exact : bool
        As in :func:`eth_staking_apr`.

    Returns
    -------
    float or ndarray
        ETH per year.

    Examples
    --------
    >>> round(eth_annual_issuance(10_000_000))
    525960

    Source: consensus-specs (altair). Notebook: 06_staking.
    """
    n = number("total_staked_eth", total_staked_eth, lo=1.0, hi=1e12)
    if isinstance(n, np.ndarray):
        n = np.floor(n) if exact else n
    elif exact:
        n = float(math.floor(n))
    return n * eth_staking_apr(n, exact=exact)


def _fork(fork: str) -> str:
    return choice("fork", fork, FORKS, why=_FORK_WHY)


def eth_slashing_initial_penalty(effective_balance_gwei: int, fork: str = "electra") -> int:
    """The immediate penalty when a validator is slashed, in Gwei (exact int).

    ``effective_balance // MIN_SLASHING_PENALTY_QUOTIENT_<fork>``: 1/128 (phase0),
    1/64 (altair), 1/32 (bellatrix, capella, deneb), 1/4096 (electra).

    Parameters
    ----------
    effective_balance_gwei : int
        The slashed validator's effective balance in Gwei.
    fork : {"phase0", "altair", "bellatrix", "electra"}
        Which rules apply (default: electra, live since May 2025).

    Returns
    -------
    int
        Gwei taken at once.

    Examples
    --------
    >>> eth_slashing_initial_penalty(32 * 10**9, fork="bellatrix")
    1000000000
    >>> eth_slashing_initial_penalty(32 * 10**9, fork="electra")
    7812500

    Source: consensus-specs ``slash_validator`` in phase0/altair/bellatrix/electra
    ``beacon-chain.md``. Notebook: 06_staking.
    """
    eff = integer("effective_balance_gwei", effective_balance_gwei, lo=0)
    return eff // MIN_SLASHING_PENALTY_QUOTIENT[_fork(fork)]


def eth_slashing_correlation_penalty(
    effective_balance_gwei: int,
    total_slashed_gwei: int,
    total_active_balance_gwei: int,
    fork: str = "electra",
) -> int:
    """The correlation penalty, charged ~18 days after a slashing, in Gwei (exact int).

    It grows with how much stake was slashed in the surrounding ~36 days: a lone
    mistake costs little, a coordinated attack by 1/3 of the stake costs everything.
    ``adjusted = min(total_slashed * PROPORTIONAL_SLASHING_MULTIPLIER_<fork>, total)``;
    before electra ``eff // inc * adjusted // total * inc`` (rounds small penalties
    down to 0 whole ETH); electra ``adjusted // (total // inc) * (eff // inc)``.

    Parameters
    ----------
    effective_balance_gwei : int
        The slashed validator's effective balance in Gwei.
    total_slashed_gwei : int
        Sum of effective balances slashed in the last EPOCHS_PER_SLASHINGS_VECTOR
        epochs (``sum(state.slashings)``), including this validator, in Gwei.
    total_active_balance_gwei : int
        Total active balance in Gwei.
    fork : {"phase0", "altair", "bellatrix", "electra"}

    Returns
    -------
    int
        Gwei; never more than the effective balance.

    Examples
    --------
    >>> total = 34_000_000 * 10**9
    >>> eth_slashing_correlation_penalty(32 * 10**9, 32 * 10**9, total, fork="bellatrix")
    0
    >>> eth_slashing_correlation_penalty(32 * 10**9, 32 * 10**9, total, fork="electra")
    90336

    Source: consensus-specs ``process_slashings`` in bellatrix and electra
    ``beacon-chain.md``. Notebook: 06_staking.
    """
    eff = integer("effective_balance_gwei", effective_balance_gwei, lo=0)
    total = _gwei("total_active_balance_gwei", total_active_balance_gwei,
                  lo=EFFECTIVE_BALANCE_INCREMENT,
                  why="the spec floors the total at one increment (10**9 Gwei)")
    slashed = integer("total_slashed_gwei", total_slashed_gwei, lo=0)
    if eff > total:
        fail("effective_balance_gwei", f"<= total_active_balance_gwei ({total})", eff,
             why="one validator cannot hold more than the whole network")
    if slashed > total:
        fail("total_slashed_gwei", f"<= total_active_balance_gwei ({total})", slashed,
             why="no more stake can be slashed than is active")
    fork = _fork(fork)
    inc = EFFECTIVE_BALANCE_INCREMENT
    adjusted = min(slashed * PROPORTIONAL_SLASHING_MULTIPLIER[fork], total)
    if fork == "electra":
        return adjusted // (total // inc) * (eff // inc)
    return eff // inc * adjusted // total * inc


def eth_slashing_penalties(
    effective_balance_gwei: int,
    total_slashed_gwei: int,
    total_active_balance_gwei: int,
    fork: str = "electra",
) -> dict[str, int]:
    """All the Gwei a slashed validator loses, by part (exact ints, capped at the balance).

    ``initial`` and ``correlation`` follow the spec exactly. ``missed_duties`` is
    the source and target penalties a slashed validator pays every epoch until it
    can withdraw (altair+ rules, for the minimum EPOCHS_PER_SLASHINGS_VECTOR =
    8192 epochs, holding the effective balance fixed: a close estimate, since the
    real effective balance may drop by 1 ETH steps on the way). ``total`` never
    exceeds the effective balance (a balance cannot go below 0).

    Parameters
    ----------
    effective_balance_gwei, total_slashed_gwei, total_active_balance_gwei : int
        As in :func:`eth_slashing_correlation_penalty`, in Gwei.
    fork : {"phase0", "altair", "bellatrix", "electra"}

    Returns
    -------
    dict
        ``initial``, ``correlation``, ``missed_duties``, ``total`` in Gwei.

    Examples
    --------
    >>> p = eth_slashing_penalties(32 * 10**9, 32 * 10**9, 34_000_000 * 10**9)
    >>> p["initial"], p["correlation"], p["missed_duties"], p["total"]
    (7812500, 90336, 56852480, 64755316)

    Source: consensus-specs ``slash_validator``, ``process_slashings`` and
    ``get_flag_index_deltas`` (altair, bellatrix, electra). Notebook: 06_staking.
    """
    initial = eth_slashing_initial_penalty(effective_balance_gwei, fork)
    correlation = eth_slashing_correlation_penalty(
        effective_balance_gwei, total_slashed_gwei, total_active_balance_gwei, fork)
    base = eth_base_reward(effective_balance_gwei, total_active_balance_gwei)
    per_epoch = (base * REWARD_WEIGHTS["source"] // WEIGHT_DENOMINATOR
                 + base * REWARD_WEIGHTS["target"] // WEIGHT_DENOMINATOR)
    missed = per_epoch * EPOCHS_PER_SLASHINGS_VECTOR
    total = min(initial + correlation + missed, int(effective_balance_gwei))
    return {"initial": initial, "correlation": correlation, "missed_duties": missed, "total": total}


# ---------------------------------------------------------------------------
# Teaching models (floats, vectorised)
# ---------------------------------------------------------------------------
_out = scalar_out  # scalar in -> Python float out; arrays stay arrays


def compound_growth(apr: Any, years: Any, compounds_per_year: int = 365) -> float | np.ndarray:
    """Growth factor of a staked balance after ``years`` (teaching float).

    ``(1 + apr/n) ** (n * years)`` when rewards are restaked ``n`` times a year;
    ``1 + apr * years`` when ``n = 0`` (rewards paid out, not restaked).

    Parameters
    ----------
    apr : float or array
        Reward rate, fraction per year (>= 0).
    years : float or array
        Staking time in years (>= 0).
    compounds_per_year : int
        Restaking events per year; 0 means no compounding.

    Returns
    -------
    float or ndarray
        End balance / start balance.

    Examples
    --------
    >>> round(compound_growth(0.05, 1, 365), 5)
    1.05127
    >>> compound_growth(0.05, 2, 0)
    1.1

    Notebook: 06_staking (also 01_money_math).
    """
    r = number("apr", apr, lo=0.0, hi=10.0, why="a yearly reward rate, e.g. 0.05 for 5 %")
    t = number("years", years, lo=0.0, hi=1000.0)
    n = integer("compounds_per_year", compounds_per_year, lo=0, hi=10**6,
                why="how many times a year rewards are restaked; 0 for none")
    if n == 0:
        return _out(1.0 + r * t)
    return _out((1.0 + r / n) ** (n * t))


def delegator_apr(apr: Any, commission: Any) -> float | np.ndarray:
    """What a delegator earns after the pool's commission (fraction per year; teaching float).

    ``apr * (1 - commission)``: the pool operator keeps ``commission`` of the rewards.

    Parameters
    ----------
    apr : float or array
        The validator's gross reward rate, fraction per year.
    commission : float or array
        Share of rewards the operator keeps, in [0, 1] (0.10 = 10 %).

    Returns
    -------
    float or ndarray
        Net APR, fraction per year.

    Examples
    --------
    >>> round(delegator_apr(0.03, 0.10), 4)
    0.027

    Notebook: 06_staking.
    """
    r = number("apr", apr, lo=0.0, hi=10.0, why="a yearly reward rate, e.g. 0.05 for 5 %")
    c = number("commission", commission, lo=0.0, hi=1.0, why="a share of rewards, 0.10 for 10 %")
    return _out(r * (1.0 - c))


def solo_validator_apr(
    stake: Any, apr: Any, running_cost_per_year: Any = 0.0, minimum_stake: float = 32.0
) -> float | np.ndarray:
    """A solo validator's APR after its own running costs (teaching float).

    ``apr - running_cost_per_year / stake``; ``nan`` where ``stake`` is below the
    network's minimum (you cannot run a validator with less).

    Parameters
    ----------
    stake : float or array
        Tokens you stake (> 0).
    apr : float
        Gross reward rate, fraction per year.
    running_cost_per_year : float
        Hardware, electricity, time: in tokens per year (>= 0).
    minimum_stake : float
        Smallest stake allowed to run a validator, in tokens (Ethereum: 32 ETH).

    Returns
    -------
    float or ndarray
        Net APR (fraction per year), or nan below the minimum.

    Examples
    --------
    >>> round(solo_validator_apr(32, 0.03, 0.16), 4)
    0.025
    >>> solo_validator_apr(10, 0.03, 0.16)
    nan

    Notebook: 06_staking.
    """
    s = number("stake", stake, lo=0.0, lo_open=True, why="stake something to earn")
    r = number("apr", apr, lo=0.0, hi=10.0)
    cost = number("running_cost_per_year", running_cost_per_year, lo=0.0, hi=1e12)
    m = number("minimum_stake", minimum_stake, lo=0.0, hi=1e12)
    net = np.where(s >= m, r - cost / s, np.nan)
    return _out(net)


def real_staking_yield(apr: Any, inflation: Any) -> float | np.ndarray:
    """Growth of your share of the network per year after supply inflation (fraction).

    New tokens dilute everyone: if supply grows by ``inflation`` and your stake by
    ``apr``, your share grows by ``(1 + apr) / (1 + inflation) - 1``. A non-staker
    (``apr = 0``) loses share at ``1 / (1 + inflation) - 1``.

    Parameters
    ----------
    apr : float or array
        Your (net, compounded) yield, fraction per year.
    inflation : float or array
        Growth of the token supply, fraction per year (> -1).

    Returns
    -------
    float or ndarray
        Real yield in network share, fraction per year.

    Examples
    --------
    >>> round(real_staking_yield(0.07, 0.05), 4)
    0.019
    >>> round(real_staking_yield(0.0, 0.05), 4)
    -0.0476

    Notebook: 06_staking (the nominal/real idea is in 01_money_math).
    """
    r = number("apr", apr, lo=-1.0, hi=10.0)
    i = number("inflation", inflation, lo=-1.0, lo_open=True, hi=10.0,
               why="supply cannot shrink by 100 % or more")
    return _out((1.0 + r) / (1.0 + i) - 1.0)


def expected_slashing_loss(stake: Any, slash_prob: Any, slash_fraction: Any) -> float | np.ndarray:
    """Expected tokens lost to slashing over one period (teaching float).

    ``stake * slash_prob * slash_fraction``: with probability ``slash_prob`` the
    validator is slashed once (on Ethereum a slashed validator is ejected, so once
    is the most) and loses ``slash_fraction`` of its stake. The *expected* loss
    hides the shape: usually nothing, rarely a lot.

    Parameters
    ----------
    stake : float or array
        Tokens staked (>= 0).
    slash_prob : float or array
        Probability of being slashed in the period, in [0, 1].
    slash_fraction : float or array
        Share of the stake taken if slashed, in [0, 1].

    Returns
    -------
    float or ndarray
        Expected tokens lost.

    Examples
    --------
    >>> round(expected_slashing_loss(1000, 0.01, 0.05), 6)
    0.5

    Notebook: 06_staking.
    """
    s = number("stake", stake, lo=0.0)
    p = number("slash_prob", slash_prob, lo=0.0, hi=1.0, why="a probability")
    f = number("slash_fraction", slash_fraction, lo=0.0, hi=1.0,
               why="slashing can take at most the whole stake")
    return _out(s * p * f)


def unbonding_price_risk(price_vol: Any, unbonding_days: Any, confidence: float = 0.95) -> float | np.ndarray:
    """Price drop you might suffer while your tokens unbond (fraction of value).

    While unbonding you cannot sell. With a lognormal price of yearly volatility
    ``price_vol`` and no drift, the price falls by at least this fraction with
    probability ``1 - confidence``: ``1 - exp(-v/2 + sqrt(v) * z)``, where
    ``v = price_vol**2 * days/365`` and ``z`` is the ``1 - confidence`` normal quantile.

    Parameters
    ----------
    price_vol : float or array
        Annualised volatility of the token price (0.6 = 60 %).
    unbonding_days : float or array
        Days between asking to unstake and being able to sell.
    confidence : float
        In (0, 1), e.g. 0.95.

    Returns
    -------
    float or ndarray
        Fractional loss at that confidence (0.2 = a 20 % fall).

    Examples
    --------
    >>> round(unbonding_price_risk(0.6, 28, 0.95), 3)
    0.25

    Notebook: 06_staking.
    """
    vol = number("price_vol", price_vol, lo=0.0, hi=10.0, why="annual volatility, 0.6 for 60 %")
    days = number("unbonding_days", unbonding_days, lo=0.0, hi=3650.0)
    c = number("confidence", confidence, lo=0.0, hi=1.0, lo_open=True, hi_open=True)
    v = vol**2 * days / 365.0
    z = NormalDist().inv_cdf(1.0 - c)
    return _out(1.0 - np.exp(-v / 2.0 + np.sqrt(v) * z))


def unbonding_reward_forgone(stake: Any, apr: Any, unbonding_days: Any) -> float | np.ndarray:
    """Rewards you give up while unbonding (tokens; most networks pay none meanwhile).

    ``stake * apr * unbonding_days / 365``.

    Parameters
    ----------
    stake : float or array
        Tokens unbonding.
    apr : float or array
        Reward rate you would have earned, fraction per year.
    unbonding_days : float or array
        Length of the unbonding period in days.

    Returns
    -------
    float or ndarray
        Tokens.

    Examples
    --------
    >>> round(unbonding_reward_forgone(1000, 0.12, 28), 3)
    9.205

    Notebook: 06_staking.
    """
    s = number("stake", stake, lo=0.0)
    r = number("apr", apr, lo=0.0, hi=10.0)
    days = number("unbonding_days", unbonding_days, lo=0.0, hi=3650.0)
    return _out(s * r * days / 365.0)


@dataclass(frozen=True)
class StakingOutcomes:
    """End-of-horizon outcomes of :func:`simulate_staking`, one entry per path.

    Attributes (arrays of length ``n_paths``): ``tokens`` (tokens received after
    unbonding), ``slashed`` (bool), ``price_exit`` and ``price_received`` (token
    price in USD when you ask to unstake and when you can sell), ``value`` (USD you
    can sell for), ``value_if_liquid`` (USD had you been able to sell at once),
    ``hodl_value`` (USD if you had held the tokens unstaked and sold at the same
    time), ``share_growth`` (change of your share of the supply, a fraction).
    ``assumptions`` records the inputs.
    """

    tokens: np.ndarray
    slashed: np.ndarray
    price_exit: np.ndarray
    price_received: np.ndarray
    value: np.ndarray
    value_if_liquid: np.ndarray
    hodl_value: np.ndarray
    share_growth: np.ndarray
    assumptions: dict

    def summary(self) -> dict[str, float]:
        """Mean, median, 5th/95th percentile of ``value`` (USD), key probabilities, standard errors.

        ``se_*`` are Monte Carlo standard errors (how much the figure would move with another
        seed): ``std / sqrt(n)`` for a mean, ``sqrt(p (1 - p) / n)`` for a share of paths.
        """
        start = self.assumptions["stake"] * self.assumptions["price0"]
        v = self.value
        n = len(v)

        def se_share(p: float) -> float:
            return float(math.sqrt(p * (1.0 - p) / n))

        prob_loss = float((v < start).mean())
        beats = float((v > self.hodl_value).mean())
        slashed = float(self.slashed.mean())
        return {
            "start_value": float(start),
            "mean_value": float(v.mean()),
            "median_value": float(np.median(v)),
            "p5_value": float(np.percentile(v, 5)),
            "p95_value": float(np.percentile(v, 95)),
            "mean_tokens": float(self.tokens.mean()),
            "prob_slashed": slashed,
            "prob_loss": prob_loss,
            "prob_beats_hodl": beats,
            "mean_unbonding_cost": float((self.value_if_liquid - self.value).mean()),
            "n_paths": n,
            "se_mean_value": float(v.std(ddof=1) / math.sqrt(n)) if n > 1 else float("nan"),
            "se_mean_tokens": float(self.tokens.std(ddof=1) / math.sqrt(n)) if n > 1 else float("nan"),
            "se_prob_loss": se_share(prob_loss),
            "se_prob_slashed": se_share(slashed),
            "se_prob_beats_hodl": se_share(beats),
        }


def _draws(name: str, arr: Any, n: int | None) -> np.ndarray:
    a = number(name, arr)
    a = np.atleast_1d(a)
    if a.ndim != 1:
        fail(name, "a 1-D array (one draw per path)", f"shape {a.shape}")
    if n is not None and a.shape[0] != n:
        fail(name, f"of length {n} like the other draws", f"length {a.shape[0]}")
    return a


def simulate_staking(
    stake: float,
    apr: float,
    years: float = 1.0,
    *,
    commission: float = 0.0,
    compounds_per_year: int = 365,
    slash_prob: float = 0.0,
    slash_fraction: float = 0.0,
    price0: float = 1.0,
    price_vol: float = 0.0,
    price_drift: float = 0.0,
    unbonding_days: float = 0.0,
    inflation: float = 0.0,
    n_paths: int = 10_000,
    seed: int | np.random.Generator = 2026,
    u_slash: Any = None,
    z_hold: Any = None,
    z_unbond: Any = None,
) -> StakingOutcomes:
    """Monte Carlo of one staker's outcomes over many seeded paths (teaching floats).

    Model: rewards at ``delegator_apr(apr, commission)`` compounded
    ``compounds_per_year`` times; with probability ``1 - (1 - slash_prob)**years``
    the position is slashed once and loses ``slash_fraction`` of its balance; at
    ``years`` you ask to unstake and wait ``unbonding_days`` without rewards while
    the price keeps moving (geometric Brownian motion with yearly ``price_drift``
    and ``price_vol``). Supply grows by ``inflation`` a year.

    Random inputs come from ``seed`` unless you pass the draws yourself (one per
    path, e.g. correlated normals from a portfolio model): ``u_slash`` uniform in
    [0, 1), ``z_hold`` and ``z_unbond`` standard normal.

    Parameters
    ----------
    stake : float
        Tokens staked (> 0).
    apr : float
        Gross reward rate, fraction per year.
    years : float
        Time staked before asking to unstake, in years.
    commission : float
        Pool's share of rewards in [0, 1] (0 for a solo validator).
    compounds_per_year : int
        Restakes per year (0 = rewards not restaked).
    slash_prob : float
        Probability of being slashed per year, in [0, 1].
    slash_fraction : float
        Share of the balance lost if slashed, in [0, 1].
    price0 : float
        Token price today, USD.
    price_vol, price_drift : float
        Yearly volatility of the token price (of its log-returns) and its drift: the expected
        growth per year (0 = no expected gain or loss; the log-price then drifts down by
        ``price_vol**2 / 2`` a year, so the median path ends below the mean).
    unbonding_days : float
        Days from asking to unstake until you can sell.
    inflation : float
        Token supply growth per year (for ``share_growth``).
    n_paths : int
        Number of paths (ignored if draws are given).
    seed : int or numpy Generator
        Seed for reproducible draws.
    u_slash, z_hold, z_unbond : array, optional
        Your own draws, one per path.

    Returns
    -------
    StakingOutcomes
        Arrays per path and ``.summary()``.

    Examples
    --------
    >>> out = simulate_staking(32, 0.03, 1, slash_prob=0.5, slash_fraction=0.1, n_paths=2000)
    >>> round(float(out.tokens.max()), 4), round(float(out.tokens.min()), 4)
    (32.9745, 29.6771)
    >>> round(out.summary()["prob_slashed"], 2)
    0.5

    Notebook: 06_staking; reused by ``cryptocourse.risk`` (notebook 14).
    """
    s = number("stake", stake, lo=0.0, lo_open=True, hi=1e15, why="stake something to simulate")
    r = number("apr", apr, lo=0.0, hi=10.0, why="a yearly reward rate, e.g. 0.05 for 5 %")
    t = number("years", years, lo=0.0, hi=100.0)
    c = number("commission", commission, lo=0.0, hi=1.0, why="a share of rewards, 0.10 for 10 %")
    p = number("slash_prob", slash_prob, lo=0.0, hi=1.0, why="a probability per year")
    f = number("slash_fraction", slash_fraction, lo=0.0, hi=1.0,
               why="slashing can take at most the whole stake")
    p0 = number("price0", price0, lo=0.0, lo_open=True, hi=1e12)
    vol = number("price_vol", price_vol, lo=0.0, hi=10.0, why="annual volatility, 0.6 for 60 %")
    mu = number("price_drift", price_drift, lo=-10.0, hi=10.0)
    u_days = number("unbonding_days", unbonding_days, lo=0.0, hi=3650.0)
    infl = number("inflation", inflation, lo=-1.0, lo_open=True, hi=10.0)
    for name, val in (("stake", s), ("apr", r), ("years", t), ("commission", c), ("slash_prob", p),
                      ("slash_fraction", f), ("price_vol", vol), ("unbonding_days", u_days)):
        if isinstance(val, np.ndarray):
            fail(name, "a single number", "an array", why="pass arrays of draws via u_slash/z_hold/z_unbond")

    given = [d is not None for d in (u_slash, z_hold, z_unbond)]
    if any(given):
        if not all(given):
            fail("u_slash, z_hold, z_unbond", "all given or all omitted", f"{sum(given)} of 3 given")
        u = _draws("u_slash", u_slash, None)
        n = u.shape[0]
        if ((u < 0) | (u >= 1)).any():
            fail("u_slash", "uniform draws in [0, 1)", "a value outside")
        zh = _draws("z_hold", z_hold, n)
        zu = _draws("z_unbond", z_unbond, n)
    else:
        n = integer("n_paths", n_paths, lo=1, hi=10**7)
        if isinstance(seed, np.random.Generator):
            rng = seed
        else:
            rng = np.random.default_rng(integer("seed", seed, lo=0, why="seeds are whole numbers >= 0"))
        u = rng.random(n)
        zh = rng.standard_normal(n)
        zu = rng.standard_normal(n)

    growth = compound_growth(delegator_apr(r, c), t, compounds_per_year)
    q = 1.0 - (1.0 - p) ** t  # chance of (at most one) slashing during the horizon
    slashed = u < q
    tokens = s * growth * np.where(slashed, 1.0 - f, 1.0)
    tu = u_days / 365.0
    drift = mu - vol**2 / 2.0
    price_exit = p0 * np.exp(drift * t + vol * math.sqrt(t) * zh)
    price_received = price_exit * np.exp(drift * tu + vol * math.sqrt(tu) * zu)
    share = tokens / s / (1.0 + infl) ** t - 1.0
    assumptions = dict(stake=s, apr=r, years=t, commission=c, compounds_per_year=compounds_per_year,
                       slash_prob=p, slash_fraction=f, price0=p0, price_vol=vol, price_drift=mu,
                       unbonding_days=u_days, inflation=infl, n_paths=n)
    return StakingOutcomes(
        tokens=tokens, slashed=slashed, price_exit=price_exit, price_received=price_received,
        value=tokens * price_received, value_if_liquid=tokens * price_exit,
        hodl_value=s * price_received, share_growth=share, assumptions=assumptions,
    )


# ---------------------------------------------------------------------------
# Network comparison from stated, editable assumptions
# ---------------------------------------------------------------------------
# ILLUSTRATIVE PARAMETERS, NOT LIVE DATA. Rounded from each network's public
# documentation and explorers as the course authors read them in 2025; they change
# with every upgrade and with how much is staked. Edit a copy from
# network_assumptions() and check the live figures before relying on any of them.
NETWORKS: dict[str, dict[str, Any]] = {
    "Ethereum": {
        "reward_apr": 0.029, "inflation": 0.008, "unbonding_days": 9.0, "min_stake": 32.0,
        "min_stake_pooled": 0.0, "slashing": True, "symbol": "ETH",
        "notes": "APR from the consensus-spec curve at ~34M ETH staked (no tips/MEV); inflation is "
                 "gross issuance / supply before fee burn; exit wait = exit queue + withdrawal sweep "
                 "(varies from ~1 day to weeks); 32 ETH to run a validator, any amount via a pool",
        "source": "ethereum/consensus-specs; ethereum.org/staking (2025)",
    },
    "Cardano": {
        "reward_apr": 0.025, "inflation": 0.015, "unbonding_days": 0.0, "min_stake": 0.0,
        "min_stake_pooled": 0.0, "slashing": False, "symbol": "ADA",
        "notes": "delegated ADA stays in your wallet and spendable (no lock-up); no slashing; "
                 "rewards paid per 5-day epoch from a shrinking reserve",
        "source": "docs.cardano.org, delegation and rewards (2025)",
    },
    "Solana": {
        "reward_apr": 0.065, "inflation": 0.045, "unbonding_days": 2.5, "min_stake": 0.0,
        "min_stake_pooled": 0.0, "slashing": False, "symbol": "SOL",
        "notes": "inflation schedule started at 8 %, falls 15 % a year to 1.5 %; deactivating stake "
                 "takes about one epoch (~2-3 days); protocol slashing not automatically enforced",
        "source": "docs.solana.com (now solana.com/docs), inflation and staking (2025)",
    },
    "Polkadot": {
        "reward_apr": 0.12, "inflation": 0.08, "unbonding_days": 28.0, "min_stake": 250.0,
        "min_stake_pooled": 1.0, "slashing": True, "symbol": "DOT",
        "notes": "about 120M DOT issued a year in 2025 (later reduced by governance); 28-day "
                 "unbonding; direct nomination needs a dynamic minimum, nomination pools 1 DOT",
        "source": "wiki.polkadot.network, staking (2025)",
    },
}

_NET_FIELDS = ("reward_apr", "inflation", "unbonding_days", "min_stake")


def network_assumptions() -> dict[str, dict[str, Any]]:
    """A fresh, editable copy of the illustrative network parameters in ``NETWORKS``.

    Returns
    -------
    dict
        ``{network: {reward_apr, inflation, unbonding_days, min_stake, ...}}``.

    Examples
    --------
    >>> nets = network_assumptions()
    >>> nets["Ethereum"]["reward_apr"] = 0.031   # edit your copy; NETWORKS is unchanged
    >>> NETWORKS["Ethereum"]["reward_apr"]
    0.029

    Notebook: 06_staking.
    """
    return copy.deepcopy(NETWORKS)


def compare_networks(
    networks: dict[str, dict[str, Any]] | None = None,
    *,
    price_vol: float = 0.7,
    confidence: float = 0.95,
) -> list[dict[str, Any]]:
    """Compare staking on several networks from stated assumptions (one row each).

    For each network: nominal APR, real yield after its inflation, the share a
    non-staker loses, rewards forgone while unbonding (% of stake) and the price
    fall you might suffer while unbonding at ``price_vol`` (see
    :func:`unbonding_price_risk`). The inputs are illustrative, never live data.

    Parameters
    ----------
    networks : dict, optional
        ``{name: {"reward_apr", "inflation", "unbonding_days", "min_stake", ...}}``;
        default :func:`network_assumptions`.
    price_vol : float
        Token price volatility per year used for the unbonding risk.
    confidence : float
        Confidence level of that risk.

    Returns
    -------
    list of dict
        Rows with ``network``, ``reward_apr``, ``inflation``, ``real_yield``,
        ``non_staker_dilution``, ``unbonding_days``, ``forgone_pct``,
        ``unbonding_risk``, ``min_stake``, ``slashing``, ``source``.

    Examples
    --------
    >>> rows = compare_networks()
    >>> [(r["network"], round(r["real_yield"], 4)) for r in rows][:2]
    [('Ethereum', 0.0208), ('Cardano', 0.0099)]

    Notebook: 06_staking.
    """
    nets = network_assumptions() if networks is None else networks
    if not isinstance(nets, dict) or not nets:
        fail("networks", "a non-empty dict of {name: assumptions}", nets, exc=TypeError)
    rows = []
    for name, a in nets.items():
        if not isinstance(a, dict):
            fail(f"networks[{name!r}]", "a dict of assumptions", a, exc=TypeError)
        missing = [k for k in _NET_FIELDS if k not in a]
        if missing:
            fail(f"networks[{name!r}]", "a dict with " + ", ".join(_NET_FIELDS), f"missing {missing}")
        apr = number(f"networks[{name!r}]['reward_apr']", a["reward_apr"], lo=0.0, hi=10.0)
        infl = number(f"networks[{name!r}]['inflation']", a["inflation"], lo=-1.0, lo_open=True, hi=10.0)
        days = number(f"networks[{name!r}]['unbonding_days']", a["unbonding_days"], lo=0.0, hi=3650.0)
        m = number(f"networks[{name!r}]['min_stake']", a["min_stake"], lo=0.0)
        rows.append({
            "network": name, "reward_apr": apr, "inflation": infl,
            "real_yield": real_staking_yield(apr, infl),
            "non_staker_dilution": real_staking_yield(0.0, infl),
            "unbonding_days": days, "forgone_pct": 100.0 * apr * days / 365.0,
            "unbonding_risk": unbonding_price_risk(price_vol, days, confidence),
            "min_stake": m, "slashing": bool(a.get("slashing", False)),
            "source": a.get("source", "your own assumption"),
        })
    return rows
