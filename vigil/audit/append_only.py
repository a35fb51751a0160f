"""Database triggers that refuse UPDATE, DELETE and TRUNCATE on insert-only tables.

Installed by each app's migration and again after every `migrate` (SQLite drops a table's
triggers when it rebuilds it). `drop_all` exists only for test teardown: transactional tests
empty the database with DELETE (SQLite) or TRUNCATE (PostgreSQL); the following post_migrate
puts the triggers back. Nothing in the application calls it.
"""

from django.apps import apps as global_apps
from django.db import migrations

# Insert-only models: a correction is a new row that supersedes, never an edit.
APPEND_ONLY_MODELS = [
    "audit.AuditEvent",
    "audit.ReadLog",
    "organisation.RankPeriod",
    "organisation.WorkingPattern",
    "organisation.AvailabilityPeriod",
    "rosters.Designation",
    "rosters.DutyPeriod",
    "policy.PolicyVersion",
    "cases.Grading",
    "cases.GradingFact",
    "cases.GradingEndorsement",
    "cases.CaseStatusChange",
    "cases.RestrictedAccessGrant",
    "notices.Notice",
    "notices.NoticeRead",
    "oversight.Prompt",
    "oversight.PromptEscalation",
    "oversight.PromptAnswer",
    "oversight.Meeting",
    "oversight.MeetingAttendee",
    "oversight.MeetingCase",
    "oversight.MeetingDecision",
    "oversight.MeetingClosure",
    "oversight.AdviceNote",
    "responsibility.Holding",
    "responsibility.HoldingAcceptance",
    "responsibility.Handover",
    "reviews.DueReview",
    "reviews.Review",
]

_PG_FUNCTION = """
CREATE OR REPLACE FUNCTION vigil_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '% is append-only: % refused', TG_TABLE_NAME, TG_OP
    USING ERRCODE = 'integrity_constraint_violation';
END
$$;
"""


def append_only_labels() -> list[str]:
    """APPEND_ONLY_MODELS, plus every model an app lists in its models module's
    `APPEND_ONLY = ["Model", ...]` (newer apps declare theirs beside the models)."""
    labels = list(APPEND_ONLY_MODELS)
    for config in global_apps.get_app_configs():
        for name in getattr(config.models_module, "APPEND_ONLY", ()) or ():
            label = f"{config.label}.{name}"
            if label not in labels:
                labels.append(label)
    return labels


def _tables(apps=None) -> list[str]:
    registry = apps or global_apps
    tables = []
    for label in append_only_labels():
        try:
            tables.append(registry.get_model(label)._meta.db_table)
        except LookupError:
            continue
    return tables


def _statements(vendor: str, table: str) -> list[str]:
    if vendor == "sqlite":
        return [
            f"CREATE TRIGGER IF NOT EXISTS vigil_ao_{table}_update BEFORE UPDATE ON {table} "
            f"BEGIN SELECT RAISE(ABORT, '{table} is append-only: UPDATE refused'); END;",
            f"CREATE TRIGGER IF NOT EXISTS vigil_ao_{table}_delete BEFORE DELETE ON {table} "
            f"BEGIN SELECT RAISE(ABORT, '{table} is append-only: DELETE refused'); END;",
        ]
    if vendor == "postgresql":
        return [
            f"CREATE OR REPLACE TRIGGER vigil_ao_{table}_row BEFORE UPDATE OR DELETE ON {table} "
            "FOR EACH ROW EXECUTE FUNCTION vigil_append_only();",
            f"CREATE OR REPLACE TRIGGER vigil_ao_{table}_truncate BEFORE TRUNCATE ON {table} "
            "FOR EACH STATEMENT EXECUTE FUNCTION vigil_append_only();",
        ]
    return []


def install(connection, tables: list[str]) -> None:
    existing = set(connection.introspection.table_names())
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(_PG_FUNCTION)
        for table in tables:
            if table in existing:
                for statement in _statements(connection.vendor, table):
                    cursor.execute(statement)


def installed_triggers(connection, table: str) -> set[str]:
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = %s", [table]
            )
        else:
            cursor.execute(
                "SELECT tgname FROM pg_trigger WHERE tgrelid = %s::regclass AND NOT tgisinternal",
                [table],
            )
        return {row[0] for row in cursor.fetchall() if row[0].startswith("vigil_ao_")}


def expected_triggers(vendor: str, table: str) -> set[str]:
    suffixes = ("update", "delete") if vendor == "sqlite" else ("row", "truncate")
    return {f"vigil_ao_{table}_{suffix}" for suffix in suffixes}


def all_tables() -> list[str]:
    return _tables()


def drop_all(connection) -> None:
    """Test teardown only (see module docstring)."""
    with connection.cursor() as cursor:
        for table in _tables():
            for name in expected_triggers(connection.vendor, table):
                if connection.vendor == "sqlite":
                    cursor.execute(f"DROP TRIGGER IF EXISTS {name}")
                else:
                    cursor.execute(f"DROP TRIGGER IF EXISTS {name} ON {table}")


def reinstall_after_migrate(sender, using="default", apps=None, **kwargs):
    from django.db import connections

    install(connections[using], _tables(apps))


def InstallTriggers(*model_labels: str) -> migrations.RunPython:
    """Migration operation: install the append-only triggers on these models' tables."""

    def forwards(apps, schema_editor):
        tables = [apps.get_model(label)._meta.db_table for label in model_labels]
        install(schema_editor.connection, tables)

    return migrations.RunPython(forwards, migrations.RunPython.noop, elidable=False)
