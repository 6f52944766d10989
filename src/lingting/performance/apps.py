from django.apps import AppConfig


class PerformanceConfig(AppConfig):
    name = "lingting.performance"
    verbose_name = "KPIs and performance"
