"""`runbookdocs play PAGE`: practise a runbook step by step in a throwaway sandbox.

The page's targets are started (its hidden set-up blocks run as the page goes), then each step is
shown in the terminal: the prose before it, rendered, then its command.

- **guided** (default): Enter runs the documented command and shows its real output; `s` skips
  the step, `q` quits;
- **practice** (`--practice`): the learner types the commands in a shell attached to the
  sandbox; a step passes when its documented check holds (exit status, expected output of a
  console or SQL block, the content of a `file=` block, or a hidden `.check` block right after
  it, see `runbookdocs.play.steps`); `hint` (or `indice`) shows the documented command.

Progress is saved in the cache directory (`--resume` continues where the learner stopped) and
the sandbox is removed on every exit: end, `q`, Ctrl-C, SIGTERM, SIGHUP (and, for SIGKILL, by
the containers' own PID 1 wrapper). The terminal text is in English or French: `--lang`, else
the project's language (`i18n.project_language`); the words a learner types work in both.

The command itself is `runbookdocs.cli.play`.
"""
