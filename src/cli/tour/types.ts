/** What every tour section receives and returns. */
import type { ProgressBar } from '../progress.js';

export interface TourContext {
  /** Small, fast version (for tests). */
  quick: boolean;
  /** Base seed; every section derives its own from it, so sections are independent. */
  seed: number;
  progress: (label: string, total: number) => ProgressBar;
}

export interface Figure {
  /** File name inside the output folder, e.g. `dying-relu-loss.svg`. */
  file: string;
  caption: string;
  svg: string;
}

export interface Table {
  columns: string[];
  rows: (string | number)[][];
}

export interface SectionResult {
  id: string;
  title: string;
  /** The lecture's claim, in one sentence. */
  claim: string;
  /** Whether the measured numbers bear the claim out. */
  holds: boolean;
  /** The measurement that decides `holds`, in words with numbers. */
  evidence: string;
  /** How the experiment was set up (paragraphs). */
  setup: string[];
  tables: Table[];
  figures: Figure[];
  /** Numbers for tests and the summary, by name. */
  metrics: Record<string, number>;
  /** Extra HTML (already escaped) appended to the section, e.g. the gallery table. */
  html?: string;
  seconds: number;
}

export type Section = (ctx: TourContext) => Omit<SectionResult, 'seconds'>;
