/**
 * Hostile inputs, generated on the fly (nothing large is written to disk): entity
 * declarations (XXE, billion laughs, quadratic blow-up), a 1 GB single line in CSV and in
 * JSON, a million-deep JSON array and XML nesting, and gzip/xz bombs for the feed parsers.
 * Each must be refused with a typed error or parsed within bounds (time, memory).
 */
import { spawn } from 'node:child_process';
import { Readable } from 'node:stream';
import { createGzip } from 'node:zlib';

const MB = 1 << 20;

/** `head`, then `total` bytes of `fill` in 1 MiB chunks, then `tail`. */
function padded(head: string, fill: string, total: number, tail: string): Readable {
  // A whole number of `fill`s per chunk, so chunks join without cutting one in half.
  const chunk = Buffer.from(fill.repeat(Math.floor(MB / fill.length)));
  return Readable.from(
    (function* () {
      yield Buffer.from(head);
      for (let sent = 0; sent < total; sent += chunk.length) yield chunk;
      yield Buffer.from(tail);
    })(),
  );
}

function compressed(stream: Readable, kind: 'gzip' | 'xz'): Readable {
  if (kind === 'gzip') return stream.pipe(createGzip({ level: 9 }));
  const xz = spawn('xz', ['-1', '-c', '-T1'], { stdio: ['pipe', 'pipe', 'ignore'] });
  stream.pipe(xz.stdin);
  return xz.stdout;
}

const NESSUS_HEAD = '<?xml version="1.0" ?>\n';
const NESSUS_BODY =
  '<NessusClientData_v2><Report name="r"><ReportHost name="10.0.0.1"><HostProperties></HostProperties>' +
  '<ReportItem port="22" svc_name="ssh" protocol="tcp" severity="2" pluginID="1" pluginName="x" pluginFamily="f">' +
  '<description>&e;</description></ReportItem></ReportHost></Report></NessusClientData_v2>';
const CSV_HEAD =
  'Plugin ID,CVE,CVSS v2.0 Base Score,Risk,Host,Protocol,Port,Name,Synopsis,Description\n19506,,,None,10.0.0.1,tcp,0,x,y,"';
const KEV_HEAD =
  '{"title":"CISA Catalog","catalogVersion":"2026.01.01","dateReleased":"2026-01-01T00:00:00.000Z","count":1,"vulnerabilities":[';

export interface HostileCase {
  name: string;
  /** importer format or feed kind the bytes are given to */
  target: { kind: 'import' | 'feed'; format: string };
  input: () => Readable;
}

export function hostileCases(scale = 1): HostileCase[] {
  const gb = Math.round(1024 * scale) * MB;
  return [
    {
      name: 'xxe',
      target: { kind: 'import', format: 'nessus' },
      input: () =>
        Readable.from([
          NESSUS_HEAD + '<!DOCTYPE r [<!ENTITY e SYSTEM "file:///etc/passwd">]>' + NESSUS_BODY,
        ]),
    },
    {
      name: 'billion_laughs',
      target: { kind: 'import', format: 'nessus' },
      input: () => {
        const entities = ['<!ENTITY e0 "lol">'];
        for (let i = 1; i <= 10; i += 1)
          entities.push(`<!ENTITY e${i} "${`&e${i - 1};`.repeat(10)}">`);
        entities.push('<!ENTITY e "&e10;">');
        return Readable.from([NESSUS_HEAD + `<!DOCTYPE r [${entities.join('')}]>` + NESSUS_BODY]);
      },
    },
    {
      name: 'quadratic_blowup',
      target: { kind: 'import', format: 'nessus' },
      input: () =>
        Readable.from([
          NESSUS_HEAD +
            `<!DOCTYPE r [<!ENTITY e "${'a'.repeat(100_000)}">]>` +
            NESSUS_BODY.replace('&e;', '&e;'.repeat(50_000)),
        ]),
    },
    {
      name: 'huge_text_node',
      target: { kind: 'import', format: 'nessus' },
      input: () =>
        padded(
          NESSUS_HEAD + NESSUS_BODY.slice(0, NESSUS_BODY.indexOf('&e;')),
          'A',
          Math.round(256 * scale) * MB,
          NESSUS_BODY.slice(NESSUS_BODY.indexOf('&e;') + 3),
        ),
    },
    {
      name: 'csv_1gb_single_line',
      target: { kind: 'import', format: 'nessus-csv' },
      input: () => padded(CSV_HEAD, 'A', gb, '"'),
    },
    {
      name: 'json_1gb_single_line',
      target: { kind: 'import', format: 'trivy-json' },
      input: () => padded('{"SchemaVersion":2,"ArtifactName":"', 'A', gb, '","Results":[]}'),
    },
    {
      name: 'deep_json',
      target: { kind: 'import', format: 'trivy-json' },
      input: () => padded('{"SchemaVersion":2,"Results":', '[', 8 * MB, ''),
    },
    {
      name: 'deep_xml',
      target: { kind: 'import', format: 'nessus' },
      input: () => padded(NESSUS_HEAD + '<NessusClientData_v2>', '<a>', 8 * MB, ''),
    },
    {
      name: 'deep_json_feed',
      target: { kind: 'feed', format: 'nvd' },
      input: () => padded('{"format":"NVD_CVE","vulnerabilities":', '[', 8 * MB, ''),
    },
    {
      name: 'gzip_bomb_feed',
      target: { kind: 'feed', format: 'kev' },
      input: () => compressed(padded(KEV_HEAD, ' ', gb, ']}'), 'gzip'),
    },
    {
      name: 'xz_bomb_feed',
      target: { kind: 'feed', format: 'kev' },
      input: () => compressed(padded(KEV_HEAD, ' ', gb, ']}'), 'xz'),
    },
  ];
}

export interface HostileOutcome {
  name: string;
  outcome: string;
  message: string;
  seconds: number;
  maxRssMb: number;
}

/** Runs one case in its own process (tests/fuzz/hostile-run.ts) so its peak RSS is its own. */
export function runHostile(name: string, scale: number): Promise<HostileOutcome> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        new URL('./hostile-run.ts', import.meta.url).pathname,
        name,
        String(scale),
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 300_000);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      try {
        resolve({ name, ...(JSON.parse(out) as Omit<HostileOutcome, 'name'>) });
      } catch {
        reject(new Error(`hostile case ${name} ended ${code ?? signal}: ${err.slice(-400)}`));
      }
    });
  });
}
