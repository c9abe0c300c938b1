"""Pure, standard-library-only ledger core: money, entries, posting rules and the hash chain."""
