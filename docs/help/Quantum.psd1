@{
    'New-DensityMatrix' = @{
        Synopsis    = 'Creates a validated density matrix from populations, a full matrix, or a state vector.'
        Description = 'Checks that the result is Hermitian, has trace 1 and is positive semidefinite within -Tolerance (default 1e-9); a violation is an error whose id names the property: NotHermitian, TraceNotOne, NotPositiveSemidefinite (also NotSquare, NotFinite, ZeroStateVector). Entries may be numbers, [System.Numerics.Complex] or strings such as ''0.1-0.2i''. A state vector is normalised.'
        Parameters  = @{ Populations = 'Diagonal entries (probabilities summing to 1); no coherences.'; Matrix = 'Rows of the matrix.'; StateVector = 'Amplitudes of a pure state |ψ⟩.'; Tolerance = 'Absolute tolerance for the validity checks.' }
        Examples    = @(@{ Code = "New-DensityMatrix -Matrix @(0.5, '0.5i'), @('-0.5i', 0.5)"; Remarks = 'A pure qubit state, printed as an aligned matrix.' })
    }
    'Measure-DensityMatrix' = @{
        Synopsis   = 'Measures a density matrix: eigenvalues, von Neumann entropy, purity, and ⟨H⟩ and free energy for a Hamiltonian.'
        Parameters = @{ InputObject = 'The state (pipeline, or the State property of Invoke-DensityEvolution output).'; Hamiltonian = 'A flat list of energies (diagonal H) or rows of a Hermitian matrix; enables Energy and FreeEnergy.'; Temperature = 'T in F = ⟨H⟩ − T·S (default 1).' }
        Examples   = @(@{ Code = 'New-DensityMatrix -Populations 0.2,0.2,0.2,0.2,0.2 | Measure-DensityMatrix -Hamiltonian 0,1,1,2,3 -Temperature 0.5'; Remarks = 'Entropy ln 5, purity 0.2, energy 1.4, free energy 1.4 − 0.5·ln 5.' })
    }
    'Invoke-DensityEvolution' = @{
        Synopsis    = 'Evolves a density matrix under a Lindblad master equation and streams the state after every step.'
        Description = 'dρ/dt = −i[H,ρ] + Σ (LρL† − ½{L†L,ρ}), integrated by RK4 on sub-steps with re-projection onto valid states. -Dephasing γ makes every coherence decay as e^(−γt); -AmplitudeDamping γ empties every other level into -DampingTarget as e^(−γt). Step 0 is the initial state.'
        Parameters  = @{ InputObject = 'The initial state.'; TimeStep = 'Length of one step.'; Steps = 'Number of steps (default 10).'; Dephasing = 'Dephasing rate on every level.'; AmplitudeDamping = 'Decay rate into -DampingTarget.'; DampingTarget = 'Level that amplitude damping empties into (default 0).'; Hamiltonian = 'Energies or Hermitian rows for the coherent part.' }
        Examples    = @(@{ Code = 'New-DensityMatrix -StateVector 1,1 | Invoke-DensityEvolution -TimeStep 0.5 -Steps 8 -Dephasing 1 | Measure-DensityMatrix'; Remarks = 'Entropy rising from 0 towards ln 2 as the coherence decays.' })
    }
    'Get-DreamHealthModel' = @{
        Synopsis    = 'Evaluates the tesseract health model on given service observations: ρ, eigenvalues, free energy and alerts.'
        Description = 'Observations (hashtables or [Dreamwell.Quantum.ServiceObservation]: Service, Up, LatencyMs, ErrorRate, QueueDepth, PeerCount) become a 5×5 density matrix as described in docs/health-model.md; the report lists the alerts that fire, so runbooks can test alert rules offline. -DecaySeconds applies trust decay (Lindblad dephasing) as if no news arrived for that long. -Quick returns the eigensolve-free bounds instead.'
        Parameters  = @{ Observation = 'Service observations; the latest per service wins.'; Options = 'A [Dreamwell.Quantum.TesseractHealthOptions] with other thresholds.'; DecaySeconds = 'Seconds of trust decay to apply.'; Quick = 'Return HealthBounds (exact energy and purity, bracketed F) without an eigensolve.' }
        Examples    = @(@{ Code = "Get-DreamHealthModel -Observation @{ Service = 'Universe'; LatencyMs = 11 }, @{ Service = 'FQTP'; ErrorRate = 0.6 }, @{ Service = 'LQTP' }, @{ Service = 'QCloud'; Up = `$false }, @{ Service = 'Peers'; PeerCount = 8 }"; Remarks = 'Critical: ServiceDown(QCloud), CoherenceLoss on Universe–FQTP and FQTP–LQTP, FreeEnergyExcess (F/T ≈ 0.79 nats).' })
    }
    'Export-DensityMatrixPlot' = @{
        Synopsis   = 'Writes a heat-map PNG of a density matrix (magnitude, real or imaginary part of each entry).'
        Parameters = @{ InputObject = 'The state.'; Path = 'Destination PNG.'; Part = 'Magnitude (default), Real or Imaginary.'; Width = 'Pixels (default 640).'; Height = 'Pixels (default 520).'; Title = 'Plot title.'; Force = 'Replace an existing file.' }
        Examples   = @(@{ Code = '(Get-DreamHealthModel -Observation $observations).State | Export-DensityMatrixPlot -Path ./rho.png'; Remarks = 'Rows and columns are labelled with the service names for 5×5 states.' })
    }
}
