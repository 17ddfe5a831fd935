# The quickstart must keep working: it is the first thing a new user runs.
BeforeAll { Import-Module $env:DREAMWELL_MODULE }

Describe 'examples/quickstart.ps1' {
    It 'runs end to end in a throw-away home and proves its round trips' {
        $before = $env:DREAMWELL_HOME
        $summary = & (Join-Path $PSScriptRoot 'quickstart.ps1') 6>$null | Select-Object -Last 1
        $summary.ChainValid | Should -BeTrue
        $summary.RestoredMatches | Should -BeTrue
        $summary.Receipts | Should -BeGreaterOrEqual 6
        $summary.HealthStatus | Should -Not -BeNullOrEmpty
        $summary.LoomSteps | Should -Be 200
        $env:DREAMWELL_HOME | Should -Be $before
    }
}
