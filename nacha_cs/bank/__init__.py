"""The bank's and vendor's side: test files and known-bad variants."""
