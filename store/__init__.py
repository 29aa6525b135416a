"""The local TinyDB store, its in-memory indexes, board views and exports. No screen."""
