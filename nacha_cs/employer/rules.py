"""The employer side's findings: payroll rows (PAY) and the generation plan (GEN).

One place lists them so ``nacha-cs rules`` and the tests see every code the employer side can
report, and payroll, plan and generate import what they report instead of declaring it inline.
"""

from __future__ import annotations

from nacha_cs.findings import rule

# Payroll rows -------------------------------------------------------------------------------
MISSING_COLUMN = rule(
    "PAY001",
    "error",
    "A required column is missing from the payroll header",
    "Add the column, or map your export's column name to it under [payroll.columns].",
)
MISSING_VALUE = rule(
    "PAY002",
    "error",
    "A required value is blank",
    "Fill the value in the payroll export; the SDU cannot post a payment without it.",
)
BAD_SSN = rule(
    "PAY003",
    "error",
    "The SSN is not 9 digits",
    "Give the employee's 9-digit Social Security number, with or without dashes.",
)
BAD_AMOUNT = rule(
    "PAY004",
    "error",
    "An amount is not a non-negative number of dollars and cents",
    "Write amounts like 123.45 (no sign, at most two decimals), or set amount_unit.",
)
BAD_DATE = rule(
    "PAY005",
    "error",
    "A date cannot be read",
    "Write dates as YYYY-MM-DD, or set [payroll] date_format to your export's format.",
)
UNKNOWN_SDU = rule(
    "PAY006",
    "error",
    "The state or SDU is not in the configuration's SDU directory",
    "Use a state code listed under [sdu] in the config, or add that state's SDU there.",
)
BAD_FLAG = rule(
    "PAY007",
    "error",
    "A yes/no column holds something else",
    "Use Y or N (yes/no, true/false and 1/0 are accepted too); blank means no.",
)
BAD_TEXT = rule(
    "PAY008",
    "error",
    "A value cannot travel in a DED segment",
    "Remove '*' and '\\' (DED delimiters) and keep case ids to 20 characters.",
)
INCONSISTENT_EMPLOYEE = rule(
    "PAY009",
    "error",
    "Rows of one employee and pay date disagree",
    "Give every order row of an employee and pay date the same SSN, name, pay and flags.",
)
NOT_ADJACENT = rule(
    "PAY010",
    "error",
    "Rows of one employee and pay date are not next to each other",
    "Sort the export by employer, employee id and pay date; split rows would be withheld twice.",
)
UNISSUED_SSN = rule(
    "PAY011",
    "warning",
    "The SSN is one the SSA never issues",
    "Check the number: area 000, 666 or 900-999, group 00 or serial 0000 are never issued.",
)
NO_INCOME = rule(
    "PAY012",
    "error",
    "Neither disposable income nor gross pay and mandatory deductions are given",
    "Fill disposable_income, or gross_pay and mandatory_deductions, so the limit can be applied.",
)
BAD_ROW = rule(
    "PAY013",
    "error",
    "The row cannot be read",
    "Give every CSV row as many fields as the header, and every JSON row as an object.",
)
UNKNOWN_EMPLOYER = rule(
    "PAY014",
    "error",
    "The employer is not in the configuration",
    "Use an employer id listed under [[employers]] in the config, or add the employer there.",
)
NO_INPUT = rule(
    "PAY015",
    "error",
    "The payroll input is empty or cannot be read",
    "Give a CSV file with a header row, a JSON array of objects, or JSON Lines.",
)
DUPLICATE_CASE = rule(
    "PAY016",
    "error",
    "The same case appears twice for one employee and pay date",
    "Keep one row per case and pay date; a second row would pay the case twice.",
)
DEDUCTIONS_EXCEED_GROSS = rule(
    "PAY017",
    "warning",
    "Mandatory deductions exceed gross pay",
    "Check the figures; disposable income is taken as zero, so nothing is withheld.",
)
INCOME_DISAGREES = rule(
    "PAY018",
    "error",
    "Disposable income disagrees with gross pay minus mandatory deductions",
    "Give either disposable_income or gross_pay and mandatory_deductions, or make them agree.",
)

# The generation plan -------------------------------------------------------------------------
REMIT_LATE = rule(
    "GEN001",
    "warning",
    "Payments reach the SDU after the state's remit deadline",
    "Send the file sooner (or with an earlier effective date); states fine late remittances.",
    "child-support",
)
NOT_BANKING_DAY = rule(
    "GEN002",
    "error",
    "The effective entry date is not a Federal Reserve banking day",
    "Pick a weekday that is not a Federal Reserve holiday, or leave the date out.",
)
DATE_IN_PAST = rule(
    "GEN003",
    "error",
    "The effective entry date is before today",
    "Use today or a later banking day; the ACH operator would settle a stale date at once.",
)
DATE_TOO_FAR = rule(
    "GEN004",
    "warning",
    "The effective entry date is more than two banking days ahead",
    "Credits may be dated up to two banking days ahead; check the date with your bank.",
)
NOTHING_TO_SEND = rule(
    "GEN005",
    "error",
    "There is nothing to send",
    "The payroll holds no withholding to pay and no termination to report.",
)
DED_NOT_ENCODABLE = rule(
    "GEN006",
    "error",
    "The row cannot be written as a DED segment",
    "Fix the named value in the payroll export (names need letters; values no * or \\).",
    "child-support",
)
CANNOT_BUILD = rule(
    "GEN009",
    "error",
    "The file cannot be built from the payments",
    "The message names the entry and the problem; fix the config or payroll value behind it.",
)
NOTHING_WITHHELD = rule(
    "GEN008",
    "warning",
    "An order gets nothing this pay date",
    "Nothing can be withheld within the limit; the employee pays the agency directly.",
    "child-support",
)
