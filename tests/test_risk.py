"""Tests for cryptocourse.risk: paths, risk measures, DCA, events, portfolio tools, strategies."""
import math
import statistics
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from cryptocourse import risk

returns_lists = st.lists(st.floats(-0.99, 5.0, allow_nan=False), min_size=1, max_size=60)
levels = st.floats(0.5, 0.99)
prices_lists = st.lists(st.floats(0.01, 1e6, allow_nan=False), min_size=1, max_size=50)


# ------------------------------------------------------------------ price paths
def test_gbm_shape_start_and_reproducible():
    a = risk.gbm_paths(100.0, 0.1, 0.8, n_paths=50, n_steps=30, seed=7)
    assert a.shape == (50, 31)
    assert np.all(a[:, 0] == 100.0)
    assert np.array_equal(a, risk.gbm_paths(100.0, 0.1, 0.8, n_paths=50, n_steps=30, seed=7))
    assert not np.array_equal(a, risk.gbm_paths(100.0, 0.1, 0.8, n_paths=50, n_steps=30, seed=8))


def test_gbm_paths_do_not_depend_on_how_many_are_drawn():
    # more than one internal block, so the block boundaries are crossed
    few = risk.gbm_paths(1.0, n_paths=5000, n_steps=20, seed=3)
    many = risk.gbm_paths(1.0, n_paths=9000, n_steps=20, seed=3)
    assert np.array_equal(few, many[:5000])


def test_gbm_log_return_matches_lognormal_law():
    mu, sigma, n = 0.1, 0.8, 20_000
    p = risk.gbm_paths(1.0, mu, sigma, n_paths=n, n_steps=365, seed=11)
    x = np.log(p[:, -1])
    se = sigma / math.sqrt(n)
    assert abs(x.mean() - (mu - sigma**2 / 2)) < 4 * se
    assert abs(x.std() - sigma) < 4 * sigma / math.sqrt(2 * n)


def test_jump_diffusion_keeps_the_mean_and_counts_jumps():
    mu, n = 0.05, 40_000
    p = risk.jump_diffusion_paths(1.0, mu, 0.5, jump_rate=3.0, jump_mean=-0.2, jump_std=0.1,
                                  n_paths=n, n_steps=52, dt=1 / 52, seed=5)
    st_err = p[:, -1].std() / math.sqrt(n)
    assert abs(p[:, -1].mean() - math.exp(mu)) < 4 * st_err
    # without diffusion and with fixed jump sizes the log return is drift + m * N, N ~ Poisson
    m, lam = -0.1, 4.0
    q = risk.jump_diffusion_paths(1.0, 0.0, 0.0, jump_rate=lam, jump_mean=m, jump_std=0.0,
                                  n_paths=n, n_steps=52, dt=1 / 52, seed=5)
    drift = -lam * (math.exp(m) - 1.0)  # Merton's compensator over one year
    jumps = (np.log(q[:, -1]) - drift) / m
    assert np.allclose(jumps, np.round(jumps), atol=1e-6)
    assert abs(jumps.mean() - lam) < 4 * math.sqrt(lam / n)


def test_correlated_paths_have_the_asked_correlation():
    corr = [[1.0, 0.7, -0.3], [0.7, 1.0, 0.0], [-0.3, 0.0, 1.0]]
    p = risk.correlated_paths([1.0, 2.0, 3.0], 0.0, [0.8, 0.6, 0.4], corr, n_paths=400, n_steps=365, seed=2)
    assert p.shape == (3, 400, 366)
    assert np.allclose(p[:, :, 0], [[1.0], [2.0], [3.0]])
    r = np.diff(np.log(p), axis=2).reshape(3, -1)
    assert np.allclose(np.corrcoef(r), corr, atol=0.02)
    assert np.array_equal(p, risk.correlated_paths([1.0, 2.0, 3.0], 0.0, [0.8, 0.6, 0.4], corr,
                                                   n_paths=400, n_steps=365, seed=2))


def test_simulate_matches_full_paths():
    out = risk.simulate(lambda p, rng: p, 1.0, 0.05, 0.7, n_paths=5000, n_steps=50, seed=4)
    full = risk.gbm_paths(1.0, 0.05, 0.7, n_paths=5000, n_steps=50, seed=4)
    assert np.allclose(out["final_return"], full[:, -1] - 1.0)
    assert np.allclose(out["max_drawdown"], risk.max_drawdown(full))
    j = risk.simulate(lambda p, rng: p, 1.0, 0.0, 0.5, jump_rate=2.0, n_paths=100, n_steps=20, seed=4)
    fj = risk.jump_diffusion_paths(1.0, 0.0, 0.5, jump_rate=2.0, n_paths=100, n_steps=20, seed=4)
    assert np.allclose(j["final_price"], fj[:, -1])


@pytest.mark.parametrize("kwargs, name", [
    (dict(s0=0.0), "s0"), (dict(sigma=-0.1), "sigma"), (dict(n_paths=0), "n_paths"),
    (dict(n_steps=0), "n_steps"), (dict(dt=0.0), "dt"), (dict(seed=-1), "seed"), (dict(seed=1.5), "seed"),
    (dict(mu=float("nan")), "mu"),
])
def test_gbm_paths_errors(kwargs, name):
    with pytest.raises((ValueError, TypeError), match=name):
        risk.gbm_paths(**{"n_paths": 2, "n_steps": 2, **kwargs})


def test_jump_and_corr_errors():
    with pytest.raises(ValueError, match="jump_rate"):
        risk.jump_diffusion_paths(jump_rate=-1.0)
    with pytest.raises(ValueError, match="jump_std"):
        risk.jump_diffusion_paths(jump_std=-0.1)
    with pytest.raises(ValueError, match="corr.*positive definite"):
        risk.correlated_paths([1, 1, 1], 0, 0.5, [[1, 0.9, -0.9], [0.9, 1, 0.9], [-0.9, 0.9, 1]])
    with pytest.raises(ValueError, match="corr.*symmetric"):
        risk.correlated_paths([1, 1], 0, 0.5, [[1, 0.5], [0.2, 1]])
    with pytest.raises(ValueError, match="corr.*2 x 2"):
        risk.correlated_paths([1, 1], 0, 0.5, [[1, 0, 0], [0, 1, 0], [0, 0, 1]])
    with pytest.raises(ValueError, match="sigma"):
        risk.correlated_paths([1, 1], 0, [0.5, 0.5, 0.5], [[1, 0], [0, 1]])
    with pytest.raises(TypeError, match="strategy"):
        risk.simulate("hodl")
    with pytest.raises(ValueError, match="strategy"):
        risk.simulate(lambda p, rng: p[:, :2], n_paths=2, n_steps=3)


# ------------------------------------------------------------------ risk measures
def test_var_cvar_small_known_sample():
    r = [-0.5, -0.2, 0.0, 0.1, 0.3]
    assert risk.value_at_risk(r, 0.6) == 0.2          # k = 2 worst: 0.5 and 0.2
    assert risk.conditional_value_at_risk(r, 0.6) == pytest.approx(0.35)
    assert risk.value_at_risk(r, 0.95) == 0.5        # k = 1
    r100 = np.arange(100) / 100 - 0.5                # losses 0.5, 0.49, ...
    assert risk.value_at_risk(r100, 0.95) == pytest.approx(0.46)   # 5th worst, not the 6th
    assert risk.conditional_value_at_risk(r100, 0.95) == pytest.approx(0.48)


def test_normal_closed_forms_known_values():
    # z_0.95 = 1.6448536, phi(z)/(1-0.95) = 2.0627128 (standard normal tables)
    assert risk.normal_var(0.0, 1.0, 0.95) == pytest.approx(1.6448536, abs=1e-6)
    assert risk.normal_cvar(0.0, 1.0, 0.95) == pytest.approx(2.0627128, abs=1e-6)
    assert risk.normal_var(0.01, 0.2, 0.99) == pytest.approx(-0.01 + 0.2 * 2.3263479, abs=1e-6)


@pytest.mark.parametrize("level", [0.9, 0.95, 0.99])
def test_monte_carlo_var_cvar_agree_with_normal_closed_form(level):
    mu, sigma, n = 0.02, 0.1, 400_000
    x = np.random.default_rng(2026).normal(mu, sigma, n)
    nd = statistics.NormalDist()
    z = nd.inv_cdf(level)
    se_var = sigma * math.sqrt(level * (1 - level) / n) / nd.pdf(z)   # quantile standard error
    assert abs(risk.value_at_risk(x, level) - risk.normal_var(mu, sigma, level)) < 4 * se_var
    tail = x[x <= np.quantile(x, 1 - level)]
    se_cvar = tail.std() / math.sqrt(tail.size) + se_var
    assert abs(risk.conditional_value_at_risk(x, level) - risk.normal_cvar(mu, sigma, level)) < 4 * se_cvar


def test_monte_carlo_var_from_gbm_log_returns():
    mu, sigma, n = 0.1, 0.6, 100_000
    p = risk.gbm_paths(1.0, mu, sigma, n_paths=n, n_steps=1, dt=1.0, seed=9)
    logret = np.log(p[:, -1])
    nd = statistics.NormalDist()
    se = sigma * math.sqrt(0.05 * 0.95 / n) / nd.pdf(nd.inv_cdf(0.95))
    assert abs(risk.value_at_risk(logret) - risk.normal_var(mu - sigma**2 / 2, sigma)) < 4 * se


@given(returns_lists, levels)
def test_cvar_is_at_least_var_and_within_the_sample(r, level):
    v = risk.value_at_risk(r, level)
    c = risk.conditional_value_at_risk(r, level)
    assert c >= v - 1e-12
    assert -max(r) - 1e-12 <= v <= -min(r) + 1e-12
    assert c <= -min(r) + 1e-12


@given(returns_lists, levels, st.floats(-1, 1), st.floats(0.1, 10))
def test_var_cvar_translate_and_scale(r, level, shift, scale):
    r = np.array(r)
    assert risk.value_at_risk(r + shift, level) == pytest.approx(risk.value_at_risk(r, level) - shift, abs=1e-9)
    assert risk.conditional_value_at_risk(scale * r, level) == pytest.approx(
        scale * risk.conditional_value_at_risk(r, level), rel=1e-9, abs=1e-12)


@given(returns_lists, st.floats(0.5, 0.9), st.floats(0.0, 0.09))
def test_var_grows_with_level(r, lo, step):
    assert risk.value_at_risk(r, lo + step) >= risk.value_at_risk(r, lo) - 1e-12


def test_var_cvar_along_rows():
    r = np.array([[-0.5, 0.1, 0.2, 0.3], [-0.1, 0.0, 0.1, 0.2]])
    assert np.allclose(risk.value_at_risk(r, 0.75), [0.5, 0.1])
    assert np.allclose(risk.conditional_value_at_risk(r, 0.5), [0.2, 0.05])


def test_max_drawdown_and_probability_of_loss():
    assert risk.max_drawdown([100, 120, 60, 90, 130]) == 0.5
    assert risk.max_drawdown([1, 2, 3]) == 0.0
    assert np.allclose(risk.max_drawdown([[1, 0.5, 2], [4, 3, 1]]), [0.5, 0.75])
    assert risk.probability_of_loss([-0.1, 0.2, 0.0, -0.3]) == 0.5


@given(st.lists(st.floats(0.01, 1e4), min_size=1, max_size=50))
def test_max_drawdown_in_unit_interval(v):
    d = risk.max_drawdown(v)
    assert 0.0 <= d < 1.0
    assert d <= 1.0 - min(v) / max(v) + 1e-12


def test_portfolio_volatility_and_diversification():
    assert risk.portfolio_volatility([0.5, 0.5], [0.8, 0.8], [[1, 1], [1, 1]]) == pytest.approx(0.8)
    assert risk.portfolio_volatility([0.5, 0.5], [0.8, 0.8], [[1, -1], [-1, 1]]) == pytest.approx(0.0)
    r = [[-0.5, 0.5, -0.5, 0.5], [0.5, -0.5, 0.5, -0.5]]
    assert risk.diversification_benefit(r, [0.5, 0.5], 0.5, "var") == 0.5
    assert risk.diversification_benefit(r, [0.5, 0.5], measure="std") == 0.5


def test_var_is_not_subadditive_but_cvar_is():
    # two independent protocols, each hacked (total loss) with probability 4%:
    # alone each VaR(95%) is 0 (the hack is in the tail), together the 5% tail holds a hack
    n = 10_000
    rng = np.random.default_rng(1)
    hacked = rng.random((2, n)) < 0.04
    r = np.where(hacked, -1.0, 0.05)
    assert risk.diversification_benefit(r, [0.5, 0.5], 0.95, "var") < 0
    assert risk.diversification_benefit(r, [0.5, 0.5], 0.95, "cvar") >= 0


@given(st.lists(st.lists(st.floats(-0.99, 3.0), min_size=8, max_size=8), min_size=2, max_size=4),
       st.sampled_from(["cvar", "std"]), levels)
def test_cvar_and_std_benefit_never_negative(rows, measure, level):
    k = len(rows)
    assert risk.diversification_benefit(rows, [1.0 / k] * k, level, measure) >= -1e-9


def test_risk_summary_of_a_normal_sample():
    v = risk.gbm_paths(1.0, 0.0, 0.5, n_paths=4000, n_steps=30, seed=3)
    s = risk.risk_summary(v)
    r = v[:, -1] - 1
    assert s["var"] == risk.value_at_risk(r) and s["cvar"] == risk.conditional_value_at_risk(r)
    assert 0.3 < s["probability_of_loss"] < 0.7


def test_risk_measure_errors():
    with pytest.raises(ValueError, match="level"):
        risk.value_at_risk([0.1], level=1.0)
    with pytest.raises(ValueError, match="level"):
        risk.conditional_value_at_risk([0.1], level=0)
    with pytest.raises(ValueError, match="returns"):
        risk.value_at_risk([])
    with pytest.raises(TypeError, match="returns"):
        risk.probability_of_loss("abc")
    with pytest.raises(ValueError, match="returns"):
        risk.probability_of_loss([])
    with pytest.raises(ValueError, match="sigma"):
        risk.normal_var(0, -1)
    with pytest.raises(ValueError, match="sigma"):
        risk.normal_cvar(0, -1)
    with pytest.raises(ValueError, match="values"):
        risk.max_drawdown([1, 0, 2])
    with pytest.raises(ValueError, match="weights.*sum to 1"):
        risk.diversification_benefit([[0.1], [0.2]], [0.5, 0.6])
    with pytest.raises(ValueError, match="weights"):
        risk.check_weights([1.0], 2)
    with pytest.raises(ValueError, match="measure"):
        risk.diversification_benefit([[0.1], [0.2]], [0.5, 0.5], measure="sharpe")
    with pytest.raises(ValueError, match="returns"):
        risk.diversification_benefit([0.1, 0.2], [0.5, 0.5])
    with pytest.raises(ValueError, match="corr"):
        risk.portfolio_volatility([0.5, 0.5], [0.1, 0.1], [[1]])
    with pytest.raises(ValueError, match="values"):
        risk.final_returns([[0.0, 1.0]])
    with pytest.raises(ValueError, match="values"):
        risk.risk_summary([1.0, 2.0])


# ------------------------------------------------------------------ DCA
@given(prices_lists)
def test_dca_average_cost_is_the_harmonic_mean(prices):
    c = risk.dca_average_cost(prices, 100.0)
    assert c == pytest.approx(statistics.harmonic_mean(prices), rel=1e-12)
    assert c <= statistics.fmean(prices) * (1 + 1e-12)


@given(st.lists(st.fractions(min_value=Fraction(1, 1000), max_value=10**6), min_size=1, max_size=12))
def test_dca_average_cost_exactly_the_harmonic_mean_with_fractions(prices):
    assert risk.dca_average_cost(prices, Fraction(7, 3)) == statistics.harmonic_mean(prices)


def test_dca_vs_lump_sum_known_cases():
    out = risk.dca_vs_lump_sum([[100.0, 50.0, 100.0]], n_buys=2, budget=200.0)
    assert out["lump_sum"][0] == 200.0 and out["dca"][0] == 300.0
    p = risk.gbm_paths(1.0, 0.1, 0.8, n_paths=300, n_steps=60, seed=1)
    one = risk.dca_vs_lump_sum(p, n_buys=1)
    assert np.allclose(one["dca"], one["lump_sum"])
    flat = np.ones((2, 61))
    waiting = risk.dca_vs_lump_sum(flat, n_buys=6, cash_apr=0.05)
    assert np.all(waiting["dca"] > waiting["lump_sum"])   # cash earned interest while it waited
    res = risk.dca_vs_lump_sum(p, n_buys=12)
    steps = res["buy_steps"]
    assert np.allclose(res["average_cost"], [statistics.harmonic_mean(row) for row in p[:, steps]])
    assert 0.0 <= res["lump_sum_wins"] <= 1.0


def test_lump_sum_wins_more_often_with_positive_drift():
    up = risk.dca_vs_lump_sum(risk.gbm_paths(1.0, 0.5, 0.3, n_paths=2000, seed=1), n_buys=12)
    down = risk.dca_vs_lump_sum(risk.gbm_paths(1.0, -0.5, 0.3, n_paths=2000, seed=1), n_buys=12)
    assert up["lump_sum_wins"] > 0.5 > down["lump_sum_wins"]


def test_buy_steps():
    assert risk.buy_steps(365, 12).tolist() == [0, 30, 60, 91, 121, 152, 182, 212, 243, 273, 304, 334]
    assert risk.buy_steps(10, 10).tolist() == list(range(10))


def test_reinvest_income():
    p = risk.gbm_paths(1.0, 0.0, 0.8, n_paths=20, n_steps=90, seed=2)
    cash = risk.reinvest_income(p, 0.1, every=30, principal=1000.0, reinvest=False)
    assert np.allclose(cash[:, -1], 1000.0 * (1 + 0.1 * 90 / 365))
    flat = risk.reinvest_income(np.ones((3, 91)), 0.1, every=30, principal=1000.0)
    assert np.allclose(flat, risk.reinvest_income(np.ones((3, 91)), 0.1, every=30, principal=1000.0,
                                                  reinvest=False))
    variable = np.full((20, 90), 0.1)
    assert np.allclose(risk.reinvest_income(p, variable, every=30), risk.reinvest_income(p, 0.1, every=30))


def test_dca_errors():
    with pytest.raises(ValueError, match="prices"):
        risk.dca_average_cost([10.0, 0.0])
    with pytest.raises(ValueError, match="prices"):
        risk.dca_average_cost([Fraction(1), Fraction(0)])
    with pytest.raises(ValueError, match="prices"):
        risk.dca_average_cost([])
    with pytest.raises(ValueError, match="amount_per_buy"):
        risk.dca_average_cost([1.0], -1.0)
    with pytest.raises(ValueError, match="n_buys"):
        risk.dca_vs_lump_sum([[1.0, 2.0]], n_buys=5)
    with pytest.raises(ValueError, match="budget"):
        risk.dca_vs_lump_sum([[1.0, 2.0]], n_buys=1, budget=0)
    with pytest.raises(ValueError, match="prices"):
        risk.dca_vs_lump_sum([1.0])
    with pytest.raises(ValueError, match="every"):
        risk.reinvest_income([[1.0, 2.0]], 0.1, every=0)
    with pytest.raises(ValueError, match="income_apr"):
        risk.reinvest_income([[1.0, 2.0, 3.0]], np.full((2, 2), 0.1), every=1)


# ------------------------------------------------------------------ events and portfolio tools
def test_event_steps_frequency_and_streams():
    n = 200_000
    s = risk.event_steps(n, 365, 0.1, seed=1)
    share = float((s <= 365).mean())
    assert abs(share - 0.1) < 4 * math.sqrt(0.1 * 0.9 / n)
    half = risk.event_steps(n, 182, 0.1, seed=1)
    assert abs(float((half <= 182).mean()) - (1 - 0.9 ** (182 / 365))) < 4 * math.sqrt(0.05 / n)
    assert np.array_equal(s, risk.event_steps(n, 365, 0.1, seed=1))
    assert not np.array_equal(s, risk.event_steps(n, 365, 0.1, seed=1, stream=1))
    assert np.all(risk.event_steps(10, 5, 0.0) == 6)
    assert np.all(risk.event_steps(10, 5, 1.0) == 1)


def test_event_factor_and_depeg():
    f = risk.event_factor([2, 9], 3, 0.5)
    assert f.tolist() == [[1, 1, 0.5, 0.5], [1, 1, 1, 1]]
    p = risk.depeg_paths(4, 100, annual_probability=1.0, depth=0.2, half_life_days=10.0, seed=1)
    assert np.all(p[:, 0] == 1.0) and np.allclose(p[:, 1], 0.8)
    assert np.allclose(p[:, 11], 0.9)                 # half the gap closed after one half-life
    assert np.all(np.diff(p[:, 1:], axis=1) >= 0)      # recovering
    none = risk.depeg_paths(4, 100, annual_probability=0.0)
    assert np.all(none == 1.0)


def test_portfolio_values():
    v = np.array([[[1.0, 2.0, 1.0]], [[1.0, 0.5, 1.0]]])
    assert risk.portfolio_values(v, [0.5, 0.5]).tolist() == [[1.0, 1.25, 1.0]]
    assert risk.portfolio_values(v, [0.5, 0.5], rebalance=True).tolist() == [[1.0, 1.25, 1.5625]]
    assert np.allclose(risk.portfolio_values(v * 10, [1.0, 0.0]), v[0])


@given(st.lists(st.floats(0.05, 20), min_size=2, max_size=30), st.floats(0.01, 0.99), st.booleans())
def test_stop_loss_properties(v, threshold, trailing):
    out = risk.stop_loss(v, threshold, trailing)
    v = np.array(v)
    ref = np.maximum.accumulate(v) if trailing else np.full_like(v, v[0])
    hit = np.nonzero(v[1:] <= (1 - threshold) * ref[1:])[0]
    if hit.size == 0:
        assert np.array_equal(out, v)
    else:
        t = hit[0] + 1
        assert np.array_equal(out[:t + 1], v[:t + 1]) and np.all(out[t:] == v[t])


def test_hedge():
    p = risk.gbm_paths(1.0, 0.0, 0.8, n_paths=50, n_steps=30, seed=1)
    full = risk.hedge(p, p, hedge_ratio=1.0, cost_apr=0.0)
    assert np.allclose(full, 1.0)
    none = risk.hedge(p, p, hedge_ratio=0.0)
    assert np.allclose(none, p)
    costly = risk.hedge(np.ones((1, 366)), np.ones((1, 366)), hedge_ratio=1.0, cost_apr=0.05)
    assert costly[0, -1] == pytest.approx(0.95)
    blown = risk.hedge(np.array([[1.0, 3.0, 1.0]]), np.array([[1.0, 3.0, 1.0]]), hedge_ratio=2.0, cost_apr=0.0)
    assert blown[0, 1] == blown[0, 2] == 1e-9     # a short that loses everything stays closed


def test_event_and_portfolio_errors():
    with pytest.raises(ValueError, match="annual_probability"):
        risk.event_steps(10, 10, 1.5)
    with pytest.raises(ValueError, match="loss_fraction"):
        risk.event_factor([1], 3, 2.0)
    with pytest.raises(ValueError, match="half_life_days"):
        risk.depeg_paths(2, 10, half_life_days=0)
    with pytest.raises(ValueError, match="depth"):
        risk.depeg_paths(2, 10, depth=-0.1)
    with pytest.raises(ValueError, match="values"):
        risk.portfolio_values([[1.0, 2.0]], [1.0])
    with pytest.raises(ValueError, match="weights"):
        risk.portfolio_values(np.ones((2, 1, 3)), [0.7, 0.7])
    with pytest.raises(ValueError, match="threshold"):
        risk.stop_loss([1.0, 0.5], threshold=1.0)
    with pytest.raises(ValueError, match="prices"):
        risk.hedge(np.ones((1, 3)), np.ones((1, 4)))
    with pytest.raises(ValueError, match="hedge_ratio"):
        risk.hedge(np.ones((1, 3)), np.ones((1, 3)), hedge_ratio=-1)


# ------------------------------------------------------------------ strategies (reusing the topic modules)
from cryptocourse import amm, farming, lending, leverage, staking  # noqa: E402


def test_hodl_and_exploit():
    p = risk.gbm_paths(3.0, 0.0, 0.8, n_paths=10, n_steps=20, seed=1)
    assert np.allclose(risk.hodl_values(p), p / 3.0)
    hit = risk.with_exploit(np.ones((50_000, 13)), annual_probability=0.1, loss_fraction=1.0, dt=1 / 12, seed=2)
    share = float((hit[:, -1] < 1e-6).mean())
    assert abs(share - 0.1) < 4 * math.sqrt(0.09 / 50_000)
    other = risk.with_exploit(np.ones((50_000, 13)), 0.1, 1.0, dt=1 / 12, seed=2, stream=7)
    assert not np.array_equal(hit, other)          # two protocols are hacked independently


def test_staking_values_reuse_staking_module():
    flat = np.ones((2, 366))
    v = risk.staking_values(flat, apr=0.05, commission=0.1, slash_probability=0.0)
    assert v[0, -1] == pytest.approx(staking.compound_growth(staking.delegator_apr(0.05, 0.1), 1.0))
    always = risk.staking_values(flat, apr=0.0, slash_probability=1.0)
    spec = staking.eth_slashing_penalties(32 * 10**9, 32 * 10**9, 34_000_000 * 10**9)["total"] / (32 * 10**9)
    assert always[0, -1] == pytest.approx(1.0 - spec)
    assert risk.staking_values(flat, apr=0.0, slash_probability=1.0, slash_fraction=0.5)[0, -1] == 0.5


@given(st.floats(0.05, 20.0))
def test_lp_value_is_hodl_times_one_plus_il(r):
    v = risk.lp_values([[1.0, r]], fee_apr=0.0)[0, -1]
    assert v == pytest.approx((1 + r) / 2 * (1 + amm.impermanent_loss(r)), rel=1e-12)
    assert v == pytest.approx(math.sqrt(r), rel=1e-12)
    assert v <= (1 + r) / 2 + 1e-12                 # never beats the 50/50 HODL without fees


def test_lp_values_reuse_farming():
    p = risk.gbm_paths(5.0, 0.0, 0.9, n_paths=30, n_steps=60, seed=2)
    v = risk.lp_values(p, fee_apr=0.3, lower=0.5, upper=2.0)
    expected = (farming.lp_value_path(p, 1.0, 0.5, 2.0)
                + farming.fee_income_path(p, 0.3, 1.0, 0.5, 2.0))
    assert np.allclose(v, expected)
    full = risk.lp_values(p, fee_apr=0.3)               # the fast full-range path agrees with farming
    assert np.allclose(full, farming.lp_value_path(p, 1.0) + farming.fee_income_path(p, 0.3, 1.0), rtol=1e-12)
    flat = risk.lp_values(np.ones((1, 366)), fee_apr=0.365)
    assert flat[0, -1] == pytest.approx(1.365)       # fees of a year on a flat price, kept as cash


def test_lending_values_follow_the_rate_model():
    model = lending.InterestRateModel(0.8, 0.0, 0.04, 0.75, reserve_factor=0.1)
    u = risk.utilization_paths(100, 365, seed=3)
    assert np.all((u > 0) & (u < 1))
    v = risk.lending_values(100, 365, model, utilization=u)
    expected = np.exp(np.sum(model.supply_rate(u) / 365, axis=1))
    assert np.allclose(v[:, -1], expected)
    assert np.all(np.diff(v, axis=1) >= 0)             # interest never negative
    peg = risk.depeg_paths(100, 365, annual_probability=1.0, depth=0.5, half_life_days=float("inf"), seed=1)
    assert np.allclose(risk.lending_values(100, 365, model, utilization=u, stable_price=peg), v * peg)


def test_leveraged_farm_reuses_leverage_module():
    p = risk.gbm_paths(2000.0, 0.0, 0.9, n_paths=300, n_steps=200, seed=1)
    v = risk.leveraged_farm_values(p, leverage=3.0, farm_apy=0.2, borrow_apy=0.08)
    out = leverage.levered_farm_outcomes(p, 3.0, 0.2, 0.08)
    assert np.allclose(v, np.maximum(out.equity, 1e-9))
    assert out.liquidated.any() and not out.liquidated.all()   # the test covers both cases
    one = risk.leveraged_farm_values(p, leverage=1.0, farm_apy=0.0, borrow_apy=0.08, lp=False)
    assert np.allclose(one, p / 2000.0)                # no debt: plain HODL


def test_strategy_errors():
    with pytest.raises(ValueError, match="prices"):
        risk.hodl_values([[1.0, -1.0]])
    with pytest.raises(ValueError, match="fee_apr"):
        risk.lp_values([[1.0, 2.0]], fee_apr=-0.1)
    with pytest.raises(ValueError, match="commission"):
        risk.staking_values([[1.0, 2.0]], commission=2.0)
    with pytest.raises(ValueError, match="leverage"):
        risk.leveraged_farm_values([[1.0, 2.0]], leverage=10.0)
    with pytest.raises(ValueError, match="lower"):
        risk.lp_values([[1.0, 2.0]], lower=1.5, upper=2.0)
    with pytest.raises(ValueError, match="leverage"):
        risk.leveraged_farm_values([[1.0, 2.0]], leverage=0.5)
    with pytest.raises(TypeError, match="rate_model"):
        risk.lending_values(2, 3, rate_model=0.05)
    with pytest.raises(ValueError, match="utilization"):
        risk.lending_values(2, 3, utilization=np.full((2, 4), 0.5))
    with pytest.raises(ValueError, match="start"):
        risk.utilization_paths(2, 3, start=1.0)
    with pytest.raises(ValueError, match="annual_probability"):
        risk.with_exploit(np.ones((1, 3)), annual_probability=-0.1)


def test_simulate_same_numbers_with_one_or_two_threads():
    def strat(p, rng):
        return risk.staking_values(p, apr=0.03, slash_probability=0.5, slash_fraction=0.1, seed=rng)

    one = risk.simulate(strat, n_paths=9000, n_steps=30, seed=3, workers=1)
    two = risk.simulate(strat, n_paths=9000, n_steps=30, seed=3, workers=2)
    for key in one:
        assert np.array_equal(one[key], two[key])


# ------------------------------------------------------------------ the market of strategies and stress tests
def test_simulate_strategies_shapes_reproducible_and_consistent():
    sim = risk.simulate_strategies(300, 60, seed=5)
    again = risk.simulate_strategies(300, 60, seed=5)
    for name in risk.STRATEGIES:
        assert sim.values[name].shape == (300, 61)
        assert np.allclose(sim.values[name][:, 0], 1.0)
        assert np.array_equal(sim.values[name], again.values[name])
    assert np.allclose(sim.values["hodl"], sim.prices["eth"])
    assert set(sim.prices) == {"eth", "alt", "gov", "usdc"}
    # the portfolio is the weighted sum of the strategies (buy and hold); one weight per strategy, in order
    w = [0.1, 0.2, 0.15, 0.2, 0.1, 0.1, 0.05, 0.1]
    manual = sum(wi * sim.values[n] for wi, n in zip(w, risk.STRATEGIES, strict=True))
    assert np.allclose(sim.portfolio(w), manual)
    s = sim.summary(w)
    assert s["cvar"] >= s["var"] and s["diversification_benefit"] >= -1e-12
    # the benefit in points of capital, and as a share of the weighted stand-alone CVaR
    alone = float(np.dot(w, risk.conditional_value_at_risk(sim.final_returns())))
    assert s["standalone_cvar"] == pytest.approx(alone)
    assert s["diversification_benefit"] == pytest.approx(alone - s["cvar"])
    assert s["diversification_share"] == pytest.approx((alone - s["cvar"]) / alone)
    assert s["mean_return_se"] == pytest.approx(risk.standard_error(risk.final_returns(sim.portfolio(w))))
    with pytest.raises(ValueError, match="list of 8"):
        sim.portfolio([0.1, 0.2, 0.3, 0.25, 0.15])          # the five strategies of the old market


def test_correlation_changes_the_diversification_benefit():
    w = {"hodl": 0.5, "lp": 0.5}
    low = risk.simulate_strategies(3000, 90, corr=-0.5, exploit_probability=0.0, seed=1).summary(w)
    high = risk.simulate_strategies(3000, 90, corr=0.95, exploit_probability=0.0, seed=1).summary(w)
    assert low["diversification_benefit"] > high["diversification_benefit"]


def test_exploits_hit_protocols_but_not_hodl():
    sim = risk.simulate_strategies(500, 60, exploit_probability={"lp": 1.0}, exploit_loss=1.0, seed=2)
    assert np.all(sim.values["lp"][:, -1] < 1e-6)
    assert np.all(sim.values["hodl"] > 0.01)
    none = risk.simulate_strategies(500, 60, exploit_probability=0.0, seed=2)
    assert np.array_equal(none.values["hodl"], sim.values["hodl"])


def test_stress_tests_make_things_worse():
    w = {"hodl": 0.3, "lp": 0.2, "lending": 0.5}
    kw = dict(n_paths=500, n_steps=90, seed=3)
    base = risk.stress_test(w, "base", **kw)
    assert base["scenario"] == "base"
    for scenario in ("crash", "depeg", "exploit"):
        hit = risk.stress_test(w, scenario, **kw)
        assert hit["mean_return"] < base["mean_return"] - 0.01, scenario
    assert risk.stress_test(w, "exploit", **kw)["scenario"] == "exploit of lending"
    assert risk.stress_test(w, "exploit", exploited="lp", **kw)["scenario"] == "exploit of lp"


def test_market_errors():
    with pytest.raises(ValueError, match="corr"):
        risk.simulate_strategies(10, 10, corr=1.0)
    with pytest.raises(ValueError, match="exploit_probability"):
        risk.simulate_strategies(10, 10, exploit_probability={"hodl": 0.5})
    with pytest.raises(ValueError, match="crash"):
        risk.simulate_strategies(10, 10, crash=1.0)
    with pytest.raises(ValueError, match="weights"):
        risk.simulate_strategies(10, 10).summary({"bitcoin": 1.0})
    with pytest.raises(ValueError, match="weights"):
        risk.simulate_strategies(10, 10).portfolio([0.5, 0.5])
    with pytest.raises(ValueError, match="scenario"):
        risk.stress_test({"hodl": 1.0}, "war", n_paths=10, n_steps=10)
    with pytest.raises(ValueError, match="exploited"):
        risk.stress_test({"hodl": 1.0}, "exploit", exploited="hodl", n_paths=10, n_steps=10)


# ------------------------------------------------------------------ dashboards (pure views, headless widgets)
from cryptocourse.dashboards.dca import DCADashboard, dca_view  # noqa: E402
from cryptocourse.dashboards.risk import PortfolioDashboard, portfolio_view  # noqa: E402


def test_dca_view_values():
    one = dca_view(n_buys=1)
    assert np.allclose(one.lump_final, one.dca_final)
    v = dca_view(mu=0.0, sigma=0.8, n_buys=12)
    assert v.cost_vs_mean_price <= 1.0                   # harmonic mean <= arithmetic mean
    assert abs(v.lump_hist.sum() - 1) < 1e-12 and abs(v.dca_hist.sum() - 1) < 1e-12
    assert v.dca_p5 > v.lump_p5                          # DCA softens the bad years
    assert dca_view(mu=0.6, sigma=0.3).lump_wins > 0.5 > dca_view(mu=-0.6, sigma=0.3).lump_wins
    same = risk.dca_vs_lump_sum(risk.gbm_paths(1.0, 0.0, 0.8, n_paths=2000, seed=2026), 12, budget=1000.0)
    assert np.allclose(v.lump_final, same["lump_sum"]) and np.allclose(v.dca_final, same["dca"])


def test_dca_dashboard_headless():
    dash = DCADashboard()
    before, image = dash.result, dash.image.value
    dash.set(mu=0.4)
    assert dash.result.lump_wins > before.lump_wins and dash.image.value != image
    dash.set(mu=0.0, seed=2031)                           # the seed control draws new paths
    assert dash.result.seed == 2031 and not np.array_equal(dash.result.lump_final, before.lump_final)
    assert "static mix" in dash.summary.value and "±" in dash.summary.value
    with pytest.raises(ValueError, match="n_buys"):
        dca_view(n_buys=400)                              # more buys than days
    with pytest.raises(ValueError, match="sigma"):
        dca_view(sigma=-0.1)


def test_portfolio_view_values():
    v = portfolio_view(1, 0, 0, 1, 0, 0, 0, 0)
    assert v.weights.tolist() == [0.5, 0.0, 0.0, 0.5, 0.0, 0.0, 0.0, 0.0]
    assert v.cvar >= v.var and 0 <= v.probability_of_loss <= 1
    assert v.diversification_benefit == pytest.approx(v.standalone_cvar - v.cvar)
    assert v.diversification_share == pytest.approx(v.diversification_benefit / v.standalone_cvar)
    assert 0 < v.se_mean_return < 0.05 and 0 < v.se_cvar < 0.05
    safe = portfolio_view(0, 0, 0, 1, 0, 0, 0, 0, exploit_probability=0.0)
    wild = portfolio_view(0, 0, 0, 0, 1, 0, 0, 0, exploit_probability=0.0)
    assert safe.cvar < wild.cvar and safe.median_drawdown < wild.median_drawdown
    hacked = portfolio_view(0, 0, 0, 1, 0, 0, 0, 0, exploit_probability=0.3)
    assert hacked.cvar > safe.cvar + 0.1                 # exploits live in the tail
    with pytest.raises(ValueError, match="weights"):
        portfolio_view(0, 0, 0, 0, 0, 0, 0, 0)
    # the histogram keeps every path: the ones above +200 % sit in the last bin, and are counted
    gov = portfolio_view(0, 0, 0, 0, 0, 0, 1, 0)
    assert gov.n_above == int(np.sum(gov.returns >= 2.0)) > 0
    assert gov.return_hist.sum() == pytest.approx(1.0) and gov.return_hist[-1] * gov.returns.size >= gov.n_above
    # the view is the lesson's market (same paths, same numbers)
    from cryptocourse.dashboards.risk import MARKET
    sim = risk.simulate_strategies(**MARKET)
    assert np.allclose(v.returns, risk.final_returns(sim.portfolio({"hodl": 0.5, "lending": 0.5})))


def test_portfolio_dashboard_headless():
    dash = PortfolioDashboard()
    image = dash.image.value
    dash.set(w_leveraged_farm=1.0, w_lending=0.0)
    assert dash.result.weights[4] > 0.5 and dash.image.value != image
    dash.set(corr=0.9)
    assert dash.result.var > 0
    before = dash.result
    dash.set(seed=2030)                                   # a new seed draws new paths
    assert dash.result.seed == 2030 and not np.array_equal(dash.result.returns, before.returns)
    assert "of capital" in dash.summary.value and "of the" in dash.summary.value


# ---------------------------------------------- issue 15: shared crashes, DCA vs static mix, the course's strategies
def test_market_wide_crashes_hit_every_asset_on_the_same_day_and_keep_the_mean():
    # no diffusion, fixed jump size: the log price is drift + m * (number of jumps)
    m, own, common, n = -0.2, 0.5, 1.5, 20_000
    p = risk.correlated_paths([1.0, 1.0], 0.0, 0.0, [[1, 0], [0, 1]], jump_rate=own, common_jump_rate=common,
                              jump_mean=m, jump_std=0.0, n_paths=n, n_steps=52, dt=1 / 52, seed=9)
    drift = -(own + common) * (math.exp(m) - 1.0)            # Merton's compensator for both kinds
    jumps = (np.log(p[:, :, -1]) - drift) / m
    assert np.allclose(jumps, np.round(jumps), atol=1e-6)
    assert abs(jumps.mean() - (own + common)) < 4 * math.sqrt((own + common) / n)
    # the shared part: covariance of the two jump counts is the common rate (independent own jumps)
    cov = np.cov(jumps[0], jumps[1])[0, 1]
    assert abs(cov - common) < 0.1
    # and the expected price stays s0 * exp(mu t) with diffusion on
    q = risk.correlated_paths([1.0, 1.0], 0.05, [0.7, 1.0], [[1, 0.6], [0.6, 1]], jump_rate=0.5,
                              common_jump_rate=0.5, jump_mean=-0.2, n_paths=n, n_steps=52, dt=1 / 52, seed=4)
    se = q[:, :, -1].std(axis=1) / math.sqrt(n)
    assert np.all(np.abs(q[:, :, -1].mean(axis=1) - math.exp(0.05)) < 4 * se)
    # common_jump_rate=0 draws exactly the paths it drew before shared crashes existed
    assert np.array_equal(risk.correlated_paths([1, 1], 0, 0.5, [[1, .3], [.3, 1]], jump_rate=1.0, n_paths=50, seed=2),
                          risk.correlated_paths([1, 1], 0, 0.5, [[1, .3], [.3, 1]], jump_rate=1.0, n_paths=50,
                                                seed=2, common_jump_rate=0.0))
    with pytest.raises(ValueError, match="common_jump_rate"):
        risk.correlated_paths([1, 1], 0, 0.5, [[1, 0], [0, 1]], common_jump_rate=-1.0)


def test_dca_exposure_and_the_static_mix():
    assert risk.dca_exposure(365, 1) == 1.0
    steps = risk.buy_steps(365, 12)
    assert risk.dca_exposure(365, 12) == pytest.approx(np.mean((365 - steps) / 365))
    out = risk.dca_vs_lump_sum(risk.gbm_paths(1.0, 0.1, 0.6, n_paths=300, seed=3), 12, budget=1000.0, cash_apr=0.04)
    f = out["exposure"]
    assert f == risk.dca_exposure(365, 12)
    lump = out["lump_sum"]
    assert np.allclose(out["static_mix"], f * lump + (1 - f) * 1000.0 * math.exp(0.04 * 365 * risk.DAY))
    # a mix's percentiles are the lump sum's, scaled: the identity exercise 13.4 relies on
    mix0 = risk.dca_vs_lump_sum(risk.gbm_paths(1.0, 0.0, 0.8, n_paths=500, seed=3), 12, budget=1000.0)
    assert np.percentile(mix0["static_mix"], 5) == pytest.approx(
        (1 - f) * 1000.0 + f * np.percentile(mix0["lump_sum"], 5))
    with pytest.raises(ValueError, match="n_buys"):
        risk.dca_exposure(10, 11)


def test_dca_values_are_the_plan_over_time():
    p = risk.gbm_paths(1.0, 0.0, 0.8, n_paths=200, n_steps=90, seed=6)
    v = risk.dca_values(p, 6)
    assert np.allclose(v[:, 0], 1.0)
    assert np.allclose(v[:, -1], risk.dca_vs_lump_sum(p, 6, budget=1.0)["dca"])
    assert np.allclose(risk.dca_values(p, 1), p / p[:, :1])             # one buy is a lump sum
    # waiting cash that depegs buys less
    usdc = risk.depeg_paths(200, 90, annual_probability=1.0, depth=0.3, half_life_days=float("inf"), seed=1)
    assert np.all(risk.dca_values(p, 6, cash=usdc)[:, -1] < v[:, -1])
    with pytest.raises(ValueError, match="cash"):
        risk.dca_values(p, 6, cash=np.ones((3, 91)))


def test_standard_error_and_bootstrap():
    x = np.random.default_rng(5).normal(2.0, 3.0, 10_000)
    assert risk.standard_error(x) == pytest.approx(3.0 / 100, rel=0.05)
    assert risk.standard_error([True, False, False, True]) == pytest.approx(np.std([1, 0, 0, 1], ddof=1) / 2)
    se = risk.bootstrap_se(lambda v: np.mean(v, axis=-1), x, n_boot=400, seed=1)
    assert se == pytest.approx(risk.standard_error(x), rel=0.15)
    # paired: the gap between a sample and itself shifted has no uncertainty
    assert risk.bootstrap_se(lambda a, b: np.percentile(a, 5, axis=-1) - np.percentile(b, 5, axis=-1), x, x + 1.0,
                             n_boot=50) == pytest.approx(0.0, abs=1e-9)
    assert risk.bootstrap_se(lambda v: np.mean(v, axis=-1), x, seed=3) == risk.bootstrap_se(
        lambda v: np.mean(v, axis=-1), x, seed=3)
    with pytest.raises(ValueError, match="values"):
        risk.standard_error([1.0])
    with pytest.raises(TypeError, match="statistic"):
        risk.bootstrap_se("mean", x)
    with pytest.raises(ValueError, match="samples"):
        risk.bootstrap_se(lambda a, b: a.mean(axis=-1), x, x[:10])
    with pytest.raises(ValueError, match="statistic"):
        risk.bootstrap_se(lambda v: float(np.mean(v)), x)             # not along the last axis
    with pytest.raises(ValueError, match="n_boot"):
        risk.bootstrap_se(lambda v: np.mean(v, axis=-1), x, n_boot=5)


def test_lp_lvr_agrees_with_lesson_11_path_by_path():
    from cryptocourse import arbitrage

    p = risk.jump_diffusion_paths(3000.0, 0.0, 0.9, jump_rate=3.0, n_paths=6, n_steps=120, seed=8)
    lvr = risk.lp_lvr(p)
    for row, want in zip(lvr, (arbitrage.lvr_path(q).lvr for q in p), strict=True):
        assert np.allclose(row, want, atol=1e-12)
    assert np.all(np.diff(lvr, axis=1) >= -1e-15)                         # LVR never falls
    # pool = rebalancing - LVR, and at zero drift the pool's mean loss is the mean LVR (sigma^2/8 a year)
    big = risk.gbm_paths(1.0, 0.0, 1.0, n_paths=4000, n_steps=365, seed=2)
    pool = risk.lp_values(big, 0.0)[:, -1] - 1.0
    l = risk.lp_lvr(big)[:, -1]
    assert abs(pool.mean() + l.mean()) < 4 * risk.standard_error(pool + l)
    # LVR accrues at sigma^2/8 of the pool's current value, which shrinks as it pays: 1 - exp(-sigma^2/8) a year
    assert abs(l.mean() - (1 - math.exp(-arbitrage.lvr_rate(1.0)))) < 4 * risk.standard_error(l)


def test_governance_token_and_model_share():
    flat = np.ones((3, 366))
    assert np.allclose(risk.governance_token_values(flat, 0.05)[:, -1], 1.0 + 0.05)
    half = np.concatenate([np.ones((1, 183)), np.full((1, 183), 0.5)], axis=1)
    v = risk.governance_token_values(half, 0.1)
    assert v[0, -1] < 0.5 + 0.1                      # payouts fall with the price
    m = risk.model_share_values(flat, 0.1, usage_sigma=0.0, incident_probability=1.0, incident_loss=1.0)
    assert np.allclose(m[:, -1], m[:, 1])             # an incident on day 1 ends the revenue
    eth = risk.gbm_paths(1.0, 0.0, 0.7, n_paths=4000, seed=3)
    share = risk.model_share_values(eth, 0.1, incident_probability=0.0)
    # usage and ETH are independent fair bets: the mean is about the year's 10 % of revenue
    assert abs(share[:, -1].mean() - 1.1) < 4 * risk.standard_error(share[:, -1])
    assert np.corrcoef(share[:, -1], eth[:, -1])[0, 1] > 0.5       # paid in ETH: it moves with ETH
    with pytest.raises(ValueError, match="incident_loss"):
        risk.model_share_values(flat, incident_loss=2.0)
    with pytest.raises(ValueError, match="fee_yield"):
        risk.governance_token_values(flat, -0.1)


def test_the_market_has_every_strategy_of_the_course_and_shared_crashes():
    assert risk.STRATEGIES == ("hodl", "staking", "lp", "lending", "leveraged_farm", "dca", "governance_token",
                               "model_share")
    assert set(risk.STRATEGY_LABELS) == set(risk.STRATEGIES)
    kw = dict(n_paths=3000, n_steps=52, dt=7 / 365, jump_rate=4.0, seed=4)
    apart = risk.simulate_strategies(common_jump_share=0.0, **kw)
    joint = risk.simulate_strategies(common_jump_share=1.0, **kw)

    def crash_weeks_together(sim):
        r = np.diff(np.log(np.stack([sim.prices["eth"], sim.prices["alt"]])), axis=2).reshape(2, -1)
        e, a = r[0] < -0.15, r[1] < -0.15
        return np.mean(a[e])

    assert crash_weeks_together(joint) > crash_weeks_together(apart) + 0.2
    w = {name: 1 / 8 for name in risk.STRATEGIES}
    assert joint.summary(w)["diversification_benefit"] < apart.summary(w)["diversification_benefit"]
    with pytest.raises(ValueError, match="common_jump_share"):
        risk.simulate_strategies(10, 10, common_jump_share=1.5)
    with pytest.raises(ValueError, match="gov_corr"):
        risk.simulate_strategies(10, 10, gov_corr=1.0)


def test_stress_test_returns_paths_and_follows_its_exploit_rule():
    w = {"staking": 0.3, "lending": 0.3, "hodl": 0.4}          # a tie between two protocols: the first in order
    out = risk.stress_test(w, "exploit", n_paths=300, n_steps=20, seed=1)
    assert out["scenario"] == "exploit of staking"
    assert out["returns"].shape == (300,) and out["mean_return"] == pytest.approx(out["returns"].mean())
    gov = risk.stress_test({"governance_token": 0.6, "dca": 0.4}, "exploit", n_paths=300, n_steps=20, seed=1)
    assert gov["scenario"] == "exploit of governance_token"
    crash = risk.stress_test({"governance_token": 1.0}, "crash", n_paths=300, n_steps=60, seed=1)
    assert crash["mean_return"] < -0.3                          # GOV falls in the crash too
