"""The server and online sync from the command line, as the README tells people to run them:
a real ``jiceng server`` process with two workers on PostgreSQL."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.helpers import PASSPHRASE, free_port, jiceng


@pytest.fixture
def server(pg_database: str, tmp_path: Path) -> Iterator[tuple[str, str]]:
    port = free_port()
    env = {**os.environ, "JICENG_PASSPHRASE": PASSPHRASE}
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "app",
            "server",
            "--db",
            pg_database,
            "--port",
            str(port),
            "--workers",
            "2",
            "--data-dir",
            str(tmp_path / "srv"),
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{url}/healthz", timeout=1).status_code == 200:
                break
        except httpx.HTTPError:
            time.sleep(0.2)
    else:
        os.killpg(proc.pid, signal.SIGKILL)
        raise RuntimeError(f"server did not start: {proc.stderr.read() if proc.stderr else ''}")
    try:
        yield url, pg_database
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)


def test_admin_enroll_and_sync_from_the_command_line(server, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    url, db = server
    added = jiceng("server", "admin", "--db", db, "add-district", "鼓楼区总工会")
    assert added.returncode == 0 and "已添加" in added.stdout
    folders = []
    for name in ("张驻点", "李驻点"):
        folder = tmp_path / name
        assert (
            jiceng("init", "--data-dir", str(folder), "--role", "cadre", "--name", name).returncode
            == 0
        )
        code = jiceng("server", "admin", "--db", db, "enroll-code", "--district", "鼓楼区总工会")
        assert code.returncode == 0
        one_time = code.stdout.strip().splitlines()[-1]  # alone on the last line
        joined = jiceng("enroll", "--data-dir", str(folder), "--server", url, "--code", one_time)
        assert joined.returncode == 0, joined.stderr
        again = jiceng(
            "enroll", "--data-dir", str(tmp_path / "x"), "--server", url, "--code", one_time
        )
        assert again.returncode == 1
        folders.append(folder)
    assert jiceng("demo", "--data-dir", str(folders[0]), "--issues", "50").returncode == 0
    for folder in (*folders, folders[0]):
        done = jiceng("sync", "--data-dir", str(folder))
        assert done.returncode == 0, done.stderr
        assert "已同步" in done.stdout
    assert (
        jiceng("dump", "--data-dir", str(folders[0])).stdout
        == jiceng("dump", "--data-dir", str(folders[1])).stdout
    )
    listed = jiceng("server", "admin", "--db", db, "devices")
    assert listed.stdout.count("有效") == 2
    device = listed.stdout.splitlines()[0].split("\t")[0]
    assert jiceng("server", "admin", "--db", db, "revoke", device).returncode == 0
    refused = jiceng("sync", "--data-dir", str(folders[0]))
    assert refused.returncode == 1 and "撤销" in refused.stderr


def test_a_district_office_enrolls_with_a_district_code(server, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """The administrator chooses the device's role with the code: a district office's
    computer given a cadre's code is told so in words (and the code stays good for a
    cadre); with ``--role district`` it enrolls, and ``devices`` lists it as one."""
    url, db = server
    admin = ("server", "admin", "--db", db)
    assert jiceng(*admin, "add-district", "鼓楼区总工会").returncode == 0
    office = tmp_path / "office"
    made = jiceng("init", "--data-dir", str(office), "--role", "district", "--name", "鼓楼区总工会")
    assert made.returncode == 0, made.stderr

    def code(*role: str) -> str:
        done = jiceng(*admin, "enroll-code", "--district", "鼓楼区总工会", *role)
        assert done.returncode == 0, done.stderr
        return done.stdout.strip().splitlines()[-1]

    cadres = code()
    refused = jiceng("enroll", "--data-dir", str(office), "--server", url, "--code", cadres)
    assert refused.returncode == 1 and "另一种设备" in refused.stderr, refused.stderr
    assert "服务器拒绝了请求" not in refused.stderr and "Traceback" not in refused.stderr
    joined = jiceng(
        "enroll", "--data-dir", str(office), "--server", url, "--code", code("--role", "district")
    )
    assert joined.returncode == 0, joined.stderr
    assert jiceng("sync", "--data-dir", str(office)).returncode == 0
    laptop = tmp_path / "laptop"
    made = jiceng("init", "--data-dir", str(laptop), "--role", "cadre", "--name", "张")
    assert made.returncode == 0, made.stderr
    taken = jiceng("enroll", "--data-dir", str(laptop), "--server", url, "--code", cadres)
    assert taken.returncode == 0, taken.stderr  # the refused code was not used up
    roles = sorted(line.split("\t")[2] for line in jiceng(*admin, "devices").stdout.splitlines())
    assert roles == ["cadre", "district"]


def test_sync_without_a_server_is_refused_clearly(tmp_path: Path) -> None:
    folder = tmp_path / "d"
    jiceng("init", "--data-dir", str(folder), "--role", "cadre", "--name", "张")
    out = jiceng("sync", "--data-dir", str(folder))
    assert out.returncode == 1 and "尚未接入服务器" in out.stderr
    down = jiceng(
        "enroll",
        "--data-dir",
        str(folder),
        "--server",
        "http://127.0.0.1:9",
        "--code",
        "AAAA-BBBB-CCCC",
    )
    assert (
        down.returncode == 1 and "无法连接服务器" in down.stderr and "Traceback" not in down.stderr
    )
