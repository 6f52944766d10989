"""The quality app's reads: scoring, sampling, reviews (one module each)."""

from lingting.quality.selectors.scoring import engine_contacts_for

__all__ = ["engine_contacts_for"]
