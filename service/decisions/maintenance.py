"""Verifying the hash chain and purging old records without breaking it."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import delete, func, select

from ..db import ChainHead, Database, DecisionRecord
from .chain import hash_record


@dataclass
class Verification:
    """What ``verify`` found: how many records, and each break in the chain."""

    checked: int = 0
    problems: list[str] = field(default_factory=list)

    @property
    def intact(self) -> bool:
        """True when no record was altered, removed or reordered."""
        return not self.problems


def verify(database: Database, batch: int = 1000) -> Verification:
    """Recompute every record's hash and check each links to the one before."""
    result = Verification()
    with database.reading() as session:
        head = session.get(ChainHead, 1)
        expected = head.anchor_hash
        rows = session.execute(select(DecisionRecord).order_by(DecisionRecord.seq).execution_options(yield_per=batch))
        for record in rows.scalars():
            result.checked += 1
            name = f"record {record.seq} (decision {record.decision_id}, reference {record.reference})"
            if record.prev_hash != expected:
                result.problems.append(f"{name}: does not follow the record before it (one was removed or altered)")
            if hash_record(record.prev_hash, record) != record.record_hash:
                result.problems.append(f"{name}: its content has been altered since it was recorded")
            expected = record.record_hash
        if expected != head.last_hash:
            result.problems.append(f"the newest records are missing: the chain should end at {head.last_hash[:12]}…")
    return result


def purge_older_than(database: Database, age: timedelta, now: datetime) -> int:
    """Remove the oldest records evaluated before ``now - age``; returns how many.

    Only a run of the oldest records is removed, and the chain head keeps the
    hash of the last one removed, so the rest of the chain still verifies.
    """
    cutoff = now - age
    with database.transaction() as session:
        head = ChainHead.locked(session)
        first_kept = session.execute(
            select(func.min(DecisionRecord.seq)).where(DecisionRecord.evaluated_at >= cutoff)
        ).scalar_one_or_none()
        doomed = select(DecisionRecord).where(DecisionRecord.evaluated_at < cutoff)
        if first_kept is not None:
            doomed = doomed.where(DecisionRecord.seq < first_kept)
        last = session.execute(doomed.order_by(DecisionRecord.seq.desc()).limit(1)).scalar_one_or_none()
        if last is None:
            return 0
        removed = session.execute(delete(DecisionRecord).where(DecisionRecord.seq <= last.seq)).rowcount
        head.anchor_seq, head.anchor_hash = last.seq, last.record_hash
        head.records -= removed
        return removed


def parse_age(text: str) -> timedelta:
    """'365d' or '52w' as a timedelta; ValueError for anything else."""
    text = text.strip().lower()
    units = {"d": 1, "w": 7}
    if len(text) < 2 or text[-1] not in units or not text[:-1].isdigit() or int(text[:-1]) < 1:
        raise ValueError(f"expected an age such as 365d or 52w, not {text!r}")
    return timedelta(days=int(text[:-1]) * units[text[-1]])
