"""Use cases in plain Python: the only way data changes. No Qt.

Every function takes a ``Session`` whose transaction the caller owns, validates its input
(pydantic models from ``app.schemas``), writes through ``app.sync.writer.ChangeWriter`` so
that rows and change-log entries land together, and returns plain data.
"""
