"""What uvicorn serves: Eenplan with its live event streams, on one port.

    python serve.py --workers 2     (uvicorn asgi:app --http app.portaal.stream:HttpProtocol,
                                     a listening socket per worker; see serve.py)

The Flask application (``wsgi.py``) runs inside it through a WSGI adapter; the streams of Mijn
Eenplan are served on the event loop (see :mod:`app.portaal.stream`). Each worker prepares
its process once the app is built (:mod:`app.serving`: every template compiled, the garbage
collector; the dummy password hash, :func:`app.auth.passwords.prepare`).
"""

from app import create_app
from app.auth import passwords
from app.portaal.stream import Site
from app.serving import compile_templates, prepare_process

flask_app = create_app()
compile_templates(flask_app)
app = Site(flask_app)
passwords.prepare()
prepare_process()
