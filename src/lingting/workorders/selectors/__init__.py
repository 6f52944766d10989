"""The work orders' reads, one module per part of the work: the orders and their pages,
deadlines, the department dashboard, the change feed, what a call prefills, the escalation
ladder, the report, the webhook body of a step."""
