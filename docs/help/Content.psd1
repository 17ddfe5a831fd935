# Help text for the content-store cmdlets. build/New-ModuleHelp.ps1 turns it into MAML.
@{
    'Publish-DreamContent' = @{
        Synopsis    = 'Publishes a file into the local content store and returns its qttps:φ// address, what was stored, and a signed receipt.'
        Description = 'The file is split with FastCDC (2 KiB min, 8 KiB average, 64 KiB max chunks); each chunk not already in $DREAMWELL_HOME/content is written once under its BLAKE3 hash, and the SQLite index records the item (name, size, BLAKE3 content hash, chunk list, time). Publishing identical content, or content sharing a run of chunks with earlier items, stores those chunks only once (NewChunks counts what was added). Publishing under an existing name replaces that item; since the default name is the file name alone, files of the same name from different folders replace each other unless -Name tells them apart. The receipt (operation Content.Publish) is in the Receipt property. Names are relative ''/''-separated paths: no ''..'' or ''.'' segments, no leading ''/'', no ''\'', '':'', ''?'', ''#'' or control characters.'
        Parameters  = @{ Path = 'The file to publish; bound from Get-ChildItem output.'; Name = 'The name in the store (default: the file name).' }
        Examples    = @(@{ Code = 'Publish-DreamContent ./report.pdf -Name reports/2026/q4.pdf'; Remarks = 'Returns the address qttps:φ//<your QuantumId>/reports/2026/q4.pdf with the hash, chunk counts and receipt.' })
    }
    'Get-DreamContent' = @{
        Synopsis    = 'Gets published content by its qttps:φ// (or qttps://) address, from this home''s store or from a connected peer, verifying every chunk, and returns a signed receipt (or the bytes with -AsBytes).'
        Description = 'Every chunk is checked against its BLAKE3 hash and the whole against the published content hash while it is written to a temp file; only a fully verified file is renamed into place. An address of this identity''s QuantumId reads the local store. Any other authority — a peer''s QuantumId or its label — is fetched by the running tesseract from that connected peer: it observes the name, asks only for chunks this store lacks, keeps them (so later fetches of shared content move less), and issues a Content.Fetch receipt. Errors: TesseractNotRunning (no node), PeerNotConnected, ContentNotFound (not published on the peer), ContentTampered (a chunk did not match its hash: nothing is written and the peer is reported), ChunkCorrupt, DestinationExists.'
        Parameters  = @{ Address = 'qttps:φ//<QuantumId or peer label>/<name> or qttps://…; bound from Publish-DreamContent output.'; Destination = 'The file to write, or an existing folder to write into under the last segment of the name (default: the current folder).'; Force = 'Replace an existing file.'; AsBytes = 'Return the content as one byte array (up to 1 MiB) instead of writing a file; the receipt goes to the seal chain only.'; Timeout = 'How long a fetch from a peer may take (default 30 minutes).' }
        Examples    = @(
            @{ Code = "Get-DreamContent 'qttps://2fbdb251f4ba45a5/reports/2026/q4.pdf' -Destination ./q4.pdf"; Remarks = 'Writes q4.pdf after verifying it; the receipt''s OutputHash is the content hash.' }
            @{ Code = "Get-DreamContent 'qttps:φ//laptop/notes/todo.txt' -AsBytes | ForEach-Object { [Text.Encoding]::UTF8.GetString(`$_) }"; Remarks = 'Fetches a small item from the connected peer labelled laptop and prints it.' }
        )
    }
    'Get-DreamContentIndex' = @{
        Synopsis   = 'Lists the items published in the local content store: name, size, content hash, chunk count, time.'
        Parameters = @{ Name = 'Only names matching this wildcard (default *).' }
        Examples   = @(@{ Code = "Get-DreamContentIndex 'reports/*' | Measure-Object Size -Sum"; Remarks = 'How many bytes are published under reports/.' })
    }
}
