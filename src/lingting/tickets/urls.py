from django.urls import path

from lingting.tickets import views

app_name = "tickets"

urlpatterns = [
    path("", views.order_list, name="list"),
    path("new/", views.order_create, name="create"),
    path("<int:order_id>/", views.order_detail, name="detail"),
    path("<int:order_id>/<str:action>/", views.order_act, name="act"),
]
