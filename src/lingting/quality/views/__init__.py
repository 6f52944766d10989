"""QA pages, one module per part of the QA work. Views parse the request, check the
role, call one service or selector, and render."""
