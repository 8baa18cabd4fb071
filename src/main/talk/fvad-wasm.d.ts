/** The WASM build of libfvad ships no types; the module's default export is Emscripten's factory. */
declare module '@echogarden/fvad-wasm' {
  const factory: (options?: Record<string, unknown>) => Promise<unknown>;
  export default factory;
}
