# -*- coding: utf-8 -*-
# Copyright (c) 2026, dataplane.alluxio_spark contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""PRIVATE helpers shared by the Alluxio output parsers. Pure: no I/O, no AnsibleModule.

Alluxio prints sizes with FormatUtils.getSizeFromBytes: ``%dB`` up to 5120 bytes, then
``%.2f<UNIT>`` with 1024 steps (KB, MB, GB, TB, PB, and EB from 2.7 on).
"""

import functools
import re
from decimal import ROUND_HALF_UP, Decimal

SIZE_UNITS = ("KB", "MB", "GB", "TB", "PB", "EB")
_UNIT_FACTOR = {unit: 1024 ** (power + 1) for power, unit in enumerate(SIZE_UNITS)}

_SIZE_RE = re.compile(r"^(?:(?P<bytes>-?\d+)B|(?P<amount>-?\d+\.\d+)(?P<unit>KB|MB|GB|TB|PB|EB))$")
# DecimalFormat("###,###.#####") output, or Java's Double.toString (which may use E notation).
_NUMBER_RE = re.compile(r"^-?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?(?:E-?\d+)?$")

# A client log line on stdout: log4j's default pattern starts with an ISO date, Spark's with yy/MM/dd;
# development builds' console patterns start with the level, or the thread and then the level.
_LOG_LINE_RE = re.compile(
    r"^(?:\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}:\d{2}|\d{2}/\d{2}/\d{2} \d{2}:\d{2}:\d{2})"
    r"|^(?:SLF4J|log4j):"
    r"|^\s+at [\w$.<>]+\("
    r"|^(?:\[[^\]]*\] )?(?:TRACE|DEBUG|INFO|WARN|WARNING|ERROR|FATAL) "
)
# A count printed without a unit: digits, possibly grouped by commas.
_PLAIN_COUNT_RE = re.compile(r"^-?(?:\d{1,3}(?:,\d{3})+|\d+)$")


class AlluxioParseError(ValueError):
    """Output that cannot be read as the named command's output.

    ``line`` is 1-based; 0 means the whole text (for example an empty string).
    """

    def __init__(self, command, line, reason):
        self.command = command
        self.line = line
        self.reason = reason
        where = "line %d" % line if line else "the output"
        super().__init__(
            "Cannot parse the output of '%s' at %s: %s" % (command, where, reason)
        )


def parse_size(text):
    """Return the byte count of a size printed by Alluxio (``0B``, ``290.47KB``), or None.

    Decimal sizes are rounded to the nearest byte: the CLI prints only two decimals, so the
    result is as exact as the printed text, no more.
    """
    match = _SIZE_RE.match(text)
    if not match:
        return None
    if match.group("bytes") is not None:
        return int(match.group("bytes"))
    # Scale in integers (hundredths) so large units keep every printed digit.
    whole, _dot, fraction = match.group("amount").partition(".")
    negative = whole.startswith("-")
    hundredths = int(whole.lstrip("-")) * 100 + int(fraction[:2].ljust(2, "0"))
    value = (hundredths * _UNIT_FACTOR[match.group("unit")] + 50) // 100
    return -value if negative else value


def parse_byte_count(text):
    """Bytes from a value known to count bytes: an Alluxio size, or a plain (comma-grouped) integer,
    which is a number of bytes. None for anything else."""
    size = parse_size(text)
    if size is not None:
        return size
    if _PLAIN_COUNT_RE.match(text):
        return int(text.replace(",", ""))
    return None


def unexpected_line(command, number, line):
    """The warning for a line a parser does not know and skips."""
    return "%s: ignored unexpected line %d: %r (please report this output format)" % (command, number, shorten(line))


def format_size(num_bytes):
    """Print a byte count the way FormatUtils.getSizeFromBytes does (2.7+ units).

    Java's Formatter rounds half up on the exact value of the double, hence Decimal.
    """
    if num_bytes <= 5 * 1024:
        return "%dB" % num_bytes
    value = num_bytes / 1024.0
    unit_index = 0
    while value > 5 * 1024 and unit_index < len(SIZE_UNITS) - 1:
        value /= 1024
        unit_index += 1
    rounded = Decimal(value).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    return "%s%s" % (rounded, SIZE_UNITS[unit_index])


def parse_number(text):
    """Return a float for a comma-grouped integer or a Java double, else None."""
    if not _NUMBER_RE.match(text):
        return None
    return float(text.replace(",", ""))


def is_log_line(line):
    """True for a log4j/SLF4J line or a stack-trace frame printed before the real output."""
    return bool(_LOG_LINE_RE.match(line))


def check_text(command, text, split=True):
    """Reject what is not text, or empty; return the text split into lines (without line ends)."""
    if text is None or not isinstance(text, str):
        raise AlluxioParseError(command, 0, "expected text, got %s" % type(text).__name__)
    if not _CONTENT_RE.search(text):  # not text.strip(): that would copy a large output
        raise AlluxioParseError(command, 0, "the output is empty")
    return split_lines(text) if split else None


def reports_binary(command):
    """Decorate a parser so that a failure caused by binary data says so, at the first bad line.

    Scanning for control characters only when parsing failed keeps large outputs fast.
    """
    def decorate(parse):
        @functools.wraps(parse)
        def parse_reporting_binary(text, warn=None):
            try:
                return parse(text, warn)
            except AlluxioParseError as error:
                bad = _CONTROL_RE.search(text) if isinstance(text, str) else None
                if bad is None:
                    raise
                number = text.count("\n", 0, bad.start()) + 1
                if error.line and number > error.line:
                    raise
                line = split_lines(text)[number - 1]
                raise AlluxioParseError(command, number, "binary or control character %r in %r" % (bad.group(0), shorten(line))) from error
        return parse_reporting_binary
    return decorate


def split_lines(text):
    """Lines as Java's println ends them: only at LF (str.splitlines would also split a path
    holding U+2028 or U+0085), with a CR before it dropped."""
    lines = text.split("\n")
    if lines[-1] == "":
        lines.pop()
    return [line[:-1] if line.endswith("\r") else line for line in lines]


_CONTENT_RE = re.compile(r"\S")
# Tab, CR and LF are text; other C0 controls, DEL and U+FFFD (a decoder's replacement) are not.
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffd]")


def shorten(line, limit=120):
    """Quote-friendly excerpt of a long line for error messages."""
    return line if len(line) <= limit else line[:limit] + "..."
