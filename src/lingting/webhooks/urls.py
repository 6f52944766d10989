from django.urls import path

from lingting.webhooks import views

app_name = "webhooks"

urlpatterns = [
    path("", views.endpoint_list, name="list"),
    path("new/", views.endpoint_create, name="create"),
    path("<id:endpoint_id>/", views.endpoint_detail, name="detail"),
    path("<id:endpoint_id>/edit/", views.endpoint_edit, name="edit"),
    path("<id:endpoint_id>/ping/", views.endpoint_ping, name="ping"),
    path("<id:endpoint_id>/rotate/", views.endpoint_rotate, name="rotate"),
    path("deliveries/<id:delivery_id>/redeliver/", views.delivery_redeliver, name="redeliver"),
]
