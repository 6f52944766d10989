"""The QA workflow in the HTTP API: sampling plans and draws, the review queue and the
monitoring records, disputes, calibration sessions, the case library and trust in the
machine.

Every endpoint calls the same services and selectors as the pages, with the same role
checks; a refused request answers 403, a record the user may not see 404, and input the
service rejects 422 with its messages.
"""

from ninja import Router

from lingting.quality.api import calibration, cases, disputes, reviews, sampling, trust

router = Router(tags=["quality"])
router.add_router("", sampling.router)
router.add_router("", reviews.router)
router.add_router("", disputes.router)
router.add_router("", calibration.router)
router.add_router("", cases.router)
router.add_router("", trust.router)
