"""Independent examiners: the chair's appointment of an examiner for a financial year, and the checklist."""
