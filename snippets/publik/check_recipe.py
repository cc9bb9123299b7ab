"""Check a hobo recipe before `hobo-manage cook`: JSON, steps, ${variables}, no leftover '...'."""
import json
import re
import sys

path = sys.argv[1]
with open(path, encoding="utf-8") as f:
    recipe = json.load(f)
defined = set(recipe.get("variables", {}))
problems = []
for n, step in enumerate(recipe["steps"], 1):
    if len(step) != 1:
        problems.append(f"step {n}: one action per step, not {sorted(step)}")
    text = json.dumps(step, ensure_ascii=False)
    for name in sorted(set(re.findall(r"\$\{(\w+)\}", text)) - defined):
        problems.append(f"step {n}: " + "${" + name + "} is not in 'variables'")
    if '"..."' in text:
        problems.append(f"step {n}: a value is still '...'")
for p in problems:
    print(f"{path}: {p}")
actions = [next(iter(s)) for s in recipe["steps"]]
print(f"{len(actions)} steps: {', '.join(actions)}")
sys.exit(1 if problems else 0)
