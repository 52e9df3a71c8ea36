#!/usr/bin/env bash
# Seed 002's `npm run monitor`: a live terminal view of jobstream, read from an ingest-service.
# Every second: totals per queue, the active jobs with a progress bar and their step, the latest
# failures. Ctrl-C exits cleanly. Reads only public routes (no admin key needed).
#
#   scripts/monitor.sh [url] [--once] [--interval SECONDS] [--jobs N]
#     url         ingest-service base URL (default $JOBSTREAM_URL or http://localhost:8080)
#     --once      print one frame and exit (scripts, tests; exit 1 if the service cannot be read)
#     --interval  seconds between frames (default 1)
#     --jobs      how many active jobs and failures to show (default 10)
set -euo pipefail

url=${JOBSTREAM_URL:-http://localhost:8080}
once=0
interval=1
jobs=10

usage() { sed -n '2,10s/^# \{0,1\}//p' "$0"; }

while [ $# -gt 0 ]; do
  case $1 in
    --once) once=1 ;;
    --interval) interval=${2:?--interval needs seconds}; shift ;;
    --jobs) jobs=${2:?--jobs needs a number}; shift ;;
    -h|--help) usage; exit 0 ;;
    http://*|https://*) url=${1%/} ;;
    *) echo "monitor: unknown argument '$1'" >&2; usage >&2; exit 2 ;;
  esac
  shift
done

for tool in curl jq; do
  command -v "$tool" >/dev/null || { echo "monitor: needs $tool (scripts/setup-dev.sh installs it)" >&2; exit 2; }
done

get() { curl -fsS --max-time 5 "$url$1"; }

# One frame, as text: rendered whole before it is printed, so the screen never shows half a frame.
frame() {
  local queues active failed
  queues=$(get /api/queues) || { echo "jobstream monitor: cannot read $url/api/queues"; return 1; }
  active=$(get "/api/jobs?state=active&limit=$jobs") || { echo "jobstream monitor: cannot read $url/api/jobs"; return 1; }
  failed=$(get "/api/jobs?state=failed&limit=$jobs") || { echo "jobstream monitor: cannot read $url/api/jobs"; return 1; }

  printf 'jobstream monitor  %s  %s\n\n' "$url" "$(date -u '+%Y-%m-%d %H:%M:%S UTC')"
  jq -r '
    def row: [.[0], (.[1:][] | tostring)] | "\(.[0] | .[0:28] | . + " " * (28 - length))" +
      (.[1:] | map(" " * (10 - length) + .) | join(""));
    (["QUEUE", "WAITING", "ACTIVE", "COMPLETED", "FAILED", "DELAYED", "PAUSED", "DEAD", "TOTAL"] | row),
    (.queues[] | [.name + (if .isPaused then " (paused)" else "" end),
                  .waiting, .active, .completed, .failed, .delayed, .paused, .deadLettered, .total] | row),
    (["all queues"] + ([.queues[] | [.waiting, .active, .completed, .failed, .delayed, .paused, .deadLettered, .total]]
                       | transpose | map(add // 0)) | row)
  ' <<<"$queues"

  jq -r '
    def bar: (. / 5 | floor) as $full | (if $full > 0 then "█" * $full else "" end)
             + (if $full < 20 then "░" * (20 - $full) else "" end);
    "\nActive jobs (\(.total))",
    (if .count == 0 then "  none" else empty end),
    (.jobs[] | "  \(.id | .[0:36])  \(.queue)  [\(.progress | bar)] \(.progress | tostring | " " * (3 - length) + .)%  \(.step // "")")
  ' <<<"$active"

  jq -r '
    "\nRecent failures (\(.total))",
    (if .count == 0 then "  none" else empty end),
    (.jobs[] | "  \(.id | .[0:36])  \(.queue)  \(.finishedAt // .updatedAt // "")  attempt \(.attemptsMade)/\(.maxAttempts)  \(.failedReason // "" | .[0:100])")
  ' <<<"$failed"
}

if [ "$once" = 1 ]; then
  frame
  exit
fi

# Full-screen view: hidden cursor while it runs, restored on Ctrl-C, kill or any exit.
restore() { printf '\033[?25h\n'; }
trap restore EXIT
trap 'exit 0' INT TERM
printf '\033[?25l'
while true; do
  screen=$(frame 2>&1 || true)
  printf '\033[H\033[2J%s\n\n(Ctrl-C to quit)' "$screen"
  sleep "$interval"
done
