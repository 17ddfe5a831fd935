# Help text for the tesseract node cmdlets. build/New-ModuleHelp.ps1 turns it into MAML.
@{
    'Start-Tesseract' = @{
        Synopsis    = 'Starts a tesseract node: in this session as a job, or with -Detached as its own dream process that outlives the session.'
        Description = 'Binds 127.0.0.1:<ControlPort> (LQTP local control, default 9617) and 127.0.0.1:<PeerPort> (FQTP peer links over the libp2p Noise channel, default 9618) before it returns, so a busy port is reported at once. Opens the identity in DREAMWELL_HOME (creating one on first use), writes tesseract.json and a fresh control.token (0600) there. By default it returns a job: Receive-Job gives the node''s events (Started, PeerDiscovered, Hello, PeerRefused, LinkClosed, Stopping, Stopped), Stop-Job or Stop-Tesseract stops it. The node announces itself and browses for others with mDNS/DNS-SD on UDP 9619, pinned to loopback unless -DiscoveryInterface names a LAN address; discovered peers are listed by Get-TesseractPeer with state Discovered and are never trusted until a handshake proves and pins their key. With -Detached it runs `dream tesseract start` with the same settings in a new session (stdout and stderr to $DREAMWELL_HOME/logs/tesseract-*.log), waits until the node answers, and returns its status; dream is found through $env:DREAMWELL_DREAM, the current dream process, the dream that ships this module, or PATH. Port 0 picks a free port. One node per DREAMWELL_HOME.'
        Parameters  = @{
            Name               = 'The name peers see in the hello and in discovery (default: the identity''s name).'
            ControlPort        = 'Loopback port for local control (0 = any free port).'
            PeerPort           = 'Port for peer links (0 = any free port).'
            HeartbeatInterval  = 'Time between heartbeats on every link (default 1618 ms).'
            DiscoveryPort      = 'UDP port of mDNS discovery: 9619 (default, private to Dreamwell nodes) or 5353 to be seen by avahi/Bonjour.'
            DiscoveryInterface = 'IPv4 address of the interface discovery announces on (default 127.0.0.1). Give a LAN address to be discovered on the LAN.'
            NoDiscovery        = 'Neither announce nor browse.'
            Detached           = 'Run the node as its own `dream tesseract start` process that keeps running after this session ends; returns its TesseractStatus.'
        }
        Examples    = @(
            @{ Code = '$node = Start-Tesseract -Name laptop; Get-TesseractStatus'; Remarks = 'Starts a node on ports 9617 and 9618 (discovery on loopback 9619) and shows its status.' }
            @{ Code = '$node | Receive-Job -Keep | Format-Table Time, Kind, Message'; Remarks = 'What the node has done so far.' }
            @{ Code = 'Start-Tesseract -Name server -Detached'; Remarks = 'A node that outlives this session; Stop-Tesseract ends it. From pwsh, set $env:DREAMWELL_DREAM to the dream executable first.' }
            @{ Code = 'Start-Tesseract -DiscoveryInterface 192.168.1.20'; Remarks = 'Announces and browses on the LAN interface 192.168.1.20 (UDP 9619).' }
        )
    }
    'Stop-Tesseract' = @{
        Synopsis = 'Stops the tesseract of DREAMWELL_HOME over local control and waits until it has stopped.'
        Examples = @(@{ Code = 'Stop-Tesseract'; Remarks = 'The node says bye to its peers, closes its ports and removes tesseract.json and control.token.' })
    }
    'Get-TesseractStatus' = @{
        Synopsis = 'Shows the running tesseract of DREAMWELL_HOME: name, QuantumId, pid, ports, uptime, peers, seal-chain head, discovery and health.'
        Description = 'Health is the density-matrix health model (docs/health-model.md) fed with what the node observed of itself: chain verification, handshake failures and refusals, a control-port probe, the content folder, open links and their heartbeats. Health.Status, Health.Alerts, FreeEnergy and Entropy summarise it; Health.Rho is ρ and Health.ToDensityMatrix() returns it as a DensityMatrix; Health.Counters holds the raw counts.'
        Examples = @(
            @{ Code = 'Get-TesseractStatus | Select-Object Name, Uptime, ConnectedPeers'; Remarks = 'How long the node has run and how many peers are connected.' }
            @{ Code = '(Get-TesseractStatus).Health | Format-List Status, Alerts, FreeEnergy, Entropy'; Remarks = 'The node''s health and the alerts behind it.' }
            @{ Code = '(Get-TesseractStatus).Health.ToDensityMatrix() | Measure-DensityMatrix'; Remarks = 'ρ of the running node, measured like any density matrix.' }
        )
    }
    'Connect-Tesseract' = @{
        Synopsis    = 'Has the running tesseract open an encrypted link to a peer (host:port, QuantumId, label or qttps address) and returns the peer once both hellos are exchanged.'
        Description = 'A QuantumId or a label (a friend''s, else a known peer''s) is dialed at the friend''s addresses from tesseracts.json, then at addresses this node dialed it at before; the key proven in the handshake must then have that QuantumId, or the link is refused with PeerKeyMismatch and ShardBlade quarantines the key that answered. qttps:φ//<label|QuantumId>/… and qttps://… use their authority part. The first key seen for a QuantumId is pinned in known_peers.json (trust on first use); a different key for a pinned QuantumId is refused with PeerKeyMismatch. A quarantined peer is refused with PeerQuarantined and the time its quarantine ends.'
        Parameters  = @{ Peer = 'host:port (for example 127.0.0.1:9618), a QuantumId, a friend''s or known peer''s label, or a qttps address. A DreamFriend or TesseractPeer from the pipeline binds by its QuantumId (alias -QuantumId).' }
        Examples    = @(
            @{ Code = 'Connect-Tesseract -Peer 127.0.0.1:9718'; Remarks = 'Links to the node listening on port 9718 of this machine.' }
            @{ Code = 'Add-DreamFriend -QuantumId 3f9a0c1b2d4e5f60 -Label desk -Address 192.168.1.20:9618; Connect-Tesseract desk'; Remarks = 'Dials a friend by label; refused unless the key that answers is 3f9a0c1b2d4e5f60''s.' }
        )
    }
    'Get-TesseractPeer' = @{
        Synopsis   = 'Lists the peers of the running tesseract: label, QuantumId, state, direction, last seen, address, chain length, heartbeats.'
        Parameters = @{ Name = 'Only peers whose label or QuantumId matches (wildcards allowed).' }
        Examples   = @(
            @{ Code = 'Get-TesseractPeer | Where-Object State -eq Connected'; Remarks = 'The peers with an open link.' }
            @{ Code = 'Get-TesseractPeer | Where-Object State -eq Discovered'; Remarks = 'Nodes heard on the link by discovery and not linked yet (untrusted).' }
        )
    }
    'Disconnect-Tesseract' = @{
        Synopsis    = 'Has the running tesseract close every open link to a peer (by QuantumId or label); the peer receives a bye with the reason.'
        Description = 'Returns the closed links. PeerNotFound when no link to that peer is open. Supports -WhatIf and -Confirm.'
        Parameters  = @{ Peer = 'The peer''s QuantumId or label, as Get-TesseractPeer shows them; a TesseractPeer from the pipeline binds by its QuantumId (alias -QuantumId).'; Reason = 'Told to the peer in the bye (at most 200 characters).' }
        Examples    = @(
            @{ Code = 'Disconnect-Tesseract -Peer bob -Reason ''maintenance'''; Remarks = 'Bob sees "The peer said goodbye: maintenance".' }
            @{ Code = 'Get-TesseractPeer | Where-Object Trust -lt 0.1 | Disconnect-Tesseract -WhatIf'; Remarks = 'Which cold peers would be disconnected.' }
        )
    }
    'Add-DreamFriend' = @{
        Synopsis    = 'Adds a friend (QuantumId, label and addresses) to tesseracts.json in DREAMWELL_HOME, or updates the one with that QuantumId.'
        Description = 'Friends can be dialed by label or QuantumId with Connect-Tesseract, and a friend is not locked out by a quarantine of the host it connects from. Works with or without a running node: the node reads the file on every use. Labels are unique (case-insensitive). Supports -WhatIf and -Confirm.'
        Parameters  = @{ QuantumId = 'The friend''s QuantumId: 16 hex digits, as Get-DreamIdentity shows it on their machine.'; Label = 'A name for the friend, at most 128 characters.'; Address = 'host:port addresses the friend''s tesseract listens on; updating a friend without -Address keeps its addresses.' }
        Examples    = @(@{ Code = 'Add-DreamFriend -QuantumId 3f9a0c1b2d4e5f60 -Label desk -Address 192.168.1.20:9618'; Remarks = 'Connect-Tesseract desk now dials 192.168.1.20:9618 and insists on that QuantumId.' })
    }
    'Get-DreamFriend' = @{
        Synopsis   = 'Lists the friends in tesseracts.json of DREAMWELL_HOME, optionally only those whose label or QuantumId matches.'
        Parameters = @{ Name = 'Label or QuantumId patterns (wildcards allowed).' }
        Examples   = @(@{ Code = 'Get-DreamFriend d*'; Remarks = 'Friends whose label or QuantumId starts with d.' })
    }
    'Remove-DreamFriend' = @{
        Synopsis    = 'Removes a friend, by QuantumId or label, from tesseracts.json of DREAMWELL_HOME.'
        Description = 'FriendNotFound when no friend matches. Pinned keys (known_peers.json) are not touched. Supports -WhatIf and -Confirm.'
        Parameters  = @{ QuantumId = 'The friend''s QuantumId or label (aliases -Label, -Name); a DreamFriend from Get-DreamFriend binds by its QuantumId.'; PassThru = 'Writes the removed friend.' }
        Examples    = @(@{ Code = 'Get-DreamFriend old-* | Remove-DreamFriend -WhatIf'; Remarks = 'Shows which friends would be removed.' })
    }
    'Get-ShardBladeEvent' = @{
        Synopsis    = 'Lists ShardBlade''s audit entries (refusals and quarantines of misbehaving peers) from the seal chain of DREAMWELL_HOME.'
        Description = 'Reads seal.chain directly, so it works with or without a running node, and verifies the whole chain first: a chain that does not verify is refused with ChainBroken. Each event has the time and index of its signed chain entry, the peer''s QuantumId (empty when no key was proven; then Address names the host), the reason (BadSignature, Fork, Replay, ProtocolViolation, KeyMismatch, RateAbuse, Delegation), the message, and when the quarantine ends.'
        Parameters  = @{ QuantumId = 'Only events about this peer.'; Since = 'Only events at or after this time.' }
        Examples    = @(
            @{ Code = 'Get-ShardBladeEvent -Since (Get-Date).AddDays(-1)'; Remarks = 'What ShardBlade did in the last day.' }
            @{ Code = 'Get-ShardBladeEvent | Group-Object Reason -NoElement'; Remarks = 'How often each rule was broken.' }
        )
    }
    'Send-DreamFile' = @{
        Synopsis    = 'Sends a file through the running tesseract to a connected peer''s inbox, verified chunk by chunk, resumable, with receipts on both sides.'
        Description = 'The file crosses the encrypted peer link in 1 MiB chunks, each checked against its BLAKE3 hash as it arrives, and the whole against its content hash before the peer files it in $DREAMWELL_HOME/inbox (never overwriting: "name (1).ext"). Peers accept files only from friends (Add-DreamFriend) unless configured to accept everyone; a refusal is the error TransferRefused, a name that would leave the inbox TransferNameRefused. If the link drops (TransferInterrupted), reconnect and run the same command again: the peer kept what arrived and only the rest is sent. Both sides append a receipt with the same content hash to their seal chains; the result carries ours and the peer''s. Progress shows bytes done while it runs.'
        Parameters  = @{ Path = 'The file to send (wildcards allowed; FullName binds from Get-ChildItem).'; Target = 'The peer: its label or QuantumId as Get-TesseractPeer shows it.'; Name = 'The file name to use in the peer''s inbox (default: the file''s own name).'; Timeout = 'How long the whole send may take (default 2 hours).' }
        Examples    = @(
            @{ Code = 'Send-DreamFile ./holiday.mp4 -Target laptop'; Remarks = 'Sends holiday.mp4 to the connected peer labelled laptop; the result shows the content hash, bytes sent and the name it was filed under.' }
            @{ Code = 'Connect-Tesseract 192.168.1.20:9618; Send-DreamFile ./holiday.mp4 -Target laptop | Select-Object BytesSent, ChunksResumed'; Remarks = 'After a dropped link: the same command resumes, and BytesSent shows how little crossed the second time.' }
        )
    }
}
