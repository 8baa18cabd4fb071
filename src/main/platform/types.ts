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
