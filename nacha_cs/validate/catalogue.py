"""Every rule a validated ACH file can break, in one explicit list.

Rules owned by validation are declared here; the record, reader and codec rules are declared
beside the code that finds them and gathered here from those modules, each named below, so
``nacha-cs rules`` lists what :data:`CATALOGUE` holds whatever else happens to be imported.
"""

from __future__ import annotations

from types import ModuleType

from nacha_cs.ach import reader, records, sniff
from nacha_cs.codecs import ded_rules, x12_rules
from nacha_cs.findings import Rule, rule

# --- the rules owned by the validator ---------------------------------------------------------

NON_ASCII = rule(
    "CHR001",
    "error",
    "A record holds a character outside ASCII",
    "ACH files are ASCII: replace accented letters and symbols such as ¦ with plain characters.",
)
CONTROL_CHARACTER = rule(
    "CHR002",
    "error",
    "A record holds a control character (tab, NUL, carriage return...)",
    "Only printable characters (space to ~) may appear inside a record.",
)
BAD_DESTINATION = rule(
    "FH001",
    "error",
    "The immediate destination is not a blank and a valid routing number",
    "Columns 4-13 hold a space then the 9-digit routing number of the receiving point.",
)
BAD_ORIGIN = rule(
    "FH002",
    "warning",
    "The immediate origin is neither a routing number nor a 10-character identifier",
    "Columns 14-23 hold a space and a 9-digit routing number, or an identifier your ODFI gave.",
)
BAD_CREATION_DATE = rule(
    "FH003",
    "error",
    "The file creation date is not a real YYMMDD date",
    "Write the date the file was made as YYMMDD.",
)
BAD_CREATION_TIME = rule(
    "FH004",
    "error",
    "The file creation time is not a real HHMM time",
    "Write the time as HHMM on a 24-hour clock, or leave it blank.",
)
BAD_FILE_ID_MODIFIER = rule(
    "FH005",
    "error",
    "The file ID modifier is not an uppercase letter A-Z or a digit 0-9",
    "Use A for the first file of the day, B for the second, and so on; ACH operators reject "
    "lowercase (NACHA Operating Rules, Appendix Three, File Header Record field 7).",
)
UNKNOWN_SERVICE_CLASS = rule(
    "BH001",
    "error",
    "The service class code is not 200, 220, 225 or 280",
    "Use 220 for credits only, 225 for debits only, 200 for mixed.",
)
UNKNOWN_SEC = rule(
    "BH002",
    "error",
    "The standard entry class code is not a NACHA SEC code",
    "Write one of the uppercase SEC codes of the NACHA Operating Rules (Appendix Three, Batch "
    "Header field 6); child-support payments travel as CCD (DED addenda) or CTX (820).",
)
UNCHECKED_SEC = rule(
    "BH008",
    "warning",
    "Entries of this standard entry class are checked for structure only",
    "nacha-cs checks CCD and CTX entries field by field; for other SEC codes it checks the "
    "record order, lengths, characters, codes, amounts, traces and controls, not the fields "
    "particular to that SEC. Check them with the tools of your ACH operator.",
)
BAD_EFFECTIVE_DATE = rule(
    "BH003",
    "warning",
    "The effective entry date is not a real YYMMDD date",
    "Write the banking day the entries should settle as YYMMDD; the ACH operator settles an "
    "invalid date on its next settlement day.",
)
EFFECTIVE_DATE_CLOSED = rule(
    "BH004",
    "warning",
    "The effective entry date falls on a weekend or Federal Reserve holiday",
    "Use a banking day; the ACH operator will settle on the next one.",
)
BAD_ORIGINATOR_STATUS = rule(
    "BH005",
    "error",
    "The originator status code is not 0, 1 or 2",
    "Use 1 when the ODFI is a depository financial institution.",
)
BATCH_NUMBER_ORDER = rule(
    "BH006",
    "error",
    "Batch numbers do not ascend through the file",
    "Number batches 1, 2, 3... in the order they appear.",
)
ZEROS_NAME = rule(
    "BH007",
    "error",
    "The company name or entry description is all zeros",
    "Give the originator's name and a description such as CHILD SUPP.",
)
UNKNOWN_TRANSACTION_CODE = rule(
    "ED001",
    "error",
    "The transaction code is not a known ACH code",
    "Use 22 (checking credit), 32 (savings credit), 23/33 prenote, 24/34 zero-dollar...",
)
CODE_NOT_IN_SERVICE_CLASS = rule(
    "ED002",
    "error",
    "The transaction code does not fit the batch's service class",
    "A 220 batch holds credits only and a 225 batch debits only; use 200 for mixed batches.",
)
BAD_CHECK_DIGIT = rule(
    "ED003",
    "error",
    "The RDFI routing number fails its check digit",
    "Columns 4-12 hold the receiving bank's 9-digit ABA number; check it with the SDU.",
)
ZERO_LIVE_AMOUNT = rule(
    "ED004",
    "error",
    "A live entry carries a zero amount",
    "Use a prenote (23/33) or zero-dollar code (24/34) for entries without money.",
)
AMOUNT_ON_ZERO_CODE = rule(
    "ED005",
    "error",
    "A prenote or zero-dollar entry carries an amount",
    "Prenotes and zero-dollar entries carry amount 0; use 22/32 to move money.",
)
TRACE_NOT_ODFI = rule(
    "ED006",
    "error",
    "The trace number does not start with the batch's ODFI",
    "Trace numbers are the ODFI's 8 digits followed by a 7-digit sequence.",
)
TRACE_ORDER = rule(
    "ED007",
    "error",
    "Trace numbers do not ascend within the batch",
    "Number entries in ascending trace order.",
)
TRACE_DUPLICATE = rule(
    "ED008",
    "warning",
    "A trace number of one batch appears again in another batch",
    "NACHA requires unique, ascending traces within a batch (ED007); across batches a repeat "
    "is allowed but makes returns and inquiries ambiguous: number entries through the file.",
)
ADDENDA_INDICATOR = rule(
    "ED009",
    "error",
    "The addenda record indicator disagrees with the addenda present",
    "Column 79 is 1 when addenda follow the entry and 0 when none do.",
)
CCD_TOO_MANY_ADDENDA = rule(
    "ED010",
    "error",
    "A CCD entry has more than one addenda",
    "A CCD+ entry carries exactly one addenda; use CTX for more remittance data.",
)
CTX_ADDENDA_COUNT = rule(
    "ED011",
    "error",
    "The CTX number of addenda records disagrees with the addenda present",
    "Columns 55-58 of a CTX entry count the addenda that follow it.",
)
CTX_TOO_MANY_ADDENDA = rule(
    "ED012",
    "error",
    "A CTX entry has more than 9,999 addenda",
    "Split the payments across more CTX entries.",
)
SAME_DAY_LIMIT = rule(
    "ED013",
    "error",
    "A Same Day ACH entry exceeds $1,000,000",
    "Same Day ACH entries are limited to $1,000,000 each; send larger amounts next-day.",
)
ADDENDA_SEQUENCE = rule(
    "AD001",
    "error",
    "The addenda sequence number is out of order",
    "Number the addenda of an entry 0001, 0002, ... in order.",
)
UNCHECKED_ADDENDA = rule(
    "AD003",
    "warning",
    "Addenda of this type are checked for structure only",
    "nacha-cs reads 05 addenda (DED, 820, free text); other types (02 terminal, 98 change "
    "notices, 99 returns, 10-18 IAT) are counted and kept in order, their fields not checked.",
)
ADDENDA_ENTRY_LINK = rule(
    "AD002",
    "error",
    "The addenda's entry detail sequence number does not match its entry's trace",
    "Columns 88-94 of an addenda repeat the last 7 digits of its entry's trace number.",
)
BATCH_COUNT_MISMATCH = rule(
    "BC001",
    "error",
    "The batch entry/addenda count disagrees with the records in the batch",
    "Count every entry and addenda record in the batch.",
)
BATCH_HASH_MISMATCH = rule(
    "BC002",
    "error",
    "The batch entry hash disagrees with the entries",
    "Sum the 8-digit RDFI identifications of the batch's entries and keep the last 10 digits.",
)
BATCH_DEBIT_MISMATCH = rule(
    "BC003",
    "error",
    "The batch total debit amount disagrees with the entries",
    "Sum the amounts of the batch's debit entries.",
)
BATCH_CREDIT_MISMATCH = rule(
    "BC004",
    "error",
    "The batch total credit amount disagrees with the entries",
    "Sum the amounts of the batch's credit entries.",
)
BATCH_FIELD_MISMATCH = rule(
    "BC005",
    "error",
    "The batch control disagrees with its batch header",
    "Service class, company identification, ODFI and batch number repeat the batch header's.",
)
FILE_BATCH_COUNT = rule(
    "FC001",
    "error",
    "The file control's batch count disagrees with the batches",
    "Count the batches in the file.",
)
FILE_BLOCK_COUNT = rule(
    "FC002",
    "error",
    "The file control's block count disagrees with the records",
    "Block count = all records including padding, divided by 10.",
)
FILE_COUNT_MISMATCH = rule(
    "FC003",
    "error",
    "The file entry/addenda count disagrees with the batch controls",
    "Sum the entry/addenda counts of the batch controls.",
)
FILE_HASH_MISMATCH = rule(
    "FC004",
    "error",
    "The file entry hash disagrees with the batch controls",
    "Sum the batch entry hashes and keep the last 10 digits.",
)
FILE_DEBIT_MISMATCH = rule(
    "FC005",
    "error",
    "The file total debit amount disagrees with the batch controls",
    "Sum the batch total debit amounts.",
)
FILE_CREDIT_MISMATCH = rule(
    "FC006",
    "error",
    "The file total credit amount disagrees with the batch controls",
    "Sum the batch total credit amounts.",
)
NOT_BLOCKED = rule(
    "FC007",
    "warning",
    "The file is not padded to a multiple of 10 records",
    "Add lines of 94 nines after the file control until the record count is a multiple of 10.",
)
NO_BATCHES = rule(
    "FILE009",
    "error",
    "The file holds no batches",
    "A file carries at least one batch of entries.",
)
NO_DED = rule(
    "CS001",
    "error",
    "A CCD credit carries no DED addenda",
    "A child-support payment identifies employee, case and amount in a DED addenda (CCD+).",
    "child-support",
)
CTX_WITHOUT_820 = rule(
    "CS005",
    "error",
    "A CTX credit carries no addenda",
    "A child-support CTX payment identifies its withholdings in an 820 carried in its addenda; "
    "without them the SDU cannot apply the payment.",
    "child-support",
)
ZERO_WITHOUT_ADDENDA = rule(
    "CS006",
    "error",
    "A zero-dollar entry carries no addenda",
    "A zero-dollar entry carries nothing but its addenda (NACHA Operating Rules, Appendix Three: "
    "zero-dollar CCD/CTX entries carry remittance data); send the DED with DED09 = Y.",
    "child-support",
)
SDU_DEBIT = rule(
    "CS007",
    "error",
    "A debit to the SDU outside a reversal batch",
    "Child-support files credit the SDU; a debit is allowed only to reverse an erroneous entry, "
    "in a batch whose company entry description is REVERSAL (NACHA Operating Rules, "
    "Subsection 2.9 and Appendix Three, Batch Header field 7).",
    "child-support",
)
DED_AMOUNT_MISMATCH = rule(
    "CS002",
    "error",
    "The DED payment amount differs from the entry amount",
    "In a CCD+ payment DED04 carries exactly the entry amount, in cents.",
    "child-support",
)
UNIDENTIFIED_PAYMENT = rule(
    "CS003",
    "error",
    "A payment does not identify the employee, the amount and the case",
    "Every EFT payment names the case (DED02), the amount (DED04) and the employee "
    "(DED05 SSN or DED07 name) (Oregon OAR 137-055-5035).",
    "child-support",
)
ZERO_WITHOUT_TERMINATION = rule(
    "CS004",
    "warning",
    "A zero-dollar child-support entry is not marked as a termination notice",
    "A zero-dollar DED entry normally reports an employment termination (DED09 = Y).",
    "child-support",
)
CASE_ID_FORMAT = rule(
    "ST001",
    "error",
    "The case identifier does not follow the state's format",
    "Use the case number exactly as the state's order shows it.",
    "child-support",
)
FIPS_REQUIRED = rule(
    "ST002",
    "error",
    "The state requires a FIPS code (DED08) and none is given",
    "Add the FIPS code of the receiving child-support entity from the order.",
    "child-support",
)
FIPS_OTHER_STATE = rule(
    "ST003",
    "warning",
    "The DED08 FIPS code is another state's",
    "A FIPS code names the child-support entity the payment is for; its first two digits are "
    "that state's. Check that the payment was meant for this state's SDU (the order shows the "
    "FIPS code), or send it to the state the code names.",
    "child-support",
)


def _rules_of(module: ModuleType) -> dict[str, Rule]:
    return {value.code: value for value in vars(module).values() if isinstance(value, Rule)}


OWN_RULES: dict[str, Rule] = {
    value.code: value for value in tuple(globals().values()) if isinstance(value, Rule)
}
CATALOGUE: tuple[Rule, ...] = tuple(
    sorted(
        {
            **_rules_of(records),
            **_rules_of(reader),
            **_rules_of(sniff),
            **_rules_of(ded_rules),
            **_rules_of(x12_rules),
            **OWN_RULES,
        }.values(),
        key=lambda found: found.code,
    )
)
"""Every rule of the ACH-file validator, by code: records, reader, DED, X12, 820 and ours.
The DED and X12/820 rules come from their rule modules, not their readers, so the catalogue
is whole without loading the 820 reader (:mod:`~nacha_cs.validate.child_support` loads it at
the first CTX entry)."""
