// The scoring session (session.mjs) in firefox; see engines.mjs for how it is driven.
import { describeEngine } from './session.mjs';

describeEngine('firefox');
