namespace Dreamwell.Cmdlets; internal static class Placeholder {}
