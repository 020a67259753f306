"""Fixtures of the command-line tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers import jiceng


@pytest.fixture
def data(tmp_path: Path) -> Path:
    """A cadre's data folder as `jiceng init` makes it (张驻点 of 鼓楼区总工会, code GL01)."""
    folder = tmp_path / "ledger"
    done = jiceng(
        "init",
        "--data-dir",
        str(folder),
        "--role",
        "cadre",
        "--name",
        "张驻点",
        "--district",
        "鼓楼区总工会",
        "--code",
        "GL01",
    )
    assert done.returncode == 0, done.stderr
    assert "GL01-" in done.stdout
    return folder
