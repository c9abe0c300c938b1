"""The ledger's reference model and the whole-book state machine the model tests drive."""
