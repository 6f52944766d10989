from django.apps import AppConfig


class WebhooksConfig(AppConfig):
    name = "lingting.webhooks"
    verbose_name = "Webhooks and the API for external systems"
