#!/usr/bin/env bash
# Side-by-side: portal first sync and change latency vs Syncthing 1.19, delta bytes vs rsync. Figures go to docs/benchmarks.md.
# Usage: bench/portal-vs-syncthing.sh [--files N] [--changes K] [--rounds R] [--rsync] [--skip-syncthing]
set -euo pipefail
cd "$(dirname "$0")/.."
missing=()
command -v syncthing >/dev/null || missing+=(syncthing)
command -v rsync >/dev/null || missing+=(rsync)
if ((${#missing[@]})); then
  apt-get update && apt-get install -y "${missing[@]}"
fi
# dream as a user installs it (README "Install"): published, ahead-of-time compiled.
dotnet publish src/Host -c Release -r linux-x64 -o out/dream -v quiet -nologo >/dev/null
exec python3 bench/portal-vs-syncthing.py "$@"
