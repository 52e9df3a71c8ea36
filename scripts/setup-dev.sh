#!/usr/bin/env bash
# Installs what jobstream's build and tests need on Debian, idempotently:
#   - the Maven wrapper's configuration (Maven 3.9.11, pinned by checksum),
#   - PostgreSQL 15 and pgvector, built from the source package of Debian's next release,
#   - redis-server,
#   - Tesseract OCR with its English data (curl-processor),
#   - Node.js and the Node producer's packages (scripts/node-producer, for NodeProducerIT).
# Safe to run again: every step checks before it acts. Run as root or as a user with sudo.
set -euo pipefail
cd "$(dirname "$0")/.."

log() { printf '[setup] %s\n' "$*"; }

MAVEN_VERSION=3.9.11
MAVEN_SHA256=0d7125e8c91097b36edb990ea5934e6c68b4440eef4ea96510a0f6815e7eeadb
PG_BIN=/usr/lib/postgresql/15/bin
PG_EXTENSIONS=/usr/share/postgresql/15/extension
DEBIAN_SOURCES=/etc/apt/sources.list.d/debian.sources

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

apt_updated=0
apt_install() {
  local missing=()
  for p in "$@"; do dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p"); done
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ $apt_updated = 0 ]; then as_root apt-get update -qq; apt_updated=1; fi
  log "installing ${missing[*]}"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

# The wrapper downloads Maven from Maven Central. Central's address is taken from the
# machine's own Maven (its super POM), so no registry host is written into the repository.
maven_wrapper() {
  local props=.mvn/wrapper/maven-wrapper.properties
  [ -f "$props" ] && return 0
  command -v mvn >/dev/null || apt_install maven
  local mvn_home builder central
  mvn_home=$(mvn --version | sed -n 's/^Maven home: //p')
  builder=$(ls "$mvn_home"/lib/maven-model-builder-*.jar | head -1)
  central=$(unzip -p "$builder" org/apache/maven/model/pom-4.0.0.xml | sed -n 's:.*<url>\(.*\)</url>.*:\1:p' | head -1)
  [ -n "$central" ] || { echo "cannot find Maven Central's address in $builder" >&2; exit 1; }
  mkdir -p .mvn/wrapper
  cat >"$props" <<PROPS
wrapperVersion=3.3.4
distributionType=only-script
distributionUrl=${central%/}/org/apache/maven/apache-maven/${MAVEN_VERSION}/apache-maven-${MAVEN_VERSION}-bin.zip
distributionSha256Sum=${MAVEN_SHA256}
PROPS
  log "wrote $props (Maven ${MAVEN_VERSION})"
}


# postgresql-15: initdb/postgres for the tests' throwaway clusters (it also creates the `postgres`
# OS user the harness runs them as when tests run as root); redis-server: started by the harness;
# curl, unzip, ca-certificates: the Maven wrapper downloads Maven over https and unpacks it;
# chromium, chromium-driver: the dashboard's browser tests (Selenium drives /usr/bin/chromedriver);
# tesseract-ocr, tesseract-ocr-eng: curl-processor's offline OCR of screenshots (seed 003);
# jq: scripts/monitor.sh (and MonitorScriptIT, which runs it).
system_packages() {
  apt_install postgresql-15 redis-server curl unzip ca-certificates chromium chromium-driver tesseract-ocr tesseract-ocr-eng jq
}

# The first URIs of the non-security stanza of the machine's own deb822 sources: the archive
# (or mirror) this machine is allowed to use, so no registry host is written into the repository.
debian_archive_uri() {
  [ -r "$DEBIAN_SOURCES" ] || { echo "cannot read $DEBIAN_SOURCES to find the Debian archive" >&2; return 1; }
  awk '
    function flush() { if (!found && uri != "" && !security) { print uri; found = 1 } uri = ""; security = 0 }
    /^[ \t]*$/ { flush(); next }
    /^URIs:/ && uri == "" { uri = $2 }
    /^Suites:/ && /-security/ { security = 1 }
    END { flush() }
  ' "$DEBIAN_SOURCES"
}

# Bookworm ships no pgvector binary; trixie has the source package. It is fetched through a
# scratch apt configuration (its own sources and lists directory), so the machine's apt
# configuration and package lists stay as they were.
pgvector() {
  if [ -f "$PG_EXTENSIONS/vector.control" ]; then
    STATUS="already installed ($(sed -n "s/^default_version = '\(.*\)'/\1/p" "$PG_EXTENSIONS/vector.control"))"
    return 0
  fi
  apt_install postgresql-server-dev-15 build-essential
  local uri dir
  uri=$(debian_archive_uri)
  [ -n "$uri" ] || { echo "no URIs line in the non-security stanza of $DEBIAN_SOURCES" >&2; return 1; }
  dir=$(mktemp -d /tmp/jobstream-pgvector.XXXXXX)
  trap "rm -rf '$dir'" EXIT
  # Run as root, apt downloads as its unprivileged _apt user, which must be able to write here.
  if [ "$(id -u)" = 0 ] && id _apt >/dev/null 2>&1; then chown _apt "$dir"; fi
  cat >"$dir/trixie-src.sources" <<SOURCES
Types: deb-src
URIs: $uri
Suites: trixie
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SOURCES
  mkdir -p "$dir/lists/partial"
  local apt=(apt-get -qq -o Dir::Etc::SourceList=/dev/null -o "Dir::Etc::SourceParts=$dir"
             -o "Dir::State::Lists=$dir/lists" -o Dir::Cache::pkgcache= -o Dir::Cache::srcpkgcache=)
  as_root "${apt[@]}" update
  (cd "$dir" && "${apt[@]}" source --download-only pgvector >/dev/null)
  # apt has checked the downloaded files against trixie's signed Release file; dpkg-source's own
  # signature warning (no keyring of its own) goes to the build log with everything else.
  if ! { (cd "$dir" && dpkg-source -x pgvector_*.dsc src) &&
         make -C "$dir/src" -j"$(nproc)" PG_CONFIG="$PG_BIN/pg_config" &&
         as_root make -C "$dir/src" PG_CONFIG="$PG_BIN/pg_config" install; } >"$dir/build.log" 2>&1; then
    cat "$dir/build.log" >&2
    return 1
  fi
  [ -f "$PG_EXTENSIONS/vector.control" ] && [ -f "$("$PG_BIN/pg_config" --pkglibdir)/vector.so" ] ||
    { echo "pgvector build finished but vector.control/vector.so are not installed" >&2; return 1; }
  STATUS="built and installed $(basename "$dir"/pgvector_*.dsc .dsc)"
}

# The Node producer's exact packages (kafkajs, avsc) from its package-lock.json, from the npm
# registry npm is configured with. Debian's nodejs and npm only where no node is installed.
node_producer() {
  local dir=scripts/node-producer
  command -v node >/dev/null && command -v npm >/dev/null || apt_install nodejs npm
  if [ "$dir/node_modules/.package-lock.json" -nt "$dir/package-lock.json" ]; then
    STATUS="already installed (node $(node --version))"
    return 0
  fi
  (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
  STATUS="installed $(cd "$dir" && node -p "Object.entries(require('./package.json').dependencies).map(e => e.join('@')).join(' ')") (node $(node --version))"
}

micros() { echo "${EPOCHREALTIME/./}"; }
seconds_since() { local us=$(( $(micros) - $1 )); printf '%d.%d' $((us / 1000000)) $((us / 100000 % 10)); }

step() {
  local name=$1 t0
  t0=$(micros)
  STATUS=ok
  "$@"
  log "$(printf '%-16s %s (%s s)' "$name" "$STATUS" "$(seconds_since "$t0")")"
}

setup_start=$(micros)
step system_packages
step maven_wrapper
step pgvector
step node_producer
log "done in $(seconds_since "$setup_start") s"
