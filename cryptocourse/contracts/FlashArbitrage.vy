# pragma version ~=0.4.3
"""
@title FlashArbitrage: borrow, buy cheap, sell dear, repay, keep the rest
@notice One call of `run` does the whole arbitrage in one transaction: it
        flash-borrows `amount` of a token, spends it in the pool where the
        other token is cheap, sells what it bought in the pool where it is
        dear, repays the loan and its premium, and sends the profit to its
        owner. If the round trip returns less than the loan plus premium (plus
        `min_profit`), it reverts with "unprofitable" and nothing happened,
        except that the sender paid the gas.
@dev    Course contract for cryptocourse notebook 11. The swap amounts use
        UniswapV2Library.getAmountOut (Uniswap/v2-periphery; 997/1000), read
        from each pair's current reserves, so the result equals
        cryptocourse.arbitrage.flash_arbitrage_profit to the wei.
"""

from ethereum.ercs import IERC20

interface IPair:
    def token0() -> address: view
    def token1() -> address: view
    def get_reserves() -> (uint256, uint256): view
    def swap(amount0_out: uint256, amount1_out: uint256, to: address): nonpayable

interface ILender:
    def flash_loan(receiver: address, token: address, amount: uint256, data: Bytes[256]): nonpayable

event Arbitrage:
    token: indexed(address)
    borrowed: uint256
    bought: uint256
    returned: uint256
    premium: uint256
    profit: uint256

owner: public(address)
lender: public(address)


@deploy
def __init__(lender: address):
    """@param lender the FlashLender to borrow from"""
    self.owner = msg.sender
    self.lender = lender


@pure
@internal
def _get_amount_out(amount_in: uint256, reserve_in: uint256, reserve_out: uint256) -> uint256:
    # UniswapV2Library.getAmountOut: 0.30 % fee, rounded down
    amount_in_with_fee: uint256 = amount_in * 997
    return amount_in_with_fee * reserve_out // (reserve_in * 1000 + amount_in_with_fee)


@internal
def _swap(pair: address, token_in: address, amount_in: uint256) -> uint256:
    # send the input first, then ask the pair for the most it will pay
    r0: uint256 = 0
    r1: uint256 = 0
    r0, r1 = staticcall IPair(pair).get_reserves()
    assert extcall IERC20(token_in).transfer(pair, amount_in, default_return_value=True)
    out: uint256 = 0
    if token_in == staticcall IPair(pair).token0():
        out = self._get_amount_out(amount_in, r0, r1)
        extcall IPair(pair).swap(0, out, self)
    else:
        out = self._get_amount_out(amount_in, r1, r0)
        extcall IPair(pair).swap(out, 0, self)
    return out


@external
def run(token: address, buy_pair: address, sell_pair: address, amount: uint256,
        min_profit: uint256) -> uint256:
    """
    @notice Flash-borrow `amount` of `token`, buy the pair's other token in
            `buy_pair`, sell it in `sell_pair`, repay; returns the profit sent
            to the owner (in `token`).
    """
    assert msg.sender == self.owner, "only the owner"
    before: uint256 = staticcall IERC20(token).balanceOf(self)
    extcall ILender(self.lender).flash_loan(self, token, amount,
                                            abi_encode(buy_pair, sell_pair, min_profit))
    profit: uint256 = staticcall IERC20(token).balanceOf(self) - before
    assert extcall IERC20(token).transfer(self.owner, profit, default_return_value=True)
    return profit


@external
def on_flash_loan(initiator: address, token: address, amount: uint256, premium: uint256,
                  data: Bytes[256]) -> bool:
    """@notice Called by the lender with the borrowed tokens in hand."""
    assert msg.sender == self.lender, "only the lender"
    assert initiator == self, "only loans this contract asked for"
    buy_pair: address = empty(address)
    sell_pair: address = empty(address)
    min_profit: uint256 = 0
    buy_pair, sell_pair, min_profit = abi_decode(data, (address, address, uint256))
    other: address = staticcall IPair(buy_pair).token0()
    if other == token:
        other = staticcall IPair(buy_pair).token1()
    bought: uint256 = self._swap(buy_pair, token, amount)
    returned: uint256 = self._swap(sell_pair, other, bought)
    owed: uint256 = amount + premium
    assert returned >= owed + min_profit, "unprofitable"
    assert extcall IERC20(token).approve(self.lender, owed, default_return_value=True)
    log Arbitrage(token=token, borrowed=amount, bought=bought, returned=returned, premium=premium,
                  profit=returned - owed)
    return True
