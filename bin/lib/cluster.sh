# bin/surprisal cluster start|stop|status: a standalone Flink session cluster (one JobManager JVM,
# one TaskManager JVM) from the Maven jars in job/target/lib, configured by conf/flink/config.yaml.
CLUSTER_DIR="${SURPRISAL_CLUSTER_DIR:-/tmp/surprisal/cluster}"
CONF="$ROOT/conf/flink"
REST="http://127.0.0.1:8081"

cluster_pids() {
  cat "$CLUSTER_DIR"/*.pid 2>/dev/null || true
}

cluster_start() {
  build_if_missing
  mkdir -p "$CLUSTER_DIR/log" "$CLUSTER_DIR/tmp"
  if [[ -n "$(cluster_pids)" ]] && kill -0 $(cluster_pids) 2>/dev/null; then
    echo "surprisal cluster: already running (web UI $REST)"; return 0
  fi
  local cp="$LIB/*"
  nohup java -Xmx768m "${JVM_OPENS[@]}" -Dlog.file="$CLUSTER_DIR/log/jobmanager.log" \
    -Dlog4j.configurationFile="$CONF/log4j.properties" -cp "$cp" \
    org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint --configDir "$CONF" \
    > "$CLUSTER_DIR/log/jobmanager.out" 2>&1 &
  echo $! > "$CLUSTER_DIR/jobmanager.pid"

  # The TaskManager's memory flags and -D options, computed by Flink from the configuration.
  local params
  params="$(java -cp "$cp" org.apache.flink.runtime.util.bash.BashJavaUtils GET_TM_RESOURCE_PARAMS --configDir "$CONF" 2>/dev/null \
    | grep '^BASH_JAVA_UTILS_EXEC_RESULT:' | sed 's/^BASH_JAVA_UTILS_EXEC_RESULT://')"
  local jvm_flags dyn_props
  jvm_flags="$(echo "$params" | sed -n 1p)"
  dyn_props="$(echo "$params" | sed -n 2p)"
  # shellcheck disable=SC2086
  nohup java $jvm_flags "${JVM_OPENS[@]}" -Dlog.file="$CLUSTER_DIR/log/taskmanager.log" \
    -Dlog4j.configurationFile="$CONF/log4j.properties" -cp "$cp" \
    org.apache.flink.runtime.taskexecutor.TaskManagerRunner --configDir "$CONF" $dyn_props \
    > "$CLUSTER_DIR/log/taskmanager.out" 2>&1 &
  echo $! > "$CLUSTER_DIR/taskmanager.pid"

  for _ in $(seq 1 120); do
    if curl -fsS "$REST/overview" 2>/dev/null | grep -q '"taskmanagers":1'; then
      echo "surprisal cluster: up; web UI $REST; logs in $CLUSTER_DIR/log; Prometheus metrics on 127.0.0.1:9249-9250"
      return 0
    fi
    sleep 1
  done
  echo "surprisal cluster: did not come up within 120 s; see $CLUSTER_DIR/log" >&2
  cluster_stop
  return 1
}

cluster_stop() {
  local pids
  pids="$(cluster_pids)"
  if [[ -z "$pids" ]]; then
    echo "surprisal cluster: not running"; return 0
  fi
  kill $pids 2>/dev/null || true
  for _ in $(seq 1 30); do
    kill -0 $pids 2>/dev/null || break
    sleep 1
  done
  kill -9 $pids 2>/dev/null || true
  rm -f "$CLUSTER_DIR"/*.pid
  echo "surprisal cluster: stopped"
}

cluster_status() {
  if curl -fsS "$REST/overview" 2>/dev/null; then echo; else echo "surprisal cluster: not running"; return 1; fi
}
