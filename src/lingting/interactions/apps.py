from django.apps import AppConfig


class InteractionsConfig(AppConfig):
    name = "lingting.interactions"
    label = "interactions"

    def ready(self) -> None:
        from lingting.interactions import checks  # noqa: F401  (registers the system check)
