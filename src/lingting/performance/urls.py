from django.urls import path

from lingting.performance import views

app_name = "performance"

urlpatterns = [
    path("kpis/", views.kpis, name="kpis"),
]
