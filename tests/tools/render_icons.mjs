// Renders the app's PNG icons from its SVGs with the same Chromium the
// browser tests drive (run after changing web/icon.svg or
// web/icons/icon-maskable.svg, then commit the PNGs):
//   node tests/tools/render_icons.mjs
// PNGs because Android's install prompt wants 192 and 512 px PNGs, a
// maskable one for its adaptive shapes, and iPadOS ignores an SVG
// apple-touch-icon (it rounds a square 180 px PNG itself).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { launchBrowser } from '../browser/support.mjs';

const web = path.join(path.dirname(fileURLToPath(import.meta.url)), '../../web');
const ICONS = [
  { svg: 'icon.svg', out: 'icons/icon-192.png', size: 192, background: 'transparent' },
  { svg: 'icon.svg', out: 'icons/icon-512.png', size: 512, background: 'transparent' },
  { svg: 'icons/icon-maskable.svg', out: 'icons/icon-maskable-512.png', size: 512 },
  { svg: 'icons/icon-maskable.svg', out: 'icons/apple-touch-icon.png', size: 180 },
];

const browser = await launchBrowser();
try {
  for (const icon of ICONS) {
    const page = await browser.newPage({ viewport: { width: icon.size, height: icon.size } });
    const svg = readFileSync(path.join(web, icon.svg), 'utf8');
    await page.setContent(`<style>html,body{margin:0;background:${icon.background ?? '#1f4e5f'}}svg{display:block;width:${icon.size}px;height:${icon.size}px}</style>${svg}`);
    await page.screenshot({ path: path.join(web, icon.out), omitBackground: icon.background === 'transparent' });
    await page.close();
    console.log(`${icon.out} (${icon.size}×${icon.size}) from ${icon.svg}`);
  }
} finally {
  await browser.close();
}
