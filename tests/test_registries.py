"""The runner and validator registries, loaded from several threads at once (`run --jobs 2`):
no thread ever sees a registry half filled."""

from __future__ import annotations

import subprocess
import sys
import textwrap


def test_registries_load_whole_for_every_thread() -> None:
    code = textwrap.dedent(
        """
        import importlib, threading, time
        real = importlib.import_module

        def slow(name, *args):
            # What a loaded machine (or coverage) does to imports: the race's window widens.
            if name.startswith(("runbookdocs.run.runners.", "runbookdocs.validate.")):
                time.sleep(0.05)
            return real(name, *args)

        importlib.import_module = slow
        from runbookdocs.run import runners
        from runbookdocs.validate import registry

        errors = []

        def use():
            try:
                for kind in ("shell", "console", "sql", "file"):
                    runners.runner_named(kind)
                registry.load_validators()
                assert registry.BLOCK_VALIDATORS.get("python"), "python validator missing"
            except Exception as err:
                errors.append(repr(err))

        threads = [threading.Thread(target=use) for _ in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        print(errors)
        """
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]", out.stdout + out.stderr
