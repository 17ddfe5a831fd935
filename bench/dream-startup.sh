#!/usr/bin/env bash
# Side by side: how long `dream` takes to start, run nothing and exit, built (`dotnet build`, IL only: the JIT compiles
# PowerShell at every start) vs published (README "Install": ahead-of-time compiled), and pwsh itself as the anchor.
# Figures go to docs/benchmarks.md. Usage: bench/dream-startup.sh [--runs N]
set -euo pipefail
cd "$(dirname "$0")/.."
runs=20
[[ "${1:-}" == "--runs" ]] && runs="$2"
command -v hyperfine >/dev/null || { apt-get update && apt-get install -y hyperfine; }
dotnet build src/Host -c Release -v quiet -nologo >/dev/null
dotnet publish src/Host -c Release -r linux-x64 -o out/dream -v quiet -nologo >/dev/null
dotnet tool restore >/dev/null
pwsh_dll="${NUGET_PACKAGES:-$HOME/.nuget/packages}/powershell/7.6.9/tools/net10.0/any/unix/pwsh.dll"
home=$(mktemp -d); trap 'rm -rf "$home"' EXIT
export DREAMWELL_HOME="$home"
hyperfine --warmup 3 --runs "$runs" -N --export-markdown /dev/stdout \
  -n built "src/Host/bin/Release/net10.0/dream -NoProfile -Command exit" \
  -n published "out/dream/dream -NoProfile -Command exit" \
  -n "pwsh 7.6.9 (dotnet tool)" "dotnet $pwsh_dll -NoProfile -Command exit"
