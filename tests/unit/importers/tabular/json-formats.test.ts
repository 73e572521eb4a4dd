import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  createGrypeImporter,
  grypeJsonImporter,
} from '../../../../src-main/importers/formats/grype-json';
import {
  createTrivyImporter,
  trivyJsonImporter,
} from '../../../../src-main/importers/formats/trivy-json';
import {
  createWazuhImporter,
  fixedVersionFromCondition,
  wazuhJsonImporter,
} from '../../../../src-main/importers/formats/wazuh-json';
import type { Importer } from '../../../../src-main/importers/types';
import {
  FIXTURES,
  collect,
  fixtureBytes,
  findingsWithKey,
  importFixture,
  streamOf,
} from './helpers';

describe('trivy-json', () => {
  it('imports a SchemaVersion 2 image report: image asset, NVD score first, lang package path', async () => {
    const result = await importFixture(trivyJsonImporter, 'trivy', 'scheme_2_many_vulns.json');
    expect(result.scans).toEqual([{ scanner: 'Trivy' }]);
    expect(result.assets).toEqual([{ image: 'teamdojo:latest', os: 'alpine 3.9.4' }]);
    expect(result.findings).toHaveLength(5);
    const [freetype] = findingsWithKey(result, 'CVE-2020-15999');
    expect(freetype).toMatchObject({
      format: 'trivy-json',
      asset: { image: 'teamdojo:latest' },
      vulnerability: {
        cves: ['CVE-2020-15999'],
        severity: 'medium',
        // NVD's 6.5 is preferred over Red Hat's 8.6.
        cvss3: 6.5,
        cvss2: 4.3,
        cwes: ['CWE-787'],
      },
      component: { name: 'freetype', version: '2.9.1-r2', fixedVersion: '2.9.1-r3' },
    });
    const [compress] = findingsWithKey(result, 'CVE-2018-11771');
    expect(compress?.component).toMatchObject({
      name: 'org.apache.commons:commons-compress',
      version: '1.14',
      fixedVersion: '1.18',
    });
    // No NVD score: the vendor's (redhat) is used.
    expect(findingsWithKey(result, 'CVE-2020-28196')[0]?.vulnerability.cvss3).toBe(7.5);
  });

  it('records an image scanned without vulnerabilities', async () => {
    const result = await importFixture(trivyJsonImporter, 'trivy', 'scheme_2_no_vuln.json');
    expect(result.assets).toEqual([{ image: 'trivy-unittest:latest', os: 'alpine 3.14.0' }]);
    expect(result.findings).toHaveLength(0);
  });

  it('takes the image from the target when ArtifactName is empty and skips not_affected', async () => {
    const result = await importFixture(trivyJsonImporter, 'trivy', 'all_statuses.json');
    expect(result.scans).toEqual([{ scanner: 'Trivy', startedAt: '2024-01-15T08:58:29.827Z' }]);
    expect(result.assets).toEqual([
      { image: 'noppaknopsta/example-app:main-159', os: 'debian 10.13' },
    ]);
    expect(result.findings).toHaveLength(7);
    expect(result.notes).toContain(
      'all_statuses.json: 1 vulnerabilities with status not_affected were not imported.',
    );
  });

  it('reads the scanner version, filesystem artifacts and the jar path', async () => {
    const result = await importFixture(trivyJsonImporter, 'trivy', 'cvssv4_severity_source.json');
    expect(result.scans).toEqual([
      { scanner: 'Trivy', scannerVersion: '0.69.1', startedAt: '2026-02-24T07:07:53.487Z' },
    ]);
    expect(result.assets).toEqual([{ hostname: 'lib/catalina.jar' }]);
    const [tomcat] = findingsWithKey(result, 'CVE-2025-66614');
    expect(tomcat?.component).toEqual({
      name: 'org.apache.tomcat:tomcat-catalina',
      version: '9.0.109',
      fixedVersion: '11.0.14, 10.1.49, 9.0.112',
      path: 'catalina.jar',
      purl: 'pkg:maven/org.apache.tomcat/tomcat-catalina@9.0.109',
    });
  });

  it('imports the legacy array layout and rates UNKNOWN as info', async () => {
    const result = await importFixture(trivyJsonImporter, 'trivy', 'legacy_many_vulns.json');
    expect(result.assets).toEqual([{ image: 'debian', os: 'debian 10.8' }]);
    expect(result.findings).toHaveLength(93);
    const severities = result.findings.map((f) => f.vulnerability.severity);
    expect(severities.filter((s) => s === 'info')).toHaveLength(1);
    expect(severities.filter((s) => s === 'high')).toHaveLength(18);
    const legacyNull = await importFixture(trivyJsonImporter, 'trivy', 'legacy_no_vuln.json');
    expect(legacyNull.findings).toEqual([]);
    expect(legacyNull.scans).toEqual([{ scanner: 'Trivy' }]);
    expect(legacyNull.notes).toContain(
      'legacy_no_vuln.json: an empty legacy Trivy report (null): the scanned artifact had no findings.',
    );
  });

  it('recognises the legacy report of a clean image (the document null) by its content', () => {
    expect(trivyJsonImporter.sniff('null\n', 'x.json')).toBeGreaterThanOrEqual(0.5);
    expect(trivyJsonImporter.sniff('nullify', 'x.json')).toBe(0);
  });

  it('imports Kubernetes cluster reports: images for vulnerabilities, workloads in their cluster for misconfigurations', async () => {
    const result = await importFixture(trivyJsonImporter, 'trivy', 'kubernetes.json');
    const follower =
      'arn:aws:eks:us-east-1:576036489467:cluster/monitoring-test-cluster/default/Deployment/redis-follower';
    expect(result.assets).toEqual([
      { image: 'gcr.io/google_samples/gb-redis-follower:v2', os: 'debian 10.4' },
      { image: 'docker.io/redis:6.0.5', os: 'debian 10.4' },
      { hostname: follower },
      {
        hostname:
          'arn:aws:eks:us-east-1:576036489467:cluster/monitoring-test-cluster/default/Deployment/redis-leader',
      },
    ]);
    expect(result.findings).toHaveLength(20);
    const apt = findingsWithKey(result, 'CVE-2020-27350');
    expect(apt.map((f) => f.asset.image)).toEqual([
      'gcr.io/google_samples/gb-redis-follower:v2',
      'docker.io/redis:6.0.5',
    ]);
    expect(apt[0]?.component).toEqual({ name: 'apt', version: '1.8.2.1', fixedVersion: '1.8.2.2' });
    const [escalation] = findingsWithKey(result, 'trivy:misconfig:KSV001');
    expect(escalation).toMatchObject({
      kind: 'misconfiguration',
      asset: { hostname: follower },
      vulnerability: { title: 'Process can elevate its own privileges', severity: 'medium' },
      location: { path: 'Deployment/redis-follower', line: 132 },
      solution: "Set 'set containers[].securityContext.allowPrivilegeEscalation' to 'false'.",
    });
    expect(escalation?.evidence).toContain('Lines: 132-143');

    const resources = await importFixture(trivyJsonImporter, 'trivy', 'issue_10991.json');
    expect(resources.findings).toHaveLength(37);
    expect(resources.findings.every((f) => f.kind === 'misconfiguration')).toBe(true);
    // ClusterName is empty in this report: workloads are named by namespace, kind and name.
    expect(resources.assets).toContainEqual({ hostname: 'default/Service/kubernetes' });
    expect(resources.assets).toContainEqual({
      image: 'hashicorp/vault:1.14.0',
      os: 'alpine 3.15.9',
    });
    expect(findingsWithKey(resources, 'trivy:misconfig:KSV116')[0]).toMatchObject({
      asset: { hostname: 'default/Service/kubernetes' },
      vulnerability: { severity: 'low' },
    });
  });

  it('imports misconfigurations and secrets with their kind and location (the secret stays masked)', async () => {
    const result = await importFixture(
      trivyJsonImporter,
      'trivy',
      'misconfigurations_and_secrets.json',
    );
    expect(result.assets).toEqual([{ hostname: '.' }]);
    expect(result.findings.map((f) => [f.kind ?? 'vulnerability', f.vulnerability.key])).toEqual([
      ['vulnerability', 'CVE-2021-33503'],
      ['vulnerability', 'CVE-2021-28363'],
      ['misconfiguration', 'trivy:misconfig:DS002'],
      ['secret', 'trivy:secret:github-pat'],
      ['secret', 'trivy:secret:github-pat'],
    ]);
    expect(result.findings[0]?.component).toMatchObject({
      name: 'urllib3',
      path: 'requirements.txt',
    });
    const [root] = findingsWithKey(result, 'trivy:misconfig:DS002');
    expect(root).toMatchObject({
      vulnerability: { title: "Image user should not be 'root'", severity: 'high' },
      location: { path: 'Dockerfile' },
      solution: "Add 'USER <non root user name>' line to the Dockerfile",
    });
    const secrets = findingsWithKey(result, 'trivy:secret:github-pat');
    expect(secrets.map((f) => f.location)).toEqual([
      { path: 'Dockerfile', line: 24 },
      { path: 'secret.txt', line: 1 },
    ]);
    expect(secrets[0]?.vulnerability).toMatchObject({
      title: 'GitHub Personal Access Token',
      severity: 'critical',
    });
    expect(secrets[0]?.evidence).toBe('Category: GitHub\nMatch: ENV GITHUB_PAT=*****');
  });

  it('imports licence findings on packages and loose files', async () => {
    const result = await importFixture(trivyJsonImporter, 'trivy', 'license_scheme.json');
    expect(result.assets).toEqual([{ image: 'alpine:3.11', os: 'alpine 3.11.13' }]);
    expect(result.findings).toHaveLength(19);
    expect(result.findings.every((f) => f.kind === 'license')).toBe(true);
    const gpl = findingsWithKey(result, 'trivy:license:GPL-2.0');
    expect(gpl[0]).toMatchObject({
      vulnerability: { title: 'Licence GPL-2.0 (restricted)', severity: 'high' },
      component: { name: 'alpine-baselayout' },
    });
    const openssl = findingsWithKey(result, 'trivy:license:OpenSSL').find((f) => f.location);
    expect(openssl).toMatchObject({
      vulnerability: { severity: 'low', references: ['https://spdx.org/licenses/OpenSSL.html'] },
      location: { path: '/etc/ssl/misc/CA.pl' },
    });
    expect(openssl?.component).toBeUndefined();
  });
});

describe('grype-json', () => {
  it('imports an image report; the asset comes from source/distro written after the matches', async () => {
    const result = await importFixture(grypeJsonImporter, 'grype', 'issue_9618.json');
    expect(result.scans).toEqual([
      { scanner: 'Grype', scannerVersion: '0.96.0', startedAt: '2024-02-22T18:46:26.372Z' },
    ]);
    expect(result.assets).toEqual([
      { image: 'quay.io/cloudservices/xjoin-kafka-connect-strimzi:latest', os: 'redhat 8.7' },
    ]);
    expect(result.findings).toHaveLength(35);
    const [avahi] = findingsWithKey(result, 'CVE-2023-38473');
    expect(avahi).toMatchObject({
      vulnerability: {
        severity: 'medium',
        // NVD's primary score (5.5) before Red Hat's (6.2).
        cvss3: 5.5,
        cvss3Vector: 'CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:N/I:N/A:H',
      },
      component: {
        name: 'avahi-libs',
        version: '0.7-20.el8',
        fixedVersion: '0:0.7-21.el8_9.1',
        path: '/var/lib/rpm/Packages',
      },
      evidence: 'Matched by rpm-matcher (exact-indirect-match): < 0:0.7-21.el8_9.1 (rpm)',
    });
    expect(avahi?.vulnerability.references).toContain(
      'https://access.redhat.com/errata/RHSA-2023:7836',
    );
  });

  it('keys GHSA matches by their id and lists the related CVE', async () => {
    const result = await importFixture(grypeJsonImporter, 'grype', 'check_all_fields.json');
    expect(result.assets).toEqual([{ image: 'vulnerable-image:latest', os: 'debian 10' }]);
    expect(result.findings).toHaveLength(6);
    const [django] = findingsWithKey(result, 'GHSA-v6rh-hp5x-86rv');
    expect(django).toMatchObject({
      vulnerability: { cves: ['CVE-2021-44420'], severity: 'high', cvss3: 7.3 },
      component: {
        name: 'Django',
        version: '3.2.9',
        fixedVersion: '3.2.10',
        purl: 'pkg:pypi/Django@3.2.9',
      },
    });
    expect(findingsWithKey(result, 'CVE-2004-0971')[0]?.vulnerability.severity).toBe('info');
  });

  it('reads the pre-0.20 layout (cvssV2, links) and Negligible as info', async () => {
    const result = await importFixture(grypeJsonImporter, 'grype', 'many_vulns3.json');
    expect(result.scans).toEqual([{ scanner: 'Grype', scannerVersion: '0.7.0' }]);
    expect(result.assets).toEqual([
      { image: 'defectdojo/defectdojo-django:1.13.1', os: 'debian 10' },
    ]);
    expect(result.findings).toHaveLength(327);
    expect(result.findings[0]).toMatchObject({
      vulnerability: {
        key: 'CVE-2019-18276',
        severity: 'info',
        cvss2: 7.2,
        references: ['https://security-tracker.debian.org/tracker/CVE-2019-18276'],
      },
      component: { name: 'bash', version: '5.0-4', purl: 'pkg:deb/debian/bash@5.0-4?arch=amd64' },
    });
  });

  it('keeps the same CVE in two paths as two findings and reads directory sources', async () => {
    const paths = await importFixture(grypeJsonImporter, 'grype', 'same_cve_different_paths.json');
    expect(paths.findings.map((f) => f.component?.path)).toEqual([
      '/usr/lib/x86_64-linux-gnu/libc.so.6',
      '/lib/x86_64-linux-gnu/libc.so.6',
    ]);
    const directory = await importFixture(grypeJsonImporter, 'grype', 'many_vulns4.json');
    expect(directory.assets).toEqual([{ hostname: '.' }]);
    expect(directory.findings).toHaveLength(9);
  });

  it('records the image of a report without matches, and notes a report without source', async () => {
    const none = await importFixture(grypeJsonImporter, 'grype', 'no_vuln.json');
    expect(none.records.map((r) => r.kind)).toEqual(['scan', 'asset']);
    expect(none.assets).toEqual([{ image: 'busybox:latest', os: 'busybox 1.32.1' }]);
    const noSource = await importFixture(
      grypeJsonImporter,
      'grype',
      'anchore_grype_epss_problem.json',
    );
    expect(noSource.assets).toEqual([]);
    expect(noSource.findings).toHaveLength(1);
    expect(noSource.notes).toContain(
      'anchore_grype_epss_problem.json: the report names no scanned source; findings have no asset.',
    );
    const fixed = await importFixture(grypeJsonImporter, 'grype', 'fix_available.json');
    expect(fixed.findings[0]?.component?.fixedVersion).toBe('1.2.3');
  });
});

describe('wazuh-json', () => {
  it('imports indexer documents: one asset per agent', async () => {
    const result = await importFixture(wazuhJsonImporter, 'wazuh', 'v4-8_many_findings.json');
    expect(result.scans).toEqual([{ scanner: 'Wazuh' }]);
    expect(result.assets).toEqual([
      { hostname: 'myhost0', os: 'Ubuntu 24.04.2 LTS (Noble Numbat)' },
      { hostname: 'myhost1', os: 'Ubuntu 24.04.1 LTS (Noble Numbat)' },
    ]);
    expect(result.findings).toHaveLength(10);
    const [heimdal] = findingsWithKey(result, 'CVE-2022-44640');
    expect(heimdal).toMatchObject({
      asset: { hostname: 'myhost1' },
      vulnerability: { severity: 'critical', cvss3: 9.8 },
      component: {
        name: 'libheimbase1t64-heimdal',
        version: '7.8.git20221117.28daf24+dfsg-5ubuntu3',
      },
      firstSeen: '2025-06-30T17:07:16.011Z',
    });
    expect(heimdal?.vulnerability.references).toContain(
      'https://www.cve.org/CVERecord?id=CVE-2022-44640',
    );
  });

  it('imports the 4.7 API export with the fixed version from the condition', async () => {
    const one = await importFixture(wazuhJsonImporter, 'wazuh', 'v4-7_one_finding.json');
    expect(one.findings).toEqual([
      expect.objectContaining({
        asset: {},
        vulnerability: expect.objectContaining({
          key: 'CVE-1234-123123',
          severity: 'medium',
          cvss3: 5.5,
        }),
        component: { name: 'asdf', version: '4.3.1', fixedVersion: '4.3.2' },
      }),
    ]);
    expect(one.findings[0]?.vulnerability.cvss2).toBeUndefined();
    expect(one.notes).toEqual([
      'v4-7_one_finding.json: 1 vulnerabilities name no agent (the 4.7 API export is per agent); they have no asset.',
    ]);
    const endpoint = await importFixture(
      wazuhJsonImporter,
      'wazuh',
      'v4-7_one_finding_with_endpoint.json',
    );
    expect(endpoint.assets).toEqual([{ ip: '111.111.111.111', hostname: 'agent-1' }]);
    expect(endpoint.findings[0]?.component?.fixedVersion).toBe('2');
  });

  it('rates unknown severity words from the score, with a note', async () => {
    const many = await importFixture(wazuhJsonImporter, 'wazuh', 'v4-7_many_findings.json');
    expect(many.findings).toHaveLength(13);
    expect(many.notes).toContain(
      'v4-7_many_findings.json: data.affected_items[6]: severity "Untriaged" is not a Wazuh rating; rated info.',
    );
    const abnormal = await importFixture(
      wazuhJsonImporter,
      'wazuh',
      'wazuh_abnormal_severity.json',
    );
    expect(abnormal.findings[0]?.vulnerability).toMatchObject({ severity: 'critical', cvss3: 9.1 });
    const none = await importFixture(wazuhJsonImporter, 'wazuh', 'v4-7_no_findings.json');
    expect(none.records).toEqual([{ kind: 'scan', scan: { scanner: 'Wazuh' } }]);
  });

  it('reads an array of documents and the 5.x agent layout', async () => {
    const doc = {
      wazuh: { agent: { name: 'web-01', host: { ip: ['10.1.2.3'], os: { full: 'Debian 12' } } } },
      package: { name: 'openssl', version: '3.0.11-1~deb12u1', path: null },
      vulnerability: {
        id: 'cve-2024-5535',
        severity: 'Low',
        score: { base: 9.1, version: '3.1' },
        scanner: { condition: 'Package less than 3.0.14-1~deb12u1' },
      },
    };
    const result = await collect(wazuhJsonImporter, streamOf(JSON.stringify([doc])), 'docs.json');
    expect(result.assets).toEqual([{ ip: '10.1.2.3', hostname: 'web-01', os: 'Debian 12' }]);
    expect(result.findings[0]).toMatchObject({
      vulnerability: { key: 'CVE-2024-5535', severity: 'low', cvss3: 9.1 },
      component: { name: 'openssl', version: '3.0.11-1~deb12u1', fixedVersion: '3.0.14-1~deb12u1' },
    });
  });

  it('turns only "Package less than" conditions into fixed versions', () => {
    expect(fixedVersionFromCondition('Package less than 1:1238')).toBe('1:1238');
    expect(fixedVersionFromCondition('Package unfixed')).toBeUndefined();
    expect(fixedVersionFromCondition('Package less than or equal to 2.1')).toBeUndefined();
  });
});

const JSON_FORMATS: readonly [
  string,
  (options: { streamThresholdBytes?: number; spoolMemoryChars?: number }) => Importer,
][] = [
  ['trivy', createTrivyImporter],
  ['grype', createGrypeImporter],
  ['wazuh', createWazuhImporter],
];

/** The fixture with its top-level keys in another order. */
function reordered(folder: string, name: string, firstKeys: string[]): string {
  const document = JSON.parse(fixtureBytes(folder, name).toString('utf8')) as Record<
    string,
    unknown
  >;
  const out: Record<string, unknown> = {};
  for (const key of firstKeys) out[key] = document[key];
  for (const [key, value] of Object.entries(document)) if (!(key in out)) out[key] = value;
  return JSON.stringify(out);
}

describe('metadata before or after the findings', () => {
  it('grype: source written first gives the same records as source written last', async () => {
    const usual = await importFixture(grypeJsonImporter, 'grype', 'check_all_fields.json');
    const text = reordered('grype', 'check_all_fields.json', ['descriptor', 'distro', 'source']);
    for (const importer of [grypeJsonImporter, createGrypeImporter({ streamThresholdBytes: 0 })]) {
      const early = await collect(importer, streamOf(text, 700), 'check_all_fields.json');
      expect(early.records).toEqual(usual.records);
    }
  });

  it('trivy: Results written before the artifact are held until the end', async () => {
    const usual = await importFixture(trivyJsonImporter, 'trivy', 'scheme_2_many_vulns.json');
    const text = reordered('trivy', 'scheme_2_many_vulns.json', ['Results']);
    expect(text.indexOf('"Results"')).toBeLessThan(text.indexOf('"ArtifactName"'));
    const importer = createTrivyImporter({ streamThresholdBytes: 0, spoolMemoryChars: 0 });
    const late = await collect(importer, streamOf(text, 700), 'scheme_2_many_vulns.json');
    expect(late.records).toEqual(usual.records);
  });
});

describe('streaming path = JSON.parse path', () => {
  for (const [folder, create] of JSON_FORMATS) {
    const files = readdirSync(join(FIXTURES, folder)).filter((name) => name.endsWith('.json'));
    for (const name of files) {
      it(`${folder}/${name}`, async () => {
        const bytes = fixtureBytes(folder, name);
        const whole = await collect(create({}), streamOf(bytes), name);
        // Threshold 0: every file is streamed; spool budget 0: Grype's held matches go to disk.
        const streamed = await collect(
          create({ streamThresholdBytes: 0, spoolMemoryChars: 0 }),
          streamOf(bytes, 1000),
          name,
        );
        expect(streamed.records).toEqual(whole.records);
        expect(whole.records.length).toBeGreaterThan(0);
      });
    }
  }
});
