from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "lingting.demo"
    label = "demo"
    verbose_name = "Demo"
