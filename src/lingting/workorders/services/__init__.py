"""The work orders' writes, one module per part of the work: creating an order, the steps
of its loop and the machinery under them, who is told, deadline warnings, escalation,
setting up types and departments, the escalation ladder."""
