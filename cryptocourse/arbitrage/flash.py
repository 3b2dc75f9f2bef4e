"""Exact (integer, wei) arbitrage against Uniswap V2 pairs, with and without an Aave V3 flash loan; the EVM lab."""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, NamedTuple

from ._common import _UINT112_MAX, _UINT256_MAX
from .._validate import fail, integer

# --------------------------------------------------------------------------- exact


def profit_maximizing_trade(
    true_price_a: int,
    true_price_b: int,
    reserve_a: int,
    reserve_b: int,
    fee_bps: int = 30,
) -> tuple[bool, int]:
    """Direction and size of the trade that moves a Uniswap V2 pair to the true price (exact, wei).

    Integer math exactly as Uniswap V2's ``computeProfitMaximizingTrade``:
    with k = reserve_a * reserve_b and gamma = 1 - fee,
    ``amount_in = floor(sqrt(floor(k * p_in / (gamma * p_out)))) - floor(r_in / gamma)``,
    where ``p_in, p_out`` are the true prices of the token sold and bought.
    The true price is a ratio: ``true_price_a`` units of A are worth ``true_price_b``
    units of B (Uniswap's test "1:90" means 1 A = 90 B). After the trade the pool's
    marginal rate (B returned per extra wei of A sold) equals the true price; the next trade's rate,
    after the fee, is at or below it, so no further trade pays.

    Parameters
    ----------
    true_price_a, true_price_b : int
        The true exchange ratio A : B (both >= 1).
    reserve_a, reserve_b : int
        The pair's reserves in wei (1 to 2**112 - 1, as the pair stores them).
    fee_bps : int, default 30
        Swap fee in basis points (30 = 0.30 %, Uniswap V2's 997/1000).

    Returns
    -------
    (bool, int)
        ``a_to_b`` (True: sell A for B; False: sell B for A) and ``amount_in`` in wei
        of the token sold; ``(False, 0)`` when the gap is inside the fee (no trade pays).

    Examples
    --------
    >>> profit_maximizing_trade(1, 90, 10 * 10**18, 1000 * 10**18)
    (True, 526682316179835569)
    >>> profit_maximizing_trade(1, 110, 10 * 10**18, 1000 * 10**18)
    (False, 47376582963642643588)

    Source: Uniswap/v2-periphery, contracts/libraries/UniswapV2LiquidityMathLibrary.sol
    (``computeProfitMaximizingTrade``; also contracts/examples/ExampleSwapToPrice.sol),
    https://github.com/Uniswap/v2-periphery (master, read 2026-11-25); the examples are the
    numbers of test/ExampleSwapToPrice.spec.ts. ``FullMath.mulDiv`` is an exact floor
    division and ``Babylonian.sqrt`` a floor square root (``math.isqrt``). Notebook 11.
    """
    why_p = "a true price is a positive ratio of whole numbers (Uniswap reverts with ZERO_PRICE)"
    pa = integer("true_price_a", true_price_a, lo=1, hi=_UINT256_MAX // 10_000, why=why_p)
    pb = integer("true_price_b", true_price_b, lo=1, hi=_UINT256_MAX // 10_000, why=why_p)
    why_r = "a Uniswap V2 pair stores reserves as uint112 and an empty pool has no price"
    ra = integer("reserve_a", reserve_a, lo=1, hi=_UINT112_MAX, why=why_r)
    rb = integer("reserve_b", reserve_b, lo=1, hi=_UINT112_MAX, why=why_r)
    fee = integer("fee_bps", fee_bps, lo=0, hi=9_999, why="basis points: 30 means 0.30 %")
    denom = 10_000 - fee  # 9970 for 30 bps; 10000/9970 == 1000/997, so results match exactly
    a_to_b = (ra * pb) // rb < pa
    p_in, p_out = (pa, pb) if a_to_b else (pb, pa)
    r_in = ra if a_to_b else rb
    left = math.isqrt((ra * rb * 10_000 * p_in) // (p_out * denom))
    right = (r_in * 10_000) // denom
    if left < right:
        return False, 0
    return a_to_b, left - right


# --------------------------------------------------------------------------- flash loans (exact)

_PERCENTAGE_FACTOR = 10_000  # Aave's PercentageMath: basis points


_ROUNDINGS = {"up": "Aave V3.5 and later (percentMulCeil)", "half_up": "Aave V3.0 to V3.4 (percentMul)"}


def _rounding(rounding: str) -> str:
    if rounding not in _ROUNDINGS:
        fail("rounding", " or ".join(repr(k) for k in _ROUNDINGS), rounding,
             "; ".join(f"{k!r}: {v}" for k, v in _ROUNDINGS.items()), ValueError)
    return rounding


def flash_loan_premium(amount: int, premium_bps: int = 5, rounding: str = "up") -> int:
    """The fee on a flash loan of ``amount`` wei, exactly as Aave V3 computes it.

    ``premium = amount * premium_bps / 10_000`` in whole wei, rounded **up** since Aave
    v3.5 (2025: ``percentMulCeil``, the default here) and rounded **half up** in Aave v3.0 to
    v3.4 (``percentMul``; ``rounding="half_up"``). The premium is a governance
    parameter: today's deployment scripts (aave-v3-origin, ``DefaultMarketInput.sol``) set 5 basis
    points (0.05 %), the original aave-v3-core initialised 9, as Aave V2 charged (0.09 %); read
    ``FLASHLOAN_PREMIUM_TOTAL`` on the live pool.

    Parameters
    ----------
    amount : int
        Amount borrowed, in wei (>= 0).
    premium_bps : int, default 5
        The premium in basis points (0 to 9,999).
    rounding : {"up", "half_up"}, default "up"
        ``"up"``: Aave v3.5 and later; ``"half_up"``: Aave v3.0 to v3.4.

    Returns
    -------
    int
        The premium in wei; the borrower repays ``amount + premium``.

    Examples
    --------
    >>> flash_loan_premium(1_000_000 * 10**18)          # 0.05 % of a million tokens
    500000000000000000000
    >>> flash_loan_premium(999), flash_loan_premium(1_000), flash_loan_premium(1_001)  # 0.4995 wei and up: 1
    (1, 1, 1)
    >>> flash_loan_premium(999, rounding="half_up"), flash_loan_premium(2_100, rounding="half_up")
    (0, 1)

    Source: aave-dao/aave-v3-origin, src/contracts/protocol/libraries/logic/FlashLoanLogic.sol
    (``executeFlashLoanSimple``: ``params.amount.percentMulCeil(params.flashLoanPremium)`` from
    tag v3.5.0, 2025-08-07; ``percentMul`` up to v3.4.0) and .../math/PercentageMath.sol (read
    2026-12-04); the 0.05 % default from Aave's deployment configuration and developer documentation,
    "Flash Loans" (read 2026-12-03). The course contract ``contracts/FlashLender.vy`` rounds up like
    the current code. Notebook 11.
    """
    a = integer("amount", amount, lo=0, hi=_UINT256_MAX // _PERCENTAGE_FACTOR,
                why="wei borrowed (a whole number)")
    bps = integer("premium_bps", premium_bps, lo=0, hi=_PERCENTAGE_FACTOR - 1,
                  why="basis points: 5 means 0.05 %")
    if _rounding(rounding) == "up":
        return -(-(a * bps) // _PERCENTAGE_FACTOR)
    return (a * bps + _PERCENTAGE_FACTOR // 2) // _PERCENTAGE_FACTOR


class FlashArbitrage(NamedTuple):
    """Result of :func:`flash_arbitrage_profit` (all in wei)."""

    borrowed: int
    """B borrowed and spent in the cheap pool."""
    bought: int
    """A bought in the cheap pool and sold in the dear one."""
    returned: int
    """B received from the dear pool."""
    premium: int
    """The flash loan's fee."""
    profit: int
    """returned - borrowed - premium (negative: the transaction would revert)."""


def _pair(name: str, reserves: tuple[int, int]) -> tuple[int, int]:
    if isinstance(reserves, (str, bytes)) or not hasattr(reserves, "__len__") or len(reserves) != 2:
        fail(name, "a pair (reserve_a, reserve_b) of ints", reserves, "a pool's two reserves in wei", TypeError)
    why = "a Uniswap V2 pair stores reserves as uint112 and an empty pool has no price"
    return (integer(f"{name}[0]", reserves[0], lo=1, hi=_UINT112_MAX, why=why),
            integer(f"{name}[1]", reserves[1], lo=1, hi=_UINT112_MAX, why=why))


def flash_arbitrage_profit(borrowed: int, reserves_buy: tuple[int, int], reserves_sell: tuple[int, int], fee_bps: int = 30,
                           premium_bps: int = 5, rounding: str = "up") -> FlashArbitrage:
    """Exact result of a flash-loan arbitrage between two Uniswap V2 pools (integers, wei).

    Borrow ``borrowed`` of token B, buy A with it in the pool where A is cheap, sell that A
    in the pool where it is dear, repay the loan plus :func:`flash_loan_premium`. Each swap
    is :func:`cryptocourse.amm.get_amount_out` on the pool's reserves, as the contract
    ``contracts/FlashArbitrage.vy`` computes it, so the profit equals the contract's to the wei.

    Parameters
    ----------
    borrowed : int
        B borrowed, in wei (>= 1).
    reserves_buy, reserves_sell : (int, int)
        ``(reserve_a, reserve_b)`` of the pool where A is bought and of the one where it is sold.
    fee_bps : int, default 30
        Each pool's swap fee in basis points (Uniswap V2: 30).
    premium_bps : int, default 5
        The flash loan's premium in basis points (Aave V3's default: 5).
    rounding : {"up", "half_up"}, default "up"
        How the premium is rounded to whole wei (see :func:`flash_loan_premium`).

    Returns
    -------
    FlashArbitrage
        ``borrowed``, ``bought``, ``returned``, ``premium``, ``profit`` (wei; negative profit:
        the contract reverts with "unprofitable").

    Examples
    --------
    >>> E18 = 10**18
    >>> cheap, dear = (125 * E18, 5_000_000 * E18), (125 * E18, 5_050_000 * E18)   # 40,000 vs 40,400
    >>> r = flash_arbitrage_profit(4_000 * E18, cheap, dear)
    >>> r.premium, r.profit                          # 2 tokens of premium, 7.41 tokens of profit
    (2000000000000000000, 7410142657022832910)

    Source: Uniswap/v2-periphery ``UniswapV2Library.getAmountOut`` and Aave V3's premium
    (see :func:`flash_loan_premium`). Notebook 11.
    """
    from ..amm import get_amount_out

    b = integer("borrowed", borrowed, lo=1, hi=_UINT112_MAX, why="wei of token B borrowed")
    ra1, rb1 = _pair("reserves_buy", reserves_buy)
    ra2, rb2 = _pair("reserves_sell", reserves_sell)
    fee = integer("fee_bps", fee_bps, lo=0, hi=9_999, why="basis points: 30 means 0.30 %")
    bought = get_amount_out(b, rb1, ra1, fee)
    returned = get_amount_out(bought, ra2, rb2, fee) if bought > 0 else 0
    premium = flash_loan_premium(b, premium_bps, rounding)
    return FlashArbitrage(b, bought, returned, premium, returned - b - premium)


def optimal_flash_amount(reserves_buy: tuple[int, int], reserves_sell: tuple[int, int], fee_bps: int = 30,
                         premium_bps: int = 5, rounding: str = "up") -> int:
    """The loan (wei of B) that maximises a flash-loan arbitrage's profit; 0 when none pays.

    The two swaps compose to ``out(b) = P*b / (Q + R*b)`` (see :func:`two_pool_arbitrage`);
    the loan costs ``b * (1 + p)`` with p the premium, so the best size solves
    ``out'(b) = 1 + p``: ``b* = (sqrt(P*Q / (1 + p)) - Q) / R``, rounded down to a whole wei.
    It is computed in floats: the exact best loan can differ by a few parts in 10**15. The
    profit is flat there, but the swaps round to whole wei, so the best whole-wei loan nearby can
    earn a few tens of thousands of wei more (about 3e-14 USD on the lesson's pools).

    Parameters
    ----------
    reserves_buy, reserves_sell : (int, int)
        ``(reserve_a, reserve_b)`` of the pool where A is bought and of the one where it is sold.
    fee_bps : int, default 30
        Each pool's swap fee in basis points.
    premium_bps : int, default 5
        The flash loan's premium in basis points.
    rounding : {"up", "half_up"}, default "up"
        How the premium is rounded to whole wei (see :func:`flash_loan_premium`).

    Returns
    -------
    int
        Wei of B to borrow (0 if even the best size loses money).

    Examples
    --------
    >>> E18 = 10**18
    >>> b = optimal_flash_amount((125 * E18, 5_000_000 * E18), (125 * E18, 5_050_000 * E18))
    >>> b
    4324943211469698760704
    >>> optimal_flash_amount((125 * E18, 5_000_000 * E18), (125 * E18, 5_012_500 * E18))  # 40,100
    0

    Source: derived from two Uniswap V2 swaps (notebook 11).
    """
    ra1, rb1 = _pair("reserves_buy", reserves_buy)
    ra2, rb2 = _pair("reserves_sell", reserves_sell)
    fee = integer("fee_bps", fee_bps, lo=0, hi=9_999, why="basis points: 30 means 0.30 %")
    bps = integer("premium_bps", premium_bps, lo=0, hi=_PERCENTAGE_FACTOR - 1, why="basis points: 5 means 0.05 %")
    rounding = _rounding(rounding)
    g = (10_000 - fee) / 10_000
    x1, y1, x2, y2 = float(ra1), float(rb1), float(ra2), float(rb2)
    big_p, big_q, big_r = g * g * x1 * y2, x2 * y1, g * (x2 + g * x1)
    best = (math.sqrt(big_p * big_q / (1.0 + bps / 10_000)) - big_q) / big_r
    if best < 1.0:
        return 0
    amount = min(int(best), _UINT112_MAX)
    return amount if flash_arbitrage_profit(amount, (ra1, rb1), (ra2, rb2), fee, bps, rounding).profit > 0 else 0


# --------------------------------------------------------------------------- the lab on the course EVM


@dataclass
class FlashLab:
    """Notebook 11's flash-loan arbitrage on the course EVM (built by :func:`deploy_flash_arbitrage`).

    Both pools hold ``coin`` as token0 and ``usd`` as token1 (Uniswap V2 orders its tokens by
    address; the lab keeps this order so reserves read as (coin, usd)).
    """

    coin: Any
    """ArbToken: the traded coin (token A)."""
    usd: Any
    """ArbToken: the dollar token (token B), also what the lender lends."""
    cheap: Any
    """ArbPair where the coin is cheap (bought)."""
    dear: Any
    """ArbPair where the coin is dear (sold)."""
    lender: Any
    """FlashLender holding dollar tokens."""
    executor: Any
    """FlashArbitrage, owned by ``bot``."""
    bot: str
    """The arbitrageur's address: it sends the transaction and receives the profit."""

    def reserves(self, pool: Any) -> tuple[int, int]:
        """``(coin, usd)`` reserves of ``pool`` (``lab.cheap`` or ``lab.dear``), in wei."""
        r0, r1 = pool.get_reserves()
        return int(r0), int(r1)

    def run(self, amount: int, min_profit: int = 0) -> Any:
        """Send the one arbitrage transaction from the bot; a :class:`cryptocourse.chain.CallResult`.

        Equivalent to ``lab.executor.run(lab.usd, lab.cheap, lab.dear, amount, min_profit,
        sender=lab.bot)``, but a revert comes back as ``ok=False`` with its reason and gas.
        """
        from .. import chain

        amount = integer("amount", amount, lo=1, why="wei of dollar tokens to borrow")
        min_profit = integer("min_profit", min_profit, lo=0, why="wei the bot insists on keeping")
        return chain.try_call(self.executor.run, self.usd.address, self.cheap.address, self.dear.address,
                              amount, min_profit, sender=self.bot)


def deploy_flash_arbitrage(cheap: tuple[int, int] = (125 * 10**18, 5_000_000 * 10**18),
                           dear: tuple[int, int] = (125 * 10**18, 5_050_000 * 10**18),
                           lender_cash: int = 10_000_000 * 10**18, premium_bps: int = 5, seed: int = 2026) -> FlashLab:
    """Start a fresh course chain with two pools, a flash lender and an arbitrage contract.

    Deploys two :file:`ArbToken` (coin and usd, 18 decimals), two :file:`ArbPair` pools
    funded with ``cheap`` and ``dear`` reserves, a :file:`FlashLender` holding ``lender_cash``
    usd that charges ``premium_bps``, and a :file:`FlashArbitrage` contract owned by a
    fresh ``bot`` account that holds no tokens at all.

    Parameters
    ----------
    cheap, dear : (int, int)
        ``(coin, usd)`` reserves in wei of the pool where the coin is cheap and where it is dear.
        The defaults are notebook 11's pools (sections 6-7): 10M USD each, the coin at 40,000
        and 40,400 USD.
    lender_cash : int, default 10M tokens
        Dollar tokens (wei) the lender can lend.
    premium_bps : int, default 5
        The lender's premium in basis points (Aave V3's default, 0.05 %).
    seed : int, default 2026
        Seeds the chain's addresses (:func:`cryptocourse.chain.new_chain`).

    Returns
    -------
    FlashLab
        The contracts and the bot's address.

    Examples
    --------
    >>> lab = deploy_flash_arbitrage()
    >>> lab.reserves(lab.cheap), lab.usd.balanceOf(lab.bot)
    ((125000000000000000000, 5000000000000000000000000), 0)

    Source: the contracts in ``cryptocourse/contracts`` (ArbToken, ArbPair, FlashLender,
    FlashArbitrage). Notebook 11.
    """
    from .. import chain

    cheap = _pair("cheap", cheap)
    dear = _pair("dear", dear)
    cash = integer("lender_cash", lender_cash, lo=0, hi=_UINT112_MAX, why="wei of dollar tokens")
    bps = integer("premium_bps", premium_bps, lo=0, hi=_PERCENTAGE_FACTOR - 1, why="basis points: 5 means 0.05 %")
    chain.new_chain(seed=integer("seed", seed, lo=0))
    deployer, bot = chain.accounts(2, names=["deployer", "bot"])
    coin = chain.deploy("ArbToken", "Lab Bitcoin", "lBTC", sender=deployer)
    usd = chain.deploy("ArbToken", "Lab Dollar", "lUSD", sender=deployer)
    pools = []
    for reserve_coin, reserve_usd in (cheap, dear):
        pool = chain.deploy("ArbPair", coin.address, usd.address, sender=deployer)
        coin.mint(pool.address, reserve_coin, sender=deployer)
        usd.mint(pool.address, reserve_usd, sender=deployer)
        pool.sync(sender=deployer)
        pools.append(pool)
    lender = chain.deploy("FlashLender", bps, sender=deployer)
    if cash:
        usd.mint(lender.address, cash, sender=deployer)
    executor = chain.deploy("FlashArbitrage", lender.address, sender=bot)
    return FlashLab(coin=coin, usd=usd, cheap=pools[0], dear=pools[1], lender=lender, executor=executor, bot=bot)
