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
    assert set(s) == {"leverage", "mean", "median", "p5", "p95", "prob_loss", "prob_liquidated"}
    assert s["p5"] <= s["median"] <= s["p95"]


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
    from cryptocourse.dashboards.leverage import _prices, _rate_shape, leverage_view

    for lev, lp, var in ((2.5, True, False), (3.0, False, True), (1.0, True, True)):
        v = leverage_view(lev, 0.2, 0.1, 0.6, 0.85, lp=lp, variable_rates=var)
        rates = 0.1 * _rate_shape(2026) if var else 0.1
        out = levered_farm_outcomes(_prices(0.6, 2026), lev, 0.2, rates,
                                    liquidation_threshold=0.85, lp=lp)
        assert v.summary == pytest.approx(out.summary())
