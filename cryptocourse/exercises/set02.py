"""Exercise set 02 (ledgers and provenance): the checks behind exercises/02_ledgers_and_provenance.ipynb.

The reference answers come from :mod:`cryptocourse.ledger` (hash-chained ledger, RFC 6962 Merkle
tree), so the checks agree with the lesson.
"""
from __future__ import annotations

from .. import ledger
from .spec import FreeTextExercise, FunctionExercise, ValueExercise, case, close, exact


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
    return cases


EXERCISES = [
    FunctionExercise(
        id="02.1", title="Find the first tampered entry", points=3, name="first_bad_entry",
        reference=first_bad_entry,
        hint="Walk the entries in order, keeping the hash the next entry must point to (start with "
             "`genesis`). Entry i is bad if entry_hash(...) of its fields differs from its stored 'hash', "
             "if its 'prev' is not the previous entry's stored hash, or if its 'index' is not i. "
             "Return None if every entry is fine.",
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
        ],
        compare=exact(),
    ),
    FunctionExercise(
        id="02.2", title="A Merkle root", points=3, name="merkle_root",
        reference=ledger.merkle_root,
        hint="If there is one leaf, the root is leaf_hash(leaf). Otherwise split the list at k, the "
             "largest power of two smaller than its length, and return node_hash(root(left part), "
             "root(right part)): a recursive function.",
        cases=[case(_CT[:n], note=f"RFC 6962 test leaves, {n} of them") for n in range(1, 9)]
        + [case(_WORDS), case(["only one"], note="a single leaf"),
           case([f"item {i}" for i in range(13)], note="13 leaves (not a power of two)")],
        compare=exact(),
    ),
    FunctionExercise(
        id="02.3", title="Check an inclusion proof", points=3, name="verify_inclusion",
        reference=ledger.verify_proof,
        hint="Start from h = leaf_hash(leaf). For each (side, sibling) in the proof: h = node_hash(sibling, h) "
             "if the sibling is on the left, node_hash(h, sibling) if it is on the right. The proof is "
             "good if h ends equal to root.",
        cases=_proof_cases(),
        compare=exact(),
    ),
    ValueExercise(
        id="02.4", title="How long is a proof for a million contributions?", points=1,
        name="proof_hashes_million",
        expected_value=lambda: (10**6 - 1).bit_length(),
        hint="Each level of the tree adds one sibling hash; a tree of n leaves has about log2(n) levels. "
             "Round up: 2**19 < 1,000,000 <= 2**20.",
        compare=close(rel=0, abs=0),
    ),
    FreeTextExercise(
        id="02.5", title="What the ledger proves, and what it does not", points=2,
        rubric="Full marks: says the ledger shows the incident record was not changed or removed after "
               "it was written (tamper-evidence, with the head published), AND names a limit: it does not "
               "prove the report is true / who is really behind a name / that anyone acts on it.",
    ),
]
