"""The pure-Python core: contacts, scorecards and rules, meaning, statistics, staffing.

No Django here, so the CLI, the web app and workers run the same code. The scoring path may
run compiled (see `accel`): decided here, before any of its modules is imported.
"""

from lingting.engine import accel

accel.install()
