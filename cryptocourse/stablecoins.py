"""Stablecoins and MakerDAO vaults: the peg, the stability fee, liquidation auctions, a depeg.

Introduced in ``notebooks/09b_stablecoins_and_maker_vaults.ipynb``.

What is here
------------
- Exact integer math as MakerDAO's contracts do it (``dss``), in **ray** (``RAY = 10**27`` is
  1.0) and **wad** (``WAD = 10**18``): :func:`rpow` (``_rpow``: powers by squaring, rounding half
  up at each step), :func:`rmul`, :func:`drip` (``Jug.drip`` / ``Pot.drip``: the rate
  accumulator after some seconds), :func:`duty_for_apy` (the per-second rate for a yearly fee),
  the auction price curves of ``abaci.sol`` (:func:`clip_price_linear`,
  :func:`clip_price_stairstep`, :func:`clip_price_exponential`) and the Peg Stability Module's
  swaps (:func:`psm_sell_gem`, :func:`psm_buy_gem`).
- :class:`VaultEngine`: one collateral type's vaults, fee, liquidation and auctions, exactly as
  the course contract ``contracts/Vault.vy`` (and dss) compute them; :func:`deploy_vault` puts
  the same thing on the course EVM.
- Dated, sourced parameter snapshots: :data:`ETH_A` (MakerDAO's ETH-A vault type),
  :data:`DSR_2023_03`, :data:`PSM_USDC_A_TIN`, :data:`DEPEG_2023_03` (the USDC depeg).
- Teaching versions in floats (vectorised): :func:`collateralization_ratio`,
  :func:`vault_liquidation_price`, :func:`max_draw`, :func:`liquidation_outcome` (what a keeper
  pays and what the owner gets back), :func:`stableswap_depeg` (a StableSwap pool after
  arbitrageurs have traded a depegged coin into it).

Sources (read 2026-11; snapshots are dated where they are defined):
- makerdao/dss, commit fa4f6630 (May 2022): ``src/jug.sol``, ``pot.sol``, ``abaci.sol``,
  ``dog.sol``, ``clip.sol``, ``spot.sol``, ``vat.sol`` and their tests in ``src/test``.
- makerdao/dss-psm, commit 7d717d88 (Dec 2021): ``src/psm.sol`` and ``src/tests/psm.t.sol``.
- makerdao/spells-mainnet, ``archive/2023-03-11-DssSpell`` (``DssSpell.sol``,
  ``test/config.sol``, ``test/rates.sol``) and ``archive/2023-03-29-DssSpell/DssSpell.sol``.
"""
from __future__ import annotations

import copy
import math
from dataclasses import dataclass
from decimal import ROUND_FLOOR, Decimal, localcontext
from typing import Any, Sequence

import numpy as np

from cryptocourse._validate import choice, fail, integer, number, scalar_out

__all__ = [
    "WAD", "RAY", "RAD", "SECONDS_PER_YEAR", "rmul", "rpow", "drip", "duty_for_apy", "duty_to_apy",
    "clip_price_linear", "clip_price_stairstep", "clip_price_exponential", "psm_sell_gem",
    "psm_buy_gem", "IlkParams", "ETH_A", "DSR_2023_03", "PSM_USDC_A_TIN", "DEPEG_2023_03",
    "collateralization_ratio", "vault_liquidation_price", "max_draw", "AuctionOutcome",
    "liquidation_outcome", "VaultError", "Sale", "VaultEngine", "deploy_vault", "DepegOutcome",
    "stableswap_depeg",
]

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


# ---------------------------------------------------------------------------------------------
# dated snapshots
# ---------------------------------------------------------------------------------------------

CALCS = {"linear": 0, "stairstep": 1, "exponential": 2}


@dataclass(frozen=True)
class IlkParams:
    """One MakerDAO collateral type's parameters, in the contracts' units (ints).

    Fields: ``mat`` liquidation ratio (ray), ``duty`` stability fee per second (ray), ``chop``
    liquidation penalty (wad, 1.13 = 13 %), ``dust`` smallest debt (rad), the Clipper's ``buf``
    (ray), ``tail`` (s), ``cusp`` (ray), ``chip`` (wad), ``tip`` (rad), and the price curve
    ``calc`` (``"linear"``, ``"stairstep"``, ``"exponential"``) with ``tau`` (s), ``step`` (s),
    ``cut`` (ray). ``name``, ``date`` and ``source`` say where the numbers come from.
    """

    name: str
    mat: int
    duty: int
    chop: int
    dust: int
    buf: int
    tail: int
    cusp: int
    chip: int
    tip: int
    calc: str = "stairstep"
    tau: int = 0
    step: int = 90
    cut: int = 99 * RAY // 100
    date: str = ""
    source: str = ""

    @property
    def liquidation_ratio(self) -> float:
        """``mat`` as a float (1.45 = 145 %)."""
        return self.mat / RAY

    @property
    def penalty(self) -> float:
        """``chop - 1`` as a float (0.13 = 13 %)."""
        return self.chop / WAD - 1

    @property
    def fee(self) -> float:
        """The stability fee a year, as a float."""
        return duty_to_apy(self.duty)

    def replace(self, **changes: Any) -> "IlkParams":
        """A copy with some fields changed (``ETH_A.replace(tip=0, chip=0)``)."""
        from dataclasses import replace

        return replace(self, **changes)


#: MakerDAO's ETH-A vault type as the executive spell of 11 March 2023 left it (a snapshot,
#: not live data): liquidation ratio 145 %, stability fee 1.50 % a year, penalty 13 %, dust
#: 7,500 DAI; Clipper buf 110 %, tail 7,200 s, cusp 45 %, chip 0.1 %, tip 250 DAI; price curve
#: StairstepExponentialDecrease with step 90 s and cut 0.99. The duty is the spell table's
#: value for 1.50 % (rates[150]).
ETH_A = IlkParams(
    name="ETH-A (11 March 2023 snapshot)",
    mat=145 * RAY // 100, duty=1000000000472114805215157978, chop=113 * WAD // 100,
    dust=7_500 * RAD, buf=110 * RAY // 100, tail=7_200, cusp=45 * RAY // 100,
    chip=WAD // 1000, tip=250 * RAD, calc="stairstep", tau=0, step=90, cut=99 * RAY // 100,
    date="2023-03-11",
    source="makerdao/spells-mainnet archive/2023-03-11-DssSpell/test/config.sol (ETH-A, afterSpell) "
           "and test/rates.sol (rates[150])",
)

#: The DAI Savings Rate after the spell of 11 March 2023: 1 % a year (``pot_dsr`` 100 bps), as
#: the per-second ray ``dsr`` (rates[100] of the spell's table). A snapshot, not live data.
DSR_2023_03 = {
    "apy": 0.01, "dsr": 1000000000315522921573372069, "date": "2023-03-11",
    "source": "makerdao/spells-mainnet archive/2023-03-11-DssSpell/test/config.sol (pot_dsr = 100) "
              "and test/rates.sol (rates[100])",
}

#: The PSM-USDC-A's fee for selling USDC to it (``tin``, wad) around the USDC depeg: 0 before,
#: 1 % from the emergency spell of 11 March 2023, back to 0 with the spell of 29 March 2023.
PSM_USDC_A_TIN = {
    "before 2023-03-11": 0,
    "2023-03-11": 10**16,
    "2023-03-29": 0,
    "source": "makerdao/spells-mainnet archive/2023-03-11-DssSpell/DssSpell.sol ('Increase PSM-USDC-A "
              "tin from 0% to 1%') and archive/2023-03-29-DssSpell/DssSpell.sol ('Reduce the Fee In "
              "(tin) by 1% from 1% to 0%')",
}

#: The USDC depeg of March 2023 (dated, sourced; prices are the reported lows, which differ by
#: venue by one or two cents).
DEPEG_2023_03 = {
    "date": "2023-03-11",
    "usdc_low": 0.88,
    "dai_low": 0.90,
    "reserves_at_svb_usd": 3.3e9,
    "reserves_usd": 40e9,
    "recovered_by": "2023-03-13",
    "source": "Circle's statement of 11 March 2023 ($3.3 billion of the ~$40 billion of USDC reserves "
              "at Silicon Valley Bank) as reported by The Block, 11 March 2023 (USDC as low as 0.88 "
              "USD; DAI about 0.90 USD, https://www.theblock.co/post/218993); the joint statement of "
              "the US Treasury, Federal Reserve and FDIC of 12 March 2023 (SVB depositors get all "
              "their money on 13 March), after which both coins returned to about 1 USD.",
}


# ---------------------------------------------------------------------------------------------
# teaching versions (floats)
# ---------------------------------------------------------------------------------------------

def collateralization_ratio(collateral: Any, price: Any, debt: Any) -> float | np.ndarray:
    """Collateral value over debt: ``collateral * price / debt`` (``inf`` without debt; floats).

    Parameters
    ----------
    collateral : float or array
        Collateral locked (ETH).
    price : float or array
        Price of the collateral (USD or DAI per ETH).
    debt : float or array
        DAI owed.

    Returns
    -------
    float or array
        The ratio (1.875 is 187.5 %). A vault is liquidated below its liquidation ratio.

    Notebook 09b.

    >>> collateralization_ratio(10.0, 1500.0, 8000.0)
    1.875
    """
    c = number("collateral", collateral, lo=0, why="ETH locked")
    p = number("price", price, lo=0, why="USD per ETH")
    d = number("debt", debt, lo=0, why="DAI owed")
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where(np.asarray(d) > 0, np.asarray(c) * p / np.where(np.asarray(d) > 0, d, 1.0), np.inf)
    return _out(ratio)


def _ratio(name: str, value: Any):
    return number(name, value, lo=1, hi=20,
                  why="a ratio >= 1: write 1.45 for 145 %, not 145 or 0.45")


def vault_liquidation_price(collateral: Any, debt: Any, liquidation_ratio: Any) -> float | np.ndarray:
    """The collateral price at which a vault can be liquidated: ``debt * ratio / collateral`` (floats).

    A vault is safe while ``collateral * price / debt >= liquidation_ratio``; solving the
    equality for the price gives this. (Aave divides by its liquidation threshold instead,
    which is below 1; MakerDAO multiplies by a ratio above 1.)

    Parameters
    ----------
    collateral : float or array
        Collateral locked (ETH, > 0).
    debt : float or array
        DAI owed (fees included).
    liquidation_ratio : float or array
        Minimum collateralisation, >= 1 (ETH-A: 1.45).

    Returns
    -------
    float or array
        Price (DAI per ETH) below which the vault is unsafe.

    Notebook 09b.

    >>> round(vault_liquidation_price(10.0, 8000.0, 1.45), 2)
    1160.0
    """
    c = number("collateral", collateral, lo=0, lo_open=True, why="a vault needs collateral to have a price")
    d = number("debt", debt, lo=0, why="DAI owed")
    r = _ratio("liquidation_ratio", liquidation_ratio)
    return _out(np.asarray(d) * r / c)


def max_draw(collateral: Any, price: Any, liquidation_ratio: Any) -> float | np.ndarray:
    """The most DAI a vault can owe and still be safe: ``collateral * price / ratio`` (floats).

    >>> round(max_draw(10.0, 1500.0, 1.45), 2)
    10344.83
    """
    c = number("collateral", collateral, lo=0, why="ETH locked")
    p = number("price", price, lo=0, why="USD per ETH")
    r = _ratio("liquidation_ratio", liquidation_ratio)
    return _out(np.asarray(c) * p / r)


@dataclass(frozen=True)
class AuctionOutcome:
    """What a liquidation auction did (floats; DAI, ETH, seconds)."""

    tab: float                 # DAI to raise: debt x (1 + penalty)
    top: float                 # starting price (DAI per ETH)
    take_seconds: float        # when the keeper bought (s after the start); nan if never
    take_price: float          # auction price paid (DAI per ETH)
    collateral_sold: float     # ETH bought by the keeper
    dai_raised: float          # DAI the keeper paid
    collateral_returned: float  # ETH the owner gets back
    bad_debt: float            # debt (not penalty) the auction failed to cover, DAI
    owner_loss: float          # owner's equity before minus after, DAI (at the market price)
    penalty_paid: float        # part of the DAI raised that is penalty


def liquidation_outcome(collateral: float, debt: float, market_price: float, penalty: float = 0.13,
                        buf: float = 1.10, step: int = 90, cut: float = 0.99, keeper_margin: float = 0.02,
                        tail: int = 7_200, cusp: float = 0.45) -> AuctionOutcome:
    """Follow a liquidation: the Dutch auction, the keeper's purchase, what the owner keeps (floats).

    *Assumptions:* the oracle price equals ``market_price`` when the vault is barked and the
    market does not move during the auction (minutes); one keeper buys as soon as the auction
    price is ``keeper_margin`` below the market price (its profit after costs), as much as the
    tab needs; the price curve is ``StairstepExponentialDecrease`` (ETH-A: step 90 s, cut 0.99).

    Parameters
    ----------
    collateral : float
        ETH in the vault (> 0).
    debt : float
        DAI owed when barked (fees included, > 0).
    market_price : float
        ETH price (DAI) when barked and during the auction.
    penalty : float
        Liquidation penalty (``chop - 1``): 0.13 is 13 %.
    buf : float
        Starting price over the oracle price (1.10: 10 % above).
    step, cut : int, float
        Seconds between price cuts and the factor per cut.
    keeper_margin : float
        How far below the market a keeper needs the price before buying (0.02 = 2 %).
    tail, cusp : int, float
        The auction needs a reset after ``tail`` seconds or below ``cusp`` x ``top``; a keeper who
        only buys after that never buys here (``take_seconds`` is nan, nothing is sold).

    Returns
    -------
    AuctionOutcome

    Source: the mechanism of makerdao/dss ``dog.sol`` (tab = due x chop) and ``clip.sol``
    (top = price x buf; take); ETH-A's parameters from :data:`ETH_A`. Notebook 09b.

    >>> o = liquidation_outcome(10.0, 10_000.0, 1_300.0)
    >>> round(o.tab, 2), o.take_seconds, round(o.collateral_returned, 4)
    (11300.0, 1080.0, 1.085)
    """
    q = number("collateral", collateral, lo=0, lo_open=True, why="ETH in the vault")
    d = number("debt", debt, lo=0, lo_open=True, why="DAI owed")
    p = number("market_price", market_price, lo=0, lo_open=True, why="DAI per ETH")
    pen = number("penalty", penalty, lo=0, hi=1, why="a fraction: 0.13 is 13 %")
    b = number("buf", buf, lo=0, lo_open=True, why="1.10 starts 10 % above the oracle price")
    step = integer("step", step, lo=1, why="seconds between price cuts")
    c = number("cut", cut, lo=0, hi=1, lo_open=True, hi_open=True, why="0.99 cuts 1 % per step")
    m = number("keeper_margin", keeper_margin, lo=0, hi=1, hi_open=True, why="a fraction: 0.02 is 2 %")
    tail = integer("tail", tail, lo=1)
    cu = number("cusp", cusp, lo=0, hi=1)
    tab = d * (1 + pen)
    top = p * b
    target = p * (1 - m)
    k = max(0, math.ceil(math.log(target / top) / math.log(c) - 1e-12)) if target < top else 0
    seconds = k * step
    price = top * c**k
    if seconds > tail or price / top < cu:
        nan = float("nan")
        return AuctionOutcome(tab, top, nan, nan, 0.0, 0.0, nan, nan, nan, 0.0)
    sold = min(q, tab / price)
    raised = sold * price
    returned = q - sold
    bad = max(d - raised, 0.0)
    loss = (q * p - d) - returned * p
    return AuctionOutcome(tab=tab, top=top, take_seconds=float(seconds), take_price=price,
                          collateral_sold=sold, dai_raised=raised, collateral_returned=returned,
                          bad_debt=bad, owner_loss=loss, penalty_paid=max(raised - d, 0.0))


# ---------------------------------------------------------------------------------------------
# the vault engine (exact; mirrors contracts/Vault.vy)
# ---------------------------------------------------------------------------------------------

class VaultError(ValueError):
    """A call the contract would revert; the message is the contract's reason."""


@dataclass
class Sale:
    """A running auction (the Clipper's ``sales[id]``): tab (rad), lot (wad), usr, tic (s), top (ray)."""

    tab: int
    lot: int
    usr: str
    tic: int
    top: int


class VaultEngine:
    """Vaults of one collateral type, exactly as ``contracts/Vault.vy`` (and dss) keep them.

    A Python twin of the course contract: every method does what the contract's function of the
    same name does, with the same integer arithmetic and the same reasons for refusing, so the
    two agree to the last unit (``tests/test_vault_contract.py`` checks it). Time is
    :attr:`now` (seconds); move it with :meth:`warp`. A refused call raises
    :class:`VaultError` and changes nothing.

    Units (as dss): ETH amounts in wad (1e18), rates and prices in ray (1e27) except
    ``price`` (wad, as the oracle reports it), DAI balances and debts in rad (1e45).

    Parameters
    ----------
    price : int
        The oracle's ETH price (wad DAI per ETH).
    ilk : IlkParams
        The parameters (default :data:`ETH_A`, the March 2023 snapshot).
    now : int
        Starting time (seconds).

    Examples
    --------
    >>> v = VaultEngine(price=1500 * WAD)
    >>> v.lock("alice", 10 * WAD); v.draw("alice", 8_000 * WAD)
    >>> v.warp(365 * 86400); v.drip() > RAY
    True
    >>> round(v.owed("alice") / RAD, 2)   # 8,000 DAI plus 1.5 % for a year
    8120.0

    Source: makerdao/dss (vat, jug, spot, dog, clip, abaci) as in ``contracts/Vault.vy``.
    Notebook 09b.
    """

    def __init__(self, price: int, ilk: IlkParams = ETH_A, now: int = 0) -> None:
        if not isinstance(ilk, IlkParams):
            fail("ilk", "an IlkParams (e.g. ETH_A)", ilk, exc=TypeError)
        self.now = _uint("now", now)
        self.ink: dict[str, int] = {}
        self.art: dict[str, int] = {}
        self.dai: dict[str, int] = {}
        self.gem: dict[str, int] = {}
        self.Art = 0
        self.rate = RAY
        self.debt = 0
        self.vice = 0
        self.surplus = 0
        self.rho = self.now
        self.kicks = 0
        self.sales: dict[int, Sale] = {}
        if ilk.mat < RAY:
            raise VaultError("mat below 100 %")
        if ilk.duty < RAY:
            raise VaultError("duty below 0 %")
        if ilk.chop < WAD:
            raise VaultError("chop below 0 %")
        choice("ilk.calc", ilk.calc, CALCS)
        if ilk.cut > RAY:
            raise VaultError("cut above 1")
        if ilk.calc == "stairstep" and ilk.step == 0:
            raise VaultError("step is zero")
        self.duty, self.mat, self.chop, self.dust = ilk.duty, ilk.mat, ilk.chop, ilk.dust
        self.buf, self.tail, self.cusp, self.chip, self.tip = ilk.buf, ilk.tail, ilk.cusp, ilk.chip, ilk.tip
        self.calc, self.tau, self.step, self.cut = CALCS[ilk.calc], ilk.tau, ilk.step, ilk.cut
        self.ilk = ilk
        self._poke(_uint("price", price))

    def __repr__(self) -> str:
        return (f"<VaultEngine {self.ilk.name}: {len([a for a in self.art.values() if a])} vaults with debt, "
                f"debt {self.debt / RAD:,.2f} DAI, rate {self.rate / RAY:.9f}, price {self.price / WAD:,.2f}>")

    # -- plumbing --------------------------------------------------------------------------
    _STATE = ("ink", "art", "dai", "gem", "Art", "rate", "debt", "vice", "surplus", "rho", "kicks",
              "sales", "duty", "mat", "chop", "dust", "buf", "tail", "cusp", "chip", "tip", "calc", "tau",
              "step", "cut", "price", "spot")

    def _atomic(self, fn, *args):
        saved = {k: copy.deepcopy(getattr(self, k)) for k in self._STATE}
        try:
            return fn(*args)
        except (ValueError, ArithmeticError):
            for k, v in saved.items():
                setattr(self, k, v)
            raise

    @staticmethod
    def _check(ok: bool, reason: str) -> None:
        if not ok:
            raise VaultError(reason)

    @staticmethod
    def _sub(a: int, b: int) -> int:
        if b > a:
            raise VaultError("underflow")
        return a - b

    @staticmethod
    def _w(x: int) -> int:
        if x >= _UINT256:
            raise VaultError("overflow")
        return x

    def warp(self, seconds: int) -> None:
        """Move time forward by ``seconds``."""
        self.now += integer("seconds", seconds, lo=0, why="time only moves forward")

    def _fold(self) -> None:
        self._check(self.now >= self.rho, "invalid now")
        prev = self.rate
        new = drip(prev, self.duty, self.now - self.rho)
        fees = self._w(self.Art * (new - prev))
        self.rate = new
        self.surplus = self._w(self.surplus + fees)
        self.debt = self._w(self.debt + fees)
        self.rho = self.now

    def _poke(self, price: int) -> None:
        self.price = price
        self.spot = self._w(price * BLN * RAY) // self.mat

    def _auction_price(self, top: int, dur: int) -> int:
        if self.calc == 0:
            return clip_price_linear(top, dur, self.tau)
        if self.calc == 1:
            return clip_price_stairstep(top, dur, self.step, self.cut)
        return clip_price_exponential(top, dur, self.cut)

    def _status(self, tic: int, top: int) -> tuple[bool, int]:
        dur = self._sub(self.now, tic)
        price = self._auction_price(top, dur)
        return dur > self.tail or price * RAY // top < self.cusp, price

    def _chost(self) -> int:
        return self.dust * self.chop // WAD

    # -- governance -------------------------------------------------------------------------
    def poke(self, price: int) -> None:
        """The oracle: set ETH's price (wad) and the spot price ``price / mat`` (ray)."""
        self._atomic(self._poke, _uint("price", price))

    def file(self, what: str, data: int) -> None:
        """Change a parameter, as ``Vault.file`` (``"duty"`` drips first)."""
        data = _uint("data", data)

        def run():
            if what == "duty":
                self._check(data >= RAY, "duty below 0 %")
                self._fold()
                self.duty = data
            elif what == "mat":
                self._check(data >= RAY, "mat below 100 %")
                self.mat = data
                self._poke(self.price)
            elif what == "chop":
                self._check(data >= WAD, "chop below 0 %")
                self.chop = data
            elif what in ("dust", "buf", "tail", "cusp", "chip", "tip", "tau"):
                setattr(self, what, data)
            elif what == "calc":
                self._check(data <= 2, "unknown calc")
                self.calc = data
            elif what == "step":
                self._check(data > 0, "step is zero")
                self.step = data
            elif what == "cut":
                self._check(data <= RAY, "cut above 1")
                self.cut = data
            else:
                raise VaultError("unknown parameter")
        self._atomic(run)

    # -- a vault's life -----------------------------------------------------------------------
    def lock(self, usr: str, wad: int) -> None:
        """Lock ``wad`` ETH (wei) in ``usr``'s vault."""
        wad = _uint("wad", wad)
        self._check(wad > 0, "nothing to lock")
        self.ink[usr] = self.ink.get(usr, 0) + wad

    def drip(self) -> int:
        """Bring the rate accumulator up to :attr:`now` (``Jug.drip``); returns the new rate."""
        self._atomic(self._fold)
        return self.rate

    def draw(self, usr: str, wad: int) -> None:
        """``usr`` borrows ``wad`` DAI (wad); normalised debt ``ceil(wad * RAY / rate)``."""
        wad = _uint("wad", wad)

        def run():
            self._check(wad > 0, "nothing to draw")
            self._fold()
            rate = self.rate
            dart = self._w(wad * RAY) // rate
            if dart * rate < wad * RAY:
                dart += 1
            art = self.art.get(usr, 0) + dart
            tab = self._w(art * rate)
            self._check(tab <= self._w(self.ink.get(usr, 0) * self.spot), "not safe")
            self._check(tab >= self.dust, "dust")
            self.art[usr] = art
            self.Art += dart
            self.debt = self._w(self.debt + dart * rate)
            self.dai[usr] = self.dai.get(usr, 0) + wad * RAY
            self.surplus += dart * rate - wad * RAY
        self._atomic(run)

    def wipe(self, usr: str, wad: int) -> None:
        """``usr`` repays up to ``wad`` DAI: ``dart = min(floor(wad * RAY / rate), art)``."""
        wad = _uint("wad", wad)

        def run():
            self._fold()
            rate = self.rate
            dart = min(self._w(wad * RAY) // rate, self.art.get(usr, 0))
            art = self.art.get(usr, 0) - dart
            self._check(art == 0 or art * rate >= self.dust, "dust")
            rad = dart * rate
            self.dai[usr] = self._sub(self.dai.get(usr, 0), rad)
            self.art[usr] = art
            self.Art -= dart
            self.debt = self._sub(self.debt, rad)
        self._atomic(run)

    def free(self, usr: str, wad: int) -> None:
        """Unlock ``wad`` ETH from ``usr``'s vault if it stays safe (it becomes ``gem``)."""
        wad = _uint("wad", wad)

        def run():
            ink = self._sub(self.ink.get(usr, 0), wad)
            self._check(self.art.get(usr, 0) * self.rate <= self._w(ink * self.spot), "not safe")
            self.ink[usr] = ink
            self.gem[usr] = self.gem.get(usr, 0) + wad
        self._atomic(run)

    def exit(self, usr: str, wad: int) -> None:
        """Take ``wad`` of ``usr``'s free ETH out (the contract sends it)."""
        wad = _uint("wad", wad)
        self._atomic(lambda: self.gem.__setitem__(usr, self._sub(self.gem.get(usr, 0), wad)))

    def move(self, src: str, dst: str, rad: int) -> None:
        """Transfer ``rad`` of DAI from ``src`` to ``dst``."""
        rad = _uint("rad", rad)

        def run():
            self.dai[src] = self._sub(self.dai.get(src, 0), rad)
            self.dai[dst] = self.dai.get(dst, 0) + rad
        self._atomic(run)

    # -- liquidation 2.0 ------------------------------------------------------------------------
    def bark(self, usr: str, kpr: str) -> int:
        """Liquidate ``usr``'s unsafe vault (``Dog.bark`` + ``Clipper.kick``); returns the auction id."""
        def run():
            ink, art, rate = self.ink.get(usr, 0), self.art.get(usr, 0), self.rate
            self._check(self.spot > 0 and self._w(ink * self.spot) < self._w(art * rate), "not unsafe")
            self._check(ink > 0, "null auction")
            self.ink[usr] = 0
            self.art[usr] = 0
            self.Art -= art
            due = art * rate
            self.vice += due
            tab = self._w(due * self.chop) // WAD
            self.kicks += 1
            top = rmul(self._w(self.price * BLN), self.buf)
            self._check(top > 0, "zero top price")
            self.sales[self.kicks] = Sale(tab=tab, lot=ink, usr=usr, tic=self.now, top=top)
            if self.tip > 0 or self.chip > 0:
                coin = self.tip + self._w(tab * self.chip) // WAD
                self.dai[kpr] = self.dai.get(kpr, 0) + coin
                self.vice += coin
                self.debt += coin
            return self.kicks
        return self._atomic(run)

    def get_status(self, id: int) -> tuple[bool, int, int, int]:
        """``(needs_redo, price (ray), lot (wad), tab (rad))`` of auction ``id``."""
        sale = self.sales.get(id)
        if sale is None:
            return False, 0, 0, 0
        done, price = self._status(sale.tic, sale.top)
        return done, price, sale.lot, sale.tab

    def take(self, id: int, amt: int, max_price: int, who: str, sender: str) -> None:
        """``sender`` buys up to ``amt`` ETH of auction ``id`` at no more than ``max_price`` (ray).

        ``who`` receives the ETH (as ``gem``); the owner gets what is left once the tab is raised.
        """
        amt = _uint("amt", amt)
        max_price = _uint("max_price", max_price)

        def run():
            sale = self.sales.get(id)
            self._check(sale is not None, "not running")
            done, price = self._status(sale.tic, sale.top)
            self._check(not done, "needs redo")
            self._check(max_price >= price, "too expensive")
            lot, tab = sale.lot, sale.tab
            sold = min(lot, amt)
            owe = self._w(sold * price)
            if owe > tab:
                owe = tab
                sold = owe // price
            elif owe < tab and sold < lot:
                chost = self._chost()
                if tab - owe < chost:
                    self._check(tab > chost, "no partial purchase")
                    owe = tab - chost
                    sold = owe // price
            tab -= owe
            lot -= sold
            self.gem[who] = self.gem.get(who, 0) + sold
            self.dai[sender] = self._sub(self.dai.get(sender, 0), owe)
            self.surplus += owe
            if lot == 0:
                del self.sales[id]
            elif tab == 0:
                self.gem[sale.usr] = self.gem.get(sale.usr, 0) + lot
                del self.sales[id]
            else:
                sale.tab, sale.lot = tab, lot
        self._atomic(run)

    def redo(self, id: int, kpr: str) -> None:
        """Restart auction ``id`` from today's price once it needs a reset."""
        def run():
            sale = self.sales.get(id)
            self._check(sale is not None, "not running")
            done, _ = self._status(sale.tic, sale.top)
            self._check(done, "cannot reset")
            feed = self.price * BLN
            top = rmul(feed, self.buf)
            self._check(top > 0, "zero top price")
            sale.tic, sale.top = self.now, top
            if self.tip > 0 or self.chip > 0:
                chost = self._chost()
                if sale.tab >= chost and sale.lot * feed >= chost:
                    coin = self.tip + sale.tab * self.chip // WAD
                    self.dai[kpr] = self.dai.get(kpr, 0) + coin
                    self.vice += coin
                    self.debt += coin
        self._atomic(run)

    def owed(self, usr: str) -> int:
        """What ``usr``'s vault owes at the last drip (rad): ``art * rate``."""
        return self.art.get(usr, 0) * self.rate


def deploy_vault(price: int, ilk: IlkParams = ETH_A, sender: str | None = None):
    """Deploy ``contracts/Vault.vy`` on the current course chain with ``ilk``'s parameters.

    Parameters
    ----------
    price : int
        The oracle's ETH price (wad DAI per ETH).
    ilk : IlkParams
        Parameters (default :data:`ETH_A`).
    sender : str, optional
        Deployer, who becomes ``governance`` (sets the price and parameters).

    Returns
    -------
    titanoboa contract
        Call ``vault.lock(value=..., sender=...)``, ``vault.draw(wad, sender=...)`` ...

    A :class:`VaultEngine` built with the same ``price``, ``ilk`` and ``now=chain.now()`` follows
    it to the last unit. Notebook 09b.
    """
    from cryptocourse import chain

    if not isinstance(ilk, IlkParams):
        fail("ilk", "an IlkParams (e.g. ETH_A)", ilk, exc=TypeError)
    price = _uint("price", price)
    choice("ilk.calc", ilk.calc, CALCS)
    return chain.deploy("Vault", price, ilk.mat, ilk.duty, ilk.chop, ilk.dust, ilk.buf, ilk.tail, ilk.cusp,
                        ilk.chip, ilk.tip, CALCS[ilk.calc], ilk.tau, ilk.step, ilk.cut, sender=sender)


# ---------------------------------------------------------------------------------------------
# a depeg in a StableSwap pool
# ---------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class DepegOutcome:
    """A StableSwap pool before and after arbitrageurs trade a depegged coin into it (floats)."""

    balances_before: tuple     # (depegged coin, good coin), tokens
    balances_after: tuple
    sold_in: float             # depegged coins the arbitrageurs sold to the pool
    bought_out: float          # good coins they took out
    average_price: float       # good coins per depegged coin they got
    lp_value_at_par: float     # pool value if both coins are worth 1 USD (before)
    lp_value_after: float      # pool value after, at the market price of the depegged coin
    hodl_value: float          # the LP's deposit, kept as coins, at that market price
    depegged_share: float      # share of the depegged coin in the pool after (by count)


def stableswap_depeg(balances: Sequence[float], amp: float, market_price: float,
                     fee: float = 0.0004) -> DepegOutcome:
    """Arbitrage a 2-coin StableSwap pool after coin 0 depegs to ``market_price`` (floats).

    *Assumptions:* coin 1 keeps its peg (1 USD); coin 0 trades at ``market_price`` USD elsewhere;
    arbitrageurs sell coin 0 to the pool while the pool pays more than the market for it (the
    marginal price after the fee is above ``market_price``), which is their profit; the fee
    stays in the pool.

    Parameters
    ----------
    balances : list of 2 floats
        Pool balances (depegged coin, good coin), tokens.
    amp : float
        Curve's A (as ``cryptocourse.amm``).
    market_price : float
        USD price of coin 0 (in (0, 1]).
    fee : float
        Swap fee as a fraction of the output (0.0004 = 0.04 %).

    Returns
    -------
    DepegOutcome

    Uses :func:`cryptocourse.amm.stableswap_get_y`, :func:`~cryptocourse.amm.stableswap_spot_price`
    and :func:`~cryptocourse.amm.stableswap_get_dy`. Notebook 09b (and notebook 07's StableSwap).

    >>> o = stableswap_depeg([1e6, 1e6], 2000, 0.88)
    >>> round(o.depegged_share, 3), round(o.average_price, 3)
    (0.978, 0.994)
    """
    from cryptocourse import amm

    b = number("balances", balances, lo=0, lo_open=True, why="a pool holds positive balances")
    if np.ndim(b) != 1 or len(b) != 2:
        fail("balances", "two balances (depegged coin, good coin)", balances)
    x0, y0 = float(b[0]), float(b[1])
    A = number("amp", amp, lo=0, lo_open=True, why="Curve's A, e.g. 100-2000 for stablecoins")
    p = number("market_price", market_price, lo=0, hi=1, lo_open=True,
               why="the depegged coin's USD price, below 1")
    f = number("fee", fee, lo=0, hi=0.5, hi_open=True, why="a fraction of the output: 0.0004 is 0.04 %")

    def marginal(x: float) -> float:
        y = amm.stableswap_get_y(0, 1, x, [x0, y0], A)
        return amm.stableswap_spot_price(0, 1, [x, y], A) * (1 - f)

    if marginal(x0) <= p:   # the pool already pays no more than the market: no trade
        dx = 0.0
    else:
        lo, hi = x0, 2 * x0
        while marginal(hi) > p:
            lo, hi = hi, 2 * hi
        for _ in range(200):
            mid = 0.5 * (lo + hi)
            lo, hi = (mid, hi) if marginal(mid) > p else (lo, mid)
            if hi - lo <= 1e-12 * hi:
                break
        dx = lo - x0
    dy = amm.stableswap_get_dy(0, 1, dx, [x0, y0], A, fee=f) if dx > 0 else 0.0
    after = (x0 + dx, y0 - dy)
    return DepegOutcome(
        balances_before=(x0, y0), balances_after=after, sold_in=dx, bought_out=dy,
        average_price=dy / dx if dx > 0 else float("nan"), lp_value_at_par=x0 + y0,
        lp_value_after=after[0] * p + after[1], hodl_value=x0 * p + y0,
        depegged_share=after[0] / (after[0] + after[1]))
