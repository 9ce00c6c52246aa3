# -*- coding: utf-8 -*-
# Copyright (c) 2026, dataplane.alluxio_spark contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""PRIVATE parser for a Spark word-count driver log. Pure: no I/O.

Spark's JavaWordCount (and the Python wordcount.py) print one ``<word>: <count>`` line per
distinct word on the driver's stdout, among log4j lines and the image's entrypoint chatter.
Words come from splitting on single spaces, so a word never contains a space but may be empty
or hold any other character; log lines always contain spaces, which tells the two apart.

A log without any count line is an error, never ``{}``: a driver that failed (or an empty, binary or
unrelated text) must not look like a job that counted no words.
"""

import re

from ansible_collections.dataplane.alluxio_spark.plugins.module_utils._alluxio_values import (
    AlluxioParseError,
    check_text,
    reports_binary,
    shorten,
    split_lines,
)

COMMAND = "spark word count (driver log)"

_WORD_LINE_RE = re.compile(r"^(?P<word>[^ ]*): (?P<count>\d+)$")
# What a failing driver prints: a JVM or Python exception, or Spark's own error log lines.
_ERROR_RE = re.compile(r"Exception|Error|Traceback|\bERROR\b")


@reports_binary(COMMAND)
def parse_wordcount(text, warn=None):
    """Return ``{word: count}`` from the ``word: count`` lines of a driver log.

    Every other line is driver noise and is ignored; a word printed twice (two runs in one log)
    keeps its later count and is reported through ``warn``. Raises AlluxioParseError when the
    text is empty, binary, or has no count line at all.
    """
    warn = warn or (lambda message: None)
    check_text(COMMAND, text, split=False)
    lines = split_lines(text)
    counts = {}
    for number, line in enumerate(lines, 1):
        match = _WORD_LINE_RE.match(line)
        if not match:
            continue
        word = match.group("word")
        if word in counts:
            warn("%s: line %d repeats the word %r; the later count is kept" % (COMMAND, number, word))
        counts[word] = int(match.group("count"))
    if not counts:
        reason = "no '<word>: <count>' line in %d line(s): the job printed no counts (did the driver fail?)" % len(lines)
        error = next((line for line in lines if _ERROR_RE.search(line)), None)
        if error is not None:
            reason += "; first error: %r" % shorten(error.strip(), 200)
        raise AlluxioParseError(COMMAND, 0, reason)
    return counts
