// `node scripts/make-icons.mjs`: draws the app icon (two side-by-side columns, one offset: the
// baseline and its mitigated arm) and writes it for every platform into resources/build:
//   icon.png (1024, Linux/electron-builder source), icons/<n>x<n>.png (Linux sizes),
//   icon.icns (macOS: PNG entries ic07–ic10, icp4, icp5), icon.ico (Windows: PNG entries).
// No dependencies: a signed-distance rasterizer and a minimal PNG encoder. Deterministic output.
import { Buffer } from 'node:buffer';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { deflateSync } from 'node:zlib';

const outDir = join(import.meta.dirname, '..', 'resources', 'build');

// ---------- drawing (coordinates in 0..1 of the icon) ----------
function roundedRectDistance(px, py, x, y, w, h, r) {
  const cx = x + w / 2;
  const cy = y + h / 2;
  const qx = Math.abs(px - cx) - (w / 2 - r);
  const qy = Math.abs(py - cy) - (h / 2 - r);
  const outside = Math.hypot(Math.max(qx, 0), Math.max(qy, 0));
  return outside + Math.min(Math.max(qx, qy), 0) - r;
}

function mix(a, b, t) {
  return a.map((v, i) => v + (b[i] - v) * t);
}

/** Straight-alpha "over" of src (rgb 0..255, alpha 0..1) onto dst (rgba, alpha 0..1). */
function over(dst, rgb, alpha) {
  const outA = alpha + dst[3] * (1 - alpha);
  if (outA === 0) return [0, 0, 0, 0];
  const c = (i) => (rgb[i] * alpha + dst[i] * dst[3] * (1 - alpha)) / outA;
  return [c(0), c(1), c(2), outA];
}

function render(size) {
  const pixels = Buffer.alloc(size * size * 4);
  const px1 = 1 / size; // one pixel in icon units
  // macOS-style margins: the shape fills ~82% of the canvas.
  const tile = { x: 0.09, y: 0.09, w: 0.82, h: 0.82, r: 0.19 };
  const top = [99, 102, 241]; // indigo
  const bottom = [37, 99, 235]; // blue
  const columns = [
    { x: 0.25, y: 0.27, w: 0.22, h: 0.5, r: 0.05, alpha: 0.96 },
    { x: 0.53, y: 0.23, w: 0.22, h: 0.5, r: 0.05, alpha: 0.72 },
  ];
  for (let j = 0; j < size; j += 1) {
    for (let i = 0; i < size; i += 1) {
      const x = (i + 0.5) / size;
      const y = (j + 0.5) / size;
      let color = [0, 0, 0, 0];
      const dTile = roundedRectDistance(x, y, tile.x, tile.y, tile.w, tile.h, tile.r);
      const aTile = Math.min(1, Math.max(0, 0.5 - dTile / px1));
      if (aTile > 0) {
        color = over(color, mix(top, bottom, (y - tile.y) / tile.h), aTile);
        for (const c of columns) {
          const d = roundedRectDistance(x, y, c.x, c.y, c.w, c.h, c.r);
          const a = Math.min(1, Math.max(0, 0.5 - d / px1)) * c.alpha * aTile;
          if (a > 0) color = over(color, [255, 255, 255], a);
        }
      }
      const o = (j * size + i) * 4;
      pixels[o] = Math.round(color[0]);
      pixels[o + 1] = Math.round(color[1]);
      pixels[o + 2] = Math.round(color[2]);
      pixels[o + 3] = Math.round(color[3] * 255);
    }
  }
  return pixels;
}

// ---------- PNG ----------
const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k += 1) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(buffer) {
  let c = 0xffffffff;
  for (const byte of buffer) c = CRC_TABLE[(c ^ byte) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type, data) {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

function png(size) {
  const rgba = render(size);
  const raw = Buffer.alloc((size * 4 + 1) * size);
  for (let y = 0; y < size; y += 1) {
    raw[y * (size * 4 + 1)] = 0; // filter: none
    rgba.copy(raw, y * (size * 4 + 1) + 1, y * size * 4, (y + 1) * size * 4);
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header[8] = 8; // bit depth
  header[9] = 6; // RGBA
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', header), chunk('IDAT', deflateSync(raw, { level: 9 })), chunk('IEND', Buffer.alloc(0))]);
}

// ---------- ICO (PNG-compressed entries, Windows Vista and later) ----------
function ico(entries) {
  const header = Buffer.alloc(6);
  header.writeUInt16LE(0, 0);
  header.writeUInt16LE(1, 2); // icon
  header.writeUInt16LE(entries.length, 4);
  let offset = 6 + 16 * entries.length;
  const directory = entries.map(({ size, data }) => {
    const entry = Buffer.alloc(16);
    entry[0] = size >= 256 ? 0 : size;
    entry[1] = size >= 256 ? 0 : size;
    entry.writeUInt16LE(1, 4); // colour planes
    entry.writeUInt16LE(32, 6); // bits per pixel
    entry.writeUInt32LE(data.length, 8);
    entry.writeUInt32LE(offset, 12);
    offset += data.length;
    return entry;
  });
  return Buffer.concat([header, ...directory, ...entries.map((e) => e.data)]);
}

// ---------- ICNS (PNG entries) ----------
function icns(entries) {
  const parts = entries.map(({ type, data }) => {
    const head = Buffer.alloc(8);
    head.write(type, 0, 'latin1');
    head.writeUInt32BE(data.length + 8, 4);
    return Buffer.concat([head, data]);
  });
  const body = Buffer.concat(parts);
  const head = Buffer.alloc(8);
  head.write('icns', 0, 'latin1');
  head.writeUInt32BE(body.length + 8, 4);
  return Buffer.concat([head, body]);
}

const cache = new Map();
const pngOf = (size) => {
  if (!cache.has(size)) cache.set(size, png(size));
  return cache.get(size);
};

mkdirSync(join(outDir, 'icons'), { recursive: true });
writeFileSync(join(outDir, 'icon.png'), pngOf(1024));
for (const size of [16, 32, 48, 64, 128, 256, 512]) writeFileSync(join(outDir, 'icons', `${size}x${size}.png`), pngOf(size));
writeFileSync(join(outDir, 'icon.ico'), ico([16, 24, 32, 48, 64, 128, 256].map((size) => ({ size, data: pngOf(size) }))));
writeFileSync(
  join(outDir, 'icon.icns'),
  icns([
    { type: 'icp4', data: pngOf(16) },
    { type: 'icp5', data: pngOf(32) },
    { type: 'ic07', data: pngOf(128) },
    { type: 'ic08', data: pngOf(256) },
    { type: 'ic09', data: pngOf(512) },
    { type: 'ic10', data: pngOf(1024) },
  ]),
);
console.log(`Wrote icon.png, icons/*.png, icon.ico and icon.icns to ${outDir}`);
