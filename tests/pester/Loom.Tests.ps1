# Training, sampling, inspecting and jobs of the Loom character model, as a user meets them in a shell.
BeforeAll {
    Import-Module $env:DREAMWELL_MODULE
    $script:corpus = Join-Path $TestDrive 'corpus.txt'
    # Text written for this test, repetitive so a tiny model learns it in seconds.
    Set-Content -LiteralPath $corpus -Value ((0..59 | ForEach-Object { "the loom weaves line $($_ % 7); the dream keeps the thread." }) -join "`n")
    $script:tiny = @{ Dim = 24; Blocks = 2; Heads = 2; Context = 16; BatchSize = 8; LearningRate = 0.01; WarmupSteps = 5; EvalInterval = 10 }
    $script:model = Join-Path $TestDrive 'm.quantumtensor'
    Invoke-LoomTrain -Corpus $corpus -Checkpoint $model -MaxSteps 40 @tiny | Out-Null
}

Describe 'Invoke-LoomTrain' {
    It 'returns a LoomTrainingResult and writes a checkpoint' {
        $path = Join-Path $TestDrive 'r.quantumtensor'
        $result = Invoke-LoomTrain -Corpus $corpus -Checkpoint $path -MaxSteps 20 @tiny
        $result.PSObject.TypeNames[0] | Should -Be 'Dreamwell.Loom.LoomTrainingResult'
        $result.Step | Should -Be 20
        $result.Stopped | Should -BeFalse
        $result.ValidationLoss | Should -BeLessThan 3.5
        Test-Path $path | Should -BeTrue
    }

    It 'refuses to overwrite without -Force and resumes with -Resume' {
        { Invoke-LoomTrain -Corpus $corpus -Checkpoint $model -MaxSteps 5 @tiny } | Should -Throw -ErrorId 'LoomCheckpointExists*'
        $resumed = Invoke-LoomTrain -Corpus $corpus -Checkpoint $model -MaxSteps 45 -Resume @tiny
        $resumed.Step | Should -Be 45
    }

    It 'rejects heads that do not divide dim' {
        { Invoke-LoomTrain -Corpus $corpus -Checkpoint (Join-Path $TestDrive 'h.quantumtensor') -Dim 86 -Heads 3 -MaxSteps 1 } |
            Should -Throw -ErrorId 'LoomHeadsMustDivideDim*'
    }

    It 'runs as a job that Stop-Job stops after saving' {
        $path = Join-Path $TestDrive 'job.quantumtensor'
        $job = Invoke-LoomTrain -Corpus $corpus -Checkpoint $path -MaxSteps 1000000 -SaveEvery 0 -AsJob @tiny
        $job.PSJobTypeName | Should -Be 'LoomTrainJob'
        (Get-Job -Id $job.Id).State | Should -Be 'Running'
        Start-Sleep -Seconds 2
        Stop-Job -Job $job
        $job.State | Should -Be 'Stopped'
        $result = $job | Wait-Job | Receive-Job
        $result.Stopped | Should -BeTrue
        (Get-LoomCheckpoint $path).Step | Should -Be $result.Step
        Remove-Job -Job $job
    }
}

Describe 'Invoke-LoomGenerate' {
    It 'is reproducible with a seed and streams one character at a time' {
        $a = Invoke-LoomGenerate -Checkpoint $model -Prompt 'the ' -MaxTokens 30 -Seed 5
        $b = Invoke-LoomGenerate -Checkpoint $model -Prompt 'the ' -MaxTokens 30 -Seed 5
        $a | Should -Be $b
        $a.Length | Should -Be 34
        $pieces = @(Invoke-LoomGenerate -Checkpoint $model -Prompt 'the ' -MaxTokens 30 -Seed 5 -Stream)
        $pieces.Count | Should -Be 30
        'the ' + (-join $pieces) | Should -Be $a
    }

    It 'lists characters the model never saw' {
        { Invoke-LoomGenerate -Checkpoint $model -Prompt 'Zebra' -ErrorAction Stop } | Should -Throw -ErrorId 'LoomUnknownCharacters*'
        (Invoke-LoomGenerate -Checkpoint $model -Prompt 'Zebra' -MaxTokens 3 -SkipUnknown).Length | Should -Be 8  # the prompt as typed + 3
    }
}

Describe 'Get-LoomCheckpoint, Measure-LoomModel, Export-LoomLossPlot' {
    It 'describes the checkpoint' {
        $info = Get-LoomCheckpoint $model
        $info.Config.Dim | Should -Be 24
        $info.ParameterCount | Should -BeGreaterThan 0
        $info.LossHistory.Count | Should -Be $info.Step
        $info.Blake3 | Should -Match '^[0-9a-f]{64}$'
    }

    It 'detects a damaged checkpoint' {
        $bad = Join-Path $TestDrive 'bad.quantumtensor'
        $bytes = [System.IO.File]::ReadAllBytes($model); $bytes[100] = $bytes[100] -bxor 1
        [System.IO.File]::WriteAllBytes($bad, $bytes)
        { Get-LoomCheckpoint $bad -ErrorAction Stop } | Should -Throw -ErrorId 'LoomCheckpointCorrupt*'
    }

    It 'measures bits per character' {
        $m = Measure-LoomModel -Checkpoint $model -Corpus $corpus
        $m.BitsPerCharacter | Should -BeGreaterThan 0
        $m.BitsPerCharacter | Should -BeLessThan 5
    }

    It 'draws a PNG, and -WhatIf writes nothing' {
        $png = Join-Path $TestDrive 'loss.png'
        Export-LoomLossPlot -Checkpoint $model -Path $png -WhatIf
        Test-Path $png | Should -BeFalse
        $file = Export-LoomLossPlot -Checkpoint $model -Path $png
        [System.IO.File]::ReadAllBytes($file.FullName)[1..3] | Should -Be @(80, 78, 71)
    }
}
