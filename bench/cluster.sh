#!/usr/bin/env bash
# Scale-out benchmark: two hub instances on one PostgreSQL (README "Scale-out"), signed ~8 KB GitHub
# push deliveries with wrk against both at once (one wrk per instance, half the connections each, as a
# round-robin load balancer would spread them).
#
#   bash bench/cluster.sh                          # 30 s after a 60 s warm-up, 64 connections in all
#   DURATION=10 WARMUP=0 bash bench/cluster.sh     # smoke run
#   KAFKA=embedded bash bench/cluster.sh           # Kafka mode, with an in-JVM KRaft broker
#
# PostgreSQL is the zonky embedded server the tests use (bench/ClusterPostgres.java, no Docker needed).
# Kafka: KAFKA=embedded starts the tests' single-node KRaft broker (support/KafkaBroker, kafka_2.13 from the
# test classpath) in the same JVM as PostgreSQL; KAFKA=host:port uses a running broker. Either way the
# instances run with HUB_KAFKA_BOOTSTRAP_SERVERS (Kafka mode); without KAFKA they use their in-process queues.
# After the load the script waits (at most DRAIN_TIMEOUT) until every accepted delivery has been worked, then
# checks the store. On a 2-core machine the two hubs, PostgreSQL, Kafka and wrk share the same cores: expect
# it CPU-bound; the point is the shape (both instances take deliveries, every accepted delivery stored and
# worked once), not the number.
#
# Environment (defaults in brackets):
#   DURATION [30]  WARMUP [60]  CONNECTIONS [64, split over the instances]  TIMEOUT [10s]
#   PORT1 [18081]  PORT2 [18082]  PGPORT [15432]
#   JAVA_OPTS [256 MB heap, serial GC, as bench/run.sh]   HUB_ENV []  extra environment for both hubs
#   KAFKA []       Kafka mode: "embedded" (in-JVM broker) or the bootstrap servers of a running broker
#   DRAIN_TIMEOUT [300]  seconds to wait after the load for every accepted delivery to be worked
#   KEEP [0]       1: keep the data directories (PostgreSQL's and the hubs')
#   HUB_JAR [target/webhook-hub.jar]   REBUILD [0]  1: package first
# Results go to bench/out/cluster-<timestamp>/. Exit status: 0 ok; 1 setup failed; 2 an accepted delivery
# is missing from the store or was worked twice.
set -euo pipefail

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$BENCH_DIR/.." && pwd)
cd "$ROOT"

DURATION=${DURATION:-30}
WARMUP=${WARMUP:-60}
CONNECTIONS=${CONNECTIONS:-64}
TIMEOUT=${TIMEOUT:-10s}
PORT1=${PORT1:-18081}
PORT2=${PORT2:-18082}
PGPORT=${PGPORT:-15432}
JAVA_OPTS=${JAVA_OPTS:--Xms256m -Xmx256m -XX:+UseG1GC -XX:MaxGCPauseMillis=20 -XX:-G1UseAdaptiveIHOP -XX:InitiatingHeapOccupancyPercent=70 -Xss512k -XX:MaxMetaspaceSize=128m -XX:+ExitOnOutOfMemoryError}
HUB_ENV=${HUB_ENV:-}
KAFKA=${KAFKA:-}
DRAIN_TIMEOUT=${DRAIN_TIMEOUT:-300}
KEEP=${KEEP:-0}
REBUILD=${REBUILD:-0}
JAR=${HUB_JAR:-target/webhook-hub.jar}
SAMPLE=$BENCH_DIR/github-push-sample.json
HALF=$(( CONNECTIONS / 2 > 0 ? CONNECTIONS / 2 : 1 ))

log() { printf '[cluster-bench] %s\n' "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

command -v java >/dev/null || die "java is required"
command -v curl >/dev/null || die "curl is required"
command -v python3 >/dev/null || die "python3 is required"
command -v wrk >/dev/null || die "wrk is required (apt-get install wrk)"
if [ ! -f "$JAR" ] || [ "$REBUILD" = 1 ]; then
    log "building $JAR"
    mvn -B -q -DskipTests package || die "build failed"
fi

OUT=$BENCH_DIR/out/cluster-$(date +%Y%m%d-%H%M%S)
mkdir -p "$OUT"
TMP=$(mktemp -d /tmp/webhook-hub-cluster.XXXXXX)
cp "$JAR" "$TMP/webhook-hub.jar"
JAR=$TMP/webhook-hub.jar
PG_PID=""; HUB1_PID=""; HUB2_PID=""

stop_pid() { # <pid>: SIGTERM, then SIGKILL after 30 s
    [ -n "$1" ] && kill -0 "$1" 2>/dev/null || return 0
    kill -TERM "$1" 2>/dev/null || true
    for _ in $(seq 1 150); do kill -0 "$1" 2>/dev/null || return 0; sleep 0.2; done
    kill -KILL "$1" 2>/dev/null || true
}
cleanup() {
    stop_pid "$HUB1_PID"; stop_pid "$HUB2_PID"; stop_pid "$PG_PID"
    if [ "$KEEP" = 1 ]; then log "data kept in $TMP"; else rm -rf "$TMP"; fi
}
trap cleanup EXIT

# ---------------------------------------------------------------- PostgreSQL
log "test classpath (for the embedded PostgreSQL and Kafka)"
mvn -B -q -o dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$TMP/cp.txt" >/dev/null 2>&1 \
    || mvn -B -q dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$TMP/cp.txt" >/dev/null \
    || die "cannot build the test classpath"
# ClusterPostgres.java uses the tests' KafkaBroker (and their log4j2-test.properties: Kafka's logs at ERROR)
if [ ! -f target/test-classes/dev/webhookhub/support/KafkaBroker.class ]; then
    log "compiling the test classes"
    mvn -B -q -o -DskipTests test-compile || die "cannot compile the test classes"
fi
# compiled once (not by the source launcher on every query)
mkdir -p "$TMP/launcher"
javac -nowarn -d "$TMP/launcher" -cp "$ROOT/target/test-classes:$(cat "$TMP/cp.txt")" "$BENCH_DIR/ClusterPostgres.java" \
    || die "cannot compile bench/ClusterPostgres.java"
CP=$TMP/launcher:$ROOT/target/test-classes:$(cat "$TMP/cp.txt")
if [ "$KAFKA" = embedded ]; then
    log "starting PostgreSQL on port $PGPORT and an in-JVM Kafka broker (KRaft)"
    java -cp "$CP" ClusterPostgres start "$PGPORT" "$TMP/pg" kafka >"$OUT/postgres.log" 2>&1 &
else
    log "starting PostgreSQL on port $PGPORT"
    java -cp "$CP" ClusterPostgres start "$PGPORT" "$TMP/pg" >"$OUT/postgres.log" 2>&1 &
fi
PG_PID=$!
for _ in $(seq 1 360); do grep -q '^READY ' "$OUT/postgres.log" && break
    kill -0 "$PG_PID" 2>/dev/null || { tail -20 "$OUT/postgres.log" >&2; die "PostgreSQL/Kafka did not start"; }; sleep 0.5; done
DB_URL=$(sed -n 's/^READY //p' "$OUT/postgres.log" | head -1)
[ -n "$DB_URL" ] || die "PostgreSQL/Kafka did not start in 180 s"
if [ "$KAFKA" = embedded ]; then
    KAFKA=$(sed -n 's/^KAFKA //p' "$OUT/postgres.log" | head -1)
    [ -n "$KAFKA" ] || die "the embedded Kafka broker did not start"
    log "Kafka broker at $KAFKA"
fi
DB_URL=${DB_URL%%\?*}
query() { java -cp "$CP" ClusterPostgres query "$DB_URL" "$1"; }

# ---------------------------------------------------------------- two hubs
TOKEN=$(python3 -c 'import secrets; print(secrets.token_hex(24))')
KEY=$(python3 -c 'import base64, os; print(base64.b64encode(os.urandom(32)).decode())')
start_hub() { # <n> <port>: prints the pid
    mkdir -p "$TMP/hub$1"
    # shellcheck disable=SC2086
    env HUB_PROFILE=postgres HUB_DB_URL="$DB_URL" HUB_DB_USER=postgres HUB_DB_PASSWORD=postgres \
        HUB_DATA_DIR="$TMP/hub$1" HUB_INSTANCE_ID="bench-hub-$1" HUB_HTTP_HOST=127.0.0.1 HUB_HTTP_PORT="$2" \
        HUB_ADMIN_TOKEN="$TOKEN" HUB_SECRET_KEY="$KEY" HUB_PUBLIC_URL="http://127.0.0.1:$2" \
        ${KAFKA:+HUB_KAFKA_BOOTSTRAP_SERVERS=$KAFKA} MALLOC_ARENA_MAX=2 $HUB_ENV \
        java $JAVA_OPTS -jar "$JAR" >"$OUT/hub$1.log" 2>&1 &
    echo $!
}
await_ready() { # <pid> <port> <n>
    local start; start=$(date +%s)
    until curl -fsS -m 2 "http://127.0.0.1:$2/observe/health/ready" 2>/dev/null | grep -q '"UP"'; do
        kill -0 "$1" 2>/dev/null || { tail -30 "$OUT/hub$3.log" >&2; die "hub $3 exited during start"; }
        [ $(( $(date +%s) - start )) -lt 180 ] || { tail -30 "$OUT/hub$3.log" >&2; die "hub $3 not UP in 180 s"; }
        sleep 0.5
    done
    log "hub $3 UP on port $2 after $(( $(date +%s) - start )) s"
}
log "starting hub 1 (it migrates the schema), then hub 2${KAFKA:+; Kafka at $KAFKA}"
HUB1_PID=$(start_hub 1 "$PORT1"); await_ready "$HUB1_PID" "$PORT1" 1
HUB2_PID=$(start_hub 2 "$PORT2"); await_ready "$HUB2_PID" "$PORT2" 2

# ---------------------------------------------------------------- service, payload, probes
AUTH="Authorization: Bearer $TOKEN"
json_field() { python3 -c 'import json,sys; print(json.load(sys.stdin)[sys.argv[1]])' "$1"; }
SERVICE_ID=$(curl -fsS -m 10 -X POST "http://127.0.0.1:$PORT1/api/containers/services" -H "$AUTH" \
    -H 'Content-Type: application/json' \
    -d '{"name":"bench","git_repository":"https://github.com/octo/bench","git_branch":"main"}' | json_field id) \
    || die "cannot create the service"
SECRET=$(curl -fsS -m 10 "http://127.0.0.1:$PORT1/api/containers/services/$SERVICE_ID/webhook-url?provider=github" \
    -H "$AUTH" | json_field secret) || die "cannot get the webhook secret"
BODY=$OUT/github-push.json
PAYLOAD_INFO=$(python3 "$BENCH_DIR/make-payload.py" "$SAMPLE" "$BODY" "$SECRET" 8192)
SIGNATURE=$(sed -n 's/^signature=//p' <<<"$PAYLOAD_INFO")
log "payload: $(sed -n 's/^size=//p' <<<"$PAYLOAD_INFO") bytes"
url() { echo "http://127.0.0.1:$1/api/containers/webhooks/github/$SERVICE_ID"; }
for p in "$PORT1" "$PORT2"; do
    code=$(curl -sS -m 10 -o /dev/null -w '%{http_code}' -X POST "$(url "$p")" -H 'Content-Type: application/json' \
        -H 'X-GitHub-Event: push' -H "X-GitHub-Delivery: $(python3 -c 'import uuid; print(uuid.uuid4())')" \
        -H "X-Hub-Signature-256: $SIGNATURE" --data-binary "@$BODY") || true
    [ "$code" = 202 ] || die "probe delivery to port $p answered $code, expected 202"
done
PRE=2

run_both() { # <seconds> <tag>: one wrk per instance, in parallel
    local r1 r2
    r1=$(python3 -c 'import secrets; print(secrets.token_hex(4))'); r2=$(python3 -c 'import secrets; print(secrets.token_hex(4))')
    wrk -t 1 -c "$HALF" -d "${1}s" --timeout "$TIMEOUT" --latency -s "$BENCH_DIR/github-push.lua" "$(url "$PORT1")" \
        -- "$BODY" "$SIGNATURE" "$r1" >"$OUT/wrk-$2-hub1.txt" 2>&1 &
    local w1=$!
    wrk -t 1 -c "$HALF" -d "${1}s" --timeout "$TIMEOUT" --latency -s "$BENCH_DIR/github-push.lua" "$(url "$PORT2")" \
        -- "$BODY" "$SIGNATURE" "$r2" >"$OUT/wrk-$2-hub2.txt" 2>&1 &
    local w2=$!
    wait "$w1" || die "wrk (hub 1) failed: $(tail -3 "$OUT/wrk-$2-hub1.txt")"
    wait "$w2" || die "wrk (hub 2) failed: $(tail -3 "$OUT/wrk-$2-hub2.txt")"
}
val() { sed -n "s/^BENCH $2=//p" "$1" | head -1; }

if [ "$WARMUP" -gt 0 ]; then
    log "warm-up: $WARMUP s"
    run_both "$WARMUP" warmup
    PRE=$(( PRE + $(val "$OUT/wrk-warmup-hub1.txt" ok2xx) + $(val "$OUT/wrk-warmup-hub2.txt" ok2xx) ))
fi
log "measured run: $DURATION s, $HALF connections per instance"
run_both "$DURATION" run

# ---------------------------------------------------------------- let the workers finish, then check the store
ACCEPTED=$(( PRE + $(val "$OUT/wrk-run-hub1.txt" ok2xx) + $(val "$OUT/wrk-run-hub2.txt" ok2xx) ))
# The workers may lag behind the receivers (Kafka mode: published by the outbox relay, then consumed one record at a
# time per partition; one service = one partition), so wait, bounded, until no delivery is left 'accepted'.
BACKLOG=$(query "SELECT COUNT(*) FROM webhook_deliveries WHERE status = 'accepted'" | head -1)
log "load over: $BACKLOG deliveries not worked yet; waiting for them (up to $DRAIN_TIMEOUT s)"
DRAIN=$(java -cp "$CP" ClusterPostgres await "$DB_URL" \
    "SELECT COUNT(*) FROM webhook_deliveries WHERE status = 'accepted'" "$DRAIN_TIMEOUT") || true
log "${DRAIN:-drain check failed}"
DRAINED=$(sed -n 's/^DRAINED //p' <<<"$DRAIN")
OUTBOX=$( [ -n "$KAFKA" ] && query "SELECT COUNT(*) FROM kafka_outbox" | head -1 || echo "-")
STORED=$(query "SELECT COUNT(*) FROM webhook_deliveries WHERE service_id = '$SERVICE_ID' AND response_code BETWEEN 200 AND 299" | head -1)
LEFT=$(query "SELECT COUNT(*) FROM webhook_deliveries WHERE status = 'accepted'" | head -1)
DEPLOYMENTS=$(query "SELECT COUNT(*) FROM deployments" | head -1)
PROCESSED=$(query "SELECT COUNT(*) FROM webhook_deliveries WHERE service_id = '$SERVICE_ID' AND status = 'processed'" | head -1)
WORK_SPAN=$(query "SELECT EXTRACT(EPOCH FROM MAX(created_at) - MIN(created_at)) FROM deployments" | head -1)

RC=0
python3 - "$OUT" "$DURATION" "$ACCEPTED" "${STORED:-0}" "${LEFT:-?}" "${DEPLOYMENTS:-0}" "${PROCESSED:-0}" \
    "${KAFKA:-}" "${BACKLOG:-?}" "${DRAINED:-}" "$DRAIN_TIMEOUT" "${OUTBOX:--}" "${WORK_SPAN:-0}" <<'PY' >"$OUT/summary.txt" || RC=$?
import sys
out, dur, accepted, stored, left, deployments, processed, kafka, backlog, drained, drain_timeout, outbox, work_span = sys.argv[1:]
print("mode : " + ("Kafka (HUB_KAFKA_BOOTSTRAP_SERVERS=%s)" % kafka if kafka else "in-process queues (SEDA)"))
def vals(path):
    v = {}
    for line in open(path):
        if line.startswith("BENCH "):
            k, _, x = line[6:].strip().partition("=")
            v.setdefault(k, x)
    return v
total = 0
for n in (1, 2):
    v = vals("%s/wrk-run-hub%d.txt" % (out, n))
    d = int(v["duration_us"]) / 1e6
    ok = int(v["ok2xx"])
    total += ok / d
    print("hub %d: %7.0f accepted/s, p50 %6.1f ms, p99 %6.1f ms, non-2xx %d, socket errors %s" % (
        n, ok / d, int(v["lat_p50_us"]) / 1000, int(v["lat_p99_us"]) / 1000,
        int(v["r3xx"]) + int(v["r4xx"]) + int(v["r5xx"]),
        sum(int(v["err_" + k]) for k in ("connect", "read", "write", "timeout"))))
print("both : %7.0f accepted deliveries/s over %s s" % (total, dur))
print("drain: %s deliveries not yet worked when the load stopped; %s%s" % (
    backlog, ("all worked %s s later" % drained) if drained else ("NOT all worked within %s s" % drain_timeout),
    ("; %s rows left in kafka_outbox" % outbox) if kafka else ""))
try:
    span = float(work_span)
except ValueError:
    span = 0.0
print("work : %s deployments created in %.0f s from the first to the last (%.0f/s over both instances)" % (
    deployments, span, int(deployments) / span if span > 0 else 0))
print("store: %s deliveries answered 2xx stored of %s accepted; %s still 'accepted' (not worked); "
      "%s processed, %s deployments (one per processed push: none lost, none twice)"
      % (stored, accepted, left, processed, deployments))
ok = int(stored) >= int(accepted) and left == "0" and int(deployments) == int(processed)
print("result: " + ("ok" if ok else "FAIL"))
sys.exit(0 if ok else 2)
PY
cat "$OUT/summary.txt"
log "results: $OUT"
exit "$RC"
