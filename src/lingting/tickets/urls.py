from django.urls import path

from lingting.tickets import ladder_views, report_views, views

app_name = "tickets"

urlpatterns = [
    path("", views.order_list, name="list"),
    path("new/", views.order_create, name="create"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("report/", report_views.report, name="report"),
    path("ladder/", ladder_views.ladder, name="ladder"),
    path("report/download.<str:fmt>", report_views.download, name="report_download"),
    path("<int:order_id>/", views.order_detail, name="detail"),
    path("<int:order_id>/<str:action>/", views.order_act, name="act"),
]
