# pragma version ~=0.4.3
# pragma optimize none
"""
@title Vault: a minimal MakerDAO-style vault engine for one collateral (ETH)
@notice Lock ETH, draw DAI against it, pay a stability fee that accrues every
        second, and be liquidated by a Dutch auction when the collateral is
        worth too little. One contract plays the parts of MakerDAO's Vat (the
        books), Jug (the stability fee), Spotter (the price with its safety
        margin), Dog (liquidation) and Clipper (the auction). DAI lives here
        as an internal balance, as in the Vat.
@dev    Course contract for cryptocourse notebook 09b. The arithmetic is the
        one of makerdao/dss (src/vat.sol, jug.sol, spot.sol, dog.sol,
        clip.sol, abaci.sol; commit fa4f6630, May 2022), so every number
        equals the Python model cryptocourse.stablecoins.VaultEngine to the
        last unit. Units as in dss: wad = 1e18, ray = 1e27, rad = 1e45.
        Simplifications: a single collateral type; the whole vault is
        liquidated (no Hole/hole limits); the oracle price is set by
        governance (no OSM delay); auction proceeds and fees stay in
        `surplus`, liquidated debt in `vice` (the Vow is not modelled); no
        flash-loan callback in `take`. `draw` credits exactly the DAI asked
        for; the rounding remainder (< 1 wei) goes to `surplus` (dss leaves
        it in the proxy's Vat balance).
"""

WAD: constant(uint256) = 10**18
RAY: constant(uint256) = 10**27
BLN: constant(uint256) = 10**9

# price curves of the auction (abaci.sol)
LINEAR: constant(uint256) = 0
STAIRSTEP: constant(uint256) = 1
EXPONENTIAL: constant(uint256) = 2


struct Sale:
    tab: uint256    # DAI to raise, penalty included [rad]
    lot: uint256    # ETH for sale [wad]
    usr: address    # the liquidated vault's owner (gets what is left)
    tic: uint256    # auction start [unix seconds]
    top: uint256    # starting price [ray, DAI per ETH]


event Lock:
    usr: indexed(address)
    wad: uint256

event Free:
    usr: indexed(address)
    wad: uint256

event Draw:
    usr: indexed(address)
    wad: uint256
    dart: uint256

event Wipe:
    usr: indexed(address)
    dart: uint256
    rad: uint256

event Drip:
    rate: uint256
    fees: uint256

event Poke:
    price: uint256
    spot: uint256

event Bark:
    id: indexed(uint256)
    usr: indexed(address)
    ink: uint256
    art: uint256
    due: uint256
    tab: uint256
    kpr: address
    coin: uint256

event Take:
    id: indexed(uint256)
    price: uint256
    owe: uint256
    sold: uint256
    tab: uint256
    lot: uint256
    who: indexed(address)

event Redo:
    id: indexed(uint256)
    top: uint256
    coin: uint256

event File:
    what: String[8]
    data: uint256


governance: public(address)   # sets the oracle price and the parameters

# --- the books (Vat) ---
ink: public(HashMap[address, uint256])   # ETH locked per vault [wad]
art: public(HashMap[address, uint256])   # normalised debt per vault [wad]
dai: public(HashMap[address, uint256])   # DAI balances [rad]
gem: public(HashMap[address, uint256])   # free ETH, ready to `exit` [wad]
Art: public(uint256)                     # total normalised debt [wad]
rate: public(uint256)                    # debt per unit of art [ray]
debt: public(uint256)                    # all DAI in existence [rad]
vice: public(uint256)                    # debt taken over by the system [rad]
surplus: public(uint256)                 # fees, penalties, auction proceeds [rad]
dust: public(uint256)                    # smallest debt a vault may have [rad]

# --- stability fee (Jug) ---
duty: public(uint256)   # fee per second [ray], e.g. 1.5 % a year
rho: public(uint256)    # time of the last drip [unix seconds]

# --- price (Spotter) ---
price: public(uint256)  # oracle price [wad, DAI per ETH]
mat: public(uint256)    # liquidation ratio [ray], 1.45 = 145 %
spot: public(uint256)   # price / mat [ray]: the most DAI one ETH may back

# --- liquidation (Dog) and auction (Clipper, abaci) ---
chop: public(uint256)   # liquidation penalty [wad], 1.13 = 13 %
buf: public(uint256)    # starting price = oracle price x buf [ray]
tail: public(uint256)   # seconds before an auction needs a reset
cusp: public(uint256)   # price / top below which it needs a reset [ray]
chip: public(uint256)   # keeper reward, share of tab [wad]
tip: public(uint256)    # keeper reward, flat [rad]
calc: public(uint256)   # LINEAR, STAIRSTEP or EXPONENTIAL
tau: public(uint256)    # LINEAR: seconds until the price reaches zero
step: public(uint256)   # STAIRSTEP: seconds between price cuts
cut: public(uint256)    # STAIRSTEP / EXPONENTIAL: factor per step / second [ray]
kicks: public(uint256)  # auctions started
sales: public(HashMap[uint256, Sale])


@deploy
def __init__(price: uint256, mat: uint256, duty: uint256, chop: uint256, dust: uint256,
             buf: uint256, tail: uint256, cusp: uint256, chip: uint256, tip: uint256,
             calc: uint256, tau: uint256, step: uint256, cut: uint256):
    """
    @param price oracle price of ETH [wad DAI]
    @param mat liquidation ratio [ray]; duty fee per second [ray]; chop
           penalty [wad]; dust minimum debt [rad]
    @param buf, tail, cusp, chip, tip the Clipper's parameters; calc, tau,
           step, cut the price curve (abaci.sol)
    """
    assert mat >= RAY, "mat below 100 %"
    assert duty >= RAY, "duty below 0 %"
    assert chop >= WAD, "chop below 0 %"
    assert calc <= EXPONENTIAL, "unknown calc"
    assert cut <= RAY, "cut above 1"
    assert calc != STAIRSTEP or step > 0, "step is zero"
    self.governance = msg.sender
    self.rate = RAY
    self.rho = block.timestamp
    self.duty = duty
    self.mat = mat
    self.chop = chop
    self.dust = dust
    self.buf = buf
    self.tail = tail
    self.cusp = cusp
    self.chip = chip
    self.tip = tip
    self.calc = calc
    self.tau = tau
    self.step = step
    self.cut = cut
    self._poke(price)


# --- math (dss) ---
@internal
@pure
def _rpow(x: uint256, n: uint256, b: uint256) -> uint256:
    """x**n / b**(n-1) by squaring, rounding half up at each step (dss _rpow)."""
    if x == 0:
        if n == 0:
            return b
        return 0
    z: uint256 = b
    if n % 2 == 1:
        z = x
    half: uint256 = b // 2
    xx: uint256 = x
    k: uint256 = n // 2
    for i: uint256 in range(256):
        if k == 0:
            break
        xx = (xx * xx + half) // b      # overflow reverts, as in dss
        if k % 2 == 1:
            z = (z * xx + half) // b
        k = k // 2
    return z


@internal
@pure
def _rmul(x: uint256, y: uint256) -> uint256:
    return x * y // RAY


@internal
@view
def _drip() -> uint256:
    return self._rmul(self._rpow(self.duty, block.timestamp - self.rho, RAY), self.rate)


@internal
def _fold():
    """Jug.drip + Vat.fold: bring `rate` up to now; the fees go to `surplus`."""
    assert block.timestamp >= self.rho, "invalid now"
    prev: uint256 = self.rate
    new: uint256 = self._drip()
    fees: uint256 = self.Art * (new - prev)
    self.rate = new
    self.surplus += fees
    self.debt += fees
    self.rho = block.timestamp
    log Drip(rate=new, fees=fees)


@internal
def _poke(price: uint256):
    self.price = price
    self.spot = price * BLN * RAY // self.mat   # Spotter.poke with par = 1
    log Poke(price=price, spot=self.spot)


@internal
@view
def _auction_price(top: uint256, dur: uint256) -> uint256:
    if self.calc == LINEAR:
        if dur >= self.tau:
            return 0
        return self._rmul(top, (self.tau - dur) * RAY // self.tau)
    if self.calc == STAIRSTEP:
        return self._rmul(top, self._rpow(self.cut, dur // self.step, RAY))
    return self._rmul(top, self._rpow(self.cut, dur, RAY))


@internal
@view
def _status(tic: uint256, top: uint256) -> (bool, uint256):
    dur: uint256 = block.timestamp - tic
    price: uint256 = self._auction_price(top, dur)
    done: bool = dur > self.tail or price * RAY // top < self.cusp
    return done, price


@internal
@view
def _chost() -> uint256:
    return self.dust * self.chop // WAD


# --- governance ---
@external
def poke(price: uint256):
    """@notice The oracle: set ETH's price [wad DAI] and the spot price."""
    assert msg.sender == self.governance, "only governance"
    self._poke(price)


@external
def file(what: String[8], data: uint256):
    """@notice Change a parameter (the duty after a drip, as Jug.file requires)."""
    assert msg.sender == self.governance, "only governance"
    if what == "duty":
        assert data >= RAY, "duty below 0 %"
        self._fold()
        self.duty = data
    elif what == "mat":
        assert data >= RAY, "mat below 100 %"
        self.mat = data
        self._poke(self.price)
    elif what == "chop":
        assert data >= WAD, "chop below 0 %"
        self.chop = data
    elif what == "dust":
        self.dust = data
    elif what == "buf":
        self.buf = data
    elif what == "tail":
        self.tail = data
    elif what == "cusp":
        self.cusp = data
    elif what == "chip":
        self.chip = data
    elif what == "tip":
        self.tip = data
    elif what == "calc":
        assert data <= EXPONENTIAL, "unknown calc"
        self.calc = data
    elif what == "tau":
        self.tau = data
    elif what == "step":
        assert data > 0, "step is zero"
        self.step = data
    elif what == "cut":
        assert data <= RAY, "cut above 1"
        self.cut = data
    else:
        raise "unknown parameter"
    log File(what=what, data=data)


# --- a vault's life ---
@payable
@external
def lock():
    """@notice Lock the ETH sent as collateral in the caller's vault."""
    assert msg.value > 0, "nothing to lock"
    self.ink[msg.sender] += msg.value
    log Lock(usr=msg.sender, wad=msg.value)


@external
def drip() -> uint256:
    """@notice Anyone may bring the rate accumulator up to now; returns the new rate."""
    self._fold()
    return self.rate


@external
def draw(wad: uint256):
    """
    @notice Borrow `wad` DAI against the caller's locked ETH.
    @dev Normalised debt dart = ceil(wad * RAY / rate), as DssProxyActions.
    """
    assert wad > 0, "nothing to draw"
    self._fold()
    rate: uint256 = self.rate
    dart: uint256 = wad * RAY // rate
    if dart * rate < wad * RAY:
        dart += 1
    art: uint256 = self.art[msg.sender] + dart
    tab: uint256 = art * rate
    assert tab <= self.ink[msg.sender] * self.spot, "not safe"
    assert tab >= self.dust, "dust"
    self.art[msg.sender] = art
    self.Art += dart
    self.debt += dart * rate
    self.dai[msg.sender] += wad * RAY
    self.surplus += dart * rate - wad * RAY
    log Draw(usr=msg.sender, wad=wad, dart=dart)


@external
def wipe(wad: uint256):
    """
    @notice Repay up to `wad` DAI of the caller's debt (all of it if `wad`
            covers it: then exactly art * rate is taken).
    @dev dart = floor(wad * RAY / rate), capped at art, as DssProxyActions.
    """
    self._fold()
    rate: uint256 = self.rate
    dart: uint256 = min(wad * RAY // rate, self.art[msg.sender])
    art: uint256 = self.art[msg.sender] - dart
    assert art == 0 or art * rate >= self.dust, "dust"
    rad: uint256 = dart * rate
    self.dai[msg.sender] -= rad            # reverts if the caller has too little DAI
    self.art[msg.sender] = art
    self.Art -= dart
    self.debt -= rad
    log Wipe(usr=msg.sender, dart=dart, rad=rad)


@external
def free(wad: uint256):
    """@notice Unlock `wad` ETH if the vault stays safe; it becomes `gem`, ready to exit."""
    ink: uint256 = self.ink[msg.sender] - wad
    assert self.art[msg.sender] * self.rate <= ink * self.spot, "not safe"
    self.ink[msg.sender] = ink
    self.gem[msg.sender] += wad
    log Free(usr=msg.sender, wad=wad)


@nonreentrant
@external
def exit(wad: uint256):
    """@notice Send `wad` of the caller's free ETH (`gem`) to the caller."""
    self.gem[msg.sender] -= wad
    raw_call(msg.sender, b"", value=wad)


@external
def move(dst: address, rad: uint256):
    """@notice Transfer DAI [rad] to another address."""
    self.dai[msg.sender] -= rad
    self.dai[dst] += rad


# --- liquidation 2.0 ---
@external
def bark(usr: address, kpr: address) -> uint256:
    """
    @notice Liquidate an unsafe vault: its ETH goes to a Dutch auction that
            must raise its debt plus the penalty. `kpr` gets the keeper reward.
    @return the auction id
    """
    ink: uint256 = self.ink[usr]
    art: uint256 = self.art[usr]
    rate: uint256 = self.rate
    assert self.spot > 0 and ink * self.spot < art * rate, "not unsafe"
    assert ink > 0, "null auction"
    # Vat.grab: the vault is emptied, its debt becomes the system's
    self.ink[usr] = 0
    self.art[usr] = 0
    self.Art -= art
    due: uint256 = art * rate
    self.vice += due
    tab: uint256 = due * self.chop // WAD
    # Clipper.kick
    self.kicks += 1
    id: uint256 = self.kicks
    top: uint256 = self._rmul(self.price * BLN, self.buf)
    assert top > 0, "zero top price"
    self.sales[id] = Sale(tab=tab, lot=ink, usr=usr, tic=block.timestamp, top=top)
    coin: uint256 = 0
    if self.tip > 0 or self.chip > 0:
        coin = self.tip + tab * self.chip // WAD
        self.dai[kpr] += coin        # Vat.suck: new DAI, new system debt
        self.vice += coin
        self.debt += coin
    log Bark(id=id, usr=usr, ink=ink, art=art, due=due, tab=tab, kpr=kpr, coin=coin)
    return id


@view
@external
def get_status(id: uint256) -> (bool, uint256, uint256, uint256):
    """@notice (needs_redo, price [ray], lot [wad], tab [rad]) of auction `id`."""
    sale: Sale = self.sales[id]
    if sale.usr == empty(address):
        return False, 0, 0, 0
    done: bool = False
    price: uint256 = 0
    done, price = self._status(sale.tic, sale.top)
    return done, price, sale.lot, sale.tab


@external
def take(id: uint256, amt: uint256, max_price: uint256, who: address):
    """
    @notice Buy up to `amt` ETH [wad] from auction `id` at the current price,
            if it is at most `max_price` [ray]. The caller pays DAI; `who` gets
            the ETH. When the tab is raised, the rest goes back to the owner.
    """
    sale: Sale = self.sales[id]
    assert sale.usr != empty(address), "not running"
    done: bool = False
    price: uint256 = 0
    done, price = self._status(sale.tic, sale.top)
    assert not done, "needs redo"
    assert max_price >= price, "too expensive"
    lot: uint256 = sale.lot
    tab: uint256 = sale.tab
    sold: uint256 = min(lot, amt)
    owe: uint256 = sold * price
    if owe > tab:
        owe = tab
        sold = owe // price
    elif owe < tab and sold < lot:
        chost: uint256 = self._chost()
        if tab - owe < chost:
            assert tab > chost, "no partial purchase"
            owe = tab - chost
            sold = owe // price
    tab -= owe
    lot -= sold
    self.gem[who] += sold
    self.dai[msg.sender] -= owe          # reverts if the buyer has too little DAI
    self.surplus += owe
    if lot == 0:
        self.sales[id] = empty(Sale)
    elif tab == 0:
        self.gem[sale.usr] += lot        # what the owner gets back
        self.sales[id] = empty(Sale)
    else:
        self.sales[id].tab = tab
        self.sales[id].lot = lot
    log Take(id=id, price=price, owe=owe, sold=sold, tab=tab, lot=lot, who=who)


@external
def redo(id: uint256, kpr: address):
    """@notice Restart an auction that ran too long or fell too far, from today's price."""
    sale: Sale = self.sales[id]
    assert sale.usr != empty(address), "not running"
    done: bool = False
    price: uint256 = 0
    done, price = self._status(sale.tic, sale.top)
    assert done, "cannot reset"
    feed: uint256 = self.price * BLN
    top: uint256 = self._rmul(feed, self.buf)
    assert top > 0, "zero top price"
    self.sales[id].tic = block.timestamp
    self.sales[id].top = top
    coin: uint256 = 0
    if self.tip > 0 or self.chip > 0:
        chost: uint256 = self._chost()
        if sale.tab >= chost and sale.lot * feed >= chost:
            coin = self.tip + sale.tab * self.chip // WAD
            self.dai[kpr] += coin
            self.vice += coin
            self.debt += coin
    log Redo(id=id, top=top, coin=coin)


@view
@external
def owed(usr: address) -> uint256:
    """@notice What `usr`'s vault owes at the last drip [rad] = art x rate."""
    return self.art[usr] * self.rate
