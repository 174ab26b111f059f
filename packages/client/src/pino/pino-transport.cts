// pino resolves a transport target with require.resolve (the "require" condition of the export
// map), and its worker may load it with require: this CommonJS door opens the ES module.
export = async function pinoTransport(options: unknown): Promise<unknown> {
  const transport = await import('./pino-transport.js');
  return transport.default(options as never);
};
