#!/usr/bin/env bash
# The inbound speed target as a ratio taken in one run: the bare Vert.x HMAC server, the one-route
# Camel server (both verify and parse, store nothing) and the hub (durable), back to back on this
# machine with the same payload, connections, warm-up and measured duration.
#
#   bash bench/compare.sh            # about 3 x (WARMUP + DURATION) plus start-ups
#
# Environment: DURATION [30], WARMUP [150], RECONNECT [10], CONNECTIONS [64], THREADS [2], JAVA_OPTS [the hub's
#   recommended flags], PAYLOAD_BYTES [8192], HUB_ENV [] (passed to bench/run.sh).
# Prints each server's accepted/s and p99, the hub's ratio to each baseline, the hub's RSS and the
# per-thread CPU table of the hub run. Target (issue 17): hub >= 0.33 x Vert.x, p99 <= 50 ms.
set -euo pipefail

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$BENCH_DIR/.." && pwd)
cd "$ROOT"
export DURATION=${DURATION:-30} WARMUP=${WARMUP:-150} CONNECTIONS=${CONNECTIONS:-64} THREADS=${THREADS:-2}
export PAYLOAD_BYTES=${PAYLOAD_BYTES:-8192} RECONNECT=${RECONNECT:-10}
[ -n "${JAVA_OPTS:-}" ] && export JAVA_OPTS

OUT=$BENCH_DIR/out/compare-$(date +%Y%m%d-%H%M%S)
mkdir -p "$OUT"
log() { printf '[compare] %s\n' "$*" >&2; }

log "1/3 Vert.x baseline"; echo "1/3 Vert.x baseline: load average before $(cut -d" " -f1-3 /proc/loadavg)" >>"$OUT/load.txt"
bash "$BENCH_DIR/baseline.sh" vertx >"$OUT/vertx.txt" 2>"$OUT/vertx.log"
log "2/3 Camel baseline"; echo "2/3 Camel baseline: load average before $(cut -d" " -f1-3 /proc/loadavg)" >>"$OUT/load.txt"
bash "$BENCH_DIR/baseline.sh" camel >"$OUT/camel.txt" 2>"$OUT/camel.log"
log "3/3 the hub"; echo "3/3 the hub: load average before $(cut -d" " -f1-3 /proc/loadavg)" >>"$OUT/load.txt"
RC=0
bash "$BENCH_DIR/run.sh" >"$OUT/hub.txt" 2>"$OUT/hub.log" || RC=$?

python3 - "$OUT" <<'PY'
import re, sys
out = sys.argv[1]
def figure(path, label):
    text = open(path).read()
    m = re.search(label + r"\s*:\s*([0-9.]+)", text)
    return float(m.group(1)) if m else float("nan")
vx = (figure(out + "/vertx.txt", "accepted/s"), figure(out + "/vertx.txt", "latency p99"))
cm = (figure(out + "/camel.txt", "accepted/s"), figure(out + "/camel.txt", "latency p99"))
hub_text = open(out + "/hub.txt").read()
hub = (figure(out + "/hub.txt", "accepted deliveries/s"), figure(out + "/hub.txt", "latency p99"))
rss = figure(out + "/hub.txt", "peak RSS")
vx_cpu, cm_cpu = figure(out + "/vertx.txt", "server CPU"), figure(out + "/camel.txt", "server CPU")
m = re.search(r"CPU during the run: hub ([0-9.]+) cores", hub_text)
hub_cpu = float(m.group(1)) if m else float("nan")
def per_request(cores, rate):
    return cores / rate * 1e6 if rate == rate and rate > 0 else float("nan")
print("%-44s %12s %10s %10s %12s" % ("receiver", "accepted/s", "p99 ms", "CPU cores", "CPU us/req"))
for label, (rate, p99), cpu in (("Vert.x baseline (HMAC + JSON, stores nothing)", vx, vx_cpu),
                                ("Camel baseline (one platform-http route)", cm, cm_cpu),
                                ("the hub (durable, processed)", hub, hub_cpu)):
    print("%-44s %12.0f %10.2f %10.2f %12.0f" % (label, rate, p99, cpu, per_request(cpu, rate)))
print()
print("hub / Vert.x : %.2f   (target >= 0.33)" % (hub[0] / vx[0]))
print("hub / Camel  : %.2f   (stretch: 1.00)" % (hub[0] / cm[0]))
print("hub p99      : %.2f ms (target <= 50 ms); peak RSS %.0f MB (target <= 512 MB)" % (hub[1], rss))
stored = re.search(r"^stored: .*$", hub_text, re.M)
print(stored.group(0) if stored else "stored: (see hub report)")
for line in re.findall(r"^WARNING: .*$", hub_text, re.M):
    print("hub run " + line)
start, end = hub_text.find("machine busy before"), hub_text.find("wrk output:")
if start >= 0 and end > start:
    print()
    print("hub run, CPU per thread:")
    print(hub_text[start:end].rstrip())
print()
print(open(out + "/load.txt").read().rstrip())
print("hub run, full report: " + out + "/hub.txt")
PY
exit "$RC"
