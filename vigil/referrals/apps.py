from django.apps import AppConfig


class ReferralsConfig(AppConfig):
    name = "vigil.referrals"
    label = "referrals"
    verbose_name = "Referrals and notifications"
