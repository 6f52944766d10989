from django.urls import path

from lingting.surveys import views

app_name = "surveys"

urlpatterns = [
    path("", views.csat, name="csat"),
    path("plans/", views.plans, name="plans"),
    path("reasons/", views.reason_rules_edit, name="reason_rules"),
    path("responses/<int:response_id>/reason/", views.reason_set, name="reason_set"),
    path("plans/new/", views.plan_edit, name="plan_new"),
    path("plans/<int:plan_id>/", views.plan_edit, name="plan_edit"),
]
