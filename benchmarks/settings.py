"""Settings for benchmarks: beirat's own, plus the trivial views every page is compared with.

Only the URLconf differs, so a page measured here runs exactly the middleware and code it
runs in production.
"""

from beirat.settings import *  # noqa: F403

ROOT_URLCONF = "benchmarks.urls"

# The load benchmark is a robot on purpose: the minimum fill time of public forms (3 s) would
# only measure its sleeping.
BEIRAT_FORM_MIN_SECONDS = env.integer("BEIRAT_FORM_MIN_SECONDS", 3, minimum=0)  # noqa: F405

# The page benchmark measures kept pages in the cache a production installation uses: the
# database (beirat/settings.py picks it with BEIRAT_PRODUCTION, which also forces HTTPS).
if env.boolean("BEIRAT_BENCH_DATABASE_CACHE", False):  # noqa: F405
    for configured in CACHES.values():  # noqa: F405
        configured["BACKEND"] = "django.core.cache.backends.db.DatabaseCache"
