"""Work-order pages, one module per part of the work. Views parse the request, check the
role, call one service or selector, and render."""
