# pragma version ~=0.4.3
"""
@title ModelLicense: pay-per-use licence for a jointly owned AI model
@notice Users pay a fixed fee (in wei) for each use of the model. The fee is
        split among the owners by their shares and credited to them; owners
        take their money out themselves with `withdraw()` (pull payments).
        Governance (one designated address: a person, a multisig or a
        Governor contract) can forbid uses, change the fee and slash the
        provider's bond after an incident has been reported, or dismiss a
        report it finds unfounded.
        The licence is active only while the provider's bond, less any
        amount under notice of withdrawal, is at least `min_bond`, so a
        slashed provider must top the bond up before the model can be used
        again.
        The bond leaves only after notice: the provider requests a
        withdrawal, waits WITHDRAWAL_DELAY (the money stays slashable
        meanwhile), and cannot complete it while an incident is open.
        Money under notice does not count towards `min_bond`: a request
        that has served its notice stays ready, so if it counted, a
        provider could give notice once, keep serving, and pull the money
        out the moment it hears of harm. As it is, the licence never
        serves on less than `min_bond` that is a full notice period away
        from leaving.
        Anyone may report an incident, and an open report freezes the bond;
        to make junk reports costly, governance can require a report
        deposit, returned to the reporter if the bond is slashed and paid
        to the provider if the report is dismissed.
@dev    Course contract for cryptocourse notebook 03 (smart contracts for
        models). Rounding: each owner gets fee * share // total_shares and the
        rounding dust goes to the first owner, so the whole fee is always
        credited (cryptocourse.chain.split_fee mirrors this to the wei).
"""

MAX_OWNERS: constant(uint256) = 16
# notice the provider must give before taking bond back (seconds): one week
WITHDRAWAL_DELAY: public(constant(uint256)) = 7 * 86400

# incident status
OPEN: constant(uint8) = 1
SLASHED: constant(uint8) = 2
DISMISSED: constant(uint8) = 3


struct Incident:
    reporter: address
    evidence: bytes32
    reported_at: uint256
    status: uint8
    deposit: uint256


event Used:
    user: indexed(address)
    purpose: String[32]
    fee: uint256
    use_number: uint256

event Credited:
    owner: indexed(address)
    amount: uint256

event Withdrawn:
    owner: indexed(address)
    amount: uint256

event UseForbidden:
    purpose: String[32]
    forbidden: bool

event FeeChanged:
    old_fee: uint256
    new_fee: uint256

event BondPosted:
    provider: indexed(address)
    amount: uint256
    bond: uint256

event BondWithdrawalRequested:
    provider: indexed(address)
    amount: uint256
    ready_at: uint256

event BondWithdrawn:
    provider: indexed(address)
    amount: uint256
    bond: uint256

event IncidentReported:
    incident_id: indexed(uint256)
    reporter: indexed(address)
    evidence: bytes32
    deposit: uint256

event BondSlashed:
    incident_id: indexed(uint256)
    amount: uint256
    recipient: indexed(address)
    bond: uint256

event IncidentDismissed:
    incident_id: indexed(uint256)

event ReportDepositChanged:
    old_deposit: uint256
    new_deposit: uint256


owners: public(DynArray[address, MAX_OWNERS])
shares: public(HashMap[address, uint256])
total_shares: public(uint256)

fee: public(uint256)
governance: public(address)
provider: public(address)
min_bond: public(uint256)
bond: public(uint256)
pending_withdrawal: public(uint256)
withdrawal_ready_at: public(uint256)
report_deposit: public(uint256)

forbidden: public(HashMap[String[32], bool])
use_count: public(uint256)
uses_by: public(HashMap[address, uint256])
revenue: public(uint256)
owed: public(HashMap[address, uint256])

incidents: public(HashMap[uint256, Incident])
incident_count: public(uint256)
open_incidents: public(uint256)


@deploy
def __init__(
    owners: DynArray[address, MAX_OWNERS],
    shares: DynArray[uint256, MAX_OWNERS],
    fee: uint256,
    governance: address,
    min_bond: uint256,
):
    """
    @param owners the model's owners (1 to 16 distinct addresses)
    @param shares each owner's share (positive integers, any scale)
    @param fee price of one use, in wei
    @param governance the only address allowed to forbid uses, change the
           fee and slash the bond
    @param min_bond bond (wei) the provider must keep for the licence to be
           active; the deployer is the provider
    """
    assert len(owners) > 0, "need at least one owner"
    assert len(owners) == len(shares), "owners and shares differ in length"
    assert governance != empty(address), "governance is the zero address"
    total: uint256 = 0
    for i: uint256 in range(len(owners), bound=MAX_OWNERS):
        owner: address = owners[i]
        assert owner != empty(address), "owner is the zero address"
        assert shares[i] > 0, "share must be positive"
        assert self.shares[owner] == 0, "duplicate owner"
        self.shares[owner] = shares[i]
        total += shares[i]
    self.owners = owners
    self.total_shares = total
    self.fee = fee
    self.governance = governance
    self.provider = msg.sender
    self.min_bond = min_bond


@view
@external
def active() -> bool:
    """@notice True while the bond not under notice covers `min_bond`."""
    return self.bond - self.pending_withdrawal >= self.min_bond


@view
@external
def owner_count() -> uint256:
    return len(self.owners)


@payable
@external
def use(purpose: String[32]):
    """
    @notice Pay for one use of the model for a stated purpose.
    @dev Reverts if the purpose is forbidden, the fee is wrong or the
         provider's bond, less any amount under notice, is below the
         minimum.
    """
    assert not self.forbidden[purpose], "use forbidden by governance"
    assert msg.value == self.fee, "wrong fee"
    assert self.bond - self.pending_withdrawal >= self.min_bond, "licence inactive: bond too low"
    self.use_count += 1
    self.uses_by[msg.sender] += 1
    self.revenue += msg.value
    log Used(user=msg.sender, purpose=purpose, fee=msg.value, use_number=self.use_count)

    paid: uint256 = 0
    n: uint256 = len(self.owners)
    for i: uint256 in range(1, MAX_OWNERS):
        if i >= n:
            break
        owner: address = self.owners[i]
        cut: uint256 = msg.value * self.shares[owner] // self.total_shares
        self.owed[owner] += cut
        paid += cut
        log Credited(owner=owner, amount=cut)
    # the first owner gets its share plus the rounding dust
    first: address = self.owners[0]
    self.owed[first] += msg.value - paid
    log Credited(owner=first, amount=msg.value - paid)


@nonreentrant
@external
def withdraw() -> uint256:
    """@notice Send the caller everything it is owed (revenue or compensation)."""
    amount: uint256 = self.owed[msg.sender]
    assert amount > 0, "nothing to withdraw"
    self.owed[msg.sender] = 0
    raw_call(msg.sender, b"", value=amount)
    log Withdrawn(owner=msg.sender, amount=amount)
    return amount


@external
def set_forbidden(purpose: String[32], is_forbidden: bool):
    """@notice Governance forbids (or allows again) a purpose."""
    assert msg.sender == self.governance, "only governance"
    self.forbidden[purpose] = is_forbidden
    log UseForbidden(purpose=purpose, forbidden=is_forbidden)


@external
def set_fee(new_fee: uint256):
    """@notice Governance changes the per-use fee (wei)."""
    assert msg.sender == self.governance, "only governance"
    log FeeChanged(old_fee=self.fee, new_fee=new_fee)
    self.fee = new_fee


@payable
@external
def post_bond():
    """@notice The provider adds msg.value to its bond."""
    assert msg.sender == self.provider, "only the provider"
    assert msg.value > 0, "bond must be positive"
    self.bond += msg.value
    log BondPosted(provider=msg.sender, amount=msg.value, bond=self.bond)


@external
def request_bond_withdrawal(amount: uint256):
    """
    @notice The provider gives notice that it will take `amount` of its bond
            back. The money stays in the bond (and can be slashed) until
            `withdraw_bond()` completes, at least WITHDRAWAL_DELAY seconds
            later, but from now on it no longer counts towards `min_bond`.
            A new request replaces the old one and restarts the clock.
    """
    assert msg.sender == self.provider, "only the provider"
    assert amount > 0, "amount must be positive"
    assert amount <= self.bond, "more than the bond"
    self.pending_withdrawal = amount
    self.withdrawal_ready_at = block.timestamp + WITHDRAWAL_DELAY
    log BondWithdrawalRequested(provider=msg.sender, amount=amount, ready_at=self.withdrawal_ready_at)


@nonreentrant
@external
def withdraw_bond() -> uint256:
    """
    @notice The provider takes back the amount it gave notice of, once the
            notice period is over and while no incident is open. Returns the
            amount (wei); a slash during the notice period reduces it.
    """
    assert msg.sender == self.provider, "only the provider"
    amount: uint256 = self.pending_withdrawal
    assert amount > 0, "no withdrawal requested"
    assert block.timestamp >= self.withdrawal_ready_at, "notice period not over"
    assert self.open_incidents == 0, "incident open"
    self.pending_withdrawal = 0
    self.withdrawal_ready_at = 0
    self.bond -= amount
    raw_call(msg.sender, b"", value=amount)
    log BondWithdrawn(provider=msg.sender, amount=amount, bond=self.bond)
    return amount


@external
def set_report_deposit(new_deposit: uint256):
    """@notice Governance sets the deposit (wei) a reporter must send with a report."""
    assert msg.sender == self.governance, "only governance"
    log ReportDepositChanged(old_deposit=self.report_deposit, new_deposit=new_deposit)
    self.report_deposit = new_deposit


@payable
@external
def report_incident(evidence: bytes32) -> uint256:
    """
    @notice Anyone reports an incident, with the hash of the evidence
            (for example a ledger entry's hash), sending exactly the report
            deposit (0 unless governance set one). Returns the incident id.
            While any incident is open, the bond cannot be withdrawn.
    """
    assert evidence != empty(bytes32), "evidence hash is empty"
    assert msg.value == self.report_deposit, "wrong report deposit"
    self.incident_count += 1
    incident_id: uint256 = self.incident_count
    self.incidents[incident_id] = Incident(
        reporter=msg.sender, evidence=evidence, reported_at=block.timestamp, status=OPEN,
        deposit=msg.value
    )
    self.open_incidents += 1
    log IncidentReported(incident_id=incident_id, reporter=msg.sender, evidence=evidence,
                         deposit=msg.value)
    return incident_id


@external
def slash(incident_id: uint256, amount: uint256, recipient: address):
    """
    @notice Governance slashes the bond for an open incident; the amount is
            credited to `recipient` (for example the people harmed), who
            withdraws it with `withdraw()`. The reporter's deposit is
            credited back to the reporter. A pending bond withdrawal shrinks
            if the bond falls below it.
    """
    assert msg.sender == self.governance, "only governance"
    assert self.incidents[incident_id].status == OPEN, "no open incident"
    assert amount <= self.bond, "more than the bond"
    assert recipient != empty(address), "recipient is the zero address"
    self.bond -= amount
    self.pending_withdrawal = min(self.pending_withdrawal, self.bond)
    self.owed[recipient] += amount
    deposit: uint256 = self.incidents[incident_id].deposit
    if deposit > 0:
        self.owed[self.incidents[incident_id].reporter] += deposit
    self.incidents[incident_id].status = SLASHED
    self.open_incidents -= 1
    log BondSlashed(incident_id=incident_id, amount=amount, recipient=recipient, bond=self.bond)


@external
def dismiss(incident_id: uint256):
    """
    @notice Governance closes an open incident without slashing (the report
            was unfounded). The reporter's deposit is credited to the
            provider, whose bond the report froze.
    """
    assert msg.sender == self.governance, "only governance"
    assert self.incidents[incident_id].status == OPEN, "no open incident"
    deposit: uint256 = self.incidents[incident_id].deposit
    if deposit > 0:
        self.owed[self.provider] += deposit
    self.incidents[incident_id].status = DISMISSED
    self.open_incidents -= 1
    log IncidentDismissed(incident_id=incident_id)
