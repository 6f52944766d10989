from django.apps import AppConfig


class InteractionsConfig(AppConfig):
    name = "lingting.interactions"
    label = "interactions"
