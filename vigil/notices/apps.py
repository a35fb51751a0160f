from django.apps import AppConfig


class NoticesConfig(AppConfig):
    name = "vigil.notices"
    label = "notices"
    verbose_name = "Notices (inbox and e-mail)"
