"""The HTTP sync protocol's bodies (DESIGN §4 "HTTP"), shared by the server and the client.

The server validates every request with these models, and the client validates every reply:
a reply counts only when it is the server's own JSON naming the changes it acknowledges (a
captive portal's ``200 OK`` page is not an acknowledgement).
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

MAX_PUSH_CHANGES = 500
MAX_BODY_BYTES = 1 << 20  # 1 MiB, after decompression
MAX_PULL_LIMIT = 1000
PROTOCOL = "jiceng-sync/1"


class _Body(BaseModel):
    model_config = ConfigDict(extra="forbid")


class EnrollRequest(_Body):
    code: str = Field(min_length=6, max_length=64)
    replica_id: str = Field(pattern=r"^[0-9a-f]{16}$")
    name: str = Field(min_length=1, max_length=100)
    role: Literal["cadre", "district"]


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


class PushResult(_Body):
    id: str = Field(max_length=64)
    status: Literal["accepted", "duplicate", "quarantined", "rejected", "deferred"]
    reason: str | None = None


class PushReply(_Body):
    protocol: Literal["jiceng-sync/1"] = PROTOCOL
    results: list[PushResult]
    server_time: str


class PullReply(_Body):
    protocol: Literal["jiceng-sync/1"] = PROTOCOL
    changes: list[dict[str, Any]]
    next: int = Field(ge=0)
    more: bool
    server_time: str
    mine: bool = False  # the server honoured ``?mine`` (an older one leaves this out)


class ErrorReply(_Body):
    error: str
    reason: str
