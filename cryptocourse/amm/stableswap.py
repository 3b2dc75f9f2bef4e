"""Curve StableSwap: the invariant D, get_y and get_dy exactly as the 3pool contract, and float versions."""
from __future__ import annotations

import math
from typing import Sequence

import numpy as np

from cryptocourse._validate import fail, integer, number

from .constant_product import _out
from .v2 import _wei

# ---------------------------------------------------------------------------------------------
# Curve StableSwap
# ---------------------------------------------------------------------------------------------

class ConvergenceError(ArithmeticError):
    """Newton's method did not settle within the allowed iterations."""


def _xp_int(name, xp):
    if type(xp) in (list, tuple) and 2 <= len(xp) <= 8:
        for v in xp:         # the common case, checked in one pass; anything else gets a named error below
            if type(v) is not int or v <= 0:
                break
        else:
            return list(xp)
    if isinstance(xp, (str, bytes)) or not isinstance(xp, Sequence) and not isinstance(xp, np.ndarray):
        fail(name, "a list of token balances (ints, wei)", xp, exc=TypeError)
    vals = [integer(f"{name}[{k}]", v, lo=1, why="every coin needs a positive balance (wei)")
            for k, v in enumerate(xp)]
    if not 2 <= len(vals) <= 8:
        fail(name, "a list of 2 to 8 balances", xp, "Curve pools hold 2-8 coins")
    return vals


def get_D(xp: Sequence[int], amp: int, max_iter: int = 255) -> int:
    """Curve StableSwap invariant ``D`` of balances ``xp`` (exact integer Newton, as the contract).

    Parameters
    ----------
    xp : list of int
        Balances in a common precision (wei of an 18-decimal coin).
    amp : int
        The ``A`` Curve stores: the whitepaper's A times n**(n-1) (no A_PRECISION scaling,
        as in the 3pool contract).
    max_iter : int
        Newton iterations allowed (the contract uses 255).

    Returns
    -------
    int
        ``D`` (wei): the total the pool would hold if balanced at price 1.

    Raises
    ------
    ConvergenceError
        If the iterations do not settle to within 1 wei. The 3pool then silently returns the
        last iterate; newer Curve pools (StableSwap-NG) revert, as we do. It happens in
        practice only for tiny A with very unequal balances (the integer iterates can
        oscillate by 2-3 wei).

    Source: curvefi/curve-contract ``contracts/pools/3pool/StableSwap3Pool.vy``, get_D.
    Notebook 07.

    >>> get_D([10**18, 10**18], 100)
    2000000000000000000
    """
    xp = _xp_int("xp", xp)
    if not (type(amp) is int and amp >= 1 and type(max_iter) is int and max_iter >= 1):
        amp = integer("amp", amp, lo=1, why="Curve's A is a positive whole number")
        max_iter = integer("max_iter", max_iter, lo=1)
    return _get_D(xp, amp, max_iter)


def _get_D(xp: list, amp: int, max_iter: int) -> int:
    """get_D on checked inputs: the contract's Newton loop, with the products that do not change
    hoisted out and, for 2 and 3 coins, the inner loop written out (the same integers, in the same order)."""
    n = len(xp)
    S = sum(xp)
    D = S
    Ann = amp * n
    ann_s, ann_1, n_1 = Ann * S, Ann - 1, n + 1
    xn = [x * n for x in xp]
    if n == 2:
        x0, x1 = xn
        for _ in range(max_iter):
            D_P = D * D // x0 * D // x1
            D_prev = D
            D = (ann_s + D_P * 2) * D // (ann_1 * D + 3 * D_P)
            if -1 <= D - D_prev <= 1:
                return D
    elif n == 3:
        x0, x1, x2 = xn
        for _ in range(max_iter):
            D_P = D * D // x0 * D // x1 * D // x2
            D_prev = D
            D = (ann_s + D_P * 3) * D // (ann_1 * D + 4 * D_P)
            if -1 <= D - D_prev <= 1:
                return D
    else:
        for _ in range(max_iter):
            D_P = D
            for x in xn:
                D_P = D_P * D // x
            D_prev = D
            D = (ann_s + D_P * n) * D // (ann_1 * D + n_1 * D_P)
            if -1 <= D - D_prev <= 1:
                return D
    raise ConvergenceError(
        f"get_D did not converge in max_iter={max_iter} iterations (xp={xp}, amp={amp}): "
        "the balances are too unequal for this A, or allow more iterations")


def get_y(i: int, j: int, x: int, xp: Sequence[int], amp: int, max_iter: int = 255) -> int:
    """New balance of coin ``j`` that keeps ``D`` fixed when coin ``i``'s balance becomes ``x`` (exact).

    Parameters
    ----------
    i, j : int
        Indices of the coin sent in and the coin taken out (different).
    x : int
        New balance of coin ``i`` (wei).
    xp : list of int
        Current balances (wei).
    amp : int
        Curve's stored A (whitepaper A times n**(n-1)).
    max_iter : int
        Newton iterations allowed (contract: 255).

    Returns
    -------
    int
        New balance of coin ``j`` (wei).

    Source: curvefi/curve-contract StableSwap3Pool.vy, get_y. Notebook 07.

    >>> get_y(0, 1, 11 * 10**17, [10**18, 10**18], 100)
    900099889135241485
    """
    xp = _xp_int("xp", xp)
    n = len(xp)
    i = integer("i", i, lo=0, hi=n - 1, why="a coin index")
    j = integer("j", j, lo=0, hi=n - 1, why="a coin index")
    if i == j:
        fail("j", f"different from i = {i}", j, "swap one coin for another")
    x = _wei("x", x, lo=1)
    amp = integer("amp", amp, lo=1, why="Curve's A is a positive whole number")
    max_iter = integer("max_iter", max_iter, lo=1)
    D = _get_D(xp, amp, max_iter)
    c = D
    S_ = 0
    Ann = amp * n
    for k in range(n):
        if k == i:
            _x = x
        elif k != j:
            _x = xp[k]
        else:
            continue
        S_ += _x
        c = c * D // (_x * n)
    c = c * D // (Ann * n)
    b = S_ + D // Ann
    y = D
    b_d = b - D
    for _ in range(max_iter):
        y_prev = y
        y = (y * y + c) // (2 * y + b_d)
        if -1 <= y - y_prev <= 1:
            return y
    raise ConvergenceError(f"get_y did not converge in max_iter={max_iter} iterations (xp={xp}, amp={amp})")


def get_dy(i: int, j: int, dx: int, xp: Sequence[int], amp: int, fee: int = 4_000_000) -> int:
    """Coins ``j`` received for ``dx`` of coin ``i`` in a Curve StableSwap pool (exact).

    Parameters
    ----------
    i, j : int
        Coin in, coin out.
    dx : int
        Amount sent in (wei, same precision as ``xp``).
    xp : list of int
        Balances (wei).
    amp : int
        Curve's stored A.
    fee : int
        Fee in units of 1e-10 (FEE_DENOMINATOR = 10**10): 4_000_000 is 0.04%, 3pool's fee.

    Returns
    -------
    int
        Output (wei): ``xp[j] - y - 1`` minus the fee, as ``get_dy`` in the 3pool (all coins at
        rate 1, i.e. same decimals).

    Source: curvefi/curve-contract StableSwap3Pool.vy, get_dy. Notebook 07.

    >>> get_dy(0, 1, 10**18, [1000 * 10**18, 1000 * 10**18], 2000)
    999599500449525712
    """
    xp = _xp_int("xp", xp)
    dx = _wei("dx", dx, lo=1, why="swap a positive amount (wei)")
    fee = integer("fee", fee, lo=0, hi=5 * 10**9, why="fee is in 1e-10 units; Curve caps it at 50%")
    n = len(xp)
    i = integer("i", i, lo=0, hi=n - 1, why="a coin index")
    y = get_y(i, j, xp[i] + dx, xp, amp)
    dy = xp[j] - y - 1
    return dy - fee * dy // 10**10


def _balances_float(balances) -> list[float]:
    """Balances as a list of Python floats (loops over them run several times faster than over numpy's)."""
    if type(balances) in (list, tuple) and 2 <= len(balances) <= 8 \
            and all((type(v) is float or type(v) is int) and 0 < v < 1e300 for v in balances):
        return [float(v) for v in balances]
    b = number("balances", balances, lo=0, lo_open=True, why="every coin needs a positive balance")
    if np.ndim(b) != 1 or not 2 <= len(b) <= 8:
        fail("balances", "a list of 2 to 8 balances", balances, "Curve pools hold 2-8 coins")
    return [float(v) for v in np.asarray(b, dtype=float)]


def _amp_float(amp):
    return number("amp", amp, lo=0, lo_open=True,
                  why="Curve's A (whitepaper A times n**(n-1)); about 100-2000 for stablecoins")


def stableswap_d(balances, amp, max_iter: int = 255) -> float:
    """StableSwap invariant ``D`` in floats (teaching twin of ``get_D``).

    Solves ``Ann*S + D = Ann*D + D**(n+1) / (n**n * prod(x))`` with ``Ann = amp * n`` by
    Newton's method, as Curve's contract does.

    Parameters
    ----------
    balances : list of float
        Coin balances (tokens, common units).
    amp : float
        Curve's stored A (whitepaper A times n**(n-1)).
    max_iter : int
        Newton iterations allowed.

    Returns
    -------
    float
        ``D`` (tokens): equals ``sum(balances)`` when the pool is balanced.

    Raises
    ------
    ConvergenceError
        If Newton's method has not converged after ``max_iter`` steps.

    Source: Curve StableSwap whitepaper; StableSwap3Pool.vy get_D. Notebook 07.

    >>> stableswap_d([100.0, 100.0], 100)
    200.0
    """
    xp = _balances_float(balances)
    A = _amp_float(amp)
    max_iter = integer("max_iter", max_iter, lo=1)
    n = len(xp)
    S = sum(xp)
    Ann = A * n
    D = S
    for _ in range(max_iter):
        D_P = D
        for x in xp:
            D_P = D_P * D / (x * n)
        D_prev = D
        D = (Ann * S + D_P * n) * D / ((Ann - 1) * D + (n + 1) * D_P)
        if abs(D - D_prev) <= 1e-13 * D:
            return float(D)
    raise ConvergenceError(
        f"stableswap_d did not converge in max_iter={max_iter} iterations "
        f"(balances={xp}, amp={A:g}): the balances are too unequal for this A")


def stableswap_get_y(i: int, j: int, x: float, balances, amp, max_iter: int = 255) -> float:
    """New balance of coin ``j`` keeping ``D`` fixed when coin ``i`` becomes ``x`` (floats).

    Parameters
    ----------
    i, j : int
        Coin indices (different).
    x : float
        New balance of coin ``i`` (tokens).
    balances : list of float
        Current balances (tokens).
    amp : float
        Curve's stored A.
    max_iter : int
        Newton iterations allowed.

    Returns
    -------
    float
        New balance of coin ``j`` (tokens).

    Source: StableSwap3Pool.vy get_y. Notebook 07.

    >>> round(stableswap_get_y(0, 1, 101.0, [100.0, 100.0], 100), 6)
    99.000099
    """
    xp = _balances_float(balances)
    n = len(xp)
    i = integer("i", i, lo=0, hi=n - 1, why="a coin index")
    j = integer("j", j, lo=0, hi=n - 1, why="a coin index")
    if i == j:
        fail("j", f"different from i = {i}", j, "swap one coin for another")
    x = number("x", x, lo=0, lo_open=True)
    A = _amp_float(amp)
    D = stableswap_d(xp, A, max_iter)
    Ann = A * n
    c, S_ = D, 0.0
    for k in range(n):
        if k == j:
            continue
        _x = x if k == i else xp[k]
        S_ += _x
        c = c * D / (_x * n)
    c = c * D / (Ann * n)
    b = S_ + D / Ann
    y = D
    for _ in range(max_iter):
        y_prev = y
        y = (y * y + c) / (2 * y + b - D)
        if abs(y - y_prev) <= 1e-13 * D:
            return float(y)
    raise ConvergenceError(f"stableswap_get_y did not converge in max_iter={max_iter} iterations")


def stableswap_get_dy(i: int, j: int, dx: float, balances, amp, fee: float = 0.0) -> float:
    """Coins ``j`` received for ``dx`` of coin ``i`` in a StableSwap pool (teaching, floats).

    Parameters
    ----------
    i, j : int
        Coin in, coin out.
    dx : float
        Amount sent in (tokens, > 0).
    balances : list of float
        Balances (tokens).
    amp : float
        Curve's stored A.
    fee : float
        Fee as a fraction of the output (3pool: 0.0004).

    Returns
    -------
    float
        Output (tokens).

    Source: StableSwap3Pool.vy get_dy (without the 1-wei safety margin). Notebook 07.

    >>> round(stableswap_get_dy(0, 1, 1.0, [1000.0, 1000.0], 2000, fee=0.0004), 6)
    0.9996
    """
    xp = _balances_float(balances)
    dx = number("dx", dx, lo=0, lo_open=True, why="swap a positive amount")
    f = number("fee", fee, lo=0, hi=0.5, why="a fraction of the output: 0.0004 means 0.04%")
    n = len(xp)
    i = integer("i", i, lo=0, hi=n - 1, why="a coin index")
    y = stableswap_get_y(i, j, xp[i] + dx, xp, amp)
    dy = xp[j] - y
    return float(dy * (1 - f))


def stableswap_spot_price(i: int, j: int, balances, amp) -> float:
    """Marginal price of coin ``i`` in coin ``j`` on the StableSwap curve (teaching, floats).

    From the invariant's gradient: ``(Ann + K/x_i) / (Ann + K/x_j)`` with
    ``K = D**(n+1) / (n**n * prod(x))``. Equals 1 for a balanced pool.

    Parameters
    ----------
    i, j : int
        Coin priced, coin it is priced in.
    balances : list of float
        Balances (tokens).
    amp : float
        Curve's stored A.

    Returns
    -------
    float
        Coins ``j`` per coin ``i`` for an infinitesimal trade, fee excluded.

    Notebook 07.

    >>> stableswap_spot_price(0, 1, [100.0, 100.0], 100)
    1.0
    """
    xp = _balances_float(balances)
    n = len(xp)
    i = integer("i", i, lo=0, hi=n - 1, why="a coin index")
    j = integer("j", j, lo=0, hi=n - 1, why="a coin index")
    if i == j:
        fail("j", f"different from i = {i}", j, "price one coin in another")
    A = _amp_float(amp)
    D = stableswap_d(xp, A)
    Ann = A * n
    K = D ** (n + 1) / (n ** n * math.prod(xp))
    return float((Ann + K / xp[i]) / (Ann + K / xp[j]))


def stableswap_curve(x, d, amp):
    """The two-coin StableSwap curve: balance ``y`` for each balance ``x`` at invariant ``d``.

    Solves the 2-coin invariant for ``y`` in closed form (a quadratic), vectorised for
    plotting. Large ``amp`` approaches the line ``x + y = d``; ``amp -> 0`` approaches
    ``x * y = (d/2)**2``. (Teaching, floats.)

    Parameters
    ----------
    x : float or array
        Balance of coin 0 (tokens, > 0).
    d : float
        Invariant ``D`` (tokens).
    amp : float
        Curve's stored A for a 2-coin pool (whitepaper A times 2).

    Returns
    -------
    float or array
        Balance of coin 1 (tokens).

    Source: Curve StableSwap whitepaper. Notebook 07.

    >>> round(stableswap_curve(100.0, 200.0, 100), 6)
    100.0
    """
    x = number("x", x, lo=0, lo_open=True, why="balances are positive")
    D = number("d", d, lo=0, lo_open=True, why="the invariant of a non-empty pool")
    A = _amp_float(amp)
    Ann = 2.0 * A
    c = D ** 3 / (4.0 * x * Ann)
    b = x + D / Ann
    bd = b - D
    return _out((-bd + np.sqrt(bd * bd + 4.0 * c)) / 2.0)


def stableswap_depeg(amp, depeg_price, balance: float = 1.0) -> dict:
    """A balanced 2-coin StableSwap pool after arbitrage when coin 1 loses its peg (teaching, floats).

    Coin 0 stays worth 1 USD; coin 1 now trades at ``depeg_price`` USD elsewhere. Arbitrageurs
    sell coin 1 into the pool for coin 0 until the pool's marginal price of coin 1 (in coin 0)
    equals ``depeg_price``. Without fees ``D`` stays fixed along the way, so the new balances lie
    on the same StableSwap curve. The flatter the curve (the higher ``amp``), the more coin 0 the
    pool gives up at near 1:1 before its price moves: the LPs end up holding the depegged coin.

    Parameters
    ----------
    amp : float
        Curve's stored A of a 2-coin pool (whitepaper A times 2), > 0.
    depeg_price : float
        Market price of coin 1 in USD (coin 0 = 1 USD), in (0, 1].
    balance : float
        Tokens of each coin in the pool before the depeg (balanced), > 0.

    Returns
    -------
    dict of float
        ``good`` and ``bad`` (balances of coin 0 and coin 1 after arbitrage, tokens),
        ``bad_share`` (coin 1 / all tokens in the pool), ``lp_value`` (the pool's value in USD at
        market prices), ``hodl_value`` (the deposit held outside the pool: ``balance * (1 +
        depeg_price)``), ``lp_vs_hodl`` (``lp_value / hodl_value - 1``, <= 0) and
        ``arbitrage_profit`` (USD, equal to ``hodl_value - lp_value``: what the LPs lost is
        what the arbitrageurs made).

    Assumptions: no fees (a fee keeps a little more of coin 0 in the pool and pays the LPs
    a little), one depeg move, the pool balanced before it.

    Source: the StableSwap invariant (Curve whitepaper) solved in closed form for 2 coins, as
    :func:`stableswap_curve`; its marginal price as :func:`stableswap_spot_price`. Notebook 07.

    >>> low, high = stableswap_depeg(10, 0.9), stableswap_depeg(2000, 0.9)
    >>> round(low["bad_share"], 3), round(high["bad_share"], 3)
    (0.71, 0.976)
    >>> round(low["lp_vs_hodl"], 4), round(high["lp_vs_hodl"], 4)
    (-0.0128, -0.0478)
    """
    A = _amp_float(amp)
    p = number("depeg_price", depeg_price, lo=0, lo_open=True, hi=1.0,
               why="the depegged coin's price in USD, at most its 1 USD peg (0.9 for a 10 % depeg)")
    b = number("balance", balance, lo=0, lo_open=True, why="tokens of each coin before the depeg")
    if np.ndim(A) or np.ndim(p) or np.ndim(b):
        fail("amp, depeg_price, balance", "single numbers", (amp, depeg_price, balance))
    D = 2.0 * b
    Ann = 2.0 * A

    def price_of_bad(bad):          # coin 1 priced in coin 0 at balances (good(bad), bad)
        good = float(stableswap_curve(bad, D, A))
        K = D ** 3 / (4.0 * good * bad)
        return (Ann + K / bad) / (Ann + K / good), good

    lo, hi = b, D                   # price_of_bad falls from 1 at `b` towards 0 as `bad` grows
    while price_of_bad(hi)[0] > p:  # a deep depeg pushes more than D of coin 1 into the pool
        lo, hi = hi, 2.0 * hi
    for _ in range(200):
        mid = 0.5 * (lo + hi)
        if price_of_bad(mid)[0] > p:
            lo = mid
        else:
            hi = mid
        if hi - lo <= 1e-15 * D:
            break
    bad = 0.5 * (lo + hi)
    good = price_of_bad(bad)[1]
    lp, hodl = good + bad * p, b * (1.0 + p)
    return {"good": good, "bad": bad, "bad_share": bad / (good + bad), "lp_value": lp, "hodl_value": hodl,
            "lp_vs_hodl": lp / hodl - 1.0, "arbitrage_profit": hodl - lp}
