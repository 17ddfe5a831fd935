# The `dream` host as an external program: seed verbs, pwsh switches and exit codes.
BeforeAll {
    $script:dream = $env:DREAM_EXE
    function New-TestHome { $env:DREAMWELL_HOME = Join-Path $TestDrive ([guid]::NewGuid().ToString('N')); $env:DREAMWELL_HOME }
}

Describe 'dream' -Skip:(-not $env:DREAM_EXE) {
    BeforeEach { New-TestHome | Out-Null }

    It 'runs a command with the module loaded and passes its exit code' {
        & $dream -NoProfile -c 'if (Get-Command Compress-DreamFile) { exit 7 }'
        $LASTEXITCODE | Should -Be 7
    }

    It 'runs a script file with -File' {
        $script = Join-Path $TestDrive 'hello.ps1'
        Set-Content $script '(Get-Command -Module Dreamwell).Count'
        $count = & $dream -NoProfile -File $script
        $LASTEXITCODE | Should -Be 0
        [int]$count | Should -BeGreaterThan 10
    }

    It 'init then whoami' {
        $out = & $dream init --name seedling 2>&1 | Out-String
        $LASTEXITCODE | Should -Be 0
        $out | Should -Match 'seedling'
        $who = & $dream whoami | Out-String
        $who | Should -Match 'QuantumId'
    }

    It 'init twice fails with exit code 1 and a clear message' {
        & $dream init --name one | Out-Null
        $out = & $dream init --name two 2>&1 | Out-String
        $LASTEXITCODE | Should -Be 1
        $out | Should -Match '-Force'
    }

    It 'health exits 1 when a check fails' {
        & $dream health | Out-Null
        $LASTEXITCODE | Should -Be 1
        & $dream init | Out-Null
        & $dream health | Out-Null
        $LASTEXITCODE | Should -Be 0
    }

    It 'stats identity and chain verify' {
        & $dream init | Out-Null
        (& $dream stats identity | Out-String) | Should -Match 'ChainValid'
        & $dream chain verify | Out-Null
        $LASTEXITCODE | Should -Be 0
    }

    It 'rejects a verb used wrongly with exit code 2' {
        & $dream pack 2>&1 | Out-Null
        $LASTEXITCODE | Should -Be 2
    }
}

Describe 'dream file verbs' -Skip:(-not $env:DREAM_EXE) {
    BeforeAll {
        $env:DREAMWELL_HOME = Join-Path $TestDrive 'verbs-home'
        & $env:DREAM_EXE init --name verbs | Out-Null
        $script:sample = Join-Path $TestDrive 'sample.txt'
        Set-Content $sample (1..500 | ForEach-Object { "line $_" })
    }

    It 'pack, verify and open round-trip through exit codes' {
        & $env:DREAM_EXE pack $sample --format qport | Out-Null
        $LASTEXITCODE | Should -Be 0
        & $env:DREAM_EXE verify "$sample.qport" | Out-Null
        $LASTEXITCODE | Should -Be 0
        $out = Join-Path $TestDrive 'restored.txt'
        & $env:DREAM_EXE open "$sample.qport" --out $out | Out-Null
        $LASTEXITCODE | Should -Be 0
        (Get-FileHash $out).Hash | Should -Be (Get-FileHash $sample).Hash
    }

    It 'fractal packs a folder' {
        $folder = New-Item -ItemType Directory (Join-Path $TestDrive 'dir')
        Copy-Item $sample $folder
        & $env:DREAM_EXE fractal $folder.FullName | Out-Null
        $LASTEXITCODE | Should -Be 0
        Test-Path "$($folder.FullName).fractal" | Should -BeTrue
    }

    It 'verify exits 1 on a damaged file' {
        $bad = Join-Path $TestDrive 'bad.qport'
        Copy-Item "$sample.qport" $bad -ErrorAction SilentlyContinue
        if (-not (Test-Path $bad)) { & $env:DREAM_EXE pack $sample --format qport --out $bad | Out-Null }
        $bytes = [System.IO.File]::ReadAllBytes($bad); $bytes[-20] = $bytes[-20] -bxor 1
        [System.IO.File]::WriteAllBytes($bad, $bytes)
        & $env:DREAM_EXE verify $bad | Out-Null
        $LASTEXITCODE | Should -Be 1
    }

    It 'stats local counts the receipts' {
        (& $env:DREAM_EXE stats local | Out-String) | Should -Match 'Receipts'
    }
}

Describe 'dream loom' -Skip:(-not $env:DREAM_EXE) {
    It 'trains on the shipped docs by default and generates from the checkpoint' {
        $env:DREAMWELL_HOME = Join-Path $TestDrive 'loom-home'
        $model = Join-Path $TestDrive 'docs.quantumtensor'
        & $env:DREAM_EXE loom train --checkpoint $model --dim 16 --blocks 1 --heads 1 --context 16 --steps 5 | Out-Null
        $LASTEXITCODE | Should -Be 0
        Test-Path $model | Should -BeTrue
        $text = & $env:DREAM_EXE loom generate 'The ' --checkpoint $model --max-tokens 20 --seed 1 | Out-String
        $LASTEXITCODE | Should -Be 0
        $text.Trim().Length | Should -BeGreaterThan 0
    }

    It 'rejects an unknown loom verb with exit code 2' {
        & $env:DREAM_EXE loom bogus 2>&1 | Out-Null
        $LASTEXITCODE | Should -Be 2
    }
}
