# Sourced by ./loomzk (and run by LauncherIT): starts the shell's jar as fast as the JDK allows.
#   loomzk_shell_exec JAVA_HOME JAR [ARGS...]      replaces the calling shell with the JVM
#
# Start-up is most of a one-shot command's time, and most of that is loading classes. The class
# data lives next to the jar and is dropped whenever the jar (a new build) or the JDK's module
# image (a JDK update) is newer than it, since the JVM only refuses data made for another build:
#   JDK 25+:   an AOT cache (JEP 483/514: classes loaded and linked ahead of time, method
#              profiles), JAR.aot. A command that finds none runs without, and after it a JVM in
#              the background trains one (AotTraining: the one-shot commands against a stand-in
#              server on the loopback interface, a few seconds) so that no command waits for it
#              and the cache does not depend on which command came first; its output is in
#              JAR.aot.log. If that fails, JAR.aot.failed makes this build use the archive below.
#   JDK 21-24: a dynamic class-data-sharing archive, JAR.jsa, written at the exit of the first run.
# LOOMZK_CLASS_DATA=cds picks the archive on any JDK, =none neither (for measurements and tests).
#
# Also: the C1 compiler only, for methods hotter than by default; the serial GC; no perf-data
# file. And a quick exit: a JVM's exit waits up to 300 ms for threads in native code, such as the
# JDK's poller thread that virtual threads' network I/O leaves in epoll_wait. JDK 25 lets that
# wait be switched off (-XX:UserThreadWaitAttemptsAtExit=0); on JDK 22-24 a one-shot command
# ends with the C library's _exit instead (FastExit), except on the run that writes the archive,
# which needs the normal exit.

# Sets loomzk_jdk_major to the major version of the JDK at $1, from its release file; 21 if
# unknown. (A variable, not output: a command substitution would cost a fork.)
loomzk_jdk_release() {
  local line version=21
  if [ -r "$1/release" ]; then
    while IFS= read -r line; do
      case $line in
        JAVA_VERSION=*)
          version=${line#JAVA_VERSION=\"}
          version=${version%%[.\"]*}
          ;;
      esac
    done <"$1/release"
  fi
  case $version in
    '' | *[!0-9]*) version=21 ;;
  esac
  loomzk_jdk_major=$version
}

# In the background, with every stream closed (a caller reading the command's output must not wait
# for it): the training run writes the AOT cache to a temporary file, which becomes JAR.aot unless
# the jar was replaced meanwhile. A failure leaves JAR.aot.failed (this build then uses the CDS
# archive) and the JVM's output in JAR.aot.log.
loomzk_shell_train() {
  local java=$1 jar=$2 base=$3
  shift 3
  touch "$base.aot.training" 2>/dev/null || return 0 # a directory we cannot write: no cache
  (
    tmp=$base.aot.tmp.$$
    if "$java" -XX:AOTCacheOutput="$tmp" "$@" -Dloomzk.fastExit=false -XX:ErrorFile="$base.aot.hs_err.log" \
      -cp "$jar" io.loomzk.cli.AotTraining >"$base.aot.log" 2>&1 && [ -s "$tmp" ]; then
      [ "$jar" -nt "$base.aot.training" ] || mv -f "$tmp" "$base.aot"
    elif [ ! "$jar" -nt "$base.aot.training" ]; then
      touch "$base.aot.failed"
    fi
    rm -f "$tmp" "$tmp.config" "$base.aot.training"
  ) </dev/null >/dev/null 2>&1 &
}

loomzk_shell_exec() {
  local java_home=$1 jar=$2
  shift 2
  local java=$java_home/bin/java base=${jar%.jar}
  local major mode=${LOOMZK_CLASS_DATA:-auto} file
  loomzk_jdk_release "$java_home"
  major=$loomzk_jdk_major
  # Class data made before the jar or the JDK it describes goes.
  for file in "$base.aot" "$base.aot.failed" "$base.jsa"; do
    if [ -e "$file" ] && { [ "$jar" -nt "$file" ] || [ "$java_home/lib/modules" -nt "$file" ]; }; then
      rm -f "$file" 2>/dev/null || true
    fi
  done
  if [ "$mode" = auto ]; then
    if [ "$major" -ge 25 ] && [ ! -e "$base.aot.failed" ]; then mode=aot; else mode=cds; fi
  fi
  # C1 only, and only for methods five times hotter than by default: a one-shot command spent
  # about a quarter of its CPU compiling code it then ran a few times (long commands still compile).
  local -a opts=(--enable-native-access=ALL-UNNAMED -XX:TieredStopAtLevel=1 -XX:CompileThresholdScaling=5
    -XX:+UseSerialGC -XX:-UsePerfData)
  local fast_exit=false
  if [ "$major" -ge 25 ]; then
    opts+=(-XX:UserThreadWaitAttemptsAtExit=0 -Xlog:aot=off)
  fi
  opts+=(-Xlog:cds=off -Xlog:cds+dynamic=off)
  case $mode in
    aot)
      if [ -f "$base.aot" ]; then
        exec "$java" -XX:AOTCache="$base.aot" "${opts[@]}" -Dloomzk.fastExit=false ${LOOMZK_JAVA_OPTS:-} -jar "$jar" "$@"
      fi
      # No cache: this command runs without one, and after it a JVM in the background trains and
      # writes one (AotTraining), unless one is already at it (a marker younger than five minutes).
      local status=0
      "$java" "${opts[@]}" -Dloomzk.fastExit=false ${LOOMZK_JAVA_OPTS:-} -jar "$jar" "$@" || status=$?
      if [ -z "$(find "$(dirname "$base")" -maxdepth 1 -name "$(basename "$base").aot.training" -newer "$jar" -mmin -5 -print -quit)" ]; then
        loomzk_shell_train "$java" "$jar" "$base" "${opts[@]}"
      fi
      return "$status"
      ;;
    cds)
      # The run that writes the archive needs the normal exit, which writes it.
      [ -f "$base.jsa" ] && [ "$major" -lt 25 ] && fast_exit=true
      exec "$java" -XX:SharedArchiveFile="$base.jsa" -XX:+AutoCreateSharedArchive "${opts[@]}" \
        -Dloomzk.fastExit=$fast_exit ${LOOMZK_JAVA_OPTS:-} -jar "$jar" "$@"
      ;;
    *)
      exec "$java" "${opts[@]}" -Dloomzk.fastExit=false ${LOOMZK_JAVA_OPTS:-} -jar "$jar" "$@"
      ;;
  esac
}
