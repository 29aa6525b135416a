"""Imported only inside the forkserver that forks sitboard's worker processes (cpu_pool.py
names it as the server's preload), never in the board's own process.

Importing it there does two things before the server starts forking: it ignores SIGINT, so
every worker is born ignoring the Ctrl+C that the terminal sends to the whole process group
(a worker killed by it would break the pool under the parent's clean stop), and it loads the
reading modules once, so each worker is forked with them instead of importing them itself.
"""

import signal

signal.signal(signal.SIGINT, signal.SIG_IGN)

from . import claims, parse, places  # noqa: E402, F401  (preloaded for the forked workers)
