# Friends, dialing by label, disconnecting and ShardBlade's audit trail, as a user meets them: two nodes in one
# session, each with its own home, on ephemeral loopback ports.
BeforeAll { . $PSScriptRoot/TestNodes.ps1 }

AfterAll { Reset-TestNodes }

Describe 'Friends without a node' {
    BeforeAll { Use-Home 'friends-only' }

    It 'adds, lists, filters and removes friends in tesseracts.json' {
        $friend = Add-DreamFriend -QuantumId 0123456789ABCDEF -Label desk -Address 127.0.0.1:9618
        $friend.PSObject.TypeNames[0] | Should -Be 'Dreamwell.Node.DreamFriend'
        $friend.QuantumId | Should -Be '0123456789abcdef'
        Add-DreamFriend -QuantumId 1111111111111111 -Label phone -WhatIf
        (Get-DreamFriend).Label | Should -Be @('desk')
        (Get-DreamFriend -Name 0123*).Label | Should -Be 'desk'
        Test-Path (Join-Path $env:DREAMWELL_HOME tesseracts.json) | Should -BeTrue
        Remove-DreamFriend desk -WhatIf
        @(Get-DreamFriend).Count | Should -Be 1
        Get-DreamFriend desk | Remove-DreamFriend
        @(Get-DreamFriend).Count | Should -Be 0
        { Remove-DreamFriend desk -ErrorAction Stop } | Should -Throw -ErrorId 'FriendNotFound*'
    }

    It 'reports no ShardBlade events for a home without a chain' {
        @(Get-ShardBladeEvent).Count | Should -Be 0
    }
}

Describe 'Dialing a friend by label, then disconnecting' {
    BeforeAll {
        $script:bob = Start-TestNode bob
        $script:bobStatus = Get-TesseractStatus
        $script:alice = Start-TestNode alice
        $script:aliceHome = $env:DREAMWELL_HOME
    }
    AfterAll { Stop-TestNode $alice, $bob }

    It 'connects by label through the friend''s address and shows kind and trust' {
        $env:DREAMWELL_HOME = $aliceHome
        $null = Add-DreamFriend -QuantumId $bobStatus.QuantumId -Label buddy -Address "127.0.0.1:$($bobStatus.PeerPort)"
        $peer = Connect-Tesseract -Peer buddy
        $peer.QuantumId | Should -Be $bobStatus.QuantumId
        Wait-Until { (Get-TesseractPeer bob).Heartbeats -ge 2 } 'heartbeats from bob'
        $listed = Get-TesseractPeer bob
        $listed.Kind | Should -Not -BeNullOrEmpty
        $listed.Trust | Should -BeGreaterOrEqual 0
        $listed.Trust | Should -BeLessOrEqual 1
    }

    It 'disconnects with a reason the peer hears' {
        $env:DREAMWELL_HOME = $aliceHome
        $closed = @(Disconnect-Tesseract -Peer bob -Reason 'lunch')
        $closed.State | Should -Be @('Closed')
        (Get-TesseractPeer bob).State | Should -Be 'Closed'
        Wait-Until { @($bob | Receive-Job -Keep | Where-Object { $_.Kind -eq 'LinkClosed' -and $_.Message -like '*goodbye: lunch*' }).Count -ge 1 } 'bob to hear the bye'
        { Disconnect-Tesseract -Peer bob -ErrorAction Stop } | Should -Throw -ErrorId 'PeerNotFound*'
    }

    It 'refuses a friend whose address answers with another key, and audits it in the chain' {
        $env:DREAMWELL_HOME = $aliceHome
        $null = Add-DreamFriend -QuantumId fedcba9876543210 -Label ghost -Address "127.0.0.1:$($bobStatus.PeerPort)"
        { Connect-Tesseract -Peer ghost -ErrorAction Stop } | Should -Throw -ErrorId 'PeerKeyMismatch*'
        $shard = Get-ShardBladeEvent -QuantumId $bobStatus.QuantumId
        $shard.PSObject.TypeNames[0] | Should -Be 'Dreamwell.Node.ShardBladeEvent'
        $shard.Reason | Should -Be 'KeyMismatch'
        $shard.QuarantinedUntil | Should -BeGreaterThan $shard.Time
        (Test-SealChain).IsValid | Should -BeTrue
        { Connect-Tesseract -Peer "127.0.0.1:$($bobStatus.PeerPort)" -ErrorAction Stop } | Should -Throw -ErrorId 'PeerQuarantined*'
    }
}
