// avsc's types-only entry: the Type machinery without the streams, files and RPC that the package's
// main entry pulls in (which a browser does not have). Same classes, so the package's own types apply.
declare module 'avsc/etc/browser/avsc-types.js' {
  import avsc from 'avsc';
  const types: { Type: typeof avsc.Type };
  export default types;
}
