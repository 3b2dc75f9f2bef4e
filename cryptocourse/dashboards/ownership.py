"""Notebook 05's dashboard: your data, the jointly trained model, who it serves, and your share of it.

``ownership_view(...)`` is the pure compute function (tested in tests/test_ownership.py);
``OwnershipDashboard`` is the thin view over it.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .. import ownership as o
from .._validate import integer
from ._base import Dashboard, dropdown, int_slider, slider

OTHERS = (100, 50, 25)  # data sizes of the three other contributors
#: the population the model serves: the four groups mixed as in notebook 05 (200 : 100 : 50 : 25),
#: fixed, so moving "your examples" changes your data only, not the people the model is tested on
POPULATION = (200, 100, 50, 25)
WORLD_SEED = 2026       # the groups' true rules: notebook 05's world
BEHAVIOURS = [("honest", "honest"), ("poisoned (flips every label)", "poisoned"),
              ("free rider (no data)", "free_rider")]


@dataclass(frozen=True)
class OwnershipView:
    """Everything the ownership dashboard shows, in numbers."""

    names: tuple                # contributor names, "you" first
    rounds: np.ndarray          # round numbers 1..R
    accuracy: np.ndarray        # test accuracy after each round, everyone training
    accuracy_without_you: np.ndarray  # the same without contributor 0
    shapley: np.ndarray         # exact Shapley value of each contributor (accuracy points)
    shares: np.ndarray          # ownership shares from the Shapley values (sum 1)
    group_accuracy: np.ndarray  # final accuracy on each group's slice of the population, everyone training
    group_accuracy_without_you: np.ndarray  # the same without you
    group_sizes: np.ndarray     # test examples per group (the population the model serves)
    seed: int                   # the seed of the examples


def ownership_view(your_size: int = 200, your_label_noise: float = 0.0, behaviour: str = "honest",
                   aggregator: str = "fedavg", rounds: int = 5, seed: int = 2026,
                   trim: float = 0.25) -> OwnershipView:
    """Compute every number the ownership dashboard shows (pure, no plotting).

    Four contributors train a logistic-regression model by federated rounds: you
    (``your_size`` examples with ``your_label_noise`` of labels wrong, and a
    ``behaviour``) and three others with 100, 50 and 25 examples from their own groups,
    for ``rounds`` rounds. The population the model is tested on is fixed (the four
    groups mixed 200 : 100 : 50 : 25, notebook 05's world), and every contributor's
    examples come from its own random stream, so moving ``your_size`` changes only
    your data. ``seed`` draws other examples from the same groups. Shapley values
    are exact (all 16 coalitions are trained).

    >>> v = ownership_view()
    >>> round(float(v.shares.sum()), 6), int(v.shares.argmax())
    (1.0, 0)
    >>> bool(np.array_equal(ownership_view(your_size=50).accuracy_without_you, v.accuracy_without_you))
    True
    """
    o.aggregate([0.0], [1], aggregator)  # validates the aggregator's name up front
    if behaviour not in ("honest", "poisoned", "free_rider"):
        raise ValueError(f"behaviour must be one of 'honest', 'poisoned', 'free_rider' (got {behaviour!r})")
    seed = integer("seed", seed, lo=0, why="a whole number")
    fed = o.make_federation(sizes=(your_size,) + OTHERS, label_noise=[your_label_noise, 0, 0, 0],
                            poisoned=[0] if behaviour == "poisoned" else [],
                            free_riders=[0] if behaviour == "free_rider" else [], seed=seed,
                            test_shares=POPULATION, world_seed=WORLD_SEED)
    # train every coalition once (16 trainings) and reuse them: the Shapley values need all of
    # them, the curves need "everyone" and "everyone but you" (same numbers as coalition_value)
    everyone, without_you = frozenset(range(4)), frozenset({1, 2, 3})
    runs = {frozenset(s): o.federated_training(fed, sorted(s), rounds=rounds, aggregator=aggregator,
                                               trim=trim, per_group=frozenset(s) in (everyone, without_you))
            for s in ({i for i in range(4) if m >> i & 1} for m in range(16))}
    base = runs[frozenset()].final_accuracy
    phi = o.shapley_values(4, lambda s: runs[frozenset(s)].final_accuracy - base)
    full, without = runs[everyone], runs[without_you]
    shares = o.ownership_shares(phi) if (phi > 0).any() else np.full(4, 0.25)
    return OwnershipView(
        names=("you", "C1", "C2", "C3"),
        rounds=np.arange(1, rounds + 1),
        accuracy=np.array(full.accuracy),
        accuracy_without_you=np.array(without.accuracy),
        shapley=phi,
        shares=shares,
        group_accuracy=full.group_accuracy,
        group_accuracy_without_you=without.group_accuracy,
        group_sizes=np.bincount(fed.g_test, minlength=4),
        seed=seed,
    )


class OwnershipDashboard(Dashboard):
    """Move your contribution; watch the model's accuracy, who it serves, and everyone's share."""

    title = "Federated training: who it serves and who owns the result"
    figsize = (10.4, 3.4)

    def controls_(self):
        return {
            "your_size": int_slider("your examples", 200, 0, 400, 10),
            "your_label_noise": slider("your labels that are wrong", 0.0, 0.0, 0.5, 0.05, fmt=".0%"),
            "behaviour": dropdown("you are", BEHAVIOURS, "honest"),
            "aggregator": dropdown("server aggregates with", [("FedAvg (size-weighted mean)", "fedavg"),
                                                              ("coordinate-wise median", "median")],
                                   "fedavg"),
            "seed": int_slider("random seed (new examples)", 2026, 2000, 2050),
        }

    def compute(self, **values):
        return ownership_view(**values)

    def setup(self, fig):
        # fixed margins instead of the constrained layout: a faster first draw, same look
        fig.set_layout_engine("none")
        self.ax_acc, self.ax_group, self.ax_share = fig.subplots(
            1, 3, gridspec_kw=dict(left=0.055, right=0.99, bottom=0.16, top=0.86, wspace=0.3))
        ax = self.ax_acc
        self.line_all = self.dynamic(*ax.plot([], [], "o-", color="tab:blue", ms=3, label="with you"))
        self.line_without = self.dynamic(*ax.plot([], [], "s--", color="tab:grey", ms=3, label="without you"))
        ax.axhline(0.5, color="black", lw=0.6, ls=":")
        ax.set(xlim=(0.5, 5.5), ylim=(0.0, 1.0), title="Test accuracy per round\n(whole population)",
               xlabel="federated round", ylabel="accuracy (share correct)")
        ax.legend(loc="lower right", fontsize=8)
        ax = self.ax_group
        x = np.arange(4)
        self.g_with = ax.bar(x - 0.2, [0.5] * 4, width=0.4, color="tab:blue", label="with you")
        self.g_without = ax.bar(x + 0.2, [0.5] * 4, width=0.4, color="tab:grey", label="without you")
        for bar in (*self.g_with, *self.g_without):
            self.dynamic(bar)
        # each bar's value, so the Try-it questions can be answered to the percent
        self.g_text = [self.dynamic(ax.text(i + dx, 0.01, "", ha="center", va="bottom", fontsize=6.5))
                       for dx in (-0.2, 0.2) for i in x]
        ax.set_xticks(x, ["your\ngroup", "group 1", "group 2", "group 3"], fontsize=8)
        ax.set(ylim=(0, 1.18), title="Accuracy on each group's cases\n(final round)",
               ylabel="accuracy (share correct)")
        ax.legend(loc="upper center", fontsize=7, ncol=2)
        ax = self.ax_share
        self.bars = ax.bar(x, [0.25] * 4, color=["tab:blue", "tab:orange", "tab:orange", "tab:orange"], width=0.6)
        for bar in self.bars:
            self.dynamic(bar)
        self.bar_text = [self.dynamic(ax.text(i, 0.01, "", ha="center", va="bottom", fontsize=9)) for i in x]
        ax.set_xticks(x, ["you", "C1 (100)", "C2 (50)", "C3 (25)"], fontsize=8)
        ax.set(ylim=(0, 1), title="Ownership share\n(from Shapley values)", ylabel="share of revenue")

    def draw(self, v: OwnershipView) -> str:
        self.line_all.set_data(v.rounds, v.accuracy)
        self.line_without.set_data(v.rounds, v.accuracy_without_you)
        texts = iter(self.g_text)
        for bars, accs in ((self.g_with, v.group_accuracy), (self.g_without, v.group_accuracy_without_you)):
            for bar, acc in zip(bars, accs, strict=True):
                bar.set_height(float(acc))
                text = next(texts)
                text.set_y(float(acc) + 0.01)
                text.set_text(f"{acc:.0%}")
        for bar, text, share in zip(self.bars, self.bar_text, v.shares, strict=True):
            bar.set_height(float(share))
            text.set_y(float(share) + 0.01)
            text.set_text(f"{share:.0%}")
        gain = v.accuracy[-1] - v.accuracy_without_you[-1]
        worst = int(np.argmin(v.group_accuracy))
        return (f"Final accuracy <b>{v.accuracy[-1]:.1%}</b> with you, {v.accuracy_without_you[-1]:.1%} "
                f"without (you add <b>{gain:+.1%}</b>) · worst-served group: "
                f"{'yours' if worst == 0 else f'group {worst}'} at <b>{v.group_accuracy[worst]:.0%}</b> · "
                f"your Shapley value <b>{v.shapley[0]:+.3f}</b> (share of test cases) → share "
                f"<b>{v.shares[0]:.0%}</b> · seed {v.seed}")
