from django.apps import AppConfig


class CalendarsConfig(AppConfig):
    name = "lingting.calendars"
    verbose_name = "Business calendars: holidays, make-up workdays"

    def ready(self) -> None:
        from lingting.calendars import checks  # noqa: F401  (registers the system check)
