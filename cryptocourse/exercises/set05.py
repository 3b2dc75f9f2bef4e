"""Exercise set 05 (who owns the model): the checks behind exercises/05_who_owns_the_model.ipynb.

The reference answers are the package's own functions in :mod:`cryptocourse.ownership`, so the
checks agree with the lesson. Each graded exercise lists the wrong answers learners plausibly write
(each proven rejected by tests/test_exercises.py), a nudge (shown with a failed check) and a hint
(``hint("05.K")``, or after repeated failures).
"""
import itertools
import math

import numpy as np

from .. import ownership
from .spec import FreeTextExercise, FunctionExercise, ValueExercise, case, close, exact, mistake


# small cooperative games for 05.2 and 05.4 (value: frozenset of player indices -> number)
def glove(s):
    return ownership.glove_game(s)


def additive(s):
    return float(sum((3.0, 5.0, 7.0)[i] for i in s))


def unanimity(s):
    return 1.0 if {0, 1} <= set(s) else 0.0


def majority(s):
    return 1.0 if len(s) >= 3 else 0.0


def all_or_nothing(s):
    return 1.0 if len(s) == 3 else 0.0


def two_player(s):
    return {(): 0.0, (0,): 10.0, (1,): 20.0, (0, 1): 50.0}[tuple(sorted(s))]


def data_game(s):
    # accuracy of a model trained on the data of coalition s (made-up numbers, monotone)
    table = {(): 0.5, (0,): 0.70, (1,): 0.65, (2,): 0.55, (0, 1): 0.80, (0, 2): 0.74,
             (1, 2): 0.70, (0, 1, 2): 0.83}
    return table[tuple(sorted(s))]


def data_gain(s):
    # data_game minus the untrained model's 0.5: what each coalition adds over guessing
    return data_game(s) - 0.5


def max_excess_reference(allocation, n_players, value):
    """The largest v(S) - sum of the allocation over S (the package's :func:`ownership.core_excess`)."""
    return ownership.core_excess(allocation, n_players, value)[0]


# -- wrong answers learners write (tests/test_exercises.py proves each is rejected) ------------------
def _fedavg_unweighted(client_weights, client_sizes):
    return np.mean(np.asarray(client_weights, dtype=float), axis=0)


def _fedavg_not_normalised(client_weights, client_sizes):
    return np.tensordot(np.asarray(client_sizes, dtype=float), np.asarray(client_weights, dtype=float), axes=1)


def _fedavg_divides_by_clients(client_weights, client_sizes):
    n = np.asarray(client_sizes, dtype=float)
    return np.tensordot(n, np.asarray(client_weights, dtype=float), axes=1) / len(n)


def _shapley_equal_coalitions(n_players, value):
    # averages over coalitions (each 1 / 2**(n-1)) instead of over orders of arrival
    out = []
    for i in range(n_players):
        others = [p for p in range(n_players) if p != i]
        gains = [value(frozenset(c) | {i}) - value(frozenset(c))
                 for r in range(n_players) for c in itertools.combinations(others, r)]
        out.append(sum(gains) / len(gains))
    return out


def _shapley_stand_alone(n_players, value):
    return [value(frozenset({i})) - value(frozenset()) for i in range(n_players)]


def _shapley_leave_one_out(n_players, value):
    everyone = frozenset(range(n_players))
    return [value(everyone) - value(everyone - {i}) for i in range(n_players)]


def _excess_with_everyone(allocation, n_players, value):
    # also looks at the empty coalition and at everyone (both have excess 0 for an efficient split)
    best = -math.inf
    for r in range(n_players + 1):
        for s in itertools.combinations(range(n_players), r):
            best = max(best, value(frozenset(s)) - sum(allocation[i] for i in s))
    return best


def _excess_flipped(allocation, n_players, value):
    return max(sum(allocation[i] for i in s) - value(frozenset(s))
               for r in range(1, n_players) for s in itertools.combinations(range(n_players), r))


def _excess_singletons_only(allocation, n_players, value):
    return max(value(frozenset({i})) - allocation[i] for i in range(n_players))


def _trim_round(client_weights, trim):
    w = np.sort(np.asarray(client_weights, dtype=float), axis=0)
    k = w.shape[0]
    cut = round(trim * k)                                   # round instead of floor
    return w[cut:k - cut].mean(axis=0)


def _trim_one_end(client_weights, trim):
    w = np.sort(np.asarray(client_weights, dtype=float), axis=0)
    cut = math.floor(trim * w.shape[0])
    return w[cut:].mean(axis=0)                             # drops only the lowest values


def _trim_whole_models(client_weights, trim):
    w = np.asarray(client_weights, dtype=float)
    if w.ndim == 1:
        w = w[:, None]
    k = w.shape[0]
    cut = math.floor(trim * k)
    order = np.argsort(np.linalg.norm(w, axis=1))           # drops whole models by size, not weight by weight
    return w[order[cut:k - cut]].mean(axis=0).squeeze()


def _trim_half_each_end(client_weights, trim):
    w = np.sort(np.asarray(client_weights, dtype=float), axis=0)
    k = w.shape[0]
    cut = math.floor(trim * k / 2)                          # trim read as the TOTAL share dropped
    return w[cut:k - cut].mean(axis=0)


EXERCISES = [
    FunctionExercise(
        id="05.1", title="Federated averaging", points=2, name="fedavg",
        reference=ownership.fedavg,
        nudge="Two contributors with models 1 and 3 on 100 and 300 examples should give 2.5: a mean in "
              "which each model counts as much as its share of all the examples.",
        hint="Weight each client's model by its share of the data, n_k / (sum of all n), and add the "
             "weighted models up. Use numpy arrays so that the same code works when each model is an "
             "array: the weighted sum then goes coordinate by coordinate.",
        mistakes=[
            mistake("a plain mean: data sizes ignored", _fedavg_unweighted),
            mistake("weighted by sizes but not divided by the total size", _fedavg_not_normalised),
            mistake("divided by the number of clients instead of the total size", _fedavg_divides_by_clients),
        ],
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
        nudge="Check the glove game by hand: list the 6 orders of arrival and who completes a pair in "
              "each. Your weights must make each ORDER equally likely, not each coalition.",
        hint="For each player i and each coalition S without i, add |S|! (n-|S|-1)! / n! times "
             "(v(S with i) - v(S)): that weight is the share of orders in which i finds exactly S "
             "already there. itertools.combinations lists the coalitions of each size; or average the "
             "marginal contributions over all itertools.permutations.",
        mistakes=[
            mistake("every coalition weighted equally (not every order)", _shapley_equal_coalitions),
            mistake("what each player is worth alone", _shapley_stand_alone),
            mistake("leave-one-out values", _shapley_leave_one_out),
        ],
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
        nudge="Check two things: does your list add up to exactly 10,000, and does it come from the "
              "Shapley values (not from what each contributor is worth alone)?",
        hint="Compute the Shapley values of data_game with your function from 05.2, divide by their sum, "
             "multiply by 10,000 and round DOWN; then give the few missing basis points, one each, to the "
             "contributors with the largest remainders, so the list sums to exactly 10,000.",
        mistakes=[
            mistake("each share rounded to the nearest point (sum 10,001)", [5051, 3687, 1263]),
            mistake("rounded down, the missing points never handed out (sum 9,998)", [5050, 3686, 1262]),
            mistake("shares from what each is worth alone", [5000, 3750, 1250]),
            mistake("shares from leave-one-out values", [5200, 3600, 1200]),
        ],
        compare=exact(),
    ),
    FunctionExercise(
        id="05.4", title="Is the split stable?", points=2, name="max_excess",
        reference=max_excess_reference,
        forbidden=(ownership.core_excess,),
        nudge="Look at every group of players that is neither nobody nor everybody, and compare what it "
              "could get alone with what the split pays its members. A positive answer means someone "
              "wants to leave; a negative one that nobody does.",
        hint="For every coalition S with 1 <= |S| <= n-1 (itertools.combinations), compute "
             "value(frozenset(S)) - (sum of allocation[i] for i in S), and return the largest of these "
             "numbers. The split is in the core when it pays out exactly v(everyone) and this largest "
             "excess is <= 0.",
        mistakes=[
            mistake("nobody and everybody included (the answer is never below 0)", _excess_with_everyone),
            mistake("the difference the wrong way round", _excess_flipped),
            mistake("only single players checked", _excess_singletons_only),
        ],
        cases=[
            case([2 / 3, 1 / 6, 1 / 6], 3, glove, note="glove game, Shapley split: players 0 and 1 leave"),
            case([1.0, 0.0, 0.0], 3, glove, note="glove game, the left glove takes all"),
            case([1 / 3, 1 / 3, 1 / 3], 3, all_or_nothing, note="only all three together are worth anything"),
            case([20.0, 30.0], 2, two_player, note="notebook 05, check your understanding 2"),
            case([0.2] * 5, 5, majority, note="3-of-5 majority, equal split"),
            case([3.0, 5.0, 7.0], 3, additive, note="an additive game"),
            case([0.1667, 0.1217, 0.0417], 3, data_gain, note="data_gain, about its Shapley split"),
        ],
        compare=close(rel=1e-9, abs=1e-12),
    ),
    FunctionExercise(
        id="05.5", title="Trimmed mean", points=2, name="trimmed_mean",
        reference=ownership.trimmed_mean,
        nudge="How many values does your function drop at each end of [1, 2, 3, 100] with trim 0.2? "
              "Work it out by hand: 0.2 x 4 = 0.8 of a value.",
        hint="With k models, drop floor(trim * k) values at EACH end of every coordinate (sort along "
             "axis 0 first), then take the plain mean of what is left along axis 0. floor(0.8) is 0: "
             "a trim that small drops nothing.",
        mistakes=[
            mistake("round instead of floor", _trim_round),
            mistake("drops the lowest values only", _trim_one_end),
            mistake("trim read as the total share dropped (half at each end)", _trim_half_each_end),
            mistake("whole models dropped (the smallest and largest by size), not each weight's extremes",
                    _trim_whole_models),
        ],
        cases=[
            case([1, 2, 3, 4, 100], 0.2), case([1, 2, 3, 4], 0.25),
            case([1, 2, 3, 100], 0.2, note="floor(0.2 x 4) = 0: nothing is dropped"),
            case([1.0, 2.0, 3.0], 0.0, note="no trimming"),
            case([5.0, -50.0, 6.0, 7.0, 8.0, 500.0], 0.2),
            case(np.array([[0.0, 1.0], [1.0, 1.0], [100.0, -50.0], [2.0, 0.0], [1.5, 0.5]]), 0.2,
                 note="models are arrays"),
            case(np.array([[0.0, 10.0], [1.0, 0.0], [2.0, 1.0], [3.0, 2.0], [100.0, 3.0]]), 0.2,
                 note="each weight trimmed on its own: different models are extreme in each"),
            case(list(range(10)) + [1000.0], 0.3, note="11 values, 3 dropped at each end"),
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
