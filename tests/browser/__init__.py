"""Journeys in a real browser (Chromium, driven by Playwright); one browser serves this package."""
