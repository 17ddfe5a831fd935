# Help text for the tesseract node cmdlets. build/New-ModuleHelp.ps1 turns it into MAML.
@{
    'Start-Tesseract' = @{
        Synopsis    = 'Starts a tesseract node in this session as a job: local control on the control port, encrypted peer links on the peer port.'
        Description = 'Binds 127.0.0.1:<ControlPort> (LQTP local control, default 9617) and 127.0.0.1:<PeerPort> (FQTP peer links over the libp2p Noise channel, default 9618) before it returns, so a busy port is reported at once. Opens the identity in DREAMWELL_HOME (creating one on first use), writes tesseract.json and a fresh control.token (0600) there, and returns a job: Receive-Job gives the node''s events (Started, Hello, Heartbeat, PeerRefused, LinkClosed, Stopping, Stopped), Stop-Job or Stop-Tesseract stops it. Port 0 picks a free port. One node per DREAMWELL_HOME.'
        Parameters  = @{ Name = 'The name peers see in the hello (default: the identity''s name).'; ControlPort = 'Loopback port for local control (0 = any free port).'; PeerPort = 'Loopback port for peer links (0 = any free port).'; HeartbeatInterval = 'Time between heartbeats on every link (default 1618 ms).' }
        Examples    = @(
            @{ Code = '$node = Start-Tesseract -Name laptop; Get-TesseractStatus'; Remarks = 'Starts a node on ports 9617 and 9618 and shows its status.' }
            @{ Code = '$node | Receive-Job -Keep | Format-Table Time, Kind, Message'; Remarks = 'What the node has done so far.' }
        )
    }
    'Stop-Tesseract' = @{
        Synopsis = 'Stops the tesseract of DREAMWELL_HOME over local control and waits until it has stopped.'
        Examples = @(@{ Code = 'Stop-Tesseract'; Remarks = 'The node says bye to its peers, closes its ports and removes tesseract.json and control.token.' })
    }
    'Get-TesseractStatus' = @{
        Synopsis = 'Shows the running tesseract of DREAMWELL_HOME: name, QuantumId, pid, ports, uptime, peers and seal-chain head.'
        Examples = @(@{ Code = 'Get-TesseractStatus | Select-Object Name, Uptime, ConnectedPeers'; Remarks = 'How long the node has run and how many peers are connected.' })
    }
    'Connect-Tesseract' = @{
        Synopsis    = 'Has the running tesseract open an encrypted link to a peer at host:port and returns the peer once both hellos are exchanged.'
        Description = 'The first key seen for a QuantumId is pinned in known_peers.json (trust on first use); a different key for a pinned QuantumId is refused with PeerKeyMismatch.'
        Parameters  = @{ Peer = 'The peer''s address as host:port, for example 127.0.0.1:9618.' }
        Examples    = @(@{ Code = 'Connect-Tesseract -Peer 127.0.0.1:9718'; Remarks = 'Links to the node listening on port 9718 of this machine.' })
    }
    'Get-TesseractPeer' = @{
        Synopsis   = 'Lists the peers of the running tesseract: label, QuantumId, state, direction, last seen, address, chain length, heartbeats.'
        Parameters = @{ Name = 'Only peers whose label or QuantumId matches (wildcards allowed).' }
        Examples   = @(@{ Code = 'Get-TesseractPeer | Where-Object State -eq Connected'; Remarks = 'The peers with an open link.' })
    }
}
