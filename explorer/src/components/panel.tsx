/** A panel: title, the lecture's explanation, then its content. */
import type { ComponentChildren } from 'preact';

export function Panel(p: {
  id: string;
  title: string;
  intro: ComponentChildren;
  children: ComponentChildren;
}): preact.JSX.Element {
  return (
    <section class="panel" id={`panel-${p.id}`} aria-labelledby={`h-${p.id}`}>
      <h2 id={`h-${p.id}`}>{p.title}</h2>
      <div class="intro">{p.intro}</div>
      {p.children}
    </section>
  );
}

/** Six significant digits, as the read-outs show numbers. */
export const show = (v: number): string =>
  Number.isFinite(v) ? String(Number(v.toPrecision(6))) : String(v);

/**
 * A labelled number: the text shows six significant digits, `data-value` keeps the full
 * float so that tests compare it with nnkit in Node.
 */
export function Readout(p: {
  label: string;
  value: number;
  testId: string;
  unit?: string;
}): preact.JSX.Element {
  return (
    <div class="readout">
      <span>{p.label}</span>{' '}
      <output data-testid={p.testId} data-value={String(p.value)}>
        {show(p.value)}
      </output>
      {p.unit ? ` ${p.unit}` : null}
    </div>
  );
}
