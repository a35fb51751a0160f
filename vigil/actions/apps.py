from django.apps import AppConfig


class ActionsConfig(AppConfig):
    name = "vigil.actions"
    label = "actions"
    verbose_name = "Actions (lines of enquiry)"
