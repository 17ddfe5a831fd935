# The module as a package: manifest, exports, help and a format view for every output type.
BeforeAll {
    Import-Module $env:DREAMWELL_MODULE
    $script:manifest = Import-PowerShellDataFile $env:DREAMWELL_MODULE
    $script:commands = Get-Command -Module Dreamwell -CommandType Cmdlet
}

Describe 'Dreamwell module' {
    It 'exports exactly the cmdlets the manifest lists' {
        ($commands.Name | Sort-Object) | Should -Be ($manifest.CmdletsToExport | Sort-Object)
    }

    It 'has help with a synopsis and an example for <_>' -ForEach @((Import-PowerShellDataFile $env:DREAMWELL_MODULE).CmdletsToExport) {
        $help = Get-Help $_ -Full
        $help.Synopsis | Should -Not -BeNullOrEmpty
        $help.Synopsis | Should -Not -Match '^\s*\S+ \[' # not the auto-generated syntax line
        @($help.Examples.Example).Count | Should -BeGreaterThan 0
    }

    It 'ships the help generated from docs/help (rerun build/New-ModuleHelp.ps1 after changing a cmdlet)' {
        $fresh = Join-Path $TestDrive 'help.xml'
        & (Join-Path $PSScriptRoot '../../build/New-ModuleHelp.ps1') -ModulePath $env:DREAMWELL_MODULE -OutFile $fresh 6>$null
        $committed = Join-Path $PSScriptRoot '../../src/Cmdlets/en-US/Dreamwell.Cmdlets.dll-Help.xml'
        (Get-Content $fresh -Raw) | Should -BeExactly (Get-Content $committed -Raw)
    }

    It 'has a format view for every output type' {
        $types = $commands | ForEach-Object { $_.OutputType.Type } | Where-Object { $_ -and $_.Namespace -like 'Dreamwell*' } | Sort-Object FullName -Unique
        $types | Should -Not -BeNullOrEmpty
        foreach ($type in $types) {
            # Formatting also matches base types (a DreamJob uses PowerShell's job view), so walk the hierarchy.
            $view = $null
            for ($t = $type; $t -and -not $view; $t = $t.BaseType) { $view = Get-FormatData -TypeName $t.FullName }
            $view | Should -Not -BeNullOrEmpty -Because "$($type.FullName) needs a view in Formats.ps1xml"
        }
    }
}
