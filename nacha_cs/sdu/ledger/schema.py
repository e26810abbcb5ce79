"""The ledger's tables, as SQLAlchemy Core objects: one definition for SQLite and PostgreSQL.

The Alembic migrations under ``nacha_cs/sdu/migrations`` create exactly these tables; a change
here needs a new migration there (``tests/test_ledger_schema.py`` compares the two).

Money is in cents (BigInteger), dates are dates, instants are UTC timestamps. SSNs are never
stored: ``*_ssn_hash`` is HMAC-SHA256 under the SDU's key (hex) and ``*_ssn_last4`` the last
four digits, enough to show ``***-**-6789`` and to match a payment to its case.
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)

metadata = MetaData(
    naming_convention={
        "ix": "ix_%(table_name)s_%(column_0_N_name)s",
        "uq": "uq_%(table_name)s_%(column_0_N_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)

Id = Integer().with_variant(BigInteger(), "postgresql")
"""Row ids: 64-bit on PostgreSQL; on SQLite an INTEGER PRIMARY KEY is the (64-bit) rowid."""

ledger_meta = Table(
    "ledger_meta",
    metadata,
    Column("key", String(40), primary_key=True),
    Column("value", Text, nullable=False),
    comment="Facts about the ledger itself: the fingerprint of the SSN key it was filled with.",
)

employers = Table(
    "employers",
    metadata,
    Column("ein", String(9), primary_key=True),
    Column("name", String(120), nullable=False),
    Column("employee_count", Integer),
    Column("federal_tax_eft", Boolean, nullable=False, default=False),
    Column("state", String(2)),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    comment="The employers register (employers import).",
)

agents = Table(
    "agents",
    metadata,
    Column("agent_id", String(10), primary_key=True, comment="EIN the agent sends under"),
    Column("name", String(120), nullable=False),
    comment="Payroll agents that send for employers.",
)

employer_agents = Table(
    "employer_agents",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("employer_ein", String(9), ForeignKey("employers.ein"), nullable=False),
    Column("agent_id", String(10), ForeignKey("agents.agent_id"), nullable=False),
    Column("linked_on", Date, nullable=False),
    Column("removed_on", Date),
    Index(None, "employer_ein", "agent_id"),
    comment="An agent may send for an employer from linked_on until removed_on (seed 001).",
)

orders = Table(
    "orders",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("case_id", String(20), nullable=False),
    Column("employer_ein", String(9), nullable=False),
    Column("ncp_name", String(120)),
    Column("ncp_ssn_hash", String(64)),
    Column("ncp_ssn_last4", String(4)),
    Column("action", String(3), nullable=False, comment="e-IWO: ORG, AMD, TRM, LUM"),
    Column("current_support", BigInteger, nullable=False, default=0),
    Column("past_due_support", BigInteger, nullable=False, default=0),
    Column("cash_medical", BigInteger, nullable=False, default=0),
    Column("spousal_support", BigInteger, nullable=False, default=0),
    Column("other_amount", BigInteger, nullable=False, default=0),
    Column("lump_sum", BigInteger, nullable=False, default=0),
    Column("frequency", String(2), nullable=False, comment="W, B, S, M (week ... month)"),
    Column("arrears_over_12_weeks", Boolean, nullable=False, default=False),
    Column("order_date", Date),
    Column("iwo_sent_date", Date),
    Column("ack_date", Date),
    Column("ack_status", String(1), comment="A accepted, R rejected"),
    Column("ack_reason", String(1), comment="B S W D M N U X Z (SDU.md)"),
    Column("status", String(12), nullable=False, comment="active, terminated, rejected"),
    Column("terminated_date", Date),
    Column("terminated_received", Date, comment="when a DED09=Y termination reached us"),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    UniqueConstraint("case_id", "employer_ein"),
    Index(None, "employer_ein"),
    comment="Income withholding orders (orders import); one per case and employer.",
)

files = Table(
    "files",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("sha256", String(64), nullable=False, unique=True),
    Column("path", Text, nullable=False),
    Column("size", BigInteger, nullable=False),
    Column("ingested_at", DateTime(timezone=True), nullable=False),
    Column("immediate_destination", String(10)),
    Column("immediate_origin", String(10)),
    Column("creation_date", Date),
    Column("creation_time", String(4)),
    Column("file_id_modifier", String(1)),
    Column("batches", Integer, nullable=False, default=0),
    Column("entries", Integer, nullable=False, default=0),
    Column("addenda", Integer, nullable=False, default=0),
    Column("total_debit", BigInteger, nullable=False, default=0),
    Column("total_credit", BigInteger, nullable=False, default=0),
    Column("errors", Integer, nullable=False, default=0),
    Column("warnings", Integer, nullable=False, default=0),
    Column("payments", Integer, nullable=False, default=0),
    Column("returns", Integer, nullable=False, default=0),
    Column("same_as_file_id", Id, comment="an earlier file with the same logical keys"),
    Index(None, "immediate_origin", "creation_date", "creation_time", "file_id_modifier"),
    comment="One row per ingested ACH file; the same bytes twice are refused (sha256).",
)

findings = Table(
    "findings",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("file_id", Id, ForeignKey("files.id"), nullable=False, index=True),
    Column("code", String(10), nullable=False),
    Column("severity", String(7), nullable=False),
    Column("line", Integer),
    Column("column", Integer),
    Column("field", String(60)),
    Column("message", Text, nullable=False, comment="SSNs masked"),
)

batches = Table(
    "batches",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("file_id", Id, ForeignKey("files.id"), nullable=False, index=True),
    Column("position", Integer, nullable=False),
    Column("line", Integer, nullable=False),
    Column("sec", String(3), nullable=False),
    Column("company_name", String(16), nullable=False),
    Column("company_id", String(10), nullable=False),
    Column("company_ein", String(10), nullable=False, comment="company id without its prefix"),
    Column("entry_description", String(10)),
    Column("effective_date", Date),
    Column("entries", Integer, nullable=False, default=0),
    Column("total_credit", BigInteger, nullable=False, default=0),
    Column("total_debit", BigInteger, nullable=False, default=0),
    UniqueConstraint("file_id", "position"),
)

entries = Table(
    "entries",
    metadata,
    Column("file_id", Id, ForeignKey("files.id"), primary_key=True),
    Column("line", Integer, primary_key=True),
    Column("batch", Integer, nullable=False, comment="the batch's position in its file"),
    Column("transaction_code", String(2), nullable=False),
    Column("amount", BigInteger, nullable=False),
    Column("trace", String(15), nullable=False),
    Column("identification", String(15)),
    Column("name", String(22)),
    Column("addenda", Integer, nullable=False),
    sqlite_with_rowid=False,  # one B-tree keyed (file_id, line), not a rowid table and an index
)

payments = Table(
    "payments",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("file_id", Id, ForeignKey("files.id"), nullable=False),
    Column("seq", Integer, nullable=False, comment="payment number in its file, from 1"),
    Column("batch", Integer, nullable=False, comment="the batch's position in its file"),
    Column("entry_line", Integer, nullable=False),
    Column("trace", String(15), nullable=False, index=True),
    Column("case_id", String(20), comment="as the DED reads (None: no readable DED)"),
    Column("pay_date", Date),
    Column("amount", BigInteger, nullable=False),
    Column("ssn_hash", String(64)),
    Column("ssn_last4", String(4)),
    Column("name", String(10)),
    Column("fips", String(7)),
    Column("medical", String(1)),
    Column("terminated", Boolean, nullable=False, default=False),
    Column("sender_id", String(10), nullable=False, comment="the batch's company id"),
    Column("employer_ein", String(10), nullable=False, comment="the employer it is paid for"),
    Column("received_date", Date, nullable=False, comment="file creation date, else ingest"),
    Column("status", String(10), nullable=False, comment="posted, suspense, returned"),
    Column("posted_case", String(20), comment="the case it is posted to"),
    Column("suspense_reason", String(20)),
    UniqueConstraint("file_id", "seq"),
    Index(None, "case_id", "pay_date", "amount", "employer_ein"),  # duplicate payments
    Index(None, "employer_ein", "pay_date"),
    comment="One row per DED (or per credit entry without one): money received.",
)

suspense = Table(
    "suspense",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("payment_id", Id, ForeignKey("payments.id"), nullable=False, unique=True),
    Column("reason", String(20), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("resolved_case", String(20)),
    Column("resolved_by", String(80)),
    Column("resolved_at", DateTime(timezone=True)),
    Column("note", Text),
    comment="Payments that could not be posted, until staff name their case.",
)

reviews = Table(
    "reviews",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("payment_id", Id, ForeignKey("payments.id"), nullable=False, index=True),
    Column("other_payment_id", Id, ForeignKey("payments.id"), nullable=False),
    Column("reason", String(20), nullable=False, comment="duplicate_payment"),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("resolved_by", String(80)),
    Column("resolved_at", DateTime(timezone=True)),
    comment="Payments flagged for a person to look at, never silently doubled.",
)

returns = Table(
    "returns",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("file_id", Id, ForeignKey("files.id"), nullable=False, index=True),
    Column("entry_line", Integer, nullable=False),
    Column("kind", String(6), nullable=False, comment="return (addenda 99) or noc (98)"),
    Column("code", String(3), nullable=False, comment="R01... or C01..."),
    Column("original_trace", String(15), nullable=False, index=True),
    Column("amount", BigInteger, nullable=False),
    Column("corrected_data", String(29)),
    Column("payment_id", Id, ForeignKey("payments.id"), comment="the payment it returns"),
    Column("employer_ein", String(10), comment="of the linked payment"),
    Column("dishonored", Boolean, nullable=False, default=False),
    Column("received_date", Date, nullable=False),
    Index(None, "employer_ein"),
    comment="Returns and notifications of change, linked to the original payment by trace.",
)

staff_actions = Table(
    "staff_actions",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("case_id", String(20), index=True),
    Column("employer_ein", String(9), index=True),
    Column("kind", String(20), nullable=False, comment="contact, ECL1, ECL2, amended_iwo..."),
    Column("action_date", Date, nullable=False),
    Column("note", Text),
    Column("by", String(80), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    comment="What staff did about a case or an employer (compliance follow-up).",
)

__all__ = [
    "agents",
    "batches",
    "employer_agents",
    "employers",
    "entries",
    "files",
    "findings",
    "ledger_meta",
    "metadata",
    "orders",
    "payments",
    "returns",
    "reviews",
    "staff_actions",
    "suspense",
]
