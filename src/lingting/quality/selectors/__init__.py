"""The quality app's reads, one module per part of the work (sampling, reviews, disputes,
calibration, cases, trust, scores of record, scorecards)."""
