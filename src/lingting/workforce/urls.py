from django.urls import path

from lingting.workforce import views

app_name = "workforce"

urlpatterns = [
    path("occupancy/", views.occupancy, name="occupancy"),
    path("broadcast/", views.broadcast, name="broadcast"),
    path("attrition/", views.attrition, name="attrition"),
    path("attrition/leaver/", views.attrition_leaver, name="attrition_leaver"),
    path("attrition/leaver/cancel/", views.attrition_leaver_cancel, name="attrition_leaver_cancel"),
]
