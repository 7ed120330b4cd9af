"""Errors the store raises; each message says what to do."""

from __future__ import annotations


class StoreError(Exception):
    """Something asked of the history store cannot be done."""


class NotFound(StoreError, LookupError):
    """No dataset, scenario, version or run matches the reference given."""


class ApprovalError(StoreError):
    """An approval transition that the workflow does not allow (e.g. changing an approved version)."""


class StoreConflict(StoreError):
    """A write kept colliding with other writers and was given up after several attempts."""


class SchemaOutOfDate(StoreError):
    """The database's schema is older than this program's and was not upgraded."""


class CannotReproduce(StoreError):
    """A stored run cannot be solved again (e.g. its method is not available here)."""


class TamperedRecord(StoreError):
    """A stored record no longer matches its content hash: it was changed outside the product."""
