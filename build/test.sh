#!/usr/bin/env bash
# The one test command (README): builds everything, runs the xUnit suite, then every Pester suite twice,
# in a fresh pwsh and inside `dream`, and ends with one line "N passed, N failed, N skipped".
set -uo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
config="${CONFIGURATION:-Release}"
results="$root/out/test-results"
rm -rf "$results" && mkdir -p "$results"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 POWERSHELL_TELEMETRY_OPTOUT=1 POWERSHELL_UPDATECHECK=Off

fail() { echo "test.sh: $1" >&2; echo "0 passed, 1 failed"; exit 1; }

dotnet tool restore >/dev/null || fail "dotnet tool restore (pwsh) failed"
dotnet build Dreamwell.PowerShell.sln -c "$config" -nologo -clp:ErrorsOnly || fail "build failed"

# xUnit: counts come from the trx file.
dotnet test tests/Dreamwell.Tests -c "$config" --no-build --nologo \
  --logger "trx;LogFileName=xunit.trx" --logger "console;verbosity=minimal" --results-directory "$results"
counters=$(grep -o '<Counters [^>]*>' "$results/xunit.trx" 2>/dev/null)
count() { echo "$counters" | sed -n "s/.* $1=\"\([0-9]*\)\".*/\1/p"; }
x_total=$(count total); x_pass=$(count passed); x_fail=$(count failed); x_exec=$(count executed)
x_pass=${x_pass:-0}; x_fail=${x_fail:-0}; x_skip=$(( ${x_total:-0} - ${x_exec:-0} ))
[ -n "$counters" ] || x_fail=$((x_fail + 1))
echo "xUnit: $x_pass passed, $x_fail failed, $x_skip skipped"

# Pester: the same suites from a fresh pwsh and from dream (each its own process: a dll cannot be unloaded).
pester="$(dotnet nuget locals global-packages --list | sed 's/^global-packages: //')pester/5.7.1/tools/Pester.psd1"
[ -f "$pester" ] || fail "Pester 5.7.1 not restored at $pester"
dream="$root/src/Host/bin/$config/net10.0/dream"
export DREAM_EXE="$dream"
p_pass=0; p_fail=0; p_skip=0
for runner in pwsh dream; do
  if [ "$runner" = pwsh ]; then
    module="$root/out/Dreamwell/Dreamwell.psd1"
    cmd=(dotnet pwsh)
  else
    module="$(dirname "$dream")/Modules/Dreamwell/Dreamwell.psd1"
    cmd=("$dream")
  fi
  "${cmd[@]}" -NoLogo -NoProfile -NonInteractive -File build/run-pester.ps1 -PesterPath "$pester" \
    -ModulePath "$module" -Label "$runner" -CountsFile "$results/pester-$runner.counts" -Tests "$root/tests/pester","$root/examples"
  if [ -f "$results/pester-$runner.counts" ]; then
    read -r a b c < "$results/pester-$runner.counts"
  else
    a=0; b=1; c=0; echo "Pester ($runner): the runner crashed"
  fi
  p_pass=$((p_pass + a)); p_fail=$((p_fail + b)); p_skip=$((p_skip + c))
done

total_pass=$((x_pass + p_pass)); total_fail=$((x_fail + p_fail)); total_skip=$((x_skip + p_skip))
if [ "$x_pass" -eq 0 ] || [ "$p_pass" -eq 0 ]; then
  echo "test.sh: a suite ran no passing test" >&2
  total_fail=$((total_fail + 1))
fi
echo "$total_pass passed, $total_fail failed, $total_skip skipped"
[ "$total_fail" -eq 0 ]
