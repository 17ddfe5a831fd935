#!/usr/bin/env bash
# Side-by-side: Send-DreamFile's engine path between two loopback nodes vs an rsync daemon bound to 127.0.0.1
# (temp config, killed at the end), one run each on the same random file. Results go to docs/benchmarks.md by hand.
# Usage: bench/send-vs-rsync.sh [--size-mib N] [--file PATH]      (default: 1024 MiB of random bytes)
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v rsync >/dev/null; then
  apt-get update && apt-get install -y rsync
fi
exec dotnet run -c Release --project bench/Dreamwell.Bench -- send-vs-rsync "$@"
