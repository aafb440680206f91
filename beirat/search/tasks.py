"""Background tasks of the search app: the sentence vectors of changed texts.

The search log's writer (beirat/search/services.py) enqueues ``embed_texts`` after the commit of
every change to a text of an embedded kind; the worker loads the encoder, the web process never
does. Missed tasks (a worker killed, a restore) are caught up by ``manage.py embed_texts``.
"""

from __future__ import annotations

from beirat.core.background import retrying_task

# Below mail and imports: a thousand new papers must not hold up a confirmation mail.
PRIORITY = -50


@retrying_task(max_attempts=3)
def embed_texts(keys: list[str]) -> int:
    """Embed the objects named "kind:id" as they are now (or forget them if they are gone)."""
    from beirat.search import embeddings  # the encoder: loaded in the worker only

    objects = []
    for key in keys:
        kind, _, object_id = key.partition(":")
        if object_id.isdigit():
            objects.append((kind, int(object_id)))
    return embeddings.embed_objects(objects)
