import type { ReactNode } from 'react';
import type { HostInfo } from '../stores/push';

/** A host's name (with a note), address (and jump host), and user cells of a host table row. */
export function HostCells({
  host,
  hosts,
  note,
}: {
  host: HostInfo;
  /** Every host, to name the jump host. */
  hosts: readonly HostInfo[];
  note?: ReactNode;
}) {
  const jump = host.jumpHostId
    ? (hosts.find((j) => j.id === host.jumpHostId)?.name ?? `#${host.jumpHostId}`)
    : null;
  return (
    <>
      <td className="nowrap">
        {host.name}
        {note ? <span className="muted small"> {note}</span> : null}
      </td>
      <td className="mono small">
        {host.address}:{host.port}
        {jump ? <div className="muted small">via {jump}</div> : null}
      </td>
      <td className="small">
        {host.username}
        {host.sudoMode === 'sudo-n' ? ' (sudo -n)' : ''}
      </td>
    </>
  );
}
