"""Every number lesson 09b's prose, answer keys and model answers state, recomputed from the package.

If a default, a snapshot or a formula changes, the sentence that quotes it fails here.
"""
import math

import pytest
from lessontext import code, never_states, states

from cryptocourse import stablecoins as sc
from cryptocourse.dashboards.stablecoins import vault_view
from cryptocourse.stablecoins import RAD, RAY, WAD

LESSON = "notebooks/09b_stablecoins_and_maker_vaults.ipynb"
SOLUTION = "exercises/solutions/09b_stablecoins_and_maker_vaults.ipynb"
YEAR = 365 * 86_400


def test_vault_section_numbers():
    states(LESSON, "**ETH-A** is the\nmain type for ETH", "executive **spell**")
    # a liquidation ratio above 1 is the reciprocal of a threshold below 1: same liquidation price
    lt = 1 / sc.ETH_A.liquidation_ratio
    assert f"{lt:.0%}" == "69%" and sc.vault_liquidation_price(10.0, 10_000.0, sc.ETH_A.liquidation_ratio) == \
        pytest.approx(10_000.0 / (10.0 * lt))
    states(LESSON, "a\n145 % ratio works like a [liquidation threshold](glossary.ipynb#liquidation-threshold) of "
                   "1 / 1.45 = 69 %")
    never_states(LESSON, "Aave's [health factor](glossary.ipynb#health-factor) divides by a threshold")
    liq = sc.vault_liquidation_price(10.0, 10_000.0, sc.ETH_A.liquidation_ratio)
    assert liq == pytest.approx(1_450.0)
    states(LESSON, f"ETH may fall {1 - liq / 2_000:.1%}".replace("%", " %"),
           f"backed by {sc.collateralization_ratio(10.0, 2_000.0, 10_000.0):.0f} USD of ETH")


def test_fee_section_numbers():
    # count the operations of dss's _rpow loop (z starts as x or base; then per halving of n: one squaring,
    # and one multiplication into z when the new lowest digit is 1), independently of the package
    n, squarings, products = YEAR // 2, 0, 0
    while n:
        squarings += 1
        products += n % 2
        n //= 2
    assert (YEAR.bit_length(), squarings, products) == (25, 24, 10)
    states(LESSON, "a year (31,536,000 seconds, 25 binary digits) takes 24 squarings and 10\nmultiplications")
    never_states(LESSON, "a year takes 25 squarings")
    assert 10_000 * WAD * RAY == 10_000 * RAD and RAD == 10**45
    states(LESSON, "so `art` × `rate` has 45 decimals, a **rad**", "dividing by `RAD` $= 10^{45}$ gives DAI")
    once = sc.drip(RAY, sc.ETH_A.duty, YEAR)
    daily = RAY
    for _ in range(365):
        daily = sc.drip(daily, sc.ETH_A.duty, 86_400)
    assert 100 <= abs(once - daily) < 1000 and abs(once - daily) / RAY < 1e-24
    states(LESSON, "a few hundred units of $10^{-27}$ (less than $10^{-24}$ DAI per DAI owed)")
    assert once < 1015 * RAY // 1000 and sc.duty_for_apy(0.015) - sc.ETH_A.duty in (0, 1)
    states(LESSON, "a year gives a hair under 1.5 %")
    # the spell's constant is one unit below floor(exact root), found with 60-digit decimals, not the package
    from decimal import Decimal, localcontext
    with localcontext() as ctx:
        ctx.prec = 60
        exact = int((Decimal("1.015").ln() / YEAR).exp() * Decimal(10) ** 27)
    assert exact - sc.ETH_A.duty == 1
    states(LESSON, "The spell's `duty` is one unit of $10^{-27}$ below\nthe exact root rounded down")
    never_states(LESSON, "`duty` is the exact\nroot rounded down")
    assert sc.duty_for_apy(0.01) == 1000000000315522921573372069
    states(LESSON, "the constant MakerDAO's spells use for 1 %")


def test_liquidation_section_numbers():
    o = sc.liquidation_outcome(10.0, 10_000.0, 1_300.0, penalty=sc.ETH_A.penalty, keeper_margin=0.02)
    states(LESSON, f"gets back about {o.collateral_returned:.2f} ETH", "of the 3,000 USD of equity",
           "(13,000 of ETH minus 10,000 of debt)", f"{o.penalty_paid:,.0f} USD as the penalty")
    assert 10 * 1_300 - 10_000 == 3_000 and o.owner_loss > 3_000 / 2       # "more than half went"
    assert o.penalty_paid == pytest.approx(1_300.0)
    states(LESSON, "below its 1,450 liquidation price")


def test_evm_section_numbers():
    owed = 10_000 * WAD * sc.drip(RAY, sc.ETH_A.duty, YEAR) / RAD
    assert f"{owed:,.0f}" == "10,150"
    states(LESSON, "the tab to 1.13 × 10,150 DAI")
    # the notebook's story is the one tests/test_vault_contract.py checks on the EVM
    assert "deploy_vault(2_000 * WAD" in code(LESSON) and "chain.advance(seconds=18 * 60)" in code(LESSON)


def test_depeg_facts_and_numbers():
    d = sc.DEPEG_2023_03
    assert (d["usdc_low"], d["dai_low"], d["reserves_at_svb_usd"], d["reserves_usd"]) == (0.88, 0.90, 3.3e9, 40e9)
    states(LESSON, "3.3 billion of the about 40 billion USD backing USDC", "as low as about 0.88 USD",
           "about 0.90 (The Block, 11 March 2023)", "raised the PSM's `tin` from 0 to 1 %",
           "the spell of 29 March set `tin` back to 0")
    assert sc.PSM_USDC_A_TIN["2023-03-11"] == 10**16 and sc.PSM_USDC_A_TIN["2023-03-29"] == 0
    lp = sc.stableswap_depeg([1e6, 1e6], 2000, d["usdc_low"], fee=0.0004)
    low = sc.stableswap_depeg([1e6, 1e6], 200, d["usdc_low"], fee=0.0004)
    assert lp.bought_out > low.bought_out and lp.average_price > low.average_price   # "the flatter the curve"
    share = lp.lp_value_after / lp.lp_value_at_par
    assert round(1 - share, 2) == 0.11
    states(LESSON, "worth about 11 % less", "down 10 % at the trough", "so the claim fell with it (12 %)")
    assert round(1 - d["dai_low"], 2) == 0.10 and round(1 - d["usdc_low"], 2) == 0.12
    # the side-by-side cell: the vault owner's number is a cost, so its sign is turned (a gain of 1,000 USD)
    assert 10_000 - 10_000 * d["dai_low"] == pytest.approx(1_000.0)
    assert "(10_000 * dai_low, -1)}  # -1: a cost" in code(LESSON)
    states(LESSON, "For the vault owner the number is what repaying the debt costs, so a lower number is a gain",
           "The **vault owner** was not hurt, and could gain")
    states(LESSON, "High amplification does not protect LPs in a depeg: the arbitrageurs take the good coin "
                   "near 1:1 and the LPs end up holding the depegged one")
    never_states(LESSON, "protects LPs", "protects their LPs")
    # the model answer of 09b.5 quotes the lesson's numbers
    states(SOLUTION, f"{10_000 * d['usdc_low']:,.0f} USD at the trough",
           f"about {10_000 * share:,.0f} USD per 10,000 at A = 2000", f"({10_000 * d['dai_low']:,.0f} USD)",
           "lost 10 %")


def test_try_it_answers():
    base = vault_view()
    o = base.outcome
    d = base.liquidation_day
    states(LESSON, f"Barked on day **{d}** at **{base.price[d]:,.0f} USD**", f"the tab is {o.tab:,.0f} DAI",
           f"a keeper buys {o.collateral_sold:.3f} ETH after {o.take_seconds / 60:.0f} minutes",
           f"the owner gets back **{o.collateral_returned:.3f} ETH**")
    free = vault_view(penalty=0.0).outcome
    extra = free.collateral_returned - o.collateral_returned
    states(LESSON, f"**{free.collateral_returned:.3f} ETH**: about **{extra:.3f} ETH** more",
           f"the penalty ({o.penalty_paid:,.0f} DAI)")
    greedy = vault_view(keeper_margin=0.08).outcome
    states(LESSON, f"After **{greedy.take_seconds / 60:.0f} minutes** ({greedy.take_seconds / 90:.0f} price steps of 90 s) "
                   f"at {greedy.take_price:,.0f} DAI per ETH", f"only **{greedy.collateral_returned:.3f} ETH**")
    states(LESSON, "(10 ETH, 10,000 DAI, path 7)")
    assert vault_view.__defaults__[:4] == (10.0, 10_000.0, 0.8, 7)


def test_check_your_understanding_answers():
    profit = sc.psm_sell_gem(50_000 * 10**6, 0)[0] / WAD * 1.01 - 50_000
    states(LESSON, f"sell the DAI at 1.01: **{profit:,.0f} USD** before")
    liq = sc.vault_liquidation_price(4.0, 3_000.0, sc.ETH_A.liquidation_ratio)
    states(LESSON, f"**{liq:,.2f} USD** per ETH")


def test_exercise_texts():
    assert sc.rpow(15, 2, 10) == 23
    states(SOLUTION, "`rpow(15, 2, 10)` is 23")
    assert 10_000 * WAD * (102 * RAY // 100) // RAD == 10_200
    states(SOLUTION, "the vault owes 10,200 DAI now", "(`ETH_A.duty`, 1.5 % a year)")
    assert math.isclose(sc.ETH_A.fee, 0.015, abs_tol=1e-12) and sc.ETH_A.penalty == pytest.approx(0.13)
    states(SOLUTION, "penalty 13 %, start at 110 % of the oracle price", "price times 0.99 after every **full**\n90 seconds")
    assert sc.ETH_A.buf == 110 * RAY // 100 and sc.ETH_A.cut == 99 * RAY // 100 and sc.ETH_A.step == 90
    # 09b.4: 28 minutes is 18 full steps and a fraction, so "full" matters (27 minutes would not test it)
    from cryptocourse.exercises import set09b
    assert set09b.MINUTES_4 == 28 and (28 * 60) % 90 != 0 and 28 * 60 // 90 == 18
    states(SOLUTION, "A keeper buys 28 minutes after the start")


def test_exponential_curve_cut_halves_in_15_minutes():
    cut = 999230132966 * 10**15
    assert "999230132966 * 10**15" in code(LESSON)
    assert cut / RAY == pytest.approx(0.5 ** (1 / 900), abs=1e-12)
    assert sc.clip_price_exponential(1_430 * RAY, 900, cut) / RAY == pytest.approx(715.0, abs=1e-3)


def test_hints_do_not_transcribe_the_solutions():
    from cryptocourse.exercises import set09b
    hints = {e.id: e.hint for e in set09b.EXERCISES if hasattr(e, "hint")}
    assert "debt x liquidation_ratio / collateral" not in hints["09b.2"]
    for line in ("rate_now = rpow(", "* rate // RAY", "0.99 ** (", "tab = 9,000 x 1.13", "z (it starts as x"):
        assert not any(line in h for h in hints.values()), line


def test_snapshots_are_dated_and_sourced_in_the_prose():
    states(LESSON, "ETH-A as MakerDAO's executive **spell** (the contract that a passed governance vote runs to "
                   "change parameters) of 11 March 2023 left it",
           "makerdao/spells-mainnet, `archive/2023-03-11-DssSpell/test/config.sol`",
           "the DSR was 1 % a year", "`pot_dsr = 100`")
    assert sc.DSR_2023_03["apy"] == 0.01 and sc.ETH_A.date == "2023-03-11"
    never_states(LESSON, "current DSR", "currently", "today's rate")


def test_every_collateral_on_the_slider_can_draw_the_smallest_debt():
    """Fresh review: below about 5.4 ETH every debt the slider offers (>= the 7,500 DAI dust) was refused."""
    from cryptocourse.dashboards.stablecoins import ETH_PRICE, VaultDashboard
    from cryptocourse.stablecoins import ETH_A

    d = VaultDashboard()
    lowest_collateral, lowest_debt = d.controls["collateral_eth"].min, d.controls["debt_dai"].min
    ratio = ETH_A.mat / 10**27
    assert lowest_collateral * ETH_PRICE / ratio >= lowest_debt
