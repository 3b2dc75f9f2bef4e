"""Uniswap V2, bit-exact: the pair's integer formulas and a pair you can trade against."""
from __future__ import annotations

import math

from cryptocourse._validate import fail, integer

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
    if not (type(amount_in) is int and type(reserve_in) is int and type(reserve_out) is int
            and type(fee_bps) is int and amount_in > 0 and reserve_in > 0 and reserve_out > 0
            and 0 <= fee_bps < _BPS):
        # not the common case (plain positive ints): check each input, with a message naming it
        amount_in = _wei("amount_in", amount_in, lo=1, why="a swap needs a positive input (in wei)")
        reserve_in = _wei("reserve_in", reserve_in, lo=1, why="an empty pool cannot price a swap")
        reserve_out = _wei("reserve_out", reserve_out, lo=1, why="an empty pool cannot price a swap")
        fee_bps = _fee_bps(fee_bps)
    amount_in_with_fee = amount_in * (_BPS - fee_bps)
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
    if not (type(amount_out) is int and type(reserve_in) is int and type(reserve_out) is int
            and type(fee_bps) is int and amount_out > 0 and reserve_in > 0 and reserve_out > 0
            and 0 <= fee_bps < _BPS):
        amount_out = _wei("amount_out", amount_out, lo=1, why="ask for a positive amount (in wei)")
        reserve_in = _wei("reserve_in", reserve_in, lo=1, why="an empty pool cannot price a swap")
        reserve_out = _wei("reserve_out", reserve_out, lo=1, why="an empty pool cannot price a swap")
        fee_bps = _fee_bps(fee_bps)
    if amount_out >= reserve_out:
        fail("amount_out", f"< reserve_out = {reserve_out}", amount_out,
             "a constant-product pool can never be emptied: the last token would cost infinitely much")
    numerator = reserve_in * amount_out * _BPS
    denominator = (reserve_out - amount_out) * (_BPS - fee_bps)
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
