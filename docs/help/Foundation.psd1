# Help text for the foundation cmdlets. build/New-ModuleHelp.ps1 turns it into MAML.
@{
    'New-DreamIdentity' = @{
        Synopsis    = 'Creates the Ed25519 identity (identity.fibo) in DREAMWELL_HOME.'
        Description = 'Writes $DREAMWELL_HOME/identity.fibo (default ~/.dreamwell) with mode 0600: a new Ed25519 key pair, the kind, the name, the creation time and a device fingerprint. With -Passphrase the private key is sealed with Argon2id and ChaCha20-Poly1305. Refuses to replace an existing identity unless -Force is given; the replaced identity''s seal chain is archived as seal.<QuantumId>.chain, never deleted. Name defaults to DREAMWELL_NAME, then the user name; Kind defaults to DREAMWELL_MODE, then Human.'
        Parameters  = @{ Name = 'Display name stored in the identity (at most 128 UTF-8 bytes).'; Kind = 'Human, Agent or Service.'; Passphrase = 'Seals the private key; needed (or Unlock-DreamIdentity) before signing.'; Force = 'Replace an existing identity.' }
        Examples    = @(
            @{ Code = 'New-DreamIdentity -Name alice'; Remarks = 'Creates an unsealed Human identity named alice.' }
            @{ Code = 'New-DreamIdentity -Name ci -Kind Service -Passphrase (Read-Host -AsSecureString) -Force'; Remarks = 'Replaces the identity with a passphrase-sealed service identity.' }
        )
    }
    'Get-DreamIdentity' = @{
        Synopsis = 'Shows who you are (whoami): QuantumId, public key, kind, name, chain length and head, fingerprint match.'
        Examples = @(@{ Code = 'Get-DreamIdentity | Select-Object QuantumId, ChainLength'; Remarks = 'The short id and how many seals the chain holds.' })
    }
    'Unlock-DreamIdentity' = @{
        Synopsis   = 'Checks the passphrase of a sealed identity and keeps it unlocked for this session.'
        Parameters = @{ Passphrase = 'The passphrase given to New-DreamIdentity.' }
        Examples   = @(@{ Code = 'Unlock-DreamIdentity -Passphrase (Read-Host -AsSecureString)'; Remarks = 'Later operations in this process can sign without asking again.' })
    }
    'Lock-DreamIdentity' = @{
        Synopsis = 'Forgets the passphrase that Unlock-DreamIdentity kept for this session.'
        Examples = @(@{ Code = 'Lock-DreamIdentity'; Remarks = 'Signing needs Unlock-DreamIdentity again.' })
    }
    'Get-SealChain' = @{
        Synopsis   = 'Lists the entries of the signed BLAKE3 seal chain.'
        Parameters = @{ Last = 'Only the last N entries.' }
        Examples   = @(@{ Code = 'Get-SealChain -Last 5'; Remarks = 'The five newest seals: index, time, operation, hash.' })
    }
    'Test-SealChain' = @{
        Synopsis    = 'Verifies every signature, link and index of the seal chain and reports the first bad index.'
        Description = 'Detects edited entries, entries removed from the middle, reordering, forks, bad signatures and a cut-off tail (through the signed head file).'
        Parameters  = @{ Quiet = 'Return only $true or $false.' }
        Examples    = @(@{ Code = 'if (-not (Test-SealChain -Quiet)) { Test-SealChain | Format-List }'; Remarks = 'Shows the details only when the chain is broken.' })
    }
    'Get-DreamReceipt' = @{
        Synopsis   = 'Lists signed receipts of past operations from the seal chain.'
        Parameters = @{ Last = 'Only the last N receipts.' }
        Examples   = @(@{ Code = 'Get-DreamReceipt -Last 1 | Format-List'; Remarks = 'The newest receipt with its hashes, byte counts, verdict and signature.' })
    }
    'Compress-DreamFile' = @{
        Synopsis    = 'Packs a file into .dreamfile or .qport, or a file or folder into .fractal, and returns a signed receipt.'
        Description = 'The output is written to a temp file, flushed and renamed, so it appears whole or not at all. Default format: Dreamfile for a file, Fractal for a folder. Default destination: beside the input with the format''s extension.'
        Parameters  = @{ Path = 'Files or folders; wildcards allowed.'; LiteralPath = 'Paths taken literally; bound from Get-ChildItem output.'; Format = 'Dreamfile, QPort or Fractal.'; Destination = 'Output file, or an existing folder to write into.'; Level = 'zstd level (-7..22).'; Force = 'Replace an existing output.' }
        Examples    = @(
            @{ Code = 'Compress-DreamFile -Path ./report.csv -Format QPort'; Remarks = 'Writes report.csv.qport and returns its receipt.' }
            @{ Code = 'Get-ChildItem *.log | Compress-DreamFile -WhatIf'; Remarks = 'Shows what would be packed without writing anything.' }
        )
    }
    'New-DreamDelta' = @{
        Synopsis   = 'Writes a .qdlt delta of Target against Base, bound to Base''s BLAKE3 hash.'
        Parameters = @{ Base = 'The file the receiver already has.'; Target = 'The new version.'; Destination = 'Output path (default: Target + .qdlt).'; Level = 'zstd level for literal bytes.'; Force = 'Replace an existing output.' }
        Examples   = @(@{ Code = 'New-DreamDelta -Base v1.bin -Target v2.bin'; Remarks = 'Writes v2.bin.qdlt; restore it with Open-DreamFile v2.bin.qdlt -Base v1.bin.' })
    }
    'Open-DreamFile' = @{
        Synopsis    = 'Detects a container by its magic, verifies it and restores its content; returns a signed receipt.'
        Description = 'Nothing partial is ever left behind: content is decoded into a temp file, verified against its BLAKE3 hashes and only then renamed into place.'
        Parameters  = @{ Path = 'Containers; wildcards allowed.'; LiteralPath = 'Containers taken literally.'; Destination = 'Where to restore (default: the container path without its extension). For a .fractal, the folder to create.'; Base = 'The base file of a .qdlt delta.'; Force = 'Replace an existing output. For a .fractal this replaces the whole destination folder once the new tree is complete.' }
        Examples    = @(@{ Code = 'Open-DreamFile ./report.csv.qport -Destination ./restored.csv'; Remarks = 'Restores and verifies the file.' })
    }
    'Test-DreamFile' = @{
        Synopsis = 'Verifies a container without writing anything; returns IsValid, Format and the first failure.'
        Examples = @(@{ Code = 'Get-ChildItem *.qport | Test-DreamFile | Where-Object { -not $_.IsValid }'; Remarks = 'Lists damaged containers.' })
    }
    'Get-DreamFileInfo' = @{
        Synopsis = 'Reads a container''s header: format, version, sizes, content hash, entries.'
        Examples = @(@{ Code = 'Get-DreamFileInfo ./photos.fractal | Select-Object -ExpandProperty Entries'; Remarks = 'Lists the files stored in an archive.' })
    }
    'Get-DreamHealth' = @{
        Synopsis = 'Checks identity presence and mode, chain validity, home writability, disk space and clock; each with a fix.'
        Examples = @(@{ Code = 'Get-DreamHealth | Where-Object Status -ne Pass'; Remarks = 'Only what needs attention, with the command that fixes it.' })
    }
    'Get-DreamStats' = @{
        Synopsis   = 'Figures for this home (Local: receipts, bytes, time, disk) or this identity (Identity: age, chain).'
        Parameters = @{ Scope = 'Local or Identity.' }
        Examples   = @(@{ Code = 'Get-DreamStats -Scope Identity'; Remarks = 'Who this is and the state of its chain.' })
    }
}
