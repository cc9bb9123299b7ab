# Sandbox only: the deployment of docs/ocpizza/deploiement.md, condensed, for the other pages.
--8<-- "snippets/ocpizza/sandbox/origin.sh"
git clone -q --branch production https://github.com/OC_PIZZA/oc_pizza.git /srv/oc_pizza
python3 -m venv --system-site-packages /srv/oc_pizza/.venv
install -d {{ home_application_conf_directory }}/OC_PIZZA/settings {{ home_application_conf_directory }}/OC_PIZZA/resources
cat > {{ home_application_conf_directory }}/OC_PIZZA/settings/production.py <<'PY'
--8<-- "snippets/ocpizza/production.py"
PY
cat > /etc/supervisor/conf.d/gunicorn.conf <<'INI'
--8<-- "snippets/ocpizza/supervisor-gunicorn.conf"
INI
supervisorctl update >/dev/null
for i in $(seq 50); do supervisorctl status gunicorn | grep -q RUNNING && break; sleep 0.2; done
curl -fsS -o /dev/null --retry 10 --retry-connrefused --retry-delay 1 http://localhost/
