"""Governance tokens: what the vote is worth, how time-locks weigh it, and how borrowed votes attack it.

* Cash flow to holders (floats, vectorised): :func:`fee_switch_split` (Uniswap V2's
  protocol fee), :func:`dividend_vs_buyback`, :func:`token_value_dcf` (discounted cash
  flow with growth and emission dilution).
* Vote-escrow, as Curve's veCRV: :func:`ve_balance` (exact integer mirror of
  ``VotingEscrow.vy``) and :func:`vote_escrow_power` (the float teaching version).
* Governance attacks: :func:`votes_to_win`, :func:`flash_loan_fee` and
  :func:`borrowed_vote_attack`, which runs the attack on Part I's voting engine
  (:class:`cryptocourse.governance.Governor` with its snapshot checkpoints and timelock).

Amounts are in tokens or in a currency (USD) as each function says; rates are
fractions per year (0.10 = 10 % per year). Introduced in notebook 12
(``notebooks/12_governance_tokens.ipynb``).
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import NamedTuple

import numpy as np

from ._validate import fail, integer, number

__all__ = [
    "fee_switch_split", "dividend_vs_buyback", "Distribution", "token_value_dcf",
    "WEEK", "MAXTIME", "ve_balance", "vote_escrow_power",
    "votes_to_win", "flash_loan_fee", "borrowed_vote_attack", "AttackOutcome",
]

WEEK = 7 * 86400
"""Seconds in a week; veCRV rounds every unlock time down to a whole week."""
MAXTIME = 4 * 365 * 86400
"""Longest veCRV lock in seconds (4 years of 365 days), as in Curve's VotingEscrow.vy."""


def _out(x):
    if isinstance(x, np.ndarray) and x.ndim == 0:
        return x.item()
    if isinstance(x, np.generic):
        return x.item()
    return x


def _nonneg(name, value, why=""):
    return number(name, value, lo=0, hi=math.inf, hi_open=True, why=why)


def _fraction(name, value, why=""):
    return number(name, value, lo=0, hi=1, why=why)


# --------------------------------------------------------------------------- cash flow


def fee_switch_split(volume, fee=0.003, protocol_share=1 / 6):
    """Split a pool's trading fees between liquidity providers and the protocol (fee switch).

    Uniswap V2's fee switch, when on, gives the protocol 1/6 of the 0.30 % fee
    (0.05 % of volume) and leaves 0.25 % to LPs; token holders then decide what the
    protocol does with its part.

    Parameters
    ----------
    volume : float or array
        Traded volume in a currency (e.g. USD per year), >= 0.
    fee : float or array, default 0.003
        Swap fee as a fraction of volume.
    protocol_share : float or array, default 1/6
        Fraction of the fee sent to the protocol (0 = switch off).

    Returns
    -------
    (float or array, float or array)
        ``(to_lps, to_protocol)`` in the currency of ``volume``.

    Examples
    --------
    >>> lps, protocol = fee_switch_split(1_000_000_000)     # $1B of volume
    >>> round(lps), round(protocol)
    (2500000, 500000)

    Source: Uniswap V2 whitepaper (2020), section 2.4 "Protocol fee", and
    UniswapV2Pair._mintFee in https://github.com/Uniswap/v2-core. Notebook 12.
    """
    v = _nonneg("volume", volume, "traded volume per period, in a currency")
    f = number("fee", fee, lo=0, hi=1, hi_open=True, why="swap fee as a fraction, e.g. 0.003")
    s = _fraction("protocol_share", protocol_share, "the fraction of fees the protocol keeps, 0 to 1")
    fees = v * f
    return _out(np.asarray(fees * (1 - s))), _out(np.asarray(fees * s))


class Distribution(NamedTuple):
    """Result of :func:`dividend_vs_buyback`: what one *remaining* token is worth per method."""

    dividend: float | np.ndarray
    """Fair value of a token after a dividend, plus the cash it received (currency)."""
    buyback: float | np.ndarray
    """Fair value of a token that was not sold into the buyback (currency)."""
    tokens_burned: float | np.ndarray
    """Tokens bought back and burned."""


def dividend_vs_buyback(revenue, supply, value, market_price):
    """Pay revenue to holders as a dividend, or buy tokens back and burn them: who gains?

    Model: the protocol is worth ``value`` without the cash and has ``revenue`` to
    hand out; there are ``supply`` tokens. A dividend pays ``revenue/supply`` per token
    and leaves ``value/supply``. A buyback buys ``revenue/market_price`` tokens and burns
    them, so each remaining token is worth ``value/(supply - burned)``. The two are equal
    exactly when the buyback price is fair, ``(value + revenue)/supply``; buying back above
    it moves value from the holders who stay to the ones who sell.

    Parameters
    ----------
    revenue : float or array
        Cash to distribute (currency), >= 0.
    supply : float or array
        Tokens outstanding before the distribution, > 0.
    value : float or array
        Fair value of the protocol excluding that cash (currency), >= 0.
    market_price : float or array
        Price paid per token in the buyback (currency), > 0.

    Returns
    -------
    Distribution
        ``dividend`` and ``buyback`` (currency per remaining token), ``tokens_burned``.

    Examples
    --------
    >>> dividend_vs_buyback(10.0, 100.0, 90.0, market_price=1.0)   # fair price: same value
    Distribution(dividend=1.0, buyback=1.0, tokens_burned=10.0)
    >>> d = dividend_vs_buyback(10.0, 100.0, 90.0, market_price=2.0)  # overpaying
    >>> round(d.buyback, 4)
    0.9474

    Source: the Modigliani-Miller payout irrelevance argument (1961), applied to tokens.
    Notebook 12.
    """
    r = _nonneg("revenue", revenue, "cash to distribute")
    n = number("supply", supply, lo=0, lo_open=True, hi=math.inf, hi_open=True, why="tokens outstanding")
    v = _nonneg("value", value, "the protocol's fair value without the cash")
    p = number("market_price", market_price, lo=0, lo_open=True, hi=math.inf, hi_open=True,
               why="price per token paid in the buyback")
    burned = r / p
    if np.any(burned >= n):
        fail("market_price", "high enough that the buyback burns fewer tokens than exist",
             market_price, "revenue / market_price must be < supply")
    return Distribution(_out(np.asarray((v + r) / n)), _out(np.asarray(v / (n - burned))), _out(np.asarray(burned)))


def token_value_dcf(annual_fees, holder_share, discount_rate, growth=0.0, emission_rate=0.0,
                    supply=1.0, years=None):
    """Value of one token today by discounted cash flow, with growth and emission dilution.

    Year t (t = 1, 2, ...) brings fees ``F*(1+g)**(t-1)``; holders receive the share
    ``s``; new tokens are emitted at ``e`` per year, so one of today's tokens owns a
    fraction ``1/(supply*(1+e)**t)``. Discounting at ``r``:
    ``value = sum_t s*F*(1+g)**(t-1) / (supply * ((1+e)*(1+r))**t)``. With ``years=None``
    the sum runs forever: ``s*F / (supply * ((1+e)*(1+r) - (1+g)))``, finite only if
    ``(1+e)*(1+r) > 1+g``.

    Parameters
    ----------
    annual_fees : float or array
        Protocol revenue in year 1 (currency), >= 0.
    holder_share : float or array
        Fraction of that revenue paid to token holders (0 to 1).
    discount_rate : float or array
        Required return per year (0.15 = 15 %), > -1.
    growth : float or array, default 0
        Growth of fees per year, > -1.
    emission_rate : float or array, default 0
        New tokens per year as a fraction of supply, >= 0.
    supply : float or array, default 1
        Tokens outstanding today (1 gives the value of the whole protocol).
    years : int or None, default None
        Horizon in years; None for a perpetuity.

    Returns
    -------
    float or array
        Value per token today (currency).

    Examples
    --------
    >>> round(token_value_dcf(10e6, 1.0, 0.10), 2)               # $10M/yr forever at 10 %
    100000000.0
    >>> round(token_value_dcf(10e6, 1.0, 0.10, emission_rate=0.05), 2)   # 5 % dilution a year
    64516129.03
    >>> round(token_value_dcf(10e6, 0.5, 0.10, years=1), 2)
    4545454.55

    Source: the Gordon growth model (Gordon 1959) with dilution; notebook 12.
    """
    f = _nonneg("annual_fees", annual_fees, "protocol revenue in year 1")
    s = _fraction("holder_share", holder_share, "fraction of revenue paid to holders, 0 to 1")
    r = number("discount_rate", discount_rate, lo=-1, lo_open=True, hi=math.inf, hi_open=True,
               why="required return per year, e.g. 0.15 for 15 %")
    g = number("growth", growth, lo=-1, lo_open=True, hi=math.inf, hi_open=True,
               why="growth of fees per year, e.g. 0.2 for 20 %")
    e = _nonneg("emission_rate", emission_rate, "new tokens per year as a fraction of supply")
    n = number("supply", supply, lo=0, lo_open=True, hi=math.inf, hi_open=True, why="tokens outstanding")
    d = (1 + e) * (1 + r)
    first = s * f / (n * d)  # year-1 cash per token, discounted
    q = (1 + g) / d
    if years is None:
        if np.any(q >= 1):
            fail("discount_rate", "such that (1+emission_rate)*(1+discount_rate) > 1+growth", discount_rate,
                 "otherwise a perpetuity is worth infinity; give a finite `years` or a lower growth")
        return _out(np.asarray(first / (1 - q)))
    t = integer("years", years, lo=1, hi=10_000, why="the horizon in whole years, or None for ever")
    near_one = np.isclose(q, 1.0, rtol=0, atol=1e-12)
    safe_q = np.where(near_one, 0.5, q)
    annuity = np.where(near_one, float(t), (1 - safe_q**t) / (1 - safe_q))
    return _out(np.asarray(first * annuity))


# --------------------------------------------------------------------------- vote-escrow


def ve_balance(amount: int, unlock_time: int, t: int, lock_time: int | None = None) -> int:
    """Voting power of a veCRV lock at time ``t`` (exact integer mirror of Curve's VotingEscrow).

    The unlock time is rounded down to a whole week; the lock's slope is
    ``amount // MAXTIME``; the power is ``slope * (unlock - t)``, falling linearly to 0
    at unlock. Locks may last at most ``MAXTIME`` (4 years) from when they are made.

    Parameters
    ----------
    amount : int
        Tokens locked, in the token's smallest unit (wei for CRV), >= 0.
    unlock_time : int
        Requested unlock time, Unix seconds (rounded down to a week as the contract does).
    t : int
        Time at which to read the power, Unix seconds.
    lock_time : int, optional
        When the lock was made; if given, the contract's checks apply (unlock in the
        future and at most MAXTIME after it, ``t >= lock_time``).

    Returns
    -------
    int
        Voting power in the token's smallest unit.

    Examples
    --------
    >>> start = 1_700_000_000 // WEEK * WEEK
    >>> ve_balance(10**18, start + MAXTIME, start)   # 1 CRV for 4 years: about 1 veCRV
    997260273854208000
    >>> ve_balance(10**18, start + MAXTIME, start + MAXTIME // 2) / 10**18 < 0.5
    True

    Source: curvefi/curve-dao-contracts, contracts/VotingEscrow.vy (``_checkpoint``,
    ``_deposit_for``, ``balanceOf``), https://github.com/curvefi/curve-dao-contracts
    (read 2026-11-25). Notebook 12.
    """
    amount = integer("amount", amount, lo=0, why="tokens locked, in the smallest unit (wei)")
    unlock_time = integer("unlock_time", unlock_time, lo=0, why="a Unix time in seconds")
    t = integer("t", t, lo=0, why="a Unix time in seconds")
    end = unlock_time // WEEK * WEEK
    if lock_time is not None:
        lock_time = integer("lock_time", lock_time, lo=0, why="a Unix time in seconds")
        if end <= lock_time:
            fail("unlock_time", f"at least a week after lock_time rounded down to a week (> {lock_time})",
                 unlock_time, "Can only lock until time in the future (VotingEscrow)")
        if end > lock_time + MAXTIME:
            fail("unlock_time", f"<= lock_time + MAXTIME ({lock_time + MAXTIME})", unlock_time,
                 "Voting lock can be 4 years max (VotingEscrow)")
        if t < lock_time:
            fail("t", f">= lock_time ({lock_time})", t, "there is no power before the lock exists")
    slope = amount // MAXTIME
    return max(slope * (end - t), 0)


def vote_escrow_power(amount, years_left, max_years=4.0):
    """Voting power of tokens locked with ``years_left`` to go (floats): amount * years_left / max_years.

    The teaching version of :func:`ve_balance` (no week rounding, no integer slope).

    Parameters
    ----------
    amount : float or array
        Tokens locked, >= 0.
    years_left : float or array
        Time left until unlock in years, 0 to ``max_years`` (0 = expired).
    max_years : float, default 4
        Longest possible lock (4 years for veCRV).

    Returns
    -------
    float or array
        Voting power in ve-tokens.

    Examples
    --------
    >>> vote_escrow_power(1000.0, 4.0), vote_escrow_power(1000.0, 1.0)
    (1000.0, 250.0)

    Source: Curve DAO, "Vote-escrowed CRV", https://docs.curve.fi (veCRV). Notebook 12.
    """
    a = _nonneg("amount", amount, "tokens locked")
    m = number("max_years", max_years, lo=0, lo_open=True, hi=math.inf, hi_open=True,
               why="the longest lock in years, e.g. 4")
    y = number("years_left", years_left, lo=0, hi=m, why=f"time to unlock in years, 0 to max_years ({m:g})")
    return _out(np.asarray(a * y / m))


# --------------------------------------------------------------------------- governance attacks


def votes_to_win(votes_for, votes_against, quorum=0):
    """Fewest extra For votes that make a proposal pass (For > Against and For >= quorum).

    Parameters
    ----------
    votes_for, votes_against : float or array
        Votes already cast (tokens), >= 0.
    quorum : float or array, default 0
        For votes needed for quorum (Compound Bravo counting), >= 0.

    Returns
    -------
    float or array
        Extra votes needed (0 if it already passes); with whole-token votes, one more
        than the Against margin.

    Examples
    --------
    >>> votes_to_win(100, 300, quorum=400)
    300.0
    >>> votes_to_win(100, 50)
    0.0

    Source: the success rule of Compound's GovernorBravo / OpenZeppelin Governor. Notebook 12.
    """
    f = _nonneg("votes_for", votes_for, "For votes already cast")
    a = _nonneg("votes_against", votes_against, "Against votes already cast")
    q = _nonneg("quorum", quorum, "For votes needed for quorum")
    need = np.maximum(np.maximum(a + 1 - f, q - f), 0.0)
    return _out(np.asarray(need, dtype=float))


def flash_loan_fee(amount, fee_bps=9):
    """Fee to borrow ``amount`` for one transaction (a flash loan).

    Parameters
    ----------
    amount : float or array
        Amount borrowed (tokens or currency), >= 0.
    fee_bps : float or array, default 9
        Fee in basis points (Aave V2: 9 = 0.09 %; Aave V3 deploys with 5 = 0.05 %, see
        :func:`cryptocourse.arbitrage.flash_loan_premium`).

    Returns
    -------
    float or array
        The fee, in the unit of ``amount``.

    Examples
    --------
    >>> flash_loan_fee(1_000_000_000)     # borrowing $1B for one transaction
    900000.0

    Source: Aave V2 LendingPool, FLASHLOAN_PREMIUM_TOTAL = 9 (bps),
    https://github.com/aave/protocol-v2. Notebook 12.
    """
    a = _nonneg("amount", amount, "amount borrowed")
    b = number("fee_bps", fee_bps, lo=0, hi=10_000, why="basis points, 9 = 0.09 %")
    return _out(np.asarray(a * b / 10_000))


@dataclass
class AttackOutcome:
    """Result of :func:`borrowed_vote_attack`."""

    snapshot: bool
    timelock_delay: int
    attacker_votes: int
    votes_for: int
    votes_against: int
    quorum: int
    state: str
    executed: bool
    treasury_lost: int
    loan_fee: int
    log: list = field(default_factory=list, repr=False)


def _current_balance_governor():
    """A Governor identical to Part I's except that it counts *today's* votes (no snapshot)."""
    from .governance import Governor

    class CurrentBalanceGovernor(Governor):
        """The flaw flash-loan attacks exploit: weight = votes held at the moment of voting."""

        def cast_vote(self, pid, voter, support):
            at_snapshot = super().cast_vote(pid, voter, support)
            now = self.token.get_votes(voter)
            prop = self.proposals[pid]
            prop.votes[support] += now - at_snapshot
            prop.voters[voter] = (support, now)
            self.log[-1][2]["weight"] = now
            return now

    return CurrentBalanceGovernor


def borrowed_vote_attack(*, snapshot: bool = True, timelock_delay: int = 0, reaction_blocks: int = 3,
                         own_tokens: int = 10_000, borrowed: int = 500_000, honest_against: int = 300_000,
                         lending_pool: int = 700_000, treasury: int = 1_000_000,
                         fee_bps: int = 9, voting_period: int = 5, quorum_percent: int = 4) -> AttackOutcome:
    """Run a borrowed-votes attack on Part I's Governor and report whether it drains the treasury.

    Story (block by block): holders have delegated their votes; a lending pool holds
    tokens that nobody votes with. The attacker proposes "send the treasury to me".
    While the vote is open, in a single block, it flash-borrows ``borrowed`` tokens
    from the pool, votes For, and repays (plus the fee). Honest holders vote Against.
    If the proposal succeeds it is queued; the community needs ``reaction_blocks``
    blocks to notice and respond (a guardian veto, or holders leaving), so a
    ``timelock_delay`` at least that long stops the execution.

    Defences: ``snapshot=True`` uses :class:`cryptocourse.governance.Governor`, which
    counts votes at the proposal's snapshot block (a finished block), so votes borrowed
    and repaid within one later block weigh nothing. ``snapshot=False`` swaps in the
    same Governor counting votes held at the moment of voting (the flaw behind the
    Beanstalk exploit of April 2022).

    Parameters
    ----------
    snapshot : bool, default True
        Count votes at the snapshot block (True) or at voting time (False).
    timelock_delay : int, default 0
        Blocks between queueing and the earliest execution.
    reaction_blocks : int, default 3
        Blocks the community needs to react to a malicious queued proposal.
    own_tokens, borrowed, honest_against, lending_pool, treasury : int
        The attacker's own tokens, tokens it borrows, honest Against votes, tokens
        in the lending pool (>= ``borrowed``), and the treasury at stake (whole tokens).
    fee_bps : int, default 9
        Flash-loan fee in basis points (Aave V2: 9).
    voting_period : int, default 5
        Blocks of voting.
    quorum_percent : int, default 4
        Quorum as a whole percent of supply at the snapshot.

    Returns
    -------
    AttackOutcome
        Votes counted, final ``state`` (a Governor state name, or ``'Vetoed'`` when the
        timelock let the community stop it), ``executed``, ``treasury_lost``, ``loan_fee``,
        and the Governor's ``log`` (the audit trail).

    Examples
    --------
    >>> borrowed_vote_attack(snapshot=False).state          # no snapshot, no timelock
    'Executed'
    >>> borrowed_vote_attack(snapshot=True).state           # snapshot: borrowed votes weigh 0
    'Defeated'
    >>> borrowed_vote_attack(snapshot=False, timelock_delay=5).state
    'Vetoed'

    Source: OpenZeppelin Governor / ERC20Votes (votes at a past block,
    https://docs.openzeppelin.com/contracts/5.x/governance); Beanstalk post-mortem
    (April 2022). Uses :mod:`cryptocourse.governance` (notebook 04). Notebook 12.
    """
    from .governance import Governor, GovernorParams, VotesToken

    if not isinstance(snapshot, (bool, np.bool_)):
        fail("snapshot", "True or False", snapshot, "count votes at the snapshot block or not", TypeError)
    timelock_delay = integer("timelock_delay", timelock_delay, lo=0, why="blocks between queue and execution")
    reaction_blocks = integer("reaction_blocks", reaction_blocks, lo=1, why="blocks the community needs to react")
    own = integer("own_tokens", own_tokens, lo=1, why="the attacker needs some votes to propose")
    borrowed = integer("borrowed", borrowed, lo=0, why="whole tokens")
    against = integer("honest_against", honest_against, lo=0, why="whole tokens")
    pool = integer("lending_pool", lending_pool, lo=0, why="whole tokens")
    treasury = integer("treasury", treasury, lo=0, why="whole tokens")
    fee_bps = integer("fee_bps", fee_bps, lo=0, hi=10_000, why="basis points, 9 = 0.09 %")
    fee = -(-borrowed * fee_bps // 10_000)  # rounded up, as lenders do
    if borrowed > pool:
        fail("borrowed", f"<= lending_pool ({pool})", borrowed, "you cannot borrow more than the pool holds")
    if fee > own:
        fail("fee_bps", f"low enough that the fee ({fee}) <= own_tokens ({own})", fee_bps,
             "the attacker must be able to repay the loan plus its fee")

    tok = VotesToken({"attacker": own, "holders": against, "lending_pool": pool, "treasury": treasury})
    tok.delegate("attacker", "attacker")
    tok.delegate("holders", "holders")
    tok.mine()
    params = GovernorParams(voting_delay=1, voting_period=integer("voting_period", voting_period, lo=1),
                            quorum_percent=integer("quorum_percent", quorum_percent, lo=0, hi=100),
                            timelock_delay=timelock_delay, counting="oz")
    gov = (Governor if snapshot else _current_balance_governor())(tok, params)
    pid = gov.propose("attacker", "Send the treasury to the attacker",
                      action=lambda: tok.transfer("treasury", "attacker", tok.balance_of("treasury")))
    gov.mine(2)  # past the snapshot: voting is open
    gov.cast_vote(pid, "holders", 0)
    # one block, one transaction: borrow, vote, repay with the fee
    tok.transfer("lending_pool", "attacker", borrowed)
    weight = gov.cast_vote(pid, "attacker", 1)
    tok.transfer("attacker", "lending_pool", borrowed + fee)
    gov.mine(params.voting_period + 1)
    votes = gov.proposal_votes(pid)
    state = gov.state_name(pid)
    executed = False
    before = tok.balance_of("treasury")
    if state == "Succeeded":
        eta = gov.queue(pid)
        if timelock_delay >= reaction_blocks:
            state = "Vetoed"
            gov.log.append((gov.block, "GuardianVeto", {"id": pid}))
        else:
            gov.mine(max(eta - gov.block, 0))
            gov.execute(pid)
            executed = True
            state = gov.state_name(pid)
    return AttackOutcome(
        snapshot=bool(snapshot), timelock_delay=timelock_delay, attacker_votes=weight,
        votes_for=votes["for"], votes_against=votes["against"], quorum=gov.quorum(pid), state=state,
        executed=executed, treasury_lost=before - tok.balance_of("treasury"), loan_fee=fee, log=list(gov.log),
    )
