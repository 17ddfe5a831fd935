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
