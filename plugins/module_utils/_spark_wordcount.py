# -*- coding: utf-8 -*-
# Copyright (c) 2026, dataplane.alluxio_spark contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""PRIVATE parser for a Spark word-count driver log. Pure: no I/O.

Spark's JavaWordCount (and the Python wordcount.py) print one ``<word>: <count>`` line per
distinct word on the driver's stdout, among log4j lines and the image's entrypoint chatter.
Words come from splitting on single spaces, so a word never contains a space but may be empty
or hold any other character; log lines always contain spaces, which tells the two apart.
"""

import re

from ansible_collections.dataplane.alluxio_spark.plugins.module_utils._alluxio_values import AlluxioParseError, split_lines

COMMAND = "spark word count (driver log)"

_WORD_LINE_RE = re.compile(r"^(?P<word>[^ ]*): (?P<count>\d+)$")


def parse_wordcount(text, warn=None):
    """Return ``{word: count}`` from the ``word: count`` lines of a driver log.

    Every other line is driver noise and is ignored; a word printed twice (two runs in one log)
    keeps its later count and is reported through ``warn``.
    """
    warn = warn or (lambda message: None)
    if not isinstance(text, str):
        raise AlluxioParseError(COMMAND, 0, "expected text, got %s" % type(text).__name__)
    counts = {}
    for number, line in enumerate(split_lines(text), 1):
        match = _WORD_LINE_RE.match(line)
        if not match:
            continue
        word = match.group("word")
        if word in counts:
            warn("%s: line %d repeats the word %r; the later count is kept" % (COMMAND, number, word))
        counts[word] = int(match.group("count"))
    return counts
