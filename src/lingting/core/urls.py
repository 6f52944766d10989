from django.contrib.auth import views as auth_views
from django.urls import path

from lingting.core import health, views

app_name = "core"

urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    # Django's LogoutView answers POST only: a link or an image cannot sign anyone out.
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("notifications/", views.notification_list, name="notification_list"),
    path("notifications/read/", views.notifications_read, name="notifications_read"),
    path("healthz", health.healthz, name="healthz"),
]
