/** Labelled form controls: every control is a native input with a <label>, so keyboards reach it. */
import type { ComponentChildren } from 'preact';
import { useId } from 'preact/hooks';

const fmt = (v: number): string => String(Number(v.toPrecision(4)));

export interface SliderProps {
  label: string;
  value: number;
  min: number;
  max: number;
  /** Step of a linear slider (default: 1/200 of the range). */
  step?: number;
  /** A log-scale slider: the thumb moves log10(value) linearly. */
  log?: boolean;
  onInput: (v: number) => void;
  hint?: string;
}

/** A range slider with its value in an editable number field beside it. */
export function Slider(p: SliderProps): preact.JSX.Element {
  const id = useId();
  const toPos = (v: number): number => (p.log ? Math.log10(v) : v);
  const fromPos = (t: number): number => (p.log ? Number((10 ** t).toPrecision(4)) : t);
  const lo = toPos(p.min);
  const hi = toPos(p.max);
  const step = p.log ? (hi - lo) / 200 : (p.step ?? (p.max - p.min) / 200);
  return (
    <div class="control slider">
      <label for={id}>{p.label}</label>
      <input
        id={id}
        type="range"
        min={lo}
        max={hi}
        step={step}
        value={toPos(p.value)}
        onInput={(e) => p.onInput(fromPos(Number(e.currentTarget.value)))}
      />
      <input
        type="number"
        aria-label={`${p.label} value`}
        value={fmt(p.value)}
        step="any"
        onChange={(e) => {
          const v = Number(e.currentTarget.value);
          if (Number.isFinite(v) && (!p.log || v > 0)) p.onInput(v);
        }}
      />
      {p.hint ? <small>{p.hint}</small> : null}
    </div>
  );
}

export function Toggle(p: {
  label: string;
  checked: boolean;
  onChange: (v: boolean) => void;
  hint?: string;
}): preact.JSX.Element {
  const id = useId();
  return (
    <div class="control toggle">
      <input
        id={id}
        type="checkbox"
        checked={p.checked}
        onChange={(e) => p.onChange(e.currentTarget.checked)}
      />
      <label for={id}>{p.label}</label>
      {p.hint ? <small>{p.hint}</small> : null}
    </div>
  );
}

export function Choice<T extends string | number>(p: {
  label: string;
  value: T;
  options: readonly T[];
  onChange: (v: T) => void;
  format?: (v: T) => string;
  disabled?: boolean;
}): preact.JSX.Element {
  const id = useId();
  return (
    <div class="control choice">
      <label for={id}>{p.label}</label>
      <select
        id={id}
        disabled={p.disabled}
        value={String(p.value)}
        onChange={(e) => {
          const i = e.currentTarget.selectedIndex;
          p.onChange(p.options[i]);
        }}
      >
        {p.options.map((o) => (
          <option key={String(o)} value={String(o)}>
            {p.format ? p.format(o) : String(o)}
          </option>
        ))}
      </select>
    </div>
  );
}

export function NumberField(p: {
  label: string;
  value: number;
  onChange: (v: number) => void;
  min?: number;
  max?: number;
  step?: number | 'any';
}): preact.JSX.Element {
  const id = useId();
  return (
    <div class="control number">
      <label for={id}>{p.label}</label>
      <input
        id={id}
        type="number"
        value={fmt(p.value)}
        min={p.min}
        max={p.max}
        step={p.step ?? 'any'}
        onChange={(e) => {
          const v = Number(e.currentTarget.value);
          if (Number.isFinite(v)) p.onChange(v);
        }}
      />
    </div>
  );
}

export function Controls(p: { children: ComponentChildren; label?: string }): preact.JSX.Element {
  return (
    <fieldset class="controls">
      {p.label ? <legend>{p.label}</legend> : null}
      {p.children}
    </fieldset>
  );
}
