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
        Synopsis    = 'Has the running tesseract open an encrypted link to a peer at host:port and returns the peer once both hellos are exchanged.'
        Description = 'The first key seen for a QuantumId is pinned in known_peers.json (trust on first use); a different key for a pinned QuantumId is refused with PeerKeyMismatch. -Peer also takes a QuantumId that discovery has heard (Get-TesseractPeer shows it as Discovered); the handshake must then prove that QuantumId, else the link is refused with PeerKeyMismatch.'
        Parameters  = @{ Peer = 'The peer''s address as host:port, for example 127.0.0.1:9618.' }
        Examples    = @(
            @{ Code = 'Connect-Tesseract -Peer 127.0.0.1:9718'; Remarks = 'Links to the node listening on port 9718 of this machine.' }
            @{ Code = 'Get-TesseractPeer | Where-Object State -eq Discovered | Select-Object -First 1 | ForEach-Object { Connect-Tesseract -Peer $_.QuantumId }'; Remarks = 'Links to a node discovered on the link.' }
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
}
