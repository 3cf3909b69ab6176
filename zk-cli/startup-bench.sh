#!/usr/bin/env bash
# Start-up of a one-shot read, side by side: `./loomzk shell --connect HOSTS get PATH` against
# Apache's zkCli (org.apache.zookeeper.ZooKeeperMain from the Maven artifacts, the class
# zkCli.sh runs) doing `-server HOSTS get PATH`. Runs are interleaved; prints the median wall
# time of RUNS each and their ratio. The first run of each (CDS archive written, caches warmed)
# is not counted.
#   zk-cli/startup-bench.sh HOST:PORT PATH [RUNS]
# ZooKeeperMain runs without an SLF4J binding (no logging cost), which favours it.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
hosts=${1:?HOST:PORT}
path=${2:?PATH}
runs=${3:-10}
./loomzk shell --connect "$hosts" get "$path" >/dev/null # builds if stale, writes the archive
java_home=$(cat zk-cli/target/java-home)
cp_file=zk-cli/target/zookeeper-main.classpath
if [ ! -f "$cp_file" ]; then
  ./mvnw -q -B -ntp -pl zk-cli dependency:build-classpath -Dmdep.includeScope=runtime \
    -Dmdep.outputFile="$PWD/$cp_file.all" >/dev/null
  cli=$HOME/.m2/repository/commons-cli/commons-cli/1.9.0/commons-cli-1.9.0.jar
  [ -f "$cli" ] || ./mvnw -q -B -ntp dependency:get -Dartifact=commons-cli:commons-cli:1.9.0 >/dev/null
  { tr ':' '\n' < "$cp_file.all" | grep -E '/(zookeeper|zookeeper-jute|audience-annotations|netty-[a-z-]+|slf4j-api|commons-io|metrics-core|snappy-java)-[0-9]' |
      grep -v -E 'osx|aarch_64|windows'; echo "$cli"; } | paste -sd: > "$cp_file"
fi
zk_cp=$(cat "$cp_file")
"$java_home/bin/java" -cp "$zk_cp" org.apache.zookeeper.ZooKeeperMain -server "$hosts" get "$path" >/dev/null 2>&1

millis() { date +%s%N | cut -c1-13; }
loomzk=()
zkcli=()
for ((i = 0; i < runs; i++)); do
  t0=$(millis)
  ./loomzk shell --connect "$hosts" get "$path" >/dev/null
  t1=$(millis)
  "$java_home/bin/java" -cp "$zk_cp" org.apache.zookeeper.ZooKeeperMain -server "$hosts" get "$path" >/dev/null 2>&1
  t2=$(millis)
  loomzk+=($((t1 - t0)))
  zkcli+=($((t2 - t1)))
done
median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR + 1) / 2] : int((a[NR / 2] + a[NR / 2 + 1]) / 2)}'; }
m1=$(median "${loomzk[@]}")
m2=$(median "${zkcli[@]}")
echo "loomzk shell get: median ${m1} ms of ${runs} (${loomzk[*]})"
echo "zkCli get:        median ${m2} ms of ${runs} (${zkcli[*]})"
awk -v a="$m1" -v b="$m2" 'BEGIN {printf "zkCli / loomzk: %.2fx\n", b / a}'
