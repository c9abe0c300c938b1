"""Test helpers: the app and its settings, pages, browsers, Stripe events, ledger SQL, concurrency."""
