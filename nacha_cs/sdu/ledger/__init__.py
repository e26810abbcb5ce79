"""The SDU intake ledger: ACH files, their payments, the registers they post against.

The API other parts of nacha-cs (and the web page, the compliance report) build on; the
modules behind these names may be split or renamed, these names stay::

    engine = connect(url)                      # LedgerError when it is not a ledger
    result = ingest_file(engine, path, load_settings())
    rows = payments_query(engine, case_id="ZC146")   # plain dicts
"""

from nacha_cs.sdu.ledger.db import DEFAULT_URL, LedgerError, connect, database_url, upgrade
from nacha_cs.sdu.ledger.ingest import IngestResult, file_sha256, ingest_file
from nacha_cs.sdu.ledger.settings import LedgerSettings, MissingKey, load_settings

__all__ = [
    "DEFAULT_URL",
    "IngestResult",
    "LedgerError",
    "LedgerSettings",
    "MissingKey",
    "connect",
    "database_url",
    "file_sha256",
    "ingest_file",
    "load_settings",
    "upgrade",
]
