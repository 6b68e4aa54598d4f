'use strict';
// Stands in for `@grpc/proto-loader` in the bundle only (src/lazy/tsconfig.json maps the name here):
// dockerode requires it when it loads, for its own BuildKit session, which the action never uses.
let real;
module.exports = new Proxy(
  {},
  { get: (_, key) => (real ??= require('@grpc/proto-loader/build/src/index.js'))[key] },
);
