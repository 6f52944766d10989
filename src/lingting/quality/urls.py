from django.urls import path

from lingting.quality.views import reviews, sampling, trust

app_name = "quality"

urlpatterns = [
    path("plans/", sampling.plan_list, name="plan_list"),
    path("plans/new/", sampling.plan_edit, name="plan_create"),
    path("plans/<int:plan_id>/", sampling.plan_detail, name="plan_detail"),
    path("plans/<int:plan_id>/edit/", sampling.plan_edit, name="plan_edit"),
    path("plans/<int:plan_id>/draw/", sampling.plan_draw, name="plan_draw"),
    path("sample-size/", sampling.sample_size, name="sample_size"),
    path("reviews/", reviews.review_queue, name="review_queue"),
    path("reviews/<int:assignment_id>/", reviews.review, name="review"),
    path("records/<int:evaluation_id>/", reviews.evaluation_detail, name="evaluation_detail"),
    path("trust/", trust.trust, name="trust"),
]
