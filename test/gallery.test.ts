/** The activation gallery of the main job: table values and figures. */
import { describe, expect, it } from 'vitest';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  GALLERY,
  TABLE_POINTS,
  galleryTable,
  valuesAndGradients,
  writeGallery,
} from '../src/cli/activations-gallery.js';

describe('activation gallery', () => {
  it('tabulates values and autograd gradients at the kinks as PyTorch defines them', () => {
    const relu = valuesAndGradients((x) => x.relu(), [-1, 0, 2]);
    expect(relu).toEqual({ y: [0, 0, 2], dy: [0, 0, 1] });
    const table = galleryTable();
    for (const e of GALLERY) expect(table).toContain(e.name);
    expect(table.split('\n')).toHaveLength(2 + 2 * GALLERY.length);
    expect(TABLE_POINTS).toContain(0);
  });

  it('writes one SVG per activation with both curves', () => {
    const dir = mkdtempSync(join(tmpdir(), 'nnkit-gallery-'));
    const files = writeGallery(dir);
    expect(files).toHaveLength(GALLERY.length);
    expect(readdirSync(dir).sort()).toEqual([...files].sort());
    const svg = readFileSync(join(dir, files[0]), 'utf8');
    expect(svg.startsWith('<svg')).toBe(true);
    // Two line marks (Observable Plot labels each mark's group), f and its derivative.
    expect(svg.match(/aria-label="line"/g)).toHaveLength(2);
    expect(svg).toContain("f'(x)");
  });
});
