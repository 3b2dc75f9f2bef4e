"""contracts/Vault.vy on the course EVM against cryptocourse.stablecoins.VaultEngine, to the last unit.

The engine is the Python twin of the contract (both follow makerdao/dss). Every scenario runs the
same calls on both and compares every number: balances, debts, the rate accumulator, auctions,
and the reason of every refused call.
"""
import pytest
from hypothesis import event, example, given, settings
from hypothesis import strategies as st

from cryptocourse import chain as ch
from cryptocourse import stablecoins as sc
from cryptocourse.stablecoins import RAD, RAY, WAD

DAY = 86_400
YEAR = 365 * DAY
BARE = "reverted without a reason"   # a Vyper overflow/underflow check


def _reason(model_error: str) -> str:
    return BARE if model_error in ("underflow", "overflow") else model_error


class Pair:
    """The contract and its Python twin, driven together."""

    def __init__(self, price, ilk=sc.ETH_A, names=("gov", "alice", "bob", "keeper"), eth=10**6):
        self.addr = dict(zip(names, ch.accounts(len(names), eth=eth, names=list(names)), strict=True))
        self.c = sc.deploy_vault(price, ilk, sender=self.addr["gov"])
        self.m = sc.VaultEngine(price, ilk, now=ch.now())

    def call(self, fn, *args, sender, value=0):
        """Call contract function ``fn`` and the model's method; both must agree on success or reason."""
        self.m.now = ch.now()
        a = self.addr
        kw = {"sender": a[sender]} | ({"value": value} if value else {})
        got = ch.try_call(getattr(self.c, fn), *[a.get(x, x) if isinstance(x, str) else x for x in args], **kw)
        margs = {
            "lock": lambda: (a[sender], value), "draw": lambda: (a[sender], *args),
            "wipe": lambda: (a[sender], *args), "free": lambda: (a[sender], *args),
            "move": lambda: (a[sender], a[args[0]], args[1]), "bark": lambda: tuple(a[x] for x in args),
            "take": lambda: (args[0], args[1], args[2], a[args[3]], a[sender]),
            "redo": lambda: (args[0], a[args[1]]), "drip": lambda: (), "poke": lambda: args,
            "file": lambda: args,
        }[fn]()
        try:
            if fn in ("poke", "file") and sender != "gov":
                raise sc.VaultError("only governance")
            want = getattr(self.m, fn)(*margs)
            reason = ""
        except sc.VaultError as err:
            want, reason = None, _reason(str(err))
        assert got.reason == reason, (fn, args, got.reason, reason)
        if got.ok and fn in ("bark", "drip"):
            assert got.value == want
        self.same()
        return got

    def same(self):
        c, m = self.c, self.m
        for name, a in self.addr.items():
            assert (c.ink(a), c.art(a), c.dai(a), c.gem(a)) == (
                m.ink.get(a, 0), m.art.get(a, 0), m.dai.get(a, 0), m.gem.get(a, 0)), name
        assert (c.Art(), c.rate(), c.debt(), c.vice(), c.surplus(), c.rho(), c.spot(), c.price(), c.kicks()) == (
            m.Art, m.rate, m.debt, m.vice, m.surplus, m.rho, m.spot, m.price, m.kicks)
        for sid in range(1, m.kicks + 1):
            s = m.sales.get(sid)
            tab, lot, usr, tic, top = c.sales(sid)
            if s is None:
                assert (tab, lot, tic, top) == (0, 0, 0, 0) and str(usr) == "0x" + "0" * 40
            else:
                assert (tab, lot, str(usr), tic, top) == (s.tab, s.lot, s.usr, s.tic, s.top)
            self.m.now = ch.now()   # get_status reads the clock
            assert tuple(c.get_status(sid)) == m.get_status(sid)
        assert m.debt == m.vice + m.Art * m.rate == sum(m.dai.values()) + m.surplus


@pytest.fixture
def fresh():
    with ch.fresh_chain(seed=909):
        yield


@pytest.mark.parametrize("seconds", [0, 1, 59, DAY, 30 * DAY + 17, YEAR, 10 * YEAR + 12_345])
def test_fees_after_drip_equal_the_model(fresh, seconds):
    p = Pair(1500 * WAD)
    p.call("lock", sender="alice", value=10 * WAD)
    p.call("draw", 8_000 * WAD, sender="alice")
    ch.advance(seconds=seconds)
    p.call("drip", sender="bob")
    assert p.c.rate() == sc.drip(RAY, sc.ETH_A.duty, seconds)
    assert p.c.owed(p.addr["alice"]) == p.m.owed(p.addr["alice"])
    p.call("wipe", 1_000 * WAD, sender="alice")
    p.call("draw", 2_000 * WAD, sender="alice")


def test_the_lesson_story_on_chain(fresh):
    """Lock, draw, a year of fees, a price fall, bark, a keeper's take, the owner's ETH back."""
    p = Pair(1500 * WAD)
    p.call("lock", sender="alice", value=10 * WAD)
    p.call("draw", 8_000 * WAD, sender="alice")
    p.call("lock", sender="keeper", value=100 * WAD)
    p.call("draw", 20_000 * WAD, sender="keeper")
    ch.advance(seconds=YEAR)
    p.call("drip", sender="bob")
    assert p.call("bark", "alice", "keeper", sender="keeper").reason == "not unsafe"
    p.call("poke", 1_100 * WAD, sender="gov")
    assert p.call("poke", 1 * WAD, sender="alice").reason == "only governance"
    assert p.call("bark", "alice", "keeper", sender="keeper").value == 1
    ch.advance(seconds=15 * 60)
    _, price, lot, tab = p.c.get_status(1)
    assert p.call("take", 1, lot, price - 1, "keeper", sender="keeper").reason == "too expensive"
    p.call("take", 1, lot, price, "keeper", sender="keeper")
    assert p.c.gem(p.addr["alice"]) > 0 and p.c.sales(1)[1] == 0     # the owner got the rest back


@pytest.mark.parametrize("take", ["over_tab", "under_tab", "chost", "no_partial", "two_bids", "no_more_lot"])
def test_dss_clip_take_tests_on_chain(fresh, take):
    """makerdao/dss src/test/clip.t.sol's takeSetup and take tests, on the contract and the model."""
    gold = sc.IlkParams(name="gold (dss tests)", mat=2 * RAY, duty=RAY, chop=11 * WAD // 10, dust=20 * RAD,
                        buf=125 * RAY // 100, tail=3600, cusp=3 * RAY // 10, chip=0, tip=0,
                        calc="stairstep", step=1, cut=99 * RAY // 100)
    p = Pair(5 * WAD, gold, names=("gov", "me", "ali", "bob"))
    p.call("lock", sender="me", value=40 * WAD)
    p.call("draw", 100 * WAD, sender="me")
    for guy in ("ali", "bob"):   # buyers get their DAI from vaults of their own
        p.call("lock", sender=guy, value=1_000 * WAD)
        p.call("draw", 1_000 * WAD, sender=guy)
    p.call("poke", 4 * WAD, sender="gov")
    p.call("bark", "me", "me", sender="me")
    assert p.c.sales(1)[:2] == (110 * RAD, 40 * WAD) and p.c.sales(1)[4] == 5 * RAY
    me, ali, bob = (p.addr[x] for x in ("me", "ali", "bob"))
    if take == "over_tab":
        p.call("take", 1, 25 * WAD, 5 * RAY, "ali", sender="ali")
        assert (p.c.gem(ali), p.c.dai(ali), p.c.gem(me)) == (22 * WAD, 890 * RAD, 18 * WAD)
    elif take == "under_tab":
        p.call("take", 1, 11 * WAD, 5 * RAY, "ali", sender="ali")
        assert p.c.sales(1)[:2] == (55 * RAD, 29 * WAD)
    elif take == "chost":
        p.call("take", 1, 18 * WAD, 5 * RAY, "ali", sender="ali")
        assert p.c.sales(1)[0] == 22 * RAD
    elif take == "no_partial":
        p.call("take", 1, 176 * WAD // 10, 5 * RAY, "ali", sender="ali")
        assert p.c.sales(1)[:2] == (22 * RAD, 224 * WAD // 10)
        assert p.call("take", 1, WAD, 5 * RAY, "ali", sender="ali").reason == "no partial purchase"
        p.call("take", 1, 22 * RAD // (5 * RAY), 5 * RAY, "ali", sender="ali")
    elif take == "two_bids":
        p.call("take", 1, 10 * WAD, 5 * RAY, "ali", sender="ali")
        ch.advance(seconds=30)
        _, price, lot, _ = p.c.get_status(1)
        p.call("take", 1, lot, price, "bob", sender="bob")
        assert p.c.gem(bob) == RAY * 60 * WAD // price and p.c.gem(me) == 30 * WAD - p.c.gem(bob)
    else:
        ch.advance(seconds=60)
        assert p.c.get_status(1)[1] == 2735783211953807380973706855
        p.call("take", 1, 40 * WAD, 28 * RAY // 10, "ali", sender="ali")
        assert p.c.gem(ali) == 40 * WAD and p.c.sales(1)[1] == 0


@pytest.mark.parametrize("calc,tau,step,cut", [("linear", 3_600, 0, RAY), ("exponential", 0, 0, 999230132966 * 10**15),
                                               ("stairstep", 0, 90, 99 * RAY // 100)])
def test_every_price_curve_and_the_reset(fresh, calc, tau, step, cut):
    ilk = sc.ETH_A.replace(calc=calc, tau=tau, step=step or 90, cut=cut)
    p = Pair(2000 * WAD, ilk)
    p.call("lock", sender="alice", value=10 * WAD)
    p.call("draw", 12_000 * WAD, sender="alice")
    p.call("lock", sender="keeper", value=1000 * WAD)
    p.call("draw", 100_000 * WAD, sender="keeper")
    p.call("poke", 1_700 * WAD, sender="gov")
    p.call("bark", "alice", "bob", sender="keeper")
    for wait in (1, 89, 600, 1_800, 3_600, 7_201):
        ch.advance(seconds=wait)
        p.same()
    assert p.call("take", 1, WAD, 10**40, "keeper", sender="keeper").reason == "needs redo"
    p.call("poke", 1_650 * WAD, sender="gov")
    p.call("redo", 1, "bob", sender="bob")
    assert p.call("redo", 1, "bob", sender="bob").reason == "cannot reset"
    ch.advance(seconds=900)
    p.call("take", 1, 3 * WAD, 10**40, "keeper", sender="keeper")
    p.call("take", 1, 10 * WAD, 10**40, "keeper", sender="keeper")


def test_governance_files_parameters_like_the_model(fresh):
    p = Pair(1500 * WAD)
    p.call("lock", sender="alice", value=10 * WAD)
    p.call("draw", 8_000 * WAD, sender="alice")
    ch.advance(seconds=DAY)
    p.call("file", "duty", sc.duty_for_apy(0.05), sender="gov")     # drips at the old rate first
    assert p.c.rho() == ch.now()
    p.call("file", "mat", 2 * RAY, sender="gov")
    assert p.call("file", "mat", RAY - 1, sender="gov").reason == "mat below 100 %"
    assert p.call("file", "cut", RAY + 1, sender="gov").reason == "cut above 1"
    assert p.call("file", "nonsense", 1, sender="gov").reason == "unknown parameter"
    assert p.call("file", "chop", WAD, sender="alice").reason == "only governance"
    assert p.call("free", 5 * WAD, sender="alice").reason == "not safe"       # 8,000 x 2 > 5 x 1,500
    p.call("free", 1 * WAD, sender="alice")
    assert p.call("draw", 1 * WAD, sender="bob").reason == "not safe"
    assert p.call("wipe", 8_000 * WAD, sender="alice").reason == "dust"      # a day of fees would be left
    assert p.call("wipe", 9_000 * WAD, sender="alice").reason == BARE        # all of it: 8,000 DAI are too few
    assert p.call("move", "bob", 1, sender="alice").reason == ""


def test_exit_sends_the_free_eth(fresh):
    p = Pair(1500 * WAD)
    p.call("lock", sender="alice", value=10 * WAD)
    p.call("free", 4 * WAD, sender="alice")
    before = ch.balance(p.addr["alice"])
    p.c.exit(4 * WAD, sender=p.addr["alice"])
    assert ch.balance(p.addr["alice"]) == before + 4 * WAD and p.c.gem(p.addr["alice"]) == 0
    with ch.expect_revert():
        p.c.exit(1, sender=p.addr["alice"])


ACTIONS = st.one_of(
    st.tuples(st.just("draw"), st.integers(1, 30_000)),
    st.tuples(st.just("wipe"), st.integers(0, 30_000)),
    st.tuples(st.just("free"), st.integers(0, 25)),
    st.tuples(st.just("advance"), st.sampled_from([1, 90, 3_600, DAY, 90 * DAY, YEAR, 5 * YEAR])),
    st.tuples(st.just("poke"), st.integers(300, 2_500)),
    st.tuples(st.just("bark"), st.just(0)),
    st.tuples(st.just("take"), st.integers(0, 25)),
    st.tuples(st.just("redo"), st.just(0)),
)


@settings(max_examples=25)  # each example deploys a contract and runs up to 15 transactions on both
@given(steps=st.lists(ACTIONS, min_size=3, max_size=15))
# the lesson's stories, always tried: fees push a vault under, a keeper takes; an auction is reset
@example(steps=[("draw", 5_000), ("advance", 5 * YEAR), ("poke", 1_400), ("bark", 0), ("advance", 90),
                ("take", 12), ("advance", 600), ("take", 25), ("free", 1)])
@example(steps=[("draw", 10_000), ("poke", 1_100), ("bark", 0), ("advance", 8_000), ("take", 3), ("redo", 0),
                ("advance", 1_800), ("take", 1), ("take", 25), ("wipe", 1)])
def test_random_vault_lives_match_the_model_to_the_last_unit(steps):
    with ch.fresh_chain(seed=5):
        p = Pair(2000 * WAD)
        p.call("lock", sender="alice", value=20 * WAD)
        p.call("draw", 15_000 * WAD, sender="alice")        # liquidated below about 1,090 DAI per ETH
        p.call("lock", sender="keeper", value=10_000 * WAD)
        p.call("draw", 500_000 * WAD, sender="keeper")
        for action, x in steps:
            if action == "advance":
                ch.advance(seconds=x)
                p.same()
                continue
            if action in ("draw", "wipe", "free"):
                result = p.call(action, x * WAD, sender="alice")
            elif action == "poke":
                result = p.call("poke", x * WAD, sender="gov")
            elif action == "bark":
                result = p.call("bark", "alice", "bob", sender="keeper")
            elif action == "take":
                result = p.call("take", max(p.m.kicks, 1), x * WAD, 10**40, "keeper", sender="keeper")
            else:
                result = p.call("redo", max(p.m.kicks, 1), "bob", sender="bob")
            event(f"{action}: {result.reason or 'ok'}")  # shown by --hypothesis-show-statistics
