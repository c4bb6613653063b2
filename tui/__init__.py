"""Verbatim's Textual app: a thin layer over `bot.load()` and its Conversation."""
