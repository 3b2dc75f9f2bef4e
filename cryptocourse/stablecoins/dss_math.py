"""MakerDAO's integer math (dss): rmul, rpow, the rate accumulator's drip and per-second rates; the
Clipper's auction price curves (abaci.sol); the Peg Stability Module."""
from __future__ import annotations

from decimal import ROUND_FLOOR, Decimal, localcontext
from typing import Any

from cryptocourse._validate import fail, integer, number, scalar_out

WAD = 10**18  #: 1.0 in wad (token amounts, the penalty ``chop``)
RAY = 10**27  #: 1.0 in ray (rates, prices, ratios)
RAD = 10**45  #: 1 DAI in rad (wad x ray: the Vat's internal DAI)
BLN = 10**9
SECONDS_PER_YEAR = 31_536_000  #: 365 days, the year MakerDAO's rate tables use
_UINT256 = 2**256

_out = scalar_out


def _uint(name: str, value: Any, lo: int = 0, why: str = "") -> int:
    value = integer(name, value, lo=lo, why=why)
    if value >= _UINT256:
        fail(name, "< 2**256", value, "the EVM's words are 256 bits (uint256)")
    return value


def _overflow(what: str) -> None:
    raise ValueError(f"{what} overflows uint256: the contract reverts here (the numbers are too large)")


# ---------------------------------------------------------------------------------------------
# dss integer math
# ---------------------------------------------------------------------------------------------

def rmul(x: int, y: int) -> int:
    """Multiply two ray numbers, rounding down: ``x * y // RAY`` (dss ``rmul``, exact).

    Parameters
    ----------
    x, y : int
        Ray (or a ray times a wad/rad: the result keeps the other unit).

    Returns
    -------
    int
        ``floor(x * y / 10**27)``.

    Source: makerdao/dss ``jug.sol`` ``_rmul``, ``abaci.sol`` ``rmul``. Notebook 09b.

    >>> rmul(3 * RAY // 2, 2 * RAY) == 3 * RAY
    True
    """
    x, y = _uint("x", x), _uint("y", y)
    if x * y >= _UINT256:
        _overflow("rmul")
    return x * y // RAY


def rpow(x: int, n: int, base: int) -> int:
    """``x**n`` in fixed point with ``base`` as 1.0, by squaring, rounding half up (dss ``_rpow``, exact).

    The exponent's binary digits are read from the lowest: ``x`` is squared at each step and
    multiplied into the result when the digit is 1; after every product the extra factor of
    ``base`` is divided out **rounding half up** (``(a * b + base // 2) // base``). So
    ``rpow(duty, seconds, RAY)`` compounds a per-second rate in about ``log2(seconds)`` steps.

    Parameters
    ----------
    x : int
        The base number in fixed point (``RAY`` means 1.0), >= 0.
    n : int
        The exponent (seconds, auction steps), >= 0.
    base : int
        The fixed point's one (``RAY``), >= 1.

    Returns
    -------
    int
        ``x**n / base**(n-1)`` as the contract computes it (``base`` when ``n == 0``).

    Raises
    ------
    ValueError
        If an intermediate product does not fit in 256 bits (the contract reverts).

    Source: makerdao/dss ``src/jug.sol`` and ``src/pot.sol`` ``_rpow`` (assembly);
    ``abaci.sol``'s copy gives the same values. Test vector: ``src/test/jug.t.sol`` ``test_rpow``.
    Notebook 09b.

    >>> rpow(1000000564701133626865910626, 86400, RAY)   # 5 % a day, for a day (dss tests)
    1050000000000000000000016038
    >>> rpow(0, 0, RAY) == RAY, rpow(RAY, 10**9, RAY) == RAY
    (True, True)
    """
    x = _uint("x", x)
    n = _uint("n", n, why="a whole number of periods")
    base = _uint("base", base, lo=1, why="the fixed point's 1.0, e.g. RAY = 10**27")
    if x == 0:
        return base if n == 0 else 0
    z = x if n % 2 else base
    half = base // 2
    n //= 2
    while n:
        xx = x * x
        if xx + half >= _UINT256:
            _overflow("rpow")
        x = (xx + half) // base
        if n % 2:
            zx = z * x
            if zx + half >= _UINT256:
                _overflow("rpow")
            z = (zx + half) // base
        n //= 2
    return z


def drip(rate: int, duty: int, seconds: int) -> int:
    """The rate accumulator after ``seconds`` at a per-second ``duty`` (``Jug.drip``/``Pot.drip``, exact).

    ``rmul(rpow(duty, seconds, RAY), rate)``: the power rounds half up at each step, the final
    multiplication rounds **down**, exactly as ``Jug.drip`` (``_rmul``: ``x * y / ONE``) and
    ``Pot.drip`` do. A vault's debt is ``art * rate``; a DSR deposit is worth ``pie * chi``.

    Parameters
    ----------
    rate : int
        The accumulator now (ray), e.g. ``RAY`` for a new collateral type.
    duty : int
        Per-second factor (ray), ``RAY`` + the per-second fee; see :func:`duty_for_apy`.
    seconds : int
        Seconds since the last drip (``now - rho``).

    Returns
    -------
    int
        The new accumulator (ray).

    Source: makerdao/dss ``src/jug.sol`` ``drip`` and ``src/pot.sol`` ``drip``; vectors from
    ``src/test/jug.t.sol`` (5 % a day: 100 DAI of debt owe 5, 10.25 and 15.7625 DAI of fees
    after 1, 2 and 3 days). Notebook 09b.

    >>> rate = drip(RAY, 1000000564701133626865910626, 86400)   # 5 % a day, one day
    >>> 100 * WAD * (rate - RAY) // RAY                         # fee on 100 DAI, in wad
    5000000000000000000
    """
    rate = _uint("rate", rate)
    duty = _uint("duty", duty)
    seconds = _uint("seconds", seconds, why="time only moves forward")
    grown = rpow(duty, seconds, RAY)
    if grown * rate >= _UINT256:
        _overflow("drip")
    return grown * rate // RAY


def _decimal(name: str, value: Any) -> Decimal:
    if isinstance(value, Decimal):
        return value
    return Decimal(repr(float(number(name, value))))


def duty_for_apy(apy: float, seconds_per_year: int = SECONDS_PER_YEAR) -> int:
    """The per-second rate (ray) that compounds to ``apy`` in a year, rounded down (exact).

    ``floor(RAY * (1 + apy) ** (1 / seconds_per_year))``, computed with 60 significant digits.

    Parameters
    ----------
    apy : float
        Yearly rate as a fraction (0.01 is 1 % a year), > -1.
    seconds_per_year : int
        Seconds in the rate's year (MakerDAO's tables use 365 days = 31,536,000 s).

    Returns
    -------
    int
        The ray ``duty`` (or DSR) to file, e.g. ``1000000000315522921573372069`` for 1 %.

    Notes
    -----
    MakerDAO's executive spells take their rates from a table made with ``bc -l`` at
    ``scale=27``, which truncates ``ln(1 + apy)`` and the division to 27 decimals: its entries
    equal this floor or are one unit (1e-27 per second) below it. For 1 % both agree.
    (makerdao/spells-mainnet ``archive/2023-03-11-DssSpell/test/rates.sol``.)

    Notebook 09b.

    >>> duty_for_apy(0.01)
    1000000000315522921573372069
    >>> duty_for_apy(0.0)
    1000000000000000000000000000
    """
    rate = _decimal("apy", apy)
    if not rate > -1:
        fail("apy", "> -1", apy, "a yearly rate as a fraction: 0.01 is 1 % a year")
    if rate > 1000:
        fail("apy", "<= 1000", apy, "a yearly rate as a fraction: 0.05 is 5 %, not 5")
    seconds_per_year = integer("seconds_per_year", seconds_per_year, lo=1)
    with localcontext() as ctx:
        ctx.prec = 60
        per_second = ((1 + rate).ln() / seconds_per_year).exp() * RAY
        return int(per_second.to_integral_value(rounding=ROUND_FLOOR))


def duty_to_apy(duty: int, seconds_per_year: int = SECONDS_PER_YEAR) -> float:
    """The yearly rate a per-second ray ``duty`` compounds to (a float, for display).

    >>> round(duty_to_apy(1000000000315522921573372069), 12)
    0.01
    """
    duty = _uint("duty", duty, lo=1)
    seconds_per_year = integer("seconds_per_year", seconds_per_year, lo=1)
    with localcontext() as ctx:
        ctx.prec = 60
        return float((Decimal(duty) / RAY) ** seconds_per_year - 1)


# ---------------------------------------------------------------------------------------------
# the auction's price curves (abaci.sol)
# ---------------------------------------------------------------------------------------------

def clip_price_linear(top: int, elapsed: int, tau: int) -> int:
    """Auction price falling in a straight line from ``top`` to 0 in ``tau`` seconds (exact).

    ``LinearDecrease.price``: 0 once ``elapsed >= tau``, else
    ``rmul(top, (tau - elapsed) * RAY // tau)`` (both divisions round down).

    Parameters
    ----------
    top : int
        Starting price (ray, DAI per unit of collateral).
    elapsed : int
        Seconds since the auction started.
    tau : int
        Seconds until the price reaches zero.

    Returns
    -------
    int
        Current price (ray).

    Source: makerdao/dss ``src/abaci.sol`` ``LinearDecrease``; vectors ``src/test/abaci.t.sol``
    ``test_linear_decrease`` (top 1,000, tau 3,600 s: 900 after 360 s). Notebook 09b.

    >>> clip_price_linear(1000 * RAY, 360, 3600) == 900 * RAY
    True
    """
    top = _uint("top", top)
    elapsed = _uint("elapsed", elapsed, why="seconds since the auction started")
    tau = _uint("tau", tau, why="seconds until the price reaches zero")
    if elapsed >= tau:
        return 0
    return rmul(top, (tau - elapsed) * RAY // tau)


def _cut(cut: Any) -> int:
    cut = _uint("cut", cut, why="a ray factor: 0.99 * RAY cuts 1 % per step")
    if cut > RAY:
        fail("cut", "<= RAY (10**27)", cut, "a price curve must not rise; 99 * RAY // 100 cuts 1 %")
    return cut


def clip_price_stairstep(top: int, elapsed: int, step: int, cut: int) -> int:
    """Auction price multiplied by ``cut`` every ``step`` seconds (exact).

    ``StairstepExponentialDecrease.price``: ``rmul(top, rpow(cut, elapsed // step, RAY))``. The
    price stays flat for ``step`` seconds, then drops by the factor ``cut``.

    Parameters
    ----------
    top : int
        Starting price (ray).
    elapsed : int
        Seconds since the auction started.
    step : int
        Seconds between price cuts (ETH-A, March 2023: 90).
    cut : int
        Factor per step (ray, <= RAY): ``99 * RAY // 100`` lowers the price 1 % per step.

    Returns
    -------
    int
        Current price (ray).

    Source: makerdao/dss ``src/abaci.sol`` ``StairstepExponentialDecrease``; vector
    ``src/test/clip.t.sol`` ``test_take_bid_avoids_recalculate_due_no_more_lot`` (top 5, cut
    0.99, step 1: 2735783211953807380973706855 after 60 s). Notebook 09b.

    >>> clip_price_stairstep(5 * RAY, 60, 1, 99 * RAY // 100)
    2735783211953807380973706855
    """
    top = _uint("top", top)
    elapsed = _uint("elapsed", elapsed, why="seconds since the auction started")
    step = _uint("step", step, lo=1, why="seconds between price cuts")
    cut = _cut(cut)
    return rmul(top, rpow(cut, elapsed // step, RAY))


def clip_price_exponential(top: int, elapsed: int, cut: int) -> int:
    """Auction price multiplied by ``cut`` every second (exact).

    ``ExponentialDecrease.price``: ``rmul(top, rpow(cut, elapsed, RAY))``.

    Parameters
    ----------
    top : int
        Starting price (ray).
    elapsed : int
        Seconds since the auction started.
    cut : int
        Factor per second (ray, <= RAY).

    Returns
    -------
    int
        Current price (ray).

    Source: makerdao/dss ``src/abaci.sol`` ``ExponentialDecrease``; ``src/test/abaci.t.sol``
    ``test_continuous_exp_decrease`` (cut 0.999230132966 halves the price every 900 s).
    Notebook 09b.

    >>> clip_price_exponential(4000 * RAY, 900, 999230132966 * 10**15) // RAY
    2000
    """
    top = _uint("top", top)
    elapsed = _uint("elapsed", elapsed, why="seconds since the auction started")
    cut = _cut(cut)
    return rmul(top, rpow(cut, elapsed, RAY))


# ---------------------------------------------------------------------------------------------
# the Peg Stability Module
# ---------------------------------------------------------------------------------------------

def _psm_args(gem_amt, fee, gem_decimals, fee_name):
    gem_amt = _uint("gem_amt", gem_amt, why="an amount of the pegged coin in its smallest unit")
    fee = _uint(fee_name, fee, why="a wad fraction: 10**16 is 1 %")
    if fee > WAD:
        fail(fee_name, "<= WAD (100 %)", fee, "a wad fraction: 10**16 is 1 %")
    gem_decimals = integer("gem_decimals", gem_decimals, lo=0, hi=18, why="USDC has 6 decimals")
    return gem_amt * 10 ** (18 - gem_decimals), fee


def psm_sell_gem(gem_amt: int, tin: int, gem_decimals: int = 6) -> tuple[int, int]:
    """DAI received for selling ``gem_amt`` of a pegged coin (USDC) to the PSM (exact).

    ``DssPsm.sellGem``: the coin is converted to 18 decimals, the fee is
    ``amount18 * tin // WAD`` and the seller gets ``amount18 - fee`` DAI.

    Parameters
    ----------
    gem_amt : int
        Coins sold, in their smallest unit (USDC: 10**6 per coin).
    tin : int
        Fee in (wad fraction: ``10**16`` is 1 %).
    gem_decimals : int
        Decimals of the coin (USDC: 6).

    Returns
    -------
    (int, int)
        DAI received and the fee kept by the protocol, both in wad.

    Source: makerdao/dss-psm ``src/psm.sol``; ``src/tests/psm.t.sol`` ``test_sellGem_fee``
    (100 USDC at tin 1 %: 99 DAI). Notebook 09b.

    >>> psm_sell_gem(100 * 10**6, 10**16)
    (99000000000000000000, 1000000000000000000)
    """
    amount18, tin = _psm_args(gem_amt, tin, gem_decimals, "tin")
    fee = amount18 * tin // WAD
    return amount18 - fee, fee


def psm_buy_gem(gem_amt: int, tout: int, gem_decimals: int = 6) -> tuple[int, int]:
    """DAI paid to buy ``gem_amt`` of a pegged coin (USDC) from the PSM (exact).

    ``DssPsm.buyGem``: the buyer pays ``amount18 + amount18 * tout // WAD`` DAI.

    Returns
    -------
    (int, int)
        DAI paid and the fee, both in wad.

    Source: makerdao/dss-psm ``src/psm.sol``; ``psm.t.sol`` ``test_swap_both_fees`` (40 USDC at
    tout 10 %: 44 DAI). Notebook 09b.

    >>> psm_buy_gem(40 * 10**6, 10 * 10**16)
    (44000000000000000000, 4000000000000000000)
    """
    amount18, tout = _psm_args(gem_amt, tout, gem_decimals, "tout")
    fee = amount18 * tout // WAD
    return amount18 + fee, fee
