import { useState } from 'react';
import { call, errorMessage } from '../../api/client';
import { Feedback } from '../../components/Feedback';
import { useDrafts } from '../../stores/drafts';
import { useUi } from '../../stores/ui';

/**
 * "Draft a patch" for a dependency finding: the operator gives the project's manifest
 * (package.json, requirements*.txt, pom.xml) by picking it or typing its path, and its
 * path inside the repository for the diff headers; the new patch draft opens.
 */
export function PatchFromManifest({ findingId }: { findingId: number }) {
  const [manifestPath, setManifestPath] = useState('');
  const [repoPath, setRepoPath] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const pick = async (file: File | undefined) => {
    if (!file) return;
    setError(null);
    try {
      const path = await call((api) => api.files.pathFor(file));
      setManifestPath(path);
      if (!repoPath) setRepoPath(file.name);
    } catch (e) {
      setError(`${file.name}: ${errorMessage(e)}`);
    }
  };
  const create = async () => {
    setBusy(true);
    setError(null);
    try {
      const draft = await call((api) =>
        api.drafts.createPatch({
          findingId,
          manifestPath: manifestPath.trim(),
          ...(repoPath.trim() ? { repoPath: repoPath.trim() } : {}),
        }),
      );
      useUi.setState({ draftFindingId: null });
      const drafts = useDrafts.getState();
      await drafts.loadList();
      await drafts.select(draft.id);
      drafts.setMessage(
        `Patch draft #${draft.id}: ${draft.versions.at(-1)?.patch?.bumps.length ?? 0} version change(s) in ${draft.versions.at(-1)?.patch?.file ?? ''}. Review it, mark it ready, then have it approved and export it.`,
      );
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <fieldset className="patch-from-manifest">
      <legend>Or patch the project’s manifest</legend>
      <p className="muted small">
        Bumps this dependency (and the others of the project with a fixed version) in package.json,
        requirements*.txt or pom.xml. The result is a unified diff to review, approve and export; it
        is never pushed over SSH.
      </p>
      <div className="inline-form">
        <label className="field">
          Manifest file
          <input
            type="file"
            accept=".json,.txt,.xml"
            aria-label="Pick the manifest"
            onChange={(e) => void pick(e.target.files?.[0])}
          />
        </label>
        <label className="field">
          Manifest path
          <input
            type="text"
            value={manifestPath}
            placeholder="/media/transfer/project/package.json"
            onChange={(e) => setManifestPath(e.target.value)}
          />
        </label>
        <label className="field">
          Path in the repository
          <input
            type="text"
            value={repoPath}
            placeholder="package.json"
            onChange={(e) => setRepoPath(e.target.value)}
          />
        </label>
        <button type="button" disabled={busy || !manifestPath.trim()} onClick={() => void create()}>
          Draft patch
        </button>
      </div>
      <Feedback error={error} message={null} />
    </fieldset>
  );
}
