# pragma version ~=0.4.3
"""
@title FlashLender: lends any amount it holds for the length of one call
@notice `flash_loan` sends `amount` tokens to a borrower contract, calls the
        borrower's `on_flash_loan`, then pulls back `amount + premium` with
        transferFrom. If the borrower cannot or will not repay, that pull
        fails and the whole transaction reverts: the loan never happened.
        No collateral is needed because the lender cannot lose.
@dev    Course contract for cryptocourse notebook 11, after Aave V3's
        `flashLoanSimple` (aave-dao/aave-v3-origin v3.5+, FlashLoanLogic.sol):
        the premium is amount.percentMulCeil(premium_bps), rounded up to a
        whole wei (PercentageMath.sol; v3.0 to v3.4 rounded half up), and the
        lender pulls repayment with transferFrom. aave-v3-origin's deployment scripts set the premium at 5
        basis points (0.05 %; the original v3-core set 9); governance can change it. The callback's name and
        arguments follow ERC-3156 (https://eips.ethereum.org/EIPS/eip-3156)
        loosely. cryptocourse.arbitrage.flash_loan_premium is the same
        arithmetic in Python.
"""

from ethereum.ercs import IERC20

interface IFlashBorrower:
    def on_flash_loan(initiator: address, token: address, amount: uint256, premium: uint256,
                      data: Bytes[256]) -> bool: nonpayable

event FlashLoan:
    receiver: indexed(address)
    initiator: indexed(address)
    token: indexed(address)
    amount: uint256
    premium: uint256

PERCENTAGE_FACTOR: constant(uint256) = 10_000

premium_bps: public(uint256)
loans: public(uint256)


@deploy
def __init__(premium_bps: uint256):
    """@param premium_bps the fee in basis points of the amount (5 = 0.05 %)"""
    assert premium_bps < PERCENTAGE_FACTOR, "premium must be below 100 percent"
    self.premium_bps = premium_bps


@view
@internal
def _premium(amount: uint256) -> uint256:
    product: uint256 = amount * self.premium_bps
    fee: uint256 = product // PERCENTAGE_FACTOR
    if product % PERCENTAGE_FACTOR != 0:
        fee += 1
    return fee


@view
@external
def premium(amount: uint256) -> uint256:
    """@notice The fee on a loan of `amount` (Aave v3.5's percentMulCeil: rounded up)."""
    return self._premium(amount)


@external
@nonreentrant
def flash_loan(receiver: address, token: address, amount: uint256, data: Bytes[256]):
    """
    @notice Lend `amount` of `token` to `receiver` for this call; it must return
            amount + premium before the call ends.
    """
    assert amount > 0, "nothing to lend"
    fee: uint256 = self._premium(amount)
    assert extcall IERC20(token).transfer(receiver, amount, default_return_value=True)
    assert extcall IFlashBorrower(receiver).on_flash_loan(msg.sender, token, amount, fee, data), \
        "borrower refused"
    assert extcall IERC20(token).transferFrom(receiver, self, amount + fee, default_return_value=True)
    self.loans += 1
    log FlashLoan(receiver=receiver, initiator=msg.sender, token=token, amount=amount, premium=fee)
