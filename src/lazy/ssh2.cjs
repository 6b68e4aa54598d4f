'use strict';
// Stands in for `ssh2` in the bundle only (src/lazy/tsconfig.json maps the name here): docker-modem
// requires it when it loads, for ssh:// engines, which most runs never use. The real module loads
// on first use instead. Its path below is not the mapped name, so it reaches the real one.
let real;
const load = () => (real ??= require('ssh2/lib/index.js'));
// docker-modem takes `require('ssh2').Client` at load time: a constructor that builds the real one.
function Client(...args) {
  return new (load().Client)(...args);
}
module.exports = new Proxy({ Client }, { get: (own, key) => (key === 'Client' ? Client : load()[key]) });
