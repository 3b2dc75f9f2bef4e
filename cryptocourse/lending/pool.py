"""A lending pool with state: deposits, borrows, interest accruing by index, as Aave's pool keeps them."""
from __future__ import annotations

import numpy as np

from cryptocourse._validate import fail, number

from .rates import InterestRateModel, JumpRateModel

# ---------------------------------------------------------------------------
# A lending pool with state
# ---------------------------------------------------------------------------

class LendingPool:
    """A single-asset lending pool: suppliers earn, borrowers pay, the treasury keeps a cut.

    Teaching version in floats, with Aave-style bookkeeping: suppliers hold shares whose
    value grows with an exchange rate (like aTokens), borrowers hold debt scaled by a
    borrow index, and the treasury's cut (the reserve factor) is minted to it as shares, so
    reserves earn the supply rate too. Interest accrues linearly over each step
    (``accrue``); the rate is re-read from the model after every action, so utilisation
    moves the rates. Collateral checks are not part of the pool (see :func:`health_factor`).
    The books always balance: ``cash + borrows == supplies + reserves``.

    Parameters
    ----------
    model : InterestRateModel or JumpRateModel
        The rate curve; its ``reserve_factor`` sets the treasury's cut.
    asset : str, default "USDC"
        Label of the token (for printing).

    Examples
    --------
    >>> pool = LendingPool(InterestRateModel(0.80, 0.0, 0.04, 0.75, reserve_factor=0.10))
    >>> pool.supply("alice", 1000.0); pool.borrow("bob", 800.0)
    >>> round(pool.borrow_rate, 4), round(pool.supply_rate, 4)
    (0.04, 0.0288)
    >>> pool.accrue(1.0)            # one year
    >>> round(pool.balance_of("alice"), 2), round(pool.debt_of("bob"), 2), round(pool.reserves, 2)
    (1028.8, 832.0, 3.2)

    Source: Aave v3 ``ReserveLogic`` (liquidity and borrow indexes, ``accruedToTreasury``).
    Notebook 09.
    """

    def __init__(self, model: InterestRateModel | JumpRateModel, asset: str = "USDC"):
        if not isinstance(model, (InterestRateModel, JumpRateModel)):
            fail("model", "an InterestRateModel or a JumpRateModel", model, exc=TypeError)
        self.model = model
        self.asset = str(asset)
        self.cash = 0.0
        self.borrows = 0.0
        self.borrow_index = 1.0
        self.time = 0.0  # years since creation
        self._shares: dict[str, float] = {}
        self._treasury_shares = 0.0
        self._total_shares = 0.0  # suppliers' and treasury's
        self._scaled_debt: dict[str, float] = {}

    # -- views --------------------------------------------------------------
    @property
    def exchange_rate(self) -> float:
        """Tokens per supply share (starts at 1, grows with interest)."""
        if self._total_shares <= 0:
            return 1.0
        return (self.cash + self.borrows) / self._total_shares

    @property
    def reserves(self) -> float:
        """The treasury's balance (tokens): its cut of all interest so far, plus interest on it."""
        return self._treasury_shares * self.exchange_rate

    @property
    def total_supplied(self) -> float:
        """What suppliers (not the treasury) own in total (tokens)."""
        return (self._total_shares - self._treasury_shares) * self.exchange_rate

    @property
    def available_liquidity(self) -> float:
        """Cash in the pool, free to borrow or withdraw (tokens)."""
        return self.cash

    @property
    def utilization(self) -> float:
        """Borrowed / (borrowed + cash), a fraction in [0, 1]."""
        total = self.cash + self.borrows
        if self.borrows <= 0 or total <= 0:
            return 0.0
        return min(self.borrows / total, 1.0)

    @property
    def borrow_rate(self) -> float:
        """Current borrow rate (per year, a fraction)."""
        return float(self.model.borrow_rate(self.utilization))

    @property
    def supply_rate(self) -> float:
        """Current supply rate (per year, a fraction)."""
        return float(self.model.supply_rate(self.utilization))

    def balance_of(self, who: str) -> float:
        """Tokens supplier ``who`` could withdraw (principal plus interest)."""
        return self._shares.get(who, 0.0) * self.exchange_rate

    def debt_of(self, who: str) -> float:
        """Tokens borrower ``who`` owes (principal plus interest)."""
        return self._scaled_debt.get(who, 0.0) * self.borrow_index

    @property
    def suppliers(self) -> list[str]:
        """Names with a supply balance."""
        return [k for k, v in self._shares.items() if v > 0]

    @property
    def borrowers(self) -> list[str]:
        """Names with debt."""
        return [k for k, v in self._scaled_debt.items() if v > 0]

    # -- actions ------------------------------------------------------------
    def _amount(self, amount, what):
        return number("amount", amount, lo=0, hi=np.inf, lo_open=True, finite=True,
                      why=f"{what} a positive number of tokens")

    def supply(self, who: str, amount: float) -> None:
        """Deposit ``amount`` tokens for ``who``; they start earning the supply rate."""
        amount = self._amount(amount, "you can supply")
        shares = amount / self.exchange_rate
        self._shares[who] = self._shares.get(who, 0.0) + shares
        self._total_shares += shares
        self.cash += amount

    def withdraw(self, who: str, amount: float | None = None) -> float:
        """Withdraw ``amount`` tokens (all of ``who``'s balance if None); returns the amount."""
        balance = self.balance_of(who)
        if amount is None:
            amount = balance
            if amount <= 0:
                fail("who", "a supplier with a balance", who, "nothing to withdraw")
        else:
            amount = self._amount(amount, "you can withdraw")
            if amount > balance * (1 + 1e-12):
                fail("amount", f"<= the balance of {who} ({balance:.6g})", amount,
                     "you cannot withdraw more than you supplied plus interest")
            amount = min(amount, balance)
        if amount > self.cash * (1 + 1e-12):
            fail("amount", f"<= the available liquidity ({self.cash:.6g})", amount,
                 "the rest is lent out; wait for repayments (this is why rates jump near 100 %)")
        amount = min(amount, self.cash)
        shares = self._shares[who] if amount == balance else amount / self.exchange_rate
        shares = min(shares, self._shares[who])
        self._shares[who] -= shares
        self._total_shares -= shares
        self.cash -= amount
        return amount

    def borrow(self, who: str, amount: float) -> None:
        """Borrow ``amount`` tokens for ``who`` (no collateral check here)."""
        amount = self._amount(amount, "you can borrow")
        if amount > self.cash * (1 + 1e-12):
            fail("amount", f"<= the available liquidity ({self.cash:.6g})", amount,
                 "a pool cannot lend more than it holds")
        amount = min(amount, self.cash)
        self._scaled_debt[who] = self._scaled_debt.get(who, 0.0) + amount / self.borrow_index
        self.borrows += amount
        self.cash -= amount

    def repay(self, who: str, amount: float | None = None) -> float:
        """Repay ``amount`` tokens of ``who``'s debt (all of it if None); returns the amount."""
        debt = self.debt_of(who)
        if amount is None:
            amount = debt
            if amount <= 0:
                fail("who", "a borrower with debt", who, "nothing to repay")
        else:
            amount = self._amount(amount, "you can repay")
            if amount > debt * (1 + 1e-12):
                fail("amount", f"<= the debt of {who} ({debt:.6g})", amount,
                     "you cannot repay more than you owe")
            amount = min(amount, debt)
        if amount == debt:
            self._scaled_debt[who] = 0.0
        else:
            self._scaled_debt[who] -= amount / self.borrow_index
        self.borrows = max(self.borrows - amount, 0.0)
        self.cash += amount
        return amount

    def accrue(self, years: float) -> None:
        """Let ``years`` pass at the current rates (simple interest over the step).

        Borrowers' debt grows by ``borrow_rate * years``; the reserve factor's share of that
        interest is minted to the treasury, the rest raises every share's value. Take small
        steps (``run``) to let the rate follow utilisation.
        """
        years = number("years", years, lo=0, hi=1000, why="time moves forward, in years")
        rate = self.borrow_rate
        interest = self.borrows * rate * years
        self.borrows += interest
        self.borrow_index *= 1.0 + rate * years
        cut = interest * self.model.reserve_factor
        value = self.cash + self.borrows
        if cut > 0 and value > cut:
            minted = cut * self._total_shares / (value - cut)
            self._treasury_shares += minted
            self._total_shares += minted
        self.time += years

    def run(self, days: float, step_days: float = 1.0) -> dict[str, np.ndarray]:
        """Accrue for ``days`` in steps of ``step_days``; returns the history as arrays.

        Keys: ``"days"``, ``"utilization"``, ``"borrow_rate"``, ``"supply_rate"``,
        ``"total_supplied"``, ``"borrows"``, ``"reserves"`` (one entry per step, plus the start).
        """
        days = number("days", days, lo=0, hi=36500, why="a duration in days")
        step_days = number("step_days", step_days, lo=0, hi=36500, lo_open=True,
                           why="a positive step in days")
        n = int(np.ceil(days / step_days - 1e-9))
        keys = ("days", "utilization", "borrow_rate", "supply_rate", "total_supplied",
                "borrows", "reserves")
        hist = {k: np.empty(n + 1) for k in keys}
        t = 0.0
        for i in range(n + 1):
            if i:
                dt = min(step_days, days - t)
                self.accrue(dt / 365.0)
                t += dt
            for k, v in zip(keys, (t, self.utilization, self.borrow_rate, self.supply_rate,
                                   self.total_supplied, self.borrows, self.reserves), strict=True):
                hist[k][i] = v
        return hist

    def __repr__(self) -> str:
        return (f"LendingPool({self.asset}: supplied={self.total_supplied:.2f}, "
                f"borrowed={self.borrows:.2f}, reserves={self.reserves:.2f}, "
                f"utilization={self.utilization:.1%}, borrow={self.borrow_rate:.2%}, "
                f"supply={self.supply_rate:.2%})")
