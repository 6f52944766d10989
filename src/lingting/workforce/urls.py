from django.urls import path

from lingting.workforce import views

app_name = "workforce"

urlpatterns = [
    path("occupancy/", views.occupancy, name="occupancy"),
    path("broadcast/", views.broadcast, name="broadcast"),
    path("planning/", views.planning, name="planning"),
    path("planning/<int:queue_id>/policy/", views.planning_policy, name="planning_policy"),
    path("planning/<int:queue_id>/forecast/", views.planning_forecast, name="planning_forecast"),
]
