# Project scaffolds (New-DreamProject, Test-DreamProject, dream up) as a user meets them in a shell.
BeforeAll {
    Import-Module $env:DREAMWELL_MODULE
    $script:dream = $env:DREAM_EXE
    $script:schema = Join-Path $PSScriptRoot '../../docs/tapestry.schema.json'
    function New-TestHome { $env:DREAMWELL_HOME = Join-Path $TestDrive ([guid]::NewGuid().ToString('N')); $env:DREAMWELL_HOME }
    function New-Parent { (New-Item -ItemType Directory (Join-Path $TestDrive ([guid]::NewGuid().ToString('N')))).FullName }
    # Anything that would make a browser reach out: a scheme or protocol-relative URL, src/href, CSS url() or @import.
    $script:external = '(?i)([a-z][a-z0-9+.-]*:)?//|\bsrc\s*=|\bhref\s*=|url\s*\(|@import|<script|<link|<img|<iframe'
}

Describe 'New-DreamProject' {
    BeforeEach {
        New-TestHome | Out-Null
        $script:owner = (New-DreamIdentity -Name ada).QuantumId
        $script:parent = New-Parent
    }

    It 'creates signal/index.html, tapestry.json and state/ and returns a DreamProject' {
        $project = New-DreamProject hello -Path $parent
        $project.PSObject.TypeNames[0] | Should -Be 'Dreamwell.Projects.DreamProject'
        $project.Path | Should -Be (Join-Path $parent 'hello')
        $project.QuantumId | Should -Be $owner
        $project.Files | Should -Be @('state/', 'signal/index.html', 'tapestry.json')
        Test-Path (Join-Path $project.Path 'state') -PathType Container | Should -BeTrue
        (Get-ChildItem $project.SignalPath).Name | Should -Be 'index.html'
    }

    It 'writes a page that names the project and loads nothing' {
        $project = New-DreamProject hello -Path $parent
        $page = Get-Content (Join-Path $project.SignalPath 'index.html') -Raw
        $page | Should -Match '<h1>hello</h1>'
        $page | Should -Match "default-src 'none'"
        $page | Should -Not -Match $external
    }

    It 'writes a tapestry.json that validates against docs/tapestry.schema.json (<_>)' -ForEach 'Blank', 'HelloUniverse' {
        $project = if ($_ -eq 'Blank') { New-DreamProject hello -Path $parent } else { New-DreamProject -HelloUniverse -Path $parent }
        Get-Content (Join-Path $project.Path 'tapestry.json') -Raw | Test-Json -SchemaFile $schema | Should -BeTrue
        (Test-DreamProject $project.Path).IsValid | Should -BeTrue
    }

    It '-HelloUniverse shows the owner and the files, all static' {
        $project = New-DreamProject -HelloUniverse -Path $parent
        $project.Name | Should -Be 'hello-universe'
        $page = Get-Content (Join-Path $project.SignalPath 'index.html') -Raw
        $page | Should -Match $owner
        $page | Should -Match 'signal/universe.json'
        $page | Should -Not -Match $external
        (Get-Content (Join-Path $project.Path 'tapestry.json') -Raw | ConvertFrom-Json).entries.kind | Should -Be @('page', 'text', 'data')
    }

    It '-WhatIf writes nothing' {
        New-DreamProject hello -Path $parent -WhatIf
        Get-ChildItem $parent | Should -BeNullOrEmpty
    }

    It 'refuses a folder with files (ProjectExists) and -Force keeps them' {
        $folder = New-Item -ItemType Directory (Join-Path $parent 'hello')
        Set-Content (Join-Path $folder 'mine.txt') 'mine'
        { New-DreamProject hello -Path $parent -ErrorAction Stop } | Should -Throw -ErrorId 'ProjectExists,Dreamwell.Cmdlets.NewDreamProjectCommand'
        (Get-ChildItem $folder).Name | Should -Be 'mine.txt'

        $project = New-DreamProject hello -Path $parent -Force
        $project.Files | Should -Contain 'tapestry.json'
        Get-Content (Join-Path $folder 'mine.txt') | Should -Be 'mine'

        Set-Content (Join-Path $folder 'signal/index.html') '<p>edited</p>'
        $again = New-DreamProject hello -Path $parent -Force
        $again.Files | Should -BeNullOrEmpty
        $again.Kept | Should -Be @('state/', 'signal/index.html', 'tapestry.json')
        Get-Content (Join-Path $folder 'signal/index.html') | Should -Be '<p>edited</p>'
    }

    It 'refuses a bad name with InvalidProjectName' -ForEach '../escape', 'a/b', '-x', '' {
        { New-DreamProject -Name $_ -Path $parent -ErrorAction Stop } | Should -Throw
        Get-ChildItem $parent | Should -BeNullOrEmpty
    }

    It 'names the rule when the name is wrong' {
        { New-DreamProject '../escape' -Path $parent -ErrorAction Stop } | Should -Throw -ErrorId 'InvalidProjectName,Dreamwell.Cmdlets.NewDreamProjectCommand'
    }
}

Describe 'Test-DreamProject' {
    BeforeEach { New-TestHome | Out-Null; New-DreamIdentity -Name ada | Out-Null; $script:parent = New-Parent }

    It 'lists edits as Changed and keeps the project valid' {
        $project = New-DreamProject -HelloUniverse -Path $parent
        Add-Content (Join-Path $project.SignalPath 'hello.txt') 'an edit'
        $verdict = $project | Test-DreamProject
        $verdict.IsValid | Should -BeTrue
        $verdict.Changed | Should -Be 'signal/hello.txt'
    }

    It 'reports a broken tapestry with where the problem is' {
        $project = New-DreamProject hello -Path $parent
        $file = Join-Path $project.Path 'tapestry.json'
        (Get-Content $file -Raw) -replace '"path": "signal"', '"path": "../outside"' | Set-Content $file
        $verdict = Test-DreamProject $project.Path
        $verdict.IsValid | Should -BeFalse
        $verdict.Problems | Should -Match ([regex]::Escape("tapestry.json `$.signal.path: '../outside' is not a relative path inside the project"))
        Get-Content $file -Raw | Test-Json -SchemaFile $schema -ErrorAction SilentlyContinue | Should -BeFalse
    }

    It 'says ProjectNotFound for a folder that is not a project' {
        { Test-DreamProject $parent -ErrorAction Stop } | Should -Throw -ErrorId 'ProjectNotFound,Dreamwell.Cmdlets.TestDreamProjectCommand'
    }
}

Describe 'dream up' -Skip:(-not $env:DREAM_EXE) {
    BeforeEach { New-TestHome | Out-Null; $script:parent = New-Parent }

    It 'dream up init --name hello makes the project' {
        & $dream up init --name hello --path $parent | Out-Null
        $LASTEXITCODE | Should -Be 0
        Test-Path (Join-Path $parent 'hello/signal/index.html') | Should -BeTrue
    }

    It 'dream up --hello-universe makes the demo, and dream up check passes it' {
        & $dream up --hello-universe --path $parent | Out-Null
        $LASTEXITCODE | Should -Be 0
        & $dream up check (Join-Path $parent 'hello-universe') | Out-Null
        $LASTEXITCODE | Should -Be 0
    }

    It 'dream up init twice fails with exit code 1 and says -Force' {
        & $dream up init --name hello --path $parent | Out-Null
        $out = & $dream up init --name hello --path $parent 2>&1 | Out-String
        $LASTEXITCODE | Should -Be 1
        $out | Should -Match '-Force'
    }

    It 'dream up with an unknown option exits 2 with the usage' {
        $out = & $dream up --colour blue 2>&1 | Out-String
        $LASTEXITCODE | Should -Be 2
        $out | Should -Match 'dream up init --name N'
    }
}
