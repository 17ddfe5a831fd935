# What the suites that run tesseract nodes in this session share: dot-source it in the top-level BeforeAll
# (`. $PSScriptRoot/TestNodes.ps1`) and call Reset-TestNodes in the top-level AfterAll. Each node gets its own
# DREAMWELL_HOME under $TestDrive and ephemeral loopback ports with a 100 ms heartbeat ($fast, to splat).
Import-Module $env:DREAMWELL_MODULE
$script:originalHome = $env:DREAMWELL_HOME
$script:fast = @{ ControlPort = 0; PeerPort = 0; HeartbeatInterval = [timespan]::FromMilliseconds(100) }

function Use-Home([string] $name) { $env:DREAMWELL_HOME = Join-Path $TestDrive $name }

# Starts a node named $name in the home of that name, which stays the current one; returns its job.
function Start-TestNode([string] $name) {
    Use-Home $name
    Start-Tesseract -Name $name @fast
}

# The deadline only bounds a failing test: what the nodes do in the background is waited for, never timed.
function Wait-Until([scriptblock] $condition, [string] $what) {
    $deadline = [datetime]::UtcNow.AddSeconds(30)
    while (-not (& $condition)) {
        if ([datetime]::UtcNow -gt $deadline) { throw "Timed out waiting for $what" }
        Start-Sleep -Milliseconds 50
    }
}

function Stop-TestNode([object[]] $jobs) {
    foreach ($job in $jobs) { if ($job) { $job | Stop-Job; $job | Remove-Job -Force } }
}

# Removes any node job a suite left behind and gives the session its own DREAMWELL_HOME back.
function Reset-TestNodes {
    Get-Job | Where-Object PSJobTypeName -eq 'TesseractJob' | Remove-Job -Force
    $env:DREAMWELL_HOME = $script:originalHome
}
