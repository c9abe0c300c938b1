"""The exports feature's HTTP layer: its blueprint, pages, forms, API and schemas."""
