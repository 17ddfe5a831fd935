# Density matrices and the tesseract health model, as a user drives them from a prompt.
BeforeAll {
    Import-Module $env:DREAMWELL_MODULE
    $script:temp = Join-Path ([IO.Path]::GetTempPath()) ("dreamwell-quantum-" + [guid]::NewGuid().ToString('N'))
    New-Item -ItemType Directory -Path $temp | Out-Null
    # Hashtables, as a runbook would write them; the cmdlet converts them to ServiceObservation.
    $script:healthy = foreach ($s in 'Universe', 'FQTP', 'LQTP', 'QCloud', 'Peers') {
        @{ Service = $s; LatencyMs = 11; PeerCount = 8 }
    }
}

AfterAll {
    Remove-Item -LiteralPath $temp -Recurse -Force -ErrorAction SilentlyContinue
}

Describe 'New-DensityMatrix and Measure-DensityMatrix' {
    It 'measures the balanced 5-service state: entropy ln 5, purity 1/5' {
        $m = New-DensityMatrix -Populations 0.2, 0.2, 0.2, 0.2, 0.2 | Measure-DensityMatrix
        $m.Entropy | Should -BeGreaterThan ([math]::Log(5) - 1e-12)
        $m.Entropy | Should -BeLessThan ([math]::Log(5) + 1e-12)
        $m.Purity | Should -BeGreaterThan (0.2 - 1e-12)
        $m.Eigenvalues.Count | Should -Be 5
    }

    It 'builds a pure state from a state vector with complex entries' {
        $rho = New-DensityMatrix -StateVector 1, '1i'
        $rho.Dimension | Should -Be 2
        ($rho | Measure-DensityMatrix).Purity | Should -BeGreaterThan (1 - 1e-12)
    }

    It 'gives energy and free energy for a Hamiltonian and temperature' {
        $m = New-DensityMatrix -Matrix @(0.5, 0), @(0, 0.5) | Measure-DensityMatrix -Hamiltonian 0, 2 -Temperature 0.5
        $m.Energy | Should -Be 1
        [math]::Abs($m.FreeEnergy - (1 - 0.5 * [math]::Log(2))) | Should -BeLessThan 1e-12
    }

    It 'prints rho as an aligned matrix' {
        $lines = (New-DensityMatrix -Populations 0.75, 0.25).ToString() -split "`n"
        $lines.Count | Should -Be 2
        $lines[0].Length | Should -Be $lines[1].Length
        $lines[0] | Should -Match '^\[ 0\.7500 0\.0000 \]$'
    }

    It 'refuses <Case> with error id <Id>' -ForEach @(
        @{ Case = 'a non-Hermitian matrix'; Id = 'NotHermitian'; Arguments = @{ Matrix = @(@(0.5, 0.1), @(0.2, 0.5)) } }
        @{ Case = 'populations that do not sum to 1'; Id = 'TraceNotOne'; Arguments = @{ Populations = @(0.5, 0.6) } }
        @{ Case = 'a matrix with a negative eigenvalue'; Id = 'NotPositiveSemidefinite'; Arguments = @{ Matrix = @(@(0.5, 0.8), @(0.8, 0.5)) } }
    ) {
        $err = $null
        New-DensityMatrix @Arguments -ErrorVariable err -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $err[0].FullyQualifiedErrorId | Should -BeLike "$Id,*"
    }
}

Describe 'Invoke-DensityEvolution' {
    It 'streams steps whose coherence decays as exp(-gamma t) under dephasing' {
        $steps = New-DensityMatrix -StateVector 1, 1 | Invoke-DensityEvolution -TimeStep 0.5 -Steps 4 -Dephasing 1
        $steps.Count | Should -Be 5
        $last = $steps[-1]
        $last.Time | Should -Be 2
        [math]::Abs($last.State.ToArray()[0, 1].Real - 0.5 * [math]::Exp(-2)) | Should -BeLessThan 1e-8
    }

    It 'pipes its steps into Measure-DensityMatrix by property name' {
        $entropy = New-DensityMatrix -StateVector 1, 1 | Invoke-DensityEvolution -TimeStep 1 -Steps 3 -Dephasing 1 |
            Measure-DensityMatrix | ForEach-Object Entropy
        $entropy.Count | Should -Be 4
        $entropy[3] | Should -BeGreaterThan $entropy[0]
    }
}

Describe 'Get-DreamHealthModel' {
    It 'makes the engine types usable as type literals once a cmdlet has run' {
        $null = Get-DreamHealthModel -Observation $healthy
        $o = [Dreamwell.Quantum.ServiceObservation]@{ Service = 'Peers'; PeerCount = 3 }
        $o.Service | Should -Be 'Peers'
    }

    It 'reports a balanced, responsive node as healthy' {
        $report = Get-DreamHealthModel -Observation $healthy
        $report.Status | Should -Be 'Healthy'
        $report.Alerts.Count | Should -Be 0
    }

    It 'raises ServiceDown for a service that is down' {
        $obs = @($healthy | Where-Object { $_.Service -ne 'QCloud' }) + @{ Service = 'QCloud'; Up = $false }
        $report = $obs | Get-DreamHealthModel
        $report.Status | Should -Be 'Critical'
        $report.Alerts.Code | Should -Contain 'ServiceDown'
    }

    It 'raises CoherenceLoss when one service fails its requests' {
        $obs = @($healthy | Where-Object { $_.Service -ne 'FQTP' }) + @{ Service = 'FQTP'; LatencyMs = 11; ErrorRate = 0.7 }
        (Get-DreamHealthModel -Observation $obs).Alerts.Code | Should -Contain 'CoherenceLoss'
    }

    It 'brackets the exact free energy with -Quick' {
        $exact = Get-DreamHealthModel -Observation $healthy -DecaySeconds 30
        $quick = Get-DreamHealthModel -Observation $healthy -DecaySeconds 30 -Quick
        $exact.FreeEnergy | Should -BeGreaterOrEqual ($quick.FreeEnergyLower - 1e-12)
        $exact.FreeEnergy | Should -BeLessOrEqual ($quick.FreeEnergyUpper + 1e-12)
    }

    It 'refuses an invalid observation with InvalidObservation' {
        $err = $null
        Get-DreamHealthModel -Observation @{ Service = 'FQTP'; ErrorRate = 2 } -ErrorVariable err -ErrorAction SilentlyContinue
        $err[0].FullyQualifiedErrorId | Should -BeLike 'InvalidObservation,*'
    }
}

Describe 'Export-DensityMatrixPlot' {
    It 'writes a PNG heat map, honours -WhatIf, and refuses to overwrite without -Force' {
        $path = Join-Path $temp 'rho.png'
        $rho = (Get-DreamHealthModel -Observation $healthy).State
        $rho | Export-DensityMatrixPlot -Path $path -WhatIf
        Test-Path $path | Should -BeFalse

        $file = $rho | Export-DensityMatrixPlot -Path $path
        $file.FullName | Should -Be $path
        [IO.File]::ReadAllBytes($path)[1..3] | Should -Be ([byte[]][char[]]'PNG')

        $err = $null
        $rho | Export-DensityMatrixPlot -Path $path -ErrorVariable err -ErrorAction SilentlyContinue
        $err[0].FullyQualifiedErrorId | Should -BeLike 'DestinationExists,*'
        $rho | Export-DensityMatrixPlot -Path $path -Force -Part Real | Should -Not -BeNullOrEmpty
    }
}
