"""`runbookdocs play`: the lesson cut from a page, progress, and the command driven in a
pseudo-terminal as a learner would (guided, practice, hint, quit, Ctrl-C, SIGTERM, resume), in
French and in English (the project's language, or --lang)."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pexpect
import pytest

from runbookdocs.config import load_config
from runbookdocs.document import parse_document, read_document
from runbookdocs.play.progress import Progress, ProgressStore
from runbookdocs.play.steps import (
    build_lesson,
    shell_commands,
    sql_statements,
    terminal_markdown,
)
from tests.helpers import cli, make_project

SAMPLES = Path(__file__).parent / "samples" / "play"
SECRET = "s3cr3t-du-test"


def project(tmp_path: Path, *samples: str, config: str = 'language = "fr"\n') -> Path:
    """A project whose docs/ holds copies of the sample pages (a French project unless
    `config` says otherwise)."""
    (tmp_path / "pyproject.toml").write_text("[tool.runbookdocs]\n" + config, encoding="utf-8")
    (tmp_path / "docs").mkdir()
    for name in samples:
        shutil.copyfile(SAMPLES / name, tmp_path / "docs" / name)
    return tmp_path


def play(root: Path, *args: str) -> pexpect.spawn:
    """`runbookdocs play ARGS` in a pseudo-terminal (TERM=dumb: text without colours)."""
    env = {**os.environ, "TERM": "dumb", "APP_TOKEN": SECRET}
    env.pop("CI", None)
    child = pexpect.spawn(
        sys.executable,
        ["-m", "runbookdocs.cli", "play", *args],
        cwd=str(root),
        env=env,
        encoding="utf-8",
        timeout=45,
        dimensions=(50, 120),
    )
    child.delaybeforesend = None
    return child


def finish(child: pexpect.spawn) -> tuple[str, int | None]:
    """Everything the child printed until it exited, and its exit status."""
    child.expect(pexpect.EOF)
    text = str(child.before).replace("\r\n", "\n")
    child.close()
    return text, child.exitstatus


def containers_of(pid: int, seconds: float = 5.0) -> list[str]:
    """Containers a `play` process (by pid) left behind, polled until none is left."""
    left: list[str] = []
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        proc = subprocess.run(
            [
                "docker",
                "ps",
                "-a",
                "--filter",
                "label=runbookdocs",
                "--format",
                '{{.ID}} {{.Label "org.runbookdocs.owner"}}',
            ],
            capture_output=True,
            text=True,
            check=True,
        )
        left = [ln for ln in proc.stdout.splitlines() if f":{pid}:" in ln]
        if not left:
            return []
        time.sleep(0.2)
    return left


# -- the lesson (no containers) ---------------------------------------------------------


def test_lesson_steps_setup_checks_and_prose(tmp_path: Path) -> None:
    config = load_config(start=tmp_path)
    lesson = build_lesson(read_document(SAMPLES / "bases.md", config))
    assert [s.block.id for s in lesson.steps] == ["creer", "redemarrer", "verifier"]
    assert [b.id for b in lesson.steps[0].setup] == ["preparation"]
    assert lesson.steps[1].read_only and lesson.practisable == 2
    prose = lesson.steps[0].prose
    assert prose.startswith("# Premiers pas") and "## Créer le répertoire" in prose
    assert "<!--" not in prose and "mkdir -p /etc/app" not in prose  # comment, hidden block
    # The admonition after the first step is a quote, not code.
    assert "> **Pourquoi ce répertoire**" in lesson.steps[1].prose
    assert lesson.epilogue == "C'est tout."

    practice = build_lesson(read_document(SAMPLES / "pratique.md", config))
    first, config_step, _ = practice.steps
    assert first.check is not None and first.check.source == "test -f /srv/depot/LISEZMOI"
    assert config_step.check is None and config_step.block.file == "/etc/app/app.ini"
    # A check block is never run as set-up of the next step.
    assert config_step.setup == ()


def test_a_check_block_not_right_after_a_step_is_not_its_check(tmp_path: Path) -> None:
    text = (
        "# T\n\n```bash\ntrue\n```\n\n```bash {hidden=true}\necho prepare\n```\n\n"
        "```bash {.check hidden=true}\ntrue\n```\n\n```bash\necho two\n```\n"
    )
    doc = parse_document(
        text, path="t.md", file=tmp_path / "t.md", config=load_config(start=tmp_path)
    )
    one, two = build_lesson(doc).steps
    assert one.check is None
    assert [b.source for b in two.setup] == ["echo prepare"]


def test_a_decision_tree_is_a_line_pointing_to_the_site(tmp_path: Path) -> None:
    text = (
        "# T\n\nAvant.\n\n```decision-tree\ntitle: Le site ne répond pas\nstart: a\n"
        "nodes:\n  a:\n    solution: Redémarrer.\n```\n\n```bash\ntrue\n```\n"
    )
    doc = parse_document(
        text, path="t.md", file=tmp_path / "t.md", config=load_config(start=tmp_path)
    )
    (step,) = build_lesson(doc, "fr").steps
    assert "*Arbre de décision « Le site ne répond pas » : à parcourir sur le site.*" in step.prose
    assert "start: a" not in step.prose
    (step,) = build_lesson(doc, "en").steps
    assert "*Decision tree “Le site ne répond pas”: walk it on the site.*" in step.prose


def test_material_syntax_becomes_terminal_markdown() -> None:
    text = (
        "## Titre {#titre}\n\n!!! warning\n    Attention **ici**.\n\n    Suite.\n\nAprès.\n\n"
        '=== "Debian"\n\n    apt install x\n'
    )
    out = terminal_markdown(text, "fr")
    assert "## Titre\n" in out
    assert "> **Attention**\n>\n> Attention **ici**.\n>\n> Suite.\n\nAprès." in out
    assert "**Debian**" in out and "\napt install x" in out
    # An admonition without a title is titled by its kind, in the learner's language.
    assert "> **Warning**\n>\n> Attention **ici**." in terminal_markdown(text, "en")
    assert "> **Custom**" in terminal_markdown("!!! custom\n    x\n", "fr")


def test_commands_a_learner_types_one_at_a_time() -> None:
    source = (
        "# a comment\nmkdir -p /srv\n\nsay() {\n  echo hi\n}\n"
        "cat > /tmp/x <<'EOF'\nline\nEOF\necho a \\\n  b\n"
    )
    assert shell_commands(source) == [
        "mkdir -p /srv",
        "say() {\n  echo hi\n}",
        "cat > /tmp/x <<'EOF'\nline\nEOF",
        "echo a \\\n  b",
    ]
    sql = (
        "CREATE TABLE t (a INT);\nINSERT INTO t\nVALUES (1);\nSELECT a FROM t;\n-- expect:\n-- a\n"
    )
    assert sql_statements(sql) == [
        "CREATE TABLE t (a INT);",
        "INSERT INTO t\nVALUES (1);",
        "SELECT a FROM t;",
    ]


def test_progress_is_kept_per_page_and_dropped_when_the_page_changes(tmp_path: Path) -> None:
    config = load_config(start=tmp_path)
    page = tmp_path / "p.md"
    page.write_text("# P\n\n```bash\ntrue\n```\n", encoding="utf-8")
    store = ProgressStore(tmp_path / "cache", read_document(page, config))
    assert store.load() == (None, "missing")
    store.save(Progress(next_step=1, done=1, hints=2, elapsed_s=3.5))
    saved, _ = store.load()
    assert saved is not None and (saved.next_step, saved.hints) == (1, 2)
    data = json.loads(store.file.read_text(encoding="utf-8"))
    assert data["page"] == store.path and data["version"] == 1
    page.write_text("# P\n\n```bash\nfalse\n```\n", encoding="utf-8")
    changed = ProgressStore(tmp_path / "cache", read_document(page, config))
    assert changed.file == store.file
    assert changed.load() == (None, "changed")


def test_a_page_without_steps_is_a_usage_error(tmp_path: Path) -> None:
    root = make_project(tmp_path, {"docs/lire.md": "# Lire\n\n```text\nrien\n```\n"})
    proc = cli("play", "docs/lire.md", cwd=root)
    assert proc.returncode == 2
    assert "docs/lire.md: nothing to practise" in proc.stderr
    proc = cli("play", "docs/absente.md", cwd=root)
    assert proc.returncode == 2 and "docs/absente.md: no such file" in proc.stderr


# -- in a sandbox ------------------------------------------------------------------------


@pytest.mark.docker
def test_guided_run_to_the_end(tmp_path: Path) -> None:
    root = project(tmp_path, "bases.md")
    child = play(root, "docs/bases.md")
    child.expect("Étape 1/3")
    child.expect(r"\[Entrée\] exécuter")
    child.send("\r")
    child.expect("✓ Conforme à la page.")
    child.expect("À lire seulement")  # skip=: shown with its reason, not run
    child.expect(r"pas de\s+systemd dans le bac à sable")
    child.expect(r"\[Entrée\] continuer")
    child.send("\r")
    child.expect(r"\[Entrée\] exécuter")
    child.send("\r")
    out, status = finish(child)
    assert status == 0, out
    assert "$ pwd\n/srv/app" in out  # the real output, after step 1's cd
    assert "jeton=***" in out and SECRET not in out
    assert "✓ Sortie conforme à la page." in out
    assert "Étapes faites : 2/2" in out and "À lire seulement : 1" in out
    assert "Parcours terminé." in out
    assert "Bac à sable supprimé." in out
    assert containers_of(child.pid) == []
    assert not list((root / ".runbookdocs-cache" / "play").glob("*.json"))


@pytest.mark.docker
def test_a_counter_example_is_read_only_with_its_reason_in_the_lesson_language(
    tmp_path: Path,
) -> None:
    """A block the page shows as the mistake to avoid is never run in the sandbox: the
    learner reads it, and why, in the lesson's language (the page's own words after it)."""
    root = project(tmp_path, "contre-exemple.md")
    child = play(root, "docs/contre-exemple.md")
    child.expect("Étape 1/2")
    child.expect("À lire seulement")
    child.expect(r"la\s+page\s+le\s+montre\s+comme\s+contre-exemple\s*:\s+Mauvais\s+exemple\)")
    child.expect(r"\[Entrée\] continuer")  # a key sent before the prompt reads it is lost
    child.send("\r")
    child.expect("Étape 2/2")
    child.expect(r"\[Entrée\] exécuter")
    child.send("\r")
    out, status = finish(child)
    assert status == 0, out
    assert "shown as a counter-example" not in out
    assert "Étapes faites : 1/1" in out and "À lire seulement : 1" in out


@pytest.mark.docker
def test_practice_refuses_a_wrong_command_and_accepts_the_right_one(tmp_path: Path) -> None:
    root = project(tmp_path, "pratique.md")
    child = play(root, "--practice", "docs/pratique.md")
    prompt = r"\[1/3\] debian\$ "
    child.expect(prompt)
    child.sendline("mkdir -p /srv/depot")  # the check wants the file too
    child.expect("Pas encore : la vérification de l'étape ne passe pas")
    child.expect(prompt)
    child.sendline("indice")
    child.expect("Indice")
    child.expect("touch /srv/depot/LISEZMOI")
    child.expect(prompt)
    child.sendline("touch /srv/depot/LISEZMOI")
    child.expect("✓ Étape 1 réussie.")
    # A file= step: the file must hold the block's text; a here-document spans lines.
    child.expect("écrivez le fichier /etc/app/app.ini")
    child.expect(r"\[2/3\] debian\$ ")
    child.sendline("echo '[app]' > /etc/app/app.ini")
    child.expect("n'a pas le contenu attendu")
    child.expect(r"\[2/3\] debian\$ ")
    child.sendline("cat > /etc/app/app.ini <<'FIN'")
    for line in ("[app]", "mode = test", "FIN"):
        child.expect("> ")
        child.sendline(line)
    child.expect("✓ Étape 2 réussie.")
    child.expect(r"\[3/3\] debian\$ ")
    child.sendline("cat /etc/app/absent.ini")
    child.expect("code 1 \\(la page attend 0\\)")
    child.expect(r"\[3/3\] debian\$ ")
    child.sendline("cat /etc/app/app.ini")
    child.expect("✓ Étape 3 réussie.")
    out, status = finish(child)
    assert status == 0, out
    assert "Étapes faites : 3/3" in out and "Indices utilisés : 1" in out
    assert "Étapes passées : 0" in out
    assert containers_of(child.pid) == []


@pytest.mark.docker
def test_quit_leaves_no_container_and_resume_continues_at_the_right_step(
    tmp_path: Path,
) -> None:
    root = project(tmp_path, "bases.md")
    child = play(root, "docs/bases.md")
    child.expect(r"\[Entrée\] exécuter")
    child.send("\r")
    child.expect(r"\[Entrée\] continuer")
    child.send("q")
    out, status = finish(child)
    assert status == 0, out
    assert "Étapes faites : 1/2" in out
    assert "runbookdocs play --resume docs/bases.md" in out
    assert containers_of(child.pid) == []

    child = play(root, "--resume", "docs/bases.md")
    child.expect("Reprise à l'étape 2/3.")
    child.expect("Étape 2/3")
    child.expect(r"\[Entrée\] continuer")
    child.send("\r")
    child.expect("Étape 3/3")
    child.expect(r"\[Entrée\] exécuter")
    child.send("\r")
    out, status = finish(child)
    assert status == 0, out
    # Step 1 was replayed in the new sandbox: its `cd` is why `pwd` matches.
    assert "✓ Sortie conforme à la page." in out
    assert "Étapes faites : 2/2" in out and "Parcours terminé." in out
    assert "Étape 1/3" not in out
    assert containers_of(child.pid) == []


@pytest.mark.docker
@pytest.mark.parametrize("how", ["ctrl-c", "sigterm"])
def test_interrupted_session_removes_its_sandbox_and_keeps_progress(
    tmp_path: Path, how: str
) -> None:
    root = project(tmp_path, "pratique.md")
    child = play(root, "--practice", "docs/pratique.md")
    child.expect(r"\[1/3\] debian\$ ")
    child.sendline("touch /srv/depot/LISEZMOI || mkdir -p /srv/depot && touch /srv/depot/LISEZMOI")
    child.expect(r"\[2/3\] debian\$ ")
    if how == "ctrl-c":
        child.sendcontrol("c")
    else:
        child.kill(signal.SIGTERM)
    out, status = finish(child)
    assert status == 130, out
    assert "Bac à sable supprimé." in out
    assert containers_of(child.pid) == []
    saved = json.loads(next((root / ".runbookdocs-cache" / "play").glob("*.json")).read_text())
    assert saved["next_step"] == 1 and saved["done"] == 1


@pytest.mark.docker
def test_a_changed_page_starts_over(tmp_path: Path) -> None:
    root = project(tmp_path, "bases.md")
    child = play(root, "docs/bases.md")
    child.expect(r"\[Entrée\] exécuter")
    child.send("s")  # passed: its command still runs, unseen, for the next steps
    child.expect("Étape passée")
    child.expect(r"\[Entrée\] continuer")
    child.send("q")
    out, _ = finish(child)
    assert "Étapes passées : 1" in out
    page = root / "docs" / "bases.md"
    page.write_text(page.read_text(encoding="utf-8") + "\nUne ligne de plus.\n", "utf-8")
    child = play(root, "--resume", "docs/bases.md")
    child.expect("La page a changé depuis votre dernière séance")
    child.expect("Étape 1/3")
    child.expect(r"\[Entrée\] exécuter")
    child.send("q")
    out, status = finish(child)
    assert status == 0
    assert containers_of(child.pid) == []


def test_an_unknown_target_is_the_runbooks_fault_in_play_as_in_run(tmp_path: Path) -> None:
    """Exit 1 (the runbook is wrong), located at the block, before any container starts."""
    root = make_project(tmp_path, {"docs/x.md": "# X\n\n```bash {target=nulle-part}\ntrue\n```\n"})
    env = {"DOCKER_HOST": "unix:///nonexistent/docker.sock"}  # never reached
    played = cli("play", "docs/x.md", cwd=root, env=env)
    assert played.returncode == 1, played.stdout + played.stderr
    assert "docs/x.md:3:1: error: unknown target 'nulle-part'" in played.stderr
    assert "[RBD107]" in played.stderr


@pytest.mark.docker
def test_guided_mode_judges_a_step_by_every_command_as_run_does(tmp_path: Path) -> None:
    root = make_project(
        tmp_path,
        {
            "docs/copie.md": "# Copie\n\n```bash {#copie}\nmkdir -p /srv/app\n"
            'cp /etc/absent.conf /srv/app/\necho "copié"\n```\n'
        },
        'language = "fr"\n',
    )
    child = play(root, "docs/copie.md")
    child.expect(r"\[Entrée\] exécuter")
    child.send("\r")
    child.expect("cannot stat '/etc/absent.conf'")
    child.expect(r"Pas encore : `cp /etc/absent.conf /srv/app/` a fini avec le code 1")
    out, status = finish(child)
    assert status == 0, out
    assert "\ncopié\n" not in out  # the step stopped at `cp` (the panel shows `echo "copié"`)
    assert "Écarts avec la page : 1" in out
    assert containers_of(child.pid) == []


# -- the learner's language -------------------------------------------------------------

MKDOCS_FR = "site_name: x\ntheme:\n  name: material\n  language: fr\n"


@pytest.mark.parametrize(
    ("config", "mkdocs", "args", "lang"),
    [
        ("", False, [], "en"),  # English is the fallback
        ('language = "fr"\n', False, [], "fr"),
        ("", True, [], "fr"),  # the site's theme.language
        ('language = "en"\n', True, [], "en"),  # the configuration wins over mkdocs.yml
        ("", True, ["--lang", "en"], "en"),  # --lang wins over both
        ('language = "en"\n', False, ["--lang", "fr"], "fr"),
    ],
)
def test_the_lesson_speaks_the_projects_language_or_the_one_asked(
    tmp_path: Path, config: str, mkdocs: bool, args: list[str], lang: str
) -> None:
    """What the learner reads before the sandbox opens (here it cannot: no Docker there) is in
    the chosen language; the command's own error stays English."""
    root = project(tmp_path, "bases.md", config=config)
    if mkdocs:
        (root / "mkdocs.yml").write_text(MKDOCS_FR, encoding="utf-8")
    env = {"DOCKER_HOST": "unix:///nonexistent/docker.sock", "COLUMNS": "200"}
    proc = cli("play", *args, "docs/bases.md", cwd=root, env=env)
    assert proc.returncode == 2, proc.stdout + proc.stderr
    assert "runbookdocs: Docker is not available" in proc.stderr
    english = (
        "Sandbox: debian (throwaway containers, removed on exit). 3 step(s).",
        "Guided mode: Enter runs the documented command, s skips the step, q quits",
        "Secret APP_TOKEN is not set in the environment",
        "Sandbox removed.",
    )
    french = (
        "Bac à sable : debian (conteneurs jetables, supprimés à la sortie). 3 étape(s).",
        "Mode guidé : Entrée exécute la commande documentée, s passe l'étape, q quitte",
        "Secret APP_TOKEN absent de l'environnement",
        "Bac à sable supprimé.",
    )
    shown, other = (english, french) if lang == "en" else (french, english)
    for line in shown:
        assert line in proc.stdout, proc.stdout
    for line in other:
        assert line not in proc.stdout, proc.stdout


def test_lang_takes_english_or_french_only(tmp_path: Path) -> None:
    root = project(tmp_path, "bases.md")
    proc = cli("play", "--lang", "de", "docs/bases.md", cwd=root)
    assert proc.returncode == 2
    assert "argument --lang: invalid choice: 'de' (choose from 'en', 'fr')" in proc.stderr


@pytest.mark.docker
def test_guided_in_english(tmp_path: Path) -> None:
    root = project(tmp_path, "basics.md", config="")  # no language: English
    child = play(root, "docs/basics.md")
    child.expect(r"Sandbox: debian \(throwaway containers, removed on exit\)\. 3 step\(s\)\.")
    child.expect("Guided mode")
    child.expect("Step 1/3")
    child.expect(r"\[Enter\] run  \[s\] skip  \[q\] quit")
    child.send("s")  # skipped: its command still runs, unseen, for the next steps
    child.expect(r"Step skipped \(its documented command was run for the next steps\)\.")
    child.expect("Step 2/3")
    child.expect("Warning")  # an admonition without a title, titled in English
    child.expect("Read only")
    child.expect(r"not run in the sandbox \(no systemd in the sandbox\)")
    child.expect(r"\[Enter\] continue  \[q\] quit")
    child.send("\r")
    child.expect("Step 3/3")
    child.expect(r"\[Enter\] run")
    child.send("\r")
    out, status = finish(child)
    assert status == 0, out
    assert "$ pwd\n/srv/app" in out  # the skipped step's `cd` did run
    assert "token=***" in out and SECRET not in out
    assert "✓ Output as on the page." in out
    assert "Decision tree “The service does not answer”: walk it on the site." in out
    for row in ("Mode: guided", "Steps done: 1/2", "Steps skipped: 1", "Read only: 1"):
        assert row in out, row
    assert "Lesson complete." in out and "Sandbox removed." in out
    for french in ("Étape", "Bac à sable", "Entrée", "Bilan", "Parcours"):
        assert french not in out, french
    assert containers_of(child.pid) == []


@pytest.mark.docker
def test_practice_in_english_takes_french_words_and_resumes_in_english(tmp_path: Path) -> None:
    """A French site (mkdocs.yml), a learner who asked for English: `--lang en` wins, and is
    kept in the resume command."""
    root = project(tmp_path, "practice.md", config="")
    (root / "mkdocs.yml").write_text(MKDOCS_FR, encoding="utf-8")
    child = play(root, "--practice", "--lang", "en", "docs/practice.md")
    child.expect("Practice mode: type each step's commands yourself.")
    prompt = r"\[1/3\] debian\$ "
    child.expect(prompt)
    child.sendline("mkdir -p /srv/repo")  # the check wants the file too
    child.expect(r"Not yet: the step's check does not pass \(")
    child.expect(prompt)
    child.sendline("indice")
    child.expect("Hint")
    child.expect("touch /srv/repo/README")
    child.expect(prompt)
    child.sendline("touch /srv/repo/README")
    child.expect(r"✓ Step 1 passed\.")
    child.expect(r"Your turn \(debian\): write the file /etc/app/app.ini\.")
    child.expect(r"\[2/3\] debian\$ ")
    child.sendline("hint")
    child.expect("cat > /etc/app/app.ini <<'EOF'")
    child.expect(r"\[2/3\] debian\$ ")
    child.sendline("passer")
    child.expect(r"Step skipped \(its documented command was run for the next steps\)\.")
    child.expect(r"\[3/3\] debian\$ ")
    child.sendline("cat /etc/app/absent.ini")
    child.expect(r"✗ Not yet: exited 1 \(expected 0\)\.")
    child.expect(r"Try again, or type hint\.")
    child.expect(r"\[3/3\] debian\$ ")
    child.sendline("quitter")
    out, status = finish(child)
    assert status == 0, out
    for row in ("Mode: practice", "Steps done: 1/3", "Steps skipped: 1", "Hints used: 2"):
        assert row in out, row
    assert "Progress saved. To continue:" in out
    assert "runbookdocs play --resume --practice --lang en docs/practice.md" in out
    assert containers_of(child.pid) == []

    child = play(root, "--resume", "--practice", "--lang", "en", "docs/practice.md")
    child.expect(r"Resuming at step 3/3\.")
    child.expect(r"\[3/3\] debian\$ ")
    child.sendline("cat /etc/app/app.ini")  # step 2, skipped, was replayed: the file is there
    child.expect(r"✓ Step 3 passed\.")
    out, status = finish(child)
    assert status == 0, out
    assert "Steps done: 2/3" in out and "Lesson complete." in out
    for french in ("Étape", "Bac à sable", "Pas encore", "Indice"):
        assert french not in out, french
    assert containers_of(child.pid) == []


@pytest.mark.docker
def test_practice_in_french_from_the_site_language_takes_english_words(tmp_path: Path) -> None:
    root = project(tmp_path, "pratique.md", config="")
    (root / "mkdocs.yml").write_text(MKDOCS_FR, encoding="utf-8")
    child = play(root, "--practice", "docs/pratique.md")
    child.expect("Mode pratique : tapez vous-même les commandes de chaque étape.")
    prompt = r"\[1/3\] debian\$ "
    child.expect(prompt)
    child.sendline("hint")
    child.expect("Indice : la page documente")
    child.expect("touch /srv/depot/LISEZMOI")
    child.expect(prompt)
    child.sendline("skip")
    child.expect(r"Étape passée \(sa commande documentée a été exécutée pour la suite\)\.")
    child.expect(r"À vous \(debian\) : écrivez le fichier /etc/app/app.ini\.")
    child.expect(r"\[2/3\] debian\$ ")
    child.sendline("HINT")  # meta words in any case
    child.expect("cat > /etc/app/app.ini <<'FIN'")
    child.expect(r"\[2/3\] debian\$ ")
    child.sendline("quit")
    out, status = finish(child)
    assert status == 0, out
    for row in ("Mode : pratique", "Étapes faites : 0/3", "Étapes passées : 1"):
        assert row in out, row
    assert "Indices utilisés : 2" in out
    # No --lang was given: the resume command does not add one.
    assert "runbookdocs play --resume --practice docs/pratique.md" in out
    assert "Bac à sable supprimé." in out
    assert containers_of(child.pid) == []


# -- destructive steps (danger=): asked first, No by default, never run silently ----------


@pytest.mark.docker
def test_a_destructive_step_is_not_run_when_the_learner_says_no(tmp_path: Path) -> None:
    root = project(tmp_path, "danger.md")
    child = play(root, "docs/danger.md")
    child.expect("Étape 1/3")
    child.expect(r"\[Entrée\] exécuter")
    child.send("\r")
    child.expect("✓ Conforme à la page.")
    child.expect("Étape 2/3")
    child.expect(r"\[Entrée\] exécuter")
    child.send("\r")
    child.expect(r"Étape destructive : efface /srv/data et tout ce qu'il contient\.")
    child.expect(r"L'exécuter \? \[o\] oui  \[N\] non \(par défaut\)  \[q\] quitter")
    child.send("\r")  # Enter: the default, no
    child.expect("Non exécutée")
    child.expect("Étape 3/3")
    child.expect(r"\[Entrée\] exécuter")
    child.send("\r")
    out, status = finish(child)
    assert status == 0, out
    # The files are still there: step 3 finds them as the page says.
    assert "✓ Sortie conforme à la page." in out
    assert "Étapes faites : 2/3" in out and "Étapes passées : 1" in out
    assert containers_of(child.pid) == []


@pytest.mark.docker
def test_a_destructive_step_runs_once_the_learner_says_yes(tmp_path: Path) -> None:
    root = project(tmp_path, "danger.md", config="")  # English
    child = play(root, "docs/danger.md")
    child.expect(r"\[Enter\] run")
    child.send("\r")
    child.expect("Step 2/3")
    child.expect(r"\[Enter\] run  \[s\] skip")
    child.send("s")  # passing the step would run it unseen: asked too
    child.expect(r"Destructive step: efface /srv/data et tout ce qu'il contient\.")
    child.expect(r"Run it\? \[y\] yes  \[N\] no \(default\)  \[q\] quit")
    child.send("y")
    child.expect(r"Step skipped \(its documented command was run for the next steps\)\.")
    child.expect("Step 3/3")
    child.expect(r"\[Enter\] run")
    child.send("\r")
    out, status = finish(child)
    assert status == 0, out
    assert "No such file or directory" in out  # step 2 did run: /srv/data is gone
    assert "Steps skipped: 1" in out and "Differences from the page: 1" in out


@pytest.mark.docker
def test_resume_does_not_replay_a_destructive_step_the_learner_declined(tmp_path: Path) -> None:
    root = project(tmp_path, "danger.md")
    child = play(root, "docs/danger.md")
    child.expect(r"\[Entrée\] exécuter")
    child.send("\r")
    child.expect(r"\[Entrée\] exécuter")
    child.send("\r")
    child.expect(r"\[N\] non")
    child.send("n")
    child.expect("Étape 3/3")
    child.expect(r"\[Entrée\] exécuter")
    child.send("q")
    out, status = finish(child)
    assert status == 0 and "Pour reprendre" in out, out
    child = play(root, "--resume", "docs/danger.md")
    child.expect("Reprise à l'étape 3/3")
    child.expect(r"\[Entrée\] exécuter")
    child.send("\r")
    out, status = finish(child)
    assert status == 0, out
    assert "Étape destructive" not in out  # nothing asked, nothing run again
    assert "✓ Sortie conforme à la page." in out  # the files are still there


@pytest.mark.docker
def test_practice_asks_before_the_learner_types_a_destructive_step(tmp_path: Path) -> None:
    root = project(tmp_path, "danger.md")
    child = play(root, "--practice", "docs/danger.md")
    child.expect(r"\[1/3\] debian\$ ")
    child.sendline("mkdir -p /srv/data && touch /srv/data/commandes.csv")
    child.expect("✓ Étape 1 réussie.")
    child.expect("Étape destructive : efface /srv/data")
    child.expect(r"\[N\] non \(par défaut\)")
    child.send("n")
    child.expect("Non exécutée")
    child.expect(r"\[3/3\] debian\$ ")  # straight to step 3: nothing typed ran for step 2
    child.sendline("ls /srv/data")
    child.expect("✓ Étape 3 réussie.")
    out, status = finish(child)
    assert status == 0, out
    assert "[2/3]" not in out
    assert "Étapes faites : 2/3" in out and "Étapes passées : 1" in out


@pytest.mark.docker
@pytest.mark.parametrize(
    ("typed", "ran"),
    [("\n\n\n\n", False), ("\n\nnon\n\n", False), ("\n\n", False), ("\n\noui\n\n", True)],
    ids=["enter-is-no", "no", "end-of-input-quits", "yes"],
)
def test_a_destructive_step_without_a_terminal(tmp_path: Path, typed: str, ran: bool) -> None:
    """Input that is not a terminal is read a line per question, as for every key: an empty
    line is the default (no), the end of input quits; only a yes runs the step."""
    root = project(tmp_path, "danger.md")
    env = {**os.environ, "TERM": "dumb", "RUNBOOKDOCS_PLAIN": "1"}
    env.pop("CI", None)
    proc = subprocess.run(
        [sys.executable, "-m", "runbookdocs.cli", "play", "docs/danger.md"],
        cwd=root,
        env=env,
        input=typed,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    out = proc.stdout
    assert proc.returncode == 0, out + proc.stderr
    assert "Étape destructive : efface /srv/data" in out
    if ran:
        assert "No such file or directory" in out and "Écarts avec la page : 1" in out
    elif typed == "\n\n":
        assert "Étape 3/3" not in out and "Pour reprendre" in out  # quit, progress kept
    else:
        assert "Non exécutée" in out and "✓ Sortie conforme à la page." in out
