"""Spreadsheets of applications kept elsewhere (CSV, XLSX, a markdown table), read row by row.

People start followup with a search under way, kept in a sheet or another tracker
(LinkedIn's data export, Huntr, Teal, career-ops, a sheet of their own). This package
reads such a file as a stream (:mod:`.files`), recognises its columns by their headers
(:mod:`.columns`), and turns each row into the values followup records (:mod:`.values`,
:mod:`.rows`), naming the row and the column of the first thing it cannot read. Nothing
here writes: :mod:`followup.services.sheets` does, in one transaction.

:mod:`.export` goes the other way: followup's records written out as such a sheet.
"""
