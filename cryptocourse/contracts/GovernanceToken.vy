# pragma version ~=0.4.3
"""
@title GovernanceToken: an ERC20 whose votes follow delegation, with checkpoints
@notice Holders vote with this token. An account's votes are the balances of
        every account that delegated to it (itself included, if it
        self-delegated). Votes are recorded per block, so a Governor can ask
        how many votes an account had at a past block (its proposal's
        snapshot): tokens bought or borrowed after the snapshot do not count.
@dev    Course contract for cryptocourse notebook 04, modelled on
        OpenZeppelin's ERC20Votes (one-hop delegation, no votes until an
        account delegates, lookups only for finished blocks), written in
        Vyper with snake_case names. The clock is block.number. Total-supply
        checkpoints are kept under the zero address, which never holds votes.
        cryptocourse.governance.VotesToken is the same model in Python.
"""

from ethereum.ercs import IERC20

implements: IERC20

struct Checkpoint:
    from_block: uint256
    votes: uint256

event Transfer:
    sender: indexed(address)
    receiver: indexed(address)
    value: uint256

event Approval:
    owner: indexed(address)
    spender: indexed(address)
    value: uint256

event DelegateChanged:
    delegator: indexed(address)
    from_delegate: indexed(address)
    to_delegate: indexed(address)

event DelegateVotesChanged:
    delegate: indexed(address)
    previous_votes: uint256
    new_votes: uint256


name: public(String[32])
symbol: public(String[8])
decimals: public(uint8)
totalSupply: public(uint256)
balanceOf: public(HashMap[address, uint256])
allowance: public(HashMap[address, HashMap[address, uint256]])
minter: public(address)

delegates: public(HashMap[address, address])
checkpoints: public(HashMap[address, HashMap[uint256, Checkpoint]])
num_checkpoints: public(HashMap[address, uint256])


@deploy
def __init__(name: String[32], symbol: String[8]):
    """@notice The deployer is the minter (for example a DAO's treasury)."""
    self.name = name
    self.symbol = symbol
    self.decimals = 18
    self.minter = msg.sender


# --- checkpoints

@internal
def _write(account: address, delta: uint256, add: bool):
    n: uint256 = self.num_checkpoints[account]
    old: uint256 = 0
    if n > 0:
        old = self.checkpoints[account][n - 1].votes
    new: uint256 = old + delta if add else old - delta
    if n > 0 and self.checkpoints[account][n - 1].from_block == block.number:
        self.checkpoints[account][n - 1].votes = new
    else:
        self.checkpoints[account][n] = Checkpoint(from_block=block.number, votes=new)
        self.num_checkpoints[account] = n + 1
    if account != empty(address):
        log DelegateVotesChanged(delegate=account, previous_votes=old, new_votes=new)


@internal
def _move_votes(src: address, dst: address, amount: uint256):
    if src == dst or amount == 0:
        return
    if src != empty(address):
        self._write(src, amount, False)
    if dst != empty(address):
        self._write(dst, amount, True)


@view
@internal
def _lookup(account: address, block_number: uint256) -> uint256:
    # binary search for the last checkpoint at or before block_number
    lo: uint256 = 0
    hi: uint256 = self.num_checkpoints[account]
    for i: uint256 in range(256):
        if lo >= hi:
            break
        mid: uint256 = (lo + hi) // 2
        if self.checkpoints[account][mid].from_block > block_number:
            hi = mid
        else:
            lo = mid + 1
    if hi == 0:
        return 0
    return self.checkpoints[account][hi - 1].votes


@view
@external
def get_votes(account: address) -> uint256:
    """@notice Current votes of `account`."""
    n: uint256 = self.num_checkpoints[account]
    if n == 0:
        return 0
    return self.checkpoints[account][n - 1].votes


@view
@external
def get_past_votes(account: address, block_number: uint256) -> uint256:
    """@notice Votes of `account` at the end of a finished block."""
    assert block_number < block.number, "future lookup"
    return self._lookup(account, block_number)


@view
@external
def get_past_total_supply(block_number: uint256) -> uint256:
    """@notice Total supply at the end of a finished block."""
    assert block_number < block.number, "future lookup"
    return self._lookup(empty(address), block_number)


# --- delegation

@external
def delegate(delegatee: address):
    """@notice Give all your votes to `delegatee` (yourself, to vote directly)."""
    old: address = self.delegates[msg.sender]
    self.delegates[msg.sender] = delegatee
    log DelegateChanged(delegator=msg.sender, from_delegate=old, to_delegate=delegatee)
    self._move_votes(old, delegatee, self.balanceOf[msg.sender])


# --- ERC20

@internal
def _transfer(sender: address, receiver: address, amount: uint256):
    assert receiver != empty(address), "transfer to the zero address"
    assert self.balanceOf[sender] >= amount, "balance too low"
    self.balanceOf[sender] -= amount
    self.balanceOf[receiver] += amount
    log Transfer(sender=sender, receiver=receiver, value=amount)
    self._move_votes(self.delegates[sender], self.delegates[receiver], amount)


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
    """@notice The minter creates tokens; their votes go to the receiver's delegate."""
    assert msg.sender == self.minter, "only the minter"
    assert receiver != empty(address), "mint to the zero address"
    self.totalSupply += amount
    self.balanceOf[receiver] += amount
    log Transfer(sender=empty(address), receiver=receiver, value=amount)
    self._write(empty(address), amount, True)
    self._move_votes(empty(address), self.delegates[receiver], amount)
