# Shared by bin/surprisal and bin/flink: paths, the jars' build on first use, JVM flags.
# The job jar (what `flink run` takes) and Flink's own jars (the cluster's and bin/flink's class path).
JAR="$ROOT/job/target/surprisal-job.jar"
LIB="$ROOT/job/target/lib"
# bin/surprisal's commands: the tools jar and what it needs beside Flink (the job's plain jar among them).
TOOLS_JAR="$ROOT/tools/target/surprisal-tools.jar"
TOOLS_LIB="$ROOT/tools/target/lib"
# bin/surprisal dashboard: its own jar and libraries (no Flink).
DASHBOARD_JAR="$ROOT/dashboard/target/surprisal-dashboard.jar"
DASHBOARD_LIB="$ROOT/dashboard/target/lib"

build_if_missing() {
  if [[ ! -f "$JAR" || ! -d "$LIB" || ! -f "$TOOLS_JAR" || ! -d "$TOOLS_LIB" || ! -f "$DASHBOARD_JAR" || ! -d "$DASHBOARD_LIB" ]]; then
    echo "surprisal: building the job, tools and dashboard jars (first use; takes a minute)..." >&2
    (cd "$ROOT" && MAVEN_OPTS="${MAVEN_OPTS:-} -XX:TieredStopAtLevel=1" ./mvnw -q -B -DskipTests package) >&2
  fi
}

# The --add-opens list Flink's own scripts pass on Java 17.
JVM_OPENS=(
  --add-opens=java.base/java.lang=ALL-UNNAMED --add-opens=java.base/java.util=ALL-UNNAMED
  --add-opens=java.base/java.util.concurrent=ALL-UNNAMED --add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED
  --add-opens=java.base/java.util.concurrent.locks=ALL-UNNAMED --add-opens=java.base/java.time=ALL-UNNAMED
  --add-opens=java.base/java.nio=ALL-UNNAMED --add-opens=java.base/sun.nio.ch=ALL-UNNAMED
  --add-opens=java.base/java.net=ALL-UNNAMED --add-opens=java.base/java.io=ALL-UNNAMED
  --add-opens=java.base/java.lang.reflect=ALL-UNNAMED --add-opens=java.base/java.text=ALL-UNNAMED
  --add-exports=java.base/sun.net.util=ALL-UNNAMED --add-exports=java.management/sun.management=ALL-UNNAMED
  --add-exports=java.rmi/sun.rmi.registry=ALL-UNNAMED --add-exports=java.security.jgss/sun.security.krb5=ALL-UNNAMED
)
