from django.urls import path

from lingting.campaigns import views, views_panels

app_name = "campaigns"

urlpatterns = [
    path("", views.campaigns, name="list"),
    path("new/", views.campaign_edit, name="new"),
    path("<int:campaign_id>/", views.campaign_detail, name="detail"),
    path("<int:campaign_id>/edit/", views.campaign_edit, name="edit"),
    path("<int:campaign_id>/status/", views.campaign_status, name="status"),
    path("segments/", views.segments, name="segments"),
    path("segments/new/", views.segment_edit, name="segment_new"),
    path("segments/<int:segment_id>/", views.segment_edit, name="segment_edit"),
    path("segments/count/", views.segment_count_json, name="segment_count"),
    path("customers/", views.customers, name="customers"),
    path("do-not-call/", views.do_not_call, name="do_not_call"),
    path("today/", views.today, name="today"),
    path("calls/<int:target_id>/", views.call, name="call"),
    path("panels/", views_panels.panels, name="panels"),
    path("panels/new/", views_panels.panel_edit, name="panel_new"),
    path("panels/<int:panel_id>/", views_panels.panel_detail, name="panel"),
    path("panels/<int:panel_id>/edit/", views_panels.panel_edit, name="panel_edit"),
    path("panels/<int:panel_id>/recruit/", views_panels.recruit, name="panel_recruit"),
    path("panels/<int:panel_id>/waves/", views_panels.schedule, name="panel_schedule"),
    path("panels/waves/<int:wave_id>/", views_panels.wave_calls, name="panel_wave"),
    path(
        "panels/waves/<int:wave_id>/members/<int:member_id>/",
        views_panels.call,
        name="panel_call",
    ),
    path("panels/members/<int:member_id>/leave/", views_panels.leave, name="panel_leave"),
]
