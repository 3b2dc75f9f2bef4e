"""Tests for cryptocourse.staking: spec values, invariants, clear errors."""
import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from cryptocourse import staking as sk

ETH = 10**9  # Gwei per ETH


# --- known values from the consensus specs -----------------------------------
def test_spec_constants():
    # altair/beacon-chain.md incentivization weights sum to WEIGHT_DENOMINATOR
    assert sum(sk.REWARD_WEIGHTS.values()) == sk.WEIGHT_DENOMINATOR == 64
    assert sk.EFFECTIVE_BALANCE_INCREMENT == 10**9 and sk.BASE_REWARD_FACTOR == 64
    assert sk.EPOCHS_PER_YEAR == 82181.25
    assert sk.MIN_SLASHING_PENALTY_QUOTIENT == {"phase0": 128, "altair": 64, "bellatrix": 32, "electra": 4096}
    assert sk.PROPORTIONAL_SLASHING_MULTIPLIER == {"phase0": 1, "altair": 2, "bellatrix": 3, "electra": 3}
    assert round(sk.ETH_APR_CONSTANT, 1) == 166.3


@pytest.mark.parametrize("staked_eth, expected", [(1_000_000, 2023), (10_000_000, 640), (32_000_000, 357)])
def test_base_reward_per_increment_known_values(staked_eth, expected):
    assert sk.eth_base_reward_per_increment(staked_eth * ETH) == expected


@pytest.mark.parametrize("staked_eth, pct", [(1_000_000, 16.6), (10_000_000, 5.26), (32_000_000, 2.93)])
def test_apr_known_values(staked_eth, pct):
    digits = 1 if pct > 10 else 2
    assert round(100 * sk.eth_staking_apr(staked_eth), digits) == pct
    # the smooth curve 166.3 / sqrt(N) agrees to within the integer rounding
    assert sk.eth_staking_apr(staked_eth, exact=False) == pytest.approx(166.323 / math.sqrt(staked_eth), rel=1e-4)
    assert sk.eth_staking_apr(staked_eth, exact=False) == pytest.approx(sk.eth_staking_apr(staked_eth), rel=3e-3)


def test_apr_vectorised_and_issuance():
    n = np.array([[1e6, 1e7], [3.2e7, 3.4e7]])
    apr = sk.eth_staking_apr(n)
    assert apr.shape == (2, 2)
    assert apr[0, 1] == sk.eth_staking_apr(1e7)
    assert np.all(np.diff(sk.eth_staking_apr(np.linspace(1e6, 5e7, 50))) <= 0)
    assert isinstance(sk.eth_staking_apr(1e7), float)
    assert sk.eth_annual_issuance(10_000_000) == pytest.approx(640 * 82181.25 * 10_000_000 / 1e9)
    assert sk.eth_annual_issuance(np.array([1e7]))[0] == pytest.approx(sk.eth_annual_issuance(1e7))


def test_base_reward_and_integer_squareroot():
    assert sk.integer_squareroot(0) == 0 and sk.integer_squareroot(15) == 3 and sk.integer_squareroot(16) == 4
    assert sk.eth_base_reward(32 * ETH, 10_000_000 * ETH) == 32 * 640
    # effective balances count whole increments only
    assert sk.eth_base_reward(32 * ETH + ETH // 2, 10_000_000 * ETH) == 32 * 640


def test_slashing_initial_penalty_by_fork():
    assert sk.eth_slashing_initial_penalty(32 * ETH, "phase0") == ETH // 4       # 0.25 ETH
    assert sk.eth_slashing_initial_penalty(32 * ETH, "altair") == ETH // 2       # 0.5 ETH
    assert sk.eth_slashing_initial_penalty(32 * ETH, "bellatrix") == ETH         # 1 ETH
    assert sk.eth_slashing_initial_penalty(32 * ETH, "electra") == 7_812_500     # 1/4096
    assert sk.eth_slashing_initial_penalty(2048 * ETH, "electra") == ETH // 2


def test_correlation_penalty_hand_computed():
    total = 34_000_000 * ETH
    # a lone slashing: bellatrix rounds the penalty down to 0 whole ETH, electra charges a little
    assert sk.eth_slashing_correlation_penalty(32 * ETH, 32 * ETH, total, "bellatrix") == 0
    assert sk.eth_slashing_correlation_penalty(32 * ETH, 32 * ETH, total, "electra") == 96 * ETH // 34_000_000 * 32
    # 1/3 of the network slashed together (x3 multiplier): the whole effective balance goes
    for fork in ("bellatrix", "electra"):
        assert sk.eth_slashing_correlation_penalty(32 * ETH, total // 3 + ETH, total, fork) == 32 * ETH
    # phase0 needed the whole network (x1), altair half (x2)
    assert sk.eth_slashing_correlation_penalty(32 * ETH, total // 2, total, "altair") == 32 * ETH
    assert sk.eth_slashing_correlation_penalty(32 * ETH, total // 2, total, "phase0") == 16 * ETH
    # 1 % slashed (x3 = 3 %): 0.96 ETH, which bellatrix floors to 0 whole ETH and electra charges
    assert sk.eth_slashing_correlation_penalty(32 * ETH, total // 100, total, "bellatrix") == 0
    assert sk.eth_slashing_correlation_penalty(32 * ETH, total // 100, total, "electra") == 960_000_000


def test_slashing_penalties_breakdown():
    total = 34_000_000 * ETH
    p = sk.eth_slashing_penalties(32 * ETH, 32 * ETH, total, "electra")
    base = 32 * (64 * ETH // math.isqrt(total))
    assert p["missed_duties"] == (base * 14 // 64 + base * 26 // 64) * 8192
    assert p["total"] == p["initial"] + p["correlation"] + p["missed_duties"]
    assert 0.06 < p["total"] / ETH < 0.07  # about 0.065 ETH for an isolated electra slashing
    worst = sk.eth_slashing_penalties(32 * ETH, total, total, "bellatrix")
    assert worst["total"] == 32 * ETH  # capped at the balance


# --- invariants -------------------------------------------------------------
gwei_total = st.integers(min_value=32, max_value=120_000_000).map(lambda e: e * ETH)


@given(eff=st.integers(0, 2048), total=gwei_total, frac=st.floats(0, 1), fork=st.sampled_from(sk.FORKS))
def test_slashing_never_takes_more_than_the_stake(eff, total, frac, fork):
    eff = min(eff * ETH, total)
    slashed = int(frac * total)
    assert 0 <= sk.eth_slashing_correlation_penalty(eff, slashed, total, fork) <= eff
    assert 0 <= sk.eth_slashing_initial_penalty(eff, fork) <= eff
    assert 0 <= sk.eth_slashing_penalties(eff, slashed, total, fork)["total"] <= eff


@given(total=gwei_total, a=st.floats(0, 1), b=st.floats(0, 1), fork=st.sampled_from(sk.FORKS))
def test_correlation_penalty_grows_with_total_slashed(total, a, b, fork):
    lo, hi = sorted((int(a * total), int(b * total)))
    assert (sk.eth_slashing_correlation_penalty(32 * ETH, lo, total, fork)
            <= sk.eth_slashing_correlation_penalty(32 * ETH, hi, total, fork))


@given(t1=gwei_total, t2=gwei_total)
def test_base_reward_falls_as_more_is_staked(t1, t2):
    lo, hi = sorted((t1, t2))
    assert sk.eth_base_reward_per_increment(hi) <= sk.eth_base_reward_per_increment(lo)


@given(apr=st.floats(0, 2), c1=st.floats(0, 1), c2=st.floats(0, 1))
def test_more_commission_never_pays_the_delegator_more(apr, c1, c2):
    lo, hi = sorted((c1, c2))
    assert sk.delegator_apr(apr, hi) <= sk.delegator_apr(apr, lo)
    assert 0 <= sk.delegator_apr(apr, hi) <= apr


@given(c1=st.floats(0, 1), c2=st.floats(0, 1), seed=st.integers(0, 10**6))
def test_more_commission_never_pays_more_in_simulation(c1, c2, seed):
    lo, hi = sorted((c1, c2))
    kw = dict(years=2, slash_prob=0.2, slash_fraction=0.3, price_vol=0.5, unbonding_days=10,
              n_paths=200, seed=seed)
    a = sk.simulate_staking(10, 0.08, commission=lo, **kw)
    b = sk.simulate_staking(10, 0.08, commission=hi, **kw)
    assert np.all(b.tokens <= a.tokens) and np.all(b.value <= a.value)


@given(stake=st.floats(0.01, 1e6), apr=st.floats(0, 1), years=st.floats(0, 10),
       p=st.floats(0, 1), f=st.floats(0, 1), seed=st.integers(0, 10**6))
def test_simulated_slashing_never_exceeds_stake(stake, apr, years, p, f, seed):
    out = sk.simulate_staking(stake, apr, years, slash_prob=p, slash_fraction=f, n_paths=100, seed=seed)
    unslashed = stake * sk.compound_growth(apr, years)
    assert np.all(out.tokens >= 0)
    assert np.all(out.tokens <= unslashed * (1 + 1e-12))
    assert np.all((unslashed - out.tokens) <= unslashed * f * (1 + 1e-12) + 1e-9)


@given(apr=st.floats(0, 1), n1=st.integers(0, 400), n2=st.integers(0, 400), years=st.floats(0, 5))
def test_more_compounding_never_pays_less(apr, n1, n2, years):
    lo, hi = sorted((n1, n2))
    assert sk.compound_growth(apr, years, hi) >= sk.compound_growth(apr, years, lo) * (1 - 1e-12)


@given(apr=st.floats(0, 1), infl=st.floats(0, 1))
def test_real_yield_dilutes_stakers_and_non_stakers(apr, infl):
    assert sk.real_staking_yield(apr, infl) <= apr + 1e-15
    assert sk.real_staking_yield(0.0, infl) <= 0
    assert sk.real_staking_yield(apr, infl) >= sk.real_staking_yield(0.0, infl)


# --- teaching models: values ----------------------------------------------------
def test_teaching_values():
    assert sk.compound_growth(0.1, 1, 1) == pytest.approx(1.1)
    assert sk.compound_growth(0.1, 3, 0) == pytest.approx(1.3)
    assert sk.delegator_apr(0.05, 0.1) == pytest.approx(0.045)
    assert sk.real_staking_yield(0.05, 0.05) == pytest.approx(0.0)
    assert sk.expected_slashing_loss(100, 0.02, 0.5) == pytest.approx(1.0)
    assert sk.unbonding_price_risk(0.6, 0) == 0.0
    assert sk.unbonding_price_risk(0.0, 28) == 0.0
    assert sk.unbonding_reward_forgone(365, 0.1, 10) == pytest.approx(1.0)
    s = sk.solo_validator_apr(np.array([16.0, 32.0, 64.0]), 0.03, 0.32)
    assert np.isnan(s[0]) and s[1] == pytest.approx(0.02) and s[2] == pytest.approx(0.025)
    days = np.array([0, 7, 28])
    assert np.all(np.diff(sk.unbonding_price_risk(0.6, days)) > 0)


def test_simulation_seeded_and_statistics():
    kw = dict(commission=0.1, slash_prob=0.05, slash_fraction=0.5, price0=2000.0, price_vol=0.6,
              unbonding_days=14, inflation=0.01, n_paths=20_000)
    a = sk.simulate_staking(32, 0.04, 2, seed=7, **kw)
    b = sk.simulate_staking(32, 0.04, 2, seed=7, **kw)
    assert np.array_equal(a.value, b.value)
    s = a.summary()
    q = 1 - 0.95**2
    assert s["prob_slashed"] == pytest.approx(q, abs=0.01)
    g = sk.compound_growth(0.036, 2)
    assert s["mean_tokens"] == pytest.approx(32 * g * (1 - 0.5 * q), rel=0.01)
    # driftless price: mean value ~ mean tokens * price0
    assert s["mean_value"] == pytest.approx(s["mean_tokens"] * 2000, rel=0.03)
    assert s["p5_value"] < s["median_value"] < s["p95_value"]
    assert np.allclose(a.share_growth, a.tokens / 32 / 1.01**2 - 1)
    assert np.allclose(a.hodl_value, 32 * a.price_received)
    # no volatility and no slashing: every path is the same
    c = sk.simulate_staking(32, 0.04, 1, n_paths=50)
    assert np.allclose(c.value, 32 * sk.compound_growth(0.04, 1))
    assert c.summary()["prob_loss"] == 0.0


def test_simulation_with_own_draws():
    u = np.array([0.0, 0.5, 0.99])
    z = np.array([-1.0, 0.0, 1.0])
    out = sk.simulate_staking(10, 0.0, 1, slash_prob=0.5, slash_fraction=0.2, price_vol=0.5,
                              u_slash=u, z_hold=z, z_unbond=np.zeros(3))
    assert list(out.slashed) == [True, False, False]
    assert out.tokens[0] == pytest.approx(8.0)
    assert out.price_exit[1] == pytest.approx(math.exp(-0.125))
    assert out.price_exit[2] > out.price_exit[1] > out.price_exit[0]
    out2 = sk.simulate_staking(10, 0.0, 1, seed=np.random.default_rng(3), n_paths=5)
    assert out2.tokens.shape == (5,)


def test_network_comparison():
    rows = sk.compare_networks()
    assert [r["network"] for r in rows] == list(sk.NETWORKS)
    for r in rows:
        assert r["real_yield"] == pytest.approx((1 + r["reward_apr"]) / (1 + r["inflation"]) - 1)
        assert r["source"]
    nets = sk.network_assumptions()
    nets["Cardano"]["unbonding_days"] = 20
    rows2 = {r["network"]: r for r in sk.compare_networks(nets)}
    assert rows2["Cardano"]["unbonding_risk"] > 0
    assert sk.NETWORKS["Cardano"]["unbonding_days"] == 0.0
    mine = sk.compare_networks({"MyChain": {"reward_apr": 0.1, "inflation": 0.1, "unbonding_days": 7, "min_stake": 1}})
    assert mine[0]["real_yield"] == pytest.approx(0.0) and mine[0]["source"] == "your own assumption"


# --- clear errors -----------------------------------------------------------------
@pytest.mark.parametrize("call, match", [
    (lambda: sk.eth_base_reward_per_increment(0), "total_active_balance_gwei"),
    (lambda: sk.eth_base_reward_per_increment(1e18), "total_active_balance_gwei"),
    (lambda: sk.eth_base_reward(-1, 10**18), "effective_balance_gwei"),
    (lambda: sk.integer_squareroot(-4), "n must be >= 0"),
    (lambda: sk.eth_staking_apr(0), "total_staked_eth"),
    (lambda: sk.eth_staking_apr([1e6, float("nan")]), "total_staked_eth"),
    (lambda: sk.eth_annual_issuance(-5), "total_staked_eth"),
    (lambda: sk.eth_slashing_initial_penalty(32 * ETH, "deneb"), "fork must be one of"),
    (lambda: sk.eth_slashing_initial_penalty(32.0, "electra"), "effective_balance_gwei"),
    (lambda: sk.eth_slashing_correlation_penalty(32 * ETH, -1, 10**18), "total_slashed_gwei"),
    (lambda: sk.eth_slashing_correlation_penalty(32 * ETH, 2 * 10**18, 10**18), "total_slashed_gwei"),
    (lambda: sk.eth_slashing_correlation_penalty(2 * 10**18, 0, 10**18), "effective_balance_gwei"),
    (lambda: sk.eth_slashing_correlation_penalty(32 * ETH, 0, 10), "total_active_balance_gwei"),
    (lambda: sk.eth_slashing_penalties(32 * ETH, 0, 10**18, "merge"), "fork"),
    (lambda: sk.compound_growth(-0.1, 1), "apr"),
    (lambda: sk.compound_growth(0.1, -1), "years"),
    (lambda: sk.compound_growth(0.1, 1, 12.0), "compounds_per_year"),
    (lambda: sk.delegator_apr(0.05, 1.5), "commission"),
    (lambda: sk.solo_validator_apr(0, 0.03), "stake"),
    (lambda: sk.solo_validator_apr(32, 0.03, -1), "running_cost_per_year"),
    (lambda: sk.solo_validator_apr(32, 0.03, 0, -1), "minimum_stake"),
    (lambda: sk.real_staking_yield(0.05, -1), "inflation"),
    (lambda: sk.expected_slashing_loss(100, 1.2, 0.1), "slash_prob"),
    (lambda: sk.expected_slashing_loss(100, 0.1, 2), "slash_fraction"),
    (lambda: sk.expected_slashing_loss(-1, 0.1, 0.1), "stake"),
    (lambda: sk.unbonding_price_risk(-0.1, 5), "price_vol"),
    (lambda: sk.unbonding_price_risk(0.5, -5), "unbonding_days"),
    (lambda: sk.unbonding_price_risk(0.5, 5, 1.0), "confidence"),
    (lambda: sk.unbonding_reward_forgone(100, 0.1, -1), "unbonding_days"),
    (lambda: sk.simulate_staking(0, 0.05), "stake"),
    (lambda: sk.simulate_staking(10, 0.05, commission=-0.1), "commission"),
    (lambda: sk.simulate_staking(10, 0.05, slash_prob=2), "slash_prob"),
    (lambda: sk.simulate_staking(10, 0.05, slash_fraction=1.5), "slash_fraction"),
    (lambda: sk.simulate_staking(10, 0.05, price0=0), "price0"),
    (lambda: sk.simulate_staking(10, 0.05, n_paths=0), "n_paths"),
    (lambda: sk.simulate_staking(10, 0.05, seed=-1), "seed"),
    (lambda: sk.simulate_staking(10, [0.05, 0.06]), "apr must be a single number"),
    (lambda: sk.simulate_staking(10, 0.05, u_slash=[0.1]), "u_slash, z_hold, z_unbond"),
    (lambda: sk.simulate_staking(10, 0.05, u_slash=[1.1], z_hold=[0], z_unbond=[0]), "u_slash"),
    (lambda: sk.simulate_staking(10, 0.05, u_slash=[0.1, 0.2], z_hold=[0], z_unbond=[0, 0]), "z_hold"),
    (lambda: sk.compare_networks({"X": {"reward_apr": 0.1}}), "missing"),
    (lambda: sk.compare_networks({"X": {"reward_apr": -0.1, "inflation": 0, "unbonding_days": 0,
                                        "min_stake": 0}}), "reward_apr"),
])
def test_clear_errors(call, match):
    with pytest.raises((ValueError, TypeError), match=match):
        call()


def test_error_types():
    with pytest.raises(TypeError, match="protocol amounts are whole numbers"):
        sk.eth_base_reward_per_increment(1e18)
    with pytest.raises(TypeError, match="networks"):
        sk.compare_networks({})
    with pytest.raises(TypeError, match="networks"):
        sk.compare_networks({"X": 3})


# --- notebook 06 dashboards: pure compute functions and headless views --------------------
def test_issuance_view_numbers():
    from cryptocourse.dashboards.staking import issuance_view

    v = issuance_view(32.0, 120.0)
    assert v.base_reward_per_increment == 357
    assert v.apr_now == sk.eth_staking_apr(32e6)
    assert v.issuance_now_m == pytest.approx(32 * v.apr_now)
    assert v.inflation == pytest.approx(v.issuance_now_m / 120)
    assert v.non_staker_dilution < 0 < v.real_yield
    assert v.staked_m.shape == v.apr.shape == v.issuance_m.shape
    with pytest.raises(ValueError, match="supply_m"):
        issuance_view(50.0, 40.0)
    with pytest.raises(ValueError, match="total_staked_m"):
        issuance_view(0.5)


def test_calculator_view_numbers():
    from cryptocourse.dashboards.staking import calculator_view

    v = calculator_view(amount=1000, apr=0.05, commission=0.2, slash_prob=0.1, slash_fraction=0.5,
                        years=1.0, price_vol=0.5)
    assert v.net_apr == pytest.approx(0.04)
    assert v.tokens_if_slashed == pytest.approx(v.tokens_if_safe / 2)
    assert v.prob_slashed == pytest.approx(0.1)
    assert v.summary["prob_slashed"] == pytest.approx(0.1, abs=0.01)
    assert v.bin_pct.sum() == pytest.approx(100)
    assert np.all(np.diff(v.token_quantiles) >= 0)
    # more commission never pays more, path by path (same seed)
    w = calculator_view(amount=1000, apr=0.05, commission=0.3, slash_prob=0.1, slash_fraction=0.5,
                        years=1.0, price_vol=0.5)
    assert np.all(w.token_quantiles <= v.token_quantiles)
    flat = calculator_view(price_vol=0.0, slash_prob=0.0)  # every path equal: still a valid histogram
    assert flat.bin_pct.max() == pytest.approx(100)


def test_dashboards_headless():
    from cryptocourse.dashboards.staking import IssuanceDashboard, StakingCalculatorDashboard

    d = IssuanceDashboard()
    d.set(total_staked_m=10.0)
    assert d.result.base_reward_per_increment == 640 and "640" in d.summary.value
    c = StakingCalculatorDashboard()
    before = c.result.summary["mean_value"]
    c.set(commission=0.5)
    assert c.result.summary["mean_value"] < before and not c.error.value
    assert c.updates == 2 and len(c.image.value) > 1000


def test_exercise_set_06_references():
    from cryptocourse.exercises import load_set, run_check

    ex = {e.id: e for e in load_set("06")}
    assert ex["06.3"].expected() == [{"value": pytest.approx(7.5)}]
    # 341,000 of 34M ETH slashed: 3 x 341,000e9 // 34e6 = 30,088,235 Gwei per ETH, x 32, + 32e9 // 4096
    assert ex["06.4"].expected() == [{"value": 7_812_500 + 30_088_235 * 32}]
    # the known spec values are among 06.1's cases, and a float square root is caught
    assert [d["value"] for d in ex["06.1"].expected()[:3]] == [2023, 640, 357]
    assert run_check("06.1", lambda t: 64 * 10**9 // int(t**0.5)).status == "failed"
    assert run_check("06.1", lambda t: 64 * 10**9 // math.isqrt(t)).status == "passed"
    assert run_check("06.2", lambda a, c, i: a * (1 - c) - i).status == "failed"


def test_summary_states_its_standard_errors():
    out = sk.simulate_staking(1000, 0.05, commission=0.1, slash_prob=0.02, slash_fraction=0.1,
                              price_vol=0.6, unbonding_days=21, n_paths=4_000, seed=3)
    s = out.summary()
    n = 4_000
    assert s["n_paths"] == n
    assert s["se_mean_value"] == pytest.approx(np.std(out.value, ddof=1) / np.sqrt(n))
    assert s["se_prob_loss"] == pytest.approx(np.sqrt(s["prob_loss"] * (1 - s["prob_loss"]) / n))
    assert s["se_prob_slashed"] == pytest.approx(np.sqrt(s["prob_slashed"] * (1 - s["prob_slashed"]) / n))
    # the true mean (tokens are independent of a driftless price) lies within 4 standard errors
    expected_tokens = 1000 * sk.compound_growth(0.045, 1) * (1 - 0.02 * 0.1)
    assert abs(s["mean_value"] - expected_tokens) < 4 * s["se_mean_value"]


def test_calculator_has_a_seed_control_and_shows_uncertainty():
    from cryptocourse.dashboards.staking import StakingCalculatorDashboard, calculator_view

    c = StakingCalculatorDashboard()
    assert c.controls["seed"].value == 2026
    png, mean = c.image.value, c.result.summary["mean_value"]
    assert f"{mean:,.0f} ± {c.result.summary['se_mean_value']:,.0f}" in c.summary.value
    c.set(seed=2027)
    assert c.result.summary["mean_value"] != mean and c.image.value != png
    assert c.result.summary["mean_value"] == calculator_view(seed=2027).summary["mean_value"]
