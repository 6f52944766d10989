from django.urls import path

from lingting.coaching import views

app_name = "coaching"

urlpatterns = [
    path("", views.plan_list, name="plan_list"),
    path("detect/", views.detect, name="detect"),
    path("detect/diagnosis/", views.diagnosis, name="diagnosis"),
    path("plans/open/", views.plan_open, name="plan_open"),
    path("plans/<id:plan_id>/", views.plan_detail, name="plan_detail"),
    path("plans/<id:plan_id>/sessions/", views.session_record, name="session_record"),
    path("plans/<id:plan_id>/goals/", views.goal_save, name="goal_save"),
    path("plans/<id:plan_id>/status/", views.plan_status, name="plan_status"),
    path("effect/", views.effect, name="effect"),
    path("training/", views.training_needs_list, name="training_needs"),
    path("training/new/", views.training_new, name="training_new"),
    path("training/<id:training_id>/", views.training_detail, name="training_detail"),
]
