from django.urls import path

from lingting.tickets import ladder_views, report_views, setup_views, views

app_name = "tickets"

urlpatterns = [
    path("", views.order_list, name="list"),
    path("new/", views.order_create, name="create"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("report/", report_views.report, name="report"),
    path("ladder/", ladder_views.ladder, name="ladder"),
    path("report/download.<str:fmt>", report_views.download, name="report_download"),
    path("setup/types/", setup_views.type_list, name="setup_types"),
    path("setup/types/new/", setup_views.type_edit, name="setup_type_new"),
    path("setup/types/<id:type_id>/", setup_views.type_edit, name="setup_type"),
    path("setup/departments/", setup_views.department_list, name="setup_departments"),
    path("setup/departments/new/", setup_views.department_edit, name="setup_department_new"),
    path(
        "setup/departments/<id:department_id>/",
        setup_views.department_edit,
        name="setup_department",
    ),
    path(
        "setup/departments/<id:department_id>/delete/",
        setup_views.department_remove,
        name="setup_department_delete",
    ),
    path("<id:order_id>/", views.order_detail, name="detail"),
    path("<id:order_id>/<str:action>/", views.order_act, name="act"),
]
