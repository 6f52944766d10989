from django.apps import AppConfig


class KnowledgeConfig(AppConfig):
    name = "lingting.knowledge"
    verbose_name = "Knowledge vault (业务金库), bulletins and the FAQ bot"
