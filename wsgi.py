"""The Flask (WSGI) application. Served with its live streams by uvicorn through ``asgi.py``;
``gunicorn wsgi:app`` also serves it (the streams then only catch up, see docs/portaal.md).
Also what ``flask`` commands load (``FLASK_APP=wsgi.py``); the process is prepared as a
server's (:mod:`app.serving`)."""

from app import create_app
from app.serving import prepare_process

app = create_app()
prepare_process()
