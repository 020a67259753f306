"""Pull cursors never skip a change, even when pushes commit out of order.

Several devices push concurrently while another device pulls in a loop, each pull starting
after the cursor of the last. If a change could commit with a lower sequence number after a
puller had already passed it, the puller would never see it: every accepted change must reach
the puller exactly once. With the pushers split over two districts, whose pushes run side by
side on PostgreSQL (``app.server.locks``), each district's puller gets exactly its district's
changes, still none skipped.
"""

from __future__ import annotations

import secrets
import threading
import time
from collections import defaultdict
from typing import Any

import httpx
import pytest

from app.server.exchange import server_replica_id
from app.sync.writer import ChangeWriter
from tests.helpers import MakeReplica, add_enterprise, enroll_body, pushable
from tests.server_helpers import LiveServer

PUSHERS = 6
BATCH = 20
DISTRICTS = ("鼓楼区总工会", "台江区总工会")


def enroll(server: LiveServer, district: str, replica: str | None = None) -> tuple[str, str]:
    replica = replica or secrets.token_hex(8)
    body = enroll_body(server.code(district), replica, name="x")
    return httpx.post(f"{server.url}/api/v1/enroll", json=body).json()["token"], replica


@pytest.mark.parametrize("spread", [1, 2], ids=["one-district", "two-districts"])
def test_concurrent_pushes_never_skip_a_puller(
    live_server: LiveServer, make_replica: MakeReplica, spread: int
) -> None:
    batches: list[list[list[dict[str, Any]]]] = []
    district_of = [DISTRICTS[n % spread] for n in range(PUSHERS)]
    for n in range(PUSHERS):
        cadre = make_replica(f"驻点{n}", district=district_of[n])
        eid = add_enterprise(cadre, f"企业{n}")
        with cadre.write() as s, ChangeWriter(s) as w:
            for i in range(120):
                w.create("worker", {"enterprise_id": eid, "name": f"职工{n}-{i}"})
        log = pushable(cadre)
        batches.append([log[i : i + BATCH] for i in range(0, len(log), BATCH)])
    tokens = [
        enroll(live_server, district_of[k], b[0][0]["origin"])[0] for k, b in enumerate(batches)
    ]
    readers = {d: enroll(live_server, d)[0] for d in DISTRICTS[:spread]}
    accepted: dict[str, set[str]] = defaultdict(set)
    lock = threading.Lock()
    done = threading.Event()
    errors: list[str] = []

    def pusher(k: int) -> None:
        with httpx.Client(timeout=60) as client:
            for batch in batches[k]:
                reply = client.post(
                    f"{live_server.url}/api/v1/sync/push",
                    json={"changes": batch},
                    headers={"Authorization": f"Bearer {tokens[k]}"},
                )
                if reply.status_code != 200:
                    errors.append(reply.text)
                    return
                with lock:
                    accepted[district_of[k]].update(
                        r["id"] for r in reply.json()["results"] if r["status"] == "accepted"
                    )

    seen: dict[str, list[str]] = defaultdict(list)

    def puller(district: str) -> None:
        cursor, quiet = 0, 0
        deadline = time.monotonic() + 120
        with httpx.Client(timeout=60) as client:
            while time.monotonic() < deadline and quiet < 3:
                reply = client.get(
                    f"{live_server.url}/api/v1/sync/pull",
                    params={"after": cursor, "limit": 37},
                    headers={"Authorization": f"Bearer {readers[district]}"},
                ).json()
                seen[district].extend(f"{c['origin']}:{c['counter']}" for c in reply["changes"])
                assert reply["next"] >= cursor
                cursor = reply["next"]
                quiet = quiet + 1 if done.is_set() and not reply["changes"] else 0

    threads = [threading.Thread(target=pusher, args=(k,)) for k in range(PUSHERS)]
    reading = [threading.Thread(target=puller, args=(d,)) for d in readers]
    for t in [*reading, *threads]:
        t.start()
    for t in threads:
        t.join(timeout=120)
    done.set()
    for t in reading:
        t.join(timeout=150)
    assert not errors, errors[:3]
    with live_server.session() as s:
        server = server_replica_id(s)
    for district in readers:
        got = seen[district]
        assert len(got) == len(set(got)), "a change was delivered twice"
        pushed = {i for i in got if not i.startswith(server)}
        missing = accepted[district] - set(got)
        assert not missing, f"{len(missing)} accepted changes never reached the puller"
        assert pushed == accepted[district]  # and nothing of the other district
    assert sum(map(len, accepted.values())) == sum(len(b) for bs in batches for b in bs)
