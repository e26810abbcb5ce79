"""The rules an X12 820 can break: the interchange's envelope and syntax, and what the 820
says against its CTX entry.

Declared apart from :mod:`~nacha_cs.codecs.x12` and :mod:`~nacha_cs.codecs.ctx820`, which find
them and re-export them, so the validator's catalogue (and ``validate --disable X12009``)
knows every code without loading the 820 reader: most files carry no CTX entry.
"""

from __future__ import annotations

from nacha_cs.findings import Profile, rule

_PROFILE: Profile = "child-support"

# --- the interchange (nacha_cs.codecs.x12) ----------------------------------------------------

NO_ISA = rule(
    "X12001", "error", "820 does not start with an ISA segment",
    "The first CTX addenda must begin with ISA, the interchange control header.", _PROFILE)
BAD_ISA = rule(
    "X12002", "error", "ISA segment is malformed",
    "ISA is fixed width: 16 elements padded to their lengths, 106 characters with the "
    "terminator; delimiters are distinct non-alphanumeric characters.", _PROFILE)

# --- the 820 (nacha_cs.codecs.ctx820) ------------------------------------------------------

NO_TERMINATOR = rule(
    "X12003", "error", "820 segment has no terminator",
    "End every segment, the last (IEA) included, with the terminator announced in ISA.",
    _PROFILE)
AFTER_IEA = rule(
    "X12004", "error", "text after the interchange",
    "Nothing but the space fill may follow IEA in the last addenda.", _PROFILE)
ENVELOPE = rule(
    "X12005", "error", "820 envelope segment missing or out of order",
    "The interchange runs ISA, GS, ST ... SE, GE, IEA.", _PROFILE)
ISA_IEA = rule(
    "X12006", "error", "IEA02 does not repeat the ISA13 control number",
    "Write the interchange control number of ISA13 again in IEA02.", _PROFILE)
GS_GE = rule(
    "X12007", "error", "GE02 does not repeat the GS06 control number",
    "Write the group control number of GS06 again in GE02.", _PROFILE)
ST_SE = rule(
    "X12008", "error", "SE02 does not repeat the ST02 control number",
    "Write the transaction set control number of ST02 again in SE02.", _PROFILE)
SE_COUNT = rule(
    "X12009", "error", "SE01 segment count is wrong",
    "SE01 counts the segments from ST to SE, both included.", _PROFILE)
GE_COUNT = rule(
    "X12010", "error", "GE01 transaction set count is wrong",
    "GE01 counts the ST/SE transaction sets in the group.", _PROFILE)
IEA_COUNT = rule(
    "X12011", "error", "IEA01 functional group count is wrong",
    "IEA01 counts the GS/GE groups in the interchange.", _PROFILE)
NOT_RA = rule(
    "X12012", "error", "GS01 functional identifier is not RA",
    "An 820 travels in a functional group with GS01 = RA.", _PROFILE)
NOT_820 = rule(
    "X12013", "error", "ST01 is not 820",
    "Child-support remittance in a CTX is an 820 transaction set.", _PROFILE)
NO_BPR = rule(
    "X12014", "error", "BPR segment missing or not right after ST",
    "Start the 820 with BPR, which carries the payment amount and bank details.", _PROFILE)
BAD_BPR_AMOUNT = rule(
    "X12015", "error", "BPR02 is not an amount",
    "Write BPR02 in dollars with a decimal point and at most two decimals, e.g. 135.47.",
    _PROFILE)
BPR_VS_ENTRY = rule(
    "X12016", "error", "BPR02 differs from the CTX entry amount",
    "The 820's payment amount must equal the entry amount (columns 30-39).", _PROFILE)
BPR_VS_DED = rule(
    "X12017", "error", "BPR02 differs from the sum of the DED04 amounts",
    "The payment is the sum of the withholdings it remits: fix BPR02 or a DED04.", _PROFILE)
NO_DED = rule(
    "X12018", "error", "820 carries no DED segment",
    "Child-support remittance needs one ENT/DED loop per withholding.", _PROFILE)
VERSION_MISMATCH = rule(
    "X12019", "warning", "GS08 version does not match ISA12",
    "Use the same X12 version in ISA12 (e.g. 00401) and GS08 (e.g. 004010).", _PROFILE)
GAP = rule(
    "X12020", "warning", "spaces or line breaks between 820 segments",
    "CTX addenda carry the interchange back to back; some receivers reject the gaps.",
    _PROFILE)
NOT_ACH_CREDIT = rule(
    "X12021", "warning", "BPR does not describe an ACH CTX credit",
    "For a child-support CTX send BPR03 = C, BPR04 = ACH, BPR05 = CTX.", _PROFILE)
