/**
 * Is a lab host still healthy after the run: `dpkg --audit` and `apt-get check` clean,
 * and its sshd, restarted so it loads the upgraded libraries, answers with an SSH banner.
 */
import { spawnSync } from 'node:child_process';
import { connect } from 'node:net';
import type { LabHost } from './lab-host';

export interface HostHealth {
  host: string;
  dpkgAudit: string;
  aptCheck: boolean;
  sshBanner: string | null;
  broken: boolean;
}

function banner(address: string): Promise<string | null> {
  return new Promise((resolve) => {
    const socket = connect({ host: address, port: 22 });
    const timer = setTimeout(() => {
      socket.destroy();
      resolve(null);
    }, 5000);
    socket.once('data', (b: Buffer) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(b.toString().split('\r\n')[0] ?? null);
    });
    socket.once('error', () => {
      clearTimeout(timer);
      resolve(null);
    });
  });
}

export async function checkHealth(hosts: readonly LabHost[]): Promise<HostHealth[]> {
  const out: HostHealth[] = [];
  for (const host of hosts) {
    const audit = spawnSync('chroot', [host.root, 'dpkg', '--audit'], { encoding: 'utf8' });
    const check = spawnSync('chroot', [host.root, 'apt-get', 'check', '-qq'], {
      encoding: 'utf8',
    });
    const ssh = await host.start().then(
      () => banner(host.address),
      () => null,
    );
    const dpkgAudit = `${audit.stdout}${audit.status === 0 ? '' : audit.stderr}`.trim();
    out.push({
      host: host.name,
      dpkgAudit,
      aptCheck: check.status === 0,
      sshBanner: ssh,
      broken: dpkgAudit !== '' || check.status !== 0 || !ssh?.startsWith('SSH-2.0-OpenSSH'),
    });
  }
  return out;
}
