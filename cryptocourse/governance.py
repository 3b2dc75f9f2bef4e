"""DAO governance: voting rules, delegation, a proposal's life, capture measures.

Introduced in ``notebooks/04_dao_governance.ipynb``. Everything here is a teaching
model in plain Python/numpy, except :class:`VotesToken` and :class:`Governor`,
which keep whole-number token amounts and follow the state machine of the
Governor contracts (OpenZeppelin ``Governor`` v5 and Compound ``GovernorBravo``),
so the same proposal can be replayed on the EVM with ``contracts/Governor.vy``.

Sources (read 2026-11):

- OpenZeppelin Contracts v5, ``governance/Governor.sol``, ``IGovernor.ProposalState``,
  ``extensions/GovernorCountingSimple.sol`` (For + Abstain count toward quorum),
  ``extensions/GovernorVotesQuorumFraction.sol`` (quorum = past total supply x
  quorumNumerator / quorumDenominator, the denominator 100 by default),
  ``token/ERC20/extensions/ERC20Votes.sol`` (one-hop delegation, checkpoints):
  https://github.com/OpenZeppelin/openzeppelin-contracts
- Compound ``GovernorBravoDelegate.sol`` (only For votes count toward quorum,
  ``GRACE_PERIOD`` after which a queued proposal expires):
  https://github.com/compound-finance/compound-protocol
- 1Hive conviction voting, ``ConvictionVoting.sol`` and ``test/conviction-voting.js``:
  https://github.com/1Hive/conviction-voting-app
- Quadratic voting and funding: Lalley & Weyl (2018); Buterin, Hitzig & Weyl,
  "A Flexible Design for Funding Public Goods" (2019).
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any, Callable, Sequence

import numpy as np

from ._validate import choice, fail, integer, number

__all__ = [
    "quadratic_vote_cost", "quadratic_votes", "max_quadratic_votes", "sybil_votes", "best_sybil_split",
    "quadratic_ballots", "multi_issue_vote",
    "quadratic_funding_match", "conviction", "conviction_threshold", "time_to_pass",
    "gini", "nakamoto_coefficient", "voting_power", "Population", "make_population",
    "tally_votes", "compare_rules", "ProposalState", "GovernorError", "VotesToken",
    "GovernorParams", "Governor", "RULES", "deploy_governance", "proposal_outcome",
]

RULES = ("one_person", "token", "quadratic", "conviction")
AGAINST, FOR, ABSTAIN = 0, 1, 2  # the `support` codes of Bravo and OpenZeppelin


# --------------------------------------------------------------------------- quadratic


def quadratic_vote_cost(votes):
    """Credits needed to cast ``votes`` votes under quadratic voting (cost = votes**2).

    Teaching version (floats). Parameters: ``votes`` (votes, >= 0, scalar or array).
    Returns credits (float or array). Source: Lalley & Weyl (2018). Notebook 04.

    >>> quadratic_vote_cost(3)
    9.0
    >>> quadratic_vote_cost([1, 2, 10]).tolist()
    [1.0, 4.0, 100.0]
    """
    v = number("votes", votes, lo=0, why="a vote count cannot be negative")
    return v * v


def quadratic_votes(credits):
    """Votes bought with ``credits`` credits under quadratic voting (sqrt(credits)).

    Teaching version (floats, fractional votes allowed). Returns votes.

    >>> quadratic_votes(100)
    10.0
    """
    c = number("credits", credits, lo=0, why="a credit budget cannot be negative")
    return np.sqrt(c) if isinstance(c, np.ndarray) else math.sqrt(c)


def max_quadratic_votes(budget: int) -> int:
    """Largest whole number of votes whose cost votes**2 fits in an integer ``budget``.

    Exact (``math.isqrt``). Notebook 04, exercise set 04.

    >>> max_quadratic_votes(99)
    9
    """
    b = integer("budget", budget, lo=0, why="a credit budget is a whole number >= 0")
    return math.isqrt(b)


def sybil_votes(budget, identities, cost_per_identity=0.0):
    """Votes a holder gets by splitting ``budget`` credits over ``identities`` wallets.

    Each identity spends an equal part of what is left after paying
    ``cost_per_identity`` (the price of passing an identity check) per identity,
    so votes = k * sqrt((budget - k*c) / k) = sqrt(k * (budget - k*c)).
    With c = 0 splitting into k identities multiplies votes by sqrt(k): quadratic
    voting needs one-person-one-identity. Returns votes (0 where the checks cost
    more than the budget). Teaching version (floats). Notebook 04.

    Parameters
    ----------
    budget : credits (or tokens) the holder controls, >= 0
    identities : number of identities k, >= 1 (scalar or array)
    cost_per_identity : credits each extra identity costs to create and pass checks

    >>> sybil_votes(100, 1), sybil_votes(100, 4)
    (10.0, 20.0)
    >>> round(sybil_votes(100, 4, cost_per_identity=20), 3)
    8.944
    """
    b = number("budget", budget, lo=0)
    k = number("identities", identities, lo=1, why="a holder has at least one identity")
    c = number("cost_per_identity", cost_per_identity, lo=0)
    left = np.maximum(b - k * c, 0.0)
    out = np.sqrt(k * left)
    return float(out) if np.ndim(out) == 0 else out


def best_sybil_split(budget, cost_per_identity=0.0, max_identities: int = 1000) -> tuple[int, float]:
    """The number of identities k (1..max_identities) that gives a holder the most votes, and those votes.

    Uses :func:`sybil_votes`: every identity, the first included, pays
    ``cost_per_identity`` credits for its check. Two identities beat one while
    2(B - 2c) > B - c, that is while c < B/3; from c >= B/3 on, one identity is
    best and splitting stops paying. Teaching version (floats). Notebook 04.

    >>> best_sybil_split(100, 10)
    (5, 15.811388300841896)
    >>> best_sybil_split(100, 34)[0]
    1
    """
    m = integer("max_identities", max_identities, lo=1)
    k = np.arange(1, m + 1)
    votes = np.atleast_1d(sybil_votes(budget, k, cost_per_identity))
    best = int(np.argmax(votes))  # the first maximum: fewer identities win a tie
    return int(k[best]), float(votes[best])


def quadratic_ballots(intensity, credits=100.0) -> np.ndarray:
    """Each voter's quadratic-voting ballot over several issues, spending all its credits.

    ``intensity[i, j]`` is how much voter i cares about issue j (+ for, - against,
    in any unit: only the ratios matter). A voter who gains in proportion to the
    votes it casts gets the most for its budget by casting votes **in proportion
    to its intensity**: v_ij = u_ij * sqrt(C / sum_j u_ij**2), so that
    sum_j v_ij**2 = C (each extra vote on an issue costs more, 2v + 1, so it pays
    to spread votes where one cares less, and to concentrate where one cares most).
    Returns the votes (same shape; 0 for a voter who cares about nothing).
    Teaching version (floats). Source: Lalley & Weyl (2018). Notebook 04.

    >>> quadratic_ballots([[3, -4]], credits=100).tolist()
    [[6.0, -8.0]]
    """
    u = np.asarray(number("intensity", intensity), dtype=float)
    if u.ndim != 2 or u.size == 0:
        fail("intensity", "a 2-D table: one row per voter, one column per issue", intensity)
    c = np.broadcast_to(number("credits", credits, lo=0, why="a credit budget cannot be negative"),
                        (u.shape[0],)).astype(float)
    norm = np.sqrt((u * u).sum(axis=1))
    scale = np.divide(np.sqrt(c), norm, out=np.zeros_like(norm), where=norm > 0)
    return u * scale[:, None]


def multi_issue_vote(intensity, rule: str = "quadratic", credits=100.0) -> dict:
    """Vote on several issues at once with one rule; compare with the outcome that helps most.

    ``intensity[i, j]``: how much voter i gains if issue j passes (negative: loses).
    ``rule="one_person"``: on each issue every voter casts one vote, For if its
    intensity is positive (Against if negative, none if zero).
    ``rule="quadratic"``: every voter splits ``credits`` over the issues with
    :func:`quadratic_ballots`. An issue passes if its vote total is > 0.

    Returns a dict: ``votes`` (per voter and issue), ``totals`` and ``passed`` per
    issue, ``best`` (passes exactly the issues whose summed intensity is > 0: the
    outcome with the largest total gain), and ``welfare`` (total gain of the
    outcome chosen, in intensity units). Teaching version. Notebook 04.

    >>> u = [[10, -1], [-1, 3], [-1, 3]]    # voter 0 cares a lot about issue 0
    >>> multi_issue_vote(u, "one_person")["passed"].tolist(), multi_issue_vote(u)["passed"].tolist()
    ([False, True], [True, True])
    """
    u = np.asarray(number("intensity", intensity), dtype=float)
    if u.ndim != 2 or u.size == 0:
        fail("intensity", "a 2-D table: one row per voter, one column per issue", intensity)
    rule = choice("rule", rule, ["one_person", "quadratic"])
    votes = np.sign(u) if rule == "one_person" else quadratic_ballots(u, credits)
    totals = votes.sum(axis=0)
    passed = totals > 1e-12
    gain = u.sum(axis=0)
    return {"votes": votes, "totals": totals, "passed": passed, "best": gain > 0,
            "welfare": float(gain[passed].sum())}


def quadratic_funding_match(contributions):
    """Matching subsidy of quadratic funding: (sum of sqrt(c_i))**2 - sum(c_i).

    ``contributions`` is one project's list of contributions (USD), or a list of
    such lists, one per project (returns one match per project). Teaching version (floats),
    before any cap from a finite matching pool. Source: Buterin, Hitzig & Weyl (2019).
    Notebook 04.

    >>> quadratic_funding_match([1, 4, 9])
    22.0
    >>> quadratic_funding_match([[100], [1] * 100]).tolist()
    [0.0, 9900.0]
    """
    if (isinstance(contributions, (list, tuple)) and contributions
            and all(isinstance(x, (list, tuple, np.ndarray)) for x in contributions)):
        return np.array([quadratic_funding_match(x) for x in contributions])
    c = number("contributions", contributions, lo=0, why="a contribution cannot be negative")
    c = np.atleast_1d(c)
    if c.shape[-1] == 0:
        fail("contributions", "non-empty", contributions)
    r = np.sqrt(c)
    # subtracting sum(r**2) rather than sum(c) makes one contributor's match exactly 0
    out = np.maximum(r.sum(axis=-1) ** 2 - (r * r).sum(axis=-1), 0.0)
    return float(out) if np.ndim(out) == 0 else out


# --------------------------------------------------------------------------- conviction


def conviction(y0, amount, alpha, t):
    """Conviction after ``t`` periods of staking ``amount`` tokens, starting from ``y0``.

    y_t = alpha**t * y0 + amount * (1 - alpha**t) / (1 - alpha); it grows toward
    amount / (1 - alpha). Teaching version (floats); 1Hive's contract computes the
    same in fixed point with 7 decimals, so it may differ by one token-unit.
    Source: 1Hive ``test/conviction-voting.js`` (``calculateConviction``). Notebook 04.

    Parameters
    ----------
    y0 : conviction at t = 0 (token-periods)
    amount : tokens staked on the proposal
    alpha : decay per period (block), 0 <= alpha < 1
    t : periods elapsed, >= 0 (scalar or array)

    >>> conviction(0, 30000, 0.9, 2)
    57000.0
    """
    y0 = number("y0", y0, lo=0)
    x = number("amount", amount, lo=0)
    a = number("alpha", alpha, lo=0, hi=1, hi_open=True, why="alpha = 1 would never decay")
    t = number("t", t, lo=0)
    at = np.power(a, t)
    out = at * y0 + x * (1 - at) / (1 - a)
    return float(out) if np.ndim(out) == 0 else out


def conviction_threshold(requested, funds, effective_supply, alpha, max_ratio, weight):
    """Conviction a funding request needs: weight*S / ((1-alpha) * (max_ratio - requested/funds)**2).

    Returns ``inf`` when requested/funds >= max_ratio (no amount of conviction can
    pass it). ``effective_supply`` S is the staked supply, which 1Hive floors at a
    minimum share of the total supply. Teaching version (floats). Source: 1Hive
    ``ConvictionVoting.sol`` ``calculateThreshold`` and its test. Notebook 04.

    Parameters
    ----------
    requested, funds : tokens asked for, tokens in the common pool (> 0)
    effective_supply : tokens counted as S (> 0)
    alpha : decay per period, 0 <= alpha < 1
    max_ratio : beta, the largest share of the pool one proposal may take (0, 1]
    weight : rho, the threshold's weight (> 0)

    >>> round(conviction_threshold(200, 15000, 10000, 0.9, 0.2, 0.002), 2)
    5739.8
    """
    r = number("requested", requested, lo=0)
    f = number("funds", funds, lo=0, lo_open=True, why="an empty pool cannot fund anything")
    s = number("effective_supply", effective_supply, lo=0, lo_open=True)
    a = number("alpha", alpha, lo=0, hi=1, hi_open=True, why="alpha = 1 would never decay")
    b = number("max_ratio", max_ratio, lo=0, hi=1, lo_open=True)
    w = number("weight", weight, lo=0, lo_open=True)
    share = r / f
    gap = np.asarray(b - share, dtype=float)
    with np.errstate(divide="ignore"):
        out = np.where(gap > 0, w * s / ((1 - a) * np.where(gap > 0, gap, 1.0) ** 2), np.inf)
    return float(out) if np.ndim(out) == 0 else out


def time_to_pass(staked, threshold, alpha):
    """Periods of constant staking (from zero conviction) until conviction >= ``threshold``.

    Solves conviction(0, staked, alpha, t) = threshold for the smallest whole t;
    ``inf`` if the stake can never get there (threshold >= staked / (1 - alpha)).
    Teaching version. Notebook 04.

    >>> time_to_pass(30000, 57000, 0.9)
    2.0
    >>> time_to_pass(100, 5000, 0.9)
    inf
    """
    x = number("staked", staked, lo=0)
    th = number("threshold", threshold, lo=0)
    a = number("alpha", alpha, lo=0, lo_open=True, hi=1, hi_open=True)
    cap = x / (1 - a)
    with np.errstate(divide="ignore", invalid="ignore"):
        frac = 1 - np.asarray(th, dtype=float) / np.where(cap > 0, cap, 1.0)
        t = np.where((th < cap * (1 - 1e-12)) & (frac > 0), np.log(np.where(frac > 0, frac, 1.0)) / math.log(a), np.inf)
    # float noise: step back when the previous whole period already passes
    t = np.ceil(t - 1e-9)
    t = np.where(th <= 0, 0.0, t)
    return float(t) if np.ndim(t) == 0 else t


# --------------------------------------------------------------------------- capture


def gini(values) -> float:
    """Gini coefficient of holdings: 0 = all equal, (n-1)/n = one holder has everything.

    Parameters: ``values`` (tokens or votes per holder, >= 0, not all zero).
    Returns a float in [0, 1). Notebook 04.

    >>> gini([1, 1, 1, 1])
    0.0
    >>> gini([0, 0, 0, 10])
    0.75
    """
    x = np.atleast_1d(number("values", values, lo=0, why="holdings cannot be negative"))
    if x.ndim != 1 or x.size == 0:
        fail("values", "a non-empty 1-D list of holdings", values)
    total = x.sum()
    if total <= 0:
        fail("values", "not all zero", values, why="Gini is undefined when nobody holds anything")
    xs = np.sort(x)
    n = xs.size
    ranks = np.arange(1, n + 1)
    return float(np.sum((2 * ranks - n - 1) * xs) / (n * total))


def nakamoto_coefficient(shares, threshold: float = 0.5) -> int:
    """Fewest holders whose combined share exceeds ``threshold`` (0.5: a majority).

    ``shares`` are holdings (normalised here, so raw token counts work). The
    larger the coefficient, the harder it is to capture the vote. Notebook 04.

    >>> nakamoto_coefficient([40, 30, 20, 10])
    2
    >>> nakamoto_coefficient([1] * 10, threshold=0.5)
    6
    """
    x = np.atleast_1d(number("shares", shares, lo=0, why="holdings cannot be negative"))
    th = number("threshold", threshold, lo=0, hi=1, lo_open=True, hi_open=True)
    if x.ndim != 1 or x.size == 0 or x.sum() <= 0:
        fail("shares", "a non-empty 1-D list with a positive total", shares)
    cum = np.cumsum(np.sort(x)[::-1]) / x.sum()
    # a tiny tolerance so exact ties (5 of 10 equal holders = 0.5) do not count as > 0.5
    return int(np.argmax(cum > th + 1e-12) + 1)


# --------------------------------------------------------------------------- delegation


def voting_power(balances, delegates, mode: str = "one_hop") -> np.ndarray:
    """Votes each account holds after delegation.

    ``delegates[i]`` is the index account ``i`` delegates to: ``i`` itself (votes its
    own tokens) or ``-1`` (has not delegated).

    - ``mode="one_hop"`` (as ERC20Votes): account j's votes are the balances of all
      accounts whose delegate is j. Delegation does not chain, and tokens of an
      account that has not delegated (-1) count for nobody, as on chain.
    - ``mode="transitive"`` (liquid democracy): a delegation is followed until it
      reaches an account that delegates to itself or to nobody, who casts the votes.
      A cycle raises ``ValueError``.

    Total power is conserved: the sum of the result equals the sum of balances
    that are (directly or indirectly) delegated. Notebook 04.

    >>> voting_power([10, 20, 30], [1, 2, 2]).tolist()
    [0.0, 10.0, 50.0]
    >>> voting_power([10, 20, 30], [1, 2, 2], mode="transitive").tolist()
    [0.0, 0.0, 60.0]
    """
    b = np.atleast_1d(number("balances", balances, lo=0, finite=True, nonempty=True,
                             why="a balance cannot be negative"))
    mode = choice("mode", mode, ["one_hop", "transitive"])
    try:
        d = np.asarray(delegates)
    except ValueError:            # a ragged list
        fail("delegates", f"a list of {b.size} account indices (or -1)", delegates)
    if d.shape != b.shape or (d.size and not np.issubdtype(d.dtype, np.integer)):
        fail("delegates", f"a list of {b.size} account indices (or -1)", delegates)
    n = b.size
    if ((d < -1) | (d >= n)).any():
        bad = int(d[(d < -1) | (d >= n)][0])
        fail("delegates", f"indices between -1 and {n - 1}", bad, why="each entry names an account or -1 for none")
    power = np.zeros(n)
    if mode == "one_hop":
        ok = d >= 0
        np.add.at(power, d[ok], b[ok])
        return power
    final = np.full(n, -2)
    for start in range(n):
        if d[start] < 0:  # not delegated: keeps its own votes in liquid democracy
            final[start] = start
            continue
        path, seen, cur = [], set(), start
        while True:
            if final[cur] != -2:
                target = final[cur]
                break
            if cur in seen:
                cyc = path[path.index(cur):] + [cur]
                fail("delegates", "free of cycles", " -> ".join(map(str, cyc)),
                     why="in liquid democracy a delegation chain must end with someone who votes")
            seen.add(cur)
            path.append(cur)
            nxt = int(d[cur])
            if nxt < 0 or nxt == cur:
                target = cur
                break
            cur = nxt
        for p in path:
            final[p] = target
    np.add.at(power, final, b)
    return power


# --------------------------------------------------------------------------- one population, four rules


@dataclass
class Population:
    """Voters with tokens, quadratic-voting credits, a preference and a delegate.

    ``preference``: +1 for, -1 against, 0 abstain. ``delegates``: see
    :func:`voting_power` (default: everyone votes for themselves). ``casts``:
    True where the account casts a ballot (For, Against or Abstain), False where
    it stays at home (default: everyone votes). An account that stays at home
    still counts in the total supply that a quorum is measured against.
    """

    tokens: np.ndarray
    credits: np.ndarray
    preference: np.ndarray
    delegates: np.ndarray | None = None
    labels: list = field(default_factory=list)
    casts: np.ndarray | None = None

    def __post_init__(self):
        self.tokens = np.atleast_1d(number("tokens", self.tokens, lo=0))
        n = self.tokens.size
        self.credits = np.atleast_1d(number("credits", self.credits, lo=0))
        if self.credits.size == 1 and n > 1:
            self.credits = np.full(n, float(self.credits[0]))
        pref = np.atleast_1d(np.asarray(self.preference))
        if pref.shape != (n,) or not np.isin(pref, (-1, 0, 1)).all():
            fail("preference", f"{n} values from -1 (against), 0 (abstain), +1 (for)", self.preference)
        self.preference = pref.astype(int)
        if self.credits.shape != (n,):
            fail("credits", f"one value per voter ({n})", self.credits)
        if self.delegates is None:
            self.delegates = np.arange(n)
        self.delegates = np.asarray(self.delegates)
        if self.delegates.shape != (n,):
            fail("delegates", f"one index per voter ({n})", self.delegates)
        if not self.labels:
            self.labels = [f"voter {i}" for i in range(n)]
        if self.casts is None:
            self.casts = np.ones(n, dtype=bool)
        casts = np.atleast_1d(np.asarray(self.casts))
        if casts.shape != (n,) or casts.dtype != bool:
            fail("casts", f"{n} True/False values (does each account cast a ballot?)", self.casts)
        self.casts = casts

    @property
    def n(self) -> int:
        return int(self.tokens.size)


def make_population(n_whales: int = 3, whale_tokens: float = 200_000.0, n_small: int = 200,
                    small_tokens: float = 1_000.0, whale_support: float = 0.0,
                    small_support: float = 0.65, delegation: float = 0.0,
                    credits: float = 100.0, seed: int = 2026, turnout: float = 1.0,
                    abstain: float = 0.0) -> Population:
    """A seeded population of whales and many small holders, for notebook 04.

    Small holders' tokens are drawn from an exponential distribution with mean
    ``small_tokens``; whales hold ``whale_tokens`` each. ``whale_support`` and
    ``small_support`` are the shares of each group who prefer For (the rest prefer
    Against). ``delegation`` is the share of small holders who delegate to a
    randomly chosen whale. Every voter gets the same ``credits`` for quadratic voting.

    ``turnout`` is the chance that a small holder casts a ballot (whales always
    vote); ``abstain`` the chance that a small holder who votes chooses Abstain.
    Each small holder draws its own random numbers once, so raising ``turnout``
    only adds voters (the same ones stay) and the draws of the other parameters do
    not move. A delegator's tokens are cast by its delegate.

    >>> p = make_population(n_whales=2, n_small=10, seed=1)
    >>> p.n, p.tokens[:2].tolist()
    (12, [200000.0, 200000.0])
    >>> int(make_population(n_small=1000, turnout=0.3, seed=1).casts.sum())  # 3 whales + about 300
    308
    """
    nw = integer("n_whales", n_whales, lo=0, hi=10_000, why="at most 10,000 whales")
    ns = integer("n_small", n_small, lo=0, hi=10_000_000, why="at most 10,000,000 small holders")
    if nw + ns == 0:
        fail("n_small", "> 0 when n_whales is 0", ns, why="a vote needs voters")
    wt = number("whale_tokens", whale_tokens, lo=0)
    st = number("small_tokens", small_tokens, lo=0, lo_open=True)
    ws = number("whale_support", whale_support, lo=0, hi=1)
    ss = number("small_support", small_support, lo=0, hi=1)
    dl = number("delegation", delegation, lo=0, hi=1)
    cr = number("credits", credits, lo=0)
    to = number("turnout", turnout, lo=0, hi=1, why="a share of the small holders")
    ab = number("abstain", abstain, lo=0, hi=1, why="a share of the small holders who vote")
    rng = np.random.default_rng(integer("seed", seed, lo=0, why="a whole number >= 0: the same seed gives the same numbers"))
    small = rng.exponential(st, ns)
    tokens = np.concatenate([np.full(nw, wt), small])
    pref = np.concatenate([np.where(np.arange(nw) < round(ws * nw), 1, -1),
                           np.where(rng.random(ns) < ss, 1, -1)])
    delegates = np.arange(nw + ns)
    # always draw (even when nobody delegates), so moving one slider never reshuffles the others
    picks = rng.random(ns) < dl
    targets = rng.integers(0, max(nw, 1), ns)
    if nw and ns:
        delegates[nw:][picks] = targets[picks]
    # drawn after the draws above, so turnout and abstention leave them unchanged
    casts = np.concatenate([np.ones(nw, dtype=bool), rng.random(ns) < to])
    abstains = np.concatenate([np.zeros(nw, dtype=bool), rng.random(ns) < ab])
    pref = np.where(abstains, 0, pref)
    labels = [f"whale {i}" for i in range(nw)] + [f"small {i}" for i in range(ns)]
    return Population(tokens, np.full(nw + ns, cr), pref, delegates, labels, casts)


def tally_votes(population: Population, rule: str, *, delegation: str = "one_hop",
                quorum: float = 0.0, counting: str = "oz", alpha: float = 0.9,
                periods: float = 30, requested: float = 0.0, funds: float = 1.0,
                max_ratio: float = 0.2, weight: float = 0.002) -> dict:
    """Tally one yes/no proposal over a :class:`Population` under one voting rule.

    Rules: ``"one_person"`` (a head counts 1), ``"token"`` (a token counts 1),
    ``"quadratic"`` (each voter spends all its credits on this one proposal:
    sqrt(credits) votes), ``"conviction"`` (For voters stake their tokens for
    ``periods`` periods; the proposal passes when conviction reaches
    :func:`conviction_threshold` for ``requested`` out of ``funds``; Against voters
    simply do not stake). Delegation moves the underlying weight (heads, tokens or
    credits) to the delegate, who votes its own preference. Only accounts that
    cast a ballot (``population.casts``) add to For, Against or Abstain.

    The quorum is a share ``quorum`` of the **total** weight (all tokens, all heads,
    or every account's quadratic votes), cast or not, as OpenZeppelin's
    ``GovernorVotesQuorumFraction`` takes ``quorumNumerator / 100`` of the token's
    total supply at the snapshot. ``counting="oz"`` counts For + Abstain toward it
    (OpenZeppelin ``GovernorCountingSimple``), ``"bravo"`` counts For only
    (Compound ``GovernorBravoDelegate``). The proposal passes when the quorum is
    reached and For > Against.

    Returns a dict with ``for``, ``against``, ``abstain``, ``total`` (all weight),
    ``turnout`` (cast weight / total), ``quorum_needed``, ``quorum_counted``,
    ``quorum_reached``, ``passed`` and ``power`` (weight per account after
    delegation). Teaching version (floats). Notebook 04.

    >>> p = Population([60, 30, 10], [100, 100, 100], [1, -1, -1])
    >>> tally_votes(p, "token")["passed"], tally_votes(p, "one_person")["passed"]
    (True, False)
    >>> home = Population([60, 30, 10], [100, 100, 100], [1, -1, -1], casts=[False, True, True])
    >>> t = tally_votes(home, "token", quorum=0.5)
    >>> t["turnout"], t["quorum_needed"], t["quorum_reached"]
    (0.4, 50.0, False)
    """
    if not isinstance(population, Population):
        fail("population", "a Population", type(population).__name__, exc=TypeError)
    rule = choice("rule", rule, RULES)
    choice("delegation", delegation, ["none", "one_hop", "transitive"])
    q = number("quorum", quorum, lo=0, hi=1)
    counting = choice("counting", counting, ["oz", "bravo"])
    p = population
    base = {"one_person": np.ones(p.n), "token": p.tokens, "quadratic": p.credits,
            "conviction": p.tokens}[rule]
    if delegation == "none":
        power = base.astype(float)
    elif delegation == "one_hop":
        # in this comparison a voter who has not delegated votes for itself
        power = voting_power(base, np.where(p.delegates < 0, np.arange(p.n), p.delegates), "one_hop")
    else:
        power = voting_power(base, p.delegates, "transitive")
    if rule == "quadratic":
        power = np.sqrt(power)
    total = float(power.sum())
    cast = np.where(p.casts, power, 0.0)
    yes = float(cast[p.preference == 1].sum())
    no = float(cast[p.preference == -1].sum())
    abst = float(cast[p.preference == 0].sum())
    turnout = (yes + no + abst) / total if total > 0 else 0.0
    if rule == "conviction":
        staked = yes
        threshold = conviction_threshold(requested, funds, max(float(p.tokens.sum()), 1e-12),
                                         alpha, max_ratio, weight)
        conv = conviction(0.0, staked, alpha, periods)
        return {"for": conv, "against": 0.0, "abstain": 0.0, "threshold": threshold, "total": total,
                "turnout": turnout, "quorum_needed": 0.0, "quorum_counted": 0.0, "quorum_reached": True,
                "passed": bool(conv >= threshold), "time_to_pass": time_to_pass(staked, threshold, alpha),
                "power": power}
    needed = q * total
    counted = yes + abst if counting == "oz" else yes
    reached = counted >= needed - 1e-9 * max(total, 1.0)  # float noise must not fail an exact quorum
    return {"for": yes, "against": no, "abstain": abst, "total": total, "turnout": turnout,
            "quorum_needed": needed, "quorum_counted": counted, "quorum_reached": bool(reached),
            "passed": bool(reached and yes > no), "power": power}


def compare_rules(population: Population, **kwargs) -> dict:
    """Outcome of every rule in :data:`RULES`, plus capture measures, for one population.

    Returns ``{rule: tally}`` where each tally (see :func:`tally_votes`) also has
    ``share_for`` (For / (For + Against)), ``gini`` and ``nakamoto`` of the voting
    power after delegation. Keyword arguments are passed to :func:`tally_votes`.

    >>> r = compare_rules(make_population(n_small=50, seed=3))
    >>> sorted(r)
    ['conviction', 'one_person', 'quadratic', 'token']
    """
    out = {}
    for rule in RULES:
        t = tally_votes(population, rule, **kwargs)
        denom = t["for"] + t["against"]
        t["share_for"] = t["for"] / denom if denom > 0 else float("nan")
        pw = t["power"]
        t["gini"] = gini(pw) if pw.sum() > 0 else float("nan")
        t["nakamoto"] = nakamoto_coefficient(pw) if pw.sum() > 0 else 0
        out[rule] = t
    return out


# --------------------------------------------------------------------------- a proposal's life


def proposal_outcome(for_votes: int, against_votes: int, abstain_votes: int, supply: int,
                     quorum_percent: int, counting: str = "oz") -> str:
    """How a finished vote ends: ``"Succeeded"`` or ``"Defeated"`` (Governor counting rules).

    The quorum is ``supply * quorum_percent // 100`` votes (rounded down, as
    OpenZeppelin's GovernorVotesQuorumFraction). ``counting="oz"`` counts For +
    Abstain toward it (GovernorCountingSimple), ``"bravo"`` only For (Compound
    GovernorBravo). It succeeds if the quorum is reached and For > Against.
    Exact (ints). Notebook 04, exercise set 04.

    >>> proposal_outcome(300, 100, 400, 1000, 40), proposal_outcome(300, 100, 400, 1000, 40, "bravo")
    ('Succeeded', 'Defeated')
    """
    f = _amount("for_votes", for_votes)
    a = _amount("against_votes", against_votes)
    ab = _amount("abstain_votes", abstain_votes)
    sup = _amount("supply", supply)
    q = integer("quorum_percent", quorum_percent, lo=0, hi=100)
    counting = choice("counting", counting, ["oz", "bravo"])
    counted = f + ab if counting == "oz" else f
    return "Succeeded" if counted >= sup * q // 100 and f > a else "Defeated"


class ProposalState:
    """Proposal states, numbered as in OpenZeppelin's ``IGovernor.ProposalState``."""

    Pending, Active, Canceled, Defeated, Succeeded, Queued, Expired, Executed = range(8)
    NAMES = ("Pending", "Active", "Canceled", "Defeated", "Succeeded", "Queued", "Expired", "Executed")

    @classmethod
    def name(cls, value: int) -> str:
        return cls.NAMES[value]


class GovernorError(ValueError):
    """A governance action that the contract would revert (wrong state, too early ...)."""


def _amount(name: str, value: Any) -> int:
    return integer(name, value, lo=0, why="token amounts are whole numbers (smallest units)")


class VotesToken:
    """A governance token with ERC20Votes-style delegation and checkpoints (Python model).

    Whole-number balances. Votes follow delegation (one hop); an account has no
    votes until it delegates, possibly to itself. Past votes are read at a block
    (``get_past_votes``), which is what defeats flash-loan vote borrowing: a
    Governor counts votes at the proposal's snapshot block, not today's.
    The clock is a block number, advanced with :meth:`mine`. Notebooks 04 and 12.

    >>> tok = VotesToken({"alice": 100, "bob": 50})
    >>> tok.delegate("alice", "alice"); tok.mine()
    >>> tok.get_votes("alice"), tok.get_past_votes("alice", 0), tok.get_past_votes("bob", 0)
    (100, 100, 0)
    """

    def __init__(self, balances: dict | None = None, block: int = 0):
        self.block = integer("block", block, lo=0)
        self.balances: dict[Any, int] = {}
        self.delegates: dict[Any, Any] = {}
        self._votes: dict[Any, list[tuple[int, int]]] = {}
        self._supply: list[tuple[int, int]] = [(self.block, 0)]
        for who, amount in (balances or {}).items():
            self.mint(who, amount)

    # -- checkpoints
    @staticmethod
    def _latest(ckpts: list[tuple[int, int]]) -> int:
        return ckpts[-1][1] if ckpts else 0

    @staticmethod
    def _at(ckpts: list[tuple[int, int]], block: int) -> int:
        val = 0
        for b, v in ckpts:  # short lists in a course: a linear scan is clear enough
            if b > block:
                break
            val = v
        return val

    def _write(self, ckpts: list, delta: int) -> None:
        new = self._latest(ckpts) + delta
        if ckpts and ckpts[-1][0] == self.block:
            ckpts[-1] = (self.block, new)
        else:
            ckpts.append((self.block, new))

    def _move_votes(self, src, dst, amount: int) -> None:
        if src == dst or amount == 0:
            return
        if src is not None:
            self._write(self._votes.setdefault(src, []), -amount)
        if dst is not None:
            self._write(self._votes.setdefault(dst, []), amount)

    # -- token actions
    def mine(self, blocks: int = 1) -> None:
        """Advance the clock by ``blocks`` blocks."""
        self.block += integer("blocks", blocks, lo=0)

    def mint(self, to, amount: int) -> None:
        """Create ``amount`` tokens for ``to`` (votes follow ``to``'s delegate)."""
        amount = _amount("amount", amount)
        self.balances[to] = self.balances.get(to, 0) + amount
        self._write(self._supply, amount)
        self._move_votes(None, self.delegates.get(to), amount)

    def burn(self, frm, amount: int) -> None:
        """Destroy ``amount`` of ``frm``'s tokens."""
        amount = _amount("amount", amount)
        if self.balances.get(frm, 0) < amount:
            fail("amount", f"<= the balance of {frm!r} ({self.balances.get(frm, 0)})", amount)
        self.balances[frm] -= amount
        self._write(self._supply, -amount)
        self._move_votes(self.delegates.get(frm), None, amount)

    def transfer(self, frm, to, amount: int) -> None:
        """Move ``amount`` tokens; the votes move between the two accounts' delegates."""
        amount = _amount("amount", amount)
        if self.balances.get(frm, 0) < amount:
            fail("amount", f"<= the balance of {frm!r} ({self.balances.get(frm, 0)})", amount,
                 why="you cannot send tokens you do not have")
        self.balances[frm] -= amount
        self.balances[to] = self.balances.get(to, 0) + amount
        self._move_votes(self.delegates.get(frm), self.delegates.get(to), amount)

    def delegate(self, account, delegatee) -> None:
        """``account`` gives its votes to ``delegatee`` (itself to vote directly)."""
        old = self.delegates.get(account)
        self.delegates[account] = delegatee
        self._move_votes(old, delegatee, self.balances.get(account, 0))

    # -- reads
    def balance_of(self, account) -> int:
        return self.balances.get(account, 0)

    def total_supply(self) -> int:
        return self._latest(self._supply)

    def get_votes(self, account) -> int:
        """Current votes of ``account``."""
        return self._latest(self._votes.get(account, []))

    def _check_past(self, block: int) -> int:
        block = integer("block", block, lo=0)
        if block >= self.block:
            fail("block", f"< the current block {self.block}", block,
                 why="only finished blocks have settled votes (OpenZeppelin ERC5805FutureLookup)")
        return block

    def get_past_votes(self, account, block: int) -> int:
        """Votes of ``account`` at the end of ``block`` (must be in the past)."""
        return self._at(self._votes.get(account, []), self._check_past(block))

    def get_past_total_supply(self, block: int) -> int:
        """Total supply at the end of ``block`` (must be in the past)."""
        return self._at(self._supply, self._check_past(block))


@dataclass
class GovernorParams:
    """Settings of a Governor. All times are in blocks (one clock for everything).

    ``voting_delay``: blocks from proposing to the snapshot/vote start;
    ``voting_period``: blocks of voting; ``proposal_threshold``: votes needed to
    propose; ``quorum_percent``: whole percent of the supply at the snapshot;
    ``timelock_delay``: blocks between queueing and the earliest execution;
    ``grace_period``: blocks after that earliest time before a queued proposal
    expires (Compound Bravo's ``GRACE_PERIOD``); ``counting``: ``"oz"`` (For +
    Abstain reach quorum) or ``"bravo"`` (only For).
    """

    voting_delay: int = 1
    voting_period: int = 10
    proposal_threshold: int = 0
    quorum_percent: int = 4
    timelock_delay: int = 5
    grace_period: int = 20
    counting: str = "oz"

    def __post_init__(self):
        self.voting_delay = integer("voting_delay", self.voting_delay, lo=0)
        self.voting_period = integer("voting_period", self.voting_period, lo=1,
                                     why="a vote needs at least one block")
        self.proposal_threshold = _amount("proposal_threshold", self.proposal_threshold)
        self.quorum_percent = integer("quorum_percent", self.quorum_percent, lo=0, hi=100)
        self.timelock_delay = integer("timelock_delay", self.timelock_delay, lo=0)
        self.grace_period = integer("grace_period", self.grace_period, lo=1)
        self.counting = choice("counting", self.counting, ["oz", "bravo"])


@dataclass
class _Proposal:
    pid: int
    proposer: Any
    description: str
    action: Callable[[], Any] | None
    vote_start: int
    vote_end: int
    votes: list = field(default_factory=lambda: [0, 0, 0])  # against, for, abstain
    voters: dict = field(default_factory=dict)
    eta: int = 0
    canceled: bool = False
    executed: bool = False
    result: Any = None


class Governor:
    """A proposal's life on a :class:`VotesToken`: propose, vote, queue, execute.

    States and checks follow OpenZeppelin ``Governor`` (snapshot = vote start,
    votes counted at the snapshot, Pending while ``now <= snapshot``, Active while
    ``now <= deadline``) with a Bravo-style timelock and expiry: a Succeeded
    proposal is queued with ``eta = now + timelock_delay``, can be executed when
    ``eta <= now < eta + grace_period``, and is Expired after. Vote succeeds when
    For > Against and the quorum (``params.counting``) is reached.
    ``contracts/Governor.vy`` implements the same rules on the EVM. Notebook 04.

    >>> tok = VotesToken({"a": 60, "b": 40}); tok.delegate("a", "a"); tok.delegate("b", "b"); tok.mine()
    >>> gov = Governor(tok, GovernorParams(voting_delay=1, voting_period=3, timelock_delay=2))
    >>> pid = gov.propose("a", "raise the fee"); gov.mine(2)
    >>> gov.cast_vote(pid, "a", 1), gov.cast_vote(pid, "b", 0)
    (60, 40)
    >>> gov.mine(3); gov.state_name(pid)
    'Succeeded'
    >>> gov.queue(pid)
    8
    >>> gov.mine(2); gov.execute(pid); gov.state_name(pid)
    'Executed'
    """

    def __init__(self, token: VotesToken, params: GovernorParams | None = None):
        if not isinstance(token, VotesToken):
            fail("token", "a VotesToken", type(token).__name__, exc=TypeError)
        self.token = token
        self.params = params or GovernorParams()
        self.proposals: dict[int, _Proposal] = {}
        self.log: list[tuple[int, str, dict]] = []  # (block, event, details): the audit trail

    @property
    def block(self) -> int:
        return self.token.block

    def mine(self, blocks: int = 1) -> None:
        """Advance the shared clock by ``blocks`` blocks."""
        self.token.mine(blocks)

    def _get(self, pid: int) -> _Proposal:
        if pid not in self.proposals:
            fail("proposal_id", f"one of {sorted(self.proposals)}", pid, exc=GovernorError)
        return self.proposals[pid]

    def _require(self, ok: bool, msg: str) -> None:
        if not ok:
            raise GovernorError(msg)

    def propose(self, proposer, description: str, action: Callable[[], Any] | None = None) -> int:
        """Create a proposal; ``proposer`` needs ``proposal_threshold`` votes at the last block.

        Returns the proposal id (1, 2, ...). ``action`` is called on execution.
        """
        p = self.params
        prior = self.token.get_past_votes(proposer, self.block - 1) if self.block > 0 else 0
        self._require(prior >= p.proposal_threshold,
                      f"proposer {proposer!r} has {prior} votes, below the proposal threshold {p.proposal_threshold}")
        pid = len(self.proposals) + 1
        start = self.block + p.voting_delay
        self.proposals[pid] = _Proposal(pid, proposer, description, action, start, start + p.voting_period)
        self.log.append((self.block, "ProposalCreated", {"id": pid, "proposer": proposer,
                                                          "snapshot": start, "deadline": start + p.voting_period}))
        return pid

    def quorum(self, pid: int) -> int:
        """Votes needed for quorum: quorum_percent of the supply at the snapshot (rounded down)."""
        prop = self._get(pid)
        supply = self.token._at(self.token._supply, prop.vote_start)
        return supply * self.params.quorum_percent // 100

    def proposal_votes(self, pid: int) -> dict:
        """Votes so far: ``{"against": .., "for": .., "abstain": ..}``."""
        v = self._get(pid).votes
        return {"against": v[AGAINST], "for": v[FOR], "abstain": v[ABSTAIN]}

    def state(self, pid: int) -> int:
        """Current state as a :class:`ProposalState` number."""
        prop = self._get(pid)
        now = self.block
        if prop.executed:
            return ProposalState.Executed
        if prop.canceled:
            return ProposalState.Canceled
        if now <= prop.vote_start:
            return ProposalState.Pending
        if now <= prop.vote_end:
            return ProposalState.Active
        supply = self.token._at(self.token._supply, prop.vote_start)
        v = prop.votes
        if proposal_outcome(v[FOR], v[AGAINST], v[ABSTAIN], supply, self.params.quorum_percent,
                            self.params.counting) == "Defeated":
            return ProposalState.Defeated
        if prop.eta == 0:
            return ProposalState.Succeeded
        if now >= prop.eta + self.params.grace_period:
            return ProposalState.Expired
        return ProposalState.Queued

    def state_name(self, pid: int) -> str:
        """Current state as its name, e.g. ``'Active'``."""
        return ProposalState.name(self.state(pid))

    def cast_vote(self, pid: int, voter, support: int) -> int:
        """Vote 0 (Against), 1 (For) or 2 (Abstain) with the voter's votes at the snapshot.

        Returns the weight counted.
        """
        prop = self._get(pid)
        support = integer("support", support, lo=0, hi=2, why="0 = Against, 1 = For, 2 = Abstain")
        self._require(self.state(pid) == ProposalState.Active,
                      f"proposal {pid} is {self.state_name(pid)}, votes are only taken while Active")
        self._require(voter not in prop.voters, f"{voter!r} has already voted on proposal {pid}")
        weight = self.token._at(self.token._votes.get(voter, []), prop.vote_start)
        prop.voters[voter] = (support, weight)
        prop.votes[support] += weight
        self.log.append((self.block, "VoteCast", {"id": pid, "voter": voter, "support": support,
                                                   "weight": weight}))
        return weight

    def queue(self, pid: int) -> int:
        """Queue a Succeeded proposal in the timelock; returns its eta (earliest block to execute)."""
        self._require(self.state(pid) == ProposalState.Succeeded,
                      f"proposal {pid} is {self.state_name(pid)}, only a Succeeded proposal can be queued")
        prop = self.proposals[pid]
        prop.eta = self.block + self.params.timelock_delay  # > 0: a Succeeded vote ended after block 0
        self.log.append((self.block, "ProposalQueued", {"id": pid, "eta": prop.eta}))
        return prop.eta

    def execute(self, pid: int) -> Any:
        """Execute a Queued proposal once its timelock has passed; returns the action's result."""
        st = self.state(pid)
        prop = self.proposals[pid]
        if st == ProposalState.Queued and self.block < prop.eta:
            raise GovernorError(f"proposal {pid} cannot execute before its timelock ends at block "
                                f"{prop.eta} (now {self.block})")
        self._require(st == ProposalState.Queued,
                      f"proposal {pid} is {ProposalState.name(st)}, only a Queued proposal can be executed")
        prop.executed = True
        prop.result = prop.action() if prop.action is not None else None
        self.log.append((self.block, "ProposalExecuted", {"id": pid}))
        return prop.result

    def cancel(self, pid: int, caller) -> None:
        """The proposer cancels a proposal that is still Pending (as OpenZeppelin v5 allows)."""
        prop = self._get(pid)
        self._require(caller == prop.proposer, f"only the proposer {prop.proposer!r} can cancel proposal {pid}")
        self._require(self.state(pid) == ProposalState.Pending,
                      f"proposal {pid} is {self.state_name(pid)}, only a Pending proposal can be canceled")
        prop.canceled = True
        self.log.append((self.block, "ProposalCanceled", {"id": pid}))


# --------------------------------------------------------------------------- the same on the EVM


def deploy_governance(holders: Sequence[str], balances: Sequence[int],
                      params: GovernorParams | None = None, *, self_delegate: bool | Sequence[bool] = True,
                      name: str = "Model DAO", symbol: str = "MDAO"):
    """Deploy ``GovernanceToken`` and ``Governor`` on the current course chain.

    Mints ``balances[i]`` tokens to ``holders[i]`` (addresses from
    ``cryptocourse.chain.accounts``), lets each holder delegate to itself (unless
    ``self_delegate=False``, or False at that holder's place in a list of one
    True/False per holder: a lending pool's tokens, for example, vote for nobody)
    and mines one block, so votes are settled. Returns
    ``(token, governor)`` titanoboa contracts with the same rules as
    :class:`Governor` (use ``ProposalState.name(governor.state(pid))``).
    Notebook 04.

    >>> from cryptocourse import chain
    >>> _ = chain.new_chain()
    >>> a, b = chain.accounts(2)
    >>> tok, gov = deploy_governance([a, b], [600, 400])
    >>> tok.get_votes(a), gov.voting_period()
    (600, 10)
    """
    from . import chain

    params = params or GovernorParams()
    if len(holders) != len(balances) or not holders:
        fail("balances", f"one amount per holder ({len(holders)})", balances)
    amounts = [_amount("balances", b) for b in balances]
    if isinstance(self_delegate, (bool, np.bool_)):
        self_delegate = [bool(self_delegate)] * len(holders)
    if (not isinstance(self_delegate, (list, tuple)) or len(self_delegate) != len(holders)
            or not all(isinstance(x, (bool, np.bool_)) for x in self_delegate)):
        fail("self_delegate", f"True, False or one True/False per holder ({len(holders)})", self_delegate,
             exc=TypeError)
    token = chain.deploy("GovernanceToken", name, symbol)
    gov = chain.deploy("Governor", token.address, params.voting_delay, params.voting_period,
                       params.proposal_threshold, params.quorum_percent, params.timelock_delay,
                       params.grace_period, params.counting == "bravo")
    for who, amt, delegates in zip(holders, amounts, self_delegate, strict=True):
        token.mint(who, amt)
        if delegates:
            token.delegate(who, sender=who)
    chain.advance(blocks=1)
    return token, gov
