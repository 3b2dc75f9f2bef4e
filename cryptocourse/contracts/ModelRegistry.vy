# pragma version ~=0.4.3
"""
@title ModelRegistry: the public provenance record of AI models
@notice Anyone may register a model: its first version is the hash of its
        weights plus the list of contributors, who become that version's
        owners. Only the owners of a version may add a child version (a
        fine-tune, a retrain, a patched release), naming its own
        contributors. Versions are never edited or deleted, and every change
        is an event, so the events alone give a model's full history.
@dev    Course contract for cryptocourse notebook 02 (ledgers and provenance).
        Version ids start at 1; parent 0 means "no parent" (a model's root).
"""

MAX_CONTRIBUTORS: constant(uint256) = 16
MAX_DEPTH: constant(uint256) = 32


struct Version:
    model_id: uint256
    parent: uint256
    content_hash: bytes32
    registrant: address
    registered_at: uint256
    depth: uint256
    note: String[64]


event ModelRegistered:
    model_id: indexed(uint256)
    version_id: indexed(uint256)
    name: String[64]
    content_hash: bytes32
    registrant: indexed(address)
    contributors: DynArray[address, MAX_CONTRIBUTORS]

event VersionAdded:
    version_id: indexed(uint256)
    parent: indexed(uint256)
    model_id: uint256
    content_hash: bytes32
    registrant: indexed(address)
    contributors: DynArray[address, MAX_CONTRIBUTORS]
    note: String[64]


model_count: public(uint256)
version_count: public(uint256)
model_name: public(HashMap[uint256, String[64]])
model_root: public(HashMap[uint256, uint256])
versions: public(HashMap[uint256, Version])
version_of_hash: public(HashMap[bytes32, uint256])
is_owner: public(HashMap[uint256, HashMap[address, bool]])
_contributors: HashMap[uint256, DynArray[address, MAX_CONTRIBUTORS]]


@internal
def _new_version(
    model_id: uint256,
    parent: uint256,
    depth: uint256,
    content_hash: bytes32,
    contributors: DynArray[address, MAX_CONTRIBUTORS],
    note: String[64],
) -> uint256:
    assert content_hash != empty(bytes32), "content hash is empty"
    assert self.version_of_hash[content_hash] == 0, "content hash already registered"
    assert len(contributors) > 0, "need at least one contributor"
    self.version_count += 1
    version_id: uint256 = self.version_count
    for who: address in contributors:
        assert who != empty(address), "contributor is the zero address"
        assert not self.is_owner[version_id][who], "duplicate contributor"
        self.is_owner[version_id][who] = True
    self._contributors[version_id] = contributors
    self.versions[version_id] = Version(
        model_id=model_id,
        parent=parent,
        content_hash=content_hash,
        registrant=msg.sender,
        registered_at=block.timestamp,
        depth=depth,
        note=note,
    )
    self.version_of_hash[content_hash] = version_id
    return version_id


@external
def register_model(
    name: String[64],
    content_hash: bytes32,
    contributors: DynArray[address, MAX_CONTRIBUTORS],
) -> uint256:
    """
    @notice Register a new model; its first version has no parent.
    @param name a readable name
    @param content_hash hash of the weights (for example their SHA-256)
    @param contributors who made it; they own this version. The caller must
           be one of them.
    @return the new model's id (its first version id is `model_root(id)`)
    """
    assert len(name) > 0, "name is empty"
    assert msg.sender in contributors, "registrant must be a contributor"
    self.model_count += 1
    model_id: uint256 = self.model_count
    version_id: uint256 = self._new_version(model_id, 0, 0, content_hash, contributors, "initial release")
    self.model_name[model_id] = name
    self.model_root[model_id] = version_id
    log ModelRegistered(
        model_id=model_id,
        version_id=version_id,
        name=name,
        content_hash=content_hash,
        registrant=msg.sender,
        contributors=contributors,
    )
    return model_id


@external
def add_version(
    parent: uint256,
    content_hash: bytes32,
    contributors: DynArray[address, MAX_CONTRIBUTORS],
    note: String[64],
) -> uint256:
    """
    @notice Add a child of version `parent` (only its owners may).
    @param note what changed, for example "fine-tuned on medical QA"
    @return the new version's id
    """
    assert parent > 0 and parent <= self.version_count, "unknown parent version"
    assert self.is_owner[parent][msg.sender], "only the parent version's owners"
    depth: uint256 = self.versions[parent].depth + 1
    assert depth < MAX_DEPTH, "lineage too deep"
    model_id: uint256 = self.versions[parent].model_id
    version_id: uint256 = self._new_version(model_id, parent, depth, content_hash, contributors, note)
    log VersionAdded(
        version_id=version_id,
        parent=parent,
        model_id=model_id,
        content_hash=content_hash,
        registrant=msg.sender,
        contributors=contributors,
        note=note,
    )
    return version_id


@view
@external
def contributors(version_id: uint256) -> DynArray[address, MAX_CONTRIBUTORS]:
    """@notice The contributors (owners) of a version."""
    return self._contributors[version_id]


@view
@external
def lineage(version_id: uint256) -> DynArray[uint256, MAX_DEPTH]:
    """@notice The version ids from `version_id` back to its model's root."""
    assert version_id > 0 and version_id <= self.version_count, "unknown version"
    out: DynArray[uint256, MAX_DEPTH] = []
    v: uint256 = version_id
    for i: uint256 in range(MAX_DEPTH):
        out.append(v)
        v = self.versions[v].parent
        if v == 0:
            break
    return out
