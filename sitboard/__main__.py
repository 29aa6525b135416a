from sitboard.cli import main

# Guarded: worker processes (ingest/cpu_pool.py) import the main module under another name.
if __name__ == "__main__":
    raise SystemExit(main())
