/** Small interfaces for what differs between hosts. Implementations live beside this file. */
export interface Dialogs {
  /** Asks the user for media files; null when they cancel. */
  openMedia(): Promise<string[] | null>;
}

/** Hosts without native dialogs (browser host, CLI): the renderer asks for paths itself. */
export const noDialogs: Dialogs = {
  openMedia: () => Promise.resolve(null),
};
