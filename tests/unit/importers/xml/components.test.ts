import { describe, expect, it } from 'vitest';
import {
  cpeProduct,
  installedVersion,
  nessusPackage,
  nexposeInstalled,
  openvasPackage,
  productFromTitle,
  qualysPackageTable,
  splitDebianPackage,
  splitPackage,
  splitRpmPackage,
} from '../../../../src-main/importers/xml/components';

describe('package name splitting', () => {
  it('splits Debian "name_version[_arch]" at the first underscore', () => {
    expect(splitDebianPackage('openssl_1.1.1f-1ubuntu2.16')).toEqual({
      name: 'openssl',
      version: '1.1.1f-1ubuntu2.16',
    });
    expect(splitDebianPackage('libssl1.1_1.1.1f-1ubuntu2.16_amd64')).toEqual({
      name: 'libssl1.1',
      version: '1.1.1f-1ubuntu2.16',
    });
    expect(splitDebianPackage('linux-image-5.4.0-42-generic_5.4.0-42.46')).toEqual({
      name: 'linux-image-5.4.0-42-generic',
      version: '5.4.0-42.46',
    });
    expect(splitDebianPackage('tzdata')).toEqual({ name: 'tzdata' });
  });

  it('splits rpm "name-[epoch:]version-release[.arch]" at the last two dashes', () => {
    expect(splitRpmPackage('openssl-1.0.2k-19.el7')).toEqual({
      name: 'openssl',
      version: '1.0.2k-19.el7',
    });
    expect(splitRpmPackage('openssl-libs-1:1.0.2k-21.el7_9')).toEqual({
      name: 'openssl-libs',
      version: '1:1.0.2k-21.el7_9',
    });
    expect(splitRpmPackage('kernel-tools-3.10.0-1160.el7.x86_64')).toEqual({
      name: 'kernel-tools',
      version: '3.10.0-1160.el7',
    });
    // No version-release: no guess.
    expect(splitRpmPackage('bash')).toEqual({ name: 'bash' });
    expect(splitRpmPackage('python-devel')).toEqual({ name: 'python-devel' });
  });

  it('chooses the Debian rule when the name has an underscore', () => {
    expect(splitPackage('bash_5.0-6ubuntu1.2')).toEqual({
      name: 'bash',
      version: '5.0-6ubuntu1.2',
    });
    expect(splitPackage('bash-4.2.46-34.el7')).toEqual({ name: 'bash', version: '4.2.46-34.el7' });
    // An rpm release may contain "_"; a Debian name may contain "-" and digits.
    expect(splitPackage('openssl-1.0.2k-21.el7_9')).toEqual({
      name: 'openssl',
      version: '1.0.2k-21.el7_9',
    });
    expect(splitPackage('gcc-10_10.2.1-6')).toEqual({ name: 'gcc-10', version: '10.2.1-6' });
    expect(splitPackage('tzdata_2021a')).toEqual({ name: 'tzdata', version: '2021a' });
  });
});

describe('Nessus plugin output', () => {
  it('reads Ubuntu/Debian local checks (first package of the list)', () => {
    const output = `
  - Installed package : libssl1.1_1.1.1f-1ubuntu2.16
  - Fixed package     : libssl1.1_1.1.1f-1ubuntu2.17

  - Installed package : openssl_1.1.1f-1ubuntu2.16
  - Fixed package     : openssl_1.1.1f-1ubuntu2.17
`;
    expect(nessusPackage(output)).toEqual({
      name: 'libssl1.1',
      version: '1.1.1f-1ubuntu2.16',
      fixedVersion: '1.1.1f-1ubuntu2.17',
    });
  });

  it('reads RHEL/CentOS local checks ("Remote package installed" / "Should be")', () => {
    const output = `
Remote package installed : openssl-1.0.2k-19.el7
Should be                : openssl-1.0.2k-21.el7_9

Remote package installed : openssl-libs-1:1.0.2k-19.el7
Should be                : openssl-libs-1:1.0.2k-21.el7_9
`;
    expect(nessusPackage(output)).toEqual({
      name: 'openssl',
      version: '1.0.2k-19.el7',
      fixedVersion: '1.0.2k-21.el7_9',
    });
  });

  it('reads Debian DLA checks written with "Remote package installed"', () => {
    expect(
      nessusPackage(
        'Remote package installed : openssl_1.1.0l-1~deb9u1\nShould be : openssl_1.1.0l-1~deb9u2\n',
      ),
    ).toEqual({ name: 'openssl', version: '1.1.0l-1~deb9u1', fixedVersion: '1.1.0l-1~deb9u2' });
  });

  it('reads application checks with a product line, a path, or a name hint', () => {
    expect(
      installedVersion(
        '\n  Product           : Oracle Java SE\n  Path              : C:\\Program Files\\Java\\jre1.8.0_251\n  Installed version : 1.8.0_251\n  Fixed version     : 1.8.0_261 / 1.7.0_271\n',
      ),
    ).toEqual({
      name: 'Oracle Java SE',
      version: '1.8.0_251',
      fixedVersion: '1.8.0_261 / 1.7.0_271',
      path: 'C:\\Program Files\\Java\\jre1.8.0_251',
    });
    expect(
      installedVersion(
        '\n  Path              : /usr/sbin/httpd\n  Installed version : 2.4.6\n  Fixed version     : 2.4.52\n',
        'Apache',
      ),
    ).toEqual({
      name: 'Apache',
      version: '2.4.6',
      fixedVersion: '2.4.52',
      path: '/usr/sbin/httpd',
    });
    // Without any name there is no component.
    expect(installedVersion('Installed version : 2.4.6\nFixed version : 2.4.52')).toBeUndefined();
  });
});

describe('OpenVAS result text', () => {
  it('reads local security checks and strips the name and the ">=" of the versions', () => {
    expect(
      openvasPackage(
        'Vulnerable package: openssl\nInstalled version:  openssl-1.1.1f-1ubuntu2.16\nFixed version:      >=openssl-1.1.1f-1ubuntu2.17\n',
      ),
    ).toEqual({
      name: 'openssl',
      version: '1.1.1f-1ubuntu2.16',
      fixedVersion: '1.1.1f-1ubuntu2.17',
    });
  });

  it('reads application checks with the two-line installation path', () => {
    expect(
      installedVersion(
        'Installed version: 116.0.3\nFixed version:     117\nInstallation\npath / port:       C:\\Program Files\\Mozilla Firefox\n',
        'Mozilla Firefox',
      ),
    ).toEqual({
      name: 'Mozilla Firefox',
      version: '116.0.3',
      fixedVersion: '117',
      path: 'C:\\Program Files\\Mozilla Firefox',
    });
  });
});

describe('Qualys RESULTS tables', () => {
  it('reads a tab-separated package table (first row)', () => {
    expect(
      qualysPackageTable(
        'Package\tInstalled Version\tRequired Version\nopenssl\t1:1.0.2k-19.el7\t1:1.0.2k-21.el7_9\nopenssl-libs\t1:1.0.2k-19.el7\t1:1.0.2k-21.el7_9',
      ),
    ).toEqual({ name: 'openssl', version: '1:1.0.2k-19.el7', fixedVersion: '1:1.0.2k-21.el7_9' });
  });

  it('reads a column-aligned table', () => {
    expect(
      qualysPackageTable(
        'Package                        Installed Version             Required Version\nkernel                         3.10.0-1160.el7               3.10.0-1160.6.1.el7\n',
      ),
    ).toEqual({ name: 'kernel', version: '3.10.0-1160.el7', fixedVersion: '3.10.0-1160.6.1.el7' });
  });

  it('ignores other tables', () => {
    expect(qualysPackageTable('IP address\tHost name\n64.41.200.243\tdemo13')).toBeUndefined();
  });
});

describe('Nexpose proofs', () => {
  it('reads "<pkg> - version <v> is installed" and "Vulnerable software installed"', () => {
    expect(
      nexposeInstalled(
        'Vulnerable OS: Ubuntu Linux 20.04\n* Ubuntu libssl1.1 - version 1.1.1f-1ubuntu2.8 is installed',
      ),
    ).toEqual({ name: 'libssl1.1', version: '1.1.1f-1ubuntu2.8' });
    expect(nexposeInstalled('Vulnerable software installed: OpenSSL 1.0.2k')).toEqual({
      name: 'OpenSSL',
      version: '1.0.2k',
    });
    expect(nexposeInstalled('Running vulnerable HTTP service.')).toBeUndefined();
  });
});

describe('product names', () => {
  it('takes the words of a title before the first version, comparison or generic word', () => {
    expect(productFromTitle('PHP 5.x < 5.2 Multiple Vulnerabilities')).toBe('PHP');
    expect(productFromTitle('jQuery < 1.9.0 XSS Vulnerability')).toBe('jQuery');
    expect(
      productFromTitle('Mozilla Firefox Security Update (mfsa_2023-32_2023-36) - Windows'),
    ).toBe('Mozilla Firefox');
    expect(productFromTitle('Apache Tomcat 9.0.0.M1 < 9.0.31 Multiple Vulnerabilities')).toBe(
      'Apache Tomcat',
    );
    expect(productFromTitle('PHP PHP_RSHUTDOWN_FUNCTION Security Bypass')).toBe('PHP');
    expect(productFromTitle('< 1.0')).toBeUndefined();
  });

  it('reads the product and version of CPE 2.2 and 2.3 names', () => {
    expect(cpeProduct('cpe:/a:openbsd:openssh:7.4')).toEqual({ name: 'openssh', version: '7.4' });
    expect(cpeProduct('cpe:/a:php:php')).toEqual({ name: 'php' });
    expect(cpeProduct('cpe:2.3:a:apache:http_server:2.4.29:*:*:*:*:*:*:*')).toEqual({
      name: 'http_server',
      version: '2.4.29',
    });
    expect(cpeProduct('not a cpe')).toBeUndefined();
  });
});
