from django.urls import URLPattern, path

from lingting.calendars import views

app_name = "calendars"

urlpatterns: list[URLPattern] = [
    path("", views.year, name="year"),
    path("<year:year>/complete/", views.year_complete, name="year_complete"),
]
