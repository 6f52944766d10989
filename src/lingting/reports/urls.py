from django.urls import path

from lingting.reports import views

app_name = "reports"

urlpatterns = [
    path("", views.index, name="index"),
    path("archive/", views.archive, name="archive"),
    path("topics/", views.topics, name="topics"),
    path("archive/generate/", views.generate, name="generate"),
    path("archive/<id:report_id>.<str:fmt>", views.archive_file, name="archive_file"),
    path("<str:kind>/", views.report, name="report"),
    path("<str:kind>/download.<str:fmt>", views.download, name="download"),
]
