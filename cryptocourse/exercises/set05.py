"""Exercise set 05 (who owns the model): the checks behind exercises/05_who_owns_the_model.ipynb.

The reference answers are the package's own functions in :mod:`cryptocourse.ownership`,
so the checks agree with the lesson.
"""
import numpy as np

from .. import ownership
from .spec import FreeTextExercise, FunctionExercise, ValueExercise, case, close, exact


# small cooperative games for 05.2 (value: frozenset of player indices -> number)
def glove(s):
    return ownership.glove_game(s)


def additive(s):
    return float(sum((3.0, 5.0, 7.0)[i] for i in s))


def unanimity(s):
    return 1.0 if {0, 1} <= set(s) else 0.0


def majority(s):
    return 1.0 if len(s) >= 3 else 0.0


def data_game(s):
    # accuracy of a model trained on the data of coalition s (made-up numbers, monotone)
    table = {(): 0.5, (0,): 0.70, (1,): 0.65, (2,): 0.55, (0, 1): 0.80, (0, 2): 0.74,
             (1, 2): 0.70, (0, 1, 2): 0.83}
    return table[tuple(sorted(s))]


EXERCISES = [
    FunctionExercise(
        id="05.1", title="Federated averaging", points=2, name="fedavg",
        reference=ownership.fedavg,
        hint="Weight each client's model by its share of the data: sum_k n_k * w_k / sum_k n_k. "
             "np.asarray the inputs and use np.tensordot(sizes / sizes.sum(), weights, axes=1) "
             "(or a loop) so it also works when each model is an array.",
        cases=[
            case([1, 3], [100, 300]), case([2.0, 4.0, 10.0], [100, 100, 200]),
            case([5.0], [7], note="one client"), case([1.0, 9.0], [0, 50], note="a client with no data"),
            case(np.array([[1.0, 0.0], [3.0, 4.0]]), [100, 300], note="models are arrays"),
        ],
        compare=close(rel=1e-9),
    ),
    FunctionExercise(
        id="05.2", title="Exact Shapley values", points=3, name="shapley_values",
        reference=ownership.shapley_values,
        hint="For each player i and each coalition S without i, add |S|! (n-|S|-1)! / n! * "
             "(v(S | {i}) - v(S)). itertools.combinations(range(n), size) lists the coalitions; "
             "call value(frozenset(...)). Or average marginal contributions over itertools.permutations.",
        cases=[
            case(3, glove, note="the glove game"), case(3, additive, note="an additive game"),
            case(3, unanimity, note="player 2 adds nothing"), case(5, majority, note="a 3-of-5 majority"),
            case(3, data_game, note="three data contributors"), case(1, additive, note="one player"),
        ],
        compare=close(rel=1e-9, abs=1e-12),
    ),
    ValueExercise(
        id="05.3", title="Shares in basis points", points=2, name="shares_bps",
        expected_value=lambda: ownership.shares_to_bps(ownership.ownership_shares(
            ownership.shapley_values(3, data_game))),
        hint="Compute the Shapley values of data_game (exercise 05.2), divide by their sum, multiply by "
             "10,000, round down, and give the few missing basis points to the largest remainders so "
             "the list sums to exactly 10,000.",
        compare=exact(),
    ),
    FunctionExercise(
        id="05.4", title="Split revenue as ModelLicense does", points=2, name="revenue_split",
        reference=ownership.revenue_split,
        hint="Integer math: owner i gets revenue * shares[i] // sum(shares); whatever is left over "
             "(the rounding dust) goes to the first owner, so the parts add up to the revenue exactly.",
        cases=[
            case(10**18, [5000, 3000, 2000]), case(100, [1, 1, 1], note="dust to the first owner"),
            case(10, [3, 3, 3, 1]), case(0, [1, 2], note="no revenue"),
            case(10**18 + 7, [4000, 3500, 2500]), case(999, [0, 1, 1], note="an owner with a zero share"),
        ],
        compare=exact(),
    ),
    FunctionExercise(
        id="05.5", title="Trimmed mean", points=2, name="trimmed_mean",
        reference=ownership.trimmed_mean,
        hint="With k models, drop floor(trim * k) values at EACH end of every coordinate "
             "(np.sort(w, axis=0)), then take the plain mean of the rest along axis 0.",
        cases=[
            case([1, 2, 3, 4, 100], 0.2), case([1, 2, 3, 4], 0.25), case([1.0, 2.0, 3.0], 0.0, note="no trimming"),
            case([5.0, -50.0, 6.0, 7.0, 8.0, 500.0], 0.2),
            case(np.array([[0.0, 1.0], [1.0, 1.0], [100.0, -50.0], [2.0, 0.0], [1.5, 0.5]]), 0.2,
                 note="models are arrays"),
        ],
        compare=close(rel=1e-9),
    ),
    FreeTextExercise(
        id="05.6", title="Who answers when the model errs?", points=2,
        rubric="Full marks: says that ownership shares (Shapley values) measure contribution to accuracy, "
               "not responsibility for a given harm, AND names at least one accountability mechanism "
               "from the course (the ledger record of versions/votes, the provider's bond and slashing "
               "by governance, rules agreed in the licence) with a concrete use in the scenario.",
    ),
]
