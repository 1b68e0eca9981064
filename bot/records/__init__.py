"""Record types: frozen dataclasses the storage layer returns.

Every module here is a leaf: it imports nothing of the package, so storage, domain logic and
handlers can all depend on it without pointing upwards.
"""
