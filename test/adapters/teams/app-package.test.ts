import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { inflateRawSync, inflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { commands } from '../../../commands/index.js';
import { PLACEHOLDER_APP_ID, crc32, teamsAppPackage, teamsManifest } from '../../../src/adapters/teams/app-package.js';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const APP_ID = '11111111-2222-3333-4444-555555555555';

/** Reads a zip through its central directory, as Teams does, checking every CRC. */
export function unzip(buf: Buffer): Map<string, Buffer> {
  const end = buf.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  expect(end).toBeGreaterThan(0);
  const count = buf.readUInt16LE(end + 10);
  let at = buf.readUInt32LE(end + 16);
  const out = new Map<string, Buffer>();
  for (let i = 0; i < count; i++) {
    expect(buf.readUInt32LE(at)).toBe(0x02014b50);
    const method = buf.readUInt16LE(at + 10);
    const crc = buf.readUInt32LE(at + 16);
    const packed = buf.readUInt32LE(at + 20);
    const size = buf.readUInt32LE(at + 24);
    const nameLen = buf.readUInt16LE(at + 28);
    const extra = buf.readUInt16LE(at + 30);
    const comment = buf.readUInt16LE(at + 32);
    const local = buf.readUInt32LE(at + 42);
    const name = buf.subarray(at + 46, at + 46 + nameLen).toString('utf8');
    expect(buf.readUInt32LE(local)).toBe(0x04034b50);
    const dataAt = local + 30 + buf.readUInt16LE(local + 26) + buf.readUInt16LE(local + 28);
    const raw = buf.subarray(dataAt, dataAt + packed);
    const data = method === 8 ? inflateRawSync(raw) : Buffer.from(raw);
    expect(data.length).toBe(size);
    expect(crc32(data)).toBe(crc);
    out.set(name, data);
    at += 46 + nameLen + extra + comment;
  }
  return out;
}

function pngInfo(png: Buffer): { width: number; height: number; colourType: number; pixels: Buffer } {
  expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  expect(png.subarray(12, 16).toString('ascii')).toBe('IHDR');
  const idatLen = png.readUInt32BE(33);
  expect(png.subarray(37, 41).toString('ascii')).toBe('IDAT');
  expect(crc32(png.subarray(12, 29))).toBe(png.readUInt32BE(29));
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20), colourType: png[25]!, pixels: inflateSync(png.subarray(41, 41 + idatLen)) };
}

describe('Teams app package', () => {
  it('zips manifest.json, a 192×192 colour icon and a 32×32 outline icon', () => {
    const { zip } = teamsAppPackage({ appId: APP_ID, commands, version: '0.1.0' });
    const files = unzip(zip);
    expect([...files.keys()]).toEqual(['manifest.json', 'color.png', 'outline.png']);
    const color = pngInfo(files.get('color.png')!);
    expect(color).toMatchObject({ width: 192, height: 192, colourType: 6 });
    expect(color.pixels.length).toBe((192 * 4 + 1) * 192);
    const outline = pngInfo(files.get('outline.png')!);
    expect(outline).toMatchObject({ width: 32, height: 32, colourType: 6 });
    // The outline is white where drawn and transparent elsewhere.
    const alphas = new Set<number>();
    const colours = new Set<string>();
    for (let y = 0; y < 32; y++) {
      for (let x = 0; x < 32; x++) {
        const p = y * (32 * 4 + 1) + 1 + x * 4;
        alphas.add(outline.pixels[p + 3]!);
        if (outline.pixels[p + 3]) colours.add(outline.pixels.subarray(p, p + 3).toString('hex'));
      }
    }
    expect([...alphas].sort()).toEqual([0, 255]);
    expect([...colours]).toEqual(['ffffff']);
    const manifest = JSON.parse(files.get('manifest.json')!.toString('utf8')) as Record<string, unknown>;
    expect(manifest).toMatchObject({ manifestVersion: '1.30', id: APP_ID, icons: { color: 'color.png', outline: 'outline.png' } });
  });

  it('lists the registry commands for the bot (generated, never hand-kept)', () => {
    const manifest = teamsManifest({ appId: APP_ID, commands, version: '0.1.0' });
    const bot = (manifest['bots'] as Array<Record<string, unknown>>)[0]!;
    expect(bot['botId']).toBe(APP_ID);
    const list = (bot['commandLists'] as Array<{ commands: Array<{ title: string; description: string }> }>)[0]!;
    // The menu: the most used commands, at most 10, ending with help (which lists every command).
    expect(list.commands.map((c) => c.title)).toEqual(['who-owns', 'oncall', 'health', 'info', 'search', 'team', 'mine', 'leaderboard', 'snooze', 'help']);
    expect(list.commands.length).toBeLessThanOrEqual(10);
    const registered = new Set(commands.map((c) => c.name));
    for (const c of list.commands) expect(registered.has(c.title), `${c.title} is a registered command`).toBe(true);
    for (const c of list.commands) expect(c.description.length).toBeLessThanOrEqual(4000);
  });

  it('is reproducible: the same input gives the same bytes', () => {
    const a = teamsAppPackage({ appId: APP_ID, commands, version: '0.1.0' }).zip;
    const b = teamsAppPackage({ appId: APP_ID, commands, version: '0.1.0' }).zip;
    expect(a.equals(b)).toBe(true);
  });

  it('steward teams-package writes the zip; without MICROSOFT_APP_ID it uses the placeholder and says so', () => {
    const cwd = mkdtempSync(join(tmpdir(), 'steward-teams-pkg-'));
    const run = (args: string[], env: Record<string, string> = {}) =>
      spawnSync(process.execPath, [join(ROOT, 'src', 'steward.js'), 'teams-package', ...args], {
        cwd,
        encoding: 'utf8',
        env: { PATH: process.env['PATH'] ?? '', HOME: cwd, STEWARD_DB: join(cwd, 'x.db'), ...env },
        timeout: 60_000,
      });
    const placeholder = run(['--out', 'out/app.zip']);
    expect(placeholder.status, placeholder.stderr).toBe(0);
    expect(placeholder.stdout).toContain('app.zip');
    expect(placeholder.stderr).toContain(PLACEHOLDER_APP_ID);
    expect(placeholder.stderr).toContain('--website is not set: the package\'s website, privacy and terms URLs are the placeholder https://YOUR-STEWARD-HOST/');
    const manifest = JSON.parse(unzip(readFileSync(join(cwd, 'out', 'app.zip'))).get('manifest.json')!.toString()) as { id: string };
    expect(manifest.id).toBe(PLACEHOLDER_APP_ID);

    const real = run(['--out', 'real.zip', '--website', 'https://steward.acme.example/'], { MICROSOFT_APP_ID: APP_ID, MICROSOFT_APP_PASSWORD: 'x' });
    expect(real.status, real.stderr).toBe(0);
    expect(real.stderr).toBe('');
    const files = unzip(readFileSync(join(cwd, 'real.zip')));
    expect(JSON.parse(files.get('manifest.json')!.toString())).toMatchObject({ id: APP_ID, developer: { websiteUrl: 'https://steward.acme.example/' } });

    const bad = run(['--website', 'ftp://x']);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('--website');
  });
});
