"""`python -m runbookdocs.cli`: the same as the `runbookdocs` command."""

from __future__ import annotations

import sys

from runbookdocs.cli import main

sys.exit(main())
