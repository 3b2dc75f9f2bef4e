"""Claims tests for lesson 02 (ledgers and provenance): the answer keys, the Merkle-proof sizes and
the sentences about reverts and gas, recomputed from the package (issue 15)."""
import math

import pytest

from cryptocourse import chain, ledger
from cryptocourse.dashboards.ledger import ledger_tamper_view
from lessontext import never_states, states

LESSON = "notebooks/02_ledgers_and_provenance.ipynb"
SOLUTION = "exercises/solutions/02_ledgers_and_provenance.ipynb"

pytestmark = pytest.mark.ignore_isolation  # fresh chains here; titanoboa's snapshot would skew gas


def proof_length(n: int, i: int) -> int:
    """Hashes in the RFC 6962 inclusion proof of leaf i among n leaves, without hashing anything."""
    if n == 1:
        return 0
    k = 1
    while 2 * k < n:
        k *= 2
    return 1 + (proof_length(k, i) if i < k else proof_length(n - k, i - k))


def test_proof_length_helper_agrees_with_the_package():
    for n in (1, 2, 3, 5, 8, 13, 40):
        leaves = [str(j) for j in range(n)]
        assert [proof_length(n, i) for i in range(n)] == [len(ledger.merkle_proof(leaves, i)) for i in range(n)]


def test_the_first_leaf_has_the_longest_proof_of_ceil_log2_n():
    for n in range(1, 300):
        lengths = [proof_length(n, i) for i in range(n)]
        assert max(lengths) == lengths[0] == math.ceil(math.log2(n)), n


def test_a_million_contributions_need_at_most_20_hashes():
    n = 1_000_000
    longest = proof_length(n, 0)
    assert longest == math.ceil(math.log2(n)) == 20 and 32 * longest == 640
    assert proof_length(n, n - 1) < longest           # "some leaves get shorter proofs"
    assert proof_length(2 * n, 0) == longest + 1       # "doubling the set adds only one hash (21)"
    states(LESSON, "a proof has at most 20 hashes (640 bytes)", "some leaves get shorter proofs",
           "the first leaf always has the longest",
           r"At most $\lceil \log_2 10^6 \rceil = 20$ hashes; doubling the set adds only **one** hash (21)")
    never_states(LESSON, "about 20 hashes")


def test_exercise_02_4_asks_what_the_lesson_does_not_say():
    """The exercise's tree is three times the lesson's, so its answer is worked out, not copied."""
    from cryptocourse.exercises import find
    from cryptocourse.exercises.set02 import PROOF_LEAVES

    answer = find("02.4").expected()[0]["value"]
    assert answer == proof_length(PROOF_LEAVES, 0) == math.ceil(math.log2(PROOF_LEAVES)) == 22
    assert answer != proof_length(1_000_000, 0)
    states(SOLUTION, "**3,000,000**", "inclusion proof of the\n**first** contribution")
    never_states(LESSON, "3,000,000", "three million", f"{answer} hashes")


def test_try_it_answer_key_matches_the_dashboard():
    q1 = ledger_tamper_view(index=6, field="what", new_value="routine check, nothing found")
    assert q1.first_tampered == 6 and q1.status[6] == "hash mismatch" and q1.head_matches
    assert all(s == "ok" for i, s in enumerate(q1.status) if i != 6)
    for text in ("anything", "0" * 64, "not a hash at all"):
        q2 = ledger_tamper_view(index=2, field="hash", new_value=text)
        assert q2.status == ["ok", "ok", "hash mismatch", "broken link", "ok", "ok", "ok", "ok"]
    for index, field in ((6, "what"), (2, "who"), (0, "when")):   # content edits: the head differs
        q3 = ledger_tamper_view(index=index, field=field, new_value="forged", rehash=True)
        assert q3.first_tampered is None and not q3.head_matches
    # question 2's edit (a stored hash only): recomputing restores the honest ledger
    q3 = ledger_tamper_view(index=2, field="hash", new_value="anything", rehash=True)
    assert q3.first_tampered is None and q3.head_matches
    assert q3.stored == ledger_tamper_view(new_value="").stored
    states(LESSON, "recomputing simply restores the true hash: the ledger is\n   the honest one again and the head matches")
    states(LESSON, "Entry **6** fails with a *hash mismatch*; all others pass and the published head still matches",
           "Entry **2** (hash mismatch", "entry **3** (broken link",
           "only the comparison with the **published head** fails")


def test_file_sentences():
    history = ledger.example_ledger()
    text = history.to_json()
    assert ledger.ModelLedger.from_json(text).verify(expected_head=history.head)
    assert "81%" in text and not ledger.ModelLedger.from_json(text.replace("81%", "91%")).verify()
    with pytest.raises(ValueError, match="not valid JSON"):
        ledger.ModelLedger.from_json(text[:500])
    states(LESSON, "A file cut short is not a ledger at all and gives a clear error",
           "a file whose entries were edited (say 81% made 91%) still loads, and `verify` then says `False`")
    never_states(LESSON, "a damaged file gives a clear error, not a wrong answer")


def test_genesis_sentence():
    led = ledger.ModelLedger("open-med")
    assert led.genesis == ledger.sha256_hex(ledger.GENESIS_PREFIX + "open-med")
    states(LESSON, "the **genesis** hash (here the hash of a fixed text followed by the model's name)")


def test_a_reverted_transaction_is_on_record_and_changes_nothing():
    """Section 5 and answer 4: the registry records nothing, the failed transaction stays on record."""
    with chain.fresh_chain(seed=2026):
        lab, eve = chain.accounts(2, names=["Lab A", "Eve"])
        reg = chain.deploy("ModelRegistry")
        v1 = reg.register_model("m", b"\x01" * 32, [lab], sender=lab)
        n_events, n_versions = len(chain.events(reg)), reg.version_count()
        result = chain.try_call(reg.add_version, v1, b"\x02" * 32, [eve], "x", sender=eve)
        assert not result.ok and result.gas > chain.TX_BASE_GAS
        assert (len(chain.events(reg)), reg.version_count()) == (n_events, n_versions)
        last = chain.transactions(names=True)[-1]
        assert (last["from"], last["function"], last["status"], last["gas"]) == ("Eve", "add_version", "failed",
                                                                               result.gas)
    states(LESSON, "The transaction itself does not vanish: it is included in the chain's history",
           "the failed transaction stays in the chain's history")
    never_states(LESSON, "leaves no trace", "nothing is recorded, and", "full provenance")


def test_a_new_storage_slot_costs_about_22100_gas():
    source = ("# pragma version ~=0.4.3\nm: HashMap[uint256, uint256]\n"
              "@external\ndef touch(k: uint256, write: bool):\n    if write:\n        self.m[k] = 1\n")
    with chain.fresh_chain(seed=1):
        (who,) = chain.accounts(1)
        c = chain.deploy_source(source, name="Slot")
        c.touch(7, False, sender=who)
        without = chain.last_gas("execution")
        c.touch(7, True, sender=who)
        with_write = chain.last_gas("execution")
    assert 22_100 <= with_write - without <= 22_200
    assert chain.TX_BASE_GAS == 21_000
    states(LESSON, "each new 32-byte storage slot costs about 22,100 gas", "21,000 for any\ntransaction")


def test_four_leaf_worked_example_in_section_4():
    """The drawn tree and the proof of C, recomputed with hashlib alone (RFC 6962: 0x00 leaves, 0x01 nodes)."""
    import hashlib

    H = lambda *parts: hashlib.sha256(b"".join(parts)).digest()  # noqa: E731
    a, b, c, d = (H(b"\x00", x) for x in (b"A", b"B", b"C", b"D"))
    ab, cd = H(b"\x01", a, b), H(b"\x01", c, d)
    root = H(b"\x01", ab, cd)
    assert ledger.merkle_root(["A", "B", "C", "D"]) == root.hex()
    assert ledger.merkle_proof(["A", "B", "C", "D"], 2) == [("right", d.hex()), ("left", ab.hex())]
    assert math.ceil(math.log2(4)) == 2
    states(LESSON, "root = H(1 ‖ ab ‖ cd)", "its owner shows only the **siblings** on C's path to the root, `d` and `ab`",
           "leaves get the byte 0x00, inner nodes 0x01")


# ---------------------------------------------------------------- fresh-eyes review (third pass, 2026-12-04)
def test_a_merkle_proof_leaks_guessable_siblings_and_the_lesson_says_so():
    """The first sibling of the lesson's proof is another contributor's leaf hash: a guessable one can
    be recovered by trying names and counts, which is why the lesson now mentions salting."""
    from cryptocourse import ledger
    states(LESSON, "so systems that must keep contributions private add a random value (a *salt*) to each leaf",
           "not that the model was really trained on\nit, nor that its record count is true",
           "publishing the head exposes a forger")
    never_states(LESSON, "stops a forger", "is part of a training set")
    words = ["alice: 1200 records", "bob: 800 records", "carol: 3100 records", "dan: 40 records"]
    root = ledger.merkle_root(words)
    side, sibling = ledger.merkle_proof(words, 3)[0]
    guesses = [f"{name}: {n} records" for name in ("alice", "bob", "carol") for n in range(0, 5_000, 10)]
    assert [g for g in guesses if ledger.leaf_hash(g) == sibling] == ["carol: 3100 records"]
    assert ledger.verify_proof("dan: 40 records", [list(s) for s in ledger.merkle_proof(words, 3)], root)


def test_the_registry_does_not_check_what_the_lesson_says_it_does_not():
    """'whoever registers a model names its owners ... the first caller to register a content hash claims it'."""
    from cryptocourse import chain
    states(LESSON, "whoever registers a model or adds a version names its owners (Uni B signs nothing here)",
           'Running this cell twice reverts with "content hash\nalready registered"')
    with chain.fresh_chain():
        lab, uni, eve = chain.accounts(3)
        reg = chain.deploy("ModelRegistry")
        h = bytes.fromhex("11" * 32)
        mid = reg.register_model("m", h, [lab, uni], sender=lab)          # Uni B never signed
        assert sorted(reg.contributors(reg.model_root(mid))) == sorted([lab, uni])
        again = chain.try_call(reg.register_model, "copy", h, [eve], sender=eve)
        assert not again.ok and again.reason == "content hash already registered"


def test_a_deploy_pays_53000_before_anything_runs():
    """'21,000 for any transaction, 53,000 for one that deploys a contract, plus its input data ...'."""
    from cryptocourse import chain
    states(LESSON, "21,000 for any\ntransaction, 53,000 for one that deploys a contract")
    assert chain.TX_BASE_GAS + chain.TX_CREATE_GAS == 53_000
    with chain.fresh_chain():
        chain.deploy("ModelRegistry")
        assert chain.last_gas("intrinsic") > 53_000      # the rest is the contract's code, as input data
