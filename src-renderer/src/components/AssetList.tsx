/** A draft's assets: name and, when known, operating system. */
export function AssetList({
  hosts,
}: {
  hosts: readonly { assetId: number; name: string; os: string | null }[];
}) {
  return (
    <ul className="small">
      {hosts.map((h) => (
        <li key={h.assetId}>
          {h.name}
          {h.os ? <span className="muted"> ({h.os})</span> : null}
        </li>
      ))}
    </ul>
  );
}
