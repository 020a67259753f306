"""One set of bounds from the schema to the wire (issue 20), generated from the models and the
wire registry and driven through a running server on SQLite and on PostgreSQL.

For every field of every synced entity, boundary values are derived from its column and its
registry spec (``app.sync.registry``): text at its length and one past it, empty, with control
characters, NUL and a lone surrogate; integers at the column's and the registry's limits and
one past, at 2**31, 2**53, 2**63, and as booleans, floats and text; every code of a vocabulary
and codes outside it; dates and timestamps valid, malformed and out of range; references well
formed, unknown (deferred by design, never refused) and malformed; null. Each is a change of its
own, pushed in batches that also carry one valid control change, and:

* no push is answered 500;
* a value in bounds is accepted and stored exactly (read back from the server's database);
* a value out of bounds is refused alone, with a reason naming its field, while the control
  change in the same batch is accepted.

A guard checks that the registry bounds every column of every synced model, and that each
bound fits the column it lands in on PostgreSQL (SQLite's columns hold more).
"""

from __future__ import annotations

import itertools
import json
import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

import httpx
import psycopg
import pytest
from sqlalchemy import BigInteger, Boolean, Date, DateTime, Integer, String, Text, select
from sqlalchemy.dialects import postgresql

from app.models import META_COLUMNS, REPLICATED, ChangeLog, Conflict
from app.schemas.sync_api import MAX_PULL_LIMIT
from app.sync.changes import SCHEMA_REV
from app.sync.hlc import Timestamp, wall_ms
from app.sync.registry import (
    ENTITIES,
    INT32,
    MAX_INT,
    MAX_TEXT,
    ROW_ID,
    SERVER_OWNED,
    VOCABULARIES,
    EntitySpec,
    FieldSpec,
    checkers,
    wire_value,
)
from tests.helpers import (
    PG_ADMIN,
    PG_URL,
    MakeReplica,
    auth,
    enroll_body,
    join,
    require_postgres,
    sync,
)
from tests.server_helpers import LiveServer, serving

STORED, REFUSED, PENDING, FORBIDDEN = "stored", "refused", "pending", "forbidden"
MAX_BATCH = 300  # changes per push (the protocol allows 500)
MAX_BATCH_BYTES = 600_000  # of JSON per push (the server takes 1 MiB)
PG_RANGE = {"INTEGER": 2**31, "BIGINT": 2**63}  # a PostgreSQL integer holds [-r, r)
CONTROL_CHARS = "\t\n\r\x01\x1b\x7f\x85\u200b\u2028\ufeff"  # text a column holds as it is

# Short text columns that hold free text or an identifier, not a code of a vocabulary. A new
# short column must be added here or to ``registry.VOCABULARIES``: a code field left without
# its vocabulary would take any text that fits.
FREE_SHORT_TEXT = {
    ("district", "code"),  # 行政区划代码
    ("enterprise", "credit_code"),  # 统一社会信用代码
    ("worker", "id_number"),  # 身份证号
    ("issue", "created_by"),  # a replica id
}


def fill(n: int) -> str:
    """Text of exactly ``n`` characters (code points), ending in a CJK and an astral one."""
    return "a" * (n - 2) + "职𝄞" if n >= 2 else "职" * n


def column_range(spec: EntitySpec, name: str) -> int:
    """The r of [-r, r) that the field's column holds on PostgreSQL."""
    compiled = spec.table.c[name].type.compile(dialect=postgresql.dialect())
    return PG_RANGE[str(compiled)]


# ---- the generated cases ------------------------------------------------------------------


@dataclass(frozen=True)
class Case:
    entity: str
    field: str
    label: str
    value: Any
    expect: str  # STORED | REFUSED | PENDING (well-formed unknown reference) | FORBIDDEN


def _null(f: FieldSpec) -> list[tuple[str, Any, str]]:
    return [("null", None, STORED if f.nullable else REFUSED)]


def _text(f: FieldSpec) -> list[tuple[str, Any, str]]:
    limit = f.max_len or MAX_TEXT
    return [
        (f"{limit} characters", fill(limit), STORED),
        (f"{limit + 1} characters", fill(limit + 1), REFUSED),
        ("empty", "", STORED),  # a column holds it; required-ness is the forms' rule
        ("control characters", CONTROL_CHARS[:limit], STORED),
        ("NUL", "a\x00b", REFUSED),
        ("lone surrogate", "a\ud800b", REFUSED),
        ("lone low surrogate", "\udfff", REFUSED),
    ]


def _misfits_for_text() -> list[tuple[str, Any, str]]:
    return [("integer", 7, REFUSED), ("true", True, REFUSED), ("float", 1.5, REFUSED),
            ("list", ["x"], REFUSED), ("object", {"x": 1}, REFUSED)]  # fmt: skip


def _vocabulary(f: FieldSpec) -> list[tuple[str, Any, str]]:
    assert f.choices is not None
    code = f.choices[0]
    limit = f.max_len or MAX_TEXT
    return [
        *((f"code {c}", c, STORED) for c in f.choices),
        ("bogus", "bogus", REFUSED),
        ("empty", "", REFUSED),
        ("upper case", code.upper(), REFUSED),
        ("trailing space", code + " ", REFUSED),
        ("code with NUL", code + "\x00", REFUSED),
        ("code with lone surrogate", code + "\ud800", REFUSED),
        (f"{limit + 1} characters", fill(limit + 1), REFUSED),
    ]


def _reference(f: FieldSpec, world: dict[str, str]) -> list[tuple[str, Any, str]]:
    assert f.parent is not None
    known = world[f.parent]
    unknown = str(uuid.uuid4())
    return [
        ("existing row", known, STORED),
        ("unknown row", unknown, PENDING),  # deferred until its parent arrives, by design
        ("not an id", "not-a-row-id", REFUSED),
        ("upper case", known.upper(), REFUSED),
        ("braced", "{" + known + "}", REFUSED),
        ("35 characters", unknown[:-1], REFUSED),
        ("37 characters", unknown + "0", REFUSED),
        ("no hyphens", unknown.replace("-", ""), REFUSED),
        ("empty", "", REFUSED),
        ("with NUL", unknown[:-1] + "\x00", REFUSED),
        ("integer", 42, REFUSED),
    ]


def _integer(spec: EntitySpec, f: FieldSpec) -> list[tuple[str, Any, str]]:
    column, wire = column_range(spec, f.name), f.int_bound
    values = {
        0, 1, -1,
        -column, column - 1, -column - 1, column,  # the column's own limits, and one past
        -wire, wire - 1, -wire - 1, wire,  # the registry's
        2**31 - 1, 2**31, -(2**31), -(2**31) - 1,
        2**53 - 1, 2**53, 2**63, -(2**63) - 1, 2**64, 10**30,
    }  # fmt: skip
    cases = [(str(v), v, STORED if -wire <= v < wire else REFUSED) for v in sorted(values)]
    return [
        *cases,
        ("true", True, REFUSED),
        ("false", False, REFUSED),
        ("float 1.0", 1.0, REFUSED),
        ("float 1.5", 1.5, REFUSED),
        ("text '1'", "1", REFUSED),
        ("list", [1], REFUSED),
    ]


def _boolean() -> list[tuple[str, Any, str]]:
    return [
        ("true", True, STORED),
        ("false", False, STORED),
        ("0", 0, REFUSED),
        ("1", 1, REFUSED),
        ("text 'true'", "true", REFUSED),
        ("text 'false'", "false", REFUSED),
        ("float 1.0", 1.0, REFUSED),
    ]


def _date() -> list[tuple[str, Any, str]]:
    stored = ["2026-01-31", "2024-02-29", "0001-01-01", "9999-12-31"]
    refused = [
        "0000-01-01", "10000-01-01", "2026-02-29", "2026-13-01", "2026-00-10", "2026-01-32",
        "2026-1-31", "20260131", "2026-01-31T00:00:00.000", " 2026-01-31", "２０２６-０１-３１",
        "٢٠٢٦-٠١-٣١", "",
    ]  # fmt: skip
    return [
        *((v, v, STORED) for v in stored),
        *((repr(v), v, REFUSED) for v in refused),
        ("integer", 20260131, REFUSED),
        ("true", True, REFUSED),
    ]


def _datetime() -> list[tuple[str, Any, str]]:
    stored = [
        "2026-01-31T08:00:00.123", "2024-02-29T23:59:59.999", "0001-01-01T00:00:00.000",
        "9999-12-31T23:59:59.999",
    ]  # fmt: skip
    refused = [
        "0000-01-01T00:00:00.000", "2026-02-30T00:00:00.000", "2026-01-31T24:00:00.000",
        "2026-01-31T23:60:00.000", "2026-01-31T23:59:60.000", "2026-01-31T08:00:00",
        "2026-01-31T08:00:00.123456", "2026-01-31 08:00:00.123", "2026-01-31T08:00:00.123Z",
        "2026-01-31T08:00:00.123+08:00", "2026-01-31", "２０２６-０１-３１T08:00:00.000", "",
    ]  # fmt: skip
    return [
        *((v, v, STORED) for v in stored),
        *((repr(v), v, REFUSED) for v in refused),
        ("milliseconds since 1970", 1_769_846_400_000, REFUSED),
    ]


def field_values(
    spec: EntitySpec, f: FieldSpec, world: dict[str, str]
) -> list[tuple[str, Any, str]]:
    """The boundary values of one field, each with what the server must do with it."""
    if f.kind == "str" and f.parent:
        values = _reference(f, world)
    elif f.kind == "str" and f.choices:
        values = _vocabulary(f)
    elif f.kind == "str":
        values = _text(f) + _misfits_for_text()
    elif f.kind == "int":
        values = _integer(spec, f)
    elif f.kind == "bool":
        values = _boolean()
    elif f.kind == "date":
        values = _date()
    elif f.kind == "datetime":
        values = _datetime()
    else:
        raise AssertionError(f"no boundary values for kind {f.kind!r} ({spec.name}.{f.name})")
    return values + _null(f)


def generate(world: dict[str, str]) -> list[Case]:
    cases = []
    for spec in ENTITIES.values():
        for f in spec.fields.values():
            if f.name not in spec.writable:  # a conflict's derived fields: no change writes them
                cases.append(Case(spec.name, f.name, "derived field", "x", REFUSED))
                continue
            for label, value, expect in field_values(spec, f, world):
                if spec.name in SERVER_OWNED and expect in (STORED, PENDING):
                    expect = FORBIDDEN  # a device never writes a district row, whatever it holds
                cases.append(Case(spec.name, f.name, label, value, expect))
    return cases


def base_value(spec: EntitySpec, f: FieldSpec, world: dict[str, str]) -> Any:
    """A valid value for a field: a create's other fields."""
    if f.parent:
        return world[f.parent]
    if f.choices:
        return f.choices[0]
    return {
        "str": fill(min(f.max_len or 40, 40)),
        "int": 1,
        "bool": False,
        "date": "2026-01-31",
        "datetime": "2026-01-31T08:00:00.000",
    }[f.kind]


# ---- a server with a world of valid rows ----------------------------------------------------


@dataclass
class Device:
    server: LiveServer
    token: str
    origin: str
    district_id: str
    counter: int = 0
    ms: int = field(default_factory=wall_ms)
    logical: int = 0

    def clock(self) -> str:
        self.logical += 1
        if self.logical > 0xFFFF:
            self.ms, self.logical = self.ms + 1, 0
        return Timestamp(self.ms, self.logical, self.origin).encode()

    def change(
        self, entity: str, row_id: str, fields: dict[str, Any], base_hlc: str | None = None
    ) -> dict[str, Any]:
        self.counter += 1
        return {
            "origin": self.origin,
            "counter": self.counter,
            "entity": entity,
            "row_id": row_id,
            "fields": fields,
            "hlc": self.clock(),
            "base_hlc": base_hlc,
            "schema_rev": SCHEMA_REV,
        }

    def push(self, changes: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
        """Results by change id. JSON with ``ensure_ascii``, so lone surrogates travel."""
        reply = httpx.post(
            f"{self.server.url}/api/v1/sync/push",
            content=json.dumps({"changes": changes}, allow_nan=False),
            headers={**auth(self.token), "Content-Type": "application/json"},
            timeout=120,
        )
        assert reply.status_code == 200, f"push answered {reply.status_code}: {reply.text}"
        results = reply.json()["results"]
        assert len(results) == len(changes)
        return {r["id"]: r for r in results}


def enrolled(server: LiveServer) -> Device:
    origin = uuid.uuid4().hex[:16]
    reply = httpx.post(f"{server.url}/api/v1/enroll", json=enroll_body(server.code(), origin))
    assert reply.status_code == 200, reply.text
    return Device(server, reply.json()["token"], origin, reply.json()["district_id"])


@dataclass
class Bench:
    """What one database's run found: every case's push result and stored row."""

    db: str
    device: Device
    world: dict[str, str]
    templates: dict[str, dict[str, Any]]  # a valid create's fields, by entity
    cases: dict[str, Case]  # by change id
    changes: dict[str, dict[str, Any]]  # by change id
    results: dict[str, dict[str, Any]] = field(default_factory=dict)
    rows: dict[tuple[str, str], dict[str, Any]] = field(default_factory=dict)
    controls: list[str] = field(default_factory=list)  # ids of the control changes
    edits: dict[str, tuple[str, dict[str, Any]]] = field(default_factory=dict)  # id: (case, edit)
    edit_results: dict[str, dict[str, Any]] = field(default_factory=dict)
    edited_rows: dict[tuple[str, str], dict[str, Any]] = field(default_factory=dict)


def make_world(device: Device) -> tuple[dict[str, str], dict[str, dict[str, Any]]]:
    """One valid row of every entity a device creates, pushed; and each one's fields."""
    world = {"district": device.district_id}
    templates: dict[str, dict[str, Any]] = {}
    changes = []
    for spec in sorted(ENTITIES.values(), key=lambda e: e.order):
        if spec.derived:
            continue
        fields = {n: base_value(spec, f, world) for n, f in spec.fields.items()}
        templates[spec.name] = fields
        if spec.name in SERVER_OWNED:  # a device's would be refused; the server has its own
            continue
        world[spec.name] = str(uuid.uuid4())
        changes.append(device.change(spec.name, world[spec.name], fields))
    results = device.push(changes)
    assert {r["status"] for r in results.values()} == {"accepted"}, results
    return world, templates


def make_conflicts(device: Device, templates: dict[str, dict[str, Any]], wanted: int) -> list[str]:
    """At least ``wanted`` conflict rows: two concurrent edits of several enterprises."""
    plain = [n for n, f in ENTITIES["enterprise"].fields.items()
             if not f.parent and n not in ("created_at", "deleted")]  # fmt: skip
    creates, edits, rows = [], [], []
    for _ in range(-(-wanted // len(plain))):
        row_id = str(uuid.uuid4())
        rows.append(row_id)
        creates.append(device.change("enterprise", row_id, dict(templates["enterprise"])))
    assert {r["status"] for r in device.push(creates).values()} == {"accepted"}
    for create in creates:
        for side in ("甲", "乙"):  # neither edit has seen the other
            fields = {
                n: {"str": side, "int": 5 if side == "甲" else 6, "bool": side == "甲"}.get(
                    ENTITIES["enterprise"].fields[n].kind, create["fields"][n]
                )
                for n in plain
            }
            edits.append(device.change("enterprise", create["row_id"], fields, create["hlc"]))
    assert {r["status"] for r in device.push(edits).values()} == {"accepted"}
    with device.server.session() as s:
        found = s.execute(select(Conflict.id).where(Conflict.row_id.in_(rows))).scalars().all()
    assert len(found) >= wanted, f"{len(found)} conflicts made, {wanted} wanted"
    return sorted(found)


def build_changes(
    device: Device,
    cases: list[Case],
    templates: dict[str, dict[str, Any]],
    conflicts: list[str],
    earliest: str,
) -> dict[str, tuple[Case, dict[str, Any]]]:
    """A change per case: a create of a new row for most entities (its other fields valid),
    an edit of a conflict row for conflicts (each stored value on a row of its own)."""
    made = {}
    spare, anyone = iter(conflicts[1:]), itertools.cycle(conflicts)
    for case in cases:
        if case.entity == "conflict":
            row_id = next(spare) if case.expect == STORED else next(anyone)
            change = device.change("conflict", row_id, {case.field: case.value}, earliest)
        else:
            fields = {**templates[case.entity], case.field: case.value}
            change = device.change(case.entity, str(uuid.uuid4()), fields)
        made[f"{change['origin']}:{change['counter']}"] = (case, change)
    return made


def batches(changes: list[dict[str, Any]]) -> Iterator[list[dict[str, Any]]]:
    batch: list[dict[str, Any]] = []
    size = 0
    for change in changes:
        n = len(json.dumps(change))
        if batch and (len(batch) >= MAX_BATCH or size + n > MAX_BATCH_BYTES):
            yield batch
            batch, size = [], 0
        batch.append(change)
        size += n
    if batch:
        yield batch


def read_rows(
    server: LiveServer, changes: Iterable[dict[str, Any]]
) -> dict[tuple[str, str], dict[str, Any]]:
    """The server's rows that ``changes`` write, in wire form, by (entity, id)."""
    wanted: dict[str, set[str]] = {}
    for change in changes:
        wanted.setdefault(change["entity"], set()).add(change["row_id"])
    found = {}
    with server.session() as s:
        for entity, ids in wanted.items():
            table = ENTITIES[entity].table
            unique = sorted(ids)
            for i in range(0, len(unique), 500):
                for row in s.execute(select(table).where(table.c.id.in_(unique[i : i + 500]))):
                    found[(entity, row.id)] = {k: wire_value(v) for k, v in row._mapping.items()}
    return found


def edit_round(bench: Bench) -> None:
    """Every stored value again, as an edit of a row stored in the first round: each row of a
    field's stored cases takes the next case's value (the update path, not the insert).
    Append-only entities are written once (their edits are refused whole), and conflict
    rows are only ever edited: the first round already did that."""
    groups: dict[tuple[str, str], list[str]] = {}
    for cid, case in bench.cases.items():
        spec = ENTITIES[case.entity]
        if case.expect == STORED and not (spec.append_only or spec.derived):
            groups.setdefault((case.entity, case.field), []).append(cid)
    edits = []
    for (entity, name), ids in groups.items():
        for k, cid in enumerate(ids):
            target = bench.changes[cid]
            value = bench.cases[ids[(k + 1) % len(ids)]].value
            edit = bench.device.change(entity, target["row_id"], {name: value}, target["hlc"])
            bench.edits[f"{edit['origin']}:{edit['counter']}"] = (cid, edit)
            edits.append(edit)
    for batch in batches(edits):
        bench.edit_results.update(bench.device.push(batch))
    bench.edited_rows = read_rows(bench.device.server, edits)


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def bench(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Bench]:
    """Every generated case pushed once per database (a module's server, for speed)."""
    folder = tmp_path_factory.mktemp(f"bounds-{request.param}")
    with _database(request.param) as url, serving(url, folder / "server") as (server, _t):
        device = enrolled(server)
        world, templates = make_world(device)
        cases = generate(world)
        wanted = sum(c.entity == "conflict" and c.expect == STORED for c in cases) + 1
        conflicts = make_conflicts(device, templates, wanted)
        earliest = device.clock()
        made = build_changes(device, cases, templates, conflicts, earliest)
        bench = Bench(
            request.param, device, world, templates, {i: c for i, (c, _) in made.items()},
            {i: ch for i, (_, ch) in made.items()},
        )  # fmt: skip
        for batch in batches([ch for _, ch in made.values()]):
            control = device.change("enterprise", str(uuid.uuid4()), dict(templates["enterprise"]))
            cid = f"{control['origin']}:{control['counter']}"
            bench.controls.append(cid)
            bench.changes[cid] = control
            bench.results.update(device.push([*batch, control]))
        bench.rows = read_rows(server, bench.changes.values())
        edit_round(bench)
        yield bench


class _database:
    """The server's ``--db``: None (SQLite) or a fresh PostgreSQL database for the module."""

    def __init__(self, kind: str) -> None:
        self.kind, self.name = kind, f"jiceng_t_{uuid.uuid4().hex[:12]}"

    def __enter__(self) -> str | None:
        if self.kind == "sqlite":
            return None
        require_postgres()  # skips, with its reason, when PostgreSQL is absent (fails under CI)
        with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{self.name}"')
        return PG_URL.format(db=self.name)

    def __exit__(self, *_exc: object) -> None:
        if self.kind != "sqlite":
            with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')


# ---- the tests ----------------------------------------------------------------------------


def _same(a: Any, b: Any) -> bool:
    return type(a) is type(b) and a == b


def _verdict(bench: Bench, change_id: str) -> str | None:
    """What is wrong with how the server treated one case (None: nothing)."""
    case, change = bench.cases[change_id], bench.changes[change_id]
    result = bench.results[change_id]
    status, reason = result["status"], result.get("reason") or ""
    row = bench.rows.get((change["entity"], change["row_id"]))
    if case.expect == STORED:
        if status != "accepted":
            return f"in bounds but {status}: {reason}"
        if row is None:
            return "accepted but not stored"
        differ = [n for n, v in change["fields"].items() if not _same(row[n], v)]
        return f"stored as {[row[n] for n in differ]!r}" if differ else None
    if case.expect == PENDING:
        if status not in ("accepted", "deferred"):
            return f"a well-formed reference {status}: {reason}"
        return "a reference to a missing row was stored" if row is not None else None
    if case.expect == FORBIDDEN:
        ok = status == "rejected" and reason.startswith("forbidden")
        return None if ok else f"a device's district change {status}: {reason}"
    if status != "rejected":
        stored = "" if row is None else f" (stored as {row.get(case.field)!r})"
        return f"out of bounds but {status}{stored}"
    if case.field not in reason:
        return f"refused with a reason not naming the field: {reason!r}"
    if case.entity != "conflict" and row is not None:
        return "refused but its row exists"
    return None


ENTITY_NAMES = sorted(ENTITIES)


@pytest.mark.parametrize("entity", ENTITY_NAMES)
def test_every_field_at_its_bounds(bench: Bench, entity: str) -> None:
    mine = [i for i, c in bench.cases.items() if c.entity == entity]
    assert mine, f"no cases generated for {entity}"
    problems = [
        f"{entity}.{c.field} = {c.label}: {problem}"
        for i in mine
        if (problem := _verdict(bench, i)) is not None
        for c in [bench.cases[i]]
    ]
    assert not problems, f"{len(problems)} of {len(mine)} cases on {bench.db}:\n" + "\n".join(
        problems
    )


def test_every_stored_value_is_stored_by_an_edit_too(bench: Bench) -> None:
    assert bench.edits
    problems = []
    for eid, (cid, edit) in bench.edits.items():
        case, result = bench.cases[cid], bench.edit_results[eid]
        row = bench.edited_rows.get((edit["entity"], edit["row_id"]))
        ((name, value),) = edit["fields"].items()
        if result["status"] != "accepted" or row is None:
            problems.append(f"{case.entity}.{name} edit: {result}")
        elif not _same(row[name], value):
            problems.append(f"{case.entity}.{name} edited to {value!r}, stored as {row[name]!r}")
        else:
            before = bench.rows[(edit["entity"], edit["row_id"])]
            others = [n for n in ENTITIES[case.entity].fields if n != name]
            if any(not _same(row[n], before[n]) for n in others):
                problems.append(f"{case.entity}.{name} edit changed other fields")
    assert not problems, f"on {bench.db}:\n" + "\n".join(problems)


def test_every_control_change_is_accepted_beside_the_refusals(bench: Bench) -> None:
    refused = sum(c.expect == REFUSED for c in bench.cases.values())
    assert refused > 0 and len(bench.controls) >= 1
    for cid in bench.controls:
        assert bench.results[cid]["status"] == "accepted", bench.results[cid]
        change = bench.changes[cid]
        row = bench.rows[("enterprise", change["row_id"])]
        assert all(_same(row[n], v) for n, v in change["fields"].items())
    counts = {kind: sum(c.expect == kind for c in bench.cases.values()) for kind in
              (STORED, REFUSED, PENDING, FORBIDDEN)}  # fmt: skip
    print(f"{bench.db}: {len(bench.cases)} generated cases {counts}, {len(bench.controls)} pushes")


# ---- the envelope: what lands in the change log, and the pull cursor ------------------------

_HEX16 = "0123456789abcdef"
ENVELOPE: list[tuple[str, str, Any, str]] = [
    # (label, key, value, expect); each replaces one key of a valid change
    ("counter 2**53 - 1", "counter", 2**53 - 1, STORED),
    *(
        (f"counter {v!r}", "counter", v, REFUSED)
        for v in (2**53, 2**63, 2**64, 0, -1, True, 1.5, "1", None, [1])
    ),
    ("schema_rev 1", "schema_rev", 1, STORED),
    *(
        (f"schema_rev {v!r}", "schema_rev", v, REFUSED)
        for v in (0, -1, SCHEMA_REV + 1, 2**31, 2**63, True, 1.5, "2", None)
    ),
    *(
        (f"origin {v!r}", "origin", v, REFUSED)
        for v in ("x" * 16, _HEX16 + "0", _HEX16[:-1], _HEX16.upper(), "", 5, None, [_HEX16])
    ),
    *(
        (f"entity {v!r}", "entity", v, REFUSED)
        for v in ("bogus", "", "Enterprise", "enterprise\x00", 5, None, ["enterprise"], {})
    ),
    *(
        (f"row_id {v!r}", "row_id", v, REFUSED)
        for v in ("not-a-row-id", "", "x" * 37, 5, None, ["a"], {"a": 1}, True)
    ),
    *((f"hlc {v!r}", "hlc", v, REFUSED) for v in ("0" * 32, "", "z" * 32, 5, None, ["a"])),
    *((f"base_hlc {v!r}", "base_hlc", v, REFUSED) for v in ("", "z" * 32, 5, ["a"])),
    *((f"fields {v!r}", "fields", v, REFUSED) for v in ({}, [], "x", 5, None)),
    ("an unknown key", "colour", "red", REFUSED),
]


def test_the_envelope_at_its_bounds(bench: Bench) -> None:
    """The keys around the fields land in the change log (``counter`` in a 64-bit column,
    ``schema_rev`` in an integer one): each bad one is refused alone, naming its key, beside
    a valid change; an in-bounds one is logged exactly. A fresh device, so that the largest
    counter lands in a log of its own origin."""
    device = enrolled(bench.device.server)
    made, expect = [], {}
    for label, key, value, outcome in ENVELOPE:
        change = device.change("enterprise", str(uuid.uuid4()), dict(bench.templates["enterprise"]))
        change[key] = value
        made.append(change)
        expect[f"{change['origin']}:{change['counter']}"] = (label, key, outcome, change)
    control = device.change("enterprise", str(uuid.uuid4()), dict(bench.templates["enterprise"]))
    results = device.push([*made, control])
    assert results[f"{device.origin}:{control['counter']}"]["status"] == "accepted"
    problems = []
    with bench.device.server.session() as s:
        for change_id, (label, key, outcome, change) in expect.items():
            result = results.get(change_id) or {"status": "missing", "reason": ""}
            status, reason = result["status"], result.get("reason") or ""
            if outcome == REFUSED and not (status == "rejected" and key in reason):
                problems.append(f"{label}: {status} {reason!r}")
            if outcome == STORED:
                row = s.execute(
                    select(ChangeLog.counter, ChangeLog.schema_rev).where(
                        ChangeLog.origin == device.origin, ChangeLog.row_id == change["row_id"]
                    )
                ).one_or_none()
                if status != "accepted" or row is None or row[0] != change["counter"]:
                    problems.append(f"{label}: {status} {reason!r}, logged as {row}")
                elif row[1] != change["schema_rev"]:
                    problems.append(f"{label}: schema_rev logged as {row[1]}")
    assert not problems, f"on {bench.db}:\n" + "\n".join(problems)


def test_an_integer_too_long_to_read_is_refused_alone(bench: Bench) -> None:
    """JSON integers have no length limit, Python's reader does (4,300 digits): such a number
    in a field or in the counter is refused with its change, never the whole push."""
    device = bench.device
    template = bench.templates["enterprise"]
    in_field = device.change("enterprise", str(uuid.uuid4()), {**template, "headcount": "@@"})
    in_counter = {**device.change("enterprise", str(uuid.uuid4()), dict(template)), "counter": "@@"}
    control = device.change("enterprise", str(uuid.uuid4()), dict(template))
    body = json.dumps({"changes": [in_field, in_counter, control]})
    reply = httpx.post(
        f"{device.server.url}/api/v1/sync/push",
        content=body.replace('"@@"', "9" * 5000),
        headers={**auth(device.token), "Content-Type": "application/json"},
        timeout=60,
    )
    assert reply.status_code == 200, reply.text
    first, second, third = reply.json()["results"]
    assert first["status"] == "rejected" and "headcount" in first["reason"]
    assert second["status"] == "rejected" and "counter" in second["reason"]
    assert third["status"] == "accepted"


@pytest.mark.parametrize(
    ("params", "status"),
    [
        ({"after": 0}, 200),
        ({"after": 2**62}, 200),
        ({"after": 2**62 + 1}, 422),
        ({"after": 2**63}, 422),
        ({"after": -1}, 422),
        ({"after": "1.5"}, 422),
        ({"after": "abc"}, 422),
        ({"after": 10**30}, 422),
        ({"limit": 1}, 200),
        ({"limit": MAX_PULL_LIMIT}, 200),
        ({"limit": 0}, 422),
        ({"limit": MAX_PULL_LIMIT + 1}, 422),
        ({"limit": 2**63}, 422),
    ],
    ids=str,
)
def test_the_pull_cursor_is_bounded_by_what_the_log_stores(
    bench: Bench, params: dict[str, Any], status: int
) -> None:
    """A cursor is a change-log ``seq`` (64-bit on PostgreSQL): the server takes any the log
    can hold and answers 422, never 500, for one it cannot."""
    reply = httpx.get(
        f"{bench.device.server.url}/api/v1/sync/pull",
        params=params,
        headers=auth(bench.device.token),
    )
    assert reply.status_code == status, reply.text
    if status == 200:
        assert 0 <= reply.json()["next"] < 2**63


# ---- the guard: every column of every synced model has its bound ---------------------------


@pytest.mark.parametrize("model", REPLICATED, ids=lambda m: m.__tablename__)
def test_the_registry_bounds_every_column(model: Any) -> None:
    spec = ENTITIES[model.__tablename__]
    table = model.__table__
    assert set(table.c.keys()) == set(spec.fields) | META_COLUMNS, "a column the registry misses"
    assert isinstance(table.c.id.type, String) and table.c.id.type.length == 36
    assert ROW_ID.fullmatch(str(uuid.uuid4()))
    check = checkers(spec)
    assert set(check) == set(spec.writable) <= set(spec.fields)
    for name, f in spec.fields.items():
        column = table.c[name]
        where = f"{spec.name}.{name}"
        if isinstance(column.type, Boolean):
            assert f.kind == "bool", where
        elif isinstance(column.type, Integer):
            assert f.kind == "int", where
            assert 0 < f.int_bound <= column_range(spec, name), f"{where}: wider than its column"
            wide = isinstance(column.type, BigInteger)
            assert f.int_bound == (MAX_INT if wide else INT32), where
        elif isinstance(column.type, DateTime):
            assert f.kind == "datetime", where
        elif isinstance(column.type, Date):
            assert f.kind == "date", where
        elif isinstance(column.type, String):
            assert f.kind == "str", where
            length = column.type.length
            assert (length is None) == isinstance(column.type, Text), f"{where}: unbounded"
            assert f.max_len == length, where
            for code in f.choices or ():
                assert len(code) <= (length or MAX_TEXT), f"{where}: code {code!r} too long"
            assert bool(column.foreign_keys) == bool(f.parent), where
            if length is not None and length <= 24 and not f.parent and not f.choices:
                assert (spec.name, name) in FREE_SHORT_TEXT, f"{where}: a code without vocabulary"
        else:
            raise AssertionError(f"{where}: no bound for a {column.type!r} column")
        assert f.nullable == bool(column.nullable), where


def test_every_vocabulary_names_a_text_field() -> None:
    for entity, name in VOCABULARIES:
        assert ENTITIES[entity].fields[name].kind == "str", (entity, name)
        assert ENTITIES[entity].fields[name].choices == VOCABULARIES[entity, name]
    for entity, name in FREE_SHORT_TEXT:
        assert name in ENTITIES[entity].fields and (entity, name) not in VOCABULARIES


def test_the_boundary_values_cover_every_field() -> None:
    world = {name: str(uuid.uuid4()) for name in ENTITIES}
    cases = generate(world)
    for spec in ENTITIES.values():
        for name in spec.fields:
            mine = [c for c in cases if (c.entity, c.field) == (spec.name, name)]
            assert mine, f"{spec.name}.{name}: no boundary values"
            if name in spec.writable:
                assert {REFUSED} < {c.expect for c in mine}, f"{spec.name}.{name}: one-sided"


def test_a_replica_pulls_every_stored_value_exactly(
    bench: Bench, make_replica: MakeReplica
) -> None:
    """What the server stored reaches a cadre's laptop (an encrypted SQLite store) through an
    ordinary sync round, and is stored there the same: rows, values, conflicts."""
    cadre = make_replica()
    join(bench.device.server, cadre)
    report = sync(cadre)
    assert report is not None
    problems = []
    with bench.device.server.session() as server, cadre.read() as laptop:
        for spec in ENTITIES.values():
            if spec.name in SERVER_OWNED:
                continue  # the laptop's own provisional district row differs by design
            table = spec.table
            mine = {r.id: r._mapping for r in laptop.execute(select(table))}
            theirs = list(server.execute(select(table)))
            assert theirs, spec.name
            for row in theirs:
                got = mine.get(row.id)
                if got is None:
                    problems.append(f"{spec.name} {row.id}: not pulled")
                    continue
                for name in spec.fields:
                    a, b = wire_value(row._mapping[name]), wire_value(got[name])
                    if not _same(a, b):
                        problems.append(f"{spec.name}.{name}: {a!r} on the server, {b!r} pulled")
    assert not problems, f"{len(problems)} on {bench.db}:\n" + "\n".join(problems[:40])
