"""settings/production.py: the application's main configuration file (read from the environment)."""
import os

DEBUG = False
SECRET_KEY = os.environ["SECRET_KEY"]
DATABASE_URL = os.environ["DATABASE_URL"]
ALLOWED_HOSTS = ["www.ocpizza.com", "localhost"]
