from django.urls import path

from lingting.quality import views

app_name = "quality"

urlpatterns = [
    path("plans/", views.plan_list, name="plan_list"),
    path("plans/new/", views.plan_edit, name="plan_create"),
    path("plans/<int:plan_id>/", views.plan_detail, name="plan_detail"),
    path("plans/<int:plan_id>/edit/", views.plan_edit, name="plan_edit"),
    path("plans/<int:plan_id>/draw/", views.plan_draw, name="plan_draw"),
    path("sample-size/", views.sample_size, name="sample_size"),
    path("reviews/", views.review_queue, name="review_queue"),
    path("reviews/<int:assignment_id>/", views.review, name="review"),
    path("records/<int:evaluation_id>/", views.evaluation_detail, name="evaluation_detail"),
]
