"""What uvicorn serves: Eenplan with its live event streams, on one port.

    uvicorn asgi:app --workers 2 --http app.portaal.stream:HttpProtocol

The Flask application (``wsgi.py``) runs inside it through a WSGI adapter; the streams of Mijn
Eenplan are served on the event loop (see :mod:`app.portaal.stream`).
"""

from app import create_app
from app.portaal.stream import Site

app = Site(create_app())
