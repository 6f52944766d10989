from django.apps import AppConfig


class TicketsConfig(AppConfig):
    name = "lingting.tickets"
    verbose_name = "Work orders (工单) and their SLAs"
