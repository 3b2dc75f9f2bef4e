"""Tests for cryptocourse.leverage: looping, net APY, liquidation price, Monte Carlo."""
import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from cryptocourse import leverage as V
from cryptocourse.amm import impermanent_loss
from cryptocourse.lending import InterestRateModel, JumpRateModel, health_factor
from cryptocourse.leverage import (
    compare_leverage, exposure_value, levered_farm_outcomes, levered_impermanent_loss,
    levered_liquidation_price, loop_leverage, loop_schedule, loops_needed, max_leverage,
    net_apy, simulate_borrow_rates,
)


def gbm(n_paths=400, n_steps=365, sigma=0.8, seed=7):
    rng = np.random.default_rng(seed)
    dt = 1 / 365
    z = rng.standard_normal((n_paths, n_steps))
    logp = np.cumsum((-0.5 * sigma**2) * dt + sigma * np.sqrt(dt) * z, axis=1)
    return 100.0 * np.exp(np.concatenate([np.zeros((n_paths, 1)), logp], axis=1))


# ---------------------------------------------------------------- known values

def test_loop_leverage_geometric_series_and_limit():
    assert loop_leverage(0.8, 0) == 1.0
    assert loop_leverage(0.8, 1) == pytest.approx(1.8)
    assert loop_leverage(0.8, 2) == pytest.approx(1 + 0.8 + 0.64)
    assert loop_leverage(0.0, 5) == 1.0
    assert loop_leverage(0.8, 500) == pytest.approx(max_leverage(0.8)) == pytest.approx(5.0)
    assert max_leverage(0.75) == pytest.approx(4.0)
    out = loop_leverage(0.5, np.arange(4))
    assert out.tolist() == pytest.approx([1.0, 1.5, 1.75, 1.875])


def test_loop_schedule_matches_loop_leverage():
    t = loop_schedule(1000.0, 0.8, 5)
    assert t["leverage"][-1] == pytest.approx(loop_leverage(0.8, 5))
    # every round borrows ltv of what was just deposited; debt = collateral - equity
    assert t["total_debt"][-1] == pytest.approx(t["total_collateral"][-1] - 1000.0)
    # the looped position's health at entry: L * LT / (L - 1)
    L = loop_leverage(0.8, 5)
    assert health_factor(t["total_collateral"][-1], 0.83, t["total_debt"][-1]) == \
        pytest.approx(L * 0.83 / (L - 1))


def test_loops_needed():
    assert loops_needed(0.8, 1.0) == 0
    assert loops_needed(0.8, 1.8) == 1
    assert loops_needed(0.8, 3.0) == 4
    for target in (1.3, 2.0, 3.3, 4.5):
        n = loops_needed(0.8, target)
        assert loop_leverage(0.8, n) >= target - 1e-12
        assert n == 0 or loop_leverage(0.8, n - 1) < target


def test_net_apy_course_plan_example():
    # $100 at 20 % earns $20; borrow $100 more at 10 % and farm it too: $30 on $100
    assert net_apy(1.0, 0.20, 0.10) == pytest.approx(0.20)
    assert net_apy(2.0, 0.20, 0.10) == pytest.approx(0.30)
    # farming below the borrow cost: leverage makes it worse
    assert net_apy(3.0, 0.05, 0.10) == pytest.approx(-0.05)
    assert net_apy(np.array([1.0, 2.0, 3.0]), 0.2, 0.1).tolist() == pytest.approx([0.2, 0.3, 0.4])


def test_exposure_value_uses_amm_impermanent_loss():
    r = np.array([0.25, 0.5, 1.0, 2.0, 4.0])
    assert exposure_value(r) == pytest.approx(np.sqrt(r))
    assert exposure_value(r) == pytest.approx((1 + r) / 2 * (1 + impermanent_loss(r)))
    assert exposure_value(r, lp=False) == pytest.approx(r)


def test_levered_impermanent_loss_is_amplified():
    assert levered_impermanent_loss(1.0, 3.0) == 0.0
    assert levered_impermanent_loss(4.0, 1.0) == pytest.approx(2.5 * -0.2)
    assert levered_impermanent_loss(4.0, 3.0) == pytest.approx(3 * 2.5 * -0.2)


def test_levered_liquidation_price_closed_forms():
    L, lt = 3.0, 0.85
    p_lp = levered_liquidation_price(L, lt, 2000.0)
    assert p_lp == pytest.approx(2000 * ((L - 1) / (L * lt)) ** 2)
    # at that price the position's health factor is exactly 1
    exposure = L * math.sqrt(p_lp / 2000)
    assert health_factor(exposure, lt, L - 1) == pytest.approx(1.0)
    p_tok = levered_liquidation_price(L, lt, 2000.0, lp=False)
    assert health_factor(L * p_tok / 2000, lt, L - 1) == pytest.approx(1.0)
    # an LP falls slower than the token, so it survives a deeper drop
    assert p_lp < p_tok
    assert levered_liquidation_price(1.0, lt, 2000.0) == 0.0
    # interest makes it worse
    assert levered_liquidation_price(L, lt, 2000.0, debt_growth=1.1) > p_lp


def test_outcomes_match_liquidation_price_on_a_straight_drop():
    L, lt = 3.0, 0.85
    p_liq = levered_liquidation_price(L, lt, 100.0)
    safe = np.array([100.0, p_liq * 1.001])
    hit = np.array([100.0, p_liq * 0.999])
    assert not levered_farm_outcomes(safe, L, 0.0, 0.0, liquidation_threshold=lt).liquidated
    out = levered_farm_outcomes(hit, L, 0.0, 0.0, liquidation_threshold=lt)
    assert out.liquidated and out.liquidation_step == 1
    # what is left: exposure minus penalty minus debt
    assert out.equity[-1] == pytest.approx(L * math.sqrt(p_liq * 0.999 / 100) * 0.95 - (L - 1))


def test_constant_price_gives_compounded_net_apy():
    p = np.full((1, 366), 50.0)
    out = levered_farm_outcomes(p, 2.0, 0.20, 0.10)
    # farm and borrow rates are APYs: a flat year gives exactly the net APY
    assert out.returns[0] == pytest.approx(net_apy(2.0, 0.20, 0.10), rel=1e-9)
    assert not out.liquidated[0]


def test_unlevered_is_never_liquidated_and_has_no_debt():
    p = gbm(200)
    out = levered_farm_outcomes(p, 1.0, 0.2, 0.5)
    assert out.prob_liquidated == 0.0
    assert np.all(out.debt == 0) and np.all(np.isinf(out.health))
    assert out.equity == pytest.approx(out.exposure)


def test_variable_rates_broadcast_and_raise_cost():
    p = np.full((3, 31), 10.0)
    rates = np.array([[0.0], [0.1], [0.5]]) * np.ones((3, 30))
    out = levered_farm_outcomes(p, 3.0, 0.0, rates)
    assert out.returns[0] == pytest.approx(0.0)
    assert out.returns[0] > out.returns[1] > out.returns[2]


def test_single_path_shapes_and_summary():
    out = levered_farm_outcomes(np.linspace(100, 120, 11), 2.0)
    assert out.equity.shape == (11,) and isinstance(out.returns, float)
    s = levered_farm_outcomes(gbm(100), 2.0).summary()
    assert set(s) == {"leverage", "n_paths", "mean", "mean_se", "median", "median_lo", "median_hi", "p5",
                      "p95", "prob_loss", "prob_loss_se", "prob_liquidated", "prob_liquidated_se"}
    assert s["p5"] <= s["median"] <= s["p95"] and s["median_lo"] <= s["median"] <= s["median_hi"]
    assert s["n_paths"] == 100 and s["mean_se"] > 0


def test_compare_leverage_on_seeded_paths():
    p = gbm(500, sigma=1.0)
    res = compare_leverage(p, [1.0, 2.0, 3.0, 4.0], 0.2, 0.1)
    assert res["prob_liquidated"][0] == 0.0
    assert np.all(np.diff(res["prob_liquidated"]) >= 0)
    assert res["prob_liquidated"][-1] > 0.2
    # more upside, and a worse bad case, than unlevered
    assert np.all(np.diff(res["p95"][:3]) > 0)  # at 4x early liquidations cut even the top
    assert np.all(res["p5"][1:] < res["p5"][0])


def test_simulate_borrow_rates_seeded_and_within_the_curve():
    m = InterestRateModel(0.8, 0.0, 0.04, 0.75)
    r1, u1 = simulate_borrow_rates(m, 50, 200, seed=3)
    r2, u2 = simulate_borrow_rates(m, 50, 200, seed=3)
    assert np.array_equal(r1, r2) and np.array_equal(u1, u2)
    assert r1.shape == u1.shape == (50, 200)
    assert np.all((0 <= r1) & (r1 <= 0.79))
    assert r1 == pytest.approx(m.borrow_rate(u1))
    assert 0.7 < np.median(u1) < 0.9
    r3, _ = simulate_borrow_rates(JumpRateModel(0.02, 0.1, 0.8, 1.0), 5, 10, volatility=0.0)
    assert r3 == pytest.approx(0.02 + 0.1 * 0.8)  # no noise: the mean utilisation's rate


# ---------------------------------------------------------------- clear errors

def test_errors():
    with pytest.raises(ValueError, match="ltv"):
        loop_leverage(1.0, 3)
    with pytest.raises(ValueError, match="n_loops must be a whole number"):
        loop_leverage(0.5, 1.5)
    with pytest.raises(ValueError, match="n_loops"):
        loop_leverage(0.5, -1)
    with pytest.raises(ValueError, match="ltv"):
        max_leverage(-0.1)
    with pytest.raises(ValueError, match="target_leverage"):
        loops_needed(0.8, 6.0)
    with pytest.raises(TypeError, match="n_loops"):
        loop_schedule(100.0, 0.5, 2.0)
    with pytest.raises(ValueError, match="equity"):
        loop_schedule(0.0, 0.5, 2)
    with pytest.raises(ValueError, match="leverage"):
        net_apy(0.5, 0.2, 0.1)
    with pytest.raises(ValueError, match="borrow_apy"):
        net_apy(2.0, 0.2, -0.1)
    with pytest.raises(ValueError, match="price_ratio"):
        exposure_value(0.0)
    with pytest.raises(ValueError, match="leverage"):
        levered_impermanent_loss(2.0, 0.0)
    with pytest.raises(ValueError, match="liquidation_threshold"):
        levered_liquidation_price(2.0, 0.0)
    with pytest.raises(ValueError, match="debt_growth"):
        levered_liquidation_price(2.0, 0.8, debt_growth=0.5)


def test_outcome_errors():
    p = gbm(5, 10)
    with pytest.raises(ValueError, match="health factor starts below 1"):
        levered_farm_outcomes(p, 7.0, liquidation_threshold=0.85)
    with pytest.raises(ValueError, match="prices"):
        levered_farm_outcomes(np.array([100.0, -1.0]), 2.0)
    with pytest.raises(ValueError, match="prices must be an array of shape"):
        levered_farm_outcomes(np.array([100.0]), 2.0)
    with pytest.raises(ValueError, match="broadcastable"):
        levered_farm_outcomes(p, 2.0, borrow_apy=np.ones(3) * 0.1)
    with pytest.raises(ValueError, match="liquidation_penalty"):
        levered_farm_outcomes(p, 2.0, liquidation_penalty=1.0)
    with pytest.raises(TypeError, match="leverage"):
        levered_farm_outcomes(p, [2.0, 3.0])
    with pytest.raises(TypeError, match="model"):
        simulate_borrow_rates("aave", 2, 2)
    with pytest.raises(ValueError, match="mean_utilization"):
        simulate_borrow_rates(InterestRateModel(0.8, 0, 0.04, 0.75), 2, 2, mean_utilization=1.0)
    with pytest.raises(TypeError, match="seed"):
        simulate_borrow_rates(InterestRateModel(0.8, 0, 0.04, 0.75), 2, 2, seed=1.5)


# ---------------------------------------------------------------- properties

@given(st.floats(0.0, 0.95), st.integers(0, 60))
def test_loop_leverage_bounded_and_increasing(ltv, n):
    lev = loop_leverage(ltv, n)
    assert 1.0 <= lev <= max_leverage(ltv) + 1e-9
    assert loop_leverage(ltv, n + 1) >= lev


@given(st.floats(1.0, 5.0), st.floats(-0.5, 2.0), st.floats(0.0, 1.0))
def test_net_apy_is_linear_and_break_even_at_equal_rates(lev, farm, borrow):
    assert net_apy(lev, borrow, borrow) == pytest.approx(borrow, abs=1e-12)
    # leverage helps exactly when the farm beats the borrow rate
    assert (net_apy(lev, farm, borrow) >= farm - 1e-12) == (farm >= borrow - 1e-12) or lev == 1.0


@given(st.integers(0, 10_000), st.floats(1.0, 6.0), st.floats(0.0, 0.5), st.floats(0.0, 0.5),
       st.booleans())
def test_monte_carlo_invariants(seed, lev, farm, borrow, lp):
    rng = np.random.default_rng(seed)
    p = 100 * np.exp(np.cumsum(np.c_[np.zeros(8), 0.1 * rng.standard_normal((8, 20))], axis=1))
    out = levered_farm_outcomes(p, lev, farm, borrow, liquidation_threshold=0.85, lp=lp)
    assert np.all(out.equity >= -1e-12)                   # limited liability after liquidation
    assert np.all(out.equity[:, 0] == pytest.approx(1.0))
    alive = ~out.liquidated
    # paths that survived: equity = exposure - debt everywhere, and health >= 1 throughout
    assert out.equity[alive] == pytest.approx(out.exposure[alive] - out.debt[alive])
    assert np.all(out.health[alive] >= 1.0)
    for i in np.flatnonzero(out.liquidated):
        s = out.liquidation_step[i]
        assert out.health[i, s] < 1.0 and np.all(out.health[i, :s] >= 1.0)
        assert np.all(out.equity[i, s:] == out.equity[i, s])  # cash after liquidation
    # more leverage on the same paths never liquidates fewer of them
    if lev < 6.0:
        more = levered_farm_outcomes(p, min(lev + 0.5, 6.5), farm, borrow,
                                     liquidation_threshold=0.85, lp=lp)
        assert np.all(more.liquidated >= out.liquidated)


def test_module_exports():
    for name in V.__all__:
        assert hasattr(V, name)


# ---------------------------------------------------------------- risk curve and dashboard

@given(st.integers(0, 10_000), st.booleans(), st.floats(0.0, 0.5))
def test_risk_curve_agrees_with_outcomes(seed, lp, borrow):
    p = gbm(30, 40, sigma=1.2, seed=seed)
    levs = [1.0, 1.5, 2.5, 4.0, 6.0]
    curve = V.leverage_risk_curve(p, levs, 0.1, borrow, lp=lp)
    for i, lev in enumerate(levs):
        out = levered_farm_outcomes(p, lev, 0.1, borrow, lp=lp)
        s = out.summary()
        assert curve["prob_liquidated"][i] == s["prob_liquidated"]
        assert curve["prob_loss"][i] == s["prob_loss"]
        assert curve["median"][i] == pytest.approx(s["median"], abs=1e-12)
        assert curve["p5"][i] == pytest.approx(s["p5"], abs=1e-12)


def test_leverage_view_values():
    from cryptocourse.dashboards.leverage import leverage_view

    flat = leverage_view(1.0)
    assert flat.summary["prob_liquidated"] == 0.0 and flat.net_apy == pytest.approx(0.2)
    v = leverage_view(3.0, 0.2, 0.1, 0.6, 0.85)
    assert v.net_apy == pytest.approx(0.4)
    assert v.liquidation_drop == pytest.approx(1 - (2 / (3 * 0.85)) ** 2)
    assert v.hist_levered.sum() == pytest.approx(1.0) and v.hist_unlevered.sum() == pytest.approx(1.0)
    assert np.all(np.diff(v.prob_liquidated) >= 0) and v.prob_liquidated[0] == 0.0
    assert v.summary["prob_liquidated"] > 0
    token = leverage_view(3.0, lp=False)
    assert token.liquidation_drop < v.liquidation_drop  # the token itself is liquidated sooner
    var = leverage_view(3.0, variable_rates=True)
    assert var.summary != v.summary
    with pytest.raises(ValueError, match="leverage"):
        leverage_view(7.0, liquidation_threshold=0.85)


def test_leverage_dashboard_headless():
    from cryptocourse.dashboards.leverage import LeverageDashboard

    d = LeverageDashboard()
    png, before = d.image.value, d.result.summary["prob_liquidated"]
    d.set(leverage_x=4.0)
    assert d.result.summary["prob_liquidated"] > before and d.image.value != png
    assert "4.0x" in d.summary.value
    d.set(liquidation_threshold=0.7)  # 4x is now above the limit 1 / (1 - 0.7): refused, view kept
    assert "leverage" in d.error.value and d.result.leverage == 4.0


def test_leverage_view_matches_levered_farm_outcomes():
    from cryptocourse.dashboards.leverage import _prices, _rate_excess, leverage_view

    for lev, lp, var in ((2.5, True, False), (3.0, False, True), (1.0, True, True)):
        v = leverage_view(lev, 0.2, 0.1, 0.6, 0.85, lp=lp, variable_rates=var)
        rates = np.maximum(0.1 + _rate_excess(0.6, 2026), 0.0) if var else 0.1
        out = levered_farm_outcomes(_prices(0.6, 2026), lev, 0.2, rates,
                                    liquidation_threshold=0.85, lp=lp)
        assert v.summary == pytest.approx(out.summary())


# ---------------------------------------------------------------- looping and health

def test_loop_health_factor():
    from cryptocourse.leverage import loop_health_factor

    for ltv, lt in ((0.805, 0.83), (0.75, 0.85)):
        for n in range(1, 8):
            t = loop_schedule(1000.0, ltv, n)
            assert loop_health_factor(ltv, lt, n) == pytest.approx(
                health_factor(t["total_collateral"][-1], lt, t["total_debt"][-1]))
        # more loops, less room; the limit is threshold / ltv
        hfs = loop_health_factor(ltv, lt, np.arange(1, 60))
        assert np.all(np.diff(hfs) < 0) and hfs[-1] == pytest.approx(lt / ltv, rel=1e-4)
        assert loop_health_factor(ltv, lt) == pytest.approx(lt / ltv)
    assert loop_health_factor(0.8, 0.85, 0) == math.inf
    # the WETH snapshot: a max-LTV loop starts 3.0 % from liquidation
    assert 1 - 0.805 / 0.83 == pytest.approx(0.0301, abs=1e-4)
    with pytest.raises(ValueError, match="liquidation_threshold must be at least the ltv"):
        loop_health_factor(0.9, 0.85)
    with pytest.raises(ValueError, match="ltv"):
        loop_health_factor(0.0, 0.85)


# ---------------------------------------------------------------- rates that answer to prices

def test_borrow_rates_jump_when_prices_fall():
    from cryptocourse.lending import MARKETS
    from cryptocourse.risk import gbm_paths

    model = MARKETS["Aave v3 Ethereum USDC (2023-10-31 snapshot)"].model
    prices = gbm_paths(1.0, 0.0, 0.8, n_paths=2000, n_steps=120, seed=5)
    rates, util = simulate_borrow_rates(model, 2000, 120, mean_utilization=0.85, seed=6, prices=prices)
    # a day's fall raises the next day's utilisation: negative correlation
    moves = np.diff(np.log(prices), axis=1)[:, :-1].ravel()
    change = np.diff(np.log(util / (1 - util)), axis=1).ravel()
    assert np.corrcoef(moves, change)[0, 1] < -0.5
    # paths that crashed paid more than paths that rose
    crashed = prices[:, 1:].min(axis=1) < 0.6
    rose = prices[:, 1:].min(axis=1) > 0.95
    assert crashed.sum() > 20 and rose.sum() > 20
    assert rates[crashed].mean() > 1.5 * rates[rose].mean()
    # without prices nothing ties the two: the old, price-blind model
    blind, _ = simulate_borrow_rates(model, 2000, 120, mean_utilization=0.85, seed=6)
    assert abs(np.corrcoef(blind[:, -1], prices[:, -1])[0, 1]) < 0.1
    assert np.corrcoef(rates[:, 60:].mean(axis=1), prices[:, 60])[0, 1] < -0.3
    with pytest.raises(ValueError, match="prices must be an array of shape"):
        simulate_borrow_rates(model, 10, 120, prices=prices)
    with pytest.raises(ValueError, match="price_sensitivity"):
        simulate_borrow_rates(model, 2, 3, price_sensitivity=-1.0)


# ---------------------------------------------------------------- uncertainty

def test_median_interval_has_its_coverage():
    from cryptocourse.leverage import median_interval

    rng = np.random.default_rng(0)
    hits = 0
    for _ in range(400):
        lo, hi = median_interval(rng.standard_exponential(201))
        hits += lo <= np.log(2) <= hi  # the exponential's true median
    assert 0.91 <= hits / 400 <= 0.99
    assert median_interval(np.arange(1, 101)) == (40.0, 61.0)
    with pytest.raises(ValueError, match="level"):
        median_interval([1.0, 2.0], level=1.0)


@pytest.mark.parametrize("seed", [2020, 2021, 2022, 2023, 2024])
def test_dashboard_headlines_hold_for_other_seeds(seed):
    """The lesson's headlines (computed at the default seed) keep their sign on other seeds."""
    from cryptocourse.dashboards.leverage import leverage_view

    one, two, three, four = (leverage_view(x, seed=seed).summary for x in (1.0, 2.0, 3.0, 4.0))
    assert three["median"] < 0 < two["median"] and four["median"] < -0.5      # the 3x median loses
    assert three["prob_loss"] > 0.5 and three["median_lo"] < 0                 # most 3x paths lose
    assert 0.38 < three["prob_liquidated"] < 0.42 and four["prob_liquidated"] > 0.6
    assert one["prob_liquidated"] == 0.0 and two["prob_liquidated"] < 0.1
    calm = leverage_view(3.0, volatility=0.3, seed=seed).summary
    assert calm["median"] > 0.25 and calm["prob_liquidated"] < 0.06
    var = leverage_view(3.0, variable_rates=True, seed=seed).summary
    assert var["prob_liquidated"] > three["prob_liquidated"] + 0.03 and var["median"] < three["median"]


def test_dashboard_reseeds():
    from cryptocourse.dashboards.leverage import LeverageDashboard

    d = LeverageDashboard(leverage_x=3.0)
    before = d.result.summary
    d.set(seed=2031)
    assert d.result.summary != before and "seed 2031" in d.summary.value
    assert "95 % interval" in d.summary.value and "&plusmn;" in d.summary.value


# ---------------------------------------------------------------- ETH collateral, stable LP

def test_stableswap_lp_value_matches_the_pool_math():
    from cryptocourse.amm import stableswap_d, stableswap_spot_price
    from cryptocourse.leverage import stableswap_lp_value

    assert stableswap_lp_value(1.0) == pytest.approx(1.0, abs=1e-9)
    r = np.array([0.5, 0.9, 0.99, 1.02, 1.2])
    for amp in (2.0, 100.0, 2000.0):
        v = stableswap_lp_value(r, amp)
        assert np.all(v < (1 + r) / 2)                # worse than holding both coins, either way
        assert np.all(v > np.minimum(1.0, r))          # never worse than holding only the worse coin
    # more amplification, more of the bad coin, a bigger loss
    assert stableswap_lp_value(0.9, 2000.0) < stableswap_lp_value(0.9, 200.0) < stableswap_lp_value(0.9, 2.0)
    assert stableswap_lp_value(0.9, 2000.0) == pytest.approx(0.9, abs=0.01)
    # the balances it implies keep D and have the market price (checked with the AMM module)
    from cryptocourse.amm import stableswap_curve
    value = stableswap_lp_value(0.9, 200.0)
    for xb_try in np.linspace(1.0, 1.999, 2000):
        xa = float(stableswap_curve(xb_try, 2.0, 200.0))
        if abs(stableswap_spot_price(1, 0, [xa, xb_try], 200.0) - 0.9) < 2e-3:
            assert (xa + 0.9 * xb_try) / 2 == pytest.approx(value, abs=2e-3)
            assert stableswap_d([xa, xb_try], 200.0) == pytest.approx(2.0)
            break
    else:  # pragma: no cover
        raise AssertionError("no balance found at the market price")
    with pytest.raises(ValueError, match="price_ratio"):
        stableswap_lp_value(0.0)
    with pytest.raises(ValueError, match="amp"):
        stableswap_lp_value(0.9, amp=0)


def test_collateral_farm_health_and_its_movers():
    from cryptocourse.lending import MARKETS, liquidation_call
    from cryptocourse.leverage import collateral_farm

    weth = MARKETS["Aave v3 Ethereum WETH (2023-10-31 snapshot)"]
    lt, ltv, bonus = weth.liquidation_threshold, weth.ltv, weth.liquidation_bonus
    flat = np.full(31, 3000.0)
    kw = dict(liquidation_threshold=lt, liquidation_bonus=bonus)
    h = collateral_farm(flat, 10.0, 12_000.0, farm_apy=0.08, borrow_apy=0.05, **kw)
    assert h.health_before[0] == pytest.approx(30_000 * lt / 12_000)
    assert h.equity[0] == pytest.approx(30_000.0)          # ETH + LP - debt at entry
    # at a flat price: the LP earns 8 %, the debt costs 5 %, the health factor drifts down slowly
    assert np.all(np.diff(h.health_before) < 0) and not h.liquidated.any()
    assert h.lp_value[-1] == pytest.approx(12_000 * 1.08 ** (30 / 365))
    assert h.debt[-1] == pytest.approx(12_000 * 1.05 ** (30 / 365))
    # a max-LTV borrow starts at threshold / ltv
    top = collateral_farm(flat, 10.0, ltv * 30_000.0, **kw)
    assert top.health_before[0] == pytest.approx(lt / ltv)
    # mover 1: the ETH price (proportional)
    fall = collateral_farm(np.array([3000.0, 2400.0]), 10.0, 12_000.0, farm_apy=0.0, borrow_apy=0.0, **kw)
    assert fall.health_before[1] / fall.health_before[0] == pytest.approx(0.8)
    # mover 2: the borrow rate
    dear = collateral_farm(flat, 10.0, 12_000.0, borrow_apy=0.60, **kw)
    assert dear.health_before[-1] < h.health_before[-1]
    # mover 3: the borrowed coin's price (a depeg upward makes the debt dearer)
    up = collateral_farm(np.full(2, 3000.0), 10.0, 12_000.0, debt_price=[1.0, 1.05], farm_apy=0.0,
                         borrow_apy=0.0, **kw)
    assert up.health_before[1] == pytest.approx(up.health_before[0] / 1.05)
    # the other coin's depeg hits the LP (your equity), not the health factor
    other = collateral_farm(np.full(2, 3000.0), 10.0, 12_000.0, other_price=[1.0, 0.9], farm_apy=0.0,
                            borrow_apy=0.0, **kw)
    assert other.health_before[1] == other.health_before[0]
    assert other.lp_value[1] == pytest.approx(12_000 * 0.9133, rel=1e-3) and other.equity[1] < 30_000
    # the liquidation is the lending market's, on the ETH only; the LP stays yours
    crash = collateral_farm(np.array([3000.0, 1400.0]), 10.0, 12_000.0, farm_apy=0.0, borrow_apy=0.0, **kw)
    ref = liquidation_call(10.0, 12_000.0, 1400.0, lt, bonus)
    assert crash.liquidated[1] and crash.debt[1] == pytest.approx(ref.debt_left)
    assert crash.collateral[1] == pytest.approx(ref.collateral_left) and crash.lp_value[1] == 12_000.0
    with pytest.raises(ValueError, match="borrow_apy"):
        collateral_farm(flat, 10.0, 1000.0, borrow_apy=np.ones(3))
    with pytest.raises(ValueError, match="eth_prices"):
        collateral_farm([3000.0], 10.0, 1000.0)
    with pytest.raises(ValueError, match="other_price"):
        collateral_farm(flat, 10.0, 1000.0, other_price=0.0)


@pytest.mark.parametrize("key", [(0.2, 0.1, 0.6, 0.85, True, False, 2026), (0.5, 0.4, 1.5, 0.5, False, True, 2030),
                                 (0.0, 0.5, 1.2, 0.95, True, True, 2021), (1.0, 0.0, 0.3, 0.7, False, False, 2022)])
def test_dashboard_risk_curve_is_the_exact_model(key):
    """The dashboard's fast risk-vs-leverage curve equals the model path by path."""
    import cryptocourse.dashboards.leverage as D

    farm, borrow, vol, lt, lp, var, seed = key
    X, G, running_min = D._unit_paths(farm, borrow, vol, lp, var, seed)
    _, grid, curve = D._leverage_independent(*key)
    for i, lev in enumerate(grid):
        r, liq = V._final_returns(X, G, float(lev), lt, 0.05, running_min=running_min)
        assert curve["prob_liquidated"][i] == liq.mean() and curve["prob_loss"][i] == np.mean(r < 0)
    prices = D._prices(vol, seed)
    rates = np.maximum(borrow + D._rate_excess(vol, seed), 0.0) if var else borrow
    out = levered_farm_outcomes(prices, float(grid[7]), farm, rates, liquidation_threshold=lt, lp=lp)
    assert curve["prob_liquidated"][7] == out.prob_liquidated


# ---------------------------------------------------------------- switches, and the dashboard's speed and memory

def test_yes_no_switches_must_be_booleans():
    """'False' (a string) or 1 is refused, not read as truthy (it once made the token an LP)."""
    for bad in ("False", 1, None):
        with pytest.raises(TypeError, match="lp must be True or False"):
            exposure_value(4.0, lp=bad)
        with pytest.raises(TypeError, match="lp must be True or False"):
            levered_liquidation_price(2.0, 0.8, lp=bad)
        with pytest.raises(TypeError, match="lp must be True or False"):
            levered_farm_outcomes(gbm(2, 3), 2.0, lp=bad)
    assert exposure_value(4.0, lp=np.bool_(False)) == 4.0


def test_dashboard_inputs_are_checked():
    from cryptocourse.dashboards.leverage import leverage_view

    with pytest.raises(TypeError, match="farm_apy must be a single number"):
        leverage_view(2.0, farm_apy=np.array([0.1, 0.2]))
    with pytest.raises(TypeError, match="lp must be True or False"):
        leverage_view(2.0, lp="False")
    with pytest.raises(TypeError, match="variable_rates must be True or False"):
        leverage_view(2.0, variable_rates=1)
    with pytest.raises(ValueError, match="leverage_x must be below 1 / \\(1 - liquidation_threshold\\) = 6.667"):
        leverage_view(7.0)


def test_dashboard_memory_stays_bounded_and_views_are_reused():
    """Dragging sliders far keeps at most two sets of 5,000-path arrays; a value seen before is free."""
    import cryptocourse.dashboards.leverage as D

    first = D.leverage_view(2.0, farm_apy=0.20)
    for farm in np.arange(0.21, 0.31, 0.01):
        D.leverage_view(2.0, farm_apy=float(farm))
    for vol in (0.5, 0.7, 0.8):
        D.leverage_view(2.0, volatility=vol)
    for cached in (D._prices, D._exposure, D._rate_excess, D._unit_paths):
        assert cached.cache_info().currsize <= D._BIG == 2
    misses = D._unit_paths.cache_info().misses
    again = D.leverage_view(2.0, farm_apy=0.20)
    assert again is first and D._unit_paths.cache_info().misses == misses      # no simulation at all
    assert not again.hist_levered.flags.writeable


def test_dashboard_moving_back_reuses_its_backgrounds():
    """The layout is fixed, so returning to axis limits seen before blits instead of redrawing."""
    from cryptocourse.dashboards.leverage import LeverageDashboard

    d = LeverageDashboard()
    positions = [ax.get_position().bounds for ax in d.figure.axes]
    moves = [1.0, 2.0, 3.0, 4.0, 5.0, 6.0]
    for x in moves:
        d.set(leverage_x=x)
    redraws = d.full_redraws
    for x in moves[::-1]:
        d.set(leverage_x=x)
    assert d.full_redraws == redraws
    assert [ax.get_position().bounds for ax in d.figure.axes] == positions
    fresh = LeverageDashboard(leverage_x=1.0)
    assert d.image.value == fresh.image.value                    # a reused background draws the same picture


def test_returns_from_unit_paths_equal_the_full_simulation():
    """The public fast core the lesson 10 dashboard uses gives the simulation's own results."""
    rng = np.random.default_rng(7)
    prices = 100.0 * np.exp(np.cumsum(rng.normal(0, 0.04, (300, 91)), axis=1))
    prices[:, 0] = 100.0
    X = np.asarray(V.exposure_value(prices / prices[:, :1], lp=True)) * (1.2 ** V.DAY) ** np.arange(91)
    G = (1.1 ** V.DAY) ** np.arange(91)[None, :]
    for lev in (1.0, 2.0, 3.5):
        full = V.levered_farm_outcomes(prices, lev, 0.2, 0.1, liquidation_threshold=0.8)
        r, liq = V.returns_from_unit_paths(X, G, lev, 0.8, 0.05)
        np.testing.assert_allclose(r, full.returns, rtol=1e-12, atol=1e-12)
        assert np.array_equal(liq, full.liquidated)
        assert lev == 1.0 or liq.any()


@pytest.mark.parametrize("kwargs, name", [
    ({"exposure": np.ones(5)}, "exposure"), ({"debt_growth": np.ones((2, 3))}, "debt_growth"),
    ({"leverage": 0.5}, "leverage"), ({"liquidation_threshold": 0.0}, "liquidation_threshold"),
    ({"liquidation_penalty": 1.0}, "liquidation_penalty"), ({"running_min": np.ones((1, 1))}, "running_min")])
def test_returns_from_unit_paths_names_bad_input(kwargs, name):
    args = dict(exposure=np.ones((4, 5)), debt_growth=np.ones((1, 5)), leverage=2.0, liquidation_threshold=0.8,
                liquidation_penalty=0.05)
    args.update(kwargs)
    with pytest.raises(ValueError, match=name):
        V.returns_from_unit_paths(**args)
