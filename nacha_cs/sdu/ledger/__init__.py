"""The SDU intake ledger: ACH files, their payments, the registers they post against.

The API other parts of nacha-cs (and the web page, the compliance report) build on; the
modules behind these names may be split or renamed, these names stay::

    engine = connect(url)                      # LedgerError when it is not a ledger
    result = ingest_file(engine, path, load_settings())
    rows = payments_query(engine, case_id="ZC146")   # plain dicts

Tables (for the compliance report and the web page) are in :mod:`nacha_cs.sdu.ledger.schema`.
"""

from nacha_cs.sdu.ledger.db import DEFAULT_URL, LedgerError, connect, database_url, upgrade
from nacha_cs.sdu.ledger.ingest import IngestResult, file_sha256, ingest_file
from nacha_cs.sdu.ledger.queries import iter_payments, list_files, payments_query
from nacha_cs.sdu.ledger.registers import ImportResult, import_employers, import_orders, iter_orders
from nacha_cs.sdu.ledger.settings import LedgerSettings, MissingKey, load_settings
from nacha_cs.sdu.ledger.statement import Statement, employer_statement
from nacha_cs.sdu.ledger.suspense import ResolveError, list_suspense, resolve

__all__ = [
    "DEFAULT_URL",
    "ImportResult",
    "IngestResult",
    "LedgerError",
    "LedgerSettings",
    "MissingKey",
    "ResolveError",
    "Statement",
    "connect",
    "database_url",
    "employer_statement",
    "file_sha256",
    "import_employers",
    "import_orders",
    "ingest_file",
    "iter_orders",
    "iter_payments",
    "list_files",
    "list_suspense",
    "load_settings",
    "payments_query",
    "resolve",
    "upgrade",
]
