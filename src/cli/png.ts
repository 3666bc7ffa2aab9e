/**
 * PNG output for `nnkit plot`: the SVG, rasterised by a Chromium or Chrome
 * that is already installed (headless `--screenshot`, at twice the CSS
 * pixels). nnkit ships no rasteriser and no dependency for this: a browser
 * draws the figure exactly as the SVG looks, text included, and a
 * hand-written one would need its own font. Without a browser the error
 * says to write an .svg instead.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { pathToFileURL } from 'node:url';

const NAMES = ['chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable', 'chrome'];
const FIXED = [
  '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
  '/Applications/Chromium.app/Contents/MacOS/Chromium',
  'C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe',
];

/** The browser to use: $CHROME_PATH, else the first Chromium or Chrome on PATH or in its usual place. */
export function findChromium(env: NodeJS.ProcessEnv = process.env): string | null {
  if (env.CHROME_PATH) return existsSync(env.CHROME_PATH) ? env.CHROME_PATH : null;
  for (const dir of (env.PATH ?? '').split(delimiter).filter(Boolean)) {
    for (const name of NAMES) {
      const p = join(dir, name);
      if (existsSync(p)) return p;
    }
  }
  return FIXED.find((p) => existsSync(p)) ?? null;
}

/** Rasterises `svg` (of `width`×`height` CSS pixels) to PNG bytes at 2× scale. */
export function svgToPng(svg: string, width: number, height: number, scale = 2): Buffer {
  const browser = findChromium();
  if (!browser) {
    throw new Error(
      'PNG output needs Chromium or Chrome (none found on PATH; set CHROME_PATH to one), ' +
        'or write an .svg instead (--out figure.svg)',
    );
  }
  const dir = mkdtempSync(join(tmpdir(), 'nnkit-png-'));
  try {
    const page = join(dir, 'figure.svg');
    const png = join(dir, 'figure.png');
    writeFileSync(page, svg);
    const root = typeof process.getuid === 'function' && process.getuid() === 0;
    execFileSync(
      browser,
      [
        '--headless',
        ...(root ? ['--no-sandbox'] : []), // Chromium refuses to run as root inside its sandbox
        '--disable-gpu',
        '--hide-scrollbars',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        `--user-data-dir=${join(dir, 'profile')}`,
        `--force-device-scale-factor=${scale}`,
        `--window-size=${width},${height}`,
        `--screenshot=${png}`,
        pathToFileURL(page).href,
      ],
      { stdio: 'ignore', timeout: 60_000 },
    );
    if (!existsSync(png)) throw new Error(`${browser} wrote no screenshot`);
    return readFileSync(png);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
