"""``jiceng keys | peers | bundle`` as a cadre and a district office use them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from app.cli import main as cli_main
from tests.helpers import MakeNode, dump, jiceng, save_keys


def init(folder: Path, role: str, name: str) -> None:
    done = jiceng(
        "init",
        "--data-dir",
        str(folder),
        "--role",
        role,
        "--name",
        name,
        "--district",
        "鼓楼区总工会",
    )
    assert done.returncode == 0, done.stderr
    assert "密钥指纹" in done.stdout


@pytest.fixture
def pair(tmp_path: Path) -> tuple[Path, Path]:
    cadre, district = tmp_path / "cadre", tmp_path / "district"
    init(cadre, "cadre", "张驻点")
    init(district, "district", "鼓楼区总工会")
    assert (cadre / "keys" / "replica.key").exists()
    return cadre, district


def swap_keys(tmp_path: Path, a: Path, b: Path) -> None:
    for src, dst in ((a, b), (b, a)):
        key = tmp_path / f"{src.name}.pub"
        out = jiceng("keys", "export", "--data-dir", str(src), "--out", str(key))
        assert out.returncode == 0 and "指纹" in out.stdout
        trusted = jiceng("peers", "trust", "--data-dir", str(dst), str(key))
        assert trusted.returncode == 0, trusted.stderr


def test_cadre_to_district_and_back(pair, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    cadre, district = pair
    assert jiceng("demo", "--data-dir", str(cadre), "--issues", "40").returncode == 0
    unknown = tmp_path / "early.jcb"
    out = jiceng(
        "bundle", "export", "--data-dir", str(cadre), "--to", "鼓楼区总工会", "--out", str(unknown)
    )
    assert out.returncode == 1 and "找不到收件方" in out.stderr
    swap_keys(tmp_path, cadre, district)
    listed = jiceng("peers", "list", "--data-dir", str(cadre))
    assert "鼓楼区总工会" in listed.stdout and "已信任" in listed.stdout

    bundle = tmp_path / "to-district.jcb"
    out = jiceng(
        "bundle", "export", "--data-dir", str(cadre), "--to", "鼓楼区总工会", "--out", str(bundle)
    )
    assert out.returncode == 0, out.stderr
    inspect = jiceng("bundle", "inspect", str(bundle), "--json", passphrase=None)
    manifest = json.loads(inspect.stdout)
    assert manifest["sender"]["name"] == "张驻点" and manifest["counts"]["issue"] == 40
    dry = jiceng("bundle", "import", "--data-dir", str(district), str(bundle), "--dry-run")
    assert dry.returncode == 0 and "未做改动" in dry.stdout
    done = jiceng("bundle", "import", "--data-dir", str(district), str(bundle))
    assert done.returncode == 0 and "新增" in done.stdout
    again = jiceng("bundle", "import", "--data-dir", str(district), str(bundle))
    assert again.returncode == 0 and "已于" in again.stdout and "没有任何改动" in again.stdout

    back = tmp_path / "to-cadre.jcb"
    assert (
        jiceng(
            "bundle", "export", "--data-dir", str(district), "--to", "张驻点", "--out", str(back)
        ).returncode
        == 0
    )
    receipt = jiceng("bundle", "import", "--data-dir", str(cadre), str(back))
    assert "仍仅在本机：0 条" in receipt.stdout
    assert (
        jiceng("dump", "--data-dir", str(cadre)).stdout
        == jiceng("dump", "--data-dir", str(district)).stdout
    )


def test_refusals_are_clear_and_exit_1(pair, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    cadre, district = pair
    swap_keys(tmp_path, cadre, district)
    bundle = tmp_path / "b.jcb"
    jiceng(
        "bundle", "export", "--data-dir", str(cadre), "--to", "鼓楼区总工会", "--out", str(bundle)
    )
    data = bundle.read_bytes()
    cut = tmp_path / "cut.jcb"
    cut.write_bytes(data[: len(data) // 2])
    out = jiceng("bundle", "import", "--data-dir", str(district), str(cut))
    assert out.returncode == 1 and "不完整" in out.stderr
    flipped = bytearray(data)
    flipped[len(data) // 3] ^= 1
    (tmp_path / "flip.jcb").write_bytes(bytes(flipped))
    out = jiceng("bundle", "import", "--data-dir", str(district), str(tmp_path / "flip.jcb"))
    assert out.returncode == 1 and ("篡改" in out.stderr or "损坏" in out.stderr)
    not_bundle = tmp_path / "notes.txt"
    not_bundle.write_text("会议记录")
    out = jiceng("bundle", "import", "--data-dir", str(district), str(not_bundle))
    assert out.returncode == 1 and "不是基层的同步包" in out.stderr
    out = jiceng("bundle", "import", "--data-dir", str(cadre), str(bundle))
    assert out.returncode == 1 and "本机自己导出" in out.stderr
    stranger = tmp_path / "stranger"
    init(stranger, "cadre", "王驻点")
    jiceng("keys", "export", "--data-dir", str(district), "--out", str(tmp_path / "d.pub"))
    jiceng("peers", "trust", "--data-dir", str(stranger), str(tmp_path / "d.pub"))
    from_stranger = tmp_path / "s.jcb"
    jiceng(
        "bundle",
        "export",
        "--data-dir",
        str(stranger),
        "--to",
        "鼓楼区总工会",
        "--out",
        str(from_stranger),
    )
    out = jiceng("bundle", "import", "--data-dir", str(district), str(from_stranger))
    assert out.returncode == 1 and "尚未被信任" in out.stderr and "指纹" in out.stderr
    assert "Traceback" not in out.stderr


def test_a_district_trusts_a_cadre_from_its_bundle(pair, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """Only the district's key file travelled; the cadre's is taken from the bundle it signed,
    after the clerk gives the fingerprint they compared."""
    cadre, district = pair
    key = tmp_path / "district.pub"
    assert jiceng("keys", "export", "--data-dir", str(district), "--out", str(key)).returncode == 0
    assert jiceng("peers", "trust", "--data-dir", str(cadre), str(key)).returncode == 0
    assert jiceng("demo", "--data-dir", str(cadre), "--issues", "5").returncode == 0
    stick = tmp_path / "stick.jcb"
    exported = jiceng(
        "bundle", "export", "--data-dir", str(cadre), "--to", "鼓楼区总工会", "--out", str(stick)
    )
    assert exported.returncode == 0, exported.stderr

    refused = jiceng("bundle", "import", "--data-dir", str(district), str(stick))
    assert refused.returncode == 1 and "尚未被信任" in refused.stderr
    asked = jiceng("peers", "trust", "--data-dir", str(district), str(stick))
    assert asked.returncode == 1 and "张驻点" in asked.stderr and "--fingerprint" in asked.stderr
    fingerprint = asked.stderr.split("指纹 ")[1].split("。")[0]
    wrong = jiceng(
        "peers", "trust", "--data-dir", str(district), str(stick), "--fingerprint", "0" * 64
    )
    assert wrong.returncode == 1 and "已信任" not in wrong.stdout
    trusted = jiceng(
        "peers", "trust", "--data-dir", str(district), str(stick), "--fingerprint", fingerprint
    )
    assert trusted.returncode == 0 and "已信任：张驻点" in trusted.stdout, trusted.stderr
    imported = jiceng("bundle", "import", "--data-dir", str(district), str(stick))
    assert imported.returncode == 0 and "已导入" in imported.stdout, imported.stderr


def test_the_command_line_refuses_this_replicas_own_key_as_the_screen_does(
    make_node: MakeNode, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """``app.cli.main`` over the same service as 数据同步 (tests/ui/test_sync_page.py): this
    replica's own key file is neither trusted nor written a bundle for, in the same words."""
    cadre = make_node("张驻点", district="鼓楼区总工会")
    folder = str(save_keys(cadre))
    key = tmp_path / "张驻点.pub"
    assert cli_main(["keys", "export", "--data-dir", folder, "--out", str(key)]) == 0
    assert "指纹" in capsys.readouterr().out
    before = dump(cadre.store)

    assert cli_main(["peers", "trust", "--data-dir", folder, str(key)]) == 1
    assert capsys.readouterr().err.strip() == "jiceng: 这是本机自己的公钥，无需信任"
    out = tmp_path / "b.jcb"
    export = ["bundle", "export", "--data-dir", folder, "--to", str(key), "--out", str(out)]
    assert cli_main(export) == 1
    assert capsys.readouterr().err.strip() == "jiceng: 不能为本机自己导出同步包"
    assert not out.exists() and dump(cadre.store) == before


def test_revoking_asks_for_the_id_when_a_name_is_shared(
    make_node: MakeNode, capsys: pytest.CaptureFixture[str]
) -> None:
    cadre = make_node("张驻点", district="鼓楼区总工会")
    office, twin = make_node("鼓楼区总工会"), make_node("鼓楼区总工会")
    cadre.trusts(office, twin)
    folder = str(save_keys(cadre))
    assert cli_main(["peers", "revoke", "--data-dir", folder, "鼓楼区总工会"]) == 1
    err = capsys.readouterr().err
    assert "有多个副本名为“鼓楼区总工会”，请改用编号或指纹：" in err
    assert office.info.replica_id in err and twin.info.replica_id in err
    assert cli_main(["peers", "revoke", "--data-dir", folder, "王驻点"]) == 1
    assert "找不到副本：王驻点（用 jiceng peers list" in capsys.readouterr().err
    assert cli_main(["peers", "revoke", "--data-dir", folder, twin.info.replica_id]) == 0
    assert "已撤销对 鼓楼区总工会 的信任" in capsys.readouterr().out
    assert cli_main(["peers", "list", "--data-dir", folder]) == 0
    listed = capsys.readouterr().out.splitlines()
    assert sorted(line.split("\t")[3] for line in listed) == ["已信任", "已撤销"]


def test_a_district_imports_a_stick_of_bundles_at_once(tmp_path: Path) -> None:
    """A folder off a USB stick: two bundles from 张 (oldest first, whatever their names),
    one from 李, one damaged, a stray file. Each imports in its own transaction; the damaged
    one is named and refused alone (exit 1); the history lists what came, and 王, trusted
    but silent, is listed as sending nothing for 14 days."""
    district = tmp_path / "district"
    init(district, "district", "鼓楼区总工会")
    cadres = {}
    for name in ("张驻点", "李驻点", "王驻点"):
        folder = tmp_path / name
        init(folder, "cadre", name)
        swap_keys(tmp_path, folder, district)
        cadres[name] = folder
    stick = tmp_path / "stick"
    stick.mkdir()

    def export(name: str, file: str, issues: str) -> None:
        folder = cadres[name]
        assert jiceng("demo", "--data-dir", str(folder), "--issues", issues).returncode == 0
        out = jiceng(
            "bundle", "export", "--data-dir", str(folder), "--to", "鼓楼区总工会",
            "--out", str(stick / file),
        )  # fmt: skip
        assert out.returncode == 0, out.stderr

    export("张驻点", "z-first.jcb", "10")
    export("李驻点", "li.jcb", "5")
    export("张驻点", "a-second.jcb", "3")  # written later, named to sort first
    (stick / "b-damaged.jcb").write_bytes(b"JCB1" + b"\0" * 200)
    (stick / "说明.txt").write_text("不是同步包", encoding="utf-8")

    done = jiceng("bundle", "import", "--data-dir", str(district), str(stick))
    assert done.returncode == 1, done.stderr
    assert "共 4 个同步包：导入 3 个，拒绝 1 个" in done.stdout
    assert "b-damaged.jcb" in done.stderr and "Traceback" not in done.stderr
    order = [line.rstrip("：") for line in done.stdout.splitlines() if line.endswith(".jcb：")]
    assert order.index("z-first.jcb") < order.index("a-second.jcb")
    held = set(jiceng("dump", "--data-dir", str(district)).stdout.splitlines())
    for name in ("张驻点", "李驻点"):  # every row they sent is here (districts aside: the
        sent = jiceng("dump", "--data-dir", str(cadres[name])).stdout.splitlines()  # server's)
        assert {line for line in sent if '"entity":"district"' not in line} <= held, name

    history = jiceng("bundle", "history", "--data-dir", str(district))
    assert history.returncode == 0, history.stderr
    lines = history.stdout.splitlines()
    assert sum("张驻点" in line for line in lines[:3]) == 2 and "李驻点" in "".join(lines[:3])
    quiet = lines[lines.index("14 天内未收到同步包的驻点干部：") + 1 :]
    assert quiet == ["  王驻点（从未收到）"]
