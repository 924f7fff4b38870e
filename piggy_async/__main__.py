"""``python -m piggy_async``: the ``piggy`` command."""

from .cli import main_entry

main_entry()
