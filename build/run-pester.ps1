# Runs every tests/pester/*.Tests.ps1 with the Dreamwell module at -ModulePath, in this process
# (a fresh pwsh or dream), and writes "passed failed skipped" to -CountsFile.
param(
    [Parameter(Mandatory)] [string] $PesterPath,
    [Parameter(Mandatory)] [string] $ModulePath,
    [Parameter(Mandatory)] [string] $Label,
    [Parameter(Mandatory)] [string] $CountsFile,
    [Parameter(Mandatory)] [string[]] $Tests
)
$ErrorActionPreference = 'Stop'
Import-Module $PesterPath -MinimumVersion 5.7.1
$env:DREAMWELL_MODULE = $ModulePath
$env:DREAMWELL_TEST_HOST = $Label

$config = New-PesterConfiguration
$config.Run.Path = @($Tests -split ',')
$config.Run.PassThru = $true
$config.Output.Verbosity = 'Normal'
$config.TestResult.Enabled = $false
$result = Invoke-Pester -Configuration $config

$skipped = $result.SkippedCount + $result.NotRunCount
"$($result.PassedCount) $($result.FailedCount + $result.FailedBlocksCount + $result.FailedContainersCount) $skipped" |
    Set-Content -LiteralPath $CountsFile
Write-Host "Pester ($Label): $($result.PassedCount) passed, $($result.FailedCount) failed, $skipped skipped"
