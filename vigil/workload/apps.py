from django.apps import AppConfig


class WorkloadConfig(AppConfig):
    name = "vigil.workload"
    label = "workload"
    verbose_name = "Workload and progression"
