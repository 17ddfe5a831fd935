# Identity, seal chain, receipts, health and stats as a user meets them in a shell.
BeforeAll {
    Import-Module $env:DREAMWELL_MODULE
    function New-TestHome { $env:DREAMWELL_HOME = Join-Path $TestDrive ([guid]::NewGuid().ToString('N')); $env:DREAMWELL_HOME }
    $script:passphrase = ConvertTo-SecureString 'correct horse battery' -AsPlainText -Force
}

Describe 'New-DreamIdentity' {
    BeforeEach { $script:dwHome = New-TestHome }

    It 'creates identity.fibo, owner-only, and returns whoami' {
        $id = New-DreamIdentity -Name alice -Kind Agent
        $id.PSObject.TypeNames[0] | Should -Be 'Dreamwell.Identity.IdentityReport'
        $id.Name | Should -Be 'alice'
        $id.Kind | Should -Be 'Agent'
        $id.QuantumId | Should -Match '^[0-9a-f]{16}$'
        $id.ChainLength | Should -Be 1
        $id.FingerprintMatch | Should -BeTrue
        if (-not $IsWindows) { (Get-Item (Join-Path $dwHome identity.fibo)).UnixFileMode | Should -Be ([System.IO.UnixFileMode]'UserRead, UserWrite') }
    }

    It 'honours DREAMWELL_NAME and DREAMWELL_MODE' {
        $env:DREAMWELL_NAME = 'from-env'; $env:DREAMWELL_MODE = 'Service'
        try { $id = New-DreamIdentity } finally { Remove-Item env:DREAMWELL_NAME, env:DREAMWELL_MODE }
        $id.Name | Should -Be 'from-env'
        $id.Kind | Should -Be 'Service'
    }

    It '-WhatIf writes nothing' {
        New-DreamIdentity -Name ghost -WhatIf
        Test-Path (Join-Path $dwHome identity.fibo) | Should -BeFalse
    }

    It 'refuses to overwrite without -Force, with a stable error id' {
        $first = New-DreamIdentity -Name alice
        { New-DreamIdentity -Name mallory -ErrorAction Stop } | Should -Throw -ErrorId 'IdentityExists,Dreamwell.Cmdlets.NewDreamIdentityCommand'
        (Get-DreamIdentity).PublicKey | Should -Be $first.PublicKey
    }

    It '-Force replaces it and archives the old chain' {
        $first = New-DreamIdentity -Name alice
        $second = New-DreamIdentity -Name bob -Force -Confirm:$false
        $second.PublicKey | Should -Not -Be $first.PublicKey
        Test-Path (Join-Path $dwHome "seal.$($first.QuantumId).chain") | Should -BeTrue
    }

    It 'a sealed identity signs only after Unlock-DreamIdentity with the right passphrase' {
        New-DreamIdentity -Name carol -Passphrase $passphrase | Out-Null
        (Get-DreamIdentity).IsSealed | Should -BeTrue
        $wrong = ConvertTo-SecureString 'nope' -AsPlainText -Force
        { Unlock-DreamIdentity -Passphrase $wrong -ErrorAction Stop } | Should -Throw -ErrorId 'WrongPassphrase,Dreamwell.Cmdlets.UnlockDreamIdentityCommand'
        Unlock-DreamIdentity -Passphrase $passphrase | Out-Null
        Lock-DreamIdentity
    }
}

Describe 'Get-DreamIdentity' {
    It 'says how to create an identity when there is none' {
        New-TestHome | Out-Null
        { Get-DreamIdentity -ErrorAction Stop } | Should -Throw -ErrorId 'IdentityNotFound,Dreamwell.Cmdlets.GetDreamIdentityCommand'
    }
}

Describe 'Seal chain' {
    BeforeEach { $script:dwHome = New-TestHome; New-DreamIdentity -Name chain | Out-Null }

    It 'is valid after creation and lists entries' {
        (Test-SealChain).IsValid | Should -BeTrue
        Test-SealChain -Quiet | Should -BeTrue
        $entry = Get-SealChain -Last 1
        $entry.PSObject.TypeNames[0] | Should -Be 'Dreamwell.Chain.SealEntry'
        $entry.Operation | Should -Be 'identity.create'
    }

    It 'reports the first bad index after an edit' {
        $path = Join-Path $dwHome 'seal.chain'
        $bytes = [System.IO.File]::ReadAllBytes($path)
        $bytes[$bytes.Length - 3] = $bytes[$bytes.Length - 3] -bxor 0xff
        [System.IO.File]::WriteAllBytes($path, $bytes)
        $verdict = Test-SealChain
        $verdict.IsValid | Should -BeFalse
        $verdict.FirstBadIndex | Should -Be 0
        $verdict.Problem | Should -Be 'BadSignature'
        (Get-DreamHealth | Where-Object Check -eq 'SealChain').Status | Should -Be 'Fail'
    }
}

Describe 'Get-DreamHealth' {
    It 'passes on a fresh identity and names a fix for a loose file mode' -Skip:$IsWindows {
        $dwHome = New-TestHome
        New-DreamIdentity -Name healthy | Out-Null
        $checks = Get-DreamHealth
        $checks.Check | Should -Contain 'Clock'
        ($checks | Where-Object Status -eq 'Fail') | Should -BeNullOrEmpty
        chmod 644 (Join-Path $dwHome identity.fibo)
        $mode = Get-DreamHealth | Where-Object Check -eq 'IdentityFileMode'
        $mode.Status | Should -Be 'Fail'
        $mode.Fix | Should -Match 'chmod 600'
    }

    It 'fails the identity check with a fix when there is none' {
        New-TestHome | Out-Null
        $identity = Get-DreamHealth | Where-Object Check -eq 'Identity'
        $identity.Status | Should -Be 'Fail'
        $identity.Fix | Should -Match 'New-DreamIdentity'
    }
}

Describe 'Get-DreamStats' {
    It 'reports identity and local figures' {
        New-TestHome | Out-Null
        $id = New-DreamIdentity -Name stats
        $identity = Get-DreamStats -Scope Identity
        $identity.QuantumId | Should -Be $id.QuantumId
        $identity.ChainValid | Should -BeTrue
        $local = Get-DreamStats
        $local.Scope | Should -Be 'Local'
        $local.HomeBytes | Should -BeGreaterThan 0
    }
}
