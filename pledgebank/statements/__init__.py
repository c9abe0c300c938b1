"""Bank statements: imported once per line, matched to the books' bank postings, reconciled at a date."""
