"""The process the kill -9 test kills: saves cases through the services, one transaction each,
and writes each save's key to a log (fsynced) only after the transaction committed — so every
key in the log is a save that was reported committed. Bounded: stops by itself."""

from __future__ import annotations

import os
import sys
import time
from datetime import date
from pathlib import Path

from app.schemas.issues import IssueIn
from app.schemas.ledger import EnterpriseIn
from app.services import enterprises, issues
from app.storage.store import open_store

LIMIT_SAVES, LIMIT_SECONDS = 5000, 60


def main() -> None:
    folder, log_path = Path(sys.argv[1]), Path(sys.argv[2])
    store = open_store(folder, os.environ["JICENG_PASSPHRASE"])
    start = time.monotonic()
    with open(log_path, "a", encoding="utf-8") as log:
        for n in range(LIMIT_SAVES):
            if time.monotonic() - start > LIMIT_SECONDS:
                break
            key = f"{os.getpid()}-{n}"
            with store.write() as s:  # one save: an enterprise and a case registered there
                eid = enterprises.create_enterprise(s, EnterpriseIn(name=f"企业{key}", headcount=n))
                issues.open_issue(
                    s,
                    IssueIn(
                        enterprise_id=eid,
                        title=f"诉求{key}",
                        category="wages",
                        received_on=date.today(),
                    ),
                )
            log.write(key + "\n")
            log.flush()
            os.fsync(log.fileno())


if __name__ == "__main__":
    main()
