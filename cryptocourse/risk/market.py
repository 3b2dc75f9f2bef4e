"""A market of strategies on shared, correlated paths; stress scenarios."""
from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass

import numpy as np

from cryptocourse._validate import choice, fail, integer, number

from .dca import bootstrap_se, dca_values, standard_error
from .measures import (
    check_weights,
    conditional_value_at_risk,
    diversification_benefit,
    final_returns,
    portfolio_values,
    risk_summary,
)
from .paths import DAY, correlated_paths, _check_size
from .strategies import (
    depeg_paths,
    governance_token_values,
    hodl_values,
    lending_values,
    leveraged_farm_values,
    lp_values,
    model_share_values,
    staking_values,
    utilization_paths,
    with_exploit,
)

# --------------------------------------------------------------------------- a market of strategies
STRATEGIES = ("hodl", "staking", "lp", "lending", "leveraged_farm", "dca", "governance_token", "model_share")
"""The strategies :func:`simulate_strategies` values on shared paths (names used for weights), in course
order: HODL (01), staking (06), an LP that pays LVR (07, 08, 11), lending (09), leverage (10), DCA (13),
a governance token (12) and a share of a jointly owned model's revenue (Part I: 03 and 05)."""

STRATEGY_LABELS = {
    "hodl": "HODL ETH", "staking": "stake ETH", "lp": "LP ALT/USDC", "lending": "lend USDC",
    "leveraged_farm": "leveraged ALT farm", "dca": "DCA into ETH", "governance_token": "governance token",
    "model_share": "AI model revenue share",
}
_PROTOCOLS = ("staking", "lp", "lending", "leveraged_farm", "governance_token")
# HODL and DCA sit in your own wallet (no contract to hack); the model share's own risk is an incident.


@dataclass
class StrategySimulation:
    """Strategies valued on the same simulated market (see :func:`simulate_strategies`).

    ``values``: name -> value per unit of capital, shape ``(n_paths, n_steps + 1)``;
    ``prices``: ``"eth"``, ``"alt"`` (USD) and ``"usdc"`` (USD, may depeg);
    ``assumptions``: every input, to print next to the results.
    """

    values: dict
    prices: dict
    assumptions: dict

    def copy(self) -> "StrategySimulation":
        """An independent copy (arrays copied)."""
        return StrategySimulation(values={k: v.copy() for k, v in self.values.items()},
                                  prices={k: v.copy() for k, v in self.prices.items()},
                                  assumptions=dict(self.assumptions))

    def weights(self, weights) -> np.ndarray:
        """Weights as an array in :data:`STRATEGIES` order, from a dict or a sequence (sum 1)."""
        if isinstance(weights, dict):
            unknown = set(weights) - set(STRATEGIES)
            if unknown:
                fail("weights", "keyed by " + ", ".join(STRATEGIES), sorted(unknown)[0])
            weights = [weights.get(name, 0.0) for name in STRATEGIES]
        return check_weights(weights, len(STRATEGIES))

    def portfolio(self, weights, rebalance: bool = False) -> np.ndarray:
        """Portfolio value per unit of capital, shape ``(n_paths, n_steps + 1)``."""
        w = self.weights(weights)
        return portfolio_values(np.stack([self.values[n] for n in STRATEGIES]), w, rebalance)

    def final_returns(self) -> np.ndarray:
        """Each strategy's return over the horizon, shape ``(n_strategies, n_paths)``."""
        return np.stack([self.values[n][:, -1] / self.values[n][:, 0] - 1.0 for n in STRATEGIES])

    def summary(self, weights, level: float = 0.95) -> dict:
        """:func:`risk_summary` of the portfolio plus what diversification saves.

        Extra keys: ``standalone_cvar`` (the weighted sum of each strategy's own CVaR: the
        portfolio's CVaR if the strategies' worst years all came together),
        ``diversification_benefit`` (``standalone_cvar`` minus the portfolio's CVaR, in
        percentage points of capital) and ``diversification_share`` (the benefit as a share
        of ``standalone_cvar``), and ``mean_return_se`` (the mean's standard error).
        """
        w = self.weights(weights)
        values = self.portfolio(w)
        out = risk_summary(values, level)
        r = self.final_returns()
        standalone = float(w @ np.atleast_1d(conditional_value_at_risk(r, level)))
        out["diversification_benefit"] = diversification_benefit(r, w, level, "cvar")
        out["standalone_cvar"] = standalone
        out["diversification_share"] = out["diversification_benefit"] / standalone if standalone > 0 else 0.0
        out["mean_return_se"] = float(standard_error(final_returns(values)))
        return out

    def diversification_se(self, weights, level: float = 0.95, n_boot: int = 200, seed: int = 2026) -> float:
        """Bootstrap standard error of :meth:`summary`'s ``diversification_benefit`` (resampled paths)."""
        w = self.weights(weights)
        keep = [i for i in range(len(STRATEGIES)) if w[i] > 0]
        r = self.final_returns()[keep]

        def benefit(*rows):
            alone = np.stack([conditional_value_at_risk(x, level) for x in rows])
            together = conditional_value_at_risk(sum(w[i] * x for i, x in zip(keep, rows, strict=True)), level)
            return w[keep] @ alone - together

        return bootstrap_se(benefit, *r, n_boot=n_boot, seed=seed)


def simulate_strategies(n_paths: int = 2000, n_steps: int = 365, *, corr: float = 0.6, mu: float = 0.0,
                        eth_sigma: float = 0.7, alt_sigma: float = 1.0, gov_sigma: float = 1.2,
                        gov_corr: float = 0.8, jump_rate: float = 1.0, common_jump_share: float = 0.5,
                        jump_mean: float = -0.2, jump_std: float = 0.1, staking_apr: float = 0.03,
                        slash_probability: float = 0.01, lp_fee_apr: float = 0.3, leverage: float = 2.0,
                        farm_apy: float = 0.25, rate_model=None, dca_buys: int = 12, gov_fee_yield: float = 0.05,
                        model_revenue_yield: float = 0.10, usage_sigma: float = 0.4,
                        incident_probability: float = 0.05, incident_loss: float = 0.8,
                        exploit_probability=0.02, exploit_loss: float = 0.8, depeg_probability: float = 0.02,
                        depeg_depth: float = 0.2, depeg_half_life_days: float = 30.0, crash: float = 0.0,
                        crash_day: int = 30, dt: float = DAY, seed: int = 2026) -> StrategySimulation:
    """Value the course's strategies on one simulated market: correlated assets, crashes, exploits, depegs.

    The market: ETH, ALT (a volatile DeFi token) and GOV (a governance token) follow
    correlated jump-diffusions (:func:`correlated_paths`). Each asset crashes ``jump_rate``
    times a year on average; a share ``common_jump_share`` of those crashes are market-wide
    (every asset falls on the same day), the rest hit one asset alone. USDC may depeg once
    (:func:`depeg_paths`); one lending market's utilisation wanders (:func:`utilization_paths`)
    and sets both the lenders' supply rate and the leveraged farmer's borrow rate.

    The strategies (:data:`STRATEGIES`) reuse the topic modules: HODL ETH; stake ETH
    (:func:`staking_values`); LP on an ALT/USDC pool, whose impermanent loss is the LVR paid
    to arbitrageurs (:func:`lp_values`); lend USDC (:func:`lending_values`); a leveraged ALT
    LP farm (:func:`leveraged_farm_values`); DCA into ETH from USDC over the year
    (:func:`dca_values`); a governance token with a fee switch (:func:`governance_token_values`);
    a share of an AI model's licence revenue, paid in ETH (:func:`model_share_values`). Each
    protocol in ``_PROTOCOLS`` (staking, lp, lending, leveraged_farm, governance_token) may be
    exploited once, independently (:func:`with_exploit`). Every parameter is an illustrative
    assumption, not a forecast.

    Parameters
    ----------
    n_paths, n_steps : paths and steps (daily by default).
    corr : correlation of ETH's and ALT's daily moves (-0.99 to 0.99).
    mu, eth_sigma, alt_sigma, gov_sigma : drift (all assets) and volatilities (per year).
    gov_corr : correlation of GOV with ALT (GOV's correlation with ETH is ``corr * gov_corr``).
    jump_rate : crashes per year of each asset (>= 0).
    common_jump_share : share of those crashes that are market-wide (0 to 1).
    jump_mean, jump_std : mean and spread of a crash's log size (see :func:`jump_diffusion_paths`).
    staking_apr, slash_probability : staking reward (per year) and slashing chance (per year).
    lp_fee_apr : the pool's fee APR.
    leverage, farm_apy : the leveraged farm's leverage and yield (APY).
    rate_model : the USDC market's rate model (default Aave-like kink, illustrative).
    dca_buys : equal monthly-style buys of the DCA plan over the horizon.
    gov_fee_yield : the governance token's payouts per year, as a share of its price.
    model_revenue_yield, usage_sigma, incident_probability, incident_loss : the model share
        (see :func:`model_share_values`).
    exploit_probability : chance per year that a protocol is exploited: a number for all,
        or a dict by strategy name (missing names: 0).
    exploit_loss : share of the deposit lost in an exploit.
    depeg_probability, depeg_depth, depeg_half_life_days : USDC's depeg risk (see :func:`depeg_paths`).
    crash, crash_day : a stress test: ETH, ALT and GOV all lose ``crash`` (a fraction) on day ``crash_day``
        (counted in days whatever the step: with weekly steps, day 30 is the nearest step, week 4).
    dt, seed : step length (years) and seed.

    Returns
    -------
    StrategySimulation

    Examples
    --------
    >>> sim = simulate_strategies(200, 90, seed=1)
    >>> sorted(sim.values) == sorted(STRATEGIES), sim.values["lp"].shape
    (True, (200, 91))
    >>> sim.weights({"hodl": 0.5, "lending": 0.5}).tolist()
    [0.5, 0.0, 0.0, 0.5, 0.0, 0.0, 0.0, 0.0]

    Introduced in notebook 14.
    """
    key = _market_key(dict(locals()))
    if key is not None and key in _MARKETS:
        _MARKETS.move_to_end(key)
        return _MARKETS[key].copy()
    from cryptocourse import lending

    n_paths = integer("n_paths", n_paths, lo=1, hi=10**7, why="a whole number of paths, at most 10,000,000")
    n_steps = integer("n_steps", n_steps, lo=1, hi=10**6, why="a whole number of steps, at most 1,000,000")

    _check_size(n_paths, n_steps)
    c = number("corr", corr, lo=-0.99, hi=0.99, why="a correlation strictly between -1 and 1")
    g = number("gov_corr", gov_corr, lo=-0.99, hi=0.99, why="a correlation strictly between -1 and 1")
    rate = number("jump_rate", jump_rate, lo=0, hi=365, why="crashes per year of each asset")
    share = number("common_jump_share", common_jump_share, lo=0, hi=1,
                   why="the share of crashes that hit every asset at once (0 to 1)")
    crash = number("crash", crash, lo=0, hi=1, hi_open=True, why="the fall as a fraction (0.5 = -50%)")
    dt = number("dt", dt, lo=0, lo_open=True, hi=1, why="dt is the step in years (1/365 for a day)")
    crash_day = integer("crash_day", crash_day, lo=1, why="the day of the crash, from 1")
    crash_step = max(1, round(crash_day * DAY / dt))
    if crash > 0 and crash_step > n_steps:
        fail("crash_day", f"within the horizon (step {crash_step} of {n_steps})", crash_day,
             "the crash must happen within the horizon")
    if isinstance(exploit_probability, dict):
        unknown = set(exploit_probability) - set(_PROTOCOLS)
        if unknown:
            fail("exploit_probability", "keyed by " + ", ".join(_PROTOCOLS), sorted(unknown)[0])
        exploit = {name: exploit_probability.get(name, 0.0) for name in _PROTOCOLS}
    else:
        exploit = {name: exploit_probability for name in _PROTOCOLS}
    assumptions = {k: v for k, v in locals().items() if k not in ("lending", "exploit", "c", "g", "rate", "share")}
    corr3 = [[1.0, c, c * g], [c, 1.0, g], [c * g, g, 1.0]]   # GOV moves with ALT, and through it with ETH
    eth, alt, gov = correlated_paths([1.0, 1.0, 1.0], mu, [eth_sigma, alt_sigma, gov_sigma], corr3,
                                     jump_rate=rate * (1.0 - share), common_jump_rate=rate * share,
                                     jump_mean=jump_mean, jump_std=jump_std, n_paths=n_paths, n_steps=n_steps,
                                     dt=dt, seed=seed)
    if crash > 0:
        for asset in (eth, alt, gov):
            asset[:, crash_step:] *= 1.0 - crash
    usdc = depeg_paths(n_paths, n_steps, depeg_probability, depeg_depth, depeg_half_life_days,
                       dt=dt, seed=seed, stream=10)
    if rate_model is None:
        rate_model = lending.InterestRateModel(0.9, 0.0, 0.04, 0.6, reserve_factor=0.1)
    u = utilization_paths(n_paths, n_steps, dt=dt, seed=seed, stream=11)
    borrow_apy = np.expm1(np.asarray(rate_model.borrow_rate(u)))  # continuous APR -> APY
    values = {
        "hodl": hodl_values(eth),
        "staking": staking_values(eth, staking_apr, slash_probability=slash_probability, dt=dt,
                                  seed=seed, stream=12),
        "lp": lp_values(alt, lp_fee_apr, dt=dt),
        "lending": lending_values(n_paths, n_steps, rate_model, utilization=u, stable_price=usdc, dt=dt),
        "leveraged_farm": leveraged_farm_values(alt, leverage, farm_apy, borrow_apy, dt=dt),
        "dca": dca_values(eth, min(integer("dca_buys", dca_buys, lo=1), n_steps), cash=usdc),
        "governance_token": governance_token_values(gov, gov_fee_yield, dt=dt),
        "model_share": model_share_values(eth, model_revenue_yield, usage_sigma=usage_sigma,
                                          incident_probability=incident_probability, incident_loss=incident_loss,
                                          dt=dt, seed=seed, stream=30),
    }
    for i, name in enumerate(_PROTOCOLS):
        values[name] = with_exploit(values[name], exploit[name], exploit_loss, dt=dt, seed=seed, stream=20 + i)
    sim = StrategySimulation(values=values, prices={"eth": eth, "alt": alt, "gov": gov, "usdc": usdc},
                             assumptions=assumptions)
    if key is not None and n_paths * (n_steps + 1) <= _MARKET_CACHE_CELLS:
        _MARKETS[key] = sim.copy()
        while len(_MARKETS) > _MARKET_CACHE_SIZE:
            _MARKETS.popitem(last=False)
    return sim


# The same market is often asked for twice (a lesson's cell, then its dashboard): small markets are
# kept, keyed by every argument, and handed out as copies (so changing a returned array changes nothing).
_MARKETS: "OrderedDict[tuple, StrategySimulation]" = OrderedDict()
_MARKET_CACHE_SIZE = 4
_MARKET_CACHE_CELLS = 250_000      # paths x (steps + 1): the lesson's 4,000 weekly paths fit, daily years do not


def _market_key(args: dict):
    """A hashable key of simulate_strategies' arguments, or None when they cannot be compared safely."""
    if args.get("rate_model") is not None:
        return None
    items = []
    for name, value in sorted(args.items()):
        if isinstance(value, dict):
            value = tuple(sorted(value.items()))
        if isinstance(value, np.generic):
            value = value.item()
        if not isinstance(value, (int, float, str, bool, tuple, type(None))):
            return None
        items.append((name, value))
    return tuple(items)


STRESS_SCENARIOS = ("base", "crash", "depeg", "exploit")


def stress_test(weights, scenario: str = "crash", *, exploited: str | None = None, level: float = 0.95,
                **market) -> dict:
    """Risk figures of a portfolio in a stress scenario, on the same seeded market.

    Scenarios: ``"base"`` (the market as simulated); ``"crash"`` (ETH, ALT and GOV all fall
    50% on day 30, or the nearest step, on every path); ``"depeg"`` (USDC loses 30% of its
    value at the first step on every path and never recovers, as an algorithmic stablecoin did
    in 2022); ``"exploit"`` (the protocol ``exploited`` is hacked at the first step on every
    path, losing ``exploit_loss`` of the deposit). The rule for ``exploited=None``: the protocol (staking, lp, lending,
    leveraged_farm or governance_token) that holds most of your capital; a tie goes to the
    first in :data:`STRATEGIES` order.

    Parameters
    ----------
    weights : dict by strategy name or a sequence in :data:`STRATEGIES` order (sum 1).
    scenario : one of :data:`STRESS_SCENARIOS`.
    exploited : which protocol the exploit scenario hits (one of the protocols above).
    level : confidence level of VaR and CVaR.
    **market : other arguments of :func:`simulate_strategies` (n_paths, corr, seed, ...).

    Returns
    -------
    dict: :meth:`StrategySimulation.summary` plus ``scenario`` (its name) and ``returns``
    (the portfolio's return on each path, an array, e.g. for a histogram).

    Examples
    --------
    >>> w = {"hodl": 0.5, "lending": 0.5}
    >>> base = stress_test(w, "base", n_paths=500, n_steps=60)
    >>> crash = stress_test(w, "crash", n_paths=500, n_steps=60)
    >>> crash["mean_return"] < base["mean_return"]
    True

    Introduced in notebook 14 (the capstone).
    """
    choice("scenario", scenario, STRESS_SCENARIOS)
    if scenario == "crash":
        market.setdefault("crash", 0.5)
    elif scenario == "depeg":
        market.update(depeg_probability=1.0, depeg_depth=market.get("depeg_depth", 0.3),
                      depeg_half_life_days=market.get("depeg_half_life_days", float("inf")))
    elif scenario == "exploit":
        if exploited is None:
            w = StrategySimulation({}, {}, {}).weights(weights)
            exploited = max(_PROTOCOLS, key=lambda n: w[STRATEGIES.index(n)])
        choice("exploited", exploited, _PROTOCOLS)
        base = market.get("exploit_probability", 0.02)
        probs = dict(base) if isinstance(base, dict) else {n: base for n in _PROTOCOLS}
        probs[exploited] = 1.0
        market["exploit_probability"] = probs
    sim = simulate_strategies(**market)
    out = sim.summary(weights, level)
    out["scenario"] = scenario if scenario != "exploit" else f"exploit of {exploited}"
    out["returns"] = final_returns(sim.portfolio(weights))
    return out
