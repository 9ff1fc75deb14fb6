#!/usr/bin/env sh
# Side by side on one machine: Runnel's producer, the AWS SDK v2 (PutRecords, 500 per request) and the Amazon KPL
# send the same workload to the bundled backend (TLS on); prints each figure and its ratio to runnel.
#
#   benchmarks/compare.sh [--limits on|off] [RECORDS [RECORD_SIZE [KEYS]]]      defaults: off 1000000 100 1000
#
# --limits off (default): the backend enforces no shard limits and both producers' own limiters are lifted
# (RateLimit=1000000): raw speed. --limits on: Kinesis' per-shard limits, every producer with its defaults: how much of
# the stream each uses, how often it is throttled, and whether it keeps order.
#
# Builds the CLI with the kpl profile first when the jar lacks the KPL client (downloads the KPL, ~70 MB).
# Reports go to benchmarks/target/compare/<client>.json. Needs only a JDK 17+.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
limits=off
if [ "${1:-}" = "--limits" ]; then
  limits=${2:?--limits needs on or off}
  shift 2
fi
case "$limits" in on|off) ;; *) echo "--limits must be on or off, was $limits" >&2; exit 2 ;; esac
records=${1:-1000000}
size=${2:-100}
keys=${3:-1000}
jar="$root/cli/target/runnel.jar"
out="$here/target/compare"
[ "$limits" = off ] || out="$out-limits-on"
mkdir -p "$out"

if [ ! -f "$jar" ] || ! jar tf "$jar" | grep -q 'io/runnel/cli/loadgen/kpl/KplLoadClient.class'; then
  echo "building $jar with the kpl profile ..." >&2
  (cd "$root" && ./mvnw -q -B -ntp -Pkpl -pl cli -am package -DskipTests) >&2
fi

# Limits off: the producers' own per-shard limiters would cap them at 150 % of Kinesis' shard limits, which the
# backend does not enforce: both the KPL and Runnel get the same properties, lifting that cap. Limits on: defaults.
props="$out/producer.properties"
if [ "$limits" = off ]; then printf 'RateLimit=1000000\n' > "$props"; else : > "$props"; fi

log="$out/backend.log"
java ${RUNNEL_JAVA_OPTS:-} -jar "$jar" backend --port 0 --tls-port 0 --limits "$limits" > "$log" 2>&1 &
backend=$!
trap 'kill $backend 2>/dev/null || true' EXIT INT TERM
tls=""
i=0
while [ -z "$tls" ] && [ $i -lt 300 ]; do
  tls=$(sed -n 's#^listening on \(https://[^ ]*\).*#\1#p' "$log")
  if [ -z "$tls" ]; then
    kill -0 $backend 2>/dev/null || { cat "$log" >&2; echo "the backend did not start" >&2; exit 1; }
    sleep 0.1
    i=$((i + 1))
  fi
done
[ -n "$tls" ] || { cat "$log" >&2; echo "the backend did not report its TLS port within 30 s" >&2; exit 1; }
echo "backend at $tls (limits $limits); $records records of $size bytes, $keys keys, each client into its own 4-shard stream"

run=$(date +%s)
for client in runnel sdk kpl; do
  config=""
  [ "$client" = sdk ] || config="--config $props"
  echo "== $client"
  # shellcheck disable=SC2086
  java ${RUNNEL_JAVA_OPTS:-} -jar "$jar" loadgen --endpoint "$tls" --stream "compare-$client-$run" --client $client \
    --records "$records" --record-size "$size" --keys "$keys" $config --verify --report "$out/$client.json" \
    > "$out/$client.log" 2>&1 && status=ok || status="exit $?"
  grep -E '^(records|rate|latency|requests|shards|memory|verify)' "$out/$client.log" || tail -n 5 "$out/$client.log"
  echo "$status" > "$out/$client.status"
done

# One figure from a loadgen JSON report (pretty-printed: one "key" : value per line; names used here are unique).
figure() {
  sed -n "s/^ *\"$2\" : \([^,]*\),\{0,1\}$/\1/p" "$1" | head -n 1
}

echo
printf '%-28s %14s %26s %26s\n' "figure" "runnel" "sdk (ratio to runnel)" "kpl (ratio to runnel)"
for f in recordsPerSecond megabytesPerSecond p50 p90 p99 p999 max putRecordsCalls retries throttles \
         userRecordsPerKinesisRecord peakHeapBytes daemonPeakRssBytes missing duplicates outOfOrder passed; do
  base=$(figure "$out/runnel.json" $f)
  shown=$(awk -v b="$base" 'BEGIN { if (b ~ /^-?[0-9.eE+-]+$/) printf "%.4g", b; else print b }')
  line=$(printf '%-28s %14s' "$f" "$shown")
  for client in sdk kpl; do
    v=$(figure "$out/$client.json" $f)
    cell=$(awk -v v="$v" -v b="$base" 'BEGIN {
      if (v == "" ) { print "-"; exit }
      if (v ~ /^-?[0-9.eE+-]+$/ && b ~ /^-?[0-9.eE+-]+$/ && b + 0 != 0) printf "%.4g (%.2fx)", v, v / b;
      else print v }')
    line=$(printf '%s %26s' "$line" "$cell")
  done
  echo "$line"
done
echo
echo "latency figures (p50 ... max) are milliseconds; peakHeapBytes is the JVM's, daemonPeakRssBytes the KPL daemon's."
echo "exit status: runnel $(cat "$out/runnel.status"), sdk $(cat "$out/sdk.status"), kpl $(cat "$out/kpl.status")"
