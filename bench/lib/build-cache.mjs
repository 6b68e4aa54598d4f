// Making the engine cold for one app without touching anybody else's images or build cache:
// shared by bench/cold-build.mjs and __tests__/integration/buildkit.test.ts. Talks to the local
// engine's API over its socket (no docker CLI version quirks).
import http from 'node:http';

// The engine runs one disk-usage scan at a time and refuses a second with a 500: with other
// benches and tests on the same engine, /system/df is asked again after a pause, not failed.
async function api(method, path) {
  for (let attempt = 1; ; attempt++) {
    try {
      return await apiOnce(method, path);
    } catch (err) {
      if (attempt >= 20 || !/disk usage operation is already running/.test(err.message)) throw err;
      await new Promise((r) => setTimeout(r, 500));
    }
  }
}

function apiOnce(method, path) {
  return new Promise((resolve, reject) => {
    const req = http.request({ socketPath: '/var/run/docker.sock', method, path }, (res) => {
      let body = '';
      res.on('data', (d) => (body += d));
      res.on('end', () =>
        res.statusCode && res.statusCode < 300
          ? resolve(body ? JSON.parse(body) : undefined)
          : reject(new Error(`${method} ${path}: ${res.statusCode} ${body.trim()}`)),
      );
    });
    req.on('error', reject);
    req.end();
  });
}

/**
 * Removes the local tags of `repo` and the BuildKit cache records of the builds whose RUN lines
 * carry `token`: those records, their descendants, and their ancestors created since `since` (a
 * Date: the COPY records before them; the base image's, older, stay). A record with children
 * cannot be pruned, so leaves go first, pass after pass. Resolves to how many records went.
 */
export async function forgetBuild(repo, token, since) {
  const images = await api(
    'GET',
    `/images/json?filters=${encodeURIComponent(JSON.stringify({ reference: [`${repo}:*`] }))}`,
  );
  for (const img of images)
    for (const tag of img.RepoTags ?? []) await api('DELETE', `/images/${encodeURIComponent(tag)}?force=1`);

  const records = (await api('GET', '/system/df')).BuildCache ?? [];
  const byId = new Map(records.map((r) => [r.ID, r]));
  const ours = new Set(records.filter((r) => (r.Description ?? '').includes(token)).map((r) => r.ID));
  for (let grew = true; grew;) {
    grew = false;
    for (const r of records) {
      const parent = r.Parent ? byId.get(r.Parent) : undefined;
      if (ours.has(r.ID) && parent && !ours.has(parent.ID) && new Date(parent.CreatedAt) >= since) {
        ours.add(parent.ID);
        grew = true;
      }
      if (!ours.has(r.ID) && r.Parent && ours.has(r.Parent)) {
        ours.add(r.ID);
        grew = true;
      }
    }
  }
  let removed = 0;
  for (let pass = 0; pass < 10 && ours.size > 0; pass++) {
    const left = new Set(((await api('GET', '/system/df')).BuildCache ?? []).map((r) => r.ID));
    for (const id of [...ours]) if (!left.has(id)) ours.delete(id);
    for (const id of ours) {
      const filters = encodeURIComponent(JSON.stringify({ id: [id] }));
      const res = await api('POST', `/build/prune?all=1&filters=${filters}`);
      removed += res?.CachesDeleted?.length ?? 0;
    }
  }
  return removed;
}
