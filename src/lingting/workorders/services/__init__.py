"""The work orders' writes, one module per part of the work: creating an order, the steps
of its loop (one door, `steps.workorder_step`) and the machinery under them, who is told,
deadlines and their warnings, escalation, setting up types and departments, the escalation
ladder, the API's idempotent create."""
