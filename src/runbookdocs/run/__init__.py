"""Running runbooks in throwaway containers: targets, images, sessions and the engine.

Nothing heavy is imported here: `docker`, `testcontainers` and `pexpect` are imported inside the
functions that need them, so the CLI and the pytest plugin start fast.
"""

from __future__ import annotations
