"""The report archive's writes: `generation` (a period's report, made and kept; a queued one
made in the task worker) and `on_demand` (a QA supervisor's 生成, queued when the tallies
have much to count)."""
