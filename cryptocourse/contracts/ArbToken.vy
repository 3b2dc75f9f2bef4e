# pragma version ~=0.4.3
"""
@title ArbToken: a plain ERC20 for the arbitrage lab of notebook 11
@notice The two tokens the lab's pools trade (a stand-in for wrapped bitcoin
        and a dollar stablecoin). Only the deployer (the minter) creates
        tokens; everyone else transfers, approves and spends allowances.
@dev    Course contract for cryptocourse notebook 11: the ERC20 standard
        (EIP-20, https://eips.ethereum.org/EIPS/eip-20) and nothing more.
        Both lab tokens use 18 decimals for simplicity (real WBTC has 8 and
        USDC 6; only the unit of the integers changes).
"""

from ethereum.ercs import IERC20

implements: IERC20

event Transfer:
    sender: indexed(address)
    receiver: indexed(address)
    value: uint256

event Approval:
    owner: indexed(address)
    spender: indexed(address)
    value: uint256


name: public(String[32])
symbol: public(String[8])
decimals: public(uint8)
totalSupply: public(uint256)
balanceOf: public(HashMap[address, uint256])
allowance: public(HashMap[address, HashMap[address, uint256]])
minter: public(address)


@deploy
def __init__(name: String[32], symbol: String[8]):
    """@notice The deployer is the minter."""
    self.name = name
    self.symbol = symbol
    self.decimals = 18
    self.minter = msg.sender


@internal
def _transfer(sender: address, receiver: address, amount: uint256):
    assert receiver != empty(address), "transfer to the zero address"
    assert self.balanceOf[sender] >= amount, "balance too low"
    self.balanceOf[sender] -= amount
    self.balanceOf[receiver] += amount
    log Transfer(sender=sender, receiver=receiver, value=amount)


@external
def transfer(receiver: address, amount: uint256) -> bool:
    self._transfer(msg.sender, receiver, amount)
    return True


@external
def transferFrom(sender: address, receiver: address, amount: uint256) -> bool:
    assert self.allowance[sender][msg.sender] >= amount, "allowance too low"
    self.allowance[sender][msg.sender] -= amount
    self._transfer(sender, receiver, amount)
    return True


@external
def approve(spender: address, amount: uint256) -> bool:
    self.allowance[msg.sender][spender] = amount
    log Approval(owner=msg.sender, spender=spender, value=amount)
    return True


@external
def mint(receiver: address, amount: uint256):
    """@notice The minter creates `amount` tokens for `receiver`."""
    assert msg.sender == self.minter, "only the minter"
    assert receiver != empty(address), "mint to the zero address"
    self.totalSupply += amount
    self.balanceOf[receiver] += amount
    log Transfer(sender=empty(address), receiver=receiver, value=amount)
