import { deflateRawSync, deflateSync } from 'node:zlib';
import type { AnyCommand } from '../../core/commands/index.js';

/**
 * The Teams app package: `manifest.json` (schema v1.30, the bot and a command list generated from
 * the registry) plus `color.png` (192×192) and `outline.png` (32×32, white on transparent), zipped.
 * The icons and the zip are written here with node:zlib: a package has three small files, which
 * does not justify an image or archive dependency. The output is byte-for-byte reproducible
 * (fixed timestamps), so a package can be checked into a release and compared.
 */
export const MANIFEST_SCHEMA = 'https://developer.microsoft.com/en-us/json-schemas/teams/v1.30/MicrosoftTeams.schema.json';
/** Stands in for the Microsoft App ID until one is configured; Teams refuses to install it. */
export const PLACEHOLDER_APP_ID = '00000000-0000-0000-0000-000000000000';
export const PLACEHOLDER_WEBSITE = 'https://YOUR-STEWARD-HOST/';
const ACCENT = [0x2b, 0x5d, 0x9e] as const;
/**
 * The command menu: at most 10 entries (v1.17 allowed 10; v1.30 allows 12, and a shorter menu
 * reads better), the commands people use most, ending with `help`, which lists all of them.
 */
export const MAX_MENU_COMMANDS = 10;
export const TEAMS_MENU = ['who-owns', 'oncall', 'health', 'info', 'search', 'team', 'mine', 'leaderboard', 'snooze', 'help'] as const;

export interface AppPackageOptions {
  /** `MICROSOFT_APP_ID`: the bot id and, as is usual for a single-bot app, the Teams app id. */
  readonly appId?: string | undefined;
  readonly commands: readonly AnyCommand[];
  /** Semver of the app; Teams wants it raised on every change of the manifest. */
  readonly version: string;
  /** Website, privacy and terms pages (Teams requires all three). */
  readonly websiteUrl?: string | undefined;
}

export function teamsManifest(options: AppPackageOptions): Record<string, unknown> {
  const appId = options.appId ?? PLACEHOLDER_APP_ID;
  const site = options.websiteUrl ?? PLACEHOLDER_WEBSITE;
  const byName = new Map(options.commands.map((c) => [c.name, c]));
  const commands = TEAMS_MENU.map((name) => byName.get(name))
    .filter((c): c is AnyCommand => c !== undefined)
    .slice(0, MAX_MENU_COMMANDS)
    .map((c) => ({ title: c.name, description: `${c.summary} (${c.usage})`.slice(0, 4000) }));
  return {
    $schema: MANIFEST_SCHEMA,
    manifestVersion: '1.30',
    version: options.version,
    id: appId,
    developer: { name: 'Steward', websiteUrl: site, privacyUrl: site, termsOfUseUrl: site },
    name: { short: 'Steward', full: 'Steward: service ownership, on-call and health' },
    description: {
      short: 'Who owns a service, who is on call, and how healthy it is.',
      full:
        'Steward answers questions about the service catalog: who owns a service and how to reach them, who is on call now, ' +
        'and how the service scores on the engineering scorecards, with the fix for each failing check. Mention @Steward in a ' +
        'channel (for example "@Steward who-owns payments-api") or message it directly.',
    },
    icons: { color: 'color.png', outline: 'outline.png' },
    accentColor: `#${ACCENT.map((c) => c.toString(16).padStart(2, '0')).join('').toUpperCase()}`,
    bots: [
      {
        botId: appId,
        scopes: ['personal', 'team', 'groupChat'],
        isNotificationOnly: false,
        supportsFiles: false,
        commandLists: [{ scopes: ['personal', 'team', 'groupChat'], commands }],
      },
    ],
    permissions: ['identity', 'messageTeamMembers'],
    validDomains: [],
  };
}

export interface PackageFile {
  readonly name: string;
  readonly data: Buffer;
}

export function teamsAppPackage(options: AppPackageOptions): { readonly zip: Buffer; readonly files: readonly PackageFile[] } {
  const files: PackageFile[] = [
    { name: 'manifest.json', data: Buffer.from(`${JSON.stringify(teamsManifest(options), null, 2)}\n`) },
    { name: 'color.png', data: colorIcon() },
    { name: 'outline.png', data: outlineIcon() },
  ];
  return { zip: zip(files), files };
}

// ---- icons --------------------------------------------------------------------------------

/** 192×192: the accent colour with a white ring, full colour as Teams asks. */
export function colorIcon(): Buffer {
  return png(192, 192, (x, y) => (ring(x, y, 192, 0.22, 0.34) ? [255, 255, 255, 255] : [...ACCENT, 255]));
}

/** 32×32: a white ring on a transparent background (Teams wants a white outline, transparent elsewhere). */
export function outlineIcon(): Buffer {
  return png(32, 32, (x, y) => (ring(x, y, 32, 0.25, 0.42) ? [255, 255, 255, 255] : [0, 0, 0, 0]));
}

function ring(x: number, y: number, size: number, inner: number, outer: number): boolean {
  const c = (size - 1) / 2;
  const d = Math.hypot(x - c, y - c) / size;
  return d >= inner && d <= outer;
}

/** An RGBA PNG (colour type 6, 8 bits), every scanline with filter 0. */
export function png(width: number, height: number, pixel: (x: number, y: number) => readonly number[]): Buffer {
  const raw = Buffer.alloc((width * 4 + 1) * height);
  for (let y = 0; y < height; y++) {
    const row = y * (width * 4 + 1);
    for (let x = 0; x < width; x++) Buffer.from(pixel(x, y)).copy(raw, row + 1 + x * 4);
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 6, 0, 0, 0], 8);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(raw, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

function chunk(type: string, data: Buffer): Buffer {
  const out = Buffer.alloc(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  out.write(type, 4, 'ascii');
  data.copy(out, 8);
  out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)), 8 + data.length);
  return out;
}

// ---- zip ----------------------------------------------------------------------------------

/** A zip of deflated files (PKWARE APPNOTE 4.3: local headers, central directory, end record). */
export function zip(files: readonly PackageFile[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  // 1980-01-01 00:00, the earliest DOS time: the same input gives the same bytes.
  const dosTime = 0;
  const dosDate = (0 << 9) | (1 << 5) | 1;
  for (const f of files) {
    const name = Buffer.from(f.name, 'utf8');
    const packed = deflateRawSync(f.data, { level: 9 });
    const crc = crc32(f.data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4); // version needed: 2.0 (deflate)
    local.writeUInt16LE(0x0800, 6); // UTF-8 names
    local.writeUInt16LE(8, 8); // deflate
    local.writeUInt16LE(dosTime, 10);
    local.writeUInt16LE(dosDate, 12);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(packed.length, 18);
    local.writeUInt32LE(f.data.length, 22);
    local.writeUInt16LE(name.length, 26);
    local.writeUInt16LE(0, 28);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4); // made by: 2.0
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x0800, 8);
    central.writeUInt16LE(8, 10);
    central.writeUInt16LE(dosTime, 12);
    central.writeUInt16LE(dosDate, 14);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(packed.length, 20);
    central.writeUInt32LE(f.data.length, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, packed);
    centrals.push(central, name);
    offset += local.length + name.length + packed.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(files.length, 8);
  end.writeUInt16LE(files.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

export function crc32(data: Uint8Array): number {
  let c = 0xffffffff;
  for (const byte of data) c = CRC_TABLE[(c ^ byte) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
