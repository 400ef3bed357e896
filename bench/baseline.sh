#!/usr/bin/env bash
# Ceilings for bench/run.sh: the same wrk load against servers that verify and parse but store nothing.
#
#   bash bench/baseline.sh vertx     # bare Vert.x HTTP server: HMAC + JSON parse, answer 202
#   bash bench/baseline.sh camel     # camel-main, one platform-http route doing the same in a processor
#
# Environment: DURATION [30], WARMUP [120], RECONNECT [10], CONNECTIONS [64], THREADS [2], PORT [18090],
#   JAVA_OPTS [the hub's flags: 256 MB heap, serial GC], PAYLOAD_BYTES [8192].
# Prints accepted/s, p50/p99 and peak RSS like bench/run.sh. Results go to bench/out/baseline-<mode>-<timestamp>/.
set -euo pipefail

MODE=${1:?usage: bash bench/baseline.sh vertx|camel}
BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$BENCH_DIR/.." && pwd)
cd "$ROOT"

DURATION=${DURATION:-30}
WARMUP=${WARMUP:-120}
CONNECTIONS=${CONNECTIONS:-64}
THREADS=${THREADS:-2}
PORT=${PORT:-18090}
JAVA_OPTS=${JAVA_OPTS:--Xms256m -Xmx256m -XX:+UseSerialGC -Xss512k -XX:MaxMetaspaceSize=128m}
PAYLOAD_BYTES=${PAYLOAD_BYTES:-8192}
JAR=target/webhook-hub.jar

log() { printf '[baseline] %s\n' "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }
case "$MODE" in vertx|camel) ;; *) die "mode must be vertx or camel" ;; esac
[ -f "$JAR" ] || { log "building $JAR"; mvn -B -q -DskipTests package || die "build failed"; }
command -v wrk >/dev/null || die "wrk is required (bash bench/run.sh installs it)"

OUT=$BENCH_DIR/out/baseline-$MODE-$(date +%Y%m%d-%H%M%S)
mkdir -p "$OUT"
SECRET=$(python3 -c 'import secrets; print(secrets.token_hex(20))')
BODY=$OUT/github-push.json
SIGNATURE=$(python3 "$BENCH_DIR/make-payload.py" "$BENCH_DIR/github-push-sample.json" "$BODY" "$SECRET" "$PAYLOAD_BYTES" \
    | sed -n 's/^signature=//p')
URL=http://127.0.0.1:$PORT/api/containers/webhooks/github/bench

# shellcheck disable=SC2086
java $JAVA_OPTS -cp "$JAR" "$BENCH_DIR/Baseline.java" "$MODE" "$PORT" "$SECRET" >"$OUT/server.log" 2>&1 &
PID=$!
trap 'kill "$PID" 2>/dev/null || true' EXIT
probe() {
    curl -sS -m 5 -o /dev/null -w '%{http_code}' -X POST "$URL" -H 'Content-Type: application/json' \
        -H 'X-GitHub-Event: push' -H "X-Hub-Signature-256: $SIGNATURE" --data-binary "@$BODY" 2>/dev/null || true
}
for _ in $(seq 1 120); do [ "$(probe)" = 202 ] && break; kill -0 "$PID" || die "server exited"; sleep 0.5; done
[ "$(probe)" = 202 ] || { tail -20 "$OUT/server.log" >&2; die "the $MODE server does not answer 202"; }

run_wrk() {
    wrk -t "$THREADS" -c "$CONNECTIONS" -d "${1}s" --timeout 10s --latency \
        -s "$BENCH_DIR/github-push.lua" "$URL" -- "$BODY" "$SIGNATURE" "$2" >"$3" 2>&1
}
value() { sed -n "s/^BENCH $2=//p" "$1" | head -1; }
# as bench/run.sh: the warm-up's last RECONNECT seconds on new connections, so the measured run's new ones
# meet compiled code
RECONNECT=${RECONNECT:-10}
[ "$RECONNECT" -lt "$WARMUP" ] || RECONNECT=0
if [ "$WARMUP" -gt 0 ]; then
    log "$MODE: warm-up ${WARMUP} s (the last ${RECONNECT} s on new connections)"
    run_wrk "$((WARMUP - RECONNECT))" aaaaaaaa "$OUT/wrk-warmup.txt" || die "wrk failed"
    if [ "$RECONNECT" -gt 0 ]; then
        run_wrk "$RECONNECT" cccccccc "$OUT/wrk-warmup-reconnect.txt" || die "wrk failed"
    fi
fi
log "$MODE: measured run ${DURATION} s, ${CONNECTIONS} connections"
( max=0; while kill -0 "$PID" 2>/dev/null; do
    v=$(awk '$1=="VmRSS:" {print $2}' "/proc/$PID/status" 2>/dev/null || echo 0)
    [ "${v:-0}" -gt "$max" ] && max=$v && echo "$max" >"$OUT/rss-max-kb"; sleep 0.2; done ) &
SAMPLER=$!
CPU0=$(awk '{print $14 + $15}' "/proc/$PID/stat")
run_wrk "$DURATION" bbbbbbbb "$OUT/wrk.txt" || die "wrk failed"
CPU1=$(awk '{print $14 + $15}' "/proc/$PID/stat")
kill "$SAMPLER" 2>/dev/null || true

W=$OUT/wrk.txt
OK=$(value "$W" ok2xx); US=$(value "$W" duration_us)
{
    printf '%s baseline (stores nothing), %s connections, %s s after a %s s warm-up\n' "$MODE" "$CONNECTIONS" "$DURATION" "$WARMUP"
    printf 'accepted/s  : %8.0f\n' "$(python3 -c "print($OK / ($US / 1e6))")"
    printf 'latency p50 : %8.2f ms\n' "$(python3 -c "print($(value "$W" lat_p50_us) / 1000)")"
    printf 'latency p99 : %8.2f ms\n' "$(python3 -c "print($(value "$W" lat_p99_us) / 1000)")"
    printf 'non-2xx     : %8d\n' "$(( $(value "$W" requests) - OK ))"
    printf 'peak RSS    : %8d MB\n' "$(( $(cat "$OUT/rss-max-kb" 2>/dev/null || echo 0) / 1024 ))"
    printf 'server CPU  : %8.2f cores\n' "$(python3 -c "print(($CPU1 - $CPU0) / $(getconf CLK_TCK) / ($US / 1e6))")"
} | tee "$OUT/report.txt"
