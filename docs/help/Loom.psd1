# Help text for the Loom cmdlets. build/New-ModuleHelp.ps1 turns it into MAML.
@{
    'Invoke-LoomTrain' = @{
        Synopsis    = 'Trains a character-level transformer on a text file or folder and saves a .quantumtensor checkpoint.'
        Description = 'Shows Write-Progress with step, loss, validation loss, tokens/s and ETA, and returns a LoomTrainingResult. Ctrl+C saves a checkpoint before stopping. With -AsJob it returns a job that Get-Job, Receive-Job, Wait-Job, Stop-Job (which saves first) and Remove-Job handle. -Resume continues bit-exactly from the checkpoint. Defaults: -Dim 86 -Blocks 8 -Context 64.'
        Parameters  = @{ Corpus = 'A text file or a folder of text files.'; Checkpoint = 'The .quantumtensor to write (or resume from).'; Dim = 'Embedding width.'; Blocks = 'Transformer blocks.'; Heads = 'Attention heads; must divide -Dim.'; Context = 'Characters of context.'; MaxSteps = 'Stop after this many optimizer steps.'; Epochs = 'Stop after this many passes over the training split.'; LearningRate = 'Peak AdamW learning rate.'; BatchSize = 'Sequences per step.'; Seed = 'Makes a run reproducible.'; Resume = 'Continue from -Checkpoint.'; AsJob = 'Run as a background job.' }
        Examples    = @(@{ Code = 'Invoke-LoomTrain -Corpus ./docs -Checkpoint docs.quantumtensor -Dim 86 -Blocks 8 -Heads 2 -Context 64 -MaxSteps 2000'; Remarks = 'Trains on the project''s own docs.' })
    }
    'Invoke-LoomGenerate' = @{
        Synopsis = 'Samples text from a checkpoint with temperature, top-k, top-p and a seed; -Stream writes each character as it is chosen.'
        Examples = @(@{ Code = "Invoke-LoomGenerate -Checkpoint docs.quantumtensor -Prompt 'The checkpoint ' -MaxTokens 300 -Temperature 0.8 -TopK 40"; Remarks = 'Continues the prompt for 300 characters.' })
    }
    'Start-LoomChat' = @{
        Synopsis = 'An interactive console loop: each line you type is a "NAME:" turn the model continues; /temperature N, /reset, /exit.'
        Examples = @(@{ Code = 'Start-LoomChat -Checkpoint shakespeare.quantumtensor -UserName ROMEO -ModelName JULIET'; Remarks = 'Chat in the voice of the training text.' })
    }
    'Get-LoomCheckpoint' = @{
        Synopsis = 'Verifies a checkpoint''s BLAKE3 and shows its config, parameter count, step and loss histories.'
        Examples = @(@{ Code = 'Get-LoomCheckpoint docs.quantumtensor | Select-Object Step, ValidationLoss, ParameterCount'; Remarks = 'Where training stands.' })
    }
    'Measure-LoomModel' = @{
        Synopsis = 'Cross-entropy loss and bits per character of a checkpoint on a text.'
        Examples = @(@{ Code = 'Measure-LoomModel -Checkpoint shakespeare.quantumtensor -Corpus ./held-out.txt'; Remarks = 'Loss and bits per character on held-out text.' })
    }
    'Export-LoomLossPlot' = @{
        Synopsis = 'Writes a PNG of the training (smoothed) and validation loss curves; supports -WhatIf.'
        Examples = @(@{ Code = 'Export-LoomLossPlot -Checkpoint shakespeare.quantumtensor -Path loss.png -Smoothing 50'; Remarks = 'A plot of the learning curves.' })
    }
}
