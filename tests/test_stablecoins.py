"""cryptocourse.stablecoins against MakerDAO's own sources and tests, and its dashboard headless.

Vectors, with where they come from:
- makerdao/dss commit fa4f6630 (May 2022): src/test/jug.t.sol, pot.t.sol, abaci.t.sol, clip.t.sol.
- makerdao/dss-psm commit 7d717d88: src/tests/psm.t.sol.
- makerdao/spells-mainnet archive/2023-03-11-DssSpell/test/rates.sol (the governance rate table)
  and test/config.sol (ETH-A, the DSR).
"""
import math
from decimal import ROUND_FLOOR, Decimal, localcontext

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from cryptocourse import amm
from cryptocourse import stablecoins as sc
from cryptocourse.stablecoins import RAD, RAY, WAD

FIVE_PCT_A_DAY = 1000000564701133626865910626     # jug.t.sol / pot.t.sol
TEN_PCT_A_DAY = 1000001103127689513476993127
MINUS_2_5_PCT_A_DAY = 999999706969857929985428567
DAY = 86_400

# makerdao/spells-mainnet archive/2023-03-11-DssSpell/test/rates.sol: basis points a year -> duty
SPELL_RATES = {
    0: 1000000000000000000000000000, 1: 1000000000003170820659990704,
    2: 1000000000006341324285480111, 5: 1000000000015850933588756013,
    10: 1000000000031693947650284507, 25: 1000000000079175551708715274,
    50: 1000000000158153903837946257, 75: 1000000000236936036262880196,
    100: 1000000000315522921573372069, 125: 1000000000393915525145987602,
    150: 1000000000472114805215157978, 175: 1000000000550121712943459312,
    200: 1000000000627937192491029810, 250: 1000000000782997609082909351,
    300: 1000000000937303470807876289, 400: 1000000001243680656318820312,
    500: 1000000001547125957863212448, 600: 1000000001847694957439350562,
    700: 1000000002145441671308778766, 800: 1000000002440418608258400030,
    900: 1000000002732676825177582095, 1000: 1000000003022265980097387650,
    1500: 1000000004431822129783699001, 2000: 1000000005781378656804591712,
    3000: 1000000008319516284844715115, 5000: 1000000012857214317438491659,
    7500: 1000000017745300383710610088, 10000: 1000000021979553151239153027,
}


# -- rpow, drip: dss's jug.t.sol and pot.t.sol -------------------------------------------------
def test_rpow_matches_jug_test_rpow():
    # jug.t.sol test_rpow: "expect 10 decimal precision" against 2.397991232255757e27
    result = sc.rpow(1000234891009084238901289093, 3724, 10**27)
    assert result // 10**17 == 2397991232255757 * 10**12 // 10**17
    assert result == 2397991232254682910951344872   # the exact value the assembly gives


def _fee_on_100_dai(rate_before, rate_after):
    # Vat.fold credits Art * (rate' - rate) rad to the vow; the tests read it in wad (rad / 1e27)
    return 100 * WAD * (rate_after - rate_before) // RAY


@pytest.mark.parametrize("days,fee_wad", [(1, 5 * WAD), (2, 1025 * WAD // 100), (3, 157625 * WAD // 10000)])
def test_drip_matches_jug_tests_1d_2d_3d(days, fee_wad):
    assert _fee_on_100_dai(RAY, sc.drip(RAY, FIVE_PCT_A_DAY, days * DAY)) == fee_wad


def test_drip_negative_rate_and_multi_match_jug_tests():
    # test_drip_negative_3d: 100 DAI of debt at -2.5 % a day leave 92.6859375 DAI after 3 days
    rate = sc.drip(RAY, MINUS_2_5_PCT_A_DAY, 3 * DAY)
    assert 100 * WAD * rate // RAY == 926859375 * WAD // 10**7
    # test_drip_multi: 5 % a day, then 10 % a day: fees 15.5 DAI, rate / 1e9 == 1.155 ether
    r1 = sc.drip(RAY, FIVE_PCT_A_DAY, DAY)
    r2 = sc.drip(r1, TEN_PCT_A_DAY, DAY)
    assert _fee_on_100_dai(RAY, r2) == 155 * WAD // 10 and r2 // 10**9 == 1155 * WAD // 1000


def test_pot_drip_matches_pot_tests():
    # pot.t.sol test_save_1d: 100 DAI saved at 5 % a day for a day exit as 105 DAI
    chi = sc.drip(RAY, FIVE_PCT_A_DAY, DAY)
    assert 100 * WAD * chi // RAY == 105 * WAD
    # test_save_multi: 50 left for a second day at 10 % a day: 52.5 + 57.75 = 110.25 DAI in all
    chi2 = sc.drip(chi, TEN_PCT_A_DAY, DAY)
    assert 50 * WAD * chi // RAY + 50 * WAD * chi2 // RAY == 11025 * WAD // 100


def test_rpow_edge_cases_follow_the_assembly():
    assert sc.rpow(0, 0, RAY) == RAY and sc.rpow(0, 5, RAY) == 0
    assert sc.rpow(7 * RAY, 0, RAY) == RAY and sc.rpow(7 * RAY, 1, RAY) == 7 * RAY
    assert sc.rpow(3, 4, 1) == 81 and sc.rpow(2, 255, 1) == 2**255
    # rounding half up after each product: 1.5**2 = 2.25 -> 2 with base 1? (1.5 is not a base-1 number)
    assert sc.rpow(15, 2, 10) == 23   # 15*15 = 225, (225 + 5) // 10 = 23: half rounds up
    assert sc.rpow(15, 3, 10) == 35   # z = 15, x -> 23; (15*23 + 5)//10 = 35 (exact 3.375 -> 3.5)


def test_rpow_overflow_is_refused_as_the_contract_reverts():
    with pytest.raises(ValueError, match="overflows uint256"):
        sc.rpow(2**200, 2, 1)
    with pytest.raises(ValueError, match="overflows uint256"):
        sc.drip(2**200, 2 * RAY, 3)


@given(n=st.integers(0, 10**9), bps=st.sampled_from(sorted(SPELL_RATES)))
def test_rpow_is_close_to_the_true_power(n, bps):
    duty = SPELL_RATES[bps]
    got = sc.rpow(duty, n, RAY)
    with localcontext() as ctx:
        ctx.prec = 80
        exact = (Decimal(duty) / RAY) ** n * RAY
    # each rounding is at most half a unit, and later squarings double an earlier error: at most
    # about n units relative (1e-18 for a billion seconds), never the error of a wrong formula
    assert abs(Decimal(got) - exact) <= (n + 2 * n.bit_length() + 1) * (exact / RAY + 1)


def test_rmul_rounds_down():
    assert sc.rmul(RAY + 1, RAY - 1) == RAY - 1
    assert sc.rmul(3, RAY // 2) == 1


# -- duty_for_apy against the governance rate table -------------------------------------------
def test_one_percent_duty_is_the_spell_constant():
    assert sc.duty_for_apy(0.01) == 1000000000315522921573372069 == SPELL_RATES[100]
    assert sc.DSR_2023_03["dsr"] == SPELL_RATES[100]
    assert sc.ETH_A.duty == SPELL_RATES[150]


def _bc_scale_27(bps):
    """What `bc -l <<< 'scale=27; e( l(1 + bps/10000)/(60*60*24*365) )'` prints (the spells' recipe)."""
    with localcontext() as ctx:
        ctx.prec = 100
        one = Decimal(10) ** 27
        trunc = lambda d: (d * one).to_integral_value(rounding=ROUND_FLOOR) / one  # noqa: E731
        y = trunc((1 + Decimal(bps) / 10_000).ln())
        z = trunc(y / sc.SECONDS_PER_YEAR)
        return int((z.exp() * one).to_integral_value(rounding=ROUND_FLOOR))


@pytest.mark.parametrize("bps", sorted(SPELL_RATES))
def test_duty_for_apy_is_the_floor_the_spell_table_truncates(bps):
    """The table equals bc's scale-27 truncations exactly; our floor is equal or one unit above."""
    assert _bc_scale_27(bps) == SPELL_RATES[bps]
    ours = sc.duty_for_apy(bps / 10_000)
    assert 0 <= ours - SPELL_RATES[bps] <= 1
    assert sc.duty_to_apy(ours) == pytest.approx(bps / 10_000, abs=1e-15)


def test_duty_for_apy_is_floored_and_compounds_back():
    duty = sc.duty_for_apy(0.05)
    assert duty_apy_below(duty, 0.05) and not duty_apy_below(duty + 1, 0.05)
    assert sc.duty_for_apy(0.05, seconds_per_year=365 * DAY) == duty


def duty_apy_below(duty, apy):
    with localcontext() as ctx:
        ctx.prec = 80
        return (Decimal(duty) / RAY) ** sc.SECONDS_PER_YEAR <= 1 + Decimal(repr(apy))


@pytest.mark.parametrize("bad,exc", [(-1.0, ValueError), (-2, ValueError), (5000, ValueError),
                                     ("1%", TypeError), (float("nan"), ValueError)])
def test_duty_for_apy_refuses_bad_rates(bad, exc):
    with pytest.raises(exc, match="apy"):
        sc.duty_for_apy(bad)


# -- auction price curves: abaci.t.sol and clip.t.sol -------------------------------------------
def test_linear_decrease_matches_abaci_test():
    for k in range(11):   # test_linear_decrease: top 1000, tau 3600, every 360 s
        assert sc.clip_price_linear(1000 * RAY, 360 * k, 3600) == (1000 - 100 * k) * RAY
    assert sc.clip_price_linear(1000 * RAY, 10**9, 3600) == 0
    assert sc.clip_price_linear(1000 * RAY, 0, 0) == 0            # tau 0: dur >= tau at once
    # rounding: rmul(top, (tau - dur) * RAY // tau), not top * (tau - dur) // tau
    assert sc.clip_price_linear(10, 1, 3) == 6 and 10 * 2 // 3 == 6
    assert sc.clip_price_linear(10**27 + 1, 1, 3) == (10**27 + 1) * (2 * RAY // 3) // RAY


def test_stairstep_matches_clip_tests():
    cut = RAY - 10**16 * 10**9   # ray(0.01 ether) off: 1 % per step
    # clip.t.sol test_take_bid_avoids_recalculate_due_no_more_lot: 60 s after a start at 5
    assert sc.clip_price_stairstep(5 * RAY, 60, 1, cut) == 2735783211953807380973706855
    # test_take_multiple_bids_different_prices: "5 * 0.99 ** 30 = 3.698501866941401 RAY"
    assert sc.clip_price_stairstep(5 * RAY, 30, 1, cut) / RAY == pytest.approx(3.698501866941401, rel=1e-15)


@pytest.mark.parametrize("top,tolerance", [(50_000_000 * RAY, 100_000_000), (RAY // 10_000_000, 1)])
@pytest.mark.parametrize("pct,step", [("1.1234567890", 1), ("2.1234567890", 1), ("1.1234567890", 5),
                                      ("2.1234567890", 5), ("1.1234567890", 300)])
def test_stairstep_matches_abaci_check_exp_decrease(top, tolerance, pct, step):
    # abaci.t.sol checkExpDecrease: each step multiplies the last price by cut, within the tolerance
    cut = RAY - int(Decimal(pct) * 10**27) // 100
    price = sc.clip_price_stairstep(top, 0, step, cut)
    assert price == top
    for i in range(1, 600):
        last, price = price, sc.clip_price_stairstep(top, i, step, cut)
        expected = last * cut // RAY if i % step == 0 else last
        assert abs(expected - price) <= tolerance


def test_exponential_halves_every_900_s_as_abaci_test():
    cut = 999230132966 * 10**15   # abaci.t.sol test_continuous_exp_decrease
    expected = 4000 * RAY
    for i in range(5):
        assert abs(sc.clip_price_exponential(4000 * RAY, 900 * i, cut) - expected) <= RAY // 1000
        expected //= 2
    # the per-second curve equals the stairstep with step 1
    assert sc.clip_price_exponential(4000 * RAY, 1234, cut) == sc.clip_price_stairstep(4000 * RAY, 1234, 1, cut)


@given(top=st.integers(1, 10**40), t=st.integers(0, 10**6), step=st.integers(1, 600),
       cut=st.integers(RAY // 2, RAY))
def test_auction_prices_never_rise(top, t, step, cut):
    for fn, args in ((sc.clip_price_linear, (7200,)), (sc.clip_price_stairstep, (step, cut)),
                     (sc.clip_price_exponential, (cut,))):
        now, later = fn(top, t, *args), fn(top, t + step, *args)
        assert 0 <= later <= now <= top


@pytest.mark.parametrize("call,param", [
    (lambda: sc.clip_price_stairstep(RAY, 10, 0, RAY), "step"),
    (lambda: sc.clip_price_stairstep(RAY, 10, 90, RAY + 1), "cut"),
    (lambda: sc.clip_price_exponential(RAY, -1, RAY), "elapsed"),
    (lambda: sc.clip_price_linear(1.5e27, 10, 90), "top"),
    (lambda: sc.rpow(RAY, 3, 0), "base"),
    (lambda: sc.drip(RAY, RAY, -5), "seconds"),
    (lambda: sc.rpow(2**256, 1, 1), "x"),
])
def test_bad_integer_inputs_name_the_parameter(call, param):
    with pytest.raises((ValueError, TypeError), match=param):
        call()


# -- the PSM: dss-psm's tests ----------------------------------------------------------------
def test_psm_matches_dss_psm_tests():
    one_pct = 10**16
    assert sc.psm_sell_gem(100 * 10**6, one_pct) == (99 * WAD, WAD)           # test_sellGem_fee
    assert sc.psm_sell_gem(100 * 10**6, 5 * one_pct) == (95 * WAD, 5 * WAD)   # test_swap_both_fees
    assert sc.psm_buy_gem(40 * 10**6, 10 * one_pct) == (44 * WAD, 4 * WAD)
    assert sc.psm_sell_gem(100 * 10**6, 0) == (100 * WAD, 0)
    assert sc.psm_sell_gem(5 * WAD, one_pct, gem_decimals=18) == (495 * WAD // 100, 5 * WAD // 100)


def test_psm_snapshot_is_the_march_2023_spells():
    tin = sc.PSM_USDC_A_TIN
    assert tin["before 2023-03-11"] == 0 and tin["2023-03-11"] == 10**16 and tin["2023-03-29"] == 0
    with pytest.raises(ValueError, match="tin"):
        sc.psm_sell_gem(10**6, 2 * WAD)
    with pytest.raises(ValueError, match="gem_decimals"):
        sc.psm_sell_gem(10**6, 0, gem_decimals=24)


# -- the ETH-A snapshot ----------------------------------------------------------------------
def test_eth_a_snapshot_is_the_spell_config_in_contract_units():
    # config.sol (2023-03-11, afterSpell): mat 14500 bps, chop 1300 bps, dust 7,500, buf 110_00,
    # tail 7_200, cusp 45_00, chip 10 bps, tip 250, step 90, cut 9900 bps; units as DssSpell.t.base.sol
    e = sc.ETH_A
    assert e.mat == 14500 * 10**23 and e.chop == 1300 * 10**14 + WAD and e.dust == 7_500 * RAD
    assert e.buf == 11000 * 10**23 and e.tail == 7_200 and e.cusp == 4500 * 10**23
    assert e.chip == 10 * 10**14 and e.tip == 250 * RAD and (e.calc, e.step, e.cut) == ("stairstep", 90, 9900 * 10**23)
    assert (e.liquidation_ratio, round(e.penalty, 12), round(e.fee, 12)) == (1.45, 0.13, 0.015)
    assert "2023-03-11" in e.date and "spells-mainnet" in e.source


# -- teaching functions ------------------------------------------------------------------------
def test_ratio_liquidation_price_and_max_draw_agree():
    q, p, d, lr = 10.0, 1500.0, 8000.0, 1.45
    assert sc.collateralization_ratio(q, p, d) == pytest.approx(1.875)
    liq = sc.vault_liquidation_price(q, d, lr)
    assert liq == pytest.approx(1160.0)
    assert sc.collateralization_ratio(q, liq, d) == pytest.approx(lr)   # exactly at the ratio
    assert sc.max_draw(q, liq, lr) == pytest.approx(d)
    assert math.isinf(sc.collateralization_ratio(q, p, 0.0))
    arr = sc.vault_liquidation_price(np.array([5.0, 10.0]), np.array([1000.0, 8000.0]), 1.5)
    assert arr.tolist() == [300.0, 1200.0]


@pytest.mark.parametrize("call,param", [
    (lambda: sc.vault_liquidation_price(0.0, 100.0, 1.45), "collateral"),
    (lambda: sc.vault_liquidation_price(1.0, -1.0, 1.45), "debt"),
    (lambda: sc.vault_liquidation_price(1.0, 100.0, 145), "liquidation_ratio"),
    (lambda: sc.vault_liquidation_price(1.0, 100.0, 0.45), "liquidation_ratio"),
    (lambda: sc.max_draw("10", 100.0, 1.5), "collateral"),
    (lambda: sc.liquidation_outcome(10.0, 1000.0, 100.0, penalty=13), "penalty"),
    (lambda: sc.liquidation_outcome(10.0, 1000.0, 100.0, cut=1.0), "cut"),
])
def test_bad_float_inputs_name_the_parameter(call, param):
    with pytest.raises((ValueError, TypeError), match=param):
        call()


def test_liquidation_outcome_books_balance():
    o = sc.liquidation_outcome(10.0, 10_000.0, 1_300.0)
    assert o.tab == pytest.approx(11_300.0) and o.top == pytest.approx(1_430.0)
    assert o.take_price <= 1_300.0 * 0.98 < o.take_price / 0.99          # the first step below the margin
    assert o.take_seconds % 90 == 0
    assert o.collateral_sold + o.collateral_returned == pytest.approx(10.0)
    assert o.dai_raised == pytest.approx(o.tab) and o.bad_debt == 0.0
    assert o.penalty_paid == pytest.approx(1_300.0)
    # the owner loses the penalty plus the keeper's discount on what was sold
    assert o.owner_loss == pytest.approx(o.penalty_paid + o.collateral_sold * (1_300.0 - o.take_price))


def test_liquidation_outcome_bad_debt_when_collateral_is_short():
    o = sc.liquidation_outcome(10.0, 12_000.0, 1_100.0)   # 11,000 USD of ETH for 13,560 DAI of tab
    assert o.collateral_returned == 0.0 and o.collateral_sold == 10.0
    assert o.bad_debt == pytest.approx(12_000.0 - o.dai_raised) and o.bad_debt > 0


def test_liquidation_outcome_without_a_keeper_before_reset():
    o = sc.liquidation_outcome(10.0, 10_000.0, 1_300.0, keeper_margin=0.6)   # needs 40 % of market
    assert math.isnan(o.take_seconds) and o.collateral_sold == 0.0 and math.isnan(o.collateral_returned)


# -- the vault engine (the contract's twin; tests/test_vault_contract.py compares the two) ------
def _engine():
    v = sc.VaultEngine(price=1500 * WAD)
    v.lock("alice", 10 * WAD)
    v.draw("alice", 8000 * WAD)
    return v


def test_a_vault_year_of_fees_is_the_rate_accumulator():
    v = _engine()
    assert v.owed("alice") >= 8000 * RAD and v.dai["alice"] == 8000 * RAD
    v.warp(365 * DAY)
    rate = v.drip()
    assert rate == sc.drip(RAY, sc.ETH_A.duty, 365 * DAY)
    assert v.owed("alice") == v.art["alice"] * rate
    assert v.owed("alice") / RAD == pytest.approx(8000 * 1.015, rel=1e-15)
    assert v.debt == v.vice + v.Art * v.rate == sum(v.dai.values()) + v.surplus


def test_vault_refuses_unsafe_and_dusty_debt():
    v = sc.VaultEngine(price=1500 * WAD)
    v.lock("bob", 10 * WAD)
    with pytest.raises(sc.VaultError, match="dust"):
        v.draw("bob", 5000 * WAD)
    with pytest.raises(sc.VaultError, match="not safe"):
        v.draw("bob", 10_345 * WAD)                 # 15,000 / 1.45 = 10,344.8
    assert v.art.get("bob", 0) == 0 and v.debt == 0  # refused calls change nothing
    v.draw("bob", 10_344 * WAD)
    with pytest.raises(sc.VaultError, match="not unsafe"):
        v.bark("bob", "keeper")


def test_liquidation_in_the_engine_follows_the_float_story():
    v = _engine()
    v.lock("keeper", 100 * WAD)
    v.draw("keeper", 20_000 * WAD)
    v.poke(1100 * WAD)
    owed_before = v.owed("alice")
    id_ = v.bark("alice", "keeper")
    sale = v.sales[id_]
    due = v.vice - (250 * RAD + sale.tab // 1000)             # the vault's debt, taken over
    assert due == owed_before
    assert sale.lot == 10 * WAD and sale.top == 1100 * RAY * 110 // 100
    assert sale.tab == due * sc.ETH_A.chop // WAD
    coin = 250 * RAD + sale.tab // 1000                       # tip + chip x tab: the keeper's reward
    assert v.dai["keeper"] == 20_000 * RAD + coin
    v.warp(18 * 60)
    _, price, lot, tab = v.get_status(id_)
    assert price == sc.clip_price_stairstep(sale.top, 18 * 60, 90, 99 * RAY // 100)
    v.take(id_, 10 * WAD, price, "keeper", "keeper")
    returned = v.gem["alice"]
    o = sc.liquidation_outcome(10.0, tab / RAD / 1.13, 1100.0, keeper_margin=1 - price / RAY / 1100)
    assert returned / WAD == pytest.approx(o.collateral_returned, rel=1e-9)
    assert v.debt == v.vice + v.Art * v.rate == sum(v.dai.values()) + v.surplus
    assert id_ not in v.sales


def test_dss_take_setup_in_the_engine():
    """clip.t.sol's takeSetup: mat 200 %, price 5 -> 4, chop 10 %, buf 125 %, 1 % a second."""
    ilk = sc.IlkParams(name="gold (dss tests)", mat=2 * RAY, duty=RAY, chop=11 * WAD // 10, dust=20 * RAD,
                       buf=125 * RAY // 100, tail=3600, cusp=3 * RAY // 10, chip=0, tip=0, calc="stairstep",
                       step=1, cut=99 * RAY // 100)

    def setup():
        v = sc.VaultEngine(price=5 * WAD, ilk=ilk)
        v.lock("me", 40 * WAD)
        v.draw("me", 100 * WAD)
        v.poke(4 * WAD)
        for guy in ("ali", "bob"):
            v.dai[guy] = 1000 * RAD
        assert v.bark("me", "me") == 1
        s = v.sales[1]
        assert (s.tab, s.lot, s.top) == (110 * RAD, 40 * WAD, 5 * RAY)
        return v

    v = setup()                                     # test_take_over_tab
    v.take(1, 25 * WAD, 5 * RAY, "ali", "ali")
    assert (v.gem["ali"], v.dai["ali"], v.gem["me"]) == (22 * WAD, 890 * RAD, 18 * WAD) and 1 not in v.sales
    v = setup()                                     # test_take_under_tab
    v.take(1, 11 * WAD, 5 * RAY, "ali", "ali")
    assert (v.sales[1].tab, v.sales[1].lot, v.dai["ali"]) == (55 * RAD, 29 * WAD, 945 * RAD)
    v = setup()                                     # test_take_bid_recalculates_due_to_chost_check
    v.take(1, 18 * WAD, 5 * RAY, "ali", "ali")
    chost = 20 * RAD * 11 // 10
    assert v.sales[1].tab == chost and v.sales[1].lot == 40 * WAD - (110 * RAD - chost) // (5 * RAY)
    v = setup()                                     # test_take_bid_fails_no_partial_allowed
    v.dai["me"] = 1000 * RAD
    v.take(1, 176 * WAD // 10, 5 * RAY, "me", "me")
    assert (v.sales[1].tab, v.sales[1].lot) == (22 * RAD, 224 * WAD // 10)
    with pytest.raises(sc.VaultError, match="no partial purchase"):
        v.take(1, 1 * WAD, 5 * RAY, "me", "me")
    v = setup()                                     # test_take_multiple_bids_different_prices
    v.take(1, 10 * WAD, 5 * RAY, "ali", "ali")
    assert (v.sales[1].tab, v.sales[1].lot) == (60 * RAD, 30 * WAD)
    v.warp(30)
    _, price, lot, _ = v.get_status(1)
    v.take(1, lot, price, "bob", "bob")
    expected_gem = RAY * 60 * WAD // price
    assert (v.gem["bob"], v.dai["bob"], v.gem["me"]) == (expected_gem, 940 * RAD, 30 * WAD - expected_gem)
    v = setup()                                     # test_take_bid_avoids_recalculate_due_no_more_lot
    v.warp(60)
    assert v.get_status(1)[1] == 2735783211953807380973706855
    v.take(1, 40 * WAD, 28 * RAY // 10, "ali", "ali")
    assert 1 not in v.sales and v.gem["ali"] == 40 * WAD
    v = setup()                                     # testFail_take_bid_too_low
    with pytest.raises(sc.VaultError, match="too expensive"):
        v.take(1, 22 * WAD, 4 * RAY, "ali", "ali")


def test_auction_needs_a_reset_after_tail_and_redo_restarts_it():
    v = _engine()
    v.poke(1100 * WAD)
    v.bark("alice", "kpr")
    v.warp(sc.ETH_A.tail + 1)
    assert v.get_status(1)[0] is True
    with pytest.raises(sc.VaultError, match="needs redo"):
        v.take(1, WAD, RAY * 10**6, "kpr", "kpr")
    v.poke(1000 * WAD)
    v.redo(1, "kpr2")
    assert v.sales[1].top == 1100 * RAY and v.sales[1].tic == v.now and v.dai["kpr2"] > 250 * RAD
    with pytest.raises(sc.VaultError, match="cannot reset"):
        v.redo(1, "kpr2")


@given(ops=st.lists(st.tuples(st.sampled_from(["draw", "wipe", "warp", "poke", "bark", "take", "free"]),
                              st.integers(0, 10**6)), min_size=1, max_size=25))
def test_engine_books_always_balance(ops):
    v = sc.VaultEngine(price=2000 * WAD)
    v.lock("a", 20 * WAD)
    v.lock("k", 1000 * WAD)
    v.draw("k", 100_000 * WAD)
    for op, x in ops:
        try:
            if op == "draw":
                v.draw("a", (x % 20_000 + 1) * WAD)
            elif op == "wipe":
                v.wipe("a", (x % 30_000) * WAD)
            elif op == "warp":
                v.warp(x * 97)
                v.drip()
            elif op == "poke":
                v.poke((500 + x % 2500) * WAD)
            elif op == "bark":
                v.bark("a", "k")
            elif op == "take" and v.sales:
                sid = next(iter(v.sales))
                v.take(sid, (x % 20 + 1) * WAD, 10**40, "k", "k")
            elif op == "free":
                v.free("a", (x % 20) * WAD)
        except sc.VaultError:
            pass
        assert v.debt == v.vice + v.Art * v.rate == sum(v.dai.values()) + v.surplus
        assert v.Art == sum(v.art.values())
        owner = v.ink.get("a", 0) + v.gem.get("a", 0)
        in_auction = sum(s.lot for s in v.sales.values())
        assert owner + in_auction + v.gem.get("k", 0) + v.ink["k"] == 1020 * WAD   # no ETH created or lost


# -- the depeg in a StableSwap pool ----------------------------------------------------------
@pytest.mark.parametrize("amp", [100, 200, 2000])
def test_depeg_arbitrage_stops_where_the_pool_price_meets_the_market(amp):
    o = sc.stableswap_depeg([1e6, 1e6], amp, 0.88, fee=0.0004)
    x, y = o.balances_after
    assert (x, y) == (1e6 + o.sold_in, 1e6 - o.bought_out)
    # they stop where the pool's marginal price after the fee has come down to the market
    y_curve = amm.stableswap_get_y(0, 1, x, [1e6, 1e6], amp)
    assert amm.stableswap_spot_price(0, 1, [x, y_curve], amp) * 0.9996 == pytest.approx(0.88, rel=1e-9)
    assert o.average_price > 0.88                   # they sold above the market: their profit
    assert o.lp_value_after < o.hodl_value < o.lp_value_at_par
    assert o.depegged_share > 0.9                    # the LPs end up holding the depegged coin


def test_higher_amplification_leaves_lps_with_more_of_the_depegged_coin():
    low, high = (sc.stableswap_depeg([1e6, 1e6], a, 0.88) for a in (100, 2000))
    assert high.depegged_share > low.depegged_share and high.lp_value_after < low.lp_value_after
    assert high.average_price > low.average_price    # taken near 1:1


def test_no_depeg_no_trade():
    o = sc.stableswap_depeg([1e6, 1e6], 200, 1.0)
    assert o.sold_in == 0.0 and o.balances_after == (1e6, 1e6)


# -- the dashboard ---------------------------------------------------------------------------
from cryptocourse.dashboards.stablecoins import VaultDashboard, vault_view  # noqa: E402


def test_vault_view_default_path_is_liquidated_and_books_balance():
    v = vault_view()
    assert v.start_ratio == pytest.approx(2.0) and v.liquidation_price[0] == pytest.approx(1450.0)
    d = v.liquidation_day
    assert d > 0 and v.ratio[d] < 1.45 <= v.ratio[:d].min()
    o = v.outcome
    assert o.collateral_sold + o.collateral_returned == pytest.approx(10.0)
    assert o.tab == pytest.approx(v.debt[d] * 1.13)
    assert np.isnan(v.ratio[d + 1:]).all()
    assert v.owner_equity_end == pytest.approx(o.collateral_returned * v.price[-1])


def test_vault_view_reacts_to_penalty_margin_and_fee():
    base = vault_view()
    no_penalty = vault_view(penalty=0.0)
    assert no_penalty.owner_eth_end > base.owner_eth_end
    greedy = vault_view(keeper_margin=0.08)
    assert greedy.outcome.take_seconds > base.outcome.take_seconds and greedy.owner_eth_end < base.owner_eth_end
    safe = vault_view(debt_dai=7_500.0, seed=1)
    assert safe.liquidation_day == -1 and safe.outcome is None
    costly = vault_view(fee=0.2)
    assert costly.liquidation_day <= base.liquidation_day


@pytest.mark.parametrize("kw,param", [({"debt_dai": 100.0}, "debt_dai"), ({"debt_dai": 20_000.0}, "debt_dai"),
                                      ({"volatility": -0.1}, "volatility"), ({"seed": 1.5}, "seed")])
def test_vault_view_refuses_bad_inputs(kw, param):
    with pytest.raises((ValueError, TypeError), match=param):
        vault_view(**kw)


def test_dashboard_renders_and_updates_in_place():
    dash = VaultDashboard()
    png, summary = dash.image.value, dash.summary.value
    assert bytes(png).startswith(b"\x89PNG") and "barked on day" in summary
    dash.set(penalty=0.0)
    assert dash.image.value != png and dash.result.owner_eth_end > 0
    dash.set(debt_dai=20_000.0)      # unsafe at the start: the message shows, the view stays
    assert "debt_dai" in dash.error.value and dash.result.owner_eth_end > 0
    for seed in range(10, 30):
        dash.controls["seed"].value = seed
    assert dash.full_redraws < 20
