"""The task queue: jobs written in the same transaction as the work that asks for them, run by workers."""
