namespace Dreamwell.Node;

/// <summary>Something that happened in a running node; Start-Tesseract's job emits these.</summary>
public sealed record TesseractEvent(DateTimeOffset Time, string Kind, string? QuantumId, string? Address, string Message);
