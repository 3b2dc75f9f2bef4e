"""Tests for cryptocourse.ownership: FedAvg, robust aggregation, Shapley values, shares."""
import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from cryptocourse import ownership as o

# ----------------------------------------------------------------- known values


def test_fedavg_known_value():
    # the example: (100 * 1 + 300 * 3) / 400 = 2.5 (McMahan et al. 2017, weighted by n_k)
    assert o.fedavg([1, 3], [100, 300]) == 2.5
    assert o.fedavg([[1.0, 0.0], [3.0, 4.0]], [100, 300]).tolist() == [2.5, 3.0]


def test_glove_game_shapley():
    phi = o.shapley_values(3, o.glove_game)
    assert phi == pytest.approx([2 / 3, 1 / 6, 1 / 6])


def test_shapley_simple_games():
    # additive game: each player's value is its own worth
    worth = [3.0, 5.0, 7.0]
    assert o.shapley_values(3, lambda s: sum(worth[i] for i in s)) == pytest.approx(worth)
    # unanimity game on {0, 1}: split equally, the dummy player 2 gets nothing
    assert o.shapley_values(3, lambda s: float({0, 1} <= s)) == pytest.approx([0.5, 0.5, 0.0])


def test_monte_carlo_close_to_exact_and_seeded():
    est, se = o.shapley_monte_carlo(3, o.glove_game, n_permutations=3000, seed=4)
    assert np.all(np.abs(est - [2 / 3, 1 / 6, 1 / 6]) < 4 * se + 1e-12)
    again, _ = o.shapley_monte_carlo(3, o.glove_game, n_permutations=3000, seed=4)
    assert est.tolist() == again.tolist()
    assert est.sum() == pytest.approx(1.0)  # efficiency holds for every permutation


def test_robust_aggregators():
    assert o.coordinate_median([1, 2, 1000]) == 2.0
    assert o.trimmed_mean([1, 2, 3, 1000], trim=0.25) == 2.5
    assert o.trimmed_mean([1, 2, 3], trim=0.0) == 2.0
    assert o.aggregate([[0, 0], [2, 2]], [1, 3], "fedavg").tolist() == [1.5, 1.5]


def test_shares_and_revenue():
    assert o.ownership_shares([2, 1, 1]).tolist() == [0.5, 0.25, 0.25]
    assert o.shares_to_bps([0.5, 0.25, 0.25]) == [5000, 2500, 2500]
    assert sum(o.shares_to_bps([0.1234567, 0.4567891, 0.3], total=10_000)) == 10_000
    assert o.revenue_split(10, [1, 1, 1]) == [4, 3, 3]
    from cryptocourse.chain import split_fee
    assert o.revenue_split(10**18 + 7, [4000, 3500, 2500]) == split_fee(10**18 + 7, [4000, 3500, 2500])
    assert o.revenue_split(7 * 10**18, [10_000]) == [7 * 10**18]


# ----------------------------------------------------------------- properties


def _random_game(n, seed):
    rng = np.random.default_rng(seed)
    table = rng.normal(size=1 << n)
    table[0] = 0.0
    return lambda s: table[sum(1 << i for i in s)]


@given(st.integers(1, 7), st.integers(0, 10_000))
def test_shapley_efficiency(n, seed):
    v = _random_game(n, seed)
    phi = o.shapley_values(n, v)
    assert phi.sum() == pytest.approx(v(frozenset(range(n))) - v(frozenset()), abs=1e-9)


@given(st.integers(2, 6), st.integers(0, 10_000))
def test_shapley_symmetry(n, seed):
    # a game that depends only on how many players join and whether player 0 is in it:
    # players 1..n-1 are interchangeable, so they must get equal values
    rng = np.random.default_rng(seed)
    by_size = rng.normal(size=(n + 1, 2))
    phi = o.shapley_values(n, lambda s: by_size[len(s), int(0 in s)])
    assert np.allclose(phi[1:], phi[1])


@given(st.lists(st.floats(-1e3, 1e3), min_size=1, max_size=8), st.data())
def test_fedavg_is_a_weighted_mean(ws, data):
    sizes = data.draw(st.lists(st.integers(1, 10_000), min_size=len(ws), max_size=len(ws)))
    avg = o.fedavg(ws, sizes)
    assert min(ws) - 1e-9 <= avg <= max(ws) + 1e-9
    assert o.fedavg(ws, [s * 7 for s in sizes]) == pytest.approx(avg, abs=1e-9)


@given(st.lists(st.floats(-1e3, 1e3), min_size=1, max_size=9), st.floats(0, 0.49))
def test_robust_aggregators_stay_in_range(ws, trim):
    for agg in (o.coordinate_median(ws), o.trimmed_mean(ws, trim)):
        assert min(ws) - 1e-9 <= agg <= max(ws) + 1e-9


@given(st.integers(0, 10**24), st.lists(st.integers(0, 10_000), min_size=1, max_size=8).filter(lambda s: sum(s) > 0))
def test_revenue_split_exact(revenue, shares):
    parts = o.revenue_split(revenue, shares)
    assert sum(parts) == revenue
    tot = sum(shares)
    floors = [revenue * s // tot for s in shares]
    assert parts[1:] == floors[1:]                      # as ModelLicense.use credits them
    assert 0 <= parts[0] - floors[0] < len(shares)      # the dust goes to the first owner


@given(st.lists(st.floats(0, 1e6), min_size=1, max_size=12).filter(lambda s: sum(s) > 1e-6))
def test_bps_sum_exactly(shares):
    bps = o.shares_to_bps(shares)
    assert sum(bps) == 10_000 and min(bps) >= 0


# ----------------------------------------------------------------- federated learning behaviour


def test_training_improves_and_is_deterministic():
    fed = o.make_federation()
    a = o.federated_training(fed, rounds=10)
    b = o.federated_training(o.make_federation(), rounds=10)
    assert a.accuracy == b.accuracy
    assert a.final_accuracy > 0.8 and a.final_accuracy >= a.accuracy[0] - 0.01
    assert len(a.group_accuracy) == 4


def test_poisoning_and_robust_aggregation():
    honest = o.make_federation()
    attacked = o.make_federation(poisoned=[0])
    # with four clients a trimmed mean must drop >= 1 at each end: 25 %, which for 4 values is the median
    acc = {agg: o.federated_training(attacked, aggregator=agg, trim=0.25).final_accuracy for agg in o.AGGREGATORS}
    clean = {agg: o.federated_training(honest, aggregator=agg, trim=0.25).final_accuracy for agg in o.AGGREGATORS}
    assert acc["fedavg"] < 0.5 < acc["median"]          # the big poisoner wrecks FedAvg, not the median
    assert clean["fedavg"] > clean["median"]             # robustness costs accuracy when nobody attacks
    assert clean["trimmed_mean"] == clean["median"] and acc["trimmed_mean"] == acc["median"]


def test_trimming_that_drops_nothing_is_refused():
    # issue 15: "trimmed mean (20 %)" with 4 contributors dropped floor(0.8) = 0 models: the plain mean
    assert o.trimmed_mean([1, 2, 3, 100], trim=0.2) == np.mean([1, 2, 3, 100])
    assert o.trimmed_mean([1, 2, 3, 100], trim=0.25) == o.coordinate_median([1, 2, 3, 100]) == 2.5
    with pytest.raises(ValueError, match=r"trim must be >= 0.25 with 4 participants.*floor\(0.2 x 4\) = 0"):
        o.federated_training(o.make_federation(), aggregator="trimmed_mean", trim=0.2)
    with pytest.raises(ValueError, match="trim must be >= 0.5 with 2 participants"):
        o.federated_training(o.make_federation(), [0, 1], aggregator="trimmed_mean", trim=0.25)


def test_trimmed_mean_really_trims_with_ten_contributors():
    sizes = (200, 100, 50, 25, 150, 120, 80, 60, 40, 30)
    fed = o.make_federation(sizes=sizes, poisoned=[0, 4], seed=2026)
    runs = {a: o.federated_training(fed, aggregator=a, trim=0.2) for a in o.AGGREGATORS}
    # 2 of 10 dropped at each end: a third aggregator, distinct from the mean and the median
    assert len({tuple(np.round(r.weights, 12)) for r in runs.values()}) == 3
    assert runs["trimmed_mean"].final_accuracy > runs["fedavg"].final_accuracy + 0.05


def _same_client(a, b):
    return np.array_equal(a.X, b.X) and np.array_equal(a.y, b.y)


@pytest.mark.parametrize("seed", [2026, 7])
def test_each_contributor_has_its_own_random_stream(seed):
    """Issue 15: moving one contributor's size redrew everyone's data. Now it changes only its own."""
    shares = (200, 100, 50, 25)
    base = o.make_federation(sizes=(200, 100, 50, 25), seed=seed, test_shares=shares)
    for size in (0, 10, 199, 201, 400):
        other = o.make_federation(sizes=(size, 100, 50, 25), seed=seed, test_shares=shares)
        assert all(_same_client(a, b) for a, b in zip(base.clients[1:], other.clients[1:], strict=True))
        assert np.array_equal(base.X_test, other.X_test) and np.array_equal(base.y_test, other.y_test)
        n = min(size, 200)   # the first examples stay the same: the stream only grows or shrinks
        assert np.array_equal(base.clients[0].X[:n], other.clients[0].X[:n])
        assert np.array_equal(base.clients[0].y[:n], other.clients[0].y[:n])
    # label noise on one client leaves the others alone too
    noisy = o.make_federation(sizes=shares, label_noise=[0.3, 0, 0, 0], seed=seed, test_shares=shares)
    assert all(_same_client(a, b) for a, b in zip(base.clients[1:], noisy.clients[1:], strict=True))
    assert np.array_equal(base.clients[0].X, noisy.clients[0].X) and not np.array_equal(base.clients[0].y,
                                                                                         noisy.clients[0].y)
    # a new seed draws other examples from the same world (world_seed), another world by default
    assert not _same_client(base.clients[1], o.make_federation(sizes=shares, seed=seed + 1).clients[1])


def test_test_split_is_as_documented():
    fed = o.make_federation(seed=2026)
    assert np.bincount(fed.g_test).tolist() == [533, 267, 133, 67]          # in proportion to the data
    small = o.make_federation(sizes=(1000, 10), n_test=500, seed=1)
    assert np.bincount(small.g_test).tolist() == [495, 20]                   # at least 20 per group
    fixed = o.make_federation(sizes=(5, 500), test_shares=(1, 1), seed=1)
    assert np.bincount(fixed.g_test).tolist() == [500, 500]
    doc = o.make_federation.__doc__
    assert "in proportion to" in doc and "at least 20 per group" in doc and "split equally" not in doc
    with pytest.raises(ValueError, match="test_shares must be one share per group"):
        o.make_federation(test_shares=(1, 1))


# ----------------------------------------------------------------- Shapley, leave-one-out, core


def test_marginal_contributions_average_to_shapley():
    fed = o.make_federation(seed=2026)
    v = o.coalition_value(fed, rounds=8)
    phi = o.shapley_values(4, v)
    for i in range(4):
        m = o.marginal_contributions(4, v, i)
        assert len(m) == 8 and all(i not in s for s in m)
        weighted = sum(math.factorial(len(s)) * math.factorial(3 - len(s)) / 24 * g for s, g in m.items())
        assert weighted == pytest.approx(phi[i], abs=1e-12)


def test_leave_one_out_and_core_known_values():
    assert o.leave_one_out(3, lambda s: sum((3.0, 5.0, 7.0)[i] for i in s)).tolist() == [3.0, 5.0, 7.0]
    assert o.leave_one_out(3, o.glove_game).tolist() == [1.0, 0.0, 0.0]
    excess, who = o.core_excess([2 / 3, 1 / 6, 1 / 6], 3, o.glove_game)
    assert excess == pytest.approx(1 / 6) and who == (0, 1)
    assert o.core_excess([1.0, 0.0, 0.0], 3, o.glove_game)[0] == 0.0            # the core of the glove game
    assert o.core_excess([1 / 3] * 3, 3, lambda s: float(len(s) == 3))[0] == pytest.approx(-1 / 3)
    with pytest.raises(ValueError, match="allocation must be one payoff per player"):
        o.core_excess([1.0, 0.0], 3, o.glove_game)
    with pytest.raises(ValueError, match="player must be <= 2"):
        o.marginal_contributions(3, o.glove_game, 3)


@given(st.integers(2, 5), st.integers(0, 10_000))
def test_core_excess_is_the_largest_gap(n, seed):
    v = _random_game(n, seed)
    x = np.random.default_rng(seed).normal(size=n)
    excess, who = o.core_excess(x, n, v)
    assert 0 < len(who) < n and excess == pytest.approx(v(frozenset(who)) - x[list(who)].sum())
    for r in range(1, n):
        for s in __import__("itertools").combinations(range(n), r):
            assert v(frozenset(s)) - x[list(s)].sum() <= excess + 1e-12


def test_shapley_ranks_contributors():
    fed = o.make_federation(poisoned=[3], free_riders=[1])
    phi = o.shapley_values(4, o.coalition_value(fed))
    assert phi[3] < 0                          # the poisoner made the model worse
    assert abs(phi[1]) < 0.02                  # the free rider added about nothing
    assert phi[0] > phi[2] > 0                 # more honest data, more value
    shares = o.ownership_shares(phi)
    assert shares[3] == 0 and shares.sum() == pytest.approx(1)


def test_coalition_value_empty_is_zero():
    v = o.coalition_value(o.make_federation(sizes=(50, 50)), rounds=2)
    assert v(frozenset()) == 0.0


# ----------------------------------------------------------------- clear errors


@pytest.mark.parametrize("call, match", [
    (lambda: o.fedavg([1, 2], [1]), "client_sizes must be one size per client"),
    (lambda: o.fedavg([1, 2], [0, 0]), "client_sizes must be not all zero"),
    (lambda: o.fedavg([1, 2], [-1, 2]), "client_sizes must be >= 0"),
    (lambda: o.fedavg([], []), "client_weights must be a number or a non-empty array"),
    (lambda: o.trimmed_mean([1, 2], trim=0.5), "trim must be >= 0 and < 0.5"),
    (lambda: o.aggregate([1], [1], "mean"), "method must be one of"),
    (lambda: o.shapley_values(0, o.glove_game), "n_players must be >= 1"),
    (lambda: o.shapley_values(17, o.glove_game), "n_players must be <= 16"),
    (lambda: o.shapley_values(3, 5), "value must be a function"),
    (lambda: o.shapley_monte_carlo(3, o.glove_game, n_permutations=1), "n_permutations must be >= 2"),
    (lambda: o.make_federation(sizes=()), "sizes must be a non-empty"),
    (lambda: o.make_federation(label_noise=0.7), "label_noise must be >= 0 and <= 0.5"),
    (lambda: o.make_federation(poisoned=[9]), "poisoned must be <= 3"),
    (lambda: o.federated_training("x"), "federation must be a Federation"),
    (lambda: o.federated_training(o.make_federation(sizes=(5,)), rounds=0), "rounds must be >= 1"),
    (lambda: o.federated_training(o.make_federation(sizes=(5,)), aggregator="x"), "aggregator must be one of"),
    (lambda: o.ownership_shares([-1, 0]), "values must be positive for at least one"),
    (lambda: o.shares_to_bps([0, 0]), "shares must be a non-empty list with a positive total"),
    (lambda: o.revenue_split(10, [0, 0]), "shares must be not all zero"),
    (lambda: o.revenue_split(-5, [1, 1]), "revenue must be >= 0"),
])
def test_clear_errors(call, match):
    with pytest.raises((ValueError, TypeError), match=match):
        call()


# ----------------------------------------------------------------- notebook 05's dashboard


def test_ownership_view_numbers():
    from cryptocourse.dashboards.ownership import ownership_view
    v = ownership_view()
    assert v.shares.sum() == pytest.approx(1) and v.shares.argmax() == 0
    assert v.accuracy[-1] > v.accuracy_without_you[-1]
    p = ownership_view(behaviour="poisoned")
    assert p.shares[0] == 0 and p.shapley[0] < 0 and p.accuracy[-1] < 0.5
    assert ownership_view(behaviour="poisoned", aggregator="median").accuracy[-1] > 0.65
    assert ownership_view(behaviour="free_rider").shares[0] < 0.05
    # more of your data is worth more, ever more slowly (the value, not the share, which hardly moves)
    phis = [ownership_view(your_size=n).shapley[0] for n in (10, 50, 200, 400)]
    assert phis == sorted(phis) and phis[1] - phis[0] > phis[3] - phis[2] > 0
    with pytest.raises(ValueError, match="behaviour must be one of"):
        ownership_view(behaviour="lazy")
    with pytest.raises(ValueError, match="method must be one of"):
        ownership_view(aggregator="mean")


def test_your_slider_moves_only_your_data():
    """Issue 15: the "your examples" slider redrew the other contributors' data and the test population."""
    from cryptocourse.dashboards.ownership import ownership_view
    base = ownership_view()
    for size in (0, 50, 400):
        v = ownership_view(your_size=size)
        assert np.array_equal(v.accuracy_without_you, base.accuracy_without_you)
        assert np.array_equal(v.group_accuracy_without_you, base.group_accuracy_without_you)
        assert v.group_sizes.tolist() == base.group_sizes.tolist() == [533, 267, 133, 67]
    assert ownership_view(your_size=0).shares[0] == 0


def test_ownership_view_shows_per_group_accuracy_and_reseeds():
    from cryptocourse.dashboards.ownership import OwnershipDashboard, ownership_view
    v = ownership_view()
    assert v.group_accuracy.shape == v.group_accuracy_without_you.shape == (4,)
    assert v.group_accuracy[0] > v.group_accuracy_without_you[0] + 0.1      # your data serves your group
    assert v.group_accuracy[2] < v.group_accuracy_without_you[2] - 0.1      # ... at group 2's expense
    other = ownership_view(seed=2027)
    assert not np.array_equal(other.shapley, v.shapley) and other.seed == 2027
    dash = OwnershipDashboard()
    assert "seed" in dash.controls and "group" in dash.summary.value
    assert [value for _, value in dash.controls["aggregator"].options] == ["fedavg", "median"]


def test_ownership_dashboard_headless():
    from cryptocourse.dashboards.ownership import OwnershipDashboard
    dash = OwnershipDashboard()
    png = dash.image.value
    assert bytes(png).startswith(b"\x89PNG") and "Shapley" in dash.summary.value
    dash.set(behaviour="poisoned")
    assert dash.result.shares[0] == 0 and dash.image.value != png
