# pragma version ~=0.4.3
"""
@title Governor: token holders propose, vote, queue and execute one call
@notice A proposal is one call (a target contract and its calldata, for
        example ModelLicense.slash or ModelLicense.set_forbidden). Its life:
        Pending until the snapshot block, Active for `voting_period` blocks,
        then Defeated or Succeeded; a Succeeded proposal is Queued in the
        timelock and can be executed from its eta until eta + grace_period,
        after which it has Expired.
@dev    Course contract for cryptocourse notebook 04. States are numbered as
        OpenZeppelin's IGovernor.ProposalState; the state rules follow
        OpenZeppelin Governor (votes counted at the snapshot = vote start) with
        Compound GovernorBravo's timelock grace period and expiry. One clock:
        block.number. Counting: For > Against to succeed; the quorum counts
        For + Abstain (OpenZeppelin GovernorCountingSimple) or only For
        (Compound Bravo) as set at deployment. cryptocourse.governance.Governor
        is the same model in Python.
"""

interface IVotes:
    def get_past_votes(account: address, block_number: uint256) -> uint256: view
    def get_past_total_supply(block_number: uint256) -> uint256: view

PENDING: constant(uint8) = 0
ACTIVE: constant(uint8) = 1
CANCELED: constant(uint8) = 2
DEFEATED: constant(uint8) = 3
SUCCEEDED: constant(uint8) = 4
QUEUED: constant(uint8) = 5
EXPIRED: constant(uint8) = 6
EXECUTED: constant(uint8) = 7

VOTE_AGAINST: constant(uint8) = 0
VOTE_FOR: constant(uint8) = 1
VOTE_ABSTAIN: constant(uint8) = 2

MAX_CALLDATA: constant(uint256) = 1024

struct Proposal:
    proposer: address
    target: address
    calldata: Bytes[MAX_CALLDATA]
    vote_start: uint256
    vote_end: uint256
    against_votes: uint256
    for_votes: uint256
    abstain_votes: uint256
    eta: uint256
    canceled: bool
    executed: bool

event ProposalCreated:
    proposal_id: indexed(uint256)
    proposer: indexed(address)
    target: address
    description: String[256]
    vote_start: uint256
    vote_end: uint256

event VoteCast:
    voter: indexed(address)
    proposal_id: indexed(uint256)
    support: uint8
    weight: uint256

event ProposalQueued:
    proposal_id: indexed(uint256)
    eta: uint256

event ProposalExecuted:
    proposal_id: indexed(uint256)

event ProposalCanceled:
    proposal_id: indexed(uint256)


token: public(IVotes)
voting_delay: public(uint256)
voting_period: public(uint256)
proposal_threshold: public(uint256)
quorum_percent: public(uint256)
timelock_delay: public(uint256)
grace_period: public(uint256)
bravo_counting: public(bool)

proposals: public(HashMap[uint256, Proposal])
proposal_count: public(uint256)
has_voted: public(HashMap[uint256, HashMap[address, bool]])


@deploy
def __init__(
    token: address,
    voting_delay: uint256,
    voting_period: uint256,
    proposal_threshold: uint256,
    quorum_percent: uint256,
    timelock_delay: uint256,
    grace_period: uint256,
    bravo_counting: bool,
):
    """
    @param token the GovernanceToken whose past votes count
    @param voting_delay blocks from proposing to the snapshot (vote start)
    @param voting_period blocks of voting after the snapshot
    @param proposal_threshold votes a proposer needs (at the previous block)
    @param quorum_percent whole percent of the supply at the snapshot
    @param timelock_delay blocks from queueing to the earliest execution
    @param grace_period blocks after the eta before a queued proposal expires
    @param bravo_counting True: only For votes reach quorum; False: For + Abstain
    """
    assert token != empty(address), "token is the zero address"
    assert voting_period > 0, "voting period must be > 0"
    assert quorum_percent <= 100, "quorum above 100 percent"
    assert grace_period > 0, "grace period must be > 0"
    self.token = IVotes(token)
    self.voting_delay = voting_delay
    self.voting_period = voting_period
    self.proposal_threshold = proposal_threshold
    self.quorum_percent = quorum_percent
    self.timelock_delay = timelock_delay
    self.grace_period = grace_period
    self.bravo_counting = bravo_counting


@view
@internal
def _quorum(proposal_id: uint256) -> uint256:
    supply: uint256 = staticcall self.token.get_past_total_supply(self.proposals[proposal_id].vote_start)
    return supply * self.quorum_percent // 100


@view
@internal
def _state(proposal_id: uint256) -> uint8:
    p: Proposal = self.proposals[proposal_id]
    assert p.proposer != empty(address), "unknown proposal"
    if p.executed:
        return EXECUTED
    if p.canceled:
        return CANCELED
    if block.number <= p.vote_start:
        return PENDING
    if block.number <= p.vote_end:
        return ACTIVE
    counted: uint256 = p.for_votes
    if not self.bravo_counting:
        counted += p.abstain_votes
    if counted < self._quorum(proposal_id) or p.for_votes <= p.against_votes:
        return DEFEATED
    if p.eta == 0:
        return SUCCEEDED
    if block.number >= p.eta + self.grace_period:
        return EXPIRED
    return QUEUED


@view
@external
def state(proposal_id: uint256) -> uint8:
    """@notice The proposal's state (0 Pending ... 7 Executed, as OpenZeppelin numbers them)."""
    return self._state(proposal_id)


@view
@external
def quorum(proposal_id: uint256) -> uint256:
    """@notice Votes needed for quorum: quorum_percent of the supply at the snapshot."""
    return self._quorum(proposal_id)


@external
def propose(target: address, calldata: Bytes[MAX_CALLDATA], description: String[256]) -> uint256:
    """@notice Propose one call; returns the proposal id (1, 2, ...)."""
    prior: uint256 = 0
    if block.number > 0:
        prior = staticcall self.token.get_past_votes(msg.sender, block.number - 1)
    assert prior >= self.proposal_threshold, "votes below proposal threshold"
    assert target != empty(address), "target is the zero address"
    self.proposal_count += 1
    pid: uint256 = self.proposal_count
    start: uint256 = block.number + self.voting_delay
    self.proposals[pid] = Proposal(
        proposer=msg.sender, target=target, calldata=calldata, vote_start=start,
        vote_end=start + self.voting_period, against_votes=0, for_votes=0,
        abstain_votes=0, eta=0, canceled=False, executed=False,
    )
    log ProposalCreated(proposal_id=pid, proposer=msg.sender, target=target,
                        description=description, vote_start=start,
                        vote_end=start + self.voting_period)
    return pid


@external
def cast_vote(proposal_id: uint256, support: uint8) -> uint256:
    """@notice Vote 0 Against, 1 For, 2 Abstain with your votes at the snapshot; returns the weight."""
    assert self._state(proposal_id) == ACTIVE, "voting is closed"
    assert support <= VOTE_ABSTAIN, "invalid support value"
    assert not self.has_voted[proposal_id][msg.sender], "already voted"
    self.has_voted[proposal_id][msg.sender] = True
    weight: uint256 = staticcall self.token.get_past_votes(msg.sender, self.proposals[proposal_id].vote_start)
    if support == VOTE_AGAINST:
        self.proposals[proposal_id].against_votes += weight
    elif support == VOTE_FOR:
        self.proposals[proposal_id].for_votes += weight
    else:
        self.proposals[proposal_id].abstain_votes += weight
    log VoteCast(voter=msg.sender, proposal_id=proposal_id, support=support, weight=weight)
    return weight


@external
def queue(proposal_id: uint256) -> uint256:
    """@notice Queue a Succeeded proposal in the timelock; returns its eta (a block number)."""
    assert self._state(proposal_id) == SUCCEEDED, "proposal not successful"
    eta: uint256 = block.number + self.timelock_delay
    self.proposals[proposal_id].eta = eta
    log ProposalQueued(proposal_id=proposal_id, eta=eta)
    return eta


@external
def execute(proposal_id: uint256):
    """@notice Make the proposal's call, between its eta and its expiry."""
    st: uint8 = self._state(proposal_id)
    assert st == QUEUED, "proposal not queued"
    assert block.number >= self.proposals[proposal_id].eta, "timelock not passed"
    self.proposals[proposal_id].executed = True
    raw_call(self.proposals[proposal_id].target, self.proposals[proposal_id].calldata)
    log ProposalExecuted(proposal_id=proposal_id)


@external
def cancel(proposal_id: uint256):
    """@notice The proposer withdraws a proposal before voting starts."""
    assert msg.sender == self.proposals[proposal_id].proposer, "only the proposer"
    assert self._state(proposal_id) == PENDING, "proposal not pending"
    self.proposals[proposal_id].canceled = True
    log ProposalCanceled(proposal_id=proposal_id)
