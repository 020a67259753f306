"""Fuzzing the bundle reader and the spreadsheet reader (fault suite, item 7): random bytes
and structured mutations of a valid file raise only the project's documented errors — never
KeyError, UnicodeDecodeError, a hang — and change nothing in the ledger."""

from __future__ import annotations

import ast
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.services.sheet_import import SheetError, import_sheet
from app.sync.bundle import export_bundle, import_bundle
from app.sync.bundle_format import BundleError
from tests.helpers import MakeNode, Node, add_enterprise, add_issue, dump

SETTINGS = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def setup_pair(make_node: MakeNode, folder: Path) -> tuple[Node, bytes]:
    cadre, office = make_node("张驻点"), make_node("鼓楼区总工会", role="district")
    cadre.trusts(office)
    office.trusts(cadre)
    eid = add_enterprise(cadre.store)
    for i in range(5):
        add_issue(cadre.store, eid, f"反映工资拖欠{i}")
    good = folder / "good.jcb"
    with cadre.read() as s:
        export_bundle(s, cadre.keys, cadre.peer(office), good)
    return office, good.read_bytes()


mutation = st.one_of(
    st.tuples(st.just("flip"), st.integers(0, 10**9), st.integers(1, 255)),
    st.tuples(st.just("cut"), st.integers(0, 10**9), st.just(0)),
    st.tuples(st.just("insert"), st.integers(0, 10**9), st.integers(0, 255)),
    st.tuples(st.just("dup"), st.integers(0, 10**9), st.integers(1, 64)),
)


def mutate(data: bytes, steps: list[tuple[str, int, int]]) -> bytes:
    out = bytearray(data)
    for kind, where, value in steps:
        pos = where % (len(out) + 1)
        if kind == "flip" and pos < len(out):
            out[pos] ^= value
        elif kind == "cut":
            del out[pos:]
        elif kind == "insert":
            out[pos:pos] = bytes([value])
        elif kind == "dup":
            out[pos:pos] = out[pos : pos + value]
    return bytes(out)


def test_mutated_bundles_raise_only_bundle_errors(make_node: MakeNode, tmp_path: Path) -> None:
    office, good = setup_pair(make_node, tmp_path)
    before = dump(office.store)
    path = tmp_path / "fuzz.jcb"

    @SETTINGS
    @given(st.lists(mutation, min_size=1, max_size=4))
    def check(steps: list[tuple[str, int, int]]) -> None:
        data = mutate(good, steps)
        if data == good:
            return
        path.write_bytes(data)
        try:
            with office.write() as s:
                import_bundle(s, office.keys, path)
        except BundleError:
            pass
        assert dump(office.store) == before

    check()


def test_random_bytes_are_not_bundles(make_node: MakeNode, tmp_path: Path) -> None:
    office, _good = setup_pair(make_node, tmp_path)
    path = tmp_path / "random.jcb"

    @SETTINGS
    @given(st.binary(max_size=4096))
    def check(data: bytes) -> None:
        path.write_bytes(data)
        try:
            with office.write() as s:
                import_bundle(s, office.keys, path)
        except BundleError as err:
            assert err.code in ("not_a_bundle", "truncated", "damaged")
        else:
            raise AssertionError("random bytes were imported")

    check()


def test_random_spreadsheets_raise_only_sheet_errors(make_node: MakeNode, tmp_path: Path) -> None:
    node = make_node("张驻点")

    @SETTINGS
    @given(
        st.sampled_from([".csv", ".xlsx"]),
        st.one_of(
            st.binary(max_size=2048),
            st.text(max_size=400).map(lambda t: t.encode("utf-8", "surrogatepass")),
        ),
    )
    def check(suffix: str, data: bytes) -> None:
        path = tmp_path / f"list{suffix}"
        path.write_bytes(data)
        try:
            with node.write() as s:
                import_sheet(s, path, "enterprises", dry_run=True)
        except SheetError:
            pass

    check()


def test_no_code_opens_the_data_file_with_stdlib_sqlite3() -> None:
    """The data file is only ever opened through the SQLCipher engine (storage guarantee)."""
    root = Path(__file__).resolve().parents[2] / "app"
    offenders = []
    for path in root.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            if any(n == "sqlite3" or n.startswith("sqlite3.") for n in names):
                offenders.append(str(path.relative_to(root)))
    assert offenders == []
