"""Backups: a consistent copy of the database and the stored documents with a manifest of checksums, and a
restore into an empty database that runs the ledger's verification before it is finished."""
