"""The workforce domain in the HTTP API (/api/workforce/): planning (policies, forecasts,
requirement), the intraday day and attrition, each in its own module with its own router."""

from ninja import Router

from lingting.workforce.api import attrition, intraday, planning

router = Router(tags=["workforce"])
router.add_router("", planning.router)
router.add_router("", intraday.router)
router.add_router("", attrition.router)
