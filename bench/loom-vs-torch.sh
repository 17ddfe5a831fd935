#!/usr/bin/env bash
# Loom trainer vs the PyTorch anchor, side by side in one run (see docs/benchmarks.md "## Loom").
# Needs /usr/bin/python3 with torch (Debian: apt-get install -y python3-torch) for the anchor half.
set -euo pipefail
cd "$(dirname "$0")/.."
exec dotnet run -c Release --project bench/Dreamwell.Bench -- loom-vs-torch "$@"
