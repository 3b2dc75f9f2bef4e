"""Who owns a jointly trained model: federated averaging, Shapley values, revenue shares.

Introduced in ``notebooks/05_who_owns_the_model.ipynb``. Teaching versions in
floats (numpy), except :func:`shares_to_bps` and :func:`revenue_split` on an
``int`` amount, which are exact integer splits (wei, basis points) of the kind a
contract such as ``ModelLicense`` stores.

Sources:

- McMahan, Moore, Ramage, Hampson, Agüera y Arcas, "Communication-Efficient
  Learning of Deep Networks from Decentralized Data", AISTATS 2017
  (https://arxiv.org/abs/1602.05629): FedAvg, the data-size-weighted mean.
- Shapley, "A Value for n-person Games" (1953); the glove game is the textbook
  example. Ghorbani & Zou, "Data Shapley", ICML 2019 (https://arxiv.org/abs/1904.02868):
  permutation sampling of Shapley values for data.
- Yin, Chen, Ramchandran & Bartlett, "Byzantine-Robust Distributed Learning",
  ICML 2018 (https://arxiv.org/abs/1803.01498): coordinate-wise median and trimmed mean.
"""
from __future__ import annotations

import itertools
import math
from dataclasses import dataclass, field
from typing import Callable, Sequence

import numpy as np

from ._validate import choice, fail, integer, number

__all__ = [
    "fedavg", "coordinate_median", "trimmed_mean", "aggregate", "AGGREGATORS",
    "Client", "Federation", "make_federation", "local_update", "accuracy",
    "federated_training", "TrainingResult", "shapley_values", "shapley_monte_carlo",
    "coalition_value", "glove_game", "ownership_shares", "shares_to_bps", "revenue_split",
    "marginal_contributions", "leave_one_out", "core_excess",
]

AGGREGATORS = ("fedavg", "median", "trimmed_mean")


# --------------------------------------------------------------------------- aggregation


def _stack(name: str, client_weights) -> np.ndarray:
    w = number(name, client_weights)
    w = np.asarray(w, dtype=float)
    if w.ndim == 0 or w.shape[0] == 0:
        fail(name, "a non-empty list with one model (number or array) per client", client_weights)
    return w


def fedavg(client_weights, client_sizes):
    """Federated averaging: the data-size-weighted mean of the clients' models.

    w = sum_k n_k * w_k / sum_k n_k (McMahan et al. 2017, algorithm 1). Teaching
    version (floats). Notebook 05.

    Parameters
    ----------
    client_weights : one model per client: numbers, or arrays of equal shape
    client_sizes : examples each client trained on (>= 0, not all zero)

    Returns
    -------
    The averaged model (float for scalar models, else an array).

    >>> fedavg([1, 3], [100, 300])
    2.5
    >>> fedavg([[0, 2], [4, 6]], [1, 1]).tolist()
    [2.0, 4.0]
    """
    w = _stack("client_weights", client_weights)
    n = np.atleast_1d(number("client_sizes", client_sizes, lo=0, why="a data set size cannot be negative"))
    if n.shape != (w.shape[0],):
        fail("client_sizes", f"one size per client ({w.shape[0]})", client_sizes)
    if n.sum() <= 0:
        fail("client_sizes", "not all zero", client_sizes, why="somebody must have trained on data")
    out = np.tensordot(n / n.sum(), w, axes=1)
    return float(out) if np.ndim(out) == 0 else out


def coordinate_median(client_weights):
    """Coordinate-wise median of the clients' models (ignores data sizes).

    A robust aggregator: fewer than half the clients cannot move it arbitrarily.
    Notebook 05.

    >>> coordinate_median([[0, 1], [1, 1], [100, -50]]).tolist()
    [1.0, 1.0]
    """
    w = _stack("client_weights", client_weights)
    out = np.median(w, axis=0)
    return float(out) if np.ndim(out) == 0 else out


def trimmed_mean(client_weights, trim: float = 0.2):
    """Coordinate-wise trimmed mean: drop the ``trim`` share of highest and lowest values.

    With k clients, floor(trim * k) values are dropped at each end of every
    coordinate before averaging (unweighted). ``trim`` is in [0, 0.5). Notebook 05.

    >>> trimmed_mean([1, 2, 3, 4, 100], trim=0.2)
    3.0
    """
    w = _stack("client_weights", client_weights)
    tr = number("trim", trim, lo=0, hi=0.5, hi_open=True, why="trimming half from each end leaves nothing")
    k = w.shape[0]
    cut = int(math.floor(tr * k))
    s = np.sort(w, axis=0)[cut:k - cut]
    out = s.mean(axis=0)
    return float(out) if np.ndim(out) == 0 else out


def aggregate(client_weights, client_sizes, method: str = "fedavg", trim: float = 0.2):
    """Combine client models with ``method`` in :data:`AGGREGATORS`.

    >>> aggregate([1, 3, 100], [1, 1, 1], "median")
    3.0
    """
    method = choice("method", method, AGGREGATORS)
    if method == "fedavg":
        return fedavg(client_weights, client_sizes)
    if method == "median":
        return coordinate_median(client_weights)
    return trimmed_mean(client_weights, trim)


# --------------------------------------------------------------------------- data and training


@dataclass
class Client:
    """One contributor: its data, how it behaves, and the data size it reports.

    ``kind``: ``"honest"``, ``"poisoned"`` (labels flipped: a label-flipping
    attack) or ``"free_rider"`` (sends back the model it received and trains on
    nothing while claiming ``claimed_size`` examples).
    """

    name: str
    X: np.ndarray
    y: np.ndarray
    group: int
    kind: str = "honest"
    claimed_size: int = 0
    Xb: np.ndarray | None = field(default=None, repr=False)  # X with a bias column, cached

    def __post_init__(self):
        self.Xb = _with_bias(self.X)

    @property
    def size(self) -> int:
        return int(self.y.size)


@dataclass
class Federation:
    """Clients plus a held-out test set: the population the model serves, its groups mixed in
    proportion to the clients' (claimed) data sizes unless ``test_shares`` says otherwise
    (see :func:`make_federation`)."""

    clients: list
    X_test: np.ndarray
    y_test: np.ndarray
    g_test: np.ndarray
    n_features: int = 6

    @property
    def names(self) -> list:
        return [c.name for c in self.clients]


def _group_params(n_groups: int, d: int, heterogeneity: float, rng) -> tuple[np.ndarray, np.ndarray]:
    w_common = np.array([2.0, -1.5, 1.0, 0.5, -0.5, 1.0][:d] + [0.5] * max(0, d - 6))
    w = w_common + heterogeneity * rng.normal(0, 1.0, (n_groups, d))
    mu = rng.normal(0, 1.0, (n_groups, d))
    return w, mu


def make_federation(sizes: Sequence[int] = (200, 100, 50, 25), label_noise=0.0,
                    poisoned: Sequence[int] = (), free_riders: Sequence[int] = (),
                    heterogeneity: float = 1.0, n_features: int = 6, n_test: int = 1000,
                    claimed_size: int | None = None, seed: int = 2026,
                    test_shares: Sequence[float] | None = None,
                    world_seed: int | None = None) -> Federation:
    """A seeded synthetic federation: one client per group, non-IID, uneven sizes.

    Group g has its own feature mean and its own true linear rule (the common
    rule plus ``heterogeneity`` x a random tilt), so each contributor sees a
    different slice of the world; ``world_seed`` (default: ``seed``) draws these
    rules. ``label_noise`` (scalar or one per client) is the share of labels
    flipped at random: low-quality data. Clients listed in ``poisoned`` flip all
    their labels; those in ``free_riders`` train on nothing and report
    ``claimed_size`` examples (default: the largest honest size).

    Every client draws its examples from its **own** random stream (children of
    ``numpy.random.SeedSequence(seed)``), so changing one client's size changes
    only that client's data: its first n examples stay the same, and the other
    clients' data do not move.

    The test set is the population the model will serve: ``n_test`` examples
    (about: each group's count is rounded, with at least 20 per group), drawn
    from the groups in proportion to ``test_shares``, by default in proportion
    to the clients' data sizes (a free rider's group counts with its claimed
    size). Each group's test examples also come from their own stream. Fix
    ``test_shares`` to keep the population the same while sizes change.
    Notebook 05.

    >>> fed = make_federation(sizes=(30, 20), seed=1)
    >>> [c.size for c in fed.clients], fed.X_test.shape, np.bincount(fed.g_test).tolist()
    ([30, 20], (1000, 6), [600, 400])
    >>> bigger = make_federation(sizes=(60, 20), seed=1, test_shares=(30, 20))
    >>> same = lambda a, b: bool(np.array_equal(a, b))
    >>> same(bigger.clients[0].X[:30], fed.clients[0].X), same(bigger.clients[1].X, fed.clients[1].X)
    (True, True)
    """
    if isinstance(sizes, (str, bytes)) or not isinstance(sizes, (Sequence, np.ndarray)):
        fail("sizes", "a list of data set sizes, one per client", sizes, exc=TypeError)
    sizes = [integer("sizes", s, lo=0) for s in sizes]
    k = len(sizes)
    if k == 0:
        fail("sizes", "a non-empty list of data set sizes", sizes)
    noise = np.broadcast_to(number("label_noise", label_noise, lo=0, hi=0.5,
                                   why="flipping more than half the labels is poisoning, not noise"), (k,))
    for name, idx in (("poisoned", poisoned), ("free_riders", free_riders)):
        for i in idx:
            integer(name, i, lo=0, hi=k - 1, why="each entry is a client index")
    het = number("heterogeneity", heterogeneity, lo=0)
    d = integer("n_features", n_features, lo=1, hi=12)
    nt = integer("n_test", n_test, lo=k, why="the test set needs examples from every group")
    seed = integer("seed", seed, lo=0)
    world = seed if world_seed is None else integer("world_seed", world_seed, lo=0)
    w, mu = _group_params(k, d, het, np.random.default_rng(world))
    honest_max = max([s for i, s in enumerate(sizes) if i not in free_riders] or [1])
    claim = honest_max if claimed_size is None else integer("claimed_size", claimed_size, lo=0)
    clients = []
    for i, n in enumerate(sizes):
        X, y, flips = _draw_stream(n, i, w, mu, seed, part=0)
        y = np.where(flips < noise[i], 1 - y, y)
        kind = "honest"
        if i in poisoned:
            y, kind = 1 - y, "poisoned"
        if i in free_riders:
            X, y, kind = X[:0], y[:0], "free_rider"
        clients.append(Client(f"C{i}", X, y, i, kind, claim if kind == "free_rider" else n))
    if test_shares is None:
        weights = np.array([c.claimed_size for c in clients], dtype=float)
    else:
        weights = np.atleast_1d(number("test_shares", test_shares, lo=0))
        if weights.shape != (k,):
            fail("test_shares", f"one share per group ({k})", test_shares)
    weights = weights + 1e-9
    per = np.maximum(np.round(nt * weights / weights.sum()).astype(int), 20)
    parts = [_draw_stream(int(per[g]), g, w, mu, seed, part=1)[:2] for g in range(k)]
    X_test = np.concatenate([p[0] for p in parts])
    y_test = np.concatenate([p[1] for p in parts])
    g_test = np.repeat(np.arange(k), per)
    return Federation(clients, X_test, y_test, g_test, d)


def _draw_stream(n: int, g: int, w, mu, seed: int, part: int, noise: float = 0.5):
    """``n`` examples of group ``g`` from the stream (seed, part, g): features, labels, flip draws.

    Features, label noise and flip draws each have their own child stream, so the
    first m examples are the same whatever n >= m is asked for.
    """
    fx, fn, ff = (np.random.default_rng(s) for s in np.random.SeedSequence(seed, spawn_key=(part, g)).spawn(3))
    X = mu[g] + fx.normal(0, 1.0, (n, w.shape[1]))
    y = (X @ w[g] + fn.normal(0, noise, n) > 0).astype(float)
    return X, y, ff.random(n)


def _with_bias(X: np.ndarray) -> np.ndarray:
    return np.hstack([X, np.ones((X.shape[0], 1))])


def local_update(w: np.ndarray, X: np.ndarray, y: np.ndarray, epochs: int = 10, lr: float = 1.0,
                 Xb: np.ndarray | None = None) -> np.ndarray:
    """Full-batch gradient descent on the logistic loss, starting from ``w`` (bias last).

    Returns the client's new weights; with no data it returns ``w`` unchanged.
    ``Xb`` (X with a column of ones appended) may be passed to save the copy.

    >>> local_update(np.zeros(2), np.array([[1.0], [-1.0]]), np.array([1.0, 0.0]), epochs=1, lr=0.5).round(3).tolist()
    [0.25, 0.0]
    """
    epochs = integer("epochs", epochs, lo=0, hi=1_000_000, why="passes over the client's data")
    lr = number("lr", lr, lo=0, lo_open=True, finite=True, why="the gradient-descent step size")
    w = np.atleast_1d(number("w", w, finite=True))
    X, y = _features_and_labels(X, y)
    if w.shape != (X.shape[1] + 1,):
        fail("w", f"{X.shape[1] + 1} weights (one per feature, bias last)", f"shape {w.shape}")
    w = w.copy()
    if y.size == 0:
        return w
    Xb = _with_bias(X) if Xb is None else Xb
    step = lr / y.size
    for _ in range(epochs):
        p = 1.0 / (1.0 + np.exp(-np.clip(Xb @ w, -30, 30)))
        w -= step * (Xb.T @ (p - y))
    return w


def accuracy(w: np.ndarray, X: np.ndarray, y: np.ndarray) -> float:
    """Share of examples the linear classifier ``w`` (bias last) labels correctly.

    >>> accuracy(np.array([1.0, 0.0]), np.array([[2.0], [-1.0]]), np.array([1.0, 1.0]))
    0.5
    """
    w = np.atleast_1d(number("w", w, finite=True))
    X, y = _features_and_labels(X, y)
    if w.shape != (X.shape[1] + 1,):
        fail("w", f"{X.shape[1] + 1} weights (one per feature, bias last)", f"shape {w.shape}")
    if y.size == 0:
        return float("nan")
    return float(np.mean((_with_bias(X) @ w > 0) == (y > 0.5)))


def _features_and_labels(X, y) -> tuple[np.ndarray, np.ndarray]:
    """Check a feature matrix (one row per example) and its labels (one per row)."""
    X = number("X", X, finite=True, nonempty=False)
    if np.ndim(X) != 2:
        fail("X", "a 2-D array with one row per example", f"shape {np.shape(X)}")
    y = number("y", y, finite=True, nonempty=False)
    if np.ndim(y) != 1 or np.shape(y)[0] != X.shape[0]:
        fail("y", f"one label per row of X ({X.shape[0]})", f"shape {np.shape(y)}")
    return X, y


@dataclass
class TrainingResult:
    """Result of :func:`federated_training`: final weights, test accuracy per round,
    and the final accuracy on each group's slice of the test set."""

    weights: np.ndarray
    accuracy: list = field(default_factory=list)
    group_accuracy: np.ndarray | None = None

    @property
    def final_accuracy(self) -> float:
        return self.accuracy[-1] if self.accuracy else float("nan")


def federated_training(federation: Federation, participants: Sequence[int] | None = None,
                       rounds: int = 10, local_epochs: int = 10, lr: float = 1.0,
                       aggregator: str = "fedavg", trim: float = 0.2,
                       per_group: bool = True) -> TrainingResult:
    """Train a logistic-regression model by federated rounds over some clients.

    Each round every participant runs :func:`local_update` from the global model
    (a free rider returns it unchanged), then the server aggregates with
    ``aggregator`` (FedAvg weights by the *reported* sizes). Deterministic given
    the federation (full-batch steps). Returns a :class:`TrainingResult` with the
    test accuracy after each round (and per group at the end if ``per_group``).
    Notebook 05.

    >>> fed = make_federation(seed=3)
    >>> r = federated_training(fed, rounds=5)
    >>> len(r.accuracy), r.final_accuracy > 0.7
    (5, True)
    """
    if not isinstance(federation, Federation):
        fail("federation", "a Federation (see make_federation)", type(federation).__name__, exc=TypeError)
    k = len(federation.clients)
    ids = list(range(k)) if participants is None else sorted({integer("participants", i, lo=0, hi=k - 1)
                                                              for i in participants})
    rounds = integer("rounds", rounds, lo=1, hi=10_000, why="training rounds, at most 10,000")
    local_epochs = integer("local_epochs", local_epochs, lo=1)
    lr = number("lr", lr, lo=0, lo_open=True)
    choice("aggregator", aggregator, AGGREGATORS)
    if aggregator == "trimmed_mean":
        tr = number("trim", trim, lo=0, hi=0.5, hi_open=True)
        m = len(ids)
        if m and math.floor(tr * m) == 0:
            fail("trim", f">= {1 / m:.3g} with {m} participants", trim,
                 why=f"floor({tr:g} x {m}) = 0 models would be dropped at each end: that is the plain "
                     "mean, no defence at all")
    d = federation.n_features
    w = np.zeros(d + 1)
    res = TrainingResult(w)
    clients = [federation.clients[i] for i in ids]
    sizes = [c.claimed_size for c in clients]
    if not clients or sum(sizes) == 0:
        # nobody (with data) takes part: the untrained model is all there is
        res.accuracy = [accuracy(w, federation.X_test, federation.y_test)] * rounds
    else:
        for _ in range(rounds):
            models = [local_update(w, c.X, c.y, local_epochs, lr, c.Xb) for c in clients]
            w = np.asarray(aggregate(models, sizes, aggregator, trim))
            res.accuracy.append(accuracy(w, federation.X_test, federation.y_test))
    res.weights = w
    if not per_group:
        return res
    g = federation.g_test
    res.group_accuracy = np.array([accuracy(w, federation.X_test[g == j], federation.y_test[g == j])
                                   for j in range(k)])
    return res


# --------------------------------------------------------------------------- Shapley values


def _check_game(n_players, value) -> int:
    n = integer("n_players", n_players, lo=1, hi=1_000, why="a game the course can evaluate: at most 1,000 players")
    if not callable(value):
        fail("value", "a function of a frozenset of player indices", value, exc=TypeError)
    return n


def shapley_values(n_players: int, value: Callable[[frozenset], float]) -> np.ndarray:
    """Exact Shapley values of a cooperative game with ``n_players`` (n <= 16).

    phi_i = sum over coalitions S without i of |S|! (n-|S|-1)! / n! * (v(S + i) - v(S)):
    each player's average marginal contribution over all orders of arrival.
    ``value`` maps a frozenset of player indices (0..n-1) to a number; it is
    called once per coalition (2**n calls). Notebook 05.

    >>> shapley_values(3, glove_game).round(4).tolist()
    [0.6667, 0.1667, 0.1667]
    """
    n = _check_game(n_players, value)
    if n > 16:
        fail("n_players", "<= 16 for the exact method", n, why="2**n coalitions; use shapley_monte_carlo")
    v = np.empty(1 << n)
    for mask in range(1 << n):
        v[mask] = float(value(frozenset(i for i in range(n) if mask >> i & 1)))
    weight = [math.factorial(s) * math.factorial(n - s - 1) / math.factorial(n) for s in range(n)]
    size = np.array([bin(m).count("1") for m in range(1 << n)])
    phi = np.zeros(n)
    masks = np.arange(1 << n)
    for i in range(n):
        without = masks[(masks >> i & 1) == 0]
        phi[i] = np.sum(np.take(weight, size[without]) * (v[without | (1 << i)] - v[without]))
    return phi


def shapley_monte_carlo(n_players: int, value: Callable[[frozenset], float],
                        n_permutations: int = 200, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Monte-Carlo Shapley values from random orders of arrival, with standard errors.

    Draws ``n_permutations`` seeded random orders; each player's estimate is the
    mean of its marginal contributions, its standard error the sample standard
    deviation / sqrt(n_permutations). Coalition values are cached. Returns
    ``(estimates, standard_errors)``. Source: Ghorbani & Zou (2019). Notebook 05.

    >>> est, se = shapley_monte_carlo(3, glove_game, n_permutations=2000, seed=1)
    >>> bool(np.all(np.abs(est - [2/3, 1/6, 1/6]) < 3 * se + 1e-9))
    True
    """
    n = _check_game(n_players, value)
    m = integer("n_permutations", n_permutations, lo=2, hi=10**6,
                why="a standard error needs at least two samples; at most 1,000,000")
    rng = np.random.default_rng(integer("seed", seed, lo=0, why="a whole number >= 0: the same seed gives the same numbers"))
    cache: dict[frozenset, float] = {}

    def v(s: frozenset) -> float:
        if s not in cache:
            cache[s] = float(value(s))
        return cache[s]

    contrib = np.zeros((m, n))
    for r in range(m):
        order = rng.permutation(n)
        members: set = set()
        prev = v(frozenset())
        for p in order:
            members.add(int(p))
            cur = v(frozenset(members))
            contrib[r, p] = cur - prev
            prev = cur
    return contrib.mean(axis=0), contrib.std(axis=0, ddof=1) / math.sqrt(m)


def _coalitions(n: int):
    """Every coalition of players 0..n-1 as a frozenset, smallest first."""
    return [frozenset(c) for r in range(n + 1) for c in itertools.combinations(range(n), r)]


def marginal_contributions(n_players: int, value: Callable[[frozenset], float], player: int) -> dict:
    """What ``player`` adds to each coalition it can join: v(S + player) - v(S).

    Returns ``{coalition (sorted tuple, without the player): marginal contribution}``.
    The Shapley value is the weighted average of these numbers, each coalition of
    size s weighted s! (n-s-1)! / n!: the share of arrival orders in which the
    player finds exactly that coalition already there. Notebook 05.

    >>> marginal_contributions(3, glove_game, 1)
    {(): 0.0, (0,): 1.0, (2,): 0.0, (0, 2): 0.0}
    """
    n = _check_game(n_players, value)
    if n > 16:
        fail("n_players", "<= 16 for a list of every coalition", n, why="2**(n-1) coalitions")
    i = integer("player", player, lo=0, hi=n - 1)
    return {tuple(sorted(s)): float(value(s | {i})) - float(value(s))
            for s in _coalitions(n) if i not in s}


def leave_one_out(n_players: int, value: Callable[[frozenset], float]) -> np.ndarray:
    """Leave-one-out values: v(everyone) - v(everyone but i), for each player i.

    What the full coalition would lose if this one player left. Unlike Shapley
    values these need not add up to v(everyone) (substitutes all get little;
    complements all get a lot). Notebook 05.

    >>> leave_one_out(3, glove_game).tolist()
    [1.0, 0.0, 0.0]
    """
    n = _check_game(n_players, value)
    everyone = frozenset(range(n))
    full = float(value(everyone))
    return np.array([full - float(value(everyone - {i})) for i in range(n)])


def core_excess(allocation, n_players: int, value: Callable[[frozenset], float]) -> tuple[float, tuple]:
    """How strongly the best-placed group would rather leave: max over coalitions of v(S) - sum of x_i in S.

    ``allocation`` gives each player's payoff x_i (for example its Shapley value).
    Looks at every coalition except the empty one and everyone. Returns
    ``(excess, coalition)``: a positive excess means that coalition can do better
    on its own than the allocation pays its members, so the allocation is **not
    in the core** (the set of splits no group wants to leave). An efficient
    allocation (sum = v(everyone)) with excess <= 0 is in the core. Notebook 05.

    >>> core_excess([0.5, 0.25, 0.25], 3, glove_game)
    (0.25, (0, 1))
    >>> core_excess([1.0, 0.0, 0.0], 3, glove_game)[0]   # the left glove takes all: in the core
    0.0
    """
    n = _check_game(n_players, value)
    x = np.atleast_1d(number("allocation", allocation))
    if x.shape != (n,):
        fail("allocation", f"one payoff per player ({n})", allocation)
    best, who = -math.inf, ()
    for s in _coalitions(n):
        if 0 < len(s) < n:
            gap = float(value(s)) - float(x[list(s)].sum())
            if gap > best + 1e-12:
                best, who = gap, tuple(sorted(s))
    if n == 1:
        return 0.0, ()
    return best, who


def glove_game(coalition: frozenset) -> float:
    """The glove game: player 0 owns a left glove, players 1 and 2 a right glove each.

    A coalition is worth 1 if it can make a pair. Shapley values: (2/3, 1/6, 1/6).

    >>> glove_game(frozenset({0, 2})), glove_game(frozenset({1, 2}))
    (1.0, 0.0)
    """
    if not isinstance(coalition, (set, frozenset, list, tuple)):
        fail("coalition", "a set of player indices, e.g. frozenset({0, 2})", coalition, exc=TypeError)
    return 1.0 if 0 in coalition and (1 in coalition or 2 in coalition) else 0.0


def coalition_value(federation: Federation, baseline: bool = True, **training) -> Callable[[frozenset], float]:
    """The value of a coalition of clients: test accuracy of the model they train together.

    With ``baseline=True`` the untrained model's accuracy is subtracted, so the
    empty coalition is worth 0 and the grand coalition's value is the accuracy
    the contributors added. Results are cached. ``training`` is passed to
    :func:`federated_training`. Notebook 05.

    >>> fed = make_federation(sizes=(100, 100), seed=0)
    >>> v = coalition_value(fed, rounds=3)
    >>> v(frozenset()), v(frozenset({0, 1})) > 0
    (0.0, True)
    """
    cache: dict[frozenset, float] = {}
    base = federated_training(federation, [], rounds=1, per_group=False).final_accuracy if baseline else 0.0
    training.setdefault("rounds", 8)

    def value(coalition: frozenset) -> float:
        key = frozenset(coalition)
        if key not in cache:
            cache[key] = (federated_training(federation, sorted(key), per_group=False,
                                             **training).final_accuracy - base
                          if key else 0.0 if baseline else base)
        return cache[key]

    return value


# --------------------------------------------------------------------------- ownership and revenue


def ownership_shares(values) -> np.ndarray:
    """Turn contribution values into ownership shares that sum to 1.

    Negative values (a contributor who made the model worse) get a zero share;
    the rest are split in proportion. Notebook 05.

    >>> ownership_shares([0.3, 0.1, -0.05]).tolist()
    [0.75, 0.25, 0.0]
    """
    v = np.atleast_1d(number("values", values))
    if v.ndim != 1 or v.size == 0:
        fail("values", "a non-empty 1-D list", values)
    pos = np.clip(v, 0, None)
    if pos.sum() <= 0:
        fail("values", "positive for at least one contributor", values,
             why="nobody added value, so there is nothing to share")
    return pos / pos.sum()


def shares_to_bps(shares, total: int = 10_000) -> list[int]:
    """Round shares to whole basis points that sum exactly to ``total`` (largest remainder).

    Contracts store shares as integers; naive rounding can leave the total at
    9,999 or 10,001. Exact (ints). Notebook 05.

    >>> shares_to_bps([1/3, 1/3, 1/3])
    [3334, 3333, 3333]
    """
    s = np.atleast_1d(number("shares", shares, lo=0))
    total = integer("total", total, lo=1)
    if s.ndim != 1 or s.size == 0 or s.sum() <= 0:
        fail("shares", "a non-empty list with a positive total", shares)
    exact = s / s.sum() * total
    base = np.floor(exact).astype(int)
    left = total - int(base.sum())
    order = np.argsort(-(exact - base), kind="stable")
    base[order[:left]] += 1
    return [int(x) for x in base]


def revenue_split(revenue, shares):
    """Split ``revenue`` among owners in proportion to ``shares``.

    If ``revenue`` is an ``int`` (wei) and ``shares`` are ints (for example basis
    points), the split is exact and the same as ``ModelLicense.use`` credits it:
    each owner gets revenue * share // total and the rounding dust goes to the
    first owner, so the parts sum to ``revenue`` (``cryptocourse.chain.split_fee``
    does the same for positive shares). Otherwise a float split. Notebook 05.

    >>> revenue_split(10**18, [5000, 3000, 2000])
    [500000000000000000, 300000000000000000, 200000000000000000]
    >>> revenue_split(100, [1, 1, 1])
    [34, 33, 33]
    >>> revenue_split(90.0, [0.5, 0.5]).tolist()
    [45.0, 45.0]
    """
    flat = np.atleast_1d(np.asarray(shares, dtype=object)).tolist() if not isinstance(shares, (str, bytes)) else []
    exact = isinstance(revenue, (int, np.integer)) and not isinstance(revenue, bool) and bool(flat) and all(
        isinstance(x, (int, np.integer)) and not isinstance(x, bool) for x in flat)
    if exact:
        rev = integer("revenue", revenue, lo=0)
        sh = [integer("shares", x, lo=0) for x in flat]
        tot = sum(sh)
        if tot == 0:
            fail("shares", "not all zero", shares)
        parts = [rev * x // tot for x in sh]
        parts[0] += rev - sum(parts)
        return parts
    rev = number("revenue", revenue, lo=0)
    s = np.atleast_1d(number("shares", shares, lo=0))
    if s.sum() <= 0:
        fail("shares", "not all zero", shares)
    return rev * s / s.sum()
