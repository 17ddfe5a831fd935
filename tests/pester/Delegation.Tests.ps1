# Agents as a user meets them: a Human grants one, runs it as its own DREAMWELL_HOME, links it to the Human's node, revokes it.
BeforeAll { . $PSScriptRoot/TestNodes.ps1 }

AfterAll { Reset-TestNodes }

Describe 'Grant-DreamDelegation, an agent on the network, Revoke-DreamDelegation' {
    BeforeAll {
        $script:aliceHome = Join-Path $TestDrive 'alice'
        $env:DREAMWELL_HOME = $aliceHome
        $script:alice = New-DreamIdentity -Name alice -Kind Human
        $script:grant = Grant-DreamDelegation -Name ci-bot -Scope Observe,Send -Expires 24h
        $script:aliceNode = Start-TestNode alice
        $script:aliceStatus = Get-TesseractStatus
        $env:DREAMWELL_HOME = $grant.Path
        $script:botNode = Start-Tesseract @fast
    }
    AfterAll { Stop-TestNode $aliceNode, $botNode }

    It 'issues an Agent identity in its own folder, with a certificate, audited on the Human''s chain' {
        $grant.PSObject.TypeNames[0] | Should -Be 'Dreamwell.Identity.DreamDelegation'
        $grant.DelegatedBy | Should -Be $alice.QuantumId
        "$($grant.Scopes)" | Should -Be 'Observe, Send'
        $grant.Path | Should -Be (Join-Path $aliceHome 'agents' 'ci-bot')
        $env:DREAMWELL_HOME = $grant.Path
        (Get-DreamIdentity).Kind | Should -Be 'Agent'
        (Get-DreamDelegation -Path $grant.Path).CertificateHash | Should -Be $grant.CertificateHash
        $env:DREAMWELL_HOME = $aliceHome
        (Get-SealChain | Select-Object -Last 1).Operation | Should -Be 'delegation.grant'
    }

    It 'links the agent to its Human''s node, which sees it as an Agent delegated by the Human' {
        $env:DREAMWELL_HOME = $grant.Path
        $human = Connect-Tesseract -Peer "127.0.0.1:$($aliceStatus.PeerPort)"
        $human.Kind | Should -Be 'Human'
        $env:DREAMWELL_HOME = $aliceHome
        Wait-Until { (Get-TesseractPeer ci-bot).State -eq 'Connected' } 'alice to see ci-bot'
        $bot = Get-TesseractPeer ci-bot
        $bot.Kind | Should -Be 'Agent'
        $bot.DelegatedBy | Should -Be $alice.QuantumId
        $bot.Scopes | Should -Be 'Observe, Send'
    }

    It 'refuses the agent once it is revoked' {
        $env:DREAMWELL_HOME = $aliceHome
        (Revoke-DreamDelegation ci-bot -Reason 'test').Status | Should -Be 'Revoked'
        $env:DREAMWELL_HOME = $grant.Path
        { Connect-Tesseract -Peer "127.0.0.1:$($aliceStatus.PeerPort)" -ErrorAction Stop } | Should -Throw '*DelegationRevoked*'
    }
}
