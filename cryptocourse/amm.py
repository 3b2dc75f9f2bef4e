"""Automated market makers: Uniswap V2 (bit-exact), constant product in floats,
impermanent loss, Uniswap V3 concentrated liquidity and Curve StableSwap.

Two kinds of function live here, and each docstring says which it is:

* **exact**: mirrors a contract's integer arithmetic; ``int`` in, ``int`` out, named
  as the contract names it (``get_amount_out``, ``get_D``). Agrees to the wei.
* **teaching**: the same idea in floats, vectorised with numpy so a learner can
  sweep a parameter (``impermanent_loss(np.linspace(0.1, 10, 500))``).

Sources (read 2026-11-25):

* Uniswap V2 core, ``contracts/UniswapV2Pair.sol`` (mint, burn, swap, _mintFee) and
  ``test/UniswapV2Pair.spec.ts`` (swap/optimistic/fee test vectors),
  https://github.com/Uniswap/v2-core
* Uniswap V2 periphery, ``contracts/libraries/UniswapV2Library.sol`` (getAmountOut,
  getAmountIn, quote), https://github.com/Uniswap/v2-periphery
* Uniswap V3 whitepaper (ticks, liquidity, amounts in a range), https://uniswap.org/whitepaper-v3.pdf
* Curve StableSwap whitepaper, https://curve.fi/files/stableswap-paper.pdf, and
  ``contracts/pools/3pool/StableSwap3Pool.vy`` (get_D, get_y, get_dy),
  https://github.com/curvefi/curve-contract

Introduced in ``notebooks/07_amms.ipynb``; impermanent loss in
``notebooks/08_yield_farming_and_impermanent_loss.ipynb``.
"""
from __future__ import annotations

import math
from typing import Sequence

import numpy as np

from cryptocourse._validate import fail, integer, number, scalar_out

__all__ = [
    # Uniswap V2, exact
    "MINIMUM_LIQUIDITY", "get_amount_out", "get_amount_in", "quote", "liquidity_minted", "UniswapV2Error",
    "UniswapV2Pair",
    # constant product, teaching
    "spot_price", "amount_out", "amount_in", "execution_price", "price_impact", "price_after",
    "min_amount_out", "constant_product_curve", "lp_reserves_at_price", "lp_value", "hodl_value",
    "ConstantProductPool",
    # impermanent loss
    "impermanent_loss", "impermanent_loss_concentrated",
    # Uniswap V3, teaching
    "tick_to_price", "price_to_tick", "raw_price", "get_sqrt_ratio_at_tick", "get_tick_at_sqrt_ratio",
    "MIN_SQRT_RATIO", "MAX_SQRT_RATIO", "liquidity_for_amounts", "amounts_for_liquidity",
    "capital_efficiency",
    # Curve StableSwap
    "ConvergenceError", "get_D", "get_y", "get_dy", "stableswap_d", "stableswap_get_y",
    "stableswap_get_dy", "stableswap_spot_price", "stableswap_curve", "stableswap_depeg",
]

# ---------------------------------------------------------------------------------------------
# Uniswap V2: bit-exact integer math
# ---------------------------------------------------------------------------------------------

#: LP shares burned forever by the first mint (UniswapV2Pair.sol: ``MINIMUM_LIQUIDITY = 10**3``).
MINIMUM_LIQUIDITY = 10**3
_MAX_UINT112 = 2**112 - 1  # reserves are stored as uint112 (UniswapV2Pair.sol, _update)
_BPS = 10_000


def _wei(name, value, lo=None, hi=None, why=""):
    """``integer`` with the float hint on type errors and ``why`` on bound errors."""
    return integer(name, integer(name, value), lo=lo, hi=hi, why=why)


def _fee_bps(fee_bps) -> int:
    return _wei("fee_bps", fee_bps, lo=0, hi=_BPS - 1,
                   why="the fee is in basis points: 30 means 0.30%, 10000 would be the whole trade")


def get_amount_out(amount_in: int, reserve_in: int, reserve_out: int, fee_bps: int = 30) -> int:
    """Tokens out of a Uniswap V2 swap for ``amount_in`` tokens in (exact, rounds down).

    Parameters
    ----------
    amount_in : int
        Tokens sent to the pool, in the input token's smallest unit (wei).
    reserve_in, reserve_out : int
        Pool reserves of the input and output token (wei).
    fee_bps : int
        Swap fee in basis points; Uniswap V2 charges 30 (0.30%).

    Returns
    -------
    int
        Output tokens (wei): ``floor(a*(1-f)*R_out / (R_in + a*(1-f)))`` in integers.
        Asking for one wei more fails the pair's K check.

    Source: Uniswap/v2-periphery ``UniswapV2Library.getAmountOut`` (997/1000, here with the
    fee as a parameter: the same fraction for 30 bps). Vector from Uniswap/v2-core
    ``test/UniswapV2Pair.spec.ts``. Notebook 07.

    >>> get_amount_out(10**18, 5 * 10**18, 10 * 10**18)
    1662497915624478906
    """
    amount_in = _wei("amount_in", amount_in, lo=1, why="a swap needs a positive input (in wei)")
    reserve_in = _wei("reserve_in", reserve_in, lo=1, why="an empty pool cannot price a swap")
    reserve_out = _wei("reserve_out", reserve_out, lo=1, why="an empty pool cannot price a swap")
    fee = _fee_bps(fee_bps)
    amount_in_with_fee = amount_in * (_BPS - fee)
    numerator = amount_in_with_fee * reserve_out
    denominator = reserve_in * _BPS + amount_in_with_fee
    return numerator // denominator


def get_amount_in(amount_out: int, reserve_in: int, reserve_out: int, fee_bps: int = 30) -> int:
    """Tokens you must send to a Uniswap V2 pool to receive ``amount_out`` (exact, rounds up).

    Parameters
    ----------
    amount_out : int
        Output tokens wanted (wei); must be less than ``reserve_out``.
    reserve_in, reserve_out : int
        Pool reserves of the input and output token (wei).
    fee_bps : int
        Swap fee in basis points (Uniswap V2: 30).

    Returns
    -------
    int
        Input tokens (wei). Like the contract library, the quotient is rounded down and
        then 1 wei is added, so the pool never loses to rounding.

    Source: Uniswap/v2-periphery ``UniswapV2Library.getAmountIn``. Notebook 07.

    >>> get_amount_in(10**18, 5 * 10**18, 10 * 10**18)
    557227237267357629
    """
    amount_out = _wei("amount_out", amount_out, lo=1, why="ask for a positive amount (in wei)")
    reserve_in = _wei("reserve_in", reserve_in, lo=1, why="an empty pool cannot price a swap")
    reserve_out = _wei("reserve_out", reserve_out, lo=1, why="an empty pool cannot price a swap")
    fee = _fee_bps(fee_bps)
    if amount_out >= reserve_out:
        fail("amount_out", f"< reserve_out = {reserve_out}", amount_out,
             "a constant-product pool can never be emptied: the last token would cost infinitely much")
    numerator = reserve_in * amount_out * _BPS
    denominator = (reserve_out - amount_out) * (_BPS - fee)
    return numerator // denominator + 1


def quote(amount_a: int, reserve_a: int, reserve_b: int) -> int:
    """Amount of token B worth ``amount_a`` of token A at the pool's ratio (exact, rounds down).

    Used when adding liquidity: deposits must match the reserve ratio.

    Parameters
    ----------
    amount_a : int
        Amount of token A (wei).
    reserve_a, reserve_b : int
        Pool reserves (wei).

    Returns
    -------
    int
        ``amount_a * reserve_b // reserve_a`` (wei).

    Source: Uniswap/v2-periphery ``UniswapV2Library.quote``. Notebook 07.

    >>> quote(10**18, 5 * 10**18, 10 * 10**18)
    2000000000000000000
    """
    amount_a = _wei("amount_a", amount_a, lo=1, why="quote a positive amount (in wei)")
    reserve_a = _wei("reserve_a", reserve_a, lo=1, why="an empty pool has no price")
    reserve_b = _wei("reserve_b", reserve_b, lo=1, why="an empty pool has no price")
    return amount_a * reserve_b // reserve_a


def liquidity_minted(amount0: int, amount1: int, reserve0: int, reserve1: int, total_supply: int) -> int:
    """LP shares a Uniswap V2 deposit mints (exact integer math; protocol fee aside).

    Parameters
    ----------
    amount0, amount1 : int
        Tokens deposited (wei).
    reserve0, reserve1 : int
        Reserves before the deposit (wei); ignored for the first deposit.
    total_supply : int
        LP shares in existence before the deposit (0 for the first deposit).

    Returns
    -------
    int
        Shares minted to the depositor: ``isqrt(amount0 * amount1) - MINIMUM_LIQUIDITY`` for
        the first deposit (the 1,000 are locked forever), else
        ``min(amount0 * supply // reserve0, amount1 * supply // reserve1)``. May be <= 0, which
        the pair refuses (``INSUFFICIENT_LIQUIDITY_MINTED``).

    Source: Uniswap/v2-core ``UniswapV2Pair.mint``. Notebook 07.

    >>> liquidity_minted(10**18, 4 * 10**18, 0, 0, 0)
    1999999999999999000
    >>> liquidity_minted(10**17, 4 * 10**17, 10**18, 4 * 10**18, 2 * 10**18)
    200000000000000000
    """
    amount0 = _wei("amount0", amount0, lo=0, why="deposits are not negative")
    amount1 = _wei("amount1", amount1, lo=0, why="deposits are not negative")
    supply = _wei("total_supply", total_supply, lo=0, why="a count of LP shares")
    if supply == 0:
        return math.isqrt(amount0 * amount1) - MINIMUM_LIQUIDITY
    reserve0 = _wei("reserve0", reserve0, lo=1, why="a pool with shares has reserves")
    reserve1 = _wei("reserve1", reserve1, lo=1, why="a pool with shares has reserves")
    return min(amount0 * supply // reserve0, amount1 * supply // reserve1)


class UniswapV2Error(ValueError):
    """A Uniswap V2 pair reverted; the message starts with the contract's own reason string."""


class UniswapV2Pair:
    """A Uniswap V2 pair in exact integer math: LP shares, swaps with the K check, protocol fee.

    Mirrors ``UniswapV2Pair.sol`` (Uniswap/v2-core): ``mint`` (with MINIMUM_LIQUIDITY burned
    to the zero address on the first deposit), ``burn``, ``swap`` (the optimistic transfer
    followed by the fee-adjusted K check) and ``_mintFee`` (when ``fee_on``, 1/6 of the growth
    of sqrt(k) goes to ``fee_to`` as new LP shares). Amounts are ``int`` wei. Token transfers
    are modelled by passing the amounts sent to the pair as arguments. Notebook 07.

    Parameters
    ----------
    fee_bps : int
        Swap fee in basis points (Uniswap V2: 30).
    fee_on : bool
        Whether the factory's protocol fee (``feeTo``) is switched on.

    >>> pair = UniswapV2Pair()
    >>> pair.mint("alice", 10**18, 4 * 10**18)   # Uniswap's 'mint' test: sqrt(1e18 * 4e18) - 1000
    1999999999999999000
    >>> pair.swap_exact_in(10**18, token_in=0, to="bob")
    1996995493239859789
    """

    ZERO_ADDRESS = "0x0000000000000000000000000000000000000000"

    def __init__(self, fee_bps: int = 30, fee_on: bool = False, fee_to: str = "feeTo"):
        self.fee_bps = _fee_bps(fee_bps)
        if not isinstance(fee_on, bool):
            fail("fee_on", "True or False", fee_on, exc=TypeError)
        self.fee_on = fee_on
        self.fee_to = fee_to
        self.reserve0 = 0
        self.reserve1 = 0
        self.total_supply = 0
        self.balance_of: dict[str, int] = {}
        self.k_last = 0

    # -- views ---------------------------------------------------------------------------------
    def get_reserves(self) -> tuple[int, int]:
        """The pair's reserves ``(reserve0, reserve1)`` in wei."""
        return self.reserve0, self.reserve1

    @property
    def k(self) -> int:
        """The product of the reserves (wei squared)."""
        return self.reserve0 * self.reserve1

    def price0(self) -> float:
        """Spot price of token0 in token1 (``reserve1 / reserve0``), a float for display."""
        if self.reserve0 == 0:
            raise UniswapV2Error("UniswapV2: the pool is empty, so it has no price yet: mint first")
        return self.reserve1 / self.reserve0

    def __repr__(self) -> str:
        return (f"UniswapV2Pair(reserve0={self.reserve0}, reserve1={self.reserve1}, "
                f"total_supply={self.total_supply}, fee_bps={self.fee_bps}, fee_on={self.fee_on})")

    # -- internals (named as in the contract) ----------------------------------------------------
    def _mint_shares(self, to: str, value: int) -> None:
        self.total_supply += value
        self.balance_of[to] = self.balance_of.get(to, 0) + value

    def _update(self, balance0: int, balance1: int) -> None:
        if balance0 > _MAX_UINT112 or balance1 > _MAX_UINT112:
            raise UniswapV2Error("UniswapV2: OVERFLOW (reserves are stored as uint112, at most 2**112 - 1)")
        self.reserve0, self.reserve1 = balance0, balance1

    def _mint_fee(self) -> bool:
        if self.fee_on:
            if self.k_last != 0:
                root_k = math.isqrt(self.reserve0 * self.reserve1)
                root_k_last = math.isqrt(self.k_last)
                if root_k > root_k_last:
                    numerator = self.total_supply * (root_k - root_k_last)
                    denominator = root_k * 5 + root_k_last
                    liquidity = numerator // denominator
                    if liquidity > 0:
                        self._mint_shares(self.fee_to, liquidity)
        elif self.k_last != 0:
            self.k_last = 0
        return self.fee_on

    # -- state-changing calls --------------------------------------------------------------------
    def _snapshot(self):
        return self.reserve0, self.reserve1, self.total_supply, dict(self.balance_of), self.k_last

    def _revert(self, snap) -> None:
        self.reserve0, self.reserve1, self.total_supply, self.balance_of, self.k_last = snap

    def mint(self, to: str, amount0: int, amount1: int) -> int:
        """Deposit ``amount0`` and ``amount1`` (wei) and mint LP shares to ``to``.

        The first deposit mints ``isqrt(amount0 * amount1)`` shares, of which
        ``MINIMUM_LIQUIDITY`` go to the zero address forever; later deposits mint
        ``min(amount0 * supply // reserve0, amount1 * supply // reserve1)``, so an
        unbalanced deposit donates its excess to the pool. Returns the shares minted to ``to``.
        """
        amount0 = integer("amount0", amount0, lo=0)
        amount1 = integer("amount1", amount1, lo=0)
        snap = self._snapshot()
        try:
            return self._mint(to, amount0, amount1)
        except UniswapV2Error:
            self._revert(snap)      # a revert undoes everything, including the protocol fee
            raise

    def _mint(self, to: str, amount0: int, amount1: int) -> int:
        balance0, balance1 = self.reserve0 + amount0, self.reserve1 + amount1
        fee_on = self._mint_fee()
        supply = self.total_supply
        liquidity = liquidity_minted(amount0, amount1, self.reserve0, self.reserve1, supply)
        if supply == 0:
            if liquidity <= 0:
                raise UniswapV2Error(
                    "UniswapV2: INSUFFICIENT_LIQUIDITY_MINTED (the first deposit must give "
                    f"isqrt(amount0 * amount1) > {MINIMUM_LIQUIDITY}, got {math.isqrt(amount0 * amount1)})")
            self._mint_shares(self.ZERO_ADDRESS, MINIMUM_LIQUIDITY)
        if liquidity <= 0:
            raise UniswapV2Error("UniswapV2: INSUFFICIENT_LIQUIDITY_MINTED (deposit too small for one share)")
        self._mint_shares(to, liquidity)
        self._update(balance0, balance1)
        if fee_on:
            self.k_last = self.reserve0 * self.reserve1
        return liquidity

    def burn(self, owner: str, liquidity: int) -> tuple[int, int]:
        """Burn ``liquidity`` of ``owner``'s LP shares; return the ``(amount0, amount1)`` paid out (wei).

        Each share redeems ``reserve * liquidity // total_supply`` of each token (rounded down,
        so rounding favours the LPs who stay).
        """
        liquidity = _wei("liquidity", liquidity, lo=1, why="burn a positive number of LP shares")
        held = self.balance_of.get(owner, 0)
        if liquidity > held:
            fail("liquidity", f"<= the {held} shares {owner!r} holds", liquidity)
        snap = self._snapshot()
        try:
            return self._burn(owner, liquidity, held)
        except UniswapV2Error:
            self._revert(snap)
            raise

    def _burn(self, owner: str, liquidity: int, held: int) -> tuple[int, int]:
        fee_on = self._mint_fee()
        supply = self.total_supply
        amount0 = liquidity * self.reserve0 // supply
        amount1 = liquidity * self.reserve1 // supply
        if amount0 == 0 or amount1 == 0:
            raise UniswapV2Error("UniswapV2: INSUFFICIENT_LIQUIDITY_BURNED (too few shares to redeem one wei)")
        self.balance_of[owner] = held - liquidity
        self.total_supply -= liquidity
        self._update(self.reserve0 - amount0, self.reserve1 - amount1)
        if fee_on:
            self.k_last = self.reserve0 * self.reserve1
        return amount0, amount1

    def swap(self, amount0_out: int, amount1_out: int, amount0_in: int = 0, amount1_in: int = 0) -> None:
        """Low-level swap, as the contract does it: send tokens in, ask for tokens out, check K.

        ``amount0_in``/``amount1_in`` are the tokens transferred to the pair before the call;
        ``amount0_out``/``amount1_out`` are requested. The pair pays out optimistically and
        reverts with ``UniswapV2: K`` unless
        ``(b0*10000 - in0*fee) * (b1*10000 - in1*fee) >= r0 * r1 * 10000**2``.
        """
        amount0_out = integer("amount0_out", amount0_out, lo=0)
        amount1_out = integer("amount1_out", amount1_out, lo=0)
        amount0_in = integer("amount0_in", amount0_in, lo=0)
        amount1_in = integer("amount1_in", amount1_in, lo=0)
        if amount0_out == 0 and amount1_out == 0:
            raise UniswapV2Error("UniswapV2: INSUFFICIENT_OUTPUT_AMOUNT (ask for some output)")
        r0, r1 = self.reserve0, self.reserve1
        if amount0_out >= r0 or amount1_out >= r1:
            raise UniswapV2Error(
                f"UniswapV2: INSUFFICIENT_LIQUIDITY (asked for ({amount0_out}, {amount1_out}), "
                f"the reserves are ({r0}, {r1}))")
        balance0 = r0 + amount0_in - amount0_out
        balance1 = r1 + amount1_in - amount1_out
        if amount0_in == 0 and amount1_in == 0:
            raise UniswapV2Error("UniswapV2: INSUFFICIENT_INPUT_AMOUNT (send tokens in first)")
        adjusted0 = balance0 * _BPS - amount0_in * self.fee_bps
        adjusted1 = balance1 * _BPS - amount1_in * self.fee_bps
        if adjusted0 * adjusted1 < r0 * r1 * _BPS**2:
            raise UniswapV2Error(
                "UniswapV2: K (after the fee the reserves' product would fall below k: "
                "ask for less output or send more input)")
        self._update(balance0, balance1)

    def swap_exact_in(self, amount_in: int, token_in: int = 0, to: str = "trader") -> int:
        """Swap exactly ``amount_in`` of token ``token_in`` (0 or 1) for the most the K check allows.

        Does what the Uniswap V2 router does: ``get_amount_out`` on the current reserves,
        then ``swap``. Returns the output amount (wei). ``to`` is kept for readability.
        """
        if token_in not in (0, 1) or isinstance(token_in, bool):
            fail("token_in", "0 or 1", token_in)
        amount_in = _wei("amount_in", amount_in, lo=1, why="a swap needs a positive input (in wei)")
        if self.total_supply == 0:
            raise UniswapV2Error("UniswapV2: the pool is empty: mint liquidity before swapping")
        r_in, r_out = (self.reserve0, self.reserve1) if token_in == 0 else (self.reserve1, self.reserve0)
        out = get_amount_out(amount_in, r_in, r_out, self.fee_bps)
        if out == 0:
            raise UniswapV2Error("UniswapV2: INSUFFICIENT_OUTPUT_AMOUNT (the input is too small to buy one wei)")
        if token_in == 0:
            self.swap(0, out, amount0_in=amount_in)
        else:
            self.swap(out, 0, amount1_in=amount_in)
        return out


# ---------------------------------------------------------------------------------------------
# Constant product in floats (teaching)
# ---------------------------------------------------------------------------------------------

def _fee(fee):
    return number("fee", fee, lo=0, hi=1, hi_open=True,
                  why="the fee is a fraction of the input: 0.003 means 0.3%")


def _reserve(name, value):
    return number(name, value, lo=0, lo_open=True, finite=True, why="an empty pool cannot price a swap")


_out = scalar_out  # scalar in -> Python float out; arrays stay arrays


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


# ---------------------------------------------------------------------------------------------
# Uniswap V3 concentrated liquidity (teaching, floats)
# ---------------------------------------------------------------------------------------------

_TICK_BASE = 1.0001  # each tick moves the price by 0.01% (Uniswap V3 whitepaper, eq. 6.1)
MIN_TICK, MAX_TICK = -887272, 887272  # TickMath.sol


def tick_to_price(tick):
    """Price at a Uniswap V3 tick: ``1.0001 ** tick`` (token1 per token0, raw units; teaching).

    Parameters
    ----------
    tick : int or array
        Tick index in ``[-887272, 887272]``.

    Returns
    -------
    float or array
        Price (token1 per token0).

    Source: Uniswap V3 whitepaper, eq. 6.1. Notebook 07.

    >>> round(tick_to_price(6932), 4)    # about 2
    2.0
    """
    t = number("tick", tick, lo=MIN_TICK, hi=MAX_TICK, why="Uniswap V3 ticks run from -887272 to 887272")
    return _out(np.power(_TICK_BASE, t))


def price_to_tick(price):
    """Largest tick whose price is <= ``price``: ``floor(log(p) / log(1.0001))`` (teaching).

    Parameters
    ----------
    price : float or array
        Price (token1 per token0, raw units), > 0.

    Returns
    -------
    int or int array
        Tick index.

    Source: Uniswap V3 whitepaper, eq. 6.1 (TickMath.getTickAtSqrtRatio rounds down too).
    Notebook 07.

    >>> price_to_tick(2.0)
    6931
    """
    p = number("price", price, lo=0, lo_open=True, why="prices are positive")
    t = np.floor(np.log(p) / np.log(_TICK_BASE) + 1e-9).astype(np.int64)
    return int(t) if np.ndim(t) == 0 else t



def raw_price(price, decimals0: int, decimals1: int):
    """A price in whole tokens turned into the raw-unit price a Uniswap V3 pool stores (teaching).

    A pool prices token1 per token0 in the tokens' smallest units, so a price of ``price`` whole
    token1 per whole token0 is ``price * 10**decimals1 / 10**decimals0`` raw units. Ticks and
    ``sqrtPriceX96`` are computed from this raw price, never from the price people quote.

    Parameters
    ----------
    price : float or array
        Whole token1 per whole token0, > 0.
    decimals0, decimals1 : int
        Decimals of token0 and token1 (USDC 6, WETH 18). token0 is the token with the smaller
        contract address (UniswapV3Factory sorts them), which is why USDC is token0 of USDC/WETH.

    Returns
    -------
    float or array
        Raw token1 units per raw token0 unit.

    Source: Uniswap V3 whitepaper, section 6.1 (prices are ratios of raw reserves);
    UniswapV3Factory.createPool sorts the two addresses. Notebook 07.

    >>> raw_price(1 / 3000, decimals0=6, decimals1=18)   # USDC/WETH at 3,000 USD per ETH
    333333333.3333333
    >>> price_to_tick(raw_price(1 / 3000, 6, 18))         # the tick of the real pool
    196256
    """
    p = number("price", price, lo=0, lo_open=True, why="prices are positive")
    d0 = integer("decimals0", decimals0, lo=0, hi=77, why="ERC-20 decimals, e.g. 6 for USDC, 18 for WETH")
    d1 = integer("decimals1", decimals1, lo=0, hi=77, why="ERC-20 decimals, e.g. 6 for USDC, 18 for WETH")
    return _out(p * 10.0 ** (d1 - d0))

# Uniswap V3 TickMath.sol (Uniswap/v3-core contracts/libraries/TickMath.sol, read 2026-11-25):
# Q128.128 factors sqrt(1.0001) ** -(2**k) for bit k of |tick|, and the bounds of sqrtPriceX96.
_TICK_FACTORS = (
    0xfffcb933bd6fad37aa2d162d1a594001, 0xfff97272373d413259a46990580e213a,
    0xfff2e50f5f656932ef12357cf3c7fdcc, 0xffe5caca7e10e4e61c3624eaa0941cd0,
    0xffcb9843d60f6159c9db58835c926644, 0xff973b41fa98c081472e6896dfb254c0,
    0xff2ea16466c96a3843ec78b326b52861, 0xfe5dee046a99a2a811c461f1969c3053,
    0xfcbe86c7900a88aedcffc83b479aa3a4, 0xf987a7253ac413176f2b074cf7815e54,
    0xf3392b0822b70005940c7a398e4b70f3, 0xe7159475a2c29b7443b29c7fa6e889d9,
    0xd097f3bdfd2022b8845ad8f792aa5825, 0xa9f746462d870fdf8a65dc1f90e061e5,
    0x70d869a156d2a1b890bb3df62baf32f7, 0x31be135f97d08fd981231505542fcfa6,
    0x9aa508b5b7a84e1c677de54f3e99bc9, 0x5d6af8dedb81196699c329225ee604,
    0x2216e584f5fa1ea926041bedfe98, 0x48a170391f7dc42444e8fa2,
)
MIN_SQRT_RATIO = 4295128739
MAX_SQRT_RATIO = 1461446703485210103287273052203988822378723970342


def get_sqrt_ratio_at_tick(tick: int) -> int:
    """``sqrt(1.0001 ** tick) * 2**96`` as Uniswap V3 computes it (exact, Q64.96 fixed point).

    Parameters
    ----------
    tick : int
        Tick index in ``[-887272, 887272]``.

    Returns
    -------
    int
        ``sqrtPriceX96``: the square root of the price (token1 per token0, raw units) times
        2**96, rounded up, bit-exact with ``TickMath.getSqrtRatioAtTick``.

    Source: Uniswap/v3-core ``contracts/libraries/TickMath.sol`` (multiplies one constant per
    set bit of ``|tick|``). Notebook 07.

    >>> get_sqrt_ratio_at_tick(0) == 2**96
    True
    >>> get_sqrt_ratio_at_tick(-887272)
    4295128739
    """
    tick = integer("tick", tick, lo=MIN_TICK, hi=MAX_TICK, why="Uniswap V3 ticks run from -887272 to 887272")
    abs_tick = abs(tick)
    ratio = _TICK_FACTORS[0] if abs_tick & 1 else 1 << 128
    for bit in range(1, 20):
        if abs_tick & (1 << bit):
            ratio = (ratio * _TICK_FACTORS[bit]) >> 128
    if tick > 0:
        ratio = (2**256 - 1) // ratio
    return (ratio >> 32) + (0 if ratio % (1 << 32) == 0 else 1)


def get_tick_at_sqrt_ratio(sqrt_price_x96: int) -> int:
    """Greatest tick whose ``get_sqrt_ratio_at_tick`` is <= ``sqrt_price_x96`` (exact).

    Uniswap's contract reaches this by a fixed-point logarithm; the answer is defined as above,
    which is what we compute (by bisection over ticks).

    Parameters
    ----------
    sqrt_price_x96 : int
        Square root of the price times 2**96, in ``[MIN_SQRT_RATIO, MAX_SQRT_RATIO)``.

    Returns
    -------
    int
        Tick index.

    Source: Uniswap/v3-core ``TickMath.getTickAtSqrtRatio``. Notebook 07.

    >>> get_tick_at_sqrt_ratio(2**96)
    0
    >>> get_tick_at_sqrt_ratio(get_sqrt_ratio_at_tick(-50) - 1)
    -51
    """
    s = integer("sqrt_price_x96", sqrt_price_x96, lo=MIN_SQRT_RATIO, hi=MAX_SQRT_RATIO - 1,
                why="a Q64.96 square-root price inside Uniswap V3's tick range")
    lo, hi = MIN_TICK, MAX_TICK        # invariant: sqrt_ratio(lo) <= s < sqrt_ratio(hi)
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if get_sqrt_ratio_at_tick(mid) <= s:
            lo = mid
        else:
            hi = mid
    return lo


def _range(price, lower_price, upper_price):
    p = number("price", price, lo=0, lo_open=True, why="prices are positive")
    a = number("lower_price", lower_price, lo=0, why="the range's lower price")
    b = number("upper_price", upper_price, lo=0, lo_open=True, hi=np.inf, why="the range's upper price")
    if np.any(np.asarray(a) >= np.asarray(b)):
        fail("lower_price", "< upper_price", lower_price, f"upper_price is {upper_price}")
    return np.sqrt(p), np.sqrt(a), np.sqrt(b)


def amounts_for_liquidity(price, lower_price, upper_price, liquidity):
    """Token amounts held by ``liquidity`` in the range ``[lower_price, upper_price]`` (teaching).

    Below the range the position is all token0 (X), above it all token1 (Y).

    Parameters
    ----------
    price : float or array
        Current price (Y per X).
    lower_price, upper_price : float
        Range bounds (Y per X), ``0 <= lower < upper`` (``upper`` may be ``inf``).
    liquidity : float
        Liquidity ``L`` (> 0).

    Returns
    -------
    tuple of (float or array, float or array)
        ``(amount0, amount1)`` in tokens.

    Source: Uniswap V3 whitepaper, eqs. 6.29-6.30; LiquidityAmounts.sol in v3-periphery.
    Notebook 07.

    >>> [round(v, 4) for v in amounts_for_liquidity(1.0, 0.25, 4.0, 100.0)]
    [50.0, 50.0]
    """
    s, sa, sb = _range(price, lower_price, upper_price)
    L = number("liquidity", liquidity, lo=0)
    x, y = _range_amounts(s, sa, sb)
    return _out(L * x), _out(L * y)


def liquidity_for_amounts(price, lower_price, upper_price, amount0, amount1):
    """Most liquidity ``L`` that ``amount0`` of X and ``amount1`` of Y can provide in a range.

    In range, ``L`` is limited by whichever token runs out first (the other is left over);
    below the range only X counts, above it only Y. (Teaching, floats.)

    Parameters
    ----------
    price : float
        Current price (Y per X).
    lower_price, upper_price : float
        Range bounds (Y per X).
    amount0, amount1 : float
        Tokens available (X and Y).

    Returns
    -------
    float
        Liquidity ``L``.

    Source: v3-periphery ``LiquidityAmounts.getLiquidityForAmounts``. Notebook 07.

    >>> round(liquidity_for_amounts(1.0, 0.25, 4.0, 50.0, 50.0), 6)
    100.0
    """
    s, sa, sb = _range(price, lower_price, upper_price)
    a0 = number("amount0", amount0, lo=0)
    a1 = number("amount1", amount1, lo=0)
    x_per_l, y_per_l = _range_amounts(s, sa, sb)
    with np.errstate(divide="ignore", invalid="ignore"):
        l0 = np.where(x_per_l > 0, a0 / np.where(x_per_l > 0, x_per_l, 1.0), np.inf)
        l1 = np.where(y_per_l > 0, a1 / np.where(y_per_l > 0, y_per_l, 1.0), np.inf)
    return _out(np.minimum(l0, l1))


def capital_efficiency(lower, upper, price_ratio=1.0):
    """How many times less capital a range needs than full range for the same liquidity.

    Parameters
    ----------
    lower, upper : float or array
        Range bounds as multiples of the current price (``lower < 1 < upper`` for a range that
        is active now).
    price_ratio : float or array
        Current price / reference price (default 1: the price the bounds refer to).

    Returns
    -------
    float or array
        Full-range capital / range capital for equal ``L`` (>= 1; 1 for the full range).

    Source: Uniswap V3 whitepaper, section 2 (about 4000x for a range 0.1% wide,
    ``capital_efficiency(0.9995, 1.0005)``). Notebook 07.

    >>> round(capital_efficiency(0.25, 4.0), 6)      # price within a factor 4 either way
    2.0
    """
    r = number("price_ratio", price_ratio, lo=0, lo_open=True)
    a = number("lower", lower, lo=0)
    b = number("upper", upper, lo=0, lo_open=True, hi=np.inf)
    if np.any(np.asarray(a) >= np.asarray(b)):
        fail("lower", "< upper", lower, f"upper is {upper}: the range must have width")
    s = np.sqrt(r)
    x, y = _range_amounts(s, np.sqrt(a), np.sqrt(b))
    return _out(2.0 * s / (x * r + y))


# ---------------------------------------------------------------------------------------------
# Curve StableSwap
# ---------------------------------------------------------------------------------------------

class ConvergenceError(ArithmeticError):
    """Newton's method did not settle within the allowed iterations."""


def _xp_int(name, xp):
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
    amp = integer("amp", amp, lo=1, why="Curve's A is a positive whole number")
    max_iter = integer("max_iter", max_iter, lo=1)
    n = len(xp)
    S = sum(xp)
    D = S
    Ann = amp * n
    for _ in range(max_iter):
        D_P = D
        for x in xp:
            D_P = D_P * D // (x * n)
        D_prev = D
        D = (Ann * S + D_P * n) * D // ((Ann - 1) * D + (n + 1) * D_P)
        if abs(D - D_prev) <= 1:
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
    D = get_D(xp, amp, max_iter)
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
    for _ in range(max_iter):
        y_prev = y
        y = (y * y + c) // (2 * y + b - D)
        if abs(y - y_prev) <= 1:
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


def _balances_float(balances):
    b = number("balances", balances, lo=0, lo_open=True, why="every coin needs a positive balance")
    if np.ndim(b) != 1 or not 2 <= len(b) <= 8:
        fail("balances", "a list of 2 to 8 balances", balances, "Curve pools hold 2-8 coins")
    return np.asarray(b, dtype=float)


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
    S = float(xp.sum())
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
        f"(balances={xp.tolist()}, amp={A:g}): the balances are too unequal for this A")


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
    K = D ** (n + 1) / (n ** n * float(np.prod(xp)))
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
