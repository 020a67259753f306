"""Enterprises, workshops, workers and hardship files, visits, assistance, practices."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import select

from app.models import Assistance, Enterprise, VisitReach, Worker
from app.schemas.base import InputError
from app.schemas.enums import (
    AssistanceKind,
    FundingSource,
    Gender,
    HardshipLevel,
    HardshipStatus,
    VisitKind,
)
from app.schemas.ledger import AssistanceIn, EnterpriseIn, VisitIn, WorkerIn, WorkshopIn
from app.services import common, enterprises, visits, workers
from app.services.dashboard import dashboard
from app.services.errors import NotFoundError, RuleError
from app.services.stats import ledger_stats
from app.storage.store import Store
from tests.helpers import add_enterprise, add_issue, add_visit, add_worker

TODAY = date.today()


def valid_code() -> str:
    from app.schemas.validators import credit_code_check_char

    return "91320106MA1W2A3B4" + credit_code_check_char("91320106MA1W2A3B4")


def test_enterprise_validation_in_chinese() -> None:
    with pytest.raises(InputError) as err:
        EnterpriseIn.parse(
            {
                "name": " ",
                "credit_code": "91320106MA1W2A3B40",
                "headcount": -1,
                "contact_phone": "12345",
            }
        )
    text = str(err.value)
    assert "企业名称：必填" in text
    assert "统一社会信用代码：校验位错误" in text
    assert "职工人数：不能小于0" in text
    assert "联系电话：不是有效的手机号或固定电话" in text


def test_enterprise_round_trip_and_lookup(store: Store) -> None:
    code = valid_code()
    with store.write() as s:
        eid = enterprises.create_enterprise(
            s,
            EnterpriseIn(name="南京华泰纺织有限公司", credit_code=code.lower(), union_founded=True),
        )
    with store.read() as s:
        e = s.get(Enterprise, eid)
        assert e is not None and e.credit_code == code and e.union_founded
        assert enterprises.find_enterprise(s, code).id == eid  # type: ignore[union-attr]
        assert enterprises.find_enterprise(s, "南京华泰纺织有限公司").id == eid  # type: ignore[union-attr]
        assert enterprises.find_enterprise(s, "不存在的公司") is None


def test_deleting_an_enterprise_in_use_is_refused_then_undone(store: Store) -> None:
    eid = add_enterprise(store)
    wid = add_worker(store, eid)
    with pytest.raises(RuleError, match="职工"), store.write() as s:
        enterprises.delete_enterprise(s, eid)
    with store.write() as s:
        workers.delete_worker(s, wid)
        enterprises.delete_enterprise(s, eid)
    with store.read() as s:
        assert s.get(Enterprise, eid).deleted  # type: ignore[union-attr]
    with store.write() as s:  # undo
        assert common.restore(s, "enterprise", eid)
    with store.read() as s:
        assert not s.get(Enterprise, eid).deleted  # type: ignore[union-attr]


def test_worker_gender_comes_from_the_id_number(store: Store) -> None:
    eid = add_enterprise(store)
    data = WorkerIn(enterprise_id=eid, name="王芳", id_number="11010519491231002X")
    assert data.gender == Gender.FEMALE
    with pytest.raises(InputError, match="性别与身份证号不符"):
        WorkerIn.parse(
            {
                "enterprise_id": eid,
                "name": "王芳",
                "gender": "male",
                "id_number": "11010519491231002X",
            }
        )


def test_workshop_must_belong_to_the_enterprise(store: Store) -> None:
    a, b = add_enterprise(store), add_enterprise(store, "南京恒远物流有限公司")
    with store.write() as s:
        shop = enterprises.create_workshop(s, WorkshopIn(enterprise_id=b, name="仓储部"))
    with pytest.raises(InputError, match="不属于所选企业"), store.write() as s:
        workers.create_worker(s, WorkerIn(enterprise_id=a, workshop_id=shop, name="陈明"))


def test_hardship_file_lifecycle(store: Store) -> None:
    eid = add_enterprise(store)
    with pytest.raises(InputError, match="困难情况"):
        WorkerIn.parse({"enterprise_id": eid, "name": "刘强", "hardship_level": "extreme"})
    data = WorkerIn(
        enterprise_id=eid,
        name="刘强",
        hardship_level=HardshipLevel.EXTREME,
        hardship_reason="本人重病",
    )
    with store.write() as s:
        wid = workers.create_worker(s, data)
    with store.read() as s:
        w = s.get(Worker, wid)
        assert w is not None and w.hardship_status == "filed" and w.hardship_filed_on == TODAY
    with store.write() as s:
        workers.close_hardship(s, wid, HardshipStatus.LIFTED)
    with store.read() as s:
        w = s.get(Worker, wid)
        assert w is not None and w.hardship_status == "lifted" and w.hardship_level == "none"
    with pytest.raises(RuleError), store.write() as s:
        workers.review_hardship(s, wid)


def test_hardship_checks_find_the_neglected(store: Store) -> None:
    eid = add_enterprise(store)
    with store.write() as s:
        helped = workers.create_worker(
            s,
            WorkerIn(
                enterprise_id=eid,
                name="甲",
                hardship_level=HardshipLevel.ORDINARY,
                hardship_reason="子女就学",
            ),
        )
        visited = workers.create_worker(
            s,
            WorkerIn(
                enterprise_id=eid,
                name="乙",
                hardship_level=HardshipLevel.ORDINARY,
                hardship_reason="单亲",
            ),
        )
        workers.create_worker(
            s,
            WorkerIn(
                enterprise_id=eid,
                name="丙",
                hardship_level=HardshipLevel.EXTREME,
                hardship_reason="重病",
            ),
        )
        workers.give_assistance(
            s,
            AssistanceIn(
                worker_id=helped,
                given_on=TODAY,
                kind=AssistanceKind.CASH,
                amount=Decimal("500"),
                funding_source=FundingSource.UNION_FUNDS,
            ),
        )
    add_visit(store, eid, worker_ids=(visited,))
    with store.read() as s:
        board = dashboard(s, TODAY)
        assert board.hardship_uncontacted == 1  # 丙: neither visited nor helped
        assert board.hardship_unreviewed == 0
        later = dashboard(s, TODAY + timedelta(days=400))
        assert later.hardship_uncontacted == 3 and later.hardship_unreviewed == 3


def test_assistance_amounts_are_exact_fen(store: Store) -> None:
    eid = add_enterprise(store)
    wid = add_worker(store, eid)
    with pytest.raises(InputError, match="最多2位小数"):
        AssistanceIn.parse(
            {
                "worker_id": wid,
                "given_on": TODAY,
                "kind": "cash",
                "amount": "12.345",
                "funding_source": "union_funds",
            }
        )
    data = AssistanceIn.parse(
        {
            "worker_id": wid,
            "given_on": TODAY,
            "kind": "cash",
            "amount": "1,234.50元",
            "funding_source": "union_funds",
        }
    )
    assert data.amount_fen == 123450
    assert (
        AssistanceIn.parse(
            {
                "worker_id": wid,
                "given_on": TODAY,
                "kind": "cash",
                "amount": 12.3,
                "funding_source": "donation",
            }
        ).amount_fen
        == 1230
    )
    with store.write() as s:
        aid = workers.give_assistance(s, data)
    with store.read() as s:
        a = s.get(Assistance, aid)
        assert a is not None and a.amount_fen == 123450 and a.enterprise_id == eid


def test_visit_dates_and_reach(store: Store) -> None:
    eid = add_enterprise(store)
    w1, w2 = add_worker(store, eid, "甲"), add_worker(store, eid, "乙")
    with pytest.raises(InputError, match="走访日期：不能晚于今天"):
        VisitIn.parse(
            {
                "enterprise_id": eid,
                "visited_on": TODAY + timedelta(days=1),
                "kind": "talk",
                "summary": "x",
            }
        )
    vid = add_visit(store, eid, worker_ids=(w1, w2, w1), kind=VisitKind.TALK)
    data = VisitIn(
        enterprise_id=eid,
        visited_on=TODAY,
        kind=VisitKind.TALK,
        summary="谈心谈话",
        worker_ids=(w2,),
    )
    with store.write() as s:
        assert visits.update_visit(s, vid, data)
    with store.read() as s:
        live = (
            s.execute(
                select(VisitReach.worker_id).where(
                    VisitReach.visit_id == vid, VisitReach.deleted.is_(False)
                )
            )
            .scalars()
            .all()
        )
    assert live == [w2]


def test_missing_references_are_refused(store: Store) -> None:
    with pytest.raises(NotFoundError, match="企业"), store.write() as s:
        workers.create_worker(s, WorkerIn(enterprise_id="0" * 36, name="无名"))


def test_stats_counts_live_rows_and_changes(store: Store) -> None:
    eid = add_enterprise(store)
    add_issue(store, eid)
    wid = add_worker(store, eid)
    with store.write() as s:
        workers.delete_worker(s, wid)
    with store.read() as s:
        stats = ledger_stats(s, TODAY)
    assert stats["entities"]["enterprise"] == 1 and stats["entities"]["worker"] == 0
    assert stats["deleted"]["worker"] == 1
    assert stats["issues_by_status"]["registered"] == 1
    assert stats["changes"] >= 5 and stats["changes_by_status"]["pending"] == 0


def test_a_district_id_does_not_depend_on_bracket_width() -> None:
    """Names keep full-width brackets now, but a district's id (derived from its name on every
    replica and the server alike) must stay what earlier versions computed."""
    from app.ids import stable_id
    from app.services.replica import district_id_for

    assert district_id_for("鼓楼区总工会（筹）") == district_id_for("鼓楼区总工会(筹)")
    assert district_id_for("鼓楼区总工会（筹）") == stable_id("district", "鼓楼区总工会(筹)")
