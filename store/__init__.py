"""The local TinyDB store, its in-memory indexes, board views and exports. No screen."""

from .errors import StoreCorrupt, StoreError, StoreLocked, StoreUnwritable
from .export import export_view, render_markdown
from .store import CommitReport, Store

__all__ = [
    "CommitReport",
    "Store",
    "StoreCorrupt",
    "StoreError",
    "StoreLocked",
    "StoreUnwritable",
    "export_view",
    "render_markdown",
]
