from django.urls import path

from lingting.workforce import views
from lingting.workforce.views import intraday, planning

app_name = "workforce"

urlpatterns = [
    path("occupancy/", views.occupancy, name="occupancy"),
    path("broadcast/", views.broadcast, name="broadcast"),
    path("planning/", planning.planning, name="planning"),
    path("planning/<int:queue_id>/policy/", planning.planning_policy, name="planning_policy"),
    path("planning/<int:queue_id>/forecast/", planning.planning_forecast, name="planning_forecast"),
    path("intraday/", intraday.intraday, name="intraday"),
]
