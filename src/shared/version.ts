/** The app's version, as package.json says (named in the methods text researchers paste). */
export const APP_VERSION = '0.1.0';
