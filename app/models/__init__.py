"""SQLAlchemy tables. No logic beyond constraints: behaviour lives in services and sync."""

from app.models.base import META_COLUMNS, Base, Replicated
from app.models.conflict import Conflict
from app.models.issues import Issue, IssueEvent, IssueLink
from app.models.local import (
    AuditEntry,
    ChangeLog,
    ChangeProof,
    ImportedBundle,
    IsolatedValue,
    Peer,
    PeerHolding,
    Replica,
    ReplicaKey,
    Setting,
    SyncRejection,
    SyncState,
    held,
)
from app.models.org import District, Enterprise, Stationing, Workshop
from app.models.people import Assistance, Worker
from app.models.server import Device, EnrollCode, RateWindow, RowOwner
from app.models.work import Practice, Visit, VisitReach

# Replicated entities in dependency order: every foreign key points to an earlier entity, so
# applying a batch entity by entity in this order never meets a missing parent that the same
# batch brings. The conflict records come last: they are derived from the others.
REPLICATED: tuple[type[Replicated], ...] = (
    District,
    Enterprise,
    Workshop,
    Stationing,
    Worker,
    Visit,
    VisitReach,
    Issue,
    IssueEvent,
    IssueLink,
    Assistance,
    Practice,
    Conflict,
)

__all__ = [
    "META_COLUMNS",
    "REPLICATED",
    "Assistance",
    "AuditEntry",
    "Base",
    "ChangeLog",
    "ChangeProof",
    "Conflict",
    "Device",
    "District",
    "EnrollCode",
    "Enterprise",
    "ImportedBundle",
    "IsolatedValue",
    "Issue",
    "IssueEvent",
    "IssueLink",
    "Peer",
    "PeerHolding",
    "Practice",
    "RateWindow",
    "Replica",
    "ReplicaKey",
    "Replicated",
    "RowOwner",
    "Setting",
    "Stationing",
    "SyncRejection",
    "SyncState",
    "Visit",
    "VisitReach",
    "Worker",
    "Workshop",
    "held",
]
