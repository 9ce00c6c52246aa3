# Prints `alluxio fsadmin report capacity` and `... metrics` of the Alluxio STAND-IN in Alluxio
# 2.9's exact text (see ../../../../../shared/research/alluxio/FORMATS.md sections 0, 2.2, 3.1).
#
# Variables (awk -v): report=capacity|metrics, range=all|live|lost (capacity; all when unset),
# now=<epoch seconds>, missing=<IPs>, extra=<IPs>, lost=<IPs reported LOST whatever their heartbeat>,
# zero=1 when every worker reports 0 bytes, metrics_file=<path of the metrics state file>,
# max_age=<seconds without a heartbeat before a worker is LOST, 30 when unset (the real master's
# alluxio.master.worker.timeout is 5 min); tests raise it to replay samples>,
# master_started=<epoch the master started; older registrations are unknown to it, 0 when unset>.
# Like the real master, a LOST worker stays in the `all` and `lost` reports and leaves the `live` one.
# Input files: the worker registrations "<capacity> <used> <alias> <epoch>", named by worker host.
# busybox awk prints %d through a 32-bit int, so every integer goes through %.0f.

BEGIN {
    if (max_age == "") max_age = 30
    if (range == "") range = "all"
    if (master_started == "") master_started = 0
    split(missing, words, " ")
    for (i in words) left_out[words[i]] = 1
    split(lost, words, " ")
    for (i in words) lost_fault[words[i]] = 1
    count = 0
}

FNR == 1 && FILENAME != "/dev/null" {
    name = FILENAME
    sub(/.*\//, "", name)
    # A master knows only the workers that heartbeat since it started.
    if (NF < 4 || name ~ /\.tmp$/ || name ~ /^\./ || (name in left_out) || $4 + 0 < master_started + 0) next
    # Metrics count live workers only; the capacity report picks by its range.
    is_lost = (now - $4 >= max_age + 0) || (name in lost_fault)
    if (report == "metrics" && is_lost) next
    if (report == "capacity" && ((range == "live" && is_lost) || (range == "lost" && !is_lost))) next
    add_worker(name, $1, $2, $3, now - $4)
}

END {
    tier = count > 0 ? alias[1] : "MEM"
    n = split(extra, words, " ")
    if (range != "lost")
        for (i = 1; i <= n; i++) add_worker(words[i], 1073741824, 0, tier, 0)
    sort_workers()
    if (report == "capacity") print_capacity()
    else print_metrics()
}

function add_worker(host, capacity, used, tier_alias, heartbeat) {
    count++
    names[count] = host
    cap[count] = zero ? 0 : capacity + 0
    use[count] = zero ? 0 : used + 0
    alias[count] = tier_alias
    beat[count] = heartbeat < 0 ? 0 : heartbeat
}

# CapacityCommand sorts workers by last contact; the name only breaks ties (for stable output).
function sort_workers(    i, j, t) {
    for (i = 2; i <= count; i++)
        for (j = i; j > 1 && (beat[j - 1] > beat[j] || (beat[j - 1] == beat[j] && "" names[j - 1] > "" names[j])); j--) {
            t = names[j]; names[j] = names[j - 1]; names[j - 1] = t
            t = cap[j]; cap[j] = cap[j - 1]; cap[j - 1] = t
            t = use[j]; use[j] = use[j - 1]; use[j - 1] = t
            t = alias[j]; alias[j] = alias[j - 1]; alias[j - 1] = t
            t = beat[j]; beat[j] = beat[j - 1]; beat[j - 1] = t
        }
}

# FormatUtils.getSizeFromBytes (2.7+): "%dB" up to 5120 bytes, else the first unit whose value is
# <= 5120, as "%.2f<unit>". Java rounds HALF_UP; bytes/1024^n is exact in a double, so the cents
# are computed from quotient and remainder to round the same way.
function size(bytes,    unit, divisor, i, whole, rest, cents) {
    if (bytes <= 5120) return sprintf("%.0fB", bytes)
    split("KB MB GB TB PB EB", unit, " ")
    divisor = 1
    for (i = 1; i < 6; i++) {
        divisor *= 1024
        if (bytes / divisor <= 5120) break
    }
    if (i == 6) divisor *= 1024
    whole = int(bytes / divisor)
    rest = bytes - whole * divisor
    cents = whole * 100 + int(rest * 100 / divisor + 0.5)
    return sprintf("%.0f.%02d%s", int(cents / 100), cents % 100, unit[i])
}

function percent(part, whole) {
    return int(100 * part / whole)
}

function print_capacity(    total, used, i, t, order, tiers, width, format, used_info) {
    if (count == 0) {
        print "No workers found."
        return
    }
    for (i = 1; i <= count; i++) {
        total += cap[i]
        used += use[i]
        tier_total[alias[i]] += cap[i]
        tier_used[alias[i]] += use[i]
    }
    # Tiers in Alluxio's order: MEM, SSD, HDD, then any other alias.
    tiers = 0
    split("MEM SSD HDD", order, " ")
    for (i = 1; i <= 3; i++) if (order[i] in tier_total) { tiers++; tier_list[tiers] = order[i] }
    for (t in tier_total) if (t != "MEM" && t != "SSD" && t != "HDD") { tiers++; tier_list[tiers] = t }

    print "Capacity information for " range " workers: "
    printf "    Total Capacity: %s\n", size(total)
    for (i = 1; i <= tiers; i++) printf "        Tier: %s  Size: %s\n", tier_list[i], size(tier_total[tier_list[i]])
    printf "    Used Capacity: %s\n", size(used)
    for (i = 1; i <= tiers; i++) printf "        Tier: %s  Size: %s\n", tier_list[i], size(tier_used[tier_list[i]])
    if (total != 0) {
        printf "    Used Percentage: %.0f%%\n", percent(used, total)
        printf "    Free Percentage: %.0f%%\n", 100 - percent(used, total)
    }
    print ""

    # The short (one tier) table; a stand-in worker only ever has its level0 tier.
    width = 16
    for (i = 1; i <= count; i++) if (length(names[i]) >= 16 && length(names[i]) + 5 > width) width = length(names[i]) + 5
    format = "%-" width "s %-16s %-13s %s\n"
    printf format, "Worker Name", "Last Heartbeat", "Storage", tier_list[1]
    for (i = 1; i <= count; i++) {
        used_info = cap[i] != 0 ? sprintf(" (%.0f%%)", percent(use[i], cap[i])) : ""
        printf format, names[i], sprintf("%.0f", beat[i]), "capacity", size(cap[i])
        printf format, "", "", "used", size(use[i]) used_info
    }
}

# MetricsCommand (2.2-2.9): "<name>  (Type: <TYPE>, Value: <value>)" sorted by name. Values of
# names holding "Bytes" are sizes ("/MIN" added for Throughput), other integers are comma-grouped.
function print_metrics(    i, j, n, t, total, used, line, field, list) {
    for (i = 1; i <= count; i++) { total += cap[i]; used += use[i] }
    n = split("Cluster.BytesReadDomain Cluster.BytesReadLocal Cluster.BytesReadRemote Cluster.BytesReadUfsAll " \
              "Cluster.BytesWrittenDomain Cluster.BytesWrittenLocal Cluster.BytesWrittenRemote Cluster.BytesWrittenUfsAll " \
              "Master.CompleteFileOps Master.CreateFileOps Master.FilesCreated Master.GetFileInfoOps", list, " ")
    for (i = 1; i <= n; i++) set_metric(list[i], "COUNTER", 0)
    n = split("Cluster.BytesReadDomainThroughput Cluster.BytesReadLocalThroughput Cluster.BytesReadRemoteThroughput " \
              "Cluster.BytesReadUfsThroughput Cluster.BytesWrittenDomainThroughput Cluster.BytesWrittenLocalThroughput " \
              "Cluster.BytesWrittenRemoteThroughput Cluster.BytesWrittenUfsThroughput", list, " ")
    for (i = 1; i <= n; i++) set_metric(list[i], "GAUGE", 0)
    set_metric("Cluster.CapacityTotal", "GAUGE", total)
    set_metric("Cluster.CapacityUsed", "GAUGE", used)
    set_metric("Cluster.CapacityFree", "GAUGE", total - used)
    set_metric("Cluster.Workers", "GAUGE", count)
    set_metric("Master.TotalPaths", "GAUGE", 1)
    # The state file, written by tests: "<name> <TYPE> <value>" per line; it adds or overrides.
    while (metrics_file != "" && (getline line < metrics_file) > 0) {
        if (split(line, field, " ") >= 3 && field[1] !~ /^#/) set_metric(field[1], field[2], field[3])
    }
    for (i = 2; i <= metric_count; i++)
        for (j = i; j > 1 && "" metric_names[j - 1] > "" metric_names[j]; j--) {
            t = metric_names[j]; metric_names[j] = metric_names[j - 1]; metric_names[j - 1] = t
        }
    for (i = 1; i <= metric_count; i++)
        printf "%s  (Type: %s, Value: %s)\n", metric_names[i], metric_type[metric_names[i]], metric_text(metric_names[i])
}

function set_metric(name, type, value) {
    if (!(name in metric_type)) metric_names[++metric_count] = name
    metric_type[name] = type
    metric_value[name] = value
}

function metric_text(name,    value) {
    value = metric_value[name]
    if (value !~ /^-?[0-9]+(\.[0-9]+)?$/) return value
    if (index(name, "Bytes")) return size(int(value)) (index(name, "Throughput") ? "/MIN" : "")
    if (value == int(value)) return grouped(value)
    return value
}

# DecimalFormat("###,###"): 1231 -> 1,231
function grouped(value,    text, sign, out) {
    text = sprintf("%.0f", value)
    sign = ""
    if (text ~ /^-/) { sign = "-"; text = substr(text, 2) }
    out = ""
    while (length(text) > 3) {
        out = "," substr(text, length(text) - 2) out
        text = substr(text, 1, length(text) - 3)
    }
    return sign text out
}
