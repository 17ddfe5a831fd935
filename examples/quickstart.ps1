<#
.SYNOPSIS
    A first tour of Dreamwell: identity, packing in every format, verification, receipts, the chain,
    the density-matrix health model and a short Loom training run.
.DESCRIPTION
    Runs against a throw-away DREAMWELL_HOME (so your real identity is never touched) unless -UseMyHome
    is given, and packs the project's own docs/ (or a generated sample when run outside the repo).
    Run it through the `dream` host:  dotnet run --project src/Host -c Release -- -File examples/quickstart.ps1
#>
param(
    [string] $Content = (Join-Path $PSScriptRoot '../docs'),
    [switch] $UseMyHome
)
$ErrorActionPreference = 'Stop'
if (-not (Get-Module Dreamwell)) { Import-Module (Join-Path $PSScriptRoot '../out/Dreamwell/Dreamwell.psd1') }

$work = Join-Path ([System.IO.Path]::GetTempPath()) "dreamwell-quickstart-$PID"
$null = New-Item -ItemType Directory -Force $work
$previousHome = $env:DREAMWELL_HOME
if (-not $UseMyHome) { $env:DREAMWELL_HOME = Join-Path $work 'home' }
try {
    Write-Host "== Identity (home: $env:DREAMWELL_HOME)"
    $id = New-DreamIdentity -Name quickstart -Kind Human -Force -Confirm:$false
    $id | Format-List QuantumId, Name, Kind, ChainLength | Out-Host

    Write-Host '== Content'
    if (-not (Test-Path $Content)) {
        $Content = Join-Path $work 'sample'
        $null = New-Item -ItemType Directory -Force $Content
        1..200 | ForEach-Object { "line $_ of a generated sample: the quick brown fox jumps over the lazy dog" } | Set-Content (Join-Path $Content 'sample.txt')
    }
    Copy-Item -Recurse -Path $Content -Destination (Join-Path $work 'content')
    $folder = Get-Item (Join-Path $work 'content')
    $file = Get-ChildItem -File -Recurse $folder | Sort-Object Length -Descending | Select-Object -First 1
    Write-Host "packing folder $($folder.FullName) and file $($file.Name) ($($file.Length) bytes)"

    Write-Host '== Pack in every format'
    $receipts = @(
        Compress-DreamFile -LiteralPath $file.FullName -Format Dreamfile
        Compress-DreamFile -LiteralPath $file.FullName -Format QPort
        Compress-DreamFile -LiteralPath $folder.FullName -Format Fractal
    )
    $receipts | Format-Table | Out-Host

    Write-Host '== Delta: append a line, ship only the difference'
    $edited = Join-Path $work 'edited.txt'
    Copy-Item $file.FullName $edited
    Add-Content $edited 'one more line, added after the first version'
    New-DreamDelta -Base $file.FullName -Target $edited | Format-Table | Out-Host

    Write-Host '== Verify and restore'
    Get-ChildItem $work -File | Where-Object Extension -in '.dreamfile', '.qport', '.qdlt' | Test-DreamFile | Format-Table | Out-Host
    Get-ChildItem (Split-Path $file.FullName) -Filter '*.qport' | Test-DreamFile | Format-Table | Out-Host
    $restored = Open-DreamFile -LiteralPath "$($file.FullName).qport" -Destination (Join-Path $work 'restored.bin')
    $same = (Get-FileHash $file.FullName).Hash -eq (Get-FileHash $restored.Path).Hash
    Write-Host "restored bytes identical: $same"
    $rebuilt = Open-DreamFile -LiteralPath "$edited.qdlt" -Base $file.FullName -Destination (Join-Path $work 'rebuilt.txt')
    Write-Host "delta rebuilt bytes identical: $((Get-FileHash $edited).Hash -eq (Get-FileHash $rebuilt.Path).Hash)"

    Write-Host '== Receipts, chain, health'
    Get-DreamReceipt -Last 3 | Format-Table | Out-Host
    $chain = Test-SealChain
    Write-Host "chain: $($chain.Length) entries, valid: $($chain.IsValid)"
    Get-DreamHealth | Format-Table | Out-Host
    Get-DreamStats | Format-List Receipts, Operations, BytesIn, BytesOut, Verifications | Out-Host

    Write-Host '== Health model: a density matrix over the node''s five services (docs/health-model.md)'
    $observations = foreach ($service in 'Universe', 'FQTP', 'LQTP', 'QCloud', 'Peers') { @{ Service = $service; LatencyMs = 12; PeerCount = 4 } }
    $health = Get-DreamHealthModel -Observation $observations
    $health | Format-List Status, Populations, Eigenvalues, Entropy, FreeEnergy | Out-Host
    $observations[1] = @{ Service = 'FQTP'; Up = $false }
    (Get-DreamHealthModel -Observation $observations).Alerts | Format-Table | Out-Host

    Write-Host '== Loom: a few training steps of a small model on the same content (docs/loom.md)'
    $model = Join-Path $work 'content.quantumtensor'
    $training = Invoke-LoomTrain -Corpus $folder.FullName -Checkpoint $model -Dim 48 -Blocks 2 -Heads 2 -Context 32 -MaxSteps 200 -Seed 7
    $training | Format-List Step, Loss, ValidationLoss, TokensPerSecond | Out-Host
    Write-Host ("sample: " + (Invoke-LoomGenerate -Checkpoint $model -Prompt 'The ' -MaxTokens 60 -Seed 7 -SkipUnknown))

    [pscustomobject]@{
        QuantumId       = $id.QuantumId
        Receipts        = (Get-DreamReceipt).Count
        ChainValid      = $chain.IsValid
        RestoredMatches = $same
        HealthStatus    = $health.Status
        LoomSteps       = $training.Step
    }
}
finally {
    $env:DREAMWELL_HOME = $previousHome
    Remove-Item -Recurse -Force $work -ErrorAction SilentlyContinue
}
