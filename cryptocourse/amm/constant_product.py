"""The constant-product pool as floats (for teaching and plotting), and impermanent loss."""
from __future__ import annotations

import math

import numpy as np

from cryptocourse._validate import fail, number, scalar_out

# ---------------------------------------------------------------------------------------------
# Constant product in floats (teaching)
# ---------------------------------------------------------------------------------------------

def _fee(fee):
    return number("fee", fee, lo=0, hi=1, hi_open=True,
                  why="the fee is a fraction of the input: 0.003 means 0.3%")


def _reserve(name, value):
    return number(name, value, lo=0, lo_open=True, finite=True, why="an empty pool cannot price a swap")


_out = scalar_out  # scalar in -> Python float out; arrays stay arrays
_INF = float("inf")


def spot_price(reserve_in, reserve_out):
    """Marginal price of the input token, in output tokens per input token (teaching, floats).

    Parameters
    ----------
    reserve_in, reserve_out : float or array
        Pool reserves (tokens).

    Returns
    -------
    float or array
        ``reserve_out / reserve_in`` (output tokens per input token), fee not included.

    Source: Uniswap V2 whitepaper, section 2. Notebook 07.

    >>> spot_price(5.0, 10.0)
    2.0
    """
    return _out(_reserve("reserve_out", reserve_out) / _reserve("reserve_in", reserve_in))


def amount_out(amount_in, reserve_in, reserve_out, fee=0.003):
    """Output of a constant-product swap, in floats (teaching twin of ``get_amount_out``).

    Parameters
    ----------
    amount_in : float or array
        Input tokens (>= 0).
    reserve_in, reserve_out : float or array
        Pool reserves (tokens).
    fee : float
        Fraction of the input kept by the pool for LPs (Uniswap V2: 0.003).

    Returns
    -------
    float or array
        Output tokens ``y * dx(1-f) / (x + dx(1-f))``.

    Source: Uniswap V2 whitepaper (x * y = k with a 0.3% fee). Notebook 07.

    >>> round(amount_out(1.0, 5.0, 10.0), 6)
    1.662498
    """
    if type(amount_in) is float and type(reserve_in) is float and type(reserve_out) is float \
            and type(fee) is float and 0.0 <= amount_in < _INF and 0.0 < reserve_in < _INF \
            and 0.0 < reserve_out < _INF and 0.0 <= fee < 1.0:
        dx_fee = amount_in * (1 - fee)          # plain floats in range: no array machinery needed
        return reserve_out * dx_fee / (reserve_in + dx_fee)
    dx = number("amount_in", amount_in, lo=0, finite=True)
    x, y, f = _reserve("reserve_in", reserve_in), _reserve("reserve_out", reserve_out), _fee(fee)
    dx_fee = dx * (1 - f)
    return _out(y * dx_fee / (x + dx_fee))


def amount_in(amount_out, reserve_in, reserve_out, fee=0.003):
    """Input needed to receive ``amount_out`` from a constant-product pool (teaching, floats).

    Parameters
    ----------
    amount_out : float or array
        Output tokens wanted, ``0 <= amount_out < reserve_out``.
    reserve_in, reserve_out : float or array
        Pool reserves (tokens).
    fee : float
        Fee fraction (Uniswap V2: 0.003).

    Returns
    -------
    float or array
        Input tokens ``x * dy / ((y - dy)(1 - f))``.

    Source: Uniswap V2 whitepaper; exact twin ``get_amount_in``. Notebook 07.

    >>> round(amount_in(1.0, 5.0, 10.0), 6)
    0.557227
    """
    dy = number("amount_out", amount_out, lo=0)
    x, y, f = _reserve("reserve_in", reserve_in), _reserve("reserve_out", reserve_out), _fee(fee)
    if np.any(dy >= y):
        fail("amount_out", "< reserve_out", amount_out, "a constant-product pool can never be emptied")
    return _out(x * dy / ((y - dy) * (1 - f)))


def execution_price(amount_in, reserve_in, reserve_out, fee=0.003):
    """Average price a trade actually gets: output tokens per input token (teaching, floats).

    Parameters
    ----------
    amount_in : float or array
        Input tokens (> 0).
    reserve_in, reserve_out : float or array
        Pool reserves (tokens).
    fee : float
        Fee fraction.

    Returns
    -------
    float or array
        ``amount_out / amount_in`` (output tokens per input token).

    Notebook 07.

    >>> round(execution_price(1.0, 5.0, 10.0), 6)
    1.662498
    """
    dx = number("amount_in", amount_in, lo=0, lo_open=True, why="a price needs a positive trade")
    return _out(amount_out(dx, reserve_in, reserve_out, fee) / dx)


def price_impact(amount_in, reserve_in, reserve_out, fee=0.003):
    """Share of the trade's value lost against the spot price: ``1 - execution / spot``.

    With ``fee=0`` this is the pure curve effect, ``dx / (x + dx)``; with the fee it is what
    the trader pays in total (as Uniswap V2's interface reports it). (Teaching, floats.)

    Parameters
    ----------
    amount_in : float or array
        Input tokens (> 0).
    reserve_in, reserve_out : float or array
        Pool reserves (tokens).
    fee : float
        Fee fraction.

    Returns
    -------
    float or array
        Fraction between 0 and 1 (0.01 = 1%).

    Source: Uniswap V2 SDK ``computePriceImpact`` (mid price vs execution price). Notebook 07.

    >>> round(price_impact(1.0, 100.0, 100.0, fee=0.0), 6)   # 1 / 101
    0.009901
    """
    x, y = _reserve("reserve_in", reserve_in), _reserve("reserve_out", reserve_out)
    return _out(1.0 - execution_price(amount_in, x, y, fee) / (y / x))


def price_after(amount_in, reserve_in, reserve_out, fee=0.003):
    """Spot price of the input token after the trade, in output tokens per input (teaching).

    The fee stays in the pool (as in Uniswap V2), so ``x_new = x + dx`` while
    ``y_new = y - amount_out``.

    Parameters
    ----------
    amount_in : float or array
        Input tokens (>= 0).
    reserve_in, reserve_out : float or array
        Pool reserves (tokens).
    fee : float
        Fee fraction.

    Returns
    -------
    float or array
        New ``reserve_out / reserve_in``.

    Notebook 07.

    >>> round(price_after(1.0, 5.0, 10.0), 6)
    1.389584
    """
    dx = number("amount_in", amount_in, lo=0)
    x, y = _reserve("reserve_in", reserve_in), _reserve("reserve_out", reserve_out)
    dy = amount_out(dx, x, y, fee)
    return _out((y - dy) / (x + dx))


def min_amount_out(quoted_out, slippage_tolerance=0.005):
    """Smallest output to accept for a quoted trade: ``quoted * (1 - tolerance)`` (teaching).

    Slippage is the gap between the quote you saw and what you get, because other trades
    land first; routers take this minimum and revert the swap if the pool pays less.

    Parameters
    ----------
    quoted_out : float or array
        Quoted output (tokens).
    slippage_tolerance : float
        Fraction you accept to lose, in [0, 1) (0.005 = 0.5%, a common default).

    Returns
    -------
    float or array
        Minimum output (tokens), e.g. Uniswap V2 router's ``amountOutMin``.

    Notebook 07.

    >>> min_amount_out(100.0, 0.005)
    99.5
    """
    q = number("quoted_out", quoted_out, lo=0)
    tol = number("slippage_tolerance", slippage_tolerance, lo=0, hi=1, hi_open=True,
                 why="a fraction: 0.005 means 0.5%")
    return _out(q * (1 - tol))


def constant_product_curve(x, k):
    """The curve ``y = k / x`` of a constant-product pool, for plotting (teaching).

    Parameters
    ----------
    x : float or array
        Reserve of the first token (> 0).
    k : float
        Invariant ``x * y`` (tokens squared).

    Returns
    -------
    float or array
        Reserve of the second token.

    Notebook 07.

    >>> constant_product_curve([1.0, 2.0, 4.0], 4.0).tolist()
    [4.0, 2.0, 1.0]
    """
    x = number("x", x, lo=0, lo_open=True, why="reserves are positive")
    k = number("k", k, lo=0, lo_open=True, why="k is the product of two positive reserves")
    return _out(k / x)


def lp_reserves_at_price(price, liquidity):
    """Reserves of a full-range pool when arbitrage holds it at an outside ``price`` (teaching).

    With ``x * y = L**2`` and ``y / x = price``: ``x = L / sqrt(p)``, ``y = L * sqrt(p)``.

    Parameters
    ----------
    price : float or array
        Price of token X in token Y (Y per X), > 0.
    liquidity : float
        ``L = sqrt(k)`` (token units).

    Returns
    -------
    tuple of (float or array, float or array)
        Reserves ``(x, y)`` in tokens.

    Source: Uniswap V3 whitepaper, eq. 2.2. Notebook 07.

    >>> lp_reserves_at_price(4.0, 10.0)
    (5.0, 20.0)
    """
    p = number("price", price, lo=0, lo_open=True, why="prices are positive")
    L = number("liquidity", liquidity, lo=0, lo_open=True)
    s = np.sqrt(p)
    return _out(L / s), _out(L * s)


def lp_value(price, liquidity):
    """Value in token Y of a full-range LP position kept at the outside ``price``: ``2 L sqrt(p)``.

    Fees are not included (see ``cryptocourse.farming`` for fee income). (Teaching, floats.)

    Parameters
    ----------
    price : float or array
        Price of X in Y (> 0).
    liquidity : float
        ``L = sqrt(x * y)``.

    Returns
    -------
    float or array
        Position value in Y.

    Notebook 07 and 08.

    >>> lp_value(4.0, 10.0)
    40.0
    """
    x, y = lp_reserves_at_price(price, liquidity)
    return _out(x * number("price", price) + y)


def hodl_value(price, x0, y0):
    """Value in Y of simply holding ``x0`` of X and ``y0`` of Y at ``price`` (teaching).

    Parameters
    ----------
    price : float or array
        Price of X in Y (> 0).
    x0, y0 : float
        Amounts held (tokens).

    Returns
    -------
    float or array
        ``x0 * price + y0`` in Y.

    Notebook 08.

    >>> hodl_value(4.0, 10.0, 10.0)
    50.0
    """
    p = number("price", price, lo=0, lo_open=True, why="prices are positive")
    return _out(number("x0", x0, lo=0) * p + number("y0", y0, lo=0))


class ConstantProductPool:
    """A constant-product pool in floats: swaps with a fee, LP shares, arbitrage (teaching).

    Token X has reserve ``x``, token Y reserve ``y``; prices are in Y per X. The fee stays in
    the pool, so every swap grows ``k = x * y``: that growth is the LPs' income.
    The exact, integer twin is ``UniswapV2Pair``. Notebook 07.

    Parameters
    ----------
    x, y : float
        Initial reserves (tokens), > 0.
    fee : float
        Fee fraction (0.003 = 0.3%).

    >>> pool = ConstantProductPool(100.0, 200.0)
    >>> round(pool.swap(10.0, "x"), 4)      # sell 10 X for Y
    18.1322
    >>> pool.k > 100.0 * 200.0
    True
    """

    def __init__(self, x: float, y: float, fee: float = 0.003):
        self.x = float(_reserve("x", x))
        self.y = float(_reserve("y", y))
        self.fee = float(_fee(fee))
        self.total_shares = math.sqrt(self.x * self.y)
        self.shares: dict[str, float] = {"founder": self.total_shares}

    def __repr__(self) -> str:
        return f"ConstantProductPool(x={self.x:.6g}, y={self.y:.6g}, fee={self.fee:g})"

    @property
    def k(self) -> float:
        """``x * y`` (tokens squared)."""
        return self.x * self.y

    @property
    def price(self) -> float:
        """Spot price of X in Y (``y / x``)."""
        return self.y / self.x

    def quote(self, amount: float, token_in: str = "x") -> float:
        """Output for ``amount`` of ``token_in`` ('x' or 'y') without trading."""
        from cryptocourse._validate import choice
        choice("token_in", token_in, ["x", "y"])
        r_in, r_out = (self.x, self.y) if token_in == "x" else (self.y, self.x)
        return amount_out(amount, r_in, r_out, self.fee)

    def swap(self, amount: float, token_in: str = "x") -> float:
        """Sell ``amount`` of ``token_in`` ('x' or 'y') to the pool; return the output (tokens)."""
        out = self.quote(amount, token_in)
        if token_in == "x":
            self.x, self.y = self.x + amount, self.y - out
        else:
            self.y, self.x = self.y + amount, self.x - out
        return out

    def add_liquidity(self, amount_x: float, owner: str = "lp") -> tuple[float, float]:
        """Deposit ``amount_x`` of X plus the matching Y at the current price; return (shares, y used)."""
        dx = number("amount_x", amount_x, lo=0, lo_open=True, why="deposit a positive amount")
        dy = dx * self.y / self.x
        minted = self.total_shares * dx / self.x
        self.x, self.y = self.x + dx, self.y + dy
        self.total_shares += minted
        self.shares[owner] = self.shares.get(owner, 0.0) + minted
        return minted, dy

    def remove_liquidity(self, shares: float, owner: str = "lp") -> tuple[float, float]:
        """Burn ``shares`` of ``owner``; return the ``(x, y)`` tokens paid out."""
        held = self.shares.get(owner, 0.0)
        s = number("shares", shares, lo=0, lo_open=True, why="burn a positive number of shares")
        if s > held * (1 + 1e-12):
            fail("shares", f"<= the {held:g} shares {owner!r} holds", shares)
        s = min(s, held)
        frac = s / self.total_shares
        dx, dy = self.x * frac, self.y * frac
        self.x, self.y = self.x - dx, self.y - dy
        self.total_shares -= s
        self.shares[owner] = held - s
        return dx, dy

    def arbitrage_to(self, price: float) -> float:
        """Trade as a profit-seeking arbitrageur would until the pool matches an outside ``price``.

        With a fee the arbitrageur stops when the fee-adjusted marginal price equals ``price``,
        so the pool ends within a factor ``(1 - fee)`` of it. Returns the arbitrageur's profit in
        Y valued at ``price`` (0 if the gap is inside the fee band).
        """
        p = number("price", price, lo=0, lo_open=True, why="prices are positive")
        g = 1.0 - self.fee
        if p > self.price / g:           # X is cheap in the pool: buy X with Y
            dy_in = (math.sqrt(p * self.k * g) - self.y) / g
            dx_out = self.swap(dy_in, "y")
            return dx_out * p - dy_in
        if p < self.price * g:           # X is dear in the pool: sell X for Y
            dx_in = (math.sqrt(self.k * g / p) - self.x) / g
            dy_out = self.swap(dx_in, "x")
            return dy_out - dx_in * p
        return 0.0


# ---------------------------------------------------------------------------------------------
# Impermanent loss
# ---------------------------------------------------------------------------------------------

def impermanent_loss(price_ratio):
    """Value of a full-range LP position relative to holding, minus 1 (teaching, floats).

    Parameters
    ----------
    price_ratio : float or array
        New price divided by the price at deposit (> 0); 2 means the price doubled.

    Returns
    -------
    float or array
        ``2 sqrt(r) / (1 + r) - 1``: 0 at r = 1, always <= 0 (-0.0572 at r = 2). Fees excluded.

    Source: follows from x * y = k (Uniswap V2 whitepaper); see also Pintail, "Uniswap: a good
    deal for liquidity providers?" (2019). Notebook 08.

    >>> [round(impermanent_loss(r), 4) for r in (2, 4, 5)]
    [-0.0572, -0.2, -0.2546]
    """
    r = number("price_ratio", price_ratio, lo=0, lo_open=True,
               why="a ratio of two positive prices (new / entry)")
    return _out(2.0 * np.sqrt(r) / (1.0 + r) - 1.0)


def _range_amounts(sqrt_p, sqrt_a, sqrt_b):
    """Token amounts per unit of liquidity for a V3 range at sqrt-price ``sqrt_p``."""
    s = np.clip(sqrt_p, sqrt_a, sqrt_b)
    x = 1.0 / s - 1.0 / sqrt_b
    y = s - sqrt_a
    return x, y


def impermanent_loss_concentrated(price_ratio, lower, upper):
    """Impermanent loss of a Uniswap V3 range position, relative to holding (teaching, floats).

    The range is ``[lower * P0, upper * P0]`` where ``P0`` is the entry price. Inside the range
    the loss is the full-range loss magnified; outside, the position is all one token and the
    loss keeps growing (it equals holding that single token instead of the deposit).

    Parameters
    ----------
    price_ratio : float or array
        New price / entry price (> 0).
    lower, upper : float or array
        Range bounds as multiples of the entry price, ``0 <= lower < upper`` (``upper`` may be
        ``inf``; ``lower=0, upper=inf`` is the full range).

    Returns
    -------
    float or array
        LP value / HODL value - 1 (<= 0). Fees excluded.

    Source: Uniswap V3 whitepaper, eqs. 6.29-6.30 (amounts in a range). Notebook 08.

    >>> round(impermanent_loss_concentrated(2.0, 0.0, float("inf")), 4)   # full range
    -0.0572
    >>> round(impermanent_loss_concentrated(1.1, 0.9, 1.1), 4)
    -0.0232
    """
    r = number("price_ratio", price_ratio, lo=0, lo_open=True,
               why="a ratio of two positive prices (new / entry)")
    a = number("lower", lower, lo=0, why="the range's lower bound as a multiple of the entry price")
    b = number("upper", upper, lo=0, lo_open=True, hi=np.inf,
               why="the range's upper bound as a multiple of the entry price")
    if np.any(np.asarray(a) >= np.asarray(b)):
        fail("lower", "< upper", lower, f"upper is {upper}: the range must have width")
    sa, sb = np.sqrt(a), np.sqrt(b)
    x0, y0 = _range_amounts(1.0, sa, sb)
    x1, y1 = _range_amounts(np.sqrt(r), sa, sb)
    with np.errstate(invalid="ignore"):
        hodl = x0 * r + y0
        lp = x1 * r + y1
        out = np.where(hodl > 0, lp / np.where(hodl > 0, hodl, 1.0) - 1.0, 0.0)
    return _out(out)
