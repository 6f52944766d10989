from django.urls import path

from lingting.quality.views import (
    access,
    calibration,
    cases,
    contacts,
    disputes,
    judge,
    my_scores,
    reviews,
    sampling,
    trust,
)

app_name = "quality"

urlpatterns = [
    path("plans/", sampling.plan_list, name="plan_list"),
    path("plans/new/", sampling.plan_edit, name="plan_create"),
    path("plans/<id:plan_id>/", sampling.plan_detail, name="plan_detail"),
    path("plans/<id:plan_id>/edit/", sampling.plan_edit, name="plan_edit"),
    path("plans/<id:plan_id>/draw/", sampling.plan_draw, name="plan_draw"),
    path("sample-size/", sampling.sample_size, name="sample_size"),
    path("reviews/", reviews.review_queue, name="review_queue"),
    path("reviews/<id:assignment_id>/", reviews.review, name="review"),
    path("records/<id:evaluation_id>/", reviews.evaluation_detail, name="evaluation_detail"),
    path("records/<id:evaluation_id>/dispute/", disputes.dispute_create, name="dispute_create"),
    path(
        "records/<id:evaluation_id>/acknowledge/",
        my_scores.acknowledge,
        name="evaluation_acknowledge",
    ),
    path("my-scores/", my_scores.my_scores, name="my_scores"),
    path("disputes/", disputes.dispute_list, name="dispute_list"),
    path("disputes/<id:dispute_id>/", disputes.dispute_detail, name="dispute_detail"),
    path("disputes/report/", disputes.report, name="dispute_report"),
    path("trust/", trust.trust, name="trust"),
    path("trust/<str:item>/calls/", trust.trust_calls_page, name="trust_calls"),
    path("access/", access.access, name="access"),
    path("judge/", judge.judge_settings_page, name="judge_settings"),
    path("calibration/", calibration.session_list, name="calibration_list"),
    path("calibration/new/", calibration.session_create, name="calibration_create"),
    path("calibration/<id:session_id>/", calibration.session_detail, name="calibration_detail"),
    path(
        "calibration/<id:session_id>/contacts/<id:contact_id>/agree/",
        calibration.session_agree,
        name="calibration_agree",
    ),
    path("calibration/<id:session_id>/close/", calibration.session_close, name="calibration_close"),
    path(
        "calibration/<id:session_id>/examples.yaml",
        calibration.session_examples,
        name="calibration_examples",
    ),
    path("cases/", cases.case_list, name="case_list"),
    path("cases/new/", cases.case_edit, name="case_create"),
    path("cases/<id:case_id>/", cases.case_detail, name="case_detail"),
    path("cases/<id:case_id>/edit/", cases.case_edit, name="case_edit"),
]

# Under /contacts/, in the "interactions" namespace the contact pages always had (see the
# project's URLs).
contact_urlpatterns = [
    path("", contacts.contact_list, name="contact_list"),
    path("<id:contact_id>/", contacts.contact_detail, name="contact_detail"),
]
