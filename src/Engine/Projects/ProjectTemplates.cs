using System.Globalization;
using System.Net;
using System.Text;

namespace Dreamwell.Projects;

/// <summary>
/// The files New-DreamProject writes. Pages are self-contained: styles inline, no scripts, no links or images, and a
/// Content-Security-Policy that forbids loading anything, so a page reads nothing from the network wherever it is opened.
/// </summary>
internal static class ProjectTemplates
{
    /// <summary>One file the hello-universe page lists, as it is on disk when the page is made.</summary>
    public sealed record ListedFile(string Path, string About, long? Bytes, string? Blake3);

    private const string Head = """
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
        """;

    public static string BlankPage(string name, string owner, DateTimeOffset created) => $$"""
        <!doctype html>
        <html lang="en">
        <head>
        {{Head}}
        <title>{{Html(name)}}</title>
        <style>
          body { font-family: system-ui, sans-serif; max-width: 40rem; margin: 4rem auto; padding: 0 1rem; line-height: 1.5; color: #1d1f24; background: #fbfaf7; }
          h1 { font-weight: 600; letter-spacing: -0.02em; }
          code { font-family: ui-monospace, monospace; background: #eceae4; padding: 0.1em 0.3em; border-radius: 3px; }
          footer { margin-top: 3rem; color: #6b6f78; font-size: 0.9rem; }
        </style>
        </head>
        <body>
        <main>
        <h1>{{Html(name)}}</h1>
        <p>This is the signal of <strong>{{Html(name)}}</strong>, a Dreamwell project.</p>
        <p>Edit <code>signal/index.html</code>, then broadcast the folder with <code>New-Signal -Name {{Html(name)}} -Path signal</code>.</p>
        </main>
        <footer>Owner <code>{{Html(owner)}}</code> · made {{Stamp(created)}}</footer>
        </body>
        </html>

        """;

    public static string HelloUniversePage(string name, string owner, DateTimeOffset created, IReadOnlyList<ListedFile> files)
    {
        var rows = new StringBuilder();
        foreach (var file in files)
        {
            rows.Append("    <tr><td><code>").Append(Html(file.Path)).Append("</code></td><td>").Append(Html(file.About))
                .Append("</td><td class=\"n\">").Append(file.Bytes is { } b ? b.ToString("N0", CultureInfo.InvariantCulture) : "")
                .Append("</td><td><code>").Append(file.Blake3 is { } h ? Html(h[..16]) : "").Append("</code></td></tr>\n");
        }
        return $$"""
            <!doctype html>
            <html lang="en">
            <head>
            {{Head}}
            <title>Hello, universe — {{Html(name)}}</title>
            <style>
              body { margin: 0; font-family: system-ui, sans-serif; line-height: 1.5; color: #e8e6f0; min-height: 100vh;
                     background: radial-gradient(circle at 20% 30%, #2b2f6b 0, transparent 40%), radial-gradient(circle at 80% 70%, #4a1f5c 0, transparent 45%), #0b0c1a; }
              main { max-width: 46rem; margin: 0 auto; padding: 4rem 1rem; }
              h1 { font-size: 2.6rem; font-weight: 650; letter-spacing: -0.03em; margin: 0 0 0.5rem; }
              .card { background: rgba(255, 255, 255, 0.06); border: 1px solid rgba(255, 255, 255, 0.12); border-radius: 10px; padding: 1rem 1.25rem; margin: 1.5rem 0; }
              code { font-family: ui-monospace, monospace; color: #c9b8ff; }
              table { border-collapse: collapse; width: 100%; font-size: 0.92rem; }
              th, td { text-align: left; padding: 0.35rem 0.5rem; border-bottom: 1px solid rgba(255, 255, 255, 0.1); }
              th { color: #a9a6c0; font-weight: 500; }
              td.n { text-align: right; font-variant-numeric: tabular-nums; }
              footer { color: #8d8aa6; font-size: 0.85rem; }
            </style>
            </head>
            <body>
            <main>
            <h1>Hello, universe</h1>
            <p>This is <strong>{{Html(name)}}</strong>, a Dreamwell project. Everything here was written when the project was made; the page loads nothing.</p>
            <div class="card">
              <p>Woven by the identity <code>{{Html(owner)}}</code> on {{Stamp(created)}}.</p>
              <p>Anyone who joins this project's signal gets these files, checked against that identity's signature.</p>
            </div>
            <h2>The project's files</h2>
            <table>
              <thead><tr><th>Path</th><th>What it is</th><th>Bytes</th><th>BLAKE3 (first 16)</th></tr></thead>
              <tbody>
            {{rows}}  </tbody>
            </table>
            <p>Edit anything in <code>signal/</code>; keep private things in <code>state/</code>, which is never broadcast. <code>Test-DreamProject</code> checks <code>tapestry.json</code>.</p>
            <footer>Made by <code>New-DreamProject -HelloUniverse</code>.</footer>
            </main>
            </body>
            </html>

            """;
    }

    public static string HelloText(string owner, DateTimeOffset created) => $"""
        Hello, universe!
        This signal was woven by {owner} on {Stamp(created)}.

        """;

    public static string UniverseJson(string name, string owner, DateTimeOffset created) => $$"""
        {
          "greeting": "hello, universe",
          "project": "{{name}}",
          "from": "{{owner}}",
          "created": "{{Stamp(created)}}"
        }

        """;

    public static string Stamp(DateTimeOffset time) =>
        time.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static string Html(string text) => WebUtility.HtmlEncode(text);
}
