# Sourced by .ci/run and ./loomzk: points JAVA_HOME at a JDK 21 or newer.
# Order: the JAVA_HOME given (if it is >= 21), then the newest JDK under /usr/lib/jvm,
# then the java on PATH. Prints which one it chose on stderr.

loomzk_jdk_major() {
  local v
  v=$("$1/bin/java" -XshowSettings:properties -version 2>&1 |
    sed -n 's/^ *java\.specification\.version = //p')
  v=${v#1.}
  echo "${v%%.*}"
}

loomzk_find_jdk() {
  local candidate major best="" best_major=0
  if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/java" ] && [ -x "$JAVA_HOME/bin/javac" ]; then
    major=$(loomzk_jdk_major "$JAVA_HOME")
    if [ "${major:-0}" -ge 21 ]; then
      echo "Using JDK $major from JAVA_HOME: $JAVA_HOME" >&2
      return 0
    fi
    echo "JAVA_HOME=$JAVA_HOME is JDK ${major:-?}; looking for 21+ elsewhere" >&2
  fi
  for candidate in /usr/lib/jvm/* "$(dirname "$(dirname "$(readlink -f "$(command -v javac 2>/dev/null || echo /nonexistent)")")")"; do
    [ -x "$candidate/bin/java" ] && [ -x "$candidate/bin/javac" ] || continue
    major=$(loomzk_jdk_major "$candidate")
    if [ "${major:-0}" -ge 21 ] && [ "$major" -gt "$best_major" ]; then
      best=$(readlink -f "$candidate")
      best_major=$major
    fi
  done
  if [ -z "$best" ]; then
    echo "No JDK 21 or newer found (JAVA_HOME, /usr/lib/jvm, PATH). Install one and set JAVA_HOME." >&2
    return 1
  fi
  export JAVA_HOME="$best"
  export PATH="$JAVA_HOME/bin:$PATH"
  echo "Using JDK $best_major: $JAVA_HOME" >&2
}
