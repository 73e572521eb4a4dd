import { describe, expect, it } from 'vitest';
import { msDefenderImporter } from '../../../../src-main/importers/formats/ms-defender';
import { captureError, collect, importFixture, streamOf } from '../tabular/helpers';
import { theFinding } from './helpers';

describe('ms_defender', () => {
  it('machine vulnerabilities: one host asset per machine id, one finding per CVE and product', async () => {
    const result = await importFixture(msDefenderImporter, 'ms_defender', 'report_many_vulns.json');
    expect(result.findings).toHaveLength(4);
    expect(result.scans[0]).toEqual({ scanner: 'Microsoft Defender for Endpoint' });
    expect(result.assets).toEqual([{ hostname: 'wjeriowerjoiewrjoweirjeowij' }]);
    expect(result.notes.some((n) => n.includes('named only by their Defender machine id'))).toBe(
      true,
    );
    const f = theFinding(result, 'CVE-1234-56788', 'tools');
    expect(f.component).toEqual({ name: 'tools', version: '1.2.3.4' });
    expect(f.vulnerability.severity).toBe('high');
    expect(f.evidence).toContain('Vendor: packagvendor');
    expect(theFinding(result, 'CVE-1234-5678', 'tools').vulnerability.severity).toBe('low');
  });

  it('an empty export gives a scan and no findings; a machine list is refused', async () => {
    const none = await importFixture(msDefenderImporter, 'ms_defender', 'report_no_vuln.json');
    expect(none.findings).toHaveLength(0);
    const machines =
      '{"@odata.context": "https://api.securitycenter.microsoft.com/api/$metadata#Machines", "value": [{"id": "m1"}]}';
    const error = await captureError(() =>
      collect(msDefenderImporter, streamOf(machines), 'm.json'),
    );
    expect(error.code).toBe('IMPORT_MALFORMED');
    expect(error.message).toContain('machine list');
  });

  it('the by-machine software export: device name, CVSS, fixing update, disk path', async () => {
    const doc = {
      '@odata.context':
        'https://api.security.microsoft.com/api/$metadata#Collection(microsoft.windowsDefenderATP.api.PublicAssetVulnerabilityDto)',
      value: [
        {
          id: 'x',
          deviceName: 'ws01.corp.example',
          cveId: 'CVE-2025-21420',
          softwareVendor: 'microsoft',
          softwareName: 'windows_11',
          softwareVersion: '10.0.22631.4751',
          vulnerabilitySeverityLevel: 'High',
          cvssScore: 7.8,
          recommendedSecurityUpdateId: '5051989',
          diskPaths: ['C:\\Windows\\System32\\cleanmgr.exe'],
          firstSeenTimestamp: '2025-02-12T08:00:00Z',
        },
      ],
    };
    const result = await collect(msDefenderImporter, streamOf(JSON.stringify(doc)), 'd.json');
    expect(result.assets).toEqual([{ fqdn: 'ws01.corp.example' }]);
    const f = theFinding(result, 'CVE-2025-21420', 'windows_11');
    expect(f.vulnerability).toMatchObject({ severity: 'high', cvss3: 7.8 });
    expect(f.component).toEqual({
      name: 'windows_11',
      version: '10.0.22631.4751',
      path: 'C:\\Windows\\System32\\cleanmgr.exe',
    });
    expect(f.solution).toBe('Install KB5051989');
    expect(f.firstSeen).toBe('2025-02-12T08:00:00.000Z');
  });
});
