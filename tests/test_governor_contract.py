"""GovernanceToken.vy and Governor.vy on the course EVM, against the Python model."""
import boa
import pytest
from hypothesis import given
from hypothesis import strategies as st

from cryptocourse import chain
from cryptocourse.governance import (
    Governor, GovernorError, GovernorParams, ProposalState, VotesToken, deploy_governance,
)

PARAMS = GovernorParams(voting_delay=2, voting_period=5, proposal_threshold=100,
                        quorum_percent=20, timelock_delay=3, grace_period=4)
BALANCES = [500, 300, 200]


@pytest.fixture(scope="module")
def dao():
    """One chain for the module: three holders, a token, a governor and a model licence."""
    chain.new_chain(seed=2026)
    alice, bob, carol, provider, victim = chain.accounts(5, names=["alice", "bob", "carol", "provider", "victim"])
    tok, gov = deploy_governance([alice, bob, carol], BALANCES, PARAMS)
    lic = chain.deploy("ModelLicense", [alice, bob, carol], [5000, 3000, 2000], 10**15, gov.address,
                       10**18, sender=provider)
    lic.post_bond(value=2 * 10**18, sender=provider)
    return dict(tok=tok, gov=gov, lic=lic, alice=alice, bob=bob, carol=carol, provider=provider,
                victim=victim)


@pytest.fixture
def d(dao):
    with boa.env.anchor():  # every test starts from the same state
        yield dao


def _sim(params=PARAMS, block=None):
    tok = VotesToken(block=chain.block_number() - 1 if block is None else block)
    for who, bal in zip("abc", BALANCES, strict=True):
        tok.mint(who, bal)
        tok.delegate(who, who)
    tok.mine()
    return tok, Governor(tok, params)


def _state(gov, pid):
    return ProposalState.name(gov.state(pid))


def test_token_votes_and_snapshots(d):
    tok, a, b = d["tok"], d["alice"], d["bob"]
    assert tok.totalSupply() == 1000 and tok.get_votes(a) == 500
    before = chain.block_number()
    tok.transfer(b, 100, sender=a)
    assert tok.get_votes(a) == 400 and tok.get_votes(b) == 400
    chain.advance(blocks=1)
    assert tok.get_past_votes(a, before - 1) == 500
    assert tok.get_past_votes(a, before) == 400
    assert tok.get_past_total_supply(before) == 1000
    with chain.expect_revert("future lookup"):
        tok.get_past_votes(a, chain.block_number())


def test_delegation_conserves_votes_on_chain(d):
    tok, a, b, c = d["tok"], d["alice"], d["bob"], d["carol"]
    tok.delegate(b, sender=a)   # alice -> bob; bob -> bob; carol -> carol
    tok.delegate(b, sender=c)
    assert [tok.get_votes(x) for x in (a, b, c)] == [0, 1000, 0]
    tok.delegate(a, sender=b)   # one hop: bob's own tokens go to alice, delegated ones stay with bob
    assert [tok.get_votes(x) for x in (a, b, c)] == [300, 700, 0]
    assert sum(tok.get_votes(x) for x in (a, b, c)) == tok.totalSupply()


def test_same_proposal_simulated_and_on_chain(d):
    tok, gov, lic, a, b, c = (d[k] for k in ("tok", "gov", "lic", "alice", "bob", "carol"))
    stok, sgov = _sim()
    assert stok.block == chain.block_number()
    names = {a: "a", b: "b", c: "c"}
    calldata = lic.set_fee.prepare_calldata(2 * 10**15)
    pid = gov.propose(lic.address, calldata, "double the fee", sender=a)
    spid = sgov.propose("a", "double the fee")
    seen = []

    def step(blocks=0):
        chain.advance(blocks=blocks)
        sgov.mine(blocks)
        assert _state(gov, pid) == sgov.state_name(spid)
        seen.append(sgov.state_name(spid))

    step()
    step(PARAMS.voting_delay + 1)
    for who, support in ((a, 1), (b, 0), (c, 2)):
        w = gov.cast_vote(pid, support, sender=who)
        assert w == sgov.cast_vote(spid, names[who], support)
    step(PARAMS.voting_period)
    assert gov.queue(pid, sender=c) == sgov.queue(spid)
    step()
    step(PARAMS.timelock_delay)
    gov.execute(pid, sender=b)
    sgov.execute(spid)
    step()
    assert seen == ["Pending", "Active", "Succeeded", "Queued", "Queued", "Executed"]
    assert lic.fee() == 2 * 10**15
    assert [e["event"] for e in chain.events(gov)] == ["ProposalCreated", "VoteCast", "VoteCast",
                                                        "VoteCast", "ProposalQueued", "ProposalExecuted"]


def test_governance_slashes_a_bond_through_model_license(d):
    gov, lic, a, b, provider, victim = (d[k] for k in ("gov", "lic", "alice", "bob", "provider", "victim"))
    inc = lic.report_incident(b"\x01" * 32, sender=victim)
    calldata = lic.slash.prepare_calldata(inc, 5 * 10**17, victim)
    with chain.expect_revert("only governance"):
        lic.slash(inc, 5 * 10**17, victim, sender=a)  # a token holder alone cannot slash
    pid = gov.propose(lic.address, calldata, "slash 0.5 ETH for incident 1", sender=a)
    chain.advance(blocks=PARAMS.voting_delay + 1)
    gov.cast_vote(pid, 1, sender=a)
    gov.cast_vote(pid, 1, sender=b)
    chain.advance(blocks=PARAMS.voting_period)
    gov.queue(pid, sender=a)
    with chain.expect_revert("timelock not passed"):
        gov.execute(pid, sender=a)
    chain.advance(blocks=PARAMS.timelock_delay)
    gov.execute(pid, sender=a)
    assert lic.bond() == 15 * 10**17 and lic.owed(victim) == 5 * 10**17
    assert _state(gov, pid) == "Executed"


def test_governance_forbids_a_use(d):
    gov, lic, a, b = (d[k] for k in ("gov", "lic", "alice", "bob"))
    pid = gov.propose(lic.address, lic.set_forbidden.prepare_calldata("surveillance", True),
                      "forbid surveillance", sender=b)
    chain.advance(blocks=PARAMS.voting_delay + 1)
    gov.cast_vote(pid, 1, sender=a)
    chain.advance(blocks=PARAMS.voting_period)
    gov.queue(pid, sender=a)
    chain.advance(blocks=PARAMS.timelock_delay)
    gov.execute(pid, sender=a)
    with chain.expect_revert("use forbidden by governance"):
        lic.use("surveillance", value=10**15, sender=b)


def test_defeated_expired_and_reverts(d):
    tok, gov, lic, a, b, c = (d[k] for k in ("tok", "gov", "lic", "alice", "bob", "carol"))
    cd = lic.set_fee.prepare_calldata(1)
    p1 = gov.propose(lic.address, cd, "x", sender=b)
    with chain.expect_revert("voting is closed"):
        gov.cast_vote(p1, 1, sender=b)
    chain.advance(blocks=PARAMS.voting_delay + 1)
    gov.cast_vote(p1, 1, sender=b)
    with chain.expect_revert("already voted"):
        gov.cast_vote(p1, 1, sender=b)
    with chain.expect_revert("invalid support value"):
        gov.cast_vote(p1, 3, sender=c)
    gov.cast_vote(p1, 0, sender=a)
    chain.advance(blocks=PARAMS.voting_period)
    assert _state(gov, p1) == "Defeated"
    with chain.expect_revert("proposal not successful"):
        gov.queue(p1, sender=a)
    p2 = gov.propose(lic.address, cd, "y", sender=a)
    chain.advance(blocks=PARAMS.voting_delay + 1)
    gov.cast_vote(p2, 1, sender=a)
    chain.advance(blocks=PARAMS.voting_period)
    gov.queue(p2, sender=a)
    chain.advance(blocks=PARAMS.timelock_delay + PARAMS.grace_period)
    assert _state(gov, p2) == "Expired"
    with chain.expect_revert("proposal not queued"):
        gov.execute(p2, sender=a)
    p3 = gov.propose(lic.address, cd, "z", sender=a)
    with chain.expect_revert("only the proposer"):
        gov.cancel(p3, sender=b)
    gov.cancel(p3, sender=a)
    assert _state(gov, p3) == "Canceled"
    with chain.expect_revert("unknown proposal"):
        gov.state(99)


def test_proposal_threshold_and_late_votes(d):
    tok, gov, lic, a, victim = (d[k] for k in ("tok", "gov", "lic", "alice", "victim"))
    with chain.expect_revert("votes below proposal threshold"):
        gov.propose(lic.address, b"", "x", sender=victim)
    pid = gov.propose(lic.address, b"", "x", sender=a)
    chain.advance(blocks=PARAMS.voting_delay + 1)
    tok.transfer(victim, 400, sender=a)      # votes moved after the snapshot ...
    tok.delegate(victim, sender=victim)
    assert gov.cast_vote(pid, 1, sender=victim) == 0   # ... count for nothing
    assert gov.cast_vote(pid, 1, sender=a) == 500      # alice still votes with her snapshot


def _pool_world(params=PARAMS):
    """Three members who vote (500/300/200) and a lending pool holding 1,200 dormant tokens (notebook 04)."""
    a, b, c, pool, mallory, provider = chain.accounts(6, names=["alice", "bob", "carol", "pool", "mallory",
                                                                 "provider"])
    tok, gov = deploy_governance([a, b, c, pool], [500, 300, 200, 1_200], params,
                                 self_delegate=[True, True, True, False])
    lic = chain.deploy("ModelLicense", [a, b, c], [5000, 3000, 2000], 10**15, gov.address, 10**18,
                       sender=provider)
    return tok, gov, lic, (a, b, c), pool, mallory


def test_snapshot_does_not_stop_votes_borrowed_before_it(dao):
    """Issue 15: votes moved or borrowed BEFORE the snapshot block count in full, on the course contract."""
    with boa.env.anchor():
        params = GovernorParams(voting_delay=1, voting_period=5, quorum_percent=20, timelock_delay=3)
        tok, gov, lic, members, pool, mallory = _pool_world(params)
        assert tok.get_votes(pool) == 0 and tok.balanceOf(pool) == 1_200      # the pool's votes lie dormant
        pid = gov.propose(lic.address, lic.set_fee.prepare_calldata(0), "make it free", sender=mallory)
        tok.transfer(mallory, 1_200, sender=pool)          # borrowed while the proposal is Pending
        tok.delegate(mallory, sender=mallory)
        chain.advance(blocks=2)                            # the snapshot block ends
        tok.transfer(pool, 1_200, sender=mallory)          # repaid before voting
        assert tok.balanceOf(mallory) == 0 and tok.get_votes(mallory) == 0
        assert gov.cast_vote(pid, 1, sender=mallory) == 1_200
        for m in members:
            gov.cast_vote(pid, 0, sender=m)
        chain.advance(blocks=params.voting_period)
        p = gov.proposals(pid)
        assert (p.for_votes, p.against_votes) == (1_200, 1_000) and _state(gov, pid) == "Succeeded"
        gov.queue(pid, sender=mallory)
        chain.advance(blocks=params.timelock_delay)
        gov.execute(pid, sender=mallory)
        assert lic.fee() == 0                              # every member voted Against: the outsider won


def test_snapshot_stops_tokens_borrowed_after_it_and_flash_loans(dao):
    with boa.env.anchor():
        tok, gov, lic, members, pool, mallory = _pool_world(
            GovernorParams(voting_delay=1, voting_period=5, quorum_percent=20))
        late = gov.propose(lic.address, lic.set_fee.prepare_calldata(0), "late", sender=mallory)
        chain.advance(blocks=2)
        tok.transfer(mallory, 1_200, sender=pool)
        tok.delegate(mallory, sender=mallory)
        assert gov.cast_vote(late, 1, sender=mallory) == 0   # arrived after the snapshot block
        tok.transfer(pool, 1_200, sender=mallory)
        flash = gov.propose(lic.address, lic.set_fee.prepare_calldata(0), "flash", sender=mallory)
        chain.advance(blocks=1)                              # now IN the snapshot block
        assert chain.block_number() == gov.proposals(flash).vote_start
        tok.transfer(mallory, 1_200, sender=pool)            # borrowed and repaid in the same block,
        tok.transfer(pool, 1_200, sender=mallory)            # as a flash loan is
        chain.advance(blocks=1)
        assert gov.cast_vote(flash, 1, sender=mallory) == 0  # the checkpoint at the end of the block is 0


def test_python_governor_agrees_on_pre_snapshot_borrowing():
    tok = VotesToken({"alice": 500, "bob": 300, "carol": 200, "pool": 1_200})
    for who in ("alice", "bob", "carol"):
        tok.delegate(who, who)
    tok.mine()
    gov = Governor(tok, GovernorParams(voting_delay=1, voting_period=5, quorum_percent=20))
    pid = gov.propose("mallory", "make it free")
    tok.transfer("pool", "mallory", 1_200)
    tok.delegate("mallory", "mallory")
    gov.mine(2)
    tok.transfer("mallory", "pool", 1_200)
    assert gov.cast_vote(pid, "mallory", 1) == 1_200
    for who in ("alice", "bob", "carol"):
        gov.cast_vote(pid, who, 0)
    gov.mine(5)
    assert gov.state_name(pid) == "Succeeded"


def test_deploy_governance_self_delegate_list_is_checked(dao):
    a, b = dao["alice"], dao["bob"]
    with boa.env.anchor():
        with pytest.raises(TypeError, match="self_delegate must be True, False or one True/False per holder"):
            deploy_governance([a, b], [1, 2], self_delegate=[True])


@pytest.mark.parametrize("bravo, expected", [(False, "Succeeded"), (True, "Defeated")])
def test_counting_rule_on_chain(d, bravo, expected):
    a, b, c = d["alice"], d["bob"], d["carol"]
    params = GovernorParams(voting_delay=0, voting_period=2, quorum_percent=40,
                            counting="bravo" if bravo else "oz")
    tok, gov = deploy_governance([a, b, c], BALANCES, params)
    pid = gov.propose(tok.address, b"", "x", sender=c)
    chain.advance(blocks=1)
    gov.cast_vote(pid, 1, sender=c)   # 200 For
    gov.cast_vote(pid, 2, sender=b)   # 300 Abstain; quorum 400
    chain.advance(blocks=2)
    assert _state(gov, pid) == expected


@given(timelock=st.integers(0, 4), grace=st.integers(1, 4), wait=st.integers(0, 10))
def test_never_executes_before_timelock_or_after_expiry_on_chain(dao, timelock, grace, wait):
    a = dao["alice"]
    with boa.env.anchor():
        params = GovernorParams(voting_delay=0, voting_period=1, quorum_percent=0,
                                timelock_delay=timelock, grace_period=grace)
        gov = chain.deploy("Governor", dao["tok"].address, 0, 1, 0, 0, timelock, grace, False)
        stok, sgov = _sim(params)
        pid = gov.propose(dao["tok"].address, dao["tok"].totalSupply.prepare_calldata(), "x", sender=a)
        spid = sgov.propose("a", "x")
        chain.advance(blocks=1)
        sgov.mine(1)
        gov.cast_vote(pid, 1, sender=a)
        sgov.cast_vote(spid, "a", 1)
        chain.advance(blocks=1)
        sgov.mine(1)
        eta = gov.queue(pid, sender=a)
        assert eta == sgov.queue(spid)
        chain.advance(blocks=wait)
        sgov.mine(wait)
        now = chain.block_number()
        res = chain.try_call(gov.execute, pid, sender=a)
        try:
            sgov.execute(spid)
            sim_ok = True
        except GovernorError:
            sim_ok = False
        assert res.ok == sim_ok == (eta <= now < eta + grace)
        assert _state(gov, pid) == sgov.state_name(spid)
