# Sandbox only: a local mirror of the application's GitHub repository, branch `production`.
# Git rewrites https://github.com/OC_PIZZA/... to it, so the documented URLs work unchanged.
install -d /srv/git/OC_PIZZA
git init -q --bare -b production /srv/git/OC_PIZZA/oc_pizza.git
git config --system url."file:///srv/git/OC_PIZZA/".insteadOf "https://github.com/OC_PIZZA/"
git config --system --add safe.directory '*'
release=$(mktemp -d)
mkdir -p "$release"
cat > "$release/wsgi.py" <<'PY'
--8<-- "snippets/ocpizza/wsgi.py"
PY
cat > "$release/Pipfile" <<'TOML'
--8<-- "snippets/ocpizza/Pipfile"
TOML
echo "1.0.0" > "$release/VERSION"
git -C "$release" init -q -b production
git -C "$release" add .
git -C "$release" -c user.name=OC -c user.email=dev@ocpizza.com commit -q -m "Release 1.0.0"
git -C "$release" push -q https://github.com/OC_PIZZA/oc_pizza.git production
