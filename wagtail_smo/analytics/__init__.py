"""What each post brought back: engagement pulled from the networks, first-party clicks, reports.

A batch-output layer beside ``export/`` (see ``pyproject.toml``): it reads posts, pages and the
resolver, and nothing below imports it. First-party clicks: ``clicks.py`` (the request side and
the flush), ``buffer.py`` (where counts wait), ``click_store.py`` (the upsert), ``bots.py``.
"""
