"""Work orders in the HTTP API (/api/tickets/): the orders and their steps, and the change
feed for systems that poll. The feed's fixed path is mounted before the orders' own
(``/{number}``), which would otherwise take it for an order number."""

from ninja import Router

from lingting.workorders.api import changes, orders

router = Router(tags=["tickets"])
router.add_router("", changes.router)
router.add_router("", orders.router)
