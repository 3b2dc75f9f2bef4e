"""Exercise set 03 (smart contracts for models): the checks behind
exercises/03_smart_contracts_for_models.ipynb.

Reference answers come from :mod:`cryptocourse.chain`: the Python mirror of ModelLicense's split,
and scenarios replayed on the real contract on a fresh local EVM, so the checks agree with the
contract to the wei.
"""
from __future__ import annotations

from .. import chain
from .spec import FreeTextExercise, FunctionExercise, ValueExercise, case, exact


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


EXERCISES = [
    FunctionExercise(
        id="03.1", title="Owners' payouts, to the wei", points=3, name="owner_payouts",
        reference=chain.license_payouts,
        hint="Per use, owner i is credited fee * shares[i] // sum(shares) (integer division, //); the "
             "first owner also gets the dust fee - sum(those cuts). Multiply by the number of uses. "
             "Refuse an empty list of shares with a ValueError.",
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
        hint="Go through the asserts of each function: use (forbidden? exact fee? bond >= min_bond?), "
             "set_fee and slash (only governance; slash needs an OPEN incident and enough bond), "
             "withdraw (anything owed?). Replay the calls with chain.try_call to check.",
        compare=exact(),
    ),
    ValueExercise(
        id="03.3", title="Re-activating the licence", points=1, name="top_up_wei",
        expected_value=lambda: license_scenario()["top_up_wei"],
        hint="The licence works while bond >= min_bond. After the slash, what is left of the 1 ETH bond? "
             "Answer in wei, as an int (chain.ether(...) converts ether to wei).",
        compare=exact(),
    ),
    ValueExercise(
        id="03.4", title="Stretch: a daily cap, in Vyper", points=3, name="cap_reasons",
        expected_value=["", "", "", "daily cap reached", ""],
        hint="In use(), before counting the use: day: uint256 = block.timestamp // 86400, then "
             "assert self.uses_on_day[day] < 3, \"daily cap reached\" and self.uses_on_day[day] += 1, "
             "with a storage variable uses_on_day: HashMap[uint256, uint256]. Redeploy with "
             "chain.deploy_source and collect try_call(...).reason for the five calls.",
        compare=exact(),
    ),
    FreeTextExercise(
        id="03.5", title="Who answers for the harm?", points=2,
        rubric="Full marks: explains what the bond and slashing do (money set aside, paid to the victim "
               "under rules known in advance, by governance, without the provider's consent) AND one "
               "limit (a person or vote must still judge the incident; compensation capped at the bond; "
               "whoever holds the governance key has power; the code only enforces what was written).",
    ),
]
