"""Writes of the surveys app: results imported, invitations decided and sent, replies."""
