from django.urls import path

from lingting.workorders.views import creation, dashboard, ladder, orders, report, setup

app_name = "tickets"

urlpatterns = [
    path("", orders.order_list, name="list"),
    path("new/", creation.order_create, name="create"),
    path("dashboard/", dashboard.dashboard, name="dashboard"),
    path("report/", report.report, name="report"),
    path("ladder/", ladder.ladder, name="ladder"),
    path("report/download.<str:fmt>", report.download, name="report_download"),
    path("setup/types/", setup.type_list, name="setup_types"),
    path("setup/types/new/", setup.type_edit, name="setup_type_new"),
    path("setup/types/<id:type_id>/", setup.type_edit, name="setup_type"),
    path("setup/departments/", setup.department_list, name="setup_departments"),
    path("setup/departments/new/", setup.department_edit, name="setup_department_new"),
    path(
        "setup/departments/<id:department_id>/",
        setup.department_edit,
        name="setup_department",
    ),
    path(
        "setup/departments/<id:department_id>/delete/",
        setup.department_remove,
        name="setup_department_delete",
    ),
    path("<id:order_id>/", orders.order_detail, name="detail"),
    path("<id:order_id>/<str:action>/", orders.order_act, name="act"),
]
