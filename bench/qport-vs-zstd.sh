#!/usr/bin/env bash
# Side-by-side: qport pack/open vs zstd -3 -T0 / zstd -d, BLAKE3 hashing vs b3sum. Results go to docs/benchmarks.md by hand.
# Usage: bench/qport-vs-zstd.sh [input-file] [--repeat N]
set -euo pipefail
cd "$(dirname "$0")/.."
missing=()
command -v zstd >/dev/null || missing+=(zstd)
command -v b3sum >/dev/null || missing+=(b3sum)
if ((${#missing[@]})); then
  apt-get update && apt-get install -y "${missing[@]}"
fi
exec dotnet run -c Release --project bench/Dreamwell.Bench -- qport-vs-zstd "$@"
