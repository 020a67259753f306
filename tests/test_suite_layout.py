"""The test suite's own layout: shared helpers live in helper modules (``tests/helpers.py``,
``tests/server_helpers.py``, ``tests/ui_helpers.py``, ``tests/sheet_helpers.py``), never in a
``conftest.py`` or a test module that others import.

pytest loads each ``conftest.py`` and test module itself, under its own module name; importing
one again as ``tests.….conftest`` or ``tests.….test_x`` runs it a second time as a separate
module, with its own copies of the module's state (``tests/ui``'s modal-poller generation was
one such copy). ``conftest.py`` files hold fixtures and hooks only."""

from __future__ import annotations

import ast
from pathlib import Path

TESTS = Path(__file__).resolve().parent


def _forbidden(module: str) -> bool:
    """A dotted module name that names a conftest or a test module anywhere in it."""
    return any(part == "conftest" or part.startswith("test_") for part in module.split("."))


def forbidden_imports(source: str) -> list[tuple[int, str]]:
    """(line, module) for every import of ``source``, top level or inside a function, that
    reaches into a conftest or a test module."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found += [(node.lineno, a.name) for a in node.names if _forbidden(a.name)]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if _forbidden(base):
                found.append((node.lineno, base))
            else:  # from tests.ui import conftest, from tests.cli import test_cli
                dotted = (f"{base}.{a.name}" if base else a.name for a in node.names)
                found += [(node.lineno, m) for m in dotted if _forbidden(m.split(".")[-1])]
    return sorted(found)


def test_the_guard_sees_such_imports() -> None:
    planted = (
        "from tests.server.conftest import LiveServer\n"
        "import tests.cli.test_cli\n"
        "from tests.ui import conftest\n"
        "def f():\n"
        "    from tests.schemas.test_validators import id_with\n"
        "from conftest import x\n"
    )
    assert [line for line, _m in forbidden_imports(planted)] == [1, 2, 3, 5, 6]
    fine = "from tests.helpers import jiceng\nfrom tests.ui_helpers import Asked\nimport pytest\n"
    assert forbidden_imports(fine) == []


def test_no_test_imports_from_a_conftest_or_another_test_module() -> None:
    offenders = [
        f"{path.relative_to(TESTS.parent)}:{line}: {module}"
        for path in sorted(TESTS.rglob("*.py"))
        for line, module in forbidden_imports(path.read_text("utf-8"))
    ]
    assert offenders == [], "move these helpers to a helper module:\n" + "\n".join(offenders)
