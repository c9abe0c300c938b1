"""The bank statements' HTTP layer: its blueprint, pages and forms."""
