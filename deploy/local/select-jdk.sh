# Sourced by deploy/local/run.sh and .ci/run: exports JAVA_HOME and PATH for a JDK >= 21.
# Order: $JAVA_HOME, the java on PATH, Temurin 25 at its Debian path, then any /usr/lib/jvm/* (newest first).

java_major() { # prints the feature version of the java executable $1, or nothing
  "$1" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java\.specification\.version = \([0-9]*\).*/\1/p' | head -n 1
}

select_jdk() {
  local candidates=() home java major
  [ -n "${JAVA_HOME:-}" ] && candidates+=("$JAVA_HOME")
  if java=$(command -v java 2>/dev/null); then
    candidates+=("$(dirname "$(dirname "$(readlink -f "$java")")")")
  fi
  candidates+=(/usr/lib/jvm/temurin-25-jdk-amd64)
  while IFS= read -r home; do candidates+=("$home"); done < <(ls -d /usr/lib/jvm/*/ 2>/dev/null | sed 's:/$::' | sort -rV)
  for home in "${candidates[@]}"; do
    [ -x "$home/bin/java" ] && [ -x "$home/bin/javac" ] || continue
    major=$(java_major "$home/bin/java")
    if [ -n "$major" ] && [ "$major" -ge 21 ]; then
      export JAVA_HOME="$home"
      export PATH="$home/bin:$PATH"
      return 0
    fi
  done
  echo "error: no JDK >= 21 found (looked at JAVA_HOME, java on PATH and /usr/lib/jvm/*)." >&2
  echo "Install one (e.g. Temurin 21 or 25) and set JAVA_HOME to it." >&2
  return 1
}
