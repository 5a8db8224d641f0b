"""Write the expected schema (``tests/integration/expected_schema.sql``) from the migrations.

Run after adding a migration: ``.venv/bin/python -m tests.update_schema``. The test
``test_a_new_database_has_exactly_the_expected_schema`` compares a migrated database
with this file, and every earlier schema must migrate to it too.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from followup.adapters.sqlite.database import connect
from tests.integration.test_database_files import SCHEMA_FILE, schema

if __name__ == "__main__":
    with tempfile.TemporaryDirectory() as folder:
        conn, _ = connect(str(Path(folder) / "schema.db"))
        SCHEMA_FILE.write_text(schema(conn))
        conn.close()
    print(f"wrote {SCHEMA_FILE}")
