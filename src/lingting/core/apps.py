from django.apps import AppConfig


class CoreConfig(AppConfig):
    verbose_name = "core"
    name = "lingting.core"
    label = "core"

    def ready(self) -> None:
        from django.urls import register_converter

        from lingting.core.params import RowIdConverter, YearConverter

        # Before any URLconf is read: every app's urls.py uses these for ids and years.
        register_converter(RowIdConverter, "id")
        register_converter(YearConverter, "year")
