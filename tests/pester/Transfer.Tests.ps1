# Send-DreamFile and Get-DreamContent from a peer, as a user meets them: two nodes in one session, each with its own home.
BeforeAll {
    . $PSScriptRoot/TestNodes.ps1
    function Get-Blake3([string] $path) { [Dreamwell.Blake3Hash]::ToHex([Dreamwell.Blake3Hash]::ComputeFile($path)) }
    function New-RandomFile([string] $path, [int] $bytes) {
        $data = [byte[]]::new($bytes); [Random]::new($bytes).NextBytes($data); [IO.File]::WriteAllBytes($path, $data); $path
    }
}

AfterAll { Reset-TestNodes }

Describe 'Send-DreamFile and remote Get-DreamContent' {
    BeforeAll {
        $script:alice = Start-TestNode alice
        $script:aliceHome = $env:DREAMWELL_HOME
        $script:aliceId = (Get-TesseractStatus).QuantumId
        $script:bob = Start-TestNode bob
        $script:bobHome = $env:DREAMWELL_HOME
        $script:bobStatus = Get-TesseractStatus
        $script:shared = New-RandomFile (Join-Path $TestDrive 'shared.bin') 300000
        $null = Publish-DreamContent $shared -Name 'docs/shared.bin' -WarningAction SilentlyContinue
        $env:DREAMWELL_HOME = $aliceHome
        $null = Connect-Tesseract -Peer "127.0.0.1:$($bobStatus.PeerPort)"
        $script:outgoing = New-RandomFile (Join-Path $TestDrive 'holiday.bin') (2MB + 17)
    }
    AfterAll { Stop-TestNode $alice, $bob }

    It 'is refused with TransferRefused while alice is not bob''s friend' {
        $env:DREAMWELL_HOME = $aliceHome
        { Send-DreamFile $outgoing -Target bob -ErrorAction Stop } | Should -Throw -ErrorId 'TransferRefused*'
        Test-Path (Join-Path $bobHome 'inbox/holiday.bin') | Should -BeFalse
    }

    It 'files a friend''s file in the inbox with the same content hash on both receipts' {
        # Add-DreamFriend belongs to another area; the friends file is what it writes.
        @{ friends = @(@{ quantumId = $aliceId; label = 'alice'; addresses = @(); added = [datetimeoffset]::UtcNow.ToString('o') }) } |
            ConvertTo-Json -Depth 4 | Set-Content (Join-Path $bobHome 'tesseracts.json')
        $env:DREAMWELL_HOME = $aliceHome
        $sent = Send-DreamFile $outgoing -Target bob
        $sent.PSObject.TypeNames[0] | Should -Be 'Dreamwell.Node.FileTransferResult'
        $sent.ContentHash | Should -Be (Get-Blake3 $outgoing)
        $sent.StoredAs | Should -Be 'holiday.bin'
        $sent.Receipt.Operation | Should -Be 'Transfer.Send'
        Get-Blake3 (Join-Path $bobHome 'inbox/holiday.bin') | Should -Be $sent.ContentHash
        $env:DREAMWELL_HOME = $bobHome
        $theirs = Get-DreamReceipt | Where-Object Operation -eq 'Transfer.Receive'
        $theirs.OutputHash | Should -Be $sent.ContentHash
        $theirs.ChainIndex | Should -Be $sent.PeerReceipt.ChainIndex
    }

    It 'refuses a name that would leave the inbox' {
        $env:DREAMWELL_HOME = $aliceHome
        { Send-DreamFile $outgoing -Target bob -Name '../escape.bin' -ErrorAction Stop } | Should -Throw -ErrorId 'TransferNameRefused*'
        Test-Path (Join-Path $bobHome 'escape.bin') | Should -BeFalse
    }

    It 'fetches published content from the peer by label and by QuantumId' {
        $env:DREAMWELL_HOME = $aliceHome
        $out = Join-Path $TestDrive 'fetched.bin'
        $receipt = Get-DreamContent 'qttps://bob/docs/shared.bin' -Destination $out
        $receipt.Operation | Should -Be 'Content.Fetch'
        Get-Blake3 $out | Should -Be (Get-Blake3 $shared)
        $bytes = Get-DreamContent "qttps:φ//$($bobStatus.QuantumId)/docs/shared.bin" -AsBytes
        $bytes.Length | Should -Be 300000
        { Get-DreamContent 'qttps://bob/docs/missing.bin' -Destination (Join-Path $TestDrive 'x') -ErrorAction Stop } | Should -Throw -ErrorId 'ContentNotFound*'
        { Get-DreamContent 'qttps://nobody/docs/shared.bin' -AsBytes -ErrorAction Stop } | Should -Throw -ErrorId 'PeerNotConnected*'
    }
}
