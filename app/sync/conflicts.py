"""Which changes are concurrent edits that users should see.

Two changes to the same row are concurrent when the later one's editor had not seen the
earlier one: ``later.base_hlc < earlier.hlc``. A concurrent pair conflicts on every field
both wrote, and on ``deleted`` when one side deleted the row and the other edited it.

Records are bounded by the changes that cause them: each change has at most one record per
field, against the latest change it had not seen that wrote the field (``row_conflicts``).
Pairing every change with every other one would let one push of n concurrent edits of a row
create n² records (500 edits made 249,500). The choice depends only on the set of changes to
the row, never on arrival order, so every replica holding the same changes derives the same
records (same ids, same values) — which is what lets conflict records converge without ever
being sent.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime

from app.ids import stable_id
from app.sync.changes import Change, canonical_json
from app.sync.hlc import physical_ms

WALK = 256  # earlier changes a change is compared with, at most

# Fields that every create writes and nobody edits concurrently in a meaningful way.
_IGNORED = frozenset({"created_at"})


@dataclass(frozen=True, slots=True)
class ConflictRecord:
    id: str
    entity: str
    row_id: str
    field: str
    winner: Change
    loser: Change
    winner_value: str
    loser_value: str

    def row(self) -> dict[str, object]:
        """The ``conflict`` table row for this record (derived: no field clocks)."""
        at = clock_time(self.winner.hlc).isoformat(timespec="milliseconds")
        return {
            "id": self.id,
            "entity": self.entity,
            "row_id": self.row_id,
            "field": self.field,
            "winner_change": self.winner.id,
            "loser_change": self.loser.id,
            "winner_value": self.winner_value,
            "loser_value": self.loser_value,
            "resolved": False,
            "resolution": None,
            "resolved_by": None,
            "clocks": "{}",
            "deleted": False,
            "created_at": at,
            "updated_at": at,
        }


def clock_time(hlc_text: str) -> datetime:
    """The wall-clock time of an encoded clock, as naive UTC with millisecond precision."""
    return datetime.fromtimestamp(physical_ms(hlc_text) / 1000, UTC).replace(tzinfo=None)


_last_wire_time: list[object] = [None, ""]


def clock_wire_time(hlc_text: str) -> str:
    """``clock_time`` in wire form. Bulk writes issue thousands of clocks per millisecond,
    so the last conversion is remembered."""
    ms = hlc_text[:12]
    if _last_wire_time[0] != ms:
        text = clock_time(hlc_text).isoformat(timespec="milliseconds")
        _last_wire_time[0], _last_wire_time[1] = ms, text
    return str(_last_wire_time[1])


def row_conflicts(changes: list[Change]) -> dict[str, ConflictRecord]:
    """The records of one row's changes: for each change and field, the latest earlier change
    it had not seen that conflicts with it on that field. Walks back from each change only
    until every field it wrote has its counterpart, it meets what it had seen, or it has
    looked at ``WALK`` changes — so the cost is bounded too, and still the same everywhere."""
    ordered = sorted(changes, key=lambda c: c.hlc)
    records: dict[str, ConflictRecord] = {}
    for i, later in enumerate(ordered):
        if later.base_hlc is None:
            continue
        wanted = set(later.fields) - _IGNORED | {"deleted"}
        for j in range(i - 1, max(-1, i - 1 - WALK), -1):
            earlier = ordered[j]
            if earlier.hlc <= later.base_hlc or not wanted:
                break
            for record in pair_conflicts(earlier, later):
                if record.field in wanted:
                    wanted.discard(record.field)
                    records[record.id] = record
    return records


def pair_conflicts(x: Change, y: Change) -> Iterator[ConflictRecord]:
    """The conflict records of two changes to the same row (none if one saw the other)."""
    earlier, later = (x, y) if x.hlc < y.hlc else (y, x)
    if later.base_hlc is None or later.base_hlc >= earlier.hlc:
        return
    common = (earlier.fields.keys() & later.fields.keys()) - _IGNORED
    for field in sorted(common):
        yield _record(field, later, earlier, later.fields[field], earlier.fields[field])
    if "deleted" not in common:
        deleter = _deleter(earlier, later)
        if deleter is not None:
            yield _record("deleted", later, earlier, _side(later, deleter), _side(earlier, deleter))


def _deleter(a: Change, b: Change) -> Change | None:
    """The change that deleted the row while the other one edited it, if that is the case."""
    for deleter, editor in ((a, b), (b, a)):
        if deleter.fields.get("deleted") is True and editor.fields.keys() - {"deleted"}:
            return deleter
    return None


def _side(change: Change, deleter: Change) -> object:
    """What a side of a delete/edit conflict did: ``true`` for the deletion, else its edit."""
    return True if change is deleter else dict(change.fields)


def _record(
    field: str, winner: Change, loser: Change, winner_value: object, loser_value: object
) -> ConflictRecord:
    return ConflictRecord(
        # One record per change and field: named by the later change only.
        id=stable_id("conflict/2", winner.entity, winner.row_id, field, winner.id),
        entity=winner.entity,
        row_id=winner.row_id,
        field=field,
        winner=winner,
        loser=loser,
        winner_value=canonical_json(winner_value),
        loser_value=canonical_json(loser_value),
    )
