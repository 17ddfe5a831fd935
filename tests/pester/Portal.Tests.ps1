# Portals as a user meets them: two nodes in one session (Start-Tesseract jobs, each with its own home, on ephemeral
# loopback ports) share a folder both ways; the cmdlets' -WhatIf and their errors (FullyQualifiedErrorId).
BeforeAll {
    . $PSScriptRoot/TestNodes.ps1
    $fast.NoDiscovery = $true
}

AfterAll { Reset-TestNodes }

Describe 'New-Portal, Connect-Portal, Get-Portal, Sync-Portal, Remove-Portal' {
    BeforeAll {
        $script:aliceFolder = Join-Path $TestDrive 'alice-photos'
        $script:bobFolder = Join-Path $TestDrive 'bob-photos'
        New-Item -ItemType Directory $aliceFolder | Out-Null
        Set-Content (Join-Path $aliceFolder 'cat.txt') 'meow' -NoNewline

        $script:alice = Start-TestNode alice
        $script:aliceHome = $env:DREAMWELL_HOME
        $script:portal = New-Portal -Path $aliceFolder -Name photos
        $script:bob = Start-TestNode bob
        $script:bobHome = $env:DREAMWELL_HOME
        $script:joined = Connect-Portal -Key $portal.Key -Path $bobFolder
    }
    AfterAll { Stop-TestNode $alice, $bob }

    It 'New-Portal returns the portal with its key; Connect-Portal joins it without showing the key' {
        $portal.PSObject.TypeNames[0] | Should -Be 'Dreamwell.Sync.DreamPortal'
        $portal.Name | Should -Be 'photos'
        $portal.Role | Should -Be 'Owner'
        $portal.Key | Should -Match '^\S{40,}$'
        $portal.ShortId | Should -Match '^[0-9a-f]{8}$'
        $joined.Role | Should -Be 'Member'
        $joined.ShortId | Should -Be $portal.ShortId
        $joined.Path | Should -Be $bobFolder
        $joined.Name | Should -Be 'bob-photos' # a member names the portal after its own folder unless told -Name
        $joined.Key | Should -BeNullOrEmpty
    }

    It 'syncs both ways between the two nodes' {
        Wait-Until { (Test-Path (Join-Path $bobFolder 'cat.txt')) -and (Get-Content (Join-Path $bobFolder 'cat.txt') -Raw) -eq 'meow' } "alice's file at bob"
        Set-Content (Join-Path $bobFolder 'dog.txt') 'woof' -NoNewline
        Wait-Until { (Test-Path (Join-Path $aliceFolder 'dog.txt')) -and (Get-Content (Join-Path $aliceFolder 'dog.txt') -Raw) -eq 'woof' } "bob's file at alice"
    }

    It 'Sync-Portal reports what moved' {
        $env:DREAMWELL_HOME = $bobHome
        $report = @(Sync-Portal)
        $report.Count | Should -Be 1
        $report[0].PSObject.TypeNames[0] | Should -Be 'Dreamwell.Sync.PortalSyncReport'
        $report[0].Name | Should -Be 'bob-photos'
        $report[0].ConnectedPeers | Should -Be 1
        $report[0].FilesReceived | Should -BeGreaterOrEqual 1
        $report[0].BytesReceived | Should -BeGreaterOrEqual 4
        $report[0].LocalFiles | Should -Be 2
        (Sync-Portal -Name bob-photos).Portal | Should -Be $portal.Id
        (Sync-Portal -Name $portal.ShortId).Portal | Should -Be $portal.Id
        { Sync-Portal -Name 'no-such-portal' -ErrorAction Stop } | Should -Throw -ErrorId 'PortalNotFound*'
    }

    It 'Get-Portal lists portals, by name or wildcard; only the owner sees the key, and only with -IncludeKey' {
        $env:DREAMWELL_HOME = $aliceHome
        (Get-Portal).Name | Should -Be 'photos'
        (Get-Portal -Name 'pho*').ShortId | Should -Be $portal.ShortId
        (Get-Portal).Key | Should -BeNullOrEmpty
        (Get-Portal -IncludeKey).Key | Should -Be $portal.Key
        (Get-Portal).Members | Should -Be 1
        Get-Portal -Name 'nothing-like-it*' | Should -BeNullOrEmpty
        $env:DREAMWELL_HOME = $bobHome
        (Get-Portal -IncludeKey).Key | Should -BeNullOrEmpty
    }

    It 'Remove-Portal -WhatIf changes nothing; Remove-Portal stops syncing and keeps the folder' {
        $env:DREAMWELL_HOME = $bobHome
        Remove-Portal -Name bob-photos -WhatIf | Should -BeNullOrEmpty
        (Get-Portal).Name | Should -Be 'bob-photos'
        $removed = Remove-Portal -Name bob-photos -Confirm:$false
        $removed.ShortId | Should -Be $portal.ShortId
        Get-Portal | Should -BeNullOrEmpty
        Test-Path (Join-Path $bobFolder 'cat.txt') | Should -BeTrue

        $env:DREAMWELL_HOME = $aliceHome
        Set-Content (Join-Path $aliceFolder 'after.txt') 'not for bob' -NoNewline
        Sync-Portal | Out-Null
        Start-Sleep -Milliseconds 500
        Test-Path (Join-Path $bobFolder 'after.txt') | Should -BeFalse
    }
}

Describe 'Portal cmdlets: -WhatIf and errors' {
    BeforeAll {
        Use-Home 'errors'
        $script:folder = Join-Path $TestDrive 'errors-folder'
        New-Item -ItemType Directory $folder | Out-Null
    }

    It 'New-Portal -WhatIf and Connect-Portal -WhatIf write nothing' {
        New-Portal -Path $folder -WhatIf | Should -BeNullOrEmpty
        Test-Path (Join-Path $env:DREAMWELL_HOME 'portals.json') | Should -BeFalse
        Use-Home 'errors-owner'
        $key = (New-Portal -Path $folder -Name owned -WarningAction SilentlyContinue).Key
        Use-Home 'errors'
        $target = Join-Path $TestDrive 'never-created'
        Connect-Portal -Key $key -Path $target -WhatIf | Should -BeNullOrEmpty
        Test-Path $target | Should -BeFalse
        Get-Portal | Should -BeNullOrEmpty
    }

    It 'New-Portal warns when no node runs, and still records the portal' {
        $portal = New-Portal -Path $folder -Name offline -WarningVariable warned -WarningAction SilentlyContinue
        $portal.Name | Should -Be 'offline'
        "$warned" | Should -Match 'Start-Tesseract'
        Remove-Portal -Name offline -Confirm:$false | Out-Null
    }

    It 'a bad key is BadPortalKey' {
        { Connect-Portal -Key 'dwp1.not-a-key' -Path (Join-Path $TestDrive 'x') -ErrorAction Stop } | Should -Throw -ErrorId 'BadPortalKey*'
        { Connect-Portal -Key 'hello' -ErrorAction Stop } | Should -Throw -ErrorId 'BadPortalKey*'
    }

    It 'a missing folder is SyncFolderMissing' {
        { New-Portal -Path (Join-Path $TestDrive 'no-such-folder') -ErrorAction Stop } | Should -Throw -ErrorId 'SyncFolderMissing*'
    }

    It 'an unknown portal is PortalNotFound' {
        { Remove-Portal -Name 'no-such-portal' -Confirm:$false -ErrorAction Stop } | Should -Throw -ErrorId 'PortalNotFound*'
    }

    It 'Sync-Portal without a running node is TesseractNotRunning' {
        { Sync-Portal -ErrorAction Stop } | Should -Throw -ErrorId 'TesseractNotRunning*'
    }

    It 'errors do not stop the pipeline: each bad name is reported, the good ones are removed' {
        New-Portal -Path $folder -Name keepgoing -WarningAction SilentlyContinue | Out-Null
        $removed = 'missing-one', 'keepgoing' | ForEach-Object { [pscustomobject]@{ Name = $_ } } |
            Remove-Portal -Confirm:$false -ErrorVariable failures -ErrorAction SilentlyContinue
        $removed.Name | Should -Be 'keepgoing'
        $failures.Count | Should -Be 1
        $failures[0].FullyQualifiedErrorId | Should -BeLike 'PortalNotFound*'
    }
}
