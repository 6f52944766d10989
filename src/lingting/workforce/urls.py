from django.urls import path

from lingting.workforce import views
from lingting.workforce.views import care, planning

app_name = "workforce"

urlpatterns = [
    path("occupancy/", views.occupancy, name="occupancy"),
    path("broadcast/", views.broadcast, name="broadcast"),
    path("planning/", planning.planning, name="planning"),
    path("planning/<int:queue_id>/policy/", planning.planning_policy, name="planning_policy"),
    path("planning/<int:queue_id>/forecast/", planning.planning_forecast, name="planning_forecast"),
    path("care/", care.care, name="care"),
    path("attrition/", views.attrition, name="attrition"),
    path("attrition/leaver/", views.attrition_leaver, name="attrition_leaver"),
    path("attrition/leaver/cancel/", views.attrition_leaver_cancel, name="attrition_leaver_cancel"),
]
