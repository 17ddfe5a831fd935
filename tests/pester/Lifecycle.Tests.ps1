# A detached node as a user meets it: Start-Tesseract -Detached from this session (pwsh or dream), the node answering
# as its own `dream` process, then Stop-Tesseract. From pwsh the dream host comes from DREAMWELL_DREAM (build/test.sh
# exports DREAM_EXE); inside dream the host is this very process.
BeforeDiscovery {
    $script:insideDream = [IO.Path]::GetFileNameWithoutExtension([Environment]::ProcessPath) -eq 'dream'
    $script:haveDream = $insideDream -or ($env:DREAM_EXE -and (Test-Path $env:DREAM_EXE)) -or ($env:DREAMWELL_DREAM -and (Test-Path $env:DREAMWELL_DREAM))
}

BeforeAll {
    Import-Module $env:DREAMWELL_MODULE
    $script:originalHome = $env:DREAMWELL_HOME
    $script:originalDream = $env:DREAMWELL_DREAM
    if (-not $env:DREAMWELL_DREAM -and $env:DREAM_EXE) { $env:DREAMWELL_DREAM = $env:DREAM_EXE }
    $env:DREAMWELL_HOME = Join-Path $TestDrive 'detached'
}

AfterAll {
    $info = Join-Path $env:DREAMWELL_HOME tesseract.json
    if (Test-Path $info) {
        $leftover = Get-Process -Id (Get-Content $info -Raw | ConvertFrom-Json).pid -ErrorAction SilentlyContinue
        if ($leftover -and $leftover.ProcessName -eq 'dream') { $leftover | Stop-Process -Force }
    }
    $env:DREAMWELL_HOME = $script:originalHome
    $env:DREAMWELL_DREAM = $script:originalDream
}

Describe 'Start-Tesseract -Detached' -Skip:(-not $haveDream) {
    It 'starts a node in its own process that answers, then Stop-Tesseract ends it and removes its files' {
        $status = Start-Tesseract -Detached -Name keeper -ControlPort 0 -PeerPort 0 -NoDiscovery
        $status.PSObject.TypeNames[0] | Should -Be 'Dreamwell.Node.TesseractStatus'
        $status.ProcessId | Should -Not -Be $PID
        $status.Name | Should -Be 'keeper'
        $status.Discovery | Should -Be 'Off'
        $status.Health.Status | Should -BeIn 'Healthy', 'Degraded', 'Critical'
        $status.Health.Rho.Count | Should -Be 5
        (Get-Process -Id $status.ProcessId).ProcessName | Should -Be 'dream'
        (Get-TesseractStatus).ProcessId | Should -Be $status.ProcessId
        @(Get-ChildItem (Join-Path $env:DREAMWELL_HOME logs) -Filter 'tesseract-*.log').Count | Should -Be 1

        Stop-Tesseract

        Test-Path (Join-Path $env:DREAMWELL_HOME tesseract.json) | Should -BeFalse
        Test-Path (Join-Path $env:DREAMWELL_HOME control.token) | Should -BeFalse
        { Get-TesseractStatus -ErrorAction Stop } | Should -Throw -ErrorId 'TesseractNotRunning*'
    }

    It 'refuses a second detached node for the same home while one runs' {
        $first = Start-Tesseract -Detached -ControlPort 0 -PeerPort 0 -NoDiscovery
        try {
            { Start-Tesseract -Detached -ControlPort 0 -PeerPort 0 -NoDiscovery -ErrorAction Stop } | Should -Throw -ErrorId 'TesseractAlreadyRunning*'
            (Get-TesseractStatus).ProcessId | Should -Be $first.ProcessId
        } finally { Stop-Tesseract }
    }
}
