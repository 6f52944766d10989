"""The site's URLs with the script items' page first, until the knowledge app's own URLs
include it (ahead of their `a/<code>/<action>/`, which would take the address)."""

from django.urls import include, path

from lingting.config.urls import urlpatterns as site_urlpatterns
from lingting.knowledge import urls_scripts

urlpatterns = [
    path("knowledge/", include((urls_scripts.urlpatterns, "knowledge_scripts"))),
    *site_urlpatterns,
]
