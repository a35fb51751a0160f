"""The database itself refuses UPDATE, DELETE and TRUNCATE on insert-only tables."""

import pytest
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction

from tests.builders import report
from vigil.audit import append_only
from vigil.audit.models import AuditEvent


def _refused(sql: str, params=()):
    with (
        pytest.raises(IntegrityError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(sql, params)


def test_every_insert_only_table_has_its_triggers_after_all_migrations(db):
    tables = append_only.all_tables()
    assert "audit_auditevent" in tables and "rosters_designation" in tables
    for table in tables:
        expected = append_only.expected_triggers(connection.vendor, table)
        assert append_only.installed_triggers(connection, table) == expected, table


def test_a_table_rebuild_that_drops_triggers_is_mended_by_migrate(db):
    """SQLite drops a table's triggers when a migration rebuilds it; migrate puts them back."""
    append_only.drop_all(connection)
    assert not append_only.installed_triggers(connection, "audit_auditevent")
    call_command("migrate", verbosity=0)
    expected = append_only.expected_triggers(connection.vendor, "audit_auditevent")
    assert append_only.installed_triggers(connection, "audit_auditevent") == expected


def test_update_and_delete_of_an_event_are_refused(world):
    report(world)
    event = AuditEvent.objects.filter(force=world.force).first()
    _refused("UPDATE audit_auditevent SET kind = 'forged' WHERE id = %s", [event.pk])
    _refused("DELETE FROM audit_auditevent WHERE id = %s", [event.pk])
    _refused("DELETE FROM audit_auditevent")
    with pytest.raises(IntegrityError), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).update(reason="edited")
    with pytest.raises(IntegrityError), transaction.atomic():
        event.delete()
    event.refresh_from_db()
    assert event.kind != "forged"


def test_truncate_is_refused(world):
    report(world)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:  # fire this test's deferred FK checks first
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        _refused("TRUNCATE audit_auditevent CASCADE")
        _refused("TRUNCATE rosters_designation CASCADE")
    else:
        # SQLite has no TRUNCATE: an unqualified DELETE is its truncate (row triggers fire).
        _refused("DELETE FROM cases_grading")
    assert AuditEvent.objects.filter(force=world.force).exists()


def test_other_insert_only_tables_refuse_edits(world):
    case = report(world)
    grading = case.gradings.get()
    _refused("UPDATE cases_grading SET grade = 'low' WHERE id = %s", [grading.pk])
    _refused("DELETE FROM policy_policyversion")
