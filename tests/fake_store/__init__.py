"""The in-memory repository of the fakes, one part per concept of the port (as the SQLite
store is split); ``tests/fakes.py`` wraps it in the fake store."""
