/**
 * `GET /docs`: the OpenAPI document as one readable HTML page. Plain HTML and inline CSS, no
 * script and nothing fetched from elsewhere, so it works offline and on a phone.
 */
import type { OpenApiDocument } from './openapi.ts';

type Json = Record<string, unknown>;

export function docsPage(document: OpenApiDocument): string {
  const sections = document.tags.map((tag) => {
    const operations = Object.entries(document.paths).flatMap(([path, methods]) =>
      Object.entries(methods)
        .filter(([, op]) => (op.tags as string[]).includes(tag.name))
        .map(([method, op]) => operationHtml(method, path, op)),
    );
    if (operations.length === 0) return '';
    return `<section><h2 id="${escape(tag.name)}">${escape(tag.name)} <small>${escape(tag.description)}</small></h2>${operations.join('')}</section>`;
  });
  const schemas = Object.entries(document.components.schemas)
    .map(
      ([name, schema]) =>
        `<h3 id="schema-${escape(name)}">${escape(name)}</h3><pre>${escape(JSON.stringify(schema, null, 2))}</pre>`,
    )
    .join('');
  const toc = document.tags.map((t) => `<a href="#${escape(t.name)}">${escape(t.name)}</a>`).join(' · ');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escape(document.info.title)} ${escape(document.info.version)}</title>
<style>
body{background:#0d1117;color:#c9d1d9;font:14px/1.5 ui-monospace,Menlo,Consolas,monospace;margin:0 auto;max-width:1000px;padding:1rem}
a{color:#58a6ff}h1{color:#7ee787}h2{border-bottom:1px solid #30363d;color:#7ee787;margin-top:2rem}h2 small{color:#8b949e;font-size:.7em}
.op{border:1px solid #30363d;border-radius:4px;margin:.8rem 0;padding:.6rem .8rem}
.m{border-radius:3px;color:#0d1117;font-weight:bold;padding:0 .4rem;text-transform:uppercase}
.get{background:#58a6ff}.post{background:#7ee787}.delete{background:#ff7b72}
.path{color:#f0f6fc;font-weight:bold}.open{color:#d29922}
table{border-collapse:collapse;margin:.4rem 0}td,th{border:1px solid #30363d;padding:.15rem .5rem;text-align:left;vertical-align:top}
pre{background:#161b22;overflow:auto;padding:.5rem}code{color:#ffa657}
</style></head><body>
<h1>${escape(document.info.title)} <small>${escape(document.info.version)}</small></h1>
<p>${inline(document.info.description)}</p>
<p>Machine-readable: <a href="/openapi.json">/openapi.json</a> (OpenAPI ${escape(document.openapi)}). ${toc} · <a href="#schemas">Schemas</a></p>
${sections.join('\n')}
<section><h2 id="schemas">Schemas</h2>${schemas}</section>
</body></html>
`;
}

function operationHtml(method: string, path: string, op: Json): string {
  const open = Array.isArray(op.security) && op.security.length === 0;
  const params = (op.parameters as Json[]).map(
    (p) =>
      `<tr><td><code>${escape(String(p.name))}</code></td><td>${escape(String(p.in))}${p.required ? ', required' : ''}</td><td>${escape(typeText(p.schema as Json))}</td><td>${inline(String(p.description ?? ''))}</td></tr>`,
  );
  const responses = Object.entries(op.responses as Record<string, Json>).map(([status, response]) => {
    const ref = typeof response.$ref === 'string' ? response.$ref.split('/').pop()! : null;
    return `<tr><td>${escape(status)}</td><td>${ref ? escape(ref) : inline(String(response.description ?? ''))}</td></tr>`;
  });
  const bodyRef = (op.requestBody as { content: Record<string, { schema: { $ref: string } }> } | undefined)
    ?.content['application/json']?.schema.$ref;
  const body = bodyRef
    ? `<p>Body: <a href="#schema-${escape(bodyRef.split('/').pop()!)}">${escape(bodyRef.split('/').pop()!)}</a> (JSON)</p>`
    : '';
  return `<div class="op"><span class="m ${escape(method)}">${escape(method)}</span> <span class="path">${escape(path)}</span>${open ? ' <span class="open">(no token)</span>' : ''}
<p><b>${escape(String(op.summary))}</b>${op.description ? ` — ${inline(String(op.description))}` : ''}</p>
${params.length ? `<table><tr><th>parameter</th><th>in</th><th>type</th><th></th></tr>${params.join('')}</table>` : ''}${body}
<table><tr><th>status</th><th>answer</th></tr>${responses.join('')}</table></div>`;
}

function typeText(schema: Json | undefined): string {
  if (!schema) return '';
  if (Array.isArray(schema.enum)) return schema.enum.join(' | ');
  const parts = [String(schema.type ?? 'any')];
  if (schema.minimum !== undefined) parts.push(`>= ${String(schema.minimum)}`);
  if (schema.maximum !== undefined && Number(schema.maximum) < Number.MAX_SAFE_INTEGER)
    parts.push(`<= ${String(schema.maximum)}`);
  if (schema.default !== undefined) parts.push(`default ${JSON.stringify(schema.default)}`);
  return parts.join(', ');
}

/** Escapes, then turns `code` spans into <code>. */
function inline(text: string): string {
  return escape(text).replace(/`([^`]+)`/g, '<code>$1</code>');
}

function escape(text: string): string {
  return text.replace(
    /[&<>"']/g,
    (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch]!,
  );
}
