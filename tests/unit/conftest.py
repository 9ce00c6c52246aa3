# -*- coding: utf-8 -*-
"""Let plain `pytest tests/unit` import the collection through the .collections link that
`make setup` creates; ansible-test sets up its own import path and does not need this."""

import os
import sys

try:
    import ansible_collections.dataplane.alluxio_spark  # noqa: F401  # pylint: disable=unused-import
except ImportError:
    sys.path.insert(0, os.path.join(os.path.dirname(__file__), os.pardir, os.pardir, ".collections"))
