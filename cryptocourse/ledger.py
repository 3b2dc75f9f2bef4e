"""Tamper-evident records for AI models: a hash-chained ledger and a Merkle tree.

A **hash-chained ledger** records a model's life (train, fine-tune, evaluate,
release, incident). Each entry stores who did what, the hash of the weights or
data it refers to, and the hash of the previous entry; its own hash covers all of
that. Change one byte of an old entry and its hash no longer matches, nor does
the next entry's link to it: :meth:`ModelLedger.first_tampered` finds the spot.
Rewriting every later hash to hide the change alters the last hash (the *head*),
so publishing the head somewhere public (a contract, a newspaper) pins every entry
written before it was published.

A **Merkle tree** commits to many training-data contributions with one 32-byte
root; a contributor proves their item is included with at most ceil(log2(n)) hashes.
The tree follows RFC 6962 (Certificate Transparency), section 2.1: leaves are
hashed as SHA-256(0x00 || data), inner nodes as SHA-256(0x01 || left || right),
and an odd tree is split at the largest power of two below its size.
https://www.rfc-editor.org/rfc/rfc6962#section-2.1

All hashes are SHA-256 (``hashlib``), shown as 64 hex digits. Pure Python, exact.
Introduced in notebook 02 (ledgers and provenance).
"""
from __future__ import annotations

import copy
import hashlib
import json
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Any, Iterator, Sequence

from cryptocourse._validate import choice, fail, integer

#: the kinds of entries a model's ledger records
KINDS = ("train", "fine-tune", "evaluate", "release", "incident")
#: prefix hashed with the model's name to make the first entry's "previous hash"
GENESIS_PREFIX = "cryptocourse ledger genesis: "
_FIELDS = ("index", "kind", "who", "what", "ref", "when", "prev", "hash")
_TEXT_FIELDS = ("kind", "who", "what", "ref", "when", "prev", "hash")


def sha256_hex(data: bytes | str) -> str:
    """SHA-256 of ``data`` (a str is UTF-8 encoded) as 64 hex digits.

    Use it for the ``ref`` of a ledger entry: the hash of a weights file or a dataset.

    >>> sha256_hex("hello")
    '2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824'
    """
    return hashlib.sha256(_as_bytes("data", data)).hexdigest()


def _as_bytes(name: str, data: Any) -> bytes:
    if isinstance(data, str):
        return data.encode("utf-8")
    if isinstance(data, (bytes, bytearray)):
        return bytes(data)
    fail(name, "bytes or str", data, exc=TypeError)


def _check_hex(name: str, value: Any) -> str:
    if not isinstance(value, str):
        fail(name, "a hash as 64 hex digits (a str)", value, exc=TypeError)
    text = value[2:] if value.startswith("0x") else value
    if len(text) != 64 or any(c not in "0123456789abcdef" for c in text.lower()):
        fail(name, "a hash as 64 hex digits", value, why="use sha256_hex(...) to make one")
    return text.lower()


# ---------------------------------------------------------------------------
# the hash-chained ledger

@dataclass(frozen=True)
class Entry:
    """One ledger entry. ``hash`` covers every other field (see :func:`entry_hash`)."""

    index: int
    kind: str
    who: str
    what: str
    ref: str
    when: str
    prev: str
    hash: str

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def entry_hash(index: int, kind: str, who: str, what: str, ref: str, when: str, prev: str) -> str:
    """The hash of one entry: SHA-256 of its fields as compact JSON, in a fixed order.

    Parameters
    ----------
    index : int
        Position in the ledger (0 for the first entry).
    kind, who, what, ref, when, prev : str
        The entry's fields (``ref`` the hash it refers to, ``prev`` the previous
        entry's hash).

    Returns
    -------
    str
        64 hex digits.

    >>> entry_hash(0, "train", "lab", "base model", "", "2026-01", "0" * 64)[:16]
    '47e31c2cce72d97d'
    """
    payload = json.dumps([index, kind, who, what, ref, when, prev],
                         separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def _recompute(e: Entry) -> str:
    return entry_hash(e.index, e.kind, e.who, e.what, e.ref, e.when, e.prev)


class ModelLedger:
    """An append-only, hash-chained history of one AI model.

    Parameters
    ----------
    model : str
        The model's name.

    Examples
    --------
    >>> led = ModelLedger("open-med-7b")
    >>> _ = led.append("train", who="lab-a", what="base model", ref=sha256_hex("weights v1"))
    >>> _ = led.append("release", who="dao", what="v1 public")
    >>> led.verify(), len(led)
    (True, 2)
    >>> bad = led.tampered(0, who="lab-b")
    >>> bad.verify(), bad.first_tampered()
    (False, 0)

    Source: the hash-chain idea of Haber and Stornetta (1991), "How to time-stamp a
    digital document", J. Cryptology 3(2). Notebook 02.
    """

    def __init__(self, model: str):
        if not isinstance(model, str) or not model.strip():
            fail("model", "a non-empty name (str)", model, exc=TypeError)
        self.model = model
        self._entries: list[Entry] = []

    # -- reading
    def __len__(self) -> int:
        return len(self._entries)

    def __iter__(self) -> Iterator[Entry]:
        return iter(self._entries)

    def __getitem__(self, index: int) -> Entry:
        return self._entries[index]

    def __repr__(self) -> str:
        return f"<ModelLedger {self.model!r}: {len(self)} entries, head {self.head[:12]}...>"

    @property
    def entries(self) -> list[Entry]:
        """The entries, oldest first (a copy of the list)."""
        return list(self._entries)

    @property
    def genesis(self) -> str:
        """The first entry's "previous hash": SHA-256 of ``GENESIS_PREFIX + model``,
        so the model's name is covered by the chain too."""
        return sha256_hex(GENESIS_PREFIX + self.model)

    @property
    def head(self) -> str:
        """Hash of the last entry (the genesis hash when empty): publish it to pin the
        whole history."""
        return self._entries[-1].hash if self._entries else self.genesis

    def history(self, kind: str | None = None) -> list[dict[str, Any]]:
        """The entries as dicts, optionally only one ``kind``."""
        if kind is not None:
            choice("kind", kind, KINDS)
        return [e.as_dict() for e in self._entries if kind is None or e.kind == kind]

    # -- writing
    def append(self, kind: str, who: str, what: str, ref: str = "", when: str = "") -> Entry:
        """Add an entry at the end and return it.

        Parameters
        ----------
        kind : str
            One of ``KINDS``: "train", "fine-tune", "evaluate", "release", "incident".
        who : str
            Who did it (a name or an address).
        what : str
            What happened, in words.
        ref : str
            Hash (64 hex digits) of the weights, data or report it refers to, or "".
        when : str
            A date or time as text (e.g. "2026-03-01"), or "".
        """
        choice("kind", kind, KINDS)
        for name, value in (("who", who), ("what", what), ("when", when)):
            if not isinstance(value, str):
                fail(name, "a str", value, exc=TypeError)
        if not who.strip():
            fail("who", "non-empty", who, why="every entry says who answers for it")
        if ref != "":
            ref = _check_hex("ref", ref)
        index = len(self._entries)
        prev = self.head
        h = entry_hash(index, kind, who, what, ref, when, prev)
        entry = Entry(index, kind, who, what, ref, when, prev, h)
        self._entries.append(entry)
        return entry

    # -- checking
    def check(self) -> list[str]:
        """What is wrong with each entry: "ok", "hash mismatch" (its content no longer
        matches its hash) or "broken link" (its ``prev`` is not the previous entry's hash,
        or its index is out of place).

        >>> led = ModelLedger("m")
        >>> for who in ["a", "b", "c"]:
        ...     _ = led.append("train", who=who, what="x")
        >>> led.tampered(1, hash="0" * 64).check()
        ['ok', 'hash mismatch', 'broken link']
        """
        out = []
        prev = self.genesis
        for i, e in enumerate(self._entries):
            if _recompute(e) != e.hash:
                out.append("hash mismatch")
            elif e.index != i or e.prev != prev:
                out.append("broken link")
            else:
                out.append("ok")
            prev = e.hash
        return out

    def first_tampered(self) -> int | None:
        """Index of the first entry that does not match its hash or its link, else None."""
        for i, status in enumerate(self.check()):
            if status != "ok":
                return i
        return None

    def verify(self, expected_head: str | None = None) -> bool:
        """True if every entry matches its hash and links to the one before.

        Parameters
        ----------
        expected_head : str, optional
            A head hash published earlier; if given, the ledger must also end there
            (this catches a forger who recomputed every later hash).
        """
        if expected_head is not None:
            expected_head = _check_hex("expected_head", expected_head)
            if self.head != expected_head:
                return False
        return self.first_tampered() is None

    def tampered(self, index: int, **changes: Any) -> "ModelLedger":
        """A copy with entry ``index`` edited *without* fixing any hash (for experiments).

        ``changes`` are field names and new values, e.g. ``who="someone else"``.
        """
        index = integer("index", index, lo=0, hi=len(self) - 1,
                        why=f"the ledger has {len(self)} entries")
        for key, value in changes.items():
            choice("field", key, _TEXT_FIELDS)
            if not isinstance(value, str):
                fail(key, "a str", value, exc=TypeError)
        out = copy.copy(self)
        out._entries = list(self._entries)
        out._entries[index] = replace(self._entries[index], **changes)
        return out

    def rehashed_from(self, index: int) -> "ModelLedger":
        """A copy whose hashes from ``index`` on are recomputed (what a forger would do).

        The copy verifies on its own, but its head differs from the original head.
        """
        index = integer("index", index, lo=0, hi=max(len(self) - 1, 0))
        out = copy.copy(self)
        out._entries = list(self._entries[:index])
        prev = out._entries[-1].hash if out._entries else self.genesis
        for e in self._entries[index:]:
            e = replace(e, prev=prev)
            e = replace(e, hash=_recompute(e))
            out._entries.append(e)
            prev = e.hash
        return out

    # -- files
    def to_json(self) -> str:
        """The ledger as JSON text (``{"model": ..., "entries": [...]}``)."""
        return json.dumps({"model": self.model, "entries": self.history()}, indent=1,
                          ensure_ascii=False)

    @classmethod
    def from_json(cls, text: str) -> "ModelLedger":
        """Read a ledger written by :meth:`to_json`. Entries are loaded as stored
        (not re-hashed): call :meth:`verify` to check them.

        Raises ``ValueError`` naming the problem if the text is not a ledger.
        """
        if not isinstance(text, (str, bytes)):
            fail("text", "JSON text (str)", text, exc=TypeError)
        if isinstance(text, bytes):
            try:
                text = text.decode("utf-8")
            except UnicodeDecodeError as err:
                raise ValueError(f"ledger file is not UTF-8 text (bad byte at position {err.start}):"
                                 " was it damaged?") from None
        try:
            data = json.loads(text)
        except json.JSONDecodeError as err:
            raise ValueError(f"ledger file is not valid JSON ({err.msg.lower()}: line {err.lineno}, "
                             f"column {err.colno}): was it cut short or edited by hand?") from None
        if not isinstance(data, dict) or "entries" not in data or "model" not in data:
            fail("ledger file", 'a JSON object with "model" and "entries"', _short(data))
        if not isinstance(data["entries"], list):
            fail("ledger file", '"entries" as a list', _short(data["entries"]))
        if not isinstance(data["model"], str) or not data["model"].strip():
            fail("ledger file", '"model" as a non-empty str', _short(data["model"]))
        led = cls(data["model"])
        for i, row in enumerate(data["entries"]):
            if not isinstance(row, dict) or set(row) != set(_FIELDS):
                fail(f"ledger entry {i}", "an object with fields " + ", ".join(_FIELDS), _short(row))
            if not isinstance(row["index"], int) or isinstance(row["index"], bool):
                fail(f"ledger entry {i} index", "an int", row["index"])
            for key in _TEXT_FIELDS:
                if not isinstance(row[key], str):
                    fail(f"ledger entry {i} {key}", "a str", row[key])
            led._entries.append(Entry(**{k: row[k] for k in _FIELDS}))
        return led

    def save(self, path: str | Path) -> Path:
        """Write :meth:`to_json` to ``path`` and return the path."""
        path = Path(path)
        path.write_text(self.to_json(), encoding="utf-8")
        return path

    @classmethod
    def load(cls, path: str | Path) -> "ModelLedger":
        """Read a ledger file written by :meth:`save`."""
        return cls.from_json(Path(path).read_text(encoding="utf-8"))


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 50 else text[:47] + "..."


# ---------------------------------------------------------------------------
# Merkle tree (RFC 6962)

def leaf_hash(data: bytes | str) -> str:
    """RFC 6962 leaf hash: SHA-256(0x00 || data), as 64 hex digits.

    >>> leaf_hash(b"")
    '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d'
    """
    return hashlib.sha256(b"\x00" + _as_bytes("data", data)).hexdigest()


def node_hash(left: str, right: str) -> str:
    """RFC 6962 inner-node hash: SHA-256(0x01 || left || right), hex in and out."""
    left, right = _check_hex("left", left), _check_hex("right", right)
    return hashlib.sha256(b"\x01" + bytes.fromhex(left) + bytes.fromhex(right)).hexdigest()


def _split(n: int) -> int:
    k = 1
    while k * 2 < n:
        k *= 2
    return k


def _root_of(hashes: list[str]) -> str:
    if len(hashes) == 1:
        return hashes[0]
    k = _split(len(hashes))
    return node_hash(_root_of(hashes[:k]), _root_of(hashes[k:]))


def _leaves(leaves: Any) -> list[str]:
    if isinstance(leaves, (str, bytes)) or not isinstance(leaves, Sequence):
        fail("leaves", "a list of bytes or str", _short(leaves), exc=TypeError)
    if len(leaves) == 0:
        fail("leaves", "non-empty", leaves, why="a tree needs at least one contribution")
    return [hashlib.sha256(b"\x00" + _as_bytes(f"leaves[{i}]", x)).hexdigest() for i, x in enumerate(leaves)]


def merkle_root(leaves: Sequence[bytes | str]) -> str:
    """Root hash of the RFC 6962 Merkle tree over ``leaves`` (in order).

    Parameters
    ----------
    leaves : list of bytes or str
        The contributions (a str is UTF-8 encoded).

    Returns
    -------
    str
        64 hex digits.

    >>> merkle_root([b"", b"\\x00"])
    'fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125'

    Source: RFC 6962 section 2.1 (MTH). Notebook 02.
    """
    return _root_of(_leaves(leaves))


def merkle_proof(leaves: Sequence[bytes | str], index: int) -> list[tuple[str, str]]:
    """Inclusion proof for ``leaves[index]``: the sibling hashes from the leaf up to the root.

    Returns
    -------
    list of (side, hash)
        ``side`` is "left" or "right": where the sibling sits next to the running hash.
        Its length is at most ceil(log2(len(leaves))); the first leaf's proof is the
        longest, and when the size is not a power of two some leaves get shorter proofs.

    >>> proof = merkle_proof(["a", "b", "c"], 2)
    >>> [side for side, _ in proof]
    ['left']
    >>> verify_proof("c", proof, merkle_root(["a", "b", "c"]))
    True

    Source: RFC 6962 section 2.1.1 (audit paths), with explicit sides. Notebook 02.
    """
    hashes = _leaves(leaves)
    index = integer("index", index, lo=0, hi=len(hashes) - 1,
                    why=f"there are {len(hashes)} leaves")
    path: list[tuple[str, str]] = []

    def walk(hs: list[str], i: int) -> None:
        if len(hs) == 1:
            return
        k = _split(len(hs))
        if i < k:
            walk(hs[:k], i)
            path.append(("right", _root_of(hs[k:])))
        else:
            walk(hs[k:], i - k)
            path.append(("left", _root_of(hs[:k])))

    walk(hashes, index)
    return path


def verify_proof(leaf: bytes | str, proof: Sequence[tuple[str, str]], root: str) -> bool:
    """True if ``proof`` shows that ``leaf`` is in the tree with this ``root``.

    Parameters
    ----------
    leaf : bytes or str
        The contribution itself (not its hash).
    proof : list of (side, hash)
        From :func:`merkle_proof`.
    root : str
        The published root (64 hex digits).

    >>> verify_proof("b", merkle_proof(["a", "b"], 1), merkle_root(["a", "b"]))
    True
    >>> verify_proof("B", merkle_proof(["a", "b"], 1), merkle_root(["a", "b"]))
    False
    """
    root = _check_hex("root", root)
    h = hashlib.sha256(b"\x00" + _as_bytes("leaf", leaf)).hexdigest()   # leaf_hash, naming this parameter
    if isinstance(proof, (str, bytes)) or not isinstance(proof, Sequence):
        fail("proof", "a list of (side, hash) pairs", _short(proof), exc=TypeError)
    for step in proof:
        if not (isinstance(step, (tuple, list)) and len(step) == 2):
            fail("proof", "a list of (side, hash) pairs", _short(step), exc=TypeError)
        side, sibling = step
        choice("proof", side, ["left", "right"], why="each step's side is 'left' or 'right'")
        h = node_hash(sibling, h) if side == "left" else node_hash(h, sibling)
    return h == root


def example_ledger() -> ModelLedger:
    """The life of a jointly built medical-advice model, as used in notebook 02 and its exercises.

    Eight entries: train, evaluate, release, fine-tune, evaluate, release, incident, fine-tune.
    The names and numbers are invented for teaching.

    >>> led = example_ledger()
    >>> len(led), led.verify(), led[6].kind
    (8, True, 'incident')
    """
    led = ModelLedger("open-med")
    rows = [
        ("train", "Lab A", "pre-trained base model on public medical texts", "weights: open-med v1", "2026-01-10"),
        ("evaluate", "Uni B", "audit: 81% accuracy, 6-point gap between patient groups", "audit report 1", "2026-01-20"),
        ("release", "Model DAO", "v1 released under the community licence", "weights: open-med v1", "2026-02-01"),
        ("fine-tune", "Clinic C", "fine-tuned on 12,000 consented clinical notes", "weights: open-med v1.1", "2026-03-05"),
        ("evaluate", "Uni B", "re-audit: 86% accuracy, 2-point gap", "audit report 2", "2026-03-15"),
        ("release", "Model DAO", "v1.1 released", "weights: open-med v1.1", "2026-03-20"),
        ("incident", "Hospital D", "wrong dosage suggested for a child; report filed", "incident report 1", "2026-04-02"),
        ("fine-tune", "Clinic C", "patch: dosage questions now refused", "weights: open-med v1.2", "2026-04-10"),
    ]
    for kind, who, what, artifact, when in rows:
        led.append(kind, who=who, what=what, ref=sha256_hex(artifact), when=when)
    return led
