#!/usr/bin/env sh
# Backend ingest side by side on one machine: the same loadgen workload (AWS SDK v2 client, PutRecords of 500,
# JSON protocol since kinesalite's CBOR is incomplete) against Runnel's bundled backend and against kinesalite
# (the npm Kinesis emulator), both in memory with limits off; prints each figure and kinesalite's ratio to runnel.
#
#   benchmarks/compare-backends.sh [RECORDS [RECORD_SIZE]]      defaults: 200000 100
#
# Needs a JDK 17+ and npm (kinesalite is installed under benchmarks/target/kinesalite on first use).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
records=${1:-200000}
size=${2:-100}
jar="$root/cli/target/runnel.jar"
out="$here/target/compare-backends"
mkdir -p "$out"
[ -f "$jar" ] || (cd "$root" && ./mvnw -q -B -ntp -pl cli -am package -DskipTests -DskipITs) >&2

kl="$here/target/kinesalite"
if [ ! -x "$kl/node_modules/.bin/kinesalite" ]; then
  echo "installing kinesalite with npm ..." >&2
  mkdir -p "$kl" && (cd "$kl" && npm install --silent --no-audit --no-fund kinesalite@3) >&2
fi

free_port() {
  node -e 'const s = require("net").createServer().listen(0, "127.0.0.1", () => { console.log(s.address().port); s.close(); })'
}

pids=""
trap 'for p in $pids; do kill $p 2>/dev/null || true; done' EXIT INT TERM

java ${RUNNEL_JAVA_OPTS:-} -jar "$jar" backend --port 0 --limits off > "$out/runnel-backend.log" 2>&1 &
pids="$pids $!"
port=$(free_port)
"$kl/node_modules/.bin/kinesalite" --port "$port" --createStreamMs 0 --deleteStreamMs 0 --updateStreamMs 0 \
  --shardLimit 1000 > "$out/kinesalite.log" 2>&1 &
pids="$pids $!"

runnel=""
i=0
while [ -z "$runnel" ] && [ $i -lt 300 ]; do
  runnel=$(sed -n 's#^listening on \(http://[^ ]*\).*#\1#p' "$out/runnel-backend.log")
  [ -n "$runnel" ] || { sleep 0.1; i=$((i + 1)); }
done
[ -n "$runnel" ] || { cat "$out/runnel-backend.log" >&2; echo "the backend did not start" >&2; exit 1; }
node -e 'const net = require("net"); const port = +process.argv[1]; let tries = 0;
  (function attempt() { const c = net.connect(port, "127.0.0.1", () => { c.end(); process.exit(0); });
    c.on("error", () => { if (++tries > 100) process.exit(1); setTimeout(attempt, 100); }); })();' "$port" \
  || { cat "$out/kinesalite.log" >&2; echo "kinesalite did not start" >&2; exit 1; }

run=$(date +%s)
echo "$records records of $size bytes, 1,000 keys, sdk client, JSON, 4-shard streams"
for backend in runnel kinesalite; do
  if [ "$backend" = runnel ]; then endpoint="$runnel"; else endpoint="http://127.0.0.1:$port"; fi
  echo "== $backend ($endpoint)"
  java -Daws.cborEnabled=false ${RUNNEL_JAVA_OPTS:-} -jar "$jar" loadgen --endpoint "$endpoint" \
    --stream "backends-$run" --client sdk --records "$records" --record-size "$size" --verify \
    --report "$out/$backend.json" > "$out/$backend.log" 2>&1 && status=ok || status="exit $?"
  grep -E '^(records|rate|latency|requests|verify)' "$out/$backend.log" || tail -n 5 "$out/$backend.log"
  echo "$status"
done

figure() {
  sed -n "s/^ *\"$2\" : \([^,]*\),\{0,1\}$/\1/p" "$1" | head -n 1
}
echo
printf '%-20s %14s %30s\n' "figure" "runnel" "kinesalite (ratio to runnel)"
for f in recordsPerSecond megabytesPerSecond p50 p99 max missing duplicates outOfOrder; do
  b=$(figure "$out/runnel.json" $f)
  v=$(figure "$out/kinesalite.json" $f)
  cell=$(awk -v v="$v" -v b="$b" 'BEGIN { if (v == "") { print "-"; exit }
    if (v ~ /^-?[0-9.eE+-]+$/ && b ~ /^-?[0-9.eE+-]+$/ && b + 0 != 0) printf "%.4g (%.3fx)", v, v / b; else print v }')
  printf '%-20s %14s %30s\n' "$f" "$(awk -v b="$b" 'BEGIN { if (b ~ /^-?[0-9.eE+-]+$/) printf "%.4g", b; else print b }')" "$cell"
done
