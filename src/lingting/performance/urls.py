from django.urls import path

from lingting.performance import views

app_name = "performance"

urlpatterns = [
    path("kpis/", views.kpis, name="kpis"),
    path("targets/", views.targets, name="targets"),
    path("targets/<id:target_id>/delete/", views.target_delete, name="target_delete"),
    path("assessment/", views.assessment, name="assessment"),
    path("assessment/compute/", views.assessment_compute_view, name="assessment_compute"),
    path("assessment/weights/", views.assessment_weights_view, name="assessment_weights"),
    path("assessment/awards/", views.award_confirm_view, name="award_confirm"),
    path("ranking/", views.ranking, name="ranking"),
]
