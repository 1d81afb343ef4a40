// npm `postpack` of a published package: puts the checkout's package.json back (see publish-manifest.ts).
import { restoreManifest } from './publish-manifest.ts';

restoreManifest(process.cwd());
