"""Exercise set 12 (governance tokens): the checks behind exercises/12_governance_tokens.ipynb.

The reference answers are the package's own functions in :mod:`cryptocourse.tokens`, so the
checks agree with the lesson. Each graded exercise lists the wrong answers learners plausibly
write (``mistakes``); tests/test_exercises.py proves the check rejects every one.
"""
import numpy as np

from .. import tokens
from .spec import FreeTextExercise, FunctionExercise, ValueExercise, case, close, exact, mistake, rounded

_START = 1_700_000_000 // tokens.WEEK * tokens.WEEK
_WEEK, _MAXTIME = tokens.WEEK, tokens.MAXTIME


def _dcf(annual_fees, holder_share, discount_rate, growth=0.0, emission_rate=0.0, supply=1.0, years=None, *,
         dilute=True, growth_from_year_1=False, simple=False, first_year=1, additive=False):
    """A learner-style DCF with switches for the usual slips (mistakes below)."""
    f, s, r, g, e, n = annual_fees, holder_share, discount_rate, growth, emission_rate, supply
    d = (1 + e) * (1 + r) if dilute else (1 + r)
    if additive:
        d = 1 + r + e
    if years is None:
        if simple:
            return s * f / (n * (r + e - g))
        return s * f / (n * (d - (1 + g)))
    total = 0.0
    for t in range(first_year, years + first_year):
        grown = (1 + g) ** (t if growth_from_year_1 else t - 1)
        total += s * f * grown / (n * d**t)
    return total


def _ve(amount, unlock_time, t, *, round_week=True, floor_slope=True, clamp=True, clamp_on_requested=False):
    if clamp_on_requested and t >= unlock_time:
        return 0
    end = unlock_time // _WEEK * _WEEK if round_week else unlock_time
    power = (amount // _MAXTIME) * (end - t) if floor_slope else amount * (end - t) // _MAXTIME
    return max(power, 0) if clamp and not clamp_on_requested else power


def _votes(f, a, q=0, *, tie_wins=False, quorum=True, clamp=True, quorum_counts_against=False, total=False,
           ahead_is_enough=False):
    f, a, q = (np.asarray(v, dtype=float) for v in (f, a, q))
    need = a - f if tie_wins else a + 1 - f
    if quorum:
        need = np.maximum(need, q - f - a if quorum_counts_against else q - f)
    if ahead_is_enough:
        need = np.where(f > a, 0.0, need)
    if total:
        need = need + f
    if clamp:
        need = np.maximum(need, 0.0)
    return float(need) if need.ndim == 0 else need


EXERCISES = [
    FunctionExercise(
        id="12.1", title="Value per token, with growth and dilution", points=3, name="token_value_dcf",
        reference=tokens.token_value_dcf,
        nudge="Each year's payment grows from the year-1 fees, is shared among a supply that has grown "
              "by the emissions, and is discounted back to today; the perpetuity is the sum of all of them.",
        hint="Year t pays s*F*(1+g)**(t-1) / (N*(1+e)**t), discounted by (1+r)**t. For years=None use the "
             "perpetuity s*F / (N*((1+e)*(1+r) - (1+g))); for a number of years, sum t = 1..years "
             "(a loop is safest: the geometric-series formula divides by zero when (1+g) equals (1+e)(1+r), "
             "where every term is the same).",
        cases=[
            case(10e6, 1.0, 0.10, note="a flat perpetuity: F / r"),
            case(10e6, 1.0, 0.10, 0.05, note="with growth"),
            case(10e6, 1.0, 0.10, emission_rate=0.05, note="with dilution"),
            case(50e6, 0.5, 0.20, 0.10, 0.10, 1e9, note="the dashboard's protocol"),
            case(1e6, 1.0, 0.05, 0.10, raises=ValueError, note="growth beats the rate: no finite value for ever"),
            case(50e6, 0.5, 0.20, 0.10, 0.10, 1e9, years=10, note="a 10-year horizon"),
            case(1e6, 1.0, 0.10, 0.10, years=5, note="growth equal to the rate, finite horizon"),
            case(0.0, 0.5, 0.15, note="no fees"),
        ],
        compare=close(rel=1e-9, abs=1e-12),
        mistakes=[
            mistake("a negative 'value' when the perpetuity diverges (no ValueError)",
                    lambda f, sh, r, g=0.0, e=0.0, n=1.0, years=None: (
                        sh * f / (n * ((1 + e) * (1 + r) - (1 + g))) if years is None
                        else tokens.token_value_dcf(f, sh, r, g, e, supply=n, years=years))),
            mistake("dilution left out", lambda *a, **k: _dcf(*a, **k, dilute=False)),
            mistake("growth already in year 1: (1+g)**t", lambda *a, **k: _dcf(*a, **k, growth_from_year_1=True)),
            mistake("perpetuity as s*F / (N*(r + e - g))", lambda *a, **k: _dcf(*a, **k, simple=True)),
            mistake("finite horizon counts years 0 .. years-1", lambda *a, **k: _dcf(*a, **k, first_year=0)),
            mistake("dilution added to the rate: 1 + r + e", lambda *a, **k: _dcf(*a, **k, additive=True)),
        ],
    ),
    FunctionExercise(
        id="12.2", title="veCRV voting power, exactly", points=3, name="ve_balance",
        reference=tokens.ve_balance,
        nudge="Do what the contract does, in whole numbers and in its order: round the unlock time to a "
              "week first, make the slope a whole number, and never let the power go below zero.",
        hint="Integers only. end = unlock_time rounded down to a multiple of WEEK; slope = amount // MAXTIME; "
             "power = slope times the seconds from t to end, and 0 once t >= end.",
        cases=[
            case(10**18, _START + tokens.MAXTIME, _START, note="1 CRV for 4 years"),
            case(10**18, _START + tokens.MAXTIME, _START + 365 * 86400, note="a year later"),
            case(5_000 * 10**18, _START + 52 * tokens.WEEK + 3 * 86400, _START, note="unlock rounded down"),
            case(10**18, _START + 10 * tokens.WEEK, _START + 11 * tokens.WEEK, note="expired: 0"),
            case(10**17, _START + tokens.WEEK, _START + 1, note="small amount"),
            case(123, _START + 100 * tokens.WEEK, _START, note="less than MAXTIME wei: slope 0"),
            case(617_728_135_376_760_312_125_394_066, _START + 100 * tokens.WEEK, _START,
                 note="a Convex-sized lock (618 million CRV): a float slope is off here"),
            case(10**18, _START + 52 * tokens.WEEK + 3 * 86400, _START + 52 * tokens.WEEK + 86400,
                 note="after the rounded unlock, before the requested one: 0"),
        ],
        compare=exact(),
        mistakes=[
            mistake("unlock time not rounded down to a week", lambda a, u, t: _ve(a, u, t, round_week=False)),
            mistake("slope not floored (amount * time // MAXTIME)", lambda a, u, t: _ve(a, u, t, floor_slope=False)),
            mistake("negative power after the unlock", lambda a, u, t: _ve(a, u, t, clamp=False)),
            mistake("float division (a float, not an int)",
                    lambda a, u, t: max(a / _MAXTIME * (u // _WEEK * _WEEK - t), 0.0)),
            mistake("0 only after the requested unlock time (negative between the rounded and the requested one)",
                    lambda a, u, t: _ve(a, u, t, clamp_on_requested=True)),
            mistake("float slope turned back into an int (int(amount / MAXTIME))",
                    lambda a, u, t: max(int(a / _MAXTIME) * (u // _WEEK * _WEEK - t), 0)),
        ],
    ),
    ValueExercise(
        id="12.3", title="A buyback above fair value", points=2, name="value_after_buyback",
        expected_value=lambda: tokens.dividend_vs_buyback(20e6, 500e6, 180e6, 0.5).buyback,
        nudge="The buyback spends the whole revenue at the market price; the protocol keeps its value "
              "without that cash, shared by the tokens that were not burned.",
        hint="Tokens burned = revenue / price. A token that stays is worth value / (supply - burned).",
        compare=rounded(4),
        mistakes=[
            mistake("the fair price (value + revenue) / supply", (180e6 + 20e6) / 500e6),
            mistake("burned tokens not subtracted", 180e6 / 500e6),
            mistake("burned = revenue x price", 180e6 / (500e6 - 20e6 * 0.5)),
            mistake("revenue counted in the value", (180e6 + 20e6) / (500e6 - 20e6 / 0.5)),
        ],
    ),
    FunctionExercise(
        id="12.4", title="Votes an attacker needs", points=2, name="votes_to_win",
        reference=tokens.votes_to_win,
        nudge="Two conditions must both hold after the extra votes: strictly more For than Against, and "
              "For at least the quorum. A proposal that already passes needs nothing.",
        hint="Work out two numbers separately: the extra votes For needs to get strictly above Against "
             "(votes are whole here, so think about a tie), and the extra votes it needs to reach the quorum. "
             "The attacker must meet both conditions at once, and a negative need means nothing is needed. "
             "Use numpy functions (not if) so arrays work.",
        cases=[
            case(100, 300, note="no quorum"), case(100, 300, quorum=400, note="quorum binds"),
            case(500, 300, quorum=400, note="already passing"), case(0, 0, quorum=0, note="empty vote"),
            case(np.array([0.0, 250.0, 1000.0]), 300.0, quorum=500.0, note="arrays"),
            case(200, 100, quorum=400, note="ahead of Against but short of the quorum"),
        ],
        compare=close(rel=1e-12),
        mistakes=[
            mistake("a tie passes (against - for)", lambda f, a, quorum=0: _votes(f, a, quorum, tie_wins=True)),
            mistake("quorum ignored", lambda f, a, quorum=0: _votes(f, a, quorum, quorum=False)),
            mistake("negative when it already passes", lambda f, a, quorum=0: _votes(f, a, quorum, clamp=False)),
            mistake("quorum counted on For + Against",
                    lambda f, a, quorum=0: _votes(f, a, quorum, quorum_counts_against=True)),
            mistake("the total For needed, not the extra votes",
                    lambda f, a, quorum=0: _votes(f, a, quorum, total=True)),
            mistake("nothing needed once For leads, quorum or not",
                    lambda f, a, quorum=0: _votes(f, a, quorum, ahead_is_enough=True)),
        ],
    ),
    FreeTextExercise(
        id="12.5", title="Which defence stops a flash-loan vote?", points=2,
        rubric="Full marks: counting votes at a snapshot block (a block already finished when votes are cast, "
               "e.g. the block just before voting opens) "
               "makes tokens borrowed and repaid within a later transaction weigh nothing; names a residual "
               "risk (tokens borrowed or bought before the snapshot and held for several blocks, or votes rented through bribe "
               "markets or liquid lockers even where tokens must be locked). A timelock or vote-escrow named as a "
               "further defence is welcome but not required (the prompt does not ask for it).",
    ),
]
