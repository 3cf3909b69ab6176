# Sourced by ./loomzk (and run by LauncherIT): starts the shell's jar as fast as the JDK allows.
#   loomzk_shell_exec JAVA_HOME JAR [ARGS...]      replaces the calling shell with the JVM
#
# Start-up is most of a one-shot command's time, and most of that is loading classes. The class
# data lives next to the jar and is dropped whenever the jar (a new build) or the JDK's module
# image (a JDK update) is newer than it, since the JVM only refuses data made for another build:
#   JDK 25+:   an AOT cache (JEP 483/514: classes loaded and linked ahead of time), JAR.aot. A run
#              without one records what it loads (-XX:AOTMode=record); after it, a JVM in the
#              background assembles the cache (a second or more) so that the command itself is
#              not kept waiting; its log is JAR.aot.log. If that fails, JAR.aot.failed makes the
#              runs of this build use the archive below instead.
#   JDK 21-24: a dynamic class-data-sharing archive, JAR.jsa, written at the exit of the first run.
# LOOMZK_CLASS_DATA=cds picks the archive on any JDK, =none neither (for measurements and tests).
#
# Also: the C1 compiler only, the serial GC, no perf-data file. And a quick exit: a JVM's exit
# waits up to 300 ms for threads in native code, such as the JDK's poller thread that virtual
# threads' network I/O leaves in epoll_wait. JDK 25 lets that wait be switched off
# (-XX:UserThreadWaitAttemptsAtExit=0); on JDK 22-24 a one-shot command ends with the C library's
# _exit instead (FastExit), except on the run that writes the archive, which needs the normal exit.

# The major version of the JDK at $1, from its release file; 21 if unknown.
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
  echo "$version"
}

loomzk_shell_exec() {
  local java_home=$1 jar=$2
  shift 2
  local java=$java_home/bin/java base=${jar%.jar}
  local major mode=${LOOMZK_CLASS_DATA:-auto} file
  major=$(loomzk_jdk_release "$java_home")
  # Class data made before the jar or the JDK it describes goes.
  for file in "$base.aot" "$base.aot.failed" "$base.jsa"; do
    if [ -e "$file" ] && { [ "$jar" -nt "$file" ] || [ "$java_home/lib/modules" -nt "$file" ]; }; then
      rm -f "$file"
    fi
  done
  if [ "$mode" = auto ]; then
    if [ "$major" -ge 25 ] && [ ! -e "$base.aot.failed" ]; then mode=aot; else mode=cds; fi
  fi
  local -a opts=(--enable-native-access=ALL-UNNAMED -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -XX:-UsePerfData)
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
      # A cache is being assembled (a configuration younger than two minutes): run without one.
      if [ -n "$(find "$(dirname "$base")" -maxdepth 1 -name "$(basename "$base").aotconf.*" -newer "$jar" -mmin -2 -print -quit)" ]; then
        exec "$java" "${opts[@]}" -Dloomzk.fastExit=false ${LOOMZK_JAVA_OPTS:-} -jar "$jar" "$@"
      fi
      rm -f "$base".aotconf.* "$base".aot.tmp.*
      local conf=$base.aotconf.$$ status=0
      # (DisplayVMOutput off: the recording JVM would print its file's name on stdout.)
      "$java" -XX:AOTMode=record -XX:AOTConfiguration="$conf" -XX:+UnlockDiagnosticVMOptions -XX:-DisplayVMOutput \
        "${opts[@]}" -Dloomzk.fastExit=false \
        ${LOOMZK_JAVA_OPTS:-} -jar "$jar" "$@" || status=$?
      if [ -s "$conf" ]; then
        # In the background, with every stream closed, so that a caller reading this command's
        # output is not kept waiting. A cache of a jar replaced meanwhile is thrown away.
        (
          tmp=$base.aot.tmp.$$
          if "$java" -XX:AOTMode=create -XX:AOTConfiguration="$conf" -XX:AOTCache="$tmp" "${opts[@]}" \
            -XX:ErrorFile="$base.aot.hs_err.log" -cp "$jar" >"$base.aot.log" 2>&1 &&
            [ -s "$tmp" ] && [ ! "$jar" -nt "$conf" ]; then
            mv -f "$tmp" "$base.aot"
          elif [ ! "$jar" -nt "$conf" ]; then
            touch "$base.aot.failed"
          fi
          rm -f "$conf" "$tmp"
        ) </dev/null >/dev/null 2>&1 &
      else
        rm -f "$conf"
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
