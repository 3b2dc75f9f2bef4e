"""cryptocourse.finance: known values, invariants and clear errors."""
import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from cryptocourse import finance as f

rates = st.floats(min_value=0.0, max_value=3.0, allow_nan=False)
periods = st.sampled_from([1, 2, 4, 12, 52, 365, 8760, math.inf])


# -- known values (textbook definitions, computed by hand) --------------------------------
def test_apr_to_apy_known_values():
    assert f.apr_to_apy(0.12, 12) == pytest.approx(1.01**12 - 1, rel=1e-15)  # 12.6825 %
    assert f.apr_to_apy(0.10, 1) == pytest.approx(0.10)
    assert f.apr_to_apy(0.10, math.inf) == pytest.approx(math.e**0.1 - 1)
    assert f.apr_to_apy(0.05, 365) == pytest.approx(0.0512675, abs=1e-7)


def test_arrays_in_arrays_out_scalars_out_floats():
    out = f.apr_to_apy(np.array([0.0, 0.1, 0.2]), 12)
    assert isinstance(out, np.ndarray) and out.shape == (3,)
    assert type(f.apr_to_apy(0.1)) is float
    assert type(f.apy_to_apr(np.float64(0.1))) is float
    assert f.real_yield(np.array([0.05, 0.1]), 0.05).tolist() == pytest.approx([0.0, 0.047619], abs=1e-6)


def test_real_yield_is_not_the_shortcut():
    assert f.real_yield(0.10, 0.25) == pytest.approx(-0.12)
    assert f.real_yield(0.05, 0.04) == pytest.approx(1.05 / 1.04 - 1)


def test_break_even_and_net_profit_agree():
    size = f.break_even_size(35.0, 0.10, 30)
    assert f.net_profit(size, 0.10, 30, 35.0) == pytest.approx(0.0, abs=1e-9)
    assert f.net_profit(size * 0.9, 0.10, 30, 35.0) < 0 < f.net_profit(size * 1.1, 0.10, 30, 35.0)


def test_returns_and_volatility():
    prices = [100.0, 110.0, 99.0]
    assert f.simple_returns(prices).tolist() == pytest.approx([0.1, -0.1])
    assert f.log_returns(prices).sum() == pytest.approx(math.log(0.99))
    # a path with constant log returns has zero volatility
    assert f.annualized_volatility(100 * np.exp(0.01 * np.arange(10))) == pytest.approx(0.0, abs=1e-12)
    # many paths at once: last axis is time
    rng = np.random.default_rng(0)
    paths = 100 * np.exp(np.cumsum(rng.normal(0, 0.8 / math.sqrt(365), (4, 2000)), axis=1))
    vols = f.annualized_volatility(paths)
    assert vols.shape == (4,) and np.allclose(vols, 0.8, rtol=0.06)


# -- invariants ---------------------------------------------------------------------------
@given(rates, periods)
def test_round_trip(apr, n):
    assert f.apy_to_apr(f.apr_to_apy(apr, n), n) == pytest.approx(apr, rel=1e-9, abs=1e-12)


@given(st.floats(min_value=1e-6, max_value=3.0), st.sampled_from([1, 2, 12, 365, 8760]))
def test_more_compounding_never_pays_less(apr, n):
    assert f.apr_to_apy(apr, n) <= f.apr_to_apy(apr, n * 2) * (1 + 1e-12)
    assert f.apr_to_apy(apr, n) <= f.apr_to_apy(apr, math.inf) * (1 + 1e-12)
    assert f.apr_to_apy(apr, n) >= apr * (1 - 1e-12)


@given(st.floats(min_value=0, max_value=1), st.floats(min_value=0, max_value=1))
def test_real_yield_below_nominal_when_inflating(nominal, inflation):
    assert f.real_yield(nominal, inflation) <= nominal + 1e-12


@given(st.floats(min_value=0.1, max_value=1000), st.floats(min_value=0.001, max_value=2),
       st.floats(min_value=1, max_value=730))
def test_bigger_costs_need_bigger_positions(cost, apr, days):
    assert f.break_even_size(cost * 2, apr, days) == pytest.approx(2 * f.break_even_size(cost, apr, days))


# -- clear errors on bad input ------------------------------------------------------------
@pytest.mark.parametrize("call, param", [
    (lambda: f.apr_to_apy(0.1, 0), "periods_per_year"),
    (lambda: f.apr_to_apy(0.1, -12), "periods_per_year"),
    (lambda: f.apr_to_apy("5%"), "apr"),
    (lambda: f.apr_to_apy(float("nan")), "apr"),
    (lambda: f.apr_to_apy(-2.0, 1), "apr"),
    (lambda: f.apy_to_apr(-1.0), "apy"),
    (lambda: f.apy_to_apr(0.1, "daily"), "periods_per_year"),
    (lambda: f.grow(-1, 0.1, 1), "principal"),
    (lambda: f.grow(100, 0.1, -1), "years"),
    (lambda: f.real_yield(0.05, -1.0), "inflation"),
    (lambda: f.real_yield(-1.5, 0.0), "nominal"),
    (lambda: f.holding_return(0.1, -3), "days"),
    (lambda: f.break_even_size(-5, 0.1, 30), "fixed_costs"),
    (lambda: f.break_even_size(5, 0.0, 30), "apr"),
    (lambda: f.break_even_size(5, 0.1, 0), "days"),
    (lambda: f.net_profit(-1, 0.1, 30, 5), "size"),
    (lambda: f.net_profit(100, 0.1, 30, -5), "fixed_costs"),
    (lambda: f.simple_returns([100]), "prices"),
    (lambda: f.log_returns([100, 0]), "prices"),
    (lambda: f.annualized_volatility([100, 101]), "prices"),
    (lambda: f.annualized_volatility([100, 101, 102], 0), "periods_per_year"),
])
def test_bad_input_names_the_parameter(call, param):
    with pytest.raises((ValueError, TypeError), match=param):
        call()


def test_error_message_says_what_is_allowed():
    with pytest.raises(ValueError) as info:
        f.apr_to_apy(0.1, 0)
    assert "must be > 0 (got 0)" in str(info.value) and "365 (daily)" in str(info.value)
    with pytest.raises(TypeError, match="must be a number"):
        f.apr_to_apy(True)
