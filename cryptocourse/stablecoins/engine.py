"""The vault engine: lock, draw, drip, bark and take, exactly as contracts/Vault.vy (and dss) keep them; deploy_vault."""
from __future__ import annotations

import copy
from dataclasses import dataclass

from cryptocourse._validate import choice, fail, integer

from .dss_math import (
    _UINT256,
    BLN,
    RAD,
    RAY,
    WAD,
    _uint,
    clip_price_exponential,
    clip_price_linear,
    clip_price_stairstep,
    drip,
    rmul,
)
from .vaults import CALCS, ETH_A, IlkParams

# ---------------------------------------------------------------------------------------------
# the vault engine (exact; mirrors contracts/Vault.vy)
# ---------------------------------------------------------------------------------------------

class VaultError(ValueError):
    """A call the contract would revert; the message is the contract's reason."""


@dataclass
class Sale:
    """A running auction (the Clipper's ``sales[id]``): tab (rad), lot (wad), usr, tic (s), top (ray)."""

    tab: int
    lot: int
    usr: str
    tic: int
    top: int


class VaultEngine:
    """Vaults of one collateral type, exactly as ``contracts/Vault.vy`` (and dss) keep them.

    A Python twin of the course contract: every method does what the contract's function of the
    same name does, with the same integer arithmetic and the same reasons for refusing, so the
    two agree to the last unit (``tests/test_vault_contract.py`` checks it). Time is
    :attr:`now` (seconds); move it with :meth:`warp`. A refused call raises
    :class:`VaultError` and changes nothing.

    Units (as dss): ETH amounts in wad (1e18), rates and prices in ray (1e27) except
    ``price`` (wad, as the oracle reports it), DAI balances and debts in rad (1e45).

    Parameters
    ----------
    price : int
        The oracle's ETH price (wad DAI per ETH).
    ilk : IlkParams
        The parameters (default :data:`ETH_A`, the March 2023 snapshot).
    now : int
        Starting time (seconds).

    Examples
    --------
    >>> v = VaultEngine(price=1500 * WAD)
    >>> v.lock("alice", 10 * WAD); v.draw("alice", 8_000 * WAD)
    >>> v.warp(365 * 86400); v.drip() > RAY
    True
    >>> round(v.owed("alice") / RAD, 2)   # 8,000 DAI plus 1.5 % for a year
    8120.0

    Source: makerdao/dss (vat, jug, spot, dog, clip, abaci) as in ``contracts/Vault.vy``.
    Notebook 09b.
    """

    def __init__(self, price: int, ilk: IlkParams = ETH_A, now: int = 0) -> None:
        if not isinstance(ilk, IlkParams):
            fail("ilk", "an IlkParams (e.g. ETH_A)", ilk, exc=TypeError)
        self.now = _uint("now", now)
        self.ink: dict[str, int] = {}
        self.art: dict[str, int] = {}
        self.dai: dict[str, int] = {}
        self.gem: dict[str, int] = {}
        self.Art = 0
        self.rate = RAY
        self.debt = 0
        self.vice = 0
        self.surplus = 0
        self.rho = self.now
        self.kicks = 0
        self.sales: dict[int, Sale] = {}
        if ilk.mat < RAY:
            raise VaultError("mat below 100 %")
        if ilk.duty < RAY:
            raise VaultError("duty below 0 %")
        if ilk.chop < WAD:
            raise VaultError("chop below 0 %")
        choice("ilk.calc", ilk.calc, CALCS)
        if ilk.cut > RAY:
            raise VaultError("cut above 1")
        if ilk.calc == "stairstep" and ilk.step == 0:
            raise VaultError("step is zero")
        self.duty, self.mat, self.chop, self.dust = ilk.duty, ilk.mat, ilk.chop, ilk.dust
        self.buf, self.tail, self.cusp, self.chip, self.tip = ilk.buf, ilk.tail, ilk.cusp, ilk.chip, ilk.tip
        self.calc, self.tau, self.step, self.cut = CALCS[ilk.calc], ilk.tau, ilk.step, ilk.cut
        self.ilk = ilk
        self._poke(_uint("price", price))

    def __repr__(self) -> str:
        return (f"<VaultEngine {self.ilk.name}: {len([a for a in self.art.values() if a])} vaults with debt, "
                f"debt {self.debt / RAD:,.2f} DAI, rate {self.rate / RAY:.9f}, price {self.price / WAD:,.2f}>")

    # -- plumbing --------------------------------------------------------------------------
    _STATE = ("ink", "art", "dai", "gem", "Art", "rate", "debt", "vice", "surplus", "rho", "kicks",
              "sales", "duty", "mat", "chop", "dust", "buf", "tail", "cusp", "chip", "tip", "calc", "tau",
              "step", "cut", "price", "spot")

    def _atomic(self, fn, *args):
        saved = {k: copy.deepcopy(getattr(self, k)) for k in self._STATE}
        try:
            return fn(*args)
        except (ValueError, ArithmeticError):
            for k, v in saved.items():
                setattr(self, k, v)
            raise

    @staticmethod
    def _check(ok: bool, reason: str) -> None:
        if not ok:
            raise VaultError(reason)

    @staticmethod
    def _sub(a: int, b: int) -> int:
        if b > a:
            raise VaultError("underflow")
        return a - b

    @staticmethod
    def _w(x: int) -> int:
        if x >= _UINT256:
            raise VaultError("overflow")
        return x

    def warp(self, seconds: int) -> None:
        """Move time forward by ``seconds``."""
        self.now += integer("seconds", seconds, lo=0, why="time only moves forward")

    def _fold(self) -> None:
        self._check(self.now >= self.rho, "invalid now")
        prev = self.rate
        new = drip(prev, self.duty, self.now - self.rho)
        fees = self._w(self.Art * (new - prev))
        self.rate = new
        self.surplus = self._w(self.surplus + fees)
        self.debt = self._w(self.debt + fees)
        self.rho = self.now

    def _poke(self, price: int) -> None:
        self.price = price
        self.spot = self._w(price * BLN * RAY) // self.mat

    def _auction_price(self, top: int, dur: int) -> int:
        if self.calc == 0:
            return clip_price_linear(top, dur, self.tau)
        if self.calc == 1:
            return clip_price_stairstep(top, dur, self.step, self.cut)
        return clip_price_exponential(top, dur, self.cut)

    def _status(self, tic: int, top: int) -> tuple[bool, int]:
        dur = self._sub(self.now, tic)
        price = self._auction_price(top, dur)
        return dur > self.tail or price * RAY // top < self.cusp, price

    def _chost(self) -> int:
        return self.dust * self.chop // WAD

    # -- governance -------------------------------------------------------------------------
    def poke(self, price: int) -> None:
        """The oracle: set ETH's price (wad) and the spot price ``price / mat`` (ray)."""
        self._atomic(self._poke, _uint("price", price))

    def file(self, what: str, data: int) -> None:
        """Change a parameter, as ``Vault.file`` (``"duty"`` drips first)."""
        data = _uint("data", data)

        def run():
            if what == "duty":
                self._check(data >= RAY, "duty below 0 %")
                self._fold()
                self.duty = data
            elif what == "mat":
                self._check(data >= RAY, "mat below 100 %")
                self.mat = data
                self._poke(self.price)
            elif what == "chop":
                self._check(data >= WAD, "chop below 0 %")
                self.chop = data
            elif what in ("dust", "buf", "tail", "cusp", "chip", "tip", "tau"):
                setattr(self, what, data)
            elif what == "calc":
                self._check(data <= 2, "unknown calc")
                self.calc = data
            elif what == "step":
                self._check(data > 0, "step is zero")
                self.step = data
            elif what == "cut":
                self._check(data <= RAY, "cut above 1")
                self.cut = data
            else:
                raise VaultError("unknown parameter")
        self._atomic(run)

    # -- a vault's life -----------------------------------------------------------------------
    def lock(self, usr: str, wad: int) -> None:
        """Lock ``wad`` ETH (wei) in ``usr``'s vault."""
        wad = _uint("wad", wad)
        self._check(wad > 0, "nothing to lock")
        self.ink[usr] = self.ink.get(usr, 0) + wad

    def drip(self) -> int:
        """Bring the rate accumulator up to :attr:`now` (``Jug.drip``); returns the new rate."""
        self._atomic(self._fold)
        return self.rate

    def draw(self, usr: str, wad: int) -> None:
        """``usr`` borrows ``wad`` DAI (wad); normalised debt ``ceil(wad * RAY / rate)``."""
        wad = _uint("wad", wad)

        def run():
            self._check(wad > 0, "nothing to draw")
            self._fold()
            rate = self.rate
            dart = self._w(wad * RAY) // rate
            if dart * rate < wad * RAY:
                dart += 1
            art = self.art.get(usr, 0) + dart
            tab = self._w(art * rate)
            self._check(tab <= self._w(self.ink.get(usr, 0) * self.spot), "not safe")
            self._check(tab >= self.dust, "dust")
            self.art[usr] = art
            self.Art += dart
            self.debt = self._w(self.debt + dart * rate)
            self.dai[usr] = self.dai.get(usr, 0) + wad * RAY
            self.surplus += dart * rate - wad * RAY
        self._atomic(run)

    def wipe(self, usr: str, wad: int) -> None:
        """``usr`` repays up to ``wad`` DAI: ``dart = min(floor(wad * RAY / rate), art)``."""
        wad = _uint("wad", wad)

        def run():
            self._fold()
            rate = self.rate
            dart = min(self._w(wad * RAY) // rate, self.art.get(usr, 0))
            art = self.art.get(usr, 0) - dart
            self._check(art == 0 or art * rate >= self.dust, "dust")
            rad = dart * rate
            self.dai[usr] = self._sub(self.dai.get(usr, 0), rad)
            self.art[usr] = art
            self.Art -= dart
            self.debt = self._sub(self.debt, rad)
        self._atomic(run)

    def free(self, usr: str, wad: int) -> None:
        """Unlock ``wad`` ETH from ``usr``'s vault if it stays safe (it becomes ``gem``)."""
        wad = _uint("wad", wad)

        def run():
            ink = self._sub(self.ink.get(usr, 0), wad)
            self._check(self.art.get(usr, 0) * self.rate <= self._w(ink * self.spot), "not safe")
            self.ink[usr] = ink
            self.gem[usr] = self.gem.get(usr, 0) + wad
        self._atomic(run)

    def exit(self, usr: str, wad: int) -> None:
        """Take ``wad`` of ``usr``'s free ETH out (the contract sends it)."""
        wad = _uint("wad", wad)
        self._atomic(lambda: self.gem.__setitem__(usr, self._sub(self.gem.get(usr, 0), wad)))

    def move(self, src: str, dst: str, rad: int) -> None:
        """Transfer ``rad`` of DAI from ``src`` to ``dst``."""
        rad = _uint("rad", rad)

        def run():
            self.dai[src] = self._sub(self.dai.get(src, 0), rad)
            self.dai[dst] = self.dai.get(dst, 0) + rad
        self._atomic(run)

    # -- liquidation 2.0 ------------------------------------------------------------------------
    def bark(self, usr: str, kpr: str) -> int:
        """Liquidate ``usr``'s unsafe vault (``Dog.bark`` + ``Clipper.kick``); returns the auction id."""
        def run():
            ink, art, rate = self.ink.get(usr, 0), self.art.get(usr, 0), self.rate
            self._check(self.spot > 0 and self._w(ink * self.spot) < self._w(art * rate), "not unsafe")
            self._check(ink > 0, "null auction")
            self.ink[usr] = 0
            self.art[usr] = 0
            self.Art -= art
            due = art * rate
            self.vice += due
            tab = self._w(due * self.chop) // WAD
            self.kicks += 1
            top = rmul(self._w(self.price * BLN), self.buf)
            self._check(top > 0, "zero top price")
            self.sales[self.kicks] = Sale(tab=tab, lot=ink, usr=usr, tic=self.now, top=top)
            if self.tip > 0 or self.chip > 0:
                coin = self.tip + self._w(tab * self.chip) // WAD
                self.dai[kpr] = self.dai.get(kpr, 0) + coin
                self.vice += coin
                self.debt += coin
            return self.kicks
        return self._atomic(run)

    def get_status(self, id: int) -> tuple[bool, int, int, int]:
        """``(needs_redo, price (ray), lot (wad), tab (rad))`` of auction ``id``."""
        sale = self.sales.get(id)
        if sale is None:
            return False, 0, 0, 0
        done, price = self._status(sale.tic, sale.top)
        return done, price, sale.lot, sale.tab

    def take(self, id: int, amt: int, max_price: int, who: str, sender: str) -> None:
        """``sender`` buys up to ``amt`` ETH of auction ``id`` at no more than ``max_price`` (ray).

        ``who`` receives the ETH (as ``gem``); the owner gets what is left once the tab is raised.
        """
        amt = _uint("amt", amt)
        max_price = _uint("max_price", max_price)

        def run():
            sale = self.sales.get(id)
            self._check(sale is not None, "not running")
            done, price = self._status(sale.tic, sale.top)
            self._check(not done, "needs redo")
            self._check(max_price >= price, "too expensive")
            lot, tab = sale.lot, sale.tab
            sold = min(lot, amt)
            owe = self._w(sold * price)
            if owe > tab:
                owe = tab
                sold = owe // price
            elif owe < tab and sold < lot:
                chost = self._chost()
                if tab - owe < chost:
                    self._check(tab > chost, "no partial purchase")
                    owe = tab - chost
                    sold = owe // price
            tab -= owe
            lot -= sold
            self.gem[who] = self.gem.get(who, 0) + sold
            self.dai[sender] = self._sub(self.dai.get(sender, 0), owe)
            self.surplus += owe
            if lot == 0:
                del self.sales[id]
            elif tab == 0:
                self.gem[sale.usr] = self.gem.get(sale.usr, 0) + lot
                del self.sales[id]
            else:
                sale.tab, sale.lot = tab, lot
        self._atomic(run)

    def redo(self, id: int, kpr: str) -> None:
        """Restart auction ``id`` from today's price once it needs a reset."""
        def run():
            sale = self.sales.get(id)
            self._check(sale is not None, "not running")
            done, _ = self._status(sale.tic, sale.top)
            self._check(done, "cannot reset")
            feed = self.price * BLN
            top = rmul(feed, self.buf)
            self._check(top > 0, "zero top price")
            sale.tic, sale.top = self.now, top
            if self.tip > 0 or self.chip > 0:
                chost = self._chost()
                if sale.tab >= chost and sale.lot * feed >= chost:
                    coin = self.tip + sale.tab * self.chip // WAD
                    self.dai[kpr] = self.dai.get(kpr, 0) + coin
                    self.vice += coin
                    self.debt += coin
        self._atomic(run)

    def owed(self, usr: str) -> int:
        """What ``usr``'s vault owes at the last drip (rad): ``art * rate``."""
        return self.art.get(usr, 0) * self.rate


def deploy_vault(price: int, ilk: IlkParams = ETH_A, sender: str | None = None):
    """Deploy ``contracts/Vault.vy`` on the current course chain with ``ilk``'s parameters.

    Parameters
    ----------
    price : int
        The oracle's ETH price (wad DAI per ETH).
    ilk : IlkParams
        Parameters (default :data:`ETH_A`).
    sender : str, optional
        Deployer, who becomes ``governance`` (sets the price and parameters).

    Returns
    -------
    titanoboa contract
        Call ``vault.lock(value=..., sender=...)``, ``vault.draw(wad, sender=...)`` ...

    A :class:`VaultEngine` built with the same ``price``, ``ilk`` and ``now=chain.now()`` follows
    it to the last unit. Notebook 09b.
    """
    from cryptocourse import chain

    if not isinstance(ilk, IlkParams):
        fail("ilk", "an IlkParams (e.g. ETH_A)", ilk, exc=TypeError)
    price = _uint("price", price)
    choice("ilk.calc", ilk.calc, CALCS)
    return chain.deploy("Vault", price, ilk.mat, ilk.duty, ilk.chop, ilk.dust, ilk.buf, ilk.tail, ilk.cusp,
                        ilk.chip, ilk.tip, CALCS[ilk.calc], ilk.tau, ilk.step, ilk.cut, sender=sender)
