/** The small page the browser shows after the redirect: self-contained, no external resources. */

export interface CallbackPage {
  ok: boolean;
  title: string;
  message: string;
  fix?: string;
}

const escapeHtml = (text: string) =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

export function renderCallbackPage(page: CallbackPage): string {
  const accent = page.ok ? '#1a7f37' : '#cf222e';
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(page.title)}</title>
<style>
body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;margin:0;display:flex;min-height:100vh;align-items:center;justify-content:center;background:#f6f8fa;color:#1f2328}
main{max-width:34rem;padding:2rem;background:#fff;border-radius:8px;border-top:4px solid ${accent};box-shadow:0 1px 3px rgba(0,0,0,.15)}
h1{font-size:1.3rem;margin:0 0 .8rem;color:${accent}}p{line-height:1.5;margin:.5rem 0}
@media (prefers-color-scheme:dark){body{background:#0d1117;color:#e6edf3}main{background:#161b22}}
</style></head>
<body><main data-outcome="${page.ok ? 'success' : 'failure'}"><h1>${escapeHtml(page.title)}</h1>
<p>${escapeHtml(page.message)}</p>${page.fix ? `<p>${escapeHtml(page.fix)}</p>` : ''}
<p>You can close this tab.</p></main></body></html>
`;
}
