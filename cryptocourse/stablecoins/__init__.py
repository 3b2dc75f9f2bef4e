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

from .depeg import DepegOutcome, stableswap_depeg
from .dss_math import (
    BLN as BLN, RAD, RAY, SECONDS_PER_YEAR, WAD, clip_price_exponential, clip_price_linear,
    clip_price_stairstep, drip, duty_for_apy, duty_to_apy, psm_buy_gem, psm_sell_gem, rmul, rpow
)
from .engine import Sale, VaultEngine, VaultError, deploy_vault
from .vaults import (
    CALCS as CALCS, DEPEG_2023_03, DSR_2023_03, ETH_A, PSM_USDC_A_TIN, AuctionOutcome, IlkParams,
    collateralization_ratio, liquidation_outcome, max_draw, vault_liquidation_price
)

__all__ = [
    "WAD", "RAY", "RAD", "SECONDS_PER_YEAR", "rmul", "rpow", "drip", "duty_for_apy", "duty_to_apy",
    "clip_price_linear", "clip_price_stairstep", "clip_price_exponential", "psm_sell_gem",
    "psm_buy_gem", "IlkParams", "ETH_A", "DSR_2023_03", "PSM_USDC_A_TIN", "DEPEG_2023_03",
    "collateralization_ratio", "vault_liquidation_price", "max_draw", "AuctionOutcome",
    "liquidation_outcome", "VaultError", "Sale", "VaultEngine", "deploy_vault", "DepegOutcome",
    "stableswap_depeg",
]
