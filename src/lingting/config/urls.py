from django.urls import include, path

urlpatterns = [
    path("", include("lingting.core.urls")),
    path("contacts/", include("lingting.interactions.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
]
