"""The store's user-facing error (a module of its own, so commands can catch it cheaply)."""


class StoreError(Exception):
    """A database problem explained in words a user can act on."""
