"""Exercise set 02 (ledgers and provenance): the checks behind exercises/02_ledgers_and_provenance.ipynb.

The reference answers come from :mod:`cryptocourse.ledger` (hash-chained ledger, RFC 6962 Merkle
tree), so the checks agree with the lesson.
"""
from __future__ import annotations

import math

from .. import ledger
from .spec import FreeTextExercise, FunctionExercise, ValueExercise, case, close, exact, mistake


def first_bad_entry(entries: list[dict], genesis: str):
    """Reference for 02.1: index of the first entry failing its hash or its link, else None.

    The same checks as :meth:`cryptocourse.ledger.ModelLedger.check`, on plain dicts.
    """
    prev = genesis
    for i, e in enumerate(entries):
        recomputed = ledger.entry_hash(e["index"], e["kind"], e["who"], e["what"], e["ref"],
                                       e["when"], e["prev"])
        if recomputed != e["hash"] or e["index"] != i or e["prev"] != prev:
            return i
        prev = e["hash"]
    return None


def _entries(led):
    return led.history()


def _deleted_and_relinked(led, k):
    """Entry ``k`` removed and every later entry re-linked and rehashed, keeping its index number:
    hashes and links all check out, only the positions give the deletion away."""
    entries = led.history()
    out, prev = entries[:k], (entries[k - 1]["hash"] if k else led.genesis)
    for e in entries[k + 1:]:
        e = dict(e, prev=prev)
        e["hash"] = ledger.entry_hash(e["index"], e["kind"], e["who"], e["what"], e["ref"], e["when"], prev)
        out.append(e)
        prev = e["hash"]
    return out


def _bad_no_position(entries, genesis):
    """Checks hashes and links but never that entry i says index i."""
    prev = genesis
    for i, e in enumerate(entries):
        h = ledger.entry_hash(e["index"], e["kind"], e["who"], e["what"], e["ref"], e["when"], e["prev"])
        if h != e["hash"] or e["prev"] != prev:
            return i
        prev = e["hash"]
    return None


# -- plausible wrong answers (each must fail its check) -------------------------------------------
def _bad_hash_only(entries, genesis):
    """Checks each entry's hash but never its link to the one before."""
    for i, e in enumerate(entries):
        if ledger.entry_hash(e["index"], e["kind"], e["who"], e["what"], e["ref"], e["when"], e["prev"]) != e["hash"]:
            return i
    return None


def _bad_links_only(entries, genesis):
    """Checks the links but never recomputes a hash."""
    prev = genesis
    for i, e in enumerate(entries):
        if e["prev"] != prev or e["index"] != i:
            return i
        prev = e["hash"]
    return None


def _bad_one_based(entries, genesis):
    found = first_bad_entry(entries, genesis)
    return None if found is None else found + 1


def _bad_skips_genesis(entries, genesis):
    """Starts checking links at entry 1, so the first entry's link is never checked."""
    prev = None
    for i, e in enumerate(entries):
        if ledger.entry_hash(e["index"], e["kind"], e["who"], e["what"], e["ref"], e["when"], e["prev"]) != e["hash"]:
            return i
        if prev is not None and e["prev"] != prev:
            return i
        prev = e["hash"]
    return None


def _root_split_in_half(leaves):
    if len(leaves) == 1:
        return ledger.leaf_hash(leaves[0])
    k = len(leaves) // 2
    return ledger.node_hash(_root_split_in_half(leaves[:k]), _root_split_in_half(leaves[k:]))


def _root_pairwise_levels(leaves):
    """Bitcoin-style: hash pairs level by level, an odd last node paired with itself."""
    level = [ledger.leaf_hash(x) for x in leaves]
    while len(level) > 1:
        if len(level) % 2:
            level = level + [level[-1]]
        level = [ledger.node_hash(level[i], level[i + 1]) for i in range(0, len(level), 2)]
    return level[0]


def _root_no_prefix(leaves):
    """Leaves hashed with plain SHA-256 (no 0x00 byte in front)."""
    if len(leaves) == 1:
        return ledger.sha256_hex(leaves[0])
    k = 1
    while 2 * k < len(leaves):
        k *= 2
    return ledger.node_hash(_root_no_prefix(leaves[:k]), _root_no_prefix(leaves[k:]))


def _verify_ignores_side(leaf, proof, root):
    h = ledger.leaf_hash(leaf)
    for _, sibling in proof:
        h = ledger.node_hash(h, sibling)
    return h == root


def _verify_sides_swapped(leaf, proof, root):
    h = ledger.leaf_hash(leaf)
    for side, sibling in proof:
        h = ledger.node_hash(h, sibling) if side == "left" else ledger.node_hash(sibling, h)
    return h == root


def _verify_no_prefix(leaf, proof, root):
    h = ledger.sha256_hex(leaf)
    for side, sibling in proof:
        h = ledger.node_hash(sibling, h) if side == "left" else ledger.node_hash(h, sibling)
    return h == root


def _verify_trusts_any_sibling(leaf, proof, root):
    """Accepts a proof because it is there, without climbing to the root."""
    return len(proof) > 0 or ledger.leaf_hash(leaf) == root


def _verify_empty_proof_passes(leaf, proof, root):
    """'No proof, nothing to check': any claim with an empty proof is accepted."""
    return not proof or ledger.verify_proof(leaf, proof, root)


def _verify_stops_at_root(leaf, proof, root):
    """Returns True as soon as the climb meets the root: extra steps after it are never looked at."""
    h = ledger.leaf_hash(leaf)
    if h == root:
        return True
    for side, sibling in proof:
        h = ledger.node_hash(sibling, h) if side == "left" else ledger.node_hash(h, sibling)
        if h == root:
            return True
    return False


#: exercise 02.4's tree size (the lesson works out one million; the exercise asks for three)
PROOF_LEAVES = 3_000_000

_LED = ledger.example_ledger()
_GEN = _LED.genesis
_FORGED = _LED.tampered(4, what="re-audit: 95% accuracy, no gap").rehashed_from(4)

# RFC 6962 / Certificate Transparency test leaves (see tests/test_ledger.py)
_CT = [bytes.fromhex(h) for h in ["", "00", "10", "2021", "3031", "40414243", "5051525354555657",
                                   "606162636465666768696a6b6c6d6e6f"]]
_WORDS = ["alice: 1200 records", "bob: 800 records", "carol: 3100 records", "dan: 40 records",
          "erin: 950 records", "frank: 2200 records", "grace: 510 records"]


def _proof_cases():
    cases = []
    for leaves, i in [(_WORDS, 3), (_WORDS, 0), (_WORDS, 6), (_CT, 5), (_WORDS[:1], 0), (_WORDS[:2], 1)]:
        root = ledger.merkle_root(leaves)
        proof = [list(step) for step in ledger.merkle_proof(leaves, i)]
        cases.append(case(leaves[i], proof, root, note=f"a genuine proof (leaf {i} of {len(leaves)})"))
    root = ledger.merkle_root(_WORDS)
    proof = [list(s) for s in ledger.merkle_proof(_WORDS, 3)]
    cases.append(case("dan: 400 records", proof, root, note="the leaf was changed (400, not 40)"))
    bad = [list(s) for s in proof]
    bad[1][1] = ("0" if bad[1][1][0] != "0" else "1") + bad[1][1][1:]
    cases.append(case(_WORDS[3], bad, root, note="one hex digit of a proof hash changed"))
    flipped = [list(s) for s in proof]
    flipped[0][0] = "left" if flipped[0][0] == "right" else "right"
    cases.append(case(_WORDS[3], flipped, root, note="a sibling put on the wrong side"))
    cases.append(case(_WORDS[3], proof, ledger.merkle_root(_WORDS[:6]), note="the root of another tree"))
    cases.append(case(_WORDS[3], proof[:-1], root, note="a proof cut short"))
    cases.append(case("mallory: 9999 records", [], root, note="an empty proof for a leaf that is not the root"))
    cases.append(case(_WORDS[3], proof + [["right", "00" * 32]], root, note="a proof with an extra step"))
    return cases


EXERCISES = [
    FunctionExercise(
        id="02.1", title="Find the first tampered entry", points=3, name="first_bad_entry",
        reference=first_bad_entry,
        nudge="Read the failing case's note: which of the three rules (content matches its hash, link to "
              "the entry before, position) does your function skip for that kind of edit?",
        hint="Walk the entries in order and remember the hash the next entry must point to; before the "
             "first entry that is `genesis`. An entry fails if its recomputed hash differs from its stored "
             "one, if its link is not the remembered hash, or if its index is not its position. Remember "
             "the entry's *stored* hash for the next step.",
        mistakes=[
            mistake("checks hashes but not the links (misses a deleted entry, the wrong genesis)",
                    _bad_hash_only),
            mistake("checks links but never recomputes a hash (misses an edited field)", _bad_links_only),
            mistake("counts entries from 1", _bad_one_based),
            mistake("never checks the first entry's link to the genesis hash", _bad_skips_genesis),
            mistake("never checks the index (misses a deletion the forger re-linked)", _bad_no_position),
        ],
        cases=[
            case(_entries(_LED), _GEN, note="an honest ledger"),
            case([], _GEN, note="an empty ledger"),
            case(_entries(_LED.tampered(6, who="nobody")), _GEN, note="entry 6's 'who' edited"),
            case(_entries(_LED.tampered(0, when="2025-12-31")), _GEN, note="the first entry edited"),
            case(_entries(_LED.tampered(7, what="no patch")), _GEN, note="the last entry edited"),
            case(_entries(_LED.tampered(2, hash="ab" * 32)), _GEN, note="a stored hash replaced"),
            case(_entries(_LED.tampered(5, prev=_LED[3].hash)), _GEN, note="a link pointing two back"),
            case(_entries(_FORGED), _GEN, note="a forger rehashed everything from entry 4: consistent!"),
            case(_entries(_LED), ledger.sha256_hex("another model"), note="the wrong genesis"),
            case(_entries(_LED)[:3] + _entries(_LED)[4:], _GEN, note="entry 3 deleted"),
            case(_deleted_and_relinked(_LED, 3), _GEN,
                 note="entry 3 deleted, the rest re-linked and rehashed (not renumbered)"),
        ],
        compare=exact(),
    ),
    FunctionExercise(
        id="02.2", title="A Merkle root", points=3, name="merkle_root",
        reference=ledger.merkle_root,
        nudge="Your roots differ for some lengths only? Check where you split a list whose length is not "
              "a power of two, and how a single leaf is hashed.",
        hint="Write it recursively: the root of one leaf is its leaf hash; the root of a longer list joins "
             "the roots of its two parts with node_hash. RFC 6962 splits at the largest power of two "
             "that is smaller than the length (for 6 leaves: 4 and 2).",
        mistakes=[
            mistake("splits in the middle instead of at a power of two", _root_split_in_half),
            mistake("Bitcoin-style levels, an odd node paired with itself", _root_pairwise_levels),
            mistake("plain SHA-256 of a leaf (no 0x00 prefix)", _root_no_prefix),
        ],
        cases=[case(_CT[:n], note=f"RFC 6962 test leaves, {n} of them") for n in range(1, 9)]
        + [case(_WORDS), case(["only one"], note="a single leaf"),
           case([f"item {i}" for i in range(13)], note="13 leaves (not a power of two)")],
        compare=exact(),
    ),
    FunctionExercise(
        id="02.3", title="Check an inclusion proof", points=3, name="verify_inclusion",
        reference=ledger.verify_proof,
        nudge="Look at the note of the failing case: a genuine proof must pass, and every altered one "
              "(leaf, sibling hash, side, root, length) must fail.",
        hint="Climb from the leaf's own hash to the root: at each step combine the running hash with the "
             "sibling, in the order the side says (a sibling on the left goes first). The proof is good "
             "only if the climb ends exactly at the published root.",
        mistakes=[
            mistake("ignores the side (always running hash first)", _verify_ignores_side),
            mistake("left and right swapped", _verify_sides_swapped),
            mistake("plain SHA-256 of the leaf (no 0x00 prefix)", _verify_no_prefix),
            mistake("accepts any non-empty proof", _verify_trusts_any_sibling),
            mistake("accepts any claim with an empty proof", _verify_empty_proof_passes),
            mistake("stops at the first hash equal to the root (an extra step passes)", _verify_stops_at_root),
        ],
        cases=_proof_cases(),
        compare=exact(),
    ),
    ValueExercise(
        id="02.4", title="How long is a proof for three million contributions?", points=1,
        name="proof_hashes",
        expected_value=lambda: (PROOF_LEAVES - 1).bit_length(),
        nudge="Count levels, not leaves: how many times can you halve the number of contributions "
              "before one leaf is left? A part of a level still counts as a level.",
        hint="Each level between the leaf and the root adds one sibling hash, and the first leaf sits at "
             "the deepest level. How many levels does a tree need before it has room for every leaf?",
        mistakes=[
            mistake("log2 not rounded up (21.5...)", lambda: math.log2(PROOF_LEAVES)),
            mistake("rounded down (21)", 21),
            mistake("counted the leaf or the root as well (23)", 23),
            mistake("the lesson's figure for one million (20)", 20),
            mistake("one hash per contribution", PROOF_LEAVES),
        ],
        compare=close(rel=0, abs=0),
    ),
    FreeTextExercise(
        id="02.5", title="What the ledger proves, and what it does not", points=2,
        hint="Section 3 (tampering, and how it is found) and the list of what a ledger does not guarantee.",
        rubric="Full marks: says the ledger shows the incident record was not changed or removed after "
               "it was written (tamper-evidence, with the head published), AND names a limit: it does not "
               "prove the report is true / who is really behind a name / that anyone acts on it.",
    ),
]
