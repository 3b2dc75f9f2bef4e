"""Exercise set 04 (DAO governance): the checks behind exercises/04_dao_governance.ipynb.

The reference answers are the package's own functions in :mod:`cryptocourse.governance`, so the
checks agree with the lesson. Each graded exercise lists the wrong answers learners plausibly write
(each proven rejected by tests/test_exercises.py), a nudge (shown with a failed check) and a hint
(``hint("04.K")``, or after repeated failures).
"""
import math

import numpy as np

from .. import governance
from .spec import FreeTextExercise, FunctionExercise, ValueExercise, case, close, exact, mistake


def quadratic_ballot_reference(intensity, credits=100):
    """One voter's quadratic ballot (the package's :func:`governance.quadratic_ballots` for one row)."""
    return governance.quadratic_ballots([intensity], credits)[0]


# -- wrong answers learners write (tests/test_exercises.py proves each is rejected) ------------------
def _outcome_of_votes_cast(for_votes, against_votes, abstain_votes, supply, quorum_percent, counting="oz"):
    cast = for_votes + against_votes + abstain_votes          # quorum of the ballots, not of the supply
    counted = for_votes + abstain_votes if counting == "oz" else for_votes
    return "Succeeded" if counted >= cast * quorum_percent // 100 and for_votes > against_votes else "Defeated"


def _outcome_float_quorum(for_votes, against_votes, abstain_votes, supply, quorum_percent, counting="oz"):
    counted = for_votes + abstain_votes if counting == "oz" else for_votes
    return "Succeeded" if counted >= supply * quorum_percent / 100 and for_votes > against_votes else "Defeated"


def _outcome_ignores_counting(for_votes, against_votes, abstain_votes, supply, quorum_percent, counting="oz"):
    counted = for_votes + abstain_votes                       # Bravo's rule forgotten
    return "Succeeded" if counted >= supply * quorum_percent // 100 and for_votes > against_votes else "Defeated"


def _outcome_tie_wins(for_votes, against_votes, abstain_votes, supply, quorum_percent, counting="oz"):
    counted = for_votes + abstain_votes if counting == "oz" else for_votes
    return "Succeeded" if counted >= supply * quorum_percent // 100 and for_votes >= against_votes else "Defeated"


def _outcome_abstain_against_in_bravo(for_votes, against_votes, abstain_votes, supply, quorum_percent, counting="oz"):
    counted = for_votes + abstain_votes if counting == "oz" else for_votes
    against = against_votes if counting == "oz" else against_votes + abstain_votes   # Abstain read as Against
    return "Succeeded" if counted >= supply * quorum_percent // 100 and for_votes > against else "Defeated"


def _outcome_abstain_with_for(for_votes, against_votes, abstain_votes, supply, quorum_percent, counting="oz"):
    counted = for_votes + abstain_votes if counting == "oz" else for_votes
    support = for_votes + abstain_votes if counting == "oz" else for_votes    # Abstain also beats Against
    return "Succeeded" if counted >= supply * quorum_percent // 100 and support > against_votes else "Defeated"


def _ballot_credits_in_proportion(intensity, credits=100):
    u = np.asarray(intensity, dtype=float)   # spends CREDITS in proportion to intensity: votes grow as sqrt
    total = np.abs(u).sum()
    if total == 0:
        return np.zeros_like(u)
    return np.sign(u) * np.sqrt(credits * np.abs(u) / total)


def _ballot_all_on_top(intensity, credits=100):
    u = np.asarray(intensity, dtype=float)   # every credit on the issue one cares most about
    out = np.zeros_like(u)
    if np.abs(u).sum() > 0:
        top = int(np.argmax(np.abs(u)))
        out[top] = np.sign(u[top]) * math.sqrt(credits)
    return out


def _ballot_linear_norm(intensity, credits=100):
    u = np.asarray(intensity, dtype=float)   # scaled so the votes (not their squares) add up to sqrt(credits)
    total = np.abs(u).sum()
    return u * (math.sqrt(credits) / total) if total > 0 else np.zeros_like(u)


def _ballot_no_sign(intensity, credits=100):
    u = np.abs(np.asarray(intensity, dtype=float))   # forgets that negative means Against
    norm = math.sqrt((u * u).sum())
    return u * (math.sqrt(credits) / norm) if norm > 0 else np.zeros_like(u)


def _nakamoto_at_least(shares, threshold=0.5):
    s = np.sort(np.asarray(shares, dtype=float))[::-1]
    return int(np.argmax(np.cumsum(s) / s.sum() >= threshold) + 1)   # ">=": exactly half is not a majority


def _nakamoto_unsorted(shares, threshold=0.5):
    s = np.asarray(shares, dtype=float)
    return int(np.argmax(np.cumsum(s) / s.sum() > threshold) + 1)     # takes holders in the given order


def _nakamoto_smallest_first(shares, threshold=0.5):
    s = np.sort(np.asarray(shares, dtype=float))
    return int(np.argmax(np.cumsum(s) / s.sum() > threshold) + 1)


def _nakamoto_ignores_threshold(shares, threshold=0.5):
    s = np.sort(np.asarray(shares, dtype=float))[::-1]
    return int(np.argmax(np.cumsum(s) / s.sum() > 0.5) + 1)          # always a half, whatever threshold says


def _qf_total_not_match(contributions):
    c = np.asarray(contributions, dtype=float)
    return float(np.sqrt(c).sum() ** 2)                               # forgot to subtract the contributions


def _qf_square_of_sum(contributions):
    c = np.asarray(contributions, dtype=float)
    return float(np.sqrt(c.sum()) ** 2 - c.sum())                     # sqrt of the sum: always 0


EXERCISES = [
    FunctionExercise(
        id="04.1", title="Tally a vote with a quorum", points=2, name="proposal_outcome",
        reference=governance.proposal_outcome,
        nudge="Check the failing case against two questions: what is the quorum a share OF (everything "
              "that could vote, or only what was cast?), and which ballots count toward it under this "
              "counting rule?",
        hint="The quorum is quorum_percent percent of the whole supply, rounded down to whole votes "
             "(integer division). OpenZeppelin ('oz') counts For and Abstain toward it, Compound ('bravo') "
             "only For. A proposal succeeds when the counted votes reach the quorum (at least equal) AND "
             "For is strictly more than Against.",
        mistakes=[
            mistake("quorum measured against the votes cast, not the supply", _outcome_of_votes_cast),
            mistake("quorum not rounded down (a float)", _outcome_float_quorum),
            mistake("Bravo's rule ignored: Abstain always counts", _outcome_ignores_counting),
            mistake("a tie counts as a win", _outcome_tie_wins),
            mistake("Bravo: Abstain counted as Against", _outcome_abstain_against_in_bravo),
            mistake("Abstain added to For when For is compared with Against", _outcome_abstain_with_for),
        ],
        cases=[
            case(600, 300, 100, 1000, 4), case(300, 100, 400, 1000, 40, note="abstain helps reach quorum"),
            case(300, 100, 400, 1000, 40, "bravo", note="Bravo: only For counts"),
            case(400, 100, 0, 1000, 40, "bravo", note="exactly at quorum"),
            case(500, 100, 400, 1000, 40, "bravo", note="Bravo, with many Abstain votes"),
            case(300, 400, 200, 1000, 4, note="quorum reached, but more Against than For"),
            case(30, 10, 0, 1000, 4, note="low turnout: 40 of 1,000 tokens voted"),
            case(500, 500, 0, 1000, 4, note="a tie"), case(0, 0, 0, 1000, 0, note="nobody voted"),
            case(1, 0, 0, 150, 1, note="1% of 150 is 1.5: rounds down to 1"),
            case(10**24, 10**23, 0, 10**26, 4, note="token amounts in wei"),
        ],
        compare=exact(),
    ),
    FunctionExercise(
        id="04.2", title="A quadratic ballot over several issues", points=2, name="quadratic_ballot",
        reference=quadratic_ballot_reference,
        forbidden=(governance.quadratic_ballots, governance.multi_issue_vote),
        nudge="Two things must hold for every ballot: the squares of the votes add up to the credits, "
              "and the votes are in the same ratio as the intensities (signs included). Check both on "
              "the failing case.",
        hint="Votes in proportion to intensity: v_j = u_j * scale. Choose the scale so that the sum of "
             "v_j**2 equals the credits: scale = sqrt(credits / sum of u_j**2). A voter who cares about "
             "nothing (all zeros) casts no votes.",
        mistakes=[
            mistake("credits (not votes) in proportion to intensity", _ballot_credits_in_proportion),
            mistake("all credits on the issue one cares most about", _ballot_all_on_top),
            mistake("votes add up to sqrt(credits) instead of their squares to the credits", _ballot_linear_norm),
            mistake("the sign (For or Against) is dropped", _ballot_no_sign),
        ],
        cases=[
            case([3, -4], note="3-4-5: votes 6 and -8"), case([8, -1, 1]), case([-2, 3, -3]),
            case([1, 0, 0], note="one issue only: all credits on it"),
            case([0, 0], note="cares about nothing"), case([2, 2, 2, 2], credits=64),
            case(np.array([5.0, -1.0, 0.5]), credits=50, note="a numpy array, 50 credits"),
        ],
        compare=close(rel=1e-9, abs=1e-12),
    ),
    FunctionExercise(
        id="04.3", title="Nakamoto coefficient", points=2, name="nakamoto_coefficient",
        reference=governance.nakamoto_coefficient,
        nudge="Which holders would you ask first if you wanted a majority with as few people as possible? "
              "And is exactly half of the votes a majority?",
        hint="Sort the holdings from largest to smallest, divide by the total, take the running sum "
             "(np.cumsum) and count how many holders it takes for it to be MORE than the threshold.",
        mistakes=[
            mistake("exactly half counts as a majority (>=)", _nakamoto_at_least),
            mistake("holders taken in the given order (not sorted)", _nakamoto_unsorted),
            mistake("smallest holders first", _nakamoto_smallest_first),
            mistake("the threshold argument ignored (always one half)", _nakamoto_ignores_threshold),
        ],
        cases=[
            case([40, 30, 20, 10]), case([51, 49], note="one majority holder"),
            case([50, 50], note="exactly half is not a majority"), case([1] * 10),
            case([10, 40, 20, 30], note="unsorted input"), case([5, 3, 2], threshold=0.66),
            case([5, 3, 2], threshold=0.4, note="a 40% threshold: the largest holder alone"),
            case([40, 30, 20, 10], threshold=2 / 3, note="a two-thirds supermajority"),
            case(np.array([1e6, 1.0, 1.0]), note="a numpy array"),
        ],
        compare=exact(),
    ),
    FunctionExercise(
        id="04.4", title="Quadratic funding match", points=2, name="quadratic_funding_match",
        reference=governance.quadratic_funding_match,
        nudge="The match is what the matching pool adds on top of what the donors gave: try one donor "
              "giving 100 USD, whose match should be 0.",
        hint="Take the square root of each contribution, add them up, square the sum, then subtract "
             "the sum of the contributions.",
        mistakes=[
            mistake("returns the project's total, not the match", _qf_total_not_match),
            mistake("square root of the sum instead of the sum of square roots", _qf_square_of_sum),
        ],
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
        nudge="Print the conviction block by block next to the threshold: the answer is the first block "
              "at which conviction is at least the threshold. Which number is S, the staked supply?",
        hint="First the threshold: weight * S / ((1 - alpha) * (max_ratio - requested/funds)**2), with S the "
             "20,000 staked tokens and funds the 10,000 in the pool. Then the smallest whole t with "
             "5000 * (1 - 0.9**t) / (1 - 0.9) >= threshold (a while loop works).",
        mistakes=[
            mistake("one block early (the last block below the threshold)", 3),
            mistake("one block late", 5),
            mistake("the pool's 10,000 tokens used as S", 2),
            mistake("the (1 - alpha) in the threshold forgotten", 1),
        ],
        compare=close(rel=1e-9),
    ),
    FreeTextExercise(
        id="04.6", title="A captured DAO", points=2,
        rubric="Full marks: names a concrete risk of two delegates casting most of the votes (they outvote "
               "everyone who turns up, e.g. forbid a competitor's use or never slash a provider they control; "
               "with 5% turnout and a 4% quorum they also decide, by staying at home, whether a proposal "
               "reaches the quorum at all) AND one sensible change with its "
               "cost (quadratic or capped voting + identity checks; a longer timelock; delegation to more "
               "delegates; a veto for affected users), tied to notebook 04.",
    ),
]
