# The tesseract node as a user meets it: two nodes in one session, each with its own home, on ephemeral loopback ports.
BeforeAll { . $PSScriptRoot/TestNodes.ps1 }

AfterAll { Reset-TestNodes }

Describe 'Start-Tesseract and friends' {
    BeforeAll {
        $script:alice = Start-TestNode alice
        $script:aliceHome = $env:DREAMWELL_HOME
        $script:bob = Start-TestNode bob
        $script:bobHome = $env:DREAMWELL_HOME
        $script:bobStatus = Get-TesseractStatus
    }
    AfterAll { Stop-TestNode $alice, $bob }

    It 'runs each node as a job with its own home, ports and token' {
        $alice.PSJobTypeName | Should -Be 'TesseractJob'
        $alice.State | Should -Be 'Running'
        $bobStatus.Name | Should -Be 'bob'
        $bobStatus.PeerPort | Should -BeGreaterThan 0
        $bobStatus.QuantumId | Should -Match '^[0-9a-f]{16}$'
        Test-Path (Join-Path $bobHome tesseract.json) | Should -BeTrue
        if (-not $IsWindows) { (Get-Item (Join-Path $bobHome control.token)).UnixFileMode | Should -Be ([System.IO.UnixFileMode]'UserRead, UserWrite') }
    }

    It 'connects, pins the key and heartbeats' {
        $env:DREAMWELL_HOME = $aliceHome
        $peer = Connect-Tesseract -Peer "127.0.0.1:$($bobStatus.PeerPort)"
        $peer.PSObject.TypeNames[0] | Should -Be 'Dreamwell.Node.TesseractPeer'
        $peer.Label | Should -Be 'bob'
        $peer.QuantumId | Should -Be $bobStatus.QuantumId
        Wait-Until { (Get-TesseractPeer bob).Heartbeats -ge 2 } 'heartbeats from bob'
        (Get-TesseractPeer bob).State | Should -Be 'Connected'
        (Get-Content (Join-Path $aliceHome known_peers.json) -Raw | ConvertFrom-Json).peers.quantumId | Should -Contain $bobStatus.QuantumId
        (Get-TesseractStatus).ConnectedPeers | Should -Be 1
    }

    It 'refuses control requests with the wrong token' {
        $env:DREAMWELL_HOME = $bobHome
        $tokenFile = Join-Path $bobHome control.token
        $token = Get-Content $tokenFile -Raw
        try {
            Set-Content $tokenFile ('0' * 64) -NoNewline
            { Get-TesseractStatus -ErrorAction Stop } | Should -Throw -ErrorId 'ControlUnauthorized*'
        } finally { Set-Content $tokenFile $token -NoNewline }
        (Get-TesseractStatus).Name | Should -Be 'bob'
    }

    It 'Stop-Tesseract ends the node and its job; Receive-Job shows its events' {
        $env:DREAMWELL_HOME = $bobHome
        Stop-Tesseract
        $bob | Wait-Job -Timeout 10 | Out-Null
        $bob.State | Should -Be 'Completed'
        Test-Path (Join-Path $bobHome tesseract.json) | Should -BeFalse
        $events = @($bob | Receive-Job)
        $events.Kind | Should -Contain 'Hello'
        $events.Kind | Should -Contain 'Stopped'
        { Get-TesseractStatus -ErrorAction Stop } | Should -Throw -ErrorId 'TesseractNotRunning*'
    }
}

Describe 'Start-Tesseract -WhatIf' {
    It 'binds nothing and writes nothing' {
        $env:DREAMWELL_HOME = Join-Path $TestDrive 'whatif-home'
        Start-Tesseract -Name ghost -ControlPort 0 -PeerPort 0 -WhatIf | Should -BeNullOrEmpty
        Test-Path (Join-Path $env:DREAMWELL_HOME 'tesseract.json') | Should -BeFalse
        Test-Path (Join-Path $env:DREAMWELL_HOME 'control.token') | Should -BeFalse
    }
}
