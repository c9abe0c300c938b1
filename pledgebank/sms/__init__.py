"""Pledging by text message: a pledge's keyword, the neighbourhood's number, verified phones and replies."""
