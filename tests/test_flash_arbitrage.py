"""Notebook 11's flash-loan arbitrage on the course EVM, against the Python model, to the wei.

Contracts: ArbToken, ArbPair (a minimal Uniswap V2 pair), FlashLender (Aave V3's premium) and
FlashArbitrage (borrow, buy, sell, repay in one transaction). Model: cryptocourse.arbitrage
(flash_loan_premium, flash_arbitrage_profit, optimal_flash_amount) and cryptocourse.amm.get_amount_out.
"""
import boa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cryptocourse import chain
from cryptocourse.amm import get_amount_out
from cryptocourse.arbitrage import (deploy_flash_arbitrage, flash_arbitrage_profit, flash_loan_premium,
                                    optimal_flash_amount)

E18 = 10**18
CHEAP = (125 * E18, 5_000_000 * E18)
DEAR = (125 * E18, 5_050_000 * E18)


@pytest.fixture(scope="module")
def lab():
    return deploy_flash_arbitrage(CHEAP, DEAR, premium_bps=5)


@pytest.fixture
def fresh(lab):
    env = lab.usd.env          # the lab's chain (other tests start chains of their own)
    boa.set_env(env)
    with env.anchor():         # every test starts from the freshly deployed lab
        yield lab


def _state(lab):
    return (lab.usd.balanceOf(lab.bot), lab.usd.balanceOf(lab.lender.address), lab.reserves(lab.cheap),
            lab.reserves(lab.dear), lab.coin.balanceOf(lab.executor.address), lab.usd.balanceOf(lab.executor.address))


# ---------------------------------------------------------------- the lesson's numbers

def test_profitable_arbitrage_equals_the_model_to_the_wei(fresh):
    lab = fresh
    loan = optimal_flash_amount(CHEAP, DEAR)
    model = flash_arbitrage_profit(loan, CHEAP, DEAR)
    lender_before = lab.usd.balanceOf(lab.lender.address)
    result = lab.run(loan)
    assert result.ok and result.value == model.profit > 0
    assert lab.usd.balanceOf(lab.bot) == model.profit                  # the bot started with nothing
    assert lab.usd.balanceOf(lab.lender.address) == lender_before + model.premium
    assert lab.reserves(lab.cheap) == (CHEAP[0] - model.bought, CHEAP[1] + loan)
    assert lab.reserves(lab.dear) == (DEAR[0] + model.bought, DEAR[1] - model.returned)
    assert lab.coin.balanceOf(lab.executor.address) == 0 == lab.usd.balanceOf(lab.executor.address)
    (event,) = chain.events(lab.executor)
    assert event == {"event": "Arbitrage", "token": lab.usd.address, "borrowed": loan, "bought": model.bought,
                     "returned": model.returned, "premium": model.premium, "profit": model.profit}
    assert lab.lender.loans() == 1


def test_unprofitable_arbitrage_reverts_and_changes_nothing_but_gas(fresh):
    lab = fresh
    loan = optimal_flash_amount(CHEAP, DEAR)
    assert lab.run(loan).ok
    after = flash_arbitrage_profit(loan, lab.reserves(lab.cheap), lab.reserves(lab.dear))
    assert after.profit < 0                                            # the model says: no longer pays
    before = _state(lab)
    result = lab.run(loan)
    assert not result.ok and result.reason == "unprofitable"
    assert result.gas > 21_000                                         # the failed transaction still costs gas
    assert _state(lab) == before
    assert lab.lender.loans() == 1


def test_the_opening_example_gap_never_pays(fresh):
    dear = (125 * E18, 5_012_500 * E18)                                # 40,100 USD vs 40,000 USD
    assert optimal_flash_amount(CHEAP, dear) == 0
    for loan in (10 * E18, 1_000 * E18, 50_000 * E18):
        assert flash_arbitrage_profit(loan, CHEAP, dear).profit < 0


def test_min_profit_guards_the_bot(fresh):
    lab = fresh
    loan = optimal_flash_amount(CHEAP, DEAR)
    profit = flash_arbitrage_profit(loan, CHEAP, DEAR).profit
    assert lab.run(loan, min_profit=profit + 1).reason == "unprofitable"
    assert lab.run(loan, min_profit=profit).value == profit


@settings(max_examples=12)
@given(loan=st.integers(10**12, 300_000 * E18),
       coin=st.integers(10 * E18, 10_000 * E18),
       usd=st.integers(10_000 * E18, 50_000_000 * E18),
       gap_bps=st.integers(0, 500), premium_bps=st.sampled_from([0, 5, 9]))
def test_any_loan_matches_the_model_to_the_wei(loan, coin, usd, gap_bps, premium_bps):
    cheap, dear = (coin, usd), (coin, usd * (10_000 + gap_bps) // 10_000)
    lab = deploy_flash_arbitrage(cheap, dear, lender_cash=400_000 * E18, premium_bps=premium_bps)
    model = flash_arbitrage_profit(loan, cheap, dear, premium_bps=premium_bps)
    result = lab.run(loan)
    if model.profit >= 0:
        assert result.ok and result.value == model.profit == lab.usd.balanceOf(lab.bot)
    else:
        assert not result.ok and result.reason == "unprofitable"
        assert lab.reserves(lab.cheap) == cheap and lab.usd.balanceOf(lab.bot) == 0


def test_optimal_loan_is_the_best_nearby_size():
    loan = optimal_flash_amount(CHEAP, DEAR)
    best = flash_arbitrage_profit(loan, CHEAP, DEAR).profit
    for factor in (0.5, 0.9, 0.99, 1.01, 1.1, 2.0):
        assert flash_arbitrage_profit(int(loan * factor), CHEAP, DEAR).profit < best
    # float precision: the exact integer optimum is within a few parts in 10**15; wei rounding in the swaps
    # makes nearby loans earn up to a few tens of thousands of wei more (the docstring says so)
    for delta in (-10**7, 10**7):
        assert flash_arbitrage_profit(loan + delta, CHEAP, DEAR).profit <= best + 10**5


# ---------------------------------------------------------------- the pieces

@given(amount=st.integers(0, 10**40), bps=st.integers(0, 9_999))
def test_premium_is_aave_percent_mul(amount, bps):
    # Aave v3.5+ PercentageMath.percentMulCeil: product / 10_000, plus 1 if there is a remainder
    product = amount * bps
    assert flash_loan_premium(amount, bps) == product // 10_000 + (product % 10_000 != 0)
    # Aave v3.0-v3.4 PercentageMath.percentMul: (value * percentage + HALF_PERCENTAGE_FACTOR) / PERCENTAGE_FACTOR
    assert flash_loan_premium(amount, bps, rounding="half_up") == (product + 5_000) // 10_000


def test_premium_rounding_known_values():
    # 2,100 wei at 5 bps is 1.05 wei: v3.5 charges 2, v3.0-v3.4 charged 1; 999 wei is 0.4995 wei: 1 and 0
    assert [flash_loan_premium(a) for a in (999, 1_000, 2_000, 2_100)] == [1, 1, 1, 2]
    assert [flash_loan_premium(a, rounding="half_up") for a in (999, 1_000, 2_000, 2_100)] == [0, 1, 1, 1]
    with pytest.raises(ValueError, match="rounding"):
        flash_loan_premium(1_000, rounding="ceil")


def test_premium_on_chain_equals_python(fresh):
    for amount in (0, 1, 999, 1_000, 1_001, 2_100, 3_000, 10**18 + 1, 123_456_789 * E18):
        assert fresh.lender.premium(amount) == flash_loan_premium(amount, 5)


def test_pair_swap_is_uniswap_v2_and_checks_k(fresh):
    lab = fresh
    trader = chain.accounts(1, names=["trader"])[0]
    lab.usd.mint(trader, 1_000 * E18, sender=lab.usd.minter())
    r_coin, r_usd = lab.reserves(lab.cheap)
    amount = 1_000 * E18
    out = get_amount_out(amount, r_usd, r_coin)
    lab.usd.transfer(lab.cheap.address, amount, sender=trader)
    with chain.expect_revert("K"):                                     # one wei more than the formula fails
        lab.cheap.swap(out + 1, 0, trader, sender=trader)
    lab.cheap.swap(out, 0, trader, sender=trader)
    assert lab.coin.balanceOf(trader) == out
    assert lab.reserves(lab.cheap) == (r_coin - out, r_usd + amount)
    with chain.expect_revert("INSUFFICIENT_INPUT_AMOUNT"):
        lab.cheap.swap(1, 0, trader, sender=trader)
    with chain.expect_revert("INSUFFICIENT_OUTPUT_AMOUNT"):
        lab.cheap.swap(0, 0, trader, sender=trader)


def test_only_the_owner_runs_and_only_the_lender_calls_back(fresh):
    lab = fresh
    stranger = chain.accounts(1)[0]
    loan = 1_000 * E18
    with chain.expect_revert("only the owner"):
        lab.executor.run(lab.usd.address, lab.cheap.address, lab.dear.address, loan, 0, sender=stranger)
    with chain.expect_revert("only the lender"):
        lab.executor.on_flash_loan(lab.executor.address, lab.usd.address, loan, 0, b"", sender=stranger)


def test_lender_cannot_lose(fresh):
    lab = fresh
    cash = lab.usd.balanceOf(lab.lender.address)
    result = lab.run(cash + 1)                                         # more than the lender holds
    assert not result.ok and result.reason == "balance too low"
    result = lab.run(cash // 2)                                        # far too big a trade: loses money
    assert not result.ok and result.reason == "unprofitable"
    assert lab.usd.balanceOf(lab.lender.address) == cash


# ---------------------------------------------------------------- clear errors

@pytest.mark.parametrize("call, name, exc", [
    (lambda: flash_loan_premium(-1), "amount", ValueError),
    (lambda: flash_loan_premium(1.5), "amount", TypeError),
    (lambda: flash_loan_premium(10, premium_bps=10_000), "premium_bps", ValueError),
    (lambda: flash_arbitrage_profit(0, CHEAP, DEAR), "borrowed", ValueError),
    (lambda: flash_arbitrage_profit(10, (1, 2, 3), DEAR), "reserves_buy", TypeError),
    (lambda: flash_arbitrage_profit(10, CHEAP, (0, 5)), "reserves_sell", ValueError),
    (lambda: flash_arbitrage_profit(10, CHEAP, (1.0, 5)), "reserves_sell", TypeError),
    (lambda: optimal_flash_amount(CHEAP, DEAR, fee_bps=10_000), "fee_bps", ValueError),
    (lambda: deploy_flash_arbitrage(cheap=(0, 1)), "cheap", ValueError),
    (lambda: deploy_flash_arbitrage(premium_bps=-1), "premium_bps", ValueError),
])
def test_errors_name_the_parameter(call, name, exc):
    with pytest.raises(exc, match=name):
        call()


def test_run_checks_its_arguments(lab):
    with pytest.raises(ValueError, match="amount"):
        lab.run(0)
    with pytest.raises(TypeError, match="min_profit"):
        lab.run(10, min_profit=0.5)
