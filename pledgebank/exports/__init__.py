"""The treasurer's tools: ledger exports, statements, Stripe reconciliation and the public fund chart."""
