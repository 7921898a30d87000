"""gunicorn entry point for the benchmark: ``gunicorn bench.wsgi:app``.

The real portal app on the schema in ``BENCH_SCHEMA`` of ``BENCH_DATABASE_URL``,
with the bench-only ``/_bench/hello`` route. Started by ``python -m bench`` with
production settings and throwaway secrets; not meant to be run by hand.
"""

import os

from bench import bench_app

app = bench_app(os.environ["BENCH_DATABASE_URL"], os.environ["BENCH_SCHEMA"])
