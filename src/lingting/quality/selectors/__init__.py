"""The quality app's reads, one module per part of the work (sampling, reviews, disputes,
calibration, cases, trust, the analysts' access, scores of record, scorecards)."""
