"""The PostgreSQL store of ``followup server`` (issue 15): many seekers in one database.

Imported only by the server's commands, through :mod:`followup.bootstrap` and inside
functions: the local commands never load ``psycopg`` (it and libpq cost tens of
milliseconds at start-up that ``followup today`` cannot spare).
"""
