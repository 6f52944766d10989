"""The site's URLs with the script items' page, until the knowledge app's own URLs
include it."""

from django.urls import include, path

from lingting.config.urls import urlpatterns as site_urlpatterns
from lingting.knowledge import urls_scripts

urlpatterns = [
    *site_urlpatterns,
    path("knowledge/", include((urls_scripts.urlpatterns, "knowledge"))),
]
