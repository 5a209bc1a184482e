// The scoring session and cascade.html from disk (session.mjs) in chromium; see engines.mjs for how it is driven.
import { describeEngine, describeOneFile } from './session.mjs';

describeEngine('chromium');
describeOneFile('chromium');
