"""Demo data: a realistic Chinese ledger, made deterministically from a seed.

``generate`` builds enterprises with valid credit codes, their workshops, workers with valid ID
numbers and phones, visits, cases in every status with their event histories, assistance and
practices. Each record is validated by the same schemas as a form and written through the
``ChangeWriter``, so demo data lands in the change log exactly like typed-in data and syncs
the same way. Cases are built in their final state with the events that led there (instead
of replaying each transition through the service), which is what makes 100,000 cases take
seconds. ``random_edits`` then drives the real services: transitions, notes, edits, deletions.

Same seed, same day, same content (ids and timestamps are fresh each run).

What a clerk would believe: credit codes that pass GB 32100 and GB 11714 in full, addresses
in the district the union serves (never the union's own name), head counts at least the
workers the ledger lists and visit counts that match their text, workshops and jobs of the
enterprise's industry, case texts about the case's own workshop, no date or time in the
future, no 0 元 payments, help given after the worker was filed as in hardship, and no case
left open for months: the few old open cases are overdue on purpose, and say so in their
timeline (``OVERDUE_ON_PURPOSE``), so the overdue list has something to show.
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy.orm import Session

from app.schemas import validators
from app.schemas.enums import (
    LABEL,
    AssistanceKind,
    EventKind,
    FollowUpMethod,
    FundingSource,
    Gender,
    HardshipLevel,
    HardshipStatus,
    IssueCategory,
    IssueSource,
    IssueStatus,
    PracticeStatus,
    Satisfaction,
    Urgency,
    VisitKind,
    WorkshopKind,
)
from app.schemas.issues import IssueIn
from app.schemas.ledger import AssistanceIn, EnterpriseIn, PracticeIn, VisitIn, WorkerIn
from app.schemas.vocabulary import counts_phrase
from app.services import demo_corpus as corpus
from app.services.deadlines import load_policy
from app.services.issue_numbers import next_issue_number
from app.sync.writer import ChangeWriter

Progress = Callable[[float, str], None]
OVERDUE_ON_PURPOSE = "【演示】有意保留的超期诉求"
_OVERDUE_REASONS = (
    "企业负责人长期外出，约谈未果，已报区总工会督办",
    "企业以经营困难为由拖延，正协调劳动监察介入",
    "涉及多名职工，企业与职工对欠薪金额仍有争议",
)

CATEGORY_WEIGHTS = {
    IssueCategory.WAGES: 22,
    IssueCategory.SOCIAL_INSURANCE: 15,
    IssueCategory.CONTRACT: 12,
    IssueCategory.SAFETY: 10,
    IssueCategory.HOURS: 12,
    IssueCategory.HARDSHIP: 9,
    IssueCategory.TRAINING: 6,
    IssueCategory.SUGGESTION: 9,
    IssueCategory.OTHER: 5,
}
_CATEGORIES = list(CATEGORY_WEIGHTS)
_CATEGORY_W = list(CATEGORY_WEIGHTS.values())


@dataclass(frozen=True)
class DemoSpec:
    enterprises: int = 8
    workers: int = 400
    visits: int = 200
    issues: int = 600
    seed: int = 1

    @classmethod
    def with_defaults(
        cls,
        *,
        enterprises: int | None = None,
        workers: int | None = None,
        visits: int | None = None,
        issues: int | None = None,
        seed: int = 1,
    ) -> DemoSpec:
        """Sizes not given follow the number of cases (a big ledger has more of everything)."""
        n = cls.issues if issues is None else issues
        return cls(
            enterprises=max(cls.enterprises, n // 2000) if enterprises is None else enterprises,
            workers=max(cls.workers, n // 5) if workers is None else workers,
            visits=max(cls.visits, n // 5) if visits is None else visits,
            issues=n,
            seed=seed,
        )


@dataclass
class DemoSummary:
    counts: Counter[str] = field(default_factory=Counter)

    def describe(self) -> str:
        """``诉求 600 件、办理记录 2,140 条、走访 200 次…`` (no code names)."""
        return counts_phrase(self.counts)


class _Builder:
    """Holds what generation needs across record kinds (ids by enterprise, the writer)."""

    def __init__(self, session: Session, spec: DemoSpec, today: date) -> None:
        self.rng = random.Random(spec.seed)
        self.session = session
        self.spec = spec
        self.today = today
        self.writer = ChangeWriter(session)
        self.policy = load_policy(session)
        self.cadre = self.writer.state.name
        self.summary = DemoSummary()
        self.placement: list[int] = []  # each worker's enterprise, by index
        self.enterprises: list[str] = []
        self.industry: dict[str, str] = {}
        self.workshops: dict[str, list[str]] = {}
        self.workshop_name: dict[str, str] = {}
        self.workers: dict[str, list[str]] = {}
        self.hardship: list[tuple[str, str, date]] = []  # (worker, enterprise, filed on)
        # Timestamps are stored as naive UTC, like the services' (no event after "now").
        self.now = datetime.now(UTC).replace(tzinfo=None, microsecond=0)

    def create(self, entity: str, values: dict[str, Any]) -> str:
        self.summary.counts[entity] += 1
        return self.writer.create(entity, values)

    def past_day(self, max_days: int, *, recent_bias: bool = False) -> date:
        r = self.rng.random()
        if recent_bias:
            r = r * r  # more records in recent months, as in a real ledger
        return self.today - timedelta(days=int(r * max_days))


def generate(
    session: Session,
    spec: DemoSpec,
    *,
    today: date | None = None,
    progress: Progress | None = None,
) -> DemoSummary:
    """Add a demo ledger of the given size to the replica behind ``session``."""
    b = _Builder(session, spec, today or date.today())
    steps: list[tuple[str, Callable[[_Builder], None]]] = [
        ("企业", _enterprises),
        ("职工", _workers),
        ("走访", _visits),
        ("诉求", _issues),
        ("帮扶", _assistance),
        ("好经验好做法", _practices),
    ]
    for i, (label, step) in enumerate(steps):
        if progress:
            progress(i / len(steps), label)
        step(b)
    b.writer.flush()
    if progress:
        progress(1.0, "完成")
    return b.summary


def _enterprises(b: _Builder) -> None:
    rng = b.rng
    city, area = "南京", corpus.area_of(b.writer.state.district_name)
    # Who works where is drawn first, so each enterprise's head count covers its workers.
    b.placement = [rng.randrange(b.spec.enterprises) for _ in range(b.spec.workers)]
    listed = Counter(b.placement)
    for index in range(b.spec.enterprises):
        name, industry = corpus.enterprise_profile(rng)
        founded = rng.random() < 0.8
        data = EnterpriseIn(
            name=name,
            credit_code=validators.random_credit_code(rng),
            industry=industry,
            address=corpus.address(rng, district=area, city=city + "市"),
            headcount=max(30, int(listed[index] * rng.uniform(1.1, 4.0))),
            union_founded=founded,
            union_founded_on=b.past_day(3650) if founded else None,
            collective_contract=founded and rng.random() < 0.65,
            contact_name=corpus.person_name(rng)[0],
            contact_phone=validators.random_mobile(rng),
        )
        eid = b.create(
            "enterprise",
            {**data.model_dump(mode="json"), "district_id": b.writer.state.district_id},
        )
        b.enterprises.append(eid)
        b.industry[eid] = industry
        b.workers[eid] = []
        names = corpus.workshop_names(rng, industry, rng.randint(3, 8))
        b.workshops[eid] = []
        for n in names:
            wid = b.create("workshop", {"enterprise_id": eid, "name": n, "kind": _workshop_kind(n)})
            b.workshops[eid].append(wid)
            b.workshop_name[wid] = n
        started = b.today - timedelta(days=rng.randint(760, 1100))  # before the first case
        b.create("stationing", {"enterprise_id": eid, "cadre": b.cadre, "started_on": started})


def _workshop_kind(name: str) -> WorkshopKind:
    if name.endswith(("班组", "班", "队", "组")):
        return WorkshopKind.TEAM
    return WorkshopKind.WORKSHOP if "车间" in name else WorkshopKind.DEPARTMENT


def _unit(b: _Builder, workshop_id: str | None, default: str) -> str:
    return b.workshop_name[workshop_id] if workshop_id else default


def _workers(b: _Builder) -> None:
    rng = b.rng
    for placed in b.placement:
        eid = b.enterprises[placed]
        name, gender = corpus.person_name(rng)
        level = rng.choices(list(HardshipLevel), weights=[93, 5, 1, 1])[0]
        data = WorkerIn(
            enterprise_id=eid,
            workshop_id=rng.choice(b.workshops[eid]),
            name=name,
            phone=validators.random_mobile(rng) if rng.random() < 0.9 else None,
            id_number=validators.random_id_number(rng, gender=gender)
            if rng.random() < 0.7
            else None,
            gender=Gender.MALE if gender == "男" else Gender.FEMALE,
            position=corpus.positions(rng, b.industry[eid]),
            member=rng.random() < 0.75,
            hardship_level=level,
            hardship_reason=corpus.hardship_reason(rng) if level != HardshipLevel.NONE else None,
        )
        values = data.model_dump(mode="json")
        if level != HardshipLevel.NONE:
            filed = b.past_day(900)
            reviewed = min(b.today, filed + timedelta(days=rng.randint(0, 500)))
            values.update(
                hardship_status=HardshipStatus.FILED,
                hardship_filed_on=filed,
                hardship_reviewed_on=reviewed,
            )
        wid = b.create("worker", values)
        b.workers[eid].append(wid)
        if level != HardshipLevel.NONE:
            b.hardship.append((wid, eid, values["hardship_filed_on"]))


def _visits(b: _Builder) -> None:
    rng = b.rng
    kinds = list(VisitKind)
    for _ in range(b.spec.visits):
        eid = rng.choice(b.enterprises)
        kind = rng.choice(kinds)
        people = b.workers[eid]
        reached = rng.sample(people, min(len(people), rng.randint(0, 5)))
        workshop = rng.choice(b.workshops[eid]) if rng.random() < 0.6 else None
        summary, findings, follow_ups, said = corpus.visit_text(
            rng, LABEL[kind], _unit(b, workshop, "一线岗位"), len(reached)
        )
        data = VisitIn(
            enterprise_id=eid,
            workshop_id=workshop,
            visited_on=b.past_day(365, recent_bias=True),
            kind=kind,
            cadre=b.cadre,
            people_count=said if said is not None else len(reached) + rng.randint(0, 30),
            summary=summary,
            findings=findings or None,
            follow_ups=follow_ups or None,
            worker_ids=tuple(reached),
        )
        vid = b.create(
            "visit", data.model_dump(mode="json", exclude={"worker_ids", "workshop_ids"})
        )
        for wid in data.worker_ids:
            b.create("visit_reach", {"visit_id": vid, "worker_id": wid})


def _issues(b: _Builder) -> None:
    days = sorted(b.past_day(730, recent_bias=True) for _ in range(b.spec.issues))
    for received_on in days:  # in date order, so numbers run in order within each year
        _issue(b, received_on)


def _issue(b: _Builder, received_on: date) -> None:
    rng = b.rng
    eid = rng.choice(b.enterprises)
    category = rng.choices(_CATEGORIES, weights=_CATEGORY_W)[0]
    workshop = rng.choice(b.workshops[eid]) if rng.random() < 0.5 else None
    title, description = corpus.issue_text(rng, LABEL[category], _unit(b, workshop, "所在部门"))
    collective = rng.random() < 0.08
    people = b.workers[eid]
    urgency = rng.choices(list(Urgency), weights=[15, 25, 60])[0]
    data = IssueIn(
        enterprise_id=eid,
        worker_id=rng.choice(people) if people and rng.random() < 0.85 else None,
        workshop_id=workshop,
        collective=collective,
        people_count=rng.randint(3, 40) if collective else 1,
        title=title[:100],
        description=description,
        category=category,
        urgency=urgency,
        source=rng.choices(list(IssueSource), weights=[55, 15, 15, 5, 8, 2])[0],
        received_on=received_on,
        confidential=rng.random() < 0.05,
    )
    values = data.model_dump(mode="json")
    values.update(
        number=next_issue_number(b.session, b.writer.state, received_on.year),
        due_on=b.policy.due_on(received_on, urgency, category),
        assignee=b.cadre,
        created_by=b.writer.state.replica_id,
    )
    history = _history(b, received_on, category)
    values.update(history.fields)
    issue_id = b.create("issue", values)
    for event in history.events:
        b.create("issue_event", {"issue_id": issue_id, "actor": b.cadre, **event})


@dataclass
class _History:
    fields: dict[str, Any] = field(default_factory=dict)
    events: list[dict[str, Any]] = field(default_factory=list)


def _history(b: _Builder, received_on: date, category: IssueCategory) -> _History:
    """A plausible path through the lifecycle for a case received on ``received_on``.

    Young cases are anywhere along it; a case older than two months has been closed, except
    a few (up to five months old) left open and overdue on purpose, which say so in a note."""
    rng = b.rng
    label = LABEL[category]
    age = (b.today - received_on).days
    h = _History()
    when = received_on
    status: IssueStatus | None = None

    last_at = datetime.combine(received_on, datetime.min.time()) + timedelta(hours=8)

    def step(to: IssueStatus, gap: int, note: str | None = None, detail: str | None = None) -> None:
        nonlocal when, status, last_at
        when = min(b.today, when + timedelta(days=gap))
        at = datetime.combine(when, datetime.min.time()) + timedelta(hours=rng.randint(8, 17))
        last_at = max(at, last_at + timedelta(minutes=rng.randint(5, 90)))  # events in order
        h.events.append(
            {
                "kind": EventKind.TRANSITION,
                "from_status": status,
                "to_status": to,
                "note": note,
                "detail": detail,
                "occurred_at": last_at,
            }
        )
        status = to

    step(IssueStatus.REGISTERED, 0)
    if age > 60 and age <= 150 and rng.random() < 0.05:
        step(IssueStatus.ACCEPTED, rng.randint(0, 2))
        reason = rng.choice(_OVERDUE_REASONS)
        step(IssueStatus.IN_PROGRESS, rng.randint(1, 5), f"{OVERDUE_ON_PURPOSE}：{reason}")
        return _finish(b, h, status)
    progress = min(1.0, age / 60) * rng.random() ** 0.5  # older cases got further
    if age > 60:
        progress = max(progress, 0.6 + 0.4 * rng.random())  # closed by now
    if progress < 0.1:
        return _finish(b, h, status)
    if rng.random() < 0.06:
        step(IssueStatus.DECLINED, rng.randint(0, 3), corpus.decline_reason(rng))
        h.fields["decline_reason"] = h.events[-1]["note"]
        return _finish(b, h, status)
    step(IssueStatus.ACCEPTED, rng.randint(0, 2))
    if progress < 0.25:
        return _finish(b, h, status)
    step(IssueStatus.IN_PROGRESS, rng.randint(0, 3), corpus.progress_note(rng))
    if rng.random() < 0.2:
        department = corpus.referral_department(rng)
        step(IssueStatus.REFERRED, rng.randint(1, 5), None, department)
        h.fields["referred_to"] = department
        if progress < 0.45:
            return _finish(b, h, status)
    if progress < 0.55:
        return _finish(b, h, status)
    resolution = corpus.resolution_text(rng, label)
    step(IssueStatus.RESOLVED, rng.randint(1, 20), resolution)
    h.fields.update(resolution=resolution, resolved_on=when)
    if progress < 0.75 or when > b.today - timedelta(days=3):
        return _finish(b, h, status)
    satisfaction = rng.choices(list(Satisfaction), weights=[70, 22, 8])[0]
    step(
        IssueStatus.FOLLOWED_UP,
        rng.randint(3, 20),
        corpus.followup_note(rng, LABEL[satisfaction]),
        satisfaction.value,
    )
    method = _FOLLOW_UP_METHODS[when.toordinal() % len(_FOLLOW_UP_METHODS)]  # no extra draw:
    h.fields.update(satisfaction=satisfaction, follow_up_method=method, followed_up_on=when)
    return _finish(b, h, status)  # the rest of the ledger stays as it was for a seed


# Most follow-ups are a phone call; some a visit at home or at work, a few at a meeting.
_FOLLOW_UP_METHODS = (FollowUpMethod.PHONE,) * 6 + (FollowUpMethod.VISIT,) * 3 + (
    FollowUpMethod.MEETING,
)


def _finish(b: _Builder, h: _History, status: IssueStatus | None) -> _History:
    """Set the final status; events that would fall after now move back, in order."""
    h.fields["status"] = status
    latest = b.now - timedelta(minutes=1)
    for event in reversed(h.events):
        if event["occurred_at"] > latest:
            event["occurred_at"] = latest
        latest = event["occurred_at"] - timedelta(minutes=1)
    return h


_AMOUNTS = {  # yuan; goods are booked at what they cost, so nothing is 0 元
    AssistanceKind.CASH: (300, 500, 800, 1000, 2000),
    AssistanceKind.GOODS: (200, 300, 500, 800),
    AssistanceKind.EDUCATION: (1000, 2000, 3000, 5000),
    AssistanceKind.MEDICAL: (2000, 3000, 5000, 10000),
    AssistanceKind.EMPLOYMENT: (300, 500, 800),
}


def _assistance(b: _Builder) -> None:
    rng = b.rng
    for wid, _eid, filed in b.hardship:
        for _ in range(rng.choice((0, 1, 1, 2, 3))):
            kind = rng.choice(list(AssistanceKind))
            amount = rng.choice(_AMOUNTS.get(kind, (500,)))
            data = AssistanceIn(
                worker_id=wid,
                given_on=filed + timedelta(days=rng.randint(0, (b.today - filed).days)),
                kind=kind,
                amount=Decimal(amount),
                funding_source=rng.choice(list(FundingSource)),
                cadre=b.cadre,
                note=corpus.assistance_note(rng, LABEL[kind]),
            )
            values = data.model_dump(mode="json", exclude={"amount"})
            values.update(amount_fen=data.amount_fen, enterprise_id=_eid)
            b.create("assistance", values)


def _practices(b: _Builder) -> None:
    rng = b.rng
    households = Counter(eid for _w, eid, _f in b.hardship)
    for _ in range(max(2, len(b.enterprises) * 2)):
        eid = rng.choice(b.enterprises)
        teams = len(b.workshops[eid])
        title, content = corpus.practice_text(rng, teams, max(1, households[eid]))
        data = PracticeIn(
            enterprise_id=eid,
            title=title[:100],
            content=content,
            collected_on=b.past_day(365),
            cadre=b.cadre,
            status=rng.choice(list(PracticeStatus)),
        )
        b.create("practice", data.model_dump(mode="json"))
