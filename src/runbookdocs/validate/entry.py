"""What a page's check leaves for the others: its references, and its cached entry.

A page's own results depend only on its bytes and the project's fingerprint, so they are cached
(`PageEntry`); what it names on other pages (`Reference`) is judged on every check, against every
page (`runbookdocs.validate.judge`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from runbookdocs.location import Location
from runbookdocs.results import Result


@dataclass(frozen=True)
class Reference:
    """A page, anchor or block named by a page: a link, or a decision tree's `check`.

    References are resolved on every check against every page (`resolve_references`), so a
    page taken from the cache still sees the pages it names change.
    """

    kind: str
    """"link" (to a page, file or anchor) or "block" (a block id, for a tree's `check`)."""
    target: str
    """As written: `page.md#anchor`, `#id`, `page.md`."""
    location: Location
    origin: Location | None = None
    block_line: int | None = None
    """Line of the block whose result this reference belongs to (None: the page's)."""
    context: str = ""
    """What names the target, at the start of a finding: `node 'actif'`."""

    def to_json(self) -> list[Any]:
        """Compact JSON form (cache entries, worker results)."""
        o = self.origin
        return [
            self.kind,
            self.target,
            [self.location.path, self.location.line, self.location.col],
            [o.path, o.line, o.col] if o else None,
            self.block_line,
            self.context,
        ]

    @classmethod
    def from_json(cls, data: list[Any]) -> Reference:
        """The reverse of `to_json`."""
        kind, target, loc, origin, block_line, context = data
        return cls(
            kind,
            target,
            Location(*loc),
            Location(*origin) if origin else None,
            block_line,
            context,
        )


@dataclass
class PageEntry:
    """One page's check as cached: its own results, and what other pages need from it.

    Everything in it depends only on the page's text (and the project's configuration,
    schemas and snippets): references and the review date are judged afterwards, on every
    check, because they depend on other pages and on the day.
    """

    results: list[Result]
    anchors: frozenset[str] = frozenset()
    """Anchors the page has on the site (headings, ids, block ids)."""
    block_ids: frozenset[str] = frozenset()
    references: list[Reference] = field(default_factory=list)
    reviewed: tuple[str, int] | None = None
    """The `runbook.reviewed` date (ISO) and its page line."""
    blocks: int = 0
    allow: tuple[str, ...] = ()
    """Codes the page silences (front matter `runbook.ignore`), for findings judged later."""
    block_allow: dict[int, tuple[str, ...]] = field(default_factory=dict)
    """Codes each block silences (`allow` directive), by the block's line."""

    def to_json(self) -> dict[str, Any]:
        """JSON form (cache entries, worker results)."""
        return {
            "results": [r.to_json() for r in self.results],
            "anchors": sorted(self.anchors),
            "ids": sorted(self.block_ids),
            "refs": [r.to_json() for r in self.references],
            "reviewed": list(self.reviewed) if self.reviewed else None,
            "blocks": self.blocks,
            "allow": list(self.allow),
            "block_allow": [[line, list(c)] for line, c in sorted(self.block_allow.items())],
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> PageEntry:
        """The reverse of `to_json`."""
        reviewed = data.get("reviewed")
        return cls(
            [Result.from_json(r) for r in data["results"]],
            frozenset(data["anchors"]),
            frozenset(data["ids"]),
            [Reference.from_json(r) for r in data["refs"]],
            (str(reviewed[0]), int(reviewed[1])) if reviewed else None,
            int(data["blocks"]),
            tuple(data["allow"]),
            {int(line): tuple(c) for line, c in data["block_allow"]},
        )
