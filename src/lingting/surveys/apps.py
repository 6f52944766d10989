from django.apps import AppConfig


class SurveysConfig(AppConfig):
    name = "lingting.surveys"
    verbose_name = "Post-contact surveys and satisfaction"
