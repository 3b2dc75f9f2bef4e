"""Claims tests for lesson 03 (smart contracts for models): the answer key against the dashboard,
the bond's notice period and dispute path, what a revert leaves behind, and the gas sentences,
recomputed from the package and the contract (issue 15)."""
import math
from decimal import Decimal

import pytest

from cryptocourse import chain
from cryptocourse.dashboards.license import WITHDRAW_GAS, license_view
from lessontext import code, never_states, states

LESSON = "notebooks/03_smart_contracts_for_models.ipynb"
SOLUTION = "exercises/solutions/03_smart_contracts_for_models.ipynb"
FEE = chain.ether(0.001)
DAY = 86_400

pytestmark = pytest.mark.ignore_isolation  # fresh chains here; titanoboa's snapshot would skew gas


@pytest.fixture
def licence():
    with chain.fresh_chain(seed=2026):
        dao, a, b, c, provider, user, victim, troll = chain.accounts(8)
        lic = chain.deploy("ModelLicense", [a, b, c], [50, 30, 20], FEE, dao, chain.ether(1), sender=provider)
        lic.post_bond(value=chain.ether(2), sender=provider)
        yield dict(lic=lic, dao=dao, owners=[a, b, c], provider=provider, user=user, victim=victim, troll=troll)


def test_try_it_answer_key_matches_the_dashboard():
    q1 = license_view(fee_eth=0.001, share_a=5, share_b=3, share_c=2, uses=1_000)
    assert q1.payouts_eth[2] == pytest.approx(0.2)
    states(LESSON, "1,000 × 0.001 ETH × 2/10 = **0.2 ETH**")
    cost = license_view(gas_gwei=100).withdraw_cost_eth
    per_use = license_view(fee_eth=0.0001, uses=1).payouts_eth[2]
    uses = math.ceil(cost / per_use)
    assert license_view(fee_eth=0.0001, gas_gwei=100).uses_to_cover[2] == uses   # the dashboard shows it
    states(LESSON, f"One withdrawal costs {WITHDRAW_GAS:,} gas × 100 gwei ≈ {cost:.4f} ETH",
           f"Clinic C earns 0.0001 × 2/10 =\n   {per_use:.5f} ETH per use, so **{uses} uses** "
           f"({cost:.7f} / {per_use:.5f} = {cost / per_use:.1f}, rounded up to whole uses)",
           "counts the uses each owner needs before its revenue covers that cost")
    v = license_view(fee_eth=0.0001, share_a=5, share_b=3, share_c=1, uses=1, gas_gwei=100)
    need = [math.ceil(v.withdraw_cost_eth / p) for p in v.payouts_eth]
    assert need == v.uses_to_cover and max(need) == need[2]   # "Still **Clinic C**"
    states(LESSON, f"0.0001 × 1/9 ≈ {v.payouts_eth[2]:.7f} ETH per use, so {need[2]} uses (Lab A needs\n"
                   f"   {need[0]}, Uni B {need[1]})", "Keep that fee and gas price")


def test_withdraw_gas_of_the_dashboard_is_what_the_evm_charges(licence):
    lic, (_a, b, _c), user = licence["lic"], licence["owners"], licence["user"]
    for _ in range(3):
        lic.use("chat", value=FEE, sender=user)
    lic.withdraw(sender=b)
    assert chain.last_gas() == WITHDRAW_GAS


def test_a_reverted_call_changes_nothing_but_stays_on_record(licence):
    lic, dao, user = licence["lic"], licence["dao"], licence["user"]
    lic.set_forbidden("surveillance", True, sender=dao)
    state = (lic.use_count(), lic.revenue(), len(chain.events(lic)), chain.balance(user))
    result = chain.try_call(lic.use, "surveillance", value=FEE, sender=user)
    assert (lic.use_count(), lic.revenue(), len(chain.events(lic)), chain.balance(user)) == state
    tx = chain.transactions()[-1]
    assert (tx["status"], tx["function"], tx["from"], tx["gas"]) == ("failed", "use", user, result.gas)
    states(LESSON, "A reverted call changes **nothing in the contract**",
           "the failed transaction is still included in a block",
           "The failed transaction is still\n   included in the chain's history, marked failed, and the user pays its gas")
    never_states(LESSON, "leaves **no trace**", "changes nothing but the caller's gas",
                 "Nothing in the contract (no use counted, no event); the user pays")


def test_notice_period_sentences(licence):
    lic, provider, victim, dao = licence["lic"], licence["provider"], licence["victim"], licence["dao"]
    assert lic.WITHDRAWAL_DELAY() == 7 * DAY
    states(LESSON, "**notice period** of `WITHDRAWAL_DELAY` (7 days)", "the 7-day notice gives victims time")
    # "the money stays in the bond, slashable, until withdraw_bond() completes it, which works only after
    #  the notice period and while no incident is open"
    assert chain.try_call(lic.withdraw_bond, sender=provider).reason == "no withdrawal requested"
    lic.request_bond_withdrawal(chain.ether(2), sender=provider)
    chain.advance(seconds=7 * DAY - 1)
    assert chain.try_call(lic.withdraw_bond, sender=provider).reason == "notice period not over"
    assert lic.bond() == chain.ether(2)
    incident = lic.report_incident(b"\x01" * 32, sender=victim)
    chain.advance(seconds=1)
    assert chain.try_call(lic.withdraw_bond, sender=provider).reason == "incident open"
    lic.slash(incident, chain.ether(1.5), victim, sender=dao)        # slashable during the notice
    assert lic.withdraw_bond(sender=provider) == chain.ether(0.5)
    states(LESSON, "the money stays in the bond, slashable, until\n`withdraw_bond()` completes it, which works "
                   "only after the notice period and while no incident is open")


def test_money_under_notice_does_not_count(licence):
    """Section 6: notice on the whole bond stops the licence at once; notice on 0.5 of 1.5 ETH leaves
    1 ETH counting and the licence active; a standing, matured request frees only what is above
    min_bond."""
    lic, provider, user = licence["lic"], licence["provider"], licence["user"]
    lic.request_bond_withdrawal(lic.bond(), sender=provider)
    assert not lic.active()
    assert chain.try_call(lic.use, "chat", value=FEE, sender=user).reason == "licence inactive: bond too low"
    lic.request_bond_withdrawal(chain.ether(1), sender=provider)     # 2 ETH posted: 1 ETH still counts
    assert lic.active() and lic.bond() - lic.pending_withdrawal() == lic.min_bond() == chain.ether(1)
    chain.advance(seconds=60 * DAY)
    assert lic.withdraw_bond(sender=provider) == chain.ether(1)      # the excess, at once
    assert lic.bond() == lic.min_bond() and lic.active()
    states(LESSON, "money under notice **no longer counts** towards the\nlicence's minimum bond",
           "notice on the whole bond stops the licence at once",
           "licence only ever serves on at least `min_bond` (1 ETH here) that is a full week away from leaving",
           "whatever sits above `min_bond` can leave\nwithout warning once a standing request has served its notice")
    assert "lic.request_bond_withdrawal(lic.bond(), sender=provider)" in code(LESSON)


def test_dispute_path_and_report_deposit_sentences(licence):
    lic, provider, dao, troll, victim = (licence[k] for k in ("lic", "provider", "dao", "troll", "victim"))
    assert lic.report_deposit() == 0                                 # "(0 until governance sets it)"
    deposit = chain.ether(0.01)
    lic.set_report_deposit(deposit, sender=dao)
    junk = lic.report_incident(b"\x02" * 32, value=deposit, sender=troll)
    real = lic.report_incident(b"\x03" * 32, value=deposit, sender=victim)
    lic.dismiss(junk, sender=dao)
    lic.slash(real, chain.ether(1), victim, sender=dao)
    assert lic.owed(provider) == deposit                             # "paid to the provider if it is dismissed"
    assert lic.owed(victim) == chain.ether(1) + deposit              # "returned if the report is upheld"
    assert lic.owed(troll) == 0
    states(LESSON, "returned if the report\nis upheld (the bond is slashed) and paid to the provider if it is dismissed",
           "(0 until\ngovernance sets it)", "`dismiss(incident)` closes a report it judges unfounded")


def test_gas_depends_on_the_state(licence):
    """Section 8: a use right after an owner's withdrawal costs 22,100 - 5,000 = 17,100 gas more."""
    lic, (_a, b, _c), user = licence["lic"], licence["owners"], licence["user"]
    lic.use("chat", value=FEE, sender=user)
    lic.use("chat", value=FEE, sender=user)
    steady = chain.last_gas()
    lic.withdraw(sender=b)
    lic.use("chat", value=FEE, sender=user)
    after_withdraw = chain.last_gas()
    assert after_withdraw - steady == 22_100 - 5_000 == 17_100
    states(LESSON, "Setting a storage slot from zero to a non-zero value\ncosts 22,100 gas, changing one that "
                   "is already non-zero about 5,000")
    assert chain.TX_BASE_GAS == 21_000
    states(LESSON, "21,000 for any transaction")


def test_no_wall_clock_time_stated_as_fact():
    never_states(LESSON, "tenth of a second", "a few milliseconds", "about 280 lines")
    states(LESSON, "it varies from\nmachine to machine and run to run")
    assert "deploy_seconds" in code(LESSON)            # the time is printed, not stated


def test_exercise_03_4_key_and_model_answer():
    from cryptocourse.exercises.set03 import bond_scenario

    result = bond_scenario()
    assert result["reverting"] == [1, 3, 4, 6, 9, 10]
    assert result["reasons"][2] == "licence inactive: bond too low"   # 2 ETH, 1.5 under notice: 0.5 counts
    assert result["reasons"][5] == "incident open"       # day 7: the notice is over, the report is not
    assert result["returned_wei"] == chain.ether(2) - chain.ether(0.8)
    states(SOLUTION, "money under notice does not count towards the\nminimum bond", "these ten calls")
    states(SOLUTION, "The notice period (`WITHDRAWAL_DELAY`) is 7 days", "the 7-day notice keeps the provider")


# ---------------------------------------------------------------- fresh-eyes review (third pass, 2026-12-04)
def test_every_fee_slider_position_is_a_whole_number_of_wei():
    """The fee slider is logarithmic (10**-5 .. 10**-1 in steps of 0.05): 10**-3.95 has more decimals
    than wei have. Every position must compute, with the fee the readout shows (4 significant digits)."""
    from cryptocourse.dashboards.license import LicenseDashboard, license_view
    d = LicenseDashboard()
    w = d.controls["fee_eth"]
    assert w.readout_format == ".4g"
    for k in range(81):
        fee = 10 ** (w.min + k * w.step)
        v = license_view(fee_eth=fee)
        assert v.fee_wei == int(Decimal(f"{fee:.4g}") * 10**18)
    d.set(fee_eth=10 ** -3.95)
    assert "112200000000000" in str(d.result.fee_wei) and "⚠" not in d.summary.value


def test_third_review_wording():
    states(LESSON, "On a real chain the call's input (its\n[calldata](glossary.ipynb#calldata)) is public too")
    states(LESSON, "cannot keep a ready request on the *minimum* bond standing while it serves",
           "reading a cold one (the first time in a transaction) 2,100")
    never_states(LESSON, "So anyone can see that User 1 tried to use the model for surveillance")
    assert 'print("withdraw_bond(), no notice :"' in code(LESSON)


def test_every_uses_slider_position_computes_what_its_readout_shows():
    """The uses slider is logarithmic (10**0 .. 10**6): 10**0.45 = 2.818 reads '3' and must pay for 3 uses."""
    from cryptocourse.dashboards.license import LicenseDashboard
    w = LicenseDashboard().controls["uses"]
    for k in range(int(round((w.max - w.min) / w.step)) + 1):
        uses = 10 ** (w.min + k * w.step)
        v = license_view(uses=uses)
        shown = int(f"{uses:,.0f}".replace(",", ""))
        assert list(v.payouts_wei) == chain.license_payouts(v.fee_wei, list(v.shares), shown)
