"""The merge: the one function that applies a batch of changes, for every transport.

Local writes (services), bundle imports, HTTP pushes on the server and pulls on the client all
call ``apply_changes``. It runs inside the caller's transaction and either all of a batch is
recorded or, if anything raises, nothing is. The rules (docs/sync-protocol.md#merge):

* per field, the write with the highest hybrid clock wins; ``deleted`` is a field like any
  other, so the merge is commutative, associative and idempotent;
* a change already in the change log is a duplicate and changes nothing; the same id with
  different content is rejected;
* a received change whose clock is too far ahead of local time is quarantined before it can
  touch the clock or win anything;
* a change whose row or parent row is missing waits (``pending``) and is applied by the merge
  that brings the row it waits for;
* concurrent edits of the same field leave a conflict record (see ``conflicts``);
* every accepted change is kept in the change log, so it can be relayed with its original id.

Everything is set-based: staged keys joined against indexed tables, rows loaded and written
with one statement per entity (``executemany``), never a query per change.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import orjson
from sqlalchemy import ColumnElement, bindparam, func, select, update
from sqlalchemy.orm import Session

from app.models import ChangeLog, Conflict, SyncState, held
from app.sync import staging, touched
from app.sync.changes import Change, ChangeRejected, check_change, from_wire
from app.sync.conflicts import ConflictRecord, clock_wire_time, row_conflicts
from app.sync.hlc import Timestamp, physical_ms, wall_ms
from app.sync.registry import ENTITIES, SERVER_OWNED, EntitySpec, wire_value
from app.sync.replica import ReplicaState
from app.sync.rowio import table_io

DEFAULT_MAX_SKEW_MS = 3_600_000  # one hour
_log = ChangeLog.__table__


@dataclass
class MergeResult:
    """What a merge did, for the caller to report (and for the UI to refresh)."""

    received: int = 0
    new_rows: int = 0
    updated_rows: int = 0
    unchanged: int = 0  # applied, but every field already held a newer write
    duplicates: int = 0
    pending: int = 0
    quarantined: int = 0
    released: int = 0  # earlier pending changes applied by this merge
    conflicts: int = 0
    rejected: list[tuple[str, str]] = field(default_factory=list)
    touched: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    created: dict[str, int] = field(default_factory=lambda: defaultdict(int))  # new rows by kind
    statuses: dict[str, str] = field(default_factory=dict)

    def add(self, other: MergeResult) -> None:
        """Fold another result into this one (a large import is merged in chunks)."""
        for name in (
            "received",
            "new_rows",
            "updated_rows",
            "unchanged",
            "duplicates",
            "pending",
            "quarantined",
            "released",
            "conflicts",
        ):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.rejected.extend(other.rejected)
        for entity, ids in other.touched.items():
            self.touched[entity] |= ids
        for entity, n in other.created.items():
            self.created[entity] += n
        self.statuses.update(other.statuses)


def apply_changes(
    session: Session,
    changes: Iterable[Change | dict[str, Any]],
    *,
    state: ReplicaState,
    local: bool = False,
    source: str | None = None,
    max_skew_ms: int = DEFAULT_MAX_SKEW_MS,
    now_ms: int | None = None,
    track_statuses: bool = False,
    district_id: str | None = None,
    vouch: Callable[[Change], str | None] | None = None,
) -> MergeResult:
    """Apply ``changes`` in the session's transaction and return what happened.

    ``local`` marks changes this replica just made through a service: they are trusted to be
    new and well-formed, and skip the duplicate and clock checks. Received changes may be given
    as decoded JSON objects; each is checked and a bad one is rejected alone. The server passes
    ``district_id``, the district a push was checked against, to file the batch under it.
    ``vouch`` says whether a received change's origin vouches for it (``app.sync.proofs``):
    a new change it refuses is rejected and stored nowhere, so nobody can take a change id
    that belongs to another replica. Duplicates of stored changes need no vouching.
    """
    merge = _Merge(session, state, local, source, max_skew_ms, now_ms, track_statuses)
    merge.district_id = district_id
    merge.vouch = vouch
    result = merge.run(changes)
    touched.note(session, (name for name, ids in result.touched.items() if ids))
    return result


# What became of a change in this merge: applied, pending (waiting for a row), quarantined.
_Outcome = tuple[str, str | None]
_APPLIED: _Outcome = ("applied", None)
_QUARANTINED: _Outcome = ("quarantined", None)


class _Merge:
    def __init__(
        self,
        session: Session,
        state: ReplicaState,
        local: bool,
        source: str | None,
        max_skew_ms: int,
        now_ms: int | None,
        track: bool,
    ) -> None:
        self.s = session
        self.state = state
        self.local = local
        self.source = "local" if local else source
        self.max_skew_ms = max_skew_ms
        self.now_ms = wall_ms() if now_ms is None else now_ms
        self.track = track
        self.result = MergeResult()
        now = datetime.now(UTC).replace(tzinfo=None)
        self.received_at = now.replace(microsecond=now.microsecond // 1000 * 1000)
        self.created: set[str] = set()  # row ids created by this merge
        self.old_seq: dict[str, int] = {}  # change id -> seq, for changes already in the log
        self.outcome: dict[str, _Outcome] = {}
        self.work: dict[str, list[Change]] = defaultdict(list)
        # (entity, row id) -> changes this merge applied to it so far: not in the log yet.
        self.merged: dict[tuple[str, str], list[Change]] = defaultdict(list)
        self.any_pending = False  # pending changes in the log before this merge?
        self.district_id: str | None = None
        self.vouch: Callable[[Change], str | None] | None = None

    # ---- the steps ----------------------------------------------------------------------

    def run(self, changes: Iterable[Change | dict[str, Any]]) -> MergeResult:
        staging.prepare(self.s)
        self.authority = _authority(self.s, self.state)
        batch = self._screen(changes)  # every change here gets a line in the change log
        if not self.local:
            batch = self._vouched(self._drop_known(batch))
        for change in batch if self.local else self._hold_ahead(batch):
            self.work[change.entity].append(change)
        self._load_retries()
        self._observe_clocks()
        for spec in sorted(ENTITIES.values(), key=lambda e: e.order):
            # Again while rows created here wake same-entity changes waiting for them.
            while self.work.get(spec.name):
                self._apply_entity(spec, self.work.pop(spec.name))
        self._write_log(batch)
        self.state.save(self.s)
        self.s.expire_all()  # rows changed under the ORM's feet
        return self.result

    def _screen(self, changes: Iterable[Change | dict[str, Any]]) -> list[Change]:
        """Check received changes and drop repeats within the batch."""
        batch: dict[tuple[str, int], Change] = {}
        for item in changes:
            self.result.received += 1
            try:
                change = item if isinstance(item, Change) else from_wire(item)
                if not self.local and not change.checked:
                    check_change(change)  # built by the caller, not parsed by from_wire
            except ChangeRejected as refused:
                self._reject(_claimed_id(item), refused.reason)
                continue
            key = (change.origin, change.counter)
            seen = batch.get(key)
            if seen is None:
                batch[key] = change
            elif seen.same_content(change):
                self._count_duplicate(change)
            else:
                self._reject(change.id, "id: same change id with different content")
        return list(batch.values())

    def _drop_known(self, batch: list[Change]) -> list[Change]:
        """Duplicates of changes already in the log (one join, not a lookup each).

        A change whose counter is above the highest one logged for its origin cannot be a
        duplicate, so only the others are staged and joined: importing a fresh bundle costs
        one index seek per origin instead of a join over every change.
        """
        if not batch:
            return batch
        top = self._highest_counters({c.origin for c in batch})
        doubtful = [c for c in batch if c.counter <= top.get(c.origin, 0)]
        if not doubtful:
            return batch
        staging.stage_keys(self.s, ((c.origin, c.counter) for c in doubtful))
        keys = staging.staged_keys
        known = self.s.execute(
            select(
                _log.c.origin,
                _log.c.counter,
                _log.c.entity,
                _log.c.row_id,
                _log.c.fields,
                _log.c.hlc,
                _log.c.base_hlc,
            ).join(keys, (keys.c.origin == _log.c.origin) & (keys.c.counter == _log.c.counter))
        ).all()
        if not known:
            return batch
        stored = {(r.origin, r.counter): r for r in known}
        fresh = []
        for change in batch:
            row = stored.get((change.origin, change.counter))
            if row is None:
                fresh.append(change)
            elif (row.entity, row.row_id, row.hlc, row.base_hlc, row.fields) == (
                change.entity,
                change.row_id,
                change.hlc,
                change.base_hlc,
                change.fields_json(),
            ):
                self._count_duplicate(change)
            else:
                self._reject(change.id, "id: same change id with different content")
        return fresh

    def _vouched(self, batch: list[Change]) -> list[Change]:
        """The new changes whose origin vouches for them; the others are rejected."""
        if self.vouch is None:
            return batch
        kept = []
        for change in batch:
            refused = self.vouch(change)
            if refused is None:
                kept.append(change)
            else:
                self._reject(change.id, refused)
        return kept

    def _highest_counters(self, origins: set[str]) -> dict[str, int]:
        top = {}
        for origin in origins:
            found = self.s.execute(
                select(func.max(_log.c.counter)).where(_log.c.origin == origin)
            ).scalar()
            if found is not None:
                top[origin] = int(found)
        return top

    def _hold_ahead(self, batch: list[Change]) -> list[Change]:
        """Quarantine changes whose clock is too far ahead of local time."""
        limit = self.now_ms + self.max_skew_ms
        kept = []
        for change in batch:
            if physical_ms(change.hlc) > limit:
                self.outcome[change.id] = _QUARANTINED
                self._status(change, "quarantined")
                self.result.quarantined += 1
            else:
                kept.append(change)
        return kept

    def _pending(self) -> ColumnElement[bool]:
        """Held changes this merge may settle: on the server only its district's, since
        pushes of other districts run at the same time (``app.server.locks``)."""
        mine = held("pending")
        return mine if self.district_id is None else mine & (_log.c.district_id == self.district_id)

    def _load_retries(self) -> None:
        """Pending changes marked to be tried again (released from quarantine)."""
        self.any_pending = (
            self.s.execute(select(_log.c.seq).where(self._pending()).limit(1)).first() is not None
        )
        if not self.any_pending:
            return
        rows = self.s.execute(
            select(_log).where(self._pending(), _log.c.waiting_for.is_(None))
        ).all()
        for row in rows:
            self._queue_old(row)

    def _observe_clocks(self) -> None:
        """Received clocks advance the local clock (quarantined ones do not)."""
        top = max(
            (
                c.hlc
                for changes in self.work.values()
                for c in changes
                if c.origin != self.state.replica_id
            ),
            default=None,
        )
        if top is not None:
            self.state.clock.observe(Timestamp.decode(top))

    # ---- one entity ---------------------------------------------------------------------

    def _apply_entity(self, spec: EntitySpec, changes: list[Change]) -> None:
        groups: dict[str, list[Change]] = defaultdict(list)
        for change in changes:
            groups[change.row_id].append(change)
        existing = self._load_rows(spec, groups)
        missing = set() if self.local else self._missing_parents(spec, changes)
        inserts: list[dict[str, Any]] = []
        updates: list[dict[str, Any]] = []
        applied: dict[str, list[Change]] = {}
        for row_id, group in groups.items():
            group.sort(key=lambda c: c.hlc)
            done = self._merge_row(
                spec, row_id, group, existing.get(row_id), missing, inserts, updates
            )
            if done:
                applied[row_id] = done
        self._write_rows(spec, inserts, updates)
        if not (spec.append_only or spec.derived):
            self._detect_conflicts(spec, applied, existing)
        self._wake_waiting({r["id"] for r in inserts})

    def _merge_row(
        self,
        spec: EntitySpec,
        row_id: str,
        group: list[Change],
        row: dict[str, Any] | None,
        missing: set[str],
        inserts: list[dict[str, Any]],
        updates: list[dict[str, Any]],
    ) -> list[Change]:
        """Apply one row's changes (sorted by clock); return those applied."""
        ready = []
        for change in group:
            lacking = _first_missing(spec, change, missing)
            if lacking is None:
                ready.append(change)
            else:
                self._hold(change, lacking)
        is_new = row is None
        if row is None:
            if not any(c.is_create for c in ready):
                for change in ready:
                    self._hold(change, row_id)
                return []
            if len(ready) == 1 and len(ready[0].fields) == len(spec.fields):
                return self._create_whole(spec, row_id, ready[0], inserts)
            row = {**spec.wire_defaults, "id": row_id, "clocks": "{}"}
        clocks = orjson.loads(row["clocks"])
        base = clocks.get("", "")
        won_any = False
        owned = spec.name in SERVER_OWNED and self.authority is not None
        for change in ready:
            won = False
            for name, value in change.fields.items():
                held = clocks.get(name) or base
                if self._beats(change.hlc, held) if owned else change.hlc > held:
                    row[name] = value
                    clocks[name] = change.hlc
                    won = True
            self._applied(change)
            won_any |= won
            if not won:
                self.result.unchanged += 1
        if is_new or won_any:
            packed = pack_clocks(spec, clocks)
            row["clocks"] = orjson.dumps(packed, option=orjson.OPT_SORT_KEYS).decode()
            row["updated_at"] = clock_wire_time(max(packed.values()))
            (inserts if is_new else updates).append(row)
            self._touch(spec, row_id, is_new)
        return ready

    def _beats(self, new: str, held: str) -> bool:
        """For rows only the server owns, the server's write wins over any other replica's
        (a laptop's provisional row of the same district), then the later clock: the same
        order on every replica that knows the server."""
        return (new[16:] == self.authority, new) > (held[16:] == self.authority, held)

    def _create_whole(
        self, spec: EntitySpec, row_id: str, change: Change, inserts: list[dict[str, Any]]
    ) -> list[Change]:
        """The common case, made cheap: a new row from one create that sets every field."""
        row = dict(change.fields)
        row["id"] = row_id
        row["clocks"] = f'{{"":"{change.hlc}"}}'
        row["updated_at"] = clock_wire_time(change.hlc)
        inserts.append(row)
        self._applied(change)
        self._touch(spec, row_id, True)
        return [change]

    def _touch(self, spec: EntitySpec, row_id: str, is_new: bool) -> None:
        self.result.touched[spec.name].add(row_id)
        if is_new:
            self.created.add(row_id)
            self.result.new_rows += 1
            self.result.created[spec.name] += 1
        else:
            self.result.updated_rows += 1

    def _load_rows(
        self, spec: EntitySpec, groups: dict[str, list[Change]]
    ) -> dict[str, dict[str, Any]]:
        """The current rows that these changes touch, keyed by id."""
        if self.local and all(c.is_create for g in groups.values() for c in g):
            return {}  # a service's new rows: fresh ids, nothing to load
        tag = f"row:{spec.name}"
        staging.stage_ids(self.s, tag, groups)
        table = spec.table
        rows = self.s.execute(select(table).where(table.c.id.in_(staging.ids_tagged(tag))))
        return {r.id: {k: wire_value(v) for k, v in r._mapping.items()} for r in rows}

    def _missing_parents(self, spec: EntitySpec, changes: list[Change]) -> set[str]:
        """Ids of parent rows these changes refer to that do not exist (yet)."""
        by_parent: dict[str, set[str]] = defaultdict(set)
        for change in changes:
            for f in spec.parent_fields:
                ref = change.fields.get(f.name)
                if ref is not None and ref not in self.created:
                    by_parent[f.parent].add(ref)
        missing: set[str] = set()
        for parent, refs in by_parent.items():
            tag = f"ref:{spec.name}:{parent}"
            staging.stage_ids(self.s, tag, refs)
            table = ENTITIES[parent].table
            found = self.s.execute(
                select(table.c.id).where(table.c.id.in_(staging.ids_tagged(tag)))
            ).scalars()
            missing |= refs - set(found)
        return missing

    def _write_rows(
        self, spec: EntitySpec, inserts: list[dict[str, Any]], updates: list[dict[str, Any]]
    ) -> None:
        io = table_io(self.s, spec.table)
        io.insert(self.s, inserts)
        io.update(self.s, updates)

    def _detect_conflicts(
        self,
        spec: EntitySpec,
        applied: dict[str, list[Change]],
        existing: dict[str, dict[str, Any]],
    ) -> None:
        """Conflict records for concurrent pairs among history and newly applied changes.

        History is what earlier merges logged and what this merge applied in an earlier pass:
        a pending edit woken by a create made here must meet the concurrent edit that came
        with the create, and the change log is written only when the merge ends.
        """
        earlier = {r: list(self.merged[(spec.name, r)]) for r in applied}
        for row_id, new in applied.items():
            self.merged[(spec.name, row_id)].extend(new)
        rows = [r for r, new in applied.items() if r in existing or len(new) > 1]
        if not rows:
            return
        history = self._history(spec, rows)
        records: dict[str, ConflictRecord] = {}
        for row_id in rows:
            known = {c.id: c for c in history.get(row_id, []) + earlier[row_id]}
            known.update((c.id, c) for c in applied[row_id])
            records.update(row_conflicts(list(known.values())))
        self._store_conflicts(list(records.values()))

    def _history(self, spec: EntitySpec, rows: list[str]) -> dict[str, list[Change]]:
        """Changes applied to these rows by earlier merges."""
        tag = f"hist:{spec.name}"
        staging.stage_ids(self.s, tag, rows)
        found = self.s.execute(
            select(_log).where(
                _log.c.entity == spec.name,
                _log.c.status == "applied",
                _log.c.row_id.in_(staging.ids_tagged(tag)),
            )
        ).all()
        history: dict[str, list[Change]] = defaultdict(list)
        for row in found:
            history[row.row_id].append(_change_from_row(row))
        return history

    def _store_conflicts(self, records: list[ConflictRecord]) -> None:
        if not records:
            return
        table = Conflict.__table__
        tag = "conflict"
        staging.stage_ids(self.s, tag, (r.id for r in records))
        known = {
            row.id: row.loser_change
            for row in self.s.execute(
                select(table.c.id, table.c.loser_change).where(
                    table.c.id.in_(staging.ids_tagged(tag))
                )
            )
        }
        # A change that had not seen a newer arrival now conflicts with that one instead.
        moved = [
            {"b_id": r.id, "loser_change": r.loser.id, "loser_value": r.loser_value}
            for r in records
            if r.id in known and known[r.id] != r.loser.id
        ]
        if moved:
            self.s.execute(update(table).where(table.c.id == bindparam("b_id")), moved)
        new = [r for r in records if r.id not in known]
        if new:
            table_io(self.s, table).insert(self.s, [r.row() for r in new])
            self.result.conflicts += len(new)
            self.created.update(r.id for r in new)
            self._wake_waiting({r.id for r in new})
            for r in new:
                self.result.touched["conflict"].add(r.id)
                self.result.touched[r.entity].add(r.row_id)

    def _wake_waiting(self, created: set[str]) -> None:
        """Queue the pending changes that were waiting for rows just created."""
        if not created or not self.any_pending:
            return
        tag = "created"
        staging.stage_ids(self.s, tag, created)
        rows = self.s.execute(
            select(_log).where(self._pending(), _log.c.waiting_for.in_(staging.ids_tagged(tag)))
        ).all()
        for row in rows:
            self._queue_old(row)

    # ---- bookkeeping --------------------------------------------------------------------

    def _queue_old(self, row: Any) -> None:
        change = _change_from_row(row)
        if change.id in self.old_seq or change.id in self.outcome:
            return
        self.old_seq[change.id] = row.seq
        self.work[change.entity].append(change)

    def _applied(self, change: Change) -> None:
        if change.id in self.old_seq:
            self.result.released += 1
        self.outcome[change.id] = _APPLIED
        self._status(change, "applied")

    def _hold(self, change: Change, waiting_for: str) -> None:
        self.outcome[change.id] = ("pending", waiting_for)
        self._status(change, "pending")

    def _count_duplicate(self, change: Change) -> None:
        self.result.duplicates += 1
        self._status(change, "duplicate")

    def _reject(self, change_id: str, reason: str) -> None:
        self.result.rejected.append((change_id, reason))
        if self.track:
            self.result.statuses[change_id] = "rejected"

    def _status(self, change: Change, status: str) -> None:
        if self.track:
            self.result.statuses[change.id] = status

    def _write_log(self, batch: Sequence[Change]) -> None:
        """Record the batch in the change log and settle earlier pending changes."""
        received_at = wire_value(self.received_at)
        rows = []
        for change in batch:
            status, waiting = self.outcome[change.id]
            if status == "pending":
                self.result.pending += 1
            rows.append(
                {
                    "origin": change.origin,
                    "counter": change.counter,
                    "entity": change.entity,
                    "row_id": change.row_id,
                    "fields": change.fields_json(),
                    "hlc": change.hlc,
                    "base_hlc": change.base_hlc,
                    "schema_rev": change.schema_rev,
                    "status": status,
                    "waiting_for": waiting,
                    "received_at": received_at,
                    "source": self.source,
                    "district_id": self.district_id,
                }
            )
        table_io(self.s, _log).insert(self.s, rows)
        settled = []
        for change_id, seq in self.old_seq.items():
            status, waiting = self.outcome[change_id]
            settled.append({"b_seq": seq, "status": status, "waiting_for": waiting})
        if settled:
            self.s.execute(update(_log).where(_log.c.seq == bindparam("b_seq")), settled)


def _authority(session: Session, state: ReplicaState) -> str | None:
    """The server whose writes of server-owned rows win here: this replica itself on the
    server, else the server it enrolled with (None before enrollment)."""
    if state.role == "server":
        return state.replica_id
    row = session.execute(
        select(SyncState.server_replica_id).where(SyncState.server_replica_id.is_not(None))
    ).first()
    return None if row is None else str(row[0])


def _first_missing(spec: EntitySpec, change: Change, missing: set[str]) -> str | None:
    if not missing:
        return None
    for f in spec.parent_fields:
        ref = change.fields.get(f.name)
        if ref is not None and ref in missing:
            return str(ref)
    return None


def pack_clocks(spec: EntitySpec, clocks: dict[str, str]) -> dict[str, str]:
    """Field clocks in their compact, canonical form: ``""`` holds the oldest clock among
    the fields and only fields written later are listed. A row made by one create and never
    edited stores a single clock instead of one per field."""
    default = clocks.get("", "")
    effective = {name: clocks.get(name) or default for name in spec.fields}
    base = min(effective.values())
    return {"": base} | {name: c for name, c in effective.items() if c != base}


def _change_from_row(row: Any) -> Change:
    return Change(
        origin=row.origin,
        counter=row.counter,
        entity=row.entity,
        row_id=row.row_id,
        fields=orjson.loads(row.fields),
        hlc=row.hlc,
        base_hlc=row.base_hlc,
        schema_rev=row.schema_rev,
    )


def _claimed_id(item: object) -> str:
    if isinstance(item, Change):
        return item.id
    if isinstance(item, dict):
        return f"{item.get('origin')}:{item.get('counter')}"
    return "?"
