"""piggy-client's synchronous facade: ``piggy_sync.Piggy`` is ``AsyncPiggy`` minus ``await``.

::

    from piggy_sync import Piggy

    with Piggy(api_key="...") as piggy:
        contact = piggy.contacts.get("a1b2...")
        for tx in piggy.contacts.iter_loyalty_transactions(contact.uuid):
            ...

Models and errors are :mod:`piggy_async`'s own classes. The client classes are generated
from the async ones (``tools/gen_sync.py``); a call runs on an event loop owned by the calling
thread (no thread hop), or on a shared loop thread when the caller already runs an event loop
or is a gevent greenlet. See docs/sync.md.
"""

from piggy_async import *  # noqa: F403 - models, errors and Timeout are the async package's own
from piggy_async import __all__ as _async_all
from piggy_async import __version__

from ._generated import Automations, Contacts, ContactsPortal, Forms, Piggy, PortalSessions
from ._runtime import (
    BlockingCallWarning,
    CallCancelledError,
    ReentrantCallError,
    SyncBulkRun,
    SyncIterator,
    SyncPager,
)

__all__ = [
    *[name for name in _async_all if name not in ("AsyncPiggy", "AsyncPager", "BulkRun")],
    "Automations",
    "BlockingCallWarning",
    "CallCancelledError",
    "Contacts",
    "ContactsPortal",
    "Forms",
    "Piggy",
    "PortalSessions",
    "ReentrantCallError",
    "SyncBulkRun",
    "SyncIterator",
    "SyncPager",
    "__version__",
]
