"""Publishing policy versions. A version never takes effect before it was saved."""

from datetime import datetime

from django.db import transaction
from django.db.models import Max

from vigil.audit.services import audit_record
from vigil.core.errors import ServiceError
from vigil.core.time import now, require_aware
from vigil.organisation.models import Force
from vigil.policy.defaults import DEFAULTS
from vigil.policy.document import validate_document
from vigil.policy.models import CaseType, PolicyVersion


def _publish(*, force, case_type, document, effective_from, reason, actor, system_job):
    if case_type not in CaseType.values:
        raise ServiceError(f"Unknown case type {case_type!r}.", field="case_type")
    validate_document(document)
    recorded_at = now()
    effective_from = require_aware(effective_from or recorded_at, "effective_from")
    if effective_from < recorded_at:
        raise ServiceError(
            "A policy cannot take effect before it is saved: choose now or a later time.",
            field="effective_from",
        )
    Force.objects.select_for_update().get(pk=force.pk)  # one publisher at a time per force
    latest = PolicyVersion.objects.filter(force=force, case_type=case_type).aggregate(
        v=Max("version")
    )["v"]
    version = PolicyVersion.objects.create(
        force=force,
        case_type=case_type,
        version=(latest or 0) + 1,
        effective_from=effective_from,
        recorded_at=recorded_at,
        recorded_by=actor,
        reason=reason,
        document=document,
    )
    audit_record(
        force=force,
        kind="policy.published",
        payload={
            "case_type": case_type,
            "version": version.version,
            "effective_from": effective_from,
        },
        reason=reason,
        **({"actor": actor} if actor is not None else {"system_job": system_job or "setup"}),
    )
    return version


@transaction.atomic(durable=True)
def policy_publish(
    *,
    force,
    case_type: str,
    document: dict,
    effective_from: datetime | None = None,
    reason: str = "",
    actor=None,
    system_job: str = "",
) -> PolicyVersion:
    return _publish(
        force=force,
        case_type=case_type,
        document=document,
        effective_from=effective_from,
        reason=reason,
        actor=actor,
        system_job=system_job,
    )


@transaction.atomic(durable=True)
def policy_install_defaults(*, force, actor=None) -> list[PolicyVersion]:
    """Publish the sourced defaults (vigil/policy/defaults.py) as each case type's version 1."""
    return [
        _publish(
            force=force,
            case_type=case_type,
            document=document,
            effective_from=None,
            reason="National defaults with sources",
            actor=actor,
            system_job="setup",
        )
        for case_type, document in DEFAULTS.items()
    ]
