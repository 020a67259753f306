"""The ledger check (``app.services.stored_check``), generated over every replicated field.

A ledger from before received changes were checked may hold values its screens cannot show
(the red team's district-mate pushed ``status="bogus"``, and the case list, the detail, both
exports and ``jiceng stats`` failed on every laptop). Here every field of every replicated
table gets a value its rules refuse, planted straight into the data file as such a ledger
holds it; the check must find exactly those, put stand-ins the rules accept, keep the
originals listed until the record is repaired, and leave every report, export and CLI
command working.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text

from app.schemas.ledger import EnterpriseIn
from app.services import enterprises
from app.services.demo import DemoSpec, generate
from app.services.stored_check import check_due, check_stored, find_invalid, isolated
from app.storage.store import Store
from app.sync.registry import ENTITIES, MAX_TEXT, FieldSpec
from tests.helpers import PASSPHRASE

SMALL = DemoSpec(enterprises=3, workers=40, visits=20, issues=40)
META = {"id", "created_at", "updated_at", "deleted", "clocks"}


def bad_value(field: FieldSpec) -> Any:
    """A value ``field``'s rules refuse, of the kind an unchecked peer could have stored."""
    if field.kind == "str":
        if field.choices:
            return "bogus"
        return "坏" * ((field.max_len or MAX_TEXT) + 1)
    if field.kind == "int":
        return field.int_bound + 1
    if field.kind == "bool":
        return 7
    if field.kind == "date":
        return "2026-02-30"
    return "不是时间"


def plantable() -> list[tuple[str, str]]:
    """Every replicated field that a stored row can hold a wrong value in: those a received
    change writes. References are left out: the data file enforces its foreign keys, so a
    row naming a missing row was never stored (such a change waits as pending instead)."""
    return [
        (spec.name, field.name)
        for spec in ENTITIES.values()
        for field in spec.fields.values()
        if field.name not in META and not field.parent and field.name in spec.writable
    ]


@pytest.fixture
def ledger(store: Store) -> Store:
    with store.write() as s:
        generate(s, SMALL)
        enterprises.create_enterprise(s, EnterpriseIn(name="备用企业"))  # one row at least
    return store


def plant(store: Store) -> dict[tuple[str, str, str], Any]:
    """One bad value in one live row of every plantable field that has rows; what went
    where."""
    planted: dict[tuple[str, str, str], Any] = {}
    with store.write() as s:
        for entity, name in plantable():
            table = ENTITIES[entity].table.name
            row_id = s.execute(text(f'SELECT id FROM "{table}" ORDER BY id LIMIT 1')).scalar()
            if row_id is None:
                continue  # no row of this kind in the demo ledger (conflicts, links)
            value = bad_value(ENTITIES[entity].fields[name])
            s.execute(text(f'UPDATE "{table}" SET "{name}" = :v WHERE id = :id'),
                      {"v": value, "id": row_id})
            planted[(entity, row_id, name)] = value
    return planted


def test_every_planted_value_is_isolated_and_replaced_by_one_the_rules_accept(
    ledger: Store,
) -> None:
    planted = plant(ledger)
    assert len(planted) > 60  # most fields of most tables
    with ledger.read() as s:
        found = {(i.entity, i.row_id, i.field) for i in find_invalid(s)}
    assert found == set(planted)  # nothing missed, nothing good taken for bad
    with ledger.write() as s:
        assert check_stored(s) == len(planted)
    with ledger.read() as s:
        assert list(find_invalid(s)) == []  # every stand-in passes the rules
        listed = {(e.entity, e.row_id, e.field): e for e in isolated(s)}
    assert set(listed) == set(planted)
    for key, entry in listed.items():
        assert entry.value != entry.stand_in, key
    with ledger.write() as s:
        assert check_stored(s) == 0  # once per version of the rules
    with ledger.read() as s:
        assert not check_due(s)  # so a command that only reads takes no write lock


def test_a_repaired_field_leaves_the_list(ledger: Store) -> None:
    with ledger.write() as s:
        issue_id = s.execute(text("SELECT id FROM issue ORDER BY id LIMIT 1")).scalar()
        s.execute(text("UPDATE issue SET category = 'bogus' WHERE id = :id"), {"id": issue_id})
        check_stored(s)
    with ledger.read() as s:
        assert [(e.field, e.value) for e in isolated(s)] == [("category", '"bogus"')]
    from app.schemas.issues import IssueEditIn
    from app.services.editing import values_for_edit
    from app.services.issues import edit_issue

    with ledger.write() as s:  # the user repairs it through the case's edit form
        current = values_for_edit(s, "issue", issue_id)
        wanted = {k: v for k, v in current.values.items() if k in IssueEditIn.model_fields}
        data = IssueEditIn.model_validate({**wanted, "category": "contract"})
        assert edit_issue(s, issue_id, data, base_hlc=current.version, fields={"category"})
    with ledger.read() as s:
        assert isolated(s) == []
        assert check_due(s)  # the repaired entry is forgotten at the next check
    with ledger.write() as s:
        check_stored(s)
    with ledger.read() as s:
        assert not check_due(s)


def jiceng(folder: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "JICENG_PASSPHRASE": PASSPHRASE}
    return subprocess.run(
        [sys.executable, "-m", "app", *args, "--data-dir", str(folder)],
        capture_output=True, text=True, env=env, timeout=180, check=False,
    )


def test_reports_exports_and_the_cli_work_on_a_ledger_that_held_bad_values(
    ledger: Store, tmp_path: Path
) -> None:
    planted = plant(ledger)
    with ledger.read() as s:
        rows = sum(
            s.execute(text(f'SELECT count(*) FROM "{e.table.name}"')).scalar_one()
            for e in ENTITIES.values()
        )
    folder = ledger.data_dir
    ledger.close()  # the CLI opens the folder itself, as a user's second program would
    first = jiceng(folder, "stats")
    assert first.returncode == 0, first.stderr
    assert f"{len(planted)} 处" in first.stderr  # the user is told, once
    for args in (
        ("stats", "--json"),
        ("report", "xlsx", "--out", str(tmp_path / "r.xlsx")),
        ("report", "pdf", "--out", str(tmp_path / "r.pdf")),
        ("dump",),
    ):
        done = jiceng(folder, *args)
        assert done.returncode == 0, (args, done.stderr[-2000:])
        assert "Traceback" not in done.stderr, args
        assert "处存储的值不符合规则" not in done.stderr, args  # checked already
    listing = jiceng(folder, "check")
    assert listing.returncode == 0
    assert f"共 {len(planted)} 处" in listing.stdout
    assert "bogus" in listing.stdout and "不是规定的选项" in listing.stdout
    assert len(jiceng(folder, "dump").stdout.splitlines()) == rows  # no row lost
