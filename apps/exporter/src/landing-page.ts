// The page served at `/` (and, as upstream's Go mux does, at any unknown path).
const escapeHtml = (text: string): string =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);

export function landingPage(options: { telemetryPath: string; configNames: readonly string[]; dashboard: boolean; debug: boolean }): string {
  const links = [
    `<li><a href="${escapeHtml(options.telemetryPath)}">Metrics</a></li>`,
    options.dashboard ? '<li><a href="/dashboard/">Dashboard</a> — heatmaps and rates of the loaded configs</li>' : '',
    options.debug ? '<li><a href="/maps">Maps</a> — raw BPF map contents (debug)</li>' : '',
  ].filter(Boolean);
  return `<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><title>eBPF Exporter</title></head>
<body>
<h1>eBPF Exporter</h1>
<ul>
${links.join('\n')}
</ul>
<p>Loaded configs: ${options.configNames.map(escapeHtml).join(', ')}</p>
</body>
</html>
`;
}
