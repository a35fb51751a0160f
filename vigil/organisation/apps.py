from django.apps import AppConfig


class OrganisationConfig(AppConfig):
    name = "vigil.organisation"
    label = "organisation"
