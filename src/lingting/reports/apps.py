from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "lingting.reports"
    verbose_name = "Quality and KPI reports"
