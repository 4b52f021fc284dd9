import { InputError } from '../core/errors.js';
import type { ImportReport } from '../import-catalog.js';
import { importCatalog } from '../import-catalog.js';
import { kindSpelling } from '../infra/sqlite/catalog-store.js';
import type { CliCommand } from './cli-kit.js';
import { EXIT, configFrom, openSteward, parseCli } from './cli-kit.js';

export const importCommand: CliCommand = {
  name: 'import',
  usage: 'import <file|dir>... [--prune] [--allow-outside]',
  summary: 'import Backstage catalog-info.yaml descriptors',
  async run(args, io) {
    const { values, positionals } = parseCli(args, { prune: { type: 'boolean' }, 'allow-outside': { type: 'boolean' } }, true);
    if (positionals.length === 0) throw new InputError('import needs at least one file or folder of catalog-info.yaml descriptors');
    const steward = openSteward(configFrom(io, values));
    const tty = Boolean(io.stderr.isTTY);
    // Progress only for long imports: a first line after a second, then one a second.
    let lastProgress = Date.now();
    let printed = false;
    let report: ImportReport;
    try {
      report = importCatalog(steward.catalog, positionals, {
        prune: values.prune ?? false,
        allowOutside: values['allow-outside'] ?? false,
        onProgress: (files) => {
          const now = Date.now();
          if (now - lastProgress > 1000) {
            lastProgress = now;
            printed = true;
            io.err(tty ? `\rread ${files} files…` : `read ${files} files\n`);
          }
        },
      });
      // Owners and teams may have changed: score again (in batches, each its own short write)
      // so the stored team standings that `team` and `leaderboard` read follow the new catalog.
      if (changedAnything(report) && steward.scoring.scorecards.length > 0) steward.scoring.refreshInBatches({ trigger: 'import' }, () => {});
    } finally {
      steward.close();
      if (tty && printed) io.err('\r\u001b[K');
    }
    io.out(formatReport(report));
    // Nothing in what was named is a descriptor (`steward import README.md`, an empty file): that is
    // a mistake to fix, not a successful import of nothing.
    const entities = Object.values(report.summary.kinds).reduce((n, c) => n + c.added + c.updated + c.unchanged + c.removed, 0);
    if (entities === 0 && report.errors.length === 0) {
      io.err(`steward: no Backstage descriptor (a YAML document with apiVersion, kind and metadata.name) in ${positionals.join(', ')}; nothing was imported.\n`);
      return EXIT.usage;
    }
    return report.errors.length > 0 ? EXIT.usage : EXIT.ok;
  },
};

function changedAnything(report: ImportReport): boolean {
  return Object.values(report.summary.kinds).some((c) => c.added + c.updated + c.removed > 0);
}

export function formatReport(report: ImportReport): string {
  const lines: string[] = [];
  const kinds = Object.entries(report.summary.kinds).sort(([a], [b]) => a.localeCompare(b));
  lines.push(`Read ${report.filesRead} file${report.filesRead === 1 ? '' : 's'} in ${report.seconds.toFixed(2)} s.`);
  if (report.filesUnchanged > 0) {
    lines.push(`${report.filesUnchanged} file${report.filesUnchanged === 1 ? '' : 's'} unchanged since the last import, not parsed again.`);
  }
  if (kinds.length === 0) lines.push('No entities imported.');
  const width = Math.max(9, ...kinds.map(([k]) => k.length));
  const n = (v: number): string => String(v).padStart(5);
  for (const [kind, c] of kinds) {
    lines.push(
      `  ${kindSpelling(kind).padEnd(width)}  added ${n(c.added)}  updated ${n(c.updated)}  unchanged ${n(c.unchanged)}  removed ${n(c.removed)}`,
    );
  }
  const place = (p: { file: string; line: number; message: string }): string =>
    `  ${p.line > 0 ? `${p.file}:${p.line}` : p.file}: ${p.message}`;
  if (report.warnings.length > 0) {
    lines.push(`Warnings (${report.warnings.length}; imported anyway):`);
    for (const w of report.warnings) lines.push(place(w));
  }
  if (report.errors.length > 0) {
    lines.push(`Problems (${report.errors.length}; these were not imported, everything else was):`);
    for (const e of report.errors) lines.push(place(e));
  }
  return `${lines.join('\n')}\n`;
}
