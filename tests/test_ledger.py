"""cryptocourse.ledger: the hash-chained model ledger and the RFC 6962 Merkle tree."""
import hashlib
import json

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from cryptocourse import ledger as L

# RFC 6962 reference data (the Certificate Transparency test leaves and tree heads for
# sizes 1..8, as used by google/certificate-transparency and transparency-dev/merkle)
CT_LEAVES = [bytes.fromhex(h) for h in [
    "", "00", "10", "2021", "3031", "40414243", "5051525354555657",
    "606162636465666768696a6b6c6d6e6f"]]
CT_ROOTS = [
    "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
    "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
    "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
    "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
    "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
    "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
]
# audit paths (leaf index, tree size, sibling hashes from the leaf up)
CT_PROOFS = [
    (0, 8, ["96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"]),
    (5, 8, ["bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
            "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"]),
    (2, 3, ["fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125"]),
]


def make_ledger(n=5):
    led = L.ModelLedger("open-med")
    kinds = ["train", "evaluate", "release", "fine-tune", "incident"]
    for i in range(n):
        led.append(kinds[i % 5], who=f"party-{i}", what=f"step {i}",
                   ref=L.sha256_hex(f"artifact {i}"), when=f"2026-0{1 + i % 9}-01")
    return led


# --- hash-chained ledger ---------------------------------------------------------

def test_known_hashes():
    assert L.sha256_hex(b"") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
    payload = b'[0,"train","lab","base model","","2026-01","' + b"0" * 64 + b'"]'
    assert L.entry_hash(0, "train", "lab", "base model", "", "2026-01", "0" * 64) == \
        hashlib.sha256(payload).hexdigest()
    assert L.ModelLedger("m").genesis == hashlib.sha256(b"cryptocourse ledger genesis: m").hexdigest()


def test_append_links_entries():
    led = make_ledger(4)
    assert len(led) == 4 and led.verify() and led.first_tampered() is None
    assert led[0].prev == led.genesis
    assert all(led[i].prev == led[i - 1].hash for i in range(1, 4))
    assert led.head == led[3].hash
    assert led.verify(expected_head=led.head)
    assert [e["kind"] for e in led.history()] == ["train", "evaluate", "release", "fine-tune"]
    assert len(led.history("release")) == 1
    assert L.ModelLedger("m").head == L.ModelLedger("m").genesis and L.ModelLedger("m").verify()


@pytest.mark.parametrize("field", ["kind", "who", "what", "ref", "when", "prev", "hash"])
@pytest.mark.parametrize("index", [0, 2, 4])
def test_any_field_edit_is_found_at_that_entry(field, index):
    led = make_ledger(5)
    old = getattr(led[index], field)
    bad = led.tampered(index, **{field: old + "x"})
    assert not bad.verify()
    assert bad.first_tampered() == index
    assert led.verify()  # the original is untouched


def test_rehashing_forger_is_caught_by_the_published_head():
    led = make_ledger(5)
    head = led.head
    forged = led.tampered(1, who="someone else").rehashed_from(1)
    assert forged.first_tampered() is None  # internally consistent...
    assert not forged.verify(expected_head=head)  # ...but the head moved
    assert forged.head != head
    assert led.rehashed_from(0).head == head  # rehashing an honest ledger changes nothing


@given(index=st.integers(0, 5), field=st.sampled_from(["kind", "who", "what", "ref", "when", "prev", "hash"]),
       pos=st.integers(0, 200), byte=st.integers(0, 255))
def test_any_single_byte_change_is_detected_at_that_entry(index, field, pos, byte):
    led = make_ledger(6)
    raw = bytearray(getattr(led[index], field).encode("utf-8"))
    assume(raw)
    pos %= len(raw)
    assume(raw[pos] != byte)
    raw[pos] = byte
    new = raw.decode("utf-8", errors="replace")
    assume(new != getattr(led[index], field))
    bad = led.tampered(index, **{field: new})
    assert bad.first_tampered() == index
    assert not bad.verify()


@given(pos=st.integers(0, 10**6), byte=st.integers(0, 255))
def test_any_single_byte_change_in_the_file_is_detected_or_refused(pos, byte):
    led = make_ledger(4)
    text = bytearray(led.to_json().encode("utf-8"))
    pos %= len(text)
    assume(text[pos] != byte)
    original = json.loads(text)
    text[pos] = byte
    try:
        loaded = L.ModelLedger.from_json(bytes(text))
    except ValueError as err:
        assert str(err).startswith("ledger")  # a clear error: the file is not a ledger any more
        return
    if loaded.model == original["model"] and loaded.history() == original["entries"]:
        return  # the byte changed only JSON layout (whitespace), not the record
    assert not loaded.verify()  # any change to the record, model name included, is caught


def test_json_round_trip(tmp_path):
    led = make_ledger(5)
    again = L.ModelLedger.from_json(led.to_json())
    assert again.history() == led.history() and again.model == led.model and again.verify()
    path = led.save(tmp_path / "ledger.json")
    assert L.ModelLedger.load(path).head == led.head
    bad = L.ModelLedger.from_json(led.tampered(3, what="nothing happened").to_json())
    assert bad.first_tampered() == 3


@pytest.mark.parametrize("text, match", [
    ('{"model": "m", "entries": [', "ledger file is not valid JSON"),
    ("[]", "ledger file must be a JSON object"),
    ('{"model": "m", "entries": {}}', 'ledger file must be "entries" as a list'),
    ('{"model": "m", "entries": [{"index": 0}]}', "ledger entry 0 must be an object with fields"),
])
def test_corrupt_file_errors_are_clear(text, match):
    with pytest.raises(ValueError, match=match):
        L.ModelLedger.from_json(text)


def test_corrupt_entry_types_are_clear():
    rows = json.loads(make_ledger(2).to_json())
    rows["entries"][1]["who"] = 7
    with pytest.raises(ValueError, match="ledger entry 1 who must be a str"):
        L.ModelLedger.from_json(json.dumps(rows))
    rows["entries"][1]["who"] = "x"
    rows["entries"][0]["index"] = "0"
    with pytest.raises(ValueError, match="ledger entry 0 index must be an int"):
        L.ModelLedger.from_json(json.dumps(rows))


@pytest.mark.parametrize("call, exc, match", [
    (lambda: L.ModelLedger(""), TypeError, "model must be a non-empty name"),
    (lambda: make_ledger(1).append("deploy", "a", "b"), ValueError, "kind must be one of"),
    (lambda: make_ledger(1).append("train", "", "b"), ValueError, "who must be non-empty"),
    (lambda: make_ledger(1).append("train", 3, "b"), TypeError, "who must be a str"),
    (lambda: make_ledger(1).append("train", "a", "b", ref="abc"), ValueError, "ref must be a hash"),
    (lambda: make_ledger(1).tampered(5, who="x"), ValueError, "index must be <= 0"),
    (lambda: make_ledger(1).tampered(0, colour="x"), ValueError, "field must be one of"),
    (lambda: make_ledger(1).tampered(0, who=1), TypeError, "who must be a str"),
    (lambda: make_ledger(1).verify(expected_head="zz"), ValueError, "expected_head must be a hash"),
    (lambda: make_ledger(1).history("deploy"), ValueError, "kind must be one of"),
    (lambda: L.ModelLedger.from_json(3), TypeError, "text must be JSON text"),
    (lambda: L.sha256_hex(3), TypeError, "data must be bytes or str"),
])
def test_ledger_bad_inputs(call, exc, match):
    with pytest.raises(exc, match=match):
        call()


# --- Merkle tree ----------------------------------------------------------------------

def test_rfc6962_roots():
    for n in range(1, 9):
        assert L.merkle_root(CT_LEAVES[:n]) == CT_ROOTS[n - 1]


@pytest.mark.parametrize("index, size, path", CT_PROOFS)
def test_rfc6962_audit_paths(index, size, path):
    proof = L.merkle_proof(CT_LEAVES[:size], index)
    assert [h for _, h in proof] == path
    assert L.verify_proof(CT_LEAVES[index], proof, CT_ROOTS[size - 1])


@given(leaves=st.lists(st.binary(max_size=8), min_size=1, max_size=40), data=st.data())
def test_every_proof_verifies_and_is_short(leaves, data):
    i = data.draw(st.integers(0, len(leaves) - 1))
    root = L.merkle_root(leaves)
    proof = L.merkle_proof(leaves, i)
    assert L.verify_proof(leaves[i], proof, root)
    assert len(proof) <= max(1, (len(leaves) - 1).bit_length())


@given(leaves=st.lists(st.binary(min_size=1, max_size=8), min_size=1, max_size=20), data=st.data())
def test_tampered_leaf_or_proof_fails(leaves, data):
    i = data.draw(st.integers(0, len(leaves) - 1))
    root = L.merkle_root(leaves)
    proof = L.merkle_proof(leaves, i)
    # change one byte of the leaf
    leaf = bytearray(leaves[i])
    pos = data.draw(st.integers(0, len(leaf) - 1))
    leaf[pos] ^= data.draw(st.integers(1, 255))
    assert not L.verify_proof(bytes(leaf), proof, root)
    # change one hex digit of one proof hash, or flip one side
    if proof:
        k = data.draw(st.integers(0, len(proof) - 1))
        side, h = proof[k]
        j = data.draw(st.integers(0, 63))
        digit = "0" if h[j] != "0" else "1"
        bad = list(proof)
        bad[k] = (side, h[:j] + digit + h[j + 1:])
        assert not L.verify_proof(leaves[i], bad, root)
        if len(set(leaves)) == len(leaves):  # (twin subtrees hash alike whichever side)
            flipped = list(proof)
            flipped[k] = ("left" if side == "right" else "right", h)
            assert not L.verify_proof(leaves[i], flipped, root)


@given(leaves=st.lists(st.binary(max_size=8), min_size=1, max_size=20), data=st.data())
def test_changing_any_leaf_changes_the_root(leaves, data):
    i = data.draw(st.integers(0, len(leaves) - 1))
    changed = list(leaves)
    changed[i] = leaves[i] + b"!"
    assert L.merkle_root(changed) != L.merkle_root(leaves)


def test_leaf_and_node_hashes_are_domain_separated():
    # an inner node cannot pass as a leaf (the second-preimage defence of RFC 6962)
    a, b = L.leaf_hash("a"), L.leaf_hash("b")
    node = L.node_hash(a, b)
    assert L.leaf_hash(bytes.fromhex(a + b)) != node


@pytest.mark.parametrize("call, exc, match", [
    (lambda: L.merkle_root([]), ValueError, "leaves must be non-empty"),
    (lambda: L.merkle_root("abc"), TypeError, "leaves must be a list"),
    (lambda: L.merkle_root([1, 2]), TypeError, r"leaves\[0\] must be bytes or str"),
    (lambda: L.merkle_proof(["a"], 1), ValueError, "index must be <= 0"),
    (lambda: L.merkle_proof(["a"], 0.0), TypeError, "index must be an int"),
    (lambda: L.verify_proof("a", [("up", "0" * 64)], "0" * 64), ValueError, "proof must be one of"),
    (lambda: L.verify_proof("a", ["nope"], "0" * 64), TypeError, "proof must be a list of"),
    (lambda: L.verify_proof("a", "nope", "0" * 64), TypeError, "proof must be a list of"),
    (lambda: L.verify_proof("a", [], "xyz"), ValueError, "root must be a hash"),
    (lambda: L.node_hash("ab", "0" * 64), ValueError, "left must be a hash"),
])
def test_merkle_bad_inputs(call, exc, match):
    with pytest.raises(exc, match=match):
        call()


def test_check_names_what_is_wrong():
    led = make_ledger(4)
    assert led.check() == ["ok"] * 4
    assert led.tampered(1, what="edited").check() == ["ok", "hash mismatch", "ok", "ok"]
    assert led.tampered(1, hash="f" * 64).check() == ["ok", "hash mismatch", "broken link", "ok"]
    assert led.tampered(2, prev="f" * 64).check() == ["ok", "ok", "hash mismatch", "ok"]
    assert led.tampered(1, what="edited").rehashed_from(1).check() == ["ok"] * 4


# --- dashboard (notebook 02) ---------------------------------------------------------------

def test_example_ledger():
    led = L.example_ledger()
    assert len(led) == 8 and led.verify()
    assert [e.kind for e in led][:3] == ["train", "evaluate", "release"]
    assert led[0].ref == L.sha256_hex("weights: open-med v1") == led[2].ref


def test_ledger_tamper_view():
    from cryptocourse.dashboards.ledger import ledger_tamper_view

    clean = ledger_tamper_view(new_value="")
    assert clean.first_tampered is None and clean.head_matches and clean.status == ["ok"] * 8
    assert ledger_tamper_view(index=3, field="who", new_value="Clinic C").edited_value == ""  # same text
    for i in range(8):
        v = ledger_tamper_view(index=i, field="what", new_value="nothing happened")
        assert v.first_tampered == i and v.head_matches  # the stored hashes were not touched
    v = ledger_tamper_view(index=2, field="hash", new_value="0" * 64)
    assert v.status[2:4] == ["hash mismatch", "broken link"]
    forged = ledger_tamper_view(index=2, field="who", new_value="Lab Z", rehash=True)
    assert forged.first_tampered is None and not forged.head_matches


@pytest.mark.parametrize("kwargs, exc, match", [
    (dict(index=8), ValueError, "index must be <= 7"),
    (dict(field="kind"), ValueError, "field must be one of"),
    (dict(new_value=3), TypeError, "new_value must be a str"),
])
def test_ledger_tamper_view_bad_inputs(kwargs, exc, match):
    from cryptocourse.dashboards.ledger import ledger_tamper_view

    with pytest.raises(exc, match=match):
        ledger_tamper_view(**kwargs)


def test_ledger_dashboard_headless():
    from cryptocourse.dashboards.ledger import LedgerTamperDashboard

    dash = LedgerTamperDashboard()
    png = dash.image.value
    assert dash.result.first_tampered == 3
    dash.set(index=5)
    assert dash.result.first_tampered == 5 and dash.image.value != png
    dash.set(rehash=True)
    assert "published head" in dash.summary.value and dash.result.first_tampered is None
    dash.set(index=2, field="hash", new_value="anything")      # recomputing restores the true hash
    assert dash.result.head_matches and "honest ledger again" in dash.summary.value
    dash.set(rehash=False)
    assert dash.result.status[2:4] == ["hash mismatch", "broken link"]


def test_ledger_dashboard_updates_are_blitted():
    from cryptocourse.dashboards.ledger import LedgerTamperDashboard

    dash = LedgerTamperDashboard()
    for i in range(8):
        dash.set(index=i, rehash=bool(i % 2))
    assert dash.full_redraws == 1
