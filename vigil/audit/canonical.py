"""The bytes an audit event's hash covers. Recomputed by `verify_audit` from the row itself."""

import hashlib
import json
import uuid
from datetime import UTC, date, datetime
from decimal import Decimal


def jsonable(value):
    """Payload values as plain JSON: aware datetimes in UTC ISO form, decimals as strings."""
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set):
        return [jsonable(v) for v in value]
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, float):
        return repr(value)
    return value


def canonical_text(
    *,
    force_id: int,
    seq: int,
    occurred_at: datetime,
    actor_id: int | None,
    system_job: str,
    case_id: int | None,
    kind: str,
    payload: dict,
    reason: str,
    prev_hash: str,
) -> str:
    document = {
        "force": force_id,
        "seq": seq,
        "occurred_at": occurred_at.astimezone(UTC).isoformat(),
        "actor": actor_id,
        "system_job": system_job,
        "case": case_id,
        "kind": kind,
        "payload": payload,
        "reason": reason,
        "prev_hash": prev_hash,
    }
    return json.dumps(document, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
