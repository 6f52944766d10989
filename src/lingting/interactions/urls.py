"""The recording of a contact; the project's URLs put it in the "interactions" namespace
beside the contact pages (`lingting.quality.urls.contact_urlpatterns`)."""

from django.urls import path

from lingting.interactions import views

urlpatterns = [
    path("<id:contact_id>/recording/", views.contact_recording, name="contact_recording"),
]
