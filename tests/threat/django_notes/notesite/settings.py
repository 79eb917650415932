import os

SECRET_KEY = "django-insecure-0c7d1f5e9a2b4c6d8e0f1a3b5c7d9e1f"
DEBUG = False
ALLOWED_HOSTS = ["notes.example.com"]
INSTALLED_APPS = ["django.contrib.auth", "django.contrib.contenttypes", "notes"]

DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": "notes",
        "USER": "notes",
        "PASSWORD": os.environ["NOTES_DB_PASSWORD"],
        "HOST": os.environ.get("NOTES_DB_HOST", "localhost"),
    }
}
