"""The examiners feature's HTTP layer: appointing examiners, the invitation, the checklist, the page log."""
