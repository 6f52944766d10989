from django.urls import path

from lingting.surveys import views

app_name = "surveys"

urlpatterns = [
    path("", views.csat, name="csat"),
]
