from django.urls import path

from lingting.performance import views

app_name = "performance"

urlpatterns = [
    path("kpis/", views.kpis, name="kpis"),
    path("targets/", views.targets, name="targets"),
    path("targets/<int:target_id>/delete/", views.target_delete, name="target_delete"),
]
