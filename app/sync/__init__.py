"""Sync: hybrid clock, change log, the merge, and the transports that carry changes (no Qt)."""
