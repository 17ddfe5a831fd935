# The local content store from a shell: publish, get by address, pipeline use and stable error ids.
BeforeAll {
    Import-Module $env:DREAMWELL_MODULE
    $env:DREAMWELL_HOME = Join-Path $TestDrive 'home'
    New-DreamIdentity -Name content -Force -Confirm:$false | Out-Null
    function New-Sample([string] $name, [int] $bytes) {
        $path = Join-Path $TestDrive $name
        $data = [byte[]]::new($bytes); [System.Random]::new($bytes).NextBytes($data)
        [System.IO.File]::WriteAllBytes($path, $data)
        Get-Item $path
    }
}

Describe 'Publish-DreamContent and Get-DreamContent' {
    It 'round-trips <_> bytes through an address with verified receipts' -ForEach 0, 1, 300000 {
        $file = New-Sample "rt-$_.bin" $_
        $published = Publish-DreamContent -Path $file.FullName -Name "rt/$_.bin"
        $published.PSObject.TypeNames[0] | Should -Be 'Dreamwell.Cmdlets.PublishedContent'
        $published.Address | Should -BeExactly "qttps:φ//$((Get-DreamIdentity).QuantumId)/rt/$_.bin"
        $published.Receipt.Operation | Should -Be 'Content.Publish'
        $out = Join-Path $TestDrive "rt-$_.out"
        $receipt = Get-DreamContent $published.Address -Destination $out
        $receipt.Integrity | Should -Be 'Verified'
        $receipt.OutputHash | Should -Be $published.ContentHash
        (Get-FileHash $out).Hash | Should -Be (Get-FileHash $file.FullName).Hash
    }

    It 'accepts the ASCII spelling qttps://' {
        $file = New-Sample 'ascii.bin' 1000
        $published = Publish-DreamContent $file.FullName -Name ascii.bin
        $ascii = $published.Address -replace '^qttps:φ//', 'qttps://'
        Get-DreamContent $ascii -Destination (Join-Path $TestDrive 'ascii.out') | Should -Not -BeNullOrEmpty
    }

    It 'stores identical content once' {
        $file = New-Sample 'dup.bin' 200000
        $first = Publish-DreamContent $file.FullName -Name dup/one.bin
        $second = Publish-DreamContent $file.FullName -Name dup/two.bin
        $first.NewChunks | Should -BeGreaterThan 0
        $second.NewChunks | Should -Be 0
        (Get-DreamContentIndex 'dup/*').Name | Should -Be 'dup/one.bin', 'dup/two.bin'
    }

    It 'works in a pipeline: Get-ChildItem | Publish | Get' {
        $folder = New-Item -ItemType Directory (Join-Path $TestDrive 'pipe')
        $restored = New-Item -ItemType Directory (Join-Path $TestDrive 'pipe-out')
        1..3 | ForEach-Object { Set-Content (Join-Path $folder "f$_.txt") "file $_" }
        Push-Location $restored
        try { $receipts = Get-ChildItem $folder -Filter *.txt | Publish-DreamContent | Get-DreamContent }
        finally { Pop-Location }
        $receipts.Count | Should -Be 3
        Get-Content (Join-Path $restored 'f2.txt') | Should -Be 'file 2'
    }

    It 'writes nothing with -WhatIf' {
        $file = New-Sample 'whatif.bin' 10
        Publish-DreamContent $file.FullName -Name never.bin -WhatIf
        Get-DreamContentIndex never.bin | Should -BeNullOrEmpty
    }

    It 'refuses <Script> with error id <Id>' -ForEach @(
        @{ Script = { Get-DreamContent 'https://example/x' -ErrorAction Stop }; Id = 'BadAddress' }
        @{ Script = { Get-DreamContent 'qttps://0123456789abcdef/x' -ErrorAction Stop }; Id = 'TesseractNotRunning' }
        @{ Script = { Get-DreamContent "qttps://$((Get-DreamIdentity).QuantumId)/nothing-here" -ErrorAction Stop }; Id = 'ContentNotFound' }
        @{ Script = { Publish-DreamContent (New-Sample 'bad.bin' 5).FullName -Name '../escape' -ErrorAction Stop }; Id = 'BadContentName' }
    ) {
        { & $Script } | Should -Throw -ErrorId "$Id,*"
    }

    It 'detects a corrupted chunk and writes nothing' {
        $file = New-Sample 'corrupt.bin' 2000
        $published = Publish-DreamContent $file.FullName -Name corrupt.bin
        # Under FastCDC's 2 KiB minimum the item is one chunk, stored under the content hash itself.
        $hash = $published.ContentHash
        $path = Join-Path $env:DREAMWELL_HOME "content/chunks/$($hash.Substring(0,2))/$($hash.Substring(2,2))/$hash"
        $published.ChunkCount | Should -Be 1
        $bytes = [System.IO.File]::ReadAllBytes($path); $bytes[100] = $bytes[100] -bxor 1
        [System.IO.File]::WriteAllBytes($path, $bytes)
        $out = Join-Path $TestDrive 'corrupt.out'
        { Get-DreamContent $published.Address -Destination $out -ErrorAction Stop } | Should -Throw -ErrorId 'ChunkCorrupt,*'
        Test-Path $out | Should -BeFalse
    }
}
