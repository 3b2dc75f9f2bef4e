"""The course glossary: every term a learner meets, defined once in plain words.

``notebooks/glossary.ipynb`` is generated from :data:`TERMS` (``python -m cryptocourse.glossary
--write``; a test fails when it is stale). Lessons define a term in bold where they first use it,
or link it here: ``[TVL](glossary.ipynb#TVL)``. The anchor of a term is its name with spaces
replaced by ``-``, as JupyterLab names heading anchors.

>>> term("tvl").name
'TVL'
>>> term("TVL").anchor
'TVL'
>>> term("flash loan").link()
'glossary.ipynb#flash-loan'
"""
from __future__ import annotations

import argparse
import re
from dataclasses import dataclass
from pathlib import Path

__all__ = ["Term", "TERMS", "term", "define", "glossary_notebook", "first_uses", "link_first_uses"]


@dataclass(frozen=True)
class Term:
    """One glossary entry. ``pattern`` finds the term in prose (case-insensitive regex)."""

    name: str
    definition: str
    pattern: str = ""
    see: str = ""          # the lesson that teaches it in depth, e.g. "07"

    @property
    def anchor(self) -> str:
        return self.name.replace(" ", "-")

    def link(self, prefix: str = "") -> str:
        """The link to this entry from a notebook in ``notebooks/`` (``prefix="../notebooks/"`` elsewhere)."""
        return f"{prefix}glossary.ipynb#{self.anchor}"

    @property
    def regex(self) -> re.Pattern:
        body = self.pattern or re.escape(self.name)
        flags = 0 if self.pattern.startswith("(?-i)") or self.name.isupper() else re.I
        return re.compile(rf"(?<![\w-])(?:{body.removeprefix('(?-i)')})(?![\w-])", flags)


def _t(name: str, definition: str, pattern: str = "", see: str = "") -> Term:
    return Term(name, " ".join(definition.split()), pattern, see)


TERMS: tuple[Term, ...] = (
    # -- money and statistics --------------------------------------------------------------
    _t("APR", """Annual percentage rate: the yearly interest rate before compounding. 5 % APR paid
       monthly is 5/12 % a month.""", see="01"),
    _t("APY", """Annual percentage yield: what a year of compounding at a given APR really earns.
       5 % APR compounded monthly is an APY of about 5.12 %.""", see="01"),
    _t("compounding", """Earning interest on earlier interest: each period's income is added to the
       balance and earns too.""", pattern=r"compound(?:ing|ed)|compounds", see="01"),
    _t("nominal yield", """The yield as advertised, counted in the token itself, before accounting for the
       growth of the token supply or of prices.""", pattern=r"nominal(?: yield)?", see="01"),
    _t("real yield", """What a yield is worth after inflation: (1 + nominal) / (1 + inflation) - 1. If
       your tokens grow 5 % while the supply grows 4 %, your share grows about 0.96 %.""", see="01"),
    _t("inflation", """Growth of a token's total supply (or of prices): new tokens dilute existing
       holders.""", see="01"),
    _t("break-even size", """The smallest position for which a strategy's income covers its fixed costs
       (gas, fees).""", see="01"),
    _t("volatility", """How much a price moves: the standard deviation of its log returns, usually
       annualised (x sqrt(365) for daily returns). The course uses 70-80 % a year for
       ETH.""", see="01"),
    _t("log return", """ln(P_end / P_start): returns that add up over time. A 10 % gain is a log return
       of 0.0953.""", pattern=r"log[- ]returns?", see="01"),
    _t("basis point", """One hundredth of a percent (0.01 %); 30 bp = 0.3 %.""",
       pattern=r"basis points?|bps?", see="05"),
    _t("percentage point", """The difference between two percentages: from 5 % to 7 % is 2 percentage
       points, but a 40 % increase.""", pattern=r"percentage points?", see="01"),
    _t("confidence interval", """A range that, over many repetitions of a simulation or study, contains the
       true value with the stated probability (95 % is common: roughly +/- 2 standard errors).""",
       pattern=r"confidence intervals?|95 % interval", see="10"),
    _t("bootstrap", """Estimating the uncertainty of a statistic (such as a percentile) by recomputing it
       on many resamples, drawn with replacement, of the simulated outcomes.""", see="13"),
    _t("percentile", """The value below which a given share of outcomes fall: the 5th percentile is
       beaten by 95 % of outcomes.""", pattern=r"percentiles?", see="01"),
    _t("median", """The middle outcome: half the outcomes are below it, half above.""", see="01"),
    _t("standard error", """The typical size of an estimate's error: how far it would move if the data or
       the simulation were redone (another seed). For an average it is the standard
       deviation divided by the square root of the number of paths; other estimates (a
       volatility, a percentile) have their own formula or a bootstrap. About ±2
       standard errors is a rough 95 % range.""", pattern=r"standard errors?", see="08"),
    _t("Monte Carlo", """Estimating a quantity by simulating many random scenarios (paths) and averaging:
       the estimate is uncertain by its standard error.""", pattern=r"monte[- ]carlo", see="05"),
    _t("seed", """The number that starts a random-number generator: the same seed gives the same
       "random" paths, so results can be reproduced.""", pattern=r"seeds?|seeded", see="00"),
    _t("drift", """The expected growth rate of a simulated price, per year, compounded continuously: on
       average the price after t years is its start times e^(drift × t) (a drift of 40 % is an expected
       gain of about 49 % in a year). Zero drift means the average price stays where it started; since a
       few paths soar, more than half of them end lower.""", see="08"),
    _t("GBM", """Geometric Brownian motion: a price model in which log returns are normal, with a
       constant drift and volatility. Simple, but it has no crashes; lesson 14 adds jumps.""",
       pattern=r"GBM|geometric brownian motion", see="08"),
    _t("jump", """A sudden large price move (a crash) added to a smooth price model; it makes extreme
       losses more likely than GBM alone predicts.""", pattern=r"jumps?(?! (?:rate|multiplier|to|in|from)\b)", see="14"),
    _t("VaR", """Value at Risk at level q: the loss that is exceeded with probability 1 - q. A
       yearly 95 % VaR of 20 % means one year in twenty loses more than 20 % (a daily
       VaR: one day in twenty).""", pattern=r"VaR|value at risk", see="14"),
    _t("CVaR", """Conditional VaR (expected shortfall): the average loss in the worst 1 - q of outcomes,
       so it looks inside the tail that VaR only marks the edge of.""",
       pattern=r"CVaR|conditional VaR|expected shortfall", see="14"),
    _t("diversification", """Spreading money over positions that do not all lose at once; it lowers risk
       only as far as the positions are not correlated.""", see="14"),
    _t("correlation", """How much two quantities move together, from -1 (opposite) through 0 (unrelated)
       to 1 (in lockstep).""", pattern=r"correlat(?:ion|ed)(?! penalt)", see="14"),
    _t("hedge", """A second position that gains when the first loses, such as a short position (a
       token borrowed and sold). It shrinks losses and gains alike, in proportion to
       its size, and has a running cost.""",
       pattern=r"hedg(?:e|es|ing|ed)", see="14"),
    _t("stop-loss", """A rule that sells a position once it has fallen a set amount (or, trailing, a
       set amount below its peak). It cuts the worst outcomes, but after a jump it
       sells well below the stop, and it locks in losses on paths that would have
       recovered.""", see="14"),
    _t("lump sum", """Investing all the money at once, the usual comparison for DCA.""",
       pattern=r"lump[- ]sums?", see="13"),
    _t("drawdown", """The fall from a running peak to a later low; the maximum drawdown is the worst such
       fall along a path.""", pattern=r"drawdowns?", see="14"),
    _t("stress test", """Revaluing a portfolio under a chosen bad scenario (a crash, a depeg, an exploit)
       instead of under random draws.""", pattern=r"stress[- ]test(?:s|ed|ing)?", see="14"),
    _t("discount rate", """The yearly return an investor requires, used to shrink future cash flows to
       today's value.""", pattern=r"discount rates?", see="12"),
    _t("DCA", """Dollar-cost averaging: investing a fixed amount at regular intervals instead of all at
       once (a lump sum).""", pattern=r"DCA|dollar-cost averaging", see="13"),
    _t("harmonic mean", """n / (1/x1 + ... + 1/xn): the average price a fixed-amount buyer pays, always at
       most the ordinary average.""", see="13"),
    _t("discounted cash flow", """Valuing an asset as the sum of its future cash flows, each divided by
       (1 + discount rate)^years, because money later is worth less than money now.""",
       pattern=r"discounted cash flows?|DCF", see="12"),
    # -- ledgers, chains and contracts ------------------------------------------------------
    _t("address", """An account's public identifier on a blockchain (20 bytes on Ethereum, written in
       hex as 0x...): accounts and contracts are known by their addresses, and token
       balances are recorded per address.""", pattern=r"(?-i)address(?:es)?", see="02"),
    _t("hash", """A fixed-length fingerprint of data (here SHA-256): any change to the data changes the
       hash, and it is infeasible to find two inputs with the same hash.""",
       pattern=r"hash(?:es)?|SHA-256", see="02"),
    _t("ledger", """A record of entries in order. A hash-chained ledger stores in each entry the
       hash of the previous one, so an edited entry no longer matches its hash, and
       hiding that means recomputing every later hash, which changes the last one (the
       head).""", pattern=r"ledgers?", see="02"),
    _t("Merkle proof", """A short list of hashes that proves one item is in a set summarised by a single
       Merkle root (one hash built by hashing pairs of hashes up a tree), without
       publishing the other items. The proof shows its neighbours' hashes, so items
       that are easy to guess should be salted (a random value added) before hashing.""",
       pattern=r"merkle (?:proofs?|trees?|roots?)", see="02"),
    _t("blockchain", """A ledger kept by many computers that agree on the order of entries (blocks), so
       no single party can rewrite it.""", pattern=r"blockchains?|on[- ]chain", see="02"),
    _t("EVM", """The Ethereum Virtual Machine: the computer every Ethereum node runs to execute smart
       contracts. The course runs a local EVM (titanoboa) in the notebook.""", see="02"),
    _t("smart contract", """A program stored on a blockchain whose code and state everyone can read and
       whose rules execute exactly as written.""", pattern=r"smart contracts?", see="03"),
    _t("transaction", """A signed request to a blockchain (send tokens, call a contract). It either
       succeeds or reverts; either way it is included in a block and its gas is paid.""",
       pattern=r"transactions?", see="03"),
    _t("revert", """A transaction that fails a check: all its state changes are undone, but it is still
       recorded on chain and the sender still pays the gas it used.""",
       pattern=r"revert(?:s|ed|ing)?", see="03"),
    _t("gas", """The unit of computation on Ethereum. A transaction pays gas used x gas price (in gwei),
       whatever its size in dollars.""", pattern=r"gas", see="03"),
    _t("wei and gwei", """Ether's smallest units: 1 ETH = 10^18 wei = 10^9 gwei (the course also says wei
       for the smallest unit of any 18-decimal token). Contracts count in whole
       numbers, so there are no decimals: divisions round, in a direction the contract
       chooses (Uniswap rounds in the pool's favour), and a Python mirror with the same
       integer rules matches to the wei.""", pattern=r"wei|gwei", see="03"),
    _t("event", """A log entry a contract writes during a transaction: cheap to store, readable by anyone,
       used as an audit trail.""", pattern=r"events?", see="03"),
    _t("calldata", """The input bytes of a transaction (the function called and its arguments); they are
       stored on chain and cost gas per byte.""", see="04"),
    _t("bond", """Money (ETH or tokens) a party locks as a promise of good behaviour; governance can slash (take) part of
       it after misbehaviour.""", pattern=r"bonds?|bonded", see="03"),
    _t("slashing", """Taking part of a staker's or provider's locked tokens as a penalty for provable
       misbehaviour.""", pattern=r"slash(?:ing|ed|es)?", see="06"),
    _t("token", """A unit recorded by a blockchain or a smart contract (a balance per address) that
       can be transferred: money-like (USDC), a voting right (a governance token), or a
       claim on a pool (an LP token).""",
       pattern=r"tokens?", see="04"),
    # -- governance and ownership -----------------------------------------------------------
    _t("DAO", """Decentralised autonomous organisation: a group that decides by on-chain votes, with the
       decisions executed by contracts.""", pattern=r"DAOs?", see="04"),
    _t("governance token", """A token that carries voting power in a DAO (and sometimes a share of its
       revenue).""", pattern=r"governance tokens?", see="12"),
    _t("turnout", """The share of all voting power that takes part in a vote.""", see="04"),
    _t("ERC-20", """Ethereum's standard interface for fungible tokens (balanceOf, transfer, approve,
       transferFrom), which wallets and protocols rely on.""", pattern=r"ERC-?20", see="04"),
    _t("quorum", """The minimum number of votes a proposal needs (For, or For and Abstain, depending
       on the contract), as a share of all voting power, not of the votes cast.""", see="04"),
    _t("timelock", """A delay between a decision passing and its execution, so those who disagree can
       react (or leave) before it takes effect.""", pattern=r"timelocks?", see="04"),
    _t("delegation", """Giving your voting power to someone else who votes for you; you can take it back.
       Transitive delegation (liquid democracy) lets delegates pass it on.""",
       pattern=r"delegat(?:ion|e|es|ed)", see="04"),
    _t("quadratic voting", """Each voter gets the same budget of credits (voting points); casting v votes on
       one question costs v² credits, so each extra vote costs more than the last. Over
       several questions it lets people put more weight where they care most. It works
       only if each person has one budget: fake identities (sybils) break it.""", see="04"),
    _t("conviction voting", """Votes that gain weight the longer they stay on a proposal; a proposal passes
       when its accumulated conviction crosses a threshold.""", see="04"),
    _t("Gini coefficient", """A measure of inequality from 0 (everyone holds the same) to close to 1 (one
       holder has everything).""", pattern=r"gini(?: coefficient)?", see="04"),
    _t("Nakamoto coefficient", """The smallest number of holders who together control a majority (or a
       given threshold) of voting power.""", see="04"),
    _t("sybil", """One person posing as many identities to gain influence (named after a case study of
       multiple personalities).""", pattern=r"sybils?", see="04"),
    _t("snapshot", """Voting power measured at a past block, so tokens bought or borrowed after it do not
       count. It does not stop power moved before the snapshot.""",
       pattern=r"snapshots?(?! (?:curve|of (?:the )?(?:Aave|parameters|rates))\b)", see="04"),
    _t("federated learning", """Training one model on data that stays with its owners: each trains
       locally and only model updates are combined (federated averaging, FedAvg).""",
       pattern=r"federated (?:learning|averaging)|FedAvg", see="05"),
    _t("logistic regression", """A simple classifier: it predicts a probability as 1 / (1 + e^-(w.x + b))
       and labels by whether it exceeds 0.5.""", see="05"),
    _t("gradient descent", """Training by repeatedly nudging a model's weights a small step against the
       slope (gradient) of its error.""", see="05"),
    _t("Shapley value", """A contributor's average marginal contribution (what the group gains when that
       contributor joins) over every order in which the contributors could join: the
       only split whose shares add up to the whole, that treats equal contributors
       equally, adds up across tasks, and gives nothing to a contributor who adds
       nothing.""", pattern=r"shapley(?: values?)?", see="05"),
    _t("leave-one-out", """A contributor's value as the drop in the group's result when that contributor
       alone is removed.""", pattern=r"leave[- ]one[- ]out", see="05"),
    _t("the core", """In cooperative game theory, the splits under which no group of contributors would do
       better by leaving to work alone; it can be empty.""", pattern=r"(?-i)the core", see="05"),
    _t("poisoning", """Submitting bad training data or updates on purpose to damage a jointly trained
       model.""", pattern=r"poison(?:ing|ed)?", see="05"),
    # -- cash flow in DeFi ------------------------------------------------------------------
    _t("DeFi", """Decentralised finance: lending, trading and other financial services run by smart
       contracts instead of companies.""", see="01"),
    _t("staking", """Locking tokens to help secure a proof-of-stake network (one that picks who
       writes blocks in proportion to the tokens they lock), for rewards and at the
       risk of slashing.""", pattern=r"stak(?:ing|e|ed|er|ers)", see="06"),
    _t("validator", """A node that proposes blocks and votes on (attests to) them in a proof-of-stake
       network, backed by staked tokens (at least 32 ETH on Ethereum).""", pattern=r"validators?", see="06"),
    _t("unbonding", """The waiting time between asking to withdraw staked tokens and getting them back,
       usually with no reward and no way to sell meanwhile.""", pattern=r"unbond(?:ing)?", see="06"),
    _t("AMM", """Automated market maker: a contract holding two (or more) tokens that trades with
       anyone at a price set by a formula of its balances, instead of an order book.""",
       pattern=r"AMMs?|automated market makers?", see="07"),
    _t("DEX", """Decentralised exchange: an exchange run by smart contracts (often an AMM), such as
       Uniswap, SushiSwap or Curve.""", pattern=r"DEXs?|DEXes", see="11"),
    _t("liquidity pool", """The two tokens an AMM holds; traders swap against it and LPs own it.""",
       pattern=r"liquidity pools?", see="07"),
    _t("LP", """Liquidity provider: someone who deposits both tokens of a pool and receives LP shares (a
       claim on the pool and its fees).""", pattern=r"LPs?|liquidity providers?", see="07"),
    _t("price impact", """How much worse a trade's average price is than the pool's price just before it,
       as a fraction (1 − execution price / spot price); larger trades in smaller pools pay more.""",
       see="07"),
    _t("slippage", """How much worse a trade executes than the quote you saw, because other trades
       landed first and moved the price. A swap's minimum output (its slippage limit)
       makes it revert if this grows too large. Not price impact, which is already in
       the quote.""", see="07"),
    _t("StableSwap", """Curve's AMM formula for assets meant to trade near 1:1; its amplification A keeps
       prices flat near balance and lets them move sharply once the pool is lopsided.""", see="07"),
    _t("concentrated liquidity", """Uniswap V3's design: an LP provides liquidity only within a price range
       (between two ticks), earning more fees per dollar while the price stays inside.""", see="07"),
    _t("capital efficiency", """How much less capital a concentrated range needs than a full-range position
       for the same liquidity (and so the same fees) at today's price: full-range capital divided by the
       range's capital. A range from 0.8 to 1.25 times the price is about 9.5 times as efficient.""",
       pattern=r"capital[- ]efficien(?:cy|t)", see="07"),
    _t("tick", """In Uniswap V3, a price step of 0.01 %: price = 1.0001^tick, counted in raw token units
       (decimals matter).""", pattern=r"(?-i)ticks?(?! (?:the|a|it|this|each)\b)", see="07"),
    _t("impermanent loss", """How much less an LP position is worth than simply holding the two tokens (HODL),
       fees aside. It depends only on where the price ends: any net move leaves a loss,
       and a price that comes back to where it started leaves none, however wild the
       path in between (unlike LVR).""",
       pattern=r"impermanent loss|IL", see="08"),
    _t("HODL", """Holding the tokens you started with and doing nothing: the benchmark an LP position is
       compared with.""", see="08"),
    _t("TVL", """Total value locked: the dollar value of all tokens deposited in a protocol or pool.""",
       pattern=r"TVL|total value locked", see="08"),
    _t("yield farming", """Moving tokens to where they earn the most fees and incentive tokens, often by
       providing liquidity.""", pattern=r"yield farm(?:ing|s)?", see="08"),
    _t("incentive APR", """The part of a pool's yield paid in newly minted reward tokens; it falls as TVL
       grows (dilution) and with the reward token's price.""", pattern=r"incentive APR|incentives?", see="08"),
    _t("lending pool", """A contract where suppliers deposit a token and borrowers take it against
       collateral, paying interest set by utilisation.""", pattern=r"lending pools?", see="09"),
    _t("utilisation", """The share of a lending pool's deposits that is borrowed; the interest rate rises
       with it.""", pattern=r"utili[sz]ation", see="09"),
    _t("LTV", """Loan-to-value: the most you may borrow per dollar of collateral (e.g. 80 %).""",
       pattern=r"LTV|loan-to-value", see="09"),
    _t("collateral", """What a borrower locks to secure a loan; it is sold (liquidated) if it stops covering
       the debt.""", see="09"),
    _t("liquidation threshold", """The largest debt, as a share of the collateral's value, a loan may reach before
       it can be liquidated (Aave's WETH: 83 %). It sits slightly above the LTV you may
       borrow up to. MakerDAO states the same idea upside down, as a minimum collateral
       ratio (145 % is a threshold of 1/1.45 = 69 %).""", see="09"),
    _t("health factor", """Collateral value x liquidation threshold / debt value. Below 1 the position may
       be liquidated.""", pattern=r"health factors?|HF", see="09"),
    _t("liquidation", """Repaying part of an unsafe loan and taking the borrower's collateral at a discount
       (the liquidation bonus); anyone may do it.""", pattern=r"liquidat(?:ion|ions|ed|es|e)", see="09"),
    _t("close factor", """The most of a loan's debt one liquidation may repay (50 % or 100 % on Aave,
       depending on the health factor and, since v3.3, the position's size).""", see="09"),
    _t("bad debt", """Debt left after all of a borrower's collateral is gone: a loss for the lenders
       unless the protocol's reserves cover it.""",
       see="09"),
    _t("stablecoin", """A token meant to stay worth one unit of a currency (usually 1 USD): backed by
       cash and short-term government debt (USDC, USDT), by crypto collateral (DAI), or
       by an algorithm.""", pattern=r"stablecoins?", see="09b"),
    _t("peg", """The price a stablecoin is meant to hold (1 USD). A depeg is a move away from it.""",
       pattern=r"pegs?|pegged|depeg(?:s|ged)?", see="09b"),
    _t("vault", """A MakerDAO position: ETH locked as collateral, DAI drawn against it, with a
       stability fee accruing. (Elsewhere in DeFi a vault is also a contract that holds
       deposits and invests them for a yield.)""", pattern=r"vaults?|CDPs?", see="09b"),
    _t("PSM", """Peg Stability Module: a MakerDAO contract that swaps USDC and DAI 1:1 (up to a
       limit), so DAI's price cannot stray far from USDC's while it has USDC to give;
       it also passes USDC's trouble on to DAI.""", pattern=r"PSMs?|peg stability module",
       see="09b"),
    _t("stability fee", """The interest a MakerDAO vault owner pays on drawn DAI, accrued every second
       through a rate accumulator.""", pattern=r"stability fees?", see="09b"),
    _t("DSR", """DAI Savings Rate: interest MakerDAO pays to DAI deposited in its Pot contract.""",
       pattern=r"DSR|DAI savings rate", see="09b"),
    _t("ray", """MakerDAO's fixed-point number format: an integer that stands for a number with
       27 implied decimals (10^27 is 1.0; a wad has 18 decimals, a rad 45). Every node
       gets the same result, but each multiplication or division rounds, in a direction
       the code states.""", pattern=r"(?-i)rays?|wads?",
       see="09b"),
    _t("Dutch auction", """An auction whose price starts high and falls over time until someone buys;
       MakerDAO sells liquidated collateral this way.""", pattern=r"dutch auctions?", see="09b"),
    _t("keeper", """A bot (run by anyone) that performs a protocol's upkeep for profit: starting
       liquidations, buying auctioned collateral, updating prices.""", pattern=r"(?<!record )(?<!ledger )keepers?", see="09b"),
    _t("liquidation penalty", """An extra charge added to a liquidated vault's debt (13 % for MakerDAO's
       ETH-A in 2023), paid out of the owner's collateral.""", pattern=r"liquidation penalty|chop",
       see="09b"),
    _t("leverage", """Exposure larger than your own capital, financed by borrowing: 2x means 2 USD at work
       for each 1 USD of your own.""", pattern=r"leverag(?:e|ed)", see="10"),
    _t("arbitrage", """Buying where a price is low and selling where it is high at the same time, profiting
       from the gap and closing it.""", pattern=r"arbitrag(?:e|eur|eurs)", see="11"),
    _t("order book", """A list of buy and sell offers at stated prices kept by an exchange; a trade
       matches the best opposite offers.""", pattern=r"order books?", see="11"),
    _t("taker fee", """The fee an exchange charges for a trade that takes an existing offer from its order
       book (often around 0.1 %).""", pattern=r"taker fees?", see="11"),
    _t("mempool", """Where transactions wait before a block includes them; bots watch it to compete for
       the same opportunity.""", see="11"),
    _t("flash loan", """A loan borrowed and repaid inside one transaction: if it is not repaid with its fee,
       the whole transaction reverts, so it needs no collateral.""", pattern=r"flash loans?", see="11"),
    _t("MEV", """Maximal extractable value: profit from choosing which transactions go into a
       block and in what order (arbitrage, liquidations). Block producers capture most
       of it; bots compete for it by bidding.""", see="11"),
    _t("LVR", """Loss-versus-rebalancing: what a constant-product pool's LPs lose to arbitrageurs
       compared with a portfolio that holds, at every moment, the same tokens as the
       pool but trades them at market prices. Before fees it accrues at about σ²/8 of
       the pool's current value per year (8 % at 80 % volatility), and it grows with
       every price move, even when the price comes back.""",
       pattern=r"LVR|loss-versus-rebalancing", see="11"),
    _t("fee switch", """A governance option that sends part of a protocol's trading fees to token holders
       or the treasury instead of the LPs.""", see="12"),
    _t("buyback", """A protocol using revenue to buy its own token on the market (and often burn it),
       instead of paying dividends.""", pattern=r"buybacks?|buy(?:ing)? back", see="12"),
    _t("vote-escrow", """Locking tokens for a chosen time (up to 4 years at Curve) in exchange for voting
       power proportional to the amount and to the time left on the lock, falling
       linearly to zero at unlock (Curve's veCRV).""", pattern=r"vote-escrow(?:ed)?|veCRV", see="12"),
    _t("liquid locker", """A protocol that locks governance tokens for the maximum time and gives depositors
       a tradable token in return (Convex: CRV in, cvxCRV out). The locked votes are steered by the
       locker's own voters (at Convex, holders of vote-locked CVX), so vote-escrowed power can again be
       bought.""",
       pattern=r"liquid lockers?", see="12"),
    _t("bribe market", """A marketplace where protocols pay holders of locked voting power to vote their
       way, e.g. Votium for Curve's gauges (the votes that decide which pools receive
       newly minted CRV).""", pattern=r"bribe markets?|bribes?", see="12"),
    _t("exploit", """An attack that drains a protocol through a bug in its code or its economics.""",
       pattern=r"exploits?", see="14"),
)

_BY_KEY = {t.name.lower(): t for t in TERMS} | {t.anchor.lower(): t for t in TERMS}


def term(name: str) -> Term:
    """The glossary entry named ``name`` (case-insensitive)."""
    if not isinstance(name, str):
        raise TypeError(f"name must be a string (got {type(name).__name__})")
    found = _BY_KEY.get(name.strip().lower())
    if found is None:
        close = [t.name for t in TERMS if name.strip().lower()[:3] in t.name.lower()][:5]
        raise ValueError(f"name must be a glossary term (got {name!r})"
                         + (f"; did you mean {', '.join(close)}?" if close else ""))
    return found


def define(name: str) -> None:
    """Show a term's definition in the notebook (``define("TVL")``)."""
    entry = term(name)
    text = f"**{entry.name}**: {entry.definition}"
    try:
        from IPython import get_ipython
        from IPython.display import Markdown, display

        if get_ipython() is not None:
            display(Markdown(text))
            return
    except ImportError:  # pragma: no cover - IPython is a dependency
        pass
    print(text.replace("**", ""))


def glossary_notebook() -> dict:
    """The glossary as a notebook (one heading per term, alphabetical)."""
    from .course import lesson

    cells = [_markdown(
        "# Glossary\n\nEvery term the course uses, in plain words. Lessons link here at first use "
        "(`glossary.ipynb#TVL`); the lesson in brackets teaches the term in depth.\n\n"
        "[Back to the start page](00_start_here.ipynb)")]
    for entry in sorted(TERMS, key=lambda t: t.name.lower()):
        where = ""
        if entry.see:
            les = lesson(entry.see)
            where = f"\n\n(Taught in [{les.code} · {les.title}]({les.stem}.ipynb).)"
        cells.append(_markdown(f"### {entry.name}\n\n{entry.definition}{where}"))
    return {"cells": cells, "metadata": {
        "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
        "language_info": {"name": "python"}}, "nbformat": 4, "nbformat_minor": 5}


def _markdown(text: str) -> dict:
    import hashlib

    return {"cell_type": "markdown", "id": hashlib.sha256(text.encode()).hexdigest()[:8], "metadata": {},
            "source": text}


def _strip_non_prose(text: str) -> str:
    """Markdown without code spans, maths, link targets, HTML tags and headings' anchors."""
    text = re.sub(r"```.*?```", " ", text, flags=re.S)
    text = re.sub(r"`[^`]*`", " ", text)
    text = re.sub(r"\$\$.*?\$\$|\$[^$]*\$", " ", text, flags=re.S)
    # the title of another notebook in a link ("[06 · Staking](06_staking.ipynb)") is a name, not a use
    text = re.sub(r"\[[^\]]*\]\((?![^)]*glossary\.ipynb)[^)]*\.ipynb[^)]*\)", " ", text)
    text = re.sub(r"\]\([^)]*\)", "]", text)
    return re.sub(r"<[^>]+>", " ", text)


def first_uses(cells: list[str]) -> dict[str, tuple[int, bool]]:
    """For each term used in these markdown cells: (cell index of first use, defined-or-linked there).

    A use counts as explained when that cell links the glossary entry (``glossary.ipynb#Anchor``) or
    writes the term in bold (the lesson's own definition).
    """
    out: dict[str, tuple[int, bool]] = {}
    for entry in TERMS:
        for index, cell in enumerate(cells):
            prose = _strip_non_prose(cell)
            if not entry.regex.search(prose):
                continue
            linked = f"glossary.ipynb#{entry.anchor}" in cell
            bold = any(entry.regex.search(b) for b in re.findall(r"\*\*([^*]+)\*\*", prose))
            out[entry.name] = (index, linked or bold)
            break
    return out


_PROTECTED = re.compile(
    r"```.*?```|`[^`]*`|\$\$.*?\$\$|\$[^$\n]*\$|\[[^\]]*\]\([^)]*\)|<[^>]+>|\*\*[^*]+\*\*|^#[^\n]*$|https?://\S+",
    re.S | re.M)


def link_first_uses(cells: list[str], prefix: str = "") -> list[str]:
    """Link each term's first unexplained use to the glossary (the authoring tool behind the test).

    Code, maths, existing links, HTML tags, bold text and headings are left alone.

    >>> link_first_uses(["Pools hold a lot of TVL.", "More TVL."])
    ['Pools hold a lot of [TVL](glossary.ipynb#TVL).', 'More TVL.']
    """
    cells = list(cells)
    for name, (index, explained) in first_uses(cells).items():
        if explained:
            continue
        entry = term(name)
        text = cells[index]
        protected = [m.span() for m in _PROTECTED.finditer(text)]
        for match in entry.regex.finditer(text):
            if any(a <= match.start() < b or a < match.end() <= b for a, b in protected):
                continue
            linked = f"[{match.group(0)}]({entry.link(prefix)})"
            cells[index] = text[:match.start()] + linked + text[match.end():]
            break
    return cells


def _main(argv: list[str] | None = None) -> int:
    from .course import REPO_ROOT
    from .exercises.release import dumps

    parser = argparse.ArgumentParser(description="Write notebooks/glossary.ipynb from the glossary.")
    parser.add_argument("--write", action="store_true", help="write notebooks/glossary.ipynb")
    parser.add_argument("--link", nargs="+", metavar="NOTEBOOK",
                        help="link each term's first unexplained use in these lessons to the glossary")
    args = parser.parse_args(argv)
    if args.link:
        import json

        from .exercises.release import atomic_write

        for name in args.link:
            path = Path(name)
            notebook = json.loads(path.read_text(encoding="utf-8"))
            markdown = [c for c in notebook["cells"] if c["cell_type"] == "markdown"]
            texts = ["".join(c["source"]) if isinstance(c["source"], list) else c["source"] for c in markdown]
            depth = len(path.resolve().relative_to(Path(REPO_ROOT).resolve()).parts) - 1
            prefix = "" if path.resolve().parent.name == "notebooks" else "../" * depth + "notebooks/"
            new = link_first_uses(texts, prefix)
            changed = sum(a != b for a, b in zip(texts, new, strict=True))
            for cell, text in zip(markdown, new, strict=True):
                cell["source"] = text
            atomic_write(path, dumps(notebook))
            print(f"{path}: linked terms in {changed} cell(s)")
        return 0
    text = dumps(glossary_notebook())
    if args.write:
        path = Path(REPO_ROOT) / "notebooks" / "glossary.ipynb"
        path.write_text(text, encoding="utf-8")
        print(f"wrote {path}")
    else:
        print(text)
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(_main())
