"""Exercise set 03 (smart contracts for models): the checks behind
exercises/03_smart_contracts_for_models.ipynb.

Reference answers come from :mod:`cryptocourse.chain`: the Python mirror of ModelLicense's split,
and scenarios replayed on the real contract on a fresh local EVM, so the checks agree with the
contract to the wei. Each graded exercise lists the wrong answers learners plausibly give (each
proven rejected by tests/test_exercises.py), a nudge and a hint (``hint("03.K")``).
"""
from __future__ import annotations

from .. import chain
from .spec import FreeTextExercise, FunctionExercise, ValueExercise, case, exact, mistake


def license_scenario() -> dict:
    """Replay exercise 03.2's nine calls on a fresh chain; the reverting call numbers and the bond.

    >>> license_scenario()["reverting"]
    [2, 3, 5, 6, 9]
    """
    fee = chain.ether(0.001)
    with chain.fresh_chain(seed=3):
        dao, lab, uni, provider, user = chain.accounts(5)
        lic = chain.deploy("ModelLicense", [lab, uni], [3, 1], fee, dao, chain.ether(1), sender=provider)
        lic.post_bond(value=chain.ether(1), sender=provider)
        lic.set_forbidden("surveillance", True, sender=dao)
        calls = [
            (lic.use, ("chat",), dict(value=fee, sender=user)),
            (lic.use, ("chat",), dict(value=2 * fee, sender=user)),
            (lic.set_fee, (0,), dict(sender=provider)),
            (lic.withdraw, (), dict(sender=lab)),
            (lic.withdraw, (), dict(sender=lab)),
            (lic.slash, (1, chain.ether(0.5), user), dict(sender=dao)),
            (lic.report_incident, (b"\x07" * 32,), dict(sender=user)),
            (lic.slash, (1, chain.ether(0.5), user), dict(sender=dao)),
            (lic.use, ("translation",), dict(value=fee, sender=user)),
        ]
        results = [chain.try_call(fn, *args, **kwargs) for fn, args, kwargs in calls]
        return {"reverting": [i + 1 for i, r in enumerate(results) if not r.ok],
                "reasons": [r.reason for r in results],
                "top_up_wei": lic.min_bond() - lic.bond()}


DAY = 86_400


def bond_scenario() -> dict:
    """Replay exercise 03.4's ten calls (with the days between them) on a fresh chain.

    >>> bond_scenario()["reverting"]
    [1, 3, 4, 6, 9, 10]
    """
    fee, deposit = chain.ether(0.001), chain.ether(0.01)
    with chain.fresh_chain(seed=5):
        dao, lab, uni, provider, user = chain.accounts(5)
        lic = chain.deploy("ModelLicense", [lab, uni], [3, 1], fee, dao, chain.ether(1), sender=provider)
        lic.post_bond(value=chain.ether(2), sender=provider)
        lic.set_report_deposit(deposit, sender=dao)
        evidence = b"\x07" * 32
        steps = [  # (days to wait first, function, args, kwargs)
            (0, lic.withdraw_bond, (), dict(sender=provider)),
            (0, lic.request_bond_withdrawal, (chain.ether(1.5),), dict(sender=provider)),
            (0, lic.use, ("chat",), dict(value=fee, sender=user)),
            (2, lic.report_incident, (evidence,), dict(sender=user)),
            (0, lic.report_incident, (evidence,), dict(value=deposit, sender=user)),
            (5, lic.withdraw_bond, (), dict(sender=provider)),
            (0, lic.slash, (1, chain.ether(0.8), user), dict(sender=dao)),
            (0, lic.withdraw_bond, (), dict(sender=provider)),
            (0, lic.use, ("chat",), dict(value=fee, sender=user)),
            (0, lic.request_bond_withdrawal, (chain.ether(0.1),), dict(sender=provider)),
        ]
        results = []
        for days, fn, args, kwargs in steps:
            if days:
                chain.advance(seconds=days * DAY)
            results.append(chain.try_call(fn, *args, **kwargs))
        return {"reverting": [i + 1 for i, r in enumerate(results) if not r.ok],
                "reasons": [r.reason for r in results],
                "returned_wei": results[7].value}


def _no_dust(fee, shares, uses):
    if not shares:
        raise ValueError("no owners")
    return [uses * (fee * s // sum(shares)) for s in shares]


def _dust_to_last(fee, shares, uses):
    if not shares:
        raise ValueError("no owners")
    cuts = [fee * s // sum(shares) for s in shares]
    cuts[-1] += fee - sum(cuts)
    return [uses * c for c in cuts]


def _split_the_total(fee, shares, uses):
    if not shares:
        raise ValueError("no owners")
    total = fee * uses
    cuts = [total * s // sum(shares) for s in shares]
    cuts[0] += total - sum(cuts)
    return cuts


def _float_cuts(fee, shares, uses):
    if not shares:
        raise ValueError("no owners")
    cuts = [int(fee * s / sum(shares)) for s in shares]            # a float on the way, then int()
    cuts[0] += fee - sum(cuts)
    return [uses * c for c in cuts]


def _float_split(fee, shares, uses):
    if not shares:
        raise ValueError("no owners")
    return [uses * fee * s / sum(shares) for s in shares]


# 03.5: the daily cap, as the model answer edits ModelLicense.vy
def _capped_source() -> str:
    source = (chain.CONTRACTS_DIR / "ModelLicense.vy").read_text()
    capped = source.replace("incident_count: public(uint256)\n",
                            "incident_count: public(uint256)\nuses_on_day: public(HashMap[uint256, uint256])\n")
    capped = capped.replace('    assert msg.value == self.fee, "wrong fee"\n',
                            '    assert msg.value == self.fee, "wrong fee"\n'
                            '    day: uint256 = block.timestamp // 86400\n'
                            '    assert self.uses_on_day[day] < 3, "daily cap reached"\n'
                            '    self.uses_on_day[day] += 1\n')
    if capped.count("daily cap reached") != 1:
        raise RuntimeError("ModelLicense.vy changed: update the daily-cap edit of exercise 03.5")
    return capped


def _capped_reasons(uses_per_day):
    """The reference for 03.5: deploy the capped licence on a fresh chain and replay the days' uses."""
    reasons = []
    with chain.fresh_chain(seed=4):
        gov, owner, user, user2 = chain.accounts(4, names=["gov", "owner", "user", "user2"])
        lic = chain.deploy_source(_capped_source(), [owner], [1], 0, gov, 0, name="CappedLicense")
        for n in uses_per_day:
            # the two users take turns: the cap is the community's, not each user's
            reasons += [chain.try_call(lic.use, "chat", sender=(user, user2)[i % 2]).reason for i in range(n)]
            chain.advance(seconds=86_400)
    return reasons


def _cap_per_user(uses_per_day):
    """03.5's per-user cap: each of the two alternating users may use the model 3 times a day."""
    reasons = []
    for n in uses_per_day:
        count = [0, 0]
        for i in range(n):
            who = i % 2
            reasons.append("daily cap reached" if count[who] >= 3 else "")
            count[who] += count[who] < 3
    return reasons


def _cap_wrong(uses_per_day, *, cap=3, text="daily cap reached", daily=True):
    """03.5's wrong answers, in plain Python: another cap, another reason, a count that never resets."""
    reasons, total = [], 0
    for n in uses_per_day:
        count = 0 if daily else total
        for _ in range(n):
            if cap is not None and count >= cap:
                reasons.append(text)
            else:
                reasons.append("")
                count += 1
        total = count if not daily else total
    return reasons


EXERCISES = [
    FunctionExercise(
        id="03.1", title="Owners' payouts, to the wei", points=3, name="owner_payouts",
        reference=chain.license_payouts,
        nudge="Split one fee first (integer division, the dust to the first owner), then count the "
              "uses; check the case '7 wei split 1:2' by hand.",
        hint="For one use, each owner's cut is the fee times their share divided by the total of the "
             "shares, rounded down to a whole wei; whatever those cuts leave of the fee goes to the first "
             "owner. The contract does this on every use, so after n uses each owner has n times their "
             "cut. No owners at all is an error (ValueError).",
        mistakes=[
            mistake("no dust: the rounded-down cuts do not add up to the fee", _no_dust),
            mistake("the dust goes to the last owner", _dust_to_last),
            mistake("splits the total of all uses at once (dust only once)", _split_the_total),
            mistake("float division instead of integer wei", _float_split),
            mistake("int() of a float cut, dust to the first owner (off by tens of wei for 1 ETH)", _float_cuts),
        ],
        cases=[
            case(10**15, [5, 3, 2], 1_000), case(100, [1, 1, 1], 1, note="dust goes to the first owner"),
            case(7, [1, 2], 3, note="7 wei split 1:2"), case(10**18, [1], 5, note="a single owner"),
            case(0, [3, 4], 10, note="a free licence"), case(1, [1, 1, 1, 1], 4, note="1 wei among four"),
            case(123_456_789, [7, 11, 13], 17), case(10**15, [50, 30, 20], 0, note="no uses yet"),
            case(10**15, [], 1, raises=ValueError, note="no owners"),
            case(10**18, [1, 2], 1, note="1 ETH split 1:2: a float cut is off by tens of wei"),
            case(3 * 10**17 + 7, [5, 3, 2], 11, note="0.3 ETH and 7 wei, 11 uses"),
        ],
        compare=exact(),
    ),
    ValueExercise(
        id="03.2", title="Which calls revert?", points=3, name="reverting_calls",
        expected_value=lambda: license_scenario()["reverting"],
        nudge="Follow the state as the calls go: after each call, what is the bond, what is owed to "
              "whom, and is there an open incident?",
        hint="Go through the asserts of each function: use (forbidden? exact fee? bond, less any "
             "amount under notice, at least min_bond?), set_fee and slash (only governance; "
             "slash needs an OPEN incident and enough "
             "bond), withdraw (anything owed?). A slash can leave the bond below min_bond.",
        mistakes=[
            mistake("the licence still works after the slash (call 9)", [2, 3, 5, 6]),
            mistake("the provider may change the fee (call 3)", [2, 5, 6, 9]),
            mistake("slash works without a reported incident (call 6)", [2, 3, 5, 9]),
            mistake("a second withdrawal pays again (call 5)", [2, 3, 6, 9]),
            mistake("counted from 0", [1, 2, 4, 5, 8]),
        ],
        compare=exact(),
    ),
    ValueExercise(
        id="03.3", title="Re-activating the licence", points=1, name="top_up_wei",
        expected_value=lambda: license_scenario()["top_up_wei"],
        nudge="The licence works while the bond is at least min_bond: compare what is left with that "
              "minimum, in wei.",
        hint="The licence works while bond >= min_bond. Compare the bond after all nine calls with min_bond. "
             "Answer in wei, as an int (chain.ether(...) converts ether to wei).",
        mistakes=[
            mistake("answered in ether, not wei", 0.5),
            mistake("the whole minimum bond", chain.ether(1)),
            mistake("what the slash took, plus the minimum", chain.ether(1.5)),
            mistake("a float number of wei", 5e17),
        ],
        compare=exact(),
    ),
    ValueExercise(
        id="03.4", title="The bond's notice period", points=2, name="bond_reverting_calls",
        expected_value=lambda: bond_scenario()["reverting"],
        nudge="Keep track of three things as the days pass: the pending withdrawal and when it is ready, "
              "the open incidents, and how much of the bond still counts for min_bond.",
        hint="Write down, after each call, the bond, the amount under notice and when it is ready, and the "
             "open incidents; then read each function's asserts in the contract's source (print(source) or "
             "the lesson's section 6) and apply them in order.",
        mistakes=[
            mistake("money under notice still counts: the licence serves (call 3)", [1, 4, 6, 9, 10]),
            mistake("a report without the deposit is accepted (call 4)", [1, 3, 6, 9, 10]),
            mistake("the withdrawal fails after the slash (call 8)", [1, 3, 4, 6, 8, 9, 10]),
            mistake("the licence still works with no bond (call 9)", [1, 3, 4, 6, 10]),
            mistake("withdraw_bond without a request is fine (call 1)", [3, 4, 6, 9, 10]),
            mistake("the open incident does not block the withdrawal (call 6)", [1, 3, 4, 9, 10]),
            mistake("a request larger than the bond is accepted (call 10)", [1, 3, 4, 6, 9]),
        ],
        compare=exact(),
    ),
    FunctionExercise(
        id="03.5", title="Stretch: a daily cap, in Vyper", points=3, name="capped_reasons",
        reference=_capped_reasons,
        nudge="Each number is one day's uses: does exactly the fourth use of a day revert, with the reason "
              "asked for, and does the count start again the next day?",
        hint="Look at how `source` declares and uses its other HashMap variables: you need the same kind of "
             "variable, keyed by the day (not by the user: the cap is everyone's). Where in use() must the new "
             "rule go so that a rejected call changes nothing? In capped_reasons, start from "
             "`with chain.fresh_chain(seed=4):` and advance the chain one day after each day's uses.",
        cases=[
            case([4, 1], note="the prompt's example: four uses, then one the next day"),
            case([3, 3], note="exactly the cap on two days"),
            case([5, 0, 2], note="a day without uses in between"),
            case([1, 1, 1, 1], note="one use a day never reaches the cap"),
            case([6], note="one busy day"),
            case([0], note="no uses at all"),
        ],
        hidden_cases=lambda rng: [case([rng.randint(0, 6) for _ in range(rng.randint(1, 4))]) for _ in range(3)],
        compare=exact(),
        mistakes=[
            mistake("no cap at all", lambda days: _cap_wrong(days, cap=None)),
            mistake("another reason text than the one asked for", lambda days: _cap_wrong(days, text="cap reached")),
            mistake("the cap bites one use early (< 2 or <= 2)", lambda days: _cap_wrong(days, cap=2)),
            mistake("the count never resets (a total cap, not a daily one)",
                    lambda days: _cap_wrong(days, daily=False)),
            mistake("the literal list of the example, whatever the days", lambda days: ["", "", "", "daily cap reached", ""]),
            mistake("a cap per user, not for everyone (the two users take turns)", _cap_per_user),
        ],
    ),
    FreeTextExercise(
        id="03.6", title="Who answers for the harm?", points=2,
        rubric="Full marks: explains what the bond and slashing do (money set aside, paid to the victim "
               "under rules known in advance, by governance, without the provider's consent; the notice "
               "period keeps it there while victims can report) AND one limit (a person or vote must still "
               "judge the incident; compensation capped at the bond; harm found after the notice period "
               "is not covered; whoever holds the governance key has power; the code only enforces what "
               "was written).",
    ),
]
