"""One collateral type's dated parameters, and a vault's collateralisation, liquidation price and
liquidation outcome (floats, for teaching)."""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from cryptocourse._validate import integer, number

from .dss_math import RAD, RAY, WAD, _out, duty_to_apy

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
