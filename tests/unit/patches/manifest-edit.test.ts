/**
 * Manifest bumps keep every other byte of the file: npm specs keep their ^/~ operator,
 * pip names are matched the PEP 503 way, Maven versions are edited where they are
 * declared (inline or in a shared property), and whatever cannot be bumped mechanically
 * is skipped with a reason instead of guessed.
 */
import { describe, expect, it } from 'vitest';
import { bumpManifest, manifestKind, ManifestError } from '../../../src-main/patches/manifest-edit';

const PACKAGE_JSON = `{
  "name": "shop",
  "version": "1.0.0",
  "dependencies": {
    "karma": "^4.2.0",
    "lodash": "~4.17.19",
    "left-pad": "git+https://example.invalid/left-pad.git"
  },
  "devDependencies": {
    "mocha": "5.2.0",
    "karma": "^4.2.0"
  }
}
`;

describe('manifestKind', () => {
  it('knows package.json, requirements*.txt and pom.xml by file name only', () => {
    expect(manifestKind('web/package.json')).toBe('npm');
    expect(manifestKind('requirements-dev.txt')).toBe('pypi');
    expect(manifestKind('C:\\src\\pom.xml')).toBe('maven');
    expect(manifestKind('package-lock.json')).toBeNull();
    expect(manifestKind('setup.py')).toBeNull();
  });
});

describe('package.json', () => {
  it('bumps every declaration, keeps the range operator and the rest of the file', () => {
    const r = bumpManifest('npm', PACKAGE_JSON, [
      { name: 'karma', fixed: '6.3.16' },
      { name: 'lodash', fixed: '4.17.21' },
      { name: 'tar', fixed: '4.4.18' },
      { name: 'left-pad', fixed: '1.3.0' },
      { name: 'mocha', fixed: '5.0.0' },
    ]);
    expect(r.bumps).toEqual([
      { name: 'karma', from: '^4.2.0', to: '^6.3.16', line: 5 },
      { name: 'karma', from: '^4.2.0', to: '^6.3.16', line: 11 },
      { name: 'lodash', from: '~4.17.19', to: '~4.17.21', line: 6 },
    ]);
    expect(r.skipped).toEqual([
      { name: 'tar', reason: 'not a direct dependency in package.json' },
      {
        name: 'left-pad',
        reason: '"git+https://example.invalid/left-pad.git" is not a plain version or ^/~ range',
      },
      { name: 'mocha', reason: 'already at 5.2.0' },
    ]);
    expect(r.after).toBe(
      PACKAGE_JSON.replaceAll('"^4.2.0"', '"^6.3.16"').replace('~4.17.19', '~4.17.21'),
    );
  });

  it('keeps CRLF line endings and refuses a file that is not JSON', () => {
    const crlf = PACKAGE_JSON.replaceAll('\n', '\r\n');
    const r = bumpManifest('npm', crlf, [{ name: 'lodash', fixed: '4.17.21' }]);
    expect(r.after.split('\r\n')).toHaveLength(crlf.split('\r\n').length);
    expect(r.after).toContain('"lodash": "~4.17.21",\r\n');
    expect(() => bumpManifest('npm', '{ "dependencies": ', [])).toThrow(ManifestError);
  });
});

describe('requirements.txt', () => {
  const REQS = [
    '# web app',
    'Django==3.2.4',
    'requests[socks] >= 2.25.1  # http',
    'selenium==3.141.0 ; python_version >= "3.7"',
    'urllib3>=1.26,<2',
    'flask==2.0.1',
    '-r base.txt',
    '',
  ].join('\n');

  it('matches names whatever their case and separators, keeps extras, markers and comments', () => {
    const r = bumpManifest('pypi', REQS, [
      { name: 'django', fixed: '3.2.24' },
      { name: 'Requests', fixed: '2.31.0' },
      { name: 'selenium', fixed: '4.14.0' },
      { name: 'urllib3', fixed: '1.26.18' },
      { name: 'jinja2', fixed: '3.1.3' },
    ]);
    expect(r.bumps).toEqual([
      { name: 'Django', from: '==3.2.4', to: '==3.2.24', line: 2 },
      { name: 'requests', from: '>=2.25.1', to: '>=2.31.0', line: 3 },
      { name: 'selenium', from: '==3.141.0', to: '==4.14.0', line: 4 },
    ]);
    expect(r.after.split('\n').slice(1, 5)).toEqual([
      'Django==3.2.24',
      'requests[socks] >= 2.31.0  # http',
      'selenium==4.14.0 ; python_version >= "3.7"',
      'urllib3>=1.26,<2',
    ]);
    expect(r.skipped).toEqual([
      { name: 'urllib3', reason: 'urllib3>=1.26,<2 has more than one bound' },
      { name: 'jinja2', reason: 'not pinned in the requirements file' },
    ]);
  });
});

describe('pom.xml', () => {
  const POM = `<?xml version="1.0" encoding="UTF-8"?>
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <properties>
    <log4j2.version>2.13.2</log4j2.version>
  </properties>
  <dependencies>
    <dependency>
      <groupId>org.apache.logging.log4j</groupId>
      <artifactId>log4j-api</artifactId>
      <version>\${log4j2.version}</version>
    </dependency>
    <dependency>
      <groupId>org.apache.logging.log4j</groupId>
      <artifactId>log4j-core</artifactId>
      <version>\${log4j2.version}</version>
    </dependency>
    <dependency>
      <groupId>com.fasterxml.jackson.core</groupId>
      <artifactId>jackson-databind</artifactId>
      <version>2.9.10</version>
    </dependency>
    <dependency>
      <groupId>junit</groupId>
      <artifactId>junit</artifactId>
    </dependency>
  </dependencies>
</project>
`;

  it('bumps a shared property once to the highest fix, and an inline version in place', () => {
    const r = bumpManifest('maven', POM, [
      { name: 'org.apache.logging.log4j:log4j-api', fixed: '2.16.0' },
      { name: 'org.apache.logging.log4j:log4j-core', fixed: '2.17.1' },
      { name: 'jackson-databind', fixed: '2.9.10.8' },
      { name: 'junit:junit', fixed: '4.13.1' },
      { name: 'org.yaml:snakeyaml', fixed: '2.0' },
    ]);
    expect(r.bumps).toEqual([
      { name: 'org.apache.logging.log4j:log4j-api', from: '2.13.2', to: '2.17.1', line: 4 },
      {
        name: 'com.fasterxml.jackson.core:jackson-databind',
        from: '2.9.10',
        to: '2.9.10.8',
        line: 20,
      },
    ]);
    expect(r.after).toContain('<log4j2.version>2.17.1</log4j2.version>');
    expect(r.after).toContain('<version>2.9.10.8</version>');
    expect(r.after.replace('2.17.1', '2.13.2').replace('2.9.10.8', '2.9.10')).toBe(POM);
    expect(r.skipped).toEqual([
      { name: 'junit:junit', reason: 'no <version> (managed by a parent or a BOM)' },
      { name: 'org.yaml:snakeyaml', reason: 'not a direct dependency in pom.xml' },
    ]);
  });

  it('refuses a file with no <project>', () => {
    expect(() => bumpManifest('maven', '<settings/>', [])).toThrow(/no <project> element/);
  });
});

describe('mutated manifests', () => {
  it('either bump with a diff that reproduces the file, or fail with a ManifestError', async () => {
    const { mutate, rng } = await import('../../fuzz/mutate');
    const { applyUnifiedDiff, makeUnifiedDiff } =
      await import('../../../src-main/patches/unified-diff');
    const random = rng(7);
    const wanted = [
      { name: 'karma', fixed: '6.3.16' },
      { name: 'lodash', fixed: '4.17.21' },
      { name: 'Django', fixed: '3.2.24' },
    ];
    const seeds: ['npm' | 'pypi', string][] = [
      ['npm', PACKAGE_JSON],
      ['pypi', 'Django==3.2.4\nrequests>=2.25.1\n'],
    ];
    let bumped = 0;
    for (let i = 0; i < 600; i++) {
      const [kind, text] = seeds[i % seeds.length]!;
      const mutated = mutate(Buffer.from(text), random).toString('utf8');
      let result;
      try {
        result = bumpManifest(kind, mutated, wanted);
      } catch (error) {
        expect(error, `case ${i}`).toBeInstanceOf(ManifestError);
        continue;
      }
      if (!result.bumps.length) continue;
      bumped++;
      expect(applyUnifiedDiff(mutated, makeUnifiedDiff('m', mutated, result.after))).toBe(
        result.after,
      );
    }
    expect(bumped).toBeGreaterThan(50);
  });
});
