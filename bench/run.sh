#!/usr/bin/env bash
# Webhook Hub load benchmark: signed ~8 KB GitHub push deliveries over loopback with wrk.
#
#   bash bench/run.sh                      # 30 s, 64 connections, 2 wrk threads
#   DURATION=60 CONNECTIONS=128 bash bench/run.sh
#
# Environment (defaults in brackets):
#   DURATION [30]        measured run, seconds
#   WARMUP [180]         warm-up run before it (on 2 cores the JIT needs about three minutes under load), seconds (0: none); its deliveries count in the
#                        durability check, not in the figures
#   RECONNECT [10]       the warm-up's last seconds run on new wrk connections (the measured run opens new ones
#                        too; the JIT recompiles the event loop's code the first time connections close and open)
#   CONNECTIONS [64]     wrk connections          THREADS [2]   wrk threads
#   TIMEOUT [10s]        wrk request timeout
#   PORT [18080]         hub HTTP port (the next free port is used if it is taken)
#   JAVA_OPTS [the hub's recommended flags: 256 MB heap, G1 with a 20 ms pause goal, marking from 70% occupancy] JVM flags for the hub
#   HUB_ENV []           extra environment for the hub, e.g. "HUB_INBOX_BATCH_SIZE=512"
#   MALLOC_ARENA_MAX [2] glibc malloc arenas for the hub, as the Dockerfile sets it (keeps native memory from
#                        growing with the thread count)
#   PAYLOAD_BYTES [8192] upper bound for the push body size
#   PROFILE [0]          1: record JFR during the measured run and print the hottest frames;
#                        async: sample every thread's CPU with async-profiler (fetched from Maven Central,
#                        attached for the measured run only) and print CPU per delivery by thread and frame
#   PROFILE_SETTINGS [profile]  JFR settings for PROFILE=1: profile (10 ms samples, costs a lot of throughput) or default (20 ms, lighter)
#   STRICT [0]           1: also exit non-zero when a throughput/latency/memory target is missed
#   KEEP [0]             1: keep the hub's temporary data directory
#   WAIT_IDLE [0]        wait up to this many seconds for the machine to be idle (<= 10% busy)
#   HUB_JAR [target/webhook-hub.jar]   the jar to run (it is copied first; routes/ and config/
#                        still come from the working tree)
#   REBUILD [0]          1: run `mvn -B -q -DskipTests package` first even if the jar exists
# Results (wrk output, hub log, JFR) go to bench/out/<timestamp>/.
# Exit status: 0 ok; 1 setup failed; 2 an accepted delivery is missing from the store;
#              3 a target was missed (STRICT=1 only).
set -euo pipefail

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$BENCH_DIR/.." && pwd)
cd "$ROOT"

DURATION=${DURATION:-30}
WARMUP=${WARMUP:-180}
RECONNECT=${RECONNECT:-10}
[ "$RECONNECT" -lt "$WARMUP" ] || RECONNECT=0
CONNECTIONS=${CONNECTIONS:-64}
THREADS=${THREADS:-2}
TIMEOUT=${TIMEOUT:-10s}
PORT=${PORT:-18080}
JAVA_OPTS=${JAVA_OPTS:--Xms256m -Xmx256m -XX:+UseG1GC -XX:MaxGCPauseMillis=20 -XX:-G1UseAdaptiveIHOP -XX:InitiatingHeapOccupancyPercent=70 -Xss512k -XX:MaxMetaspaceSize=128m -XX:+ExitOnOutOfMemoryError}
HUB_ENV=${HUB_ENV:-}
PAYLOAD_BYTES=${PAYLOAD_BYTES:-8192}
PROFILE=${PROFILE:-0}
PROFILE_SETTINGS=${PROFILE_SETTINGS:-profile}
STRICT=${STRICT:-0}
KEEP=${KEEP:-0}
WAIT_IDLE=${WAIT_IDLE:-0}
REBUILD=${REBUILD:-0}
JAR=${HUB_JAR:-target/webhook-hub.jar}
SAMPLE=$BENCH_DIR/github-push-sample.json

# targets
TARGET_RATE=10000
TARGET_P99_MS=50
TARGET_RSS_MB=512

log() { printf '[bench] %s\n' "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

# ---------------------------------------------------------------- prerequisites
command -v java >/dev/null || die "java is required"
command -v curl >/dev/null || die "curl is required"
command -v python3 >/dev/null || die "python3 is required (payload signing, JSON)"
if [ ! -f "$JAR" ] || [ "$REBUILD" = 1 ]; then
    log "building $JAR"
    mvn -B -q -DskipTests package || die "build failed"
fi
if [ -n "$(find src pom.xml -newer "$JAR" -type f 2>/dev/null | head -1)" ]; then
    log "WARNING: $JAR is older than src/ or pom.xml; REBUILD=1 builds it first"
fi
if [ "$PROFILE" = async ]; then
    # tools.profiler:async-profiler on Maven Central carries the native library for each platform
    AP_VERSION=${AP_VERSION:-3.0}
    AP_INTERVAL_MS=5
    AP_DIR=$BENCH_DIR/out/async-profiler-$AP_VERSION
    AP_LIB=$AP_DIR/linux-x64/libasyncProfiler.so
    if [ ! -f "$AP_LIB" ]; then
        log "fetching async-profiler $AP_VERSION"
        mkdir -p "$AP_DIR"
        mvn -B -q dependency:copy -Dartifact="tools.profiler:async-profiler:$AP_VERSION" -DoutputDirectory="$AP_DIR" \
            || die "cannot fetch tools.profiler:async-profiler:$AP_VERSION"
        python3 -c 'import sys, zipfile; zipfile.ZipFile(sys.argv[1]).extract("linux-x64/libasyncProfiler.so", sys.argv[2])' \
            "$AP_DIR/async-profiler-$AP_VERSION.jar" "$AP_DIR" || die "cannot unpack async-profiler"
    fi
fi
if ! command -v wrk >/dev/null; then
    log "installing wrk"
    SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO=sudo
    ($SUDO apt-get update -qq && $SUDO apt-get install -y -qq wrk) >/dev/null || die "cannot install wrk"
fi

OUT=$BENCH_DIR/out/$(date +%Y%m%d-%H%M%S)
mkdir -p "$OUT"
TMP=$(mktemp -d /tmp/webhook-hub-bench.XXXXXX)
DATA=$TMP/data
# run a copy of the jar: a rebuild during the run must not change the classes under the hub
cp "$JAR" "$TMP/webhook-hub.jar"
JAR_INFO="$JAR built $(date -r "$JAR" '+%Y-%m-%d %H:%M:%S'), git $(git rev-parse --short HEAD 2>/dev/null || echo '?')$(git --no-optional-locks diff --quiet HEAD -- src routes config 2>/dev/null || echo ' + local changes')"
JAR=$TMP/webhook-hub.jar
# the routes and settings this run used (they are read from the working tree at start)
cp -r routes config "$OUT/"
HUB_PID=""
SAMPLER_PID=""

cleanup() {
    [ -n "$SAMPLER_PID" ] && kill "$SAMPLER_PID" 2>/dev/null || true
    if [ -n "$HUB_PID" ] && kill -0 "$HUB_PID" 2>/dev/null; then
        kill -TERM "$HUB_PID" 2>/dev/null || true
        for _ in $(seq 1 150); do kill -0 "$HUB_PID" 2>/dev/null || break; sleep 0.2; done
        kill -KILL "$HUB_PID" 2>/dev/null || true
    fi
    if [ "$KEEP" = 1 ]; then rm -f "$TMP/webhook-hub.jar"; log "data directory kept: $DATA"; else rm -rf "$TMP"; fi
}
trap cleanup EXIT

port_busy() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
for _ in $(seq 1 50); do port_busy "$PORT" || break; PORT=$((PORT + 1)); done
port_busy "$PORT" && die "no free port found"

json_field() { python3 -c 'import json,sys; print(json.load(sys.stdin)[sys.argv[1]])' "$1"; }
status_kb() { awk -v k="$2:" '$1==k {print $2}' "/proc/$1/status" 2>/dev/null || echo 0; }
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat" 2>/dev/null || echo 0; }
sys_busy_idle() { awk '/^cpu /{print $2+$3+$4+$7+$8+$9, $5+$6}' /proc/stat; }

# ---------------------------------------------------------------- is the machine idle?
busy_pct() { # machine CPU busy over one second, percent
    local b0 i0 b1 i1
    read -r b0 i0 < <(sys_busy_idle); sleep 1; read -r b1 i1 < <(sys_busy_idle)
    echo $(( 100 * (b1 - b0) / ( (b1 - b0) + (i1 - i0) > 0 ? (b1 - b0) + (i1 - i0) : 1 ) ))
}
IDLE_BUSY=$(busy_pct)
IDLE_DEADLINE=$(( $(date +%s) + WAIT_IDLE ))
[ "$IDLE_BUSY" -gt 10 ] && [ "$WAIT_IDLE" -gt 0 ] && log "machine ${IDLE_BUSY}% busy; waiting up to ${WAIT_IDLE} s for it to be idle"
while [ "$IDLE_BUSY" -gt 10 ] && [ "$(date +%s)" -lt "$IDLE_DEADLINE" ]; do sleep 2; IDLE_BUSY=$(busy_pct); done
if [ "$IDLE_BUSY" -gt 10 ]; then
    log "WARNING: the machine is ${IDLE_BUSY}% busy before the hub starts; the figures will be low:"
    ps -eo pid,pcpu,etime,args --sort=-pcpu | head -4 | cut -c1-140 | sed 's/^/[bench]   /' >&2
fi

# ---------------------------------------------------------------- start the hub
TOKEN=$(python3 -c 'import secrets; print(secrets.token_hex(24))')
BASE=http://127.0.0.1:$PORT
log "starting the hub on $BASE (data: $DATA, JAVA_OPTS: $JAVA_OPTS)"
# shellcheck disable=SC2086
env HUB_DATA_DIR="$DATA" HUB_HTTP_HOST=127.0.0.1 HUB_HTTP_PORT="$PORT" HUB_ADMIN_TOKEN="$TOKEN" \
    HUB_PUBLIC_URL="$BASE" MALLOC_ARENA_MAX="${MALLOC_ARENA_MAX:-2}" $HUB_ENV \
    java $JAVA_OPTS -jar "$JAR" >"$OUT/hub.log" 2>&1 &
HUB_PID=$!
START=$(date +%s)
until curl -fsS -m 2 "$BASE/observe/health/ready" 2>/dev/null | grep -q '"UP"'; do
    kill -0 "$HUB_PID" 2>/dev/null || { tail -40 "$OUT/hub.log" >&2; die "the hub exited during start"; }
    [ $(( $(date +%s) - START )) -lt 120 ] || { tail -40 "$OUT/hub.log" >&2; die "the hub is not UP after 120 s"; }
    sleep 0.5
done
log "hub UP after $(( $(date +%s) - START )) s, pid $HUB_PID, RSS $(( $(status_kb "$HUB_PID" VmRSS) / 1024 )) MB"

# ---------------------------------------------------------------- service and secret
AUTH="Authorization: Bearer $TOKEN"
SERVICE_ID=$(curl -fsS -m 10 -X POST "$BASE/api/containers/services" -H "$AUTH" -H 'Content-Type: application/json' \
    -d '{"name":"bench","git_repository":"https://github.com/octo/bench","git_branch":"main"}' | json_field id) \
    || die "cannot create the service"
SECRET=$(curl -fsS -m 10 "$BASE/api/containers/services/$SERVICE_ID/webhook-url?provider=github" -H "$AUTH" \
    | json_field secret) || die "cannot get the webhook secret"
URL=$BASE/api/containers/webhooks/github/$SERVICE_ID

# ---------------------------------------------------------------- payload
BODY=$OUT/github-push.json
PAYLOAD_INFO=$(python3 "$BENCH_DIR/make-payload.py" "$SAMPLE" "$BODY" "$SECRET" "$PAYLOAD_BYTES")
SIGNATURE=$(sed -n 's/^signature=//p' <<<"$PAYLOAD_INFO")
BODY_SIZE=$(sed -n 's/^size=//p' <<<"$PAYLOAD_INFO")
COMMITS=$(sed -n 's/^commits=//p' <<<"$PAYLOAD_INFO")
log "payload: $BODY_SIZE bytes, $COMMITS commits, push to refs/heads/main"

# one request by hand, so a broken setup fails loudly before the load
PROBE=$(curl -sS -m 10 -o "$OUT/probe.json" -w '%{http_code}' -X POST "$URL" -H 'Content-Type: application/json' \
    -H 'X-GitHub-Event: push' -H "X-GitHub-Delivery: $(python3 -c 'import uuid; print(uuid.uuid4())')" \
    -H "X-Hub-Signature-256: $SIGNATURE" --data-binary "@$BODY") || true
[ "$PROBE" = 202 ] || { cat "$OUT/probe.json" >&2 || true; die "probe delivery answered $PROBE, expected 202"; }
PRE_ACCEPTED=1

run_wrk() { # <seconds> <run id> <output file>
    wrk -t "$THREADS" -c "$CONNECTIONS" -d "${1}s" --timeout "$TIMEOUT" --latency \
        -s "$BENCH_DIR/github-push.lua" "$URL" -- "$BODY" "$SIGNATURE" "$2" >"$3" 2>&1
}
bench_value() { sed -n "s/^BENCH $2=//p" "$1" | head -1; }

# The warm-up ends with a second, short wrk run on new connections: closing and opening wrk's connections
# takes paths the JIT has not seen while wrk held them open, and it then throws away the event loop's compiled
# code (uncommon traps) and compiles it again; without this the measured run's first 5-10 s paid for that.
if [ "$WARMUP" -gt 0 ]; then
    log "warm-up: ${WARMUP} s (the last ${RECONNECT} s on new connections)"
    for part in "$((WARMUP - RECONNECT)):wrk-warmup.txt" "$RECONNECT:wrk-warmup-reconnect.txt"; do
        [ "${part%%:*}" -gt 0 ] || continue
        run_wrk "${part%%:*}" "$(python3 -c 'import secrets; print(secrets.token_hex(4))')" "$OUT/${part#*:}" \
            || { cat "$OUT/${part#*:}" >&2; die "wrk failed"; }
        PRE_ACCEPTED=$((PRE_ACCEPTED + $(bench_value "$OUT/${part#*:}" ok2xx)))
        sleep 1
    done
fi

# ---------------------------------------------------------------- measured run
(   # peak RSS sampler: VmRSS every 200 ms, bounded in time
    max=0; end=$(( $(date +%s) + DURATION + 30 ))
    while kill -0 "$HUB_PID" 2>/dev/null && [ "$(date +%s)" -lt "$end" ]; do
        v=$(status_kb "$HUB_PID" VmRSS); [ "${v:-0}" -gt "$max" ] && max=$v && echo "$max" >"$OUT/rss-max-kb"
        sleep 0.2
    done
) &
SAMPLER_PID=$!
if [ "$PROFILE" = async ]; then
    # itimer: CPU time of every thread, Java, VM and kernel frames alike (JFR samples only threads in Java code)
    jcmd "$HUB_PID" JVMTI.agent_load "$AP_LIB" "\"start,event=itimer,interval=${AP_INTERVAL_MS}ms,threads\"" >/dev/null \
        || log "async-profiler could not be attached"
fi
if [ "$PROFILE" = 1 ]; then
    jcmd "$HUB_PID" JFR.start name=bench settings="$PROFILE_SETTINGS" duration="$((DURATION > 4 ? DURATION - 2 : DURATION))s" \
        filename="$OUT/hub.jfr" >/dev/null || log "JFR could not be started"
fi
RSS_BEFORE_KB=$(status_kb "$HUB_PID" VmRSS); RSS_BEFORE_KB=${RSS_BEFORE_KB:-0}
python3 "$BENCH_DIR/thread-cpu.py" snapshot "$HUB_PID" "$OUT/threads-before.txt"
CPU0=$(cpu_ticks "$HUB_PID"); read -r SB0 SI0 < <(sys_busy_idle)
log "measured run: ${DURATION} s, ${CONNECTIONS} connections, ${THREADS} threads"
RUN_ID=$(python3 -c 'import secrets; print(secrets.token_hex(4))')
TIMEFORMAT='%U %S'
{ time run_wrk "$DURATION" "$RUN_ID" "$OUT/wrk.txt"; } 2>"$OUT/wrk-cpu.txt" || { cat "$OUT/wrk.txt" >&2; die "wrk failed"; }
read -r WRK_USER WRK_SYS <"$OUT/wrk-cpu.txt"
CPU1=$(cpu_ticks "$HUB_PID"); read -r SB1 SI1 < <(sys_busy_idle)
if [ "$PROFILE" = async ]; then
    jcmd "$HUB_PID" JVMTI.agent_load "$AP_LIB" "\"stop,file=$OUT/hub.collapsed,collapsed,threads\"" >/dev/null \
        || log "async-profiler could not be stopped"
fi
python3 "$BENCH_DIR/thread-cpu.py" snapshot "$HUB_PID" "$OUT/threads-after.txt"
HWM_KB=$(status_kb "$HUB_PID" VmHWM); HWM_KB=${HWM_KB:-0}
kill "$SAMPLER_PID" 2>/dev/null || true; wait "$SAMPLER_PID" 2>/dev/null || true; SAMPLER_PID=""
RSS_MAX_KB=$(cat "$OUT/rss-max-kb" 2>/dev/null || echo 0); RSS_MAX_KB=${RSS_MAX_KB:-0}

# ---------------------------------------------------------------- durability (API)
TOTAL=$(curl -fsS -m 30 "$BASE/api/containers/services/$SERVICE_ID/deliveries?limit=1" -H "$AUTH" | json_field total) \
    || die "cannot read the delivery log"

if [ "$PROFILE" = 1 ]; then
    for _ in $(seq 1 50); do [ -s "$OUT/hub.jfr" ] && break; sleep 0.2; done
    [ -s "$OUT/hub.jfr" ] || jcmd "$HUB_PID" JFR.dump name=bench filename="$OUT/hub.jfr" >/dev/null 2>&1 || true
fi

# ---------------------------------------------------------------- stop the hub
log "stopping the hub (SIGTERM)"
kill -TERM "$HUB_PID"
for _ in $(seq 1 150); do kill -0 "$HUB_PID" 2>/dev/null || break; sleep 0.2; done
if kill -0 "$HUB_PID" 2>/dev/null; then log "hub did not stop in 30 s; killing it"; kill -KILL "$HUB_PID"; fi
wait "$HUB_PID" 2>/dev/null || true
HUB_PID=""

# durability (store, after the stop): rows by status, read straight from the H2 file
BREAKDOWN=$(java -cp "$JAR" org.h2.tools.Shell -url "jdbc:h2:file:$DATA/hub" -user sa -password "" -sql \
    "SELECT status, response_code, COUNT(*) AS n FROM webhook_deliveries GROUP BY status, response_code ORDER BY n DESC; SELECT COUNT(*) AS deployments FROM deployments" \
    2>&1) || BREAKDOWN="(could not read the H2 file)"
STORED_2XX=$(java -cp "$JAR" org.h2.tools.Shell -url "jdbc:h2:file:$DATA/hub" -user sa -password "" -sql \
    "SELECT COUNT(*) FROM webhook_deliveries WHERE service_id = '$SERVICE_ID' AND response_code BETWEEN 200 AND 299" \
    2>/dev/null | sed -n '2p' | tr -dc '0-9') || STORED_2XX=""

TIMELINE=$(java -cp "$JAR" org.h2.tools.Shell -url "jdbc:h2:file:$DATA/hub" -user sa -password "" -sql \
    "SELECT FORMATDATETIME(created_at, 'HH:mm:ss') AS s, COUNT(*) AS n FROM webhook_deliveries GROUP BY s ORDER BY s" \
    2>/dev/null | awk -F'|' 'NR > 1 && NF == 2 {gsub(/ /, "", $2); printf "%s ", $2}') || TIMELINE=""

# ---------------------------------------------------------------- report
W=$OUT/wrk.txt
DUR_US=$(bench_value "$W" duration_us)
OK=$(bench_value "$W" ok2xx)
ACCEPTED_TOTAL=$((PRE_ACCEPTED + OK))
TICKS=$(getconf CLK_TCK)
RC=0
python3 - "$W" "$DUR_US" "$OK" "$TOTAL" "$ACCEPTED_TOTAL" "$STORED_2XX" "$HWM_KB" "$RSS_MAX_KB" "$RSS_BEFORE_KB" \
    "$((CPU1 - CPU0))" "$TICKS" "$((SB1 - SB0))" "$((SI1 - SI0))" "$(nproc)" "$STRICT" "$WRK_USER" "$WRK_SYS" \
    "$TARGET_RATE" "$TARGET_P99_MS" "$TARGET_RSS_MB" <<'PY' >"$OUT/summary.txt" || RC=$?
import sys
(w, dur_us, ok, total, accepted, stored2xx, hwm, rssmax, rss0, cpu, tck, sbusy, sidle, ncpu, strict, wrk_user,
 wrk_sys, t_rate, t_p99, t_rss) = sys.argv[1:]
vals = {}
for line in open(w):
    if line.startswith("BENCH "):
        k, _, v = line[6:].strip().partition("=")
        vals.setdefault(k, v)
d = int(dur_us) / 1e6
ok = int(ok)
rate = ok / d
p50 = int(vals["lat_p50_us"]) / 1000
p90 = int(vals["lat_p90_us"]) / 1000
p99 = int(vals["lat_p99_us"]) / 1000
p999 = int(vals["lat_p99_9_us"]) / 1000
lmax = int(vals["lat_max_us"]) / 1000
non2xx = int(vals["r3xx"]) + int(vals["r4xx"]) + int(vals["r5xx"])
errs = {k: int(vals["err_" + k]) for k in ("connect", "read", "write", "timeout")}
peak = max(int(hwm), int(rssmax)) / 1024
hub_cores = int(cpu) / int(tck) / d
sys_cores = int(sbusy) / max(1, int(sbusy) + int(sidle)) * int(ncpu)
total, accepted = int(total), int(accepted)

def mark(good):
    return "ok  " if good else "MISS"

print("accepted deliveries/s : %8.0f   target >= %s   %s" % (rate, t_rate, mark(rate >= int(t_rate))))
print("latency p50           : %8.2f ms" % p50)
print("latency p99           : %8.2f ms   target < %s ms   %s" % (p99, t_p99, mark(p99 < float(t_p99))))
print("peak RSS              : %8.0f MB   target < %s MB   %s" % (peak, t_rss, mark(peak < int(t_rss))))
stored_ok = total >= accepted and (stored2xx == "" or int(stored2xx) >= accepted)
print("stored: %d of %d accepted   target: every accepted delivery stored   %s"
      % (total, accepted, "ok  " if stored_ok else "FAIL"))
print("")
print("requests %d in %.2f s (2xx %d, non-2xx %d: 3xx %d 4xx %d 5xx %d; wrk 'Non-2xx or 3xx' %s)"
      % (int(vals["requests"]), d, ok, non2xx, int(vals["r3xx"]), int(vals["r4xx"]), int(vals["r5xx"]),
         vals["wrk_non2xx3xx"]))
print("socket errors: connect %(connect)d, read %(read)d, write %(write)d, timeout %(timeout)d" % errs)
if "first_non2xx" in vals:
    print("first non-2xx answer: " + vals["first_non2xx"])
print("latency mean %.2f ms, p90 %.2f ms, p99.9 %.2f ms, max %.2f ms" % (int(vals["lat_mean_us"]) / 1000, p90, p999, lmax))
print("RSS: %d MB before the run, max sampled during it %d MB, VmHWM (process peak) %d MB"
      % (int(rss0) / 1024, int(rssmax) / 1024, int(hwm) / 1024))
wrk_cores = (float(wrk_user) + float(wrk_sys)) / d
other = sys_cores - hub_cores - wrk_cores
print("CPU during the run: hub %.2f cores, wrk %.2f cores, whole machine %.2f of %s cores"
      % (hub_cores, wrk_cores, sys_cores, ncpu))
if other > 0.15:
    print("WARNING: other processes used about %.2f cores during the run; these figures are disturbed" % other)
print("store: %d rows for the service via the API (accepted by 2xx in probe + warm-up + run: %d)%s"
      % (total, accepted, "" if stored2xx == "" else "; 2xx rows in the H2 file after the stop: " + stored2xx))
misses = (rate < int(t_rate)) + (p99 >= float(t_p99)) + (peak >= int(t_rss))
sys.exit(2 if not stored_ok else (3 if misses and strict == "1" else 0))
PY
{
    echo ""
    echo "store breakdown after the stop:"
    sed 's/^/  /' <<<"$BREAKDOWN"
    echo "deliveries stored per second, probe + warm-up + run (from created_at):"
    fold -s -w 100 <<<"$TIMELINE" | sed 's/^/  /'
    echo "hub log: $(grep -c ' WARN ' "$OUT/hub.log" || true) WARN, $(grep -c ' ERROR ' "$OUT/hub.log" || true) ERROR lines; most frequent:"
    grep -E ' (WARN|ERROR) ' "$OUT/hub.log" | cut -d' ' -f2- \
        | sed -E 's/\[[^]]*\] //; s/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/<id>/g' \
        | cut -c1-160 | sort | uniq -c | sort -rn | head -3 | sed 's/^/  /' || true
} >>"$OUT/summary.txt"

report() {
echo "== Webhook Hub benchmark: ${DURATION} s, ${CONNECTIONS} connections, ${THREADS} wrk threads, $(nproc) cores," \
     "${BODY_SIZE}-byte signed GitHub pushes, JAVA_OPTS='${JAVA_OPTS}', MALLOC_ARENA_MAX=${MALLOC_ARENA_MAX:-2}${HUB_ENV:+, $HUB_ENV}"
echo "   $JAR_INFO; warm-up ${WARMUP} s before the measured run"
cat "$OUT/summary.txt"
echo "machine busy before the hub started: ${IDLE_BUSY}%"
python3 "$BENCH_DIR/thread-cpu.py" diff "$OUT/threads-before.txt" "$OUT/threads-after.txt" \
    "$(python3 -c "print($DUR_US / 1e6)")" | tee "$OUT/threads.txt"
echo ""
echo "wrk output:"
grep -v '^BENCH ' "$OUT/wrk.txt" | sed 's/^/  /'
if [ "$PROFILE" = async ] && [ -s "$OUT/hub.collapsed" ]; then
    echo ""
    echo "async-profiler CPU profile ($OUT/hub.collapsed):"
    python3 "$BENCH_DIR/ap-top.py" "$OUT/hub.collapsed" "$OK" "$AP_INTERVAL_MS" | sed 's/^/  /' | tee "$OUT/profile.txt"
fi
if [ "$PROFILE" = 1 ] && [ -s "$OUT/hub.jfr" ]; then
    echo ""
    echo "JFR CPU profile ($OUT/hub.jfr):"
    python3 "$BENCH_DIR/jfr-top.py" "$OUT/hub.jfr" 20 | sed 's/^/  /' | tee "$OUT/profile.txt"
fi
echo ""
echo "results: $OUT"
}
report | tee "$OUT/report.txt"
exit "$RC"
