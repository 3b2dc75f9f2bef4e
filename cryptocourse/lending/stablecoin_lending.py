"""Lending a stablecoin: the yield, and spreading the deposit over protocols."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from cryptocourse._validate import fail, integer, number

# ---------------------------------------------------------------------------
# Lending a stablecoin: spreading it over protocols
# ---------------------------------------------------------------------------

@dataclass(frozen=True)
class LendingOutcomes:
    """Every possible one-year outcome of a stablecoin deposit, with its probability (exact).

    ``returns`` (fractions of the capital, sorted from worst to best) and ``probabilities`` (they
    sum to 1). ``n_protocols`` and ``assumptions`` record the inputs.
    """

    returns: np.ndarray
    probabilities: np.ndarray
    n_protocols: int
    assumptions: dict

    @property
    def mean(self) -> float:
        """Expected return (a fraction)."""
        return float(np.dot(self.returns, self.probabilities))

    @property
    def std(self) -> float:
        """Standard deviation of the return."""
        return float(np.sqrt(np.dot((self.returns - self.mean) ** 2, self.probabilities)))

    def prob_below(self, threshold: float) -> float:
        """Probability that the return is below ``threshold`` (e.g. -0.2: losing more than 20 %)."""
        t = number("threshold", threshold, lo=-1, hi=np.inf, why="a return as a fraction")
        return float(self.probabilities[self.returns < t].sum())

    def quantile(self, q: float) -> float:
        """The return that the worst ``q`` of outcomes do not beat (q = 0.01: the 1-in-100 year)."""
        q = number("q", q, lo=0, hi=1, lo_open=True, why="a probability")
        cum = np.cumsum(self.probabilities)
        return float(self.returns[np.searchsorted(cum, q - 1e-12)])


def stablecoin_lending_outcomes(
    n_protocols: int = 1,
    supply_apy: float = 0.05,
    *,
    exploit_probability: float = 0.02,
    exploit_loss: float = 1.0,
    depeg_probability: float = 0.0,
    depeg_loss: float = 0.0,
) -> LendingOutcomes:
    """One year of lending a stablecoin, split equally over ``n_protocols`` lending protocols.

    Each protocol pays ``supply_apy`` and, independently of the others, is exploited during the
    year with probability ``exploit_probability``, losing ``exploit_loss`` of what was deposited
    there (interest included). The stablecoin itself loses its peg with probability
    ``depeg_probability``, ending the year worth ``1 - depeg_loss`` USD: that hits every protocol
    at once, because they all hold the same coin. The outcomes are enumerated exactly (a
    binomial number of exploits times depeg or not), so there is no sampling noise. A teaching
    model: real exploits are rarer for older protocols, often partly recovered, and not
    independent (protocols share code, oracles and collateral).

    Parameters
    ----------
    n_protocols : int, default 1
        Protocols the capital is split over, equally (1 to 100).
    supply_apy : float, default 0.05
        Yearly supply yield in every protocol (a fraction).
    exploit_probability : float, default 0.02
        Chance per protocol per year of an exploit, in [0, 1].
    exploit_loss : float, default 1.0
        Share of a protocol's deposits lost in an exploit, in [0, 1].
    depeg_probability, depeg_loss : float, default 0
        Chance of a depeg during the year, and the coin's loss of value at the year's end.

    Returns
    -------
    LendingOutcomes

    >>> one = stablecoin_lending_outcomes(1)
    >>> four = stablecoin_lending_outcomes(4)
    >>> round(one.mean, 4), round(four.mean, 4)           # the same expected return
    (0.029, 0.029)
    >>> round(one.prob_below(-0.4), 4), round(four.prob_below(-0.4), 4)   # losing over 40 %
    (0.02, 0.0023)
    >>> round(one.prob_below(0.0), 4), round(four.prob_below(0.0), 4)    # losing anything
    (0.02, 0.0776)

    Notebook 09.
    """
    from math import comb

    n = integer("n_protocols", n_protocols, lo=1, hi=100, why="a whole number of protocols")
    apy = number("supply_apy", supply_apy, lo=-1, hi=10, why="a yearly yield as a fraction")
    pe = number("exploit_probability", exploit_probability, lo=0, hi=1, why="a probability")
    le = number("exploit_loss", exploit_loss, lo=0, hi=1, why="a share of the deposit")
    pdp = number("depeg_probability", depeg_probability, lo=0, hi=1, why="a probability")
    ld = number("depeg_loss", depeg_loss, lo=0, hi=1, why="a share of the coin's value")
    for name, v in (("supply_apy", apy), ("exploit_probability", pe), ("exploit_loss", le),
                    ("depeg_probability", pdp), ("depeg_loss", ld)):
        if np.ndim(v):
            fail(name, "a single number", v, exc=TypeError)
    rets, probs = [], []
    for k in range(n + 1):
        pk = comb(n, k) * pe**k * (1.0 - pe) ** (n - k)
        kept = (1.0 + apy) * (1.0 - le * k / n)
        for depegged, pd_ in ((False, 1.0 - pdp), (True, pdp)):
            if pk * pd_ == 0.0:
                continue
            rets.append(kept * (1.0 - ld if depegged else 1.0) - 1.0)
            probs.append(pk * pd_)
    rets, probs = np.array(rets), np.array(probs)
    order = np.argsort(rets, kind="stable")
    return LendingOutcomes(returns=rets[order], probabilities=probs[order], n_protocols=n,
                           assumptions=dict(supply_apy=apy, exploit_probability=pe, exploit_loss=le,
                                            depeg_probability=pdp, depeg_loss=ld))
