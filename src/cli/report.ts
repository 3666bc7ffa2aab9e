/**
 * The tour's outputs: a plain-text summary for the terminal, and one
 * self-contained HTML report (inline CSS and SVG, no scripts, no network).
 */
import { textTable } from './tour/util.js';
import type { SectionResult } from './tour/types.js';

const esc = (s: string): string =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** The one-line-per-section summary table. */
export function summaryTable(results: readonly SectionResult[]): string {
  return textTable({
    columns: ['section', 'claim holds', 'time', 'figures'],
    rows: results.map((r) => [
      r.title.split(/[:,]/)[0],
      r.holds ? 'yes' : 'NO',
      `${r.seconds.toFixed(1)}s`,
      r.figures.length,
    ]),
  });
}

/** A section as text: title, claim, tables, verdict. */
export function sectionText(r: SectionResult): string {
  return [
    `\n== ${r.title} ==`,
    `claim: ${r.claim}`,
    ...r.tables.map((t) => textTable(t)),
    `${r.holds ? '✓ holds' : '✗ does NOT hold'}: ${r.evidence}`,
  ].join('\n');
}

export interface ReportMeta {
  seed: number;
  quick: boolean;
  totalSeconds: number;
  nodeVersion: string;
  date: string;
}

/** A number, possibly with a unit or a ratio ("12.3 s", "4.5%", "3/10", "1.2e-3", "✓ yes" is not). */
const NUMERIC = /^[-+−]?(\d[\d,]*\.?\d*(e[-+]?\d+)?|\d+\/\d+|NaN|Infinity)\s*(%|s|ms|×)?$/i;

function htmlTable(t: SectionResult['tables'][number]): string {
  // Numbers are right-aligned (so digits line up), text is left-aligned.
  const numeric = t.columns.map((_c, j) =>
    t.rows.every((r) => typeof r[j] === 'number' || NUMERIC.test(String(r[j]).trim())),
  );
  const cls = (j: number): string => (numeric[j] ? ' class="num"' : '');
  const head = t.columns.map((c, j) => `<th${cls(j)}>${esc(c)}</th>`).join('');
  const body = t.rows
    .map((r) => `<tr>${r.map((c, j) => `<td${cls(j)}>${esc(String(c))}</td>`).join('')}</tr>`)
    .join('\n');
  return `<div class="table"><table><thead><tr>${head}</tr></thead><tbody>${body}</tbody></table></div>`;
}

/** The whole report as one HTML document. */
export function htmlReport(results: readonly SectionResult[], meta: ReportMeta): string {
  const held = results.filter((r) => r.holds).length;
  const summary = htmlTable({
    columns: ['section', 'claim holds', 'time', 'evidence'],
    rows: results.map((r) => [
      r.title,
      r.holds ? '✓ yes' : '✗ no',
      `${r.seconds.toFixed(1)} s`,
      r.evidence,
    ]),
  });
  const sections = results
    .map(
      (r) => `<section id="${esc(r.id)}">
<h2>${esc(r.title)}</h2>
<p class="claim"><b>Claim.</b> ${esc(r.claim)}</p>
${r.setup.map((p) => `<p>${esc(p)}</p>`).join('\n')}
${r.tables.map(htmlTable).join('\n')}
<p class="verdict ${r.holds ? 'ok' : 'bad'}">${r.holds ? '✓ The measurements bear the claim out' : '✗ The measurements do not bear the claim out'}: ${esc(r.evidence)}.</p>
${r.html ?? ''}
<div class="figures">${r.figures.map((f) => `<figure>${f.svg}<figcaption>${esc(f.caption)}</figcaption></figure>`).join('\n')}</div>
</section>`,
    )
    .join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<title>nnkit tour</title>
<style>
body{font-family:system-ui,sans-serif;max-width:1040px;margin:2em auto;padding:0 1em;color:#222;line-height:1.45}
.table{overflow-x:auto}table{border-collapse:collapse;margin:.8em 0;font-size:.92em}
th,td{border:1px solid #ccc;padding:.25em .6em;text-align:left;vertical-align:top}
th.num,td.num{text-align:right;font-variant-numeric:tabular-nums}th{background:#f4f4f4}
.verdict.ok{color:#176317}.verdict.bad{color:#a11}.claim{background:#f7f7fb;padding:.5em .8em;border-left:3px solid #99c}
.figures{display:grid;grid-template-columns:repeat(auto-fill,minmax(min(100%,460px),1fr));gap:16px;margin:1em 0}
#activation-gallery .figures{grid-template-columns:repeat(auto-fill,minmax(min(100%,300px),1fr))}
figure{margin:0}figure svg{display:block;width:100%;height:auto;border:1px solid #e4e4e4;border-radius:4px}
figcaption{font-size:.88em;color:#555;margin-top:.3em}
pre.gallery{font-size:.78em;overflow-x:auto;background:#fafafa;padding:.6em}
section{border-top:1px solid #ddd;margin-top:2em}
</style></head><body>
<h1>nnkit tour</h1>
<p>Each section trains small networks with nnkit on generated data and checks one claim of the lecture with measured numbers. ${held} of ${results.length} claims hold. Seed ${meta.seed}${meta.quick ? ', quick mode' : ''}; ${meta.totalSeconds.toFixed(1)} s on Node ${esc(meta.nodeVersion)}, ${esc(meta.date)}.</p>
${summary}
${sections}
</body></html>
`;
}
