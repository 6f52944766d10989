from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "lingting.documents"
    label = "documents"
    verbose_name = "Documents"
