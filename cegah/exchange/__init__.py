"""Data exchange: DHIS2-compatible imports and exports of data values.

Owns the readers that turn an upload (dataValueSets JSON, DHIS2 CSV, our XLSX template)
into ``ValueRow``s, the streamed exports (JSON, CSV, XLSX) of what a user may see, the
XLSX templates per data set, background imports (``ImportJob`` and its task) and the
``cegah import`` / ``cegah worker`` commands.

Every value it stores goes through ``cegah.indicators.services.write_values`` (validation,
scope, approval locks, change log); it never writes ``DataValue`` rows itself. Reads go
through ``cegah.core.scope``. It must not be imported by the indicators app (the spine
does not know about file formats).
"""
