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
    scorecards,
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
    path("scorecards/", scorecards.scorecard_list, name="scorecard_list"),
    path("scorecards/import/", scorecards.scorecard_import, name="scorecard_import"),
    path("scorecards/queues/<id:queue_id>/", scorecards.queue_scorecard, name="scorecard_queue"),
    path(
        "scorecards/versions/<id:version_id>/",
        scorecards.version_detail,
        name="scorecard_version",
    ),
    path(
        "scorecards/versions/<id:version_id>/export.yaml",
        scorecards.version_export,
        name="scorecard_export",
    ),
    path(
        "scorecards/versions/<id:version_id>/draft/",
        scorecards.version_draft,
        name="scorecard_draft",
    ),
    path(
        "scorecards/versions/<id:version_id>/discard/",
        scorecards.version_discard,
        name="scorecard_discard",
    ),
    path(
        "scorecards/versions/<id:version_id>/header/",
        scorecards.version_header,
        name="scorecard_header",
    ),
    path(
        "scorecards/versions/<id:version_id>/items/new/",
        scorecards.version_item_new,
        name="scorecard_item_new",
    ),
    path(
        "scorecards/versions/<id:version_id>/items/<slug:item_id>/",
        scorecards.version_item,
        name="scorecard_item",
    ),
    path(
        "scorecards/versions/<id:version_id>/items/<slug:item_id>/remove/",
        scorecards.version_item_remove,
        name="scorecard_item_remove",
    ),
    path(
        "scorecards/versions/<id:version_id>/examples/",
        scorecards.version_examples,
        name="scorecard_examples",
    ),
    path(
        "scorecards/versions/<id:version_id>/preview/",
        scorecards.version_preview,
        name="scorecard_preview",
    ),
    path(
        "scorecards/versions/<id:version_id>/submit/",
        scorecards.version_submit,
        name="scorecard_submit",
    ),
    path(
        "scorecards/versions/<id:version_id>/approve/",
        scorecards.version_approve,
        name="scorecard_approve",
    ),
    path(
        "scorecards/versions/<id:version_id>/reject/",
        scorecards.version_reject,
        name="scorecard_reject",
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
