"""A real EVM in the notebook: deploy the course's Vyper contracts and read what they did.

The contracts in ``cryptocourse/contracts/*.vy`` run on a local Ethereum Virtual
Machine (py-evm driven by titanoboa), offline. This module keeps notebook cells short:

=============================  ============================================================
``new_chain(seed=2026)``       start a fresh, empty chain (and make it the current one)
``current()``                  the current chain (started if there is none)
``fresh_chain(seed=2026)``     the same as a ``with`` block; the previous chain comes back after
``accounts(n, eth=100)``       ``n`` funded addresses (optionally with ``names=``)
``deploy(name, *args)``        deploy ``contracts/<name>.vy`` (compiled once per session)
``deploy_source(src, *args)``  deploy Vyper source you wrote or edited yourself
``advance(seconds, blocks)``   move the block timestamp and number forward
``now()`` / ``block_number()`` the current block's timestamp (s) and number
``balance(addr)``              an address's balance in wei
``name(addr)``                 the readable name given by ``accounts(..., names=)``
``contract_names()``           the course contracts ``deploy`` knows
``events(contract)``           every event the contract emitted, oldest first, as plain dicts
``transactions()``             every transaction sent, failed ones included, oldest first
``last_gas()``                 gas of the last transaction (deploy or state-changing call)
``try_call(fn, *args)``        call, and get ``ok``/``value``/``reason``/``gas`` instead of an error
``expect_revert(reason)``      ``with`` block that passes only if the calls inside revert so
``revert_reason(exc)``         the human reason (``"only governance"``) from a revert error
``ether(x)`` / ``to_ether(w)`` ether -> wei (exact) and wei -> ether (float)
``split_fee(fee, shares)``     Python mirror of ModelLicense's fee split, exact to the wei
=============================  ============================================================

titanoboa (``boa``) is imported lazily, inside the functions, so ``import
cryptocourse.chain`` stays fast. Every chain is seeded: the same seed gives the
same account addresses and contract addresses on every run.

Contracts are ordinary titanoboa contracts: call ``lic.use("chat", value=fee,
sender=alice)``, read ``lic.fee()``. A revert raises ``boa.BoaError``; the chain's
state is unchanged by a reverted call, but the transaction itself stays in the chain's
history (:func:`transactions`), as a failed transaction stays in an Ethereum block.

Introduced in notebook 02 (ModelRegistry) and notebook 03 (ModelLicense).
"""
from __future__ import annotations

import contextlib
import hashlib
import random
from decimal import Decimal
from pathlib import Path
from typing import Any, Callable, Iterator, NamedTuple, Sequence

from cryptocourse._validate import fail, integer, number

CONTRACTS_DIR = Path(__file__).parent / "contracts"
WEI_PER_ETHER = 10**18
#: Ethereum's intrinsic transaction costs (yellow paper G_transaction, EIP-2028 calldata,
#: EIP-3860 initcode words, G_txcreate) and the EIP-3529 refund cap (1/5 of gas used).
TX_BASE_GAS = 21_000
TX_CREATE_GAS = 32_000
CALLDATA_ZERO_GAS = 4
CALLDATA_NONZERO_GAS = 16
INITCODE_WORD_GAS = 2

_DEPLOYERS: dict[str, Any] = {}  # sha256(source) -> compiled VyperDeployer


# ---------------------------------------------------------------------------
# the chain (a boa Env that also keeps an event log and the last transaction's gas)

def _course_env_class():
    import boa
    from boa.util.abi import Address as boa_address

    class CourseEnv(boa.Env):
        """A titanoboa Env that records every event, every transaction and its gas."""

        def __init__(self, seed: int):
            self._random = random.Random(seed)  # seeds addresses (read by Env.__init__)
            super().__init__()
            self.log_history: list[tuple[int, Any]] = []  # (sequence, raw log) oldest first
            self.tx_history: list[dict[str, Any]] = []    # one receipt per transaction
            self.last_tx: dict[str, int] | None = None
            self.names: dict[str, str] = {}
            self._selectors: dict[str, dict[bytes, str]] = {}  # contract address -> {selector: name}

        def _function_name(self, contract, data: bytes) -> str:
            abi = getattr(contract, "abi", None)
            if not abi or len(data) < 4:
                return "(unknown)"
            key = str(getattr(contract, "address", ""))
            if key not in self._selectors:
                from eth_utils import function_abi_to_4byte_selector

                self._selectors[key] = {function_abi_to_4byte_selector(item): item["name"]
                                        for item in abi if item.get("type") == "function"}
            return self._selectors[key].get(bytes(data[:4]), "(unknown)")

        def _receipt(self, computation, total: int, sender, to, function: str) -> None:
            self.tx_history.append({
                "block": self.evm.patch.block_number,
                "from": str(sender) if sender is not None else None,
                "to": str(to) if to is not None else None,
                "function": function,
                "status": "failed" if computation.is_error else "ok",
                "gas": total,
            })

        def _record(self, computation, data: bytes, create: bool) -> int:
            execution = computation.get_gas_used()
            intrinsic = TX_BASE_GAS + sum(
                CALLDATA_ZERO_GAS if b == 0 else CALLDATA_NONZERO_GAS for b in data
            )
            if create:
                intrinsic += TX_CREATE_GAS + INITCODE_WORD_GAS * ((len(data) + 31) // 32)
            refund = 0 if computation.is_error else computation.get_gas_refund()
            total = intrinsic + execution
            total -= min(refund, total // 5)
            self.last_tx = {"execution": execution, "intrinsic": intrinsic,
                            "refund": refund, "total": total}
            if not computation.is_error:
                for entry in sorted(computation.get_raw_log_entries()):
                    self.log_history.append((len(self.log_history), entry))
            return total

        def _begin_tx(self, sender, to) -> None:
            # boa runs calls as bare messages; start a real transaction boundary so
            # gas is charged as on Ethereum: storage "original" values and warm/cold
            # access (EIP-2929, EIP-2200) reset, sender and target pre-warmed.
            # Skipped inside a boa anchor (an open snapshot must stay revertible).
            state = self.evm.vm.state
            if state._account_db._journaldb._journal.is_flattened:
                state.lock_changes()
            for addr in (sender, to):
                if addr is not None:
                    state.mark_address_warm(boa_address(addr).canonical_address)

        def deploy(self, *args, **kwargs):
            sender = self._get_sender(kwargs.get("sender"))
            self._begin_tx(sender, None)
            address, computation = super().deploy(*args, **kwargs)
            total = self._record(computation, kwargs.get("bytecode", b""), create=True)
            self._receipt(computation, total, sender, None if computation.is_error else address, "(deploy)")
            return address, computation

        def execute_code(self, *args, **kwargs):
            tx = kwargs.get("is_modifying", True) and not kwargs.get("simulate", False)
            if tx:
                sender = self._get_sender(kwargs.get("sender"))
                self._begin_tx(sender, kwargs.get("to_address"))
            computation = super().execute_code(*args, **kwargs)
            if tx:
                data = kwargs.get("data", b"")
                total = self._record(computation, data, create=False)
                self._receipt(computation, total, sender, kwargs.get("to_address"),
                              self._function_name(kwargs.get("contract"), data))
            return computation

    return CourseEnv


class Chain:
    """A handle on one isolated EVM state (returned by :func:`new_chain`).

    Attributes: ``env`` (the titanoboa Env). The module functions act on the
    *current* chain, so most notebooks never need this object.
    """

    def __init__(self, env):
        self.env = env

    def __repr__(self) -> str:
        return (f"<Chain block {self.env.evm.patch.block_number}, "
                f"time {self.env.evm.patch.timestamp}, {len(self.env.log_history)} events>")


def new_chain(seed: int = 2026) -> Chain:
    """Start a fresh, empty EVM and make it the current chain.

    Parameters
    ----------
    seed : int
        Seeds the generated addresses, so reruns give the same addresses.

    Returns
    -------
    Chain
        A handle on the new chain (the module functions use it automatically).

    Examples
    --------
    >>> c = new_chain(seed=1)
    >>> a, b = accounts(2, eth=5)
    >>> balance(a) == 5 * 10**18
    True

    Source: titanoboa 0.2.8 ``boa.Env`` (https://github.com/vyperlang/titanoboa).
    Introduced in notebook 02.
    """
    import boa

    seed = integer("seed", seed)
    env = _course_env_class()(seed)
    boa.set_env(env)
    return Chain(env)


@contextlib.contextmanager
def fresh_chain(seed: int = 2026) -> Iterator[Chain]:
    """A fresh chain for the length of a ``with`` block; the previous one comes back after.

    >>> with fresh_chain() as c:
    ...     (a,) = accounts(1)
    >>> isinstance(c, Chain)
    True
    """
    import boa

    previous = boa.env
    chain = new_chain(seed)
    try:
        yield chain
    finally:
        boa.set_env(previous)


def _env():
    """The current chain's env; starts one if boa's env is not a course chain."""
    import boa

    if not hasattr(boa.env, "log_history"):
        new_chain()
    return boa.env


def current() -> Chain:
    """The current chain (a new one is started if there is none)."""
    return Chain(_env())


# ---------------------------------------------------------------------------
# accounts, money and time

def ether(amount: float | int | str) -> int:
    """Convert ether to wei, exactly (1 ether = 10**18 wei).

    Parameters
    ----------
    amount : float, int or str
        Amount in ether; ``"0.1"`` or ``0.1`` give exactly 10**17 wei.

    Returns
    -------
    int
        Amount in wei.

    >>> ether(0.01)
    10000000000000000
    """
    if isinstance(amount, str):
        try:
            value = Decimal(amount)
        except Exception:  # decimal.InvalidOperation
            fail("amount", "a number of ether", amount, exc=TypeError)
    else:
        value = Decimal(repr(number("amount", amount)))
    if value < 0:
        fail("amount", ">= 0", amount)
    wei = value * WEI_PER_ETHER
    if wei != wei.to_integral_value():
        fail("amount", "a whole number of wei", amount, why="1 wei = 1e-18 ether is the smallest unit")
    return int(wei)


def to_ether(wei: int) -> float:
    """Convert wei to ether (a float, for display).

    >>> to_ether(25 * 10**16)
    0.25
    """
    return integer("wei", wei) / WEI_PER_ETHER


def accounts(n: int, eth: int | float = 100, names: Sequence[str] | None = None) -> list[str]:
    """Create ``n`` new addresses on the current chain, each holding ``eth`` ether.

    Parameters
    ----------
    n : int
        How many accounts (1 to 100).
    eth : int or float
        Starting balance of each, in ether.
    names : list of str, optional
        Readable names (``["alice", "bob"]``) shown by ``events(..., names=True)``.

    Returns
    -------
    list of str
        Checksummed addresses.

    >>> _ = new_chain()
    >>> alice, bob = accounts(2, eth=1, names=["alice", "bob"])
    >>> balance(alice)
    1000000000000000000
    """
    n = integer("n", n, lo=1, hi=100, why="a notebook needs a handful of accounts")
    wei = ether(eth)
    if names is not None:
        names = list(names)
        if len(names) != n or not all(isinstance(x, str) and x for x in names):
            fail("names", f"a list of {n} non-empty strings", names)
    env = _env()
    out = []
    for i in range(n):
        label = names[i] if names is not None else None
        address = env.generate_address(label)
        env.set_balance(address, wei)
        if label:
            env.names[str(address)] = label
        out.append(str(address))
    return out


def balance(address: str) -> int:
    """An address's balance on the current chain, in wei."""
    return _env().get_balance(_address("address", address))


def name(address: str) -> str:
    """The readable name given to ``address`` by :func:`accounts`, else the address itself."""
    return _env().names.get(str(address), str(address))


def advance(seconds: int = 0, blocks: int = 0) -> None:
    """Move the chain forward in time and/or blocks.

    Parameters
    ----------
    seconds : int
        Seconds to add to the block timestamp. Given alone, blocks move
        ``seconds // 12`` (Ethereum's 12 s slots).
    blocks : int
        Blocks to add to the block number. Given alone, time moves 12 s per block.

    >>> _ = new_chain()
    >>> t, b = now(), block_number()
    >>> advance(seconds=120)
    >>> (now() - t, block_number() - b)
    (120, 10)
    """
    seconds = integer("seconds", seconds, lo=0, why="time only moves forward")
    blocks = integer("blocks", blocks, lo=0, why="blocks only move forward")
    patch = _env().evm.patch
    if seconds and not blocks:
        blocks = seconds // 12
    elif blocks and not seconds:
        seconds = 12 * blocks
    patch.timestamp += seconds
    patch.block_number += blocks


def now() -> int:
    """The current block timestamp, in seconds since 1970."""
    return _env().evm.patch.timestamp


def block_number() -> int:
    """The current block number."""
    return _env().evm.patch.block_number


# ---------------------------------------------------------------------------
# contracts

def _deployer(source: str, name: str):
    import boa

    key = hashlib.sha256(source.encode()).hexdigest()
    if key not in _DEPLOYERS:
        _DEPLOYERS[key] = boa.loads_partial(source, name=name)
    return _DEPLOYERS[key]


def _address(param: str, value: Any) -> str:
    text = str(getattr(value, "address", value))
    if not (text.startswith("0x") and len(text) == 42):
        fail(param, "an address (0x followed by 40 hex digits)", value, exc=TypeError)
    return text


def contract_names() -> list[str]:
    """The course contracts that :func:`deploy` knows (``contracts/*.vy``)."""
    return sorted(p.stem for p in CONTRACTS_DIR.glob("*.vy"))


def deploy(name: str, *args: Any, sender: str | None = None, value: int = 0):
    """Deploy one of the course contracts (``cryptocourse/contracts/<name>.vy``).

    Parameters
    ----------
    name : str
        Contract name, e.g. ``"ModelLicense"`` (see :func:`contract_names`).
    *args
        Constructor arguments.
    sender : str, optional
        Deploying address (default: the chain's default account).
    value : int
        Wei sent with the deployment.

    Returns
    -------
    titanoboa VyperContract
        Call its functions like Python methods.

    >>> _ = new_chain()
    >>> gov, alice = accounts(2)
    >>> lic = deploy("ModelLicense", [alice], [1], 10**15, gov, 0)
    >>> lic.fee()
    1000000000000000

    Source: the contract files in ``cryptocourse/contracts``; notebook 02 and 03.
    """
    if name not in contract_names():
        fail("name", "one of " + ", ".join(repr(n) for n in contract_names()), name)
    source = (CONTRACTS_DIR / f"{name}.vy").read_text()
    return _deploy(source, name, args, sender, value)


def deploy_source(source: str, *args: Any, name: str = "Contract", sender: str | None = None,
                  value: int = 0):
    """Compile and deploy Vyper source code (for example a course contract you edited).

    Parameters
    ----------
    source : str
        Vyper source code (start it with ``# pragma version ~=0.4.3``).
    *args
        Constructor arguments.
    name : str
        A name for the contract in error messages.

    Returns
    -------
    titanoboa VyperContract

    >>> _ = new_chain()
    >>> c = deploy_source("x: public(uint256)\\n@deploy\\ndef __init__(v: uint256):\\n    self.x = v\\n", 7)
    >>> c.x()
    7
    """
    if not isinstance(source, str) or not source.strip():
        fail("source", "Vyper source code (a non-empty str)", source, exc=TypeError)
    return _deploy(source, name, args, sender, value)


def _deploy(source, name, args, sender, value):
    value = integer("value", value, lo=0)
    if sender is not None:
        sender = _address("sender", sender)
    _env()
    return _deployer(source, name).deploy(*args, sender=sender, value=value)


# ---------------------------------------------------------------------------
# events, gas and reverts

def _plain(value: Any) -> Any:
    if isinstance(value, bytes):
        return "0x" + value.hex()
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if type(value).__name__ == "Address" or isinstance(value, str):
        return str(value)
    return value


def events(contract, names: bool = False) -> list[dict[str, Any]]:
    """Every event ``contract`` emitted on the current chain, oldest first.

    Parameters
    ----------
    contract : deployed contract
        A contract returned by :func:`deploy` or :func:`deploy_source`.
    names : bool
        Replace addresses that have a name (see :func:`accounts`) by the name.

    Returns
    -------
    list of dict
        ``{"event": "Used", "user": "0x...", ...}``; bytes as ``0x`` hex strings.
        Events of reverted calls are not there: a revert undoes them too.

    >>> _ = new_chain()
    >>> gov, alice = accounts(2, names=["gov", "alice"])
    >>> lic = deploy("ModelLicense", [alice], [1], 0, gov, 0)
    >>> lic.set_fee(5, sender=gov)
    >>> events(lic)
    [{'event': 'FeeChanged', 'old_fee': 0, 'new_fee': 5}]
    """
    from boa.contracts.event_decoder import RawLogEntry

    if not hasattr(contract, "decode_log"):
        fail("contract", "a deployed contract", contract, exc=TypeError)
    env = _env()
    target = str(contract.address).lower()
    out = []
    for _, raw in env.log_history:
        entry = RawLogEntry(*raw)
        if "0x" + bytes(entry.address).hex() != target:
            continue
        decoded = contract.decode_log(entry)
        row = {"event": type(decoded).__name__}
        for key, val in decoded._asdict().items():
            if key == "address":
                continue
            val = _plain(val)
            if names and isinstance(val, str):
                val = env.names.get(val, val)
            elif names and isinstance(val, list):
                val = [env.names.get(v, v) if isinstance(v, str) else v for v in val]
            row[key] = val
        out.append(row)
    return out


def transactions(names: bool = False) -> list[dict[str, Any]]:
    """Every transaction sent on the current chain, oldest first, **failed ones included**.

    An Ethereum block keeps a failed (reverted) transaction too: its sender, its target, its
    input and the status "failed", and the sender pays for the gas it used. Only its effects
    (state changes, events) are undone. This list is the course chain's record of the same
    thing, one receipt per transaction.

    Parameters
    ----------
    names : bool
        Replace addresses that have a name (see :func:`accounts`) by the name.

    Returns
    -------
    list of dict
        ``{"block", "from", "to", "function", "status" ("ok" or "failed"), "gas"}``;
        ``"to"`` is the new contract's address for a deploy (None if the deploy failed).
        Blocks move only when :func:`advance` is called, so many transactions share one.

    >>> _ = new_chain()
    >>> gov, eve = accounts(2, names=["gov", "eve"])
    >>> lic = deploy("ModelLicense", [gov], [1], 0, gov, 0, sender=gov)
    >>> try_call(lic.set_fee, 5, sender=eve).reason
    'only governance'
    >>> tx = transactions(names=True)[-1]
    >>> tx["from"], tx["function"], tx["status"], tx["gas"] > 21_000
    ('eve', 'set_fee', 'failed', True)

    Sources: Ethereum yellow paper (a receipt's status code, EIP-658). Notebooks 02 and 03.
    """
    env = _env()
    out = []
    for row in env.tx_history:
        row = dict(row)
        if names:
            for key in ("from", "to"):
                if row[key] is not None:
                    row[key] = env.names.get(row[key], row[key])
        out.append(row)
    return out


def last_gas(part: str = "total") -> int:
    """Gas of the last transaction on the current chain (a deploy or a state-changing call).

    Parameters
    ----------
    part : {"total", "execution", "intrinsic", "refund"}
        ``"total"`` is what the sender pays for: intrinsic gas (21,000 per
        transaction, +32,000 for a deploy, plus 4/16 gas per zero/non-zero calldata
        byte) plus the EVM's execution gas, minus the storage refund (capped at
        1/5 of the gas used, EIP-3529). ``"execution"`` is the EVM part alone.
        Inside an open ``boa.env.anchor()`` (titanoboa's pytest plugin opens one per
        test unless marked ``ignore_isolation``) consecutive calls share one
        transaction's warm storage, so storage gas is under-counted there.

    Returns
    -------
    int
        Gas units. Multiply by the gas price (wei per gas) for the cost in wei.

    >>> _ = new_chain()
    >>> gov, alice = accounts(2)
    >>> lic = deploy("ModelLicense", [alice], [1], 0, gov, 0)
    >>> lic.set_fee(5, sender=gov)
    >>> last_gas() > 21_000
    True

    Sources: Ethereum yellow paper (G_transaction, G_txcreate), EIP-2028, EIP-3529, EIP-3860.
    """
    from cryptocourse._validate import choice

    choice("part", part, ["total", "execution", "intrinsic", "refund"])
    tx = _env().last_tx
    if tx is None:
        fail("last_gas", "called after a transaction", None,
             why="deploy a contract or call a function that changes state first", exc=RuntimeError)
    return tx[part]


def revert_reason(error: BaseException) -> str:
    """The reason string of a reverted call (``"only governance"``), from its error.

    Returns ``"reverted without a reason"`` for a bare revert and the EVM error's
    name (for example ``"OutOfGas"``) when the call failed for another reason.
    """
    from eth_abi import decode

    trace = getattr(error, "stack_trace", None)
    frame = trace.last_frame if trace else None
    vm_error = getattr(frame, "vm_error", None)
    if vm_error is None:
        return str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
    data = vm_error.args[0] if vm_error.args else b""
    if isinstance(data, bytes):
        if data[:4] == bytes.fromhex("08c379a0"):  # Error(string)
            return decode(["string"], data[4:])[0]
        if not data:
            return "reverted without a reason"
        return "0x" + data.hex()
    return type(vm_error).__name__ if not isinstance(data, str) else data


class CallResult(NamedTuple):
    """What :func:`try_call` returns."""

    ok: bool        #: True if the call succeeded
    value: Any      #: the function's return value (None if it reverted)
    reason: str     #: the revert reason ("" if it succeeded)
    gas: int        #: total gas of the transaction (0 for a view call)


def try_call(fn: Callable, *args: Any, **kwargs: Any) -> CallResult:
    """Call a contract function and report success or the revert reason instead of raising.

    Parameters
    ----------
    fn : contract function
        For example ``lic.use``.
    *args, **kwargs
        Passed on (``value=`` wei, ``sender=`` address).

    Returns
    -------
    CallResult
        ``(ok, value, reason, gas)``.

    >>> _ = new_chain()
    >>> gov, alice, eve = accounts(3)
    >>> lic = deploy("ModelLicense", [alice], [1], 0, gov, 0)
    >>> try_call(lic.set_fee, 5, sender=eve).reason
    'only governance'
    """
    import boa

    if not callable(fn):
        fail("fn", "a contract function (for example lic.use)", fn, exc=TypeError)
    env = _env()
    env.last_tx = None
    try:
        value = fn(*args, **kwargs)
    except boa.BoaError as err:
        gas = env.last_tx["total"] if env.last_tx else 0
        return CallResult(False, None, revert_reason(err), gas)
    gas = env.last_tx["total"] if env.last_tx else 0
    return CallResult(True, value, "", gas)


@contextlib.contextmanager
def expect_revert(reason: str | None = None) -> Iterator[None]:
    """A ``with`` block that must revert (with ``reason``, if given); otherwise AssertionError.

    >>> _ = new_chain()
    >>> gov, alice, eve = accounts(3)
    >>> lic = deploy("ModelLicense", [alice], [1], 0, gov, 0)
    >>> with expect_revert("only governance"):
    ...     lic.set_fee(5, sender=eve)
    """
    import boa

    try:
        yield
    except boa.BoaError as err:
        got = revert_reason(err)
        if reason is not None and got != reason:
            raise AssertionError(f"expected a revert with {reason!r}, got {got!r}") from None
        return
    raise AssertionError(f"expected a revert{' with ' + repr(reason) if reason else ''}, "
                         "but the call succeeded")


# ---------------------------------------------------------------------------
# the licence's money, in Python (exact, to the wei)

def split_fee(fee: int, shares: Sequence[int]) -> list[int]:
    """Split one fee among owners exactly as ModelLicense does (integer wei).

    Each owner gets ``fee * share // total``; the rounding dust goes to the first owner.

    Parameters
    ----------
    fee : int
        Fee of one use, in wei.
    shares : list of int
        Owners' shares (positive integers), in the contract's owner order.

    Returns
    -------
    list of int
        Wei credited to each owner; the sum is exactly ``fee``.

    >>> split_fee(100, [1, 1, 1])
    [34, 33, 33]

    Source: ``cryptocourse/contracts/ModelLicense.vy`` (``use``). Notebook 03.
    """
    fee = integer("fee", fee, lo=0)
    if isinstance(shares, (str, bytes)) or not hasattr(shares, "__len__") or len(shares) == 0:
        fail("shares", "a non-empty list of ints", shares)
    shares = [integer("shares", s, lo=1, why="every owner needs a positive share") for s in shares]
    total = sum(shares)
    cuts = [fee * s // total for s in shares]
    cuts[0] += fee - sum(cuts)
    return cuts


def license_payouts(fee: int, shares: Sequence[int], uses: int) -> list[int]:
    """Wei each owner has earned after ``uses`` paid uses (exact, as ModelLicense credits it).

    >>> license_payouts(10**15, [3, 1], 1000)
    [750000000000000000, 250000000000000000]
    """
    uses = integer("uses", uses, lo=0)
    return [uses * c for c in split_fee(fee, shares)]
