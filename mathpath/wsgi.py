"""WSGI entry point, used by gunicorn."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mathpath.settings")

if not os.environ.get("DATABASE_URL", "").strip():
    # gunicorn started by hand: attach to (or start) the embedded server. `make serve`
    # attaches once in mathpath.stack and passes DATABASE_URL on instead.
    from mathpath import embedded_db

    embedded_db.attach()

application = get_wsgi_application()
