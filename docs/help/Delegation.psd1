# Help text for the delegation cmdlets. build/New-ModuleHelp.ps1 turns it into MAML.
@{
    'Grant-DreamDelegation' = @{
        Synopsis    = 'Issues an Agent identity signed by this Human identity: a new Ed25519 key in its own folder and a delegation certificate with scopes and an expiry.'
        Description = 'Creates identity.fibo (kind Agent) in $DREAMWELL_HOME/agents/<Name> (or -Path), a folder to use as the agent''s DREAMWELL_HOME, and delegation.cert beside it: the agent key, this identity''s key, the scopes, not-before and expiry, signed by this identity (format in docs/identity.md). The agent''s tesseract presents the certificate in every hello; peers refuse it once expired and refuse requests outside its scopes. Observe = fetch content; Send = push content; Connect = link to nodes other than this Human''s own. The grant is recorded in delegations.json and as a delegation.grant entry on the seal chain. Run again for the same folder to renew (same key, new certificate). Only a Human identity delegates.'
        Parameters  = @{ Name = 'The agent''s name: 1-64 ASCII letters, digits, ".", "_" or "-" (it names the folder).'; Scope = 'Observe, Send and/or Connect.'; Expires = 'How long the delegation lasts: 30m, 24h, 7d, 2w, 1d12h or a TimeSpan; 1 minute to 366 days; default 24h.'; Path = 'The agent''s folder (default $DREAMWELL_HOME/agents/<Name>).' }
        Examples    = @(
            @{ Code = 'Grant-DreamDelegation -Name ci-bot -Scope Observe,Send -Expires 24h'; Remarks = 'A CI agent that may fetch and push content on this Human''s own nodes for a day.' }
            @{ Code = '$env:DREAMWELL_HOME = (Grant-DreamDelegation ci-bot -Scope Observe,Connect -Expires 2h).Path; Start-Tesseract'; Remarks = 'Runs a tesseract as the agent (in a CI job, set DREAMWELL_HOME to that folder).' }
        )
    }
    'Get-DreamDelegation' = @{
        Synopsis    = 'Lists the delegations this identity has issued (status Valid, Expired, NotYetValid or Revoked), or reads and verifies the certificate in an agent''s folder.'
        Parameters  = @{ Name = 'Only delegations whose name or agent QuantumId matches (wildcards allowed).'; Path = 'An agent''s folder: shows its delegation.cert after checking the signature and that it names the folder''s identity.' }
        Examples    = @(
            @{ Code = 'Get-DreamDelegation | Where-Object Status -eq Valid'; Remarks = 'The agents that may act for you right now.' }
            @{ Code = 'Get-DreamDelegation -Path ./agents/ci-bot | Format-List *'; Remarks = 'Everything about one agent''s certificate.' }
        )
    }
    'Revoke-DreamDelegation' = @{
        Synopsis    = 'Revokes an agent this identity delegated: nodes running on this home refuse it at once; other peers only once it expires.'
        Description = 'Marks the agent''s key revoked in delegations.json (final: the agent cannot be renewed) and appends a delegation.revoke entry to the seal chain. Nodes on this home check the list at every hello and request, so open links of the agent end at its next request. There is no revocation protocol between nodes yet: a friend''s node accepts the certificate until it expires, so keep expiries short.'
        Parameters  = @{ Name = 'The agent''s name or QuantumId (accepts Get-DreamDelegation output from the pipeline).'; Reason = 'Why, recorded in delegations.json and on the chain.' }
        Examples    = @(@{ Code = 'Revoke-DreamDelegation ci-bot -Reason ''token leaked in a build log'''; Remarks = 'Stops ci-bot at this Human''s nodes now.' })
    }
}
