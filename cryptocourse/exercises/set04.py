"""Exercise set 04 (DAO governance): the checks behind exercises/04_dao_governance.ipynb.

The reference answers are the package's own functions in :mod:`cryptocourse.governance`,
so the checks agree with the lesson.
"""
import numpy as np

from .. import governance
from .spec import FreeTextExercise, FunctionExercise, ValueExercise, case, close, exact

EXERCISES = [
    FunctionExercise(
        id="04.1", title="Tally a vote with a quorum", points=2, name="proposal_outcome",
        reference=governance.proposal_outcome,
        hint="quorum = supply * quorum_percent // 100 (whole votes, rounded down). Count For + Abstain "
             "toward it when counting == 'oz', only For when counting == 'bravo'. The proposal "
             "succeeds if the counted votes reach the quorum (>=) AND For > Against (a tie fails).",
        cases=[
            case(600, 300, 100, 1000, 4), case(300, 100, 400, 1000, 40, note="abstain helps reach quorum"),
            case(300, 100, 400, 1000, 40, "bravo", note="Bravo: only For counts"),
            case(400, 100, 0, 1000, 40, "bravo", note="exactly at quorum"),
            case(500, 500, 0, 1000, 4, note="a tie"), case(0, 0, 0, 1000, 0, note="nobody voted"),
            case(1, 0, 0, 99, 1, note="quorum rounds down to 0"),
            case(10**24, 10**23, 0, 10**26, 4, note="token amounts in wei"),
        ],
        compare=exact(),
    ),
    FunctionExercise(
        id="04.2", title="Quadratic votes from a budget", points=2, name="max_quadratic_votes",
        reference=governance.max_quadratic_votes,
        hint="v votes cost v**2 credits: the answer is the largest whole v with v*v <= budget. "
             "math.isqrt(budget) is exact for any int; int(math.sqrt(budget)) goes wrong for huge budgets.",
        cases=[
            case(100), case(99, note="just below a square"), case(0), case(1), case(2),
            case(10**30 - 1, note="a huge budget: floats are not exact here"),
            case(-1, raises=ValueError, note="a negative budget"),
        ],
        compare=exact(),
    ),
    FunctionExercise(
        id="04.3", title="Nakamoto coefficient", points=2, name="nakamoto_coefficient",
        reference=governance.nakamoto_coefficient,
        hint="Sort the holdings from largest to smallest, divide by the total, take the running sum "
             "(np.cumsum) and count how many holders it takes for it to be MORE than the threshold.",
        cases=[
            case([40, 30, 20, 10]), case([51, 49], note="one majority holder"),
            case([50, 50], note="exactly half is not a majority"), case([1] * 10),
            case([10, 40, 20, 30], note="unsorted input"), case([5, 3, 2], threshold=0.66),
            case(np.array([1e6, 1.0, 1.0]), note="a numpy array"),
        ],
        compare=exact(),
    ),
    FunctionExercise(
        id="04.4", title="Quadratic funding match", points=2, name="quadratic_funding_match",
        reference=governance.quadratic_funding_match,
        hint="Take the square root of each contribution, add them up, square the sum, then subtract "
             "the sum of the contributions.",
        cases=[
            case([1, 4, 9]), case([100], note="a single donor gets no match"), case([1] * 100),
            case([2.5, 0.0, 10.0], note="a zero contribution"), case(np.array([3.0, 12.0])),
        ],
        compare=close(rel=1e-9, abs=1e-9),
    ),
    ValueExercise(
        id="04.5", title="How long until conviction passes?", points=2, name="blocks_to_pass",
        expected_value=lambda: governance.time_to_pass(
            5_000, governance.conviction_threshold(300, 10_000, 20_000, 0.9, 0.2, 0.002), 0.9),
        hint="First the threshold: weight * S / ((1 - alpha) * (max_ratio - requested/funds)**2). Then the "
             "smallest whole t with 5000 * (1 - 0.9**t) / (1 - 0.9) >= threshold (a loop works).",
        compare=close(rel=1e-9),
    ),
    FreeTextExercise(
        id="04.6", title="A captured DAO", points=2,
        rubric="Full marks: names a concrete risk of a Nakamoto coefficient of 2 (two accounts can pass "
               "anything, e.g. forbid a competitor's use or never slash a provider they control) AND one "
               "sensible change with its cost (quadratic or capped voting + identity checks; longer "
               "timelock; delegation to more delegates; a veto for affected users), tied to notebook 04.",
    ),
]
