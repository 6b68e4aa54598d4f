'use strict';
// Stands in for `@grpc/grpc-js` in the bundle only (src/lazy/tsconfig.json maps the name here):
// dockerode requires it when it loads, for its own BuildKit session, which the action never uses;
// our session (src/build/session.ts) loads the real module on first use. Its path below is not
// the mapped name, so it reaches the real one.
let real;
module.exports = new Proxy(
  {},
  { get: (_, key) => (real ??= require('@grpc/grpc-js/build/src/index.js'))[key] },
);
