# Help text for the project scaffold cmdlets (docs/tapestry.md). build/New-ModuleHelp.ps1 turns it into MAML.
@{
    'New-DreamProject' = @{
        Synopsis    = 'Creates a Dreamwell project folder: signal/index.html, tapestry.json and state/.'
        Description = 'Makes the folder <Path>/<Name> owned by this home''s identity (created on first use, with a warning). signal/index.html is a self-contained page that names the project and loads nothing (no scripts, links or images; its Content-Security-Policy forbids loading anything); tapestry.json is the project''s map (docs/tapestry.md, schema docs/tapestry.schema.json); state/ is for local state that is never broadcast. -HelloUniverse makes the demo project hello-universe, whose page shows the owner''s QuantumId and the project''s files with their sizes and BLAKE3 hashes. A folder that exists and is not empty is refused (ProjectExists) unless -Force, which only adds the scaffold''s missing files: files already there are kept as they are and listed in Kept; nothing is replaced or deleted.'
        Parameters  = @{
            Name          = 'The project''s name and folder name: 1 to 64 letters, digits, ''.'', ''_'' or ''-'', starting with a letter or digit (default with -HelloUniverse: hello-universe).'
            Path          = 'The folder the project folder is created in (default: the current location; created when missing).'
            HelloUniverse = 'Make the demo project: a page with the owner''s QuantumId and the project''s files, and a tapestry with example entries.'
            Force         = 'Scaffold into a folder that is not empty: add the missing files, keep every existing one.'
        }
        Examples    = @(
            @{ Code = 'New-DreamProject hello'; Remarks = 'Creates ./hello with signal/index.html, tapestry.json and state/.' }
            @{ Code = 'New-DreamProject -HelloUniverse -Path ~/demo | Test-DreamProject'; Remarks = 'Creates ~/demo/hello-universe and checks it.' }
        )
    }
    'Test-DreamProject' = @{
        Synopsis    = 'Checks a project''s tapestry.json and the folders and files it names.'
        Description = 'Returns a verdict: IsValid, Problems (each says where: "tapestry.json $.signal.path: …"; a missing signal or portal folder or entry file is a problem too) and Changed (entries whose file no longer has the recorded BLAKE3, which is normal after an edit and keeps the project valid). A folder without tapestry.json is an error (ProjectNotFound).'
        Parameters  = @{ Path = 'The project folder (default: the current location). Takes New-DreamProject''s output from the pipeline.' }
        Examples    = @(@{ Code = 'Test-DreamProject ./hello'; Remarks = 'Checks the project in ./hello.' })
    }
}
