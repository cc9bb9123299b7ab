"""OC Pizza: minimal WSGI application standing in for the real site in the sandbox.

It needs the three environment variables of the operations manual and reads the menu from the
database named by DATABASE_URL, so that start, stop, update and restore can be checked over HTTP.
"""
import importlib
import os
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pymysql

REQUIRED = ("DATABASE_URL", "SECRET_KEY", "DJANGO_SETTINGS_MODULE")
VERSION = (Path(__file__).parent / "VERSION").read_text(encoding="utf-8").strip()


def count_pizzas():
    url = urlsplit(os.environ["DATABASE_URL"])
    connection = pymysql.connect(
        host=url.hostname, port=url.port or 3306, user=unquote(url.username or ""),
        password=unquote(url.password or ""), database=url.path.lstrip("/"),
    )
    with connection, connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM pizza")
        return cursor.fetchone()[0]


def application(environ, start_response):
    missing = [name for name in REQUIRED if not os.environ.get(name)]
    path = environ.get("PATH_INFO", "/")
    if missing:
        status, body = "500 Internal Server Error", "variables manquantes : " + ", ".join(missing)
        return _reply(start_response, status, body)
    try:
        importlib.import_module(os.environ["DJANGO_SETTINGS_MODULE"])
    except ImportError as err:
        return _reply(start_response, "500 Internal Server Error", f"configuration : {err}")
    if path == "/":
        status, body = "200 OK", f"OC Pizza {VERSION} : {count_pizzas()} pizzas au menu"
    elif path.rstrip("/") == "/admin":
        status, body = "200 OK", f"OC Pizza {VERSION} : administration"
    else:
        status, body = "404 Not Found", "page introuvable"
    return _reply(start_response, status, body)


def _reply(start_response, status, body):
    data = (body + "\n").encode("utf-8")
    start_response(status, [("Content-Type", "text/plain; charset=utf-8"),
                            ("Content-Length", str(len(data)))])
    return [data]
