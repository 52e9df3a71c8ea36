# Sourced by the scripts that build or run jobstream: exports JAVA_HOME as a Java 21+ JDK, or ends
# the calling script saying what to install. The first that is a 21+ JDK wins: $JAVA_HOME as set,
# the newest JDK under /usr/lib/jvm, then the one `java` on the PATH belongs to.

jdk_major() {  # the Java feature release of the JDK at $1 (a javac is required), or nothing
  [ -x "$1/bin/java" ] && [ -x "$1/bin/javac" ] || return 0
  local version
  version=$("$1/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p')
  # 1.8 and older name themselves 1.x: their feature release is below 21 either way.
  echo "${version%%.*}"
}

find_java_home() {
  local candidates=() dir major on_path
  [ -n "${JAVA_HOME:-}" ] && candidates+=("$JAVA_HOME")
  while IFS= read -r dir; do candidates+=("$dir"); done < <(ls -d /usr/lib/jvm/*/ 2>/dev/null | sed 's:/$::' | sort -V -r)
  if on_path=$(command -v java 2>/dev/null); then
    candidates+=("$(dirname "$(dirname "$(readlink -f "$on_path")")")")
  fi
  for dir in "${candidates[@]}"; do
    major=$(jdk_major "$dir")
    if [ -n "$major" ] && [ "$major" -ge 21 ] 2>/dev/null; then
      echo "$dir"
      return 0
    fi
  done
  return 1
}

if ! JAVA_HOME=$(find_java_home); then
  echo "jobstream needs a Java 21 or newer JDK (java and javac), and found none in \$JAVA_HOME, /usr/lib/jvm or the PATH." >&2
  echo "Install one, e.g. 'apt-get install temurin-25-jdk' (Adoptium's apt repository) or 'apt-get install openjdk-21-jdk-headless'" >&2
  echo "(Debian 13 and Ubuntu 24.04 have it), or set JAVA_HOME to one." >&2
  exit 1
fi
export JAVA_HOME
export PATH="$JAVA_HOME/bin:$PATH"
