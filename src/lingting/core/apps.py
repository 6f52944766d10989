from django.apps import AppConfig


class CoreConfig(AppConfig):
    verbose_name = "core"
    name = "lingting.core"
    label = "core"
