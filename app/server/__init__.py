"""The central server (市总工会): an ASGI app over the same models and the same merge.

It keeps no state between requests — everything is in the database — so several workers or
hosts can serve one PostgreSQL. The embedded default is an (encrypted) SQLite file.
"""
