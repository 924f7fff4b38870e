"""A Flask view that calls Piggy through the synchronous client.

One ``piggy_sync.Piggy`` per process, created on first use and shared by every request and
thread (it is thread-safe; its calls run on one event-loop thread of its own).

    PIGGY_API_KEY=... flask --app examples/flask_app.py run
"""

from __future__ import annotations

import threading
from typing import Any

from flask import Flask, abort

from piggy_async import ContactNotFoundError
from piggy_sync import Piggy

app = Flask(__name__)

_client: Piggy | None = None
_lock = threading.Lock()


def piggy() -> Piggy:
    """The process's client (credentials from the environment)."""
    global _client
    with _lock:
        if _client is None:
            _client = Piggy()
        return _client


@app.get("/contacts/<uuid>")
def get_contact(uuid: str) -> dict[str, Any]:
    """The contact as JSON, or 404 when Piggy does not know it."""
    try:
        contact = piggy().contacts.get(uuid)
    except ContactNotFoundError:
        abort(404)
    return contact.to_dict()


@app.get("/contacts/<uuid>/balance")
def get_balance(uuid: str) -> dict[str, Any]:
    """The contact's credit balance."""
    return {"credits": piggy().contacts.get_credit_balance(uuid).balance}
