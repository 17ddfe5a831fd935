# Help text for the portal (two-way folder sync) cmdlets. build/New-ModuleHelp.ps1 turns it into MAML.
@{
    'New-Portal' = @{
        Synopsis    = 'Shares a folder as a two-way portal and returns it with its key.'
        Description = 'Creates a portal owned by this home''s identity: a random 128-bit portal id, the owner''s QuantumId and addresses, and a 256-bit secret, all in the key (dwp1.…). Give the key to a friend; they run Connect-Portal with it, their node dials yours and the folders sync both ways (docs/sync.md). The key is a secret: anyone holding it can join. The running node (Start-Tesseract) picks the portal up at once; without one, start it to let friends connect.'
        Parameters  = @{ Path = 'The folder to share (must exist).'; Name = 'A name for the portal (default: the folder''s name).'; Address = 'host:port addresses friends dial (default: 127.0.0.1 and the running node''s peer port).' }
        Examples    = @(@{ Code = '$portal = New-Portal ~/photos; $portal.Key'; Remarks = 'Shares ~/photos and shows the key to give to a friend.' })
    }
    'Connect-Portal' = @{
        Synopsis    = 'Joins a friend''s portal by its key into a local folder.'
        Description = 'Records the portal in portals.json; the running node dials the owner at the key''s addresses (again every few seconds while the link is down), proves it holds the key, and syncs the folder both ways. Existing files in the folder are kept and synced too; concurrent edits keep both copies (name.sync-conflict-….ext).'
        Parameters  = @{ Key = 'The portal key (dwp1.…) from the owner''s New-Portal.'; Path = 'The local folder (created when missing; default ./portal-<short id>).'; Name = 'A local name for the portal.' }
        Examples    = @(@{ Code = 'Connect-Portal -Key $key -Path ~/photos-from-ada'; Remarks = 'Joins Ada''s portal into ~/photos-from-ada.' })
    }
    'Get-Portal' = @{
        Synopsis   = 'Lists the portals of this home, owned and joined.'
        Parameters = @{ Name = 'Name, short id or id (wildcards allowed).'; IncludeKey = 'Also show the keys of portals this identity owns.' }
        Examples   = @(@{ Code = 'Get-Portal | Format-Table Name, Role, Path'; Remarks = 'The portals and their folders.' })
    }
    'Sync-Portal' = @{
        Synopsis    = 'Has the running node scan and exchange now, waits until it is quiet, and reports what moved.'
        Description = 'The report counts, since the node started: files and bytes received, bytes sent, bytes reused from local files (moves and renames cost nothing), deletions, conflicts and the paths deferred because they were being edited.'
        Parameters  = @{ Name = 'One portal (name, short id or id); default all.' }
        Examples    = @(@{ Code = 'Sync-Portal photos'; Remarks = 'Syncs now and shows what moved.' })
    }
    'Remove-Portal' = @{
        Synopsis = 'Stops syncing a portal and forgets its index; the folder and its files stay as they are.'
        Parameters = @{ Name = 'Name, short id or id of the portal.' }
        Examples = @(@{ Code = 'Remove-Portal photos -WhatIf'; Remarks = 'Shows what would stop.' })
    }
    'New-Signal' = @{
        Synopsis    = 'Broadcasts a folder one way as a signal and returns it with its key.'
        Description = 'Every change to the folder becomes a new release: a manifest of every file with its chunks, signed by this identity (docs/sync.md, "Signals"). Subscribers (Join-Signal with the key) verify the signature, the manifest and every chunk, keep a local copy up to date while connected, and can pass releases on to other subscribers, who still verify them against this identity. Nothing a subscriber changes comes back.'
        Parameters  = @{ Name = 'The signal''s name (unique among the signals this home publishes).'; Path = 'The folder to broadcast (must exist).'; Address = 'host:port addresses subscribers dial (default: 127.0.0.1 and the running node''s peer port).' }
        Examples    = @(@{ Code = '(New-Signal blog ~/posts).Key'; Remarks = 'Publishes ~/posts and shows the key to hand out.' })
    }
    'Join-Signal' = @{
        Synopsis    = 'Subscribes to a signal by its key and keeps a verified local copy in a folder.'
        Description = 'The running node dials the publisher (again every few seconds while the link is down) and also asks every other linked peer, so a release can come through another subscriber. Local edits in the folder are never sent upstream: Get-Signal and signal-status report them, and the next release keeps them as conflict copies.'
        Parameters  = @{ Key = 'The signal key (dws1.…).'; Path = 'The local folder (created when missing; default ./signal-<short id>).'; Name = 'A local name for the signal.' }
        Examples    = @(@{ Code = 'Join-Signal -Key $key -Path ~/ada-blog'; Remarks = 'Follows Ada''s blog into ~/ada-blog.' })
    }
    'Get-Signal' = @{
        Synopsis   = 'Lists the signals this home publishes or follows.'
        Parameters = @{ Name = 'Name, short id or id (wildcards allowed).'; IncludeKey = 'Also show the keys of signals this identity publishes.' }
        Examples   = @(@{ Code = 'Get-Signal | Format-Table Name, Role, Path'; Remarks = 'The signals and their folders.' })
    }
    'Publish-Signal' = @{
        Synopsis    = 'Scans a published signal''s folder now and releases a new signed version if anything changed.'
        Description = 'The node also publishes by itself after every change it sees; this waits for that and returns the current release (number, files, bytes, manifest hash).'
        Parameters  = @{ Name = 'One signal (name, short id or id); default all this home publishes.' }
        Examples    = @(@{ Code = 'Publish-Signal blog'; Remarks = 'Releases the current state of the blog folder.' })
    }
    'Remove-Signal' = @{
        Synopsis   = 'Stops publishing or following a signal and forgets its state; the folder and its files stay.'
        Parameters = @{ Name = 'Name, short id or id of the signal.' }
        Examples   = @(@{ Code = 'Remove-Signal blog -WhatIf'; Remarks = 'Shows what would stop.' })
    }
}
