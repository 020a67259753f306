"""Workers and the help given to them. Both hold sensitive personal data (PIPL art. 28)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Boolean, Date, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, Replicated


class Worker(Replicated, Base):
    """职工, with the hardship file (困难档案) when there is one."""

    __tablename__ = "worker"

    enterprise_id: Mapped[str] = mapped_column(ForeignKey("enterprise.id"), index=True)
    workshop_id: Mapped[str | None] = mapped_column(ForeignKey("workshop.id"), index=True)
    name: Mapped[str] = mapped_column(String(50), index=True)
    gender: Mapped[str | None] = mapped_column(String(8))
    phone: Mapped[str | None] = mapped_column(String(30))
    id_number: Mapped[str | None] = mapped_column(String(18), index=True)
    position: Mapped[str | None] = mapped_column(String(50))
    member: Mapped[bool] = mapped_column(Boolean, default=False)
    hardship_level: Mapped[str] = mapped_column(String(16), default="none", index=True)
    hardship_status: Mapped[str | None] = mapped_column(String(16))
    hardship_reason: Mapped[str | None] = mapped_column(Text)
    hardship_filed_on: Mapped[date | None] = mapped_column(Date)
    hardship_reviewed_on: Mapped[date | None] = mapped_column(Date)
    note: Mapped[str | None] = mapped_column(Text)


class Assistance(Replicated, Base):
    """帮扶慰问: help given to a worker. Money is kept in fen (分) so sums are exact."""

    __tablename__ = "assistance"

    worker_id: Mapped[str] = mapped_column(ForeignKey("worker.id"), index=True)
    enterprise_id: Mapped[str] = mapped_column(ForeignKey("enterprise.id"), index=True)
    given_on: Mapped[date] = mapped_column(Date, index=True)
    kind: Mapped[str] = mapped_column(String(16))
    amount_fen: Mapped[int] = mapped_column(Integer, default=0)
    funding_source: Mapped[str] = mapped_column(String(16))
    cadre: Mapped[str | None] = mapped_column(String(50))
    note: Mapped[str | None] = mapped_column(Text)
