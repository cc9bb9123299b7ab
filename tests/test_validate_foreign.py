"""The check on documentation written the way other projects write it (issue #11).

Each page of `tests/samples/foreign/` holds the categories of false alarms and silent misses
found on other people's documentation, written anew; the check runs on them through the CLI
without any configuration (a new user's path), and the real defects among them must still be
found. Further tests drive rule selection (`select`/`ignore`, `runbook.ignore`, the `allow`
directive, `--select`/`--ignore`) and dialects (configured, per directory, detected).
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from tests.helpers import cli, make_project
from tests.validate_helpers import check_page

SAMPLES = Path(__file__).parent / "samples" / "foreign"
needs_shellcheck = pytest.mark.skipif(not shutil.which("shellcheck"), reason="no shellcheck")


def _foreign(tmp_path: Path, *args: str) -> tuple[int, list[str], str]:
    """`runbookdocs check foreign/` in a folder without configuration: (exit, findings, stderr)
    with findings as `file:line:col: severity [CODE]` (messages are free to improve)."""
    shutil.copytree(SAMPLES, tmp_path / "foreign")
    proc = cli("check", "foreign", "--no-cache", *args, cwd=tmp_path)
    found = []
    for line in proc.stdout.splitlines():
        m = re.match(r"(\S+?:\d+:\d+): (error|warning): .*\[(\w+)\]$", line)
        if m:
            found.append(f"{m.group(1)}: {m.group(2)} [{m.group(3)}]")
    return proc.returncode, found, proc.stderr


@needs_shellcheck
def test_pages_as_others_write_them(tmp_path: Path) -> None:
    status, found, err = _foreign(tmp_path)
    assert "Traceback" not in err
    assert "dialect: commonmark for 140 page(s), detected: no mkdocs.yml" in err
    # foreign/docusaurus-site/ and docusaurus-ids/, Docusaurus sites: CommonMark, and said so
    assert re.search(r"dialect: commonmark for 5 page\(s\), detected from \S+ \(Docusaurus\)", err)
    assert re.search(r"dialect: commonmark for 5 page\(s\), detected from \S+-ids/\S+ \(Docu", err)
    assert re.search(r"commonmark for 5 page\(s\), detected from \S+-website/website/\S+ \(Do", err)
    assert re.search(r"commonmark for 2 page\(s\), detected from \S+-dashes/\S+ \(Docu", err)
    assert re.search(r"commonmark for 1 page\(s\), detected from \S+-highlight/\S+ \(Do", err)
    assert "dialect: hugo for 29 page(s), detected from" in err  # foreign/hugo/, a Hugo site
    assert "dialect: mkdocs for 5 page(s), detected from" in err  # foreign/i18n-site/
    assert "dialect: mkdocs for 6 page(s), detected from" in err  # foreign/mkdocs-site/
    assert "dialect: mkdocs for 1 page(s), detected from" in err  # plain-mkdocs-site/
    assert re.search(r"mkdocs for 1 page\(s\), detected from \S+/zensical-site/zensical.toml", err)
    assert "dialect: mkdocs for 3 page(s), detected from" in err  # foreign/html-site/
    assert "dialect: mkdocs for 2 page(s), detected from" in err  # foreign/commented-site/
    assert re.search(r"mkdocs for 3 page\(s\), detected from \S+/snippet-site/mkdocs.yml", err)
    assert status == 1
    assert found == [
        # Blind round 28 (E): an admin tool's session at its bare `>>` prompt, a `// note`
        # after each command (`-1`, `(beta)` in the notes) or two commands typed there: one
        # RBD308, no SC code or syntax error; a line appending to a file it names (`>>
        # pool.log cmd`) is still shell, its mistakes found.
        "foreign/admin-console.md:5:1: warning [RBD308]",
        "foreign/admin-console.md:25:1: error [RBD301]",
        "foreign/admin-console.md:30:1: error [RBD301]",
        # Blind round 13: a YAML block showing alternatives (a key repeated after a comment
        # saying `Or`, or after a comment naming another file) is one RBD209 warning; a key
        # repeated in one manifest with an unrelated comment between is still an error.
        "foreign/alternatives.md:13:7: warning [RBD209]",
        "foreign/alternatives.md:30:1: warning [RBD209]",
        "foreign/alternatives.md:46:3: error [RBD202]",
        # Blind round 17: a key repeated, each line with its own comment naming the machine it
        # is for, is alternatives too, in INI as in YAML; a key set twice with an unrelated
        # comment between stays a duplicate.
        "foreign/alternatives.md:55:1: warning [RBD209]",
        "foreign/alternatives.md:66:1: error [RBD205]",
        "foreign/alternatives.md:74:3: warning [RBD209]",
        # Blind round 25: template output after "The output will not be what we expect:" and
        # a block after "we could break the example above by doing this:" are mistakes shown
        # on purpose; a manifest the page asks to apply is still checked.
        "foreign/announced-mistakes.md:33:9: error [RBD202]",
        # Blind round 22: `<a name=x>` and `<div id=x>` without quotes are anchors; a link to
        # an anchor the page lacks is still an error.
        # Blind round 31: objects printed in a syntax whose members are set with `=` (Alloy,
        # HCL) tagged json are one RBD208; one `=` among JSON's `:` members is still an error.
        "foreign/assigned-members.md:6:1: warning [RBD208]",
        "foreign/assigned-members.md:23:9: error [RBD201]",
        "foreign/bare-attributes.md:16:31: error [RBD502]",
        # Real defects, still found: a missing `\`, a space after `\`, `echo "\n"`, TODO.
        "foreign/bugs.md:5:3: warning [RBD302]",
        "foreign/bugs.md:9:26: warning [RBD302]",
        "foreign/bugs.md:14:6: warning [RBD302]",
        "foreign/bugs.md:19:1: warning [RBD506]",
        # Blind round 27 (B): `[format: (lines|csv|json)]`, an optional field and the values it
        # takes, is a reference's notation, not YAML; a key misindented beside it is found.
        "foreign/choice-notation.md:18:4: error [RBD202]",
        # Sessions typed into a key-value store's client (`name$>`, `host:port>`, `name>` with
        # its replies), a text protocol, a client started by a command, a site's `$>` shell
        # prompt, `field:value` statistics, a menu in a `.no-copy` block: one RBD308 at most
        # each; the open quote and the `>` without a file in real shell stay errors.
        "foreign/clients.md:5:1: warning [RBD308]",
        "foreign/clients.md:19:1: warning [RBD308]",
        "foreign/clients.md:28:1: warning [RBD308]",
        "foreign/clients.md:36:1: warning [RBD308]",
        "foreign/clients.md:46:1: warning [RBD308]",
        "foreign/clients.md:66:1: warning [RBD308]",
        "foreign/clients.md:77:1: warning [RBD308]",
        "foreign/clients.md:85:3: error [RBD301]",
        "foreign/clients.md:89:1: error [RBD301]",
        # Blind round 27 (B): a link inside an HTML comment, closed on its line or on a later
        # line of the paragraph, is not shown and not checked; a link after it still is.
        "foreign/commented-links.md:8:16: error [RBD501]",
        # Blind round 28 (D), no false alarm found: output kept in a heredoc no command reads,
        # `%` prompts in a `shell script` block, a JSON excerpt ending in `],` and a YAML key
        # shown right then wrong stay silent; a quote left open above such output is found.
        "foreign/commented-output.md:47:1: error [RBD301]",
        # Blind round 24: a mkdocs.yml whose entries carry a trailing `# comment` still enables
        # superfences: fences in list items and boxes are blocks (no RBD109), and their
        # mistakes are found (a space after `\`, a link to an anchor no heading makes).
        "foreign/commented-site/docs/index.md:9:66: error [RBD502]",
        "foreign/commented-site/docs/index.md:12:30: warning [RBD302]",
        "foreign/commented-site/docs/index.md:13:7: warning [RBD302]",
        # A `<!--` in a fence hides nothing; a directive shown in an example applies to nothing.
        "foreign/comments.md:18:1: error [RBD301]",
        # An MDX page: its blocks (inside JSX components too) are checked, its `import`,
        # `export` and JSX lines make no finding; the missing `\` is found.
        "foreign/components.mdx:33:3: warning [RBD302]",
        # Blind round 25: what is typed into a database client started in a container
        # (`docker exec -it X mongosh`, `kubectl exec -it X -- psql`) is the client's input:
        # one RBD308, no shell syntax error; past `\q` the shell's open quote is still found.
        "foreign/container-clients.md:5:1: warning [RBD308]",
        "foreign/container-clients.md:23:1: error [RBD301]",
        # Blind round 29 (H): `docker run img cat f > f` (Podman, `docker exec`, `kubectl exec
        # -- cat f > f` too) reads the container's file and writes the host's: no SC2094; `cat f
        # > f` on the host and a container with the folder mounted are still reported.
        "foreign/container-copies.md:20:5: warning [RBD302]",
        "foreign/container-copies.md:20:28: warning [RBD302]",
        "foreign/container-copies.md:26:76: warning [RBD302]",
        "foreign/container-copies.md:26:99: warning [RBD302]",
        # Blind round 19: a block the page shows as the mistake on purpose (a caption, a
        # heading, an admonition's title, a sentence ending "this won't work:", a comment
        # "# Don't do this!" in it) is not judged, and not run; after "If the output is
        # wrong, run:", "To avoid downtime, run:", under a heading naming a problem, or after
        # "Do not do this in production:", a mistake is still reported.
        "foreign/counter-examples.md:67:1: error [RBD301]",
        "foreign/counter-examples.md:74:11: error [RBD202]",
        "foreign/counter-examples.md:80:12: error [RBD202]",
        "foreign/counter-examples.md:86:15: error [RBD201]",
        # Blind round 12: the last block of a page left open, code alone inside, is closed by
        # the end of the page in CommonMark (RBD113); one holding the page's last sentence is
        # never closed (RBD101).
        "foreign/cut-off-prose.md:9:1: error [RBD101]",
        "foreign/cut-off.md:5:1: warning [RBD113]",
        # Blind round 17: `...` at the margin inside a `|` scalar, `[...]` inside a value,
        # `<- snipped ->` and `<snip>` lines, `@NAME@` template values, `...` after an item
        # ending in `},`, the forms of one member shown without braces, a value described
        # as `EPOCH.NANOS`: nothing. A command tagged yaml is one RBD208; a mistake past a
        # snip mark, members without a comma between them and one without its colon stay
        # errors.
        "foreign/cut-out.md:43:18: error [RBD202]",
        "foreign/cut-out.md:58:1: warning [RBD208]",
        "foreign/cut-out.md:87:11: error [RBD201]",
        "foreign/cut-out.md:94:10: error [RBD201]",
        # JSON cut after a member ending in `,`, a member shown alone and left open, `[...]`
        # elisions; SQL with `...`, `<words to fill in>`, `f(...)`: nothing. A document that
        # lost its last brace, a missing comma and a query cut mid-clause are still errors.
        "foreign/cut-short.md:77:15: error [RBD201]",
        "foreign/cut-short.md:83:3: error [RBD201]",
        "foreign/cut-short.md:87:33: error [RBD401]",
        # Blind round 30 (B): kubectl describe's Events table shown alone under `Events:` and a
        # systemd unit tagged toml: one RBD208 each; `***FILL IN***` values in YAML are to fill
        # in, no aliases. An unquoted `*.example.org` and a bare TOML value stay errors.
        "foreign/data-lookalikes.md:6:1: warning [RBD208]",
        "foreign/data-lookalikes.md:25:1: warning [RBD208]",
        "foreign/data-lookalikes.md:34:7: error [RBD202]",
        "foreign/data-lookalikes.md:41:8: error [RBD204]",
        # A flow mapping missing its commas under a YAML key is no braced configuration.
        "foreign/data-lookalikes.md:50:9: error [RBD202]",
        # Excerpts (INI too), multi-document YAML, JSON Lines, annotations: only the real error.
        "foreign/data.md:49:16: error [RBD201]",
        # Alternatives under captions are not duplicates; a key twice in one manifest is.
        "foreign/data.md:168:1: error [RBD202]",
        # A response format's notation (<placeholders>, "a" | "b"): only the missing colon.
        "foreign/data.md:190:20: error [RBD201]",
        # Blind round 18: an HTTP status line and headers above the JSON body (a response
        # format with `*number*` placeholders) tagged json: one RBD208.
        "foreign/data.md:232:1: warning [RBD208]",
        # Blind round 12: a debugger's session after the command that starts it (`(dlv) c`,
        # `(gdb) bt`, `(Pdb) n` and their output): one RBD308 each, a quote in the output
        # above the prompt too; a client's `(error)` reply is no prompt. An open quote above a
        # session and a missing `fi` after one stay errors.
        *[f"foreign/debuggers.md:{n}:1: warning [RBD308]" for n in (6, 14, 23, 33, 42, 52)],
        "foreign/debuggers.md:54:1: error [RBD301]",
        "foreign/debuggers.md:58:1: warning [RBD308]",
        "foreign/debuggers.md:62:1: error [RBD301]",
        # Fences 7 spaces under a list item: no fence for CommonMark (the backticks show), so
        # reported on a page that is not MkDocs' (see the next test for superfences).
        "foreign/deep-fences.md:7:8: error [RBD101]",
        "foreign/deep-fences.md:9:8: error [RBD301]",
        "foreign/deep-fences.md:11:8: error [RBD101]",
        "foreign/deep-fences.md:14:8: error [RBD301]",
        "foreign/deep-fences.md:20:8: error [RBD101]",
        "foreign/deep-fences.md:22:8: error [RBD301]",
        "foreign/deep-fences.md:27:8: error [RBD101]",
        # Blind round 25: a command and the device rows it prints (`name  (253:0)`) in one bash
        # block without prompts: one RBD308 each; a command line bash refuses is still an error.
        *[f"foreign/device-listing.md:{n}:1: warning [RBD308]" for n in (5, 12, 21)],
        "foreign/device-listing.md:22:1: error [RBD301]",
        # Blind round 14: a box diagram drawn with `|`, `_` and `-` tagged bash: one RBD308; a
        # Dockerfile's `MAINTAINER Name <e-mail>` holds no placeholder; `<container-name>` does.
        "foreign/diagrams.md:3:1: warning [RBD308]",
        "foreign/diagrams.md:23:19: warning [RBD307]",
        "foreign/diagrams.md:29:32: warning [RBD307]",  # an address at example.com
        # Blind round 11: a configuration written in HAProxy's directives tagged cfg is one
        # RBD208; a key continued under a valueless key in real INI is still an error.
        "foreign/directives.md:4:1: warning [RBD208]",
        "foreign/directives.md:22:1: error [RBD203]",
        # Blind round 23: a DNS answer under its `dig` command (a name ending in `.` first) is
        # output, its `<provider>` no argument; a placeholder in the command still is one.
        "foreign/dns-answers.md:19:12: warning [RBD307]",
        # Blind round 25: docusaurus-dashes/, front matter closed by a long line of dashes
        # (gray-matter ends it at the first line starting with `---`): read; a link to a
        # renamed heading and front matter that YAML refuses are still reported.
        "foreign/docusaurus-dashes/docs/cli/extras.md:8:64: error [RBD502]",
        "foreign/docusaurus-dashes/docs/cli/setup.md:4:30: error [RBD003]",
        # Blind round 28 (E): docusaurus-highlight/, Docusaurus magic comments (`#
        # highlight-next-line`, `highlight-start`/`-end`) inside a continued command are
        # left out of the code as the site does: nothing; a note of the page's own there
        # still breaks the command.
        "foreign/docusaurus-highlight/docs/api.md:30:3: warning [RBD302]",
        # A Docusaurus site: links without an extension are URLs of docs (`./sort_ro`, a
        # folder's own doc, a generated category index); only the missing doc and anchor.
        # Blind round 12: Docusaurus links to the URLs front matter ids and slugs make; an id
        # nobody sets, a file's name that an id replaced, an anchor no heading makes: reported.
        "foreign/docusaurus-ids/docs/guides/links.md:10:32: warning [RBD503]",
        "foreign/docusaurus-ids/docs/guides/links.md:10:66: warning [RBD503]",
        "foreign/docusaurus-ids/docs/guides/links.md:11:21: error [RBD502]",
        "foreign/docusaurus-site/docs/commands/generic/sort.md:6:20: warning [RBD503]",
        "foreign/docusaurus-site/docs/commands/generic/sort.md:6:50: error [RBD502]",
        # Blind round 16: docusaurus-website/, a site in website/ reading `path: "../docs"`:
        # only the missing doc, the `./` path that is not there and the missing anchor.
        "foreign/docusaurus-website/docs/runbooks/backup.md:6:28: warning [RBD503]",
        "foreign/docusaurus-website/docs/runbooks/backup.md:6:57: error [RBD501]",
        "foreign/docusaurus-website/docs/runbooks/backup.md:7:21: error [RBD502]",
        # Blind round 27 (B): a folder's name without its `/` over entries drawn with branches
        # (`|- cmd`, `+- tests`) is a directory tree: one RBD308; a word over a branch and an
        # open quote is still a shell error.
        "foreign/drawn-trees.md:5:1: warning [RBD308]",
        "foreign/drawn-trees.md:19:3: error [RBD301]",
        # An environment file's lines tagged bash (a DSN's `tcp(host:port)`): one RBD309; the
        # same value on a command line stays a syntax error.
        # Blind round 11: the lines typed into a file opened in an editor (`sudo vim f`, then
        # `key.name=value`) are its content: one RBD308; the commands after them are checked
        # (the open quote), and such a line alone is still another language.
        "foreign/editors.md:5:1: warning [RBD308]",
        "foreign/editors.md:15:1: warning [RBD308]",
        "foreign/editors.md:26:1: error [RBD301]",
        "foreign/editors.md:31:1: warning [RBD309]",
        # Blind round 11: YAML excerpts with `...` lines (indented, at the margin, in the
        # Prometheus reference notation): nothing; past the elisions, a mis-indented key is
        # reported on its own line, not as a document end.
        # Blind round 14: `(...)` or `(…)` ending a command line is an elision; a `(` left
        # open elsewhere is still a syntax error.
        "foreign/elided-args.md:18:1: error [RBD301]",
        # Blind round 21: `(..)` between the words of a command is options left out; glued
        # to a word it is still a syntax error.
        "foreign/elided-args.md:30:1: error [RBD301]",
        # Blind round 23: `... (what it leaves out)` between continued lines continues them;
        # a parenthesis left open below one is still an error.
        "foreign/elided-args.md:48:3: error [RBD301]",
        # Blind round 31: `  ...` under a key with a value (`kind: Job`) stands for levels
        # beside it, and `...<snip>` is an elision line; `a: b: c` is still an error.
        "foreign/elided-manifests.md:29:20: error [RBD202]",
        # Blind round 16: output cut short by a `...` line (JSON after its command, a stack
        # trace, a sample over lines) is one RBD308, as the whole of it is; a script missing its
        # `fi` past a `...`, and a quote left open above elided output, stay errors.
        "foreign/elided-output.md:5:1: warning [RBD308]",
        "foreign/elided-output.md:20:1: warning [RBD308]",
        "foreign/elided-output.md:29:1: warning [RBD308]",
        "foreign/elided-output.md:42:1: error [RBD301]",
        "foreign/elided-output.md:50:3: error [RBD301]",
        "foreign/elided-yaml.md:57:14: error [RBD202]",
        # Blind round 14: `. . .` elisions, and a `# ...` that left out the keys opening the
        # levels of the next line: nothing; past such an elision a mistake is still found.
        "foreign/elided-yaml.md:95:15: error [RBD202]",
        # Blind round 20: `..` on its own line is an elision too; past it a key without its
        # `:` is still found.
        "foreign/elided-yaml.md:113:12: error [RBD202]",
        # Blind round 21: `... more keys when you need them`, two fragments joined by an
        # indented `...`, `{NAME}` values to fill in: nothing; a brace left open among them
        # is still an error.
        "foreign/elided-yaml.md:145:16: error [RBD202]",
        # Blind round 23: `key: | ...`, `[...]` and a vertical ellipsis: nothing; a key
        # indented past its sibling above the dots is still an error.
        "foreign/elided-yaml.md:179:8: error [RBD202]",
        "foreign/env-files.md:5:1: warning [RBD309]",
        "foreign/env-files.md:16:1: error [RBD301]",
        # Blind round 21: backslash escapes and entity references in a link's destination are
        # read away (`step\_two.md` names `step_two.md`); a missing anchor behind an escaped
        # path and a folder that does not exist (no such file or directory) stay errors. Blind
        # round 25: `step\_two.md/` is the page on GitHub (commonmark and github dialects).
        "foreign/escaped_links/README.md:14:25: error [RBD502]",
        "foreign/escaped_links/README.md:15:31: error [RBD501]",
        # A closing fence outside its list item: one error, no phantom block after it.
        "foreign/fences.md:17:4: error [RBD101]",
        # `{ .sh }` is a shell block, and is checked.
        "foreign/fences.md:26:1: error [RBD301]",
        # Blind round 30 (A): values a program fills in before it reads its YAML (`%{NAME}`,
        # `{account}@{project}.iam...`), a reference's `[ - <alert> ]`, a JSON shape with `...`
        # and `...,` among its items, a log line tagged yml (one RBD208): no error; quotes
        # nested in a quoted value and a key misplaced under the notation still are.
        "foreign/filled-values.md:50:22: error [RBD202]",
        "foreign/filled-values.md:56:2: error [RBD202]",
        "foreign/filled-values.md:62:1: warning [RBD208]",
        # A link to a folder that exists: GitHub and GitLab show it; a missing one is broken.
        "foreign/folders.md:4:38: error [RBD501]",
        # Fragments in another case than the heading's id: broken outside GitHub (see
        # test_fragments_in_another_case_are_a_warning_on_github).
        "foreign/fragments.md:3:16: error [RBD502]",
        "foreign/fragments.md:11:32: error [RBD502]",
        # Blind round 16: a first command asking for help (`--help`, `-h`, `help sub`) and only
        # help text under it (option aliases `--force, -f`, `-v  text`, Go's `-addr string`):
        # one RBD308, as for kubectl's `--x='v':` entries under `$ cmd --help | grep x`;
        # console blocks and `$` sessions showing help: nothing. A flag under a command that
        # asks for no help, and a command left open under help text, stay found.
        "foreign/help-requests.md:3:1: warning [RBD308]",
        "foreign/help-requests.md:11:1: warning [RBD308]",
        "foreign/help-requests.md:42:1: warning [RBD308]",
        "foreign/help-requests.md:55:1: warning [RBD302]",
        "foreign/help-requests.md:62:1: error [RBD301]",
        # Help text (`--x[=v]: text`, options described in prose), a usage synopsis, what is
        # typed into `--interactive`, a psql session, one output line: one RBD308 each. An
        # unquoted regular expression, a forgotten `\` and `word(x)` after echo stay found.
        "foreign/help-text.md:5:1: warning [RBD308]",
        "foreign/help-text.md:13:1: warning [RBD308]",
        "foreign/help-text.md:19:1: warning [RBD308]",
        "foreign/help-text.md:27:1: warning [RBD308]",
        "foreign/help-text.md:39:1: warning [RBD308]",
        "foreign/help-text.md:49:1: warning [RBD308]",
        "foreign/help-text.md:57:1: error [RBD301]",
        "foreign/help-text.md:62:3: warning [RBD302]",
        "foreign/help-text.md:66:1: error [RBD301]",
        # Blind round 18: several options a line with no command (values ending in `/`), and
        # a `flags:` note with `(default-value)` then an example: one RBD308 each, no shell
        # error. Options under a command whose `\` was forgotten are still found.
        "foreign/help-text.md:79:1: warning [RBD308]",
        "foreign/help-text.md:89:1: warning [RBD308]",
        "foreign/help-text.md:102:3: error [RBD302]",
        "foreign/help-text.md:102:3: warning [RBD302]",
        # Blind round 21: `usage:` right under a command run without its arguments starts
        # help text (its description lines at the margin too): one RBD308; a command at the
        # margin under the usage is still checked.
        "foreign/help-text.md:107:1: warning [RBD308]",
        "foreign/help-text.md:137:1: error [RBD301]",
        # Blind round 21: an MkDocs site whose `use_directory_urls: false` comes from the file
        # its mkdocs.yml INHERITs serves each page as `page.html` next to the others: links to
        # `install.html`, `tuning/index.html#memory-limits` work; a page or anchor missing is
        # still reported, and so is a bare `install`, which has no URL there.
        "foreign/html-site/docs/index.md:6:21: warning [RBD503]",
        "foreign/html-site/docs/index.md:6:59: error [RBD502]",
        "foreign/html-site/docs/index.md:7:20: warning [RBD503]",
        # curl -v traces, HTTP responses with JSON bodies, a client's banner and prompt: one
        # RBD308 each, no syntax error; HTML pages (lines 30, 41): no RBD307 for `<html>`,
        # `<head>` (nothing else to say: masked, they parse). Log lines between
        # commands: one RBD308 and the commands checked alone (the quote left open on the
        # last command is found, bash no longer stops at the log line above it).
        "foreign/http.md:5:1: warning [RBD308]",
        "foreign/http.md:22:1: warning [RBD308]",
        "foreign/http.md:54:1: warning [RBD308]",
        "foreign/http.md:66:1: warning [RBD308]",
        "foreign/http.md:77:1: warning [RBD308]",
        "foreign/http.md:84:1: error [RBD301]",
        "foreign/http.md:87:1: warning [RBD308]",
        "foreign/http.md:98:1: warning [RBD308]",
        # Blind round 22: a shortcode in a folder of the site's shortcodes (`catalog/plans`)
        # building headings from data the build makes, and one alone on its line whose
        # template is not in the copy: the page's anchors are unknown, one warning for its
        # links to anchors not seen; a shortcode that wraps text or sits in a sentence adds
        # no heading, so a missing anchor next to one is still an error.
        "foreign/hugo/content/docs/catalog/plans.md:7:23: warning [RBD502]",
        "foreign/hugo/content/docs/catalog/regions.md:7:32: warning [RBD502]",
        "foreign/hugo/content/docs/catalog/zones.md:12:31: error [RBD502]",
        # Hugo: lower-case URLs of pages whose files are not, `aliases` (site- and
        # page-relative) as link targets; only the missing page, anchor and redirect.
        "foreign/hugo/content/docs/guide/backups.md:16:35: error [RBD501]",
        "foreign/hugo/content/docs/guide/backups.md:17:26: error [RBD502]",
        "foreign/hugo/content/docs/guide/backups.md:18:30: error [RBD501]",
        # Hugo's `highlight` shortcode is a block of its language, checked like a fence of
        # it at the page's lines (in a list item too): the `if` left open, the YAML list left
        # open, and a shortcode never closed. One in a fence or a comment is text; a fence
        # between two shortcodes is the block's code.
        "foreign/hugo/content/docs/guide/highlighted.md:16:3: error [RBD301]",
        "foreign/hugo/content/docs/guide/highlighted.md:24:26: error [RBD202]",
        "foreign/hugo/content/docs/guide/highlighted.md:57:1: error [RBD101]",
        # Blind round 27: pages a build step writes are listed in the repository's
        # `.gitignore`, so links to them resolve once the site is built; `x/index.md` is the
        # page `x.md` for Hugo's page lookup. A page neither kept nor ignored, and an index
        # of a folder with no page of its name, are still missing.
        "foreign/hugo/content/docs/guide/imported.md:10:15: error [RBD501]",
        "foreign/hugo/content/docs/guide/imported.md:14:63: error [RBD501]",
        # Blind round 23: `ref "/docs/guide/charter"` names charter.en.md, en being a language
        # the site configures; vision.fr.md, in a language it does not, stays broken.
        "foreign/hugo/content/docs/guide/languages.md:8:44: error [RBD501]",
        # Blind round 21: front matter closed by `----------` (Hugo ends it at any line
        # starting with `---`); a shortcode spread over lines that reads a Markdown file by a
        # named parameter brings that file's headings; an anchor it lacks is still reported.
        "foreign/hugo/content/docs/guide/limits.md:7:38: error [RBD502]",
        # `{{< relref >}}` finds a page in any case; the missing page and an anchor that the
        # heading's `{#id}` replaced are still reported.
        # Blind round 10: a folder named with a space is served at its sanitised URL
        # (`first-steps/`), a section page's relative alias is read from the folder above.
        "foreign/hugo/content/docs/guide/moving.md:11:37: error [RBD502]",
        "foreign/hugo/content/docs/guide/moving.md:12:30: error [RBD501]",
        "foreign/hugo/content/docs/guide/moving.md:12:91: error [RBD501]",
        "foreign/hugo/content/docs/guide/references.md:13:48: error [RBD501]",
        "foreign/hugo/content/docs/guide/references.md:14:27: error [RBD502]",
        # Blind round 11: a reference without `/` finds the one page with that base name; a
        # base name no page has, and a missing anchor in the page found, are still reported.
        "foreign/hugo/content/docs/guide/references.md:20:29: error [RBD501]",
        "foreign/hugo/content/docs/guide/references.md:21:39: error [RBD502]",
        # Blind round 13: a Hugo page whose body a shortcode reads from a file (its template
        # calls readFile) has that file's ids as anchors; when the file is not found, a missing
        # anchor is a warning; on a page showing no file it is still an error.
        "foreign/hugo/content/docs/guide/schema-links.md:12:54: error [RBD502]",
        "foreign/hugo/content/docs/guide/schema-links.md:14:14: warning [RBD502]",
        "foreign/hugo/content/docs/guide/schema-links.md:15:53: error [RBD502]",
        # Blind round 16: ids a shortcode builds from a field of a data file's entries are
        # read from the file (a link to none of them is broken); ids built otherwise are
        # unknown: a missing one is a warning. A page without such a shortcode: an error.
        "foreign/hugo/content/docs/guide/tuning.md:9:15: error [RBD502]",
        "foreign/hugo/content/docs/guide/tuning.md:11:45: warning [RBD502]",
        "foreign/hugo/content/docs/guide/tuning.md:14:16: error [RBD502]",
        # Blind round 24: a reference by name alone finds the one page of the site with that
        # name, in any folder, a section by its folder's name; a renamed anchor, an anchor in
        # the wrong case, a name no page has, and a name two pages have are still reported.
        "foreign/hugo/content/docs/lookup/by-name.md:12:26: error [RBD502]",
        "foreign/hugo/content/docs/lookup/by-name.md:13:22: error [RBD502]",
        "foreign/hugo/content/docs/lookup/by-name.md:14:21: error [RBD501]",
        "foreign/hugo/content/docs/lookup/by-name.md:15:20: error [RBD501]",
        # Blind round 31: `../log.reader` names the page `log.reader.md` (a dot that is no
        # file extension); a headless page's links are read from the pages showing it, so a
        # path no page has is reported, not one that climbs from elsewhere.
        "foreign/hugo/content/docs/plugins/intake.md:9:30: warning [RBD503]",
        "foreign/hugo/content/docs/shared/plugin-note.md:8:37: error [RBD501]",
        # Blind round 27: a news page the site's `permalinks` serve four folders deep links
        # its picture four levels up, in the site's static folder; a missing one is reported.
        "foreign/hugo/content/news/launch.md:13:54: warning [RBD503]",
        # Blind round 16: HuJSON tagged json (comments and trailing commas) is one RBD208;
        # comments alone, or one standing for members left out, are annotations; jsonc and
        # hujson blocks read both, json5 is not checked. A missing comma is reported where it
        # is (not at the comment above it), in HuJSON too; a trailing comma in JSON stays one.
        "foreign/hujson.md:6:1: warning [RBD208]",
        "foreign/hujson.md:69:7: error [RBD201]",
        "foreign/hujson.md:79:5: error [RBD201]",
        "foreign/hujson.md:87:1: error [RBD201]",
        # mkdocs-static-i18n, suffix structure: `x.md` and `x.png` are the page's language's
        # (else the default's) files, accents folded in anchors (toc's default slugify),
        # `x.en.md/#a` is MkDocs' page, a `?` in an `href` is a URL's: only what is missing.
        "foreign/i18n-site/docs/index.de.md:7:21: error [RBD501]",
        "foreign/i18n-site/docs/index.de.md:7:52: error [RBD502]",
        "foreign/i18n-site/docs/index.en.md:10:26: error [RBD501]",
        "foreign/i18n-site/docs/index.en.md:10:64: error [RBD502]",
        # INI dialects: Samba's `:` in keys, repeats in systemd units, WireGuard and dnsmasq;
        # a key or section repeated where the reader keeps one value is still reported.
        "foreign/ini-dialects.md:61:1: error [RBD205]",
        "foreign/ini-dialects.md:68:1: error [RBD205]",
        # Blind round 20: git's configuration adds a value for each repeated key (`fetch =`,
        # `helper =`); a `[user]` section without git's subsections keeps one value a key.
        "foreign/ini-dialects.md:108:1: error [RBD205]",
        # Fences that nested list items close (CommonMark) with nothing of the page inside: a
        # warning each; one that swallows the item's text and a stray fence stay errors.
        "foreign/item-fences.md:5:5: warning [RBD113]",
        "foreign/item-fences.md:9:5: warning [RBD113]",
        "foreign/item-fences.md:15:5: warning [RBD113]",
        "foreign/item-fences.md:18:5: warning [RBD113]",
        "foreign/item-fences.md:25:4: error [RBD101]",
        "foreign/item-fences.md:31:3: error [RBD101]",
        # Jekyll: pages published as `.html`, headings made by Liquid; only the broken links.
        "foreign/jekyll.md:4:79: warning [RBD503]",
        # A heading holding a Liquid expression: any text may stand in its place in the id.
        "foreign/jekyll.md:9:12: error [RBD502]",
        # Command output tagged json ($ lines and their JSON, a label, counts): one warning
        # each; excerpts (elided values and members, a member cut out, a shell splice) pass;
        # a trailing comma and a missing one in printed JSON are still errors.
        "foreign/json-output.md:6:1: warning [RBD208]",
        "foreign/json-output.md:14:1: warning [RBD208]",
        "foreign/json-output.md:27:1: warning [RBD208]",
        "foreign/json-output.md:36:1: warning [RBD208]",
        "foreign/json-output.md:74:1: error [RBD201]",
        "foreign/json-output.md:81:3: error [RBD201]",
        # Blind round 30 (B): a JSON line with carets under it pointing at a field, items of a
        # list each with its comma (no brackets): nothing to report; a protocol buffer's text
        # (bare keys, no commas, braces) tagged json: one RBD208. A missing comma inside an
        # object, or between members shown alone, is still an error.
        "foreign/json-pieces.md:20:1: warning [RBD208]",
        "foreign/json-pieces.md:34:3: error [RBD201]",
        "foreign/json-pieces.md:39:4: error [RBD201]",
        # Configuration tagged bash on a page that is no runbook (container labels, Caddy
        # labels, sysctl settings, sudoers rules): one RBD309 each, no error per line and no
        # RBD307 for their `<name>`; htpasswd output and a URL written over lines: RBD308.
        # `a.b=value command` and a quote left open stay command bugs.
        "foreign/labels.md:5:1: warning [RBD309]",
        "foreign/labels.md:16:1: warning [RBD309]",
        "foreign/labels.md:24:1: warning [RBD309]",
        "foreign/labels.md:31:1: warning [RBD309]",
        "foreign/labels.md:39:1: warning [RBD308]",
        "foreign/labels.md:45:1: warning [RBD308]",
        "foreign/labels.md:56:1: error [RBD302]",
        "foreign/labels.md:61:1: error [RBD301]",
        # Blind round 10: directory trees (`name/` on top, one indented name a line, drawn or
        # not): one RBD308 each; an nginx-style configuration: one RBD309; a choice among many
        # values `<a|b|...>` is a placeholder (one RBD307). A command left open after a folder
        # and a function written without `()` stay shell errors.
        "foreign/layouts.md:5:1: warning [RBD308]",
        "foreign/layouts.md:31:1: warning [RBD308]",
        "foreign/layouts.md:43:3: error [RBD301]",
        "foreign/layouts.md:48:1: warning [RBD309]",
        "foreign/layouts.md:69:1: error [RBD301]",
        "foreign/layouts.md:75:51: warning [RBD307]",
        # Blind round 24: a tree with a name back at the margin after indented entries, one
        # drawn with `|-` branches and a bar alone: one RBD308 each; a command at the margin
        # after a folder is no tree, its open quote is found.
        "foreign/layouts.md:80:1: warning [RBD308]",
        "foreign/layouts.md:90:1: warning [RBD308]",
        "foreign/layouts.md:102:1: error [RBD301]",
        # Links: only the broken page and the broken anchor.
        "foreign/links.md:34:15: error [RBD501]",
        "foreign/links.md:34:52: error [RBD502]",
        # `[1]: words` is text; `[2]: x.md "t"` a link (used in the table)
        "foreign/links.md:41:6: error [RBD501]",
        # Blind round 20: balanced parentheses in a destination; a missing image still found.
        "foreign/links.md:45:19: warning [RBD503]",
        # An `ls -l` listing, a YAML list of commands, SQL with a comment, a list of flags,
        # log lines, a screen's two columns, console messages: one RBD308 each, not one
        # shellcheck finding per line nor a syntax error; no RBD307 for `<zone>` in flags.
        "foreign/listings.md:7:1: warning [RBD308]",
        "foreign/listings.md:17:1: warning [RBD308]",
        "foreign/listings.md:25:1: warning [RBD308]",
        "foreign/listings.md:31:1: warning [RBD308]",
        "foreign/listings.md:38:1: warning [RBD308]",
        "foreign/listings.md:45:1: warning [RBD308]",
        "foreign/listings.md:51:1: warning [RBD308]",
        # Markers nobody sees (link definitions, quoted source, a path to fill in, a URL
        # query in a table): only the TODO in prose and the lost character.
        "foreign/markers.md:29:1: warning [RBD506]",
        "foreign/markers.md:31:24: warning [RBD507]",
        # Blind round 17: U+FFFD alone in a code span is the character shown; in a word
        # (in a code span too) it is a lost letter.
        "foreign/markers.md:40:29: warning [RBD507]",
        "foreign/markers.md:41:25: warning [RBD507]",
        # Blind round 18: a TODO struck through, XXX with YYY in one example message: nothing;
        # XXX in a sentence of its own is still a marker.
        "foreign/markers.md:48:17: warning [RBD506]",
        # Blind round 20: a TODO that is a link's text points to a to-do kept elsewhere.
        "foreign/markers.md:54:17: warning [RBD506]",
        # Blind round 21: `Closes #TODO` in a code span is text to complete, not a note; an
        # issue #TODO in prose and a `# TODO` comment shown in a code span are still notes.
        "foreign/markers.md:59:55: warning [RBD506]",
        "foreign/markers.md:59:74: warning [RBD506]",
        # Blind round 21: `XXX:` starting several lines of output is a blanked log prefix; one
        # `XXX:` line alone in its block is still a marker.
        "foreign/markers.md:71:1: warning [RBD506]",
        # Blind round 30 (A): MDX pages and the partials they import (`import Steps from
        # "alias/_partials/_steps.mdx"`, then `<Steps />`): the partial's headings are anchors
        # of the page, the page's headings anchors the partial's links reach; a partial no
        # page imports links to its includer's anchors (a warning). An anchor neither has, and
        # one of a partial imported but never rendered, are still errors.
        "foreign/mdx-partials/_partials/_steps.md:4:49: error [RBD502]",
        "foreign/mdx-partials/_reference/_functions.md:1:16: warning [RBD502]",
        "foreign/mdx-partials/guide.md:11:35: error [RBD502]",
        "foreign/mdx-partials/guide.md:11:100: error [RBD502]",
        # Blind round 19: a merge of a value an application's tag loads (`<<: !include
        # file.yaml`, a list of them, with an anchor) is merged as a mapping; a merge of an
        # untagged word is still refused.
        "foreign/merge-includes.md:48:5: error [RBD202]",
        "foreign/merge-includes.md:55:27: error [RBD202]",
        # An MkDocs site with attr_list and mkdocs-macros (settings in an INHERIT file):
        # `data-*` attributes are the site's, `data-prompt` is the block's prompt (a client's
        # `mysql>`, SQL at it: one RBD308); a session's command continued after `|` is one
        # command; `--opt=x` right under a command is its forgotten `\`; SC2094 for a name
        # made from the file read is not reported, for the same file it is; a link holding
        # `{{release}}` is the macros plugin's. A mistyped attribute stays an error, on a
        # runbook page too, where the prompt `run` would type is reported (RBD320).
        "foreign/mkdocs-site/docs/copy-button.md:17:1: warning [RBD308]",
        "foreign/mkdocs-site/docs/copy-button.md:27:11: error [RBD103]",
        "foreign/mkdocs-site/docs/copy-button.md:40:1: warning [RBD302]",
        "foreign/mkdocs-site/docs/copy-button.md:57:10: warning [RBD302]",
        "foreign/mkdocs-site/docs/copy-button.md:57:18: warning [RBD302]",
        # mkdocstrings (a plugin of the site): `::: a.b.C` gives the anchors `a.b.C` and
        # `a.b.C.*` (its members); a path no `:::` line documents is still reported.
        "foreign/mkdocs-site/docs/extending.md:7:37: error [RBD502]",
        # Blind round 11: `../../api` from notes/2.4.1.md reaches api.md's directory URL
        # (use_directory_urls); a name no page has is still reported.
        "foreign/mkdocs-site/docs/notes/2.4.1.md:7:11: warning [RBD503]",
        "foreign/mkdocs-site/docs/release.md:3:80: error [RBD501]",
        # Blind round 31: `../notes/2.4.1` is the page `2.4.1.md` at its directory URL; a
        # version no page has is still reported.
        "foreign/mkdocs-site/docs/release.md:6:18: warning [RBD503]",
        "foreign/mkdocs-site/docs/runbook.md:2:1: warning [RBD508]",
        "foreign/mkdocs-site/docs/runbook.md:9:1: warning [RBD320]",
        "foreign/mkdocs-site/docs/runbook.md:12:27: error [RBD103]",
        # Blind round 27: `mount`'s listing (`/dev/x on /path type ext4 (rw,...)`) under the
        # command in a console block is its output, no syntax error; an open quote still is.
        "foreign/mount-listing.md:21:1: error [RBD301]",
        # MyST directives and targets `(name)=` anywhere in the project: only the missing ones.
        "foreign/myst.md:15:69: error [RBD502]",
        "foreign/myst.md:16:16: warning [RBD503]",
        # Blind round 16: `<a name="x"></a>` (in a table, a list item, a heading) is a target
        # as an `id` is; `name` on another element is none, and a missing anchor stays an error.
        "foreign/name-anchors.md:16:53: error [RBD502]",
        "foreign/name-anchors.md:17:34: error [RBD502]",
        # Blind round 31 (B): a fence under a list nested 4 columns in (`    1. Step`) below a
        # paragraph of the outer item is the nested step's block, no RBD109; a fence 7 columns
        # in under a paragraph in no list item is still indented code.
        "foreign/nested-steps.md:20:8: error [RBD109]",
        # `%{var}` (curl's write-out), `<cert>`...`</cert>` elements: no placeholders; a real
        # `<pod-name>` and `{namespace}` still are.
        "foreign/not-placeholders.md:24:14: warning [RBD307]",
        # A configuration reference in the Prometheus notation: only the mis-indented field.
        "foreign/notation.md:26:3: error [RBD202]",
        # Blind round 14: values naming a described block with its fields under them, fields
        # with notes, defaults over lines, list items, `]:`: nothing; a real mistake beside.
        "foreign/notation.md:78:23: error [RBD202]",
        # Blind round 20: a template with `<...>` for left-out settings and `{a|b}` slots, and
        # a format named in capitals (`[EPOCH_SECONDS, RECORD]`): nothing; mistakes beside.
        "foreign/notation.md:110:11: error [RBD202]",
        "foreign/notation.md:114:2: error [RBD201]",
        # Blind round 15: `<--other-required-flags>` is a placeholder like `<namespace>` (one
        # RBD307, no syntax error); a `<` with nothing after it is still a syntax error.
        "foreign/option-placeholders.md:6:29: warning [RBD307]",
        "foreign/option-placeholders.md:13:1: error [RBD301]",
        # Blind round 13: a file of another format tagged yaml (its title names a .conf file,
        # kubectl describe output, an INI file) is one RBD208; broken YAML stays an error.
        "foreign/other-formats.md:6:1: warning [RBD208]",
        "foreign/other-formats.md:15:1: warning [RBD208]",
        "foreign/other-formats.md:25:1: warning [RBD208]",
        "foreign/other-formats.md:37:6: error [RBD202]",
        # Blind round 14: a Jsonnet object tagged json is one RBD208; JSON with one trailing
        # comma or one unquoted key stays an error.
        "foreign/other-formats.md:43:1: warning [RBD208]",
        "foreign/other-formats.md:56:1: error [RBD201]",
        "foreign/other-formats.md:61:3: error [RBD201]",
        # Blind round 21: a server's configuration in braces (no commas) tagged yaml: one
        # RBD208; a flow mapping missing one comma among others stays an error.
        "foreign/other-formats.md:69:1: warning [RBD208]",
        "foreign/other-formats.md:81:5: error [RBD202]",
        # Blind round 29 (H): Go statements (`x := f(y)`, `defer`, `if err != nil {`, a stub's
        # chained calls) and a Makefile (an `ifeq` conditional, rules with tab-indented
        # recipes and no assignment) under a `shell` tag: one RBD309 each, no syntax error; a
        # real script's stray `)` is still one.
        "foreign/other-languages.md:5:1: warning [RBD309]",
        "foreign/other-languages.md:15:1: warning [RBD309]",
        "foreign/other-languages.md:21:1: warning [RBD309]",
        "foreign/other-languages.md:32:1: warning [RBD309]",
        "foreign/other-languages.md:46:1: error [RBD301]",
        # Blind round 15: output tagged a configuration language (a log line then its JSON,
        # Prometheus samples tagged ini): one RBD208; a prompt and `cat FILE` then the file
        # tagged yaml: one RBD208, and the file is still checked as YAML (line 35).
        "foreign/output-as-config.md:6:1: warning [RBD208]",
        "foreign/output-as-config.md:16:1: warning [RBD208]",
        "foreign/output-as-config.md:25:1: warning [RBD208]",
        "foreign/output-as-config.md:33:1: warning [RBD208]",
        "foreign/output-as-config.md:35:2: error [RBD202]",
        # Placeholder arguments: one warning per block, no syntax error or shellcheck noise.
        # Blind round 23: output tagged bash whose first line is text bash cannot read
        # (`... (shortened)`, `;; QUESTION SECTION:`): one RBD308, no syntax error; a command
        # left unfinished above its output is still one.
        "foreign/output-as-shell.md:9:1: warning [RBD308]",
        "foreign/output-as-shell.md:19:1: warning [RBD308]",
        "foreign/output-as-shell.md:29:1: warning [RBD308]",
        "foreign/output-as-shell.md:30:1: error [RBD301]",
        "foreign/placeholders.md:6:9: warning [RBD307]",
        "foreign/placeholders.md:11:25: warning [RBD307]",
        "foreign/placeholders.md:22:17: warning [RBD307]",
        "foreign/placeholders.md:29:19: warning [RBD307]",  # <...>
        "foreign/placeholders.md:35:60: warning [RBD307]",  # =</path/to/file>
        "foreign/placeholders.md:41:1: warning [RBD307]",  # <....> ending a command
        "foreign/placeholders.md:47:17: warning [RBD307]",  # <80|443>, <25|587>: choices
        # Blind round 21: `"$(cmd <arg>)"` and `--user=<<name>>` are placeholders (one RBD307);
        # `<<WORD>>` with no line ending it is still a here-document never closed.
        "foreign/placeholders.md:55:40: warning [RBD307]",
        "foreign/placeholders.md:62:1: error [RBD301]",
        "foreign/placeholders.md:69:17: warning [RBD307]",  # <名前>, <путь>: any script
        # Blind round 15: a MkDocs site without superfences renders fences with Python-Markdown's
        # fenced_code, which takes them only at the margin: one under a list item or in a quote
        # is text there (RBD109, not checked as a block); a block at the margin is checked.
        "foreign/plain-mkdocs-site/docs/install.md:5:5: error [RBD109]",
        "foreign/plain-mkdocs-site/docs/install.md:11:5: error [RBD109]",
        "foreign/plain-mkdocs-site/docs/install.md:17:3: error [RBD109]",
        "foreign/plain-mkdocs-site/docs/install.md:25:3: error [RBD301]",
        # Blind round 31 (B): a value of a name in braces joined by `:` to a port
        # (`baseUrl: {workstation-ip}:7002`, `- {host}:6379`) is an address to fill in, no
        # flow mapping; a key misindented under it and `{cpu: 1}:2` are still errors.
        "foreign/pointed-values.md:20:8: error [RBD202]",
        "foreign/pointed-values.md:24:17: error [RBD202]",
        # Links written against pretty URLs are broken where pages are served as files.
        "foreign/pretty-urls.md:4:22: error [RBD501]",
        "foreign/pretty-urls.md:4:69: error [RBD502]",
        "foreign/pretty-urls.md:6:22: warning [RBD503]",
        "foreign/pretty-urls.md:8:45: error [RBD501]",
        "foreign/pretty-urls.md:9:13: error [RBD501]",
        # Blind round 30 (B): a zerolog line (`<nil> INF starting ...`) is output, `<nil>` no
        # placeholder; a sign-in URL printed without its scheme (`<host>/sign_in?code=X`)
        # under a command's message is output (one RBD308, no SC2276); ssh's password prompt
        # after `$ ` is no command. A quote left open on a command is still an error.
        "foreign/printed-lines.md:11:1: warning [RBD308]",
        "foreign/printed-lines.md:27:3: error [RBD301]",
        # Blind round 30 (A): psql's banner, a migration tool's report (`== name: done`), a
        # printed Python dictionary, line protocol after `> `, psql tables and expanded
        # records, upper-case SQL for an embedded database (ATTACH, COPY): one RBD308 each; a
        # quote left open above a record is still an error.
        "foreign/printed-output.md:5:1: warning [RBD308]",
        "foreign/printed-output.md:14:1: warning [RBD308]",
        "foreign/printed-output.md:24:1: warning [RBD308]",
        "foreign/printed-output.md:37:1: warning [RBD308]",
        "foreign/printed-output.md:44:1: warning [RBD308]",
        "foreign/printed-output.md:52:1: warning [RBD308]",
        "foreign/printed-output.md:61:1: error [RBD301]",
        "foreign/printed-output.md:68:1: warning [RBD308]",
        # A command then its output (messages, kind/name results, a Prometheus sample, JSON,
        # a PEM block, a table): one RBD308 each (none where every shell finding is one the
        # selection leaves out, line 41); `<none>`, `<git SHA>`, `<integer>` in output
        # are no placeholders; `...` between continued lines elides options. A `\` forgotten
        # before `--flag=value` is still found.
        # Blind round 19: Ansible's results (`host | SUCCESS => {` and JSON, `TASK [x] ****`
        # banners), a rebase plan's help line (`squash <commit> = ...`), a key listing with
        # `<ops@example.com>` under output: one RBD308 each where bash or shellcheck object,
        # no syntax error, no placeholder. A command under output with an open quote, and a
        # placeholder in a command under output, are still reported.
        "foreign/printed-results.md:9:1: warning [RBD308]",
        "foreign/printed-results.md:19:1: warning [RBD308]",
        "foreign/printed-results.md:30:1: warning [RBD308]",
        "foreign/printed-results.md:36:1: warning [RBD308]",
        "foreign/printed-results.md:52:1: error [RBD301]",
        "foreign/printed-results.md:60:14: warning [RBD307]",
        # Blind round 24: a report whose first line is a heading underlined with `===` starts
        # with no command: one RBD308, no syntax error; a command above such a report is
        # still one, and its open quote is found.
        "foreign/printed-results.md:65:1: warning [RBD308]",
        "foreign/printed-results.md:80:1: error [RBD301]",
        "foreign/printed-results.md:89:1: warning [RBD308]",  # `name (kind)` alone: a title
        # Blind round 27 (B): a table a program printed (`+--+` or box-drawing borders, `|` or
        # `│` rows, maybe `...`) tagged yaml is one RBD208; a block scalar misindented is found.
        "foreign/printed-tables-as-yaml.md:6:1: warning [RBD208]",
        "foreign/printed-tables-as-yaml.md:16:1: warning [RBD208]",
        "foreign/printed-tables-as-yaml.md:28:2: error [RBD202]",
        # Blind round 28 (E): values a program printed (Python lists and bytes, `Name(Inner {
        # .. })`, `name:"x" name:(a, b)` fields), alone or under their command, tagged bash:
        # one RBD308 each, no syntax error; an open quote in a command under output, and a
        # `(` in a command, are still errors.
        "foreign/printed-values.md:5:1: warning [RBD308]",
        "foreign/printed-values.md:14:1: warning [RBD308]",
        "foreign/printed-values.md:21:1: warning [RBD308]",
        "foreign/printed-values.md:28:1: warning [RBD308]",
        "foreign/printed-values.md:40:1: error [RBD301]",
        "foreign/printed-values.md:46:1: error [RBD301]",
        # Blind round 11: output tagged yaml (`curl -v` headers, an install's printed notes
        # with a `$ ` command in them): one RBD208 each; unfinished YAML is still an error.
        "foreign/printed-yaml.md:6:1: warning [RBD208]",
        "foreign/printed-yaml.md:14:1: warning [RBD208]",
        "foreign/printed-yaml.md:27:15: error [RBD202]",
        # Blind round 24: `$ cat file`, the file, a comment and `$ command`: the file ends at
        # the next prompt, one RBD208 and nothing else; a mistake in the file is still found.
        "foreign/printed-yaml.md:34:1: warning [RBD208]",
        "foreign/printed-yaml.md:49:1: warning [RBD208]",
        "foreign/printed-yaml.md:53:5: error [RBD202]",
        "foreign/printed.md:3:1: warning [RBD308]",
        "foreign/printed.md:9:1: warning [RBD308]",
        "foreign/printed.md:14:1: warning [RBD308]",
        "foreign/printed.md:32:1: warning [RBD308]",
        "foreign/printed.md:63:1: warning [RBD308]",
        "foreign/printed.md:91:3: warning [RBD302]",
        # A list of `--name=value` options, a folder listing and a `---` rule: output.
        "foreign/printed.md:96:1: warning [RBD308]",
        "foreign/printed.md:102:1: warning [RBD308]",
        # An annotation `domain/key=value`, a YAML item printed by grep, a JSON document cut
        # short at the end of the block: output, one RBD308 each.
        "foreign/printed.md:111:1: warning [RBD308]",
        "foreign/printed.md:115:1: warning [RBD308]",
        "foreign/printed.md:120:1: warning [RBD308]",
        # Blind round 18: JSON printed after a `❯❯` marker, objects on one line among its
        # items, an escaped quote in a string: output, one RBD308 (no syntax error).
        "foreign/printed.md:131:1: warning [RBD308]",
        # Blind round 24: a command then status lines and logs prefixed `== NAME ==`, and one
        # then `> exit` typed at pprof's prompt: one RBD308 each; a quote left open above such
        # logs, and `> exit` under curl (no prompt), are still reported.
        "foreign/prompted-output.md:6:1: warning [RBD308]",
        "foreign/prompted-output.md:18:1: warning [RBD308]",
        "foreign/prompted-output.md:32:1: error [RBD301]",
        "foreign/prompted-output.md:37:3: warning [RBD302]",
        # Blind round 28 (E): a line typed at an admin tool's prompt (`adminctl >> config
        # set ...`) tagged toml is one RBD208; a quote left open in real TOML is an error.
        "foreign/prompted-toml.md:6:1: warning [RBD208]",
        "foreign/prompted-toml.md:13:1: error [RBD204]",
        # Sessions at `me@host:~$` and `host:~#` prompts with output after `...`, a loop typed
        # without `> ` prompts: nothing; a loop never closed is still an error.
        "foreign/prompts.md:31:3: error [RBD301]",
        # Blind round 30 (A): PostgreSQL an extension adds to (`WITH (ext.option)` storage
        # parameters, `rollup(x)` and `stddev(x, 'pop')` calls), what psql prints after a
        # statement (tables, `(2 rows)`, expanded records, `\\d`'s titled table, after a tab
        # following `db->`), a function's signature, a `DO $$ ... $$` block: no error; output
        # alone is one RBD208. A missing comma, a `;` missing before COMMIT, date_trunc without
        # its field and a quote left open are still errors.
        "foreign/psql-sessions.md:91:1: warning [RBD208]",
        "foreign/psql-sessions.md:101:18: error [RBD401]",
        "foreign/psql-sessions.md:107:1: error [RBD401]",
        "foreign/psql-sessions.md:111:24: error [RBD401]",
        "foreign/psql-sessions.md:115:1: error [RBD401]",
        # Blind round 25: PromQL and Grafana variable queries tagged json are one RBD208
        # each; a JSON object with a comma missing is still an error.
        "foreign/queries-as-json.md:8:1: warning [RBD208]",
        "foreign/queries-as-json.md:14:1: warning [RBD208]",
        "foreign/queries-as-json.md:20:1: warning [RBD208]",
        "foreign/queries-as-json.md:28:3: error [RBD201]",
        # Blind round 23: a command then libav log lines (`[Name @ 0x...]`), output cut with
        # `< -- snip -- >`, output quoted with `> ` under a command (its `<none>` column no
        # placeholder): one RBD308 each; `<< pod-name >>` is a placeholder, no here-document;
        # the `\` missing in a `docker run` is still found.
        "foreign/quoted-output.md:5:4: warning [RBD308]",
        "foreign/quoted-output.md:18:4: warning [RBD308]",
        "foreign/quoted-output.md:30:4: warning [RBD308]",
        "foreign/quoted-output.md:40:26: warning [RBD307]",
        "foreign/quoted-output.md:49:6: warning [RBD302]",
        # A fence in a blockquote under a list item is found; left open, it is reported (the
        # end of the page closes it with code alone inside: RBD113 since blind round 12).
        "foreign/quoted.md:17:9: warning [RBD113]",
        # Blind round 19: SC2094 where the file written is named like a subcommand of the
        # command (`shopctl config admin > config`): nothing; a file a filter reads, or an
        # option's value, written by the same pipeline: still reported.
        "foreign/redirect-names.md:21:6: warning [RBD302]",
        "foreign/redirect-names.md:21:14: warning [RBD302]",
        "foreign/redirect-names.md:22:5: warning [RBD302]",
        "foreign/redirect-names.md:22:27: warning [RBD302]",
        "foreign/redirect-names.md:23:9: warning [RBD302]",
        "foreign/redirect-names.md:23:26: warning [RBD302]",
        "foreign/redirect-names.md:23:35: warning [RBD302]",
        # Blind round 21: a link reference definition no link uses renders nothing, so its
        # target is not checked; a used one (`[label]`, `[label][]`, `[text][Label]` in any
        # case) whose page or anchor is missing is still reported.
        "foreign/reference-links.md:7:17: error [RBD501]",
        "foreign/reference-links.md:8:13: error [RBD501]",
        "foreign/reference-links.md:9:13: error [RBD502]",
        # Blind round 23: release notes listing pull requests by their titles ("Drop the stale
        # TODO in ...", then the request's link or `(#4150)`): about the code, not the page; a
        # TODO of the page's own, in a list item or not, is still one.
        "foreign/release-notes.md:9:17: warning [RBD506]",
        "foreign/release-notes.md:11:3: warning [RBD506]",
        # Blind round 22: a session indented as a whole (`   $ id alice` then its output),
        # XML tagged bash (one RBD309), Goldmark's own heading id (`_` made `-`, `/` dropped),
        # JSON elided with `{•••}`, and links without `.md` to a sibling page (commonmark: the
        # renderer is unknown, many serve `x.md` at `x`): nothing. A broken command in an
        # indented session, a missing anchor, a missing comma, a missing `\` and a link to a
        # page that exists under no name are still reported.
        "foreign/renderer-habits.md:18:6: error [RBD301]",
        "foreign/renderer-habits.md:26:1: warning [RBD309]",
        "foreign/renderer-habits.md:38:24: error [RBD502]",
        "foreign/renderer-habits.md:57:2: error [RBD201]",
        "foreign/renderer-habits.md:67:3: warning [RBD302]",
        "foreign/renderer-habits.md:74:37: warning [RBD503]",
        # Blind round 15: a mysql result table (`+----+` borders, `| who |` rows, one column or
        # more) tagged bash, alone or under its command: one RBD308; a `|` line alone is still
        # a syntax error.
        "foreign/result-tables.md:11:1: warning [RBD308]",
        "foreign/result-tables.md:21:1: warning [RBD308]",
        "foreign/result-tables.md:35:1: error [RBD301]",
        # Blind round 30 (B): an Apache configuration (`<Location>` sections around CamelCase
        # directives) tagged bash has no placeholders to fill; a real `<site-name>` still is
        # one, and so are the tags of a section left open.
        "foreign/server-configs.md:36:15: warning [RBD307]",
        "foreign/server-configs.md:43:1: warning [RBD307]",
        # Sessions after `> `, `/ $ `, `me@box:~$ ` prompts: commands checked, output not; the
        # `\` a continued command lost is still found.
        "foreign/sessions.md:55:5: warning [RBD302]",
        # Blind round 20: flags each followed by `\   # note` are commands whose `\` does not
        # continue (one SC2215, on the first flag line run alone), not output; a command and
        # the log it prints (`[2024/03/01 10:00:01] [ info] ...`, a `^C` before one): one
        # RBD308, and a broken command above its log is still reported; a command's last
        # argument line shown alone, ending with `\`, passes (a quote left open in one does
        # not); PowerShell's call operator and `$env:` in a shell block: one RBD309; a Unix
        # shell's `&` and a Windows path in its string are no PowerShell, its own error stands.
        "foreign/shell-lookalikes.md:9:5: warning [RBD302]",
        "foreign/shell-lookalikes.md:15:1: warning [RBD308]",
        "foreign/shell-lookalikes.md:28:1: warning [RBD308]",
        "foreign/shell-lookalikes.md:29:1: error [RBD301]",
        "foreign/shell-lookalikes.md:51:3: error [RBD301]",
        "foreign/shell-lookalikes.md:56:1: warning [RBD309]",
        "foreign/shell-lookalikes.md:62:1: warning [RBD309]",
        "foreign/shell-lookalikes.md:71:1: error [RBD301]",
        "foreign/shell-lookalikes.md:76:1: warning [RBD309]",  # backtick continuations
        # Blind round 21: in a block of a command and its output, lines starting with `--`
        # under output (a trace's hops) make no SC2215; under the command, still one.
        "foreign/shell-lookalikes.md:85:1: warning [RBD308]",
        "foreign/shell-lookalikes.md:104:1: warning [RBD308]",
        "foreign/shell-lookalikes.md:106:3: warning [RBD302]",
        # Blind round 21: a Makefile and a library call tagged shell: one RBD309 each; make's
        # `:=` above bash's own open quote is no Makefile, the error stands.
        "foreign/shell-lookalikes.md:114:1: warning [RBD309]",
        "foreign/shell-lookalikes.md:129:1: warning [RBD309]",
        "foreign/shell-lookalikes.md:135:1: error [RBD301]",
        # Blind round 24: a Rego policy tagged sh (`package`, `import data.`, `:=` rules):
        # one RBD309; a script starting with a `package` command is still checked.
        "foreign/shell-lookalikes.md:140:1: warning [RBD309]",
        "foreign/shell-lookalikes.md:158:1: error [RBD301]",
        # A console block without prompts that looks like commands is checked as commands.
        "foreign/shells.md:19:1: error [RBD301]",
        # Output and a query tagged as shell: one finding each.
        "foreign/shells.md:27:1: warning [RBD308]",
        "foreign/shells.md:34:1: warning [RBD308]",
        "foreign/shells.md:76:1: warning [RBD308]",
        "foreign/shells.md:82:1: warning [RBD308]",
        "foreign/shells.md:88:1: warning [RBD308]",
        "foreign/shells.md:96:3: warning [RBD308]",  # a command and the table it prints
        # Help text with --[no-]flags and wrapped descriptions: output. Its `<target>` is in
        # output too, not in a command (no RBD307 since precision6: placeholders are read
        # in the lines a reader types only).
        "foreign/shells.md:108:1: warning [RBD308]",
        # PowerShell tagged bash: one warning for the tag, not its syntax errors.
        "foreign/shells.md:126:1: warning [RBD309]",
        # Pseudo-code, pseudo-headers, a formula, log lines with their stream and a query URL.
        "foreign/shells.md:135:1: warning [RBD308]",
        "foreign/shells.md:139:1: warning [RBD308]",
        "foreign/shells.md:146:1: warning [RBD308]",
        "foreign/shells.md:152:1: warning [RBD308]",
        "foreign/shells.md:157:1: warning [RBD308]",
        "foreign/shells.md:158:8: warning [RBD307]",
        # An ssh_config tagged ini: one warning for the tag. A `<<: *default` merged from the
        # part of the file left out passes; an alias one letter off the block's own anchor,
        # an array closed by `}` among `// ...` elisions and a TODO readers see are reported,
        # a TODO in an HTML comment is not.
        "foreign/shown-in-part.md:6:1: warning [RBD208]",
        "foreign/shown-in-part.md:27:7: error [RBD202]",
        "foreign/shown-in-part.md:41:3: error [RBD201]",
        "foreign/shown-in-part.md:45:82: warning [RBD506]",
        # Blind round 13: `(?#TODO ...)` in a regex is no marker (a `# TODO` line is); a worded
        # `[ ... ]` elision in a command is one RBD307; a TOML value shown alone passes (a
        # broken table does not); a code span over a quote's lazy lines holds no link (a real
        # link after it is still checked).
        "foreign/shown-values.md:13:3: warning [RBD506]",
        "foreign/shown-values.md:19:12: warning [RBD307]",
        "foreign/shown-values.md:34:8: error [RBD204]",
        "foreign/shown-values.md:42:43: error [RBD501]",
        # Blind round 25: `page.md/#anchor` (a slash after a page file) is the page on GitHub:
        # its anchor is checked there; a missing anchor and a missing page are still errors.
        "foreign/slash-after-page/guide.md:4:64: error [RBD502]",
        "foreign/slash-after-page/guide.md:6:64: error [RBD501]",
        # Blind round 23: an MkDocs site (settings reached through `INHERIT:`) whose
        # pymdownx.snippets `base_path` lists two folders, both left out of the site's pages by
        # `exclude_docs`, and a drafts folder left out by the `exclude` plugin. Includes are
        # found there and checked in the pages that include them (the invalid YAML, the
        # anchor a part brings in is known); the parts are no pages of their own. A missing
        # include and an anchor no part brings are still errors.
        "foreign/snippet-site/docs/index.md:5:8: error [RBD202]",
        "foreign/snippet-site/docs/index.md:10:28: error [RBD502]",
        "foreign/snippet-site/docs/index.md:12:1: error [RBD120]",
        # The site enables mkdocs-macros: a call in a shell block (`{{ f(a="x") }}`) is a
        # word once rendered; a command left unfinished around one is still an error.
        "foreign/snippet-site/docs/install.md:13:1: error [RBD301]",
        # Blind round 14: a sql block that opens the client from the shell (`mariadb -u root
        # -p`, after `#` comments): one RBD208; the statements typed in the client after it
        # are still parsed (the misspelt SELECT).
        "foreign/sql-clients.md:6:1: warning [RBD208]",
        "foreign/sql-clients.md:16:1: warning [RBD208]",
        "foreign/sql-clients.md:25:1: warning [RBD208]",
        "foreign/sql-clients.md:26:12: error [RBD401]",
        # Blind round 21: a URL format alone (`http(s)://host:port/path`) is notation, one
        # RBD308; upper-case clause lines under a query's first lines are the query, not
        # commands checked again. Given to a command, or under a command, they are checked.
        "foreign/sql-in-shell.md:5:1: warning [RBD308]",
        "foreign/sql-in-shell.md:11:1: warning [RBD308]",
        "foreign/sql-in-shell.md:24:1: error [RBD301]",
        "foreign/sql-in-shell.md:29:1: error [RBD301]",
        # SQL sessions (prompts, output) and a vendor's statements: only the real errors.
        "foreign/sql.md:46:29: error [RBD401]",
        "foreign/sql.md:50:10: error [RBD401]",
        # SQL typed at the `mysql>` prompt, tagged bash: one RBD308, no syntax error.
        "foreign/sql.md:55:1: warning [RBD308]",
        # Blind round 23: sqlite3's dot-commands (`.tables`, `.exit`) between statements are
        # the client's, blanked; a misspelt statement is still an error.
        "foreign/sqlite-session.md:24:16: error [RBD401]",
        # Blind round 28 (C): a status report tagged yaml, its table lined up by spaces under a
        # rule of dashes, cut with `[...]` (YAML reads the rest as one string) or holding a
        # `: `: one RBD208; such a table inside a `|` scalar is YAML, a mistake past `[...]`
        # is still found.
        "foreign/status-tables-as-yaml.md:6:1: warning [RBD208]",
        "foreign/status-tables-as-yaml.md:21:1: warning [RBD208]",
        "foreign/status-tables-as-yaml.md:47:23: error [RBD202]",
        # Blind round 20: a log shipper's stream processor (`FROM STREAM:x`, `FROM TAG:'x.*'`,
        # `WINDOW TUMBLING (10 SECOND)`, `CREATE STREAM x AS SELECT`) and its grammar synopsis
        # pass; a mistake in the rest of such a statement is still found.
        "foreign/stream-sql.md:36:24: error [RBD401]",
        "foreign/stream-sql.md:40:48: error [RBD401]",
        # Blind round 11: a synopsis with `[--long|-s]` choices tagged sh: one RBD308; a real
        # command with a pipe keeps its error.
        "foreign/synopses.md:5:1: warning [RBD308]",
        "foreign/synopses.md:14:1: error [RBD301]",
        # Blind round 24: `(ARCHIVE_FILE | IMAGE_NAME)`, a choice between values in capitals,
        # is notation: one RBD307, no syntax error; a subshell of commands is still checked.
        "foreign/synopses.md:20:15: warning [RBD307]",
        "foreign/synopses.md:26:25: warning [RBD307]",
        "foreign/synopses.md:32:1: error [RBD301]",
        # Content tabs written the old SuperFences way: checked, the wrong TOML found.
        "foreign/tabs.md:24:7: error [RBD204]",
        # Blocks tagged with another language: one warning each; real defects stay errors.
        "foreign/tags.md:6:1: warning [RBD208]",
        "foreign/tags.md:12:1: warning [RBD208]",
        "foreign/tags.md:20:1: warning [RBD208]",
        "foreign/tags.md:30:1: warning [RBD208]",
        "foreign/tags.md:41:7: error [RBD202]",
        "foreign/tags.md:46:28: error [RBD201]",
        "foreign/tags.md:51:9: error [RBD202]",
        "foreign/tags.md:57:1: warning [RBD208]",  # TOML tagged yaml
        "foreign/tags.md:68:1: warning [RBD208]",  # HCL tagged json
        # `kubectl apply -f - <<END` around a manifest tagged yaml: the manifest is checked.
        "foreign/tags.md:96:2: error [RBD202]",
        "foreign/tags.md:104:1: warning [RBD208]",  # TOML with a value to fill in
        # Blind round 27 (B): a test runner's output after a `▶` prompt, with the assertions it
        # generates (`len(hits) == 2`, `hits["a"][0].Ok == true`), is one RBD308; a comparison
        # written for the shell (`[ x == y ]`) in an `if` left open is still an error.
        "foreign/test-assertions.md:5:1: warning [RBD308]",
        "foreign/test-assertions.md:24:3: error [RBD301]",
        # Blind round 23: a table column named TODO is no marker; a TODO in a cell is one.
        "foreign/todo-column.md:12:35: warning [RBD506]",
        # Blind round 22: "the TODO above", "the FIXME below" point at markers, reported
        # where they are.
        "foreign/todo-pointers.md:4:1: warning [RBD506]",
        "foreign/todo-pointers.md:10:1: warning [RBD506]",
        # Blind round 27: "our TODO list", "still TODO", "a TODO list" talk about to-dos; a
        # `TODO:` line is still a marker.
        "foreign/todo-words.md:11:1: warning [RBD506]",
        "foreign/todo-words.md:17:1: warning [RBD506]",  # a marker left, still found
        # Blind round 19: `...` lines in a TOML excerpt are elisions, as in INI and YAML; past
        # them an unclosed string is found on its line, and a bare word without them.
        "foreign/toml-excerpts.md:28:32: error [RBD204]",
        "foreign/toml-excerpts.md:36:1: error [RBD204]",
        # Blind round 25: TOML templates (`= <true|false>`, `[ <names> ]` to fill, `= { ... }`
        # for a value left out) are valid once filled; a string left open is still an error.
        "foreign/toml-templates.md:27:1: error [RBD204]",
        # Blind round 28 (E): a fence indented 4 spaces under a paragraph, in no list item,
        # is text in CommonMark (indented code, or the paragraph going on): one RBD109 each,
        # not checked as a block; in a list item, at the margin or under an HTML tag it is a
        # block, and its mistakes are found.
        "foreign/top-indented.md:5:5: error [RBD109]",
        "foreign/top-indented.md:10:5: error [RBD109]",
        "foreign/top-indented.md:19:5: error [RBD301]",
        "foreign/top-indented.md:25:1: error [RBD301]",
        "foreign/top-indented.md:43:7: error [RBD301]",  # in an item, a lazy line above
        # Blind round 14: `#top` and `#Top` scroll to the top of any HTML page (the HTML
        # standard); a renamed section is still missing. `fragments` without `.md` is no file
        # in GitHub's browser, but many renderers serve fragments.md there: with no renderer
        # known (commonmark) it is not judged since blind round 22 (`github`: reported).
        "foreign/top-links.md:11:75: error [RBD502]",
        # Blind round 25: a folder's layout tagged yaml (`name:` on top, then file and folder
        # names) is one RBD208; a tab as indentation and zero-width spaces are still errors.
        "foreign/tree-as-yaml.md:6:1: warning [RBD208]",
        "foreign/tree-as-yaml.md:21:1: error [RBD202]",
        "foreign/tree-as-yaml.md:28:19: error [RBD202]",
        # Blind round 12: a fence the end of the page closes, code alone inside: CommonMark
        # renders it as written (RBD113); one that swallows the page's last sentence: RBD101.
        "foreign/unclosed.md:3:1: warning [RBD113]",
        # The forms of one value listed one a line are no duplicates; a key twice among
        # others is. A sequence merged into a sequence (`- <<: *list`) is one CI system's
        # extension that standard YAML readers refuse: still reported.
        "foreign/value-forms.md:19:1: error [RBD202]",
        "foreign/value-forms.md:28:7: error [RBD202]",
        # XXX standing for a value (after `=`, in code), TODO in a comment over two lines or in
        # a quoted log line: nothing; XXX in a block's comment, in prose, TODO shown: reported.
        "foreign/values.md:9:3: warning [RBD506]",
        "foreign/values.md:22:1: warning [RBD506]",
        "foreign/values.md:24:1: warning [RBD506]",
        "foreign/values.md:26:11: warning [RBD506]",
        # Blind round 17: XXX in a code span running over two lines, after `replaces ... with`,
        # in quotes, in `XXX-XXX`: shown values; a number never filled in and a note: reported.
        "foreign/values.md:45:27: warning [RBD506]",
        "foreign/values.md:47:1: warning [RBD506]",
        # Blind round 19: XXX after what it is the value of (`run id XXX`, `#XXX`): nothing.
        "foreign/values.md:52:39: warning [RBD506]",
        # A vendor's statements and index hints, shard targeting with `use`, sessions opened
        # from the shell or after a comment, a here-document: only the real errors.
        "foreign/vendor-sql.md:68:32: error [RBD401]",
        "foreign/vendor-sql.md:73:12: error [RBD401]",
        "foreign/vendor-sql.md:79:29: error [RBD401]",
        "foreign/vendor-sql.md:90:17: error [RBD401]",  # `ANALYZE VERBOSE;` above it passes
        # Blind round 17: `LANGUAGE sql SECURITY DEFINER` passes; a missing `)` does not.
        "foreign/vendor-sql.md:105:38: error [RBD401]",
        # VitePress: lines to highlight and line numbers in the info string, a heading's `_`
        # before a digit and `-1` when repeated; only the anchor no heading makes.
        "foreign/vitepress.md:42:62: error [RBD502]",
        # Blind round 14: a VuePress site (and jekyll-site/, a Jekyll one: nothing) serves
        # `x.md` at `x` too: `./webserver#...` and `webserver#...` name webserver.md, whose
        # `:::: tab "Name"` panels have ids; the missing page and the missing anchor are
        # reported. A link with one `../` too many stops at the site's root: a warning.
        "foreign/vuepress-site/guide/install.md:6:35: warning [RBD503]",
        "foreign/vuepress-site/guide/install.md:6:64: error [RBD502]",
        "foreign/vuepress-site/guide/install.md:9:19: warning [RBD501]",
        "foreign/vuepress-site/guide/install.md:9:60: error [RBD502]",
        # Blind round 23: PowerShell (`& x | Invoke-Expression`, `[Environment]::X(`, a
        # function using `$args`) and cmd's `@FOR /f ... DO` in shell blocks: one RBD309 each;
        # a bash function using `$args` and a bash `for` loop keep their syntax errors.
        "foreign/windows-tabs.md:11:1: warning [RBD309]",
        "foreign/windows-tabs.md:17:1: warning [RBD309]",
        "foreign/windows-tabs.md:23:1: warning [RBD309]",
        "foreign/windows-tabs.md:29:1: warning [RBD309]",
        "foreign/windows-tabs.md:37:1: error [RBD301]",
        "foreign/windows-tabs.md:44:3: error [RBD301]",
        # Blind round 29 (H): `-w %{status}`, quoted or not, is curl's own write-out format,
        # not a variable of the page without its `$`; `image:{release}` still is.
        "foreign/write-out-formats.md:20:35: warning [RBD306]",
        # Blind round 20: a change shown in a YAML block (`-` and `+` lines changing one key,
        # each side YAML) is one RBD208; a `+` line alone or a broken side stays an error.
        "foreign/yaml-diffs.md:6:1: warning [RBD208]",
        "foreign/yaml-diffs.md:19:10: error [RBD202]",
        "foreign/yaml-diffs.md:27:1: error [RBD202]",
        # Blind round 24: marks put in front of the lines as written, in an excerpt with `...`
        # lines: one RBD208; a side still wrong once the marks are taken out stays an error.
        "foreign/yaml-diffs.md:35:1: warning [RBD208]",
        "foreign/yaml-diffs.md:57:1: error [RBD202]",
        # Blind round 27 (B): an expression (a function call and an operator, no key) tagged
        # yaml is one RBD208; a key misindented in a rule whose filter is an expression is found.
        "foreign/yaml-expressions.md:6:1: warning [RBD208]",
        "foreign/yaml-expressions.md:14:10: error [RBD202]",
        # Blind round 29: a Zensical site (zensical.toml, no mkdocs.yml) looks includes up in
        # the base_path it sets, from its own folder; an include in none is still an error.
        "foreign/zensical-site/docs/index.md:13:1: error [RBD120]",
    ]


def test_legacy_superfences_tabs_follow_the_pinned_renderer(tmp_path: Path) -> None:
    """`tab="Label"` after the language is a content tab for pymdown-extensions before 8.0 and
    a dropped fence from 8.0 on (both rendered with python-markdown and superfences 7.0 and
    13): the pin in the requirements next to mkdocs.yml decides; the blocks are checked."""
    (tmp_path / "docs").mkdir()
    shutil.copy(SAMPLES / "tabs.md", tmp_path / "docs" / "tabs.md")
    (tmp_path / "mkdocs.yml").write_text("site_name: Tabs\n", encoding="utf-8")

    def codes_found() -> list[str]:
        proc = cli("check", "docs", "--no-cache", cwd=tmp_path)
        assert "Traceback" not in proc.stderr
        return re.findall(r"^docs/tabs\.md:(\d+):\d+: \w+: .*\[(\w+)\]$", proc.stdout, re.M)

    dropped = [("6", "RBD102"), ("11", "RBD102"), ("16", "RBD102"), ("22", "RBD102")]
    assert codes_found() == [*dropped, ("24", "RBD204")]
    (tmp_path / "requirements.txt").write_text(
        "mkdocs==1.4.3\npymdown-extensions==7.0\n", encoding="utf-8"
    )
    from runbookdocs.dialect import legacy_superfences

    legacy_superfences.cache_clear()
    assert codes_found() == [("24", "RBD204")]
    (tmp_path / "requirements.txt").write_text("pymdown-extensions>=10\n", encoding="utf-8")
    assert codes_found() == [*dropped, ("24", "RBD204")]


def test_site_settings_decide_html_attributes_and_template_links(tmp_path: Path) -> None:
    """`data-*` attributes are accepted where the MkDocs site enables attr_list (read through
    `INHERIT:`), links holding `{{ }}` are left alone where it enables mkdocs-macros; the same
    pages in a site without them are reported (superfences drops the attribute, and the link
    names a file called `{{release}}.md`)."""
    site = tmp_path / "site"
    shutil.copytree(SAMPLES / "mkdocs-site", site)

    def found() -> list[tuple[str, str, str]]:
        proc = cli("check", "site/docs", "--no-cache", cwd=tmp_path)
        assert "Traceback" not in proc.stderr
        return re.findall(r"^site/docs/(\S+?):(\d+):\d+: \w+: .*\[(\w+)\]$", proc.stdout, re.M)

    with_settings = found()
    assert ("copy-button.md", "27", "RBD103") in with_settings  # taget=: a typo, still
    assert [f for f in with_settings if f[2] == "RBD103" and f[1] != "27"] == [
        ("runbook.md", "12", "RBD103")  # the runbook's `taget=`, not its data-prompt
    ]
    assert [f for f in with_settings if f[2] == "RBD501"] == [("release.md", "3", "RBD501")]
    (site / "base.yml").write_text(
        "markdown_extensions:\n  - pymdownx.superfences\nplugins:\n  - search\n",
        encoding="utf-8",
    )
    without = found()
    dropped = [f[1] for f in without if f[0] == "copy-button.md" and f[2] == "RBD103"]
    assert dropped == ["5", "11", "17", "27", "33", "38", "45", "55"]
    assert [f for f in without if f[2] == "RBD501"] == [
        ("release.md", "3", "RBD501"),
        ("release.md", "3", "RBD501"),
    ]


def test_every_block_is_found_like_commonmark(tmp_path: Path) -> None:
    """No block dropped against the CommonMark reference (markdown-it-py), and the blocks
    after a `<!--` opened inside a fence or a misplaced closing fence are all there."""
    from markdown_it import MarkdownIt

    from runbookdocs.config import Config
    from runbookdocs.document import read_document

    config = Config.defaults(tmp_path)
    md = MarkdownIt("commonmark")
    for page in sorted([*SAMPLES.glob("*.md"), *SAMPLES.glob("*.mdx")]):
        doc = read_document(page, config)
        ours = {b.line for b in doc.blocks}
        text = page.read_text(encoding="utf-8")
        reference = {t.map[0] + 1 for t in md.parse(text) if t.type == "fence" and t.map}
        # Where CommonMark opens a block at a closing fence written outside its list item,
        # the check reads the closing fence (and reports it): that is not a dropped block.
        assert reference - set(doc.misplaced_closes) <= ours, page.name
    fences = read_document(SAMPLES / "fences.md", config)
    assert fences.misplaced_closes == (19,)
    assert [(b.line, b.lang) for b in fences.blocks] == [
        (3, "bash"),
        (7, "shell"),
        (12, "yaml"),
        (17, "bash"),
        (21, "bash"),
        (25, "sh"),
    ]


def test_mkdocs_dialect_reports_what_superfences_does_not_render(tmp_path: Path) -> None:
    page = (SAMPLES / "fences.md").read_text(encoding="utf-8")
    found = [f for f in check_page(tmp_path, page) if "RBD10" in f]
    assert found == [
        "docs/page.md:3:1: error: fence indented by 1 space(s): pymdownx.superfences does not "
        "render it as a code block (CommonMark, GitHub and Hugo do) [RBD109]",
        "docs/page.md:7:10: error: 'script' after the language: pymdownx.superfences drops "
        "this fence and renders it as text; write ```shell alone [RBD102]",
        "docs/page.md:17:4: error: fence is never closed: its closing fence at line 19 is less "
        "indented than the list item or block it is in [RBD101]",
    ]
    # The same page read the GitHub way: no superfences rule applies.
    (tmp_path / "gh").mkdir()
    found = [f for f in check_page(tmp_path / "gh", page, config='dialect = "github"\n')]
    assert [f for f in found if "RBD109" in f or "RBD102" in f] == []


def test_mkdocs_dialect_renders_fences_indented_with_their_content(tmp_path: Path) -> None:
    """Superfences renders a fence indented by 1-3 spaces (under a list item or not) when its
    content and closing fence are indented as much: no RBD109 there (rendered with
    `python -m markdown -x pymdownx.superfences`)."""
    page = (SAMPLES / "indented.md").read_text(encoding="utf-8")
    found = [re.sub(r".*:(\d+):\d+: .*\[(\w+)\]$", r"\1 \2", f) for f in check_page(tmp_path, page)]
    # The two untagged blocks in the list items are blocks (advice on a runbook page), and
    # nothing says any fence is not rendered.
    assert found == ["5 RBD108", "9 RBD108"]


def test_wrong_language_is_a_parse_error_on_runbook_pages(tmp_path: Path) -> None:
    """A runbook's configuration block must parse as tagged: no RBD208 there."""
    page = (SAMPLES / "tags.md").read_text(encoding="utf-8")
    found = [
        re.sub(r".*:(\d+):\d+: (\w+): .*\[(\w+)\]$", r"\1 \2 \3", f)
        for f in check_page(tmp_path, page)
    ]
    assert found == [
        "6 error RBD201",
        "13 error RBD202",
        "24 error RBD202",
        "33 error RBD202",
        "41 error RBD202",
        "46 error RBD201",
        "51 error RBD202",
        "58 error RBD202",
        "68 error RBD201",
        "96 error RBD202",  # the manifest read by `kubectl apply -f - <<END`: checked too
        "105 error RBD202",  # TOML with a value to fill in: a runbook keeps the error too
    ]


def test_runbook_rules_apply_to_runbooks_only(tmp_path: Path) -> None:
    """`{{ end }}` of a Go template and a console block of output are right on a page that is
    not a runbook; on a runbook page (configured project) they are reported."""
    page = (
        "# T\n\n```bash\nkubectl get nodes --template={{ end }}\n```\n\n"
        "```console\n - alertname = Example\n```\n\n```\nsudo systemctl restart nginx\n```\n"
    )
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "page.md").write_text(page, encoding="utf-8")
    alone = cli("check", "docs", "--no-cache", cwd=tmp_path)
    assert alone.returncode == 0, alone.stdout
    assert "[RBD5" not in alone.stdout and "[RBD304]" not in alone.stdout
    (tmp_path / "runbook").mkdir()
    found = check_page(tmp_path / "runbook", page)
    assert [re.sub(r".*\[(\w+)\]$", r"\1", f) for f in found] == ["RBD504", "RBD304", "RBD108"]


def test_dialect_detection_configuration_and_directories(tmp_path: Path) -> None:
    site = tmp_path / "site"
    (site / "content" / "docs").mkdir(parents=True)
    (site / "hugo.toml").write_text('baseURL = "https://example.org/"\n', encoding="utf-8")
    (site / "content" / "docs" / "a.md").write_text(
        '# A\n\n[b]({{< relref "b.md" >}}) [c](../b/) [d]({{< ref "/docs/nope" >}})\n[e](g)\n',
        encoding="utf-8",
    )
    (site / "content" / "docs" / "b.md").write_text("# B\n", encoding="utf-8")
    proc = cli("check", "site/content", "--no-cache", cwd=tmp_path)
    assert "dialect: hugo for 2 page(s), detected from" in proc.stderr
    assert "hugo.toml" in proc.stderr
    assert proc.stdout.splitlines()[0].startswith(
        "site/content/docs/a.md:3:52: error: link to '/docs/nope': no such page"
    )
    assert proc.stdout.count("[RBD501]") == 1
    # Configured: the project's dialect, and a directory of its own.
    (tmp_path / "p").mkdir()
    make_project(
        tmp_path / "p",
        {
            # Content less indented than the fence: superfences drops it, CommonMark does not.
            "docs/a.md": "# A\n\n ```bash\necho hi\n ```\n",
            "docs/gh/b.md": "# B\n\n ```bash\necho hi\n ```\n",
        },
        'dialect = "mkdocs"\n[tool.runbookdocs.dialects]\n"docs/gh" = "github"\n',
    )
    proc = cli("check", "--no-cache", cwd=tmp_path / "p")
    assert "docs/a.md:3:1: error: fence indented" in proc.stdout
    assert "docs/gh/b.md" not in proc.stdout
    assert "dialect:" not in proc.stderr  # configured, not detected: nothing to say
    forced = cli("check", "--no-cache", "--dialect", "github", cwd=tmp_path / "p")
    assert forced.returncode == 0, forced.stdout
    bad = cli("check", "--dialect", "rst", cwd=tmp_path / "p")
    assert bad.returncode == 2 and "invalid choice: 'rst'" in bad.stderr


def _where_what(stdout: str) -> list[str]:
    """Each finding line of `check` as `path:line:col severity CODE`."""
    return [
        re.sub(r"^(\S+?:\d+:\d+): (\w+): .*\[(\w+)\]$", r"\1 \2 \3", x)
        for x in stdout.splitlines()
        if x.endswith("]")
    ]


def test_hugo_ref_by_name_looks_in_the_whole_site(tmp_path: Path) -> None:
    """Blind round 24: a `ref` by name alone finds the one page of the site with that name
    even when the check reads one folder only (the site's other pages are on the disk). A
    site mounting content from a folder the copy does not hold (`[[module.mounts]]`): a name
    found nowhere may be there, a warning; a path into the content present stays an error."""
    shutil.copytree(SAMPLES / "hugo", tmp_path / "hugo")
    proc = cli("check", "hugo/content/docs/lookup", "--no-cache", cwd=tmp_path)
    assert "Traceback" not in proc.stderr
    lines = _where_what(proc.stdout)
    assert lines == [
        "hugo/content/docs/lookup/by-name.md:12:26 error RBD502",
        "hugo/content/docs/lookup/by-name.md:13:22 error RBD502",
        "hugo/content/docs/lookup/by-name.md:14:21 error RBD501",
        "hugo/content/docs/lookup/by-name.md:15:20 error RBD501",
    ]
    assert "is ambiguous, 2 pages of the site have that name" in proc.stdout
    site = tmp_path / "mounted"
    (site / "content" / "docs").mkdir(parents=True)
    (site / "hugo.toml").write_text(
        'baseURL = "https://example.org/"\n[[module.mounts]]\nsource = "content"\n'
        'target = "content"\n[[module.mounts]]\nsource = "../sdk/docs"\n'
        'target = "content/docs/sdk"\n',
        encoding="utf-8",
    )
    (site / "content" / "docs" / "a.md").write_text(
        '# A\n\n[client]({{< ref "client.md" >}}), [sdk]({{< ref "/docs/sdk/setup" >}}),\n'
        '[here]({{< ref "/docs/nope" >}}), [b]({{< ref "b#missing" >}})\n',
        encoding="utf-8",
    )
    (site / "content" / "docs" / "b.md").write_text("# B\n", encoding="utf-8")
    proc = cli("check", "mounted/content", "--no-cache", cwd=tmp_path)
    lines = _where_what(proc.stdout)
    assert lines == [
        "mounted/content/docs/a.md:3:19 warning RBD501",
        "mounted/content/docs/a.md:3:51 warning RBD501",
        "mounted/content/docs/a.md:4:17 error RBD501",
        "mounted/content/docs/a.md:4:48 error RBD502",
    ], proc.stdout
    assert "the site mounts content the copy does not hold ('../sdk/docs')" in proc.stdout


def test_hugo_configuration_directory_and_archetypes(tmp_path: Path) -> None:
    """Blind round 18: a Hugo site configured only by `config/_default/hugo.toml` is Hugo (its
    `ref` links are resolved), and its `archetypes/` (templates for `hugo new`, `{{ .Date }}`
    in their front matter) are no pages. Outside a Hugo site such a folder is read as usual."""
    site = tmp_path / "site"
    (site / "config" / "_default").mkdir(parents=True)
    (site / "config" / "_default" / "hugo.toml").write_text('title = "T"\n', encoding="utf-8")
    (site / "content" / "docs").mkdir(parents=True)
    (site / "content" / "docs" / "a.md").write_text(
        '# A\n\n[b]({{< relref "b.md" >}}) [gone]({{< ref "/docs/nope" >}})\n', encoding="utf-8"
    )
    (site / "content" / "docs" / "b.md").write_text("# B\n", encoding="utf-8")
    (site / "archetypes").mkdir()
    template = '---\ntitle: "{{ replace .File.ContentBaseName "-" " " }}"\ndate: {{ .Date }}\n---\n'
    (site / "archetypes" / "default.md").write_text(template, encoding="utf-8")
    proc = cli("check", "site", "--no-cache", cwd=tmp_path)
    assert "dialect: hugo for 2 page(s), detected from" in proc.stderr
    assert "config/_default/hugo.toml" in proc.stderr
    assert re.findall(r"^(\S+): error: .*\[(\w+)\]$", proc.stdout, re.M) == [
        ("site/content/docs/a.md:3:44", "RBD501")
    ]
    plain = tmp_path / "plain"
    (plain / "archetypes").mkdir(parents=True)
    (plain / "archetypes" / "default.md").write_text(template, encoding="utf-8")
    proc = cli("check", "plain", "--no-cache", cwd=tmp_path)
    assert proc.stdout.startswith("plain/archetypes/default.md:2:"), proc.stdout
    assert "[RBD003]" in proc.stdout


def test_mkdocs_macros_markers_set_in_the_site(tmp_path: Path) -> None:
    """Blind round 18: mkdocs-macros renders `[[% include 'x.yaml' %]]` when the site sets
    those markers (`j2_block_start_string`...): such a block is a template, not data, as one
    with `{% %}` is. Without the plugin, or with its default markers, the text is data."""
    page = (
        "# Deploy\n\n```yaml\n[[% include 'deploy/manifest.yaml' %]]\n```\n\n"
        '```json\n{"version": [[ release ]]}\n```\n\n[notes](notes-[[release]].md)\n\n'
        "```yaml\nkey: [unclosed\n```\n"
    )
    macros = (
        "site_name: x\nplugins:\n  - search\n  - macros:\n      include_dir: snippets\n"
        "      j2_block_start_string: '[[%'\n      j2_block_end_string: '%]]'\n"
        '      j2_variable_start_string: "[["  # and its end\n'
        "      j2_variable_end_string: ']]'\nmarkdown_extensions:\n  - toc\n"
    )
    plain = "site_name: x\nplugins:\n  - search\n"
    default = "site_name: x\nplugins:\n  - search\n  - macros\n"
    for name, config in (("custom", macros), ("plain", plain), ("default", default)):
        (tmp_path / name / "docs").mkdir(parents=True)
        (tmp_path / name / "mkdocs.yml").write_text(config, encoding="utf-8")
        (tmp_path / name / "docs" / "page.md").write_text(page, encoding="utf-8")

    def found(name: str) -> list[tuple[str, str]]:
        proc = cli("check", f"{name}/docs", "--no-cache", cwd=tmp_path)
        assert "Traceback" not in proc.stderr
        return re.findall(rf"^{name}/docs/page.md:(\d+):\d+: \w+: .*\[(\w+)\]$", proc.stdout, re.M)

    # The real defect is found in every site.
    assert found("custom") == [("14", "RBD202")]
    text = [("4", "RBD202"), ("8", "RBD201"), ("11", "RBD501"), ("14", "RBD202")]
    assert found("plain") == text
    assert found("default") == text
    listed = cli("list", "--json", "custom/docs", cwd=tmp_path).stdout.splitlines()
    assert '"not_checked": "template or include' in listed[0], listed[0]


def test_links_into_a_folder_the_build_writes(tmp_path: Path) -> None:
    """Blind round 19: a site whose `nav` names `reference/index.md` in a folder that is not
    in the sources (a step before `mkdocs build` writes the command reference there) links to
    pages of that folder; the check cannot see them and does not call them broken. A folder
    that exists, a page the nav does not name, and a missing page beside them stay broken."""
    config = (
        "site_name: x\nnav:\n  - Home: index.md\n  - Guide: guide/start.md\n"
        "  - Reference:\n      - reference/index.md\n  - Forum: https://example.org/forum/\n"
    )
    page = (
        "# Home\n\n[create](reference/tool_create.md) [deep](reference/sub/x.md#y)\n"
        "[start](guide/start.md) [gone](guide/gone.md) [other](other/page.md)\n"
    )
    (tmp_path / "docs" / "guide").mkdir(parents=True)
    (tmp_path / "mkdocs.yml").write_text(config, encoding="utf-8")
    (tmp_path / "docs" / "index.md").write_text(page, encoding="utf-8")
    (tmp_path / "docs" / "guide" / "start.md").write_text("# Start\n", encoding="utf-8")
    proc = cli("check", "docs", "--no-cache", cwd=tmp_path)
    assert "Traceback" not in proc.stderr
    assert re.findall(r"^(\S+): error: .*\[(\w+)\]$", proc.stdout, re.M) == [
        ("docs/index.md:4:32", "RBD501"),
        ("docs/index.md:4:55", "RBD501"),
    ]
    # Without the nav entry, the same folder is missing, not built: its links are broken.
    (tmp_path / "mkdocs.yml").write_text("site_name: x\n", encoding="utf-8")
    proc = cli("check", "docs", "--no-cache", cwd=tmp_path)
    assert proc.stdout.count("[RBD501]") == 4, proc.stdout


def test_mdx_pages_are_read_where_commonmark_renders_them(tmp_path: Path) -> None:
    """`.mdx` pages (Docusaurus, Astro Starlight) are found in folders read as CommonMark or
    GitHub; MkDocs and Hugo render no `.mdx`, so there they are no pages."""
    page = "import X from './x'\n\n<X />\n\n```bash\necho 'unclosed\n```\n"
    for folder in ("plain", "mk", "hugo"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "a.md").write_text("# A\n", encoding="utf-8")
        (tmp_path / folder / "b.mdx").write_text(page, encoding="utf-8")
    (tmp_path / "mk" / "mkdocs.yml").write_text("site_name: x\n", encoding="utf-8")
    (tmp_path / "hugo" / "hugo.toml").write_text('baseURL = "https://x.org/"\n', encoding="utf-8")
    plain = cli("check", "plain", "--no-cache", cwd=tmp_path)
    assert "dialect: commonmark for 2 page(s)" in plain.stderr
    assert plain.stdout.startswith("plain/b.mdx:6:1: error: ")
    assert plain.stdout.count("[RBD3") == 1, plain.stdout
    for folder in ("mk", "hugo"):
        proc = cli("check", folder, "--no-cache", cwd=tmp_path)
        assert "for 1 page(s)" in proc.stderr and proc.returncode == 0, proc.stdout
    # Named on the command line, a page is read whatever its folder.
    named = cli("check", "mk/b.mdx", "--no-cache", cwd=tmp_path)
    assert named.returncode == 1 and "[RBD301]" in named.stdout


PAGE = """\
# P

```bash {danger=true}
rm -rf $DIR/
ls $HOME
```

TODO: write the rest.
"""


@needs_shellcheck
def test_select_and_ignore_in_the_project(tmp_path: Path) -> None:
    def codes_of(config: str, where: str) -> list[str]:
        (tmp_path / where).mkdir()
        found = check_page(tmp_path / where, PAGE, config=config)
        return [
            m.group(1) if (m := re.search(r"shellcheck (SC\d+):", f)) else f.split("[")[-1][:-1]
            for f in found
        ]

    assert codes_of("", "default") == ["SC2115", "RBD506"]
    more = ["RBD506", "SC2086", "SC2086", "SC2115"]
    assert sorted(codes_of('select = ["RBD", "SC2086"]\n', "more")) == more
    assert sorted(codes_of('select = ["ALL"]\n', "all")) == more
    assert codes_of('ignore = ["todo-marker", "SC2115"]\n', "ignored") == []
    assert codes_of('select = ["RBD5"]\n', "pages") == ["RBD506"]
    assert codes_of('ignore = ["RBD3"]\n', "noshell") == ["RBD506"]


def test_unknown_codes_are_reported_where_they_are_written(tmp_path: Path) -> None:
    make_project(tmp_path, {"docs/a.md": "# A\n"}, 'ignore = ["RBD999", "todo-markr"]\n')
    proc = cli("check", cwd=tmp_path)
    assert proc.returncode == 2
    assert "tool.runbookdocs.ignore: unknown finding code 'RBD999'" in proc.stderr
    assert "unknown finding code 'todo-markr' (did you mean 'todo-marker'?)" in proc.stderr
    make_project(tmp_path, {"docs/a.md": "# A\n"})
    usage = cli("check", "--select", "RBD5,XYZ1", cwd=tmp_path)
    assert usage.returncode == 2 and "--select: unknown finding code(s) 'XYZ1'" in usage.stderr
    page = (
        "---\nrunbook:\n  ignore: [RBD777]\n---\n# A\n\n"
        '<!-- runbook: allow code="nope" -->\n```bash\necho hi\n```\n'
    )
    found = check_page(tmp_path / "docs", page)
    assert found == [
        "docs/page.md:3:1: error: 'runbook.ignore': unknown finding code 'RBD777' (did you mean "
        "'RBD707'?) [RBD005]",
        "docs/page.md:7:1: error: directive allow: unknown finding code 'nope' [RBD110]",
    ]


@needs_shellcheck
def test_silencing_per_page_per_block_and_on_the_command_line(tmp_path: Path) -> None:
    page = (
        "---\nrunbook:\n  ignore: [RBD506]\n---\n# P\n\n"
        '<!-- runbook: allow code="SC2115" reason="the variable is always set" -->\n'
        "```bash {danger=true}\nrm -rf $DIR/\n```\n\n```bash {danger=true}\nrm -rf $OTHER/\n```\n"
        "\nTODO: later.\n"
    )
    found = check_page(tmp_path, page)
    assert [f.split(": ")[0] for f in found] == ["docs/page.md:13:8"]
    # A page that only silences codes is no runbook that needs a review date.
    assert not any("RBD508" in f for f in found)
    make_project(tmp_path, {"docs/a.md": PAGE})
    proc = cli("check", "--no-cache", "--ignore", "SC2115", cwd=tmp_path)
    assert "[RBD302]" not in proc.stdout and "[RBD506]" in proc.stdout
    proc = cli("check", "--no-cache", "--select", "shellcheck", cwd=tmp_path)
    assert "[RBD506]" not in proc.stdout and "SC2115" in proc.stdout
    assert proc.returncode == 0  # warnings only


def test_list_says_which_blocks_are_not_checked_and_why(tmp_path: Path) -> None:
    import json

    shutil.copytree(SAMPLES, tmp_path / "foreign")
    proc = cli("list", "--json", "foreign/data.md", "foreign/shells.md", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    rows = [json.loads(line) for line in proc.stdout.splitlines()]
    unchecked = {r["location"]: r["not_checked"] for r in rows if not r["checked"]}
    assert unchecked == {
        "foreign/data.md:54": "template or include: valid only once rendered by its own tool",
        "foreign/data.md:61": "template or include: valid only once rendered by its own tool",
        "foreign/shells.md:22": "console output without commands",
    }
    assert all(r["checked"] for r in rows if r["location"] not in unchecked)


def test_braces_after_the_language_are_hugo_s_only_on_hugo_pages(tmp_path: Path) -> None:
    from runbookdocs.config import Config
    from runbookdocs.document import read_document

    site = tmp_path / "site"
    (site / "content").mkdir(parents=True)
    (site / "hugo.toml").write_text('baseURL = "https://example.org/"\n', encoding="utf-8")
    page = '# P\n\n```go-html-template {file="layouts/page.html" copy=true}\n{{ .Title }}\n```\n'
    (site / "content" / "p.md").write_text(page, encoding="utf-8")
    (tmp_path / "gh").mkdir()
    (tmp_path / "gh" / "p.md").write_text(
        "# P\n\n```bash {#prepare hidden=true}\necho prepare\n```\n", encoding="utf-8"
    )
    config = Config.defaults(tmp_path)
    hugo = read_document(site / "content" / "p.md", config)
    assert hugo.dialect == "hugo" and hugo.blocks[0].attrs == {} and hugo.findings == ()
    github = read_document(tmp_path / "gh" / "p.md", config)
    assert github.dialect == "commonmark" and github.blocks[0].hidden
    assert github.blocks[0].id == "prepare"


@pytest.mark.parametrize(
    ("site", "content"),
    [("mkdocs.yml", "docs"), ("hugo.toml", "content")],
    ids=["mkdocs", "hugo"],
)
def test_links_written_against_pretty_urls(tmp_path: Path, site: str, content: str) -> None:
    """MkDocs (`use_directory_urls`, its default) and Hugo serve `guide/setup.md` at
    `guide/setup/`: `../install/`, `./#checks` and `../overview.png` written from there work
    in the browser; a missing page or anchor is still reported."""
    (tmp_path / site).write_text(
        'baseURL = "https://example.org/"\n' if site == "hugo.toml" else "site_name: S\n",
        encoding="utf-8",
    )
    guide = tmp_path / content / "guide"
    guide.mkdir(parents=True)
    shutil.copy(SAMPLES / "pretty-urls.md", guide / "setup.md")
    (guide / "install.md").write_text("# Install\n\n## Step two\n\nDone.\n", encoding="utf-8")
    (guide / "overview.png").write_bytes(b"\x89PNG\r\n")
    proc = cli("check", content, "--no-cache", cwd=tmp_path)
    assert "Traceback" not in proc.stderr
    found = re.findall(r"^\S+setup\.md:(\d+):(\d+): \w+: .*\[(\w+)\]$", proc.stdout, re.M)
    assert found == [("8", "45", "RBD501"), ("9", "13", "RBD502")]
    if site == "mkdocs.yml":  # pages served as `setup.html`: read next to the file again
        (tmp_path / site).write_text("site_name: S\nuse_directory_urls: false\n", "utf-8")
        proc = cli("check", content, "--no-cache", cwd=tmp_path)
        found = re.findall(r"^\S+setup\.md:(\d+):\d+: \w+: .*\[(\w+)\]$", proc.stdout, re.M)
        broken = [("4", "RBD501"), ("4", "RBD501"), ("6", "RBD503"), ("8", "RBD501")]
        assert found == [*broken, ("9", "RBD501")]


def test_hugo_anchors_built_from_data_files(tmp_path: Path) -> None:
    """Blind round 16: `settings-table` makes a row id from each entry's `name` in
    data/settings.yaml (`{{ .name | anchorize }}`): links to those ids work, one to no entry's
    id is an error. An id the check cannot compute (from a map's keys, `printf`, or a second
    data source) makes the page's anchors unknown: a missing one is a warning, never silent
    (blind round 22: one warning for the links of a page into that page, the others listed)."""
    site = tmp_path / "site"
    shutil.copytree(SAMPLES / "hugo", site)
    tuning = "site/content/docs/guide/tuning.md"

    out = ""

    def found() -> list[tuple[str, str]]:
        nonlocal out
        proc = cli("check", "site/content", "--no-cache", cwd=tmp_path)
        assert "Traceback" not in proc.stderr
        out = proc.stdout
        pattern = r"^" + re.escape(tuning) + r":(\d+):\d+: (\w+): .*\[RBD502\]$"
        return re.findall(pattern, proc.stdout, re.M)

    assert found() == [("9", "error"), ("11", "warning"), ("14", "error")]
    template = site / "layouts" / "shortcodes" / "settings-table.html"
    text = template.read_text("utf-8")
    template.write_text(text.replace("{{ .name | anchorize }}", '{{ printf "s-%s" .name }}'))
    unknown = [("7", "warning"), ("11", "warning")]
    assert found() == [*unknown, ("14", "error")]
    assert "line 8: link to '../../reference/settings/#backup-window'" in out
    assert "line 9: link to '../../reference/settings/#compression'" in out
    template.write_text(text.replace("{{ range", "{{ $v := .Site.Params.v }}{{ range"))
    assert found() == [*unknown, ("14", "error")]
    template.write_text(text.replace(".name | anchorize", "anchorize .default"))
    assert found()[:3] == [("7", "error"), ("8", "error"), ("9", "error")]
    # Ids made from a shortcode's own arguments alone are no data: still an error.
    notes = site / "layouts" / "shortcodes" / "release-notes.html"
    notes.write_text('<h3 id="{{ .Get 0 }}">{{ .Get 0 }}</h3>\n', encoding="utf-8")
    assert ("11", "error") in found()


def test_hugo_links_are_read_from_the_pretty_url_and_next_to_the_file(tmp_path: Path) -> None:
    """`../#x` from `guide/setup.md` (served at `guide/setup/`) is `guide/_index.md` in the
    browser and `_index.md` next to the file; `./#x` is the page itself in the browser and the
    folder's `_index.md` next to the file. The anchor is found when either page has it; an
    anchor that neither has is still reported."""
    (tmp_path / "hugo.toml").write_text('baseURL = "https://example.org/"\n', encoding="utf-8")
    guide = tmp_path / "content" / "guide"
    guide.mkdir(parents=True)
    (tmp_path / "content" / "_index.md").write_text("# Home\n\nWelcome.\n", encoding="utf-8")
    (guide / "_index.md").write_text("# Guide\n\n## Before you start\n\nRead.\n", "utf-8")
    (guide / "setup.md").write_text(
        "# Setup\n\nCheck the [requirements](../#before-you-start) first.\n\n"
        "## Checks\n\nSee [the checks](./#checks) and [the rest](../#after-you-finish).\n",
        encoding="utf-8",
    )
    proc = cli("check", "content", "--no-cache", cwd=tmp_path)
    assert "Traceback" not in proc.stderr
    found = re.findall(r"^\S+setup\.md:(\d+):(\d+): \w+: .*\[(\w+)\]$", proc.stdout, re.M)
    assert found == [("7", "44", "RBD502")]


def test_fences_indented_past_their_list_item_on_an_mkdocs_site(tmp_path: Path) -> None:
    """Blind round 7: superfences renders a fence 7 spaces under `- text` as a closed block
    in the item (closing fence at the opening's column): on an MkDocs site only the fence left
    open is reported, with no shell error for a closing fence read as a command."""
    (tmp_path / "docs").mkdir()
    # The site enables superfences (without it, no fence under a list item is a block: see
    # plain-mkdocs-site/ in test_pages_as_others_write_them).
    (tmp_path / "mkdocs.yml").write_text(
        "site_name: S\nmarkdown_extensions:\n  - pymdownx.superfences\n", encoding="utf-8"
    )
    shutil.copy(SAMPLES / "deep-fences.md", tmp_path / "docs" / "deep-fences.md")
    proc = cli("check", "docs", "--no-cache", cwd=tmp_path)
    assert "Traceback" not in proc.stderr
    found = re.findall(r"^\S+\.md:(\d+):(\d+): \w+: .*\[(\w+)\]$", proc.stdout, re.M)
    assert found == [("27", "8", "RBD101")], proc.stdout
    assert "4 block(s)" in proc.stdout + proc.stderr


def test_hugo_urls_keep_their_case_when_the_site_says_so(tmp_path: Path) -> None:
    """With `disablePathToLower`, Hugo serves `tool_Backup/` as written: a link in another
    case names no page, and an alias is matched in its own case only. A `ref`/`relref`
    shortcode still finds a page in any case: Hugo looks pages up by lower-cased keys."""
    shutil.copytree(SAMPLES / "hugo", tmp_path / "hugo")
    config = tmp_path / "hugo" / "hugo.toml"
    config.write_text(config.read_text("utf-8") + "disablePathToLower = true\n", "utf-8")
    proc = cli("check", "hugo", "--no-cache", cwd=tmp_path)
    assert "Traceback" not in proc.stderr
    found = re.findall(r"^\S+backups\.md:(\d+):\d+: \w+: .*\[(\w+)\]$", proc.stdout, re.M)
    lowered = [("7", "RBD501"), ("9", "RBD501"), ("10", "RBD501")]
    assert found == [*lowered, ("16", "RBD501"), ("17", "RBD501"), ("18", "RBD501")]
    refs = re.findall(r"^\S+references\.md:(\d+):\d+: \w+: .*\[(\w+)\]$", proc.stdout, re.M)
    # (20 and 21: a base name no page has, a missing anchor in the page found by base name)
    assert refs == [("13", "RBD501"), ("14", "RBD502"), ("20", "RBD501"), ("21", "RBD502")]


def test_directory_urls_of_index_pages_and_dotted_names_on_mkdocs(tmp_path: Path) -> None:
    """Blind round 14: MkDocs publishes `tools/setup.sh.md` at `tools/setup.sh/` (it drops
    `.md` only) and the site's `index.md` at its folder, so `./tools/setup.sh/` written in
    the index names that page, as `./tools/rotate/` names `tools/rotate.md`. A directory URL
    no page has is still reported, and so is the same link where MkDocs makes no directory
    URLs."""
    (tmp_path / "docs" / "tools").mkdir(parents=True)
    (tmp_path / "mkdocs.yml").write_text("site_name: S\n", encoding="utf-8")
    for name in ("setup.sh", "rotate"):
        (tmp_path / "docs" / "tools" / f"{name}.md").write_text(f"# {name}\n", "utf-8")
    (tmp_path / "docs" / "index.md").write_text(
        "# Home\n\nRun [the setup script](./tools/setup.sh/), then [rotate](./tools/rotate/)\n"
        "and [prune](./tools/prune.sh/).\n",
        encoding="utf-8",
    )

    def broken() -> list[tuple[str, str]]:
        proc = cli("check", "docs", "--no-cache", cwd=tmp_path)
        assert "Traceback" not in proc.stderr
        return re.findall(r"^\S+index\.md:(\d+):(\d+): \w+: .*\[RBD501\]$", proc.stdout, re.M)

    assert broken() == [("4", "13")]
    (tmp_path / "mkdocs.yml").write_text("site_name: S\nuse_directory_urls: false\n", "utf-8")
    assert broken() == [("3", "24"), ("3", "58"), ("4", "13")]


def test_directory_urls_set_in_an_inherited_configuration(tmp_path: Path) -> None:
    """Blind round 21: `use_directory_urls` may come from the file mkdocs.yml names in
    `INHERIT:`; the nearest file that sets it decides, as MkDocs merges them."""
    from runbookdocs.dialect import directory_urls

    for name, text in (
        ("base.yml", "site_name: S\nuse_directory_urls: false  # served as page.html\n"),
        ("mkdocs.yml", "INHERIT: ./base.yml\n"),
        ("chain/base.yml", "INHERIT: '../base.yml'\n"),
        ("chain/mkdocs.yml", "INHERIT: base.yml\n"),
        ("variant/mkdocs.yml", "INHERIT: ../base.yml\nuse_directory_urls: true\n"),
        ("plain/mkdocs.yml", "site_name: S\n"),
    ):
        (tmp_path / name).parent.mkdir(exist_ok=True)
        (tmp_path / name).write_text(text, encoding="utf-8")
    for folder in ("docs", "chain/docs", "variant/docs", "plain/docs"):
        (tmp_path / folder).mkdir()
    assert not directory_urls(str(tmp_path / "docs"))
    assert not directory_urls(str(tmp_path / "chain" / "docs"))
    assert directory_urls(str(tmp_path / "variant" / "docs"))
    assert directory_urls(str(tmp_path / "plain" / "docs"))


def test_hugo_aliases_of_a_content_folder_mounted_from_elsewhere(tmp_path: Path) -> None:
    """Blind round 14: a Hugo site whose content is mounted from another repository (no
    `content` folder above the pages, the dialect given): a link to the URL a page's relative
    alias names reaches its redirect, read from that page's URL as Hugo does (`a/b.md`'s
    alias `./c/` is `a/c/`). A URL no alias names is still reported."""
    docs = tmp_path / "sources" / "scanner"
    (docs / "setup").mkdir(parents=True)
    (docs / "quick-start.md").write_text(
        "---\ntitle: Quick start\naliases:\n  - ./setup/quick-start/ # its old place\n---\n\n"
        "# Quick start\n\nRun it.\n",
        encoding="utf-8",
    )
    (docs / "setup" / "tuning.md").write_text(
        "# Tuning\n\nStart from the [quick start](../../setup/quick-start/), not from the\n"
        "[old guide](../../setup/guide/).\n",
        encoding="utf-8",
    )
    proc = cli("check", "sources", "--no-cache", "--dialect", "hugo", cwd=tmp_path)
    assert "Traceback" not in proc.stderr
    found = re.findall(r"^\S+tuning\.md:(\d+):(\d+): \w+: .*\[(\w+)\]$", proc.stdout, re.M)
    assert found == [("4", "13", "RBD501")], proc.stdout


@pytest.mark.parametrize("config", ["mkdocs.yml", "properdocs.yml"])
def test_includes_are_looked_up_where_the_site_is_built(tmp_path: Path, config: str) -> None:
    """Without a runbookdocs configuration, `--8<-- "docs/parts/x.md"` is read from the folder
    of the site's mkdocs.yml, where MkDocs (and pymdownx.snippets' default base path) runs; a
    name found nowhere is still reported. Blind round 21: ProperDocs, the MkDocs fork, names
    its configuration `properdocs.yml` and builds the same way."""
    site = tmp_path / "site"
    (site / "docs" / "parts").mkdir(parents=True)
    (site / config).write_text("site_name: S\n", encoding="utf-8")
    (site / "docs" / "parts" / "steps.md").write_text(
        "```bash\necho ready\n```\n", encoding="utf-8"
    )
    (site / "docs" / "page.md").write_text(
        '# Page\n\n--8<-- "docs/parts/steps.md"\n\n--8<-- "docs/parts/gone.md"\n',
        encoding="utf-8",
    )
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    proc = cli("check", str(site / "docs" / "page.md"), "--no-cache", cwd=elsewhere)
    assert "Traceback" not in proc.stderr
    found = re.findall(r"^\S+page\.md:(\d+):\d+: \w+: .*\[(\w+)\]$", proc.stdout, re.M)
    assert found == [("5", "RBD120")]
    assert "1 block(s)" in proc.stdout + proc.stderr
    assert f"dialect: mkdocs for 1 page(s), detected from {site / config}" in proc.stderr


def test_myst_and_jekyll_readings_stay_out_of_mkdocs_pages(tmp_path: Path) -> None:
    # On an MkDocs site `{note}` after the fence is a runbookdocs attribute without a value, and
    # `other.html` is not where MkDocs publishes `other.md` (`other/`).
    page = "# Page\n\n```{note}\ntext\n```\n\nSee [the other page](other.html).\n"
    found = check_page(tmp_path, page, {"docs/other.md": "# Other\n"})
    assert [f.rsplit("[", 1)[-1] for f in found] == ["RBD104]", "RBD503]"]


def test_links_to_folders_resolve_in_a_repository_browser_only(tmp_path: Path) -> None:
    """Blind round 8b: GitHub and GitLab show a linked folder's files, so a link to a folder
    that exists is fine on a `github`/`commonmark` page; a site generator serves no folder
    without an index page, so MkDocs and Hugo pages keep reporting it."""
    (tmp_path / "docs" / "scripts").mkdir(parents=True)
    (tmp_path / "docs" / "scripts" / "rotate.sh").write_text("#!/bin/sh\n", encoding="utf-8")
    (tmp_path / "docs" / "page.md").write_text(
        "# Page\n\nSee [the scripts](scripts/) and [the old ones](retired/).\n", encoding="utf-8"
    )

    def broken(dialect: str) -> list[str]:
        proc = cli("check", "docs", "--no-cache", "--dialect", dialect, cwd=tmp_path)
        assert "Traceback" not in proc.stderr
        return re.findall(r"^\S+:\d+:(\d+): \w+: .*\[(RBD50\d)\]$", proc.stdout, re.M)

    assert broken("github") == [("48", "RBD501")]
    assert broken("commonmark") == [("48", "RBD501")]
    assert broken("mkdocs") == [("19", "RBD501"), ("48", "RBD501")]


def test_fences_closed_by_their_list_item_are_commonmark_s(tmp_path: Path) -> None:
    """Blind round 8b: CommonMark closes a fence when its list item ends; with nothing of the
    page inside, that renders as written (a warning, RBD113). Superfences does not close it
    there: on an MkDocs site they stay never closed (RBD101)."""
    (tmp_path / "docs").mkdir()
    shutil.copy(SAMPLES / "item-fences.md", tmp_path / "docs" / "item-fences.md")
    proc = cli("check", "docs", "--no-cache", cwd=tmp_path)
    found = re.findall(r"^\S+\.md:(\d+):\d+: (\w+): .*\[(RBD1\d\d)\]$", proc.stdout, re.M)
    assert found == [
        *[(line, "warning", "RBD113") for line in ("5", "9", "15", "18")],
        ("25", "error", "RBD101"),
        ("31", "error", "RBD101"),
    ]
    (tmp_path / "mkdocs.yml").write_text(
        "site_name: S\nmarkdown_extensions: [pymdownx.superfences]\n", encoding="utf-8"
    )
    proc = cli("check", "docs", "--no-cache", cwd=tmp_path)
    codes_found = re.findall(r"^\S+\.md:\d+:\d+: \w+: .*\[(RBD1\d\d)\]$", proc.stdout, re.M)
    assert "RBD113" not in codes_found and codes_found.count("RBD101") >= 4, proc.stdout


def test_list_names_the_checked_language_a_tag_misspells(tmp_path: Path) -> None:
    """Blind round 8b: ```` ```shel ```` and ```` ```8sh ```` are not validated; `list` says so
    and names the language meant. A language of its own (`zsh`) gets no suggestion."""
    import json

    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "tags.md").write_text(
        "# Tags\n\n```shel\nls\n```\n\n```8sh\nls\n```\n\n```zsh\nls\n```\n", encoding="utf-8"
    )
    proc = cli("list", "--json", "docs/tags.md", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    rows = {r["location"]: r["not_checked"] for r in map(json.loads, proc.stdout.splitlines())}
    assert rows == {
        "docs/tags.md:3": "language 'shel' is not checked (did you mean 'shell'?)",
        "docs/tags.md:7": "language '8sh' is not checked (did you mean 'sh'?)",
        "docs/tags.md:11": "language 'zsh' is not checked",
    }


def _codes(tmp_path: Path, target: str, *args: str) -> list[tuple[str, str, str]]:
    """(file, line, code) of what `runbookdocs check TARGET` reports, in tmp_path."""
    proc = cli("check", target, "--no-cache", *args, cwd=tmp_path)
    assert "Traceback" not in proc.stderr
    return re.findall(r"^(\S+?):(\d+):\d+: \w+: .*\[(\w+)\]$", proc.stdout, re.M)


def test_fragments_in_another_case_work_on_github(tmp_path: Path) -> None:
    """GitHub's page script finds `#Secret-Keys` at the heading id `secret-keys` (blind round
    13: it lowercases the fragment), other renderers do not: nothing on a `github` page read
    in GitHub's browser (it was a warning until then), a warning where a site generator
    builds it, an error elsewhere. A fragment no heading has in any case is
    an error on GitHub too. A folder with no site configuration is read as `github` when its
    repository has a remote on GitHub, as `commonmark` otherwise, and the check says so."""
    shutil.copy(SAMPLES / "fragments.md", tmp_path)

    def severities(*args: str) -> tuple[list[tuple[str, str]], str]:
        proc = cli("check", "fragments.md", "--no-cache", *args, cwd=tmp_path)
        found = re.findall(r"^fragments\.md:(\d+):\d+: (\w+): .*\[RBD502\]$", proc.stdout, re.M)
        return found, proc.stderr

    assert severities("--dialect", "github")[0] == [("11", "error")]
    found, err = severities()
    assert found == [("3", "error"), ("11", "error")]
    assert "dialect: commonmark for 1 page(s), detected: no mkdocs.yml" in err
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "config").write_text(
        '[remote "origin"]\n\turl = https://gitlab.com/team/docs.git\n', encoding="utf-8"
    )
    assert severities()[0] == [("3", "error"), ("11", "error")]
    (tmp_path / ".git" / "config").write_text(
        '[remote "origin"]\n\turl = git@github.com:team/docs.git\n', encoding="utf-8"
    )
    found, err = severities()
    assert found == [("11", "error")]
    assert "dialect: github for 1 page(s), detected: no site configuration, " in err
    assert "config is on GitHub" in err
    # A site generator builds the page (mdBook here; VuePress' `::: tip` containers say so
    # too): its ids need the case as written, GitHub's script does not apply: a warning.
    (tmp_path / "book.toml").write_text("[book]\n", encoding="utf-8")
    assert severities("--dialect", "github")[0] == [("3", "warning"), ("11", "error")]
    (tmp_path / "book.toml").unlink()
    page = tmp_path / "fragments.md"
    page.write_text(page.read_text(encoding="utf-8") + "\n::: tip\nA tip.\n:::\n", "utf-8")
    assert severities("--dialect", "github")[0] == [("3", "warning"), ("11", "error")]


def test_localised_files_follow_the_i18n_plugin_settings(tmp_path: Path) -> None:
    """Links to `x.md` and `x.png` resolve to `x.<language>.*` only where mkdocs.yml enables
    mkdocs-static-i18n with the suffix structure; with the folder structure (or no plugin)
    the same links name files that do not exist."""
    site = tmp_path / "site"
    shutil.copytree(SAMPLES / "i18n-site", site)
    localised = _codes(tmp_path, "site/docs")
    assert [(f[1], f[2]) for f in localised if f[0].endswith("index.en.md")] == [
        ("10", "RBD501"),
        ("10", "RBD502"),
    ]
    config = site / "mkdocs.yml"
    settings = config.read_text(encoding="utf-8")
    # A slugify of the site's own keeps the umlaut (pymdownx's): the folded anchor is broken.
    config.write_text(
        settings.replace(
            "permalink: true",
            "slugify: !!python/object/apply:pymdownx.slugs.slugify {kwds: {case: lower}}",
        ),
        encoding="utf-8",
    )
    assert ("site/docs/index.de.md", "3", "RBD502") in _codes(tmp_path, "site/docs")
    config.write_text(settings.replace("suffix", "folder"), encoding="utf-8")
    folders = _codes(tmp_path, "site/docs")
    assert ("site/docs/index.de.md", "5", "RBD503") in folders  # assets/layout.png
    assert ("site/docs/index.en.md", "3", "RBD501") in folders  # setup/install.md


def test_docusaurus_links_are_urls_of_docs_only_on_a_docusaurus_site(tmp_path: Path) -> None:
    """`./sort_ro` names the doc sort_ro.md where a docusaurus.config.js says the folder is a
    Docusaurus site; without it the renderer is unknown (commonmark): links to `x` where `x.md`
    is a page are not judged (blind round 22), the others (`./sortx`, a generated category
    page, a missing anchor) are still reported."""
    site = tmp_path / "site"
    shutil.copytree(SAMPLES / "docusaurus-site", site)
    assert _codes(tmp_path, "site/docs") == [
        ("site/docs/commands/generic/sort.md", "6", "RBD503"),
        ("site/docs/commands/generic/sort.md", "6", "RBD502"),
    ]
    (site / "docusaurus.config.js").unlink()
    assert len(_codes(tmp_path, "site/docs")) == 3


def test_docusaurus_urls_follow_front_matter_ids_and_slugs(tmp_path: Path) -> None:
    """Blind round 12: a doc's URL is its folder (number prefixes dropped) and its front
    matter `id` (or `slug`, absolute or relative; a folder's index doc the folder): links to
    those URLs work, the file's own name no longer does, a missing id or anchor is reported."""
    site = tmp_path / "site"
    shutil.copytree(SAMPLES / "docusaurus-ids", site)
    expected = [
        ("site/docs/guides/links.md", "10", "RBD503"),  # relay-install: no doc has that id
        ("site/docs/guides/links.md", "10", "RBD503"),  # setup: the id replaced the file name
        ("site/docs/guides/links.md", "11", "RBD502"),
    ]
    assert _codes(tmp_path, "site/docs") == expected
    # Without the id, the doc is served under its file name (number prefix dropped): the
    # links to the id break and the one to the file name works.
    setup = site / "docs" / "guides" / "01-setup.md"
    setup.write_text(setup.read_text("utf-8").replace("id: relay-setup\n", ""), "utf-8")
    found = _codes(tmp_path, "site/docs")
    assert ("site/docs/guides/links.md", "10", "RBD503") in found
    assert ("site/docs/guides/links.md", "7", "RBD503") in found  # [setup](relay-setup)
    assert ("site/docs/guides/index.md", "7", "RBD503") in found
    assert found.count(("site/docs/guides/links.md", "10", "RBD503")) == 1  # `setup` works


def test_docusaurus_site_beside_its_docs_folder(tmp_path: Path) -> None:
    """Blind round 16: `website/docusaurus.config.js` reading `path: "../docs"` makes docs/ a
    Docusaurus content folder: extension-less links are its URLs, and `reference/api.md`
    (no `./`) is a file path the loader also looks up from the content folder. Links to a
    missing doc, `./` paths that are not there and missing anchors are still reported."""
    site = tmp_path / "site"
    shutil.copytree(SAMPLES / "docusaurus-website", site)
    proc = cli("check", "site/docs", "--no-cache", cwd=tmp_path)
    assert "website/docusaurus.config.js (Docusaurus)" in proc.stderr
    assert _codes(tmp_path, "site/docs") == [
        ("site/docs/runbooks/backup.md", "6", "RBD503"),  # rotate: no such doc
        ("site/docs/runbooks/backup.md", "6", "RBD501"),  # ./reference/api.md
        ("site/docs/runbooks/backup.md", "7", "RBD502"),  # #quotas
    ]
    # A configuration that reads another folder says nothing of this one (commonmark: links
    # to `x` where `x.md` is a page are not judged, the other links are).
    config = site / "website" / "docusaurus.config.js"
    config.write_text(config.read_text("utf-8").replace("../docs", "../manual"), "utf-8")
    assert len(_codes(tmp_path, "site/docs")) == 6


def test_a_fence_the_end_of_the_page_closes(tmp_path: Path) -> None:
    """Blind round 12: CommonMark closes a fence at the end of the document, so a last block
    left open with code alone in it renders as written (RBD113, a warning); Python-Markdown
    (superfences or fenced_code) renders no block there: on an MkDocs site it stays RBD101."""
    (tmp_path / "docs").mkdir()
    for name in ("cut-off.md", "cut-off-prose.md"):
        shutil.copy(SAMPLES / name, tmp_path / "docs" / name)
    proc = cli("check", "docs", "--no-cache", cwd=tmp_path)
    found = re.findall(r"^\S+\.md:(\d+):\d+: (\w+): .*\[(RBD1\d\d)\]$", proc.stdout, re.M)
    assert found == [("9", "error", "RBD101"), ("5", "warning", "RBD113")], proc.stdout
    assert "closed by the end of the page" in proc.stdout
    (tmp_path / "mkdocs.yml").write_text("site_name: S\n", encoding="utf-8")
    proc = cli("check", "docs", "--no-cache", cwd=tmp_path)
    found = re.findall(r"^\S+\.md:(\d+):\d+: (\w+): .*\[(RBD1\d\d)\]$", proc.stdout, re.M)
    assert found == [("9", "error", "RBD101"), ("5", "error", "RBD101")], proc.stdout


def test_mkdocstrings_anchors_need_the_plugin(tmp_path: Path) -> None:
    """Blind round 10: `::: a.b.C` is mkdocstrings' line only on a site that lists the plugin
    (here through `INHERIT`); elsewhere it is text, and `#a.b.C` names nothing."""
    shutil.copytree(SAMPLES / "mkdocs-site", tmp_path / "site")
    proc = cli("check", "site/docs", "--no-cache", cwd=tmp_path)
    found = re.findall(r"^\S+extending\.md:(\d+):(\d+): \w+: .*\[(\w+)\]$", proc.stdout, re.M)
    assert found == [("7", "37", "RBD502")], proc.stdout
    base = tmp_path / "site" / "base.yml"
    base.write_text(base.read_text("utf-8").split("  - mkdocstrings:")[0], encoding="utf-8")
    proc = cli("check", "site/docs", "--no-cache", cwd=tmp_path)
    found = re.findall(r"^\S+extending\.md:(\d+):\d+: \w+: .*\[(\w+)\]$", proc.stdout, re.M)
    assert found == [("3", "RBD502"), ("4", "RBD502"), ("5", "RBD502"), ("7", "RBD502")]


def test_configuration_blocks_stay_shell_on_runbooks(tmp_path: Path) -> None:
    """The nginx-style configuration of `layouts.md` is another language only on pages that
    are not runbooks: a runbook's shell block is run, and there bash's error stands."""
    make_project(tmp_path, {"docs/layouts.md": (SAMPLES / "layouts.md").read_text("utf-8")})
    proc = cli("check", "docs", "--no-cache", cwd=tmp_path)
    found = re.findall(r"^\S+layouts\.md:(\d+):\d+: \w+: .*\[(\w+)\]$", proc.stdout, re.M)
    assert ("52", "RBD301") in found, proc.stdout
    assert ("48", "RBD309") not in found


def test_counter_examples_are_neither_judged_nor_run(tmp_path: Path) -> None:
    """Blind round 19: `list` says why a block shown as the mistake is not validated (the
    page's words), and a shell one is skipped; the same shell block after a sentence that is
    no such mark ("If the output is wrong, run:") is checked and runnable."""
    import json

    (tmp_path / "docs").mkdir()
    shutil.copy(SAMPLES / "counter-examples.md", tmp_path / "docs" / "page.md")
    proc = cli("list", "--json", "docs/page.md", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    rows = {r["location"]: r for r in map(json.loads, proc.stdout.splitlines())}
    assert rows["docs/page.md:7"]["not_checked"] is None  # "Good example:"
    assert rows["docs/page.md:13"]["not_checked"] == "shown as a counter-example: Bad example"
    assert rows["docs/page.md:33"]["not_checked"] == (
        "shown as a counter-example: Don't do this! Only one merge is allowed at a level."
    )
    assert rows["docs/page.md:48"]["not_checked"] == (
        'shown as a counter-example: !!! failure "Incorrect"'
    )
    shown = rows["docs/page.md:60"]
    assert shown["runnable"] is False
    assert shown["reason"] == "skipped: shown as a counter-example: In short, don't do this"
    meant = rows["docs/page.md:66"]
    assert meant["runnable"] is True and meant["not_checked"] is None
    # A step whose failure the page expects (`expect=`) is a step, whatever its caption says.
    (tmp_path / "docs" / "step.md").write_text(
        "# Step\n\nThis won't work:\n\n```bash {expect=1}\nfalse\n```\n", encoding="utf-8"
    )
    proc = cli("list", "--json", "docs/step.md", cwd=tmp_path)
    (step,) = map(json.loads, proc.stdout.splitlines())
    assert step["runnable"] is True and step["not_checked"] is None


def test_links_without_md_by_dialect(tmp_path: Path) -> None:
    """Blind round 22: a link `x` to the page `x.md` is broken in GitHub's file browser (the
    `github` dialect), and cannot be judged where the renderer is unknown (`commonmark`), many
    of which serve `x.md` at `x`; a link to a page missing under both names is reported in
    both."""
    make_project(
        tmp_path,
        {
            "docs/guide.md": "# Guide\n\nSee [the setup](setup), [a step](setup#first-step)"
            " and [the old page](retired).\n",
            "docs/setup.md": "# Setup\n\n## First step\n\nText.\n",
        },
    )
    for dialect, expected in (
        ("commonmark", {"retired"}),
        ("github", {"setup", "retired"}),
    ):
        proc = cli("check", "docs", "--no-cache", "--dialect", dialect, cwd=tmp_path)
        found = re.findall(r"link to '([^'#]+)[^']*': no such file \[RBD503\]", proc.stdout)
        assert set(found) == expected, (dialect, proc.stdout)
        assert "[RBD50" not in proc.stdout.replace("[RBD503]", ""), proc.stdout


def test_hugo_highlight_shortcodes_are_blocks_checked_never_run(tmp_path: Path) -> None:
    """A Hugo page's `{{< highlight LANG >}}` blocks are checked like fences of LANG and
    listed as not run, with the reason; the same page on another dialect has no such block,
    and a fence between two shortcodes is the block's code, not a block."""
    shutil.copytree(SAMPLES / "hugo", tmp_path / "hugo")
    page = "hugo/content/docs/guide/highlighted.md"
    proc = cli("check", page, "--no-cache", cwd=tmp_path)
    assert "Traceback" not in proc.stderr
    assert proc.returncode == 1
    assert _where_what(proc.stdout) == [
        f"{page}:16:3 error RBD301",
        f"{page}:24:26 error RBD202",
        f"{page}:57:1 error RBD101",
    ]
    assert "highlight shortcode is never closed" in proc.stdout
    assert "checked 1 page(s), 6 block(s)" in proc.stderr
    listed = cli("list", page, "--json", cwd=tmp_path)
    rows = [json.loads(x) for x in listed.stdout.splitlines()]
    assert [(r["location"].split(":")[-1], r["lang"], r["runnable"]) for r in rows] == [
        ("8", "bash", False),
        ("14", "shell", False),
        ("21", "yaml", False),
        ("29", "json", False),
        ("35", "markdown", False),
        ("49", "markdown", False),
    ]
    assert rows[0]["reason"] == rows[1]["reason"]
    assert rows[0]["reason"].startswith("skipped: Hugo highlight shortcode: validated only")
    assert rows[2]["reason"] == "configuration block: validated only (no file=)"
    assert all(r["checked"] for r in rows[:4])
    run = cli("run", page, "--no-cache", cwd=tmp_path)
    assert "Traceback" not in run.stderr
    assert "0 verified, 0 failed, 0 error(s), 2 not run" in run.stderr
    # The same page where no Hugo configuration says so: the shortcodes are text.
    (tmp_path / "plain").mkdir()
    shutil.copy(tmp_path / page, tmp_path / "plain" / "page.md")
    other = cli("list", "plain/page.md", cwd=tmp_path)
    assert other.returncode == 0, other.stderr
    assert [x.split()[0] for x in other.stdout.splitlines()] == [
        "plain/page.md:35",
        "plain/page.md:50",
    ]
