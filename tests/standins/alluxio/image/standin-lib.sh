#!/bin/sh
# Shared by the Alluxio stand-in's scripts (sourced, never run). STAND-IN for tests only: the real
# image runs Java; this one only keeps files under the state directory that the chart mounts.
# The variables below are read by the scripts that source this file.
# shellcheck disable=SC2034

# The chart mounts <standin.stateHostPath>/<namespace> here; every pod of one release sees the same
# directory because the lab's nodes share the host's /var/lib (see tests/standins/README.md).
STANDIN_STATE=${ALLUXIO_STANDIN_STATE:-/standin-state}
STANDIN_LIBEXEC=${ALLUXIO_STANDIN_LIBEXEC:-/opt/alluxio/libexec}
# The entrypoint records its mode here so the readiness check knows which container it runs in.
STANDIN_MODE_FILE=/tmp/standin-mode

# Print the value of -D<key>= in the Java options given as $2 (the last one wins, as with the JVM).
standin_java_opt() {
    printf '%s\n' "$2" | awk -v key="-D$1=" '
        { for (i = 1; i <= NF; i++) if (index($i, key) == 1) value = substr($i, length(key) + 1) }
        END { print value }'
}

# Print a space size such as 1Gi, 512Mi, 1GB, 2G or 1073741824 in bytes (1024 multipliers, as
# Alluxio's FormatUtils.parseSpaceSize). Comma-separated sizes (one per tier dir) are summed.
# Fails on anything else, so a wrong quota stops the worker instead of registering a wrong size.
standin_size_bytes() {
    printf '%s\n' "$1" | awk '
        {
            count = split($0, parts, ",")
            if (count == 0) exit 1
            for (p = 1; p <= count; p++) {
                text = parts[p]
                if (!match(text, /^[0-9]+(\.[0-9]+)?/)) exit 1
                number = substr(text, 1, RLENGTH)
                unit = toupper(substr(text, RLENGTH + 1))
                sub(/I?B$/, "", unit)
                sub(/I$/, "", unit)
                scale = unit == "" ? 0 : index("KMGTP", unit)
                if (length(unit) > 1 || (unit != "" && scale == 0)) exit 1
                # busybox awk is built without pow(): multiply instead of 1024 ^ scale
                factor = 1
                while (scale-- > 0) factor *= 1024
                total += number * factor
            }
            printf "%.0f\n", total
        }'
}
