"""The HTTP sync protocol's bodies, shared by the server and the client
(docs/sync-protocol.md#http-api).

The server validates every request with these models, and the client validates every reply:
a reply counts only when it is the server's own JSON naming the changes it acknowledges (a
captive portal's ``200 OK`` page is not an acknowledgement).
"""

from __future__ import annotations

from typing import Any, Final, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

MAX_PUSH_CHANGES = 500
MAX_ROW_CHANGES = 50  # changes to one row in one push (a client splits batches to keep it)
MAX_PUSH_PROOFS = 64
MAX_PUSH_KEYS = 64
MAX_BODY_BYTES = 1 << 20  # 1 MiB, after decompression
MAX_PULL_LIMIT = 1000
PROTOCOL: Final = "jiceng-sync/1"
# The roles a device enrolls with: its enrollment code's, chosen by the administrator.
DeviceRole = Literal["cadre", "district"]
DEVICE_ROLES: Final[tuple[DeviceRole, ...]] = ("cadre", "district")


class _Body(BaseModel):
    model_config = ConfigDict(extra="forbid")


def encodable(text: str) -> bool:
    """Text that can be stored and sent: no lone surrogates (JSON allows them, UTF-8 not)."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def printable(text: str, limit: int = 500) -> str:
    """``text`` made safe to echo in a reply: lone surrogates replaced, length bounded."""
    return text.encode("utf-8", "replace").decode("utf-8")[:limit]


class EnrollRequest(_Body):
    code: str = Field(min_length=6, max_length=64)
    replica_id: str = Field(pattern=r"^[0-9a-f]{16}$")
    name: str = Field(min_length=1, max_length=100)
    # The role the device works in. The server does not take it from here: the device gets
    # its code's role, and a request declaring another is refused (``role_mismatch``).
    role: DeviceRole
    # The device's Ed25519 key (relayed copies of its changes are verified with it), and its
    # signature over code, replica id and key: proof that the device holds the key
    # (``app.sync.enroll_proof``), so nobody enrolls as a laptop whose id and key are known.
    sign_public: str = Field(pattern=r"^[0-9a-f]{64}$")
    key_proof: str = Field(pattern=r"^[0-9a-f]{128}$")
    # The district the replica filed its work under so far (a provisional one when it was set
    # up offline); the server maps it to the district the code assigns.
    district_id: str | None = Field(None, max_length=36)
    district_name: str | None = Field(None, max_length=100)

    @field_validator("code", "name", "district_id", "district_name")
    @classmethod
    def _utf8(cls, value: str | None) -> str | None:
        if value is not None and not encodable(value):
            raise ValueError("含有无效字符")
        return value


class IntroducedKey(_Body):
    """A signing key named for a replica: by a district office for the cadres whose bundles
    it relays, by a device for itself (binding a key enrolled without one), or by the
    server in a pull for the origins of what it serves."""

    replica_id: str = Field(pattern=r"^[0-9a-f]{16}$")
    sign_public: str = Field(pattern=r"^[0-9a-f]{64}$")


class EnrollReply(_Body):
    protocol: Literal["jiceng-sync/1"] = PROTOCOL
    device_id: str
    token: str
    server_replica_id: str = Field(pattern=r"^[0-9a-f]{16}$")
    district_id: str
    district_name: str
    server_time: str


class PushRequest(_Body):
    changes: list[dict[str, Any]] = Field(max_length=MAX_PUSH_CHANGES)
    # Origin proofs for relayed changes (``app.sync.proofs`` wire form), and the keys of the
    # cadres they come from, introduced by a district office.
    proofs: list[dict[str, Any]] = Field(default_factory=list, max_length=MAX_PUSH_PROOFS)
    keys: list[IntroducedKey] = Field(default_factory=list, max_length=MAX_PUSH_KEYS)


PushStatus = Literal["accepted", "duplicate", "quarantined", "rejected", "deferred"]


class PushResult(_Body):
    id: str = Field(max_length=64)
    status: PushStatus
    reason: str | None = None


class PushReply(_Body):
    protocol: Literal["jiceng-sync/1"] = PROTOCOL
    results: list[PushResult]
    server_time: str


class PullReply(_Body):
    protocol: Literal["jiceng-sync/1"] = PROTOCOL
    changes: list[dict[str, Any]]
    # The origin proofs the server holds for these changes, and the keys it knows their
    # origins by: a district office that pulls them can relay them further by USB.
    proofs: list[dict[str, Any]] = Field(default_factory=list)
    keys: list[IntroducedKey] = Field(default_factory=list)
    next: int = Field(ge=0)
    more: bool
    server_time: str
    mine: bool = False  # the server honoured ``?mine`` (an older one leaves this out)
    # How many changes this device pushed the server holds because their clock ran ahead
    # (``app.server.held``), and the first ids; an older server leaves them out (None).
    held: int | None = Field(default=None, ge=0)
    held_ids: list[str] = Field(default_factory=list, max_length=1000)


class ErrorReply(_Body):
    error: str
    reason: str
