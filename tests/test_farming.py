"""Tests for cryptocourse.farming."""
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from cryptocourse import amm, farming as fm

ratios = st.floats(0.01, 100.0)


def test_fee_and_incentive_apr_known_values():
    # $2M/day through a $10M pool at 0.3%: $6,000/day, $2.19M/year on $10M
    assert fm.fee_apr(2e6, 1e7, 0.003) == pytest.approx(0.219)
    assert fm.fee_apr(2e6, 1e7, 0.003, lp_share=5 / 6) == pytest.approx(0.1825)
    assert fm.incentive_apr(1000, 2.0, 1e6) == pytest.approx(0.73)


def test_incentive_apr_dilutes_with_tvl_and_price():
    base = fm.incentive_apr(1000, 2.0, 1e6)
    assert fm.incentive_apr(1000, 2.0, 2e6) == pytest.approx(base / 2)
    assert fm.incentive_apr(1000, 1.0, 1e6) == pytest.approx(base / 2)
    grid = fm.incentive_apr(1000, np.array([[2.0], [1.0]]), np.array([1e6, 2e6, 4e6]))
    assert grid.shape == (2, 3) and np.all(np.diff(grid, axis=1) < 0)


@given(ratios)
def test_lp_minus_hodl_is_il_in_deposit_units(r):
    # full range: HODL / deposit = (1 + r) / 2, so LP - HODL = IL * (1 + r) / 2
    assert fm.lp_minus_hodl(r) == pytest.approx(amm.impermanent_loss(r) * (1 + r) / 2, abs=1e-12)
    assert fm.lp_minus_hodl(r) == pytest.approx(np.sqrt(r) - (1 + r) / 2, abs=1e-12)


@given(ratios, st.floats(0.05, 0.99), st.floats(1.01, 20.0))
def test_lp_minus_hodl_concentrated_matches_amm(r, a, b):
    sa, sb = np.sqrt(a), np.sqrt(b)
    hodl_over_deposit = ((1 - 1 / sb) * r + 1 - sa) / ((1 - 1 / sb) + 1 - sa)
    expected = amm.impermanent_loss_concentrated(r, a, b) * hodl_over_deposit
    assert fm.lp_minus_hodl(r, lower=a, upper=b) == pytest.approx(expected, abs=1e-12)


def test_break_even_known_values():
    assert fm.break_even_fee_apr(1.0, 30) == 0.0
    assert fm.break_even_fee_apr(2.0, 365) == pytest.approx(1.5 - np.sqrt(2))
    assert fm.break_even_fee_apr(4.0, 365) == pytest.approx(0.5)        # (1+4)/2 - 2
    assert fm.break_even_fee_apr(4.0, 365, incentive_apr=0.2) == pytest.approx(0.3)
    # a narrow range needs far more fees for the same move
    assert fm.break_even_fee_apr(1.2, 30, lower=0.8, upper=1.25) > 5 * fm.break_even_fee_apr(1.2, 30)


@given(ratios, st.floats(1.0, 3650.0), st.floats(0.0, 2.0))
def test_break_even_fee_apr_breaks_even(r, days, inc):
    apr = fm.break_even_fee_apr(r, days, incentive_apr=inc)
    if apr >= 0:
        assert fm.lp_minus_hodl(r, fee_return=apr * days / 365, incentive_return=inc * days / 365) \
            == pytest.approx(0.0, abs=1e-9)


def test_price_paths_are_seeded_and_shaped():
    a = fm.price_paths(100.0, 0.8, 30, 5, seed=7)
    b = fm.price_paths(100.0, 0.8, 30, 5, seed=7)
    assert a.shape == (5, 31) and np.array_equal(a, b)
    assert np.all(a[:, 0] == 100.0) and np.all(a > 0)
    assert not np.array_equal(a, fm.price_paths(100.0, 0.8, 30, 5, seed=8))
    assert np.allclose(fm.price_paths(50.0, 0.0, 10, 2), 50.0)
    # the mean of GBM is p0 * exp(mu * t): 20,000 seeded paths land within 2%
    big = fm.price_paths(1.0, 0.5, 365, 20_000, seed=3, mu=0.1)
    assert big[:, -1].mean() == pytest.approx(np.exp(0.1), rel=0.02)


def test_path_functions_known_values_and_shapes():
    p = np.array([[100.0, 400.0, 25.0], [100.0, 100.0, 100.0]])
    lp = fm.lp_value_path(p, deposit=1000.0)
    assert lp.shape == p.shape
    assert lp[0].tolist() == pytest.approx([1000.0, 2000.0, 500.0])
    assert fm.hodl_value_path(p, deposit=1000.0)[0].tolist() == pytest.approx([1000.0, 2500.0, 625.0])
    assert fm.lp_minus_hodl_path(p[1], deposit=1000.0).tolist() == [0.0, 0.0, 0.0]
    assert fm.lp_value_path([7.0], 10.0).tolist() == [10.0]


@given(st.lists(st.floats(0.01, 100.0), min_size=2, max_size=30), st.floats(0.0, 1.0))
def test_lp_never_beats_hodl_without_fees_and_matches_single_move(path, fee):
    p = np.array(path)
    diff = fm.lp_minus_hodl_path(p, deposit=1.0)
    assert np.all(diff <= 1e-12)
    assert diff[-1] == pytest.approx(fm.lp_minus_hodl(p[-1] / p[0]), abs=1e-12)
    with_fees = fm.lp_minus_hodl_path(p, fee_apr=fee)
    assert np.all(with_fees >= diff - 1e-15)


def test_fee_income_constant_price_and_ranges():
    flat = np.full(366, 50.0)
    full = fm.fee_income_path(flat, 0.2, deposit=1000.0)
    assert full[-1] == pytest.approx(200.0)                 # 20% of $1,000 over a year
    conc = fm.fee_income_path(flat, 0.2, 1000.0, lower=0.25, upper=4.0)
    assert conc[-1] == pytest.approx(200.0 * amm.capital_efficiency(0.25, 4.0))
    # out of range: no fees
    jump = np.array([50.0, 500.0, 500.0])
    assert fm.fee_income_path(jump, 0.2, 1000.0, lower=0.5, upper=2.0)[-1] == 0.0
    assert fm.fee_income_path(jump, 0.2, 1000.0)[-1] > 0.0


def test_reward_income_valued_when_earned():
    prices = np.array([[2.0, 1.0, 0.5], [2.0, 2.0, 2.0]])
    inc = fm.reward_income(1000, prices, 1e6, 1e4)
    assert inc.tolist() == [[0.0, 10.0, 15.0], [0.0, 20.0, 40.0]]
    held = fm.reward_income(1000, prices, 1e6, 1e4, sell="at_end")
    assert held[:, -1].tolist() == [10.0, 40.0]
    # TVL path: a doubling of TVL halves the farmer's tokens
    tvl = np.array([1e6, 2e6, 2e6])
    assert fm.reward_income(1000, prices[1], tvl, 1e4).tolist() == [0.0, 10.0, 20.0]
    # the farmer's share is at most the whole pool
    assert fm.reward_income(10, [1.0, 1.0], 100.0, 1e9).tolist() == [0.0, 10.0]
    # with a flat price, the naive calculator is right
    flat = np.full(31, 2.0)
    assert fm.reward_income(1000, flat, 1e6, 1e4)[-1] == pytest.approx(
        fm.naive_reward_income(1000, 2.0, 1e6, 1e4, 30))


def test_simulate_farm_parts_add_up():
    out = fm.simulate_farm(n_paths=300, seed=5)
    assert np.allclose(out["total"], out["il"] + out["fees"] + out["rewards"])
    assert np.all(out["il"] <= 1e-9) and np.all(out["fees"] > 0)
    assert out["fee_apr"] == pytest.approx(0.219)
    again = fm.simulate_farm(n_paths=300, seed=5)
    assert np.array_equal(out["total"], again["total"])
    calm = fm.simulate_farm(deposit=1000.0, days=365, sigma=0.0, reward_sigma=0.0, reward_drift=0.0,
                            n_paths=3)
    assert np.allclose(calm["il"], 0.0)
    assert np.allclose(calm["fees"], 1000.0 * 0.219)
    assert np.allclose(calm["rewards"], calm["naive_rewards"])
    narrow = fm.simulate_farm(lower=0.9, upper=1.1, n_paths=300, seed=5)
    assert narrow["il"].mean() < out["il"].mean()


def test_farming_errors():
    with pytest.raises(ValueError, match="tvl must be > 0"):
        fm.fee_apr(1.0, 0.0)
    with pytest.raises(ValueError, match="fee_tier must be >= 0 and < 1"):
        fm.fee_apr(1.0, 1.0, fee_tier=1.5)
    with pytest.raises(ValueError, match="lp_share"):
        fm.fee_apr(1.0, 1.0, lp_share=2.0)
    with pytest.raises(ValueError, match="daily_volume must be >= 0"):
        fm.fee_apr(-1.0, 1.0)
    with pytest.raises(ValueError, match="rewards_per_day"):
        fm.incentive_apr(-1.0, 1.0, 1.0)
    with pytest.raises(ValueError, match="reward_price"):
        fm.incentive_apr(1.0, -1.0, 1.0)
    with pytest.raises(ValueError, match="price_ratio must be > 0"):
        fm.lp_minus_hodl(0.0)
    with pytest.raises(ValueError, match="lower must be < upper"):
        fm.lp_minus_hodl(1.0, lower=1.0, upper=1.0)
    with pytest.raises(ValueError, match="lower must be <= 1 <= upper"):
        fm.lp_minus_hodl(1.0, lower=1.2, upper=2.0)
    with pytest.raises(ValueError, match="fee_return must be >= 0"):
        fm.lp_minus_hodl(1.0, fee_return=-0.1)
    with pytest.raises(ValueError, match="days must be > 0"):
        fm.break_even_fee_apr(2.0, 0)
    with pytest.raises(ValueError, match="sigma must be >= 0"):
        fm.price_paths(1.0, -0.1, 10, 2)
    with pytest.raises(ValueError, match="n_paths must be >= 1"):
        fm.price_paths(1.0, 0.1, 10, 0)
    with pytest.raises(TypeError, match="seed must be an int"):
        fm.price_paths(1.0, 0.1, 10, 2, seed=1.5)
    with pytest.raises(ValueError, match="prices must be > 0"):
        fm.lp_value_path([1.0, -1.0])
    with pytest.raises(ValueError, match="prices must be an array"):
        fm.lp_value_path(5.0)
    with pytest.raises(ValueError, match="deposit must be > 0"):
        fm.hodl_value_path([1.0, 2.0], deposit=0.0)
    with pytest.raises(ValueError, match="fee_apr must be >= 0"):
        fm.fee_income_path([1.0, 2.0], -0.1)
    with pytest.raises(ValueError, match="sell must be one of"):
        fm.reward_income(1.0, [1.0, 1.0], 1.0, 1.0, sell="never")
    with pytest.raises(ValueError, match="reward_prices must be an array"):
        fm.reward_income(1.0, 1.0, 1.0, 1.0)
    with pytest.raises(ValueError, match="days must be >= 0"):
        fm.naive_reward_income(1.0, 1.0, 1.0, 1.0, -1)
    with pytest.raises(ValueError, match="days must be >= 1"):
        fm.simulate_farm(days=0)


# ---------------------------------------------------------------- notebook 08 dashboard
def test_farm_view_and_dashboard():
    from cryptocourse.dashboards.farming import FarmDashboard, farm_view

    v = farm_view(n_paths=500)
    assert v.counts.sum() == pytest.approx(100.0)
    assert v.p5 <= v.median and 0.0 <= v.p_beats_hodl <= 1.0
    assert v.mean_il <= 0 < v.mean_fees
    richer = farm_view(n_paths=500, daily_volume=4_000_000.0)
    assert richer.mean_fees == pytest.approx(2 * v.mean_fees)
    assert richer.p_beats_hodl >= v.p_beats_hodl
    narrow = farm_view(n_paths=500, range_width=0.1)
    assert narrow.mean_il < v.mean_il
    dash = FarmDashboard()
    png, fees = dash.image.value, dash.result.mean_fees
    dash.set(fee_tier=0.01)
    assert dash.result.mean_fees > fees and dash.image.value != png


# ---------------------------------------------------------------- uncertainty of simulated numbers
def test_mean_and_se_and_share_below():
    m, se = fm.mean_and_se([1.0, 2.0, 3.0, 4.0])
    assert m == 2.5 and se == pytest.approx(np.std([1, 2, 3, 4], ddof=1) / 2)
    shares, ses = fm.share_below(np.array([-0.3, -0.02, -0.001, 0.0]), [0.0, -0.01, -0.2, -1.0])
    assert shares.tolist() == [0.75, 0.5, 0.25, 0.0]
    assert ses.tolist() == pytest.approx(np.sqrt(shares * (1 - shares) / 4).tolist())
    s, e = fm.share_below(np.zeros((10, 10)) - 1, -0.5)     # any shape of outcomes is flattened
    assert s.tolist() == [1.0] and e.tolist() == [0.0]
    with pytest.raises(ValueError, match="values must be at least 2"):
        fm.mean_and_se([1.0])
    with pytest.raises(TypeError, match="thresholds"):
        fm.share_below([1.0, 2.0], "x")
    with pytest.raises(ValueError, match="values must be a number, not NaN"):
        fm.mean_and_se([1.0, np.nan])


def test_standard_error_predicts_the_spread_over_seeds():
    means, ses = [], []
    for seed in range(20):
        p = fm.price_paths(1.0, 0.8, 90, 1_000, seed=seed)
        m, se = fm.mean_and_se(fm.lp_minus_hodl_path(p, 0.2, 10_000)[:, -1])
        means.append(m)
        ses.append(se)
    assert 0.6 < np.std(means, ddof=1) / np.mean(ses) < 1.5


def test_farm_dashboard_reseeds_and_states_uncertainty():
    from cryptocourse.dashboards.farming import FarmDashboard, farm_view

    v = farm_view()
    assert v.n_paths == 2000 and v.mean == pytest.approx(v.total.mean())
    assert v.se_mean == pytest.approx(np.std(v.total, ddof=1) / np.sqrt(2000))
    assert v.se_p_beats_hodl == pytest.approx(np.sqrt(v.p_beats_hodl * (1 - v.p_beats_hodl) / 2000))
    assert 0 < v.p_il_below_5pct < 1
    dash = FarmDashboard()
    assert dash.controls["seed"].value == 2026
    png, mean = dash.image.value, dash.result.mean
    assert f"± {v.se_p_beats_hodl:.1%}" in dash.summary.value
    dash.set(seed=2030)
    assert dash.result.mean != mean and dash.image.value != png
