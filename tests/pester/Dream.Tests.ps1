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
