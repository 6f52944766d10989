from django.apps import AppConfig


class QualityConfig(AppConfig):
    name = "lingting.quality"
    label = "quality"
