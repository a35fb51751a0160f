from django.apps import AppConfig
from django.db.models.signals import post_migrate


class AuditConfig(AppConfig):
    name = "vigil.audit"
    label = "audit"

    def ready(self):
        from vigil.audit import append_only

        # SQLite rebuilds a table (dropping its triggers) on many schema changes; putting
        # them back after every migrate keeps "the database refuses" true for good.
        post_migrate.connect(append_only.reinstall_after_migrate, sender=self)
