import { refreshPriorities } from '../../triage/priorities';
import { readFile } from 'node:fs/promises';
import { listMerges, splitMerge } from '../../assets/merges';
import { setAssets, type Criticality, type Exposure } from '../../assets/set';
import { writeFile } from 'node:fs/promises';
import { createBundle, generateBundleKeyPair, splitBundles } from '../../feeds/bundle';
import { addTrustedKey, feedStatus, listTrustedKeys, removeTrustedKey } from '../../feeds/trust';
import {
  PRIORITIZATION_SETTING,
  parsePrioritization,
  readPrioritization,
  resolveConfig,
} from '../../prioritization/config';
import { runWriterTask } from '../../vault/writer/client';
import { assertUnsignedFeedsAllowed } from '../../vault/preferences';
import { UsageError, type Command } from '../command';
import {
  OPERATOR_OPTION,
  TOTP_OPTION,
  printResult,
  requireYes,
  withSession,
} from '../vault-access';

const UNLOCK = { ...OPERATOR_OPTION, ...TOTP_OPTION };

export const feedCommands: Command[] = [
  {
    name: 'feeds import',
    summary:
      'Load KEV/EPSS/NVD/CVE 5 files (unsigned) or a signed bundle (verified before any data changes).',
    usage: 'FILE... [--force-rollback]',
    options: { ...UNLOCK, 'force-rollback': { type: 'boolean', default: false } },
    run: (run) => {
      const files = run.positionals;
      if (files.length === 0) throw new UsageError('feeds import needs at least one FILE');
      return withSession(run, async (session) => {
        // A bundle is recognised by its content (a ustar archive), whatever its name.
        const { bundles } = await splitBundles(files);
        if (bundles.length > 0 && files.length > 1)
          throw new UsageError('import a bundle on its own');
        if (!bundles[0]) assertUnsignedFeedsAllowed(session);
        const force = run.values['force-rollback'] === true;
        if (force) session.requireRole('admin');
        const actor = { id: session.operator.id, name: session.operator.name };
        const result = await runWriterTask(
          session.path,
          session.keyForWriter(),
          'feeds',
          bundles[0]
            ? { bundle: bundles[0], allowRollback: force, actor }
            : { files: files.map((path) => ({ path })), actor },
          { progress: (phase, done) => run.io.stderr(`${phase}: ${done} records\n`) },
        );
        printResult(
          run,
          result,
          [
            ...(result.bundle
              ? [
                  `bundle sequence ${result.bundle.sequence} signed by ${result.bundle.signer.slice(0, 16)}…${result.bundle.rollback ? ' (ROLLBACK forced)' : ''}`,
                ]
              : []),
            ...result.feeds.map(
              (f) =>
                `${f.kind}: ${f.records} records from ${f.file} (${f.version ?? 'no version'}, ${f.date ?? 'no date'}, ${f.signed ? 'signed' : 'unsigned'})`,
            ),
          ].join('\n'),
        );
        return 0;
      });
    },
  },
  {
    name: 'feeds status',
    summary: 'Each feed: kind, version/date, records, signed or not, age (stale ones flagged).',
    usage: '[--json]',
    options: UNLOCK,
    run: (run) =>
      withSession(run, (session) => {
        const status = feedStatus(session);
        printResult(
          run,
          status.feeds,
          status.feeds
            .map(
              (f) =>
                `${f.kind.padEnd(5)} ${f.loaded ? `${String(f.records).padStart(8)} records  ${f.signed ? 'signed  ' : 'unsigned'}  ${f.date ?? '?'}` : 'NOT LOADED'}  ${f.stale ? 'STALE: ' : ''}${f.reason}`,
            )
            .join('\n'),
        );
        return 0;
      }),
  },
  {
    name: 'feeds bundle',
    summary:
      'On the connected side: pack feed files into one Ed25519-signed bundle (no vault needed).',
    usage: '--key PRIVATE_KEY --out FILE --sequence N FEED_FILES...',
    options: { key: { type: 'string' }, out: { type: 'string' }, sequence: { type: 'string' } },
    run: async (run) => {
      const key = run.values['key'];
      const out = run.values['out'];
      if (typeof key !== 'string' || typeof out !== 'string')
        throw new UsageError('feeds bundle needs --key PRIVATE_KEY and --out FILE');
      if (run.positionals.length === 0) throw new UsageError('feeds bundle needs FEED_FILES');
      const sequence =
        run.values['sequence'] === undefined
          ? Math.floor(Date.now() / 1000)
          : Number(run.values['sequence']);
      if (!Number.isSafeInteger(sequence) || sequence < 1)
        throw new UsageError(
          '--sequence must be a positive whole number (default: the current Unix time)',
        );
      const created = await createBundle({
        privateKeyPem: await readFile(key, 'utf8'),
        sequence,
        files: run.positionals.map((path) => ({ path })),
        out,
        validate: true,
      });
      printResult(
        run,
        { path: created.path, sequence, files: created.manifest.files },
        `Bundle ${created.path}: sequence ${sequence}, ${created.manifest.files.length} file(s).`,
      );
      return 0;
    },
  },
  {
    name: 'feeds keygen',
    summary:
      'On the connected side: create an Ed25519 key pair for signing bundles (OUT.key, OUT.pub).',
    usage: 'OUT',
    run: async (run) => {
      const [out] = run.positionals;
      if (!out)
        throw new UsageError('feeds keygen needs an output prefix: vulnzero feeds keygen OUT');
      const pair = generateBundleKeyPair();
      await writeFile(`${out}.key`, pair.privateKeyPem, { mode: 0o600, flag: 'wx' });
      await writeFile(`${out}.pub`, pair.publicKeyPem, { flag: 'wx' });
      printResult(
        run,
        { privateKey: `${out}.key`, publicKey: `${out}.pub`, fingerprint: pair.fingerprint },
        `Wrote ${out}.key (keep it on the connected side) and ${out}.pub (trust it in the vault). Fingerprint ${pair.fingerprint}`,
      );
      return 0;
    },
  },
  {
    name: 'feeds trust add',
    summary: 'Trust a bundle signing public key (admin).',
    usage: 'NAME PUBLIC_KEY_PEM_FILE',
    options: UNLOCK,
    run: async (run) => {
      const [name, file] = run.positionals;
      if (!name || !file)
        throw new UsageError('feeds trust add needs NAME and PUBLIC_KEY_PEM_FILE');
      const pem = await readFile(file, 'utf8');
      return withSession(run, (session) => {
        const key = addTrustedKey(session, name, pem);
        printResult(run, key, `Trusted ${name}: ${key.fingerprint}`);
        return 0;
      });
    },
  },
  {
    name: 'feeds trust list',
    summary: 'Trusted bundle signing keys.',
    usage: '',
    options: UNLOCK,
    run: (run) =>
      withSession(run, (session) => {
        const keys = listTrustedKeys(session);
        printResult(
          run,
          keys,
          keys
            .map((k) => `${k.fingerprint}  ${k.name}  (added ${k.addedAt} by ${k.addedBy})`)
            .join('\n') || 'no trusted keys',
        );
        return 0;
      }),
  },
  {
    name: 'feeds trust remove',
    summary: 'Stop trusting a bundle signing key (admin).',
    usage: 'FINGERPRINT --yes',
    options: { ...UNLOCK, yes: { type: 'boolean', default: false } },
    run: (run) => {
      const [fingerprint] = run.positionals;
      if (!fingerprint) throw new UsageError('feeds trust remove needs a FINGERPRINT');
      requireYes(run, 'Removing a trusted key');
      return withSession(run, (session) => {
        removeTrustedKey(session, fingerprint);
        printResult(run, { removed: fingerprint }, `No longer trusted: ${fingerprint}`);
        return 0;
      });
    },
  },
  {
    name: 'prioritization show',
    summary: 'The effective risk-score weights, SLA days per SSVC decision and EPSS threshold.',
    usage: '[--json]',
    options: UNLOCK,
    run: (run) =>
      withSession(run, (session) => {
        const effective = resolveConfig(readPrioritization(session.db));
        const value = {
          weights: effective.score.weights,
          slaDays: effective.slaDays,
          epssPocThreshold: effective.epssPocThreshold,
        };
        printResult(run, value, JSON.stringify(value, null, 2));
        return 0;
      }),
  },
  {
    name: 'prioritization set',
    summary:
      'Tune prioritization (admin) from a JSON file: { weights?, slaDays?, epssPocThreshold? }.',
    usage: 'FILE',
    options: UNLOCK,
    run: async (run) => {
      const [file] = run.positionals;
      if (!file) throw new UsageError('prioritization set needs a JSON FILE');
      let json: unknown;
      try {
        json = JSON.parse(await run.io.readFile(file));
      } catch {
        throw new UsageError(`${file} is not valid JSON`);
      }
      const settings = parsePrioritization(json);
      return withSession(run, (session) => {
        session.setSetting(PRIORITIZATION_SETTING, settings);
        refreshPriorities(session.db, { all: true });
        printResult(run, settings, 'Prioritization updated.');
        return 0;
      });
    },
  },
  {
    name: 'assets merges',
    summary: 'Asset merges with the identifiers and the reason that caused them.',
    usage: '[--asset ID]',
    options: { ...UNLOCK, asset: { type: 'string' } },
    run: (run) =>
      withSession(run, (session) => {
        const merges = listMerges(
          session,
          typeof run.values['asset'] === 'string' ? Number(run.values['asset']) : undefined,
        );
        printResult(
          run,
          merges,
          merges
            .map(
              (m) =>
                `#${m.id} asset ${m.fromAssetId} → ${m.intoAssetId} ${m.splitAt ? `(split ${m.splitAt}) ` : ''}${m.reason}`,
            )
            .join('\n') || 'no merges',
        );
        return 0;
      }),
  },
  {
    name: 'assets split',
    summary: 'Undo a wrong asset merge: the merged asset gets its identifiers back.',
    usage: 'MERGE_ID --yes',
    options: { ...UNLOCK, yes: { type: 'boolean', default: false } },
    run: (run) => {
      const id = Number(run.positionals[0]);
      if (!Number.isInteger(id) || id < 1)
        throw new UsageError('assets split needs a MERGE_ID (see vulnzero assets merges)');
      requireYes(run, 'Splitting assets');
      return withSession(run, (session) => {
        const merge = splitMerge(session, id);
        printResult(
          run,
          merge,
          `Split merge #${id}: asset ${merge.fromAssetId} is separate again.`,
        );
        return 0;
      });
    },
  },
  {
    name: 'assets set',
    summary: 'Set criticality and/or exposure by asset id, CIDR or hostname pattern.',
    usage:
      '(--id N... | --cidr CIDR | --pattern GLOB) [--criticality low|medium|high|critical] [--exposure internet|internal|isolated]',
    options: {
      ...UNLOCK,
      id: { type: 'string', multiple: true },
      cidr: { type: 'string' },
      pattern: { type: 'string' },
      criticality: { type: 'string' },
      exposure: { type: 'string' },
    },
    run: (run) => {
      const criticality = run.values['criticality'];
      const exposure = run.values['exposure'];
      if (
        criticality !== undefined &&
        !['low', 'medium', 'high', 'critical'].includes(criticality as string)
      )
        throw new UsageError('--criticality must be low, medium, high or critical');
      if (
        exposure !== undefined &&
        !['internet', 'internal', 'isolated'].includes(exposure as string)
      )
        throw new UsageError('--exposure must be internet, internal or isolated');
      const ids = (run.values['id'] as string[] | undefined)?.map(Number);
      if (ids?.some((n) => !Number.isInteger(n) || n < 1))
        throw new UsageError('--id takes asset ids');
      return withSession(run, (session) => {
        const result = setAssets(
          session,
          {
            ...(ids ? { ids } : {}),
            ...(typeof run.values['cidr'] === 'string' ? { cidr: run.values['cidr'] } : {}),
            ...(typeof run.values['pattern'] === 'string'
              ? { pattern: run.values['pattern'] }
              : {}),
          },
          {
            ...(criticality ? { criticality: criticality as Criticality } : {}),
            ...(exposure ? { exposure: exposure as Exposure } : {}),
          },
        );
        printResult(run, result, `Updated ${result.updated} asset(s).`);
        return 0;
      });
    },
  },
];
