/** What the preload script exposes as `window.alliance` in Electron. */
export interface Bridge {
  invoke(channel: string, input: unknown): Promise<unknown>;
  on(event: string, callback: (payload: unknown) => void): () => void;
  pathForFile(file: File): string;
}
