from django.urls import path

from lingting.interactions import views

app_name = "interactions"

urlpatterns = [
    path("", views.contact_list, name="contact_list"),
    path("<id:contact_id>/", views.contact_detail, name="contact_detail"),
    path("<id:contact_id>/recording/", views.contact_recording, name="contact_recording"),
]
