"""The Flask (WSGI) application. Served with its live streams by uvicorn through ``asgi.py``;
``gunicorn wsgi:app`` also serves it (the streams then only catch up, see docs/portaal.md)."""

from app import create_app

app = create_app()
