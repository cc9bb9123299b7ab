"""Word fixtures for `runbookdocs import`, generated with python-docx (never stored as binaries).

`build(folder)` writes three legacy Word manuals, each in its own style of writing code:
a code paragraph style, runs in a monospace font typed inside ordinary paragraphs, and commands
left as plain paragraphs the way word-processor users often type them. It returns each file with
what a person would have made of it (same shape as the `.expect.yaml` files next to this one).
"""

from __future__ import annotations

import struct
import zlib
from pathlib import Path
from typing import Any


def _png(width: int = 4, height: int = 3) -> bytes:
    """A tiny valid PNG (a grey rectangle)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data))
            + kind
            + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
        )

    raw = b"".join(b"\x00" + b"\x80" * (width * 3) for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )


def _mono(paragraph: Any, text: str, font: str = "Courier New") -> None:
    run = paragraph.add_run(text)
    run.font.name = font


def _code_lines(
    document: Any,
    lines: list[str],
    *,
    style: str | None = None,
    font: str = "Consolas",
    indent_cm: float = 0,
) -> None:
    from docx.shared import Cm

    for line in lines:
        p = document.add_paragraph(style=style)
        if indent_cm:
            p.paragraph_format.left_indent = Cm(indent_cm)
        if style is None:
            _mono(p, line, font)
        else:
            p.add_run(line)


def _cells(table: Any, rows: list[list[str]]) -> None:
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            table.cell(r, c).text = text


def mail_relay_en(path: Path) -> dict[str, Any]:
    """English: a `Code` paragraph style, nested bullet lists, a table, an image."""
    import docx
    from docx.enum.style import WD_STYLE_TYPE

    d = docx.Document()
    code = d.styles.add_style("Code", WD_STYLE_TYPE.PARAGRAPH)
    code.font.name = "Consolas"
    d.add_paragraph("Mail relay operations", style="Title")
    d.add_paragraph("This guide covers the Postfix relay used by the billing application.")
    d.add_heading("Before you start", level=1)
    d.add_paragraph("Make sure that:", style="List Bullet")
    d.add_paragraph("you can log in to relay-01 with sudo rights", style="List Bullet 2")
    d.add_paragraph("the monitoring silence is set", style="List Bullet 2")
    d.add_paragraph("Tell the billing team before a restart.", style="List Bullet")
    d.add_heading("Check the queue", level=1)
    d.add_paragraph("Count the messages waiting in the queue:")
    for line in ["$ mailq | tail -n 1", "-- 12 Kbytes in 3 Requests."]:
        d.add_paragraph(line, style="Code")
    d.add_paragraph("More than 500 requests means the upstream is refusing mail.")
    d.add_heading("Relay settings", level=1)
    d.add_paragraph("The relay map lives in /etc/postfix/relay.json:")
    for line in [
        "{",
        '  "relayhost": "[smtp.example.net]:587",',
        '  "sasl_user": "billing",',
        '  "sasl_password": "Mail-2021-relay"',
        "}",
    ]:
        d.add_paragraph(line, style="Code")
    d.add_heading("Flush and restart", level=2)
    d.add_paragraph("Flush the queue, then restart Postfix:", style="List Number")
    for line in ["sudo postqueue -f", "sudo systemctl restart postfix"]:
        d.add_paragraph(line, style="Code")
    d.add_paragraph("Check the log for errors.", style="List Number")
    run = d.add_paragraph().add_run()
    picture = path.with_suffix(".png")
    picture.write_bytes(_png())
    run.add_picture(str(picture))
    picture.unlink()
    d.add_heading("Contacts", level=1)
    t = d.add_table(rows=3, cols=3)
    _cells(
        t,
        [
            ["Team", "Channel", "Hours"],
            ["Billing", "#billing", "9-18"],
            ["Platform", "#platform", "24/7"],
        ],
    )
    d.save(str(path))
    return {
        "headings": [
            "Mail relay operations",
            "Before you start",
            "Check the queue",
            "Relay settings",
            "Flush and restart",
            "Contacts",
        ],
        "items": [
            "Make sure that",
            "you can log in to relay-01",
            "the monitoring silence is set",
            "Tell the billing team",
            "Flush the queue",
            "Check the log for errors",
        ],
        "tables": 1,
        "images": 1,
        "code": [
            {"kind": "console", "text": "$ mailq | tail -n 1\n-- 12 Kbytes in 3 Requests.\n"},
            {
                "kind": "json",
                "text": '{\n  "relayhost": "[smtp.example.net]:587",\n'
                '  "sasl_user": "billing",\n  "sasl_password": "*"\n}\n',
            },
            {"kind": "bash", "text": "sudo postqueue -f\nsudo systemctl restart postfix\n"},
        ],
        "secrets": ["Mail-2021-relay"],
    }


def purge_cache_fr(path: Path) -> dict[str, Any]:
    """French: monospace runs in ordinary paragraphs, inline code in sentences, code in lists."""
    import docx

    d = docx.Document()
    d.add_heading("Purge du cache Varnish", level=1)
    p = d.add_paragraph("Le cache est servi par ")
    _mono(p, "varnishd")
    p.add_run(" sur les serveurs ")
    _mono(p, "cache-01")
    p.add_run(" et ")
    _mono(p, "cache-02")
    p.add_run(".")
    d.add_heading("Vérifier l'état du service", level=2)
    p = d.add_paragraph("Sur chaque serveur :")
    _code_lines(d, ["# systemctl is-active varnish", "active"], font="Courier New")
    d.add_heading("Purger une URL", level=2)
    d.add_paragraph("Étapes :")
    d.add_paragraph("Se connecter au serveur de cache.", style="List Number")
    d.add_paragraph("Lancer la purge :", style="List Number")
    _code_lines(d, ["varnishadm ban req.url '~' /catalogue"], font="Courier New", indent_cm=1.27)
    d.add_paragraph("Contrôler le taux de succès :", style="List Number")
    _code_lines(d, ["varnishstat -1 -f MAIN.cache_hit"], font="Courier New", indent_cm=1.27)
    d.add_heading("Paramètres", level=2)
    d.add_paragraph("Les paramètres de démarrage sont dans /etc/varnish/params.yaml :")
    _code_lines(
        d,
        [
            "listen: ':6081'",
            "storage:",
            "  type: malloc",
            "  size: 2G",
            "admin:",
            "  secret_file: /etc/varnish/secret",
        ],
        font="Courier New",
    )
    t = d.add_table(rows=3, cols=2)
    _cells(t, [["Serveur", "Rôle"], ["cache-01", "principal"], ["cache-02", "secours"]])
    d.save(str(path))
    return {
        "headings": [
            "Purge du cache Varnish",
            "Vérifier l'état du service",
            "Purger une URL",
            "Paramètres",
        ],
        "items": [
            "Se connecter au serveur de cache",
            "Lancer la purge",
            "Contrôler le taux de succès",
        ],
        "tables": 1,
        "code": [
            {"kind": "console", "text": "# systemctl is-active varnish\nactive\n"},
            {"kind": "bash", "text": "varnishadm ban req.url '~' /catalogue\n"},
            {"kind": "bash", "text": "varnishstat -1 -f MAIN.cache_hit\n"},
            {
                "kind": "yaml",
                "text": "listen: ':6081'\nstorage:\n  type: malloc\n  size: 2G\n"
                "admin:\n  secret_file: /etc/varnish/secret\n",
            },
        ],
        "secrets": [],
    }


def rotation_journaux_fr(path: Path) -> dict[str, Any]:
    """French: commands typed as plain paragraphs, a localised heading style, SQL, a table."""
    import docx
    from docx.enum.style import WD_STYLE_TYPE

    d = docx.Document()
    titre = d.styles.add_style("Titre 1", WD_STYLE_TYPE.PARAGRAPH)
    titre.base_style = d.styles["Heading 1"]
    titre2 = d.styles.add_style("Titre 2", WD_STYLE_TYPE.PARAGRAPH)
    titre2.base_style = d.styles["Heading 2"]
    d.add_paragraph("Rotation des journaux applicatifs", style="Titre 1")
    d.add_paragraph(
        "Ce document décrit la rotation des journaux du portail, telle qu'elle est faite "
        "chaque mois par l'exploitation."
    )
    d.add_paragraph("Préparation", style="Titre 2")
    d.add_paragraph("Se placer dans le dossier des journaux :")
    d.add_paragraph("cd /var/log/portail")
    d.add_paragraph("Compresser les journaux du mois précédent :")
    d.add_paragraph("sudo gzip -9 portail-2023-*.log")
    d.add_paragraph("Base de données", style="Titre 2")
    d.add_paragraph("Supprimer les traces de plus de 90 jours, dans le client MySQL :")
    d.add_paragraph("DELETE FROM traces WHERE cree_le < NOW() - INTERVAL 90 DAY;")
    d.add_paragraph("Vérifications", style="Titre 2")
    d.add_paragraph("Points à contrôler :")
    d.add_paragraph("la place libre sur /var/log ;", style="List Bullet")
    d.add_paragraph("la présence des archives .gz ;", style="List Bullet")
    d.add_paragraph("les alertes de la supervision.", style="List Bullet")
    t = d.add_table(rows=2, cols=3)
    _cells(t, [["Fréquence", "Durée", "Responsable"], ["mensuelle", "15 min", "exploitation"]])
    d.save(str(path))
    return {
        "headings": [
            "Rotation des journaux applicatifs",
            "Préparation",
            "Base de données",
            "Vérifications",
        ],
        "items": [
            "la place libre sur /var/log",
            "la présence des archives .gz",
            "les alertes de la supervision",
        ],
        "tables": 1,
        "code": [
            {"kind": "bash", "text": "cd /var/log/portail\n"},
            {"kind": "bash", "text": "sudo gzip -9 portail-2023-*.log\n"},
            {
                "kind": "sql",
                "text": "DELETE FROM traces WHERE cree_le < NOW() - INTERVAL 90 DAY;\n",
            },
        ],
        "secrets": [],
    }


BUILDERS = (mail_relay_en, purge_cache_fr, rotation_journaux_fr)


def build(folder: Path) -> list[tuple[Path, dict[str, Any]]]:
    """Write the Word fixtures into `folder`; each with its expectations."""
    folder.mkdir(parents=True, exist_ok=True)
    out = []
    for builder in BUILDERS:
        path = folder / (builder.__name__.replace("_", "-") + ".docx")
        out.append((path, builder(path)))
    return out


if __name__ == "__main__":
    import sys

    for f, _ in build(Path(sys.argv[1] if len(sys.argv) > 1 else ".")):
        print(f)
