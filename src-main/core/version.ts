import pkg from '../../package.json' with { type: 'json' };

/** The product version, from package.json at build time (bundled, so no file read at run time). */
export const APP_VERSION: string = pkg.version;
