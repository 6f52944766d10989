from django.urls import path

from lingting.campaigns import views

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
]
