"""The Telegram side: one module (or small package) per feature that reads the update, checks
who may act, calls the feature's service and answers with a catalogue text.

Every handler is registered in one ordered place: ``bot/handlers/router.py``.
"""
