"""Exercise set 12 (governance tokens): the checks behind exercises/12_governance_tokens.ipynb.

The reference answers are the package's own functions in :mod:`cryptocourse.tokens`, so the
checks agree with the lesson.
"""
import numpy as np

from .. import tokens
from .spec import FreeTextExercise, FunctionExercise, ValueExercise, case, close, exact

_START = 1_700_000_000 // tokens.WEEK * tokens.WEEK


EXERCISES = [
    FunctionExercise(
        id="12.1", title="Value per token, with growth and dilution", points=3, name="token_value_dcf",
        reference=tokens.token_value_dcf,
        hint="Year t pays s*F*(1+g)**(t-1) / (N*(1+e)**t), discounted by (1+r)**t. For years=None use the "
             "perpetuity s*F / (N*((1+e)*(1+r) - (1+g))); for a number of years, sum t = 1..years "
             "(a loop or a geometric series).",
        cases=[
            case(10e6, 1.0, 0.10, note="a flat perpetuity: F / r"),
            case(10e6, 1.0, 0.10, 0.05, note="with growth"),
            case(10e6, 1.0, 0.10, emission_rate=0.05, note="with dilution"),
            case(50e6, 0.5, 0.20, 0.10, 0.10, 1e9, note="the dashboard's protocol"),
            case(50e6, 0.5, 0.20, 0.10, 0.10, 1e9, years=10, note="a 10-year horizon"),
            case(1e6, 1.0, 0.10, 0.10, years=5, note="growth equal to the rate, finite horizon"),
            case(0.0, 0.5, 0.15, note="no fees"),
        ],
        compare=close(rel=1e-9, abs=1e-12),
    ),
    FunctionExercise(
        id="12.2", title="veCRV voting power, exactly", points=3, name="ve_balance",
        reference=tokens.ve_balance,
        hint="Integers only. end = unlock_time // WEEK * WEEK (WEEK = 604800); slope = amount // MAXTIME "
             "(MAXTIME = 4 * 365 * 86400); power = slope * (end - t), and 0 once t >= end.",
        cases=[
            case(10**18, _START + tokens.MAXTIME, _START, note="1 CRV for 4 years"),
            case(10**18, _START + tokens.MAXTIME, _START + 365 * 86400, note="a year later"),
            case(5_000 * 10**18, _START + 52 * tokens.WEEK + 3 * 86400, _START, note="unlock rounded down"),
            case(10**18, _START + 10 * tokens.WEEK, _START + 11 * tokens.WEEK, note="expired: 0"),
            case(10**17, _START + tokens.WEEK, _START + 1, note="small amount"),
            case(123, _START + 100 * tokens.WEEK, _START, note="less than MAXTIME wei: slope 0"),
        ],
        compare=exact(),
    ),
    ValueExercise(
        id="12.3", title="A buyback above fair value", points=2, name="value_after_buyback",
        expected_value=lambda: tokens.dividend_vs_buyback(20e6, 500e6, 180e6, 0.5).buyback,
        hint="Tokens burned = revenue / price. A token that stays is worth value / (supply - burned).",
        compare=close(rel=1e-9),
    ),
    FunctionExercise(
        id="12.4", title="Votes an attacker needs", points=2, name="votes_to_win",
        reference=tokens.votes_to_win,
        hint="The proposal passes when For > Against and For >= quorum: the extra votes are the larger of "
             "(against + 1 - for) and (quorum - for), and never below 0.",
        cases=[
            case(100, 300, note="no quorum"), case(100, 300, quorum=400, note="quorum binds"),
            case(500, 300, quorum=400, note="already passing"), case(0, 0, quorum=0, note="empty vote"),
            case(np.array([0.0, 250.0, 1000.0]), 300.0, quorum=500.0, note="arrays"),
        ],
        compare=close(rel=1e-12),
    ),
    FreeTextExercise(
        id="12.5", title="Which defence stops a flash-loan vote?", points=2,
        rubric="Full marks: counting votes at a snapshot block (a finished block at or before the proposal) "
               "makes tokens borrowed and repaid within a later transaction weigh nothing; a timelock "
               "gives time to react if a vote passes anyway; names a residual risk (tokens borrowed or "
               "bought before the snapshot, held for several blocks).",
    ),
]
