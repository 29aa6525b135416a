"""Feed to claims: fetch, parse, read Arabic, extract claims, resolve status.

No storage, no screen.
"""
