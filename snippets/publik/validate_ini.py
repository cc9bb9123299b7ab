"""Validate an INI file against a JSON Schema: the file is read as {section: {key: value}}."""
import configparser
import json
import sys

import jsonschema

schema_path, ini_path = sys.argv[1], sys.argv[2]
parser = configparser.ConfigParser(interpolation=None)
parser.optionxform = str  # keep the keys' case, as w.c.s. does
with open(ini_path, encoding="utf-8") as f:
    parser.read_file(f)
data = {name: dict(parser[name]) for name in parser.sections()}
with open(schema_path, encoding="utf-8") as f:
    schema = json.load(f)
errors = sorted(jsonschema.Draft202012Validator(schema).iter_errors(data), key=str)
for error in errors:
    where = "/".join(str(p) for p in error.absolute_path) or "(racine)"
    print(f"{ini_path}: {where}: {error.message}")
if not errors:
    print(f"{ini_path} : conforme au schéma {schema.get('title', schema_path)}")
sys.exit(1 if errors else 0)
