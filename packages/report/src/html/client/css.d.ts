/** esbuild bundles the stylesheets the page's script imports. */
declare module '*.css';
