# Packing, opening, verifying and inspecting containers from a shell.
BeforeAll {
    Import-Module $env:DREAMWELL_MODULE
    $env:DREAMWELL_HOME = Join-Path $TestDrive 'home'
    New-DreamIdentity -Name files -Force -Confirm:$false | Out-Null
    function New-Sample([string] $name, [int] $bytes = 200000) {
        $path = Join-Path $TestDrive $name
        $random = [System.Random]::new($bytes)
        $data = [byte[]]::new($bytes); $random.NextBytes($data)
        # half random, half text, so it compresses some
        $text = [System.Text.Encoding]::UTF8.GetBytes(('the quick brown fox ' * ($bytes / 40)))
        [System.IO.File]::WriteAllBytes($path, $data[0..($bytes / 2)] + $text)
        Get-Item $path
    }
}

Describe 'Compress-DreamFile and Open-DreamFile' {
    It 'round-trips <_> bit-exactly with verified receipts' -ForEach 'Dreamfile', 'QPort', 'Fractal' {
        $file = New-Sample "rt-$_.bin"
        $packed = Compress-DreamFile -LiteralPath $file.FullName -Format $_
        $packed.PSObject.TypeNames[0] | Should -Be 'Dreamwell.DreamReceipt'
        $packed.Integrity | Should -Be 'Verified'
        $packed.Verifications | Should -BeGreaterThan 0
        $packed.Signature | Should -Match '^[0-9a-f]{128}$'
        $out = Join-Path $TestDrive "rt-$_.out"
        $opened = Open-DreamFile -LiteralPath $packed.Path -Destination $out
        $opened.Integrity | Should -Be 'Verified'
        $restored = if ($_ -eq 'Fractal') { Join-Path $out $file.Name } else { $out }
        (Get-FileHash $restored).Hash | Should -Be (Get-FileHash $file.FullName).Hash
        $opened.OutputHash | Should -Be $packed.InputHash
        (Get-DreamReceipt -Last 1).ChainIndex | Should -Be $opened.ChainIndex
    }

    It 'takes files from the pipeline (Get-ChildItem | Compress-DreamFile)' {
        $folder = New-Item -ItemType Directory (Join-Path $TestDrive 'pipe')
        1..3 | ForEach-Object { Set-Content (Join-Path $folder "f$_.txt") "file $_" }
        $receipts = Get-ChildItem $folder -Filter *.txt | Compress-DreamFile -Format QPort
        $receipts.Count | Should -Be 3
        (Get-ChildItem $folder -Filter *.qport).Count | Should -Be 3
        (Get-ChildItem $folder -Filter *.qport | Test-DreamFile).IsValid | Should -Not -Contain $false
    }

    It 'packs a folder as a fractal by default and restores the tree' {
        $folder = New-Item -ItemType Directory (Join-Path $TestDrive 'tree')
        New-Item -ItemType Directory (Join-Path $folder 'sub/deeper') | Out-Null
        Set-Content (Join-Path $folder 'a.txt') 'alpha'
        Set-Content (Join-Path $folder 'sub/deeper/b.txt') 'beta'
        $receipt = Compress-DreamFile -LiteralPath $folder.FullName
        $receipt.Operation | Should -Be 'Pack.Fractal'
        Open-DreamFile -LiteralPath $receipt.Path -Destination (Join-Path $TestDrive 'tree-out') | Out-Null
        Get-Content (Join-Path $TestDrive 'tree-out/sub/deeper/b.txt') | Should -Be 'beta'
    }

    It '-WhatIf writes nothing and appends no receipt' {
        $file = New-Sample 'whatif.bin' 1000
        $before = (Get-SealChain).Count
        Compress-DreamFile -LiteralPath $file.FullName -Format QPort -WhatIf
        Test-Path "$($file.FullName).qport" | Should -BeFalse
        (Get-SealChain).Count | Should -Be $before
    }

    It 'refuses to overwrite without -Force and keeps the existing file' {
        $file = New-Sample 'exists.bin' 1000
        Compress-DreamFile -LiteralPath $file.FullName | Out-Null
        $out = Join-Path $TestDrive 'exists.out'
        Set-Content $out 'precious'
        { Open-DreamFile -LiteralPath "$($file.FullName).dreamfile" -Destination $out -ErrorAction Stop } |
            Should -Throw -ErrorId 'DestinationExists,Dreamwell.Cmdlets.OpenDreamFileCommand'
        Get-Content $out | Should -Be 'precious'
        Open-DreamFile -LiteralPath "$($file.FullName).dreamfile" -Destination $out -Force | Out-Null
        (Get-FileHash $out).Hash | Should -Be (Get-FileHash $file.FullName).Hash
    }

    It 'a folder with a single-file format is a clear error' {
        $folder = New-Item -ItemType Directory (Join-Path $TestDrive 'notfile')
        { Compress-DreamFile -LiteralPath $folder.FullName -Format QPort -ErrorAction Stop } |
            Should -Throw -ErrorId 'FolderNeedsFractal,Dreamwell.Cmdlets.CompressDreamFileCommand'
    }

    It 'a missing path is an ObjectNotFound error and the pipeline goes on' {
        $ok = New-Sample 'ok.bin' 1000
        $receipts = Compress-DreamFile -Path (Join-Path $TestDrive 'nope.bin'), $ok.FullName -ErrorVariable errs -ErrorAction SilentlyContinue
        @($receipts).Count | Should -Be 1
        $errs[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
    }
}

Describe 'Damaged and foreign input' {
    It 'Test-DreamFile reports a flipped byte with IsValid false and writes nothing' {
        $file = New-Sample 'flip.bin' 50000
        $receipt = Compress-DreamFile -LiteralPath $file.FullName -Format QPort
        $bytes = [System.IO.File]::ReadAllBytes($receipt.Path)
        $bytes[$bytes.Length - 100] = $bytes[$bytes.Length - 100] -bxor 0x10
        [System.IO.File]::WriteAllBytes($receipt.Path, $bytes)
        $verdict = Test-DreamFile -LiteralPath $receipt.Path
        $verdict.IsValid | Should -BeFalse
        $verdict.Format | Should -Be 'QPort'
        $verdict.FirstFailure | Should -Not -BeNullOrEmpty
        $out = Join-Path $TestDrive 'flip.out'
        { Open-DreamFile -LiteralPath $receipt.Path -Destination $out -ErrorAction Stop } | Should -Throw
        Test-Path $out | Should -BeFalse
        (Get-ChildItem $TestDrive -Filter '*.tmp' -Force) | Should -BeNullOrEmpty
    }

    It 'a file that is not a container gets UnknownFormat' {
        $junk = Join-Path $TestDrive 'junk.qport'
        Set-Content $junk 'this is not a container'
        { Open-DreamFile -LiteralPath $junk -Destination (Join-Path $TestDrive 'junk.out') -ErrorAction Stop } |
            Should -Throw -ErrorId 'UnknownFormat,Dreamwell.Cmdlets.OpenDreamFileCommand'
        (Test-DreamFile -LiteralPath $junk).IsValid | Should -BeFalse
    }
}

Describe 'New-DreamDelta' {
    It 'rebuilds the target from base + delta, and refuses the wrong base' {
        $base = New-Sample 'base.bin' 300000
        $target = Join-Path $TestDrive 'target.bin'
        $bytes = [System.IO.File]::ReadAllBytes($base.FullName)
        [System.IO.File]::WriteAllBytes($target, $bytes[0..149999] + [byte[]](1..64) + $bytes[150000..($bytes.Length - 1)])
        $delta = New-DreamDelta -Base $base.FullName -Target $target
        $delta.BytesOut | Should -BeLessThan 20000
        $out = Join-Path $TestDrive 'rebuilt.bin'
        Open-DreamFile -LiteralPath $delta.Path -Base $base.FullName -Destination $out | Out-Null
        (Get-FileHash $out).Hash | Should -Be (Get-FileHash $target).Hash
        $other = New-Sample 'other.bin' 1000
        { Open-DreamFile -LiteralPath $delta.Path -Base $other.FullName -Destination (Join-Path $TestDrive 'x.bin') -ErrorAction Stop } |
            Should -Throw -ErrorId 'BaseMismatch,Dreamwell.Cmdlets.OpenDreamFileCommand'
        { Open-DreamFile -LiteralPath $delta.Path -Destination (Join-Path $TestDrive 'y.bin') -ErrorAction Stop } |
            Should -Throw -ErrorId 'BaseRequired,Dreamwell.Cmdlets.OpenDreamFileCommand'
    }
}

Describe 'Get-DreamFileInfo' {
    It 'reads the header of every format' {
        $file = New-Sample 'info.bin' 10000
        foreach ($format in 'Dreamfile', 'QPort', 'Fractal') {
            $receipt = Compress-DreamFile -LiteralPath $file.FullName -Format $format -Force
            $info = Get-DreamFileInfo -LiteralPath $receipt.Path
            $info.Format | Should -Be $format
            $info.ContentBytes | Should -Be $file.Length
        }
    }
}
