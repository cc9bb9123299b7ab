"""Page-level checks (links, anchors, placeholders, markers); being written."""
from __future__ import annotations

import hashlib
from collections.abc import Sequence

from runbookdocs.config import Config
from runbookdocs.document import Document


def site_fingerprint(documents: Sequence[Document], config: Config) -> str:
    """Hash of what link checks depend on across pages: paths (anchors to be added)."""
    return hashlib.sha256("\n".join(sorted(str(d.file) for d in documents)).encode()).hexdigest()
