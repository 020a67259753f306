"""Fixtures of the sync tests."""

from __future__ import annotations

import pytest

from app.schemas.enums import Role
from tests.helpers import MakeNode, Node


@pytest.fixture
def trio(make_node: MakeNode) -> tuple[Node, Node, Node]:
    """Two cadres who each trust only their district office, which trusts both."""
    a = make_node("张驻点")
    b = make_node("李驻点")
    d = make_node("鼓楼区总工会", role=Role.DISTRICT)
    d.trusts(a, b)
    a.trusts(d)
    b.trusts(d)
    return a, b, d
