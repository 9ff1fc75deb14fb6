#!/bin/bash
# The agent's throughput and memory: tails a 2,000,000-line file of 100-byte lines from START_OF_FILE into a
# 4-shard stream on a fresh bundled backend (limits off, its own JVM, warmed with 1,000,000 loadgen records first) and
# prints the time from the agent's launch until its checkpoint reaches the file's end (every line acknowledged), the
# agent's max RSS and CPU time. The checkpoint is written every 100 ms here (checkpointIntervalMillis; 1 s by
# default), so that it shows the end within 100 ms of the last acknowledgement, as before that setting existed.
#   benchmarks/agent.sh JAR LABEL [agent JVM options...]
#   e.g. benchmarks/agent.sh cli/target/runnel.jar after -Xmx96m -XX:+UseSerialGC
#   AGENT_BENCH_LAUNCHER=./runnel benchmarks/agent.sh cli/target/runnel.jar launcher   (the launcher's options)
set -e
jar=$(realpath "$1"); label=$2; shift 2
work=${AGENT_BENCH_DIR:-/tmp/runnel-agent-bench}; mkdir -p "$work"
log=$work/app.log
if [ ! -f "$log" ]; then
  python3 -c "
import sys
with open('$log', 'w') as f:
    for i in range(2_000_000):
        s = 'line %09d ' % i
        f.write(s + 'x' * (99 - len(s)) + '\n')"
fi
d=$work/run-$label; rm -rf "$d"; mkdir -p "$d"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
java -jar "$jar" backend --port "$port" --limits off --create-stream logs:4 > "$d/backend.log" 2>&1 &
backend=$!
until grep -q listening "$d/backend.log"; do sleep 0.2; done
# Warm the backend first (its JIT would otherwise take a share of the two cores while the agent is timed): the figure
# is the agent's, and in the field the stream's service is not starting up either. AGENT_BENCH_WARMUP=0 skips it.
warm=${AGENT_BENCH_WARMUP:-1000000}
if [ "$warm" -gt 0 ]; then
  java -jar "$jar" loadgen --endpoint "http://127.0.0.1:$port" --stream warmup --shards 4 --records "$warm" \
    > "$d/warmup.log" 2>&1
fi
cat > "$d/agent.json" <<JSON
{"checkpointFile": "$d/cp.json", "checkpointIntervalMillis": 100,
 "kinesis.endpoint": "http://127.0.0.1:$port", "kinesis.region": "us-east-1",
 "awsAccessKeyId": "a", "awsSecretAccessKey": "b", "cloudwatch.emitMetrics": false,
 "flows": [{"filePattern": "$log", "kinesisStream": "logs", "initialPosition": "START_OF_FILE"}],
 "producer": {"RateLimit": "1000000"}}
JSON
size=$(stat -c %s "$log")
start=$(date +%s.%N)
if [ -n "${AGENT_BENCH_LAUNCHER:-}" ]; then
  # through the launcher, with its options (JVM options given here are ignored); it finds the jar itself
  /usr/bin/time -v -o "$d/time.txt" sh "$AGENT_BENCH_LAUNCHER" agent --config "$d/agent.json" > "$d/agent.log" 2>&1 &
else
  /usr/bin/time -v -o "$d/time.txt" java "$@" -jar "$jar" agent --config "$d/agent.json" > "$d/agent.log" 2>&1 &
fi
timed=$!
until grep -q "\"offset\" : $size" "$d/cp.json" 2>/dev/null; do
  kill -0 $timed 2>/dev/null || { echo "the agent stopped; see $d/agent.log"; exit 1; }
  sleep 0.05
done
end=$(date +%s.%N)
kill -TERM "$(pgrep -P $timed java)"; wait $timed || true
kill -TERM $backend; wait $backend || true
secs=$(python3 -c "print(round($end - $start, 2))")
rss=$(awk '/Maximum resident/ {print $6}' "$d/time.txt")
cpu=$(awk -F': ' '/User time/ {u=$2} /System time/ {s=$2} END {print u + s}' "$d/time.txt")
echo "$label: $secs s to all 2,000,000 lines acknowledged ($(python3 -c "print(int(2_000_000 / $secs))") lines/s)," \
  "max RSS $((rss / 1024)) MiB, agent CPU $cpu s (JVM options: $*)"
