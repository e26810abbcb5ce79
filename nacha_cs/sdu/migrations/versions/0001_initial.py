"""The ledger's first schema: registers, files, payments, suspense, returns, staff actions.

Revision ID: 0001
Revises: (none)
Create Date: 2026-12-03 00:39:52.220569
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "agents",
        sa.Column(
            "agent_id", sa.String(length=10), nullable=False, comment="EIN the agent sends under"
        ),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.PrimaryKeyConstraint("agent_id", name=op.f("pk_agents")),
        comment="Payroll agents that send for employers.",
    )
    op.create_table(
        "employers",
        sa.Column("ein", sa.String(length=9), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("employee_count", sa.Integer(), nullable=True),
        sa.Column("federal_tax_eft", sa.Boolean(), nullable=False),
        sa.Column("state", sa.String(length=2), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("ein", name=op.f("pk_employers")),
        comment="The employers register (employers import).",
    )
    op.create_table(
        "files",
        sa.Column(
            "id",
            sa.Integer().with_variant(sa.BigInteger(), "postgresql"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("path", sa.Text(), nullable=False),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.Column("ingested_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("immediate_destination", sa.String(length=10), nullable=True),
        sa.Column("immediate_origin", sa.String(length=10), nullable=True),
        sa.Column("creation_date", sa.Date(), nullable=True),
        sa.Column("creation_time", sa.String(length=4), nullable=True),
        sa.Column("file_id_modifier", sa.String(length=1), nullable=True),
        sa.Column("batches", sa.Integer(), nullable=False),
        sa.Column("entries", sa.Integer(), nullable=False),
        sa.Column("addenda", sa.Integer(), nullable=False),
        sa.Column("total_debit", sa.BigInteger(), nullable=False),
        sa.Column("total_credit", sa.BigInteger(), nullable=False),
        sa.Column("errors", sa.Integer(), nullable=False),
        sa.Column("warnings", sa.Integer(), nullable=False),
        sa.Column("payments", sa.Integer(), nullable=False),
        sa.Column("returns", sa.Integer(), nullable=False),
        sa.Column(
            "same_as_file_id",
            sa.Integer().with_variant(sa.BigInteger(), "postgresql"),
            nullable=True,
            comment="an earlier file with the same logical keys",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_files")),
        sa.UniqueConstraint("sha256", name=op.f("uq_files_sha256")),
        comment="One row per ingested ACH file; the same bytes twice are refused (sha256).",
    )
    with op.batch_alter_table("files", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_files_immediate_origin_creation_date_creation_time_file_id_modifier"),
            ["immediate_origin", "creation_date", "creation_time", "file_id_modifier"],
            unique=False,
        )

    op.create_table(
        "ledger_meta",
        sa.Column("key", sa.String(length=40), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_ledger_meta")),
        comment="Facts about the ledger itself: the fingerprint of the SSN key it was filled with.",
    )
    op.create_table(
        "orders",
        sa.Column(
            "id",
            sa.Integer().with_variant(sa.BigInteger(), "postgresql"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("case_id", sa.String(length=20), nullable=False),
        sa.Column("employer_ein", sa.String(length=9), nullable=False),
        sa.Column("ncp_name", sa.String(length=120), nullable=True),
        sa.Column("ncp_ssn_hash", sa.String(length=64), nullable=True),
        sa.Column("ncp_ssn_last4", sa.String(length=4), nullable=True),
        sa.Column(
            "action", sa.String(length=3), nullable=False, comment="e-IWO: ORG, AMD, TRM, LUM"
        ),
        sa.Column("current_support", sa.BigInteger(), nullable=False),
        sa.Column("past_due_support", sa.BigInteger(), nullable=False),
        sa.Column("cash_medical", sa.BigInteger(), nullable=False),
        sa.Column("spousal_support", sa.BigInteger(), nullable=False),
        sa.Column("other_amount", sa.BigInteger(), nullable=False),
        sa.Column("lump_sum", sa.BigInteger(), nullable=False),
        sa.Column(
            "frequency", sa.String(length=2), nullable=False, comment="W, B, S, M (week ... month)"
        ),
        sa.Column("arrears_over_12_weeks", sa.Boolean(), nullable=False),
        sa.Column("order_date", sa.Date(), nullable=True),
        sa.Column("iwo_sent_date", sa.Date(), nullable=True),
        sa.Column("ack_date", sa.Date(), nullable=True),
        sa.Column(
            "ack_status", sa.String(length=1), nullable=True, comment="A accepted, R rejected"
        ),
        sa.Column(
            "ack_reason", sa.String(length=1), nullable=True, comment="B S W D M N U X Z (SDU.md)"
        ),
        sa.Column(
            "status", sa.String(length=12), nullable=False, comment="active, terminated, rejected"
        ),
        sa.Column("terminated_date", sa.Date(), nullable=True),
        sa.Column(
            "terminated_received",
            sa.Date(),
            nullable=True,
            comment="when a DED09=Y termination reached us",
        ),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_orders")),
        sa.UniqueConstraint("case_id", "employer_ein", name=op.f("uq_orders_case_id_employer_ein")),
        comment="Income withholding orders (orders import); one per case and employer.",
    )
    with op.batch_alter_table("orders", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_orders_employer_ein"), ["employer_ein"], unique=False)

    op.create_table(
        "staff_actions",
        sa.Column(
            "id",
            sa.Integer().with_variant(sa.BigInteger(), "postgresql"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("case_id", sa.String(length=20), nullable=True),
        sa.Column("employer_ein", sa.String(length=9), nullable=True),
        sa.Column(
            "kind",
            sa.String(length=20),
            nullable=False,
            comment="contact, ECL1, ECL2, amended_iwo...",
        ),
        sa.Column("action_date", sa.Date(), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("by", sa.String(length=80), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_staff_actions")),
        comment="What staff did about a case or an employer (compliance follow-up).",
    )
    with op.batch_alter_table("staff_actions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_staff_actions_case_id"), ["case_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_staff_actions_employer_ein"), ["employer_ein"], unique=False
        )

    op.create_table(
        "batches",
        sa.Column(
            "id",
            sa.Integer().with_variant(sa.BigInteger(), "postgresql"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column(
            "file_id", sa.Integer().with_variant(sa.BigInteger(), "postgresql"), nullable=False
        ),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("line", sa.Integer(), nullable=False),
        sa.Column("sec", sa.String(length=3), nullable=False),
        sa.Column("company_name", sa.String(length=16), nullable=False),
        sa.Column("company_id", sa.String(length=10), nullable=False),
        sa.Column(
            "company_ein",
            sa.String(length=10),
            nullable=False,
            comment="company id without its prefix",
        ),
        sa.Column("entry_description", sa.String(length=10), nullable=True),
        sa.Column("effective_date", sa.Date(), nullable=True),
        sa.Column("entries", sa.Integer(), nullable=False),
        sa.Column("total_credit", sa.BigInteger(), nullable=False),
        sa.Column("total_debit", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(["file_id"], ["files.id"], name=op.f("fk_batches_file_id_files")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_batches")),
        sa.UniqueConstraint("file_id", "position", name=op.f("uq_batches_file_id_position")),
    )
    with op.batch_alter_table("batches", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_batches_file_id"), ["file_id"], unique=False)

    op.create_table(
        "employer_agents",
        sa.Column(
            "id",
            sa.Integer().with_variant(sa.BigInteger(), "postgresql"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("employer_ein", sa.String(length=9), nullable=False),
        sa.Column("agent_id", sa.String(length=10), nullable=False),
        sa.Column("linked_on", sa.Date(), nullable=False),
        sa.Column("removed_on", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(
            ["agent_id"], ["agents.agent_id"], name=op.f("fk_employer_agents_agent_id_agents")
        ),
        sa.ForeignKeyConstraint(
            ["employer_ein"],
            ["employers.ein"],
            name=op.f("fk_employer_agents_employer_ein_employers"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_employer_agents")),
        comment="An agent may send for an employer from linked_on until removed_on (seed 001).",
    )
    with op.batch_alter_table("employer_agents", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_employer_agents_employer_ein_agent_id"),
            ["employer_ein", "agent_id"],
            unique=False,
        )

    op.create_table(
        "entries",
        sa.Column(
            "file_id", sa.Integer().with_variant(sa.BigInteger(), "postgresql"), nullable=False
        ),
        sa.Column("line", sa.Integer(), nullable=False),
        sa.Column(
            "batch", sa.Integer(), nullable=False, comment="the batch's position in its file"
        ),
        sa.Column("transaction_code", sa.String(length=2), nullable=False),
        sa.Column("amount", sa.BigInteger(), nullable=False),
        sa.Column("trace", sa.String(length=15), nullable=False),
        sa.Column("identification", sa.String(length=15), nullable=True),
        sa.Column("name", sa.String(length=22), nullable=True),
        sa.Column("addenda", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["file_id"], ["files.id"], name=op.f("fk_entries_file_id_files")),
        sa.PrimaryKeyConstraint("file_id", "line", name=op.f("pk_entries")),
        sqlite_with_rowid=False,
    )
    op.create_table(
        "findings",
        sa.Column(
            "id",
            sa.Integer().with_variant(sa.BigInteger(), "postgresql"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column(
            "file_id", sa.Integer().with_variant(sa.BigInteger(), "postgresql"), nullable=False
        ),
        sa.Column("code", sa.String(length=10), nullable=False),
        sa.Column("severity", sa.String(length=7), nullable=False),
        sa.Column("line", sa.Integer(), nullable=True),
        sa.Column("column", sa.Integer(), nullable=True),
        sa.Column("field", sa.String(length=60), nullable=True),
        sa.Column("message", sa.Text(), nullable=False, comment="SSNs masked"),
        sa.ForeignKeyConstraint(["file_id"], ["files.id"], name=op.f("fk_findings_file_id_files")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_findings")),
    )
    with op.batch_alter_table("findings", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_findings_file_id"), ["file_id"], unique=False)

    op.create_table(
        "payments",
        sa.Column(
            "id",
            sa.Integer().with_variant(sa.BigInteger(), "postgresql"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column(
            "file_id", sa.Integer().with_variant(sa.BigInteger(), "postgresql"), nullable=False
        ),
        sa.Column(
            "seq", sa.Integer(), nullable=False, comment="payment number in its file, from 1"
        ),
        sa.Column(
            "batch", sa.Integer(), nullable=False, comment="the batch's position in its file"
        ),
        sa.Column("entry_line", sa.Integer(), nullable=False),
        sa.Column("trace", sa.String(length=15), nullable=False),
        sa.Column(
            "case_id",
            sa.String(length=20),
            nullable=True,
            comment="as the DED reads (None: no readable DED)",
        ),
        sa.Column("pay_date", sa.Date(), nullable=True),
        sa.Column("amount", sa.BigInteger(), nullable=False),
        sa.Column("ssn_hash", sa.String(length=64), nullable=True),
        sa.Column("ssn_last4", sa.String(length=4), nullable=True),
        sa.Column("name", sa.String(length=10), nullable=True),
        sa.Column("fips", sa.String(length=7), nullable=True),
        sa.Column("medical", sa.String(length=1), nullable=True),
        sa.Column("terminated", sa.Boolean(), nullable=False),
        sa.Column(
            "sender_id", sa.String(length=10), nullable=False, comment="the batch's company id"
        ),
        sa.Column(
            "employer_ein",
            sa.String(length=10),
            nullable=False,
            comment="the employer it is paid for",
        ),
        sa.Column(
            "received_date", sa.Date(), nullable=False, comment="file creation date, else ingest"
        ),
        sa.Column(
            "status", sa.String(length=10), nullable=False, comment="posted, suspense, returned"
        ),
        sa.Column(
            "posted_case", sa.String(length=20), nullable=True, comment="the case it is posted to"
        ),
        sa.Column("suspense_reason", sa.String(length=20), nullable=True),
        sa.ForeignKeyConstraint(["file_id"], ["files.id"], name=op.f("fk_payments_file_id_files")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_payments")),
        sa.UniqueConstraint("file_id", "seq", name=op.f("uq_payments_file_id_seq")),
        comment="One row per DED (or per credit entry without one): money received.",
    )
    with op.batch_alter_table("payments", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_payments_case_id_pay_date_amount_employer_ein"),
            ["case_id", "pay_date", "amount", "employer_ein"],
            unique=False,
        )
        batch_op.create_index(
            batch_op.f("ix_payments_employer_ein_pay_date"),
            ["employer_ein", "pay_date"],
            unique=False,
        )
        batch_op.create_index(batch_op.f("ix_payments_trace"), ["trace"], unique=False)

    op.create_table(
        "returns",
        sa.Column(
            "id",
            sa.Integer().with_variant(sa.BigInteger(), "postgresql"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column(
            "file_id", sa.Integer().with_variant(sa.BigInteger(), "postgresql"), nullable=False
        ),
        sa.Column("entry_line", sa.Integer(), nullable=False),
        sa.Column(
            "kind", sa.String(length=6), nullable=False, comment="return (addenda 99) or noc (98)"
        ),
        sa.Column("code", sa.String(length=3), nullable=False, comment="R01... or C01..."),
        sa.Column("original_trace", sa.String(length=15), nullable=False),
        sa.Column("amount", sa.BigInteger(), nullable=False),
        sa.Column("corrected_data", sa.String(length=29), nullable=True),
        sa.Column(
            "payment_id",
            sa.Integer().with_variant(sa.BigInteger(), "postgresql"),
            nullable=True,
            comment="the payment it returns",
        ),
        sa.Column(
            "employer_ein", sa.String(length=10), nullable=True, comment="of the linked payment"
        ),
        sa.Column("dishonored", sa.Boolean(), nullable=False),
        sa.Column("received_date", sa.Date(), nullable=False),
        sa.ForeignKeyConstraint(["file_id"], ["files.id"], name=op.f("fk_returns_file_id_files")),
        sa.ForeignKeyConstraint(
            ["payment_id"], ["payments.id"], name=op.f("fk_returns_payment_id_payments")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_returns")),
        comment="Returns and notifications of change, linked to the original payment by trace.",
    )
    with op.batch_alter_table("returns", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_returns_employer_ein"), ["employer_ein"], unique=False)
        batch_op.create_index(batch_op.f("ix_returns_file_id"), ["file_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_returns_original_trace"), ["original_trace"], unique=False
        )

    op.create_table(
        "reviews",
        sa.Column(
            "id",
            sa.Integer().with_variant(sa.BigInteger(), "postgresql"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column(
            "payment_id", sa.Integer().with_variant(sa.BigInteger(), "postgresql"), nullable=False
        ),
        sa.Column(
            "other_payment_id",
            sa.Integer().with_variant(sa.BigInteger(), "postgresql"),
            nullable=False,
        ),
        sa.Column("reason", sa.String(length=20), nullable=False, comment="duplicate_payment"),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("resolved_by", sa.String(length=80), nullable=True),
        sa.Column("resolved_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["other_payment_id"], ["payments.id"], name=op.f("fk_reviews_other_payment_id_payments")
        ),
        sa.ForeignKeyConstraint(
            ["payment_id"], ["payments.id"], name=op.f("fk_reviews_payment_id_payments")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reviews")),
        comment="Payments flagged for a person to look at, never silently doubled.",
    )
    with op.batch_alter_table("reviews", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_reviews_payment_id"), ["payment_id"], unique=False)

    op.create_table(
        "suspense",
        sa.Column(
            "id",
            sa.Integer().with_variant(sa.BigInteger(), "postgresql"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column(
            "payment_id", sa.Integer().with_variant(sa.BigInteger(), "postgresql"), nullable=False
        ),
        sa.Column("reason", sa.String(length=20), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("resolved_case", sa.String(length=20), nullable=True),
        sa.Column("resolved_by", sa.String(length=80), nullable=True),
        sa.Column("resolved_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["payment_id"], ["payments.id"], name=op.f("fk_suspense_payment_id_payments")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_suspense")),
        sa.UniqueConstraint("payment_id", name=op.f("uq_suspense_payment_id")),
        comment="Payments that could not be posted, until staff name their case.",
    )


def downgrade() -> None:
    op.drop_table("suspense")
    with op.batch_alter_table("reviews", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_reviews_payment_id"))

    op.drop_table("reviews")
    with op.batch_alter_table("returns", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_returns_original_trace"))
        batch_op.drop_index(batch_op.f("ix_returns_file_id"))
        batch_op.drop_index(batch_op.f("ix_returns_employer_ein"))

    op.drop_table("returns")
    with op.batch_alter_table("payments", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_payments_trace"))
        batch_op.drop_index(batch_op.f("ix_payments_employer_ein_pay_date"))
        batch_op.drop_index(batch_op.f("ix_payments_case_id_pay_date_amount_employer_ein"))

    op.drop_table("payments")
    with op.batch_alter_table("findings", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_findings_file_id"))

    op.drop_table("findings")
    op.drop_table("entries")
    with op.batch_alter_table("employer_agents", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_employer_agents_employer_ein_agent_id"))

    op.drop_table("employer_agents")
    with op.batch_alter_table("batches", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_batches_file_id"))

    op.drop_table("batches")
    with op.batch_alter_table("staff_actions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_staff_actions_employer_ein"))
        batch_op.drop_index(batch_op.f("ix_staff_actions_case_id"))

    op.drop_table("staff_actions")
    with op.batch_alter_table("orders", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_orders_employer_ein"))

    op.drop_table("orders")
    op.drop_table("ledger_meta")
    with op.batch_alter_table("files", schema=None) as batch_op:
        batch_op.drop_index(
            batch_op.f("ix_files_immediate_origin_creation_date_creation_time_file_id_modifier")
        )

    op.drop_table("files")
    op.drop_table("employers")
    op.drop_table("agents")
