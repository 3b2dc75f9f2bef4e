"""The dashboard pattern (cryptocourse.dashboards._base) and notebook 01's dashboard, headless."""
import numpy as np
import pytest

from cryptocourse import finance
from cryptocourse.dashboards.finance import MoneyMathDashboard, money_math_view


def test_compute_function_matches_the_finance_module():
    v = money_math_view(apr=0.2, periods_per_year=12, inflation=0.05, fixed_costs=35, days=30, size=1000)
    assert v.apy == pytest.approx(finance.apr_to_apy(0.2, 12))
    assert v.real_apy == pytest.approx(finance.real_yield(v.apy, 0.05))
    assert v.break_even_usd == pytest.approx(finance.break_even_size(35, 0.2, 30, 12))
    assert v.profit_usd == pytest.approx(finance.net_profit(1000, 0.2, 30, 35, 12))
    assert np.all(np.diff(v.profits) > 0)  # a bigger position earns more


def test_renders_headless_with_defaults():
    dash = MoneyMathDashboard()
    assert bytes(dash.image.value).startswith(b"\x89PNG") and dash.updates == 1
    assert "APY" in dash.summary.value and "break-even" in dash.summary.value


def test_updates_in_place_when_a_control_changes():
    dash = MoneyMathDashboard()
    fig, png, summary = dash.figure, dash.image.value, dash.summary.value
    dash.controls["apr"].value = 0.5
    assert dash.updates == 2 and dash.figure is fig
    assert dash.image.value != png and dash.summary.value != summary
    assert dash.result.apy == pytest.approx(finance.apr_to_apy(0.5, 365))


def test_set_changes_several_controls_in_one_update():
    dash = MoneyMathDashboard()
    result = dash.set(apr=0.3, periods_per_year=1, inflation=0.3)
    assert dash.updates == 2 and result.apy == pytest.approx(0.3)
    assert result.real_apy == pytest.approx(0.0, abs=1e-12)


def test_steady_slider_moves_are_blitted_not_fully_redrawn():
    dash = MoneyMathDashboard()
    for fee in range(20, 40):
        dash.controls["fixed_costs"].value = float(fee)
    assert dash.full_redraws < 10  # most moves redraw only the changing artists


def test_unknown_control_is_a_clear_error():
    with pytest.raises(ValueError, match="no control 'rate'.*controls are: apr"):
        MoneyMathDashboard(rate=0.1)
    with pytest.raises(ValueError, match="no control 'x'"):
        MoneyMathDashboard().set(x=1)


def test_initial_values_are_applied():
    dash = MoneyMathDashboard(apr=0.2, periods_per_year=1)
    assert dash.result.apy == pytest.approx(0.2)
