#!/usr/bin/env bash
# Start-up of a one-shot read, side by side: `./loomzk shell --connect HOSTS get PATH` against
# Apache's zkCli (org.apache.zookeeper.ZooKeeperMain from the Maven artifacts, the class
# zkCli.sh runs) doing `-server HOSTS get PATH`. Runs are interleaved; prints the median wall
# time of RUNS each and their ratio. The first run of each (class data written, caches warmed)
# is not counted, and the measured runs wait for the shell's AOT cache (JDK 25+), which a
# background JVM trains after that first run.
#   zk-cli/startup-bench.sh HOST:PORT PATH [RUNS]
# ZooKeeperMain runs without an SLF4J binding (no logging cost), which favours it.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
hosts=${1:?HOST:PORT}
path=${2:?PATH}
runs=${3:-10}
./loomzk shell --connect "$hosts" get "$path" >/dev/null # builds if stale, writes the class data
for ((i = 0; i < 1200; i++)); do # at most two minutes
  [ -e zk-cli/target/zk-cli.aot.training ] || break
  sleep 0.1
done
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

# Wall and CPU (user + sys) milliseconds of one command, as "wall cpu" (wall from bash's
# microsecond clock; time(1) gives CPU in hundredths).
measure() {
  local out start end
  out=$(mktemp)
  start=$EPOCHREALTIME
  /usr/bin/time -f '%U %S' -o "$out" "$@" >/dev/null 2>&1
  end=$EPOCHREALTIME
  awk -v s="$start" -v e="$end" '{printf "%d %d\n", (e - s) * 1000, ($1 + $2) * 1000}' "$out"
  rm -f "$out"
}
loomzk=()
zkcli=()
loomzk_cpu=()
zkcli_cpu=()
for ((i = 0; i < runs; i++)); do
  read -r w c < <(measure ./loomzk shell --connect "$hosts" get "$path")
  loomzk+=("$w")
  loomzk_cpu+=("$c")
  read -r w c < <(measure "$java_home/bin/java" -cp "$zk_cp" org.apache.zookeeper.ZooKeeperMain -server "$hosts" get "$path")
  zkcli+=("$w")
  zkcli_cpu+=("$c")
done
median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR + 1) / 2] : int((a[NR / 2] + a[NR / 2 + 1]) / 2)}'; }
m1=$(median "${loomzk[@]}")
m2=$(median "${zkcli[@]}")
c1=$(median "${loomzk_cpu[@]}")
c2=$(median "${zkcli_cpu[@]}")
echo "loomzk shell get: wall median ${m1} ms (${loomzk[*]}), cpu median ${c1} ms"
echo "zkCli get:        wall median ${m2} ms (${zkcli[*]}), cpu median ${c2} ms"
awk -v a="$m1" -v b="$m2" -v c="$c1" -v d="$c2" 'BEGIN {printf "zkCli / loomzk: wall %.2fx, cpu %.2fx\n", b / a, d / c}'
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
