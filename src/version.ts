declare const __GHPAT_VERSION__: string | undefined;

/** Inlined by the bundler; read from package.json only when running unbundled (tests). */
export const VERSION: string = typeof __GHPAT_VERSION__ === "string" ? __GHPAT_VERSION__ : "0.0.0-dev";
