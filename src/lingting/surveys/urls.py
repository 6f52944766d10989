from django.urls import path

from lingting.surveys import views

app_name = "surveys"

urlpatterns = [
    path("", views.csat, name="csat"),
    path("plans/", views.plans, name="plans"),
    path("plans/new/", views.plan_edit, name="plan_new"),
    path("plans/<int:plan_id>/", views.plan_edit, name="plan_edit"),
]
