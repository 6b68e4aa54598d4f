import { ImageRefError, parseImageRef, pinnedImage } from '../../../src/deploy/kubernetes/image';

const D = `sha256:${'a'.repeat(64)}`;

test.each([
  ['app', { path: 'app' }],
  ['app:1.2', { path: 'app', tag: '1.2' }],
  ['acme/api:v1', { path: 'acme/api', tag: 'v1' }],
  ['host:5000/app', { registry: 'host:5000', path: 'app' }],
  ['host:5000/app:tag', { registry: 'host:5000', path: 'app', tag: 'tag' }],
  [`host:5000/app@${D}`, { registry: 'host:5000', path: 'app', digest: D }],
  [`host:5000/team/app:tag@${D}`, { registry: 'host:5000', path: 'team/app', tag: 'tag', digest: D }],
  ['127.0.0.1:5000/sd-test/app:abc', { registry: '127.0.0.1:5000', path: 'sd-test/app', tag: 'abc' }],
  ['ghcr.io/acme/api:latest', { registry: 'ghcr.io', path: 'acme/api', tag: 'latest' }],
  ['localhost/app', { registry: 'localhost', path: 'app' }],
  // "acme" has no dot or port: a Docker Hub namespace, not a registry.
  ['acme/app', { path: 'acme/app' }],
])('parseImageRef(%s)', (ref, want) => {
  expect(parseImageRef(ref)).toEqual({ registry: undefined, tag: undefined, digest: undefined, ...want });
});

test.each([['host:5000/App:tag'], ['app@sha256:xyz'], ['app:bad tag'], ['host:5000/'], ['']])(
  'parseImageRef(%j) refuses it',
  (ref) => {
    expect(() => parseImageRef(ref)).toThrow(ImageRefError);
  },
);

test.each([
  [`host:5000/app:${'f'.repeat(40)}@${D}`, `host:5000/app@${D}`],
  [`host:5000/app@${D}`, `host:5000/app@${D}`],
  ['host:5000/app:tag', 'host:5000/app:tag'],
])('pinnedImage(%s) = %s', (ref, want) => {
  expect(pinnedImage(ref)).toBe(want);
});
