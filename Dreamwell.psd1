@{
    RootModule           = 'Dreamwell.Cmdlets.dll'
    ModuleVersion        = '0.1.0'
    GUID                 = '6f1d7c2e-9b4a-4d8e-a1f3-5c2b8e9d0f17'
    Author               = 'Dreamwell developers'
    CompanyName          = 'Dreamwell'
    Copyright            = '(c) Dreamwell developers. MIT licence.'
    Description          = 'Dreamwell: Ed25519 identities, a signed BLAKE3 seal chain, receipts, and self-verifying file formats.'
    PowerShellVersion    = '7.4'
    CompatiblePSEditions = @('Core')
    FormatsToProcess     = @('Formats.ps1xml')
    # Loaded at import so engine types ([Dreamwell.Quantum.ServiceObservation]…) resolve in scripts at once.
    RequiredAssemblies   = @('Dreamwell.Engine.dll')
    CmdletsToExport      = @(
        'New-DreamIdentity'
        'Get-DreamIdentity'
        'Unlock-DreamIdentity'
        'Lock-DreamIdentity'
        'Get-SealChain'
        'Test-SealChain'
        'Get-DreamReceipt'
        'Compress-DreamFile'
        'New-DreamDelta'
        'Open-DreamFile'
        'Test-DreamFile'
        'Get-DreamFileInfo'
        'Get-DreamHealth'
        'Get-DreamStats'
        'New-DensityMatrix'
        'Measure-DensityMatrix'
        'Invoke-DensityEvolution'
        'Get-DreamHealthModel'
        'Export-DensityMatrixPlot'
        'Invoke-LoomTrain'
        'Invoke-LoomGenerate'
        'Start-LoomChat'
        'Get-LoomCheckpoint'
        'Measure-LoomModel'
        'Export-LoomLossPlot'
        'Publish-DreamContent'
        'Get-DreamContent'
        'Get-DreamContentIndex'
        'Start-Tesseract'
        'Stop-Tesseract'
        'Get-TesseractStatus'
        'Connect-Tesseract'
        'Get-TesseractPeer'
        'New-Portal'
        'Connect-Portal'
        'Get-Portal'
        'Sync-Portal'
        'Remove-Portal'
        'New-Signal'
        'Join-Signal'
        'Get-Signal'
        'Publish-Signal'
        'Remove-Signal'
        'New-DreamProject'
        'Test-DreamProject'
        'Disconnect-Tesseract'
        'Add-DreamFriend'
        'Get-DreamFriend'
        'Remove-DreamFriend'
        'Get-ShardBladeEvent'
        'Get-DreamDelegation'
        'Grant-DreamDelegation'
        'Revoke-DreamDelegation'
        'Send-DreamFile'
    )
    FunctionsToExport    = @()
    AliasesToExport      = @()
    VariablesToExport    = @()
    PrivateData          = @{
        PSData = @{
            Tags       = @('BLAKE3', 'Ed25519', 'zstd', 'integrity', 'receipts')
            LicenseUri = 'https://opensource.org/licenses/MIT'
        }
    }
}
