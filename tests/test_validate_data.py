"""JSON, YAML, INI, TOML and JSON Schema checks: lines, columns, placeholders, snippets."""

from __future__ import annotations

from pathlib import Path

from runbookdocs.validate.common import fill, json_quote
from runbookdocs.validate.data import locate_json, pointer
from tests.helpers import cli, make_project
from tests.validate_helpers import check_page

SCHEMA = '{"type": "object", "properties": {"port": {"type": "integer"}}, "required": ["port"]}'


def test_json_error_on_line_3_of_block_at_line_40_is_line_43(tmp_path: Path) -> None:
    block = '```json\n{\n  "a": 1,\n  "b": 2 "c": 3\n}\n```\n'
    page = "".join(f"line {n}\n" for n in range(1, 40)) + block
    assert check_page(tmp_path, page) == [
        "docs/page.md:43:10: error: invalid JSON: Expecting ',' delimiter [RBD201]"
    ]


def test_error_in_included_snippet_names_the_snippet_line(tmp_path: Path) -> None:
    found = check_page(
        tmp_path,
        '# T\n\n```json\n--8<-- "snippets/x.json"\n```\n',
        {"snippets/x.json": '{\n  "a": 1,\n  "a": 2\n}\n'},
    )
    assert found == ["docs/page.md:4:3: error: duplicate key 'a' (in snippets/x.json:3) [RBD205]"]


def test_block_inside_admonition_keeps_columns(tmp_path: Path) -> None:
    page = '!!! note\n\n    ```json\n    {"a": 1,}\n    ```\n'
    found = check_page(tmp_path, page)
    assert found == [
        "docs/page.md:4:13: error: invalid JSON: Expecting property name enclosed in double "
        "quotes [RBD201]"
    ]


def test_placeholders_do_not_break_json_and_columns_stay(tmp_path: Path) -> None:
    page = """\
    ---
    runbook:
      reviewed: 2999-01-01
      variables: {port: "8080", long_name_here: "x"}
    ---
    ```json {schema=s}
    {"a": "{{ long_name_here }}", "port": {{ port }}, "b": 1,, "c": 2}
    ```
    """
    found = check_page(tmp_path, page, {"schemas/s.json": SCHEMA})
    # the error is at the second comma as the reader sees it (col 60), not as filled
    line = '{"a": "{{ long_name_here }}", "port": {{ port }}, "b": 1,, "c": 2}'
    assert found == [
        f"docs/page.md:7:{line.index(',,') + 2}: error: invalid JSON: Expecting property name "
        "enclosed in double quotes [RBD201]"
    ]


def test_fill_maps_columns_back() -> None:
    filled = fill("x {{ a }} y {{ bb }} z", {"a": "LONGVALUE", "bb": ""})
    assert filled.text == "x LONGVALUE y  z"
    assert filled.col(0, filled.text.index("y") + 1) == "x {{ a }} y".index("y") + 1
    assert filled.col(0, filled.text.index("z") + 1) == "x {{ a }} y {{ bb }} z".index("z") + 1
    assert fill('"{{ a }}" {{ a }}', {"a": 'q"x'}, json_quote).text == '"q\\"x" "q\\"x"'
    assert fill("{{ n }}", {"n": "12"}, json_quote).text == "12"


def test_schema_errors_point_at_the_key_line(tmp_path: Path) -> None:
    page = (
        '```json {schema=s}\n{\n  "name": "x",\n  "port": "80"\n}\n```\n\n'
        "```yaml {schema=s}\nname: x\nport: eighty\n```\n\n```yaml {schema=s}\nname: y\n```\n"
    )
    found = check_page(tmp_path, page, {"schemas/s.schema.json": SCHEMA})
    assert found == [
        "docs/page.md:4:3: error: schema s: '80' is not of type 'integer' in /port [RBD206]",
        "docs/page.md:10:1: error: schema s: 'eighty' is not of type 'integer' in /port [RBD206]",
        "docs/page.md:14:1: error: schema s: 'port' is a required property [RBD206]",
    ]


def test_invalid_schema_is_reported_at_the_schema_file(tmp_path: Path) -> None:
    found = check_page(
        tmp_path, "```json {schema=s}\n{}\n```\n", {"schemas/s.json": '{\n  "type": 12\n}\n'}
    )
    assert len(found) == 1
    assert found[0].startswith("schemas/s.json:2:3: error: invalid JSON Schema in /type")


def test_yaml_ini_toml(tmp_path: Path) -> None:
    page = (
        "```yaml\na: 1\na: 2\n```\n\n```ini\n[s]\nk = 1\nk = 2\n```\n\n"
        "```ini\n[mysqld]\nskip-networking\n!includedir /etc/mysql/conf.d/\n```\n\n"
        "```toml\na = 1\nb = \n```\n"
    )
    assert check_page(tmp_path, page) == [
        'docs/page.md:3:1: error: invalid YAML: duplicate key "a" [RBD202]',
        "docs/page.md:9:1: error: duplicate key 'k' in section [s] [RBD205]",
        "docs/page.md:20:1: error: invalid TOML: Invalid value [RBD204]",
    ]


def test_locate_json_paths_and_duplicates() -> None:
    text = '{\n "a": [1,\n  {"b": 2}],\n "c": {"d": 1, "d": 2}\n}'
    found = locate_json(text)
    assert found.positions[("a",)] == (1, 2)
    assert found.positions[("a", 1, "b")] == (2, 4)
    assert found.line_of(("a", 1, "zz")) == (2, 3)
    assert found.duplicates == [(("c", "d"), (3, 16))]
    assert pointer(["a", 0, "x/y"]) == "/a/0/x~1y"


def test_cli_exit_codes_and_compiler_style(tmp_path: Path) -> None:
    make_project(
        tmp_path, {"docs/ok.md": "```json\n{}\n```\n", "docs/bad.md": "# x\n\n```yaml\na: [\n```\n"}
    )
    ok = cli("check", "--no-cache", "docs/ok.md", cwd=tmp_path)
    assert ok.returncode == 0, ok.stdout + ok.stderr
    bad = cli("check", "--no-cache", cwd=tmp_path)
    assert bad.returncode == 1
    assert bad.stdout.startswith("docs/bad.md:4:5: error: invalid YAML")
    missing = cli("check", "docs/none.md", cwd=tmp_path)
    assert missing.returncode == 2


INI_SCHEMA = (
    '{"type": "object", "required": ["options"], "properties": {"options": {"type": "object",'
    ' "properties": {"debug": {"enum": ["true", "false"]}}, "additionalProperties": false}}}'
)


def test_ini_schema_errors_point_at_the_key_line(tmp_path: Path) -> None:
    page = (
        "```ini {schema=opts}\n[options]\ndebug = yes\nextra = 1\n```\n\n"
        "```cfg {schema=opts}\n[x]\n```\n"
    )
    found = check_page(tmp_path, page, {"schemas/opts.json": INI_SCHEMA})
    assert found == [
        "docs/page.md:3:1: error: schema opts: 'yes' is not one of ['true', 'false'] "
        "in /options/debug [RBD206]",
        "docs/page.md:4:1: error: schema opts: Additional properties are not allowed "
        "('extra' was unexpected) in /options [RBD206]",
        "docs/page.md:8:1: error: schema opts: 'options' is a required property [RBD206]",
    ]


def test_ini_continuation_after_a_key_without_value_is_a_finding(tmp_path: Path) -> None:
    """configparser raises AttributeError there (found on a public documentation set)."""
    page = "```ini\n[mysqld]\nskip-name-resolve\n  continued\n```\n"
    assert check_page(tmp_path, page) == [
        "docs/page.md:4:1: error: invalid INI: an indented line continues a key that has no "
        "value [RBD203]"
    ]


def test_an_ini_excerpt_is_read_without_its_elisions_unless_it_is_written(tmp_path: Path) -> None:
    excerpt = "...\nsearch_path = ./lib/\nplugins = ./plugins/\n...\n"
    page = f"# P\n\n```ini\n{excerpt}```\n"
    assert check_page(tmp_path, page) == []
    # A duplicate key is still one, after the header the excerpt leaves out.
    dup = f"# P\n\n```ini\n{excerpt}plugins = ./other/\n```\n"
    [found] = check_page(tmp_path, dup)
    assert found.startswith("docs/page.md:8:1:") and "duplicate key 'plugins'" in found, found
    # Written into a target with file=, the block is the whole file: it needs its header.
    written = f"# P\n\n```ini {{file=/etc/tool.ini}}\n{excerpt}```\n"
    [found] = check_page(tmp_path, written)
    assert "key outside any [section]" in found and "[RBD203]" in found, found


def test_json_templates_and_streams_are_excerpts_not_errors(tmp_path: Path) -> None:
    """Blind round 5: a request body with `{num_vcpus}` / `{<invoice>}` / a `{POLICY}` member
    to fill in, and what `jq` prints for a list (objects one after the other) are right for a
    reader; a missing comma between two members still is an error."""
    page = (
        '```json\n{\n  "spec": {"cpus": {num_vcpus}, "name": "{name}"},\n'
        '  "invoices": [{<current_invoice>}, {<past_invoice>}],\n'
        '  "statements": [\n    {\n    {OTHER_POLICY_STATEMENT}\n    }\n  ]\n}\n```\n\n'
        '```json\n{\n  "name": "a"\n}\n{\n  "name": "b"\n}\n```\n\n'
        '```json\n{\n  "name": "a"\n  "port": 80\n}\n```\n'
    )
    found = check_page(tmp_path, page)
    assert [f.split(": error")[0] for f in found] == ["docs/page.md:25:3"], found


def test_command_output_tagged_json_is_one_warning_outside_runbooks(tmp_path: Path) -> None:
    """Blind round 6: `$ command` lines and the JSON they print, a label before a document,
    counts printed as text: one RBD208 each outside runbooks; an error in the printed JSON
    is reported where it is; on a runbook page the parse error stays."""
    from runbookdocs.validate.data import json_in_output

    assert json_in_output('$ ctl get\n{"a": 1}\n\n$ ctl list\n["x"]') == (
        "a command and its output",
        "console",
    )
    assert json_in_output('Plan -\n{"a": 1}') == ("program output", "text")
    assert json_in_output("web-1: 7, web-2: 3") == ("program output", "text")
    assert json_in_output('{"a": 1,}') is None  # starts like JSON: a mistake in JSON
    assert json_in_output('Plan -\n{"a": 1,,}') is None  # the JSON after the label is wrong
    page = '# P\n\n```json\n$ ctl get\n{\n  "a": 1\n  "b": 2\n}\n```\n'
    [found] = check_page(tmp_path, page)
    assert found.startswith("docs/page.md:7:3: error: invalid JSON: Expecting ','"), found
    # A runbook's json block must parse as tagged: the transcript stays a parse error.
    (tmp_path / "rb").mkdir()
    [found] = check_page(tmp_path / "rb", '# P\n\n```json\n$ ctl get\n{"a": 1}\n```\n')
    assert found.startswith("docs/page.md:4:1: error: invalid JSON") and "RBD201" in found


def test_json_excerpts_elide_values_members_and_shell_splices() -> None:
    from runbookdocs.validate.data import json_excerpt

    assert json_excerpt('{\n  "a": {...},\n  "b": ...,\n  "c": 1\n}')
    assert json_excerpt('{\n  "...",\n  "a": 1\n}')
    assert json_excerpt('{"rules": [{"n": 1}, { "... more rules ..." }]}')
    assert json_excerpt('  "Counters": {\n    "a": 0,\n  },')  # a member cut from a document
    assert json_excerpt('{"t": "\'"$(base64 -w0 f)"\'"}')
    # A whole document with a trailing comma, or a missing one, is no excerpt.
    assert not json_excerpt('{\n  "a": 0,\n}')
    assert not json_excerpt('{\n  "a": 0\n  "b": 1\n}')


def test_ini_dialects_on_a_runbook_page(tmp_path: Path) -> None:
    """Blind round 6: Samba's `idmap config * : range` is one key (`=` is the only delimiter
    of a block written with `=`); systemd and WireGuard sections repeat keys and sections,
    also in a runbook; elsewhere a repeated key stays a duplicate."""
    page = (
        "```ini\n[global]\nidmap config * : backend = tdb\nidmap config * : range = 1-9\n```\n\n"
        "```ini\n[Service]\nEnvironment=A=1\nEnvironment=B=2\n```\n\n"
        "```ini\n[Peer]\nAllowedIPs = 10.0.0.2/32\n\n[Peer]\nAllowedIPs = 10.0.0.3/32\n```\n\n"
        "```ini\n[s]\nname: a\nname = b\n```\n"
    )
    assert check_page(tmp_path, page) == [
        "docs/page.md:24:1: error: duplicate key 'name' in section [s] [RBD205]"
    ]


def test_yaml_merge_of_an_anchor_left_out_is_an_excerpt() -> None:
    """Blind round 7: `<<: *default` in a section shown alone merges an anchor defined in the
    part of the file left out; an alias one letter off an anchor the block defines is a typo."""
    from runbookdocs.validate.data import yaml_excerpt

    assert yaml_excerpt("production:\n  <<: *default\n  pool: 5\n")
    assert yaml_excerpt("base: &common\n  a: 1\nweb:\n  <<: *default\n")
    assert not yaml_excerpt("base: &default\n  a: 1\nweb:\n  <<: *defualt\n")


def test_ssh_config_tagged_ini_is_one_warning_outside_runbooks(tmp_path: Path) -> None:
    """Blind round 7: `Host x` / `    Port 22` tagged ini is an OpenSSH client configuration:
    one RBD208 on a page that is no runbook (no configuration), the INI error on a runbook."""
    page = "# P\n\n```ini\nHost db.example.org\n    Port 2222\n    User ops\n```\n"
    plain, found = _plain_page_and_runbook(tmp_path, page)
    assert plain.startswith("page.md:4:1: warning: this ini block"), plain
    assert "[RBD208]" in plain
    assert found.startswith("docs/page.md:4:1: error: key outside any [section]"), found


def test_prompted_command_tagged_toml_is_one_warning_outside_runbooks(tmp_path: Path) -> None:
    """Blind round 28 (E): a line typed at an admin tool's prompt tagged toml is one RBD208
    on a page that is no runbook, the TOML error on a runbook."""
    page = "# P\n\n```toml\nadminctl >> config set zones a,b\n```\n"
    plain, found = _plain_page_and_runbook(tmp_path, page)
    assert plain.startswith("page.md:4:1: warning: this toml block"), plain
    assert "[RBD208]" in plain
    assert "invalid TOML" in found and "[RBD204]" in found, found


def _plain_page_and_runbook(tmp_path: Path, page: str) -> tuple[str, str]:
    """What `check` says of `page` alone in a folder (no configuration: no runbook), and its
    one finding in a project with a configuration (a runbook page)."""
    (tmp_path / "plain").mkdir()
    (tmp_path / "plain" / "page.md").write_text(page, encoding="utf-8")
    proc = cli("check", "page.md", "--no-cache", "--dialect", "github", cwd=tmp_path / "plain")
    [found] = check_page(tmp_path / "rb", page)
    return proc.stdout, found


def test_http_message_tagged_json_is_one_warning_outside_runbooks(tmp_path: Path) -> None:
    """Blind round 18: a status (or request) line, headers, then a JSON body with `*number*`
    placeholders is an HTTP message: one RBD208 on a page that is no runbook; a runbook page
    keeps the parse error, and JSON that only mentions HTTP is no message."""
    from runbookdocs.validate.data import http_message

    response = 'HTTP/1.1 200\nContent-Type: application/json\n{\n  "n": *number*\n}'
    assert http_message(response) == (
        "an HTTP message (a status or request line, headers, then the body)",
        "http",
    )
    assert http_message('POST /v1/carts HTTP/1.1\nHost: shop\n\n{"a": 1,}')
    assert http_message('{"status": "HTTP/1.1 200",}') is None
    assert http_message("HTTP/1.1 200\nServer: shop\nplain text") is None
    plain, found = _plain_page_and_runbook(tmp_path, f"# P\n\n```json\n{response}\n```\n")
    assert plain.startswith("page.md:4:1: warning: this json block"), plain
    assert "[RBD208]" in plain
    assert found.startswith("docs/page.md:4:1: error: invalid JSON") and "RBD201" in found
