#!/usr/bin/env bash
# Ceilings of the inbound path: how fast the hub would take deliveries if one part of its store work cost
# nothing. Builds HEAD (not uncommitted changes) with bench/ceilings.patch (in a temporary worktree; the patch adds a
# -Dceiling.skip switch that leaves that part out) and runs bench/run.sh with each variant, the variants
# alternated round by round so that the machine's drift falls on all of them alike:
#
#   none           the build as it is (the patch's switch off): the reference
#   status-update  the worker does not mark deliveries processed (no UPDATE of webhook_deliveries)
#   deployments    the worker does not insert deployments (nor supersede older ones)
#   worker-store   the worker's transaction is left out entirely (status update and deployments)
#   payloads       the inbox does not insert the bodies into webhook_delivery_payloads (since the body
#                  files, only refused ones there unless HUB_ENV="HUB_INBOX_BODY_FILES=false")
#   keys           the inbox does not insert the idempotency keys (so retries are not refused)
#   store          nothing is written to SQL at all: the inbox writes its journal only, the worker nothing
#   one-write      the inbox writes its journal and body files only; the worker inserts each delivery row, its
#                  idempotency key and body-file count once, already processed, in its own transaction (the
#                  "one H2 write per delivery" design's upper bound: no reader sees a delivery before its batch)
#   slim-row       the inbox stores "{}" for the delivery row's headers and event JSON (~1 KB of text per push):
#                  what the row's bytes, rather than its index entries, cost
#
# Every variant except none leaves out work the hub must do, so its run is not a result: it says how much
# that work costs, and so how far a cheaper way of doing it could go. The store variant's run ends with
# "stored: 0 of N" and bench/run.sh's exit code 2; that is expected.
#
#   bash bench/ceilings.sh          # ROUNDS x variants x (WARMUP + DURATION + start): about 20 min by default
#
# Environment: ROUNDS [2], VARIANTS ["none worker-store store"], and DURATION [30],
#   WARMUP [120], CONNECTIONS, THREADS, JAVA_OPTS, PAYLOAD_BYTES, HUB_ENV as for bench/run.sh.
# Prints each variant's accepted/s per round, its mean, the ratio of the mean to none's, the p99s and the
# peak RSS. Everything goes to bench/out/ceilings-<time>/.
set -euo pipefail

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$BENCH_DIR/.." && pwd)
cd "$ROOT"
ROUNDS=${ROUNDS:-2}
VARIANTS=${VARIANTS:-none worker-store store}
export DURATION=${DURATION:-30} WARMUP=${WARMUP:-120}
[ -n "${JAVA_OPTS:-}" ] && export JAVA_OPTS
BASE_ENV=${HUB_ENV:-}

log() { printf '[ceilings] %s\n' "$*" >&2; }
die() { log "$*"; exit 1; }

for v in $VARIANTS; do
    case $v in none|status-update|deployments|worker-store|payloads|keys|store|one-write|slim-row) ;; *) die "unknown variant '$v'";; esac
done
OUT=$BENCH_DIR/out/ceilings-$(date +%Y%m%d-%H%M%S)
mkdir -p "$OUT"

WT=$(mktemp -d /tmp/webhook-hub-ceilings.XXXXXX)
cleanup() { git -C "$ROOT" worktree remove --force "$WT" >/dev/null 2>&1 || rm -rf "$WT"; }
trap cleanup EXIT
git worktree add --detach "$WT" HEAD >/dev/null 2>&1 || die "cannot make a worktree of HEAD in $WT"
git -C "$WT" apply "$BENCH_DIR/ceilings.patch" || die "bench/ceilings.patch does not apply to HEAD any more"
log "building HEAD with bench/ceilings.patch in $WT"
(cd "$WT" && mvn -B -q -DskipTests package) >"$OUT/build.log" 2>&1 || { tail -30 "$OUT/build.log" >&2; die "build failed"; }
cp "$WT/target/webhook-hub.jar" "$OUT/webhook-hub-ceilings.jar"

for round in $(seq 1 "$ROUNDS"); do
    for v in $VARIANTS; do
        log "round $round/$ROUNDS: $v"
        rc=0
        HUB_JAR="$OUT/webhook-hub-ceilings.jar" HUB_ENV="$BASE_ENV JAVA_TOOL_OPTIONS=-Dceiling.skip=$v" \
            bash "$BENCH_DIR/run.sh" >"$OUT/$v-$round.txt" 2>"$OUT/$v-$round.log" || rc=$?
        if [ "$rc" != 0 ] && ! { [ "$rc" = 2 ] && [ "$v" = store ]; }; then
            log "run.sh exited with $rc for $v (see $OUT/$v-$round.log)"
        fi
    done
done

python3 - "$OUT" "$ROUNDS" $VARIANTS <<'PY'
import re, sys
out, rounds, variants = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
def figure(text, label):
    m = re.search(label + r"\s*:\s*([0-9.]+)", text)
    return float(m.group(1)) if m else float("nan")
rows = {}
for v in variants:
    runs = []
    for r in range(1, rounds + 1):
        try:
            text = open("%s/%s-%d.txt" % (out, v, r)).read()
        except OSError:
            text = ""
        runs.append((figure(text, "accepted deliveries/s"), figure(text, "latency p99"), figure(text, "peak RSS")))
    rows[v] = runs
def mean(xs):
    xs = [x for x in xs if x == x]
    return sum(xs) / len(xs) if xs else float("nan")
ref = mean([r[0] for r in rows.get("none", [])]) if "none" in rows else float("nan")
print("%-14s %-28s %10s %9s %-22s %s" % ("left out", "accepted/s per round", "mean", "x none", "p99 ms per round",
                                         "peak RSS MB"))
for v in variants:
    rates = [r[0] for r in rows[v]]
    m = mean(rates)
    print("%-14s %-28s %10.0f %9.2f %-22s %s" % (v, " ".join("%.0f" % x for x in rates), m,
          m / ref if ref == ref and ref > 0 else float("nan"), " ".join("%.1f" % r[1] for r in rows[v]),
          " ".join("%.0f" % r[2] for r in rows[v])))
print()
print("reports: %s/<variant>-<round>.txt" % out)
PY
