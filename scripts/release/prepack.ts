/**
 * npm `prepack` of a published package (run by `npm pack` / `npm publish` in its folder):
 * builds its JavaScript into dist/ and writes the package.json that goes into the tarball
 * (postpack.ts puts the checkout's back). Which build a package gets is decided by its name.
 */
import { buildLibrary } from './build-library.ts';
import { bundleCli } from './bundle-cli.ts';
import { applyPublishManifest, readManifest, restoreManifest } from './publish-manifest.ts';

const dir = process.cwd();
restoreManifest(dir);
const { name } = readManifest(dir);
try {
  if (name === '@headroom/cli') applyPublishManifest(dir, await bundleCli(dir));
  else if (name === '@headroom/core' || name === '@headroom/nx') {
    buildLibrary(dir);
    applyPublishManifest(dir);
  } else throw new Error(`${name} is internal: it is bundled into @headroom/cli, not published`);
} catch (err) {
  restoreManifest(dir);
  throw err;
}
