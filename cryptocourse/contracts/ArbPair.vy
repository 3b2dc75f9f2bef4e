# pragma version ~=0.4.3
"""
@title ArbPair: a minimal Uniswap V2 pair (swap and sync only)
@notice Holds two tokens and lets anyone swap one for the other along
        x * y = k with a 0.30 % fee. As in Uniswap V2, the trader first sends
        the input tokens to the pair, then calls `swap` asking for an output;
        the pair pays it and checks that the fee-adjusted product of its
        balances did not fall (the "K" check), else the whole call reverts.
@dev    Course contract for cryptocourse notebook 11. `swap` and `sync`
        follow UniswapV2Pair.sol (Uniswap/v2-core, read 2026-12-03): the same
        checks and revert reasons, the 1000/997 fee arithmetic and the
        uint112 reserve limit. Left out: liquidity shares (mint/burn), the
        protocol fee, the price oracle and the flash-swap callback (`data`):
        the lab adds liquidity by sending tokens and calling `sync`.
        cryptocourse.amm.get_amount_out is the same swap in Python.
"""

from ethereum.ercs import IERC20

event Swap:
    sender: indexed(address)
    amount0_in: uint256
    amount1_in: uint256
    amount0_out: uint256
    amount1_out: uint256
    to: indexed(address)

event Sync:
    reserve0: uint256
    reserve1: uint256

MAX_RESERVE: constant(uint256) = 2**112 - 1

token0: public(address)
token1: public(address)
reserve0: public(uint256)
reserve1: public(uint256)


@deploy
def __init__(token0: address, token1: address):
    assert token0 != token1, "IDENTICAL_ADDRESSES"
    assert token0 != empty(address) and token1 != empty(address), "ZERO_ADDRESS"
    self.token0 = token0
    self.token1 = token1


@view
@external
def get_reserves() -> (uint256, uint256):
    """@notice The reserves the last swap or sync recorded (token0, token1)."""
    return self.reserve0, self.reserve1


@internal
def _update(balance0: uint256, balance1: uint256):
    assert balance0 <= MAX_RESERVE and balance1 <= MAX_RESERVE, "OVERFLOW"
    self.reserve0 = balance0
    self.reserve1 = balance1
    log Sync(reserve0=balance0, reserve1=balance1)


@external
@nonreentrant
def sync():
    """@notice Set the reserves to the pair's token balances (after liquidity was sent)."""
    self._update(staticcall IERC20(self.token0).balanceOf(self),
                 staticcall IERC20(self.token1).balanceOf(self))


@external
@nonreentrant
def swap(amount0_out: uint256, amount1_out: uint256, to: address):
    """
    @notice Pay out `amount0_out` of token0 and `amount1_out` of token1 to `to`,
            provided the tokens already sent in keep the fee-adjusted k.
    """
    assert amount0_out > 0 or amount1_out > 0, "INSUFFICIENT_OUTPUT_AMOUNT"
    r0: uint256 = self.reserve0
    r1: uint256 = self.reserve1
    assert amount0_out < r0 and amount1_out < r1, "INSUFFICIENT_LIQUIDITY"
    assert to != self.token0 and to != self.token1, "INVALID_TO"
    if amount0_out > 0:
        assert extcall IERC20(self.token0).transfer(to, amount0_out, default_return_value=True)
    if amount1_out > 0:
        assert extcall IERC20(self.token1).transfer(to, amount1_out, default_return_value=True)
    balance0: uint256 = staticcall IERC20(self.token0).balanceOf(self)
    balance1: uint256 = staticcall IERC20(self.token1).balanceOf(self)
    amount0_in: uint256 = 0
    amount1_in: uint256 = 0
    if balance0 > r0 - amount0_out:
        amount0_in = balance0 - (r0 - amount0_out)
    if balance1 > r1 - amount1_out:
        amount1_in = balance1 - (r1 - amount1_out)
    assert amount0_in > 0 or amount1_in > 0, "INSUFFICIENT_INPUT_AMOUNT"
    # 0.30 % of each input stays out of the product: balance * 1000 - input * 3
    adjusted0: uint256 = balance0 * 1000 - amount0_in * 3
    adjusted1: uint256 = balance1 * 1000 - amount1_in * 3
    assert adjusted0 * adjusted1 >= r0 * r1 * 1000**2, "K"
    self._update(balance0, balance1)
    log Swap(sender=msg.sender, amount0_in=amount0_in, amount1_in=amount1_in,
             amount0_out=amount0_out, amount1_out=amount1_out, to=to)
