"""The payments feature's HTTP layer: its blueprint, pages, forms, API and schemas."""
