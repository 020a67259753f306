"""Convergence, as a property: whatever three replicas do and however their changes travel,
once everyone has everything, every ``jiceng dump`` is the same.

Histories mix field edits, concurrent edits of the same fields, deletions and restorations,
lifecycle transitions and notes. Delivery sends random subsets of a replica's whole change log
(its own and relayed changes), shuffled, in partial batches, with duplicates — directly through
the merge, or as real signed and encrypted bundle files through the district.
"""

from __future__ import annotations

import random
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.models import Issue
from app.schemas.enums import FollowUpMethod, IssueStatus, Role, Satisfaction, Urgency
from app.schemas.issues import NoteIn, TransitionIn
from app.services import issues
from app.services.errors import ServiceError
from app.sync.bundle import export_bundle, import_bundle
from app.sync.writer import ChangeWriter, RowNotFoundError
from tests.helpers import (
    MakeNode,
    MakeReplica,
    add_enterprise,
    add_issue,
    changes_of,
    deliver,
    dump,
)

SLOW = settings(
    max_examples=20,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

TITLES = ("反映工资拖欠", "社保未缴纳", "加班费未支付", "劳动合同未签")
EDIT = st.tuples(
    st.just("edit"),
    st.integers(0, 2),  # replica
    st.integers(0, 2),  # issue
    st.sampled_from(["title", "urgency", "assignee"]),
    st.integers(0, 3),  # value
)
MOVE = st.tuples(st.just("move"), st.integers(0, 2), st.integers(0, 2), st.integers(0, 6))
NOTE = st.tuples(st.just("note"), st.integers(0, 2), st.integers(0, 2))
DELETE = st.tuples(st.just("delete"), st.integers(0, 2), st.integers(0, 2), st.booleans())
SEND = st.tuples(
    st.just("send"),
    st.integers(0, 2),  # from
    st.integers(0, 2),  # to
    st.floats(0.0, 1.0),  # fraction of the sender's log
    st.integers(0, 2**31),  # shuffle seed
)
STEPS = st.lists(st.one_of(EDIT, MOVE, NOTE, DELETE, SEND, SEND), min_size=4, max_size=30)


def apply_step(stores: list, issue_ids: list[str], step: tuple) -> None:  # type: ignore[type-arg]
    kind, r = step[0], step[1]
    store = stores[r]
    try:
        if kind == "edit":
            _, _, i, name, v = step
            value = {
                "title": TITLES[v],
                "urgency": list(Urgency)[v % 3].value,
                "assignee": ["张", "李", "王", "赵"][v],
            }[name]
            with store.write() as s, ChangeWriter(s) as w:
                w.update("issue", issue_ids[i], {name: value})
        elif kind == "move":
            _, _, i, pick = step
            with store.write() as s:
                status = s.get(Issue, issue_ids[i]).status
                allowed = issues.allowed_transitions(status)
                if allowed:
                    target = allowed[pick % len(allowed)]
                    issues.transition(s, issue_ids[i], _transition(target))
        elif kind == "note":
            with store.write() as s:
                issues.add_note(s, issue_ids[step[2]], NoteIn(text="跟进"))
        elif kind == "delete":
            _, _, i, restore = step
            with store.write() as s, ChangeWriter(s) as w:
                w.update("issue", issue_ids[i], {"deleted": not restore})
    except (ServiceError, RowNotFoundError):
        pass  # deleted here, or not arrived yet: the user could not do that on this replica


def _transition(target: IssueStatus) -> TransitionIn:
    return TransitionIn(
        to_status=target,
        department="人社局" if target == IssueStatus.REFERRED else None,
        resolution="已解决" if target == IssueStatus.RESOLVED else None,
        satisfaction=Satisfaction.SATISFIED if target == IssueStatus.FOLLOWED_UP else None,
        method=FollowUpMethod.PHONE if target == IssueStatus.FOLLOWED_UP else None,
        reason="不属于受理范围" if target == IssueStatus.DECLINED else None,
    )


def send(stores: list, step: tuple) -> None:  # type: ignore[type-arg]
    _, src, dst, fraction, seed = step
    if src == dst:
        return
    rng = random.Random(seed)
    log = changes_of(stores[src])
    chosen = rng.sample(log, int(len(log) * fraction))
    chosen += rng.sample(chosen, min(len(chosen), rng.randint(0, 3)))  # duplicates
    rng.shuffle(chosen)
    cut = rng.randint(0, len(chosen))
    for part in (chosen[:cut], chosen[cut:]):  # partial batches
        if part:
            deliver(stores[dst], part)


def settle(stores: list, seed: int) -> None:  # type: ignore[type-arg]
    """Everyone sends everything to everyone, in a random order."""
    rng = random.Random(seed)
    pairs = [(a, b) for a in range(3) for b in range(3) if a != b]
    rng.shuffle(pairs)
    for a, b in pairs:
        log = changes_of(stores[a])
        rng.shuffle(log)
        deliver(stores[b], log)


@SLOW
@given(steps=STEPS, seed=st.integers(0, 2**31))
def test_three_replicas_converge_whatever_the_delivery(
    make_replica: MakeReplica,
    steps: list,
    seed: int,  # type: ignore[type-arg]
) -> None:
    stores = [make_replica("张"), make_replica("李"), make_replica("区", role=Role.DISTRICT)]
    eid = add_enterprise(stores[0])
    issue_ids = [add_issue(stores[0], eid, title=TITLES[i]) for i in range(3)]
    settle(stores, seed)
    for step in steps:
        if step[0] == "send":
            send(stores, step)
        else:
            apply_step(stores, issue_ids, step)
    settle(stores, seed + 1)
    dumps = [dump(s) for s in stores]
    assert dumps[0] == dumps[1] == dumps[2]
    # Applying everything once more is a no-op (idempotence).
    everything = changes_of(stores[1])
    again = deliver(stores[0], everything)
    assert again.new_rows == again.updated_rows == again.conflicts == 0
    assert dump(stores[0]) == dumps[0]


BUNDLE_STEPS = st.lists(
    st.one_of(
        st.tuples(st.just("work"), st.integers(0, 2), st.integers(0, 20)),
        st.tuples(
            st.just("bundle"),
            st.sampled_from([(0, 2), (1, 2), (2, 0), (2, 1)]),
            st.booleans(),
            st.booleans(),
        ),
    ),
    min_size=3,
    max_size=14,
)


@settings(
    max_examples=10,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(steps=BUNDLE_STEPS, seed=st.integers(0, 2**31))
def test_bundles_through_the_district_converge(
    make_node: MakeNode,
    tmp_path_factory,
    steps: list,
    seed: int,  # type: ignore[no-untyped-def, type-arg]
) -> None:
    """Two cadres and a district exchange real bundle files: some lost, some imported twice,
    all relayed by the district; a final round of exports makes everyone identical."""
    folder: Path = tmp_path_factory.mktemp("sticks")
    a, b = make_node("张驻点"), make_node("李驻点")
    d = make_node("鼓楼区总工会", role=Role.DISTRICT)
    d.trusts(a, b)
    a.trusts(d)
    b.trusts(d)
    nodes = [a, b, d]
    eid = add_enterprise(a)
    case = add_issue(a, eid)
    rng = random.Random(seed)
    files: list[tuple[Path, int]] = []
    for n, step in enumerate(steps):
        if step[0] == "work":
            apply_step(nodes, [case] * 3, ("edit", step[1], 0, "urgency", step[2] % 3))
            continue
        (src, dst), lost, twice = step[1], step[2], step[3]
        path = folder / f"{n}.jcb"
        with nodes[src].read() as s:
            export_bundle(s, nodes[src].keys, nodes[src].peer(nodes[dst]), path)
        if lost:
            continue  # the stick never arrives
        files.append((path, dst))
        for _ in range(2 if twice else 1):
            with nodes[dst].write() as s:
                import_bundle(s, nodes[dst].keys, path)
    rng.shuffle(files)  # old bundles imported again, in any order: harmless
    for path, dst in files[:3]:
        with nodes[dst].write() as s:
            import_bundle(s, nodes[dst].keys, path)
    for src, dst in ((0, 2), (1, 2), (2, 0), (2, 1)):
        path = folder / f"final-{src}-{dst}.jcb"
        with nodes[src].read() as s:
            export_bundle(s, nodes[src].keys, nodes[src].peer(nodes[dst]), path)
        with nodes[dst].write() as s:
            import_bundle(s, nodes[dst].keys, path)
    assert dump(a) == dump(b) == dump(d)
