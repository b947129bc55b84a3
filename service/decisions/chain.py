"""The hash chain that makes the decision log tamper-evident.

Each record's hash covers its content and the previous record's hash, so
changing, removing or reordering any record breaks every hash after it.
"""

from __future__ import annotations

import hashlib
import json
from datetime import UTC

GENESIS = "0" * 64
HASHED_FIELDS = (
    "decision_id", "reference", "area", "category", "routing", "review_required", "ruleset_name",
    "ruleset_version", "as_of", "evaluated_at", "request_json", "facts_json", "decision_json",
)


def content_of(record) -> dict:
    """The hashed fields of a record, as plain text values."""
    values = {name: getattr(record, name) for name in HASHED_FIELDS}
    values["as_of"] = values["as_of"].isoformat()
    values["evaluated_at"] = _utc_text(values["evaluated_at"])
    if record.created_by is not None:  # recorded since access control; older records hash without it
        values["created_by"] = record.created_by
    return values


def hash_record(prev_hash: str, record) -> str:
    """The hash of a record chained to the hash before it."""
    canonical = json.dumps(content_of(record), sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(f"{prev_hash}\n{canonical}".encode()).hexdigest()


def _utc_text(moment) -> str:
    # SQLite hands datetimes back without a zone; they are always stored in UTC.
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC)
    return moment.replace(tzinfo=None).isoformat(timespec="microseconds")
