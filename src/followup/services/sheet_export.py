"""``followup export FILE.csv`` / ``FILE.xlsx``: the records as a spreadsheet.

One read transaction, so the file is one moment's records; the applications stream
from the store into the file (:mod:`followup.formats.sheets.export`), in bounded memory.
"""

from __future__ import annotations

from followup.errors import InvalidInput
from followup.formats.sheets import export as sheets
from followup.services.session import Deps


def export(deps: Deps, path: str, form: str) -> sheets.Written:
    """Write ``path`` as ``form`` (``csv`` or ``xlsx``); ``InvalidInput`` if it cannot be."""
    write = sheets.write_xlsx if form == "xlsx" else sheets.write_csv
    with deps.store.reading() as repo:
        tz = repo.load_settings().tz
        try:
            return write(path, repo.applications(), tz)
        except OSError as e:
            raise InvalidInput(f"cannot write {path}: {e.strerror}", field="path") from None
