from django.urls import path

from lingting.workforce import views
from lingting.workforce.views import (
    care,
    intraday,
    planning,
    rosters,
    setup,
    shift_limits,
    staff_import,
    swaps,
)

app_name = "workforce"

urlpatterns = [
    path("occupancy/", views.occupancy, name="occupancy"),
    path("broadcast/", views.broadcast, name="broadcast"),
    path("planning/", planning.planning, name="planning"),
    path("planning/<int:queue_id>/policy/", planning.planning_policy, name="planning_policy"),
    path("planning/<int:queue_id>/forecast/", planning.planning_forecast, name="planning_forecast"),
    path("rosters/", rosters.roster_list, name="roster_list"),
    path("rosters/new/", rosters.roster_create, name="roster_create"),
    path("rosters/<int:roster_id>/", rosters.roster_detail, name="roster_detail"),
    path("rosters/<int:roster_id>/breaks/", rosters.roster_breaks, name="roster_breaks"),
    path("rosters/<int:roster_id>/publish/", rosters.roster_publish_view, name="roster_publish"),
    path("my-schedule/", rosters.my_schedule_view, name="my_schedule"),
    path("my-schedule/shifts/", rosters.my_shift_wishes, name="my_shift_wishes"),
    path("my-schedule/days-off/", rosters.my_day_off_wish, name="my_day_off_wish"),
    path(
        "my-schedule/days-off/<int:wish_id>/remove/",
        rosters.my_day_off_wish_remove,
        name="my_day_off_wish_remove",
    ),
    path("swaps/", swaps.swap_list, name="swap_list"),
    path("swaps/new/", swaps.swap_create, name="swap_create"),
    path("swaps/<id:swap_id>/<str:step>/", swaps.swap_step, name="swap_step"),
    path("shifts/", setup.shift_templates, name="shift_templates"),
    path("shifts/<id:template_id>/", setup.shift_template, name="shift_template"),
    path(
        "shifts/<id:template_id>/active/",
        setup.shift_template_active,
        name="shift_template_active",
    ),
    path("skills/", setup.skills, name="skills"),
    path("absences/", setup.absences, name="absences"),
    path("absences/<id:absence_id>/delete/", setup.absence_remove, name="absence_delete"),
    path("shift-limits/", shift_limits.shift_limits, name="shift_limits"),
    path(
        "shift-limits/<id:agent_id>/delete/",
        shift_limits.shift_limit_remove,
        name="shift_limit_delete",
    ),
    path("rotations/", setup.rotations, name="rotations"),
    path("rotations/new/", setup.rotation, name="rotation_new"),
    path("rotations/<id:rotation_id>/", setup.rotation, name="rotation"),
    path("rotations/<id:rotation_id>/delete/", setup.rotation_remove, name="rotation_delete"),
    path("care/", care.care, name="care"),
    path("attrition/", views.attrition, name="attrition"),
    path("attrition/leaver/", views.attrition_leaver, name="attrition_leaver"),
    path("attrition/leaver/cancel/", views.attrition_leaver_cancel, name="attrition_leaver_cancel"),
    path("attrition/import/", staff_import.attrition_import, name="attrition_import"),
    path("intraday/", intraday.intraday, name="intraday"),
]
