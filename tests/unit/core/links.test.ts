import { describe, expect, it } from 'vitest';
import { checkExternalUrl } from '../../../src-main/core/links';

describe('external link allow-list', () => {
  it.each([
    ['https://nvd.nist.gov/vuln/detail/CVE-2021-44228', true],
    ['https://www.cisa.gov/known-exploited-vulnerabilities-catalog', true],
    ['https://nvd.nist.gov:443/x', true],
    ['https://nvd.nist.gov.evil.example/', false],
    ['https://evil.example/?https://nvd.nist.gov/', false],
    ['http://nvd.nist.gov/', false],
    ['https://user:pw@nvd.nist.gov/', false],
    ['https://nvd.nist.gov:8443/', false],
    ['javascript:alert(1)', false],
    ['file:///etc/shadow', false],
    ['not a url', false],
  ])('%s -> %s', (url, allowed) => {
    expect(checkExternalUrl(url).allowed).toBe(allowed);
  });

  it('explains refusals', () => {
    const verdict = checkExternalUrl('https://evil.example/');
    expect(verdict).toEqual({
      allowed: false,
      reason: 'evil.example is not on the list of sites the app may open.',
    });
  });
});
