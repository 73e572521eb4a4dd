import { describe, expect, it } from 'vitest';
import {
  extractApplicationFromEvidence,
  extractPackageFromEvidence,
} from '../../../../src-main/importers/common/package-evidence';

describe('extractPackageFromEvidence', () => {
  it('reads Debian/Ubuntu "Installed package / Fixed package" (name_version)', () => {
    const output = `
  - Installed package : openjdk-11-jdk_11.0.13+8-0ubuntu1~18.04
    Fixed package     : openjdk-11-jdk_11.0.18+10-0ubuntu1~18.04.1

  - Installed package : openjdk-11-jdk-headless_11.0.13+8-0ubuntu1~18.04
    Fixed package     : openjdk-11-jdk-headless_11.0.18+10-0ubuntu1~18.04.1
`;
    expect(extractPackageFromEvidence(output)).toEqual({
      name: 'openjdk-11-jdk',
      version: '11.0.13+8-0ubuntu1~18.04',
      fixedVersion: '11.0.18+10-0ubuntu1~18.04.1',
    });
  });

  it('reads a Debian epoch version and a package without fixed line', () => {
    expect(
      extractPackageFromEvidence(
        'Installed package : libssl1.1_1:1.1.1n-0+deb11u3\nFixed package     : libssl1.1_1:1.1.1n-0+deb11u4\n',
      ),
    ).toEqual({
      name: 'libssl1.1',
      version: '1:1.1.1n-0+deb11u3',
      fixedVersion: '1:1.1.1n-0+deb11u4',
    });
    expect(extractPackageFromEvidence('  Installed package : bash_5.0-4\n')).toEqual({
      name: 'bash',
      version: '5.0-4',
    });
  });

  it('reads RPM "Remote package installed / Should be" (name-version-release)', () => {
    const output = `
Remote package installed : java-1.8.0-openjdk-1.8.0.262.b10-1.el7
Should be                : java-1.8.0-openjdk-1.8.0.352.b08-2.el7_9

Remote package installed : java-1.8.0-openjdk-headless-1.8.0.262.b10-1.el7
Should be                : java-1.8.0-openjdk-headless-1.8.0.352.b08-2.el7_9
`;
    expect(extractPackageFromEvidence(output)).toEqual({
      name: 'java-1.8.0-openjdk',
      version: '1.8.0.262.b10-1.el7',
      fixedVersion: '1.8.0.352.b08-2.el7_9',
    });
    expect(
      extractPackageFromEvidence(
        'Remote package installed : mariadb-libs-5.5.68-1.amzn2\nShould be                : mariadb-libs-5.5.68-1.amzn2.0.1\n',
      ),
    ).toEqual({
      name: 'mariadb-libs',
      version: '5.5.68-1.amzn2',
      fixedVersion: '5.5.68-1.amzn2.0.1',
    });
  });

  it('keeps an RPM epoch in the version', () => {
    expect(
      extractPackageFromEvidence(
        'Remote package installed : openssl-1:1.0.2k-19.el7\nShould be                : openssl-1:1.0.2k-25.el7_9\n',
      ),
    ).toEqual({ name: 'openssl', version: '1:1.0.2k-19.el7', fixedVersion: '1:1.0.2k-25.el7_9' });
  });

  it('does not take the fixed line of another package', () => {
    expect(
      extractPackageFromEvidence(
        'Remote package installed : kernel-3.10.0-1160.el7\nShould be : kernel-tools-3.10.0-1160.92.1.el7\n',
      ),
    ).toEqual({ name: 'kernel', version: '3.10.0-1160.el7' });
  });

  it('gives nothing for outputs without a package', () => {
    expect(extractPackageFromEvidence(undefined)).toBeUndefined();
    expect(
      extractPackageFromEvidence(
        '\n  Path              : /opt/splunkforwarder\n  Installed version : 8.2.0\n  Fixed version     : 8.2.7.1\n',
      ),
    ).toBeUndefined();
    expect(extractPackageFromEvidence('The remote web server type is :\n\nCowboy')).toBeUndefined();
  });
});

describe('extractApplicationFromEvidence', () => {
  it('reads path, installed and fixed version, product from the plugin name', () => {
    const output = `
  Path              : /usr/local/apache2
  Installed version : 2.4.57
  Fixed version     : 2.4.58
`;
    expect(
      extractApplicationFromEvidence(output, 'Apache 2.4.x < 2.4.58 Multiple Vulnerabilities'),
    ).toEqual({
      name: 'Apache 2.4.x',
      version: '2.4.57',
      fixedVersion: '2.4.58',
      path: '/usr/local/apache2',
    });
  });

  it('prefers a Product line and ignores prose where a fixed version would be', () => {
    const output =
      'Product : Oracle Java\nInstalled version : 1.8.0_40\nFixed version : none available';
    expect(extractApplicationFromEvidence(output, 'Java Unsupported')).toEqual({
      name: 'Oracle Java',
      version: '1.8.0_40',
    });
  });

  it('returns nothing without an installed version that looks like one', () => {
    expect(extractApplicationFromEvidence('Installed version : unknown', 'X')).toBeUndefined();
    expect(extractApplicationFromEvidence('List of RC4 cipher suites', 'RC4')).toBeUndefined();
    expect(extractApplicationFromEvidence(undefined, 'X')).toBeUndefined();
  });
});
