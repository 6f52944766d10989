from django.apps import AppConfig


class WorkOrdersConfig(AppConfig):
    name = "lingting.workorders"
    # The label the tables, the migration history and `apps.get_model("tickets", …)` were
    # made under: the package was named `tickets` before it was named for what it holds.
    label = "tickets"
    verbose_name = "Work orders (工单) and their SLAs"
