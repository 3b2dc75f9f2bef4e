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


def _float_split(fee, shares, uses):
    if not shares:
        raise ValueError("no owners")
    return [uses * fee * s / sum(shares) for s in shares]


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
        ],
        cases=[
            case(10**15, [5, 3, 2], 1_000), case(100, [1, 1, 1], 1, note="dust goes to the first owner"),
            case(7, [1, 2], 3, note="7 wei split 1:2"), case(10**18, [1], 5, note="a single owner"),
            case(0, [3, 4], 10, note="a free licence"), case(1, [1, 1, 1, 1], 4, note="1 wei among four"),
            case(123_456_789, [7, 11, 13], 17), case(10**15, [50, 30, 20], 0, note="no uses yet"),
            case(10**15, [], 1, raises=ValueError, note="no owners"),
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
        hint="The licence works while bond >= min_bond. After the slash, what is left of the 1 ETH bond? "
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
        hint="withdraw_bond needs a request, a finished 7-day notice (at least 7 days after the request) "
             "and no open incident; report_incident needs exactly the report deposit; a slash shrinks a "
             "pending withdrawal to what is left of the bond; use needs the bond minus the amount under "
             "notice to be at least min_bond; a request may not exceed the bond.",
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
    ValueExercise(
        id="03.5", title="Stretch: a daily cap, in Vyper", points=3, name="cap_reasons",
        expected_value=["", "", "", "daily cap reached", ""],
        nudge="Five reasons are expected, '' for a success: does exactly the fourth call revert, and does "
              "the count start again the next day?",
        hint="Add a storage variable that maps a day number to the number of uses that day (a HashMap). "
             "In use(), work out today's day number from block.timestamp, assert that today's count is "
             "still below 3 (with the reason text), then add one to it. Deploy the edited source with "
             "chain.deploy_source and collect try_call(...).reason for the five calls.",
        mistakes=[
            mistake("no cap at all", ["", "", "", "", ""]),
            mistake("another reason text than the one asked for", ["", "", "", "cap reached", ""]),
            mistake("the cap bites one use early (< 2 or <= 2)", ["", "", "daily cap reached", "daily cap reached", ""]),
            mistake("the count never resets (a total cap, not a daily one)",
                    ["", "", "", "daily cap reached", "daily cap reached"]),
        ],
        compare=exact(),
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
