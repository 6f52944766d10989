from django.apps import AppConfig


class CampaignsConfig(AppConfig):
    name = "lingting.campaigns"
    verbose_name = "Callback campaigns"
