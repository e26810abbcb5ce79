"""The State Disbursement Unit's side: reading remittances out of the files it receives."""
