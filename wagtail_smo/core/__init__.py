"""Pure parts with no ORM: the network registry (``networks``) and text helpers (``text``).

Nothing here imports models, meta, posts or providers; providers and everything above them import
from here.
"""
