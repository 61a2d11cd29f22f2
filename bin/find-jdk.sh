# Sourced by ./mvnw and ./hvkit: sets HVKIT_JAVA_HOME to a JDK >= 25.
# Order: $JAVA_HOME, the `java` on PATH, then the usual JDK folders. The default `java` on
# many hosts is older than 25, so looking further than PATH is the point of this file.

hvkit_java_major() {  # prints the feature release of the JDK at $1, or nothing
  local v
  v=$("$1/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p')
  echo "${v%%.*}"
}

hvkit_find_jdk() {
  local c m
  for c in "${JAVA_HOME:-}" \
           "$(dirname "$(dirname "$(readlink -f "$(command -v java 2>/dev/null || echo /nonexistent)")")")" \
           /usr/lib/jvm/* /opt/java/* /opt/jdk* "$HOME"/.sdkman/candidates/java/*; do
    [ -n "$c" ] && [ -x "$c/bin/javac" ] || continue
    m=$(hvkit_java_major "$c")
    if [ -n "$m" ] && [ "$m" -ge 25 ] 2>/dev/null; then HVKIT_JAVA_HOME=$c; return 0; fi
  done
  echo "hvkit: no JDK 25 or newer found (looked at \$JAVA_HOME, PATH and /usr/lib/jvm); install one or set JAVA_HOME" >&2
  return 1
}
