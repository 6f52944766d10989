from django.urls import path

from lingting.surveys import competitiveness_views, views

app_name = "surveys"

urlpatterns = [
    path("", views.csat, name="csat"),
    path("plans/", views.plans, name="plans"),
    path("reasons/", views.reason_rules_edit, name="reason_rules"),
    path("responses/<int:response_id>/reason/", views.reason_set, name="reason_set"),
    path("plans/new/", views.plan_edit, name="plan_new"),
    path("plans/<int:plan_id>/", views.plan_edit, name="plan_edit"),
    path("competitiveness/", competitiveness_views.waves, name="competitiveness"),
    path("competitiveness/new/", competitiveness_views.wave_edit, name="competitiveness_new"),
    path(
        "competitiveness/<int:wave_id>/",
        competitiveness_views.wave,
        name="competitiveness_wave",
    ),
    path(
        "competitiveness/<int:wave_id>/edit/",
        competitiveness_views.wave_edit,
        name="competitiveness_edit",
    ),
    path(
        "competitiveness/<int:wave_id>/delete/",
        competitiveness_views.wave_delete,
        name="competitiveness_delete",
    ),
]
