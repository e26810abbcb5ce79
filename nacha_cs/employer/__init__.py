"""The employer's job: payroll export -> withholding -> payments -> one ACH file per run."""
