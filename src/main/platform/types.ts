/** Small interfaces for what differs between hosts. Implementations live beside this file. */
export interface Dialogs {
  /** Asks the user for media files; null when they cancel. */
  openMedia(): Promise<string[] | null>;
  /**
   * Asks where to save a PDF and prints `html` to it (Electron's printToPDF); the path, or null
   * when the user cancels. Hosts without it (the browser host) leave it out: the page prints
   * through the browser instead.
   */
  savePdf?(html: string, suggestedName: string): Promise<string | null>;
  /** Asks for package files to open or import; null when cancelled or when the host has no dialogs. */
  openPackages?(multiple: boolean): Promise<string[] | null>;
  /** Asks where to write a package; null when cancelled or when the host has no dialogs. */
  savePackage?(suggestedName: string): Promise<string | null>;
}

/** Hosts without native dialogs (browser host, CLI): the renderer asks for paths itself. */
export const noDialogs: Dialogs = {
  openMedia: () => Promise.resolve(null),
};

/**
 * Where this computer keeps a protected library's data key so the app opens without asking
 * (Electron's safeStorage, backed by the OS keychain). Hosts without one leave it out.
 */
export interface KeyStore {
  /** Whether the OS offers a real keychain for this user (not a fixed, well-known password). */
  available(): boolean;
  load(dataDir: string): Buffer | null;
  save(dataDir: string, key: Buffer): void;
  forget(dataDir: string): void;
}
