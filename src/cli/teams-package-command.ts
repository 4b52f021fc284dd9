import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { commands } from '../../commands/index.js';
import { PLACEHOLDER_APP_ID, PLACEHOLDER_WEBSITE, teamsAppPackage } from '../adapters/teams/app-package.js';
import { InputError } from '../core/errors.js';
import { packagePath } from '../package-root.js';
import type { CliCommand } from './cli-kit.js';
import { EXIT, configFrom, parseCli } from './cli-kit.js';

const PACKAGE_JSON = packagePath('package.json');

/**
 * `steward teams-package [--out FILE] [--website URL]`: the Teams app package to upload in Teams
 * (Apps → Manage your apps → Upload an app) or the Teams admin centre. The bot id is
 * `MICROSOFT_APP_ID`; without it a placeholder is written and a warning says so.
 */
export const teamsPackageCommand: CliCommand = {
  name: 'teams-package',
  usage: 'teams-package [--out FILE] [--website URL]',
  summary: 'builds the Teams app package (manifest and icons, zipped)',
  async run(args, io) {
    const { values } = parseCli(args, { out: { type: 'string' }, website: { type: 'string' } });
    const config = configFrom(io, values);
    if (values.website !== undefined && !/^https:\/\/[^\s/]+/.test(values.website)) {
      throw new InputError(`--website must be an https URL (Teams shows it as the developer's website, privacy and terms page), got "${values.website}"`);
    }
    const version = (JSON.parse(readFileSync(PACKAGE_JSON, 'utf8')) as { version: string }).version;
    const out = resolve(values.out ?? 'steward-teams.zip');
    const { zip, files } = teamsAppPackage({ appId: config.teams.appId, commands, version, websiteUrl: values.website });
    mkdirSync(dirname(out), { recursive: true });
    // Written beside the target and renamed, so a half-written package never has the final name.
    const partial = `${out}.partial`;
    writeFileSync(partial, zip);
    renameSync(partial, out);
    io.out(`Wrote ${out} (${files.map((f) => f.name).join(', ')}; ${zip.length} bytes).\n`);
    if (values.website === undefined) {
      // Teams shows these pages to everyone who installs the app: a placeholder must not ship unnoticed.
      io.err(`steward: --website is not set: the package's website, privacy and terms URLs are the placeholder ${PLACEHOLDER_WEBSITE}; pass --website https://… and build again before uploading.\n`);
    }
    if (!config.teams.appId) {
      io.err(`steward: MICROSOFT_APP_ID is not set: the package uses the placeholder bot id ${PLACEHOLDER_APP_ID}; set it and build again before uploading.\n`);
    }
    return EXIT.ok;
  },
};
