# bin/surprisal demo: a local Kafka broker (KRaft), a GreenMail SMTP server, the job on a standalone
# Flink cluster (web UI http://127.0.0.1:8081), the dashboard (http://127.0.0.1:8090, where the mails
# link to) and the simulator streaming events with attacks into Kafka; prints alerts and mails as they
# come. Everything binds to 127.0.0.1; Ctrl-C stops it all.
DEMO_DIR="${SURPRISAL_DEMO_DIR:-/tmp/surprisal/demo}"
DEMO_LIB="$ROOT/tools/target/demo"
GREENMAIL_JAR="$DEMO_LIB/greenmail-standalone-2.1.13.jar"
KAFKA_TOOLS_JAR="$DEMO_LIB/kafka-lib/kafka-tools-4.2.0.jar"
# conf/demo.yaml's mail.dashboard-url links to this port.
DEMO_DASHBOARD_PORT=8090

# The job, tools and dashboard jars and the demo's servers (bin/demo/pom.xml), in one Maven run when any is missing.
demo_build() {
  if [[ ! -f "$JAR" || ! -d "$LIB" || ! -f "$TOOLS_JAR" || ! -d "$TOOLS_LIB" || ! -f "$DASHBOARD_JAR" || ! -d "$DASHBOARD_LIB" \
      || ! -d "$DEMO_LIB/kafka-lib" || ! -f "$KAFKA_TOOLS_JAR" || ! -f "$GREENMAIL_JAR" ]]; then
    echo "demo: building the job, tools and dashboard jars and fetching the Kafka broker and GreenMail jars (first use)..."
    (cd "$ROOT" && MAVEN_OPTS="${MAVEN_OPTS:-} -XX:TieredStopAtLevel=1" ./mvnw -q -B -DskipTests -Pdemo-servers package)
  fi
}

wait_for() { # description, seconds, command...
  local what="$1" secs="$2"; shift 2
  for _ in $(seq 1 "$secs"); do
    if "$@" >/dev/null 2>&1; then return 0; fi
    sleep 1
  done
  echo "demo: $what did not come up within $secs s (logs in $DEMO_DIR)" >&2
  return 1
}

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

demo_cleanup() {
  trap - INT TERM EXIT
  echo
  echo "demo: stopping..."
  # The watcher first, so that nothing is printed after "stopping"; then the generator and the job.
  for name in watch generator; do
    [[ -f "$DEMO_DIR/$name.pid" ]] && kill "$(cat "$DEMO_DIR/$name.pid")" 2>/dev/null || true
  done
  if [[ -f "$DEMO_DIR/job.id" ]]; then
    "$ROOT/bin/flink" cancel "$(cat "$DEMO_DIR/job.id")" >/dev/null 2>&1 || true
  fi
  source "$ROOT/bin/lib/cluster.sh"
  cluster_stop >/dev/null 2>&1 || true
  for name in dashboard greenmail kafka; do
    [[ -f "$DEMO_DIR/$name.pid" ]] && kill "$(cat "$DEMO_DIR/$name.pid")" 2>/dev/null || true
  done
  for name in watch generator dashboard greenmail kafka; do
    if [[ -f "$DEMO_DIR/$name.pid" ]]; then
      local pid; pid="$(cat "$DEMO_DIR/$name.pid")"
      for _ in $(seq 1 20); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
      kill -9 "$pid" 2>/dev/null || true
      rm -f "$DEMO_DIR/$name.pid"
    fi
  done
  echo "demo: stopped; no process left running"
}

# The demo's helper JVMs (broker, mail server, simulator, watcher, Flink CLI) do little work: the
# quick compiler only, and one GC thread, leave the two cores to the job while everything starts.
LIGHT_JVM="-XX:TieredStopAtLevel=1 -XX:+UseSerialGC"

demo_run() {
  demo_build
  rm -rf "$DEMO_DIR"
  mkdir -p "$DEMO_DIR/kafka-data"
  trap demo_cleanup INT TERM EXIT

  # A Kafka broker in KRaft mode (broker and controller in one process).
  cat > "$DEMO_DIR/server.properties" <<PROPS
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:9093
listeners=PLAINTEXT://127.0.0.1:9092,CONTROLLER://127.0.0.1:9093
advertised.listeners=PLAINTEXT://127.0.0.1:9092
controller.listener.names=CONTROLLER
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
log.dirs=$DEMO_DIR/kafka-data
# One partition: the simulator's event time runs ~2,000 times faster than the clock, so the few
# milliseconds by which a reader's fetches from two partitions interleave would be seconds of event
# time, beyond source.out-of-orderness, and the later partition's events would be dead-lettered late.
num.partitions=1
offsets.topic.replication.factor=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
group.initial.rebalance.delay.ms=0
# The demo's events keep their simulated (weeks-old) timestamps, and alerts carry their events' time:
# never delete by age, or the first retention check would delete the alerts.
log.retention.ms=-1
PROPS
  cat > "$DEMO_DIR/log4j2.properties" <<'PROPS'
rootLogger.level = WARN
rootLogger.appenderRef.f.ref = F
appender.f.type = File
appender.f.name = F
appender.f.fileName = ${sys:demo.log.file}
appender.f.layout.type = PatternLayout
appender.f.layout.pattern = %d %-5p %c{1} - %m%n
PROPS
  local kcp="$DEMO_LIB/kafka-lib/*" cluster_id
  cluster_id="$(java $LIGHT_JVM -cp "$kcp" kafka.tools.StorageTool random-uuid 2>/dev/null | tail -1)"
  java $LIGHT_JVM -cp "$kcp" -Dlog4j2.configurationFile="$DEMO_DIR/log4j2.properties" -Ddemo.log.file="$DEMO_DIR/kafka.log" \
    kafka.tools.StorageTool format -t "$cluster_id" -c "$DEMO_DIR/server.properties" > "$DEMO_DIR/kafka-format.out" 2>&1
  java -Xmx512m $LIGHT_JVM -cp "$kcp" -Dlog4j2.configurationFile="$DEMO_DIR/log4j2.properties" -Ddemo.log.file="$DEMO_DIR/kafka.log" \
    kafka.Kafka "$DEMO_DIR/server.properties" > "$DEMO_DIR/kafka.out" 2>&1 &
  echo $! > "$DEMO_DIR/kafka.pid"

  # A GreenMail SMTP server (and its API, which the watcher reads mails from).
  java -Xmx256m $LIGHT_JVM -Dgreenmail.setup.test.smtp -Dgreenmail.hostname=127.0.0.1 -Dgreenmail.auth.disabled \
    -Dgreenmail.api.hostname=127.0.0.1 -Dgreenmail.api.port=8083 -jar "$GREENMAIL_JAR" > "$DEMO_DIR/greenmail.out" 2>&1 &
  echo $! > "$DEMO_DIR/greenmail.pid"

  # The Flink cluster starts meanwhile (its JVMs in the background; cluster_start waits for the
  # TaskManager): the events stream into Kafka as soon as the broker is up, and the job, once
  # submitted, reads them from the start of the topic, so no second of the start-up is lost.
  source "$ROOT/bin/lib/cluster.sh"
  cluster_start > "$DEMO_DIR/cluster-start.out" 2>&1 &
  local cluster_waiter=$!
  wait_for "Kafka (127.0.0.1:9092)" 120 port_open 9092
  wait_for "GreenMail (127.0.0.1:3025)" 60 port_open 3025
  echo "demo: Kafka on 127.0.0.1:9092, SMTP on 127.0.0.1:3025 (mails: http://127.0.0.1:8083/api/user)"

  # The job reads the dashboard's feedback topic from its start (conf/demo.yaml feedback.updates): it
  # must exist before the job does.
  java $LIGHT_JVM -cp "$kcp" -Dlog4j2.configurationFile="$DEMO_DIR/log4j2.properties" -Ddemo.log.file="$DEMO_DIR/kafka-topics.log" \
    org.apache.kafka.tools.TopicCommand --bootstrap-server 127.0.0.1:9092 --create --if-not-exists \
    --topic surprisal-feedback --partitions 1 --replication-factor 1 > "$DEMO_DIR/kafka-topics.out" 2>&1

  # The dashboard reads the alerts topic (read_committed) into a store of its own in the demo's directory.
  SURPRISAL_DASHBOARD_HEAP=256m SURPRISAL_JAVA_OPTS="$LIGHT_JVM" "$ROOT/bin/surprisal" dashboard --kafka 127.0.0.1:9092 \
    --port "$DEMO_DASHBOARD_PORT" --store "$DEMO_DIR/dashboard/alerts" --by demo > "$DEMO_DIR/dashboard.out" 2>&1 &
  echo $! > "$DEMO_DIR/dashboard.pid"

  # The simulator streams 400 users (with bots, spammers, fraudsters, attackers, takeovers) in real time.
  # Simulated timestamps are kept (event time runs about 2,000 times faster than the clock), so the
  # gaps between a user's actions stay real.
  SURPRISAL_JAVA_OPTS="$LIGHT_JVM" "$ROOT/bin/surprisal" generate --users 400 --days 2 --seed 7 --kafka 127.0.0.1:9092 --topic surprisal-events \
    --no-live-timestamps --rate "${SURPRISAL_DEMO_RATE:-250}" > "$DEMO_DIR/generator.out" 2>&1 &
  echo $! > "$DEMO_DIR/generator.pid"

  if ! wait "$cluster_waiter"; then
    cat "$DEMO_DIR/cluster-start.out"; return 1
  fi
  cat "$DEMO_DIR/cluster-start.out"
  wait_for "the dashboard (127.0.0.1:$DEMO_DASHBOARD_PORT)" 60 port_open "$DEMO_DASHBOARD_PORT"
  echo "demo: dashboard http://127.0.0.1:$DEMO_DASHBOARD_PORT/ (alerts appear as they come; every mail links to its alert's page)"
  # Flink settings over conf/flink/config.yaml's. One instance of each operator: the demo shares two
  # cores with Kafka, the mail server and the simulator, and half the operators start (and take their
  # first checkpoint) sooner. Alerts reach Kafka when a checkpoint commits their transaction: every
  # 2 s, so they show promptly.
  SURPRISAL_JAVA_OPTS="$LIGHT_JVM" "$ROOT/bin/flink" run -d -Dparallelism.default=1 -Dexecution.checkpointing.interval=2s \
    -Dexecution.checkpointing.dir="file://$DEMO_DIR/checkpoints" "$JAR" --config "$ROOT/conf/demo.yaml" > "$DEMO_DIR/submit.out" 2>&1
  sed -n 's/.*JobID \([0-9a-f]\{32\}\).*/\1/p' "$DEMO_DIR/submit.out" | head -1 > "$DEMO_DIR/job.id"
  if [[ ! -s "$DEMO_DIR/job.id" ]]; then
    echo "demo: the job was not submitted:"; cat "$DEMO_DIR/submit.out"; return 1
  fi
  echo "demo: job $(cat "$DEMO_DIR/job.id") running; Flink web UI http://127.0.0.1:8081 ; dashboard http://127.0.0.1:$DEMO_DASHBOARD_PORT/ ; alerts and mails follow (Ctrl-C stops everything)"

  SURPRISAL_JAVA_OPTS="$LIGHT_JVM" "$ROOT/bin/surprisal" watch --kafka 127.0.0.1:9092 --topic surprisal-alerts --greenmail-api http://127.0.0.1:8083 &
  echo $! > "$DEMO_DIR/watch.pid"
  wait "$(cat "$DEMO_DIR/watch.pid")"
}
