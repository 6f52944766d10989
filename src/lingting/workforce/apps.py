from django.apps import AppConfig


class WorkforceConfig(AppConfig):
    name = "lingting.workforce"
    verbose_name = "Agent states, occupancy and staffing"
