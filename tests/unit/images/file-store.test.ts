import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createImageFileStore, imageSize, THUMBNAIL_SIZE } from '../../../electron/services/images/file-store';
import { solidPng } from '../../support/fake-bedrock/png';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'parallax-image-files-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('image file store', () => {
  it('names files by content hash and stores the same bytes once', () => {
    const store = createImageFileStore(dir);
    const png = solidPng(8, 6, [10, 20, 30]);
    const first = store.put(png);
    const again = store.put(Buffer.from(png));
    expect(first).toEqual(again);
    expect(first).toMatchObject({ mimeType: 'image/png', byteLength: png.length, width: 8, height: 6 });
    expect(first.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(readdirSync(join(dir, first.hash.slice(0, 2)))).toEqual([`${first.hash}.png`]);
    expect(store.readSync(first.hash, 'image/png').equals(png)).toBe(true);
  });

  it('refuses bytes that are not an image, and hashes that are not its own', async () => {
    const store = createImageFileStore(dir);
    expect(() => store.put(Buffer.from('<svg onload="alert(1)"></svg>'))).toThrow(/not a PNG, JPEG or WebP image/);
    await expect(store.read('../../etc/passwd', 'image/png')).rejects.toThrow(/not an image reference/);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('makes a JPEG thumbnail of an opaque image on first request, at most 256 px on the long side, with the average colour', async () => {
    const store = createImageFileStore(dir);
    const { hash } = store.put(solidPng(1024, 512, [200, 100, 50]));
    const thumb = await store.readThumbnail(hash, 'image/png');
    expect(thumb.mimeType).toBe('image/jpeg');
    const decoded = jpeg.decode(thumb.bytes, { useTArray: true });
    expect([decoded.width, decoded.height]).toEqual([THUMBNAIL_SIZE, THUMBNAIL_SIZE / 2]);
    [...decoded.data.subarray(0, 3)].forEach((channel, i) => expect(Math.abs(channel - [200, 100, 50][i]!)).toBeLessThanOrEqual(2));
    expect(readdirSync(join(dir, hash.slice(0, 2))).sort()).toEqual([`${hash}.png`, `${hash}.thumb.jpg`]);
    // kept: the second request reads the same file
    expect((await store.readThumbnail(hash, 'image/png')).bytes.equals(thumb.bytes)).toBe(true);
    // a small image is its own thumbnail
    const small = store.put(solidPng(16, 16, [1, 1, 1]));
    expect((await store.readThumbnail(small.hash, 'image/png')).bytes.length).toBe(small.byteLength);
  });

  it('keeps transparency: a thumbnail of an image with alpha is a PNG', async () => {
    const store = createImageFileStore(dir);
    const png = new PNG({ width: 512, height: 512 });
    for (let i = 0; i < png.data.length; i += 4) png.data.set([10, 200, 30, i % 8 === 0 ? 0 : 255], i);
    const { hash } = store.put(PNG.sync.write(png));
    const thumb = await store.readThumbnail(hash, 'image/png');
    expect(thumb.mimeType).toBe('image/png');
    expect(PNG.sync.read(thumb.bytes).data[3]).toBeLessThan(255);
    expect(readdirSync(join(dir, hash.slice(0, 2))).sort()).toEqual([`${hash}.png`, `${hash}.thumb.png`]);
  });

  it('still serves a PNG thumbnail made before thumbnails were JPEG', async () => {
    const store = createImageFileStore(dir);
    const { hash } = store.put(solidPng(512, 512, [5, 6, 7]));
    const old = solidPng(256, 256, [5, 6, 7]);
    writeFileSync(join(dir, hash.slice(0, 2), `${hash}.thumb.png`), old);
    const thumb = await store.readThumbnail(hash, 'image/png');
    expect(thumb).toMatchObject({ mimeType: 'image/png' });
    expect(thumb.bytes.equals(old)).toBe(true);
    store.remove(hash, 'image/png');
    expect(readdirSync(join(dir, hash.slice(0, 2)))).toEqual([]);
  });

  it('reads sizes from headers without decoding', () => {
    expect(imageSize(solidPng(33, 44, [0, 0, 0]), 'image/png')).toEqual({ width: 33, height: 44 });
    const jpegHeader = Buffer.from([0xff, 0xd8, 0xff, 0xc0, 0x00, 0x11, 0x08, 0x01, 0x2c, 0x02, 0x58, 0x03, 0, 0, 0, 0]);
    expect(imageSize(jpegHeader, 'image/jpeg')).toEqual({ width: 600, height: 300 });
  });

  it('removes a file and its thumbnail; a removed file is a clear not-found', async () => {
    const store = createImageFileStore(dir);
    const { hash } = store.put(solidPng(512, 512, [9, 9, 9]));
    await store.readThumbnail(hash, 'image/png');
    store.remove(hash, 'image/png');
    expect(readdirSync(join(dir, hash.slice(0, 2)))).toEqual([]);
    await expect(store.read(hash, 'image/png')).rejects.toThrow(/missing from the Parallax data folder/);
  });
});
