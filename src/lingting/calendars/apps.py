from django.apps import AppConfig


class CalendarsConfig(AppConfig):
    name = "lingting.calendars"
    verbose_name = "Business calendars: holidays, make-up workdays"
