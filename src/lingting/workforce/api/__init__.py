"""The workforce domain in the HTTP API (/api/workforce/): planning (policies, forecasts,
requirement), the intraday day, attrition and the roster setup (shift templates, skills,
leave), each in its own module with its own router."""

from ninja import Router

from lingting.workforce.api import attrition, intraday, planning, setup, shift_limits, swaps

router = Router(tags=["workforce"])
router.add_router("", planning.router)
router.add_router("", intraday.router)
router.add_router("", attrition.router)
router.add_router("", setup.router)
router.add_router("", swaps.router)
router.add_router("", shift_limits.router)
